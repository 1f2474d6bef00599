"""Pandoc's AST to the units of :mod:`drafting.text.document` (ODT, Markdown, HTML files),
and the conventions of drafting's own exports that every reader applies.

Each paragraph pandoc gives (``Para``/``Plain``, a list item, a table cell, a heading, a
line block, a definition term) is one unit. Word files are read from their XML instead
(:mod:`.ooxml`), where Word's own structure is.

What an export writes around the text (see :mod:`.ast`): the display number in the
character style ``NUMBER_STYLE`` (structure, not text); the paragraph style of each kind;
the title block and comment blocks, which are not text of the version
(:func:`flag_export_only`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..text.document import Anchor, Comment, Document, Segment, Unit
from ..text.words import normalize_space
from .ast import COMMENT_STYLE, KIND_STYLES, NUMBER_STYLE, TITLE_STYLES, bookmark_name, paragraph_id_from_bookmark

__all__ = [
    "NUMBER_STYLE_KEY",
    "anchor",
    "flag_export_only",
    "kind_of_style",
    "style_key",
    "units_from_ast",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


def anchor(name: str) -> Anchor:
    """A bookmark (or identifier) and the paragraph ids it may stand for, most likely
    first: the id an export's bookmark carries (``p_clr_3`` is ``clr-3``, see
    :func:`.ast.bookmark_name`); besides, a hand-made bookmark named as the id itself or as
    ``p_`` + id, with ``_`` standing for ``-`` (Word refuses ``-`` in bookmark names).
    Word's own bookmarks (``_GoBack``, ``_Toc…``) stand for nothing."""
    ids: list[str] = []
    ours = paragraph_id_from_bookmark(name)
    if ours:
        ids.append(ours)
    if name and not name.startswith("_"):
        pid = name[2:] if name.startswith("p_") else name
        if _ID.match(pid) and pid not in ids:
            ids.append(pid)
    for c in list(ids):
        alt = c.replace("_", "-")
        if alt not in ids:
            ids.append(alt)
    return Anchor(name, tuple(ids), ours is not None and bookmark_name(ours) == name)


def style_key(name: str | None) -> str:
    """A style name as compared: case, spaces, hyphens and underscores ignored (word
    processors turn "Paragraph Number" into the id ``ParagraphNumber``)."""
    return "".join(ch for ch in (name or "").lower() if ch.isalnum())


NUMBER_STYLE_KEY = style_key(NUMBER_STYLE)
_KIND_OF_STYLE = {style_key(v): k for k, v in KIND_STYLES.items()}
_TITLE_KEYS = frozenset(style_key(v) for v in TITLE_STYLES.values())
#: title-block styles no other document uses ("Title" and "Subtitle" are Word's own)
_EXPORT_TITLE_KEYS = _TITLE_KEYS - {style_key("Title"), style_key("Subtitle")}
_COMMENT_KEY = style_key(COMMENT_STYLE)


def kind_of_style(style: str | None) -> str | None:
    """The paragraph kind an export's paragraph style stands for ("Action Paragraph")."""
    return _KIND_OF_STYLE.get(style_key(style))


def flag_export_only(units: list[Unit]) -> None:
    """Mark the paragraphs an export adds around the text: comment blocks always; the
    title-block styles (Title and Subtitle included) only in a document that carries
    drafting's own title block, so a Title in anyone else's document stays text."""
    keys = [style_key(u.style) for u in units]
    export = any(k in _EXPORT_TITLE_KEYS for k in keys)
    for u, k in zip(units, keys, strict=True):
        if k == _COMMENT_KEY or (export and k in _TITLE_KEYS):
            u.export_only = True


# ---------------------------------------------------------------------------------------
# The AST walk

_BLOCK_TYPES = frozenset(
    [
        "Plain",
        "Para",
        "LineBlock",
        "CodeBlock",
        "RawBlock",
        "BlockQuote",
        "OrderedList",
        "BulletList",
        "DefinitionList",
        "Header",
        "HorizontalRule",
        "Table",
        "Figure",
        "Div",
    ]
)
_WRAPPERS = frozenset(["Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"])


def _attr(a: Any) -> tuple[str, list[str], dict[str, str]]:
    try:
        ident, classes, kvs = a
        return str(ident or ""), [str(c) for c in classes], {str(k): str(v) for k, v in kvs}
    except (TypeError, ValueError):
        return "", [], {}


def _add(u: Unit, text: str, ins: bool, dele: bool, number: bool) -> None:
    last = u.segments[-1] if u.segments else None
    if last is not None and (last.inserted, last.deleted, last.number) == (ins, dele, number):
        u.segments[-1] = Segment(last.text + text, ins, dele, number)
    else:
        u.segments.append(Segment(text, ins, dele, number))


def _plain_text(inlines: Any) -> str:
    """Text of inlines as a reader would see it (deleted text and comments left out)."""
    u = Unit()
    _walk(inlines, u, False, False, False, comments=False)
    return u.text("accept")


