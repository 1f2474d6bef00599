"""The scaling plot: time against paragraphs and against proposals, and peak memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

OPS = (
    ("compose", "compose"),
    ("diff", "diff --json"),
    ("diff.labels", "diff --json --labels"),
    ("blame", "blame"),
    ("proposals", "proposals --json"),
)
COLOURS = {
    "compose": "#1f77b4",
    "diff": "#ff7f0e",
    "diff.labels": "#8c564b",
    "blame": "#2ca02c",
    "proposals": "#d62728",
}


def _series(points: list[dict[str, Any]], vary: str) -> tuple[list[dict[str, Any]], str]:
    """The points along one axis: ``vary`` is "paragraphs" (the proposals count held at
    its most common value) or "proposals" (paragraphs held)."""
    ok = [p for p in points if "measures" in p]
    if not ok:
        return [], ""
    from collections import Counter

    hold = "proposals" if vary == "paragraphs" else "paragraphs"
    counts = Counter(p["spec"][hold] for p in ok)
    # the held value along which the most distinct values of `vary` exist
    best = max(counts, key=lambda h: (len({p["spec"][vary] for p in ok if p["spec"][hold] == h}), counts[h]))
    chosen = sorted((p for p in ok if p["spec"][hold] == best), key=lambda p: p["spec"][vary])
    # one point per value of `vary`
    seen: dict[int, dict[str, Any]] = {}
    for p in chosen:
        seen[p["spec"][vary]] = p
    label = f"{best:,} proposals" if hold == "proposals" else f"{best:,} paragraphs"
    return list(seen.values()), label


def draw(results: dict[str, Any], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = results.get("points", [])
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.2))
    for ax, vary in zip(axes[:2], ("paragraphs", "proposals"), strict=True):
        series, held = _series(points, vary)
        xs_all: list[int] = []
        for key, label in OPS:
            xs, ys, lo = [], [], []
            for p in series:
                m = p["measures"].get(key, {})
                if m.get("median_s") is not None:
                    xs.append(p["spec"][vary])
                    ys.append(m["median_s"])
                    lo.append(m["min_s"])
            if xs:
                ax.plot(xs, ys, "o-", color=COLOURS[key], label=f"{label} (CLI, median)")
                xs_all += xs
            # the in-process cost (no Python start-up), dashed
            xi, yi = [], []
            for p in series:
                m = p["measures"].get(f"{key}.inproc" if key != "diff.labels" else "diff.labels.inproc", {})
                if m.get("median_s") is not None:
                    xi.append(p["spec"][vary])
                    yi.append(m["median_s"])
            if xi:
                ax.plot(xi, yi, "--", color=COLOURS[key], alpha=0.6, linewidth=1)
        # the redlines script, for scale
        xr, yr = [], []
        for p in series:
            m = p["measures"].get("baseline.redlines_script", {})
            if m.get("median_s") is not None:
                xr.append(p["spec"][vary])
                yr.append(m["median_s"])
        if xr:
            ax.plot(xr, yr, "s:", color="grey", label="redlines script (baseline)")
        if xs_all:
            x0, x1 = min(xs_all), max(xs_all)
            ref_y = [
                p["measures"]["compose"]["median_s"]
                for p in series
                if p["measures"].get("compose", {}).get("median_s") is not None
            ]
            if ref_y and x0 > 0:
                y0 = ref_y[0]
                ax.plot(
                    [x0, x1],
                    [y0, y0 * x1 / x0],
                    color="black",
                    alpha=0.25,
                    linewidth=3,
                    label="linear growth (from compose's first point)",
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"{vary} (log)")
        ax.set_ylabel("seconds (log)")
        ax.set_title(f"time vs {vary}" + (f" at {held}" if held else ""))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="best", framealpha=0.6)
    # memory
    ax = axes[2]
    ok = sorted((p for p in points if "measures" in p), key=lambda p: (p["spec"]["paragraphs"], p["spec"]["proposals"]))
    labels = [f"P={p['spec']['paragraphs']}\n{p['spec']['delegations']}×{p['spec']['proposals_each']}" for p in ok]
    width = 0.16
    for k, (key, label) in enumerate(OPS):
        ys = [p["measures"].get(key, {}).get("peak_rss_mb", 0) for p in ok]
        ax.bar(
            [i + (k - (len(OPS) - 1) / 2) * width for i in range(len(ok))], ys, width, color=COLOURS[key], label=label
        )
    ax.set_xticks(range(len(ok)))
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylabel("peak RSS of the CLI process (MB)")
    ax.set_title("peak memory")
    ax.legend(fontsize=7)
    ax.grid(True, axis="y", alpha=0.3)
    meta = results.get("meta", {})
    fig.suptitle(
        f"drafting benchmark — {meta.get('cores', '?')} cores, Python {meta.get('python', '?')}, "
        f"{meta.get('date', '')[:10]}   (solid: CLI process; dashed: in-process)",
        fontsize=10,
    )
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
