"""Input rounds: their records, their state at a moment, and who may submit when. Pure.

A round collects proposals against one base version of one document, from ``opens``
until ``deadline`` (in the conference's time zone: a date alone means the end of that
day; an opening date alone, its start). The Presidency manages rounds in the tool, each
change one commit: open one (at most one open round per document), extend its deadline
(for everyone, or for one delegation: recorded), close it. A round is **composed** once a
version was composed from it (the version names it: ``round:``).

Rounds live in ``rounds/<id>.yaml`` (one record each, the Presidency's); the ``rounds:``
of ``drafting.yaml`` are still read (workspaces made before), and a record of the same id
takes their place once the Presidency changes such a round in the tool. :func:`merge`
is the one place the two become one list.

:func:`admission_problem` is the one rule for every way in (a YAML file, a Word file, the
app): ``service/rounds.admit`` reads the clock and calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .errors import Conflict, DraftingError, Problem, ValidationError
from .records import Config, Delegation, DocumentInfo, Extension, Round
from .when import iso, long_moment, parse_when, zone

STATES = ("upcoming", "open", "closed", "composed")
FIELDS = ("id", "document", "base", "opens", "deadline", "extensions", "closed", "opened")
EXTENSION_FIELDS = ("delegation", "deadline", "previous", "granted", "by")


# ----------------------------------------------------------------------------- moments


def opens_at(r: Round, tz: str | None) -> dt.datetime | None:
    """When the round opens: a date alone is the start of that day."""
    if not r.opens:
        return None
    text = str(r.opens).strip()
    if len(text) == 10:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0, 0), zone(tz))
    return parse_when(text, tz, what="opening")


def deadline_at(r: Round, tz: str | None) -> dt.datetime | None:
    """The deadline in force for everyone (None: no deadline)."""
    return parse_when(r.deadline, tz, what="deadline") if r.deadline else None


def extension_for(r: Round, code: str | None, tz: str | None) -> dt.datetime | None:
    """The latest later deadline granted to delegation ``code`` (None if none)."""
    found = [parse_when(e.deadline, tz) for e in r.extensions if code and e.delegation == code]
    return max(found) if found else None


def deadline_for(r: Round, code: str | None, tz: str | None) -> dt.datetime | None:
    """The deadline ``code`` must meet: the round's, or the later one granted to it."""
    general, own = deadline_at(r, tz), extension_for(r, code, tz)
    if general is None:
        return None
    return max(general, own) if own else general


def last_deadline(r: Round, tz: str | None) -> dt.datetime | None:
    """The latest deadline anyone has (None: no deadline)."""
    general = deadline_at(r, tz)
    if general is None:
        return None
    return max([general, *(parse_when(e.deadline, tz) for e in r.extensions if e.delegation)])


# ----------------------------------------------------------------------------- state


def as_of(r: Round, now: dt.datetime) -> Round:
    """The round as it stood at ``now``: a later deadline counts from when it was granted,
    a closing from when it was recorded (what the rules said at a moment stays what they
    said: a submission of July is judged by July's deadline, whatever was granted since)."""
    later = [e for e in r.extensions if _granted(e) > now]
    if not later and not (r.closed and parse_when(r.closed) > now):
        return r
    deadline = r.deadline
    general = [e for e in later if e.delegation is None]
    if general:
        deadline = general[0].previous or deadline
    closed = r.closed if r.closed and parse_when(r.closed) <= now else None
    return replace(r, deadline=deadline, extensions=tuple(e for e in r.extensions if e not in later), closed=closed)


def _granted(e: Extension) -> dt.datetime:
    try:
        return parse_when(e.granted)
    except DraftingError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)


def state(r: Round, now: dt.datetime, tz: str | None, composed: bool = False) -> str:
    """``upcoming``, ``open``, ``closed`` (by the Presidency, or every deadline passed) or
    ``composed`` (a version was composed from it)."""
    if composed:
        return "composed"
    r = as_of(r, now)
    if r.closed and parse_when(r.closed) <= now:
        return "closed"
    start = opens_at(r, tz)
    if start is not None and now < start:
        return "upcoming"
    end = last_deadline(r, tz)
    if end is not None and now > end:
        return "closed"
    return "open"


