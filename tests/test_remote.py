"""`drafting sync` between offices' clones of a workspace: real bare repositories on
disk, several clones, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, tree_state, write
from drafting.model.errors import Conflict
from drafting.service.remote import sync
from drafting.store.remote import Remote
from drafting.store.workspace import Workspace
from workspaces import cli, comment, git, head, submit


@pytest.fixture
def offices(tiny, tmp_path):
    """A bare 'origin' made from the tiny workspace, and two offices' clones of it."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(tiny), str(origin))
    clones = []
    for name in ("capital", "geneva"):
        git(tmp_path, "clone", "-q", str(origin), str(tmp_path / name))
        clones.append(tmp_path / name)
    return origin, clones[0], clones[1]


def files_at(root: Path, ref: str = "HEAD") -> set[str]:
    return set(git(root, "ls-tree", "-r", "--name-only", ref).split())


# ============================================================================ sync


def test_two_offices_submitting_at_once_both_end_up_everywhere(offices):
    origin, capital, geneva = offices
    submit(capital, "MEX", "From the capital.")
    submit(geneva, "FRA", "From Geneva.")
    submit(geneva, "AUT", "Also from Geneva.")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(w), "sync", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in (capital, geneva)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    results = [json.loads(o) for o, _ in outs]
    assert sorted(len(r["pushed"]) for r in results) == [1, 2]
    # whoever pushed first lacks the other's commits until its next sync
    for w in (capital, geneva):
        assert cli(w, "sync") == 0
    wanted = {f"contributions/action-plan/r1/{c}.yaml" for c in ("MEX", "FRA", "AUT")}
    for repo in (origin, capital, geneva):
        assert wanted <= files_at(repo)
    assert head(capital) == head(geneva) == head(origin, "main")
    # a line of whole commits, each still authored by its delegation; nothing lost, nothing merged
    log = git(capital, "log", "--format=%an|%P", "-3").splitlines()
    assert sorted(x.split("|")[0] for x in log) == ["Austria (AUT)", "France (FRA)", "Mexico (MEX)"]
    assert all(len(x.split("|")[1].split()) == 1 for x in log)
    for w in (capital, geneva):
        assert git(w, "status", "--porcelain") == ""
        git(w, "fsck", "--strict")
        assert len(Workspace(w).proposals("action-plan", "r1")) == 3


def test_sync_does_not_push_inputs_that_its_rebase_dates_after_the_deadline(offices):
    """A submission made on time offline is pushed as it was; rebased onto the others'
    commits after the deadline, it would be on record as late ('check' judges by the
    committer date): sync keeps it here and says why, pushing nothing."""
    from drafting.service import clock

    origin, capital, geneva = offices
    with clock.fixed("2030-07-10T09:00:00Z"):
        submit(geneva, "FRA", "From Geneva, on time.")
        assert cli(geneva, "sync") == 0  # nothing to rebase: pushed as made
        submit(capital, "MEX", "From the capital, on time.")
    ours = head(capital)
    with clock.fixed("2030-07-20T09:00:00Z"), pytest.raises(Conflict) as err:  # after the deadline (15 July)
        sync(capital)
    assert "contributions/action-plan/r1/MEX.yaml" in str(err.value) and "outside the round" in str(err.value)
    assert "nothing was changed or lost" in str(err.value)
    assert head(capital) == ours and "contributions/action-plan/r1/MEX.yaml" not in files_at(origin, "main")
    assert git(capital, "status", "--porcelain") == ""
    # before the deadline the same sync rebases and pushes it
    with clock.fixed("2030-07-14T09:00:00Z"):
        assert sync(capital).pushed
    assert "contributions/action-plan/r1/MEX.yaml" in files_at(origin, "main")


def test_push_race_is_retried(offices, monkeypatch, tmp_path, capsys):
    """Someone pushes between our fetch and our push: sync fetches, rebases and pushes again."""
    origin, capital, _geneva = offices
    third = tmp_path / "secretariat"
    git(tmp_path, "clone", "-q", str(origin), str(third))
    submit(capital, "MEX", "Mine.")
    submit(third, "IDN", "Sneaked in.")
    real_fetch = Remote.fetch
    calls = {"n": 0}

    def fetch_then_someone_pushes(self):
        real_fetch(self)
        calls["n"] += 1
        if calls["n"] == 1:  # after our first fetch, the secretariat pushes
            assert sync(third).pushed

    monkeypatch.setattr(Remote, "fetch", fetch_then_someone_pushes)
    capsys.readouterr()
    assert cli(capital, "sync", "--json") == 0
    res = json.loads(capsys.readouterr().out)
    assert res["attempts"] == 2 and [c["author"] for c in res["pushed"]] == ["Mexico (MEX)"]
    assert [c["author"] for c in res["fetched"]] == ["Indonesia (IDN)"]
    assert {"contributions/action-plan/r1/MEX.yaml", "contributions/action-plan/r1/IDN.yaml"} <= files_at(origin)


