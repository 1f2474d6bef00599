"""The status of paragraphs on the Draft page: a badge per paragraph, the status board
(per section: agreed / ad ref / bracketed / open, and how that changed over time), and
the Presidency's control to record a paragraph's status.

The Draft page calls :func:`statuses`, :func:`badge`, :func:`board` and :func:`control`;
everything about paragraph status in the app is here.
"""

from __future__ import annotations

import streamlit as st

from ...model.errors import DraftingError
from ...model.status import AD_REF, AGREED, BRACKETED, OPEN, STATUS_WORDS
from .. import cache, markup
from ..common import Ctx, flash, show_error

#: the board's columns, most settled first
COLUMNS = (AGREED, AD_REF, BRACKETED, OPEN)
SHORT = {AGREED: "agreed", AD_REF: "ad ref", BRACKETED: "bracketed", OPEN: "open"}


def statuses(c: Ctx, version: str) -> dict[str, str]:
    """Paragraph id -> its status in ``version``."""
    data = cache.statuses(c.root, c.head, c.document, version)
    return {r["id"]: r["status"] for r in data["paragraphs"]}


def badge(status: str | None) -> str:
    """The paragraph's status as a badge (nothing for an open paragraph)."""
    if not status or status == OPEN:
        return ""
    return (
        '<div class="dr-badges">'
        + markup.badge(STATUS_WORDS[status], f"st-{status}", f"Status of the paragraph: {STATUS_WORDS[status]}")
        + "</div>"
    )


def board(c: Ctx, version: str) -> None:
    """The status board of ``version``, and how the statuses changed over time."""
    data = cache.statuses(c.root, c.head, c.document, version)
    rows = data["board"]
    whole = rows[-1]
    settled = whole[AGREED] + whole[AD_REF]
    title = (
        f"Status board: {whole[AGREED]} agreed, {whole[AD_REF]} ad ref, {whole[BRACKETED]} bracketed, "
        f"{whole[OPEN]} open of {whole['total']} paragraphs"
    )
    with st.expander(title, expanded=False):
        st.html(_board_html(rows))
        st.caption(
            f"{settled} of {whole['total']} paragraphs settled. A paragraph is bracketed while its text "
            "holds square brackets; the Presidency records agreed ad referendum and agreed."
        )
        timeline = cache.status_timeline(c.root, c.head, c.document)
        if len(timeline) > 1:
            st.markdown("**Over time**")
            st.html(_timeline_html(timeline))


def _bars(row: dict) -> str:
    parts = "".join(f'<span class="dr-bar dr-bar-{k}" style="flex:{row[k]}"></span>' for k in COLUMNS if row[k])
    return f'<span class="dr-barbox">{parts}</span>'


def _timeline_html(timeline: list[dict]) -> str:
    """Each step that changed the statuses (a version circulated, a status recorded), newest
    first, with the counts then and a bar of them."""
    from ...model.history import day

    head = "".join(f"<th>{markup.e(SHORT[k])}</th>" for k in COLUMNS)
    rows = []
    for p in reversed(timeline):
        cells = "".join(f'<td class="dr-st-{k}">{p[k]}</td>' for k in COLUMNS)
        rows.append(
            f'<tr><th>{markup.e(day(p["date"], year=True))}</th><td class="dr-event">{markup.e(p["event"])}</td>'
            f'{cells}<td class="dr-bars">{_bars(p)}</td></tr>'
        )
    return (
        f'<table class="dr-board dr-timeline"><thead><tr><th>When</th><th>What</th>{head}<th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _board_html(rows: list[dict]) -> str:
    head = "".join(f"<th>{markup.e(SHORT[k])}</th>" for k in COLUMNS)
    body = []
    for r in rows:
        name = r["section"] or "Whole document"
        cls = ' class="dr-board-total"' if r["section"] is None else ""
        cells = "".join(f'<td class="dr-st-{k}">{r[k] or ""}</td>' for k in COLUMNS)
        body.append(
            f'<tr{cls}><th>{markup.e(name)}</th>{cells}<td>{r["total"]}</td><td class="dr-bars">{_bars(r)}</td></tr>'
        )
    return (
        f'<table class="dr-board"><thead><tr><th>Section</th>{head}<th>total</th><th></th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def control(c: Ctx, version: str, pid: str) -> None:
    """The paragraph's status, and for the Presidency a form to record another."""
    data = cache.statuses(c.root, c.head, c.document, version)
    row = next((r for r in data["paragraphs"] if r["id"] == pid), None)
    if row is None:  # a heading
        return
    rec = row["recorded"]
    line = STATUS_WORDS[row["status"]]
    if rec and not row["lapsed"] and rec.get("note"):
        line += f" ({rec['note']})"
    if row["lapsed"]:
        line += (
            f"; it was {STATUS_WORDS[rec['status']]} on {c.version_label(rec['version'])}, and the text changed since"
        )
    st.markdown("**Status**")
    st.html(f'<p class="dr-muted">{markup.e(line)}</p>')
    if not c.is_presidency:
        return
    latest = c.versions()[-1]["version"] if c.versions() else None
    if version != latest:
        st.caption("Statuses are recorded on the latest version.")
        return
    choices = [AGREED, AD_REF, OPEN]
    with st.form(key=f"status_form_{pid}", border=False):
        new = st.selectbox(
            "Record as",
            choices,
            format_func=lambda s: "open (reopen)" if s == OPEN else STATUS_WORDS[s],
            key=f"status_new_{pid}",
        )
        note = st.text_input("Note (optional)", key=f"status_note_{pid}")
        if st.form_submit_button("Record the status"):
            _record(c, pid, new, note)


def _record(c: Ctx, pid: str, status: str, note: str) -> None:
    from ...service.conference import record_status

    try:
        r = record_status(c.writer(), c.document, pid, status, note=note or None, by=c.actor.code)
    except DraftingError as err:
        show_error(err)
        return
    words = "reopened" if r["status"] == OPEN else STATUS_WORDS[r["status"]]
    flash("success", f"Recorded {r['number']} as {words}.")
    st.rerun()
