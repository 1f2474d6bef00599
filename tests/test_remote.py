"""Issue 7, git remotes: `drafting sync` between offices' clones and `drafting check` for
pull requests. Real bare repositories on disk, several clones, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, tree_state, write
from drafting.cli.main import main
from drafting.model.errors import DraftingError
from drafting.service import check as checks
from drafting.service.remote import sync
from drafting.store.remote import Change, Remote
from drafting.store.workspace import Workspace


def git(root: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check).stdout


def head(root: Path, ref: str = "HEAD") -> str:
    return git(root, "rev-parse", ref).strip()


def cli(root: Path, *args: str) -> int:
    return main(["--workspace", str(root), *args])


def comment(code: str, text: str, paragraph: str = "va-1", pid: str | None = None) -> str:
    """A contribution with one comment; written by hand into a workspace, it needs ``pid``."""
    ident = f"id: {pid}, " if pid else ""
    return (
        f"delegation: {code}\ndocument: action-plan\nround: r1\nproposals:\n"
        f"  - {{{ident}op: comment, paragraph: {paragraph}, text: '{text}'}}\n"
    )


def submit(root: Path, code: str, text: str, paragraph: str = "va-1") -> None:
    f = write(root.parent / "inbox" / f"{root.name}-{code}-{abs(hash(text))}.yaml", comment(code, text, paragraph))
    assert cli(root, "submit", str(f), "--delegation", code) == 0


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


# ============================================================================ check: workspace


def test_the_bundled_example_passes_check(example, capsys):
    assert cli(example, "check") == 0
    assert capsys.readouterr().out.startswith("Workspace valid: 2 documents")
    assert cli(example, "check", "--json") == 0
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] is True and res["problems"] == [] and res["counts"]["proposals"] >= 60


def test_check_reports_every_problem_one_per_line(tiny, capsys):
    submit(tiny, "MEX", "A comment.")
    assert cli(tiny, "decide", "MEX-1", "noted") == 0
    w = lambda rel, text: write(tiny / rel, text)  # noqa: E731
    w("contributions/action-plan/r1/FRA.yaml", comment("FRA", "x", paragraph="nope-9", pid="FRA-9"))
    w("contributions/action-plan/r1/AUT.yaml", comment("IDN", "wrong file", pid="IDN-9"))
    w("contributions/action-plan/r9/AUT.yaml", comment("AUT", "unknown round", pid="AUT-9"))
    w(
        "decisions/action-plan/r1.yaml",
        "MEX-1: {status: noted}\nFRA-77: {status: accepted}\nMEX-1x: {status: noted, by: MEX}\n",
    )
    w(
        "drafts/action-plan/rev1.yaml",
        "document: action-plan\nversion: rev1\nbased_on: rev0\nparagraphs:\n  - {id: a-1, text: Text.}\n",
    )
    w("drafts/action-plan/notes.txt", "stray")
    w("drafts/action-plan/loop-a.yaml", "document: action-plan\nversion: loop-a\nbased_on: loop-b\nparagraphs: []\n")
    w("drafts/action-plan/loop-b.yaml", "document: action-plan\nversion: loop-b\nbased_on: loop-a\nparagraphs: []\n")
    os.symlink("/etc/passwd", tiny / "contributions/action-plan/r1/ICRC.yaml")
    capsys.readouterr()
    assert cli(tiny, "check") == 2
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    expect = [
        "contributions/action-plan/r1/FRA.yaml: proposals[0].paragraph: unknown paragraph 'nope-9'",
        "contributions/action-plan/r1/AUT.yaml: delegation: the file is AUT's but says delegation: IDN",
        "contributions/action-plan/r9/AUT.yaml: 'r9' is not an input round of action-plan",
        "decisions/action-plan/r1.yaml: FRA-77: decides on FRA-77, but no contribution",
        "decisions/action-plan/r1.yaml: MEX-1x: decides on MEX-1x",
        "drafts/action-plan/rev1.yaml: based_on: names version 'rev0'",
        "drafts/action-plan/notes.txt: unexpected file",
        "drafts/action-plan/loop-a.yaml: based_on: the lineage of loop-a loops back",
        "contributions/action-plan/r1/ICRC.yaml: is a symbolic link",
    ]
    for e in expect:
        assert any(line.startswith(e) for line in lines), (e, lines)
    assert err.strip() == f"drafting: check found {len(lines)} problems"
    assert cli(tiny, "check", "--json") == 2
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] is False and len(res["problems"]) == len(lines)
    assert {"file", "where", "message", "line", "kind", "commit"} <= set(res["problems"][0])


def test_check_finds_reused_ids_and_decisions_by_non_presidency(tiny, capsys):
    submit(tiny, "MEX", "A comment.")
    write(tiny / "decisions/action-plan/r1.yaml", "MEX-1: {status: noted, by: ISU}\n")
    write(
        tiny / "drafts/action-plan/rev1.yaml",
        "document: action-plan\nversion: rev1\nbased_on: zero-draft\nparagraphs:\n  - {id: clr-1, text: One.}\n",
    )
    write(
        tiny / "drafts/action-plan/rev2.yaml",
        "document: action-plan\nversion: rev2\nbased_on: rev1\n"
        "paragraphs:\n  - {id: clr-1, text: One.}\n  - {id: va-1, text: Back.}\n",
    )
    capsys.readouterr()
    assert cli(tiny, "check") == 2
    out = capsys.readouterr().out
    assert "decisions/action-plan/r1.yaml: MEX-1.by: ISU (secretariat) may not decide" in out
    assert "drafts/action-plan/rev2.yaml: paragraphs[1].id: paragraph id va-1 was dropped" in out


def test_check_outside_a_workspace(tmp_path, capsys):
    assert main(["--workspace", str(tmp_path), "check"]) == 2
    assert "drafting.yaml: missing" in capsys.readouterr().out


# ============================================================================ check: commits


def commit_as(root: Path, who: str, files: dict[str, str | None], message: str = "change") -> str:
    """A commit made with plain git, as a delegation working in its fork would."""
    name, code = who.split("|") if "|" in who else (who, who)
    for rel, text in files.items():
        if text is None:
            (root / rel).unlink()
        else:
            write(root / rel, text)
    git(root, "add", "-A", "--", *files)
    email = code if "@" in code else f"{code}@delegations.invalid"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
    }
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)
    return head(root)


def test_pull_request_of_a_delegation_passes(tiny, capsys):
    base = head(tiny)
    submit(tiny, "MEX", "From the fork.")  # made by drafting submit
    commit_as(tiny, "MEX", {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "Edited by hand.", pid="MEX-9")})
    assert cli(tiny, "check", f"{base}..HEAD", "--delegation", "MEX") == 0
    out = capsys.readouterr().out
    assert "2 commits in" in out and "each touches only what its author may" in out
    assert cli(tiny, "check", base) == 0  # A alone means A..HEAD


RULES = [
    # (author, files, fragment of the expected problem or None when allowed)
    ("MEX", {"contributions/action-plan/r1/FRA.yaml": comment("FRA", "Forged.", pid="FRA-9")}, "not FRA's"),
    ("AUT", {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "Co-sponsor edits.", pid="MEX-9")}, "not MEX's"),
    ("MEX", {"decisions/action-plan/r1.yaml": "{}\n"}, "may only change its own contribution files"),
    ("MEX", {"drafting.yaml": None}, "may only change its own contribution files"),
    ("MEX", {".github/workflows/x.yml": "on: push\n"}, "may only change its own"),
    ("ICRC", {"contributions/action-plan/r1/ICRC.yaml": comment("ICRC", "Just a comment.", pid="ICRC-9")}, None),
    (
        "ICRC",
        {
            "contributions/action-plan/r1/ICRC.yaml": "delegation: ICRC\ndocument: action-plan\nround: r1\nproposals:\n"
            "  - {op: amend, paragraph: va-1, text: Observers may not amend.}\n"
        },
        "may only comment",
    ),
    ("LAO", {"decisions/action-plan/r1.yaml": "{}\n", "drafts/action-plan/rev1.yaml": "x: 1\n"}, None),
    (
        "LAO",
        {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "The Presidency may not.", pid="MEX-9")},
        "not MEX's",
    ),
    ("LAO", {"README.md": "x"}, "outside what the Presidency changes"),
    (
        "ISU",
        {
            "drafts/action-plan/rev1.yaml": "x: 1\n",
            "contributions/action-plan/r1/ISU.yaml": comment("ISU", "Own.", pid="ISU-9"),
        },
        None,
    ),
    ("ISU", {"decisions/action-plan/r1.yaml": "{}\n"}, "only the Presidency decides"),
    ("ISU", {"drafting.yaml": "x: 1\n"}, "outside what the secretariat changes"),
    (
        "Jane Doe|jane@example.org",
        {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "x", pid="MEX-9")},
        "is not a delegation",
    ),
    ("XYZ", {"contributions/action-plan/r1/XYZ.yaml": comment("XYZ", "x", pid="XYZ-9")}, "not a delegation listed"),
    ("mex", {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "x", pid="MEX-9")}, "not a delegation"),
]


@pytest.mark.parametrize("i", range(len(RULES)))
def test_each_commit_touches_only_what_its_author_may(tiny, capsys, i):
    who, files, expected = RULES[i]
    base = head(tiny)
    sha = commit_as(tiny, who, files)
    capsys.readouterr()
    rc = cli(tiny, "check", f"{base}..HEAD", "--json")
    problems = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["kind"] == "permission"]
    if expected is None:
        assert problems == []
    else:
        assert rc == 2 and problems and all(p["commit"] == sha for p in problems)
        assert any(expected in p["message"] for p in problems), problems


def test_range_check_catches_links_deletions_merges_and_self_promotion(tiny, capsys):
    submit(tiny, "MEX", "Mine.")
    base = head(tiny)
    # a symbolic link, even to its own file's name
    os.symlink("/etc/passwd", tiny / "contributions/action-plan/r1/FRA.yaml")
    git(tiny, "add", "contributions/action-plan/r1/FRA.yaml")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "France",
        "GIT_AUTHOR_EMAIL": "FRA@delegations.invalid",
        "GIT_COMMITTER_NAME": "c",
        "GIT_COMMITTER_EMAIL": "c@c",
    }
    subprocess.run(["git", "commit", "-q", "-m", "link"], cwd=tiny, env=env, check=True)
    # deleting one's own submitted inputs
    commit_as(tiny, "MEX", {"contributions/action-plan/r1/MEX.yaml": None})
    # a delegation promoting itself to the Presidency in drafting.yaml, then deciding
    cfg = (
        (tiny / "drafting.yaml")
        .read_text()
        .replace("role: state-party}\n  - {code: FRA", "role: presidency}\n  - {code: FRA", 1)
    )
    commit_as(tiny, "MEX", {"drafting.yaml": cfg})
    commit_as(tiny, "MEX", {"decisions/action-plan/r1.yaml": "{}\n"})
    # a merge whose own change touches another's file (an "evil merge")
    git(tiny, "checkout", "-q", "-b", "side", base)
    commit_as(tiny, "AUT", {"contributions/action-plan/r1/AUT.yaml": comment("AUT", "side", pid="AUT-9")})
    git(tiny, "checkout", "-q", "main")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Austria",
        "GIT_AUTHOR_EMAIL": "AUT@delegations.invalid",
        "GIT_COMMITTER_NAME": "c",
        "GIT_COMMITTER_EMAIL": "c@c",
    }
    subprocess.run(["git", "merge", "-q", "--no-ff", "--no-commit", "side"], cwd=tiny, env=env, check=True)
    write(tiny / "contributions/action-plan/r1/IDN.yaml", comment("IDN", "evil", pid="IDN-9"))
    git(tiny, "add", "-A")
    subprocess.run(["git", "commit", "-q", "-m", "merge"], cwd=tiny, env=env, check=True)
    capsys.readouterr()
    assert cli(tiny, "check", f"{base}..HEAD") == 2
    out = capsys.readouterr().out
    assert "FRA.yaml: commit" in out and "adds a symbolic link" in out
    assert "deletes MEX's submitted inputs" in out
    assert "drafting.yaml: commit" in out
    assert "decisions/action-plan/r1.yaml: commit" in out  # roles come from the base, not the PR
    assert "IDN.yaml: commit" in out and "not IDN's" in out
    assert "AUT.yaml: commit" not in out  # the merged-in commit itself is AUT's own file


@pytest.mark.parametrize(
    "rng,expected",
    [
        ("HEAD..--output=/tmp/drafting-pwned", "is not a revision"),
        ("--output=/tmp/drafting-pwned", "is not a revision"),
        ("nope..HEAD", "unknown revision 'nope'"),
        ("HEAD...HEAD", "give a range as A..B"),
        ("..HEAD", "needs its start"),
    ],
)
def test_bad_ranges_are_refused(tiny, rng, expected):
    r = run_cli("--workspace", str(tiny), "check", "--", rng)
    assert r.returncode == 2 and expected in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not Path("/tmp/drafting-pwned").exists()


def test_delegation_pin_and_permission_rules_pure(tiny, capsys):
    base = head(tiny)
    commit_as(tiny, "MEX", {"contributions/action-plan/r1/MEX.yaml": comment("MEX", "x", pid="MEX-9")})
    assert cli(tiny, "check", f"{base}..HEAD", "--delegation", "FRA") == 2
    assert "only FRA's commits are expected" in capsys.readouterr().out
    with pytest.raises(DraftingError, match="goes with a range"):
        checks.run_check(tiny, None, delegation="MEX")
    cfg = Workspace(tiny).config
    mex, lao = cfg.delegation("MEX"), cfg.delegation("LAO")
    own = "contributions/political-declaration/pd-r1/MEX.yaml"
    assert checks.permission_problem(mex, Change(own, "100644", "A")) is None
    assert "submodule" in checks.permission_problem(lao, Change("drafts/x", "160000", "A"))
    assert checks.permission_problem(lao, Change("drafts/action-plan/x.yaml", "000000", "D")) is None
    assert checks.author_code("MEX@delegations.invalid") == "MEX"
    assert checks.author_code("MEX@delegations.invalid.evil.org") is None
    assert checks.author_code("MEX@example.org") is None


def test_ci_examples_run_the_check_on_the_pull_request_range():
    gh = (ROOT / "examples/ci/github-actions.yml").read_text()
    gl = (ROOT / "examples/ci/gitlab-ci.yml").read_text()
    from drafting.store import yamlio

    for name, text in (("github", gh), ("gitlab", gl)):
        assert isinstance(yamlio.loads(text, name), dict)
        assert "drafting check" in text and "..HEAD" in text
        assert "fetch-depth: 0" in text or "GIT_DEPTH" in text
    on = yamlio.loads(gh, "github")["on"]
    assert "pull_request" in on and "pull_request_target" not in on  # a fork's PR gets no secrets
    assert yamlio.loads(gh, "github")["permissions"] == {"contents": "read"}
    doc = (ROOT / "docs/submitting-by-pull-request.md").read_text()
    assert "fork" in doc and "drafting check" in doc and "@delegations.invalid" in doc
