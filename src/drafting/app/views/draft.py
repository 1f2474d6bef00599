"""Draft: a version of the document, every paragraph with its number, its text marked by
provenance (hover: who proposed it, in which version), badges for the proposals and
comments on it, filters; a side panel with one paragraph's details."""

from __future__ import annotations

import streamlit as st

from ...service.app_queries import START
from .. import cache, markup
from ..common import Ctx, ctx, export_download, keep_valid, keep_valid_many, page_header, paragraph_option, pick_version
from . import precedents, silence, status_board
from .languages import beside, language_picker, translations_for

STATUS_CHOICES = ("open", "accepted", "modified", "rejected", "deferred", "withdrawn", "addressed", "noted")


def _span_delegations(spans) -> set[str]:
    out: set[str] = set()
    for s in spans or ():
        for code in str(s.get("delegation") or "").split(","):
            if code.strip():
                out.add(code.strip())
    return out


def render() -> None:
    c = ctx()
    names = [v["version"] for v in c.versions()]
    if not names:
        page_header(c, "Draft")
        st.info("This document has no version yet. The Presidency imports one with 'drafting import'.")
        return

    head = st.container()  # the header goes first; it names the version picked below
    top = st.columns([3, 2, 2, 2, 2, 2])
    with top[0]:
        name = pick_version(c, "Version", "draft_version")
    with top[5]:
        lang = language_picker(c, "draft_lang")
    if name is None:
        return
    v = c.version(name)
    nums = cache.numbers(c.root, c.head, c.document, name)
    prov = cache.provenance(c.root, c.head, c.document, name)
    ov = cache.overview(c.root, c.head, c.document, name)

    sections = list(dict.fromkeys(p.section for p in v.paragraphs if p.section))
    tags = sorted({t for p in v.paragraphs for t in p.tags})
    delegs = sorted(
        {code for e in ov.values() for code in e["delegations"]}
        | {code for spans in prov["paragraphs"].values() for code in _span_delegations(spans)}
    )
    with top[1]:
        keep_valid_many("draft_sections", sections)
        f_sections = st.multiselect("Section", sections, key="draft_sections", placeholder="All sections")
    with top[2]:
        keep_valid_many("draft_tags", tags)
        f_tags = st.multiselect("Tag", tags, key="draft_tags", placeholder="All tags")
    with top[3]:
        keep_valid("draft_delegation", [None, *delegs])
        f_deleg = st.selectbox(
            "Delegation",
            [None, *delegs],
            key="draft_delegation",
            format_func=lambda x: "All delegations" if x is None else f"{x} — {c.name(x)}",
        )
    with top[4]:
        f_status = st.multiselect("Status of proposals", STATUS_CHOICES, key="draft_status", placeholder="Any")
    translated = translations_for(c, name, lang)

    h = cache.heading(c.root, c.head, c.document, name)
    subtitle = " · ".join(
        x for x in (v.label or name, h["symbol"] or "", h["date"] or "", f"{len(v.paragraphs)} paragraphs") if x
    )
    with head:
        page_header(c, "Draft", subtitle)
        silence.banner(c, name)
        status_board.board(c, name)
    sts = status_board.statuses(c, name)

    def keep(p) -> bool:
        if f_sections and p.section not in f_sections:
            return False
        if f_tags and not set(p.tags) & set(f_tags):
            return False
        entry = ov.get(p.id) or {}
        if (
            f_deleg
            and f_deleg not in entry.get("delegations", ())
            and f_deleg not in _span_delegations(prov["paragraphs"].get(p.id))
        ):
            return False
        if f_status and not (set(entry.get("proposals", {})) | set(entry.get("comments", {}))) & set(f_status):
            return False
        return True

    filtering = bool(f_sections or f_tags or f_deleg or f_status)
    visible = [p for p in v.paragraphs if keep(p)]
    if filtering:
        # keep each visible section's heading, for orientation
        shown_sections = {p.section for p in visible if p.kind != "heading"}
        ids = {p.id for p in visible}
        visible = [p for p in v.paragraphs if p.id in ids or (p.kind == "heading" and p.section in shown_sections)]

    left, right = st.columns([7, 3], gap="large")
    with left:
        mark = st.toggle("Show who proposed each stretch of text", value=True, key="draft_mark")
        agreed = precedents.draft_toggle(c, name)  # None: off (or no references)
        if mark and agreed is None:
            st.html(markup.legend(prov["exact"]))
        if START in ov:
            st.html(
                f'<div class="dr-doc"><div class="dr-para"><div class="dr-margin">start</div>'
                f'<div class="dr-body">{markup.overview_badges(ov[START])}</div></div></div>'
            )
        if filtering:
            st.caption(
                f"{sum(1 for p in visible if p.kind != 'heading')} of "
                f"{sum(1 for p in v.paragraphs if p.kind != 'heading')} paragraphs match the filters."
            )
        if not visible:
            st.info("No paragraph matches these filters.")
        label_of = c.version_label
        blocks: list[tuple[str | None, list[str]]] = []
        for p in visible:
            spans = prov["paragraphs"].get(p.id) or [{"text": p.text}]
            if agreed is not None:  # agreed language shaded instead of provenance
                body = precedents.draft_body(p.text, agreed.get(p.id))
            else:
                body = markup.text_with_provenance(
                    spans, name=c.name, label=label_of, presidency=c.config.presidency, mark=mark
                )
            if lang:
                body = beside(body, translated.get(p.id), lang)
            badges = status_board.badge(sts.get(p.id)) + markup.overview_badges(ov.get(p.id))
            html = markup.paragraph(p.id, number=nums.get(p.id, ""), kind=p.kind, body=body, badges=badges)
            if not blocks or blocks[-1][0] != p.section:
                blocks.append((p.section, []))
            blocks[-1][1].append(html)
        for _section, parts in blocks:  # one HTML block per section: fast, and no widget per word
            st.html(markup.document(parts))

    with right:
        _side_panel(c, name, v, nums, prov, ov, visible or list(v.paragraphs))


