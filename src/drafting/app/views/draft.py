"""Draft: a version of the document, every paragraph with its number, its text marked by
provenance (hover: who proposed it, in which version), badges for the proposals and
comments on it, filters; a side panel with one paragraph's details."""

from __future__ import annotations

import streamlit as st

from ...model.vocabulary import paragraph_kind, status_word
from ...service.app_queries import START
from .. import cache, clicks, links, markup
from ..common import Ctx, ctx, export_download, keep_valid, keep_valid_many, page_header, pick_version
from . import precedents, silence, status_board
from .languages import beside, language_picker

SELECTED = "draft_selected"  # the paragraph chosen by clicking it (or by a link)
PROPOSAL = "draft_proposal"  # a proposal a link pointed at

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
        name = pick_version(c, "Version", "draft_version", url_param="v")
    with top[5]:
        lang = language_picker(c, "draft_lang")
    if name is None:  # (there are versions: the picker always has one)
        return
    v = c.version(name)

    ids = [p.id for p in v.paragraphs]
    if links.arrived("p") or links.arrived("proposal"):  # a link names a paragraph (and a proposal)
        st.session_state[SELECTED] = links.arrived("p") if links.arrived("p") in ids else None
        st.session_state[PROPOSAL] = links.arrived("proposal")
    clicked = clicks.listen("draft_clicks", scroll_to=links.arrived("p") if links.arrived("p") in ids else None)
    if clicked in ids:
        st.session_state[SELECTED] = clicked
        st.session_state[PROPOSAL] = None
    if st.session_state.get(SELECTED) not in ids:
        st.session_state[SELECTED] = None
    selected = st.session_state.get(SELECTED)
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
            format_func=lambda x: "All delegations" if x is None else c.name(x),
        )
    with top[4]:
        f_status = st.multiselect(
            "Status of proposals", STATUS_CHOICES, key="draft_status", placeholder="Any", format_func=status_word
        )

    h = cache.heading(c.root, c.head, c.document, name)
    subtitle = " · ".join(
        x
        for x in (
            c.version_label(name),
            h["symbol"] or v.symbol or "",
            h["date"] or c.date(v.date),
            f"{len(v.paragraphs)} paragraphs",
        )
        if x
    )
    with head:
        page_header(c, "Draft", subtitle)
        silence.banner(c, name)
        status_board.board(c, name)

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
        return not (f_status and not (set(entry.get("proposals", {})) | set(entry.get("comments", {}))) & set(f_status))

    filtering = bool(f_sections or f_tags or f_deleg or f_status)
    visible = [p for p in v.paragraphs if keep(p)]
    if filtering:
        # keep each visible section's heading, for orientation
        shown_sections = {p.section for p in visible if p.kind != "heading"}
        kept = {p.id for p in visible}
        visible = [p for p in v.paragraphs if p.id in kept or (p.kind == "heading" and p.section in shown_sections)]

    left, right = st.columns([3, 2], gap="large")
    with left:
        mark = st.toggle("Show who proposed each stretch of text", value=True, key="draft_mark")
        agreed = precedents.draft_toggle(c, name)  # None: off (or no references)
        if mark and agreed is None:
            st.html(markup.legend(prov["exact"]))
        if START in ov:
            st.html(
                f'<div class="dr-doc"><div class="dr-para"><div class="dr-margin">At the start</div>'
                f'<div class="dr-body">{markup.overview_badges(ov[START])}</div></div></div>'
            )
        if filtering:
            st.caption(
                f"{sum(1 for p in visible if p.kind != 'heading')} of "
                f"{sum(1 for p in v.paragraphs if p.kind != 'heading')} paragraphs match the filters."
            )
        if not visible:
            st.info("No paragraph matches these filters.")
        if selected:
            st.html(markup.selected_style(selected))
        # the document as one HTML block (no widget per paragraph or word: every element is
        # a message the server hashes and sends), built once per state of the workspace and
        # choice of paragraphs, and shared by every session
        st.html(
            "".join(
                _document(
                    c.root, c.head, c.document, name, mark, tuple(p.id for p in visible), lang, agreed is not None
                )
            )
        )

    with right:
        _side_panel(c, name, v, nums, prov, ov, selected)
    links.publish(v=name, p=selected, proposal=st.session_state.get(PROPOSAL) if selected else None)


