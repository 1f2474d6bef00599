"""A version as a document (DOCX, ODT, HTML, Markdown, PDF), clean or with tracked changes
(tracked changes in HTML and Markdown: ``formats.diffview``, the one writer of those).

Pure functions build pandoc's AST (:func:`version_ast`, :func:`tracked_ast`); a thin shell
(:func:`render`) runs pandoc once per document and finishes what pandoc's DOCX writer
leaves out:

- whole-paragraph revisions: the paragraph mark of an inserted or deleted paragraph gets
  ``w:pPr/w:rPr/w:ins`` or ``w:del`` (pandoc writes none), so that rejecting an inserted
  paragraph (or accepting a deleted one) leaves no empty paragraph behind;
- unique ``w:id`` values across ``w:ins``, ``w:del``, comments and bookmarks (pandoc
  numbers insertions and deletions separately), with ``comments.xml``
  kept consistent;
- the document symbol in the page header that comes from ``resources/reference.docx``.

PDF: pandoc's Typst writer with ``resources/drafting.typst`` as template, compiled by the
``typst`` package (PyPI): no system tools needed.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..model.errors import DraftingError
from ..model.records import Version
from . import pandoc
from .ast import (
    COMMENT_STYLE,
    SPACE,
    Block,
    Div,
    DocMeta,
    Emph,
    Inline,
    Para,
    Span,
    Strikeout,
    Strong,
    Underline,
    attr,
    document,
    markdown_safe,
    meta_fields,
    number_inlines,
    paragraph_block,
    section_header,
    styled,
    text,
    title_block,
    typst_safe,
)

__all__ = [
    "FORMATS",
    "TRACKED_FORMATS",
    "Change",
    "Comment",
    "DocMeta",
    "TrackedParagraph",
    "export_tracked",
    "export_version",
    "render",
    "tracked_ast",
    "version_ast",
]

RESOURCES = pandoc.RESOURCES
REFERENCE_DOCX = RESOURCES / "reference.docx"
REFERENCE_LANDSCAPE_DOCX = RESOURCES / "reference-landscape.docx"
TYPST_TEMPLATE = RESOURCES / "drafting.typst"
CSS = RESOURCES / "drafting.css"
SYMBOL_PLACEHOLDER = "DRAFTING_SYMBOL"  # the header text in the reference documents

FORMATS = ("docx", "odt", "html", "md", "pdf")
TRACKED_FORMATS = FORMATS
STATUSES = ("unchanged", "modified", "inserted", "deleted", "moved")
UNATTRIBUTED = "Unattributed"
_MARK_PREFIX = "drafting_mark_"
END_PARAGRAPH: Block = {"t": "RawBlock", "c": ["openxml", '<w:p><w:pPr><w:pStyle w:val="BodyText" /></w:pPr></w:p>']}


# -- the data callers pass -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A stretch of a paragraph's text: kept (``equal``), inserted or deleted."""

    op: str  # "equal" | "insert" | "delete"
    text: str
    author: str | None = None  # the delegation's name, e.g. "Mexico"
    date: str | None = None  # ISO date or date-time


@dataclass(frozen=True)
class TrackedParagraph:
    """One paragraph of a tracked-changes document, in the new version's order.

    Deleted paragraphs come where they stood (after their old predecessor). ``moved`` is
    shown like ``modified``, at the new place; for "reject all" to restore the old order,
    pass a move as a ``deleted`` paragraph at the old place and an ``inserted`` one at the
    new place (same id: only the inserted one carries the bookmark and the comments).
    In a whole inserted or deleted paragraph every change counts as inserted or deleted.
    """

    id: str
    kind: str
    section: str | None
    number: str  # display number ("" for none)
    status: str  # unchanged | modified | inserted | deleted | moved
    changes: list[Change] = field(default_factory=list)
    author: str | None = None  # for a whole-paragraph insert or delete
    date: str | None = None
    #: the number before a renumbering (shown as a tracked change to ``number``), by whom, when
    old_number: str = ""
    number_author: str | None = None
    number_date: str | None = None


@dataclass(frozen=True)
class Comment:
    paragraph: str
    author: str
    text: str
    date: str | None = None
    initials: str | None = None


# -- clean versions ---------------------------------------------------------------------------


