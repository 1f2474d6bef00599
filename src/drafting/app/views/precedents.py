"""Agreed language in the app: the Draft page's toggle (agreed stretches shaded, their source
on hover, a link to the reference paragraph), each proposal's precedent in Review, and the
References page (each reference document, paragraph by paragraph, with anchors).

The Draft and Review views call :func:`draft_toggle`, :func:`draft_body`,
:func:`proposal_note`; the data comes from ``service.references`` (the index is kept in
the workspace's cache), cached here per git HEAD like the rest of the app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from ...model.errors import DraftingError
from .. import markup
from ..common import Ctx, ctx, keep_valid, page_header

_DATA: dict[str, Any] = {"max_entries": 64, "show_spinner": False}

CSS = """<style>
.dr-agreed { background: #e7f3ea; box-shadow: 0 0 0 1px #b7dcc0 inset; border-radius: 2px; color: inherit;
  text-decoration: none; cursor: help; }
.dr-agreed:hover { background: #d2ebd9; }
.dr-agreed-near { background: #f3f0dd; box-shadow: 0 0 0 1px #ddd3a0 inset; }
.dr-precedent { font: 0.78rem/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #2f5d3a; margin: -0.3rem 0 0.6rem; }
.dr-ref-para { scroll-margin-top: 4rem; }
.dr-ref-para.dr-ref-target { background: #fff8d6; border-radius: 3px; }
</style>"""


# ---------------------------------------------------------------------------- data


@st.cache_data(**_DATA)
def references(root: str, head: str) -> list[dict[str, Any]]:
    from ...service.references import reference_rows

    return reference_rows(_ws(root, head))


@st.cache_data(**_DATA)
def version_report(root: str, head: str, document: str, name: str) -> dict[str, Any]:
    from ...service.references import check_version

    return check_version(_ws(root, head), document, name)


@st.cache_data(**_DATA)
def proposal_precedents(root: str, head: str, document: str, round_id: str) -> dict[str, list[dict]]:
    from ...service.references import proposal_precedents as f

    return f(_ws(root, head), document, round=round_id)


def _ws(root: str, head: str):
    from ..cache import reader

    return reader(root, head)


def has_references(c: Ctx) -> bool:
    return bool(references(c.root, c.head))


# ---------------------------------------------------------------------------- links


def reference_link(slug: str, pid: str | None = None) -> str:
    """The References page, at one paragraph of one reference."""
    url = f"references?reference={quote(slug)}"
    return url + (f"&paragraph={quote(pid)}#ref-{quote(pid)}" if pid else "")


# ---------------------------------------------------------------------------- Draft


def draft_toggle(c: Ctx, name: str) -> dict[str, dict] | None:
    """The toggle "Show agreed language"; when on, each paragraph's report by id."""
    if not has_references(c):
        return None
    on = st.toggle(
        "Show agreed language",
        value=False,
        key="draft_precedents",
        help="Shade the stretches that repeat an earlier outcome document (see References); hover for the source",
    )
    if not on:
        return None
    try:
        rep = version_report(c.root, c.head, c.document, name)
    except DraftingError as err:
        st.warning(err.line)
        return None
    st.html(CSS + legend(rep))
    return {p["id"]: p for p in rep["paragraphs"]}


def legend(rep: dict[str, Any]) -> str:
    s = rep["summary"]
    return (
        '<div class="dr-legend"><span><span class="dr-agreed">shaded text</span> repeats a reference document '
        f'word for word, <span class="dr-agreed dr-agreed-near">this shade</span> with a few words changed; hover '
        "for the source, click to read it</span><span>"
        f"{markup.e(s['with_agreed_language'])} of {markup.e(s['paragraphs'])} paragraphs hold agreed language "
        f"({markup.e(round(100 * s['share']))}% of the words)</span></div>"
    )


def draft_body(text: str, report: dict[str, Any] | None) -> str:
    """A paragraph's text (escaped) with its agreed stretches shaded and linked."""
    if not report or not report.get("stretches"):
        return markup.e(text)
    out = []
    pos = 0
    for s in report["stretches"]:
        out.append(markup.e(text[pos : s["start"]]))
        first = s["paragraphs"][0]
        title = s["source"] + "".join(
            f"\n“{c['text'] or '—'}” where it has “{c['reference'] or '—'}”" for c in s["changes"]
        )
        cls = "dr-agreed" if s["kind"] == "exact" else "dr-agreed dr-agreed-near"
        out.append(
            f'<a class="{cls}" href="{markup.e(reference_link(s["reference"], first["id"]))}" target="_self" '
            f'title="{markup.e(title)}">{markup.e(text[s["start"] : s["end"]])}</a>'
        )
        pos = s["end"]
    out.append(markup.e(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------------------- Review


def proposal_note(c: Ctx, round_id: str, proposal_id: str) -> None:
    """Under a proposal in Review: the agreed language it brings in, with its source."""
    try:
        found = proposal_precedents(c.root, c.head, c.document, round_id) if has_references(c) else {}
    except DraftingError:
        return
    stretches = found.get(proposal_id)
    if not stretches:
        return
    items = []
    for s in stretches:
        first = s["paragraphs"][0]
        items.append(
            f'<a href="{markup.e(reference_link(s["reference"], first["id"]))}" target="_self">'
            f"{markup.e(s['source'])}</a>: “{markup.e(markup.clip(s['text'], 120))}”"
        )
    st.html(CSS + '<div class="dr-precedent">Brings in agreed language: ' + "; ".join(items) + "</div>")


# ---------------------------------------------------------------------------- References page


def render() -> None:
    c = ctx()
    page_header(c, "References", "Earlier outcome documents whose language is agreed")
    rows = references(c.root, c.head)
    if not rows:
        st.info(
            "No reference documents yet. The Presidency or the secretariat adds them with "
            "'drafting reference add FILE --title ... --symbol ... --date ...'."
        )
        return
    slugs = [r["reference"] for r in rows]
    by = {r["reference"]: r for r in rows}
    wanted = st.query_params.get("reference")
    if wanted in slugs and st.session_state.get("_ref_from_link") != wanted:
        st.session_state["ref_pick"] = wanted
        st.session_state["_ref_from_link"] = wanted
    keep_valid("ref_pick", slugs)
    slug = st.selectbox(
        "Reference", slugs, key="ref_pick", format_func=lambda s: f"{by[s]['title']} ({by[s]['symbol']})"
    )
    r = by[slug]
    facts = [("Symbol", r["symbol"]), ("Adopted", r["date"] or "—"), ("By", r["adopted_by"] or "—")]
    st.html(
        CSS
        + '<dl class="dr-kv">'
        + "".join(f"<dt>{markup.e(k)}</dt><dd>{markup.e(v)}</dd>" for k, v in facts)
        + "</dl>"
    )
    target = st.query_params.get("paragraph") if wanted == slug else None
    parts = []
    for p in r["paragraph_list"]:
        extra = "dr-ref-para" + (" dr-ref-target" if p["id"] == target else "")
        html = markup.paragraph(
            p["id"], number=p["number"] or "", kind=p["kind"], body=markup.e(p["text"]), extra_cls=extra
        )
        parts.append(html.replace(f'id="p-{markup.e(p["id"])}"', f'id="ref-{markup.e(p["id"])}"', 1))
    st.html(markup.document(parts))