def _walk(inlines: Any, u: Unit, ins: bool, dele: bool, number: bool, *, comments: bool = True) -> None:
    if not isinstance(inlines, list):
        return
    for il in inlines:
        if not isinstance(il, dict):
            continue
        t, c = il.get("t"), il.get("c")
        if t == "Str":
            _add(u, str(c), ins, dele, number)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            _add(u, " ", ins, dele, number)
        elif t in _WRAPPERS:
            _walk(c, u, ins, dele, number, comments=comments)
        elif t == "Quoted" and isinstance(c, list) and len(c) == 2:
            single = isinstance(c[0], dict) and c[0].get("t") == "SingleQuote"
            op, cl = ("‘", "’") if single else ("“", "”")
            _add(u, op, ins, dele, number)
            _walk(c[1], u, ins, dele, number, comments=comments)
            _add(u, cl, ins, dele, number)
        elif t == "Cite" and isinstance(c, list) and len(c) == 2:
            _walk(c[1], u, ins, dele, number, comments=comments)
        elif t in ("Code", "Math") and isinstance(c, list) and len(c) == 2:
            _add(u, str(c[1]), ins, dele, number)
        elif t == "Link" and isinstance(c, list) and len(c) == 3:
            ident, _, _ = _attr(c[0])
            if ident:
                u.anchors.append(anchor(ident))
            _walk(c[1], u, ins, dele, number, comments=comments)
        elif t == "Span" and isinstance(c, list) and len(c) == 2:
            ident, classes, kvs = _attr(c[0])
            if "comment-start" in classes:
                if comments:
                    u.comments.append(Comment(normalize_space(_plain_text(c[1])), kvs.get("author"), kvs.get("date")))
            elif "paragraph-insertion" in classes:
                u.mark_inserted = True
                u.add_revision(kvs.get("author"), kvs.get("date"))
            elif "paragraph-deletion" in classes:
                u.mark_deleted = True
                u.add_revision(kvs.get("author"), kvs.get("date"))
            elif "insertion" in classes:
                u.add_revision(kvs.get("author"), kvs.get("date"))
                _walk(c[1], u, True, dele, number, comments=comments)
            elif "deletion" in classes:
                u.add_revision(kvs.get("author"), kvs.get("date"))
                _walk(c[1], u, ins, True, number, comments=comments)
            else:  # comment-end, anchors, styled spans
                if ident:
                    u.anchors.append(anchor(ident))
                styled_number = style_key(kvs.get("custom-style")) == NUMBER_STYLE_KEY
                _walk(c[1], u, ins, dele, number or styled_number, comments=comments)
        # Note (footnotes), Image, RawInline: not paragraph text


def _count_notes(obj: Any) -> int:
    if isinstance(obj, list):
        return sum(_count_notes(x) for x in obj)
    if isinstance(obj, dict):
        return 1 if obj.get("t") == "Note" else _count_notes(obj.get("c"))
    return 0


def _nested_blocks(obj: Any) -> Iterator[dict]:
    """Blocks found anywhere inside a table's or figure's structure, in order."""
    if isinstance(obj, list):
        for x in obj:
            yield from _nested_blocks(x)
    elif isinstance(obj, dict) and obj.get("t") in _BLOCK_TYPES:
        yield obj


class _Builder:
    """Flattens pandoc blocks into units, in document order."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.footnotes = 0
        self.pending_anchor: str | None = None  # a Div id, for the first unit inside
        self.style: str | None = None  # from an enclosing custom-style Div

    def unit(self, inlines: Any, *, heading: int = 0, ordered: bool = False, ident: str = "") -> None:
        u = Unit(heading=heading, ordered=ordered, style=self.style)
        u.style_kind = None if heading else kind_of_style(self.style)
        if self.pending_anchor:
            u.anchors.append(anchor(self.pending_anchor))
            self.pending_anchor = None
        if ident:
            u.anchors.append(anchor(ident))
        _walk(inlines, u, False, False, False)
        self.footnotes += _count_notes(inlines)
        self.units.append(u)

    def blocks(self, blocks: Any, *, ordered: bool = False) -> None:
        if not isinstance(blocks, list):
            return
        first = True
        for b in blocks:
            if isinstance(b, dict) and b.get("t") in _BLOCK_TYPES:
                self.block(b, ordered=ordered and first)
                first = False

    def block(self, b: dict, *, ordered: bool = False) -> None:
        t, c = b.get("t"), b.get("c")
        if t in ("Para", "Plain"):
            self.unit(c, ordered=ordered)
        elif t == "Header" and isinstance(c, list) and len(c) == 3:
            ident, _, _ = _attr(c[1])
            level = c[0] if isinstance(c[0], int) and c[0] > 0 else 1
            self.unit(c[2], heading=level, ident=ident)
        elif t == "BulletList" and isinstance(c, list):
            for item in c:
                self.blocks(item)
        elif t == "OrderedList" and isinstance(c, list) and len(c) == 2:
            for item in c[1] if isinstance(c[1], list) else []:
                self.blocks(item, ordered=True)
        elif t == "BlockQuote":
            self.blocks(c)
        elif t == "Div" and isinstance(c, list) and len(c) == 2:
            ident, _, kvs = _attr(c[0])
            if ident:
                self.pending_anchor = ident
            outer = self.style
            self.style = kvs.get("custom-style") or outer
            self.blocks(c[1], ordered=ordered)
            self.style = outer
            self.pending_anchor = None
        elif t == "LineBlock" and isinstance(c, list):
            joined: list = []
            for line in c:
                if joined:
                    joined.append({"t": "Space"})
                joined.extend(line if isinstance(line, list) else [])
            self.unit(joined)
        elif t == "CodeBlock" and isinstance(c, list) and len(c) == 2:
            self.unit([{"t": "Str", "c": str(c[1])}])
        elif t == "DefinitionList" and isinstance(c, list):
            for entry in c:
                if isinstance(entry, list) and len(entry) == 2:
                    self.unit(entry[0])
                    for d in entry[1] if isinstance(entry[1], list) else []:
                        self.blocks(d)
        elif t in ("Table", "Figure"):
            for nested in _nested_blocks(c):
                self.block(nested)
        # RawBlock, HorizontalRule: nothing to read


def units_from_ast(doc: dict) -> Document:
    """The units of a pandoc JSON document (``formats.pandoc.read``)."""
    b = _Builder()
    b.blocks(doc.get("blocks"))
    flag_export_only(b.units)
    return Document(b.units, footnotes=b.footnotes)
