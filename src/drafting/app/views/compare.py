"""Compare: any two versions as inline track changes, each change with its delegations."""

from __future__ import annotations

import streamlit as st

from ...formats.diffview import to_html, to_html_fragment, to_markdown
from .. import cache
from ..common import ctx, export_download, page_header, pick_version


def render() -> None:
    c = ctx()
    names = [v["version"] for v in c.versions()]
    if len(names) < 2:
        page_header(c, "Compare")
        st.info(
            "There is only one version of this document so far. Once the Presidency composes a "
            "revision, compare it with the earlier text here."
        )
        return
    head = st.container()
    cols = st.columns([3, 3, 2])
    with cols[0]:
        v1 = pick_version(c, "From", "cmp_from", default=len(names) - 2)
    with cols[1]:
        v2 = pick_version(c, "To", "cmp_to", default=len(names) - 1)
    with cols[2]:
        st.write("")
        only = st.toggle("Only changed paragraphs", value=True, key="cmp_only")
    with head:
        page_header(c, "Compare", f"{c.version_label(v1)} → {c.version_label(v2)}")
    if v1 == v2:
        st.info("Choose two different versions.")
        return

    data = cache.diff(c.root, c.head, c.document, v1, v2)
    title = f"{c.title}: {c.version_label(v2)} compared with {c.version_label(v1)}"
    kw = dict(labels=data["labels"], numbers=data["numbers"], only_changed=only)

    dl = st.columns([2, 2, 5])
    dl[0].download_button(
        "Download HTML",
        data=to_html(data["diff"], title=title, **kw).encode("utf-8"),
        file_name=f"{c.document}-{v1}-{v2}.html",
        mime="text/html",
        key="cmp_dl_html",
    )
    dl[1].download_button(
        "Download Markdown",
        data=to_markdown(data["diff"], title=title, **kw).encode("utf-8"),
        file_name=f"{c.document}-{v1}-{v2}.md",
        mime="text/markdown",
        key="cmp_dl_md",
    )
    with dl[2]:
        export_download(
            c,
            "tracked",
            (v2, v1),
            ("docx", "odt", "pdf", "html", "md"),
            key="cmp_export",
            filename=f"{c.document}-{v2}-changes-since-{v1}",
            label="tracked changes",
        )

    # diffview escapes every text it places in its markup; st.html sanitises once more
    st.html(to_html_fragment(data["diff"], **kw))
