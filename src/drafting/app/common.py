"""What every page shares: the run's context (workspace, HEAD, who, which document),
the page header, messages, and pickers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ..formats.diffview import escape_markdown as md
from ..model import vocabulary as words
from ..model.errors import DraftingError
from ..model.records import Config, Delegation, Version
from ..model.when import long_date
from ..store.workspace import Workspace
from . import cache, markup

CTX_KEY = "_drafting_ctx"
FLASH_KEY = "_drafting_flash"


@dataclass
class Ctx:
    root: str
    head: str
    ws: Workspace  # for reading at ``head`` (shared, cached)
    config: Config
    mode: str
    actor: Delegation  # the delegation the visitor acts as (signed in, or picked in demo mode)
    document: str
    #: this run's lookups (version -> (numbers, paragraphs by id)), so that naming 300
    #: paragraphs does not copy a version out of the cache 300 times
    _names: dict = field(default_factory=dict, repr=False)
    #: the app's pages by address (``st.Page``), for links that stay in the session
    pages: dict = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- names
    def name(self, code: str | None) -> str:
        if not code:
            return ""
        if "codes" not in self._names:  # 193 delegations: a dict, not a search per name
            self._names["codes"] = {d.code: d.name for d in self.config.delegations}
        return self._names["codes"].get(code, code)

    def who(self, codes: Iterable[str]) -> str:
        return ", ".join(self.name(c) for c in codes if c)

    def label(self, code: str | None) -> str:
        d = self.config.delegation(code) if code else None
        return f"{d.name} ({d.code})" if d else (code or "")

    def who_html(self, codes: Iterable[str]) -> str:
        """Delegations by name, code on hover (escaped HTML)."""
        return markup.who(codes, self.name)

    def date(self, value: str | None) -> str:
        """A date as documents write it ("15 July 2026"); empty when there is none."""
        if not value:
            return ""
        try:
            return long_date(value, self.config.timezone)
        except DraftingError:
            return str(value)

    # ---------------------------------------------------------------- paragraphs, rounds
    def numbers(self, version: str) -> dict[str, str]:
        """Display numbers of ``version`` (computed by text.numbering, through the service)."""
        return cache.numbers(self.root, self.head, self.document, version)

    def paragraph_name(self, version: str, pid: str | None) -> str:
        """ "Action 11", "paragraph 5", or an unnumbered paragraph by its first words."""
        if not pid:
            return "the start of the document"
        if ("paragraphs", version) not in self._names:
            self._names[("paragraphs", version)] = (self.numbers(version), self.version(version).by_id())
        nums, by_id = self._names[("paragraphs", version)]

        p = by_id.get(pid)
        return words.paragraph_name(nums.get(pid), p.kind if p else None, p.text if p else pid)

    def round_name(self, rid: str | None, *, deadline: bool = True) -> str:
        r = self.config.round(rid) if rid else None
        if r is None:
            return rid or ""
        labels = {v["version"]: v["label"] for v in self.versions()}
        return words.round_name(r, labels, self.config.timezone, deadline=deadline)

    @property
    def title(self) -> str:
        info = self.config.documents.get(self.document)
        return info.title if info else self.document

    @property
    def symbol(self) -> str | None:
        info = self.config.documents.get(self.document)
        return info.symbol if info else None

    @property
    def is_presidency(self) -> bool:
        """Cosmetic only (which controls to show); the services enforce the rules."""
        return self.actor.role == "presidency"

    @property
    def can_manage_rounds(self) -> bool:
        """Cosmetic only: whether to show opening, extending and closing rounds."""
        from ..model.roles import CAN_MANAGE_ROUNDS

        return self.actor.role in CAN_MANAGE_ROUNDS

    # ---------------------------------------------------------------- versions
    def versions(self) -> list[dict]:
        if "versions" not in self._names:  # once per run: a cache lookup hashes its arguments
            self._names["versions"] = cache.version_stats(self.root, self.head, self.document)
        return self._names["versions"]

    def version(self, name: str) -> Version:
        return cache.version(self.root, self.head, self.document, name)

    def version_label(self, name: str | None) -> str:
        if not name:
            return ""
        if "labels" not in self._names:
            self._names["labels"] = {v["version"]: v["label"] for v in self.versions()}
        return self._names["labels"].get(name, name)

    def writer(self) -> Workspace:
        """A fresh Workspace for a write (never the shared reader)."""
        return Workspace(self.root)


def ctx() -> Ctx:
    c = st.session_state.get(CTX_KEY)
    if c is None:  # a page run on its own (not through app.py)
        st.error("Start the app with 'drafting app' (or streamlit run app.py).")
        st.stop()
    return c


# ------------------------------------------------------------------------- messages


def flash(kind: str, message: str) -> None:
    """A message shown once, on the next run (after st.rerun)."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> None:
    item = st.session_state.pop(FLASH_KEY, None)
    if item:
        kind, message = item
        getattr(st, kind if kind in ("success", "info", "warning", "error") else "info")(md(message))


