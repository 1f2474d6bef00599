"""My inputs: every proposal of the delegation (as proposer or co-sponsor) and where it went."""

from __future__ import annotations

import streamlit as st

from ...model.vocabulary import count_inputs, kind_word, status_word
from .. import cache, clicks, links, markup
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
    page_header(c, "My inputs", f"Proposals and comments of {c.actor.name} on the {c.title}")
    rows = cache.outcomes(c.root, c.head, c.document, c.actor.code)
    if not rows:
        st.info(f"{c.actor.name} has no proposals or comments on this document yet. Prepare some on the Submit page.")
        return

    counts: dict[str, int] = {}
    for r in rows:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    shown = [k for k in OUTCOME_NAMES if counts.get(k)]
    cols = st.columns(max(1, min(5, len(shown) + 1)))
    cols[0].metric("Inputs", len(rows), help=count_inputs(r["op"] for r in rows))
    for i, k in enumerate(shown[: len(cols) - 1], 1):
        cols[i].metric(OUTCOME_NAMES[k], counts[k])

    def where(r) -> str:
        name = c.paragraph_name(r["base"], r["target"])
        return f"after {name}" if r["op"] == "insert" and r["target"] else name

    table = [
        {
            "Reference": r["id"],
            "On": c.version_label(r["base"]),
            "Kind": kind_word(r["op"], capital=True),
            "Paragraph": where(r),
            "With": _with(c, r),
            "Status": status_word(r["status"], capital=True),
            "Where it went": r["where"],
            "Submitted": c.date(r["submitted"]),
        }
        for r in rows
    ]
    st.dataframe(table, hide_index=True, width="stretch")

    st.markdown("**One proposal or comment in detail**")
    ids = [r["id"] for r in rows]
    by_id = {r["id"]: r for r in rows}
    keep_valid("mine_detail", ids)
    links.apply("proposal", "mine_detail", ids)
    pid = st.selectbox(
        "Proposal",
        ids,
        key="mine_detail",
        format_func=lambda i: f"{i} · {kind_word(by_id[i]['op'], capital=True)}, {where(by_id[i])}",
    )
    row = by_id[pid]
    links.publish(proposal=pid)
    review = cache.review(c.root, c.head, c.document, row["round"])
    card = next((p for g in review["groups"] for p in g["proposals"] if p["id"] == pid), None)
    if card:
        clicks.listen("mine_clicks")  # the reference copies the proposal's link
        st.html(
            markup.proposal_card(
                card,
                who="",
                who_html=c.who_html([card["delegation"], *card["co_sponsors"]]),
                target=where(row),
                link=links.proposal(c.document, row["base"], row["target"], pid),
            )
        )
    st.html(markup.note(f"Where it went: {row['where']}"))
    _act(c, row)


def _with(c, r) -> str:
    """The proposer and co-sponsors (but the reader), a co-sponsor yet to confirm marked."""
    marks = {"pending": " (to confirm)", "withdrawn": " (support withdrawn)"}
    names = [c.name(r["delegation"])] if r["delegation"] != c.actor.code else []
    for code, state in (r.get("support") or dict.fromkeys(r["co_sponsors"], "pending")).items():
        if code != c.actor.code:
            names.append(c.name(code) + marks.get(state, ""))
    return ", ".join(names)


def _act(c, row) -> None:
    """What the reader can do with the proposal now: withdraw its own undecided proposal;
    confirm (or withdraw) its co-sponsorship of another's before the decision."""
    from .. import actions

    if row["status"] != "open":
        return
    pid = row["id"]
    if row["delegation"] == c.actor.code:
        if st.button("Withdraw this proposal", key=f"mine_withdraw_{pid}"):
            actions.withdraw(c, pid)
        return
    state = (row.get("support") or {}).get(c.actor.code)
    if state is None:
        return
    if state != "confirmed":
        st.html(markup.note(f"{c.name(row['delegation'])} names {c.actor.name} as a co-sponsor.", "info"))
        if st.button("Confirm co-sponsorship", type="primary", key=f"mine_cosponsor_{pid}"):
            actions.cosponsor(c, pid)
    else:
        if st.button("Withdraw our support", key=f"mine_unsupport_{pid}"):
            actions.cosponsor(c, pid, withdraw=True)
