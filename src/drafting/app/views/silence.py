"""Silence procedure: the version under silence, the deadline and the time left, who broke
silence and what they said, the outcome; the Presidency starts and closes a procedure,
States parties and signatories break silence. :func:`banner` is the one line the Draft
page shows about it ("Adopted on 18 September 2026", "Under a silence procedure until ...").
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ...model.errors import DraftingError
from ...model.roles import CAN_BREAK_SILENCE
from ...model.when import zone
from .. import markup
from ..common import Ctx, ctx, flash, page_header, paragraph_option, pick_version, show_error


def _status(c: Ctx) -> dict:
    from ...service.conference import silence_status

    return silence_status(c.ws, c.document)


def banner(c: Ctx, version: str) -> None:
    """One line on the Draft page when ``version`` is adopted or under silence."""
    data = _status(c)
    cur = data["current"]
    adopted = data["adopted"].get(version)
    if adopted:
        from ...model.conventions import adopted_line

        st.html(
            f'<div class="dr-silence dr-silence-adopted"><span class="dr-silence-title">'
            f"{markup.e(adopted_line(adopted))}</span> under a silence procedure.</div>"
        )
    elif cur and cur["version"] == version and cur["state"] in ("running", "ended"):
        left = f"{cur['time_left']} left" if cur["state"] == "running" else "the deadline has passed"
        broken = f"; broken by {', '.join(b['name'] for b in cur['breaks'])}" if cur["breaks"] else ""
        st.html(
            f'<div class="dr-silence dr-silence-running"><span class="dr-silence-title">Under a silence procedure</span> '
            f"until {markup.e(cur['deadline'])} ({markup.e(left)}{markup.e(broken)}).</div>"
        )


def _procedure_html(p: dict) -> str:
    state = p["state"]
    if state == "adopted":
        outcome = f"Adopted on {p['adopted_on']}: nobody broke silence."
    elif state == "broken":
        outcome = f"Silence was broken by {', '.join(b['name'] for b in p['breaks'])}."
    elif state == "running":
        outcome = f"Under way: {p['time_left']} left."
    else:
        outcome = "The deadline has passed; the Presidency closes the procedure."
    parts = [
        f'<div class="dr-silence dr-silence-{markup.e(state)}">',
        f'<div class="dr-silence-title">Silence procedure on {markup.e(p["label"])}</div>',
        f"<div>Deadline: {markup.e(p['deadline'])}</div>",
        f"<div><strong>{markup.e(outcome)}</strong></div>",
    ]
    if p.get("note"):
        parts.append(f'<div class="dr-muted">{markup.e(p["note"])}</div>')
    for b in p["breaks"]:
        parts.append(
            f'<div class="dr-break"><div><strong>{markup.e(b["name"])}</strong> broke silence on '
            f'{markup.e(b["when"])}:</div><p class="dr-statement">{markup.e(b["statement"])}</p>'
        )
        parts.extend(
            f'<div class="dr-muted">Proposes for {markup.e(x["number"] or x["paragraph"])}:</div>'
            f'<p class="dr-statement">{markup.e(x["text"])}</p>'
            for x in b["proposals"]
        )
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def render() -> None:
    c = ctx()
    page_header(c, "Silence procedure")
    try:
        data = _status(c)
    except DraftingError as err:
        show_error(err)
        return
    cur = data["current"]
    if cur is None:
        st.info("No silence procedure on this document yet.")
    else:
        st.html(_procedure_html(cur))
    if c.is_presidency:
        _presidency(c, cur)
    elif cur and cur["state"] == "running":
        _break_form(c, cur)
    earlier = [p for p in data["procedures"] if not cur or p["id"] != cur["id"]]
    if earlier:
        st.markdown("**Earlier procedures**")
        for p in reversed(earlier):
            st.html(_procedure_html(p))


def _presidency(c: Ctx, cur: dict | None) -> None:
    if cur and cur["state"] in ("running", "ended"):
        ended = cur["state"] == "ended"
        st.caption("Close the procedure once its deadline has passed: the version is adopted if nobody broke silence.")
        if st.button("Close the procedure", disabled=not ended, key="silence_close", type="primary"):
            from ...service.conference import close_silence

            try:
                r = close_silence(c.writer(), c.document, by=c.actor.code)
            except DraftingError as err:
                show_error(err)
                return
            flash(
                "success",
                f"{r['label']} adopted on {r['adopted_on']}."
                if r["adopted"]
                else "Procedure closed: silence was broken.",
            )
            st.rerun()
        return
    from ...service.clock import now

    tz = c.config.timezone
    today = now().astimezone(zone(tz)).date()
    with st.expander("Start a silence procedure", expanded=cur is None), st.form("silence_start", border=False):
        version = pick_version(c, "Version to adopt", "silence_version")
        cols = st.columns(2)
        day = cols[0].date_input("Deadline (day)", value=today + dt.timedelta(days=3), key="silence_day")
        time = cols[1].time_input("Time", value=dt.time(18, 0), key="silence_time")
        note = st.text_input("Note (optional)", key="silence_note")
        if st.form_submit_button("Start the procedure") and version:
            from ...service.conference import start_silence

            until = f"{day.isoformat()}T{time.strftime('%H:%M')}"
            try:
                r = start_silence(c.writer(), c.document, version, until, note=note or None, by=c.actor.code)
            except DraftingError as err:
                show_error(err)
                return
            flash("success", f"Silence procedure on {r['label']} started, until {r['deadline']}.")
            st.rerun()


def _break_form(c: Ctx, cur: dict) -> None:
    if c.actor.role not in CAN_BREAK_SILENCE:
        st.caption("Only States parties and signatories may break silence.")
        return
    if any(b["delegation"] == c.actor.code for b in cur["breaks"]):
        st.caption(f"{c.actor.name} has broken silence in this procedure.")
        return
    st.markdown(f"**Break silence as {markup.e(c.actor.name)}**")
    v = c.version(cur["version"])
    from .. import cache

    nums = cache.numbers(c.root, c.head, c.document, cur["version"])
    ids = [p.id for p in v.paragraphs if p.kind != "heading"]
    by_id = v.by_id()
    with st.form("silence_break", border=False):
        statement = st.text_area("Statement", key="silence_statement", height=120)
        para = st.selectbox(
            "Propose text for a paragraph (optional)",
            [None, *ids],
            format_func=lambda i: (
                "No proposed text" if i is None else paragraph_option(nums.get(i, ""), i, by_id[i].text, by_id[i].kind)
            ),
            key="silence_para",
        )
        text = st.text_area("Proposed text", key="silence_text", height=100)
        if st.form_submit_button("Break silence", type="primary"):
            from ...service.conference import break_silence

            proposals = [(para, text)] if para and text.strip() else []
            try:
                break_silence(c.writer(), c.document, c.actor.code, statement, proposals=proposals)
            except DraftingError as err:
                show_error(err)
                return
            flash("warning", f"{c.actor.name} broke silence.")
            st.rerun()
