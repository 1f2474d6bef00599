"""The record must be trustworthy, tried through git as a participant with a clone could:
crafted commits and merges that ``drafting check`` (what a git host's CI runs on a pull
request) must refuse as the command line refuses them. And the bundled example's whole
history passes.

``check`` prints one line per problem and exits 2; it changes nothing.
"""

from __future__ import annotations

import pytest

from adversary import as_author, commit_as, contribution, decisions, git, history, ok
from conftest import run_cli, tree_state, write
from drafting.store import yamlio

AMEND = "States Parties will report every year on progress in land release."
AMEND2 = "States Parties will report every two years on progress in land release."


def check(root, *args: str) -> tuple[int, str]:
    before = (tree_state(root), history(root))
    r = run_cli("--workspace", str(root), "check", *args)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert (tree_state(root), history(root)) == before
    return r.returncode, r.stdout + r.stderr


def refused_by_check(root, rng: str, expect: str, *more: str) -> str:
    code, out = check(root, rng, *more)
    assert code == 2, out
    assert expect in out, (expect, out)
    return out


def _amend(text: str, pid: str | None = None, paragraph: str = "clr-2") -> dict:
    p = {"op": "amend", "paragraph": paragraph, "text": text}
    return {"id": pid, **p} if pid else p


def _decided(tiny):
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    ok(
        tiny,
        "submit",
        str(write(tiny.parent / "f.yaml", contribution("FRA", [_amend(AMEND2, paragraph="clr-1")]))),
        "-d",
        "FRA",
    )
    ok(tiny, "decide", "MEX-1", "accepted")
    return git(tiny, "rev-parse", "HEAD")


# ------------------------------------------------------------------ the whole example


def test_the_bundled_examples_whole_history_passes_check(example):
    root = git(example, "rev-list", "--max-parents=0", "HEAD")
    code, out = check(example, f"{root}..HEAD")
    assert code == 0, out
    code, out = check(example)
    assert code == 0, out


# ------------------------------------------------------------- decided proposals in git


def test_a_commit_changing_a_decided_proposal_is_refused(tiny):
    base = _decided(tiny)
    rel = "contributions/action-plan/r1/MEX.yaml"
    commit_as(tiny, "MEX", {rel: (tiny / rel).read_text().replace("every year", "every decade")}, "Switch")
    out = refused_by_check(tiny, f"{base}..HEAD", "changes MEX-1, already decided (accepted)", "--delegation", "MEX")
    assert rel in out


def test_a_commit_dropping_a_decided_proposal_is_refused_even_from_the_presidency(tiny):
    base = _decided(tiny)
    rel = "contributions/action-plan/r1/MEX.yaml"
    data = yamlio.loads((tiny / rel).read_bytes(), rel)
    data["proposals"] = [{"id": "MEX-2", "op": "comment", "paragraph": "va-1", "text": "Instead."}]
    commit_as(tiny, "MEX", {rel: yamlio.dumps(data)}, "Drop")
    refused_by_check(tiny, f"{base}..HEAD", "drops MEX-1, already decided")


def test_a_foreign_id_committed_by_hand_is_refused(tiny):
    base = _decided(tiny)
    rel = "contributions/action-plan/r1/AUT.yaml"
    commit_as(tiny, "AUT", {rel: contribution("AUT", [_amend(AMEND2, "MEX-7")], base="zero-draft")}, "Squat")
    out = refused_by_check(tiny, f"{base}..HEAD", "proposal id MEX-7 is in MEX's numbering")
    assert rel in out


# --------------------------------------------------------------------- versions in git


@pytest.mark.parametrize("who", ["ISU", "LAO"])
def test_a_commit_changing_a_written_version_is_refused_whoever_makes_it(tiny, who):
    _decided(tiny)
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1")
    base = git(tiny, "rev-parse", "HEAD")
    rel = "drafts/action-plan/rev1.yaml"
    commit_as(tiny, who, {rel: (tiny / rel).read_text().replace("every year", "every decade")}, "Touch up rev1")
    refused_by_check(tiny, f"{base}..HEAD", f"{rel}: commit")
    out = refused_by_check(tiny, f"{base}..HEAD", "changes drafts/action-plan/rev1.yaml, a version already written")
    assert "write the correction as a new version" in out


def test_a_commit_deleting_a_written_version_is_refused(tiny):
    base = git(tiny, "rev-parse", "HEAD")
    commit_as(tiny, "LAO", {"drafts/political-declaration/zero-draft.yaml": None}, "Remove")
    refused_by_check(tiny, f"{base}..HEAD", "deletes drafts/political-declaration/zero-draft.yaml")


# ------------------------------------------------------------------------- evil merges