def headings_from_sections(kinds: Sequence[str]) -> bool:
    """Versions with heading paragraphs show those; others get headings from ``section``."""
    return "heading" not in kinds


def printed_date(date: str | None) -> str:
    """A comment's or a revision's date as a document prints it: "1 December 2026" (or as given)."""
    if not date:
        return ""
    from ..model.conventions import written_date

    return written_date(str(date)[:10]) or ""


class _Comments:
    """Places comments: as Word comments (``style`` word) or as blocks after their paragraph."""

    def __init__(self, comments: Sequence[Comment], ids: set[str], style: str):
        self.by_para: dict[str, list[Comment]] = {}
        for c in comments:
            if c.paragraph not in ids:
                raise DraftingError(f"comment by {c.author} on unknown paragraph {c.paragraph}")
            self.by_para.setdefault(c.paragraph, []).append(c)
        self.style = style
        self.next_id = 1

    def place(self, pid: str) -> tuple[list[Inline], list[Inline], list[Block]]:
        """(before, after, extra blocks) for paragraph ``pid``'s comments."""
        before: list[Inline] = []
        after: list[Inline] = []
        extra: list[Block] = []
        for c in self.by_para.get(pid, []):
            if self.style == "word":
                cid = str(self.next_id)
                self.next_id += 1
                before.append(
                    Span(
                        attr("", ["comment-start"], id=cid, author=c.author, date=_iso(c.date), initials=c.initials),
                        text(c.text, lines=True),
                    )
                )
                after.append(Span(attr("", ["comment-end"], id=cid), []))
            else:
                when = printed_date(c.date)
                label = c.author + (f" ({when})" if when else "") + ":"
                extra.append(
                    styled(
                        COMMENT_STYLE,
                        Para(
                            [
                                Strong([Emph(text("Comment by"))]),
                                SPACE,
                                Strong(text(label)),
                                SPACE,
                                *text(c.text, lines=True),
                            ]
                        ),
                        classes=["comment"],
                    )
                )
        return before, after, extra


def _status_mark(mark: str | None) -> list[Inline]:
    """A paragraph's status mark after its text ("(ad ref)"), for documents that are read,
    never edited and submitted back (PDF, HTML, Markdown)."""
    if not mark:
        return []
    return [SPACE, Span(attr("", ["status-mark"]), [Emph(text(f"({mark})"))])]


