"""Who may do what: pure rules the store and the app both go through."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import PermissionDenied
from .records import Config, Delegation

CAN_PROPOSE_TEXT = {"presidency", "state-party", "signatory", "secretariat"}
CAN_SUBMIT = CAN_PROPOSE_TEXT | {"observer"}
CAN_DECIDE = {"presidency"}
CAN_COMPOSE = {"presidency"}
#: who keeps the translations (drafts/<document>/<version>.<language>.yaml)
CAN_TRANSLATE = {"presidency", "secretariat"}
#: who keeps the reference documents (earlier outcome documents: agreed language)
CAN_ADD_REFERENCES = {"presidency", "secretariat"}
#: who records paragraph status and runs silence procedures
CAN_RECORD_STATUS = {"presidency"}
CAN_RUN_SILENCE = {"presidency"}
#: who opens, extends and closes input rounds (rounds/<id>.yaml)
CAN_MANAGE_ROUNDS = {"presidency", "secretariat"}
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


def acting(config: Config, by: str | None) -> Delegation:
    """Who acts in a Presidency's command: the delegation given with --by, else the
    Presidency (refused in one line if unknown)."""
    return require_delegation(config, by or config.presidency, "delegation for --by")


def may_only_comment(d: Delegation) -> bool:
    """An observer: it submits comments, never text."""
    return d.role not in CAN_PROPOSE_TEXT


def comment_only_problem(d: Delegation, ops: Iterable[str]) -> str | None:
    """Why ``d`` may not propose ``ops`` (an observer may only comment), or None. The one
    statement of the rule: the CLI and the app (:func:`check_may_submit`), the validator
    of a contribution file, and ``drafting check`` on a commit all ask it."""
    if not may_only_comment(d):
        return None
    bad = sorted({op for op in ops if op != "comment"})
    return f"{d.code} is an observer and may only comment, not {', '.join(bad)}" if bad else None


def check_may_submit(d: Delegation, ops: Iterable[str]) -> None:
    if d.role not in CAN_SUBMIT:
        raise PermissionDenied(f"{d.code} ({d.role}) may not submit inputs")
    problem = comment_only_problem(d, ops)
    if problem:
        raise PermissionDenied(problem)


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


# ------------------------------------------------------------------ co-sponsors and ids

#: who may co-sponsor a proposal: States (the Presidency, observers and the secretariat
#: act in another capacity and do not co-sponsor)
CAN_CO_SPONSOR = {"state-party", "signatory"}


def co_sponsor_problem(d: Delegation) -> str | None:
    """Why ``d`` cannot co-sponsor a proposal (None if it can)."""
    if d.role in CAN_CO_SPONSOR:
        return None
    return f"{d.code} ({d.role}) cannot co-sponsor a proposal: only States Parties and signatories do"


def id_owner(config: Config, pid: str) -> str | None:
    """The delegation whose numbering ``pid`` belongs to: the longest delegation code ``C``
    such that ``pid`` starts with ``C-`` (codes may hold a hyphen themselves), or None."""
    best: str | None = None
    i = pid.find("-")
    while 0 < i < len(pid) - 1:  # each ``C-`` the id starts with, shortest first
        if config.delegation(pid[:i]) is not None:
            best = pid[:i]
        i = pid.find("-", i + 1)
    return best


def proposal_id_problem(config: Config, code: str, pid: str) -> str | None:
    """Why delegation ``code`` may not give a proposal the id ``pid`` (None if it may).
    A delegation's proposals are numbered ``CODE-n``: an id in another delegation's
    numbering would take a proposal that is not its own (or one not yet submitted)."""
    owner = id_owner(config, pid)
    if owner == code:
        return None
    if owner is None:
        return (
            f"proposal id {pid} is not in {code}'s numbering: {code}'s proposals are numbered "
            f"{code}-1, {code}-2, ...; leave the id out and one will be assigned"
        )
    return (
        f"proposal id {pid} is in {owner}'s numbering, not {code}'s: a delegation uses only its "
        f"own ids ({code}-1, {code}-2, ...); leave the id out and one will be assigned"
    )


def check_may_add_reference(d: Delegation) -> None:
    if d.role not in CAN_ADD_REFERENCES:
        raise PermissionDenied(
            f"{d.code} ({d.role}) may not add reference documents: the Presidency and the secretariat keep them"
        )


def check_may_record_status(d: Delegation) -> None:
    if d.role not in CAN_RECORD_STATUS:
        raise PermissionDenied(f"{d.code} ({d.role}) may not record the status of paragraphs: only the Presidency does")


def check_may_run_silence(d: Delegation) -> None:
    if d.role not in CAN_RUN_SILENCE:
        raise PermissionDenied(
            f"{d.code} ({d.role}) may not start or close a silence procedure: only the Presidency does"
        )


def check_may_manage_rounds(d: Delegation) -> None:
    if d.role not in CAN_MANAGE_ROUNDS:
        raise PermissionDenied(
            f"{d.code} ({d.role}) may not open, extend or close input rounds: only the Presidency "
            "(and the secretariat) manage them"
        )
