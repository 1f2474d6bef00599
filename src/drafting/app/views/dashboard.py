"""Compilation and dashboard: the compilation table with filters; charts of the proposals by
section, by delegation and by status; how the drafts grew over the rounds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...service.app_queries import csv_text
from .. import cache
from ..common import ctx, export_download, keep_valid_many, page_header, pick_round

COLUMNS = [
    "round",
    "number",
    "paragraph",
    "section",
    "proposal",
    "delegations",
    "op",
    "status",
    "text",
    "rationale",
    "note",
]


def render() -> None:
    c = ctx()
    page_header(c, "Compilation & dashboard")
    rid = pick_round(c, "Input round", "dash_round", allow_all=True)
    rows = cache.compilation(c.root, c.head, c.document, rid) if c.config.rounds_of(c.document) else []

    sections = sorted({r["section"] for r in rows if r["section"]})
    delegs = sorted({d for r in rows for d in r["delegations"].split(", ") if d})
    statuses = sorted({r["status"] for r in rows})
    ops = sorted({r["op"] for r in rows})
    f = st.columns([3, 3, 2, 2, 3])
    keep_valid_many("dash_sections", sections)
    f_sec = f[0].multiselect("Section", sections, key="dash_sections", placeholder="All")
    keep_valid_many("dash_delegations", delegs)
    f_del = f[1].multiselect(
        "Delegation", delegs, key="dash_delegations", placeholder="All", format_func=lambda x: f"{x} — {c.name(x)}"
    )
    keep_valid_many("dash_status", statuses)
    f_st = f[2].multiselect("Status", statuses, key="dash_status", placeholder="All")
    keep_valid_many("dash_ops", ops)
    f_op = f[3].multiselect("Kind", ops, key="dash_ops", placeholder="All")
    f_q = f[4].text_input("Text contains", key="dash_q")

    def keep(r) -> bool:
        return (
            (not f_sec or r["section"] in f_sec)
            and (not f_del or set(r["delegations"].split(", ")) & set(f_del))
            and (not f_st or r["status"] in f_st)
            and (not f_op or r["op"] in f_op)
            and (not f_q or f_q.lower() in (r["text"] + " " + r["rationale"] + " " + r["note"]).lower())
        )

    shown = [r for r in rows if keep(r)]
    st.caption(f"{len(shown)} of {len(rows)} proposals")
    if not rows:
        st.info("No proposals yet.")
    else:
        st.dataframe(
            pd.DataFrame(shown, columns=COLUMNS),
            hide_index=True,
            width="stretch",
            height=380,
            column_config={
                "text": st.column_config.TextColumn("text", width="large"),
                "rationale": st.column_config.TextColumn("rationale", width="medium"),
            },
        )
        dl = st.columns([2, 5])
        dl[0].download_button(
            "Download CSV",
            data=csv_text(shown, COLUMNS).encode("utf-8"),
            file_name=f"{c.document}-{rid or 'all-rounds'}-compilation.csv",
            mime="text/csv",
            key="dash_csv",
        )
        if rid:
            with dl[1]:
                export_download(
                    c,
                    "compilation",
                    (rid, False),
                    ("docx", "html", "md"),
                    key="dash_export",
                    filename=f"{c.document}-{rid}-compilation",
                    label="compilation",
                )

    st.subheader("Dashboard", anchor=False)
    if shown:
        df = pd.DataFrame(shown)
        df["section"] = df["section"].replace("", "(none)")
        g = st.columns(2)
        with g[0]:
            st.markdown("**Proposals by section**")
            st.altair_chart(_bars(df, "section", "status", horizontal=True), width="stretch")
        with g[1]:
            st.markdown("**Proposals by delegation** (the proposing delegation)")
            st.altair_chart(_bars(df, "delegation", "status"), width="stretch")
        g = st.columns(2)
        with g[0]:
            st.markdown("**Proposals by status**")
            st.altair_chart(_bars(df, "status", "op", sort=list(STATUS_COLOURS)), width="stretch")
    else:
        g = st.columns(2)
    with g[1]:
        st.markdown("**How the draft grew over the rounds**")
        vs = cache.version_stats(c.root, c.head, c.document)
        if vs:
            growth = pd.DataFrame(
                [
                    {"version": v["label"], "order": i, "words": v["words"], "paragraphs": v["paragraphs"]}
                    for i, v in enumerate(vs)
                ]
            )
            st.altair_chart(_growth(growth), width="stretch")


STATUS_COLOURS = {
    "open": "#2f6fab",
    "accepted": "#2e7d4f",
    "modified": "#88a94a",
    "deferred": "#c89a2c",
    "rejected": "#a14646",
    "withdrawn": "#a3a9b2",
    "addressed": "#6fae8a",
    "noted": "#7d8a99",
}
OP_COLOURS = {"amend": "#1f4e79", "insert": "#5b8bb8", "delete": "#a14646", "comment": "#9aa3ad"}


def _bars(df: pd.DataFrame, by: str, colour: str, *, horizontal: bool = False, sort=None):
    import altair as alt

    counts = df.groupby([by, colour]).size().reset_index(name="proposals")
    palette = STATUS_COLOURS if colour == "status" else OP_COLOURS
    domain = [k for k in palette if k in set(counts[colour])]
    counts["rank"] = counts[colour].map({k: i for i, k in enumerate(domain)})
    col = alt.Color(
        f"{colour}:N",
        scale=alt.Scale(domain=domain, range=[palette[k] for k in domain]),
        legend=alt.Legend(orient="right" if horizontal else "bottom", title=None, columns=1 if horizontal else 4),
    )
    cat = (
        alt.X(
            f"{by}:N",
            sort=sort or "-y",
            title=None,
            axis=alt.Axis(labelLimit=220, labelAngle=0 if by == "status" else -90),
        )
        if not horizontal
        else alt.Y(f"{by}:N", sort=sort or "-x", title=None, axis=alt.Axis(labelLimit=220))
    )
    val = (alt.Y if not horizontal else alt.X)("sum(proposals):Q", title="proposals")
    height = alt.Step(24) if horizontal else 300
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(cat, val, col, alt.Order("rank:Q"), tooltip=[by, colour, "proposals"])
        .properties(height=height)
    )


def _growth(growth: pd.DataFrame):
    import altair as alt

    base = alt.Chart(growth).encode(
        x=alt.X("version:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=0))
    )
    bars = base.mark_bar(color="#1f4e79", opacity=0.85).encode(
        y=alt.Y("words:Q", title="words"), tooltip=["version", "words", "paragraphs"]
    )
    line = base.mark_line(color="#c89a2c", point=True).encode(y=alt.Y("paragraphs:Q", title="paragraphs"))
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=260)
