"""Review (the Presidency): per paragraph, every proposal side by side as changes against
the base; a decision with a note for each, or one decision for many proposals at once;
conflicts of the next version highlighted (from compose's dry run); then compose the next
version, with a preview of the merge report, the proposals still open, and the next round
opened in the same step; and the input rounds: open one, extend a deadline, close one."""

from __future__ import annotations

import json

import streamlit as st

from ...formats.diffview import to_html_fragment
from ...model.errors import DraftingError
from ...model.records import COMMENT_STATUSES
from ...model.vocabulary import default_label, kind_word, not_applied_reason, paragraph_name, plural, status_word
from ...service.app_queries import START, conflicts_by_paragraph, next_version_name
from .. import actions, cache, clicks, links, markup
from ..common import Ctx, ctx, export_download, page_header, pick_round, show_error
from . import precedents

TEXT_STATUSES = ("open", "accepted", "modified", "rejected", "deferred", "withdrawn")


def render() -> None:
    c = ctx()
    page_header(c, "Review", "Decisions on the proposals, and the next version")
    rid = pick_round(c, "Round of inputs", "rev_round")
    if rid is None:
        st.info("This document has no input round yet.")
        return
    links.publish(round=rid)
    rnd = c.config.round(rid)
    assert rnd is not None  # pick_round offers the document's rounds
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

    decide_tab, compose_tab, rounds_tab = st.tabs(
        ["Decide by paragraph", "Compose the next version", "Rounds of inputs"]
    )
    with decide_tab:
        if c.is_presidency:
            _decide_many(c, rid, data)
        _decide(c, rid, data, conflicts)
    with compose_tab:
        _compose(c, rid, rnd, to_name, report, data)
    with rounds_tab:
        _rounds(c)


# ---------------------------------------------------------------------------- decide


def _decide(c: Ctx, rid: str, data: dict, conflicts: dict) -> None:
    groups = data["groups"]
    if not groups:
        st.info("No proposals in this round yet.")
        return
    comments = sum(1 for g in groups for p in g["proposals"] if p["op"] == "comment")
    total = sum(len(g["proposals"]) for g in groups) - comments
    open_n = sum(1 for g in groups for p in g["proposals"] if p["status"] == "open")
    m = st.columns(5)
    m[0].metric("Proposals", total)
    m[1].metric("Comments", comments)
    m[2].metric("Open", open_n)
    m[3].metric("Paragraphs concerned", len(groups))
    m[4].metric("Conflicts", sum(len(v) for v in conflicts.values()))

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
        comments = sum(1 for p in g["proposals"] if p["op"] == "comment")
        n, o = len(g["proposals"]) - comments, sum(1 for p in g["proposals"] if p["status"] == "open")
        where = "At the start" if k == START else paragraph_name(g["number"], g["kind"], g["text"])
        where = where[:1].upper() + where[1:]
        counts = ", ".join(
            x for x in (plural(n, "proposal") if n else "", plural(comments, "comment") if comments else "") if x
        )
        flag = " · conflict" if k in conflicts else ""
        return f"{where} — {counts}, {o} open{flag}"

    wanted = links.arrived("proposal")
    if wanted:  # a link to a proposal opens its paragraph
        for g in shown:
            if any(p["id"] == wanted for p in g["proposals"]):
                st.session_state["rev_para"] = g["paragraph"]
    links.apply("p", "rev_para", keys)
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
    links.publish(round=rid, p=key if key != START else None)

    if key != START:
        st.html(
            f'<div class="dr-card-label">Base text ({markup.e(c.version_label(data["base"]))}), '
            f"{markup.e(paragraph_name(g['number'], g['kind'], g['text']))}</div>"
            f'<div class="dr-base dr-doc">{markup.plain_block(g["text"])}</div>'
        )
    if key in conflicts:
        st.html(markup.conflict_box(conflicts[key], c.who))
    in_conflict = {pid for cf in conflicts.get(key, []) for pid in cf.get("proposals", [])}

    clicks.listen("rev_clicks")  # a proposal's reference copies its link
    focus = links.arrived("proposal")
    for p in g["proposals"]:  # one wide card per proposal, its decision beneath it
        with st.container(border=True):
            st.html(
                markup.proposal_card(
                    p,
                    who="",
                    who_html=c.who_html([p["delegation"], *p["co_sponsors"]]),
                    conflict=p["id"] in in_conflict,
                    link=links.href(links.REVIEW, doc=c.document, round=rid, proposal=p["id"]),
                    focus=p["id"] == focus,
                )
            )
            precedents.proposal_note(c, rid, p["id"])
            if c.is_presidency:
                _decision_form(c, rid, g, p)