def current(
    rounds: Iterable[Round], document: str, now: dt.datetime, tz: str | None, composed: Iterable[str] = ()
) -> Round | None:
    """The document's open round at ``now`` (the last opened, should there be several)."""
    done = set(composed)
    found = [r for r in rounds if r.document == document and state(r, now, tz, r.id in done) == "open"]
    return found[-1] if found else None


def for_submission(
    rounds: Iterable[Round], document: str, now: dt.datetime, tz: str | None, composed: Iterable[str] = ()
) -> Round | None:
    """The round a submission goes to when none is named: the document's open round, else
    the last one no version was composed from (a delegation's own later deadline may admit
    it there: :func:`admission_problem` judges), else None."""
    rounds = [r for r in rounds if r.document == document]
    done = set(composed)
    found = current(rounds, document, now, tz, done)
    if found is not None:
        return found
    waiting = [r for r in rounds if r.id not in done]
    return waiting[-1] if waiting else None


def admission_problem(
    r: Round,
    who: Delegation,
    now: dt.datetime,
    tz: str | None,
    *,
    composed_into: str | None = None,
    presidency: str = "the Presidency",
    name: str | None = None,
    hint: bool = True,
) -> str | None:
    """Why ``who`` may not submit in round ``r`` at ``now`` (None: it may). One line
    naming the round (``name``: as a notice names it), its deadline and who can extend it
    (``hint``: and the command that lists the rounds)."""
    name = name or f"round {r.id}"
    r = as_of(r, now)
    can = f"only the Presidency ({presidency}) can extend it, for everyone or for {who.name}"
    if composed_into:
        return (
            f"{name} is over: the Presidency composed {composed_into} from it; inputs now go to the "
            "document's open round" + (" (see 'drafting round list')" if hint else "")
        )
    start = opens_at(r, tz)
    if start is not None and now < start:
        return f"{name} opens on {long_moment(start, tz)}: inputs are accepted from then on"
    own = extension_for(r, who.code, tz)
    if own is not None and now <= own:
        return None
    if r.closed and parse_when(r.closed) <= now:
        return f"{name} was closed by the Presidency on {long_moment(parse_when(r.closed), tz)}: {can}"
    end = deadline_for(r, who.code, tz)
    if end is not None and now > end:
        return f"{name} closed at its deadline, {long_moment(end, tz)}: {can}"
    return None


# ----------------------------------------------------------------------------- changes


def check_open(
    rounds: Sequence[Round],
    new: Round,
    *,
    versions: Iterable[str],
    now: dt.datetime,
    tz: str | None,
    composed: Iterable[str] = (),
    ignore: str | None = None,
) -> None:
    """May ``new`` be opened at ``now``? (``versions``: the document's versions; ``composed``:
    ids of rounds a version was composed from; ``ignore``: a round about to be composed.)"""
    done = set(composed)
    if any(r.id == new.id for r in rounds):
        raise Conflict(f"a round {new.id} already exists; choose another id with --id")
    if new.base not in set(versions):
        known = ", ".join(versions) or "none"
        raise DraftingError(f"{new.document} has no version {new.base!r} to open a round on (versions: {known})")
    end = deadline_at(new, tz)
    if end is None:
        raise DraftingError("a round needs a deadline: give one with --deadline")
    if end <= now:
        raise DraftingError(f"the deadline {long_moment(end, tz)} has already passed: give a later one with --deadline")
    start = opens_at(new, tz)
    if start is not None and start >= end:
        raise DraftingError(
            f"the round would open on {long_moment(start, tz)}, after its deadline {long_moment(end, tz)}"
        )
    for r in rounds:
        if r.document != new.document or r.id == ignore:
            continue
        st = state(r, now, tz, r.id in done)
        if st in ("open", "upcoming"):
            raise Conflict(
                f"{new.document} already has an {st} round, {r.id} (on {r.base}): close it first "
                f"('drafting round close {r.id}'); a document has one open round at a time"
            )


