"""A document as read from a file: its paragraphs with their tracked revisions, and the
two views Word computes from them (accept all, reject all).

``formats`` builds a :class:`Document` (``formats.ooxml`` from a DOCX, ``formats.units``
from pandoc's AST); :mod:`.understand` and :mod:`.paragraphs` decide what it means. Pure
data and functions. The rules of the views are in ``docs/design/reader-pipeline.md``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .numbering import Number, split_number
from .words import normalize_space

__all__ = [
    "ACCEPT",
    "REJECT",
    "VIEWS",
    "Anchor",
    "Comment",
    "Document",
    "Segment",
    "Unit",
    "ViewParagraph",
    "display_number",
    "guess_kind",
]

ACCEPT, REJECT = "accept", "reject"
#: the views of a document: its text with every revision accepted, or rejected
VIEWS = (ACCEPT, REJECT)

_PREAMBULAR_OPENERS = frozenset(
    [
        "aware",
        "cognizant",
        "concerned",
        "conscious",
        "convinced",
        "deeply",
        "determined",
        "gravely",
        "mindful",
        "desiring",
        "bearing",
        "taking",
        "having",
    ]
)


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph's text as the file holds it (white space as written).

    ``inserted`` / ``deleted``: a tracked revision (both: inserted, then deleted by
    someone else). ``number``: part of a display number drafting wrote before the text
    (in its own character style), which is structure and never text.
    """

    text: str
    inserted: bool = False
    deleted: bool = False
    number: bool = False

    def shown_in(self, view: str) -> bool:
        """Whether the segment is there in ``view`` (``"accept"``, ``"reject"``, or any
        other value for both)."""
        if view == ACCEPT:
            return not self.deleted
        if view == REJECT:
            return not self.inserted
        return True


@dataclass(frozen=True)
class Anchor:
    """A bookmark or identifier in a paragraph: its name, the paragraph ids it may stand
    for (most likely first), and whether drafting's export wrote it (``ours``)."""

    name: str
    ids: tuple[str, ...] = ()
    ours: bool = False


@dataclass(frozen=True)
class Comment:
    """A comment that starts in a paragraph (on a range, or at a point)."""

    body: str
    author: str | None = None
    date: str | None = None


@dataclass
class Unit:
    """One paragraph as the file holds it: a paragraph, list item, table cell paragraph or
    heading, with its revisions.

    ``mark_inserted`` / ``mark_deleted``: its paragraph mark was inserted (the paragraph was
    split off the next one) or deleted (it joins the next one). ``mark_fixed``: the mark
    ends a table cell or the document, or stands before a table, and so cannot go (Word
    keeps the paragraph whatever its revision says). ``only_in``: the paragraph is in a
    table row inserted (there only in ``"accept"``) or deleted (only in ``"reject"``;
    ``"none"``: a row inserted within one deleted).
    ``style``: its paragraph style's name; ``style_kind``: the paragraph kind that style
    stands for in drafting's exports. ``export_only``: a paragraph a drafting export adds
    around the text (its title block, comment blocks), shown but not text of the version.
    ``anchors``: its bookmarks and identifiers.
    """

    segments: list[Segment] = field(default_factory=list)
    heading: int = 0
    ordered: bool = False
    style: str | None = None
    style_kind: str | None = None
    export_only: bool = False
    comments: list[Comment] = field(default_factory=list)
    mark_inserted: bool = False
    mark_deleted: bool = False
    mark_fixed: bool = False
    only_in: str | None = None
    anchors: list[Anchor] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    def text(self, view: str = "all") -> str:
        """Its text in ``view`` as written (display numbers left out)."""
        return "".join(s.text for s in self.segments if not s.number and s.shown_in(view))

    def shown(self, view: str = "all") -> str:
        """Its text in ``view`` as a word processor shows it (display numbers included)."""
        return "".join(s.text for s in self.segments if s.shown_in(view))

    def number(self, view: str = "all") -> str | None:
        """The display number drafting wrote before its text, if any."""
        n = normalize_space("".join(s.text for s in self.segments if s.number and s.shown_in(view)))
        return n or None

    def exists_in(self, view: str) -> bool:
        return self.only_in is None or self.only_in == view

    @property
    def revised(self) -> bool:
        return self.mark_inserted or self.mark_deleted or any(s.inserted or s.deleted for s in self.segments)

    def add_revision(self, author: str | None, date: str | None) -> None:
        if author and author not in self.authors:
            self.authors.append(author)
        if date and date not in self.dates:
            self.dates.append(date)


