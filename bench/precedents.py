"""The benchmark of agreed language (``drafting precedents``, ``proposals --precedents``).

At each scale point, on a copy of the composed workspace: R reference documents (20 at
every point) of 300 paragraphs each: sentences of the draft's own words in another order
(as another document on the same subject shares its vocabulary, not its sentences), a
few of them (3 %) quoting a stretch of the zero draft word for word or with a word
changed. The generator's draft is formulaic (a few phrases recombined), so one quote
matches many paragraphs: most of the draft comes out as agreed language, a hard case.

Measured: the check of the zero draft (P paragraphs) as a process, the first time (the
index built), as a version not checked before (the index kept in the cache) and again
(the report kept too), and in-process; ``proposals --precedents`` over every proposal,
first and again; and a baseline: fuzzy matching of every draft paragraph against every
reference paragraph with ``rapidfuzz.process.cdist`` (``fuzz.partial_ratio``, all cores),
which only scores pairs and finds no stretch, on a sample of draft paragraphs,
extrapolated to all of them.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from .generator import BASE, DOCUMENT

REFERENCES = 20
REFERENCE_PARAGRAPHS = 300
BASELINE_SAMPLE = 2
#: the share of reference paragraphs that quote the draft
QUOTES = 0.03


def write_references(
    root: Path, *, count: int = REFERENCES, paragraphs: int = REFERENCE_PARAGRAPHS, seed: int = 0
) -> int:
    """Write ``count`` reference files into ``root/references/``; their total paragraphs."""
    from drafting.model.references import Reference, RefParagraph, reference_to_data
    from drafting.store import yamlio
    from drafting.store.workspace import Workspace

    rng = random.Random(seed)
    draft = [p.text for p in Workspace(root).version(DOCUMENT, BASE).paragraphs if p.kind != "heading"]
    vocabulary = sorted({w.strip(".,;").lower() for t in draft for w in t.split()} - {""})
    out = root / "references"
    out.mkdir(exist_ok=True)
    total = 0
    for r in range(count):
        paras = []
        for i in range(paragraphs):
            if i % 25 == 0:
                paras.append(RefParagraph(f"h-{i}", f"Section {i // 25 + 1}", None, "heading"))
                continue
            text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(30, 90))).capitalize() + "."
            if rng.random() < QUOTES and draft:
                words = rng.choice(draft).split()
                a = rng.randrange(0, max(1, len(words) - 12))
                quote = words[a : a + rng.randint(8, 30)]
                if rng.random() < 0.5 and len(quote) > 4:
                    quote[rng.randrange(1, len(quote) - 1)] = "notably"
                text = f"{text} {' '.join(quote)}."
            paras.append(RefParagraph(f"r{i}", text, f"Action {i}", "action"))
        ref = Reference(
            f"ref-{r + 1:02d}", f"Outcome document {r + 1}", f"CONF/{2000 + r}/1", tuple(paras), f"{2000 + r}-06-30"
        )
        (out / f"ref-{r + 1:02d}.yaml").write_text(yamlio.dumps(reference_to_data(ref)), "utf-8")
        total += len(paras)
    return total


def forget(root: Path, *, index: bool) -> None:
    """Remove the kept results (and with ``index``, the kept index) of agreed language."""
    from drafting.store.parsecache import ParseCache

    cache = ParseCache(root)
    if index:
        cache.forget("derived:precedents-index")
    cache.forget(f"derived:precedents-proposals:{DOCUMENT}:*:6")
    cache.forget(f"derived:precedents:{DOCUMENT}:{BASE}:6")


def measure(b, work: Path, w1: Path, spec) -> dict[str, Any]:
    """Add the measures to ``b`` (a runner.Bench); returns facts for the results."""
    from drafting.service import references as svc
    from drafting.store.workspace import Workspace

    from .runner import Budget, copy_workspace, say

    wp = copy_workspace(w1, work / "w-precedents")
    t = time.perf_counter()
    n = write_references(wp, seed=spec.seed)
    say(f"  {REFERENCES} references of {REFERENCE_PARAGRAPHS} paragraphs written in {time.perf_counter() - t:.1f} s")
    args = ["--workspace", str(wp), "precedents", DOCUMENT, BASE, "--json"]
    facts: dict[str, Any] = {"references": REFERENCES, "reference_paragraphs": n}

    def first(argv):
        def prepare(i: int):
            forget(wp, index=True)
            return argv

        return prepare

    def check(r) -> str | None:
        rep = json.loads(r.stdout.read_text("utf-8"))
        facts.update(rep["summary"])
        return None

    def checked(argv):
        def prepare(i: int):
            forget(wp, index=False)  # the index kept: a version not checked before
            return argv

        return prepare

    def inproc_setup(i: int) -> Path:
        forget(wp, index=False)
        return wp

    b.cli("precedents.first", [], cwd=work, prepare=first(args), check=check, budget=Budget(3, b.budget.seconds))
    b.cli("precedents.check", [], cwd=work, prepare=checked(args), check=check)
    b.cli("precedents", args, cwd=work, check=check)
    b.inproc(
        "precedents.check.inproc", lambda root: svc.check_version(Workspace(root), DOCUMENT, BASE), setup=inproc_setup
    )
    p_args = ["--workspace", str(wp), "proposals", DOCUMENT, "--precedents", "--json"]

    def proposals_check(r) -> str | None:
        rows = json.loads(r.stdout.read_text("utf-8"))
        facts["proposals"] = len(rows)
        facts["proposals_with_agreed_language"] = sum(1 for x in rows if x.get("precedents"))
        return None

    def p_first(i: int):
        forget(wp, index=False)
        return p_args

    b.cli("proposals.precedents.first", [], cwd=work, prepare=p_first, check=proposals_check)
    b.cli("proposals.precedents", p_args, cwd=work, check=proposals_check)

    def p_inproc_setup(i: int):
        forget(wp, index=False)
        ws = Workspace(wp)
        ws.proposals(DOCUMENT, ws.config.rounds_of(DOCUMENT)[0].id)  # read before, as a command has
        return ws

    b.inproc(
        "proposals.precedents.inproc",
        lambda ws: svc.proposal_precedents(ws, DOCUMENT),
        setup=p_inproc_setup,
        memory=False,
    )
    b.add(_baseline(wp))
    return facts


def _baseline(root: Path):
    from .runner import Measure

    m = Measure("baseline.fuzzy_pairs", "baseline")
    try:
        from rapidfuzz import fuzz, process
    except ImportError as e:  # pragma: no cover - a declared dependency
        m.skipped = str(e)
        return m
    from drafting.store.workspace import Workspace

    ws = Workspace(root)
    draft = [p.text for p in ws.version(DOCUMENT, BASE).paragraphs if p.kind != "heading"]
    refs = [p.text for r in ws.references() for p in r.paragraphs if p.kind != "heading"]
    sample = draft[:BASELINE_SAMPLE]
    t = time.perf_counter()
    process.cdist(sample, refs, scorer=fuzz.partial_ratio, workers=-1)
    seconds = (time.perf_counter() - t) * len(draft) / max(1, len(sample))
    m.times.append(seconds)
    m.note = f"{len(sample)} of {len(draft)} paragraphs x {len(refs)} reference paragraphs, extrapolated"
    return m
