"""The workspace, inputs, decisions and history, against real git and real files."""

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
from drafting.store import yamlio
from drafting.store.workspace import Workspace

MEX = """\
delegation: MEX
document: action-plan
round: r1
base: zero-draft
co_sponsors: [AUT]
proposals:
  - op: amend
    paragraph: clr-1
    text: Each State Party shall complete the clearance of all cluster munition remnants by 2030.
    rationale: A date makes the commitment measurable.
  - {op: insert, after: clr-2, kind: action, text: States Parties will share clearance data openly.}
  - {op: delete, paragraph: va-1}
  - {op: comment, paragraph: clr-2, text: Consider annual targets.}
"""


def cli(root: Path, *args: str) -> int:
    return main(["--workspace", str(root), *args])


def submit(root: Path, text: str, code: str, name: str = "input.yaml", *extra: str) -> int:
    f = write(root.parent / "inbox" / f"{code}-{name}", text)
    return cli(root, "submit", str(f), "--delegation", code, *extra)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------------------- submit


def test_submit_writes_one_commit_authored_by_the_delegation(tiny, capsys):
    before = git(tiny, "rev-list", "--count", "HEAD")
    assert submit(tiny, MEX, "MEX", "x.yaml", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in out["proposals"]] == ["MEX-1", "MEX-2", "MEX-3", "MEX-4"]
    assert out["co_sponsors"] == ["AUT"]
    assert int(git(tiny, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert git(tiny, "log", "-1", "--format=%an <%ae>").strip() == "Mexico (MEX) <MEX@delegations.invalid>"
    assert git(tiny, "show", "--name-only", "--format=", "HEAD").split() == ["contributions/action-plan/r1/MEX.yaml"]
    assert git(tiny, "status", "--porcelain") == ""
    ws = Workspace(tiny)
    props = ws.proposals("action-plan", "r1")
    assert props[0].co_sponsors == ("AUT",) and props[0].rationale.startswith("A date")


def test_resubmission_replaces_the_file_and_keeps_ids(tiny, capsys):
    assert submit(tiny, MEX, "MEX") == 0
    second = MEX.replace("Consider annual targets.", "'Consider annual, public targets.'")
    second = second.replace("  - {op: delete, paragraph: va-1}\n", "")
    assert submit(tiny, second, "MEX", "again.yaml", "--json") == 0
    ws = Workspace(tiny)
    ids = {p.text or p.op: p.id for p in ws.proposals("action-plan", "r1")}
    assert ids["States Parties will share clearance data openly."] == "MEX-2"
    assert ids["Consider annual, public targets."] == "MEX-5"  # changed: a new id, never a reused one
    assert len(ws.proposals("action-plan", "r1")) == 3
    log = git(tiny, "log", "--format=%s", "--", "contributions/action-plan/r1/MEX.yaml").splitlines()
    assert len(log) == 2 and log[0].startswith("Resubmit")


def test_proposals_json_has_the_contract_fields(tiny, capsys):
    submit(tiny, MEX, "MEX")
    capsys.readouterr()
    assert cli(tiny, "proposals", "action-plan", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    head = git(tiny, "rev-parse", "HEAD").strip()
    for r in rows:
        assert {
            "id",
            "delegation",
            "co_sponsors",
            "op",
            "paragraph",
            "after",
            "text",
            "status",
            "round",
            "base",
            "commit",
        } <= set(r)
        assert r["commit"] == head and r["status"] == "open" and r["base"] == "zero-draft"
    ins = next(r for r in rows if r["op"] == "insert")
    assert ins["after"] == "clr-2" and ins["paragraph"] is None
    # filters
    assert cli(tiny, "proposals", "action-plan", "--paragraph", "clr-2", "--json") == 0
    assert {r["id"] for r in json.loads(capsys.readouterr().out)} == {"MEX-2", "MEX-4"}
    assert cli(tiny, "proposals", "action-plan", "--delegation", "AUT", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 4  # co-sponsor sees the joint proposals


def test_json_is_one_line_in_a_pipe_and_indented_on_a_terminal(tiny, capsys, monkeypatch):
    submit(tiny, MEX, "MEX")
    r = run_cli("--workspace", str(tiny), "proposals", "action-plan", "--json")
    assert r.returncode == 0 and r.stdout.count("\n") == 1 and len(json.loads(r.stdout)) == 4
    capsys.readouterr()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli(tiny, "proposals", "action-plan", "--json") == 0
    out = capsys.readouterr().out
    assert out.startswith("[\n  {") and json.loads(out) == json.loads(r.stdout)


def test_signatory_and_secretariat_may_propose_observer_may_comment(tiny):
    text = MEX.replace("MEX", "IDN").replace("co_sponsors: [AUT]\n", "")
    assert submit(tiny, text, "IDN") == 0
    obs = "delegation: ICRC\ndocument: action-plan\nround: r1\nproposals:\n  - {op: comment, paragraph: va-1, text: Include psychosocial support.}\n"
    assert submit(tiny, obs, "ICRC") == 0


# ---------------------------------------------------------------------------- decide


def test_decide_records_status_and_keeps_comments(tiny, capsys):
    submit(tiny, MEX, "MEX")
    assert cli(tiny, "decide", "MEX-1", "accepted", "--note", "welcome") == 0
    path = tiny / "decisions/action-plan/r1.yaml"
    # a human adds a comment; the tool's next rewrite keeps it and the order
    path.write_text(path.read_text().replace("MEX-1:", "# reviewed on Monday\nMEX-1:"))
    subprocess.run(
        ["git", "commit", "-qam", "note", "--author", "x <x@x>"],
        cwd=tiny,
        check=True,
        env={"GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@x", "PATH": "/usr/bin:/bin"},
    )
    assert cli(tiny, "decide", "MEX-2", "modified", "--text", "States Parties will share clearance data.") == 0
    assert cli(tiny, "decide", "MEX-4", "addressed") == 0
    text = path.read_text()
    assert "# reviewed on Monday" in text
    assert text.index("MEX-1") < text.index("MEX-2") < text.index("MEX-4")
    assert git(tiny, "log", "-1", "--format=%an").strip() == "Lao People's Democratic Republic (LAO)"
    capsys.readouterr()
    cli(tiny, "proposals", "action-plan", "--json")
    status = {r["id"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert status == {"MEX-1": "accepted", "MEX-2": "modified", "MEX-3": "open", "MEX-4": "addressed"}
    assert cli(tiny, "decide", "MEX-1", "open") == 0
    assert "MEX-1" not in yamlio.loads(path.read_bytes(), "d")


def test_log_reads_submissions_decisions_and_versions(tiny, capsys):
    submit(tiny, MEX, "MEX")
    cli(tiny, "decide", "MEX-1", "rejected", "--note", "too strict")
    capsys.readouterr()
    assert cli(tiny, "log", "action-plan", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    kinds = [r["kind"] for r in rows]
    assert kinds[:2] == ["decide", "submit"] and "version" in kinds
    assert rows[1]["author"] == "Mexico (MEX)" and rows[1]["delegation"] == "MEX"
    assert rows[0]["proposal"] == "MEX-1" and rows[0]["date"]


# ---------------------------------------------------------------------------- refusals

BAD_SUBMISSIONS = {
    "malformed YAML": ("delegation: MEX\nproposals: [\n", "MEX", "line 3"),
    "unknown paragraph": (MEX.replace("paragraph: clr-1", "paragraph: clr-99"), "MEX", "unknown paragraph 'clr-99'"),
    "unknown round": (MEX.replace("round: r1", "round: r9"), "MEX", "unknown round 'r9'"),
    "unknown document": (MEX.replace("document: action-plan", "document: treaty"), "MEX", "unknown document 'treaty'"),
    "unknown delegation": (MEX.replace("MEX", "XYZ"), "XYZ", "unknown delegation 'XYZ'"),
    "delegation mismatch": (MEX, "FRA", "submitted with --delegation FRA"),
    "observer proposing text": (
        MEX.replace("MEX", "ICRC").replace("co_sponsors: [AUT]\n", ""),
        "ICRC",
        "may only comment",
    ),
    "duplicate ids": (
        MEX.replace("  - op: amend\n", "  - id: MEX-1\n    op: amend\n").replace(
            "{op: delete,", "{id: MEX-1, op: delete,"
        ),
        "MEX",
        "used twice",
    ),
    "empty amendment": (
        MEX.replace(
            "text: Each State Party shall complete the clearance of all cluster munition remnants by 2030.", "text: ''"
        ),
        "MEX",
        "is empty",
    ),
    "amendment changing nothing": (
        MEX.replace("all cluster munition remnants by 2030", "cluster munition remnants as soon as possible"),
        "MEX",
        "changes nothing",
    ),
    "old base": (MEX.replace("base: zero-draft", "base: rev0"), "MEX", "rewrite them against zero-draft"),
    "unknown operation": (MEX.replace("op: amend", "op: rewrite"), "MEX", "not an operation"),
    "unknown field": (
        MEX.replace("    rationale:", "    urgency: high\n    rationale:"),
        "MEX",
        "unknown field urgency",
    ),
    "unknown co-sponsor": (MEX.replace("[AUT]", "[ZZZ]"), "MEX", "unknown delegation 'ZZZ'"),
    "alias bomb": ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "MEX", "not allowed"),
    "python object tag": ("delegation: !!python/object/apply:os.system [echo hi]\n", "MEX", "tags"),
}


@pytest.mark.parametrize("case", sorted(BAD_SUBMISSIONS))
def test_bad_submission_one_line_exit_2_workspace_unchanged(tiny, case):
    text, code, expected = BAD_SUBMISSIONS[case]
    f = write(tiny.parent / "bad.yaml", text)
    before = tree_state(tiny)
    r = run_cli("--workspace", str(tiny), "submit", str(f), "--delegation", code)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert expected in lines[0]
    assert tree_state(tiny) == before


def test_non_utf8_file_is_refused(tiny):
    f = tiny.parent / "latin1.yaml"
    f.write_bytes(MEX.replace("Consider annual targets.", "Consid\xe9rer.").encode("latin-1"))
    before = tree_state(tiny)
    r = run_cli("--workspace", str(tiny), "submit", str(f), "--delegation", "MEX")
    assert r.returncode == 2 and "not UTF-8" in r.stderr and str(f) in r.stderr
    assert tree_state(tiny) == before


@pytest.mark.parametrize(
    "args,expected",
    [
        (["decide", "MEX-1", "accepted", "--by", "MEX"], "only the Presidency decides"),
        (["decide", "MEX-1", "accepted", "--by", "ISU"], "only the Presidency decides"),
        (["decide", "MEX-1", "accepted", "--by", "NOPE"], "unknown delegation"),
        (["decide", "MEX-77", "accepted"], "unknown proposal 'MEX-77'"),
        (["decide", "MEX-1", "modified"], "give --text"),
        (["decide", "MEX-4", "accepted"], "is a comment"),
        (["decide", "MEX-1", "noted"], "is for comments"),
        (["decide", "MEX-1", "approved"], "'approved' is not a status"),
        (["proposals", "treaty"], "unknown document"),
        (["proposals", "action-plan", "--round", "pd-r1"], "is for political-declaration"),
    ],
)
def test_bad_decisions_and_queries(tiny, args, expected):
    assert submit(tiny, MEX, "MEX") == 0
    before = tree_state(tiny)
    r = run_cli("--workspace", str(tiny), *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and expected in r.stderr, r.stderr
    assert tree_state(tiny) == before


def test_not_a_workspace(tmp_path):
    r = run_cli("--workspace", str(tmp_path), "proposals", "action-plan")
    assert r.returncode == 2 and "not a drafting workspace" in r.stderr


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    r = run_cli("init", str(tmp_path / "x"))
    assert r.returncode == 2 and "not empty" in r.stderr
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------------------- the deadline minute


def test_deadline_minute_many_processes_submit_at_once(tmp_path):
    """24 delegations in 24 separate processes submit at the same moment: all committed."""
    from conftest import TINY_DRAFT
    from drafting.service.identity import identity
    from drafting.service.setup import init

    codes = [f"S{i:02d}" for i in range(24)]
    config = (
        "conference: Deadline\npresidency: LAO\ndocuments:\n  action-plan: {title: Plan}\n"
        "delegations:\n  - {code: LAO, name: Laos, role: presidency}\n"
        + "".join(f"  - {{code: {c}, name: State {c}, role: state-party}}\n" for c in codes)
        + "rounds:\n  - {id: r1, document: action-plan, base: zero-draft}\n"
    )
    root = tmp_path / "ws"
    init(root)
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit(
            {"drafting.yaml": config.encode(), "drafts/action-plan/zero-draft.yaml": TINY_DRAFT.encode()},
            "zero",
            identity(ws.config.presidency_delegation),
        )
    files = [
        write(
            tmp_path / f"{c}.yaml",
            f"delegation: {c}\ndocument: action-plan\nround: r1\nproposals:\n"
            f"  - {{op: comment, paragraph: clr-1, text: Comment of {c}.}}\n"
            f"  - {{op: amend, paragraph: clr-2, text: States Parties will report on land release ({c}).}}\n",
        )
        for c in codes
    ]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    import os

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(root), "submit", str(f), "--delegation", c],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c, f in zip(codes, files, strict=True)
    ]
    results = [(p.wait(timeout=240), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    log = git(root, "log", "--format=%an", "--", "contributions").splitlines()
    assert sorted(log) == sorted(f"State {c} ({c})" for c in codes)
    assert git(root, "status", "--porcelain") == ""
    subprocess.run(["git", "fsck", "--strict"], cwd=root, check=True, capture_output=True)
    # each commit touches exactly one contribution file: nothing interleaved
    for sha in git(root, "log", "--format=%H", "--", "contributions").split():
        assert len(git(root, "show", "--name-only", "--format=", sha).split()) == 1
    assert len(Workspace(root).proposals("action-plan", "r1")) == 48


# ---------------------------------------------------------------------------- storage


def test_yaml_errors_name_the_place():
    with pytest.raises(DraftingError, match=r"f.yaml: line 3, column \d+"):
        yamlio.loads("a: 1\nb: [\n", "f.yaml")
    with pytest.raises(DraftingError, match="nested more than"):
        yamlio.loads("[" * 200 + "]" * 200, "f.yaml")
    with pytest.raises(DraftingError, match="NUL"):
        yamlio.loads(b"a: \x00\n", "f.yaml")
    with pytest.raises(DraftingError, match="duplicate key"):
        yamlio.loads("a: 1\na: 2\n", "f.yaml")


def test_validation_lists_every_problem(tiny):
    from drafting.model.errors import ValidationError
    from drafting.model.validate import parse_contribution

    ws = Workspace(tiny)
    data = yamlio.loads(
        MEX.replace("clr-1", "nope-1").replace("op: delete", "op: erase").replace("[AUT]", "[ZZZ]"), "f.yaml"
    )
    with pytest.raises(ValidationError) as e:
        parse_contribution(data, "f.yaml", config=ws.config, base=ws.version("action-plan", "zero-draft"))
    places = [p.where for p in e.value.problems]
    assert "co_sponsors[0]" in places
    assert e.value.problems[0].file == "f.yaml" and len(e.value.problems) >= 2


def test_a_yaml_resubmission_replaces_only_the_undecided_proposals(tiny):
    """A decided proposal is never the user's burden: a YAML file that leaves it out keeps it
    as it was (with its id and first date); the undecided ones are replaced by the file's."""
    assert submit(tiny, MEX, "MEX") == 0
    assert cli(tiny, "decide", "MEX-1", "accepted") == 0
    first = {p.id: p for p in Workspace(tiny).proposals("action-plan", "r1")}
    dropped = MEX.replace("  - op: amend\n    paragraph: clr-1\n", "  - op: amend\n    paragraph: clr-2\n").replace(
        "Each State Party shall complete the clearance of all cluster munition remnants by 2030.",
        "States Parties will report annually on progress in land release and clearance.",
    )
    f = write(tiny.parent / "again.yaml", dropped)
    import datetime as dt

    later = {"DRAFTING_CLOCK": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(timespec="seconds")}
    r = run_cli("--workspace", str(tiny), "submit", str(f), "--delegation", "MEX", env=later)
    assert r.returncode == 0, r.stderr
    now = {p.id: p for p in Workspace(tiny).proposals("action-plan", "r1")}
    assert now["MEX-1"] == first["MEX-1"]  # decided: kept as it was, its date too
    assert {now[i].submitted for i in ("MEX-2", "MEX-3", "MEX-4")} == {first["MEX-2"].submitted}  # the same: kept
    (new,) = [p for p in now.values() if p.id not in first]
    assert new.paragraph == "clr-2" and new.submitted != first["MEX-1"].submitted


def test_a_yaml_resubmission_may_not_change_a_decided_proposal(tiny):
    assert submit(tiny, MEX, "MEX") == 0
    assert cli(tiny, "decide", "MEX-1", "accepted") == 0
    changed = MEX.replace(
        "  - op: amend\n    paragraph: clr-1\n", "  - id: MEX-1\n    op: amend\n    paragraph: clr-1\n"
    )
    changed = changed.replace("by 2030.", "by 2031.")
    before = tree_state(tiny)
    f = write(tiny.parent / "again.yaml", changed)
    r = run_cli("--workspace", str(tiny), "submit", str(f), "--delegation", "MEX")
    assert r.returncode == 2 and "MEX-1 was already decided (accepted)" in r.stderr
    assert str(f) in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert tree_state(tiny) == before


def test_init_example_replays_each_submission_as_a_commit_by_its_delegation(example):
    log = git(example, "log", "--reverse", "--format=%an|%aI|%s").splitlines()
    authors = [line.split("|")[0] for line in log]
    assert authors[0] == "Lao People's Democratic Republic (LAO)"
    submissions = [line for line in log if "|Submit " in line]
    assert len(submissions) >= 12
    assert "Mexico (MEX)" in authors and "International Committee of the Red Cross (ICRC)" in authors
    assert all(line.split("|")[1].startswith("2026-07") for line in submissions)
    ws = Workspace(example)
    assert len(ws.proposals("action-plan", "zero-draft-inputs")) >= 60
    assert len(ws.version("action-plan", "zero-draft").paragraphs) >= 40


def test_import_a_version_from_markdown(tiny, capsys):
    md = write(
        tiny.parent / "rev0.md",
        "# Universalization\n\nAction 1. Every State will join.\n\n"
        "# Clearance\n\nAction 2. Clear all land by 2030.\n\nAction 3. Report it.\n",
    )
    assert cli(tiny, "import", "action-plan", "imported", str(md), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["paragraphs"] == 5
    v = Workspace(tiny).version("action-plan", "imported")
    assert [p.kind for p in v.paragraphs] == ["heading", "action", "heading", "action", "action"]
    assert v.paragraphs[3].section == "Clearance" and v.paragraphs[3].text == "Clear all land by 2030."
    assert len({p.id for p in v.paragraphs}) == 5
    assert git(tiny, "log", "-1", "--format=%an").strip().endswith("(LAO)")
    before = tree_state(tiny)
    r = run_cli("--workspace", str(tiny), "import", "action-plan", "imported", str(md))
    assert r.returncode == 2 and "already exists" in r.stderr
    r = run_cli("--workspace", str(tiny), "import", "action-plan", "other", str(md), "--by", "MEX")
    assert r.returncode == 2 and "only the Presidency" in r.stderr
    assert tree_state(tiny) == before


# ------------------------------------------------- the index of proposal ids; git in a linked work tree


CONTRIB = (
    "delegation: {code}\ndocument: action-plan\nround: r1\nbase: zero-draft\nproposals:\n"
    "  - {{id: {code}-{n}, op: comment, paragraph: va-1, text: Noted.}}\n"
)


def test_the_id_index_follows_the_files(tiny):
    from drafting.store.workspace import Workspace

    d = tiny / "contributions" / "action-plan" / "r1"
    write(d / "MEX.yaml", CONTRIB.format(code="MEX", n=1))
    write(d / "FRA.yaml", CONTRIB.format(code="FRA", n=1))
    ws = Workspace(tiny)
    assert ws.proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    time.sleep(1.1)  # files written over a second ago: now the index is kept
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    again = Workspace(tiny)
    assert again.proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    assert not again._contribs  # answered from the index, no contribution read
    # a file replaced (as drafting writes), edited in place, added, removed: always seen
    write(d / "MEX.yaml.tmp", CONTRIB.format(code="MEX", n=2))
    os.replace(d / "MEX.yaml.tmp", d / "MEX.yaml")
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-2", "FRA-1"}
    with open(d / "FRA.yaml", "r+") as f:  # same size, same inode
        text = f.read()
        f.seek(0)
        f.write(text.replace("FRA-1", "FRA-7"))
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-2", "FRA-7"}
    write(d / "AUT.yaml", CONTRIB.format(code="AUT", n=3))
    (d / "MEX.yaml").unlink()
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"AUT-3", "FRA-7"}


def test_a_submission_sees_ids_written_to_another_round_meanwhile(tiny):
    """Ids are read before the lock and checked under it: a file written in between (by
    another process) is read again, so the new proposal does not reuse its numbers."""
    from drafting.service import inputs
    from drafting.store.workspace import Workspace

    cfg = tiny / "drafting.yaml"
    cfg.write_text(cfg.read_text() + "  - {id: r0, document: action-plan, base: zero-draft}\n")
    subprocess.run(
        ["git", "commit", "-qam", "second round"],
        cwd=tiny,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        },
    )
    ws = Workspace(tiny)
    real = ws.git.transaction

    def transaction():  # another process's submission lands just before we take the lock
        write(
            tiny / "contributions" / "action-plan" / "r0" / "MEX.yaml",
            CONTRIB.format(code="MEX", n=1).replace("round: r1", "round: r0"),
        )
        return real()

    ws.git.transaction = transaction
    data = {"proposals": [{"op": "comment", "paragraph": "clr-1", "text": "A question."}]}
    done = inputs.submit_data(ws, data, delegation="MEX", source="form", document="action-plan", round="r1")
    assert [p.id for p in done.contribution.proposals] == ["MEX-2"]


def test_git_works_in_a_linked_work_tree(tiny, tmp_path):
    from drafting.service import inputs
    from drafting.store.workspace import Workspace

    linked = tmp_path / "linked"
    subprocess.run(["git", "worktree", "add", "-q", "-b", "other", str(linked)], cwd=tiny, check=True)
    ws = Workspace(linked)
    assert (
        ws.git.head()
        == subprocess.run(["git", "rev-parse", "HEAD"], cwd=linked, capture_output=True, text=True).stdout.strip()
    )
    data = {"proposals": [{"op": "comment", "paragraph": "clr-1", "text": "A question."}]}
    done = inputs.submit_data(ws, data, delegation="FRA", source="form", document="action-plan", round="r1")
    log = subprocess.run(
        ["git", "log", "-1", "--format=%H %an", "other"], cwd=tiny, capture_output=True, text=True
    ).stdout.split(" ", 1)
    assert log[0] == done.commit and log[1].strip() == "France (FRA)"
    assert (
        "FRA"
        not in subprocess.run(
            ["git", "log", "-1", "--format=%an", "main"], cwd=tiny, capture_output=True, text=True
        ).stdout
    )
