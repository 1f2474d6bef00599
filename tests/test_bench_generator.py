"""The benchmark's generator makes a valid workspace (tiny scale; speed is never asserted)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.generator import (
    BASE,
    DOCUMENT,
    ROUND1,
    UN_MEMBERS,
    Spec,
    amend_text,
    generate,
    paragraph_text,
    zero_draft,
)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def test_un_members_are_193_distinct_codes():
    codes = [c for c, _ in UN_MEMBERS]
    assert len(codes) == 193 and len(set(codes)) == 193


def test_paragraphs_are_40_to_120_words_with_headings():
    import random

    rng = random.Random(1)
    for _ in range(50):
        n = len(paragraph_text(rng).split())
        assert 40 <= n <= 120
    paras = zero_draft(60, rng)
    assert len(paras) == 60 and len({p.id for p in paras}) == 60
    headings = [i for i, p in enumerate(paras) if p.kind == "heading"]
    assert headings[0] == 0 and len(headings) >= 60 // 9
    text = paras[1].text
    assert amend_text(text, rng) != text


@pytest.mark.parametrize("decision_commits", ["each", "bulk"])
def test_generated_workspace_reads_back(tmp_path, decision_commits):
    from drafting.service.inputs import list_proposals
    from drafting.service.versions import blame, compose, diff
    from drafting.store.workspace import Workspace

    spec = Spec(paragraphs=24, delegations=6, proposals_each=5, accepted=8, seed=7, decision_commits=decision_commits)
    g = generate(tmp_path / "ws", spec)
    root = g.root
    ws = Workspace(root)
    # the layout of the contract, in a clean git repository
    assert (root / "drafting.yaml").is_file()
    assert (root / f"drafts/{DOCUMENT}/{BASE}.yaml").is_file()
    assert len(list((root / f"contributions/{DOCUMENT}/{ROUND1}").glob("*.yaml"))) == 6
    assert (root / f"decisions/{DOCUMENT}/{ROUND1}.yaml").is_file()
    assert git(root, "status", "--porcelain") == ""
    # one commit for the draft, one per delegation, one per decision (or one for all)
    n_decided = sum(v for k, v in g.statuses.items() if k != "open")
    expected = 1 + 6 + (n_decided if decision_commits == "each" else 1)
    assert int(git(root, "rev-list", "--count", "HEAD")) == g.commits == expected
    authors = git(root, "log", "--format=%an", "--", f"contributions/{DOCUMENT}/{ROUND1}").splitlines()
    assert len(authors) == 6 and all("(" in a for a in authors)
    # everything validates through drafting's own readers
    assert len(ws.version(DOCUMENT, BASE).paragraphs) == 24
    props = ws.proposals(DOCUMENT, ROUND1)
    assert len(props) == spec.total
    assert {p.op for p in props} <= {"amend", "insert", "delete", "comment"}
    decisions = ws.decisions(DOCUMENT, ROUND1)
    accepted = [d for d in decisions.values() if d.status in ("accepted", "modified")]
    assert len(accepted) == 8
    rows = list_proposals(Workspace(root), DOCUMENT)
    assert len(rows) == spec.total and all(r["commit"] for r in rows)
    # and the versions pipeline runs on it
    report = compose(Workspace(root), DOCUMENT, BASE, "rev1", allow_open=True)
    assert report["commit"] and len(report["applied"]) + sum(len(c["proposals"]) for c in report["conflicts"]) >= 1
    d = diff(Workspace(root), DOCUMENT, BASE, "rev1")
    assert d["paragraphs"]
    b = blame(Workspace(root), DOCUMENT, "rev1")
    rev1 = Workspace(root).version(DOCUMENT, "rev1")
    assert ["".join(s["text"] for s in p["spans"]) for p in b["paragraphs"]] == [p.text for p in rev1.paragraphs]


def test_generation_is_deterministic(tmp_path):
    spec = Spec(paragraphs=12, delegations=3, proposals_each=4, accepted=3, seed=11)
    a = generate(tmp_path / "a", spec)
    b = generate(tmp_path / "b", spec)
    for rel in ("drafting.yaml", f"drafts/{DOCUMENT}/{BASE}.yaml", f"decisions/{DOCUMENT}/{ROUND1}.yaml"):
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes()
    assert git(a.root, "rev-parse", "HEAD") == git(b.root, "rev-parse", "HEAD")


def test_bench_quick_grid_parses():
    """The command line's grids (nothing is run)."""
    from bench.__main__ import accepted_for, grid

    class A:
        quick = True
        full = target_only = False
        points = None
        repeats = concurrency = None
        no_app = no_documents = False
        profile = None
        seed = 1
        decision_commits = "each"

    pts = grid(A())
    assert len(pts) == 2 and pts[1][1].concurrency == 20
    assert accepted_for(193, 50) == 1000


def test_the_benchmarks_writes_are_admitted_at_its_clock(tmp_path):
    """What the benchmark times is drafting's work, never a refusal: at the server's clock
    it runs at, a submission into the round on rev1 and a resubmission into the zero draft's
    round (on W0) are admitted, and compose runs without deciding every proposal first."""
    import shutil

    from bench.generator import DURING_ROUND1, DURING_ROUND2, ROUND2
    from bench.runner import _submission_files, _submit_pool, defects
    from drafting.service import clock
    from drafting.service.inputs import submit_file
    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    g = generate(tmp_path / "w0", Spec(paragraphs=24, delegations=6, proposals_each=5, accepted=8, seed=7))
    w1 = tmp_path / "w1"
    shutil.copytree(g.root, w1, symlinks=True)
    with clock.fixed(DURING_ROUND2):
        compose(Workspace(w1), DOCUMENT, BASE, "rev1", allow_open=True)
        code, _ = _submit_pool(w1)[0]
        files = _submission_files(w1, tmp_path / "files", _submit_pool(w1), seed=1)
        assert submit_file(Workspace(w1), files[code], delegation=code).commit
        assert Workspace(w1).contribution(DOCUMENT, ROUND2, code).proposals
    with clock.fixed(DURING_ROUND1):
        again = _submission_files(g.root, tmp_path / "again", _submit_pool(g.root), seed=2, round_id=ROUND1, base=BASE)
        assert submit_file(Workspace(g.root), again[code], delegation=code).commit
    # a run whose own commands refused is a defect, not a figure
    run = {"points": [{"label": "P", "measures": {"submit": {"group": "cli", "skipped": "exit 2: closed"}}}]}
    assert defects(run) == ["P: submit did not run: exit 2: closed"]
    assert (
        defects({"points": [{"label": "P", "measures": {"b": {"group": "baseline", "skipped": "no redlines"}}}]}) == []
    )
