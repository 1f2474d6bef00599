"""Composing a version, decided purely (``text.composition``): what it refuses, what it
reports, the next round it opens; then the one way the service writes it."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from drafting.model.errors import Conflict, DraftingError, NotFound
from drafting.model.records import Decision, DocumentInfo, Paragraph, Proposal, Round, Version
from drafting.service import clock
from drafting.text.composition import ComposeConflicts, Request, Snapshot, composition

INFO = DocumentInfo("action-plan", "Vientiane Action Plan", symbol="CCM/CONF/2026/WP.1")
ZERO = Version(
    document="action-plan",
    version="zero-draft",
    paragraphs=(
        Paragraph("clr-1", "States shall survey contaminated areas.", kind="action"),
        Paragraph("clr-2", "States shall cooperate.", kind="action"),
    ),
    label="Zero draft",
)
ROUND = Round("zero-draft-inputs", "action-plan", "zero-draft", deadline="2026-07-15")
#: 20:00 UTC on 10 September is already 11 September in Vientiane (UTC+7)
NOW = dt.datetime(2026, 9, 10, 20, 0, tzinfo=dt.UTC)


def amend(pid: str, paragraph: str, text: str) -> Proposal:
    return Proposal(pid, "amend", paragraph=paragraph, text=text, delegation=pid.split("-")[0], base="zero-draft")


MEX1 = amend("MEX-1", "clr-1", "States shall survey all contaminated areas.")
AUT1 = amend("AUT-1", "clr-1", "States shall survey the contaminated areas.")
CHL1 = amend("CHL-1", "clr-2", "States shall cooperate closely.")


def snap(proposals=(MEX1, CHL1), decisions=None, **kw) -> Snapshot:
    if decisions is None:
        decisions = {p.id: Decision(p.id, "accepted") for p in proposals}
    kw.setdefault("history", {"zero-draft": ZERO})
    return Snapshot(
        info=INFO,
        lineage=(ZERO,),
        round=ROUND,
        now=NOW,
        proposals=tuple(proposals),
        decisions=decisions,
        decisions_file="decisions/action-plan/zero-draft-inputs.yaml",
        rounds=(ROUND,),
        presidency="LAO",
        timezone="Asia/Vientiane",
        **kw,
    )


def test_the_version_is_merged_dated_by_the_servers_clock_in_the_conferences_zone_and_symbolled():
    plan = composition(snap(), Request("rev1", path="drafts/action-plan/rev1.yaml"))
    v = plan.version
    assert v.by_id()["clr-1"].text == "States shall survey all contaminated areas."
    assert v.by_id()["clr-2"].text == "States shall cooperate closely."
    assert v.date == "2026-09-11" and v.label == "Revision 1" and v.based_on == "zero-draft"
    assert v.symbol == "CCM/CONF/2026/WP.1/Rev.1"
    report = plan.report()
    assert report["applied"] == ["MEX-1", "CHL-1"] and report["from"] == "zero-draft"
    assert report["round"] == "zero-draft-inputs" and report["open_proposals"] == []
    assert plan.trailers == {
        "Action": "version",
        "Document": "action-plan",
        "Version": "rev1",
        "Round": "zero-draft-inputs",
    }
    assert plan.message == "Compose rev1 of action-plan from zero-draft and zero-draft-inputs: 2 applied, 0 conflicts"


def test_an_existing_version_is_never_overwritten():
    with pytest.raises(Conflict, match=r"drafts/action-plan/zero-draft.yaml already exists"):
        composition(snap(), Request("zero-draft", path="drafts/action-plan/zero-draft.yaml"))


def test_open_proposals_are_refused_listed_in_a_preview_and_composed_without_when_allowed():
    s = snap(proposals=(MEX1, CHL1), decisions={"MEX-1": Decision("MEX-1", "accepted")})
    with pytest.raises(Conflict, match=r"1 proposal of round zero-draft-inputs is still open \(CHL-1\)"):
        composition(s, Request("rev1"))
    assert composition(s, Request("rev1", preview=True)).open_proposals == ("CHL-1",)
    plan = composition(s, Request("rev1", allow_open=True))
    assert plan.open_proposals == ("CHL-1",)
    assert plan.version.by_id()["clr-2"].text == "States shall cooperate."


def test_decisions_of_proposals_the_round_does_not_hold_stop_compose_and_name_the_file():
    s = snap(stray={"PER-1": None})
    with pytest.raises(NotFound, match=r"decisions/action-plan/zero-draft-inputs.yaml: decides PER-1, which is no"):
        composition(s, Request("rev1"))
    held = snap(
        decisions={"PER-1": Decision("PER-1", "accepted")},
        proposals=(),
        stray={"PER-1": ("contributions/action-plan/zero-draft-inputs/PER.yaml", "line 3: not a list")},
    )
    with pytest.raises(DraftingError, match=r"PER-1 is decided \(accepted\), but .*PER.yaml, which holds it, is not"):
        composition(held, Request("rev1"))


def test_conflicts_under_fail_raise_with_the_report_and_bracket_otherwise():
    s = snap(proposals=(MEX1, AUT1))
    with pytest.raises(ComposeConflicts) as err:
        composition(s, Request("rev1", on_conflict="fail"))
    assert err.value.report["conflicts"][0]["paragraph"] == "clr-1"
    plan = composition(s, Request("rev1"))
    assert "[" in plan.version.by_id()["clr-1"].text and plan.report()["conflicts"][0]["resolution"] == "brackets"
    with pytest.raises(DraftingError, match="--on-conflict must be brackets or fail"):
        composition(s, Request("rev1", on_conflict="merge"))


def test_the_next_round_opens_on_the_new_version_checked_as_round_open_checks_it():
    plan = composition(snap(), Request("rev1", open_next="2026-10-01"))
    nxt = plan.next_round
    assert nxt is not None and nxt.base == "rev1" and nxt.id == "rev1-inputs" and nxt.deadline == "2026-10-01"
    assert nxt.opened == "2026-09-10T20:00:00Z" and plan.trailers["Opens-Round"] == "rev1-inputs"
    with pytest.raises(DraftingError, match="has already passed"):
        composition(snap(), Request("rev1", open_next="2026-09-01"))
    with pytest.raises(Conflict, match="already exists"):
        composition(snap(), Request("rev1", open_next="2026-10-01", next_id="zero-draft-inputs"))
    # a preview writes no round, so it opens none
    assert composition(snap(), Request("rev1", open_next="2026-10-01", preview=True)).next_round is None


def test_the_service_reads_once_under_the_lock_and_commits_once(example):
    """A real compose: one commit, dated by the server's clock, holding the version and the
    round it opens; the snapshot read under the lock."""
    from drafting.service import versions
    from drafting.store.workspace import Workspace

    before = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=example, capture_output=True, text=True)
    with clock.fixed("2026-09-10T20:00:00Z"):
        report = versions.compose(
            Workspace(example), "action-plan", "zero-draft", "rev1", allow_open=True, open_next="2026-10-01"
        )
    after = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=example, capture_output=True, text=True)
    assert int(after.stdout) == int(before.stdout) + 1
    shown = subprocess.run(
        ["git", "show", "--name-only", "--format=%cI%n%B", "HEAD"], cwd=example, capture_output=True, text=True
    ).stdout
    assert shown.startswith("2026-09-10T20:00:00Z") or shown.startswith("2026-09-10T20:00:00+00:00")
    assert "drafts/action-plan/rev1.yaml" in shown and f"rounds/{report['next_round']['id']}.yaml" in shown
    assert "Opens-Round: rev1-inputs" in shown
    assert Workspace(example).version("action-plan", "rev1").date == "2026-09-10"  # (the example keeps UTC)