def version_ast(
    version: Version,
    meta: DocMeta,
    numbers: Mapping[str, str],
    *,
    with_title_block: bool = True,
    comments: Sequence[Comment] = (),
    style: str = "word",
    marks: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The version as a pandoc document: title block, then each paragraph with its display
    number (``numbers[id]``, "" for none) and its id as a bookmark; ``comments`` (if any)
    as Word comments (``style`` word) or as blocks after their paragraphs; ``marks``: a
    status mark after a paragraph's text ("ad ref")."""
    blocks: list[Block] = title_block(meta) if with_title_block else []
    synth = headings_from_sections([p.kind for p in version.paragraphs])
    placed = _Comments(comments, {p.id for p in version.paragraphs}, style)
    section: str | None = None
    for p in version.paragraphs:
        if synth and p.section and p.section != section:
            blocks.append(section_header(p.section))
        section = p.section
        before, after, extra = placed.place(p.id)
        after = [*after, *_status_mark((marks or {}).get(p.id))]
        blocks.append(paragraph_block(p.kind, p.id, numbers.get(p.id, ""), text(p.text), before=before, after=after))
        blocks.extend(extra)
    return document(blocks, meta_fields(meta))


def export_version(
    version: Version,
    meta: DocMeta,
    numbers: Mapping[str, str],
    fmt: str,
    out: Path,
    *,
    comments: Sequence[Comment] = (),
    marks: Mapping[str, str] | None = None,
) -> Path:
    """Write the version to ``out`` as ``fmt`` (docx, odt, html, md, pdf); ``comments`` as
    Word comments in DOCX, else as blocks after their paragraphs; ``marks`` (PDF, HTML and
    Markdown only: a Word or ODT file comes back as a delegation's inputs)."""
    _check_format(fmt, FORMATS)
    if marks and fmt in ("docx", "odt"):
        raise DraftingError(
            "status marks go into PDF, HTML and Markdown only: a Word or ODT file comes back as "
            "inputs, where a mark would read as text"
        )
    style = "word" if fmt == "docx" else "blocks"
    doc = version_ast(
        version, meta, numbers, with_title_block=fmt != "pdf", comments=comments, style=style, marks=marks
    )
    # a circulated draft opens with Track Changes on, so a delegation's edits come back tracked
    return render(doc, fmt, Path(out), symbol=meta.symbol, track_revisions=True)


# -- tracked changes ---------------------------------------------------------------------------


def _iso(date: str | None) -> str | None:
    if not date:
        return None
    d = str(date).strip()
    return f"{d}T00:00:00Z" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else d


def _revision(kind: str, author: str, date: str | None, inlines: list[Inline], style: str) -> list[Inline]:
    """Inlines marked as inserted or deleted.

    ``style``: ``word`` (spans pandoc's DOCX writer turns into w:ins/w:del) or
    ``formatting`` (underline / strike-through inside the spans, for ODT and PDF whose
    writers know no revisions; HTML and Markdown are ``formats.diffview``'s).
    """
    if not inlines:
        return []
    cls = "insertion" if kind == "insert" else "deletion"
    if style == "word":
        return [Span(attr("", [cls], author=author, date=date), inlines)]
    tip = author + (f", {date[:10]}" if date else "")
    inlines = [Underline(inlines) if kind == "insert" else Strikeout(inlines)]
    return [Span(attr("", [cls], author=author, date=date, title=tip), inlines)]


def _renumbered(old: list[Inline], author: str, date: str | None, style: str) -> Callable[[list[Inline]], list[Inline]]:
    """Wraps a paragraph's new number: the old one deleted, the new one inserted."""

    def wrap(num: list[Inline]) -> list[Inline]:
        return [
            *_revision("delete", author, date, old, style),
            *_revision("insert", author, date, num[:1], style),
            *num[1:],
        ]

    return wrap


def check_tracked(paragraphs: Sequence[TrackedParagraph], comments: Sequence[Comment]) -> list[int]:
    """Refuse unknown statuses, changes and commented paragraphs; return, per paragraph, the
    index of the occurrence that carries its id (bookmark, anchor) and its comments.

    A paragraph id may occur twice (a moved paragraph shown deleted and inserted): the
    occurrence that is not deleted carries it, else the first."""
    ids = {tp.id for tp in paragraphs}
    for c in comments:
        if c.paragraph not in ids:
            raise DraftingError(f"comment by {c.author} on unknown paragraph {c.paragraph}")
    home: dict[str, int] = {}
    for i, tp in enumerate(paragraphs):
        if tp.status not in STATUSES:
            raise DraftingError(f"paragraph {tp.id}: unknown change status {tp.status!r}")
        for ch in tp.changes:
            if ch.op not in ("equal", "insert", "delete"):
                raise DraftingError(f"paragraph {tp.id}: unknown change {ch.op!r}")
        if tp.id not in home or (paragraphs[home[tp.id]].status == "deleted" and tp.status != "deleted"):
            home[tp.id] = i
    return [home[tp.id] for tp in paragraphs]


def revisions(tp: TrackedParagraph) -> tuple[list[tuple[str, Change]], tuple[str | None, str | None]]:
    """A tracked paragraph's changes as shown: ``(op, change)`` with the change's author and
    date filled in from the paragraph's, and the paragraph's own ``(author, date)`` (for a
    whole inserted or deleted paragraph, and its number). In a whole inserted or deleted
    paragraph every change counts as inserted or deleted."""
    whole = {"inserted": "insert", "deleted": "delete"}.get(tp.status)
    first = next((c for c in tp.changes if c.op != "equal"), tp.changes[0] if tp.changes else None)
    p_author = tp.author or (first.author if first else None)
    p_date = tp.date or (first.date if first else None)
    out = []
    for ch in tp.changes:
        op = whole or ch.op
        if op != "equal":
            ch = Change(op, ch.text, ch.author or p_author, ch.date or p_date)
        out.append((op, ch))
    return out, (p_author, p_date)


def tracked_ast(
    paragraphs: Sequence[TrackedParagraph],
    comments: Sequence[Comment],
    meta: DocMeta,
    *,
    style: str = "word",
    with_title_block: bool = True,
) -> tuple[dict[str, Any], dict[str, tuple[str, str, str | None]]]:
    """The tracked-changes document, and the paragraph marks the DOCX still needs.

    Returns ``(doc, marks)``: ``marks`` maps the names of marker bookmarks (placed at the
    start of each inserted or deleted paragraph) to ``("ins" | "del", author, date)``;
    :func:`finish_docx` turns them into whole-paragraph revisions. ``style`` is ``word``
    (DOCX) or ``formatting`` (ODT, PDF: comments become blocks after their paragraph
    instead of Word comments). HTML and Markdown: ``formats.diffview.tracked_html``.
    """
    home = check_tracked(paragraphs, comments)
    placed = _Comments(comments, {tp.id for tp in paragraphs}, "word" if style == "word" else "blocks")

    blocks: list[Block] = title_block(meta) if with_title_block else []
    marks: dict[str, tuple[str, str, str | None]] = {}
    synth = headings_from_sections([tp.kind for tp in paragraphs])
    section: str | None = None
    for i, tp in enumerate(paragraphs):
        if synth and tp.section and tp.section != section:
            blocks.append(section_header(tp.section))
        section = tp.section
        whole = {"inserted": "insert", "deleted": "delete"}.get(tp.status)
        changes, (author, date) = revisions(tp)
        p_author, p_date = author or UNATTRIBUTED, _iso(date)

        body: list[Inline] = []
        for op, ch in changes:
            if op == "equal":
                body += text(ch.text)
            else:
                body += _revision(op, ch.author or UNATTRIBUTED, _iso(ch.date), text(ch.text), style)

        before: list[Inline] = []
        after: list[Inline] = []
        number_wrap: Callable[[list[Inline]], list[Inline]] | None = None
        if whole:
            number_wrap = lambda num, w=whole, a=p_author, d=p_date: _revision(w, a, d, num, style)  # noqa: E731
            if style == "word":
                name = f"{_MARK_PREFIX}{i}"
                before.append(Span(attr(name), []))
                marks[name] = ("ins" if whole == "insert" else "del", p_author, p_date)
        elif tp.old_number and tp.number and tp.old_number != tp.number:
            # renumbered: the old number struck out, the new one inserted, by the Presidency
            who, when = tp.number_author or UNATTRIBUTED, _iso(tp.number_date)
            number_wrap = _renumbered(number_inlines(tp.old_number)[:1], who, when, style)
        extra: list[Block] = []
        if home[i] == i:
            c_before, c_after, extra = placed.place(tp.id)
            before += c_before
            after += c_after
        pid = tp.id if home[i] == i else None
        block = paragraph_block(tp.kind, pid, tp.number, body, before=before, after=after, number_wrap=number_wrap)
        if style != "word" and tp.status != "unchanged":
            block = Div(attr("", ["change", tp.status]), [block])
        blocks.append(block)
        blocks.extend(extra)
    if style == "word" and paragraphs and paragraphs[-1].status in ("inserted", "deleted"):
        # Word cannot revise the document's last paragraph mark: end with an empty paragraph
        # (present in both views) so that every inserted or deleted paragraph owns its mark
        blocks.append(END_PARAGRAPH)
    return document(blocks, meta_fields(meta)), marks


def export_tracked(
    paragraphs: Sequence[TrackedParagraph], comments: Sequence[Comment], meta: DocMeta, fmt: str, out: Path
) -> Path:
    """Write the tracked-changes document to ``out``. DOCX: real Word revisions (author =
    the delegation) and comments; ODT/PDF: underline and strike-through (through pandoc);
    HTML and Markdown: by ``formats.diffview``, the one writer of tracked changes in those
    formats (``drafting diff`` and the app's Compare page use it too)."""
    _check_format(fmt, TRACKED_FORMATS)
    if fmt in ("html", "md"):
        from . import diffview

        page = (diffview.tracked_html if fmt == "html" else diffview.tracked_markdown)(paragraphs, comments, meta)
        return write_atomically(Path(out), lambda tmp: tmp.write_text(page, encoding="utf-8"))
    style = "word" if fmt == "docx" else "formatting"
    doc, marks = tracked_ast(paragraphs, comments, meta, style=style, with_title_block=fmt != "pdf")
    return render(doc, fmt, Path(out), symbol=meta.symbol, marks=marks)


# -- running pandoc (and typst) --------------------------------------------------------------


def _check_format(fmt: str, allowed: Sequence[str]) -> None:
    if fmt not in allowed:
        raise DraftingError(f"unknown format {fmt!r}: choose one of {', '.join(allowed)}")


def _with_css(doc: dict[str, Any]) -> dict[str, Any]:
    css = CSS.read_text(encoding="utf-8")
    if doc["meta"].get("landscape"):  # the compilation: a wide table
        css += "body { max-width: none; margin: 1.5em 2em; }\n"
    meta = dict(doc["meta"])
    meta["header-includes"] = {"t": "MetaBlocks", "c": [{"t": "RawBlock", "c": ["html", f"<style>\n{css}</style>"]}]}
    return dict(doc, meta=meta)


def render(
    doc: dict[str, Any],
    fmt: str,
    out: Path,
    *,
    symbol: str | None = None,
    marks: Mapping[str, tuple[str, str, str | None]] | None = None,
    landscape: bool = False,
    track_revisions: bool = False,
) -> Path:
    """Convert ``doc`` to ``fmt`` and write ``out`` (atomically: nothing is written on error).

    ``track_revisions``: a DOCX opens in Word with Track Changes switched on."""

    def write(tmp: Path) -> None:
        if fmt == "docx":
            ref = REFERENCE_LANDSCAPE_DOCX if landscape else REFERENCE_DOCX
            pandoc.write(doc, "docx", tmp, args=[f"--reference-doc={ref}", "--syntax-highlighting=none"])
            tmp.write_bytes(
                finish_docx(tmp.read_bytes(), symbol=symbol, marks=marks or {}, track_revisions=track_revisions)
            )
        elif fmt == "odt":
            pandoc.write(doc, "odt", tmp)
        elif fmt == "html":
            tmp.write_bytes(pandoc.write(_with_css(doc), "html", args=["--standalone"]))
        elif fmt == "md":
            tmp.write_bytes(pandoc.write(markdown_safe(doc), "markdown-smart", args=["--wrap=none"]))
        elif fmt == "pdf":
            source = pandoc.write(typst_safe(doc), "typst-smart", args=[f"--template={TYPST_TEMPLATE}", "--standalone"])
            tmp.write_bytes(typst_pdf(source))
        else:
            raise DraftingError(f"unknown format {fmt!r}")

    return write_atomically(Path(out), write)


def write_atomically(out: Path, write: Callable[[Path], Any]) -> Path:
    """Have ``write`` fill a temporary file beside ``out``, then rename it over ``out``:
    nothing is written on error."""
    if not out.parent.is_dir():
        raise DraftingError(f"cannot write {out}: no such folder {out.parent}")
    if out.is_dir():
        raise DraftingError(f"cannot write {out}: it is a folder")
    # a temporary file beside the target (created like any new file, so it gets the usual
    # permissions), renamed over it once complete
    tmp = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "xb"):
            pass
    except OSError as exc:
        raise DraftingError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        try:
            write(tmp)
            os.replace(tmp, out)
        except OSError as exc:  # (a full disk, a read-only folder: one line, nothing written)
            raise DraftingError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def typst_pdf(source: bytes) -> bytes:
    """Compile Typst source to PDF with the ``typst`` package, in a private folder."""
    try:
        import typst
    except ImportError:  # pragma: no cover - a declared dependency
        raise DraftingError("PDF export needs the typst package (pip install typst)") from None
    with tempfile.TemporaryDirectory(prefix="drafting-typst-") as d:
        src = Path(d) / "document.typ"
        src.write_bytes(source)
        try:
            pdf, _warnings = typst.compile_with_warnings(str(src), root=d)
        except Exception as exc:  # noqa: BLE001 - typst.TypstError and friends, reported in one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DraftingError(f"typst could not make the PDF: {first}") from None
    if not isinstance(pdf, bytes):  # pragma: no cover - multi-page image formats only
        raise DraftingError("typst did not return a PDF")
    return pdf


