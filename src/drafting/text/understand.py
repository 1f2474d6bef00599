"""What a delegation's copy of a base version proposes: a read document to typed proposals.

Pure: a :class:`~.document.Document` (its two views) and the base :class:`Version` in, an
:class:`Understood` out (proposals in document order, comments last; notes; how the
paragraphs were matched). The method is described in ``docs/design/reader-pipeline.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..model.errors import DraftingError
from ..model.records import Paragraph, Proposal, Version
from .align import SIMILARITY, exact_pairs, longest_increasing, pair_by_similarity, similarity
from .document import ACCEPT, REJECT, Document, Unit, ViewParagraph, display_number, guess_kind, unit_meta
from .numbering import STYLES, Number, split_number
from .words import normalize_space

__all__ = ["Matched", "Proposed", "Understood", "understand"]

#: the kinds some numbering style numbers: a bare "5." before one of them is its number
_NUMBERED_KINDS = frozenset(k for kinds in STYLES.values() for k in kinds)


@dataclass(frozen=True)
class Proposed:
    """One proposal read from a document, before it is submitted (no id, no delegation).

    ``op`` is ``amend`` (``paragraph``, ``text``), ``insert`` (``after``, ``None`` at the
    start; ``text``, ``kind``, ``section``), ``delete`` (``paragraph``) or ``comment``
    (``paragraph``, ``text``). ``word_authors`` / ``word_dates``: the names and dates Word
    recorded for the revisions it comes from (the proposal belongs to the submitting
    delegation whatever they say).
    """

    op: str
    paragraph: str | None = None
    after: str | None = None
    text: str | None = None
    kind: str | None = None
    section: str | None = None
    word_authors: tuple[str, ...] = ()
    word_dates: tuple[str, ...] = ()

    @property
    def target(self) -> str | None:
        """The paragraph it is about (the anchor for an insert)."""
        return self.after if self.op == "insert" else self.paragraph

    @property
    def meta(self) -> dict[str, list[str]]:
        return {"word_authors": list(self.word_authors), "word_dates": list(self.word_dates)}

    def to_data(self) -> dict[str, Any]:
        """The proposal as a contribution file holds it (``CONTRACT.md``), with ``meta``."""
        d: dict[str, Any] = {"op": self.op}
        if self.op == "insert":
            d.update(after=self.after, text=self.text, kind=self.kind, section=self.section)
        else:
            d["paragraph"] = self.paragraph
            if self.op != "delete":
                d["text"] = self.text
        d["meta"] = self.meta
        return d

    def as_proposal(self, **context: Any) -> Proposal:
        """A :class:`~drafting.model.records.Proposal`; ``context`` gives its id,
        delegation, document, round, base ..."""
        return Proposal(
            op=self.op,
            paragraph=self.paragraph if self.op != "insert" else None,
            after=self.after if self.op == "insert" else None,
            text=self.text,
            kind=self.kind,
            section=self.section,
            meta=tuple(sorted(self.meta.items())),
            **{"id": "", **context},
        )


@dataclass(frozen=True)
class Matched:
    """How the document's paragraphs (of its reject view) were matched to the base."""

    by_bookmark: int
    by_text: int
    by_similarity: int
    unmatched: int
    document_paragraphs: int
    base_paragraphs: int

    @property
    def matched(self) -> int:
        return self.by_bookmark + self.by_text + self.by_similarity

    def to_json(self) -> dict[str, int]:
        return {
            "by_bookmark": self.by_bookmark,
            "by_text": self.by_text,
            "by_similarity": self.by_similarity,
            "unmatched": self.unmatched,
            "document_paragraphs": self.document_paragraphs,
            "base_paragraphs": self.base_paragraphs,
        }


@dataclass(frozen=True)
class Understood:
    """What was understood from a document: ``proposals`` in document order (comments
    last), ``notes`` (what was understood or ignored, in words), ``matched``."""

    proposals: tuple[Proposed, ...]
    notes: tuple[str, ...]
    matched: Matched


# ---------------------------------------------------------------------------------------
# Matching the reject view to the base


def _key(text: str) -> str:
    """A text as compared with the base's to match paragraphs: a display number, typed or
    not, left out."""
    return normalize_space(split_number(normalize_space(text))[1])


@dataclass
class _Match:
    pid: list[str | None]  # per reject-view paragraph: the base id, or None
    how: list[str | None]  # "bookmark" | "text" | "similar"
    evidence: int  # paragraphs that clearly are the base's
    foreign_bookmarks: list[str]  # bookmarks of an export naming no base paragraph
    demoted: int  # bookmark matches out of base order (moved)


