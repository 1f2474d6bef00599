"""The conference's calendar: dated events from the configuration, in order. Pure.

An :class:`Event` is one dated thing: a meeting (one or several days), the day documents
are due for translation, a round opening or closing. Each *source* is a function from
what it knows to events (:func:`meeting_events`, :func:`due_events`, :func:`round_events`
here; ``service.calendar`` lists the sources and gathers them, so adding one is one
line there). :func:`in_order` sorts them for display.

Dates follow ``model.when``: a date alone is that day (in the workspace's ``timezone:``);
a deadline given with a time is that moment (``at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import DraftingError
from .records import Config, Meeting
from .when import as_date, long_date, parse_when

#: the order of events on the same day: what closes before what opens
KIND_ORDER = ("round-deadline", "documents-due", "round-opens", "meeting")


@dataclass(frozen=True)
class Event:
    """One dated event of the calendar."""

    kind: str  # meeting | documents-due | round-opens | round-deadline | ... (a source may add its own)
    uid: str  # stable across runs: "meeting/rc3", "round-deadline/zero-draft-inputs"
    title: str  # as a secretariat writes it: "Third Review Conference (Vientiane)"
    day: dt.date  # the (first) day, in the conference's time zone
    end: dt.date | None = None  # the last day of an event of several days
    at: dt.datetime | None = None  # the exact moment of a deadline given with a time
    document: str | None = None
    meeting: str | None = None
    round: str | None = None
    detail: str | None = None
    #: the document's text may still change until this event (a round's or a silence
    #: procedure's deadline): the documentation forecast flags a document whose text is
    #: not settled by its translation deadline
    settles_text: bool = False

    @property
    def last_day(self) -> dt.date:
        return self.end or self.day

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "uid": self.uid,
            "title": self.title,
            "date": self.day.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "at": self.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if self.at else None,
            "document": self.document,
            "meeting": self.meeting,
            "round": self.round,
            "detail": self.detail,
            "settles_text": self.settles_text,
        }


def in_order(events: Iterable[Event]) -> list[Event]:
    """By day, then moment, then what closes before what opens, then title."""

    def key(e: Event):
        rank = KIND_ORDER.index(e.kind) if e.kind in KIND_ORDER else len(KIND_ORDER)
        moment = e.at.astimezone(dt.UTC).isoformat() if e.at else "~"
        return (e.day, moment, rank, e.title, e.uid)

    return sorted(events, key=key)


def _has_time(value: object) -> bool:
    return isinstance(value, dt.datetime) or (isinstance(value, str) and len(value.strip()) > 10)


def meeting_title(m: Meeting) -> str:
    return m.name + (f" ({m.venue})" if m.venue else "")


def meeting_events(config: Config) -> list[Event]:
    return [
        Event(
            "meeting",
            f"meeting/{m.id}",
            meeting_title(m),
            dt.date.fromisoformat(m.start),
            dt.date.fromisoformat(m.end) if m.end else None,
            meeting=m.id,
            detail=", ".join(document_title(config, d.document, d.title) for d in m.documents) or None,
        )
        for m in config.meetings
    ]


def document_title(config: Config, document: str | None, title: str | None) -> str:
    if document:
        info = config.documents.get(document)
        return info.title if info else document
    return title or ""


def due_date(config: Config, meeting: Meeting) -> dt.date:
    """The day a meeting's documents are due for translation (``documentation.due_weeks``
    weeks before its first day)."""
    return dt.date.fromisoformat(meeting.start) - dt.timedelta(weeks=config.documentation.due_weeks)


def due_events(config: Config) -> list[Event]:
    """For each meeting that needs documents: the day they are due for translation."""
    out = []
    for m in config.meetings:
        if not m.documents:
            continue
        names = [document_title(config, d.document, d.title) for d in m.documents]
        out.append(
            Event(
                "documents-due",
                f"documents-due/{m.id}",
                f"Documents for the {m.name} due for translation",
                due_date(config, m),
                meeting=m.id,
                detail=f"{config.documentation.due_weeks} weeks before the meeting opens on "
                f"{long_date(m.start)}: {', '.join(names)}",
            )
        )
    return out


def _day(value: str, tz: str, where: str) -> dt.date:
    try:
        return as_date(value, tz)
    except (DraftingError, ValueError):
        raise DraftingError(
            f"drafting.yaml: {where}: {value!r} is not a date (2026-07-15) or a date and time"
        ) from None


def round_events(config: Config) -> list[Event]:
    """Each input round's opening and deadline."""
    tz = config.timezone
    out = []
    for r in config.rounds:
        title = document_title(config, r.document, None)
        if r.opens:
            out.append(
                Event(
                    "round-opens",
                    f"round-opens/{r.id}",
                    f"Input round on the {title} ({r.base}) opens",
                    _day(r.opens, tz, f"round {r.id}: opens"),
                    at=parse_when(r.opens, tz, what="opening") if _has_time(r.opens) else None,
                    document=r.document,
                    round=r.id,
                )
            )
        if r.deadline:
            out.append(
                Event(
                    "round-deadline",
                    f"round-deadline/{r.id}",
                    f"Deadline for inputs on the {title} ({r.base})",
                    _day(r.deadline, tz, f"round {r.id}: deadline"),
                    at=parse_when(r.deadline, tz, what="deadline") if _has_time(r.deadline) else None,
                    document=r.document,
                    round=r.id,
                    settles_text=True,
                )
            )
    return out


def long_span(start: object, end: object | None = None) -> str:
    """Days as documents write them: "14–18 September 2026", "30 March – 2 April 2026",
    "5 February 2026"."""
    a = as_date(start)
    b = as_date(end) if end else a
    if b == a:
        return long_date(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{long_date(b)}"
    if a.year == b.year:
        return f"{long_date(a).rsplit(' ', 1)[0]} – {long_date(b)}"
    return f"{long_date(a)} – {long_date(b)}"
