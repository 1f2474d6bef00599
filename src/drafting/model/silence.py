"""The silence procedure: a version is adopted unless a State breaks silence before the
deadline. Pure rules and records; the clock is read in ``service``.

The Presidency starts a procedure on a version with a deadline; until then, any State
party or signatory (not an observer, not the Presidency) may break silence once, with a
statement and, if it wishes, proposed text for paragraphs (which becomes a proposal in a
new round, should the Presidency open one). After the deadline the Presidency closes the
procedure: the version is **adopted** (on the day the deadline fell) if nobody broke
silence, else the procedure is **broken**, with who broke it and their statements. One
procedure at a time per document.

Files (see ``store/workspace.py``)::

    silence/<document>/<n>.yaml         the procedure (the Presidency's)
    silence/<document>/<n>/<CODE>.yaml  a delegation's break (that delegation's)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Conflict, DraftingError, PermissionDenied, Problem, ValidationError
from .records import Delegation, Limits
from .roles import CAN_BREAK_SILENCE
from .when import as_date, iso, long_date, long_moment, parse_when

ADOPTED = "adopted"
BROKEN = "broken"
OUTCOMES = (ADOPTED, BROKEN)


@dataclass(frozen=True)
class BreakProposal:
    """Text a delegation proposes for a paragraph when it breaks silence."""

    paragraph: str
    text: str


@dataclass(frozen=True)
class SilenceBreak:
    delegation: str
    at: str  # ISO, UTC
    statement: str
    proposals: tuple[BreakProposal, ...] = ()


@dataclass(frozen=True)
class Procedure:
    document: str
    id: str  # "1", "2" ... in the order started
    version: str
    started: str  # ISO, UTC
    until: str  # ISO, UTC: the deadline
    note: str | None = None
    closed: str | None = None
    outcome: str | None = None  # adopted | broken, once closed
    adopted: str | None = None  # the day it was adopted (ISO date, the conference's time zone)

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def deadline(self) -> dt.datetime:
        return parse_when(self.until)


# ----------------------------------------------------------------------------- the rules


def open_procedure(procedures: Sequence[Procedure]) -> Procedure | None:
    """The procedure under way (not closed), if any."""
    return next((p for p in procedures if p.is_open), None)


def next_id(procedures: Sequence[Procedure]) -> str:
    numbers = [int(p.id) for p in procedures if p.id.isdigit()]
    return str(max(numbers, default=0) + 1)


def check_start(
    procedures: Sequence[Procedure],
    version: str,
    labels: Mapping[str, str],
    until: dt.datetime,
    now: dt.datetime,
    tz: str | None,
) -> None:
    """May a procedure start on ``version`` with deadline ``until``, at ``now``?
    (``labels``: version -> "Revision 1", for the messages.)"""
    current = open_procedure(procedures)
    version_label = labels.get(version, version)
    if current is not None:
        raise Conflict(
            f"a silence procedure is already under way on {labels.get(current.version, current.version)} (until "
            f"{long_moment(current.deadline(), tz)}): close it before starting another"
        )
    for p in procedures:
        if p.version == version and p.outcome == ADOPTED:
            raise Conflict(f"{version_label} was already adopted on {long_date(p.adopted or p.until, tz)}")
    if until <= now:
        raise DraftingError(f"the deadline {long_moment(until, tz)} has already passed: give a later one with --until")


def check_break(
    procedure: Procedure | None,
    breaks: Mapping[str, SilenceBreak],
    d: Delegation,
    now: dt.datetime,
    tz: str | None,
    label: str | None = None,
) -> Procedure:
    """May ``d`` break silence now? Returns the procedure it breaks."""
    if procedure is None or not procedure.is_open:
        raise DraftingError("no silence procedure is under way on this document: there is no silence to break")
    if d.role not in CAN_BREAK_SILENCE:
        raise PermissionDenied(f"{d.code} ({d.role}) may not break silence: only States parties and signatories may")
    if now > procedure.deadline():
        raise DraftingError(
            f"the silence procedure on {label or procedure.version} ended on {long_moment(procedure.deadline(), tz)}: "
            "silence can no longer be broken"
        )
    if d.code in breaks:
        raise Conflict(f"{d.name} already broke silence on {long_moment(parse_when(breaks[d.code].at), tz)}")
    return procedure


def check_close(procedure: Procedure | None, now: dt.datetime, tz: str | None, label: str | None = None) -> Procedure:
    """May the procedure be closed now? Returns it."""
    if procedure is None or not procedure.is_open:
        raise DraftingError("no silence procedure is under way on this document: there is nothing to close")
    if now <= procedure.deadline():
        raise DraftingError(
            f"the silence procedure on {label or procedure.version} runs until {long_moment(procedure.deadline(), tz)}: "
            "it can be closed only after its deadline"
        )
    return procedure


def closed(procedure: Procedure, breaks: Mapping[str, SilenceBreak], now: dt.datetime, tz: str | None) -> Procedure:
    """The procedure closed at ``now``: adopted on the deadline's day if unbroken, else broken."""
    from dataclasses import replace

    if breaks:
        return replace(procedure, closed=iso(now), outcome=BROKEN)
    day = as_date(procedure.deadline(), tz)
    return replace(procedure, closed=iso(now), outcome=ADOPTED, adopted=day.isoformat())