def _side_panel(c: Ctx, name: str, v, nums, prov, ov, pid: str | None) -> None:
    st.html('<span class="dr-side" aria-hidden="true"></span>')  # keeps this column in view (style.css)
    by_id = v.by_id()
    if not pid:
        st.markdown("**Paragraph details**")
        st.caption(
            "Click a paragraph to see who proposed what, the proposals and comments on it, and a link to it "
            "that you can send."
        )
        _downloads(c, name)
        return
    st.markdown(f"**{c.paragraph_name(name, pid)[:1].upper() + c.paragraph_name(name, pid)[1:]}**")
    _copy_link(c, links.paragraph(c.document, name, pid))
    p = by_id[pid]
    facts = [
        ("Number", markup.e(nums.get(pid) or "—")),
        ("Section", markup.e(p.section or "—")),
        ("Kind", markup.e(paragraph_kind(p.kind, capital=True))),
        ("Tags", markup.e(", ".join(p.tags) or "—")),
    ]
    if p.sources:
        by = {s.get("proposal"): s.get("delegation") for s in prov["paragraphs"].get(pid, []) if s.get("proposal")}
        changed = ", ".join(
            f"{c.who_html(str(by[ref]).split(','))} ({markup.e(ref)})" if by.get(ref) else markup.e(ref)
            for ref in p.sources
        )
        facts.append((f"Changed in {c.version_label(name)} by", changed))
    st.html(
        '<dl class="dr-kv">'
        + "".join(f"<dt>{markup.e(k)}</dt><dd>{val}</dd>" for k, val in facts)
        + "</dl>"
        + f'<div class="dr-details">Reference: {markup.e(pid)}</div>'
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

    cards = [
        card
        for r in c.config.rounds_of(c.document)
        if r.base == name
        for g in cache.review(c.root, c.head, c.document, r.id)["groups"]
        if g["paragraph"] == pid
        for card in g["proposals"]
    ]
    st.markdown("**Proposals and comments**")
    if not cards:
        st.caption("None on this version.")
    focus = st.session_state.get(PROPOSAL)
    for card in cards:  # each as tracked changes against this paragraph, the full text one click away
        target = f"new paragraph after {c.paragraph_name(name, pid)}" if card["op"] == "insert" else ""
        st.html(
            markup.proposal_card(
                card,
                who="",
                who_html=c.who_html([card["delegation"], *card["co_sponsors"]]),
                target=target,
                link=links.proposal(c.document, name, pid, card["id"]),
                focus=card["id"] == focus,
            )
        )

    _downloads(c, name)


def _copy_link(c: Ctx, relative: str) -> None:
    """The full address, with Streamlit's own copy button (next to each paragraph, the
    document's "link" does the same)."""
    st.code(links.absolute(relative, links.public_base()), language=None, wrap_lines=True)
    st.caption("A link to this paragraph: copy it with the button at its right.")


def _downloads(c: Ctx, name: str) -> None:
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


@st.cache_resource(max_entries=128, show_spinner=False)
def _document(
    root: str,
    head: str,
    document: str,
    name: str,
    mark: bool,
    ids: tuple[str, ...],
    lang: str | None = None,
    agreed_language: bool = False,
) -> tuple[str, ...]:
    """The draft's HTML, one block per section: every paragraph with its number, its text
    marked by provenance (or, with ``agreed_language``, its agreed language shaded; with
    its translation into ``lang`` beside it), its status and badges, and its "copy link"."""
    from ...model.vocabulary import default_label, paragraph_name

    ws = cache.reader(root, head)
    config = ws.config
    v = cache.version(root, head, document, name)
    by_id = v.by_id()
    nums = cache.numbers(root, head, document, name)
    prov = cache.provenance(root, head, document, name)
    ov = cache.overview(root, head, document, name)
    labels = {x["version"]: x["label"] for x in cache.version_stats(root, head, document)}
    translated = cache.language_state(root, head, document, name, lang)["paragraphs"] if lang else {}
    agreed = (
        {x["id"]: x for x in precedents.version_report(root, head, document, name)["paragraphs"]}
        if agreed_language
        else None
    )
    statuses = {r["id"]: r["status"] for r in cache.statuses(root, head, document, name)["paragraphs"]}

    def who(code: str) -> str:
        d = config.delegation(code)
        return d.name if d else code

    def label(version: str) -> str:
        return labels.get(version) or default_label(version)

    blocks: list[tuple[str | None, list[str]]] = []
    for pid in ids:
        p = by_id[pid]
        spans = prov["paragraphs"].get(p.id) or [{"text": p.text}]
        if agreed is not None:  # agreed language shaded instead of provenance
            body = precedents.draft_body(p.text, agreed.get(p.id))
        else:
            body = markup.text_with_provenance(spans, name=who, label=label, presidency=config.presidency, mark=mark)
        if lang:
            body = beside(body, translated.get(p.id), lang)
        html = markup.paragraph(
            p.id,
            number=nums.get(p.id, ""),
            kind=p.kind,
            body=body,
            badges=status_board.badge(statuses.get(p.id)) + markup.overview_badges(ov.get(p.id)),
            link=links.paragraph(document, name, p.id),
            name=paragraph_name(nums.get(p.id), p.kind, p.text),
        )
        if not blocks or blocks[-1][0] != p.section:
            blocks.append((p.section, []))
        blocks[-1][1].append(html)
    return tuple(markup.document(parts) for _section, parts in blocks)
