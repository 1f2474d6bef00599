"""Provenance: who put each word of a version there, and who removed the words that went.

Computed from the version records (texts and per-paragraph ``sources``) and the decisions,
never from git. The rules are in ``docs/design/merge-and-provenance.md``; in short, the
chain of versions is walked from the first to the target, and at each step:

- tokens that survive (token alignment of the old and new paragraph text) keep their origin;
- inserted tokens belong to the source proposal (from the new paragraph's ``sources``)
  whose own insertions, relative to the text it was written against, align with them;
  where the Presidency modified the proposal, words kept from the proposal belong to the
  proposer and words the Presidency wrote to the Presidency (still under that proposal);
- bracket markup written by compose and inserted words no source accounts for belong to
  the Presidency in that version;
- deleted tokens are credited to the sources that deleted them (for
  :func:`attribute_changes`), a deleted paragraph to the accepted ``delete`` proposals.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.records import Decision, Proposal, Version
from .align import Hunk, align, map_a_to_b, map_b_to_a
from .merge import markup_spans, union
from .words import Codec, normalize_space, tokens

__all__ = ["Origin", "Span", "attribute_changes", "blame", "blame_json"]


@dataclass(frozen=True)
class Origin:
    """Where words come from: the version in which they first appeared, the proposal that
    brought them and the delegation (None for text of the first version; the Presidency's
    code for words the Presidency wrote, with the proposal it was deciding, if any)."""

    version: str
    proposal: str | None = None
    delegation: str | None = None

    def to_json(self) -> dict:
        return {"version": self.version, "proposal": self.proposal, "delegation": self.delegation}


@dataclass(frozen=True)
class Span:
    text: str
    origin: Origin


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def blame(
    chain: Sequence[Version],
    proposals: Mapping[str, Proposal],
    decisions: Mapping[str, Decision],
    *,
    presidency: str,
) -> dict[str, list[Span]]:
    """For each paragraph of ``chain[-1]`` (in order), spans joining exactly to its text.

    ``chain`` is the lineage from the first version to the target, each based on the one
    before. Adjacent words of the same origin form one span.
    """
    if not chain:
        raise ValueError("blame needs at least one version")
    state = _Walker(chain, proposals, decisions, presidency).run(len(chain) - 1)
    return {p.id: state[p.id].spans() for p in chain[-1].paragraphs}


def blame_json(document: str, version: str, spans: dict[str, list[Span]]) -> dict:
    """The contract's blame shape."""
    return {
        "document": document,
        "version": version,
        "paragraphs": [
            {"id": pid, "spans": [{"text": s.text, "origin": s.origin.to_json()} for s in ss]}
            for pid, ss in spans.items()
        ],
    }


def attribute_changes(
    chain: Sequence[Version],
    old: str,
    new: str,
    paragraph_ops: Mapping[str, list[list[str]]],
    proposals: Mapping[str, Proposal],
    decisions: Mapping[str, Decision],
    *,
    presidency: str,
) -> dict[str, list[list[str] | None]]:
    """Label each op of a diff between versions ``old`` and ``new`` of ``chain``.

    ``paragraph_ops`` maps paragraph ids to ops ``[[op, text], ...]`` whose equal+delete
    texts join to the paragraph's text in ``old`` and equal+insert texts to its text in
    ``new``. For each op: the delegations responsible (proposer first, then co-sponsors;
    the Presidency's code for words it wrote or removed on its own), or None for equal ops
    and where nobody is known. ``old`` must not come after ``new`` in the chain.

    Insert ops are credited from the blame of ``new`` (words that first appeared after
    ``old``); delete ops from the removals recorded while walking from ``old`` to ``new``.
    """
    names = [v.version for v in chain]
    try:
        i_old, i_new = names.index(old), names.index(new)
    except ValueError as e:
        raise ValueError(f"{e.args[0].split()[0]} is not a version of the chain") from None
    if i_old > i_new:
        raise ValueError(f"{old} comes after {new} in the chain: diff them the other way round")
    walker = _Walker(chain[: i_new + 1], proposals, decisions, presidency)
    state = walker.run(i_new, track_from=i_old)
    rank = {n: k for k, n in enumerate(names)}
    old_texts = {p.id: p.text for p in chain[i_old].paragraphs}

    out: dict[str, list[list[str] | None]] = {}
    for pid, ops in paragraph_ops.items():
        para = state.get(pid)
        new_index = _TokenIndex(para.toks) if para else None
        old_toks = tokens(old_texts.get(pid, ""))
        old_index = _TokenIndex(old_toks)
        labels: list[list[str] | None] = []
        po = pn = 0
        for op, text in ops:
            n = len(text)
            who: list[str] = []
            if op == "insert" and para is not None:
                ks = new_index.overlapping(pn, pn + n)  # type: ignore[union-attr]
                ks = [k for k in ks if rank.get(para.origin[k].version, -1) > i_old]
                words = [k for k in ks if not para.toks[k].isspace()] or ks
                who = union(*(para.who[k] for k in words))
            elif op == "delete":
                ks = old_index.overlapping(po, po + n)
                words = [k for k in ks if not old_toks[k].isspace()] or ks
                who = union(*(walker.removed.get((pid, k), ()) for k in words))
            labels.append(who or None)
            if op != "insert":
                po += n
            if op != "delete":
                pn += n
        out[pid] = labels
    return out


