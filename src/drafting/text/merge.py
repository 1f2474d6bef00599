"""Compose: the next version of a document from the Presidency's decisions.

Accepted and modified proposals change the text as word-level edits anchored on the base
paragraph's tokens, applied together in base order; colliding edits become bracketed
alternatives (``[Alt 1: ...] [Alt 2: ...]``); proposals written against an older version
are rebased, and a conflict is reported, never dropped. Pure: no I/O, no git. The rules:
``docs/design/merge-and-provenance.md``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ..model.records import DECIDED_TEXT_STATUSES, Decision, Paragraph, Proposal, Version
from ..model.vocabulary import list_phrase
from .align import align, token_mapping
from .words import is_word, normalize_space, tokens

__all__ = [
    "ALT_CLOSE",
    "DELETE_PARAGRAPH",
    "DELETE_STRETCH",
    "Alternative",
    "ComposeResult",
    "ConflictReport",
    "NotApplied",
    "alternative",
    "compose",
    "fresh_id",
    "markup_spans",
    "natural_key",
    "rebase_proposal",
]

# --------------------------------------------------------------------------------------
# The bracket format
# --------------------------------------------------------------------------------------

#: closes an alternative; an alternative opens with ``[Alt N: ``
ALT_CLOSE = "]"
#: the body of an alternative that deletes the contested words
DELETE_STRETCH = "delete"
#: the body of an alternative that deletes the whole paragraph
DELETE_PARAGRAPH = "delete paragraph"

_ALT_OPEN = re.compile(r"\[Alt \d+: (?:delete paragraph(?=\])|delete(?=\]))?")


def alternative(n: int, text: str, *, paragraph: bool = False) -> str:
    """One bracketed alternative: ``[Alt 1: text]``; an empty text is a deletion."""
    body = normalize_space(text) or (DELETE_PARAGRAPH if paragraph else DELETE_STRETCH)
    return f"[Alt {n}: {body}{ALT_CLOSE}"


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the bracket markup compose writes: ``[Alt N: `` (with a
    ``delete``/``delete paragraph`` body) and the matching ``]``. Brackets inside an
    alternative (``[2030]``) are balanced, not taken for markup."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _ALT_OPEN.finditer(text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while i < len(text):
            if text[i] == "[":
                depth += 1
            elif text[i] == "]":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        if depth:
            break  # unbalanced: not ours
        spans += [m.span(), (i, i + 1)]
        pos = i + 1
    return spans


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


class Alternative(NamedTuple):
    """One reading of a contested stretch (or paragraph): its text ("" for a deletion),
    the proposals that want it and their delegations (proposers first, then co-sponsors)."""

    text: str
    proposals: list[str]
    delegations: list[str]

    def to_json(self) -> dict:
        return {"text": self.text, "proposals": list(self.proposals), "delegations": list(self.delegations)}


@dataclass(frozen=True)
class ConflictReport:
    """A conflict: ``resolution`` is ``brackets`` (alternatives in the text), ``kept-base``
    (the proposal could not be applied at all; the text is as if it did not exist) or
    ``fail`` (``on_conflict="fail"``: the caller must not write the version)."""

    paragraph: str | None
    proposals: list[str]
    resolution: str
    reason: str = ""
    alternatives: list[Alternative] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "proposals": list(self.proposals),
            "resolution": self.resolution,
            "reason": self.reason,
            "alternatives": [a.to_json() for a in self.alternatives],
        }


@dataclass(frozen=True)
class NotApplied:
    id: str
    reason: str


@dataclass(frozen=True)
class ComposeResult:
    """What :func:`compose` built and what it did with each proposal.

    Every proposal given is in exactly one of: ``applied`` (its words are in the text as
    agreed text), a ``brackets``/``fail`` conflict (its words are in the text as a bracketed
    alternative), or ``not_applied`` (its words are not in the text). A ``kept-base``
    conflict's proposals are also in ``not_applied``, with the conflict's reason.
    """

    version: Version
    applied: list[str]
    conflicts: list[ConflictReport]
    not_applied: list[NotApplied]

    @property
    def failed(self) -> bool:
        """True when a conflict was met under ``on_conflict="fail"``: do not write."""
        return any(c.resolution == "fail" for c in self.conflicts)

    def to_json(self) -> dict:
        """The contract's compose shape, plus ``not_applied_reasons`` (an extension)."""
        return {
            "document": self.version.document,
            "version": self.version.version,
            "applied": list(self.applied),
            "conflicts": [c.to_json() for c in self.conflicts],
            "not_applied": [n.id for n in self.not_applied],
            "not_applied_reasons": {n.id: n.reason for n in self.not_applied},
        }


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def natural_key(pid: str) -> tuple:
    """Sort ``MEX-2`` before ``MEX-10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", pid) if p)


def _letters(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def fresh_id(anchor: str | None, taken: set[str]) -> str:
    """A paragraph id derived from the anchor, never in ``taken`` (which it joins).

    ``clr-3`` -> ``clr-3a``, ``clr-3b``, ... ``clr-3z``, ``clr-3aa``; an anchor that does not
    end in a digit gets a hyphen: ``intro`` -> ``intro-a``, ``clr-3a`` -> ``clr-3a-a``. At the
    start of the document (no anchor): ``start-a``, ``start-b``, ...
    """
    stem = anchor or "start"
    sep = "" if stem[-1:].isdigit() else "-"
    n = 0
    while (cand := f"{stem}{sep}{_letters(n)}") in taken:
        n += 1
    taken.add(cand)
    return cand


def _clip(text: str, n: int = 60) -> str:
    text = normalize_space(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def union(*groups: Iterable[str]) -> list[str]:
    """The distinct non-empty items of ``groups``, in first-seen order."""
    out: list[str] = []
    for g in groups:
        for x in g:
            if x and x not in out:
                out.append(x)
    return out


class _Edit(NamedTuple):
    """Replace base tokens ``[start, end)`` by ``repl`` (``start == end``: insert)."""

    start: int
    end: int
    repl: tuple[str, ...]


def _apply(toks: list[str], edits: Iterable[_Edit], offset: int = 0) -> str:
    """``toks`` (which start at base index ``offset``) with sorted, non-overlapping edits."""
    out: list[str] = []
    pos = offset
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out += toks[pos - offset : e.start - offset]
        out += e.repl
        pos = max(pos, e.end)
    out += toks[pos - offset :]
    return "".join(out)


@dataclass
class _Change:
    """An accepted or modified proposal, ready to apply."""

    proposal: Proposal
    seq: int  # submission order
    op: str  # effective op: amend | delete | insert
    text: str | None  # effective text, white space normalised
    modified: bool
    edits: list[_Edit] = field(default_factory=list)  # amend: over the base paragraph's tokens
    anchor: str | None = None  # insert: anchor in the base (None: start)
    template: Paragraph | None = None  # insert: kind/section default from here

    @property
    def id(self) -> str:
        return self.proposal.id


@dataclass
class _Block:
    """Bracketed alternatives for one contested stretch: their raw texts, in order."""

    texts: list[str]


def _render(pieces: list[str | _Block]) -> str:
    """Join text pieces and bracket blocks. A block is separated from its neighbours by a
    space where its alternatives had white space at that edge, or where a word would
    otherwise touch the bracket."""
    out: list[str] = []
    pending: list[str] | None = None  # the texts of the block just written
    for piece in pieces:
        if isinstance(piece, _Block):
            last = out[-1][-1] if out else ""
            if (
                last
                and not last.isspace()
                and any(t[:1].isspace() or (is_word(t[:1]) and is_word(last)) for t in piece.texts)
            ):
                out.append(" ")
            out.append(" ".join(alternative(n, t) for n, t in enumerate(piece.texts, 1)))
            pending = piece.texts
        elif piece:
            first = piece[0]
            if (
                pending is not None
                and not first.isspace()
                and any(t[-1:].isspace() or (is_word(t[-1:]) and is_word(first)) for t in pending)
            ):
                out.append(" ")
            pending = None
            out.append(piece)
    return "".join(out)


def _clusters(edits: Iterable[_Edit]) -> list[list[_Edit]]:
    """Group edits that collide: two replacements/deletions sharing a base token, an
    insertion strictly inside a replaced stretch, or two (different) insertions at one
    point. Sorted by position, so the result does not depend on submission order."""
    clusters: list[list[_Edit]] = []
    cs = ce = 0
    points: set[int] = set()
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.repl)):
        if e.end > e.start:
            collides = e.start < ce
        else:
            collides = cs < e.start < ce or e.start in points
        if clusters and collides:
            clusters[-1].append(e)
            ce = max(ce, e.end)
        else:
            clusters.append([e])
            cs, ce, points = e.start, e.end, set()
        if e.start == e.end:
            points.add(e.start)
    return clusters


@dataclass
class _Merged:
    text: str
    contested: list[tuple[int, int, list[tuple[str, list[_Change]]]]]  # (start, end, alternatives)
    positions: dict[str, int]  # change id -> first base position it touches
    losers: set[str]  # ids of changes shown as alternatives only


def _merge_edits(toks: list[str], changes: list[_Change]) -> _Merged:
    """Apply the edits of all ``changes`` to one paragraph's tokens, bracketing collisions.

    Identical edits (same stretch, same words) are one edit credited to every change
    proposing it. A cluster of colliding edits becomes one alternative per distinct
    reading of the stretch (each change's own edits applied to it), in submission order.
    """
    by_edit: dict[_Edit, list[_Change]] = {}
    for c in changes:
        for e in c.edits:
            by_edit.setdefault(e, []).append(c)
    pieces: list[str | _Block] = []
    contested: list[tuple[int, int, list[tuple[str, list[_Change]]]]] = []
    positions: dict[str, int] = {}
    losers: set[str] = set()
    pos = 0
    for cl in _clusters(by_edit):
        cs, ce = cl[0].start, max(e.end for e in cl)
        involved = sorted({c.seq: c for e in cl for c in by_edit[e]}.values(), key=lambda c: c.seq)
        for c in involved:
            positions.setdefault(c.id, cs)
        pieces.append("".join(toks[pos:cs]))
        pos = ce
        readings: dict[str, list[_Change]] = {}
        for c in involved:
            mine = [e for e in cl if any(x is c for x in by_edit[e])]
            readings.setdefault(_apply(toks[cs:ce], mine, cs), []).append(c)
        if len(readings) == 1:  # one edit, or several that agree
            pieces.append(next(iter(readings)))
            continue
        pieces.append(_Block(list(readings)))
        contested.append((cs, ce, list(readings.items())))
        losers.update(c.id for c in involved)
    pieces.append("".join(toks[pos:]))
    return _Merged(_render(pieces), contested, positions, losers)


# --------------------------------------------------------------------------------------
# Compose
# --------------------------------------------------------------------------------------


def compose(
    base: Version,
    proposals: Sequence[Proposal],
    decisions: Mapping[str, Decision],
    *,
    new_version: str,
    round: str | None = None,
    on_conflict: str = "brackets",
    history: Mapping[str, Version] = {},
    used_ids: Collection[str] = (),
    label: str | None = None,
    date: str | None = None,
    presidency: str = "",
) -> ComposeResult:
    """Build version ``new_version`` from ``base`` and the decided ``proposals``.

    ``proposals`` are in submission order (it orders inserts after one anchor and
    bracketed alternatives); ``decisions`` maps proposal ids to decisions (absent:
    undecided). ``history`` holds other versions of the document by name, to rebase
    proposals whose ``base`` is not ``base.version``; ``used_ids`` every paragraph id ever
    used in the document. ``on_conflict`` is ``"brackets"`` or ``"fail"``: with ``"fail"``
    the text is computed the same way but every conflict's resolution is ``"fail"``
    (:attr:`ComposeResult.failed`). ``presidency`` is the Presidency's code, listed among
    the delegations of alternatives it worded (modified decisions).
    """
    if on_conflict not in ("brackets", "fail"):
        raise ValueError(f"on_conflict must be 'brackets' or 'fail', not {on_conflict!r}")
    composer = _Composer(base, history, on_conflict == "fail", presidency)
    for seq, p in enumerate(proposals):
        composer.admit(seq, p, decisions.get(p.id))
    paragraphs = composer.build(used_ids)
    version = Version(
        document=base.document,
        version=new_version,
        paragraphs=tuple(paragraphs),
        label=label,
        date=date,
        based_on=base.version,
        round=round,
    )
    return ComposeResult(
        version=version,
        applied=[i for i, _ in sorted(composer.applied.items(), key=lambda kv: kv[1])],
        conflicts=composer.conflicts,
        not_applied=composer.not_applied,
    )


class _Composer:
    def __init__(self, base: Version, history: Mapping[str, Version], fail: bool, presidency: str):
        self.base = base
        self.by_id = base.by_id()
        self.history = history
        self.fail = fail
        self.presidency = presidency
        self.amends: dict[str, list[_Change]] = {}
        self.deletes: dict[str, list[_Change]] = {}
        self.inserts: dict[str | None, list[_Change]] = {}
        self.applied: dict[str, int] = {}
        self.conflicts: list[ConflictReport] = []
        self.not_applied: list[NotApplied] = []
        self._tokens: dict[str, list[str]] = {}
        self._maps: dict[tuple[str, str], list[int | None]] = {}
        self._old: dict[str, dict[str, Paragraph]] = {}

    def paragraphs_of(self, old: Version) -> dict[str, Paragraph]:
        """``old.by_id()``, computed once per version."""
        got = self._old.get(old.version)
        if got is None:
            got = self._old[old.version] = old.by_id()
        return got

    # -- admission: classify, resolve, rebase ---------------------------------------

    def tokens(self, pid: str) -> list[str]:
        t = self._tokens.get(pid)
        if t is None:
            t = self._tokens[pid] = tokens(self.by_id[pid].text)
        return t

    def delegations(self, c: _Change) -> list[str]:
        return union(c.proposal.delegations, [self.presidency] if c.modified else [])

    def admit(self, seq: int, p: Proposal, d: Decision | None) -> None:
        if p.op == "comment":
            return self.skip(p, "comment")
        if d is None:
            return self.skip(p, "withdrawn" if p.withdrawn else "undecided")
        if d.status not in DECIDED_TEXT_STATUSES:
            return self.skip(p, d.status)
        modified = d.status == "modified" and d.text is not None
        text = d.text if modified else p.text
        op = "amend" if p.op == "delete" and modified else p.op
        c = _Change(p, seq, op, normalize_space(text) if text is not None else None, modified)
        if op not in ("amend", "delete", "insert"):
            return self.refuse(c, p.target, f"unknown operation {p.op!r}")
        old = None
        src = p.base or self.base.version
        if src != self.base.version:
            old = self.history.get(src)
            if old is None:
                return self.refuse(
                    c, p.target, f"written against {src}, which is not available to rebase it on {self.base.version}"
                )
        if op == "insert":
            return self.admit_insert(c, old)
        pid = p.paragraph
        if pid is None:
            return self.refuse(c, None, f"{op} names no paragraph")
        if pid not in self.by_id:
            if old is not None and pid in self.paragraphs_of(old):
                return self.refuse(c, pid, f"paragraph {pid} no longer exists in {self.base.version}")
            return self.refuse(c, pid, f"paragraph {pid} is not in {self.base.version}")
        if op == "delete":
            self.deletes.setdefault(pid, []).append(c)
        else:
            self.admit_amend(c, pid, old)

    def admit_amend(self, c: _Change, pid: str, old: Version | None) -> None:
        if c.text is None:
            return self.refuse(c, pid, "the amendment has no text")
        new = tokens(c.text)
        cur = self.tokens(pid)
        if old is None:
            c.edits = _edits(cur, new)
        else:
            q = self.paragraphs_of(old).get(pid)
            if q is None:
                return self.refuse(
                    c, pid, f"paragraph {pid} is not in {old.version}, the version it was written against"
                )
            old_toks = tokens(q.text)
            if old_toks == cur:
                c.edits = _edits(cur, new)
            else:
                rebased = self.rebase(_edits(old_toks, new), old_toks, cur, old.version, pid)
                if isinstance(rebased, str):
                    return self.refuse(c, pid, rebased)
                c.edits = rebased
        self.amends.setdefault(pid, []).append(c)

    def rebase(self, edits: list[_Edit], old: list[str], cur: list[str], oldv: str, pid: str) -> list[_Edit] | str:
        """Carry edits computed on ``old`` over to ``cur``; a reason string if one cannot be."""
        key = (oldv, pid)
        m = self._maps.get(key)
        if m is None:
            m = self._maps[key] = token_mapping(old, cur)
        return _carry(edits, old, cur, m, f"since {oldv}")

    def admit_insert(self, c: _Change, old: Version | None) -> None:
        anchor = c.proposal.after
        if c.text is None:
            return self.refuse(c, anchor, "the insert has no text")
        if anchor is None:
            c.anchor, c.template = None, (self.base.paragraphs[0] if self.base.paragraphs else None)
        elif anchor in self.by_id:
            c.anchor, c.template = anchor, self.by_id[anchor]
        elif old is not None and anchor in (old_ids := self.paragraphs_of(old)):
            # the anchor was deleted since the proposal's base: after the nearest
            # paragraph before it that still exists
            c.template, c.anchor = old_ids[anchor], None
            for q in reversed(old.paragraphs[: old.index(anchor)]):
                if q.id in self.by_id:
                    c.anchor = q.id
                    break
        else:
            return self.refuse(c, anchor, f"anchor paragraph {anchor} is unknown")
        self.inserts.setdefault(c.anchor, []).append(c)

    def skip(self, p: Proposal, reason: str) -> None:
        self.not_applied.append(NotApplied(p.id, reason))

    def refuse(self, c: _Change, paragraph: str | None, reason: str) -> None:
        """A conflict that cannot be shown in the text: the proposal is left out, loudly."""
        alts = [Alternative(c.text, [c.id], self.delegations(c))] if c.text is not None else []
        self.conflicts.append(ConflictReport(paragraph, [c.id], "fail" if self.fail else "kept-base", reason, alts))
        self.not_applied.append(NotApplied(c.id, f"conflict: {reason}"))

    # -- building ------------------------------------------------------------------------

    def build(self, used_ids: Collection[str]) -> list[Paragraph]:
        taken = set(used_ids) | set(self.by_id)
        for v in self.history.values():
            taken.update(p.id for p in v.paragraphs)
        out: list[Paragraph] = []
        self.emit_inserts(None, out, taken)
        for para in self.base.paragraphs:
            amends, deletes = self.amends.get(para.id, []), self.deletes.get(para.id, [])
            if amends and deletes:
                out.append(self.delete_vs_amend(para, deletes, amends))
            elif deletes:
                self.credit(deletes)
            elif amends:
                out.append(self.amend(para, amends))
            else:
                out.append(replace(para, sources=()))
            self.emit_inserts(para.id, out, taken)
        return out

    def credit(self, changes: Iterable[_Change]) -> None:
        for c in changes:
            self.applied[c.id] = c.seq

    def resolution(self) -> str:
        return "fail" if self.fail else "brackets"

    def alternatives(self, alts: list[tuple[str, list[_Change]]]) -> list[Alternative]:
        return [
            Alternative(normalize_space(t), [c.id for c in cs], union(*(self.delegations(c) for c in cs)))
            for t, cs in alts
        ]

    def amend(self, para: Paragraph, amends: list[_Change]) -> Paragraph:
        toks = self.tokens(para.id)
        m = _merge_edits(toks, amends)
        for cs, ce, alts in m.contested:
            ids = [c.id for _, group in alts for c in group]
            stretch = _clip("".join(toks[cs:ce]))
            where = f'the same words ("{stretch}")' if stretch else "words at the same place"
            self.conflicts.append(
                ConflictReport(
                    para.id, ids, self.resolution(), f"{list_phrase(ids)} change {where}", self.alternatives(alts)
                )
            )
        self.credit(c for c in amends if c.id not in m.losers)
        sources = sorted(m.positions, key=lambda i: (m.positions[i], natural_key(i)))
        return replace(para, text=m.text, sources=tuple(sources))

    def delete_vs_amend(self, para: Paragraph, deletes: list[_Change], amends: list[_Change]) -> Paragraph:
        toks = self.tokens(para.id)
        merged = _merge_edits(toks, amends)
        alts: list[tuple[str, list[_Change]]] = []
        if not merged.contested:
            alts.append((merged.text, list(amends)))
        else:
            by_text: dict[str, list[_Change]] = {}
            for c in amends:
                by_text.setdefault(_apply(toks, c.edits), []).append(c)
            alts += by_text.items()
        alts.append(("", list(deletes)))
        alts.sort(key=lambda a: min(c.seq for c in a[1]))
        text = " ".join(alternative(n, t, paragraph=True) for n, (t, _) in enumerate(alts, 1))
        ids = [c.id for _, group in alts for c in group]
        dels = [c.id for c in deletes]
        amds = [c.id for c in amends]
        self.conflicts.append(
            ConflictReport(
                para.id,
                ids,
                self.resolution(),
                f"{list_phrase(dels)} {'deletes' if len(dels) == 1 else 'delete'} the paragraph that "
                f"{list_phrase(amds)} {'amends' if len(amds) == 1 else 'amend'}",
                self.alternatives(alts),
            )
        )
        pos = {c.id: merged.positions.get(c.id, 0) for c in amends} | {c.id: 0 for c in deletes}
        sources = sorted(pos, key=lambda i: (pos[i], natural_key(i)))
        return replace(para, text=text, sources=tuple(sources))

    def emit_inserts(self, anchor: str | None, out: list[Paragraph], taken: set[str]) -> None:
        """Each accepted insert after ``anchor`` is a paragraph of its own, in submission
        order: two proposals with the same words are two paragraphs (rows of a table,
        "Blank", "Blank"), never one."""
        for c in self.inserts.get(anchor, []):
            tmpl, p = c.template, c.proposal
            out.append(
                Paragraph(
                    id=fresh_id(anchor, taken),
                    text=c.text or "",
                    section=p.section if p.section is not None else (tmpl.section if tmpl else None),
                    kind=p.kind or (tmpl.kind if tmpl else "text"),
                    tags=tuple(p.tags),
                    sources=(c.id,),
                )
            )
            self.credit([c])


def _carry(edits: list[_Edit], old: list[str], cur: list[str], m: list[int | None], since: str) -> list[_Edit] | str:
    """Edits computed on the tokens ``old`` carried over to ``cur`` through the token
    mapping ``m`` (old index -> cur index, or None); a reason string if one cannot be."""
    n = len(old)
    out: list[_Edit] = []
    for e in edits:
        if e.end > e.start:
            ks = m[e.start : e.end]
            first, last = ks[0], ks[-1]
            if first is None or last is None or any(k is None for k in ks) or last - first != e.end - e.start - 1:
                return f'the words it changes ("{_clip("".join(old[e.start : e.end]))}") were changed {since}'
            out.append(_Edit(first, last + 1, e.repl))
            continue
        p = e.start
        left = 0 if p == 0 else (None if m[p - 1] is None else m[p - 1] + 1)  # type: ignore[operator]
        right = len(cur) if p == n else m[p]
        if p == 0:
            at = right if right is not None else left
        elif p == n:
            at = left if left is not None else right
        elif left is not None and right is not None:
            at = left if left == right else None
        else:
            at = left if left is not None else right
        if at is None:
            ctx = _clip("".join(old[max(0, p - 3) : p + 3]))
            return f'the words around its insertion ("{ctx}") were changed {since}'
        out.append(_Edit(at, at, e.repl))
    return out


def rebase_proposal(p: Proposal, old: Version, new: Version) -> Proposal | str:
    """``p``, written against ``old``, as it reads against ``new`` (the same rebasing
    compose does): an amendment's word edits carried over to the paragraph's new text, an
    insert anchored on the nearest paragraph before its anchor that is still there. A
    reason string when it cannot be carried over (the words it changes were changed, its
    paragraph is gone); ``p`` itself when nothing needs carrying."""
    if old.version == new.version:
        return p
    now, before = new.by_id(), old.by_id()
    label = new.label or new.version
    if p.op == "insert":
        if p.after is None or p.after in now:
            return replace(p, base=new.version)
        if p.after not in before:
            return f"the paragraph it follows ({p.after}) is in neither {old.version} nor {new.version}"
        for earlier in reversed(old.paragraphs[: old.index(p.after)]):
            if earlier.id in now:
                return replace(p, after=earlier.id, base=new.version)
        return replace(p, after=None, base=new.version)
    if p.paragraph is None or p.paragraph not in now:
        return f"paragraph {p.paragraph} is no longer in {label}"
    if p.op != "amend" or p.text is None:
        return replace(p, base=new.version)
    q = before.get(p.paragraph)
    if q is None:
        return f"paragraph {p.paragraph} is not in {old.label or old.version}, the version it was written against"
    old_toks, cur = tokens(q.text), tokens(now[p.paragraph].text)
    if old_toks == cur:
        return replace(p, base=new.version)
    carried = _carry(_edits(old_toks, tokens(p.text)), old_toks, cur, token_mapping(old_toks, cur), f"in {label}")
    if isinstance(carried, str):
        return carried
    return replace(p, text=normalize_space(_apply(cur, carried)), base=new.version)


def _edits(a: list[str], b: list[str]) -> list[_Edit]:
    return [_Edit(h.a0, h.a1, tuple(b[h.b0 : h.b1])) for h in align(a, b, absorb=True)]
