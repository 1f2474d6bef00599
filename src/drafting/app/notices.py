"""What's new for the delegation signed in: its last visit, kept by the server.

At the first run of a session for a delegation, the snapshot of its last visit is read
from the server's state folder (``service.news.Visits``) and kept in the session, and the
visit of now is written in its place: for the whole session the app says what is new
since the visit before, and the next session says what is new since this one. The news
themselves are computed by ``model.news.whats_new`` over records cached per repository
state (shared by every session); deadlines count from the server's clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

import streamlit as st

from ..model.errors import DraftingError
from ..model.news import News, Seen, seen, whats_new
from . import cache
from .auth import secret

SINCE = "_drafting_news_since"  # {code: Seen | None}, for this session


def server_settings():
    """The server's notification settings (environment, then ``[drafting]`` secrets)."""
    from ..service.digest import settings

    return settings(os.environ, {"drafting": secret("drafting") or {}})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _visits(root: str):
    from ..service.news import Visits, state_folder

    return Visits(state_folder(root, server_settings().state_dir))


def visit(root: str, head: str, code: str) -> Seen | None:
    """The last visit of ``code`` before this session (None: the first), recording this
    one on the first run of the session."""
    since: dict = st.session_state.setdefault(SINCE, {})
    if code not in since:
        try:
            store = _visits(root)
            since[code] = store.load(code)
            store.save(code, seen(cache.news_records(root, head), code, _now()))
        except DraftingError:  # no place to keep it (a read-only server): news since the start
            since[code] = None
    return since[code]


def mark_read(root: str, head: str, code: str) -> None:
    """Everything up to now counts as seen (for this session and the next)."""
    snapshot = seen(cache.news_records(root, head), code, _now())
    st.session_state.setdefault(SINCE, {})[code] = snapshot
    with contextlib.suppress(DraftingError):
        _visits(root).save(code, snapshot)


def _key(code: str) -> tuple[dict | None, str]:
    last = st.session_state.get(SINCE, {}).get(code)
    return (last.to_json() if last else None), _now().strftime("%Y-%m-%dT%H")


def news(root: str, head: str, code: str, document: str | None = None) -> News:
    last, hour = _key(code)
    return cache.news(root, head, code, last, hour, document)


def items(root: str, head: str, code: str, document: str | None = None) -> tuple:
    """The news as sentences with their addresses (``service.news.Item``)."""
    last, hour = _key(code)
    return cache.news_items(root, head, code, last, hour, document)


def compute(records, code: str, last_json: dict | None, hour: str, document: str | None) -> News:
    """(For the cache) the news at the start of ``hour``."""
    now = dt.datetime.fromisoformat(hour + ":00:00+00:00")
    return whats_new(records, code, Seen.from_json(last_json) if last_json else None, now, document=document)