# -- DOCX post-processing ---------------------------------------------------------------------

_PARA = re.compile(r"<w:p(?:\s[^>]*)?/>|<w:p(?:\s[^>]*)?>.*?</w:p>", re.S)
_MARKER = re.compile(r'<w:bookmarkStart w:id="(-?\d+)" w:name="' + _MARK_PREFIX + r'(\d+)"\s*/>')
_ANNOTATION = re.compile(
    r'<w:(ins|del|bookmarkStart|bookmarkEnd|commentRangeStart|commentRangeEnd|commentReference)\b([^>]*?)\bw:id="(-?\d+)"'
)
_COMMENT = re.compile(r'<w:comment\b([^>]*?)\bw:id="(-?\d+)"')


def _paragraph_mark(op: str, author: str, date: str | None) -> str:
    d = f" w:date={quoteattr(date)}" if date else ""
    return f'<w:{op} w:id="0" w:author={quoteattr(author)}{d}/>'


def _flag_paragraph(p: str, mark: str) -> str:
    """Add a paragraph-mark revision to one ``<w:p>`` element's text."""
    if p.endswith("/>") and "</w:p>" not in p:
        return p[:-2].rstrip() + f"><w:pPr><w:rPr>{mark}</w:rPr></w:pPr></w:p>"
    m = re.search(r"<w:pPr(?:\s[^>]*)?>", p)
    if m is None:
        start = p.index(">") + 1
        return p[:start] + f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>" + p[start:]
    end = p.index("</w:pPr>", m.end())
    rpr = re.compile(r"<w:rPr(?:\s[^>]*)?>").search(p, m.end(), end)
    if rpr is not None:  # w:ins / w:del come first in a paragraph mark's run properties
        return p[: rpr.end()] + mark + p[rpr.end() :]
    return p[:end] + f"<w:rPr>{mark}</w:rPr>" + p[end:]


