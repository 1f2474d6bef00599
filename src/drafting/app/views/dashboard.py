"""Compilation and dashboard: the compilation table with filters; charts of the proposals by
section, by delegation and by status; how the drafts grew over the rounds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...model.vocabulary import kind_word, paragraph_name, status_word
from ...service.app_queries import csv_text
from .. import cache, links
from ..common import Ctx, ctx, export_download, keep_valid_many, page_header, pick_round

#: the table as shown and downloaded (words; the contract's codes stay in the JSON exports)
COLUMNS = [
    "Inputs on",
    "Paragraph",
    "Section",
    "Reference",
    "Delegations",
    "Kind",
    "Status",
    "Text",
    "Rationale",
    "Presidency's note",
]


def _shown(c: Ctx, r: dict) -> dict:
    rnd = c.config.round(r["round"])
    where = paragraph_name(r["number"], None, None) if r["number"] else ""
    if r["op"] == "insert":
        where = f"new, {where}" if where else "new paragraph"
    return {
        "Inputs on": c.version_label(rnd.base) if rnd else r["round"],
        "Paragraph": where,
        "Section": r["section"],
        "Reference": r["proposal"],
        "Delegations": c.who(r["delegations"].split(", ")),
        "Kind": kind_word(r["op"], capital=True),
        "Status": status_word(r["status"], capital=True),
        "Text": r["text"],
        "Rationale": r["rationale"],
        "Presidency's note": r["note"],
    }


def render() -> None:
    c = ctx()
    page_header(c, "Compilation & dashboard")
    rid = pick_round(c, "Round of inputs", "dash_round", allow_all=True)
    links.publish(round=rid)
    rows = cache.compilation(c.root, c.head, c.document, rid) if c.config.rounds_of(c.document) else []

    sections, delegs, statuses, ops = _choices(c.root, c.head, c.document, rid)
    f = st.columns([3, 3, 2, 2, 3])
    keep_valid_many("dash_sections", sections)
    f_sec = f[0].multiselect("Section", sections, key="dash_sections", placeholder="All")
    keep_valid_many("dash_delegations", delegs)
    f_del = f[1].multiselect("Delegation", delegs, key="dash_delegations", placeholder="All", format_func=c.name)
    keep_valid_many("dash_status", statuses)
    f_st = f[2].multiselect(
        "Status", statuses, key="dash_status", placeholder="All", format_func=lambda x: status_word(x, capital=True)
    )
    keep_valid_many("dash_ops", ops)
    f_op = f[3].multiselect(
        "Kind", ops, key="dash_ops", placeholder="All", format_func=lambda x: kind_word(x, capital=True)
    )
    f_q = f[4].text_input("Text contains", key="dash_q")

    filters = (tuple(f_sec), tuple(f_del), tuple(f_st), tuple(f_op), f_q)
    table, arrow = _table(c.root, c.head, c.document, rid, filters)
    st.caption(f"{len(table)} of {len(rows)} proposals and comments")
    if not rows:
        st.info("No proposals yet.")
    else:
        st.dataframe(
            arrow,
            hide_index=True,
            width="stretch",
            height=380,
            column_config={
                "Text": st.column_config.TextColumn("Text", width="large"),
                "Rationale": st.column_config.TextColumn("Rationale", width="medium"),
            },
        )
        dl = st.columns([2, 5])
        dl[0].download_button(
            "Download CSV",
            data=lambda: csv_text(table, COLUMNS).encode("utf-8"),  # made when asked for
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
    # the charts' specifications are built once per state of the workspace and filters,
    # and shared by every session (altair's building and checking is most of this page's time)
    specs = _chart_specs(c.root, c.head, c.document, rid, filters)
    g = st.columns(2)
    if "section" in specs:
        with g[0]:
            st.markdown("**Proposals and comments by section**")
            st.vega_lite_chart(spec=specs["section"], width="stretch")
        with g[1]:
            st.markdown("**Proposals and comments by delegation** (the proposing delegation)")
            st.vega_lite_chart(spec=specs["delegation"], width="stretch")
        g = st.columns(2)
        with g[0]:
            st.markdown("**Proposals and comments by status**")
            st.vega_lite_chart(spec=specs["status"], width="stretch")
    if "growth" in specs:
        with g[1]:
            st.markdown("**How the draft grew over the rounds**")
            st.vega_lite_chart(spec=specs["growth"], width="stretch")


@st.cache_resource(max_entries=64, show_spinner=False)
def _choices(root: str, head: str, document: str, rid: str | None) -> tuple[list, list, list, list]:
    """The filters' options: sections, delegations, statuses, kinds."""
    rows = cache.compilation(root, head, document, rid) if cache.reader(root, head).config.rounds_of(document) else []
    return (
        sorted({r["section"] for r in rows if r["section"]}),
        sorted({d for r in rows for d in r["delegations"].split(", ") if d}),
        sorted({r["status"] for r in rows}),
        sorted({r["op"] for r in rows}),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _table(root: str, head: str, document: str, rid: str | None, filters: tuple):
    """The table in words, and as Arrow for the grid, once per state and filters (for
    9,650 proposals, building it is most of this page's time)."""
    import pyarrow as pa

    from ..common import Ctx

    ws = cache.reader(root, head)
    c = Ctx(
        root=root, head=head, ws=ws, config=ws.config, mode="", actor=ws.config.presidency_delegation, document=document
    )
    rows = cache.compilation(root, head, document, rid) if ws.config.rounds_of(document) else []
    table = [_shown(c, r) for r in rows if _keep(r, *filters)]
    arrow = pa.Table.from_pylist(table, schema=pa.schema([(k, pa.string()) for k in COLUMNS]))
    return table, arrow


@st.cache_resource(max_entries=64, show_spinner=False)
def _chart_specs(root: str, head: str, document: str, rid: str | None, filters: tuple) -> dict[str, dict]:
    """The dashboard's charts as Vega-Lite specifications (with their data), for one state
    of the workspace and one set of filters."""
    rows = cache.compilation(root, head, document, rid) if cache.reader(root, head).config.rounds_of(document) else []
    f_sec, f_del, f_st, f_op, f_q = filters
    shown = [r for r in rows if _keep(r, f_sec, f_del, f_st, f_op, f_q)]
    config = cache.reader(root, head).config
    out: dict[str, dict] = {}
    if shown:
        df = pd.DataFrame(shown)
        df["section"] = df["section"].replace("", "(none)")
        names = {d.code: d.name for d in config.delegations}
        df["delegation"] = df["delegation"].map(lambda x: names.get(x, x))
        df["status"] = df["status"].map(status_word)
        df["op"] = df["op"].map(kind_word)
        out["section"] = _bars(df, "section", "status", horizontal=True).to_dict()
        out["delegation"] = _bars(df, "delegation", "status").to_dict()
        out["status"] = _bars(df, "status", "op", sort=list(STATUS_COLOURS)).to_dict()
    vs = cache.version_stats(root, head, document)
    if vs:
        growth = pd.DataFrame(
            [
                {"version": v["label"], "order": i, "words": v["words"], "paragraphs": v["paragraphs"]}
                for i, v in enumerate(vs)
            ]
        )
        out["growth"] = _growth(growth).to_dict()
    return out


def _keep(r: dict, f_sec, f_del, f_st, f_op, f_q: str) -> bool:
    return bool(
        (not f_sec or r["section"] in f_sec)
        and (not f_del or set(r["delegations"].split(", ")) & set(f_del))
        and (not f_st or r["status"] in f_st)
        and (not f_op or r["op"] in f_op)
        and (not f_q or f_q.lower() in (r["text"] + " " + r["rationale"] + " " + r["note"]).lower())
    )


#: colours by the words the charts show (model.vocabulary's)

STATUS_COLOURS = {
    status_word(k): v
    for k, v in {
        "open": "#2f6fab",
        "accepted": "#2e7d4f",
        "modified": "#88a94a",
        "deferred": "#c89a2c",
        "rejected": "#a14646",
        "withdrawn": "#a3a9b2",
        "addressed": "#6fae8a",
        "noted": "#7d8a99",
    }.items()
}
OP_COLOURS = {
    kind_word(k): v
    for k, v in {"amend": "#1f4e79", "insert": "#5b8bb8", "delete": "#a14646", "comment": "#9aa3ad"}.items()
}


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
