"""Compare: any two versions as inline track changes, each change with its delegations."""

from __future__ import annotations

import streamlit as st

from ...formats.diffview import to_html, to_html_fragment, to_markdown
from .. import cache, links
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
        v1 = pick_version(c, "From", "cmp_from", default=len(names) - 2, url_param="from")
    with cols[1]:
        v2 = pick_version(c, "To", "cmp_to", default=len(names) - 1, url_param="to")
    links.publish(**{"from": v1, "to": v2})
    with cols[2]:
        st.write("")
        only = st.toggle("Only changed paragraphs", value=True, key="cmp_only")
    with head:
        page_header(c, "Compare", f"{c.version_label(v1)} → {c.version_label(v2)}")
    if v1 is None or v2 is None or v1 == v2:
        st.info("Choose two different versions.")
        return

    data = cache.diff(c.root, c.head, c.document, v1, v2)
    title = f"{c.title}: {c.version_label(v2)} compared with {c.version_label(v1)}"
    kw = {"labels": data["labels"], "numbers": data["numbers"], "only_changed": only}

    dl = st.columns([2, 2, 5])
    dl[0].download_button(
        "Download HTML",
        data=lambda: to_html(data["diff"], title=title, **kw).encode("utf-8"),  # made when asked for
        file_name=f"{c.document}-{v1}-{v2}.html",
        mime="text/html",
        key="cmp_dl_html",
    )
    dl[1].download_button(
        "Download Markdown",
        data=lambda: to_markdown(data["diff"], title=title, **kw).encode("utf-8"),
        file_name=f"{c.document}-{v1}-{v2}.md",
        mime="text/markdown",
        key="cmp_dl_md",
    )
    with dl[2]:
        export_download(
            c,
            "tracked",
            (v2, v1),
            ("docx", "odt", "pdf"),  # (HTML and Markdown: the two buttons before, as shown here)
            key="cmp_export",
            filename=f"{c.document}-{v2}-changes-since-{v1}",
            label="tracked changes",
        )

    # diffview escapes every text it places in its markup; st.html sanitises once more
    caption = f"{c.title}: {c.version_label(v1)} → {c.version_label(v2)}"
    st.html(_fragment(c.root, c.head, c.document, v1, v2, only, caption))


@st.cache_resource(max_entries=64, show_spinner=False)
def _fragment(root: str, head: str, document: str, v1: str, v2: str, only: bool, caption: str) -> str:
    """The changes as HTML, once per state of the workspace (shared by every session)."""
    data = cache.diff(root, head, document, v1, v2)
    return to_html_fragment(
        data["diff"], labels=data["labels"], numbers=data["numbers"], only_changed=only, ids=False, caption=caption
    )
