"""The calendar as iCalendar (RFC 5545), through the ``icalendar`` library: a file a
delegate imports into, or subscribes to from, Outlook, Google or Apple calendars.

Each event keeps its ``uid`` (so a calendar read again updates events instead of adding
copies); days are all-day events (a meeting of several days ends the day after its last
day, as RFC 5545 counts), deadlines given with a time are moments in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..model.calendar import Event


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "conference"


def to_ics(events: Sequence[Event], conference: str, timezone: str, now: dt.datetime) -> bytes:
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    cal = Calendar()
    cal.add("prodid", "-//drafting//conference calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", conference)
    cal.add("x-wr-timezone", timezone)
    domain = f"{_slug(conference)}.drafting.invalid"
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for e in events:
        ev = IcsEvent()
        ev.add("uid", f"{e.uid}@{domain}")
        ev.add("dtstamp", stamp)
        ev.add("summary", e.title)
        if e.at is not None:
            ev.add("dtstart", e.at.astimezone(dt.UTC))
        else:
            ev.add("dtstart", e.day)
            ev.add("dtend", e.last_day + dt.timedelta(days=1))
        if e.detail:
            ev.add("description", e.detail)
        ev.add("categories", [e.kind])
        if e.kind != "meeting":
            ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        cal.add_component(ev)
    return cal.to_ical()
