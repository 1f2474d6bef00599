"""`drafting check`: the whole workspace (every problem, one per line) and a range of
commits (each touches only what its author may), as a pull request's CI runs it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, write
from drafting.cli.main import main
from drafting.model.errors import DraftingError
from drafting.service import check as checks
from drafting.store.remote import Change
from drafting.store.workspace import Workspace
from workspaces import cli, comment, commit_as, git, head, submit

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
