"""What's new: for the delegation signed in, what happened since its last visit (new
versions, decisions on its proposals, co-sponsor requests) and the deadlines approaching,
each with a link to the place it is about."""

from __future__ import annotations

import streamlit as st

from .. import markup, notices
from ..common import ctx, page_header, page_link

KINDS = {"version": "New versions", "decision": "Decisions", "cosponsor": "Co-sponsors", "deadline": "Deadlines"}


def render() -> None:
    c = ctx()
    last = st.session_state.get(notices.SINCE, {}).get(c.actor.code)
    since = f"since your last visit on {c.date(last.at)}" if last else "since the start (your first visit)"
    page_header(c, "What's new", f"For {c.actor.name}, {since}")
    items = notices.items(c.root, c.head, c.actor.code)
    if not items:
        st.info(f"Nothing new for {c.actor.name} {since}.")
        return
    titles = {k: v.title for k, v in c.config.documents.items()}
    by_doc: dict[str, list] = {}
    for it in items:
        by_doc.setdefault(it.document, []).append(it)
    for doc, its in by_doc.items():
        st.html(f'<div class="dr-news-doc">{markup.e(titles.get(doc, doc))}</div>')
        for it in its:
            row = st.columns([10, 1], vertical_alignment="center")
            row[0].html(
                f'<div class="dr-news dr-news-{markup.e(it.kind)}"><span class="dr-news-kind">'
                f"{markup.e(KINDS.get(it.kind, it.kind))}</span> {markup.e(it.text)}</div>"
            )
            with row[1]:
                page_link(c, it.href, "Open", width="stretch")
    st.button(
        "Mark all as read",
        key="news_read",
        on_click=notices.mark_read,
        args=(c.root, c.head, c.actor.code),
        help="What is listed here will not be shown as new again.",
    )
