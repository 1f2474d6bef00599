"""Moments in the conference's time: deadlines, openings, dates as documents write them.

The one owner of how a WHEN typed by a user or written in ``drafting.yaml`` becomes a
moment (an ISO date means the end of that day in the workspace's ``timezone:``; an ISO
date-time without an offset is in that time zone), and of how dates are written in
circulated documents ("1 December 2026"). Pure: the clock is read at the edges
(``service``), never here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DraftingError

DEFAULT_TIMEZONE = "UTC"
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@lru_cache(maxsize=32)
def zone(name: str | None) -> ZoneInfo:
    """The time zone called ``name`` (an IANA name such as ``Asia/Vientiane``; default UTC)."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise DraftingError(f"{name!r} is not a time zone (use an IANA name such as Asia/Vientiane or UTC)") from None


def is_timezone(name: object) -> bool:
    try:
        zone(str(name))
    except DraftingError:
        return False
    return isinstance(name, str)


def parse_when(value: object, tz: str | None = None, *, what: str = "date") -> dt.datetime:
    """``value`` (an ISO date or date-time, as text or as YAML loaded it) as an aware moment.

    A date alone means the end of that day (23:59:59) in ``tz``; a date-time without an
    offset is in ``tz``; one with an offset or ``Z`` is taken as written.
    """
    z = zone(tz)
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59, 59), z)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(23, 59, 59), z)
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise DraftingError(
                f"{value!r} is not a {what}: write a date (2026-07-15) or a date and time (2026-07-15T18:00)"
            ) from None
    else:
        raise DraftingError(f"{value!r} is not a {what}: write a date (2026-07-15) or a date and time")
    return moment if moment.tzinfo else moment.replace(tzinfo=z)


def iso(moment: dt.datetime) -> str:
    """A moment as written in records: UTC, seconds, ``Z`` (``2026-07-15T16:59:59Z``)."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def as_date(value: object, tz: str | None = None) -> dt.date:
    """The calendar day of ``value`` in ``tz`` (a date stays that date)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        return dt.date.fromisoformat(value.strip())
    return parse_when(value, tz).astimezone(zone(tz)).date()


def long_date(value: object, tz: str | None = None) -> str:
    """A date as UN documents write it: ``1 December 2026``."""
    d = as_date(value, tz)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def long_moment(moment: dt.datetime, tz: str | None = None) -> str:
    """A deadline as a notice writes it: ``15 July 2026, 18:00 (Asia/Vientiane)``."""
    local = moment.astimezone(zone(tz))
    return f"{long_date(local.date())}, {local:%H:%M} ({tz or DEFAULT_TIMEZONE})"
