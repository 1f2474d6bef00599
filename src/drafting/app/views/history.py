"""History: the versions, and every submission, decision and version with author and date."""

from __future__ import annotations

import streamlit as st

from .. import cache
from ..common import ctx, keep_valid_many, page_header

KIND_NAMES = {
    "submit": "submission",
    "decide": "decision",
    "version": "version",
    "init": "set-up",
    "translate": "translation",
}


def render() -> None:
    c = ctx()
    page_header(c, "History")
    st.markdown("**Versions**")
    vs = cache.version_stats(c.root, c.head, c.document)
    st.dataframe(
        [
            {
                "Version": v["version"],
                "Label": v["label"],
                "Date": v["date"],
                "Based on": v["based_on"],
                "Round composed": v["round"],
                "Paragraphs": v["paragraphs"],
                "Words": v["words"],
            }
            for v in vs
        ],
        hide_index=True,
        width="stretch",
    )

    st.markdown("**Submissions, decisions and versions**")
    events = cache.history(c.root, c.head, c.document)
    kinds = sorted({e["kind"] for e in events})
    f = st.columns([3, 3])
    keep_valid_many("hist_kinds", kinds)
    f_kind = f[0].multiselect(
        "Kind", kinds, key="hist_kinds", placeholder="All", format_func=lambda k: KIND_NAMES.get(k, k)
    )
    codes = sorted({e["delegation"] for e in events if e.get("delegation")})
    keep_valid_many("hist_delegations", codes)
    f_del = f[1].multiselect(
        "Delegation", codes, key="hist_delegations", placeholder="All", format_func=lambda x: f"{x} — {c.name(x)}"
    )
    rows = [
        {
            "Date": (e["date"] or "")[:16].replace("T", " "),
            "Kind": KIND_NAMES.get(e["kind"], e["kind"]),
            "By": e["author"],
            "What": e["subject"],
            "Round": e.get("round") or "",
            "Proposal": e.get("proposal") or "",
            "Commit": (e["commit"] or "")[:10],
        }
        for e in events
        if (not f_kind or e["kind"] in f_kind)
        and (not f_del or e.get("delegation") in f_del or (e.get("proposal") or "").rsplit("-", 1)[0] in f_del)
    ]
    st.caption(f"{len(rows)} of {len(events)} entries, newest first")
    st.dataframe(rows, hide_index=True, width="stretch", height=520)
