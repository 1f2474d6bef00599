"""Review (the Presidency): per paragraph, every proposal side by side as changes against
the base; a decision with a note for each; conflicts of the next version highlighted (from
compose's dry run); then compose the next version, with a preview of the merge report."""

from __future__ import annotations

import json

import streamlit as st

from ...formats.diffview import to_html_fragment
from ...model.errors import DraftingError
from ...model.records import COMMENT_STATUSES
from ...service.app_queries import START, conflicts_by_paragraph, next_version_name
from ...service.versions import default_label
from .. import actions, cache, markup
from ..common import Ctx, ctx, export_download, page_header, pick_round, show_error
from . import precedents

TEXT_STATUSES = ("open", "accepted", "modified", "rejected", "deferred", "withdrawn")


def render() -> None:
    c = ctx()
    page_header(c, "Review", "Decisions on the proposals, and the next version")
    rid = pick_round(c, "Input round", "rev_round")
    if rid is None:
        st.info("This document has no input round yet.")
        return
    rnd = c.config.round(rid)
    data = cache.review(c.root, c.head, c.document, rid)
    to_name = st.session_state.get(f"rev_to_{rid}") or next_version_name(c.ws, c.document, rnd.base)

    report = None
    if c.is_presidency:
        try:
            report = cache.compose_preview(
                c.root,
                c.head,
                c.document,
                rnd.base,
                to_name,
                rid,
                st.session_state.get("rev_on_conflict", "brackets"),
                c.actor.code,
            )
        except DraftingError as err:
            report = {"error": err.line}
    else:
        st.html(
            markup.note(
                "Only the Presidency decides on proposals and composes versions. You see the "
                "proposals here as the Presidency does.",
                "warn",
            )
        )
    conflicts = conflicts_by_paragraph(report) if report and "error" not in report else {}

    decide_tab, compose_tab = st.tabs(["Decide by paragraph", "Compose the next version"])
    with decide_tab:
        _decide(c, rid, data, conflicts)
    with compose_tab:
        _compose(c, rid, rnd, to_name, report)


# ---------------------------------------------------------------------------- decide


def _decide(c: Ctx, rid: str, data: dict, conflicts: dict) -> None:
    groups = data["groups"]
    if not groups:
        st.info("No proposals in this round yet.")
        return
    total = sum(len(g["proposals"]) for g in groups)
    open_n = sum(1 for g in groups for p in g["proposals"] if p["status"] == "open")
    m = st.columns(4)
    m[0].metric("Proposals", total)
    m[1].metric("Open", open_n)
    m[2].metric("Paragraphs concerned", len(groups))
    m[3].metric("Conflicts", sum(len(v) for v in conflicts.values()))

    f = st.columns(2)
    only_open = f[0].toggle("Only paragraphs with open proposals", key="rev_only_open")
    only_conf = f[1].toggle("Only paragraphs with conflicts", key="rev_only_conf")
    shown = [
        g
        for g in groups
        if (not only_open or any(p["status"] == "open" for p in g["proposals"]))
        and (not only_conf or g["paragraph"] in conflicts)
    ]
    if not shown:
        st.info("No paragraph matches.")
        return
    keys = [g["paragraph"] for g in shown]
    by_key = {g["paragraph"]: g for g in shown}

    def fmt(k: str) -> str:
        g = by_key[k]
        n, o = len(g["proposals"]), sum(1 for p in g["proposals"] if p["status"] == "open")
        where = "At the start" if k == START else f"{g['number'] or g['kind'] or ''} · {k}".strip(" ·")
        flag = " · CONFLICT" if k in conflicts else ""
        return f"{where} — {n} proposal{'s' if n != 1 else ''}, {o} open{flag}"

    if st.session_state.get("rev_para") not in keys:
        st.session_state["rev_para"] = keys[0]

    def step(d: int) -> None:
        cur = st.session_state.get("rev_para")
        i = keys.index(cur) if cur in keys else 0
        st.session_state["rev_para"] = keys[max(0, min(len(keys) - 1, i + d))]

    nav = st.columns([8, 1, 1])
    key = nav[0].selectbox("Paragraph", keys, key="rev_para", format_func=fmt)
    nav[1].button("Previous", key="rev_prev", on_click=step, args=(-1,), width="stretch")
    nav[2].button("Next", key="rev_next", on_click=step, args=(1,), width="stretch")
    g = by_key[key]

    if key != START:
        st.html(
            f'<div class="dr-card-label">Base text ({markup.e(c.version_label(data["base"]))}), '
            f"{markup.e(g['number'] or g['paragraph'])}</div>"
            f'<div class="dr-base dr-doc">{markup.plain_block(g["text"])}</div>'
        )
    if key in conflicts:
        st.html(markup.conflict_box(conflicts[key], c.who))
    in_conflict = {pid for cf in conflicts.get(key, []) for pid in cf.get("proposals", [])}

    props = g["proposals"]
    per_row = 3 if len(props) >= 3 else max(1, len(props))
    for start in range(0, len(props), per_row):
        cols = st.columns(per_row)
        for col, p in zip(cols, props[start : start + per_row]):
            with col:
                st.html(
                    markup.proposal_card(
                        p, who=c.who([p["delegation"], *p["co_sponsors"]]), conflict=p["id"] in in_conflict
                    )
                )
                precedents.proposal_note(c, rid, p["id"])
                if c.is_presidency:
                    _decision_form(c, rid, p)