# --------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------


class _TokenIndex:
    """Token indices by character offset."""

    def __init__(self, toks: list[str]):
        self.starts: list[int] = []
        pos = 0
        for t in toks:
            self.starts.append(pos)
            pos += len(t)

    def overlapping(self, a: int, b: int) -> list[int]:
        if a >= b:
            return []
        first = max(0, bisect.bisect_right(self.starts, a) - 1)
        last = bisect.bisect_left(self.starts, b)
        return list(range(first, last))


@dataclass
class _Para:
    """One paragraph during the walk: its tokens, each token's origin and the delegations
    credited with it, and (when tracking removals) its identity in the reference version."""

    text: str
    toks: list[str]
    origin: list[Origin]
    who: list[tuple[str, ...]]
    ident: list[tuple[str, int] | None]

    def spans(self) -> list[Span]:
        out: list[Span] = []
        start = 0
        origin = self.origin
        for k in range(1, len(self.toks) + 1):
            if k == len(self.toks) or (origin[k] is not origin[start] and origin[k] != origin[start]):
                out.append(Span("".join(self.toks[start:k]), self.origin[start]))
                start = k
        return out


@dataclass
class _Source:
    """What one source proposal contributed to a paragraph at one step."""

    eff: list[str]  # its effective text's tokens
    ins: dict[int, tuple[Origin, tuple[str, ...]]]  # eff index -> origin, delegations
    dels: dict[int, tuple[str, ...]]  # old-text index -> delegations
    hunks: list[Hunk]  # its base -> its effective text
    to_old: list[Hunk] | None  # its base -> the old text (None: same)

    def copy_of(self, i: int) -> int | None:
        """The old-text index of the base word that eff token ``i`` restates, if any."""
        k = map_b_to_a(self.hunks, i)
        if k is None or self.to_old is None:
            return k
        return map_a_to_b(self.to_old, k)


