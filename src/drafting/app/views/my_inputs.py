"""My inputs: every proposal of the delegation (as proposer or co-sponsor) and where it went."""

from __future__ import annotations

import streamlit as st

from .. import cache, markup
from ..common import ctx, keep_valid, page_header

OUTCOME_NAMES = {
    "open": "Open",
    "in-version": "In a new version",
    "awaiting-version": "Accepted, awaiting the next version",
    "not-reflected": "Accepted, not reflected",
    "not-retained": "Not retained",
    "deferred": "Deferred",
    "withdrawn": "Withdrawn",
    "addressed": "Addressed",
    "noted": "Noted",
}


def render() -> None:
    c = ctx()
    page_header(c, "My inputs", f"Proposals of {c.actor.name} ({c.actor.code}) on {c.title}")
    rows = cache.outcomes(c.root, c.head, c.document, c.actor.code)
    if not rows:
        st.info(f"{c.actor.name} has no proposals on this document yet. Prepare some on the Submit page.")
        return

    counts: dict[str, int] = {}
    for r in rows:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    shown = [k for k in OUTCOME_NAMES if counts.get(k)]
    cols = st.columns(max(1, min(5, len(shown) + 1)))
    cols[0].metric("Proposals", len(rows))
    for i, k in enumerate(shown[: len(cols) - 1], 1):
        cols[i].metric(OUTCOME_NAMES[k], counts[k])

    nums_cache: dict[str, dict] = {}

    def number(base: str, pid: str | None) -> str:
        if not pid:
            return "(start)"
        if base not in nums_cache:
            nums_cache[base] = cache.numbers(c.root, c.head, c.document, base)
        n = nums_cache[base].get(pid)
        return f"{n} ({pid})" if n else pid

    table = [
        {
            "Proposal": r["id"],
            "Round": r["round"],
            "Kind": r["op"],
            "Paragraph": ("after " if r["op"] == "insert" else "") + number(r["base"], r["target"]),
            "With": ", ".join(x for x in [r["delegation"], *r["co_sponsors"]] if x != c.actor.code),
            "Status": r["status"],
            "Where it went": r["where"],
            "Submitted": (r["submitted"] or "")[:10],
        }
        for r in rows
    ]
    st.dataframe(table, hide_index=True, width="stretch")

    st.markdown("**One proposal in detail**")
    ids = [r["id"] for r in rows]
    keep_valid("mine_detail", ids)
    pid = st.selectbox(
        "Proposal", ids, key="mine_detail", format_func=lambda i: f"{i} · {next(r['op'] for r in rows if r['id'] == i)}"
    )
    row = next(r for r in rows if r["id"] == pid)
    review = cache.review(c.root, c.head, c.document, row["round"])
    card = next((p for g in review["groups"] for p in g["proposals"] if p["id"] == pid), None)
    if card:
        st.html(
            markup.proposal_card(
                card, who=c.who([card["delegation"], *card["co_sponsors"]]), target=number(row["base"], row["target"])
            )
        )
    st.html(markup.note(f"Where it went: {row['where']}"))