def _decision_form(c: Ctx, rid: str, p: dict) -> None:
    # what the page showed before this run: a decision is taken on the text that was seen,
    # and refused by the service if a resubmission changed it since
    seen_key = f"dec_seen_{p['id']}"
    seen = st.session_state.get(seen_key)
    st.session_state[seen_key] = {"op": p["op"], "text": p.get("text")}
    statuses = COMMENT_STATUSES if p["op"] == "comment" else TEXT_STATUSES
    with st.form(key=f"dec_{p['id']}", border=False):
        idx = statuses.index(p["status"]) if p["status"] in statuses else 0
        status = st.selectbox("Decision", statuses, index=idx, key=f"dec_status_{p['id']}")
        text = None
        if p["op"] in ("amend", "insert"):
            text = st.text_area(
                "The Presidency's wording (for 'modified')",
                value=p.get("decision_text") or p.get("text") or "",
                key=f"dec_text_{p['id']}",
                height=110,
            )
        note = st.text_input("Note", value=p.get("note") or "", key=f"dec_note_{p['id']}")
        if st.form_submit_button("Record decision", key=f"dec_submit_{p['id']}"):
            actions.decide(
                c,
                p["id"],
                status,
                document=c.document,
                round_id=rid,
                text=text if status == "modified" else None,
                note=note,
                seen=seen or st.session_state[seen_key],
            )


# --------------------------------------------------------------------------- compose


def _compose(c: Ctx, rid: str, rnd, to_name: str, report: dict | None) -> None:
    if not c.is_presidency:
        st.caption("The Presidency composes the next version here once the proposals are decided.")
        return
    done = [v for v in c.versions() if v["round"] == rid]
    if done:
        st.html(
            markup.note(
                f"This round was composed into {', '.join(v['label'] + ' (' + v['version'] + ')' for v in done)}. "
                "Composing again builds another version from the same decisions.",
                "warn",
            )
        )
    cols = st.columns([2, 2, 2])
    cols[0].text_input(
        "Compose from", value=f"{c.version_label(rnd.base)} ({rnd.base})", disabled=True, key=f"rev_from_{rid}"
    )
    cols[1].text_input("New version name", value=to_name, key=f"rev_to_{rid}")
    cols[2].selectbox(
        "On conflict",
        ("brackets", "fail"),
        key="rev_on_conflict",
        help="brackets: contested words appear as bracketed alternatives; fail: write nothing",
    )
    label = st.text_input("Label", value="", placeholder=default_label(to_name), key=f"rev_label_{rid}")
    renumber = st.checkbox(
        "Issue it renumbered (1 .. N)",
        key=f"rev_renumber_{rid}",
        help="By default a revision keeps its base's numbers and new paragraphs are numbered 'N bis', 'N ter'",
    )
    if report is None:
        return
    if "error" in report:
        show_error(report["error"])
        return
    if report.get("failed"):
        show_error(report["failed"])

    m = st.columns(3)
    m[0].metric("Applied", len(report.get("applied", [])))
    m[1].metric("Conflicts", len(report.get("conflicts", [])))
    m[2].metric("Not applied", len(report.get("not_applied", [])))
    st.markdown("**Preview of the merge report**")
    if report.get("conflicts"):
        by_para = conflicts_by_paragraph(report)
        nums = cache.numbers(c.root, c.head, c.document, rnd.base)
        for pid, cf in by_para.items():
            st.html(
                f'<div class="dr-card-label">{markup.e(nums.get(pid) or pid)} ({markup.e(pid)})</div>'
                + markup.conflict_box(cf, c.who)
            )
    reasons = report.get("not_applied_reasons") or {}
    if reasons:
        with st.expander(f"Not applied ({len(reasons)})"):
            st.dataframe([{"Proposal": k, "Why": v} for k, v in reasons.items()], hide_index=True, width="stretch")
    if report.get("preview_diff"):
        with st.expander(f"Preview: {default_label(to_name)} compared with {c.version_label(rnd.base)}"):
            st.html(to_html_fragment(report["preview_diff"], only_changed=True, numbers=report.get("preview_numbers")))

    slim = {k: v for k, v in report.items() if k not in ("preview", "preview_diff")}
    dl = st.columns([2, 5])
    dl[0].download_button(
        "Merge report (JSON)",
        data=json.dumps(slim, indent=2, ensure_ascii=False).encode(),
        file_name=f"{c.document}-{to_name}-report.json",
        mime="application/json",
        key="rev_dl_report",
    )
    with dl[1]:
        export_download(
            c,
            "compilation",
            (rid, False),
            ("docx", "html", "md"),
            key="rev_export",
            filename=f"{c.document}-{rid}-compilation",
            label="compilation",
        )

    if st.button(f"Compose {to_name}", type="primary", key="rev_compose", disabled=bool(report.get("failed"))):
        actions.compose(
            c,
            c.document,
            rnd.base,
            to_name,
            round_id=rid,
            on_conflict=st.session_state.get("rev_on_conflict", "brackets"),
            label=label or None,
            renumber=renumber,
        )
