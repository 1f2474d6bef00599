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
from . import auth, cache, links, markup, notices, timing
from .common import CTX_KEY, Ctx, keep_valid

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
FAVICON = str(HERE / "favicon.png")

#: (section, file, title, url path, icon); every page has its own address (see links.py)
PAGE_LIST = (
    ("Texts", "draft.py", "Draft", links.DRAFT, ":material/description:"),
    ("Texts", "compare.py", "Compare", links.COMPARE, ":material/compare_arrows:"),
    ("Texts", "references.py", "References", links.REFERENCES, ":material/menu_book:"),
    ("Texts", "silence.py", "Silence procedure", links.SILENCE, ":material/hourglass_top:"),
    ("Inputs", "news.py", "What's new", links.NEWS, ":material/notifications:"),
    ("Inputs", "submit.py", "Submit", links.SUBMIT, ":material/edit_note:"),
    ("Inputs", "my_inputs.py", "My inputs", links.MY_INPUTS, ":material/inbox:"),
    ("Presidency", "review.py", "Review", links.REVIEW, ":material/gavel:"),
    ("Overview", "dashboard.py", "Compilation & dashboard", links.DASHBOARD, ":material/table_chart:"),
    ("Overview", "history.py", "History", links.HISTORY, ":material/history:"),
    ("Overview", "languages.py", "Languages & documents", links.LANGUAGES, ":material/translate:"),
)


def workspace_root() -> str:
    return str(resolve_root(os.environ.get("DRAFTING_WORKSPACE") or None))


def run() -> None:
    state: dict = {}
    with timing.measured(state):  # the server's time per rerun, when the benchmark asks
        _run(state)


def _run(state: dict) -> None:
    st.set_page_config(page_icon=FAVICON, layout="wide", initial_sidebar_state="expanded")
    st.html(markup.css())
    links.begin()
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
    links.apply("doc", "document", documents)
    document = st.sidebar.selectbox(
        "Document", documents, key="document", format_func=lambda d: config.documents[d].title
    )

    c = Ctx(root=root, head=head, ws=ws, config=config, mode=mode, actor=actor, document=document)
    st.session_state[CTX_KEY] = c
    links.publish(doc=document)

    left_out = ws.invalid_contributions(document)
    if left_out:
        st.warning(
            md(
                f"{len(left_out)} contribution file{'s are' if len(left_out) != 1 else ' is'} not valid and "
                "left out until corrected: " + "; ".join(left_out.values())
            )
        )

    notices.visit(root, head, actor.code)  # "since your last visit": remembered by the server
    fresh = notices.items(root, head, actor.code)
    sections: dict[str, list] = {}
    for section, file, title, url, icon in PAGE_LIST:
        if url == links.NEWS and fresh:
            title = f"{title} ({len(fresh)})"
        sections.setdefault(section, []).append(st.Page(str(PAGES / file), title=title, url_path=url, icon=icon))
    c.pages = {p.url_path: p for ps in sections.values() for p in ps}
    draft = sections["Texts"][0]
    if fresh:
        from ..service.news import headline

        st.sidebar.caption(md(f"Since your last visit: {headline(fresh)} (see What's new)"))

    def home() -> None:
        """The app's root address opens the Draft at /draft (links keep their parameters)."""
        st.switch_page(draft, query_params=st.query_params.to_dict())

    # the root is a page of its own, hidden, so that /draft is an address like any other
    sections["Texts"].insert(0, st.Page(home, title="Draft", url_path="home", default=True, visibility="hidden"))
    page = st.navigation(sections)
    state["page"] = page.url_path or "home"
    st.set_page_config(page_title=f"{page.title} · {config.conference}")
    if mode == "demo":
        from ..model.vocabulary import ROLE_WORDS

        role = ROLE_WORDS.get(actor.role, actor.role)
        st.html(markup.demo_banner(f"{actor.name} ({role})" if actor.role != "presidency" else f"{actor.name}, {role}"))
    try:
        page.run()
    finally:
        links.end()