def _match_to_base(rgroups: list[ViewParagraph], units: list[Unit], base: Version) -> _Match:
    """Reject-view paragraphs to base paragraphs: by bookmark first, keeping only the
    bookmark matches in base order; then, between those, identical texts in order, then
    the rest paired in order by similarity."""
    bps = base.paragraphs
    bindex = {p.id: i for i, p in enumerate(bps)}
    bkeys = [_key(p.text) for p in bps]
    rkeys = [_key(g.text) for g in rgroups]
    pid: list[str | None] = [None] * len(rgroups)
    how: list[str | None] = [None] * len(rgroups)

    # 1. bookmarks (only on units that have text in the reject view)
    found: list[tuple[int, int]] = []
    taken: set[str] = set()
    foreign: list[str] = []
    for r, g in enumerate(rgroups):
        hit = None
        for i in g.units:
            if not units[i].text(REJECT).strip():
                continue
            for a in units[i].anchors:
                cands = [c for c in a.ids if c in bindex and c not in taken]
                if cands:
                    hit = cands[0]
                    break
                if a.ours and not any(c in bindex for c in a.ids):
                    foreign.append(a.name)
            if hit:
                break
        if hit:
            taken.add(hit)
            found.append((r, bindex[hit]))
    kept = longest_increasing(found)
    evidence = 0
    for r, b in kept:
        pid[r], how[r] = bps[b].id, "bookmark"
        if rkeys[r] == bkeys[b] or similarity(rkeys[r], bkeys[b]) > SIMILARITY:
            evidence += 1

    # 2. texts, in the gaps between bookmark matches
    bounds = [(-1, -1), *kept, (len(rgroups), len(bps))]
    for (r0, b0), (r1, b1) in pairwise(bounds):
        rs, bs = list(range(r0 + 1, r1)), list(range(b0 + 1, b1))
        if not rs or not bs:
            continue
        exact = [(rs[i], bs[j]) for i, j in exact_pairs([rkeys[r] for r in rs], [bkeys[b] for b in bs])]
        for r, b in exact:
            pid[r], how[r] = bps[b].id, "text"
            evidence += 1
        sub = [(r0, b0), *exact, (r1, b1)]
        for (sr0, sb0), (sr1, sb1) in pairwise(sub):
            drs, dbs = list(range(sr0 + 1, sr1)), list(range(sb0 + 1, sb1))
            for i, j, _ in pair_by_similarity([rkeys[r] for r in drs], [bkeys[b] for b in dbs]):
                pid[drs[i]], how[drs[i]] = bps[dbs[j]].id, "similar"
                evidence += 1
    return _Match(pid, how, evidence, foreign, len(found) - len(kept))