class _Walker:
    def __init__(
        self,
        chain: Sequence[Version],
        proposals: Mapping[str, Proposal],
        decisions: Mapping[str, Decision],
        presidency: str,
    ):
        self.chain = list(chain)
        self.proposals = proposals
        self.decisions = decisions
        self.presidency = presidency or None
        self.texts = {v.version: {p.id: p.text for p in v.paragraphs} for v in chain}
        #: (paragraph id, token index in the reference version) -> who removed it
        self.removed: dict[tuple[str, int], tuple[str, ...]] = {}
        self._deleters: dict[str, list[Proposal]] = {}
        for p in proposals.values():
            if p.op == "delete" and p.paragraph:
                self._deleters.setdefault(p.paragraph, []).append(p)

    def run(self, upto: int, track_from: int | None = None) -> dict[str, _Para]:
        first = self.chain[0]
        o = Origin(first.version)
        state = {}
        for p in first.paragraphs:
            toks = tokens(p.text)
            state[p.id] = _Para(p.text, toks, [o] * len(toks), [()] * len(toks), [None] * len(toks))
        if track_from == 0:
            state = _tag(state)
        for i in range(1, upto + 1):
            tracking = track_from is not None and i > track_from
            state = self.step(self.chain[i - 1], self.chain[i], state, tracking)
            if track_from == i:
                state = _tag(state)
        return state

    def step(self, old_v: Version, new_v: Version, state: dict[str, _Para], tracking: bool) -> dict[str, _Para]:
        out: dict[str, _Para] = {}
        for para in new_v.paragraphs:
            prev = state.get(para.id)
            if prev is not None and prev.text == para.text:
                out[para.id] = prev
            else:
                out[para.id] = self.transform(old_v, new_v, para.id, para.text, para.sources, prev, tracking)
        if tracking:
            for pid, prev in state.items():
                if pid not in out:
                    who = self.paragraph_deleters(pid, new_v)
                    for ident in prev.ident:
                        if ident is not None:
                            self.removed[ident] = who
        return out

    def presidency_origin(self, version: str, proposal: str | None = None) -> tuple[Origin, tuple[str, ...]]:
        return Origin(version, proposal, self.presidency), ((self.presidency,) if self.presidency else ())

    def paragraph_deleters(self, pid: str, new_v: Version) -> tuple[str, ...]:
        who: list[str] = []
        for p in self._deleters.get(pid, []):
            d = self.decisions.get(p.id)
            if d is None or d.status not in ("accepted", "modified") or (d.status == "modified" and d.text):
                continue
            if new_v.round and p.round and p.round != new_v.round:
                continue
            who = union(who, p.delegations)
        return tuple(who) or self.presidency_origin(new_v.version)[1]

    def transform(
        self,
        old_v: Version,
        new_v: Version,
        pid: str,
        text: str,
        sources: Sequence[str],
        prev: _Para | None,
        tracking: bool,
    ) -> _Para:
        old_toks = prev.toks if prev is not None else []
        new_toks = tokens(text)
        codec = Codec()
        hunks = align(old_toks, new_toks, codec=codec)
        n = len(new_toks)
        # surviving tokens keep everything
        origin: list[Origin | None] = [None] * n
        who: list[tuple[str, ...]] = [()] * n
        ident: list[tuple[str, int] | None] = [None] * n
        i = j = 0
        for h in [*hunks, Hunk(len(old_toks), len(old_toks), n, n)]:
            if prev is not None and h.a0 > i:
                origin[j : h.b0] = prev.origin[i : h.a0]
                who[j : h.b0] = prev.who[i : h.a0]
                ident[j : h.b0] = prev.ident[i : h.a0]
            i, j = h.a1, h.b1
        fresh = [j for h in hunks for j in range(h.b0, h.b1)]
        removes = tracking and prev is not None and any(h.a1 > h.a0 for h in hunks)
        if not fresh and not removes:
            return _Para(text, new_toks, origin, who, ident)  # type: ignore[arg-type]
        old_text = prev.text if prev is not None else ""
        srcs = [s for sid in sources if (s := self.source(sid, pid, old_v, new_v, old_toks, old_text, codec))]
        pres = self.presidency_origin(new_v.version)

        if fresh:
            # claims on the inserted tokens: by the sources' own insertions, else as copies
            # of old words a source restates (an alternative repeating the words around
            # its change); bracket markup is the Presidency's
            markup = _markup_mask(text, new_toks)
            bracketed = any(markup)
            claims: dict[int, tuple[Origin, tuple[str, ...]]] = {}
            copies: dict[int, tuple[Origin, tuple[str, ...]]] = {}
            for s in srcs:
                hs = (
                    align(s.eff, new_toks, codec=codec)
                    if bracketed
                    else _align_source(s, new_toks, hunks, len(old_toks), codec)
                )
                for j in fresh:
                    if markup[j] or (at := map_b_to_a(hs, j)) is None:
                        continue
                    c = s.ins.get(at)
                    if c is not None:
                        got = claims.get(j)
                        claims[j] = c if got is None else (got[0], tuple(union(got[1], c[1])))
                    elif prev is not None and j not in copies and (k := s.copy_of(at)) is not None:
                        copies[j] = prev.origin[k], prev.who[k]
            for j in fresh:
                c = pres if markup[j] else (claims.get(j) or copies.get(j))
                if c is not None:
                    origin[j], who[j] = c
            # inserted white space nobody claimed goes with the claimed words next to it
            for j in fresh:
                if origin[j] is not None:
                    continue
                if new_toks[j].isspace():
                    for k in (j + 1, j - 1):
                        c = claims.get(k) or copies.get(k)
                        if c is not None:
                            origin[j], who[j] = c
                            break
                if origin[j] is None:
                    origin[j], who[j] = pres

        if removes:
            for h in hunks:
                for k in range(h.a0, h.a1):
                    if prev.ident[k] is not None:  # type: ignore[union-attr]
                        dels = union(*(s.dels.get(k, ()) for s in srcs))
                        self.removed[prev.ident[k]] = tuple(dels) or pres[1]  # type: ignore[union-attr,index]
        return _Para(text, new_toks, origin, who, ident)  # type: ignore[arg-type]

    def source(
        self, sid: str, pid: str, old_v: Version, new_v: Version, old_toks: list[str], old_text: str, codec: Codec
    ) -> _Source | None:
        p = self.proposals.get(sid)
        if p is None:
            return None
        d = self.decisions.get(sid)
        modified = d is not None and d.status == "modified" and d.text is not None
        eff_text = d.text if modified else (None if p.op == "delete" else p.text)  # type: ignore[union-attr]
        eff = tokens(normalize_space(eff_text)) if eff_text is not None else []
        if p.op == "insert":
            base: list[str] = []
        else:
            btext = self.texts.get(p.base or old_v.version, {}).get(p.paragraph or pid)
            base = old_toks if btext is None or btext == old_text else tokens(btext)

        proposer = Origin(new_v.version, p.id, p.delegation or None), tuple(x for x in p.delegations if x)
        written = self.presidency_origin(new_v.version, p.id)
        hunks = align(base, eff, codec=codec) if eff_text is not None else [Hunk(0, len(base), 0, 0)]
        if modified:  # words the Presidency kept from the proposal are the proposer's
            ptoks = tokens(normalize_space(p.text or "")) if p.op != "delete" else []
            kept_from_p = align(ptoks, eff, codec=codec)
            p_edits = align(base, ptoks, codec=codec)
        ins: dict[int, tuple[Origin, tuple[str, ...]]] = {}
        dels: dict[int, tuple[str, ...]] = {}
        for h in hunks:
            for j in range(h.b0, h.b1):
                ins[j] = proposer if not modified or map_b_to_a(kept_from_p, j) is not None else written
            for i in range(h.a0, h.a1):
                dels[i] = proposer[1] if not modified or map_a_to_b(p_edits, i) is None else written[1]
        to_old = None
        if base is not old_toks:  # written against another version: carry its indices over
            to_old = align(base, old_toks, codec=codec)
            dels = {k: w for i, w in dels.items() if (k := map_a_to_b(to_old, i)) is not None}
        return _Source(eff, ins, dels, hunks, to_old)


