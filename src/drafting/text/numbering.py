"""Display numbers ("Action 12", "5", "5 bis"): the one place that decides them.

Paragraph ids are stable and never shown; what a reader sees as "Action 12" is computed
here from the paragraphs' order and kind and from the lineage of versions, and every view
and document takes its numbers from these functions (through ``service.versions``). The
styles and the rules across versions (bis, ter, renumbering): ``docs/design/numbering.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..model.records import Paragraph, Version

__all__ = [
    "ACTION_PLAN",
    "DECLARATION",
    "LATIN",
    "PLAIN",
    "STYLES",
    "Number",
    "NumberChange",
    "diff_labels",
    "diff_numbers",
    "display_numbers",
    "document_style",
    "is_display_number",
    "latin_suffix",
    "lineage_numbers",
    "number_paragraphs",
    "parse_display_number",
    "renumber_map",
    "reserved_numbers",
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


def _letters(k: int) -> str:
    """1 -> A ... 26 -> Z, 27 -> AA (bijective base 26)."""
    out = ""
    while k > 0:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def _from_letters(s: str) -> int:
    k = 0
    for ch in s:
        k = k * 26 + (ord(ch) - 64)
    return k


@dataclass(frozen=True, order=True)
class Number:
    """A paragraph's display number: ``value`` 12, ``path`` (1,) for "bis", ``prefix`` "Action".

    ``path`` is empty for a plain number; its first element is the Latin suffix (0: none),
    each further element one level down (capital letters). Numbers order as the paragraphs
    they number do: 12 < 12 A < 12 bis < 12 bis A < 12 ter < 13.
    """

    value: int
    path: tuple[int, ...] = ()
    prefix: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.path, int):  # Number(5, 1): "5 bis"
            object.__setattr__(self, "path", (self.path,) if self.path else ())

    @property
    def extra(self) -> int:
        """The Latin suffix's position: 1 for "bis", 2 for "ter" ... (0 for none)."""
        return self.path[0] if self.path else 0

    @property
    def key(self) -> tuple[int, tuple[int, ...]]:
        """The number without its prefix (what must be unique)."""
        return (self.value, self.path)

    @property
    def short(self) -> str:
        """The bare number: ``"12"``, ``"12 bis"``, ``"12 bis A"``."""
        parts = [str(self.value)]
        for level, k in enumerate(self.path):
            if level == 0:
                if k:
                    parts.append(latin_suffix(k))
            else:
                parts.append(_letters(k) if k else "0")
        return " ".join(parts)

    @property
    def label(self) -> str:
        """What to show: ``"Action 12"``, ``"Action 12 bis"``, ``"5"``."""
        return f"{self.prefix} {self.short}" if self.prefix else self.short

    def with_prefix(self, prefix: str) -> Number:
        return Number(self.value, self.path, prefix)

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


# -- the rules -------------------------------------------------------------------------------


def _clean(paragraphs: Sequence[Paragraph], style: str) -> dict[str, Number]:
    numbered, prefix = STYLES[style], _PREFIX.get(style, "")
    out: dict[str, Number] = {}
    for p in paragraphs:
        if p.kind in numbered:
            out[p.id] = Number(len(out) + 1, (), prefix)
    return out


def _siblings(x: Number) -> Iterator[Number]:
    head, last = x.path[:-1], x.path[-1]
    k = last
    while True:
        k += 1
        yield Number(x.value, (*head, k), x.prefix)


def _children(x: Number, zeros: int) -> Iterator[Number]:
    k = 0
    while True:
        k += 1
        yield Number(x.value, (*x.path, *([0] * zeros), k), x.prefix)


def _next_free(cur: Number, bound: Number | None, used: set[tuple[int, tuple[int, ...]]]) -> Number:
    """The first number after ``cur`` (and before ``bound``, if given) that is not ``used``:
    the next Latin suffix at ``cur``'s level, else one level down (see the module docstring)."""
    base, zeros = cur, 0
    gen = _siblings(cur) if cur.path else _children(cur, 0)
    if cur.path:
        zeros = -1
    while True:
        passed: Number | None = None
        for cand in gen:
            if bound is not None and cand.key >= bound.key:
                break
            if cand.key not in used:
                return cand
            passed = cand
        if passed is not None:  # every number at this level up to the bound is taken
            base, zeros = passed, 0
        else:
            zeros += 1
        gen = _children(base, zeros)