def _side_panel(c: Ctx, name: str, v, nums, prov, ov, candidates) -> None:
    st.markdown("**Paragraph details**")
    ids = [p.id for p in candidates]
    by_id = v.by_id()
    keep_valid("draft_inspect", ids)
    pid = st.selectbox(
        "Paragraph",
        ids,
        key="draft_inspect",
        format_func=lambda i: paragraph_option(nums.get(i, ""), i, by_id[i].text, by_id[i].kind),
    )
    if not pid:
        return
    p = by_id[pid]
    facts = [
        ("Number", nums.get(pid) or "—"),
        ("Id", pid),
        ("Section", p.section or "—"),
        ("Kind", p.kind),
        ("Tags", ", ".join(p.tags) or "—"),
    ]
    if p.sources:
        facts.append((f"Changed in {c.version_label(name)} by", ", ".join(p.sources)))
    st.html(
        '<dl class="dr-kv">' + "".join(f"<dt>{markup.e(k)}</dt><dd>{markup.e(val)}</dd>" for k, val in facts) + "</dl>"
    )
    status_board.control(c, name, pid)

    spans = [s for s in prov["paragraphs"].get(pid, []) if s.get("delegation") or s.get("proposal")]
    st.markdown("**Who proposed what**")
    if spans:
        items = []
        for s in spans:
            title = markup.span_title(s, c.name, c.version_label, c.config.presidency) or ""
            items.append(
                f'<li><span class="dr-alt">“{markup.e(markup.clip(s.get("text"), 140))}”</span>'
                f'<br><span class="dr-muted">{markup.e(title)}</span></li>'
            )
        st.html(f'<ul class="dr-span-list">{"".join(items)}</ul>')
    else:
        st.caption("All of this paragraph's text is from the first version.")

    rows = [
        r
        for r in cache.proposals(c.root, c.head, c.document)
        if r["base"] == name and (r["paragraph"] == pid or (r["op"] == "insert" and r["after"] == pid))
    ]
    st.markdown("**Proposals and comments**")
    if not rows:
        st.caption("None on this version.")
    for r in rows:
        card = {
            "id": r["id"],
            "op": r["op"],
            "status": r["status"],
            "text": r["text"],
            "rationale": r.get("rationale"),
            "note": (r.get("decision") or {}).get("note"),
        }
        st.html(markup.proposal_card(card, who=c.who([r["delegation"], *r["co_sponsors"]])))

    st.markdown("**Download this version**")
    export_download(
        c,
        "version",
        (name,),
        ("docx", "pdf", "odt", "html", "md"),
        key="draft_export",
        filename=f"{c.document}-{name}",
        label="version",
        stacked=True,
    )
