"""How fast hostile inputs are refused: every file of the tests' hostile corpus.

Each file of ``tests/hostile`` (the small ones beside the script, and the large or binary
ones ``make_corpus.py`` generates: a 40 MB text field, a zip bomb, Word packages...) is
submitted to the tests' tiny workspace by a ``drafting`` process, and the time to its
refusal is measured. ``tests/test_hostile.py`` checks that each is refused in one line and
changes nothing; how fast is measured here: a refusal should take seconds, whatever an
attacker sends.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from . import ROOT
from .runner import Bench, Budget, Measure, run_proc, say

CORPUS = ROOT / "tests" / "hostile"


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # (dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


def _as(path: Path) -> str:
    """Who submits a static file (``# as: CODE``; MEX by default)."""
    for line in path.read_text("utf-8", "replace").splitlines():
        if line.startswith("# as:"):
            return line.split(":", 1)[1].strip()
    return "MEX"


def tiny_workspace(root: Path) -> Path:
    """The tests' tiny workspace (``tests/conftest.py``: one action plan, round r1)."""
    from drafting.service.identity import identity
    from drafting.service.setup import init
    from drafting.store.workspace import Workspace

    conftest = _module("bench_conftest", ROOT / "tests" / "conftest.py")
    init(root)
    (root / "drafting.yaml").write_text(conftest.TINY_CONFIG)
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit(
            {
                "drafting.yaml": conftest.TINY_CONFIG.encode(),
                "drafts/action-plan/zero-draft.yaml": conftest.TINY_DRAFT.encode(),
                "drafts/political-declaration/zero-draft.yaml": conftest.TINY_PD.encode(),
            },
            "Zero drafts",
            identity(ws.config.presidency_delegation),
        )
    return root


def measure(b: Bench, work: Path) -> dict[str, Any]:
    """One measure per file (``hostile.<name>``: seconds from spawn to the refusal), and
    the slowest of them; files that were not refused (exit code other than 2) are listed."""
    from .runner import drafting_cmd

    ws = tiny_workspace(work / "w-hostile")
    corpus = _module("make_corpus", CORPUS / "make_corpus.py")
    files = {p.name: (p, _as(p)) for p in sorted(CORPUS.glob("*.yaml"))}
    files.update({name: (p, "MEX") for name, p in corpus.generate(work / "hostile").items()})
    say(f"hostile inputs: {len(files)} files, each refused by a drafting process")
    slowest: tuple[float, str] = (0.0, "")
    not_refused = []
    budget = Budget(3, 10.0)
    for name, (path, code) in files.items():
        m = Measure(f"hostile.{name}", "hostile")
        more = budget.runs()
        i = 0
        while more(m.times):
            argv = drafting_cmd("--workspace", str(ws), "submit", str(path), "--delegation", code)
            r = run_proc(argv, cwd=work, out=b.outdir / f"hostile.{name}.{i}.out", timeout=300)
            i += 1
            if r.rc != 2:
                not_refused.append(f"{name}: exit {r.rc}")
                m.skipped, m.times = f"not refused: exit {r.rc}", []
                break
            m.times.append(r.seconds)
            m.cpu.append(r.cpu)
            m.rss_kb.append(r.rss_kb)
        b.add(m)
        if m.times and m.median is not None and m.median > slowest[0]:
            slowest = (m.median, name)
    worst = Measure("hostile.slowest", "hostile", times=[slowest[0]] if slowest[1] else [])
    worst.note = slowest[1] or None
    b.add(worst)
    return {"files": len(files), "slowest": slowest[1], "not_refused": not_refused}