def _branches(tiny):
    """main: France submits and the Presidency decides; mex: Mexico's branch from before."""
    fork = git(tiny, "rev-parse", "HEAD")
    ok(
        tiny,
        "submit",
        str(write(tiny.parent / "f.yaml", contribution("FRA", [_amend(AMEND2, paragraph="clr-1")]))),
        "-d",
        "FRA",
    )
    ok(tiny, "decide", "FRA-1", "accepted")
    main = git(tiny, "rev-parse", "HEAD")
    git(tiny, "checkout", "-q", "-b", "mex", fork)
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    return fork, main


def test_an_evil_merge_dropping_others_inputs_and_the_decisions_is_refused(tiny):
    """MEX merges main into its branch but keeps its own (older) tree: France's inputs
    and the decisions vanish; the combined diff would hide it."""
    _, main = _branches(tiny)
    git(tiny, "merge", "-q", "-s", "ours", "--no-edit", main, env=as_author("MEX"))
    out = refused_by_check(tiny, "main..HEAD", "contributions/action-plan/r1/FRA.yaml", "--delegation", "MEX")
    assert "decisions/action-plan/r1.yaml" in out
    assert "deletes FRA's submitted inputs" in out or "not FRA's" in out or "may only change its own" in out


def test_an_honest_merge_passes(tiny):
    _, main = _branches(tiny)
    git(tiny, "merge", "-q", "--no-edit", main, env=as_author("MEX"))
    code, out = check(tiny, "main..HEAD", "--delegation", "MEX")
    assert code == 0, out


def test_a_merge_that_slips_in_a_change_of_its_own_is_refused(tiny):
    _, main = _branches(tiny)
    git(tiny, "merge", "-q", "--no-commit", main, env=as_author("MEX"))
    rel = "contributions/action-plan/r1/FRA.yaml"
    write(tiny / rel, (tiny / rel).read_text().replace("every two years", "every ten years"))
    git(tiny, "add", rel)
    git(tiny, "commit", "-q", "--no-edit", env=as_author("MEX"))
    out = refused_by_check(tiny, "main..HEAD", f"{rel}: commit", "--delegation", "MEX")
    assert "not FRA's" in out
    assert "changes FRA-1, already decided" in out  # and, against main, a decided proposal changed


def test_a_merge_bringing_a_change_to_a_proposal_decided_on_the_other_side_is_refused(tiny):
    """Each side alone is fine: MEX changes MEX-1 on its branch (undecided there); main
    accepts MEX-1. The merge, against main, changes a decided proposal."""
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    fork = git(tiny, "rev-parse", "HEAD")
    ok(tiny, "decide", "MEX-1", "accepted")
    main = git(tiny, "rev-parse", "HEAD")
    git(tiny, "checkout", "-q", "-b", "mex", fork)
    ok(tiny, "submit", str(write(tiny.parent / "m2.yaml", contribution("MEX", [_amend(AMEND2, "MEX-1")]))), "-d", "MEX")
    git(tiny, "merge", "-q", "--no-edit", main, env=as_author("MEX"))
    refused_by_check(tiny, f"{main}..HEAD", "changes MEX-1, already decided (accepted)")


# --------------------------------------------------------------------------- big blobs


def test_check_refuses_a_huge_blob_without_reading_it(tiny):
    base = git(tiny, "rev-parse", "HEAD")
    huge = tiny / "contributions/action-plan/r1/ICRC.yaml"
    huge.parent.mkdir(parents=True, exist_ok=True)
    with huge.open("wb") as f:
        f.write(b"delegation: ICRC\nproposals:\n- {op: comment, paragraph: va-1, text: '")
        f.truncate(40_000_000)
    git(tiny, "add", "-A")
    git(tiny, "commit", "-q", "-m", "big", env=as_author("ICRC"))
    huge.unlink()
    git(tiny, "checkout", "--", ".")  # (the work tree as committed)
    out = refused_by_check(tiny, f"{base}..HEAD", "over the limit of 5,000,000")
    assert "ICRC.yaml" in out


def test_the_history_rules_see_every_commit_of_a_range(tiny):
    """A change undone by a later commit of the same range is still reported: the history
    is what was circulated."""
    _decided(tiny)
    ok(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1")
    base = git(tiny, "rev-parse", "HEAD")
    rel = "drafts/action-plan/rev1.yaml"
    original = (tiny / rel).read_text()
    commit_as(tiny, "LAO", {rel: original.replace("every year", "every decade")}, "Edit")
    commit_as(tiny, "LAO", {rel: original}, "Undo")
    out = refused_by_check(tiny, f"{base}..HEAD", "changes drafts/action-plan/rev1.yaml")
    assert out.count("a version already written") == 2


def test_decisions_helper_commits_a_valid_file(tiny):
    ok(tiny, "submit", str(write(tiny.parent / "m.yaml", contribution("MEX", [_amend(AMEND)]))), "-d", "MEX")
    base = git(tiny, "rev-parse", "HEAD")
    decisions(tiny, {"MEX-1": {"status": "rejected"}})
    code, out = check(tiny, f"{base}..HEAD")
    assert code == 0, out
