"""The one place drafting reads the clock.

The time of a submission, a decision or a version is the server's clock when it is
accepted: the machine drafting runs on (the app's server, or the Presidency's own command
line). Nothing a participant sends sets it: a file's ``submitted:`` field is rewritten,
and git's ``GIT_AUTHOR_DATE`` / ``GIT_COMMITTER_DATE`` in the environment are ignored (the
store sets both dates from here on every commit). Deadlines (``model.when``) are judged
against :func:`now`.

Two explicit settings override it, for tests, demonstrations and training only:

- ``DRAFTING_CLOCK`` in the server's environment: an ISO date-time with an offset
  (``2026-07-15T18:00:00Z``), the time every command then sees;
- :func:`fixed` in code (a context manager), e.g. around a replay.

Whoever controls the server's environment controls its clock; no participant does.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..model.errors import DraftingError
from ..model.when import iso, zone

ENV = "DRAFTING_CLOCK"

_fixed: list[dt.datetime] = []


def now() -> dt.datetime:
    """The current moment (aware, UTC, whole seconds)."""
    if _fixed:
        return _fixed[-1]
    setting = os.environ.get(ENV)
    if setting:
        return _parse(setting)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamp() -> str:
    """:func:`now` as records and commits write it: ``2026-07-15T16:59:59Z``."""
    return iso(now())


def today(tz: str | None = None) -> dt.date:
    """Today's date in the conference's time zone (``timezone:`` in drafting.yaml)."""
    return now().astimezone(zone(tz)).date()


@contextmanager
def fixed(moment: dt.datetime | str) -> Iterator[dt.datetime]:
    """Within the block, :func:`now` is ``moment`` (tests, replays)."""
    m = _parse(moment) if isinstance(moment, str) else moment
    if m.tzinfo is None:
        raise ValueError("clock.fixed needs an aware moment")
    _fixed.append(m.astimezone(dt.UTC).replace(microsecond=0))
    try:
        yield _fixed[-1]
    finally:
        _fixed.pop()


def _parse(text: str) -> dt.datetime:
    try:
        m = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        m = None
    if m is None or m.tzinfo is None:
        raise DraftingError(
            f"{ENV}={text[:40]!r} is not a moment with a time zone (e.g. 2026-07-15T18:00:00Z); "
            "unset it to use the machine's clock"
        )
    return m.astimezone(dt.UTC).replace(microsecond=0)