def state(procedure: Procedure, now: dt.datetime) -> str:
    """``running``, ``ended`` (deadline passed, not closed yet), ``adopted`` or ``broken``."""
    if procedure.outcome:
        return procedure.outcome
    return "running" if now <= procedure.deadline() else "ended"


def time_left(procedure: Procedure, now: dt.datetime) -> str:
    """How long until the deadline, in words: "2 days 3 hours", "45 minutes", "ended"."""
    left = (procedure.deadline() - now).total_seconds()
    if left < 0:
        return "ended"
    seconds = int(left)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts) or "less than a minute"


# ------------------------------------------------------------------------------ the files


def _text(problems: list[Problem], file: str, m: dict, key: str, limits: Limits, *, required: bool) -> str | None:
    from .validate import text_problem

    v = m.get(key)
    if v is None:
        if required:
            problems.append(Problem(file, key, "is missing"))
        return None
    if not isinstance(v, str):
        v = str(v) if isinstance(v, (dt.date, dt.datetime, int)) and not isinstance(v, bool) else None
        if v is None:
            problems.append(Problem(file, key, "should be text"))
            return None
    bad = text_problem(v)
    if bad:
        problems.append(Problem(file, key, bad))
        return None
    if len(v) > limits.max_text_chars:
        problems.append(
            Problem(file, key, f"is {len(v):,} characters long, over the limit of {limits.max_text_chars:,}")
        )
        return None
    return v


def _moment(problems: list[Problem], file: str, key: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return iso(parse_when(value))
    except DraftingError:
        problems.append(Problem(file, key, f"{value[:40]!r} is not a date and time"))
        return None


def parse_procedure(data: Any, file: str, *, document: str, pid: str, limits: Limits | None = None) -> Procedure:
    limits = limits or Limits()
    from .validate import is_slug

    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, "", "expected a mapping: version, started, until ...")])
    extra = sorted(set(map(str, data)) - {"version", "started", "until", "note", "closed", "outcome", "adopted"})
    if extra:
        problems.append(Problem(file, extra[0][:40], "unknown field"))
    version = data.get("version")
    if not is_slug(version):
        problems.append(Problem(file, "version", "should name a version of the document"))
    started = _moment(problems, file, "started", _text(problems, file, data, "started", limits, required=True))
    until = _moment(problems, file, "until", _text(problems, file, data, "until", limits, required=True))
    note = _text(problems, file, data, "note", limits, required=False)
    closed_at = _moment(problems, file, "closed", _text(problems, file, data, "closed", limits, required=False))
    outcome = data.get("outcome")
    adopted = _text(problems, file, data, "adopted", limits, required=False)
    if (closed_at is None) != (outcome is None):
        problems.append(Problem(file, "outcome", "a closed procedure has both closed and outcome; an open one neither"))
    if outcome is not None and outcome not in OUTCOMES:
        problems.append(Problem(file, "outcome", f"{str(outcome)[:40]!r} is not adopted or broken"))
    if (outcome == ADOPTED) != (adopted is not None):
        problems.append(Problem(file, "adopted", "the day of adoption goes with outcome: adopted, and only with it"))
    if adopted is not None:
        try:
            dt.date.fromisoformat(adopted)
        except ValueError:
            problems.append(Problem(file, "adopted", f"{adopted[:40]!r} is not a date (2026-09-18)"))
    if until and closed_at and parse_when(closed_at) <= parse_when(until):
        problems.append(Problem(file, "closed", "a procedure closes only after its deadline"))
    if problems:
        raise ValidationError(problems)
    assert started and until
    return Procedure(document, pid, str(version), started, until, note, closed_at, outcome, adopted)