def _step(
    previous: Mapping[str, Number],
    paragraphs: Sequence[Paragraph],
    style: str,
    used: set[tuple[int, tuple[int, ...]]],
) -> dict[str, Number]:
    """The numbers of ``paragraphs`` given the previous version's ``previous`` numbers:
    kept paragraphs keep theirs, new ones get free numbers after the one before them.
    Adds what it gives to ``used``."""
    numbered, prefix = STYLES[style], _PREFIX.get(style, "")
    items = [p for p in paragraphs if p.kind in numbered]
    result: dict[str, Number] = {}
    anchor = Number(0, (), prefix)
    i = 0
    while i < len(items):
        p = items[i]
        kept = previous.get(p.id)
        if kept is not None:
            anchor = result[p.id] = kept.with_prefix(prefix)
            i += 1
            continue
        j = i
        while j < len(items) and items[j].id not in previous:
            j += 1
        bound = previous[items[j].id] if j < len(items) else None
        if bound is not None and not anchor.key < bound.key:  # a moved paragraph: no order to keep
            bound = None
        cur = anchor
        for q in items[i:j]:
            cur = _next_free(cur, bound, used)
            used.add(cur.key)
            result[q.id] = cur
        i = j
    return result


def _lineage(chain: Sequence[Version], document_kind: str | None):
    if not chain:
        return {}, set()
    style = _style(document_kind, chain[-1].paragraphs)
    start = 0
    for i, v in enumerate(chain):
        if i == 0 or v.renumbered:
            start = i
    numbers = _clean(chain[start].paragraphs, style)
    used = {n.key for n in numbers.values()}
    for v in chain[start + 1 :]:
        numbers = _step(numbers, v.paragraphs, style, used)
    return numbers, used


def lineage_numbers(chain: Sequence[Version], document_kind: str | None = None) -> dict[str, Number]:
    """Paragraph id -> :class:`Number` for the last version of ``chain`` (its lineage, first
    version first, as ``Workspace.chain`` gives it), by the rules of the module docstring.

    The style is the last version's (:func:`document_style`) unless ``document_kind`` names one.
    """
    return _lineage(chain, document_kind)[0]


def reserved_numbers(chain: Sequence[Version], document_kind: str | None = None) -> set[tuple[int, tuple[int, ...]]]:
    """Every number (as :attr:`Number.key`) given in the lineage since its last renumbering,
    those of deleted paragraphs included: none of them may be given to a new paragraph."""
    return _lineage(chain, document_kind)[1]


def renumber_map(chain: Sequence[Version], document_kind: str | None = None) -> dict[str, tuple[Number, Number]]:
    """For the last version of ``chain``: paragraph id -> (its number now, its number once
    renumbered 1 .. N), for the numbered paragraphs. What ``drafting renumber`` changes."""
    current = lineage_numbers(chain, document_kind)
    style = _style(document_kind, chain[-1].paragraphs) if chain else PLAIN
    clean = _clean(chain[-1].paragraphs, style) if chain else {}
    return {pid: (current[pid], clean[pid]) for pid in clean}


@dataclass(frozen=True)
class NumberChange:
    """A paragraph's number in a comparison of two versions (``None`` where it has none)."""

    old: Number | None
    new: Number | None

    @property
    def label(self) -> str:
        """The number to show: the new one, or the old one of a deleted paragraph."""
        n = self.new or self.old
        return n.label if n else ""

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.key != self.new.key


def diff_labels(
    old_chain: Sequence[Version], new_chain: Sequence[Version], document_kind: str | None = None
) -> dict[str, NumberChange]:
    """Paragraph id -> :class:`NumberChange` for a comparison of ``old_chain[-1]`` with
    ``new_chain[-1]`` (each given with its lineage).

    Kept paragraphs have both numbers (equal unless a renumbering lies between the two
    versions), inserted ones only the new, deleted ones only the old. Without a
    renumbering in between the shown labels never collide: deleted numbers are reserved.
    """
    if not new_chain:
        return {}
    style = _style(document_kind, new_chain[-1].paragraphs)
    old = lineage_numbers(old_chain, style) if old_chain else {}
    new = lineage_numbers(new_chain, style)
    new_ids = {p.id for p in new_chain[-1].paragraphs}
    out = {pid: NumberChange(old.get(pid), n) for pid, n in new.items()}
    for pid, n in old.items():
        if pid not in new_ids:
            out[pid] = NumberChange(n, None)
    return out


# -- paragraphs given directly (one version, or one step) -------------------------------------


def number_paragraphs(
    paragraphs: Sequence[Paragraph],
    document_kind: str | None = None,
    *,
    interim_from: Sequence[Paragraph] | None = None,
) -> dict[str, Number]:
    """Paragraph id -> :class:`Number` for the numbered paragraphs (others are absent).

    ``document_kind`` is a style name (``"action-plan"``, ``"declaration"`` or its alias
    ``"political-declaration"``, ``"plain"``); ``None`` picks it with
    :func:`document_style`. With ``interim_from`` (the previous version's paragraphs, taken
    as numbered 1 .. N), kept paragraphs keep their numbers and new ones are numbered
    "N bis", "N ter"...: :func:`lineage_numbers` of a two-version lineage.
    """
    chain = [Version("", "", tuple(paragraphs))]
    if interim_from is not None:
        chain.insert(0, Version("", "", tuple(interim_from)))
    return lineage_numbers(chain, _style(document_kind, paragraphs))


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
    """Labels for a diff between two versions, ``new`` based on ``old`` (numbered 1 .. N):
    :func:`diff_labels` of that two-version lineage, as labels."""
    style = _style(document_kind, [*old, *new])
    o = Version("", "", tuple(old))
    changes = diff_labels([o], [o, Version("", "", tuple(new))], style)
    return {pid: ch.label for pid, ch in changes.items() if ch.label}