def test_true_conflict_stops_with_one_line_and_loses_nothing(offices):
    origin, capital, geneva = offices
    submit(geneva, "MEX", "Wording of Geneva.")
    assert cli(geneva, "sync") == 0
    submit(capital, "MEX", "Wording of the capital.")
    submit(capital, "FRA", "Unrelated, also local.")
    before, origin_before = tree_state(capital), head(origin, "main")
    local = git(capital, "log", "--format=%H", "origin/main..HEAD").split()
    r = run_cli("--workspace", str(capital), "sync")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "contributions/action-plan/r1/MEX.yaml" in lines[0] and "nothing was changed or lost" in lines[0]
    assert "2 local commits kept" in lines[0]
    # nothing changed: same HEAD, same files, clean tree, no rebase left behind, remote untouched
    assert tree_state(capital) == before and git(capital, "status", "--porcelain") == ""
    assert not (capital / ".git" / "rebase-merge").exists() and not (capital / ".git" / "rebase-apply").exists()
    assert git(capital, "log", "--format=%H", "origin/main..HEAD").split() == local
    assert head(origin, "main") == origin_before
    # the office resolves by keeping the remote's version of MEX's file: drop its own MEX
    # commit (local[1]; local[0] is the FRA commit on top), then sync again
    git(
        capital, "-c", "user.name=x", "-c", "user.email=x@x", "rebase", "-q", "--onto", f"{local[1]}^", local[1], "main"
    )
    assert cli(capital, "sync") == 0
    assert "contributions/action-plan/r1/FRA.yaml" in files_at(origin)
    assert "Wording of Geneva." in git(origin, "show", "main:contributions/action-plan/r1/MEX.yaml")


def test_decisions_on_different_proposals_merge_but_same_proposal_conflicts(offices, capsys):
    _origin, capital, geneva = offices
    for code in ("AUT", "FRA", "IDN", "MEX"):
        submit(capital, code, f"Comment of {code}.")
    for pid in ("AUT-1", "FRA-1", "IDN-1", "MEX-1"):
        assert cli(capital, "decide", pid, "noted") == 0
    assert cli(capital, "sync") == 0 and cli(geneva, "sync") == 0
    # the capital re-decides the first entry, Geneva the last: git merges the two
    assert cli(capital, "decide", "AUT-1", "addressed", "--note", "in the capital") == 0
    assert cli(geneva, "decide", "MEX-1", "addressed", "--note", "in Geneva") == 0
    assert cli(geneva, "sync") == 0
    capsys.readouterr()
    assert cli(capital, "sync", "--json") == 0
    res = json.loads(capsys.readouterr().out)
    assert res["merged"] == ["decisions/action-plan/r1.yaml"]
    d = Workspace(capital).decisions("action-plan", "r1")
    assert d["AUT-1"].note == "in the capital" and d["MEX-1"].note == "in Geneva"
    # both decide the same proposal differently: a true conflict
    assert cli(geneva, "sync") == 0
    assert cli(capital, "decide", "FRA-1", "addressed") == 0
    assert cli(geneva, "decide", "FRA-1", "noted", "--note", "no") == 0
    assert cli(geneva, "sync") == 0
    before = tree_state(capital)
    capsys.readouterr()
    assert cli(capital, "sync") == 2
    assert "decisions/action-plan/r1.yaml" in capsys.readouterr().err
    assert tree_state(capital) == before


