"""History: the versions (symbol, date, adopted), and the negotiation told step by step in
sentences ("Mexico submitted 5 proposals on the zero draft, 8 July", "Revision 1
composed", "Silence broken by Mexico", "Revision 2 adopted"); the commits behind them in
an "Advanced" expander."""

from __future__ import annotations

import streamlit as st

from .. import cache, markup
from ..common import ctx, keep_valid_many, page_header

LIMIT = 500
#: what the filter calls each kind of step, in the order it offers them
KIND_NAMES = {
    "submit": "Submissions",
    "decide": "Decisions",
    "version": "Versions",
    "round-open": "Rounds",
    "status": "Paragraph status",
    "silence-start": "Silence procedure",
    "silence-break": "Silence procedure",
    "silence-close": "Silence procedure",
    "translate": "Translations",
    "init": "Set-up",
    "other": "Other changes",
}


def _by(c, e: dict) -> str:
    """Who made the commit, by name (drafting's authors are CODE@delegations.invalid)."""
    email = str(e.get("email") or "")
    if email.endswith("@delegations.invalid"):
        return c.name(email.split("@", 1)[0])
    return str(e.get("author") or "")


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
                "Date": heads[v["version"]]["date"] or c.date(v["date"]),
                "Based on": c.version_label(v["based_on"]) if v["based_on"] else "",
                "Composed from": c.round_name(v["round"], deadline=False) if v["round"] else "",
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
    kinds = list(dict.fromkeys(KIND_NAMES.get(e["kind"], "Other changes") for e in events))
    kinds = [k for k in dict.fromkeys(KIND_NAMES.values()) if k in kinds]
    f = st.columns([3, 3])
    keep_valid_many("hist_kinds", kinds)
    f_kind = f[0].multiselect("Show", kinds, key="hist_kinds", placeholder="Everything")
    codes = sorted({e["delegation"] for e in events if e.get("delegation")}, key=c.name)
    keep_valid_many("hist_delegations", codes)
    f_del = f[1].multiselect("Delegation", codes, key="hist_delegations", placeholder="All", format_func=c.name)
    shown = [
        e
        for e in events
        if (not f_kind or KIND_NAMES.get(e["kind"], "Other changes") in f_kind)
        and (not f_del or e.get("delegation") in f_del or (e.get("proposal") or "").rsplit("-", 1)[0] in f_del)
    ]
    st.caption(f"{len(shown)} of {len(events)} steps, the latest first")
    items = []
    for e in shown[:LIMIT]:
        actor = e.get("delegation") if e["kind"] in ("submit", "silence-break") else c.config.presidency
        code = str(e.get("email") or "").split("@", 1)[0]
        by = _by(c, e) if code != actor else ""
        extra = f' <span class="dr-muted">(recorded by {markup.e(by)})</span>' if by else ""
        items.append(f"<li>{markup.e(e['sentence'])}{extra}</li>")
    st.html(f'<ul class="dr-story">{"".join(items)}</ul>')
    if len(shown) > LIMIT:
        st.caption(f"The {LIMIT} latest are shown; narrow the list with the filters above.")
    with st.expander("Advanced: the commits behind these steps"):
        st.dataframe(
            [
                {
                    "Date": (e["date"] or "")[:16].replace("T", " "),
                    "Commit": (e["commit"] or "")[:10],
                    "Subject": e["subject"],
                }
                for e in shown
            ],
            hide_index=True,
            width="stretch",
        )