# -- recognising display numbers in text -------------------------------------------------------

_LATIN_WORDS = "|".join(sorted(LATIN, key=len, reverse=True))
_PREFIXES = "|".join(sorted(set(_PREFIX.values())))
_SUFFIX = r"(?:(?i:" + _LATIN_WORDS + r")|\((?P<{pos}>\d{{1,3}})\))"
_LEVELS = r"(?:\s+(?:[A-Z]{1,3}|0))"  # capital letters: case matters ("12 A", not "12 and")
#: a label as documents show it at the start of a paragraph (formats.ast.number_label):
#: "Action 12", "Action 12 bis" (a full stop or colon may follow), "Action 12 A." (a
#: capital-letter level is followed by one), "12." and "12 bis." (the full stop is part of it)
_LABEL = re.compile(
    r"(?:(?P<prefix>(?i:" + _PREFIXES + r"))\s+(?P<pvalue>\d{1,4})"
    r"(?:\s+(?P<platin>" + _SUFFIX.format(pos="ppos") + r"))?"
    r"(?:(?P<plevels>" + _LEVELS + r"+)[.:]|\s*[.:]?)"
    r"|(?P<value>\d{1,4})(?:\s+(?P<latin>" + _SUFFIX.format(pos="pos") + r"))?(?P<levels>" + _LEVELS + r"*)\.)"
    r"(?=\s|$)"
)
#: a number as a person names one (drafting status DOC "Action 12 bis"): "12", "12 bis", "Action 3 A"
_NAMED = re.compile(
    r"(?:(?P<prefix>(?i:" + _PREFIXES + r"))\s+)?(?P<value>\d{1,4})"
    r"(?:\s+(?P<latin>" + _SUFFIX.format(pos="pos") + r"))?(?P<levels>" + _LEVELS + r"*)\s*[.:]?"
)


def _number(value: str, latin: str | None, pos: str | None, levels: str | None, prefix: str | None) -> Number | None:
    path: list[int] = []
    if pos:
        if int(pos) <= len(LATIN) + 1:  # "(21)" is the first position past "vicies"
            return None
        path.append(int(pos) - 1)
    elif latin:
        path.append(LATIN.index(latin.lower()) + 1)
    tokens = (levels or "").split()
    if tokens:
        if not path:
            path.append(0)
        path += [0 if t == "0" else _from_letters(t) for t in tokens]
        if path[-1] == 0:
            return None
    named = next((p for p in _PREFIX.values() if prefix and p.lower() == prefix.lower()), "")
    return Number(int(value), tuple(path), named)


def split_number(text: str) -> tuple[Number | None, str]:
    """The display number at the start of ``text`` as drafting labels paragraphs, and the rest.

    ``"Action 12 bis. States will..."`` gives ``(Number(12, 1, "Action"), "States will...")``;
    ``"5. We reaffirm"`` gives ``(Number(5), "We reaffirm")``; ``"Action 12 A. A State
    Party"`` gives ``(Number(12, (0, 1), "Action"), "A State Party")``; a text that does not
    open with such a label (``"(1) Record"``, ``"2026 was"``, ``"5 bis is"``) gives
    ``(None, text)``. Whether a label is structure or words a delegate typed is the
    caller's to decide: a prefixed or suffixed label (``Number.prefix``, ``Number.extra``,
    ``Number.path``) is unmistakably a display number, a bare ``"5."`` may be either.
    """
    m = _LABEL.match(text)
    if m is None:
        return None, text
    if m.group("prefix"):
        n = _number(m.group("pvalue"), m.group("platin"), m.group("ppos"), m.group("plevels"), m.group("prefix"))
    else:
        n = _number(m.group("value"), m.group("latin"), m.group("pos"), m.group("levels"), None)
    if n is None:
        return None, text
    return n, text[m.end() :].lstrip()


def parse_display_number(text: str) -> Number | None:
    """The :class:`Number` that ``text`` names as a whole (``"Action 12 bis"``, ``"5."``,
    ``"12 bis A"``, ``"3"``), or None: how a person refers to a paragraph by its number."""
    m = _NAMED.fullmatch(text.strip())
    if m is None:
        return None
    return _number(m.group("value"), m.group("latin"), m.group("pos"), m.group("levels"), m.group("prefix"))


def is_display_number(text: str) -> bool:
    """Whether ``text`` is a drafting display number, or opens with one as documents write
    them (``"Action 12 bis"``, ``"5 ter."``, ``"Action 12 A. A State Party ..."``)."""
    return parse_display_number(text) is not None or split_number(text)[0] is not None
