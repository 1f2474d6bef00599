"""``python -m bench.compare BEFORE.json AFTER.json``: two runs of the benchmark at the
target point side by side (medians, after / before), as a Markdown table.

Run both on the same machine, one after the other (``python -m bench --target-only --out
F`` from each checkout): figures from different machines, or from the same machine at
another load, do not compare. The baselines (Python's start-up, difflib, pandoc) are in
both runs: when they moved, the machine did, and the other ratios move with them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TARGET = {"paragraphs": 300, "delegations": 193, "proposals_each": 50}


def target(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text("utf-8"))
    for p in data["points"]:
        if all(p["spec"].get(k) == v for k, v in TARGET.items()):
            return {"meta": data.get("meta", {}), **p}
    raise SystemExit(f"{path}: no run at the target point (P=300, 193 x 50)")


def _fmt(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def table(before: dict[str, Any], after: dict[str, Any]) -> str:
    rows = ["| measure | before | after | after / before |", "| --- | --- | --- | --- |"]
    for name, m in before["measures"].items():
        n = after["measures"].get(name)
        a, b = m.get("median_s"), (n or {}).get("median_s")
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or not a:
            continue
        rows.append(f"| {name} | {_fmt(a)} | {_fmt(b)} | {b / a:.2f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    b, a = target(args.before), target(args.after)
    for label, run in (("before", b), ("after", a)):
        meta = run["meta"]
        print(
            f"{label}: commit {meta.get('drafting_commit', '?')}, {meta.get('date', '?')}, "
            f"load average {run.get('load_average_before')} -> {run.get('load_average_after')}"
        )
    print()
    print(table(b, a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
