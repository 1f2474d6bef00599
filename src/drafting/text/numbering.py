"""Display numbers ("Action 12", "5", "5 bis"), computed from order and kind.

Paragraph ids are stable and never shown as numbers; what a reader sees as "Action 12" or
"paragraph 5" is computed here, at render time, from the paragraphs' order and kind.

Styles (see :func:`document_style`):

- ``action-plan``: ``action`` paragraphs are numbered ``Action 1`` .. ``Action N`` across the
  whole document, whatever their section; headings and other paragraphs are unnumbered.
- ``declaration``: ``preambular`` and ``operative`` paragraphs are numbered 1 .. N
  continuously, as in UN declarations ("1.", "2." ...); headings and ``text`` are not.
- ``plain``: nothing is numbered.

A number is a :class:`Number`: ``label`` is what to show (``"Action 12"``, ``"5"``,
``"5 bis"``), ``short`` the bare number (``"12"``, ``"5 bis"``); callers add their own
punctuation ("5." or "paragraph 5"). Unnumbered paragraphs are absent from the results.

Interim numbering (``interim_from=`` the previous version), as negotiators use it between
two renumberings: a paragraph kept from the previous version keeps its number there, even
if it moved; new paragraphs take the number of the kept paragraph before them with a Latin
suffix: after 5 come ``5 bis``, ``5 ter``, ``5 quater`` ...; new paragraphs before the first
kept one are ``0 bis``, ``0 ter`` ...; the numbers of deleted paragraphs simply disappear.
The previous version's numbers are its clean ones (each version counts as renumbered once
it is the base of the next), so interim numbering does not chain across several versions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.records import Paragraph, Version

__all__ = [
    "ACTION_PLAN",
    "DECLARATION",
    "PLAIN",
    "STYLES",
    "Number",
    "diff_numbers",
    "display_numbers",
    "document_style",
    "latin_suffix",
    "number_paragraphs",
    "split_number",
]

ACTION_PLAN = "action-plan"
DECLARATION = "declaration"
PLAIN = "plain"
#: style -> the paragraph kinds it numbers
STYLES: dict[str, tuple[str, ...]] = {
    ACTION_PLAN: ("action",),
    DECLARATION: ("preambular", "operative"),
    PLAIN: (),
}
_ALIASES = {"political-declaration": DECLARATION}
_PREFIX = {ACTION_PLAN: "Action"}

#: The suffixes of the 2nd, 3rd ... paragraph that shares a number (legal usage).
LATIN = (
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quindecies",
    "sexdecies",
    "septdecies",
    "octodecies",
    "novodecies",
    "vicies",
)


def latin_suffix(extra: int) -> str:
    """``1`` -> ``"bis"``, ``2`` -> ``"ter"`` ... ``19`` -> ``"vicies"``; beyond: ``"(21)"``.

    ``extra`` counts the paragraphs inserted after the same number; the label of the
    ``extra``-th one is "N <suffix>". Past the twentieth, the position is given in brackets.
    """
    if extra < 1:
        raise ValueError("extra must be at least 1")
    return LATIN[extra - 1] if extra <= len(LATIN) else f"({extra + 1})"


@dataclass(frozen=True, order=True)
class Number:
    """A paragraph's display number: ``value`` 12, ``extra`` 1 (bis), ``prefix`` "Action"."""

    value: int
    extra: int = 0
    prefix: str = ""

    @property
    def short(self) -> str:
        """The bare number: ``"12"``, ``"12 bis"``."""
        return f"{self.value} {latin_suffix(self.extra)}" if self.extra else str(self.value)

    @property
    def label(self) -> str:
        """What to show: ``"Action 12"``, ``"Action 12 bis"``, ``"5"``."""
        return f"{self.prefix} {self.short}" if self.prefix else self.short

    def __str__(self) -> str:
        return self.label


def document_style(source: Version | Sequence[Paragraph]) -> str:
    """The numbering style suited to a version (or paragraphs), from the kinds present.

    Any ``action`` paragraph makes it an action plan; else any ``preambular`` or
    ``operative`` paragraph a declaration; else ``plain``.
    """
    paragraphs = source.paragraphs if isinstance(source, Version) else source
    kinds = {p.kind for p in paragraphs}
    if "action" in kinds:
        return ACTION_PLAN
    if kinds & {"preambular", "operative"}:
        return DECLARATION
    return PLAIN


def _style(document_kind: str | None, paragraphs: Sequence[Paragraph]) -> str:
    if document_kind is None:
        return document_style(paragraphs)
    style = _ALIASES.get(document_kind, document_kind)
    if style not in STYLES:
        known = ", ".join([*STYLES, *_ALIASES])
        raise ValueError(f"unknown numbering style {document_kind!r} (known: {known})")
    return style


