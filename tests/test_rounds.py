"""Issue 13: many rounds, not one. Rounds as records managed in the tool (open, extend,
close, list), deadlines enforced on every way in, decisions in bulk, and the guard on
compose; ``check`` catching in git what the tool refuses (a late commit, a delegation
writing a round's record).

A scripted negotiation through the real CLI in a real git workspace, the clock set
through ``DRAFTING_CLOCK`` (the one clock, service/clock.py); the app's Review page with
AppTest; the pure rules of ``model/rounds.py`` on their own.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from conftest import TINY_CONFIG, run_cli, tree_state, write
from drafting.model import rounds as R
from drafting.model.errors import DraftingError
from drafting.model.records import Delegation, Extension, Round
from drafting.service.identity import identity
from drafting.store.workspace import Workspace

DOC = "action-plan"
MEX_INPUTS = """\
delegation: MEX
document: action-plan
round: r1
proposals:
  - {op: amend, paragraph: clr-1, text: Each State Party shall complete the clearance of cluster munition remnants by 2030.}
  - {op: comment, paragraph: clr-2, text: Annual targets would help.}
"""
FRA_INPUTS = """\
delegation: FRA
document: action-plan
round: r1
proposals:
  - {op: amend, paragraph: va-1, text: States Parties will ensure that survivors take part in decisions that affect them.}
  - {op: comment, paragraph: clr-1, text: France supports the aim.}
"""
AUT_INPUTS = """\
delegation: AUT
document: action-plan
round: r1
proposals:
  - {op: comment, paragraph: va-1, text: Austria supports this.}
"""
REV1_MEX = """\
delegation: MEX
document: action-plan
round: rev1-inputs
proposals:
  - {op: comment, paragraph: va-1, text: "On Revision 1, Mexico asks for a reference to gender."}
