"""The Streamlit app's entry: workspace, sign-in, document, navigation.

Run by ``app.py`` at the repository root (``drafting app`` starts it; so does
``streamlit run app.py`` with ``DRAFTING_WORKSPACE`` set). The pages are the scripts in
``pages/``; each calls its view in ``views/`` with the context built here.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from ..formats.diffview import escape_markdown as md
from ..model.errors import DraftingError
from ..store.workspace import Workspace, resolve_root
from . import auth, cache, markup
from .common import CTX_KEY, Ctx, keep_valid

PAGES = Path(__file__).resolve().parent / "pages"

#: (section, file, title, url path, icon)
PAGE_LIST = (
    ("Texts", "draft.py", "Draft", "draft", ":material/description:"),
    ("Texts", "compare.py", "Compare", "compare", ":material/compare_arrows:"),
    ("Texts", "references.py", "References", "references", ":material/menu_book:"),
    ("Texts", "silence.py", "Silence procedure", "silence", ":material/hourglass_top:"),
    ("Inputs", "submit.py", "Submit", "submit", ":material/edit_note:"),
    ("Inputs", "my_inputs.py", "My inputs", "my-inputs", ":material/inbox:"),
    ("Presidency", "review.py", "Review", "review", ":material/gavel:"),
    ("Overview", "dashboard.py", "Compilation & dashboard", "dashboard", ":material/table_chart:"),
    ("Overview", "history.py", "History", "history", ":material/history:"),
    ("Overview", "languages.py", "Languages & documents", "languages", ":material/translate:"),
)


def workspace_root() -> str:
    return str(resolve_root(os.environ.get("DRAFTING_WORKSPACE") or None))


def run() -> None:
    st.set_page_config(page_icon=":material/article:", layout="wide", initial_sidebar_state="expanded")
    st.html(markup.css())
    root = workspace_root()
    try:
        Workspace(root)  # a clear message when the folder is not a workspace
        head = cache.head_sha(root)
        ws = cache.reader(root, head)
        config = ws.config
    except DraftingError as err:
        st.error(md(err.line))
        st.stop()
        return

    actor = auth.identify(config)
    mode = auth.mode_of(config)

    documents = list(config.documents)
    if not documents:
        st.error("drafting.yaml lists no documents.")
        st.stop()
    keep_valid("document", documents)
    document = st.sidebar.selectbox(
        "Document", documents, key="document", format_func=lambda d: config.documents[d].title
    )

    st.session_state[CTX_KEY] = Ctx(
        root=root, head=head, ws=ws, config=config, mode=mode, actor=actor, document=document
    )

    left_out = ws.invalid_contributions(document)
    if left_out:
        st.warning(
            md(
                f"{len(left_out)} contribution file{'s are' if len(left_out) != 1 else ' is'} not valid and "
                "left out until corrected: " + "; ".join(left_out.values())
            )
        )

    sections: dict[str, list] = {}
    for section, file, title, url, icon in PAGE_LIST:
        sections.setdefault(section, []).append(
            st.Page(str(PAGES / file), title=title, url_path=url, icon=icon, default=(url == "draft"))
        )
    page = st.navigation(sections)
    if mode == "demo":
        st.html(markup.demo_banner(f"{actor.name} ({actor.code}), {actor.role}"))
    page.run()