def _statuses(p: dict) -> tuple[str, ...]:
    if p["op"] == "comment":
        return COMMENT_STATUSES
    if p["op"] == "delete":  # a deletion is kept or not: there is no wording to modify
        return tuple(s for s in TEXT_STATUSES if s != "modified")
    return TEXT_STATUSES


def _decision_form(c: Ctx, rid: str, g: dict, p: dict) -> None:
    """The Presidency's decision on one proposal: errors first (in words, saying what to
    do), then the decision and a note, and for "accepted as modified" a wide editor for the
    Presidency's wording with its changes against the base shown as it is typed."""
    pid = p["id"]
    keys = (f"dec_status_{pid}", f"dec_text_{pid}", f"dec_note_{pid}")
    recorded = (p["status"], p.get("decision_text"), p.get("note"))
    if st.session_state.get(f"dec_seen_{pid}") != recorded:  # decided elsewhere meanwhile: show what is recorded
        for k in keys:
            st.session_state.pop(k, None)
        st.session_state[f"dec_seen_{pid}"] = recorded
    # what the page showed before this run: a decision is taken on the text that was seen,
    # and refused by the service if a resubmission changed it since
    shown_key = f"dec_shown_{pid}"
    seen = st.session_state.get(shown_key)
    st.session_state[shown_key] = {"op": p["op"], "text": p.get("text")}
    errors = st.container()
    statuses = _statuses(p)
    cols = st.columns([2, 5])
    status = cols[0].selectbox(
        "Decision",
        statuses,
        index=statuses.index(p["status"]) if p["status"] in statuses else 0,
        key=keys[0],
        format_func=lambda s: status_word(s, capital=True),
    )
    note = cols[1].text_input(
        "Note (optional)",
        value=p.get("note") or "",
        key=keys[2],
        placeholder="Why, for the delegations and the compilation",
    )
    text = None
    if status == "modified":
        text = st.text_area(
            "The Presidency's wording",
            value=p.get("decision_text") or p.get("text") or "",
            key=keys[1],
            height=200,
            help="The full text of the paragraph as the Presidency accepts it.",
        )
        against = (g.get("text"), "the base") if p["op"] == "amend" else (p.get("text"), "the proposal")
        if text and against[0]:
            from ...text.diff import diff_words

            st.html(
                f'<div class="dr-card"><div class="dr-card-label">The Presidency\'s wording against {against[1]}</div>'
                f'<p class="dr-text dr-changes">{markup.ops(diff_words(against[0], text))}</p></div>'
            )
    if st.button("Record the decision", key=f"dec_submit_{pid}", type="primary"):
        problem = _problem(status, text, p)
        if problem:
            errors.error(problem)
            return
        actions.decide(
            c,
            pid,
            status,
            document=c.document,
            round_id=rid,
            text=text if status == "modified" else None,
            note=note,
            seen=seen or st.session_state[shown_key],
            where=errors,
        )


def _problem(status: str, text: str | None, p: dict) -> str | None:
    """What stops a decision, said as what to do about it (the service checks again)."""
    if status != "modified":
        return None
    wording = " ".join((text or "").split())
    if not wording:
        return "Write the Presidency's wording in the box below, or choose “Accepted” to keep the text as proposed."
    if wording == " ".join((p.get("text") or "").split()):
        return "The wording is the text as proposed: change it, or choose “Accepted”."
    return None