def show_error(err: DraftingError | str, where=None, prefix: str = "") -> None:
    """A service's refusal, as the CLI prints it (one line), escaped for Markdown;
    ``where``: the container to show it in (the top of the form it is about)."""
    line = err.line if isinstance(err, DraftingError) else str(err)
    (where or st).error(md(prefix + line))


def page_header(c: Ctx, page: str, subtitle: str | None = None) -> None:
    st.html(markup.header(c.config.conference, c.title, symbol=c.symbol, subtitle=subtitle, page=page))
    show_flash()


# -------------------------------------------------------------------------- pickers


def keep_valid(key: str, options: Sequence[Any]) -> None:
    """Forget a widget's remembered choice when it is no longer among its options (another
    round, document or version), so the widget falls back to its default."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def keep_valid_many(key: str, options: Sequence[Any]) -> None:
    """The same for a multiselect: drop remembered choices that are no longer options."""
    if key in st.session_state:
        kept = [x for x in st.session_state[key] or [] if x in options]
        if kept != list(st.session_state[key] or []):
            st.session_state[key] = kept


def pick_version(
    c: Ctx, label: str, key: str, *, default: int = -1, names: Sequence[str] | None = None, url_param: str | None = None
) -> str | None:
    names = list(names if names is not None else [v["version"] for v in c.versions()])
    if not names:
        return None
    keep_valid(key, names)
    if url_param:
        from . import links

        links.apply(url_param, key, names)
    index = default if default >= 0 else len(names) + default
    index = max(0, min(index, len(names) - 1))
    dates = {v["version"]: v["date"] for v in c.versions()}

    def fmt(n: str) -> str:
        return " · ".join(x for x in (c.version_label(n), c.date(dates.get(n))) if x)

    if key in st.session_state:  # a link (or the visitor) placed it: no default to argue with
        return st.selectbox(label, names, key=key, format_func=fmt)
    return st.selectbox(label, names, index=index, key=key, format_func=fmt)


def pick_round(c: Ctx, label: str, key: str, *, allow_all: bool = False) -> str | None:
    from ..service.app_queries import current_round
    from . import links

    rounds = [r.id for r in c.config.rounds_of(c.document)]
    if not rounds:
        return None
    options: list[Any] = ([None] if allow_all else []) + rounds
    keep_valid(key, options)
    links.apply("round", key, rounds)
    cur = current_round(c.ws, c.document)
    index = options.index(cur.id) if cur and not allow_all else 0

    def fmt(rid: str | None) -> str:
        return "All rounds" if rid is None else c.round_name(rid)

    col = st.columns([3, 2])[0]
    if key in st.session_state:  # a link (or the visitor) placed it: no default to argue with
        return col.selectbox(label, options, key=key, format_func=fmt)
    return col.selectbox(label, options, index=index, key=key, format_func=fmt)


def paragraph_option(number: str, pid: str, text: str | None, kind: str | None = None) -> str:
    """A plain-text label for a paragraph in a picker (selectboxes show text as text): its
    number and first words, never its reference."""
    if number:
        return f"{number} — {markup.clip(text, 80)}"
    if kind == "heading":
        return f"Heading: {markup.clip(text, 80)}"
    return markup.clip(text, 90) or pid


def page_link(c: Ctx, relative: str, label: str, **kw: Any) -> None:
    """A link to one of the app's addresses (``model.addresses``) that stays in the session
    (no reload: the delegation picked in the demo, the filters, are kept)."""
    from urllib.parse import parse_qsl

    path, _, query = relative.partition("?")
    page = c.pages.get(path)
    if page is None:
        return
    st.page_link(page, label=label, query_params=dict(parse_qsl(query)), **kw)


def export_download(
    c: Ctx,
    kind: str,
    args: tuple,
    formats: Sequence[str],
    key: str,
    filename: str,
    label: str = "document",
    *,
    stacked: bool = False,
) -> None:
    """A format picker and a download button for a ``service.exports`` document, prepared
    on request (pandoc takes a second)."""
    cols = [st.container()] * 3 if stacked else st.columns([2, 3, 3])
    fmt = cols[0].selectbox(
        f"Format of the {label}",
        list(formats),
        key=f"{key}_fmt",
        label_visibility="visible" if stacked else "collapsed",
    )
    ready_key = f"{key}_ready"
    want = (c.head, kind, c.document, args, fmt)
    if cols[1].button(f"Prepare the {label}", key=f"{key}_prep"):
        try:
            data = cache.export_file(c.root, c.head, kind, c.document, args, fmt)
            st.session_state[ready_key] = (want, data)
        except DraftingError as err:
            show_error(err)
    ready = st.session_state.get(ready_key)
    if ready and ready[0] == want:
        cols[2].download_button(
            f"Download .{fmt}",
            data=ready[1],
            file_name=f"{filename}.{fmt}",
            key=f"{key}_dl",
            mime=_MIME.get(fmt, "application/octet-stream"),
            type="primary",
        )


_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "html": "text/html",
    "md": "text/markdown",
    "json": "application/json",
    "csv": "text/csv",
}