def proposed(
    rounds: Sequence[Round],
    document: str,
    base: str,
    deadline: str,
    *,
    rid: str | None,
    opens: str | None,
    now: dt.datetime,
    tz: str | None,
    versions: Iterable[str],
    composed: Iterable[str] = (),
    composing: str | None = None,
) -> Round:
    """The round ``round open`` (or ``compose --open-next``) would write, checked by
    :func:`check_open` (nothing written). ``versions``: the document's versions (a version
    about to be composed included); ``composing``: the round about to be composed."""
    from .validate import is_slug

    if rid is not None and not is_slug(rid):
        raise DraftingError(f"{rid!r} is not a valid round id (letters, digits, '-')")
    r = Round(
        rid or new_id(rounds, document, base),
        document,
        base,
        when_text(deadline, tz, "deadline"),
        when_text(opens, tz, "opening"),
        opened=iso(now),
        source="record",
    )
    check_open(rounds, r, versions=list(versions), now=now, tz=tz, composed=composed, ignore=composing)
    return r


def when_text(value: str | None, tz: str | None, what: str) -> str | None:
    """A moment as the record keeps it (as given), once it is known to read."""
    if value is None:
        return None
    text = str(value).strip()
    parse_when(text, tz, what=what)  # (raises one line)
    return text


def check_extend(
    r: Round, until: dt.datetime, now: dt.datetime, tz: str | None, *, code: str | None, composed_into: str | None
) -> None:
    r = as_of(r, now)
    if composed_into:
        raise Conflict(f"the round {r.id} was composed into {composed_into}: it can no longer be extended")
    if until <= now:
        raise DraftingError(f"the deadline {long_moment(until, tz)} has already passed: give a later one")
    current_end = deadline_for(r, code, tz)
    if current_end is not None and until <= current_end:
        who = f" for {code}" if code else ""
        raise DraftingError(
            f"{long_moment(until, tz)} is not later than the round's deadline{who}, "
            f"{long_moment(current_end, tz)}: an extension gives a later deadline"
        )


def extended(r: Round, until: str, now: dt.datetime, *, code: str | None, by: str | None) -> Round:
    """``r`` with a later deadline, for ``code`` or (None) for everyone (which reopens a
    round the Presidency closed)."""
    ext = Extension(until, iso(now), code, None if code else r.deadline, by)
    if code:
        return replace(r, extensions=(*r.extensions, ext), source="record")
    return replace(r, deadline=until, extensions=(*r.extensions, ext), closed=None, source="record")


def check_close(r: Round, now: dt.datetime, tz: str | None, *, composed_into: str | None) -> None:
    r = as_of(r, now)
    if composed_into:
        raise Conflict(f"the round {r.id} was composed into {composed_into}: it is over already")
    if r.closed and parse_when(r.closed) <= now:
        raise Conflict(f"the round {r.id} was already closed on {long_moment(parse_when(r.closed), tz)}")


# ----------------------------------------------------------------------------- records


def merge(from_config: Sequence[Round], records: Mapping[str, Round]) -> tuple[Round, ...]:
    """One list of rounds: those of ``drafting.yaml`` (in their order), each replaced by
    its record if it has one, then the other records in the order they were opened."""
    out = [records.get(r.id, r) for r in from_config]
    known = {r.id for r in from_config}
    rest = sorted((r for rid, r in records.items() if rid not in known), key=lambda r: (r.opened or "", r.id))
    return (*out, *rest)


def to_data(r: Round) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "document": r.document, "base": r.base}
    if r.opens:
        out["opens"] = r.opens
    if r.deadline:
        out["deadline"] = r.deadline
    if r.opened:
        out["opened"] = r.opened
    if r.extensions:
        out["extensions"] = [_extension_data(e) for e in r.extensions]
    if r.closed:
        out["closed"] = r.closed
    return out


def _extension_data(e: Extension) -> dict[str, str]:
    pairs = (
        ("delegation", e.delegation),
        ("deadline", e.deadline),
        ("previous", e.previous),
        ("granted", e.granted),
        ("by", e.by),
    )
    return {k: v for k, v in pairs if v}


