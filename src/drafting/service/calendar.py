"""The calendar: every dated event of the workspace, gathered from its sources.

A source is a function from the workspace to events (``model.calendar.Event``);
:data:`EVENT_SOURCES` lists them, and :func:`events` gathers them all, in order. Adding a
kind of dated thing to the calendar (and so to ``drafting calendar``, its ICS file, the
app and the forecast's "will it be ready" check) is one function and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..model.calendar import Event, due_events, in_order, meeting_events, round_events
from ..model.when import as_date
from ..store.workspace import Workspace
from . import clock

Source = Callable[[Workspace], Iterable[Event]]

EVENT_SOURCES: tuple[Source, ...] = (
    lambda ws: meeting_events(ws.config),
    lambda ws: due_events(ws.config),
    lambda ws: round_events(_rounds_now(ws)),
)


def _rounds_now(ws: Workspace):
    """The configuration with each round as it stands at the server's now (a later
    deadline counts from when it was granted: ``model.rounds.as_of``)."""
    from dataclasses import replace

    from ..model.rounds import as_of

    now = clock.now()
    return replace(ws.config, rounds=tuple(as_of(r, now) for r in ws.config.rounds))


def events(ws: Workspace) -> list[Event]:
    """Every dated event of the workspace, in order."""
    return in_order(e for source in EVENT_SOURCES for e in source(ws))


def today(ws: Workspace):
    """Today in the conference's time zone."""
    return as_date(clock.now(), ws.config.timezone)


def calendar_json(ws: Workspace) -> dict[str, Any]:
    day = today(ws)
    return {
        "conference": ws.config.conference,
        "timezone": ws.config.timezone,
        "today": day.isoformat(),
        "events": [dict(e.to_json(), past=e.last_day < day) for e in events(ws)],
    }


def write_ics(ws: Workspace, out: Path) -> Path:
    from ..formats.ics import to_ics
    from ..formats.packages import write_bytes

    return write_bytes(Path(out), to_ics(events(ws), ws.config.conference, ws.config.timezone, clock.now()))


def ics_bytes(ws: Workspace) -> bytes:
    from ..formats.ics import to_ics

    return to_ics(events(ws), ws.config.conference, ws.config.timezone, clock.now())