def mark_paragraphs(xml: str, marks: Mapping[str, tuple[str, str, str | None]]) -> str:
    """Turn marker bookmarks into whole-paragraph revisions and remove the markers.

    Each marked paragraph's own mark is flagged. (:func:`tracked_ast` ends such documents
    with an empty paragraph. Without it, for a run of marked paragraphs at the very end of
    the body, whose last mark Word cannot revise, every flag moves one paragraph up, as Word
    records deleting the last paragraphs: the text is right in both views, but the
    paragraph before the run may take the last one's style.)
    """
    paras = [(m.start(), m.end()) for m in _PARA.finditer(xml)]
    flagged: dict[int, tuple[str, str, str | None]] = {}
    marker_ids: set[str] = set()
    for i, (s, e) in enumerate(paras):
        for mm in _MARKER.finditer(xml, s, e):
            name = _MARK_PREFIX + mm.group(2)
            marker_ids.add(mm.group(1))
            if name in marks:
                flagged[i] = marks[name]
    k = len(paras)
    while k > 0 and (k - 1) in flagged:
        k -= 1
    targets: dict[int, tuple[str, str, str | None]] = {}
    for i, info in flagged.items():
        t = i - 1 if i >= k else i
        if t >= 0:
            targets[t] = info
    pieces: list[str] = []
    pos = 0
    for i, (s, e) in enumerate(paras):
        if i in targets:
            op, author, date = targets[i]
            pieces.append(xml[pos:s])
            pieces.append(_flag_paragraph(xml[s:e], _paragraph_mark(op, author, date)))
            pos = e
    pieces.append(xml[pos:])
    xml = "".join(pieces)
    if marker_ids:
        alt = "|".join(re.escape(x) for x in marker_ids)
        xml = re.sub(
            r'<w:bookmark(?:Start|End) w:id="(?:' + alt + r')"(?: w:name="' + _MARK_PREFIX + r'\d+")?\s*/>', "", xml
        )
    return xml


