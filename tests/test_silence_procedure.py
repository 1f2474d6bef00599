"""The silence procedure through the command line: start, break, close, status; each step
one commit; every refusal one line, exit 2, nothing written; and what ``check`` lets
each delegation do in ``silence/``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time

import pytest

from conftest import tree_state, write
from drafting.cli.main import main
from drafting.model.errors import DraftingError
from drafting.service import clock

UTC = dt.UTC


def cli(root, *args: str) -> int:
    return main(["--workspace", str(root), *args])


def commits(root) -> int:
    return int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True).stdout)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.fixture
def under_silence(tiny):
    """The zero draft under a silence procedure until 2031 (Mexico broke it already)."""
    assert cli(tiny, "silence", "start", "action-plan", "zero-draft", "--until", "2031-01-15T18:00") == 0
    assert cli(tiny, "silence", "break", "action-plan", "--delegation", "MEX", "--statement", "Not yet.") == 0
    return tiny


def test_each_step_is_one_commit_by_whoever_took_it(tiny, capsys, tmp_path):
    n = commits(tiny)
    until = iso(dt.datetime.now(UTC) + dt.timedelta(seconds=3))
    assert cli(tiny, "silence", "start", "action-plan", "zero-draft", "--until", until, "--note", "for adoption") == 0
    assert "Started a silence procedure on Zero draft of action-plan" in capsys.readouterr().out
    statement = write(tmp_path / "statement.txt", "Indonesia cannot join consensus\non Action 2.\n")
    assert (
        cli(
            tiny,
            "silence",
            "break",
            "action-plan",
            "--delegation",
            "IDN",  # a signatory
            "--statement",
            str(statement),
            "--propose",
            "Action 2",
            "States Parties will report every two years on progress in land release.",
            "--json",
        )
        == 0
    )
    brk = json.loads(capsys.readouterr().out)
    assert brk["statement"] == "Indonesia cannot join consensus\non Action 2."
    assert brk["proposals"] == [
        {"paragraph": "clr-2", "text": "States Parties will report every two years on progress in land release."}
    ]
    authors = subprocess.run(["git", "log", "-2", "--format=%ae"], cwd=tiny, capture_output=True, text=True).stdout
    assert authors.split() == ["IDN@delegations.invalid", "LAO@delegations.invalid"]
    assert cli(tiny, "silence", "status", "action-plan") == 0
    out = capsys.readouterr().out
    assert "under way" in out and "broken by Indonesia" in out and "proposes for Action 2" in out
    time.sleep(
        max(0.0, (dt.datetime.fromisoformat(until.replace("Z", "+00:00")) - dt.datetime.now(UTC)).total_seconds()) + 1.1
    )
    assert cli(tiny, "silence", "close", "action-plan") == 0
    assert "silence was broken by Indonesia" in capsys.readouterr().out
    assert commits(tiny) == n + 3
    assert cli(tiny, "silence", "status", "action-plan", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"]["state"] == "broken" and data["adopted"] == {}
    assert cli(tiny, "check") == 0


BAD = [
    # (arguments, fragment of the one line)
    (("silence", "start", "action-plan", "zero-draft", "--until", "2032-01-01"), "already under way on Zero draft"),
    (
        ("silence", "start", "political-declaration", "zero-draft", "--until", "2032-01-01", "--by", "MEX"),
        "only the Presidency does",
    ),
    (("silence", "start", "political-declaration", "zero-draft", "--until", "2020-01-01"), "has already passed"),
    (
        ("silence", "start", "political-declaration", "zero-draft", "--until", "next week"),
        "is not a deadline for --until",
    ),
    (("silence", "start", "political-declaration", "rev9", "--until", "2032-01-01"), "unknown version 'rev9'"),
    (
        ("silence", "break", "action-plan", "--delegation", "MEX", "--statement", "Again."),
        "Mexico already broke silence",
    ),
    (
        ("silence", "break", "action-plan", "--delegation", "ICRC", "--statement", "No."),
        "only States parties and signatories may",
    ),
    (
        ("silence", "break", "action-plan", "--delegation", "LAO", "--statement", "No."),
        "only States parties and signatories may",
    ),
    (
        ("silence", "break", "action-plan", "--delegation", "ISU", "--statement", "No."),
        "only States parties and signatories may",
    ),
    (("silence", "break", "action-plan", "--delegation", "XYZ", "--statement", "No."), "unknown delegation 'XYZ'"),
    (("silence", "break", "action-plan", "--delegation", "FRA", "--statement", "   "), "the statement is empty"),
    (
        ("silence", "break", "action-plan", "--delegation", "FRA", "--statement", "No", "--propose", "Action 9", "x"),
        "no paragraph 'Action 9'",
    ),
    (
        ("silence", "break", "political-declaration", "--delegation", "FRA", "--statement", "No."),
        "no silence procedure is under way",
    ),
    (("silence", "close", "action-plan"), "can be closed only after its deadline"),
    (("silence", "close", "action-plan", "--by", "FRA"), "only the Presidency does"),
    (("silence", "close", "political-declaration"), "nothing to close"),
    (("silence", "stop", "action-plan"), "invalid choice: 'stop'"),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_silence_input_is_one_line_exit_2_nothing_written(under_silence, capsys, i):
    args, expected = BAD[i]
    capsys.readouterr()
    before = tree_state(under_silence)
    try:
        rc = cli(under_silence, *args)
    except SystemExit as e:  # argparse's errors (also one line, exit 2)
        rc = e.code
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("drafting: ") and expected in err, err
    assert tree_state(under_silence) == before


def test_after_the_deadline_silence_cannot_be_broken(tiny, capsys):
    from drafting.service.conference import start_silence
    from drafting.store.workspace import Workspace

    ws = Workspace(tiny)
    with clock.fixed(dt.datetime(2026, 9, 15, tzinfo=UTC)):
        start_silence(ws, "action-plan", "zero-draft", "2026-09-18")
    before = tree_state(tiny)
    assert cli(tiny, "silence", "break", "action-plan", "--delegation", "MEX", "--statement", "Too late.") == 2
    err = capsys.readouterr().err
    assert "ended on 18 September 2026, 23:59 (UTC): silence can no longer be broken" in err
    assert tree_state(tiny) == before
    assert cli(tiny, "silence", "close", "action-plan", "--json") == 0  # the deadline passed: it can be closed
    r = json.loads(capsys.readouterr().out)
    assert (r["outcome"], r["adopted"], r["adopted_on"]) == ("adopted", "2026-09-18", "18 September 2026")
    with pytest.raises(DraftingError, match="Zero draft was already adopted on 18 September 2026"):
        start_silence(Workspace(tiny), "action-plan", "zero-draft", "2031-01-01")


def test_the_adopted_version_says_so_in_its_exports(tiny, tmp_path):
    from drafting.service.conference import close_silence, start_silence
    from drafting.service.exports import export_version
    from drafting.store.workspace import Workspace

    ws = Workspace(tiny)
    with clock.fixed(dt.datetime(2026, 9, 15, tzinfo=UTC)):
        start_silence(ws, "action-plan", "zero-draft", "2026-09-18")
    with clock.fixed(dt.datetime(2026, 9, 19, tzinfo=UTC)):
        close_silence(Workspace(tiny), "action-plan")
    md = export_version(Workspace(tiny), "action-plan", "zero-draft", "md", tmp_path / "z.md").read_text(
        encoding="utf-8"
    )
    assert "Adopted on 18 September 2026" in md
    other = export_version(Workspace(tiny), "political-declaration", "zero-draft", "md", tmp_path / "p.md")
    assert "Adopted on" not in other.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------ check

PROCEDURE = "version: zero-draft\nstarted: '2026-09-10T00:00:00Z'\nuntil: '2031-09-18T00:00:00Z'\n"


def _break(code: str, at: str = "2026-09-12T00:00:00Z") -> str:
    return f"delegation: {code}\nat: '{at}'\nstatement: We object.\n"


def test_check_lets_each_delegation_break_silence_only_in_its_own_name_once(tiny, capsys):
    from workspaces import commit_as, head

    base = head(tiny)
    commit_as(tiny, "LAO", {"silence/action-plan/1.yaml": PROCEDURE})
    commit_as(tiny, "MEX", {"silence/action-plan/1/MEX.yaml": _break("MEX")})
    assert cli(tiny, "check", f"{base}..HEAD") == 0
    cases = [
        ("MEX", {"silence/action-plan/1/FRA.yaml": _break("FRA")}, "only in its own name, not FRA's"),
        ("ICRC", {"silence/action-plan/1/ICRC.yaml": _break("ICRC")}, "may not break silence"),
        ("MEX", {"silence/action-plan/1/MEX.yaml": _break("MEX") + "# changed\n"}, "silence is broken once"),
        ("MEX", {"silence/action-plan/1/MEX.yaml": None}, "stays on record"),
        ("MEX", {"silence/action-plan/1.yaml": PROCEDURE.replace("2031", "2032")}, "only the Presidency does"),
        ("ISU", {"silence/action-plan/2.yaml": PROCEDURE}, "only the Presidency does"),
    ]
    mid = head(tiny)
    for who, files, expected in cases:
        sha = commit_as(tiny, who, files)
        capsys.readouterr()
        assert cli(tiny, "check", f"{mid}..HEAD", "--json") == 2
        problems = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["kind"] == "permission"]
        assert any(p["commit"] == sha and expected in p["message"] for p in problems), (expected, problems)
        subprocess.run(["git", "reset", "-q", "--hard", mid], cwd=tiny, check=True)


def test_check_catches_a_break_after_the_deadline_and_a_false_outcome(tiny, capsys):
    from workspaces import commit_as, head

    past = PROCEDURE.replace("2031-09-18", "2026-09-18")
    commit_as(tiny, "LAO", {"silence/action-plan/1.yaml": past})
    base = head(tiny)
    sha = commit_as(tiny, "MEX", {"silence/action-plan/1/MEX.yaml": _break("MEX", "2026-09-20T00:00:00Z")})
    capsys.readouterr()
    assert cli(tiny, "check", f"{base}..HEAD", "--json") == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any(p["commit"] == sha and "after the procedure's deadline" in p["message"] for p in problems)
    assert any(p["file"] == "silence/action-plan/1/MEX.yaml" and p["where"] == "at" for p in problems)
    subprocess.run(["git", "reset", "-q", "--hard", base], cwd=tiny, check=True)
    commit_as(tiny, "MEX", {"silence/action-plan/1/MEX.yaml": _break("MEX")})
    commit_as(
        tiny,
        "LAO",
        {
            "silence/action-plan/1.yaml": past
            + "closed: '2026-09-19T00:00:00Z'\noutcome: adopted\nadopted: '2026-09-18'\n"
        },
    )
    assert cli(tiny, "check") == 2
    assert "silence/action-plan/1.yaml: outcome: says adopted, but silence was broken" in capsys.readouterr().out
