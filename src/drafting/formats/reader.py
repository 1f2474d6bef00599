"""Any input document to paragraphs; a delegation's Word file to proposals.

Two entry points:

- :func:`read_paragraphs` turns a .docx/.odt/.md/.html file into the paragraphs of a new
  version (``drafting import``).
- :func:`proposals_from_document` turns a copy of a base version that a delegation edited
  in Word (with Track Changes, or clean) into contract proposals (``drafting submit
  FILE.docx``).

Every file first passes :mod:`drafting.formats.safety` (size, zip bombs, encryption, DTDs),
then pandoc reads it into its JSON AST, always with ``--track-changes=all`` for Word files.

How a document becomes paragraphs
---------------------------------
Each paragraph pandoc sees (a ``Para``/``Plain``, a list item, a table cell, a heading)
is one *unit*: its text as segments marked inserted / deleted / unchanged, the Word
comments that start in it, whether its paragraph mark was inserted (``paragraph-insertion``)
or deleted (``paragraph-deletion``), its anchors (bookmark names) and the authors and dates
of its revisions. From the units come two *views*, exactly as Word computes them:

- the **reject view** (the text the delegation started from): inserted text left out, a
  unit whose mark was inserted joined to the next one;
- the **accept view** (the text the delegation wants): deleted text left out, a unit
  whose mark was deleted joined to the next one.

Paragraphs empty in a view do not exist in it (as pandoc does). Texts are normalised
(white space collapsed, trimmed); a display-number prefix ("Action 12", "Action 12 bis.",
"12.", "5 ter.", and for headings "IV.") is stripped, since numbers are computed at render time.

Paragraphs in the paragraph styles of an export's title block (symbol, date, conference,
title, "Submitted by ...") are not text of the version and are left out.

Bookmarks
---------
An export names a paragraph's bookmark with ``formats.ast.bookmark_name`` (``clr-3`` is
``p_clr_3``) and ``formats.ast.paragraph_id_from_bookmark`` reads it back; besides, a
bookmark named as the id itself or as ``p_`` + id is accepted (a hand-made bookmark;
Word's own ``_GoBack``, ``_Toc…`` are not), and ``_`` may stand for ``-``: see
:func:`_ids_for_bookmark`. pandoc's DOCX reader drops bookmarks that no link points to,
so they are read from ``word/document.xml`` and given to pandoc's paragraphs by aligning
the two texts. pandoc's ODT reader names every bookmark "anchor": ODT files carry no ids.

Paragraph ids (import)
----------------------
- A bookmark or anchor (a Markdown ``[]{#p_clr_3}``, an HTML ``<span id>``) that names a
  paragraph id keeps that id: a re-imported export keeps its ids. A heading keeps one
  only when it looks like ours (``p_…``, ``h-…``): pandoc gives every heading an
  automatic identifier.
- Otherwise a heading gets ``h-<slug>`` (up to three significant words of its text:
  "Survey and clearance" gives ``h-survey-clearance``), and any other paragraph
  ``<prefix>-<n>``, where the prefix is the slug of its section in up to two significant
  words (``survey-clearance-1``, ``survey-clearance-2``, ...; ``p-1`` before any heading)
  and ``n`` counts that prefix through the document.
- Ids taken by bookmarks are reserved first; a generated id that is taken moves on to the
  next number (``-2``, ``-3``, ...), so ids are always unique. The same file always gives
  the same ids.

Kinds: headings are ``heading``; "Action N" gives ``action``; then the paragraph style of
an export ("Action Paragraph", ...) gives its kind; "N." or an item of a numbered list
gives ``operative``; an unnumbered paragraph that opens with a participle or adjective and
ends with a comma ("Recalling ...,") gives ``preambular``; anything else is ``text``. A
new paragraph in a submission without such a clue takes the kind of its neighbour.

Word files to proposals
-----------------------
1. Reject-view paragraphs are matched to the base version: by bookmark first, keeping
   only bookmark matches in base order (the longest increasing run; the others read as
   moved); then, between those, by aligning texts: a longest-common-subsequence of exact
   texts, then removed and added paragraphs paired in order by word-level similarity
   (ratio > 0.5).
2. Each accept-view paragraph *continues* at most one matched base paragraph: in
   document order, the first one with which it shares a paragraph that has text in both
   views (intervals of one sequence cannot cross, so the base order is kept). That
   gives, uniformly, Word's "accept all":

   - a continued paragraph whose text differs from the base: one ``amend`` (compared
     with the base, not with the reject view: a copy of another version of the document,
     e.g. a Rev.1 circulated with tracked changes, gives only what differs from the base);
   - an accept-view paragraph continuing none: an ``insert`` after the preceding
     surviving base paragraph (several in a row share that anchor, in order; ``after:
     None`` at the start);
   - a base paragraph continued by none: a ``delete``;
   - so a split (inserted paragraph mark) is an amend of the first part plus an insert of
     the rest, a merge (deleted mark) an amend of the first with the joined text plus a
     delete of the second, and moved text (which pandoc gives as deletion + insertion) a
     delete plus an insert.
3. Each Word comment becomes one ``comment`` on the base paragraph in which it starts
   (for a comment in a new paragraph: the nearest surviving base paragraph before it).
4. A copy edited without Track Changes has identical views, so the same steps give the
   same proposals by alignment alone.

Ignored, and said so in the notes: in a document that carries the base's bookmarks,
unchanged paragraphs before the first matched one (an unstyled title block); unchanged
headings that only repeat a ``section`` of a base without heading paragraphs (an export
makes those); footnotes; empty comments.

Errors: every problem is a one-line DraftingError naming the file: what
:mod:`~drafting.formats.safety` refuses, pandoc failing or running over
``limits.pandoc_timeout_s`` (killed), a file with no text, more paragraphs or longer texts
or more proposals than the limits allow, a file whose bookmarks are those of another
document, and a file none of whose paragraphs matches the base.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import DraftingError
from ..model.records import Limits, Paragraph, Version
from ..text.words import is_word, normalize_space, tokens
from . import safety

__all__ = ["Understood", "proposals_from_document", "read_paragraphs"]

#: two paragraphs whose word-level similarity exceeds this are one paragraph, edited
SIMILARITY = 0.5
#: above this many candidate pairs in one gap, similarity pairing is skipped (cost)
MAX_SIMILARITY_PAIRS = 40_000
#: heap limit handed to pandoc's runtime, a second guard besides the time limit
PANDOC_HEAP = "-M2g"

INS, DEL = 1, 2

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
#: Latin suffixes of interim numbers ("5 bis", "Action 12 ter"), see text.numbering
_LATIN = r"(?:\s+(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies))?"
_ACTION_PREFIX = re.compile(r"^Action\s+(\d{1,4})" + _LATIN + r"\s*[.:]?\s+(?=\S)", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^\(?(\d{1,4})" + _LATIN + r"[.)]\s+(?=\S)")
_HEADING_PREFIX = re.compile(r"^(?:[IVXLC]{1,6}|[A-Z]|\d{1,3}(?:\.\d{1,3})*)[.)]\s+(?=\S)")
_STOPWORDS = frozenset(
    "a an and the of for in on to with by at or its their from as into under "
    "et de des du la le les l d au aux pour sur "  # French
    "y e el los las del al para por con".split()  # Spanish
)
_PREAMBULAR_OPENERS = frozenset(
    ["aware", "cognizant", "concerned", "conscious", "convinced", "deeply", "determined", "gravely", "mindful", "desiring", "bearing", "taking", "having"]
)


# ---------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True)
class Understood:
    """What was understood from a delegation's document.

    ``proposals``: contract proposal mappings, in document order (comments last):
    ``{"op": "amend", "paragraph", "text", "meta"}``, ``{"op": "insert", "after", "text",
    "kind", "section", "meta"}``, ``{"op": "delete", "paragraph", "meta"}``,
    ``{"op": "comment", "paragraph", "text", "meta"}``; ``meta`` is always
    ``{"word_authors": [...], "word_dates": [...]}`` (the names Word recorded; the
    proposals belong to the submitting delegation whatever they say).
    ``notes``: human-readable lines on what was understood or ignored.
    ``matched``: ``{"by_bookmark", "by_text", "by_similarity", "unmatched",
    "document_paragraphs", "base_paragraphs"}``.
    """

    proposals: list[dict]
    notes: list[str]
    matched: dict


# ---------------------------------------------------------------------------------------
# Bookmarks


def _paragraph_id_from_bookmark(name: str) -> str | None:
    """The reader's own, lenient mapping, used besides ``formats.ast``'s (and instead of
    it should that module be missing): a bookmark named as the id itself or as ``p_`` +
    id. Word's own bookmarks (``_GoBack``, ``_Toc…``, ``_Hlk…``) and names that cannot be
    ids give None.
    """
    if not name or name.startswith("_"):
        return None
    pid = name[2:] if name.startswith("p_") else name
    return pid if _ID_RE.match(pid) else None


def _ast_bookmark_functions():
    """``formats.ast``'s (bookmark_name, paragraph_id_from_bookmark), or (None, None)."""
    try:
        from .ast import bookmark_name, paragraph_id_from_bookmark  # type: ignore[attr-defined]
    except ImportError:
        return None, None
    return bookmark_name, paragraph_id_from_bookmark