"""


def at(moment: str) -> dict[str, str]:
    return {"DRAFTING_CLOCK": moment}


def cli(root: Path, *args: str, when: str | None = None):
    return run_cli("--workspace", str(root), *args, env=at(when) if when else None)


def ok(root: Path, *args: str, when: str | None = None) -> subprocess.CompletedProcess:
    r = cli(root, *args, when=when)
    assert r.returncode == 0, (args, r.stdout[-800:], r.stderr[-800:])
    return r


def refused(root: Path, *args: str, expect: str, when: str | None = None) -> str:
    """The command is refused: exit 2, one line naming the problem, nothing written."""
    before = tree_state(root)
    r = cli(root, *args, when=when)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and expect in lines[0], (args, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert tree_state(root) == before, f"{args}: the workspace changed"
    return lines[0]


def commits(root: Path) -> int:
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True).stdout)


@pytest.fixture
def bare(tiny) -> Path:
    """The tiny workspace without rounds in drafting.yaml: rounds are opened in the tool."""
    cfg = TINY_CONFIG[: TINY_CONFIG.index("# (far ahead")]
    ws = Workspace(tiny)
    with ws.git.transaction():
        ws.git.commit(
            {"drafting.yaml": cfg.encode()},
            "No rounds yet",
            identity(ws.config.presidency_delegation),
            date="2026-06-30T10:00:00Z",
        )
    for name, text in (("mex.yaml", MEX_INPUTS), ("fra.yaml", FRA_INPUTS), ("aut.yaml", AUT_INPUTS)):
        write(tiny.parent / name, text)
    write(tiny.parent / "rev1-mex.yaml", REV1_MEX)
    return tiny


# ---------------------------------------------------------------------- the negotiation


def test_a_negotiation_of_two_rounds_through_the_command_line(bare):
    ws, inbox = bare, bare.parent
    start = commits(ws)
    # the Presidency opens round 1 on the zero draft (and the bad ways of opening one)
    refused(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-06-15", expect="already passed",
            when="2026-07-01T09:00:00Z")  # fmt: skip
    refused(ws, "round", "open", DOC, "--base", "rev9", "--deadline", "2026-07-15", expect="no version 'rev9'",
            when="2026-07-01T09:00:00Z")  # fmt: skip
    refused(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "soon", expect="is not a deadline",
            when="2026-07-01T09:00:00Z")  # fmt: skip
    refused(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "../x",
            expect="not a valid round id", when="2026-07-01T09:00:00Z")  # fmt: skip
    refused(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--by", "MEX",
            expect="only the Presidency", when="2026-07-01T09:00:00Z")  # fmt: skip
    r = ok(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1", "--json",
           when="2026-07-01T09:00:00Z")  # fmt: skip
    opened = json.loads(r.stdout)
    assert opened["state"] == "open" and opened["path"] == "rounds/r1.yaml"
    assert opened["deadline_text"] == "15 July 2026, 23:59 (UTC)"
    refused(ws, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-20",
            expect="already has an open round, r1", when="2026-07-02T09:00:00Z")  # fmt: skip

    # inputs in time, a late one refused, one admitted by an extension
    ok(ws, "submit", str(inbox / "mex.yaml"), "--delegation", "MEX", when="2026-07-10T12:00:00Z")
    line = refused(ws, "submit", str(inbox / "fra.yaml"), "--delegation", "FRA", expect="closed at its deadline",
                   when="2026-07-16T08:00:00Z")  # fmt: skip
    assert "15 July 2026, 23:59 (UTC)" in line and "(r1)" in line and "only the Presidency" in line
    refused(ws, "round", "extend", "r1", "--delegation", "FRA", "--deadline", "2026-07-20", "--by", "FRA",
            expect="may not open, extend or close", when="2026-07-16T08:30:00Z")  # fmt: skip
    refused(ws, "round", "extend", "r1", "--delegation", "FRA", "--deadline", "2026-07-14",
            expect="already passed", when="2026-07-16T08:30:00Z")  # fmt: skip
    ok(ws, "round", "extend", "r1", "--delegation", "FRA", "--deadline", "2026-07-20", when="2026-07-16T09:00:00Z")
    refused(ws, "round", "extend", "r1", "--delegation", "FRA", "--deadline", "2026-07-18",
            expect="not later than the round's deadline for FRA", when="2026-07-16T09:30:00Z")  # fmt: skip
    ok(ws, "submit", str(inbox / "fra.yaml"), "--delegation", "FRA", when="2026-07-17T10:00:00Z")
    refused(ws, "submit", str(inbox / "aut.yaml"), "--delegation", "AUT", expect="closed at its deadline",
            when="2026-07-17T10:00:00Z")  # fmt: skip
    rows = json.loads(ok(ws, "round", "list", DOC, "--json", when="2026-07-17T10:00:00Z").stdout)
    assert [(x["id"], x["state"]) for x in rows] == [("r1", "open")]  # open for France still
    assert rows[0]["extensions"][0]["delegation"] == "FRA" and rows[0]["counts"]["proposals"] == 4

    # decisions in bulk: named, then by a filter; one commit each, all or nothing
    before = commits(ws)
    refused(ws, "decide", "MEX-1", "FRA-2", "accepted", expect="cannot decide FRA-2", when="2026-07-18T09:00:00Z")
    ok(ws, "decide", "MEX-1", "FRA-1", "accepted", when="2026-07-18T09:00:00Z")
    assert commits(ws) == before + 1
    r = ok(ws, "decide", "--round", "r1", "--op", "comment", "noted", "--json", when="2026-07-18T09:05:00Z")
    assert sorted(d["proposal"] for d in json.loads(r.stdout)["decided"]) == ["FRA-2", "MEX-2"]
    assert commits(ws) == before + 2
    refused(ws, "decide", "--round", "r1", "noted", expect="no proposal matches", when="2026-07-18T09:06:00Z")

    # compose opens the next round on the version it writes, in the same commit
    r = ok(ws, "compose", DOC, "--from", "zero-draft", "--to", "rev1", "--open-next", "--deadline", "2026-08-15",
           "--json", when="2026-07-20T10:00:00Z")  # fmt: skip
    report = json.loads(r.stdout)
    assert report["open_proposals"] == [] and report["next_round"]["id"] == "rev1-inputs"
    shown = subprocess.run(["git", "show", "--stat", "--format=%s", "HEAD"], cwd=ws, capture_output=True, text=True)
    assert "drafts/action-plan/rev1.yaml" in shown.stdout and "rounds/rev1-inputs.yaml" in shown.stdout
    rows = {x["id"]: x for x in json.loads(ok(ws, "round", "list", "--json", when="2026-07-20T10:01:00Z").stdout)}
    assert rows["r1"]["state"] == "composed" and rows["r1"]["composed_into"] == "rev1"
    assert rows["rev1-inputs"]["state"] == "open" and rows["rev1-inputs"]["base"] == "rev1"
    refused(ws, "submit", str(inbox / "fra.yaml"), "--delegation", "FRA", expect="composed Revision 1 from it",
            when="2026-07-19T10:00:00Z")  # fmt: skip
    refused(ws, "round", "extend", "r1", "--deadline", "2026-09-01", expect="was composed into rev1",
            when="2026-07-20T11:00:00Z")  # fmt: skip

    # round 2, on Revision 1
    ok(ws, "submit", str(inbox / "rev1-mex.yaml"), "--delegation", "MEX", when="2026-07-25T10:00:00Z")
    refused(ws, "compose", DOC, "--from", "rev1", "--to", "rev2", expect="1 proposal of round rev1-inputs is still open",
            when="2026-08-16T10:00:00Z")  # fmt: skip
    ok(ws, "round", "close", "rev1-inputs", when="2026-08-16T10:00:00Z")
    refused(ws, "round", "close", "rev1-inputs", expect="already closed", when="2026-08-16T10:01:00Z")
    refused(ws, "submit", str(inbox / "rev1-mex.yaml"), "--delegation", "MEX", expect="closed by the Presidency",
            when="2026-08-16T10:02:00Z")  # fmt: skip
    r = ok(ws, "compose", DOC, "--from", "rev1", "--to", "rev2", "--allow-open", "--json", when="2026-08-17T10:00:00Z")
    assert json.loads(r.stdout)["open_proposals"] == ["MEX-3"]

    # every step one commit, and the whole history passes check
    assert commits(ws) == start + 10
    r = ok(ws, "check", f"HEAD~{commits(ws) - start}..HEAD")
    assert r.stdout.startswith("Workspace valid")
    log = ok(ws, "log", DOC).stdout
    assert "The Presidency extended the deadline for inputs on the zero draft, for France," in log
    assert "The Presidency decided on 2 inputs at once: noted" in log
    assert "Revision 1 composed; inputs on it opened" in log
    assert "The Presidency closed the inputs on Revision 1" in log


def test_a_round_not_yet_open_refuses_inputs_until_it_opens(bare):
    ok(ws := bare, "round", "open", DOC, "--base", "zero-draft", "--opens", "2026-07-05", "--deadline", "2026-07-15",
       "--id", "r1", when="2026-07-01T09:00:00Z")  # fmt: skip
    line = refused(ws, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX", expect="opens on 5 July 2026",
                   when="2026-07-04T23:00:00Z")  # fmt: skip
    assert "round of inputs on the zero draft of the Test Action Plan (r1)" in line
    ok(ws, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX", when="2026-07-05T00:00:00Z")


def test_the_conference_time_zone_sets_when_a_day_ends(bare):
    cfg = (bare / "drafting.yaml").read_text() + "timezone: Asia/Vientiane\n"
    ws = Workspace(bare)
    with ws.git.transaction():
        ws.git.commit({"drafting.yaml": cfg.encode()}, "Vientiane time", identity(ws.config.presidency_delegation))
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    # 15 July ends at 16:59:59 UTC in Vientiane (UTC+7)
    refused(bare, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX",
            expect="15 July 2026, 23:59 (Asia/Vientiane)", when="2026-07-15T17:00:00Z")  # fmt: skip
    ok(bare, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX", when="2026-07-15T16:59:00Z")


def test_a_legacy_round_of_drafting_yaml_is_enforced_and_becomes_a_record_when_extended(tiny):
    # tiny's r1 (drafting.yaml) ends on 15 July 2030
    write(tiny.parent / "mex.yaml", MEX_INPUTS)
    refused(tiny, "submit", str(tiny.parent / "mex.yaml"), "--delegation", "MEX", expect="closed at its deadline",
            when="2030-07-16T00:00:00Z")  # fmt: skip
    ok(tiny, "round", "extend", "r1", "--deadline", "2030-07-31", when="2030-07-16T00:00:00Z")
    assert (tiny / "rounds" / "r1.yaml").is_file()
    ok(tiny, "submit", str(tiny.parent / "mex.yaml"), "--delegation", "MEX", when="2030-07-17T00:00:00Z")
    r1 = Workspace(tiny).config.round("r1")
    assert r1 is not None and r1.deadline == "2030-07-31" and r1.extensions[0].previous == "2030-07-15"
    assert [r.id for r in Workspace(tiny).config.rounds] == ["r1", "pd-r1"]  # one list, in its order


def test_a_crash_between_the_version_and_the_next_round_leaves_nothing_half_written(bare):
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    ok(bare, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX", when="2026-07-02T09:00:00Z")
    ok(bare, "decide", "MEX-1", "accepted", when="2026-07-16T09:00:00Z")
    ok(bare, "decide", "MEX-2", "noted", when="2026-07-16T09:00:00Z")
    # the round's record cannot be written (a file where the rounds/ folder should be):
    # the version written just before it must not stay behind
    (bare / "rounds").rename(bare / "rounds.away")
    (bare / "rounds").write_text("not a folder")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout
    r = cli(bare, "compose", DOC, "--from", "zero-draft", "--to", "rev1", "--open-next", "--deadline", "2026-08-15",
            when="2026-07-17T09:00:00Z")  # fmt: skip
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert not (bare / "drafts" / DOC / "rev1.yaml").exists()
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout == head
    (bare / "rounds").unlink()
    (bare / "rounds.away").rename(bare / "rounds")
    ok(bare, "compose", DOC, "--from", "zero-draft", "--to", "rev1", "--open-next", "--deadline", "2026-08-15",
       when="2026-07-17T09:00:00Z")  # fmt: skip
    assert (bare / "rounds" / "rev1-inputs.yaml").is_file()


# ---------------------------------------------------------------------- check, in git


def _git_commit(root: Path, who: str, name: str, committed: str, message: str) -> None:
    env = {"GIT_COMMITTER_DATE": committed, "GIT_AUTHOR_DATE": "2026-07-10T10:00:00Z"}
    import os

    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", f"user.email={who}@delegations.invalid", "-c", f"user.name={name}", "commit", "-qm", message],
        cwd=root,
        check=True,
        env={**os.environ, **env},
    )


def test_check_flags_a_commit_adding_proposals_after_the_deadline_by_its_committer_date(bare):
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    ok(bare, "submit", str(bare.parent / "mex.yaml"), "--delegation", "MEX", when="2026-07-02T09:00:00Z")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout.strip()
    # France commits by hand: the author date says July 10, the commit was made on July 20
    path = bare / "contributions" / DOC / "r1" / "FRA.yaml"
    write(path, FRA_INPUTS.replace("  - {op: amend", "  - {id: FRA-1, op: amend").replace(
        "  - {op: comment", "  - {id: FRA-2, op: comment"))  # fmt: skip
    _git_commit(bare, "FRA", "France", "2026-07-20T10:00:00Z", "France's inputs")
    r = cli(bare, "check", f"{base}..HEAD", "--json")
    assert r.returncode == 2
    problems = json.loads(r.stdout)["problems"]
    late = [p for p in problems if p["kind"] == "deadline"]
    assert len(late) == 1 and late[0]["file"] == "contributions/action-plan/r1/FRA.yaml"
    assert "adds FRA-1 and 1 more" in late[0]["message"] and "15 July 2026, 23:59 (UTC)" in late[0]["message"]
    commits_ = json.loads(r.stdout)["commits"]
    assert commits_[0]["committed"].startswith("2026-07-20") and commits_[0]["date"].startswith("2026-07-10")


def test_check_honours_an_extension_granted_before_the_commit(bare):
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    ok(bare, "round", "extend", "r1", "--delegation", "FRA", "--deadline", "2026-07-25", when="2026-07-16T09:00:00Z")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout.strip()
    write(bare / "contributions" / DOC / "r1" / "FRA.yaml", FRA_INPUTS.replace("{op: amend", "{id: FRA-1, op: amend")
          .replace("{op: comment", "{id: FRA-2, op: comment"))  # fmt: skip
    _git_commit(bare, "FRA", "France", "2026-07-20T10:00:00Z", "France's inputs, with its later deadline")
    r = cli(bare, "check", f"{base}..HEAD")
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_delegation_cannot_open_or_extend_a_round_through_git(bare):
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout.strip()
    # Mexico gives itself a later deadline and, in the same commit, submits late
    rec = bare / "rounds" / "r1.yaml"
    rec.write_text(rec.read_text() + "extensions:\n  - {delegation: MEX, deadline: '2026-12-31', granted: "
                   "'2026-07-01T10:00:00Z'}\n")  # fmt: skip
    write(bare / "contributions" / DOC / "r1" / "MEX.yaml", MEX_INPUTS.replace("{op: amend", "{id: MEX-1, op: amend")
          .replace("{op: comment", "{id: MEX-2, op: comment"))  # fmt: skip
    _git_commit(bare, "MEX", "Mexico", "2026-08-01T10:00:00Z", "A later deadline for us")
    r = cli(bare, "check", f"{base}..HEAD", "--json")
    assert r.returncode == 2
    found = {(p["file"], p["kind"]) for p in json.loads(r.stdout)["problems"]}
    assert ("rounds/r1.yaml", "permission") in found
    assert ("contributions/action-plan/r1/MEX.yaml", "deadline") in found  # its own extension does not count
    # and deleting a round's record, even by the Presidency, is refused
    subprocess.run(["git", "reset", "-q", "--hard", base], cwd=bare, check=True)
    (bare / "rounds" / "r1.yaml").unlink()
    _git_commit(bare, "LAO", "Lao People's Democratic Republic", "2026-07-02T10:00:00Z", "Forget the round")
    r = cli(bare, "check", f"{base}..HEAD")
    assert r.returncode == 2 and "deletes an input round's record" in r.stdout + r.stderr


def test_check_validates_round_records(bare):
    write(bare / "rounds" / "r1.yaml", "id: r2\ndocument: treaty\nbase: zero-draft\ndeadline: soon\n")
    write(bare / "rounds" / "x" / "y.yaml", "id: y\n")
    r = cli(bare, "check", "--json")
    assert r.returncode == 2
    lines = [p["line"] for p in json.loads(r.stdout)["problems"]]
    assert any("rounds/r1.yaml: id: says 'r2'" in x for x in lines), lines
    assert any("rounds/r1.yaml: document: unknown document 'treaty'" in x for x in lines), lines
    assert any("rounds/r1.yaml: deadline:" in x and "is not a deadline" in x for x in lines), lines
    assert any(x.startswith("rounds/x/y.yaml: unexpected file") for x in lines), lines
    # the tool leaves the bad record out, says so, and works on
    r = cli(bare, "round", "list")
    assert r.returncode == 0 and "warning: rounds/r1.yaml" in r.stderr


# ---------------------------------------------------------------------- the pure rules


UTC = dt.UTC
MEX = Delegation("MEX", "Mexico", "state-party")


def m(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_state_and_admission_follow_the_moments():
    r = Round("r1", DOC, "zero-draft", deadline="2026-07-15", opens="2026-07-05")
    assert R.state(r, m("2026-07-04T23:59:59"), "UTC") == "upcoming"
    assert R.state(r, m("2026-07-05T00:00:00"), "UTC") == "open"
    assert R.state(r, m("2026-07-15T23:59:59"), "UTC") == "open"
    assert R.state(r, m("2026-07-16T00:00:00"), "UTC") == "closed"
    assert R.state(r, m("2026-07-10T00:00:00"), "UTC", composed=True) == "composed"
    assert R.admission_problem(r, MEX, m("2026-07-10T00:00:00"), "UTC") is None
    assert "opens on 5 July 2026, 00:00 (UTC)" in str(R.admission_problem(r, MEX, m("2026-07-01T00:00:00"), "UTC"))
    late = str(R.admission_problem(r, MEX, m("2026-07-16T00:00:00"), "UTC", presidency="Lao PDR"))
    assert "15 July 2026, 23:59 (UTC)" in late and "only the Presidency (Lao PDR) can extend it" in late


def test_an_extension_counts_from_when_it_was_granted():
    ext = Extension("2026-07-20", "2026-07-16T09:00:00Z", "MEX")
    general = Extension("2026-07-31", "2026-07-18T09:00:00Z", None, previous="2026-07-15")
    r = Round("r1", DOC, "zero-draft", deadline="2026-07-31", extensions=(ext, general))
    # before either was granted, July 15 was the deadline for everyone
    assert R.as_of(r, m("2026-07-16T08:00:00")).deadline == "2026-07-15"
    assert R.admission_problem(r, MEX, m("2026-07-16T08:00:00"), "UTC") is not None
    # Mexico's later deadline, from when it was granted
    assert R.admission_problem(r, MEX, m("2026-07-16T10:00:00"), "UTC") is None
    fra = Delegation("FRA", "France", "state-party")
    assert R.admission_problem(r, fra, m("2026-07-16T10:00:00"), "UTC") is not None
    # then the general extension
    assert R.admission_problem(r, fra, m("2026-07-18T10:00:00"), "UTC") is None
    assert R.state(r, m("2026-07-16T10:00:00"), "UTC") == "open"  # open for Mexico


def test_a_closed_round_is_closed_for_all_but_a_later_deadline_granted_to_one():
    closed = Round("r1", DOC, "zero-draft", deadline="2026-07-15", closed="2026-07-10T00:00:00Z")
    assert "closed by the Presidency on 10 July 2026" in str(
        R.admission_problem(closed, MEX, m("2026-07-11T00:00:00"), "UTC")
    )
    assert R.admission_problem(closed, MEX, m("2026-07-09T00:00:00"), "UTC") is None  # (before it was closed)
    granted = R.extended(closed, "2026-07-20", m("2026-07-11T00:00:00"), code="MEX", by="LAO")
    assert R.admission_problem(granted, MEX, m("2026-07-12T00:00:00"), "UTC") is None
    reopened = R.extended(closed, "2026-07-20", m("2026-07-11T00:00:00"), code=None, by="LAO")
    assert reopened.closed is None and reopened.deadline == "2026-07-20"


def test_one_open_round_per_document_and_the_other_refusals():
    now = m("2026-07-01T00:00:00")
    r1 = Round("r1", DOC, "zero-draft", deadline="2026-07-15")
    new = Round("r2", DOC, "zero-draft", deadline="2026-07-20")
    with pytest.raises(DraftingError, match="already has an open round, r1"):
        R.check_open([r1], new, versions=["zero-draft"], now=now, tz="UTC")
    R.check_open([r1], new, versions=["zero-draft"], now=now, tz="UTC", composed=["r1"])  # r1 is over
    R.check_open([r1], new, versions=["zero-draft"], now=now, tz="UTC", ignore="r1")  # compose --open-next
    with pytest.raises(DraftingError, match="a round r1 already exists"):
        R.check_open([r1], r1, versions=["zero-draft"], now=now, tz="UTC", composed=["r1"])
    with pytest.raises(DraftingError, match="would open on"):
        R.check_open([], Round("r3", DOC, "zero-draft", deadline="2026-07-20", opens="2026-07-21"),
                     versions=["zero-draft"], now=now, tz="UTC")  # fmt: skip
    with pytest.raises(DraftingError, match="composed into rev1"):
        R.check_extend(r1, m("2026-08-01T00:00:00"), now, "UTC", code=None, composed_into="rev1")


def test_records_read_back_and_merge_with_drafting_yaml():
    r = Round("r1", DOC, "zero-draft", deadline="2026-07-20", opens="2026-07-01",
              extensions=(Extension("2026-07-20", "2026-07-16T09:00:00Z", None, "2026-07-15", "LAO"),
                          Extension("2026-07-25", "2026-07-17T09:00:00Z", "MEX", None, "LAO")),
              closed="2026-07-21T00:00:00Z", opened="2026-07-01T09:00:00Z", source="record")  # fmt: skip
    from drafting.model.records import DocumentInfo

    back = R.parse_round(R.to_data(r), "rounds/r1.yaml", rid="r1", documents={DOC: DocumentInfo(DOC, "AP")},
                         delegations=["MEX", "LAO"], tz="UTC")  # fmt: skip
    assert back == r
    legacy = (Round("r0", DOC, "zero-draft", deadline="2026-07-15"), Round("r1", DOC, "zero-draft", deadline="x"))
    assert R.merge(legacy, {"r1": r, "r9": Round("r9", DOC, "rev1", opened="2026-08-01T00:00:00Z")}) == (
        legacy[0],
        r,
        Round("r9", DOC, "rev1", opened="2026-08-01T00:00:00Z"),
    )


# ---------------------------------------------------------------------- the app


streamlit = pytest.importorskip("streamlit")


def _app(root: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DRAFTING_WORKSPACE", str(root))
    monkeypatch.setenv("DRAFTING_APP_MODE", "demo")
    at = AppTest.from_file("../app.py", default_timeout=90).run()
    return at.switch_page("src/drafting/app/pages/review.py").run()


def _fine(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_the_review_page_extends_a_deadline_decides_many_and_opens_the_next_round(example, monkeypatch):
    at = _fine(_app(example, monkeypatch))
    start = commits(example)
    # the rounds tab lists the rounds and extends a deadline for one delegation
    assert "Rounds of inputs" in [t.label for t in at.tabs]
    at.selectbox(key="rnd_ext_for").set_value("FRA").run()
    at.date_input(key="rnd_ext_deadline").set_value(dt.date(2031, 1, 31)).run()
    _fine(at.button(key="rnd_ext_submit").click().run())
    r = Workspace(example).config.round("zero-draft-inputs")
    assert r is not None and r.extensions[-1].delegation == "FRA" and r.extensions[-1].deadline == "2031-01-31"
    assert commits(example) == start + 1
    # several decisions at once: every open comment noted, one commit
    ws = Workspace(example)
    decided = ws.decisions(DOC, "zero-draft-inputs")
    comments = [
        p.id
        for p in ws.proposals(DOC, "zero-draft-inputs")
        if p.op == "comment" and (p.id not in decided or decided[p.id].status == "open")
    ]
    assert len(comments) > 2
    at.selectbox(key="bulk_kind").set_value("comment").run()
    at.button(key="bulk_all").click().run()
    assert sorted(at.multiselect(key="bulk_ids").value) == sorted(comments)
    at.selectbox(key="bulk_status").set_value("noted").run()
    _fine(at.button(key="bulk_submit").click().run())
    assert commits(example) == start + 2
    decided = Workspace(example).decisions(DOC, "zero-draft-inputs")
    assert all(decided[pid].status == "noted" for pid in comments)
    assert any("decisions recorded at once" in s.value for s in at.success)
    # compose: the proposals still open are listed; composing waits for a confirmation,
    # and opens the next round in the same step
    assert at.button(key="rev_compose").disabled
    at.checkbox(key="rev_allow_open_zero-draft-inputs").check().run()
    at.checkbox(key="rev_open_next_zero-draft-inputs").check().run()
    at.date_input(key="rev_next_deadline_zero-draft-inputs").set_value(dt.date(2031, 3, 1)).run()
    _fine(at.button(key="rev_compose").click().run())
    assert commits(example) == start + 3
    cfg = Workspace(example).config
    nxt = cfg.round("rev1-inputs")
    assert nxt is not None and nxt.base == "rev1" and nxt.deadline == "2031-03-01"
    assert any("Inputs on it are open until 1 March 2031" in s.value for s in at.success)


def test_the_review_page_closes_and_opens_rounds_and_a_delegation_sees_no_controls(example, monkeypatch):
    at = _fine(_app(example, monkeypatch))
    at.selectbox(key="rnd_close_round").set_value("zero-draft-inputs").run()
    assert at.button(key="rnd_close_submit").disabled  # first the confirmation
    at.checkbox(key="rnd_close_sure").check().run()
    _fine(at.button(key="rnd_close_submit").click().run())
    cfg = Workspace(example).config
    r = cfg.round("zero-draft-inputs")
    assert r is not None and r.closed
    # a second round on the zero draft can now be opened
    at.date_input(key="rnd_open_deadline").set_value(dt.date(2031, 2, 1)).run()
    _fine(at.button(key="rnd_open_submit").click().run())
    assert [x.id for x in Workspace(example).config.rounds_of(DOC)][-1] == "action-plan-zero-draft-inputs"
    # Mexico sees the rounds, not the controls; Submit says the closed round is closed
    at.selectbox(key="acting_as").set_value("MEX").run()
    assert not [b for b in at.button if b.key in ("rnd_open_submit", "rnd_ext_submit", "rnd_close_submit")]
    at.switch_page("src/drafting/app/pages/submit.py").run()
    at.selectbox(key="sub_round").set_value("zero-draft-inputs").run()
    assert "closed by the Presidency" in " ".join(str(h.proto.body) for h in at.get("html"))


def test_check_flags_a_second_open_round_written_by_hand(bare):
    """What 'round open' refuses, a hand-written record in git does not get past check."""
    ok(bare, "round", "open", DOC, "--base", "zero-draft", "--deadline", "2026-07-15", "--id", "r1",
       when="2026-07-01T09:00:00Z")  # fmt: skip
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True).stdout.strip()
    record = "id: r2\ndocument: action-plan\nbase: zero-draft\ndeadline: '2026-07-30'\nopened: '2026-07-03T09:00:00Z'\n"
    write(bare / "rounds" / "r2.yaml", record)
    _git_commit(bare, "LAO", "Lao People's Democratic Republic", "2026-07-03T09:00:00Z", "A second round")
    r = cli(bare, "check", f"{base}..HEAD", "--json")
    assert r.returncode == 2, r.stdout
    found = [p for p in json.loads(r.stdout)["problems"] if p["kind"] == "rounds"]
    assert len(found) == 1 and found[0]["file"] == "rounds/r2.yaml", found
    assert "already has an open round, r1" in found[0]["message"], found
    # with r1 closed first, the same record is what the tool would have written: check passes
    subprocess.run(["git", "reset", "-q", "--hard", base], cwd=bare, check=True)
    ok(bare, "round", "close", "r1", when="2026-07-02T09:00:00Z")
    write(bare / "rounds" / "r2.yaml", record)
    _git_commit(bare, "LAO", "Lao People's Democratic Republic", "2026-07-03T09:00:00Z", "A second round")
    r = cli(bare, "check", f"{base}..HEAD")
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_submission_without_a_named_round_goes_to_the_open_one_else_the_last_not_composed():
    r1 = Round("r1", DOC, "zero-draft", deadline="2026-07-15")
    r2 = Round("r2", DOC, "rev1", deadline="2026-08-15", opens="2026-08-01")
    other = Round("pd", "political-declaration", "zero-draft", deadline="2026-12-31")
    rounds = [r1, r2, other]
    assert R.for_submission(rounds, DOC, m("2026-07-10T00:00:00"), "UTC") == r1  # open
    assert R.for_submission(rounds, DOC, m("2026-08-02T00:00:00"), "UTC", {"r1"}) == r2  # open
    # both past their deadline: the last not composed, where admission says why not
    assert R.for_submission(rounds, DOC, m("2026-09-01T00:00:00"), "UTC", {"r1"}) == r2
    assert R.for_submission(rounds, DOC, m("2026-09-01T00:00:00"), "UTC", {"r1", "r2"}) is None
    assert R.for_submission([other], DOC, m("2026-07-10T00:00:00"), "UTC") is None