# --------------------------------------------------------------------------- compose


def _compose(c: Ctx, rid: str, rnd, to_name: str, report: dict | None, data: dict) -> None:
    if not c.is_presidency:
        st.caption("The Presidency composes the next version here once the proposals are decided.")
        return
    done = [v for v in c.versions() if v["round"] == rid]
    if done:
        st.html(
            markup.note(
                f"These inputs were composed into {', '.join(v['label'] for v in done)}. "
                "Composing again builds another version from the same decisions.",
                "warn",
            )
        )
    cols = st.columns([2, 2, 2])
    cols[0].text_input("Compose from", value=c.version_label(rnd.base), disabled=True, key=f"rev_from_{rid}")
    cols[1].text_input(
        "Short name of the new version",
        value=to_name,
        key=f"rev_to_{rid}",
        help="Used in file names and links (letters, digits and hyphens), e.g. rev1.",
    )
    cols[2].selectbox(
        "Where proposals conflict",
        ("brackets", "fail"),
        key="rev_on_conflict",
        format_func=lambda x: {
            "brackets": "Show the alternatives in square brackets",
            "fail": "Compose nothing until resolved",
        }[x],
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
    st.markdown("**Preview of the next version**")
    if report.get("conflicts"):
        by_para = conflicts_by_paragraph(report)
        for pid, cf in by_para.items():
            st.html(
                f'<div class="dr-card-label">{markup.e(c.paragraph_name(rnd.base, pid))}</div>'
                + markup.conflict_box(cf, c.who)
            )
    reasons = report.get("not_applied_reasons") or {}
    if reasons:
        with st.expander(f"Not applied ({len(reasons)})"):
            st.dataframe(
                [{"Proposal": k, "Why": not_applied_reason(v)} for k, v in reasons.items()],
                hide_index=True,
                width="stretch",
            )
    if report.get("preview_diff"):
        what = f"{label or default_label(to_name)} compared with {c.version_label(rnd.base)}"
        with st.expander(f"Preview: {what}"):
            st.html(
                to_html_fragment(
                    report["preview_diff"],
                    only_changed=True,
                    ids=False,
                    caption=f"{c.title}: {what}",
                    numbers=report.get("preview_numbers"),
                )
            )

    slim = {k: v for k, v in report.items() if k not in ("preview", "preview_diff")}
    with st.expander("Advanced"):
        st.download_button(
            "The merge report, for tools (JSON)",
            data=json.dumps(slim, indent=2, ensure_ascii=False).encode(),
            file_name=f"{c.document}-{to_name}-report.json",
            mime="application/json",
            key="rev_dl_report",
        )
    with st.container():
        export_download(
            c,
            "compilation",
            (rid, False),
            ("docx", "html", "md"),
            key="rev_export",
            filename=f"{c.document}-{rid}-compilation",
            label="compilation",
        )

    new_label = label or default_label(to_name)
    still_open = report.get("open_proposals") or []
    allow_open = False
    if still_open:
        by_id = {p["id"]: p for g in data["groups"] for p in g["proposals"]}
        st.html(
            markup.note(
                f"{plural(len(still_open), 'proposal')} of this round {'is' if len(still_open) == 1 else 'are'} "
                f"still open: {new_label} would be composed without {'it' if len(still_open) == 1 else 'them'}. "
                "Decide them first, or compose anyway.",
                "warn",
            )
        )
        with st.expander(f"Still open ({len(still_open)})"):
            st.dataframe(
                [
                    {
                        "Proposal": pid,
                        "Delegation": c.name(by_id[pid]["delegation"]) if pid in by_id else "",
                        "Kind": kind_word(by_id[pid]["op"], capital=True) if pid in by_id else "",
                    }
                    for pid in still_open
                ],
                hide_index=True,
                width="stretch",
            )
        allow_open = st.checkbox(
            f"Compose although {plural(len(still_open), 'proposal')} {'is' if len(still_open) == 1 else 'are'} "
            "still open",
            key=f"rev_allow_open_{rid}",
        )
    nxt = st.columns([2, 2])
    open_next = nxt[0].checkbox(
        f"Open inputs on {new_label} in the same step",
        key=f"rev_open_next_{rid}",
        help="The next round of inputs opens on the new version as it is composed",
    )
    next_deadline = None
    if open_next:
        import datetime as dt

        from ...service import clock

        next_deadline = nxt[1].date_input(
            "Deadline for inputs on the new version",
            value=clock.today(c.config.timezone) + dt.timedelta(days=14),
            key=f"rev_next_deadline_{rid}",
            format="DD/MM/YYYY",
        )
    blocked = bool(report.get("failed")) or (bool(still_open) and not allow_open)
    if st.button(f"Compose {new_label}", type="primary", key="rev_compose", disabled=blocked):
        actions.compose(
            c,
            c.document,
            rnd.base,
            to_name,
            round_id=rid,
            on_conflict=st.session_state.get("rev_on_conflict", "brackets"),
            label=label or None,
            renumber=renumber,
            allow_open=allow_open,
            open_next=next_deadline.isoformat() if open_next and next_deadline else None,
        )


# ---------------------------------------------------------------------- decide many


def _decide_many(c: Ctx, rid: str, data: dict) -> None:
    """One decision for several proposals (e.g. every open comment of a section noted): one
    commit, all or nothing."""
    props = [p for g in data["groups"] for p in g["proposals"]]
    open_props = {p["id"]: (p, g) for g in data["groups"] for p in g["proposals"] if p["status"] == "open"}
    if not open_props:
        return
    with st.expander(f"Decide several open proposals at once ({len(open_props)} open)"):
        errors = st.container()
        sections = sorted({g.get("section") or "" for _, g in open_props.values()} - {""})
        f = st.columns([2, 2])
        kind = f[0].selectbox(
            "Only",
            ("", "amend", "insert", "delete", "comment"),
            key="bulk_kind",
            format_func=lambda k: "Every kind" if not k else kind_word(k, capital=True, count=2),
        )
        section = f[1].selectbox(
            "Section", ("", *sections), key="bulk_section", format_func=lambda x: x or "Every section"
        )
        choices = [
            pid
            for pid, (p, g) in open_props.items()
            if (not kind or p["op"] == kind) and (not section or (g.get("section") or "") == section)
        ]

        def fmt(pid: str) -> str:
            p, g = open_props[pid]
            where = "at the start" if g["paragraph"] == START else paragraph_name(g["number"], g["kind"], g["text"])
            return f"{pid} — {c.name(p['delegation'])}, {kind_word(p['op'])} on {where}"

        keep_valid_multi("bulk_ids", choices)
        if st.button(f"Select all {len(choices)} shown", key="bulk_all"):
            st.session_state["bulk_ids"] = list(choices)
        chosen = st.multiselect("Proposals", choices, key="bulk_ids", format_func=fmt)
        ops = {open_props[pid][0]["op"] for pid in chosen}
        if ops == {"comment"}:
            statuses = tuple(s for s in COMMENT_STATUSES if s != "open")
        elif "comment" in ops:
            statuses = ("withdrawn",)
        else:
            statuses = tuple(s for s in TEXT_STATUSES if s not in ("open", "modified"))
        cols = st.columns([2, 5])
        status = cols[0].selectbox(
            "Decision", statuses, key="bulk_status", format_func=lambda x: status_word(x, capital=True)
        )
        note = cols[1].text_input("Note (optional)", key="bulk_note", placeholder="The same note for each")
        shown = {p["id"]: {"op": p["op"], "text": p.get("text")} for p in props if p["id"] in chosen}
        if st.button(
            f"Record {plural(len(chosen), 'decision')}", key="bulk_submit", type="primary", disabled=not chosen
        ):
            actions.decide_many(c, chosen, status, note=note, seen=shown, where=errors)


def keep_valid_multi(key: str, options: list[str]) -> None:
    """Drop from a multiselect's state what is no longer among its options."""
    if key in st.session_state:
        st.session_state[key] = [x for x in st.session_state[key] if x in options]


# --------------------------------------------------------------------------- rounds


def _rounds(c: Ctx) -> None:
    """The document's input rounds, and (the Presidency) opening, extending, closing them."""
    import datetime as dt

    from ...service import clock
    from ...service.rounds import list_rounds

    rows = list_rounds(c.ws, c.document)
    state_words = {"upcoming": "Not open yet", "open": "Open", "closed": "Closed", "composed": "Composed"}
    if rows:
        st.dataframe(
            [
                {
                    "Round": r["title"][:1].upper() + r["title"][1:],
                    "Opens": r["opens_text"] or "",
                    "Deadline": r["deadline_text"] or "",
                    "Later deadlines": "; ".join(
                        f"{c.name(e['delegation'])}: {e['deadline']}" for e in r["extensions"] if e["delegation"]
                    ),
                    "State": state_words.get(r["state"], r["state"])
                    + (f" into {c.version_label(r['composed_into'])}" if r["composed_into"] else ""),
                    "Proposals": r["counts"]["proposals"],
                    "Still open": r["counts"]["open"],
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No input round on this document yet.")
    if not c.can_manage_rounds:
        st.caption("The Presidency opens, extends and closes the rounds of inputs.")
        return
    today = clock.today(c.config.timezone)
    versions = [v["version"] for v in c.versions()]
    live = [r for r in rows if r["state"] in ("open", "upcoming", "closed")]
    with st.expander("Open a round of inputs"):
        cols = st.columns([3, 2])
        base = cols[0].selectbox(
            "On the version",
            versions[::-1],
            key="rnd_open_base",
            format_func=c.version_label,
        )
        deadline = cols[1].date_input(
            "Deadline (end of the day)",
            value=today + dt.timedelta(days=14),
            key="rnd_open_deadline",
            format="DD/MM/YYYY",
        )
        if st.button("Open the round", key="rnd_open_submit", type="primary"):
            actions.manage_round(c, "open", document=c.document, base=base, deadline=deadline.isoformat())
    if not live:
        return
    by_id = {r["id"]: r for r in live}

    def name(rid: str) -> str:
        r = by_id[rid]
        return f"{r['title'][:1].upper()}{r['title'][1:]} — until {r['deadline_text']}"

    with st.expander("Extend a deadline"):
        cols = st.columns([3, 2, 2])
        rid = cols[0].selectbox("Round", list(by_id), key="rnd_ext_round", format_func=name)
        who = cols[1].selectbox(
            "For",
            ("", *[d.code for d in c.config.delegations]),
            key="rnd_ext_for",
            format_func=lambda x: "Every delegation" if not x else c.name(x),
        )
        until = cols[2].date_input(
            "New deadline (end of the day)",
            value=today + dt.timedelta(days=7),
            key="rnd_ext_deadline",
            format="DD/MM/YYYY",
        )
        if st.button("Extend the deadline", key="rnd_ext_submit", type="primary"):
            actions.manage_round(c, "extend", round_id=rid, deadline=until.isoformat(), delegation=who or None)
    still = [rid for rid, r in by_id.items() if r["state"] != "closed"]
    if still:
        with st.expander("Close a round now"):
            rid = st.selectbox("Round", still, key="rnd_close_round", format_func=name)
            sure = st.checkbox("No more inputs are accepted in this round", key="rnd_close_sure")
            if st.button("Close the round", key="rnd_close_submit", disabled=not sure):
                actions.manage_round(c, "close", round_id=rid)