def _moment(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return iso(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else None


def parse_round(
    data: Any,
    file: str,
    *,
    rid: str,
    documents: Mapping[str, DocumentInfo],
    delegations: Iterable[str],
    tz: str | None,
) -> Round:
    """A round record (``rounds/<id>.yaml``), validated: every problem at once."""
    from .validate import is_slug

    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(file, where, message))

    if not isinstance(data, dict):
        raise ValidationError([Problem(file, "", "expected a round: id, document, base, deadline")])
    for k in data:
        if k not in FIELDS:
            add(str(k)[:40], f"unknown field; a round has {', '.join(FIELDS)}")
    values = {k: data.get(k) for k in ("id", "document", "base")}
    for k, v in values.items():
        if not isinstance(v, str) or not is_slug(v):
            add(k, "is missing" if v is None else f"{str(v)[:40]!r} is not a valid name")
    if isinstance(values["id"], str) and values["id"] != rid:
        add("id", f"says {values['id'][:40]!r}, but the file is the round {rid}'s")
    if isinstance(values["document"], str) and values["document"] not in documents:
        add("document", f"unknown document {values['document'][:40]!r}; documents are {', '.join(documents)}")
    moments: dict[str, str | None] = {}
    for k in ("opens", "deadline", "closed", "opened"):
        v = _moment(data.get(k))
        if data.get(k) is not None:
            try:
                parse_when(v, tz, what=k)
            except DraftingError as e:
                add(k, str(e))
                v = None
        moments[k] = v
    if not moments["deadline"]:
        add("deadline", "is missing: a round has a deadline")
    exts: list[Extension] = []
    raw = data.get("extensions") or []
    codes = set(delegations)
    if not isinstance(raw, list):
        add("extensions", "should be a list: - {delegation: MEX, deadline: 2026-07-20, granted: ...}")
        raw = []
    for i, item in enumerate(raw):
        where = f"extensions[{i}]"
        if not isinstance(item, dict):
            add(where, "should be a mapping: {delegation: MEX, deadline: 2026-07-20, granted: ...}")
            continue
        for k in item:
            if k not in EXTENSION_FIELDS:
                add(f"{where}.{str(k)[:40]}", f"unknown field; an extension has {', '.join(EXTENSION_FIELDS)}")
        got = {k: _moment(item.get(k)) for k in ("deadline", "granted", "previous")}
        for k in ("deadline", "granted"):
            try:
                parse_when(got[k], tz, what=k)
            except DraftingError as err:
                add(f"{where}.{k}", str(err) if got[k] else "is missing")
                got[k] = None
        code, by = item.get("delegation"), item.get("by")
        for k, v in (("delegation", code), ("by", by)):
            if v is not None and v not in codes:
                add(f"{where}.{k}", f"{str(v)[:40]!r} is not a delegation listed in drafting.yaml")
        if got["deadline"] and got["granted"]:
            exts.append(Extension(str(got["deadline"]), str(got["granted"]), code, got["previous"], by))
    if problems:
        raise ValidationError(problems)
    return Round(
        rid,
        str(values["document"]),
        str(values["base"]),
        moments["deadline"],
        moments["opens"],
        tuple(exts),
        moments["closed"],
        moments["opened"],
        source="record",
    )


def parse_round_in(config: Config, data: Any, file: str, rid: str) -> Round:
    """:func:`parse_round` against the conference's documents, delegations and time zone."""
    return parse_round(
        data,
        file,
        rid=rid,
        documents=config.documents,
        delegations=[d.code for d in config.delegations],
        tz=config.timezone,
    )


def new_id(rounds: Iterable[Round], document: str, base: str) -> str:
    """An id for a new round: ``<base>-inputs`` (``<document>-<base>-inputs`` if taken, then
    numbered)."""
    taken = {r.id for r in rounds}
    for candidate in (f"{base}-inputs", f"{document}-{base}-inputs"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{document}-{base}-inputs-{n}" in taken:
        n += 1
    return f"{document}-{base}-inputs-{n}"