def number_paragraphs(
    paragraphs: Sequence[Paragraph],
    document_kind: str | None = None,
    *,
    interim_from: Sequence[Paragraph] | None = None,
) -> dict[str, Number]:
    """Paragraph id -> :class:`Number` for the numbered paragraphs (others are absent).

    ``document_kind`` is a style name (``"action-plan"``, ``"declaration"`` or its alias
    ``"political-declaration"``, ``"plain"``); ``None`` picks it with
    :func:`document_style`. With ``interim_from`` (the previous version's paragraphs), kept
    paragraphs keep their previous numbers and new ones are numbered "N bis", "N ter"...
    (see the module docstring).
    """
    style = _style(document_kind, paragraphs)
    numbered = STYLES[style]
    prefix = _PREFIX.get(style, "")
    result: dict[str, Number] = {}
    if interim_from is None:
        n = 0
        for p in paragraphs:
            if p.kind in numbered:
                n += 1
                result[p.id] = Number(n, 0, prefix)
        return result

    previous = number_paragraphs(interim_from, style)
    last, extra = 0, 0
    for p in paragraphs:
        if p.kind not in numbered:
            continue
        kept = previous.get(p.id)
        if kept is not None:
            last, extra = kept.value, 0
            result[p.id] = Number(last, 0, prefix)
        else:
            extra += 1
            result[p.id] = Number(last, extra, prefix)
    return result


def display_numbers(
    paragraphs: Sequence[Paragraph],
    document_kind: str | None = None,
    *,
    interim_from: Sequence[Paragraph] | None = None,
) -> dict[str, str]:
    """Paragraph id -> display label (``"Action 12"``, ``"5"``, ``"5 bis"``).

    Same arguments as :func:`number_paragraphs`; unnumbered paragraphs are absent, so
    callers use ``numbers.get(pid, "")``.

    >>> from drafting.model.records import Paragraph
    >>> ps = [Paragraph("h", "Survey", kind="heading"), Paragraph("a", "...", kind="action")]
    >>> display_numbers(ps)
    {'a': 'Action 1'}
    """
    numbers = number_paragraphs(paragraphs, document_kind, interim_from=interim_from)
    return {pid: n.label for pid, n in numbers.items()}


def diff_numbers(
    old: Sequence[Paragraph], new: Sequence[Paragraph], document_kind: str | None = None
) -> dict[str, str]:
    """Labels for a diff between two versions: interim numbers, plus the deleted ones.

    Kept and inserted paragraphs get their interim numbers in ``new`` relative to ``old``;
    deleted paragraphs keep their number in ``old``. Interim numbering guarantees the two
    never collide, so the result can be passed as ``numbers=`` to the diff renderers.
    """
    style = _style(document_kind, [*old, *new])
    labels = {pid: n.label for pid, n in number_paragraphs(old, style).items()}
    new_ids = {p.id for p in new}
    labels = {pid: label for pid, label in labels.items() if pid not in new_ids}
    labels.update(display_numbers(new, style, interim_from=old))
    return labels


_LATIN_WORDS = "|".join(sorted(LATIN, key=len, reverse=True))
_PREFIXES = "|".join(sorted(set(_PREFIX.values())))
#: a label as :func:`display_numbers` gives it and documents show it: "Action 12 bis"
#: (a full stop or colon may follow), "12." and "12 bis." (the full stop is part of it)
_LABEL = re.compile(
    rf"(?:(?P<prefix>{_PREFIXES})\s+(?P<pvalue>\d{{1,4}})(?:\s+(?P<platin>{_LATIN_WORDS}))?\s*[.:]?"
    rf"|(?P<value>\d{{1,4}})(?:\s+(?P<latin>{_LATIN_WORDS}))?\.)"
    r"(?=\s|$)",
    re.IGNORECASE,
)


def split_number(text: str) -> tuple[Number | None, str]:
    """The display number at the start of ``text`` as drafting labels paragraphs, and the rest.

    ``"Action 12 bis. States will..."`` gives ``(Number(12, 1, "Action"), "States will...")``;
    ``"5. We reaffirm"`` gives ``(Number(5), "We reaffirm")``; a text that does not open with
    such a label (``"(1) Record"``, ``"2026 was"``, ``"5 bis is"``) gives ``(None, text)``.
    Whether a label is structure or words a delegate typed is the caller's to decide: a
    prefixed or Latin-suffixed label (``Number.prefix``, ``Number.extra``) is unmistakably
    a display number, a bare ``"5."`` may be either.
    """
    m = _LABEL.match(text)
    if m is None:
        return None, text
    if m.group("prefix"):
        prefix = next(p for p in _PREFIX.values() if p.lower() == m.group("prefix").lower())
        value, latin = m.group("pvalue"), m.group("platin")
    else:
        prefix, value, latin = "", m.group("value"), m.group("latin")
    extra = LATIN.index(latin.lower()) + 1 if latin else 0
    return Number(int(value), extra, prefix), text[m.end() :].lstrip()
