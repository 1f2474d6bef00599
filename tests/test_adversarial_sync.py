"""The record must be trustworthy, tried through ``drafting sync`` between two offices'
clones of one repository: sync never pushes a result that is less valid than what the
shared repository holds; when it stops it says why in one line, exit 2, and loses
nothing (the local commits stay, unpushed; the shared repository is unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adversary import as_author, commit_as, contribution, git, history, ok, refused
from conftest import write

AMEND = "States Parties will report every year on progress in land release."


@pytest.fixture
def offices(tiny, tmp_path):
    """A bare 'origin' made from the tiny workspace (MEX-1 to MEX-4 submitted), and two
    offices' clones of it."""
    props = [
        {"op": "amend", "paragraph": "clr-2", "text": AMEND},
        {"op": "comment", "paragraph": "va-1", "text": "One."},
        {"op": "comment", "paragraph": "clr-1", "text": "Two."},
        {"op": "comment", "paragraph": "h-va", "text": "Three."},
    ]
    ok(tiny, "submit", str(write(tmp_path / "mex.yaml", contribution("MEX", props))), "-d", "MEX")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(tiny), str(origin))
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
    return origin, a, b


def _resubmit_without_mex4(root: Path) -> None:
    props = [
        {"id": "MEX-1", "op": "amend", "paragraph": "clr-2", "text": AMEND},
        {"id": "MEX-2", "op": "comment", "paragraph": "va-1", "text": "One."},
        {"id": "MEX-3", "op": "comment", "paragraph": "clr-1", "text": "Two."},
    ]
    ok(root, "submit", str(write(root.parent / f"{root.name}-mex.yaml", contribution("MEX", props))), "-d", "MEX")


def test_a_decision_and_a_resubmission_dropping_it_never_meet_in_the_shared_repository(offices):
    """Office A decides MEX-4; office B records MEX's resubmission dropping MEX-4. Whoever
    syncs second is stopped: the shared repository stays valid."""
    origin, a, b = offices
    ok(a, "decide", "MEX-4", "noted")
    _resubmit_without_mex4(b)
    ok(a, "sync")
    before_origin = history(origin)
    local = git(b, "rev-parse", "HEAD")
    line = refused(b, "sync", expect="sync stopped", local=True)
    assert "MEX-4" in line and "nothing was changed or lost: 1 local commit kept here, not pushed" in line
    assert history(origin) == before_origin and git(b, "rev-parse", "HEAD") == local
    ok(a, "check")


def test_the_other_order_is_stopped_too(offices):
    origin, a, b = offices
    ok(a, "decide", "MEX-4", "noted")
    _resubmit_without_mex4(b)
    ok(b, "sync")
    before_origin = history(origin)
    line = refused(a, "sync", expect="sync stopped", local=True)
    assert "MEX-4" in line
    assert history(origin) == before_origin


def test_sync_refuses_to_push_a_local_commit_changing_a_written_version(offices):
    origin, a, _ = offices
    rel = "drafts/action-plan/zero-draft.yaml"
    commit_as(a, "LAO", {rel: (a / rel).read_text().replace("as soon as possible", "by 2099")}, "Touch up")
    before_origin = history(origin)
    line = refused(
        a, "sync", expect="sync stopped: the local commits would make the shared workspace invalid", local=True
    )
    assert "a version already written" in line
    assert history(origin) == before_origin


def test_sync_refuses_to_push_a_commit_changing_a_decided_proposal(offices):
    origin, a, b = offices
    ok(a, "decide", "MEX-1", "accepted")
    ok(a, "sync")
    ok(b, "sync")
    rel = "contributions/action-plan/r1/MEX.yaml"
    commit_as(b, "MEX", {rel: (b / rel).read_text().replace("every year", "every decade")}, "Switch")
    before_origin = history(origin)
    line = refused(b, "sync", expect="sync stopped", local=True)
    assert "changes MEX-1, already decided (accepted)" in line
    assert history(origin) == before_origin


def test_sync_refuses_to_push_an_invalid_file(offices):
    origin, a, _ = offices
    commit_as(a, "FRA", {"contributions/action-plan/r1/FRA.yaml": "delegation: FRA\nproposals: [\n"}, "Broken")
    before_origin = history(origin)
    line = refused(a, "sync", expect="contributions/action-plan/r1/FRA.yaml", local=True)
    assert "nothing was pushed" in line and history(origin) == before_origin


def test_a_problem_already_in_the_shared_repository_does_not_block_others(offices, tmp_path):
    """A bad file that arrived on origin by other means stops nobody's sync: only what a
    sync would add is judged."""
    _, a, b = offices
    commit_as(a, "FRA", {"contributions/action-plan/r1/FRA.yaml": "delegation: FRA\nproposals: [\n"}, "Broken")
    git(a, "push", "-q", "origin", "HEAD:main")
    ok(
        b,
        "submit",
        str(write(tmp_path / "aut.yaml", contribution("AUT", [{"op": "comment", "paragraph": "va-1", "text": "Ok."}]))),
        "-d",
        "AUT",
    )
    ok(b, "sync")


def test_git_dates_in_the_environment_do_not_date_rebased_commits(offices):
    _, a, b = offices
    ok(a, "decide", "MEX-2", "noted")
    ok(a, "sync")
    aut = contribution("AUT", [{"op": "comment", "paragraph": "va-1", "text": "Ok."}])
    ok(b, "submit", str(write(b.parent / "aut.yaml", aut)), "-d", "AUT")
    env = {"GIT_COMMITTER_DATE": "2001-01-01T00:00:00Z", "DRAFTING_CLOCK": "2026-07-20T10:00:00Z"}
    ok(b, "sync", env=env)
    assert git(b, "log", "-1", "--format=%cI") == "2026-07-20T10:00:00+00:00"
    assert git(b, "log", "-1", "--format=%ae") == as_author("AUT")["GIT_AUTHOR_EMAIL"]
