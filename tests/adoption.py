"""A whole negotiation up to adoption, built with the services (the clock handed in, as
the server's clock would have read it), for the tests of numbering, paragraph status, the
silence procedure and the adopted documents.

Zero draft -> round r1 (an amendment, a new action after Action 1, Action 2 deleted, two
amendments of va-1 that collide) -> Revision 1 (Action 1 bis; va-1 in brackets) -> round
r2 (an action between Action 1 and Action 1 bis, the brackets resolved) -> Revision 2 ->
statuses -> a silence procedure broken by Mexico, with proposed text -> round r3, the
proposed text filed and accepted -> Revision 3, issued renumbered -> a silence procedure
nobody breaks -> Revision 3 adopted on 18 September 2026.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import TINY_DRAFT, write
from drafting.service import clock

CONFIG = """\
conference: Third Review Conference of the Convention on Cluster Munitions
venue: Vientiane, 14-18 September 2026
presidency: LAO
timezone: Asia/Vientiane
app: {mode: demo}
documents:
  action-plan: {title: Vientiane Action Plan, symbol: CCM/CONF/2026/PM.1}
delegations:
  - {code: LAO, name: Lao People's Democratic Republic, role: presidency}
  - {code: MEX, name: Mexico, role: state-party}
  - {code: FRA, name: France, role: state-party}
  - {code: AUT, name: Austria, role: state-party}
  - {code: IDN, name: Indonesia, role: signatory}
  - {code: ICRC, name: International Committee of the Red Cross, role: observer}
rounds:
  - {id: r1, document: action-plan, base: zero-draft, deadline: 2026-07-15}
"""

ROUND2 = "  - {id: r2, document: action-plan, base: rev1, deadline: 2026-08-15}\n"
ROUND3 = "  - {id: r3, document: action-plan, base: rev2, deadline: 2026-09-16}\n"

TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Vientiane


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    """A moment of 2026 in Vientiane."""
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def _submit(ws, code: str, round_id: str, proposals: list[dict], when: str) -> None:
    from drafting.service import clock
    from drafting.service.app_queries import contribution_with
    from drafting.service.inputs import submit_data

    data = contribution_with(ws, "action-plan", round_id, code, proposals)
    with clock.fixed(when):  # the server's clock at the time
        submit_data(ws, data, delegation=code, source=f"{code}.yaml", round=round_id)
    ws.forget_contributions()


def _open_round(root: Path, line: str, when: dt.datetime) -> None:
    from drafting.service.identity import identity
    from drafting.store.workspace import Workspace

    ws = Workspace(root)
    text = (root / "drafting.yaml").read_text() + line
    with ws.git.transaction():
        ws.git.commit(
            {"drafting.yaml": text.encode()},
            "Open a round",
            identity(ws.config.presidency_delegation),
            date=when.isoformat(),
        )


def build(root: Path, *, adopt: bool = True) -> Path:
    """The negotiation in a new workspace at ``root`` (see the module docstring)."""
    from drafting.service import conference as C
    from drafting.service.identity import identity
    from drafting.service.inputs import decide
    from drafting.service.setup import init
    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    init(root)
    write(root / "drafting.yaml", CONFIG)
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit(
            {"drafting.yaml": CONFIG.encode(), "drafts/action-plan/zero-draft.yaml": TINY_DRAFT.encode()},
            "Circulate the zero draft",
            identity(ws.config.presidency_delegation),
            date="2026-06-30T10:00:00+07:00",
            trailers={"Action": "version", "Document": "action-plan", "Version": "zero-draft"},
        )
    ws = Workspace(root)
    _submit(
        ws,
        "MEX",
        "r1",
        [
            {
                "op": "amend",
                "paragraph": "clr-1",
                "text": "Each State Party shall complete the clearance of cluster munition remnants by 2030.",
            },
            {
                "op": "insert",
                "after": "clr-1",
                "kind": "action",
                "section": "Survey and clearance",
                "text": "States Parties will mark contaminated areas within six months.",
            },
        ],
        "2026-07-08T09:00:00Z",
    )
    _submit(ws, "FRA", "r1", [{"op": "delete", "paragraph": "clr-2"}], "2026-07-09T09:00:00Z")
    _submit(
        ws,
        "FRA",
        "r1",
        [
            {
                "op": "amend",
                "paragraph": "va-1",
                "text": "States Parties will ensure that survivors participate fully in decisions that affect them.",
            }
        ],
        "2026-07-10T09:00:00Z",
    )
    _submit(
        ws,
        "AUT",
        "r1",
        [
            {
                "op": "amend",
                "paragraph": "va-1",
                "text": "States Parties will ensure that survivors participate meaningfully in decisions that affect them.",
            }
        ],
        "2026-07-11T09:00:00Z",
    )
    _submit(
        ws,
        "ICRC",
        "r1",
        [{"op": "comment", "paragraph": "va-1", "text": "Survivors' networks should be heard."}],
        "2026-07-12T09:00:00Z",
    )
    for pid in ("MEX-1", "MEX-2", "FRA-1", "FRA-2", "AUT-1"):
        with clock.fixed("2026-07-20T09:00:00Z"):
            decide(ws, pid, "accepted")
    with clock.fixed("2026-07-30T12:00:00Z"):
        compose(Workspace(root), "action-plan", "zero-draft", "rev1", allow_open=True)

    _open_round(root, ROUND2, at(7, 31))
    ws = Workspace(root)
    _submit(
        ws,
        "MEX",
        "r2",
        [
            {
                "op": "insert",
                "after": "clr-1",
                "kind": "action",
                "section": "Survey and clearance",
                "text": "States Parties will share survey data with neighbouring States.",
            }
        ],
        "2026-08-05T09:00:00Z",
    )
    va1 = ws.version("action-plan", "rev1").by_id()["va-1"].text
    assert "[" in va1
    _submit(
        ws,
        "AUT",
        "r2",
        [
            {
                "op": "amend",
                "paragraph": "va-1",
                "text": "States Parties will ensure that survivors participate fully and meaningfully in decisions that affect them.",
            }
        ],
        "2026-08-06T09:00:00Z",
    )
    ws = Workspace(root)
    for p in ws.proposals("action-plan", "r2"):
        with clock.fixed("2026-08-20T09:00:00Z"):
            decide(ws, p.id, "accepted")
    with clock.fixed("2026-08-30T12:00:00Z"):
        compose(Workspace(root), "action-plan", "rev1", "rev2", allow_open=True)

    ws = Workspace(root)
    with clock.fixed(at(9, 1)):
        C.record_status(ws, "action-plan", "Action 1", "agreed", note="agreed in the Committee of the Whole")
    with clock.fixed(at(9, 2)):
        C.record_status(ws, "action-plan", "va-1", "ad-ref")
    with clock.fixed(at(9, 3)):
        C.record_status(ws, "action-plan", "Action 1 bis", "agreed")
    with clock.fixed(at(9, 4)):
        C.record_status(ws, "action-plan", "Action 1 bis", "open", note="reopened at the request of Austria")

    with clock.fixed(at(9, 10)):
        C.start_silence(ws, "action-plan", "rev2", "2026-09-14", note="for adoption")
    with clock.fixed(at(9, 12)):
        C.break_silence(
            ws,
            "action-plan",
            "MEX",
            "Mexico cannot join consensus on Action 1 A as drafted.",
            proposals=[("Action 1 A", "States Parties will share survey data with all affected States.")],
        )
    with clock.fixed(at(9, 15, 9)):
        C.close_silence(ws, "action-plan")

    _open_round(root, ROUND3, at(9, 15, 10))
    ws = Workspace(root)
    with clock.fixed(at(9, 15, 11)):  # (the round's deadline is enforced: filed while it is open)
        C.carry_break_proposals(ws, "action-plan", "r3")
    ws = Workspace(root)
    for p in ws.proposals("action-plan", "r3"):
        with clock.fixed("2026-09-15T06:00:00Z"):
            decide(ws, p.id, "accepted")
    with clock.fixed("2026-09-15T06:30:00Z"):
        compose(Workspace(root), "action-plan", "rev2", "rev3", renumber=True, allow_open=True)
    if adopt:
        ws = Workspace(root)
        with clock.fixed(at(9, 15, 12)):
            C.start_silence(ws, "action-plan", "rev3", "2026-09-18T18:00")
        with clock.fixed(at(9, 19, 9)):
            C.close_silence(ws, "action-plan")
    return root
