"""The one clock: every use case reads the current time here."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current moment, as an aware UTC datetime."""
    return dt.datetime.now(dt.UTC)
