"""What every page shares: the run's context (workspace, HEAD, who, which document),
the page header, messages, and pickers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ..formats.diffview import escape_markdown as md
from ..model.errors import DraftingError
from ..model.records import Config, Delegation, Version
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

    # ---------------------------------------------------------------- names
    def name(self, code: str | None) -> str:
        if not code:
            return ""
        d = self.config.delegation(code)
        return d.name if d else code

    def who(self, codes: Iterable[str]) -> str:
        return ", ".join(self.name(c) for c in codes if c)

    def label(self, code: str | None) -> str:
        d = self.config.delegation(code) if code else None
        return f"{d.name} ({d.code})" if d else (code or "")

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

    # ---------------------------------------------------------------- versions
    def versions(self) -> list[dict]:
        return cache.version_stats(self.root, self.head, self.document)

    def version(self, name: str) -> Version:
        return cache.version(self.root, self.head, self.document, name)

    def version_label(self, name: str | None) -> str:
        if not name:
            return ""
        for v in self.versions():
            if v["version"] == name:
                return v["label"]
        return name

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


def show_error(err: DraftingError | str) -> None:
    """A service's refusal, as the CLI prints it (one line), escaped for Markdown."""
    st.error(md(err.line if isinstance(err, DraftingError) else str(err)))


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


def pick_version(c: Ctx, label: str, key: str, *, default: int = -1, names: Sequence[str] | None = None) -> str | None:
    names = list(names if names is not None else [v["version"] for v in c.versions()])
    if not names:
        return None
    keep_valid(key, names)
    index = default if default >= 0 else len(names) + default
    index = max(0, min(index, len(names) - 1))
    return st.selectbox(
        label,
        names,
        index=index,
        key=key,
        format_func=lambda n: f"{c.version_label(n)} ({n})" if c.version_label(n) != n else n,
    )


def pick_round(c: Ctx, label: str, key: str, *, allow_all: bool = False) -> str | None:
    from ..service.app_queries import current_round

    rounds = [r.id for r in c.config.rounds_of(c.document)]
    if not rounds:
        return None
    options: list[Any] = ([None] if allow_all else []) + rounds
    keep_valid(key, options)
    cur = current_round(c.ws, c.document)
    index = options.index(cur.id) if cur and not allow_all else 0

    def fmt(rid: str | None) -> str:
        if rid is None:
            return "All rounds"
        r = c.config.round(rid)
        bits = [rid, f"on {c.version_label(r.base)}"]
        if r.deadline:
            from ..model.conventions import written_date

            bits.append(f"deadline {written_date(r.deadline, c.config.timezone)}")
        return " · ".join(bits)

    col = st.columns([3, 2])[0]
    return col.selectbox(label, options, index=index, key=key, format_func=fmt)


def paragraph_option(number: str, pid: str, text: str | None, kind: str | None = None) -> str:
    """A plain-text label for a paragraph in a picker (selectboxes show text as text)."""
    lead = number or (kind or "")
    return f"{lead} · {pid} — {markup.clip(text, 80)}" if lead else f"{pid} — {markup.clip(text, 80)}"


def exports_available() -> bool:
    try:
        from ..service import exports  # noqa: F401
    except ImportError:
        return False
    return True


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
    on request (pandoc takes a second); a plain note when exports are not installed."""
    if not exports_available():
        st.caption("Word, PDF and other document exports appear here once drafting's export module is installed.")
        return
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