@dataclass(frozen=True)
class ViewParagraph:
    """A paragraph of a view: consecutive units joined where their paragraph mark is gone.

    ``text``: NFC, white space collapsed, display numbers left out (empty when it shows only a display
    number); ``shown``: as a word processor shows it; ``number``: the display number of
    its first unit that has one. Heading level, list, style kind and title block come from its
    first unit with text.
    """

    units: tuple[int, ...]
    text: str
    shown: str
    number: str | None
    heading: int
    ordered: bool
    style_kind: str | None
    export_only: bool


@dataclass
class Document:
    """The units of a file in document order, and what was left out of them."""

    units: list[Unit]
    footnotes: int = 0  # footnotes and endnotes (not paragraphs of the text)

    def paragraphs(self, view: str) -> list[ViewParagraph]:
        """The paragraphs of ``view`` (``"accept"`` or ``"reject"``), as Word computes them.

        A unit whose mark is gone in the view (deleted, for ``accept``; inserted, for
        ``reject``) joins the next unit, text to text with nothing added between them
        (``"add."`` and ``"You"`` give ``"add.You"``), unless its mark is fixed. Units of a
        table row that is not in the view are left out. A paragraph that shows nothing is
        not there; one that shows only a display number is, with an empty ``text``.
        """
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        out: list[ViewParagraph] = []
        cur: list[int] = []
        for i, u in enumerate(self.units):
            if not u.exists_in(view):
                continue
            cur.append(i)
            joins = (u.mark_deleted if view == ACCEPT else u.mark_inserted) and not u.mark_fixed
            if not joins:
                self._flush(cur, view, out)
                cur = []
        if cur:
            self._flush(cur, view, out)
        return out

    def _flush(self, cur: list[int], view: str, out: list[ViewParagraph]) -> None:
        units = [self.units[i] for i in cur]
        shown = _clean("".join(u.shown(view) for u in units))
        if not shown:
            return
        first = next((u for u in units if u.text(view).strip()), None) or next(
            u for u in units if u.shown(view).strip()
        )
        number = next((n for n in (u.number(view) for u in units) if n), None)
        out.append(
            ViewParagraph(
                tuple(cur),
                _clean("".join(u.text(view) for u in units)),
                shown,
                number,
                first.heading,
                first.ordered,
                first.style_kind,
                first.export_only,
            )
        )


def _clean(text: str) -> str:
    """A paragraph's text as stored: NFC, white space collapsed, trimmed."""
    return normalize_space(unicodedata.normalize("NFC", text))


def display_number(text: str) -> tuple[Number | None, str]:
    """A display number that opens ``text`` and is structure whoever typed it, and the rest:
    a prefixed label ("Action 12", "Action 12 bis") or one with a Latin suffix ("5 bis.").
    A bare "5." may be words a delegate typed: ``(None, text)``."""
    number, rest = split_number(text)
    if number is None or not (number.prefix or number.extra):
        return None, text
    return number, rest


def guess_kind(text: str, *, number: Number | None = None, ordered: bool = False, style_kind: str | None = None) -> str:
    """The kind of a paragraph read from a document (headings are decided by the caller).

    A display number "Action N" gives ``action``; then the paragraph style of an export
    (``style_kind``); then another display number or an item of a numbered list gives
    ``operative``; a paragraph that opens with a participle or adjective and ends with a
    comma ("Recalling ...,") ``preambular``; anything else ``text``.
    """
    if number is not None and number.prefix:
        return "action"
    if style_kind:
        return style_kind
    if number is not None or ordered:
        return "operative"
    first = text.split(" ", 1)[0].strip(",;:").lower()
    if text.endswith(",") and (
        first.endswith("ing") or first in _PREAMBULAR_OPENERS or (first.endswith("ed") and len(first) > 4)
    ):
        return "preambular"
    return "text"


def unit_meta(units: list[Unit], idx: Iterable[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Word authors and dates (sorted) of the revisions in units ``idx``."""
    authors: list[str] = []
    dates: list[str] = []
    for i in idx:
        authors += [a for a in units[i].authors if a not in authors]
        dates += [d for d in units[i].dates if d not in dates]
    return tuple(authors), tuple(sorted(dates))