def renumber_ids(document_xml: str, comments_xml: str | None) -> tuple[str, str | None]:
    """Give every w:ins, w:del, bookmark and comment a w:id unique in the document.

    Bookmark starts and ends stay paired, as do a comment's range, reference and its entry
    in ``comments.xml``.
    """
    counter = iter(range(1, 1 << 62))
    bookmarks: dict[str, str] = {}
    comment_ids: dict[str, str] = {}

    def new_id(m: re.Match[str]) -> str:
        tag, middle, old = m.group(1), m.group(2), m.group(3)
        if tag in ("ins", "del"):
            nid = str(next(counter))
        elif tag == "bookmarkStart":
            nid = bookmarks[old] = str(next(counter))
        elif tag == "bookmarkEnd":
            nid = bookmarks.pop(old, "") or str(next(counter))
        else:
            nid = comment_ids.get(old) or comment_ids.setdefault(old, str(next(counter)))
        return f'<w:{tag}{middle}w:id="{nid}"'

    document_xml = _ANNOTATION.sub(new_id, document_xml)
    if comments_xml is not None:

        def comment_id(m: re.Match[str]) -> str:
            old = m.group(2)
            nid = comment_ids.get(old) or comment_ids.setdefault(old, str(next(counter)))
            return f'<w:comment{m.group(1)}w:id="{nid}"'

        comments_xml = _COMMENT.sub(comment_id, comments_xml)
    return document_xml, comments_xml