def _align_source(s: _Source, new_toks: list[str], old_new: list[Hunk], n_old: int, codec: Codec) -> list[Hunk]:
    """Align a source's effective text with the new text.

    Fast path: a source written against the old text changed one stretch ``old[A0:A1]``
    of it; when the old tokens on both sides of that stretch survive into the new text,
    only the stretch and what replaced it in the new text need aligning (other sources'
    edits elsewhere are irrelevant). Not for bracketed text, where alternatives restate
    old words and the old text's alignment may point into another alternative."""
    if s.eff == new_toks:
        return []
    if s.to_old is None and s.hunks:
        a0, a1 = s.hunks[0].a0, s.hunks[-1].a1
        e0, e1 = s.hunks[0].b0, s.hunks[-1].b1
        left = -1 if a0 == 0 else map_a_to_b(old_new, a0 - 1)
        right = len(new_toks) if a1 == n_old else map_a_to_b(old_new, a1)
        if left is not None and right is not None and left < right:
            n0 = left + 1
            inner = align(s.eff[e0:e1], new_toks[n0:right], codec=codec)
            hunks = [Hunk(h.a0 + e0, h.a1 + e0, h.b0 + n0, h.b1 + n0) for h in inner]
            # outside the stretch eff is the old text, so there eff->new is old->new; no
            # old->new hunk straddles the surviving anchors, and those at the stretch's
            # edges (insertions at a0 or a1) lie inside the window
            before = [h for h in old_new if h.a1 < a0]
            after = [Hunk(h.a0 + e1 - a1, h.a1 + e1 - a1, h.b0, h.b1) for h in old_new if h.a0 > a1]
            fast = [*before, *hunks, *after]
            # all its own words found in the window? else the alignments disagree: full
            if all(map_a_to_b(fast, i) is not None for i in s.ins):
                return fast
    return align(s.eff, new_toks, codec=codec)


def _tag(state: dict[str, _Para]) -> dict[str, _Para]:
    """Start tracking removals: give every token its identity in this version."""
    return {
        pid: _Para(p.text, p.toks, p.origin, p.who, [(pid, k) for k in range(len(p.toks))]) for pid, p in state.items()
    }


def _markup_mask(text: str, toks: list[str]) -> list[bool]:
    spans = markup_spans(text)
    mask = [False] * len(toks)
    if not spans:
        return mask
    index = _TokenIndex(toks)
    for a, b in spans:
        for k in index.overlapping(a, b):
            mask[k] = True
    return mask
