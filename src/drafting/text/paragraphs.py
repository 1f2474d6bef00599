"""A read document's paragraphs as those of a new version: texts, ids, kinds, sections.

Pure: a :class:`~.document.Document` and a view in, :class:`Paragraph` records out
(``drafting import``). Ids, as ``docs/design/reader-pipeline.md`` describes:

- a bookmark or anchor naming a paragraph id keeps that id (a re-imported export keeps its
  ids); a heading keeps one only when it looks like ours (``p_…``, ``h-…``): pandoc gives
  every heading of a Markdown or HTML file an automatic identifier;
- otherwise a heading gets ``h-<slug>`` (up to three significant words of its text), any
  other paragraph ``<prefix>-<n>``, the prefix being the slug of its section in up to two
  significant words (``p`` before any heading) and ``n`` counting that prefix;
- bookmarked ids are reserved first, and a generated id that is taken moves on to the
  next number: ids are unique, and the same file always gives the same ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..model.errors import DraftingError
from ..model.records import Paragraph
from .document import Document, display_number, guess_kind
from .numbering import split_number

__all__ = ["ParagraphIds", "new_version_paragraphs", "slug"]

_STOPWORDS = frozenset(
    [
        *[
            "a",
            "an",
            "and",
            "the",
            "of",
            "for",
            "in",
            "on",
            "to",
            "with",
            "by",
            "at",
            "or",
            "its",
            "their",
            "from",
            "as",
            "into",
            "under",
        ],
        *["et", "de", "des", "du", "la", "le", "les", "l", "d", "au", "aux", "pour", "sur"],  # French
        *["y", "e", "el", "los", "las", "del", "al", "para", "por", "con"],  # Spanish
    ]
)


#: an enumerator typed before a heading ("IV.", "B)", "2.1"): text, but no word for an id
_ENUMERATOR = re.compile(r"^\(?(?:[IVXLC]{1,6}|[A-Za-z]|\d{1,3}(?:\.\d{1,3})*)[.)]\s+(?=\S)")


def slug(text: str, max_words: int) -> str:
    """Up to ``max_words`` significant words of ``text``, ASCII, joined by ``-`` (an
    enumerator before them left out)."""
    text = _ENUMERATOR.sub("", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    significant = [w for w in words if w not in _STOPWORDS] or words
    return "-".join(significant[:max_words])[:40].strip("-")


class ParagraphIds:
    """Hands out unique, readable ids (see the module docstring)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used = set(reserved)
        self.counters: dict[str, int] = {}

    def heading(self, text: str) -> str:
        base = "h-" + (slug(text, 3) or "section")
        pid, n = base, 1
        while pid in self.used:
            n += 1
            pid = f"{base}-{n}"
        self.used.add(pid)
        return pid

    def paragraph(self, section: str | None) -> str:
        prefix = (slug(section, 2) if section else "") or "p"
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            pid = f"{prefix}-{n}"
            if pid not in self.used:
                break
        self.counters[prefix] = n
        self.used.add(pid)
        return pid


def new_version_paragraphs(document: Document, view: str, *, name: str, max_text_chars: int) -> list[Paragraph]:
    """The paragraphs of ``view`` (``"accept"`` or ``"reject"``) as those of a new version.

    Headings become ``heading`` paragraphs and set the section of those that follow;
    display numbers are structure (left out: "Action 12" makes an ``action`` paragraph),
    numbers typed as text stay text; the title block of an export is left out; ids as in
    the module docstring. Raises DraftingError naming the file ``name`` for a document
    without text or with a paragraph longer than ``max_text_chars``.
    """
    groups = [g for g in document.paragraphs(view) if g.text and not g.export_only]
    if not groups:
        raise DraftingError(f"{name}: has no paragraphs with text")
    units = document.units

    # bookmarked ids first, so that generated ones never take them
    chosen: list[str | None] = []
    reserved: set[str] = set()
    for g in groups:
        pid = None
        # only the units with text in this view: a deleted paragraph joined to this one
        # (or an inserted one, in the reject view) keeps its bookmark to itself
        with_text = [i for i in g.units if units[i].text(view).strip()]
        for a in (a for i in with_text for a in units[i].anchors):
            cand = a.ids[0] if a.ids else None
            if cand and cand not in reserved and (not g.heading or a.name.startswith(("p_", "h-"))):
                pid = cand
                break
        if pid:
            reserved.add(pid)
        chosen.append(pid)

    ids = ParagraphIds(reserved)
    out: list[Paragraph] = []
    section: str | None = None
    for n, (g, pid) in enumerate(zip(groups, chosen, strict=True), 1):
        # a display number an export wrote in its style, or one typed in drafting's form
        number, text = (split_number(g.number)[0], g.text) if g.number else display_number(g.text)
        if g.heading:
            number, text = None, g.text
        if not text:
            continue
        if len(text) > max_text_chars:
            raise DraftingError(
                f"{name}: paragraph {n} has {len(text):,} characters, over the limit of {max_text_chars:,}"
            )
        if g.heading:
            section = text
            out.append(Paragraph(id=pid or ids.heading(text), text=text, section=section, kind="heading"))
        else:
            kind = guess_kind(text, number=number, ordered=g.ordered, style_kind=g.style_kind)
            out.append(Paragraph(id=pid or ids.paragraph(section), text=text, section=section, kind=kind))
    return out