def _continuations(
    rgroups: list[ViewParagraph],
    agroups: list[ViewParagraph],
    units: list[Unit],
    rpid: list[str | None],
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
            if a is None or not units[i].text(REJECT).strip() or not units[i].text(ACCEPT).strip():
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
        ids = (c for i in g.units if units[i].text(ACCEPT).strip() for x in units[i].anchors for c in x.ids)
        for pid in (c for c in ids if c in bindex):
            if pid not in taken and lo < bindex[pid] < hi:
                out[a] = pid
                taken.add(pid)
                break
    return out


# ---------------------------------------------------------------------------------------
# Display numbers in the accept view


def _continued_text(text: str, bp: Paragraph) -> tuple[str, bool]:
    """The text of an accept-view paragraph that continues base paragraph ``bp``, and
    whether a display number was left out: one that opens it while the base's text opens
    with none is the number a word processor kept as text (an export whose number style
    was lost), if it is unmistakably one or ``bp`` is of a numbered kind."""
    number, rest = split_number(text)
    if number is None or split_number(bp.text)[0] is not None:
        return text, False
    if number.prefix or number.extra or bp.kind in _NUMBERED_KINDS:
        return rest, True
    return text, False


def _new_text(text: str, numbers_as_text: bool) -> tuple[str, Number | None]:
    """The text of a new paragraph and its display number: an unmistakable one always; a
    bare "5." only in a document whose display numbers came as text."""
    number, rest = display_number(text)
    if number is None and numbers_as_text:
        number, rest = split_number(text)
    return (rest, number) if number is not None else (text, None)


# ---------------------------------------------------------------------------------------
# Proposals


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _by(authors: tuple[str, ...]) -> str:
    return f" (tracked, by {', '.join(authors)})" if authors else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def understand(document: Document, base: Version, *, name: str) -> Understood:
    """The proposals ``document`` (a copy of ``base``, edited with tracked changes or
    clean) makes against ``base``; ``name`` is the file's name, for messages.

    Raises DraftingError (one line naming the file) for a document with no text, one whose
    bookmarks are those of another document, and one none of whose paragraphs matches.
    """
    units = document.units
    bps = base.paragraphs
    bindex = {p.id: i for i, p in enumerate(bps)}
    by_id = base.by_id()
    label = f"{base.document} {base.version}"
    all_r, all_a = document.paragraphs(REJECT), document.paragraphs(ACCEPT)
    # a paragraph showing a display number alone is no paragraph of the text
    rgroups = [g for g in all_r if g.text and not g.export_only]
    agroups = [g for g in all_a if g.text and not g.export_only]
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

    cont = _continuations(rgroups, agroups, units, m.pid, bindex)
    has_bookmarks = any(c in bindex for u in units for a in u.anchors for c in a.ids)

    # the accept view's texts; a continued paragraph left with a display number alone is gone
    texts: list[str] = []
    numbers_as_text = False
    for a, g in enumerate(agroups):
        pid = cont[a]
        if pid is None:
            texts.append(g.text)
            continue
        text, stripped = _continued_text(g.text, by_id[pid])
        numbers_as_text = numbers_as_text or stripped
        if not text:
            cont[a] = None
        texts.append(text)

    first_cont = next((a for a, p in enumerate(cont) if p), len(agroups))
    heading_texts = {normalize_space(p.text) for p in bps if p.kind == "heading"}
    section_names = {normalize_space(p.section) for p in bps if p.section} - heading_texts

    counts = {"bookmark": 0, "text": 0, "similar": 0}
    for h in m.how:
        if h:
            counts[h] += 1
    matched = Matched(
        by_bookmark=counts["bookmark"],
        by_text=counts["text"],
        by_similarity=counts["similar"],
        unmatched=sum(1 for p in m.pid if p is None),
        document_paragraphs=len(rgroups),
        base_paragraphs=len(bps),
    )
    proposals: list[Proposed] = []
    notes: list[str] = [
        f"Read {_plural(len(rgroups), 'paragraph')} of the original text; "
        f"{len(rgroups) - matched.unmatched} matched {label} "
        f"({matched.by_bookmark} by bookmark, {matched.by_text} by identical text, "
        f"{matched.by_similarity} by similar text)."
    ]
    if m.demoted:
        notes.append(f"{_plural(m.demoted, 'bookmarked paragraph')} out of the base's order: read as moved.")

    # units of the reject-view paragraph matched to each base id (for metadata)
    r_units: dict[str, tuple[int, ...]] = {}
    for r, g in enumerate(rgroups):
        p = m.pid[r]
        if p:
            r_units[p] = g.units
    continued = {p for p in cont if p}
    to_delete = [p.id for p in bps if p.id not in continued]  # in base order
    next_delete = 0

    def flush_deletes(upto: int) -> None:
        """Emit the deletes of base paragraphs before base index ``upto``."""
        nonlocal next_delete
        while next_delete < len(to_delete) and bindex[to_delete[next_delete]] < upto:
            pid = to_delete[next_delete]
            next_delete += 1
            idx = list(r_units.get(pid, ()))
            # merged into the paragraph before: that paragraph's deleted mark joined them
            if idx and idx[0] > 0 and units[idx[0] - 1].mark_deleted:
                idx.insert(0, idx[0] - 1)
            authors, dates = unit_meta(units, idx)
            proposals.append(Proposed("delete", paragraph=pid, word_authors=authors, word_dates=dates))
            notes.append(
                f"{pid}: deleted{_by(authors)}." if pid in r_units else f"{pid}: no longer in the document: deleted."
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
            text = texts[a]
            if text != normalize_space(bp.text):
                authors, dates = unit_meta(units, sorted(set(g.units) | set(r_units.get(pid, ()))))
                proposals.append(Proposed("amend", paragraph=pid, text=text, word_authors=authors, word_dates=dates))
                notes.append(f"{pid}: amended{_by(authors) or ' (edited without track changes)'}: “{_short(text)}”.")
            elif any(units[i].revised and units[i].text(ACCEPT).strip() for i in g.units):
                notes.append(f"{pid}: its tracked changes give the base's text: nothing proposed.")
            anchor, kind_before = pid, bp.kind
            section = (bp.section or bp.text) if bp.kind == "heading" else bp.section
            continue
        if not texts[a]:  # a base paragraph's display number, its text gone: deleted above
            continue

        revised = any(units[i].revised for i in g.units)
        if has_bookmarks and a < first_cont and not revised and not any(units[i].anchors for i in g.units):
            front_matter += 1  # an unstyled title block before the first paragraph
            continue
        heading = bool(g.heading)
        text, number = (texts[a], None) if heading else _new_text(texts[a], numbers_as_text)
        if not text:
            continue
        if heading and not revised and text in section_names:
            synthesised += 1  # a heading made from `section`
            section = text
            continue
        if heading:
            kind = "heading"
            section = text
        elif (number is not None and number.prefix) or g.style_kind:
            kind = guess_kind(text, number=number, ordered=g.ordered, style_kind=g.style_kind)
        else:
            neighbour = kind_before
            if neighbour in (None, "heading"):
                neighbour = next((by_id[p].kind for p in cont[a + 1 :] if p), None)
            if neighbour in _NUMBERED_KINDS:
                kind = neighbour
            else:
                kind = guess_kind(text, number=number, ordered=g.ordered)
        # a paragraph split off by an inserted mark: that mark ends the unit before it
        idx = list(g.units)
        if idx[0] > 0 and units[idx[0] - 1].mark_inserted:
            idx.insert(0, idx[0] - 1)
        authors, dates = unit_meta(units, idx)
        proposals.append(
            Proposed(
                "insert",
                after=anchor,
                text=text,
                kind=kind,
                section=section,
                word_authors=authors,
                word_dates=dates,
            )
        )
        where = f"after {anchor}" if anchor else "at the start"
        notes.append(
            f"New {kind} paragraph {where}{_by(authors) or ' (added without track changes)'}: “{_short(text)}”."
        )
        kind_before = kind
    flush_deletes(len(bps))
    front_matter += sum(1 for g in all_a if g.export_only)
    if front_matter:
        notes.append(
            f"Ignored {_plural(front_matter, 'unchanged paragraph')} before the first paragraph of {label} (title block)."
        )
    if synthesised:
        notes.append(f"Ignored {_plural(synthesised, 'unchanged section heading')} that the export adds.")

    _comments(document, rgroups, agroups, m.pid, cont, bps, proposals, notes)
    if document.footnotes:
        notes.append(f"Ignored {_plural(document.footnotes, 'footnote')}: footnotes are not paragraphs of the text.")
    if not proposals:
        notes.append("No change and no comment found: nothing proposed.")
    return Understood(tuple(proposals), tuple(notes), matched)


def _comments(
    document: Document,
    rgroups: list[ViewParagraph],
    agroups: list[ViewParagraph],
    rpid: list[str | None],
    cont: list[str | None],
    bps: tuple[Paragraph, ...],
    proposals: list[Proposed],
    notes: list[str],
) -> None:
    """One comment proposal per comment, on the base paragraph where it starts (for a
    comment in a new paragraph: the nearest base paragraph before it)."""
    a_of = {i: a for a, g in enumerate(agroups) for i in g.units}
    r_of = {i: r for r, g in enumerate(rgroups) for i in g.units}
    last_pid: str | None = None
    empty = 0
    for i, u in enumerate(document.units):
        a = a_of.get(i)
        here = cont[a] if a is not None else None
        if here is None and i in r_of:
            here = rpid[r_of[i]]
        for c in u.comments:
            if not c.body:
                empty += 1
                continue
            target = here or last_pid or next((p for p in cont if p), None) or (bps[0].id if bps else None)
            if target is None:
                notes.append(f"A comment could not be attached to any paragraph: “{_short(c.body)}”.")
                continue
            proposals.append(
                Proposed(
                    "comment",
                    paragraph=target,
                    text=c.body,
                    word_authors=(c.author,) if c.author else (),
                    word_dates=(c.date,) if c.date else (),
                )
            )
            if not here:  # (a comment where it was made is listed with the proposals: no note)
                notes.append(
                    f"{target}: comment{' by ' + c.author if c.author else ''} (made on a new paragraph; attached "
                    f"to the nearest paragraph of the base): “{_short(c.body)}”."
                )
        if here:
            last_pid = here
    if empty:
        notes.append(f"Ignored {_plural(empty, 'empty comment')}.")
