"""Who may do what: pure rules the store and the app both go through."""

from __future__ import annotations

from .errors import PermissionDenied
from .records import Config, Delegation

CAN_PROPOSE_TEXT = {"presidency", "state-party", "signatory", "secretariat"}
CAN_SUBMIT = CAN_PROPOSE_TEXT | {"observer"}
CAN_DECIDE = {"presidency"}
CAN_COMPOSE = {"presidency"}
#: who keeps the translations (drafts/<document>/<version>.<language>.yaml)
CAN_TRANSLATE = {"presidency", "secretariat"}
#: who records paragraph status and runs silence procedures
CAN_RECORD_STATUS = {"presidency"}
CAN_RUN_SILENCE = {"presidency"}
#: who may break a silence procedure: States (parties and signatories), not observers
CAN_BREAK_SILENCE = {"state-party", "signatory"}


def require_delegation(config: Config, code: str | None, what: str = "delegation") -> Delegation:
    from .errors import NotFound

    if not code:
        raise NotFound(f"no {what} given: name one with --delegation CODE (see drafting.yaml)")
    d = config.delegation(code)
    if d is None:
        raise NotFound(f"unknown {what} {code!r}: not listed in drafting.yaml")
    return d


def check_may_submit(d: Delegation, ops: list[str] | tuple[str, ...]) -> None:
    if d.role not in CAN_SUBMIT:
        raise PermissionDenied(f"{d.code} ({d.role}) may not submit inputs")
    if d.role not in CAN_PROPOSE_TEXT:
        bad = sorted({op for op in ops if op != "comment"})
        if bad:
            raise PermissionDenied(f"{d.code} is an observer and may only comment; it proposed {', '.join(bad)}")


def check_may_decide(d: Delegation) -> None:
    if d.role not in CAN_DECIDE:
        raise PermissionDenied(f"{d.code} ({d.role}) may not decide on proposals: only the Presidency decides")


def check_may_compose(d: Delegation) -> None:
    if d.role not in CAN_COMPOSE:
        raise PermissionDenied(f"{d.code} ({d.role}) may not compose versions: only the Presidency composes")


def check_may_translate(d: Delegation) -> None:
    if d.role not in CAN_TRANSLATE:
        raise PermissionDenied(
            f"{d.code} ({d.role}) may not record translations: the Presidency and the secretariat keep them"
        )


def check_may_record_status(d: Delegation) -> None:
    if d.role not in CAN_RECORD_STATUS:
        raise PermissionDenied(f"{d.code} ({d.role}) may not record the status of paragraphs: only the Presidency does")


def check_may_run_silence(d: Delegation) -> None:
    if d.role not in CAN_RUN_SILENCE:
        raise PermissionDenied(
            f"{d.code} ({d.role}) may not start or close a silence procedure: only the Presidency does"
        )