def procedure_to_data(p: Procedure) -> dict[str, Any]:
    d: dict[str, Any] = {"version": p.version, "started": p.started, "until": p.until}
    if p.note:
        d["note"] = p.note
    if p.closed:
        d["closed"] = p.closed
        d["outcome"] = p.outcome
    if p.adopted:
        d["adopted"] = p.adopted
    return d


def parse_break(data: Any, file: str, *, code: str, limits: Limits | None = None) -> SilenceBreak:
    limits = limits or Limits()
    from .validate import PID

    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, "", "expected a mapping: delegation, at, statement, proposals")])
    extra = sorted(set(map(str, data)) - {"delegation", "at", "statement", "proposals"})
    if extra:
        problems.append(Problem(file, extra[0][:40], "unknown field"))
    if data.get("delegation") != code:
        problems.append(Problem(file, "delegation", f"the file is {code}'s break and must say delegation: {code}"))
    at = _moment(problems, file, "at", _text(problems, file, data, "at", limits, required=True))
    statement = _text(problems, file, data, "statement", limits, required=True)
    if statement is not None and not statement.strip():
        problems.append(Problem(file, "statement", "is empty: a break of silence states its reasons"))
    proposals: list[BreakProposal] = []
    raw = data.get("proposals") or []
    if not isinstance(raw, list):
        problems.append(Problem(file, "proposals", "should be a list of {paragraph, text}"))
        raw = []
    for i, item in enumerate(raw):
        where = f"proposals[{i}]"
        if not isinstance(item, dict) or set(map(str, item)) - {"paragraph", "text"}:
            problems.append(Problem(file, where, "should be {paragraph, text}"))
            continue
        pid = item.get("paragraph")
        if not isinstance(pid, str) or not PID.match(pid):
            problems.append(Problem(file, f"{where}.paragraph", "is not a paragraph id"))
            continue
        text = _text(problems, file, item, "text", limits, required=True)
        if text is not None:
            if not text.strip():
                problems.append(Problem(file, f"{where}.text", "is empty"))
                continue
            proposals.append(BreakProposal(pid, " ".join(text.split())))
    if problems:
        raise ValidationError(problems)
    assert at and statement is not None
    return SilenceBreak(code, at, statement.strip(), tuple(proposals))


def break_to_data(b: SilenceBreak) -> dict[str, Any]:
    d: dict[str, Any] = {"delegation": b.delegation, "at": b.at, "statement": b.statement}
    if b.proposals:
        d["proposals"] = [{"paragraph": p.paragraph, "text": p.text} for p in b.proposals]
    return d


__all__ = [
    "ADOPTED",
    "BROKEN",
    "BreakProposal",
    "Procedure",
    "SilenceBreak",
    "break_to_data",
    "check_break",
    "check_close",
    "check_start",
    "closed",
    "next_id",
    "open_procedure",
    "parse_break",
    "parse_procedure",
    "procedure_to_data",
    "state",
    "time_left",
]
