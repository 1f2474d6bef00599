"""History: the versions (with those adopted), and the negotiation told step by step in
sentences ("Mexico submitted 12 proposals on the zero draft, 8 July", "Revision 1
composed", "Silence broken by Mexico", "Revision 2 adopted")."""

from __future__ import annotations

import streamlit as st

from .. import cache, markup
from ..common import ctx, keep_valid_many, page_header

KIND_NAMES = {
    "submit": "inputs",
    "decide": "decisions",
    "version": "versions",
    "init": "set-up",
    "status": "paragraph status",
    "silence-start": "silence procedure",
    "silence-break": "silence procedure",
    "silence-close": "silence procedure",
    "round-open": "rounds",
    "other": "other changes",
    "translate": "translations",
}


def render() -> None:
    c = ctx()
    page_header(c, "History")
    st.markdown("**Versions**")
    vs = cache.version_stats(c.root, c.head, c.document)
    heads = {v["version"]: cache.heading(c.root, c.head, c.document, v["version"]) for v in vs}
    st.dataframe(
        [
            {
                "Version": v["label"],
                "Symbol": heads[v["version"]]["symbol"] or "",
                "Date": heads[v["version"]]["date"] or "",
                "Based on": c.version_label(v["based_on"]) if v["based_on"] else "",
                "Adopted": (heads[v["version"]]["adopted"] or "").replace("Adopted on ", ""),
                "Paragraphs": v["paragraphs"],
                "Words": v["words"],
            }
            for v in vs
        ],
        hide_index=True,
        width="stretch",
    )

    st.markdown("**What happened**")
    events = cache.history(c.root, c.head, c.document)
    kinds = sorted({KIND_NAMES.get(e["kind"], "other changes") for e in events})
    f = st.columns([3, 3])
    keep_valid_many("hist_kinds", kinds)
    f_kind = f[0].multiselect("Kind", kinds, key="hist_kinds", placeholder="All")
    codes = sorted({e["delegation"] for e in events if e.get("delegation")})
    keep_valid_many("hist_delegations", codes)
    f_del = f[1].multiselect(
        "Delegation", codes, key="hist_delegations", placeholder="All", format_func=lambda x: f"{x} — {c.name(x)}"
    )
    shown = [
        e
        for e in events
        if (not f_kind or KIND_NAMES.get(e["kind"], "other changes") in f_kind)
        and (not f_del or e.get("delegation") in f_del or (e.get("proposal") or "").rsplit("-", 1)[0] in f_del)
    ]
    limit = 200
    st.caption(
        f"{len(shown)} of {len(events)} steps, newest first"
        + (f" (the latest {limit} shown)" if len(shown) > limit else "")
    )
    items = "".join(f'<li title="{markup.e(e["author"])}">{markup.e(e["sentence"])}</li>' for e in shown[:limit])
    st.html(f'<ol class="dr-story">{items}</ol>')
