"""Paragraph status (open, bracketed, agreed ad referendum, agreed): recorded by the
Presidency, one commit each; an agreed paragraph takes no new amendments until reopened;
and renumbering (``drafting renumber``, ``compose --renumber``)."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import tree_state, write
from drafting.cli.main import main
from drafting.model.records import Proposal
from drafting.model.status import (
    AD_REF,
    AGREED,
    BRACKETED,
    OPEN,
    RecordedStatus,
    effective_status,
    refuse_amendments_to_agreed,
    status_name,
)


def cli(root, *args: str) -> int:
    return main(["--workspace", str(root), *args])


def commits(root) -> int:
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True).stdout)


# ------------------------------------------------------------------------------ pure rules


def test_status_names_as_people_type_them():
    assert [status_name(x) for x in ("agreed", "Ad Ref", "ad-referendum", "agreed ad referendum", "reopen")] == [
        AGREED,
        AD_REF,
        AD_REF,
        AD_REF,
        OPEN,
    ]
    with pytest.raises(Exception, match="unknown paragraph status 'settled'"):
        status_name("settled")


def test_a_recorded_status_holds_while_the_text_is_the_one_agreed():
    rec = RecordedStatus("p", AGREED, "rev1", "2026-09-01T00:00:00Z")
    assert effective_status("Text.", rec, "Text.") == AGREED
    assert effective_status("Text, changed.", rec, "Text.") == OPEN  # a later revision changed it
    assert effective_status("Text [alt 1] [alt 2].", None, None) == BRACKETED
    assert effective_status("Text.", RecordedStatus("p", OPEN, "rev1", "x"), "Text.") == OPEN


def test_only_new_amendments_of_agreed_paragraphs_are_refused():
    agreed = {"clr-1": "Action 1"}
    amend = Proposal("MEX-3", "amend", paragraph="clr-1", text="x")
    comment = Proposal("MEX-4", "comment", paragraph="clr-1", text="x")
    insert = Proposal("MEX-5", "insert", after="clr-1", text="x", kind="action")
    refuse_amendments_to_agreed("f.yaml", [comment, insert], [], agreed)  # allowed
    refuse_amendments_to_agreed("f.yaml", [amend], ["MEX-3"], agreed)  # submitted before: kept
    with pytest.raises(Exception, match=r"f\.yaml: MEX-3 amends Action 1, which is agreed"):
        refuse_amendments_to_agreed("f.yaml", [amend], [], agreed)
    with pytest.raises(Exception, match="MEX-6 deletes Action 1"):
        refuse_amendments_to_agreed("f.yaml", [Proposal("MEX-6", "delete", paragraph="clr-1")], [], agreed)


# ------------------------------------------------------------------------------ the command


def test_record_and_list_statuses(tiny, capsys):
    before = commits(tiny)
    assert cli(tiny, "status", "action-plan", "Action 1", "agreed", "--note", "agreed in plenary") == 0
    assert "Recorded Action 1 of action-plan as agreed" in capsys.readouterr().out
    assert cli(tiny, "status", "action-plan", "va-1", "ad-ref", "--json") == 0
    rec = json.loads(capsys.readouterr().out)
    assert (rec["paragraph"], rec["number"], rec["status"]) == ("va-1", "Action 3", "ad-referendum")
    assert commits(tiny) == before + 2
    log = subprocess.run(["git", "log", "-1", "--format=%an%n%B"], cwd=tiny, capture_output=True, text=True).stdout
    assert log.startswith("Lao People's Democratic Republic (LAO)") and "Drafting-Action: status" in log
    assert cli(tiny, "status", "action-plan", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["number"]: r["status"] for r in data["paragraphs"]} == {
        "Action 1": "agreed",
        "Action 2": "open",
        "Action 3": "ad-referendum",
    }
    assert data["board"][-1] == {
        "section": None,
        "open": 1,
        "bracketed": 0,
        "ad-referendum": 1,
        "agreed": 1,
        "total": 3,
    }
    assert cli(tiny, "status", "action-plan") == 0
    out = capsys.readouterr().out
    assert "agreed ad referendum" in out and "agreed in plenary" in out and "Whole document" in out
    assert cli(tiny, "status", "action-plan", "Action 1") == 0
    assert "Action 2" not in capsys.readouterr().out


BAD = [
    (("status", "action-plan", "Action 1", "agreed", "--by", "MEX"), "only the Presidency does"),
    (("status", "action-plan", "Action 1", "agreed", "--by", "ISU"), "only the Presidency does"),
    (("status", "action-plan", "Action 1", "settled"), "unknown paragraph status 'settled'"),
    (
        ("status", "action-plan", "Action 1", "bracketed"),
        "a paragraph is bracketed while its text holds square brackets",
    ),
    (("status", "action-plan", "Action 9", "agreed"), "no paragraph 'Action 9'"),
    (("status", "action-plan", "h-clr", "agreed"), "is a heading"),
    (("status", "action-plan", "Action 2", "open"), "Action 2 is already open: nothing to record"),
    (("status", "nowhere", "Action 1", "agreed"), "unknown document 'nowhere'"),
    (("status", "action-plan", "Action 1", "agreed", "--note", "a\x07b"), "control or invalid character"),
    (("status", "action-plan", "--note", "why"), "--note and --by go with a status to record"),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_status_input_is_one_line_exit_2_nothing_written(tiny, capsys, i):
    args, expected = BAD[i]
    before = tree_state(tiny)
    assert cli(tiny, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("drafting: ") and expected in err, err
    assert tree_state(tiny) == before


def test_a_bracketed_text_cannot_be_agreed(tiny, capsys):
    from drafting.service.conference import record_status
    from drafting.store.workspace import Workspace

    text = (tiny / "drafts/action-plan/zero-draft.yaml").read_text()
    write(
        tiny / "drafts/action-plan/zero-draft.yaml",
        text.replace("as soon as possible", "[by 2030] [as soon as possible]"),
    )
    subprocess.run(
        ["git", "commit", "-qam", "brackets", "--author", "L <LAO@delegations.invalid>"], cwd=tiny, check=True
    )
    with pytest.raises(Exception, match="Action 1 still holds square brackets"):
        record_status(Workspace(tiny), "action-plan", "Action 1", "agreed")
    assert cli(tiny, "status", "action-plan", "--json") == 0
    assert json.loads(capsys.readouterr().out)["paragraphs"][0]["status"] == "bracketed"


def test_an_agreed_paragraph_takes_no_new_amendment_until_reopened(tiny, capsys):
    amend = write(
        tiny.parent / "mex.yaml",
        "delegation: MEX\ndocument: action-plan\nround: r1\nproposals:\n"
        "  - {op: amend, paragraph: clr-1, text: Each State Party shall complete clearance by 2030.}\n"
        "  - {op: comment, paragraph: clr-1, text: We welcome this action.}\n",
    )
    assert cli(tiny, "status", "action-plan", "Action 1", "agreed") == 0
    capsys.readouterr()
    before = tree_state(tiny)
    assert cli(tiny, "submit", str(amend), "--delegation", "MEX") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "amends Action 1, which is agreed" in err and "reopens it" in err
    assert tree_state(tiny) == before
    comment_only = write(
        tiny.parent / "mex2.yaml",
        "delegation: MEX\ndocument: action-plan\nround: r1\nproposals:\n"
        "  - {op: comment, paragraph: clr-1, text: We welcome this action.}\n",
    )
    assert cli(tiny, "submit", str(comment_only), "--delegation", "MEX") == 0  # comments stay possible
    assert cli(tiny, "status", "action-plan", "Action 1", "open", "--note", "reopened at the request of Mexico") == 0
    assert cli(tiny, "submit", str(amend), "--delegation", "MEX") == 0


def test_check_lets_only_the_presidency_record_statuses(tiny, capsys):
    from workspaces import commit_as, head

    base = head(tiny)
    entry = "clr-1: {status: agreed, version: zero-draft, date: '2026-09-01T00:00:00Z'}\n"
    sha = commit_as(tiny, "MEX", {"status/action-plan.yaml": entry})
    assert cli(tiny, "check", f"{base}..HEAD", "--json") == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any(p["commit"] == sha and "only the Presidency does" in p["message"] for p in problems)
    subprocess.run(["git", "reset", "-q", "--hard", base], cwd=tiny, check=True)
    commit_as(tiny, "LAO", {"status/action-plan.yaml": entry})
    assert cli(tiny, "check", f"{base}..HEAD") == 0
    commit_as(tiny, "LAO", {"status/action-plan.yaml": "clr-9: {status: agreed, version: zero-draft, date: x}\n"})
    assert cli(tiny, "check") == 2
    assert "status/action-plan.yaml: clr-9: is no paragraph of action-plan zero-draft" in capsys.readouterr().out


# ------------------------------------------------------------------------------ renumbering


def test_renumber_writes_a_version_whose_only_change_is_numbering(tiny, capsys):
    from drafting.service.versions import numbers
    from drafting.store.workspace import Workspace

    ins = write(
        tiny.parent / "mex.yaml",
        "delegation: MEX\ndocument: action-plan\nround: r1\nproposals:\n"
        "  - {op: insert, after: clr-1, kind: action, section: Survey and clearance, text: A new action.}\n",
    )
    assert cli(tiny, "submit", str(ins), "--delegation", "MEX") == 0
    assert cli(tiny, "decide", "MEX-1", "accepted") == 0
    assert cli(tiny, "compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1") == 0
    capsys.readouterr()
    ws = Workspace(tiny)
    assert numbers(ws, "action-plan", "rev1") == {
        "clr-1": "Action 1",
        "clr-1a": "Action 1 bis",
        "clr-2": "Action 2",
        "va-1": "Action 3",
    }
    assert cli(tiny, "renumber", "action-plan", "rev1", "--json") == 0
    r = json.loads(capsys.readouterr().out)
    assert (r["version"], r["label"], r["from"]) == ("rev2", "Revision 2", "rev1")
    assert [(c["from"], c["to"]) for c in r["changes"]] == [
        ("Action 1 bis", "Action 2"),
        ("Action 2", "Action 3"),
        ("Action 3", "Action 4"),
    ]
    ws = Workspace(tiny)
    old, new = ws.version("action-plan", "rev1"), ws.version("action-plan", "rev2")
    assert new.renumbered and new.based_on == "rev1" and new.round is None
    assert [(p.id, p.text, p.kind, p.section) for p in new.paragraphs] == [
        (p.id, p.text, p.kind, p.section) for p in old.paragraphs
    ]
    assert list(numbers(ws, "action-plan", "rev2").values()) == ["Action 1", "Action 2", "Action 3", "Action 4"]
    assert cli(tiny, "diff", "action-plan", "rev1", "rev2", "--json") == 0
    assert json.loads(capsys.readouterr().out)["summary"]["modified"] == 0
    before = tree_state(tiny)
    assert cli(tiny, "renumber", "action-plan", "rev2") == 2
    assert "already numbered in sequence" in capsys.readouterr().err
    assert cli(tiny, "renumber", "action-plan", "rev1", "--to", "rev2") == 2
    assert "already exists" in capsys.readouterr().err
    assert cli(tiny, "renumber", "action-plan", "rev1", "--by", "MEX") == 2
    assert "only the Presidency composes" in capsys.readouterr().err
    assert tree_state(tiny) == before


def test_compose_can_issue_the_new_version_renumbered(tiny, capsys):
    from drafting.service.versions import numbers
    from drafting.store.workspace import Workspace

    ins = write(
        tiny.parent / "mex.yaml",
        "delegation: MEX\ndocument: action-plan\nround: r1\nproposals:\n"
        "  - {op: insert, after: clr-1, kind: action, section: Survey and clearance, text: A new action.}\n",
    )
    assert cli(tiny, "submit", str(ins), "--delegation", "MEX") == 0
    assert cli(tiny, "decide", "MEX-1", "accepted") == 0
    capsys.readouterr()
    assert (
        cli(
            tiny,
            "compose",
            "--allow-open",
            "action-plan",
            "--from",
            "zero-draft",
            "--to",
            "rev1",
            "--renumber",
            "--json",
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["renumbered"] is True
    assert list(numbers(Workspace(tiny), "action-plan", "rev1").values()) == [
        "Action 1",
        "Action 2",
        "Action 3",
        "Action 4",
    ]