def _ids_for_bookmark(name: str) -> list[str]:
    """Paragraph ids a bookmark name may stand for, most likely first."""
    out: list[str] = []
    _, from_bookmark = _ast_bookmark_functions()
    candidates = []
    if from_bookmark is not None:
        try:
            candidates.append(from_bookmark(name))
        except Exception:  # a foreign name the exporter's parser rejects
            pass
    candidates.append(_paragraph_id_from_bookmark(name))
    for c in candidates:
        if c and c not in out:
            out.append(c)
    # Word's UI refuses '-' in bookmark names; a hand-made bookmark may use '_'
    for c in list(out):
        alt = c.replace("_", "-")
        if alt not in out:
            out.append(alt)
    return out


def _looks_like_our_bookmark(name: str) -> bool:
    """A bookmark our export writes (as opposed to one a user or Word made)."""
    to_name, from_bookmark = _ast_bookmark_functions()
    if to_name is not None and from_bookmark is not None:
        try:
            pid = from_bookmark(name)
            return bool(pid) and to_name(pid) == name
        except Exception:
            return False
    return name.startswith("p_") and _paragraph_id_from_bookmark(name) is not None


# ---------------------------------------------------------------------------------------
# pandoc


def _pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc_json(path: Path, fmt: str, *, limits: Limits) -> dict:
    """pandoc's JSON AST of ``path`` (Word files read with ``--track-changes=all``).

    Runs in pandoc's sandbox (no file or network access beyond the input), with a heap
    limit and ``limits.pandoc_timeout_s``; a pandoc that fails or hangs (killed at the
    limit) is a one-line DraftingError.
    """
    try:
        exe = _pandoc_path()
    except Exception as e:  # pypandoc raises OSError or its own errors
        raise DraftingError(f"{path.name}: pandoc is not available ({e})") from None
    # +styles: paragraph styles come as custom-style Divs (title block, kinds of an export)
    reader = "docx+styles" if fmt == "docx" else fmt
    args = [exe, "+RTS", PANDOC_HEAP, "-RTS", "--sandbox", "-f", reader, "-t", "json"]
    if fmt == "docx":
        args.append("--track-changes=all")
    args.append(str(path.resolve()))
    timeout = limits.pandoc_timeout_s
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DraftingError(
            f"{path.name}: pandoc did not finish reading it within {timeout} s and was stopped "
            "(damaged or far too large?)"
        ) from None
    except OSError as e:
        raise DraftingError(f"{path.name}: pandoc could not be started ({e.strerror or e})") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = normalize_space(err[0]) if err else f"exit code {proc.returncode}"
        raise DraftingError(f"{path.name}: pandoc could not read it: {why[:200]}")
    try:
        doc = json.loads(proc.stdout)
    except RecursionError:
        raise DraftingError(f"{path.name}: is nested too deeply to be read (lists or quotes within quotes)") from None
    except ValueError:
        raise DraftingError(f"{path.name}: pandoc gave output that is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("blocks"), list):
        raise DraftingError(f"{path.name}: pandoc gave an unexpected document structure")
    return doc


# ---------------------------------------------------------------------------------------
# Units: pandoc's paragraphs with their revisions


@dataclass
class _Comment:
    body: str
    author: str | None
    date: str | None


@dataclass
class _Unit:
    """One paragraph as pandoc reads it with ``--track-changes=all``."""

    heading: int = 0  # heading level; 0 for any other paragraph
    ordered: bool = False  # first paragraph of a numbered-list item
    style_kind: str | None = None  # the kind its paragraph style stands for (exports)
    segs: list[tuple[int, str]] = field(default_factory=list)  # (INS|DEL flags, text)
    comments: list[_Comment] = field(default_factory=list)
    mark_inserted: bool = False  # its paragraph mark was inserted (split)
    mark_deleted: bool = False  # its paragraph mark was deleted (merge)
    anchors: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    def text(self, view: str) -> str:
        """Raw text in a view: "reject", "accept" or "all" (both)."""
        drop = INS if view == "reject" else DEL if view == "accept" else 0
        return "".join(t for f, t in self.segs if not f & drop)

    @property
    def revised(self) -> bool:
        return self.mark_inserted or self.mark_deleted or any(f for f, _ in self.segs)

    def add_revision(self, kvs: dict[str, str]) -> None:
        a, d = kvs.get("author"), kvs.get("date")
        if a and a not in self.authors:
            self.authors.append(a)
        if d and d not in self.dates:
            self.dates.append(d)


_BLOCK_TYPES = frozenset(
    ["Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList", "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"]
)
_WRAPPERS = frozenset(["Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"])


def _attr(a: Any) -> tuple[str, list[str], dict[str, str]]:
    try:
        ident, classes, kvs = a
        return str(ident or ""), [str(c) for c in classes], {str(k): str(v) for k, v in kvs}
    except (TypeError, ValueError):
        return "", [], {}


def _plain_text(inlines: Any) -> str:
    """Text of inlines as a reader would see it (deleted text and comments left out)."""
    u = _Unit()
    _walk_inlines(inlines, u, 0, comments=False)
    return u.text("accept")


def _walk_inlines(inlines: Any, u: _Unit, flags: int, *, comments: bool = True) -> None:
    if not isinstance(inlines, list):
        return
    for il in inlines:
        if not isinstance(il, dict):
            continue
        t, c = il.get("t"), il.get("c")
        if t == "Str":
            u.segs.append((flags, str(c)))
        elif t in ("Space", "SoftBreak", "LineBreak"):
            u.segs.append((flags, " "))
        elif t in _WRAPPERS:
            _walk_inlines(c, u, flags, comments=comments)
        elif t == "Quoted" and isinstance(c, list) and len(c) == 2:
            single = isinstance(c[0], dict) and c[0].get("t") == "SingleQuote"
            op, cl = ("‘", "’") if single else ("“", "”")
            u.segs.append((flags, op))
            _walk_inlines(c[1], u, flags, comments=comments)
            u.segs.append((flags, cl))
        elif t == "Cite" and isinstance(c, list) and len(c) == 2:
            _walk_inlines(c[1], u, flags, comments=comments)
        elif t in ("Code", "Math") and isinstance(c, list) and len(c) == 2:
            u.segs.append((flags, str(c[1])))
        elif t == "Link" and isinstance(c, list) and len(c) == 3:
            ident, _, _ = _attr(c[0])
            if ident:
                u.anchors.append(ident)
            _walk_inlines(c[1], u, flags, comments=comments)
        elif t == "Span" and isinstance(c, list) and len(c) == 2:
            ident, classes, kvs = _attr(c[0])
            if "comment-start" in classes:
                if comments:
                    u.comments.append(_Comment(normalize_space(_plain_text(c[1])), kvs.get("author"), kvs.get("date")))
            elif "paragraph-insertion" in classes:
                u.mark_inserted = True
                u.add_revision(kvs)
            elif "paragraph-deletion" in classes:
                u.mark_deleted = True
                u.add_revision(kvs)
            elif "insertion" in classes:
                u.add_revision(kvs)
                _walk_inlines(c[1], u, flags | INS, comments=comments)
            elif "deletion" in classes:
                u.add_revision(kvs)
                _walk_inlines(c[1], u, flags | DEL, comments=comments)
            else:  # comment-end, anchors, styled spans
                if ident:
                    u.anchors.append(ident)
                _walk_inlines(c[1], u, flags, comments=comments)
        # Note (footnotes), Image, RawInline: not paragraph text


def _export_styles() -> tuple[frozenset[str], dict[str, str]]:
    """Paragraph styles of an export: (styles not part of the text, style -> kind)."""
    try:
        from .ast import COMMENT_STYLE, KIND_STYLES, TITLE_STYLES
    except ImportError:
        return frozenset(), {}
    return frozenset([*TITLE_STYLES.values(), COMMENT_STYLE]), {v: k for k, v in KIND_STYLES.items()}


class _UnitBuilder:
    """Flattens pandoc blocks into units, in document order.

    Blocks in the paragraph styles of an export's title block (and comment blocks) are
    not text of the version: they are counted in ``skipped`` and left out.
    """

    def __init__(self) -> None:
        self.units: list[_Unit] = []
        self.footnotes = 0
        self.skipped = 0
        self.pending_anchor: str | None = None  # a Div id, for the first unit inside
        self.style_kind: str | None = None  # from an enclosing custom-style Div
        self.not_text, self.kind_of_style = _export_styles()

    def unit(self, inlines: Any, *, heading: int = 0, ordered: bool = False, anchor: str = "") -> _Unit:
        u = _Unit(heading=heading, ordered=ordered, style_kind=None if heading else self.style_kind)
        if self.pending_anchor:
            u.anchors.append(self.pending_anchor)
            self.pending_anchor = None
        if anchor:
            u.anchors.append(anchor)
        _walk_inlines(inlines, u, 0)
        self.footnotes += _count_notes(inlines)
        self.units.append(u)
        return u

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
            self.unit(c[2], heading=level, anchor=ident)
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
            style = kvs.get("custom-style")
            if style in self.not_text:
                self.skipped += 1
                return
            if ident:
                self.pending_anchor = ident
            outer = self.style_kind
            self.style_kind = self.kind_of_style.get(style, outer) if style else outer
            self.blocks(c[1], ordered=ordered)
            self.style_kind = outer
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


def _nested_blocks(obj: Any) -> Iterator[dict]:
    """Blocks found anywhere inside a table's or figure's structure, in order."""
    if isinstance(obj, list):
        for x in obj:
            yield from _nested_blocks(x)
    elif isinstance(obj, dict) and obj.get("t") in _BLOCK_TYPES:
        yield obj


def _count_notes(obj: Any) -> int:
    if isinstance(obj, list):
        return sum(_count_notes(x) for x in obj)
    if isinstance(obj, dict):
        return 1 if obj.get("t") == "Note" else _count_notes(obj.get("c"))
    return 0


@dataclass
class _Read:
    """A document read into units, and what was left out of them."""

    units: list[_Unit]
    footnotes: int = 0  # footnotes (not paragraphs of the text)
    skipped: int = 0  # title-block paragraphs of an export


def _units_from_ast(doc: dict) -> _Read:
    """The units of a pandoc JSON document."""
    b = _UnitBuilder()
    b.blocks(doc.get("blocks"))
    return _Read(b.units, b.footnotes, b.skipped)


# ---------------------------------------------------------------------------------------
# Bookmarks from word/document.xml (pandoc drops those no link points to)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _key(text: str) -> str:
    """Letters and digits only: robust to spacing and punctuation differences."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _docx_paragraph_bookmarks(path: Path) -> list[tuple[str, list[str]]]:
    """(text key, bookmark names) of each top-level ``w:p`` of the main document part.

    A bookmark that starts between paragraphs belongs to the next paragraph. Only called
    after :func:`safety.check_package` has refused any DTD, so parsing is safe.
    """
    out: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    depth = 0
    text: list[str] = []
    names: list[str] = []
    with zipfile.ZipFile(path) as z, z.open("word/document.xml") as f:
        for event, el in ET.iterparse(f, events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "p":
                    depth += 1
                    if depth == 1:
                        text, names, pending = [], pending, []
                elif tag == "bookmarkStart":
                    name = next((v for k, v in el.attrib.items() if _local(k) == "name"), "")
                    if name:
                        (names if depth else pending).append(name)
                continue
            if depth == 1:
                if tag in ("t", "delText") and el.text:
                    text.append(el.text)
                elif tag in ("tab", "br", "cr"):
                    text.append(" ")
                elif tag == "noBreakHyphen":
                    text.append("-")
            if tag == "p":
                if depth == 1:
                    out.append((_key("".join(text)), names))
                    el.clear()
                depth -= 1
    return out


def _attach_docx_bookmarks(path: Path, units: list[_Unit]) -> None:
    """Give pandoc's units the bookmarks of the XML paragraphs they align with."""
    try:
        xml_paras = [(k, n) for k, n in _docx_paragraph_bookmarks(path) if k]
    except (ET.ParseError, KeyError, zipfile.BadZipFile) as e:
        raise DraftingError(f"{path.name}: word/document.xml cannot be read ({e})") from None
    idx = [i for i, u in enumerate(units) if _key(u.text("all"))]
    ukeys = [_key(units[i].text("all")) for i in idx]
    xkeys = [k for k, _ in xml_paras]
    sm = difflib.SequenceMatcher(None, xkeys, ukeys, autojunk=False)
    for op, x0, x1, u0, u1 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and x1 - x0 == u1 - u0):
            for dx in range(x1 - x0):
                units[idx[u0 + dx]].anchors.extend(xml_paras[x0 + dx][1])