_TWIPS = re.compile(r'w:(w|h|left|right)="(\d+)"')


def fit_tables(xml: str) -> str:
    """Scale full-width tables' grid columns to the page's text width.

    Pandoc writes ``tblW`` 100 % with a fixed layout but sizes ``w:gridCol`` for a 5.5 inch
    text width, whatever the page; Word's fixed layout follows the grid.
    """
    sect = xml[xml.rfind("<w:sectPr") :]
    size = re.search(r"<w:pgSz\b[^>]*>", sect)
    mar = re.search(r"<w:pgMar\b[^>]*>", sect)
    if not size or not mar or "<w:tblGrid>" not in xml:
        return xml
    page = dict(_TWIPS.findall(size.group(0)))
    margins = dict(_TWIPS.findall(mar.group(0)))
    try:
        width = int(page["w"]) - int(margins.get("left", 0)) - int(margins.get("right", 0))
    except (KeyError, ValueError):
        return xml
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"<w:tblGrid>.*?</w:tblGrid>", xml, re.S):
        tbl_pr = xml[xml.rfind("<w:tblPr>", 0, m.start()) : m.start()]
        cols = [int(x) for x in re.findall(r'<w:gridCol w:w="(\d+)"', m.group(0))]
        out.append(xml[pos : m.start()])
        if 'w:type="pct" w:w="5000"' in tbl_pr and sum(cols) > 0:
            new = [max(1, round(c * width / sum(cols))) for c in cols]
            out.append("<w:tblGrid>" + "".join(f'<w:gridCol w:w="{c}" />' for c in new) + "</w:tblGrid>")
        else:
            out.append(m.group(0))
        pos = m.end()
    out.append(xml[pos:])
    return "".join(out)


def finish_docx(
    data: bytes,
    *,
    symbol: str | None = None,
    marks: Mapping[str, tuple[str, str, str | None]] | None = None,
    track_revisions: bool = False,
) -> bytes:
    """Post-process a DOCX written by pandoc (see the module docstring)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: src.read(info) for info in src.infolist()}
    doc_xml = parts["word/document.xml"].decode("utf-8")
    if marks:
        doc_xml = mark_paragraphs(doc_xml, marks)
    comments = parts.get("word/comments.xml")
    doc_xml = fit_tables(doc_xml)
    doc_xml, comments_xml = renumber_ids(doc_xml, comments.decode("utf-8") if comments is not None else None)
    parts["word/document.xml"] = doc_xml.encode("utf-8")
    if comments_xml is not None:
        parts["word/comments.xml"] = comments_xml.encode("utf-8")
    if track_revisions and "word/settings.xml" in parts:
        settings = parts["word/settings.xml"].decode("utf-8")
        if "<w:trackRevisions" not in settings:
            # CT_Settings is a sequence: trackRevisions goes before these (Word checks order)
            later = re.search(
                r"<w:(doNotTrackMoves|doNotTrackFormatting|documentProtection|"
                r"autoFormatOverride|styleLockTheme|styleLockQFSet|defaultTabStop)\b",
                settings,
            )
            at = later.start() if later else settings.index("</w:settings>")
            settings = settings[:at] + "<w:trackRevisions />" + settings[at:]
        parts["word/settings.xml"] = settings.encode("utf-8")
    for name in parts:
        if re.fullmatch(r"word/header\d*\.xml", name):
            parts[name] = parts[name].replace(SYMBOL_PLACEHOLDER.encode(), escape(symbol or "").encode("utf-8"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