def test_sync_holds_the_write_lock_while_rebasing(offices, monkeypatch, tmp_path):
    """A submit started during the rebase waits for it, then lands on top: nothing interleaves."""
    _origin, capital, geneva = offices
    submit(geneva, "FRA", "Geneva first.")
    assert cli(geneva, "sync") == 0
    submit(capital, "MEX", "Capital.")
    late = write(tmp_path / "late.yaml", comment("AUT", "Submitted during the sync.", pid="AUT-9"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    real_rebase = Remote.rebase
    seen = {}

    def slow_rebase(self, onto, **kw):
        seen["proc"] = subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(capital), "submit", str(late), "-d", "AUT"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)
        seen["waiting"] = seen["proc"].poll() is None
        real_rebase(self, onto, **kw)

    monkeypatch.setattr(Remote, "rebase", slow_rebase)
    res = sync(capital)
    _out, err = seen["proc"].communicate(timeout=60)
    assert seen["waiting"] and seen["proc"].returncode == 0, err
    assert [c.author for c in res.pushed] == ["Mexico (MEX)"]
    # the late submission sits on top of the rebased history, not pushed yet, not lost
    assert git(capital, "log", "--format=%an", "-3").splitlines() == ["Austria (AUT)", "Mexico (MEX)", "France (FRA)"]
    assert git(capital, "status", "--porcelain") == ""
    assert sync(capital).pushed[0].author == "Austria (AUT)"


def test_a_sync_killed_mid_rebase_is_undone_by_the_next_command(offices):
    _origin, capital, geneva = offices
    submit(geneva, "MEX", "Geneva.")
    assert cli(geneva, "sync") == 0
    submit(capital, "MEX", "Capital.")
    mine = head(capital)
    git(capital, "fetch", "-q", "origin")
    # what a sync killed in the middle of its rebase leaves: the marker and a rebase in progress
    (capital / ".git" / "drafting-sync").write_text(json.dumps({"branch": "main", "head": mine}))
    git(capital, "-c", "user.name=x", "-c", "user.email=x@x", "rebase", "origin/main", check=False)
    assert (capital / ".git" / "rebase-merge").exists() or (capital / ".git" / "rebase-apply").exists()
    submit(capital, "FRA", "The next command.")
    assert git(capital, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(capital, "rev-parse", "HEAD~1").strip() == mine
    assert git(capital, "status", "--porcelain") == ""


def test_a_sync_killed_too_early_for_git_to_abort_is_undone_too(offices):
    """Killed while git was still setting its rebase up: `rebase --abort` cannot help;
    the branch is re-attached and the work tree reset to its tip."""
    _origin, capital, _geneva = offices
    submit(capital, "MEX", "Capital.")
    mine = head(capital)
    git(capital, "checkout", "-q", "--detach", "HEAD~1")
    (capital / ".git" / "rebase-merge").mkdir()
    (capital / ".git" / "drafting-sync").write_text(json.dumps({"branch": "main", "head": mine}))
    submit(capital, "FRA", "The next command.")
    assert git(capital, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert head(capital, "HEAD~1") == mine
    assert not (capital / ".git" / "rebase-merge").exists()
    assert git(capital, "status", "--porcelain") == ""


def test_first_push_to_an_empty_remote_and_up_to_date(tiny, tmp_path, capsys):
    bare = tmp_path / "empty.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(tiny, "remote", "add", "hub", str(bare))
    assert cli(tiny, "sync", "--remote", "hub") == 0
    out = capsys.readouterr().out
    assert "Pushed 2 commits to hub/main" in out
    assert head(bare, "main") == head(tiny)
    assert cli(tiny, "sync", "--remote", "hub") == 0
    assert "Already up to date with hub/main." in capsys.readouterr().out


@pytest.mark.parametrize(
    "setup,args,expected",
    [
        (None, ["sync"], "no git remote named 'origin'"),
        (None, ["sync", "--remote=--upload-pack=touch /tmp/drafting-sync-pwned"], "not a valid remote name"),
        (None, ["sync", "--remote", "../../x"], "not a valid remote name"),
        ("dirty", ["sync", "--remote", "hub"], "not committed"),
        ("detached", ["sync", "--remote", "hub"], "detached"),
        ("gone", ["sync", "--remote", "hub"], "could not fetch from hub"),
    ],
)
def test_sync_refusals_are_one_line(tiny, tmp_path, setup, args, expected):
    bare = tmp_path / "hub.git"
    git(tmp_path, "clone", "-q", "--bare", str(tiny), str(bare))
    if setup:
        git(tiny, "remote", "add", "hub", str(bare))
    if setup == "dirty":
        (tiny / "drafts/action-plan/zero-draft.yaml").write_text("document: action-plan\n")
    if setup == "detached":
        git(tiny, "checkout", "-q", "--detach")
    if setup == "gone":
        import shutil

        shutil.rmtree(bare)
    before = tree_state(tiny)
    r = run_cli("--workspace", str(tiny), *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and expected in r.stderr, r.stderr
    assert tree_state(tiny) == before
    assert not Path("/tmp/drafting-sync-pwned").exists()