def _read_units(path: Path, *, limits: Limits) -> _Read:
    """Safety checks, pandoc, units (with Word bookmarks)."""
    fmt = safety.check_document(path, limits=limits)
    doc = _pandoc_json(path, fmt, limits=limits)
    try:
        read = _units_from_ast(doc)
    except RecursionError:
        raise DraftingError(f"{path.name}: is nested too deeply to be read (lists or quotes within quotes)") from None
    if len(read.units) > limits.max_paragraphs:
        raise DraftingError(
            f"{path.name}: has {len(read.units):,} paragraphs, over the limit of {limits.max_paragraphs:,}"
        )
    if fmt == "docx":
        _attach_docx_bookmarks(path, read.units)
    elif fmt == "odt":
        # pandoc's ODT reader names every bookmark "anchor": no id can be read from them
        for u in read.units:
            u.anchors.clear()
    return read


# ---------------------------------------------------------------------------------------
# Views


@dataclass
class _Group:
    """One paragraph of a view: consecutive units joined where a paragraph mark is gone."""

    units: list[int]
    text: str  # normalised, as in the view
    heading: int  # heading level of its first non-empty unit
    ordered: bool
    style_kind: str | None


def _groups(units: list[_Unit], view: str) -> list[_Group]:
    """The paragraphs of the "reject" or "accept" view (empty ones do not exist)."""
    joins = (lambda u: u.mark_inserted) if view == "reject" else (lambda u: u.mark_deleted)
    out: list[_Group] = []
    cur: list[int] = []

    def flush() -> None:
        texts = [normalize_space(units[i].text(view)) for i in cur]
        text = " ".join(t for t in texts if t)
        if text:
            first = next(i for i, t in zip(cur, texts) if t)
            u = units[first]
            out.append(_Group(list(cur), text, u.heading, u.ordered, u.style_kind))
        cur.clear()

    for i, u in enumerate(units):
        cur.append(i)
        if not joins(u):
            flush()
    if cur:
        flush()
    return out


