"""Pandoc's document model (its JSON AST), built from ours: pure functions, no I/O.

Every exported document is a pandoc AST built here and converted by ``formats.pandoc``.
Delegations' text only ever becomes ``Str`` and ``Space`` nodes (:func:`text`), so
``*``, ``<script>``, ``$`` or ``[x](y)`` in a proposal stay literal in every output
format: the writers escape them.

Conventions shared with the Word reader (``formats.reader``):

- Each paragraph's id travels as a bookmark: a ``Span`` with identifier
  :func:`bookmark_name` around the paragraph's text (pandoc writes ``w:bookmarkStart`` /
  ``w:bookmarkEnd``; its reader gives the ``Span`` back). :func:`paragraph_id_from_bookmark`
  inverts the mapping.
- A paragraph's display number ("Action 12", "5.") is not part of its text: it sits before
  the bookmark, in a ``Span`` with ``custom-style`` :data:`NUMBER_STYLE` (a character style
  in DOCX, ``data-custom-style`` in HTML), followed by one space.
- Paragraphs carry the paragraph style :data:`KIND_STYLES` ``[kind]`` (DOCX) and the class
  ``kind`` (HTML).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: the AST version we write; ``formats.pandoc`` replaces it by the running pandoc's own
API_VERSION = [1, 23, 1, 1]

Inline = dict[str, Any]
Block = dict[str, Any]
Attr = list[Any]

#: character style of the display number before a paragraph's text
NUMBER_STYLE = "Paragraph Number"
#: paragraph style per paragraph kind (defined in resources/reference.docx)
KIND_STYLES = {
    "action": "Action Paragraph",
    "operative": "Operative Paragraph",
    "preambular": "Preambular Paragraph",
    "text": "Text Paragraph",
}
#: paragraph styles of the title block
TITLE_STYLES = {
    "symbol": "Symbol",
    "distribution": "Distribution",
    "date": "Document Date",
    "original": "Original Language",
    "conference": "Conference",
    "venue": "Venue",
    "title": "Title",
    "label": "Subtitle",
    "submitted_by": "Submitted By",
    "adopted": "Adopted",
}
COMMENT_STYLE = "Comment Block"


@dataclass(frozen=True)
class DocMeta:
    """What the heading block of an exported document shows, each line as printed (UN
    document conventions: ``model.conventions.heading`` gives them for a version)."""

    conference: str
    title: str
    symbol: str | None = None
    date: str | None = None  # "30 July 2026"
    label: str | None = None  # e.g. "Revision 1"
    submitted_by: str | None = "Submitted by the President"
    venue: str | None = None  # e.g. "Vientiane, 14-18 September 2026"
    distribution: str | None = None  # "Distr.: General"
    original: str | None = None  # "Original: English"
    adopted: str | None = None  # "Adopted on 18 September 2026"
    #: where the file comes from, as document properties (DOCX custom properties, ODT
    #: user-defined metadata): (name, value) pairs, see ``formats/stamp.py``
    stamp: tuple[tuple[str, str], ...] = ()


# -- bookmarks ---------------------------------------------------------------------------

_PLAIN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAIN_PREFIX = "p_"
_HEX_PREFIX = "px_"


def bookmark_name(pid: str) -> str:
    """The Word bookmark name that carries paragraph id ``pid``.

    Word bookmark names must start with a letter and hold only letters, digits and
    underscores (names starting with ``_`` are Word's hidden ones). Ids such as ``clr-3``
    (lower-case letters and digits joined by single hyphens: every id the tool assigns)
    map to ``p_clr_3``; any other id maps to ``px_`` and the hex of its UTF-8 bytes.
    Word keeps names up to 40 characters: ids up to 38 characters (plain) or 18 bytes
    (other) fit.
    """
    if _PLAIN_ID.fullmatch(pid):
        return _PLAIN_PREFIX + pid.replace("-", "_")
    return _HEX_PREFIX + pid.encode("utf-8").hex()


def paragraph_id_from_bookmark(name: str) -> str | None:
    """The paragraph id a bookmark carries, or None if it is not one of ours."""
    low = name.lower()
    if low.startswith(_HEX_PREFIX):
        try:
            return bytes.fromhex(low[len(_HEX_PREFIX) :]).decode("utf-8")
        except ValueError:
            return None
    if low.startswith(_PLAIN_PREFIX):
        pid = low[len(_PLAIN_PREFIX) :].replace("_", "-")
        return pid if _PLAIN_ID.fullmatch(pid) else None
    return None


# -- inline and block constructors --------------------------------------------------------


def attr(identifier: str = "", classes: Sequence[str] = (), **kv: str | None) -> Attr:
    """An Attr; keyword names use ``_`` for ``-`` (``custom_style`` -> ``custom-style``)."""
    pairs = [[k.replace("_", "-"), v] for k, v in kv.items() if v is not None]
    return [identifier, list(classes), pairs]


NO_ATTR: Attr = ["", [], []]
SPACE: Inline = {"t": "Space"}
LINE_BREAK: Inline = {"t": "LineBreak"}


def Str(s: str) -> Inline:
    return {"t": "Str", "c": s}


def Span(a: Attr, inlines: list[Inline]) -> Inline:
    return {"t": "Span", "c": [a, inlines]}


def Strong(inlines: list[Inline]) -> Inline:
    return {"t": "Strong", "c": inlines}


def Emph(inlines: list[Inline]) -> Inline:
    return {"t": "Emph", "c": inlines}


def Underline(inlines: list[Inline]) -> Inline:
    return {"t": "Underline", "c": inlines}


def Strikeout(inlines: list[Inline]) -> Inline:
    return {"t": "Strikeout", "c": inlines}


def Para(inlines: list[Inline]) -> Block:
    return {"t": "Para", "c": inlines}


def Plain(inlines: list[Inline]) -> Block:
    return {"t": "Plain", "c": inlines}


def Header(level: int, a: Attr, inlines: list[Inline]) -> Block:
    return {"t": "Header", "c": [level, a, inlines]}


def Div(a: Attr, blocks: list[Block]) -> Block:
    return {"t": "Div", "c": [a, blocks]}


def styled(style: str, block: Block, classes: Sequence[str] = ()) -> Block:
    """``block`` with a named paragraph style (DOCX/ODT) and classes (HTML)."""
    return Div(attr("", classes, custom_style=style), [block])


# characters XML 1.0 cannot carry (pandoc would write an unreadable DOCX)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile(r"(\s*\n\s*)")


def text(s: str | None, *, lines: bool = False) -> list[Inline]:
    """Plain text as pandoc inlines: the words and the single spaces between them as one
    ``Str``, white space at either end as ``Space``.

    Never parsed as markup. With ``lines=True`` a run of white space holding a line break
    becomes ``LineBreak`` (for rationales and notes typed on several lines). Characters that
    XML cannot carry are dropped.

    One ``Str`` per stretch of text, not one per word as pandoc's readers make them: every
    writer treats a space inside a ``Str`` as a space (the documents come out the same),
    and pandoc then reads and writes a third of the JSON: its DOCX writer takes half the
    time on a conference-scale tracked-changes document (``docs/bench/README.md``).
    """
    if not s:
        return []
    s = _NOT_XML.sub("", s)
    out: list[Inline] = []
    pieces = _BREAKS.split(s) if lines else [s]
    for k, piece in enumerate(pieces):
        if k % 2:  # a run of white space holding a line break
            out.append(LINE_BREAK)
            continue
        if not piece:
            continue
        words = " ".join(piece.split())  # (white space around a break went with it)
        if piece[:1].isspace():
            out.append(SPACE)
        if words:
            out.append(Str(words))
            if piece[-1:].isspace():
                out.append(SPACE)
    return out


def plain_text(inlines: Iterable[Inline]) -> str:
    """The text of inlines (Str, Space, breaks, and the content of containers)."""
    parts: list[str] = []
    for node in inlines:
        t = node.get("t")
        if t == "Str":
            parts.append(node["c"])
        elif t in ("Space", "SoftBreak"):
            parts.append(" ")
        elif t == "LineBreak":
            parts.append("\n")
        elif t in ("Strong", "Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            parts.append(plain_text(node["c"]))
        elif t in ("Span", "Quoted", "Cite", "Link"):
            parts.append(plain_text(node["c"][-1] if t != "Link" else node["c"][1]))
    return "".join(parts)


def meta_inlines(s: str) -> dict[str, Any]:
    return {"t": "MetaInlines", "c": text(s)}


def meta_string(s: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": s}


def document(blocks: list[Block], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": list(API_VERSION), "meta": meta or {}, "blocks": blocks}


# -- tables --------------------------------------------------------------------------------


def Cell(blocks: list[Block], *, colspan: int = 1, rowspan: int = 1, classes: Sequence[str] = ()) -> list[Any]:
    return [attr("", classes), {"t": "AlignDefault"}, rowspan, colspan, blocks]


def Row(cells: list[list[Any]], classes: Sequence[str] = ()) -> list[Any]:
    return [attr("", classes), cells]


def Table(
    widths: Sequence[float],
    head: list[list[Any]],
    body: list[list[Any]],
    a: Attr = NO_ATTR,
    caption: list[Block] | None = None,
) -> Block:
    """A table with relative column ``widths`` (fractions of the text width), header rows and body rows."""
    colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": w}] for w in widths]
    return {
        "t": "Table",
        "c": [
            a,
            [None, caption or []],
            colspecs,
            [NO_ATTR, head],
            [[NO_ATTR, 0, [], body]],
            [NO_ATTR, []],
        ],
    }


# -- the pieces every document shares -------------------------------------------------------


def number_label(number: str | None) -> str:
    """How a display number reads before its paragraph: ``5`` -> ``5.``, ``Action 12`` unchanged."""
    if not number:
        return ""
    if number[0].isdigit():
        return f"{number}."
    last = number.rsplit(" ", 1)[-1]
    # "Action 12 A." (a capital-letter level): the period tells the level from a text opening "A ..."
    return f"{number}." if last == "0" or (last.isalpha() and last.isupper() and len(last) <= 3) else number


def number_inlines(number: str | None) -> list[Inline]:
    """The display number in its character style, and the space after it ([] if none)."""
    label = number_label(number)
    if not label:
        return []
    inner = text(label)
    if not label[0].isdigit():
        inner = [Strong(inner)]
    return [Span(attr(custom_style=NUMBER_STYLE), inner), SPACE]


def meta_fields(meta: DocMeta) -> dict[str, Any]:
    """Document metadata: DOCX custom properties (``symbol`` feeds the page header),
    the HTML page title, the Typst template's title block."""
    fields: dict[str, Any] = {
        "lang": meta_string("en-GB"),
        "pagetitle": meta_string(" ".join(x for x in (meta.title, f"({meta.symbol})" if meta.symbol else None) if x)),
        "conference": meta_inlines(meta.conference),
        "document-title": meta_inlines(meta.title),
    }
    for key, value in (
        ("symbol", meta.symbol),
        ("distribution", meta.distribution),
        ("document-date", meta.date),
        ("original", meta.original),
        ("label", meta.label),
        ("venue", meta.venue),
        ("submitted-by", meta.submitted_by),
        ("adopted", meta.adopted),
    ):
        if value:
            fields[key] = meta_inlines(value)
    for key, value in meta.stamp:
        fields[key] = meta_string(value)
    return fields


#: the lines of the heading block printed in bold, and in italics
HEADING_BOLD = ("title", "label", "conference", "adopted")
HEADING_ITALIC = ("submitted_by",)


def heading_lines(meta: DocMeta) -> list[tuple[str, str]]:
    """The heading block's lines in order, as ``(key, text)``: symbol, "Distr.: General",
    date and "Original: English" (right), conference and venue, title, label,
    "Submitted by ...", "Adopted on ..."; lines without a value are left out."""
    rows = [
        ("symbol", meta.symbol),
        ("distribution", meta.distribution),
        ("date", meta.date),
        ("original", meta.original),
        ("conference", meta.conference),
        ("venue", meta.venue),
        ("title", meta.title),
        ("label", meta.label),
        ("submitted_by", meta.submitted_by),
        ("adopted", meta.adopted),
    ]
    return [(key, value) for key, value in rows if value]


def title_block(meta: DocMeta) -> list[Block]:
    """The heading block (:func:`heading_lines`) as paragraphs in the title styles."""
    blocks: list[Block] = []
    for key, value in heading_lines(meta):
        inl = text(value)
        if key in HEADING_BOLD:
            inl = [Strong(inl)]
        elif key in HEADING_ITALIC:
            inl = [Emph(inl)]
        blocks.append(styled(TITLE_STYLES[key], Para(inl), classes=["title-block", key.replace("_", "-")]))
    return blocks


def paragraph_block(
    kind: str,
    pid: str | None,
    number: str | None,
    body: list[Inline],
    *,
    before: Sequence[Inline] = (),
    after: Sequence[Inline] = (),
    number_wrap: Callable[[list[Inline]], list[Inline]] | None = None,
) -> Block:
    """One paragraph of a document: heading or body paragraph.

    ``body`` is the paragraph's text (as inlines) and goes inside the bookmark span;
    ``before``/``after`` go around it (comment anchors); ``number_wrap`` may wrap the
    display number (e.g. in a tracked insertion).
    """
    inner = Span(attr(bookmark_name(pid)), body) if pid else Span(NO_ATTR, body)
    num = number_inlines(number)
    if num and number_wrap is not None:
        num = number_wrap(num)
    inlines = [*num, *before, inner, *after]
    if kind == "heading":
        return Header(1, NO_ATTR, inlines)
    return styled(
        KIND_STYLES.get(kind, KIND_STYLES["text"]), Para(inlines), classes=[kind if kind in KIND_STYLES else "text"]
    )


def section_header(title: str) -> Block:
    """A heading made from a paragraph's ``section`` (for versions without heading paragraphs)."""
    return Header(1, attr("", ["section"]), text(title))


# -- writer-specific escapes ---------------------------------------------------------------------
#
# Pandoc's writers escape markup characters in Str, with gaps that would change a
# delegation's words: the Markdown writers leave entity-like ``&amp;`` / ``&#65;`` as they
# are (a Markdown reader then decodes them), an ``@`` inside a word (``[--@x]`` then
# reads as a citation) and some brackets (``![`` gives ``\![``), and the Typst writer (run without ``smart``
# so that typographic characters are written as they are) leaves Typst's shorthands:
# ``--`` and ``---`` (dashes), ``...`` (ellipsis), ``-?`` (soft hyphen), ``-1`` (minus
# sign). These transforms
# put a backslash before the character concerned, as a RawInline of that format: the only
# raw markup in our documents, a fixed string, never delegation text.

_MD_RISK = re.compile(r"&(?=#?[A-Za-z0-9]+;)|[@\[\]]")
_TYPST_RISK = re.compile(r"-(?=[-?0-9])|\.(?=\.)")


def _escape_inlines(inlines: list[Inline], risk: re.Pattern[str], fmt: str) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        t = node.get("t")
        if t == "Str":
            # back to pandoc's own shape, a Str per word (see text()): these writers escape
            # by word, e.g. "1." opening a paragraph as the start of a numbered list
            for k, word in enumerate(node["c"].split(" ")):
                if k:
                    out.append(SPACE)
                if not word:
                    continue
                pos = 0
                for m in risk.finditer(word):
                    if m.start() > pos:
                        out.append(Str(word[pos : m.start()]))
                    out.append({"t": "RawInline", "c": [fmt, "\\" + m.group(0)]})
                    pos = m.end()
                if pos < len(word):
                    out.append(Str(word[pos:]))
            continue
        if t in ("Strong", "Emph", "Underline", "Strikeout"):
            node = {"t": t, "c": _escape_inlines(node["c"], risk, fmt)}
        elif t == "Span":
            node = {"t": "Span", "c": [node["c"][0], _escape_inlines(node["c"][1], risk, fmt)]}
        out.append(node)
    return out


def _escape_blocks(blocks: list[Block], risk: re.Pattern[str], fmt: str) -> list[Block]:
    def inl(x: list[Inline]) -> list[Inline]:
        return _escape_inlines(x, risk, fmt)

    def rows(rs: list[Any]) -> list[Any]:
        return [[ra, [[c[0], c[1], c[2], c[3], _escape_blocks(c[4], risk, fmt)] for c in cells]] for ra, cells in rs]

    out: list[Block] = []
    for b in blocks:
        t = b["t"]
        if t in ("Para", "Plain"):
            b = {"t": t, "c": inl(b["c"])}
        elif t == "Header":
            b = {"t": t, "c": [b["c"][0], b["c"][1], inl(b["c"][2])]}
        elif t == "Div":
            b = {"t": t, "c": [b["c"][0], _escape_blocks(b["c"][1], risk, fmt)]}
        elif t == "Table":
            a, cap, specs, (hattr, hrows), bodies, foot = b["c"]
            bodies = [[ba, n, rows(h), rows(r)] for ba, n, h, r in bodies]
            b = {"t": t, "c": [a, cap, specs, [hattr, rows(hrows)], bodies, foot]}
        out.append(b)
    return out


def _escaped(doc: dict[str, Any], risk: re.Pattern[str], fmt: str) -> dict[str, Any]:
    meta = {
        k: ({"t": "MetaInlines", "c": _escape_inlines(v["c"], risk, fmt)} if v.get("t") == "MetaInlines" else v)
        for k, v in doc.get("meta", {}).items()
    }
    return dict(doc, meta=meta, blocks=_escape_blocks(doc["blocks"], risk, fmt))


def markdown_safe(doc: dict[str, Any]) -> dict[str, Any]:
    """The document ready for pandoc's Markdown writer (``markdown-smart``)."""
    return _escaped(doc, _MD_RISK, "markdown")


def typst_safe(doc: dict[str, Any]) -> dict[str, Any]:
    """The document ready for pandoc's Typst writer (``typst-smart``; the template turns
    Typst's smart quotes off)."""
    return _escaped(doc, _TYPST_RISK, "typst")