def _strip_number(text: str, heading: bool = False) -> tuple[str, str | None]:
    """Strip a display-number prefix; return (text, "action"|"operative"|"heading"|None)."""
    if heading:
        m = _HEADING_PREFIX.match(text)
        return (text[m.end() :], "heading") if m else (text, None)
    m = _ACTION_PREFIX.match(text)
    if m:
        return text[m.end() :], "action"
    m = _NUMBER_PREFIX.match(text)
    if m:
        return text[m.end() :], "operative"
    return text, None


def _guess_kind(text: str, numbered: str | None, ordered: bool, style_kind: str | None = None) -> str:
    if numbered == "action":
        return numbered
    if style_kind:
        return style_kind
    if numbered == "operative" or ordered:
        return "operative"
    first = text.split(" ", 1)[0].strip(",;:").lower()
    if text.endswith(",") and (
        first.endswith("ing") or first in _PREAMBULAR_OPENERS or (first.endswith("ed") and len(first) > 4)
    ):
        return "preambular"
    return "text"


# ---------------------------------------------------------------------------------------
# Ids


def _slug(text: str, max_words: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    significant = [w for w in words if w not in _STOPWORDS] or words
    return "-".join(significant[:max_words])[:40].strip("-")


class _Ids:
    """Hands out unique, readable ids (see the module docstring)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used = set(reserved)
        self.counters: dict[str, int] = {}

    def heading(self, text: str) -> str:
        base = "h-" + (_slug(text, 3) or "section")
        pid, n = base, 1
        while pid in self.used:
            n += 1
            pid = f"{base}-{n}"
        self.used.add(pid)
        return pid

    def paragraph(self, section: str | None) -> str:
        prefix = (_slug(section, 2) if section else "") or "p"
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            pid = f"{prefix}-{n}"
            if pid not in self.used:
                break
        self.counters[prefix] = n
        self.used.add(pid)
        return pid


# ---------------------------------------------------------------------------------------
# Import


def read_paragraphs(path: Path, *, limits: Limits, track_changes: str = "accept") -> list[Paragraph]:
    """The paragraphs of a .docx/.odt/.md/.html file, for a new version.

    Headings become ``heading`` paragraphs and set the section of those that follow;
    paragraphs, list items and table cells become paragraphs (text normalised, display
    numbers stripped, kind guessed); ids as in the module docstring. A Word file's tracked
    changes are taken as accepted (``track_changes="reject"`` reads the original).
    """
    path = Path(path)
    if track_changes not in ("accept", "reject"):
        raise ValueError(f"track_changes must be 'accept' or 'reject', not {track_changes!r}")
    units = _read_units(path, limits=limits).units
    groups = _groups(units, track_changes)
    if not groups:
        raise DraftingError(f"{path.name}: has no paragraphs with text")

    # bookmarked ids first, so that generated ones never take them
    chosen: list[str | None] = []
    reserved: set[str] = set()
    for g in groups:
        pid = None
        # only the units with text in this view: a deleted paragraph joined to this one
        # (or an inserted one, in the reject view) keeps its bookmark to itself
        with_text = [i for i in g.units if units[i].text(track_changes).strip()]
        for name in (a for i in with_text for a in units[i].anchors):
            for cand in _ids_for_bookmark(name)[:1]:
                if cand not in reserved and (not g.heading or name.startswith(("p_", "h-"))):
                    pid = cand
                    break
            if pid:
                break
        if pid:
            reserved.add(pid)
        chosen.append(pid)

    ids = _Ids(reserved)
    out: list[Paragraph] = []
    section: str | None = None
    for n, (g, pid) in enumerate(zip(groups, chosen), 1):
        text, numbered = _strip_number(g.text, heading=bool(g.heading))
        text = text.strip()
        if not text:
            continue
        if len(text) > limits.max_text_chars:
            raise DraftingError(
                f"{path.name}: paragraph {n} has {len(text):,} characters, over the limit of {limits.max_text_chars:,}"
            )
        if g.heading:
            section = text
            out.append(Paragraph(id=pid or ids.heading(text), text=text, section=section, kind="heading"))
        else:
            kind = _guess_kind(text, numbered, g.ordered, g.style_kind)
            out.append(Paragraph(id=pid or ids.paragraph(section), text=text, section=section, kind=kind))
    if len(out) > limits.max_paragraphs:
        raise DraftingError(f"{path.name}: has {len(out):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
    return out


# ---------------------------------------------------------------------------------------
# Matching a document's paragraphs to a base version


def _cmp_text(text: str, heading: bool = False) -> str:
    """A text as compared with the base: normalised, display number stripped."""
    return normalize_space(_strip_number(normalize_space(text), heading)[0])


def _words(text: str) -> list[str]:
    return [t.lower() for t in tokens(text) if is_word(t)]


def _bounded_ratio(sm: difflib.SequenceMatcher) -> float:
    """``sm.ratio()``, or a cheap upper bound when that bound is already <= SIMILARITY."""
    for bound in (sm.real_quick_ratio, sm.quick_ratio):
        r = bound()
        if r <= SIMILARITY:
            return r
    return sm.ratio()


def _similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts, 0..1 (difflib's ratio on lower-cased words)."""
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0 if a == b else 0.0
    return _bounded_ratio(difflib.SequenceMatcher(None, wa, wb, autojunk=False))


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``(doc index, base index)`` pairs increasing in base index."""
    if not pairs:
        return []
    tails: list[int] = []  # base index ending the best run of each length
    tail_at: list[int] = []  # position in pairs of that end
    prev = [-1] * len(pairs)
    for k, (_, b) in enumerate(pairs):
        n = bisect.bisect_left(tails, b)
        if n == len(tails):
            tails.append(b)
            tail_at.append(k)
        else:
            tails[n] = b
            tail_at[n] = k
        prev[k] = tail_at[n - 1] if n else -1
    out, k = [], tail_at[-1]
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _pair_by_similarity(doc: list[str], base: list[str]) -> list[tuple[int, int, float]]:
    """Order-preserving pairs (i, j, ratio) with ratio > SIMILARITY, maximising the sum."""
    n, m = len(doc), len(base)
    if not n or not m or n * m > MAX_SIMILARITY_PAIRS:
        return []
    dw, bw = [_words(t) for t in doc], [_words(t) for t in base]
    sim = [[0.0] * m for _ in range(n)]
    sm = difflib.SequenceMatcher(None, autojunk=False)
    for j in range(m):
        sm.set_seq2(bw[j])  # difflib caches what it learns about seq2
        for i in range(n):
            if dw[i] and bw[j]:
                sm.set_seq1(dw[i])
                sim[i][j] = _bounded_ratio(sm)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = sim[i][j]
            take = s + best[i + 1][j + 1] if s > SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        s = sim[i][j]
        if s > SIMILARITY and best[i][j] == s + best[i + 1][j + 1]:
            out.append((i, j, s))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


@dataclass
class _Match:
    pid: list[str | None]  # per reject-view paragraph: the base id, or None
    how: list[str | None]  # "bookmark" | "text" | "similar"
    evidence: int  # paragraphs that clearly are the base's
    foreign_bookmarks: list[str]  # our-style bookmarks naming no base paragraph
    demoted: int  # bookmark matches out of base order (moved)


def _match_to_base(rgroups: list[_Group], units: list[_Unit], base: Version) -> _Match:
    bps = base.paragraphs
    bindex = {p.id: i for i, p in enumerate(bps)}
    bkeys = [_cmp_text(p.text, p.kind == "heading") for p in bps]
    rkeys = [_cmp_text(g.text, bool(g.heading)) for g in rgroups]
    pid: list[str | None] = [None] * len(rgroups)
    how: list[str | None] = [None] * len(rgroups)

    # 1. bookmarks (only on units that have text in the reject view)
    found: list[tuple[int, int]] = []
    taken: set[str] = set()
    foreign: list[str] = []
    for r, g in enumerate(rgroups):
        hit = None
        for i in g.units:
            if not units[i].text("reject").strip():
                continue
            for name in units[i].anchors:
                cands = [c for c in _ids_for_bookmark(name) if c in bindex and c not in taken]
                if cands:
                    hit = cands[0]
                    break
                if _looks_like_our_bookmark(name) and not any(c in bindex for c in _ids_for_bookmark(name)):
                    foreign.append(name)
            if hit:
                break
        if hit:
            taken.add(hit)
            found.append((r, bindex[hit]))
    kept = _longest_increasing(found)
    evidence = 0
    for r, b in kept:
        pid[r], how[r] = bps[b].id, "bookmark"
        if rkeys[r] == bkeys[b] or _similarity(rkeys[r], bkeys[b]) > SIMILARITY:
            evidence += 1

    # 2. texts, in the gaps between bookmark matches
    bounds = [(-1, -1), *kept, (len(rgroups), len(bps))]
    for (r0, b0), (r1, b1) in zip(bounds, bounds[1:]):
        rs, bs = list(range(r0 + 1, r1)), list(range(b0 + 1, b1))
        if not rs or not bs:
            continue
        sm = difflib.SequenceMatcher(None, [rkeys[r] for r in rs], [bkeys[b] for b in bs], autojunk=False)
        exact = [(rs[a + k], bs[b + k]) for a, b, size in sm.get_matching_blocks() for k in range(size)]
        for r, b in exact:
            pid[r], how[r] = bps[b].id, "text"
            evidence += 1
        sub = [(r0, b0), *exact, (r1, b1)]
        for (sr0, sb0), (sr1, sb1) in zip(sub, sub[1:]):
            drs, dbs = list(range(sr0 + 1, sr1)), list(range(sb0 + 1, sb1))
            for i, j, _ in _pair_by_similarity([rkeys[r] for r in drs], [bkeys[b] for b in dbs]):
                pid[drs[i]], how[drs[i]] = bps[dbs[j]].id, "similar"
                evidence += 1
    return _Match(pid, how, evidence, foreign, len(found) - len(kept))


def _unit_base_ids(units: list[_Unit], bindex: dict[str, int]) -> list[list[str]]:
    """For each unit, the base ids its bookmarks name."""
    return [[c for name in u.anchors for c in _ids_for_bookmark(name) if c in bindex] for u in units]


def _continuations(
    rgroups: list[_Group],
    agroups: list[_Group],
    units: list[_Unit],
    rpid: list[str | None],
    unit_ids: list[list[str]],
    bindex: dict[str, int],
) -> list[str | None]:
    """For each accept-view paragraph, the base id it continues (or None: it is new).

    An accept-view paragraph can continue a matched reject-view paragraph when they share
    a unit that has text in both views. Taken in document order, each accept-view
    paragraph continues the first such paragraph not yet continued: a split keeps the id
    on its first part, a merge on its first paragraph (as Word's "accept all" reads).
    Groups of both views are intervals of the same unit sequence, so the pairs cannot
    cross and the base order is kept.

    Then an accept-view paragraph still new but carrying the bookmark of a base paragraph
    nobody continues, in base order, continues it: a document exported with tracked
    changes shows the base's own inserted paragraphs as insertions.
    """
    a_of = {i: a for a, g in enumerate(agroups) for i in g.units}
    candidates: dict[int, list[int]] = {}
    for r, g in enumerate(rgroups):
        if rpid[r] is None:
            continue
        for i in g.units:
            a = a_of.get(i)
            if a is None or not units[i].text("reject").strip() or not units[i].text("accept").strip():
                continue
            if r not in candidates.setdefault(a, []):
                candidates[a].append(r)
    out: list[str | None] = [None] * len(agroups)
    used: set[int] = set()
    for a in range(len(agroups)):
        for r in candidates.get(a, ()):
            if r not in used:
                out[a] = rpid[r]
                used.add(r)
                break

    taken = {p for p in out if p}
    for a, g in enumerate(agroups):
        if out[a] is not None:
            continue
        lo = max((bindex[p] for p in out[:a] if p), default=-1)
        hi = min((bindex[p] for p in out[a + 1 :] if p), default=len(bindex))
        for pid in (p for i in g.units if units[i].text("accept").strip() for p in unit_ids[i]):
            if pid not in taken and lo < bindex[pid] < hi:
                out[a] = pid
                taken.add(pid)
                break
    return out


# ---------------------------------------------------------------------------------------
# Proposals


def _meta(units: list[_Unit], idx: Iterable[int]) -> dict:
    authors: list[str] = []
    dates: list[str] = []
    for i in idx:
        authors += [a for a in units[i].authors if a not in authors]
        dates += [d for d in units[i].dates if d not in dates]
    return {"word_authors": authors, "word_dates": sorted(dates)}


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _by(meta: dict) -> str:
    return f" (tracked, by {', '.join(meta['word_authors'])})" if meta["word_authors"] else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _understand(read: _Read, base: Version, *, name: str) -> Understood:
    """The proposals a document's units make against ``base`` (pure; see the docstring)."""
    units = read.units
    bps = base.paragraphs
    bindex = {p.id: i for i, p in enumerate(bps)}
    by_id = base.by_id()
    rgroups, agroups = _groups(units, "reject"), _groups(units, "accept")
    label = f"{base.document} {base.version}"
    if not rgroups and not agroups:
        raise DraftingError(f"{name}: has no paragraphs with text")

    m = _match_to_base(rgroups, units, base)
    if m.evidence == 0 and m.foreign_bookmarks:
        raise DraftingError(
            f"{name}: is a Word file of another document: its paragraph bookmarks "
            f"({', '.join(sorted(set(m.foreign_bookmarks))[:3])}) are not in {label}"
        )
    if m.evidence == 0 and bps:
        n = len(rgroups) or len(agroups)
        raise DraftingError(f"{name}: does not look like {label}: none of its {_plural(n, 'paragraph')} matches")

    unit_ids = _unit_base_ids(units, bindex)
    cont = _continuations(rgroups, agroups, units, m.pid, unit_ids, bindex)
    has_bookmarks = any(unit_ids)
    first_cont = next((a for a, p in enumerate(cont) if p), len(agroups))
    heading_texts = {normalize_space(p.text) for p in bps if p.kind == "heading"}
    section_names = {normalize_space(p.section) for p in bps if p.section} - heading_texts

    counts = {"by_bookmark": 0, "by_text": 0, "by_similarity": 0}
    for h in m.how:
        if h:
            counts[{"bookmark": "by_bookmark", "text": "by_text", "similar": "by_similarity"}[h]] += 1
    matched = {
        **counts,
        "unmatched": sum(1 for p in m.pid if p is None),
        "document_paragraphs": len(rgroups),
        "base_paragraphs": len(bps),
    }
    proposals: list[dict] = []
    notes: list[str] = [
        f"Read {_plural(len(rgroups), 'paragraph')} of the original text; "
        f"{len(rgroups) - matched['unmatched']} matched {label} "
        f"({counts['by_bookmark']} by bookmark, {counts['by_text']} by identical text, "
        f"{counts['by_similarity']} by similar text)."
    ]
    if m.demoted:
        notes.append(f"{_plural(m.demoted, 'bookmarked paragraph')} out of the base's order: read as moved.")

    # units of the reject-view paragraph matched to each base id (for metadata)
    r_units: dict[str, list[int]] = {}
    for r, g in enumerate(rgroups):
        if m.pid[r]:
            r_units[m.pid[r]] = g.units
    continued = {p for p in cont if p}
    to_delete = [p.id for p in bps if p.id not in continued]  # in base order
    next_delete = 0

    def flush_deletes(upto: int) -> None:
        """Emit the deletes of base paragraphs before base index ``upto``."""
        nonlocal next_delete
        while next_delete < len(to_delete) and bindex[to_delete[next_delete]] < upto:
            pid = to_delete[next_delete]
            next_delete += 1
            meta = _meta(units, r_units.get(pid, ()))
            proposals.append({"op": "delete", "paragraph": pid, "meta": meta})
            notes.append(
                f"{pid}: deleted{_by(meta)}." if pid in r_units else f"{pid}: no longer in the document: deleted."
            )

    anchor: str | None = None
    section: str | None = None
    kind_before: str | None = None
    front_matter = synthesised = 0
    for a, g in enumerate(agroups):
        pid = cont[a]
        if pid is not None:  # a base paragraph, maybe amended
            flush_deletes(bindex[pid])
            bp = by_id[pid]
            heading = bp.kind == "heading"
            text = normalize_space(g.text)
            if not (_NUMBER_PREFIX.match(bp.text) or _ACTION_PREFIX.match(bp.text)):
                text = _cmp_text(text, heading)
            if text != normalize_space(bp.text):
                meta = _meta(units, sorted(set(g.units) | set(r_units.get(pid, ()))))
                proposals.append({"op": "amend", "paragraph": pid, "text": text, "meta": meta})
                notes.append(f"{pid}: amended{_by(meta) or ' (edited without track changes)'}: “{_short(text)}”.")
            elif any(units[i].revised and units[i].text("accept").strip() for i in g.units):
                notes.append(f"{pid}: its tracked changes give the base's text: nothing proposed.")
            anchor, kind_before = pid, bp.kind
            section = (bp.section or bp.text) if heading else bp.section
            continue

        revised = any(units[i].revised for i in g.units)
        if has_bookmarks and a < first_cont and not revised and not any(units[i].anchors for i in g.units):
            front_matter += 1  # an export's title block
            continue
        heading = bool(g.heading)
        text, numbered = _strip_number(g.text, heading)
        text = normalize_space(text)
        if heading and not revised and text in section_names:
            synthesised += 1  # a heading made from `section`
            section = text
            continue
        if heading:
            kind = "heading"
            section = text
        elif numbered == "action" or g.style_kind:
            kind = _guess_kind(text, numbered, g.ordered, g.style_kind)
        else:
            neighbour = kind_before
            if neighbour in (None, "heading"):
                neighbour = next((by_id[p].kind for p in cont[a + 1 :] if p), None)
            if neighbour in ("action", "operative", "preambular"):
                kind = neighbour
            else:
                kind = _guess_kind(text, numbered, g.ordered)
        # a paragraph split off by an inserted mark: that mark ends the unit before it
        idx = list(g.units)
        if idx[0] > 0 and units[idx[0] - 1].mark_inserted:
            idx.insert(0, idx[0] - 1)
        meta = _meta(units, idx)
        proposals.append(
            {"op": "insert", "after": anchor, "text": text, "kind": kind, "section": section, "meta": meta}
        )
        where = f"after {anchor}" if anchor else "at the start"
        notes.append(f"New {kind} paragraph {where}{_by(meta) or ' (added without track changes)'}: “{_short(text)}”.")
        kind_before = kind
    flush_deletes(len(bps))
    front_matter += read.skipped
    if front_matter:
        notes.append(
            f"Ignored {_plural(front_matter, 'unchanged paragraph')} before the first paragraph of {label} (title block)."
        )
    if synthesised:
        notes.append(f"Ignored {_plural(synthesised, 'unchanged section heading')} that the export adds.")

    # comments: one proposal each, on the base paragraph where it starts
    a_of = {i: a for a, g in enumerate(agroups) for i in g.units}
    r_of = {i: r for r, g in enumerate(rgroups) for i in g.units}
    last_pid: str | None = None
    empty = 0
    for i, u in enumerate(units):
        a = a_of.get(i)
        here = cont[a] if a is not None else None
        if here is None and i in r_of:
            here = m.pid[r_of[i]]
        for c in u.comments:
            if not c.body:
                empty += 1
                continue
            target = here or last_pid or next((p for p in cont if p), None) or (bps[0].id if bps else None)
            if target is None:
                notes.append(f"A comment could not be attached to any paragraph: “{_short(c.body)}”.")
                continue
            meta = {"word_authors": [c.author] if c.author else [], "word_dates": [c.date] if c.date else []}
            proposals.append({"op": "comment", "paragraph": target, "text": c.body, "meta": meta})
            on = "" if here else " (made on a new paragraph; attached to the nearest paragraph of the base)"
            notes.append(f"{target}: comment{' by ' + c.author if c.author else ''}{on}: “{_short(c.body)}”.")
        if here:
            last_pid = here
    if empty:
        notes.append(f"Ignored {_plural(empty, 'empty comment')}.")
    if read.footnotes:
        notes.append(f"Ignored {_plural(read.footnotes, 'footnote')}: footnotes are not paragraphs of the text.")
    if not proposals:
        notes.append("No change and no comment found: nothing proposed.")
    return Understood(proposals=proposals, notes=notes, matched=matched)


def proposals_from_document(path: Path, base: Version, *, limits: Limits) -> Understood:
    """The proposals a delegation's copy of ``base`` makes (tracked changes or clean edits).

    See the module docstring for the method. Raises DraftingError (one line naming the
    file) for any file that cannot be read safely or that is not a copy of ``base``.
    """
    path = Path(path)
    result = _understand(_read_units(path, limits=limits), base, name=path.name)
    for p in result.proposals:
        if len(p.get("text") or "") > limits.max_text_chars:
            where = p.get("paragraph") or f"after {p.get('after')}"
            raise DraftingError(
                f"{path.name}: a proposed text ({p['op']} {where}) is over the limit of {limits.max_text_chars:,} characters"
            )
    if len(result.proposals) > limits.max_proposals:
        raise DraftingError(
            f"{path.name}: makes {len(result.proposals):,} proposals, over the limit of {limits.max_proposals:,}"
        )
    return result
