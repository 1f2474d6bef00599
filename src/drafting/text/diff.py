"""Readable word-level diffs of paragraphs and of whole versions.

:func:`diff_words` turns the token diff of two texts into the changes a careful human
editor would mark (whole edits, natural boundaries, absorbed islands, rewrites shown as
one change), always rebuilding both texts exactly; :func:`diff_versions` applies it per
paragraph and returns the ``diff`` JSON shape of ``CONTRACT.md``. The steps:
``docs/design/readable-diffs.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.records import Paragraph, Version
from .align import longest_increasing
from .tokendiff import DELETE, EQUAL, INSERT, diff_token_counts
from .words import count_words, is_word, tokens, wordy

__all__ = [
    "CHANGES",
    "CLUSTER_GAP_WORDS",
    "ISLAND_WORD_CHARS",
    "REWRITE_KEEP",
    "diff_versions",
    "diff_words",
]

#: A change is shown as one deletion and one insertion when less than this share of the
#: words is kept (measured against the shorter of the two texts, so that a long added or
#: removed passage does not by itself count as a rewrite).
REWRITE_KEEP = 0.45
#: Edits separated by at most this many kept words form one stretch for the rewrite rule.
CLUSTER_GAP_WORDS = 3
#: A single kept word up to this length between two edits is an "island" (``of``, ``the``).
ISLAND_WORD_CHARS = 4
#: How far (in tokens) an edit may slide to find a natural boundary.
_SLIDE_WINDOW = 64

#: The values of a paragraph's ``change`` in :func:`diff_versions`, in display order.
CHANGES = ("unchanged", "modified", "moved", "inserted", "deleted")


# --------------------------------------------------------------------------- diff_words


@dataclass(slots=True)
class _Same:
    """An unchanged run of tokens."""

    toks: list[str]


@dataclass(slots=True)
class _Edit:
    """A change: ``old`` tokens replaced by ``new`` tokens (either may be empty)."""

    old: list[str]
    new: list[str]


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """A readable word-level diff: ``[("equal"|"delete"|"insert", text), ...]``.

    Adjacent operations of the same kind are merged, no text is empty, and within a change
    the deletion comes before the insertion. Joining the ``equal`` and ``delete`` texts
    gives ``old`` exactly; joining ``equal`` and ``insert`` gives ``new`` exactly. See the
    module docstring for the readability rules.

    >>> diff_words("survey of areas", "survey and clearance of areas")
    [('equal', 'survey'), ('insert', ' and clearance'), ('equal', ' of areas')]
    """
    if old == new:
        return [("equal", old)] if old else []
    if not old:
        return [("insert", new)]
    if not new:
        return [("delete", old)]

    toks_a, toks_b = tokens(old), tokens(new)
    quick = _quick_rewrite(toks_a, toks_b)
    if quick is not None:
        return quick
    segments = _factor_affixes(_blocks(_token_diff(old, new, toks_a, toks_b)))
    segments = _slide_to_boundaries(segments)
    segments = _absorb_islands(segments)
    segments = _collapse_rewrites(segments)
    return _emit(segments)


def _quick_rewrite(toks_a: list[str], toks_b: list[str]) -> list[tuple[str, str]] | None:
    """The diff of a rewritten paragraph, found without diffing; None if not a rewrite.

    Two texts that share too few words (counted as multisets: an upper bound of what any
    diff could keep) would come out of the rewrite rule as their common beginning, one
    deletion, one insertion and their common end anyway. Checking first saves the token
    diff, whose cost grows with the square of the length for unrelated texts (a
    translation, say).
    """
    n = min(len(toks_a), len(toks_b))
    p = _common_prefix(toks_a, toks_b, n)
    q = _common_suffix(toks_a, toks_b, n - p)
    mid_a, mid_b = toks_a[p : len(toks_a) - q], toks_b[p : len(toks_b) - q]
    in_a, in_b = count_words(mid_a), count_words(mid_b)
    if min(in_a, in_b) < 2:
        return None  # an insertion or deletion, or a replaced word: the diff is cheap
    common = _word_count(toks_a[:p]) + _word_count(toks_a[len(toks_a) - q :])
    if common >= REWRITE_KEEP * (common + min(in_a, in_b)):
        return None  # the common beginning and end alone keep enough (no need to count)
    set_a = set(filter(wordy, mid_a))
    if common + len(set_a.intersection(filter(wordy, mid_b))) >= REWRITE_KEEP * (common + min(in_a, in_b)):
        return None  # the distinct words shared already keep enough (counting repeats adds more)
    words_a = Counter(filter(wordy, mid_a))
    words_b = Counter(filter(wordy, mid_b))
    shared = common + sum((words_a & words_b).values())
    smaller = common + min(sum(words_a.values()), sum(words_b.values()))
    if shared >= REWRITE_KEEP * smaller:
        return None
    ops = [
        ("equal", "".join(toks_a[:p])),
        ("delete", "".join(mid_a)),
        ("insert", "".join(mid_b)),
        ("equal", "".join(toks_a[len(toks_a) - q :])),
    ]
    return [(op, text) for op, text in ops if text]


def _common_prefix(a: list[str], b: list[str], limit: int) -> int:
    """How many first items ``a`` and ``b`` share (at most ``limit``): a binary search of
    slice comparisons, which run in C."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: list[str], b: list[str], limit: int) -> int:
    """How many last items ``a`` and ``b`` share (at most ``limit``), as above."""
    lo, hi = 0, limit
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _split(toks: list[str]) -> tuple[str, list[str], list[str], list[int]]:
    """Tokens as leading white space, the other tokens (the keys), the white space after
    each key, and where each key stands in ``toks`` (and one more entry, ``len(toks)``):
    ``toks[pos[i]:pos[i + n]]`` is keys i .. i+n-1 with their white space."""
    keys: list[str] = []
    after: list[str] = []
    pos: list[int] = []
    for i, t in enumerate(toks):
        if not t.isspace():
            keys.append(t)
            after.append("")
            pos.append(i)
        elif keys:  # the tokenizer yields whole runs, so at most one after a token
            after[-1] = t
    pos.append(len(toks))
    lead = toks[0] if toks and toks[0].isspace() else ""
    return lead, keys, after, pos


def _token_diff(old: str, new: str, toks_a: list[str], toks_b: list[str]) -> list[tuple[int, list[str]]]:
    """The token diff of two texts (and their tokens), matching words and punctuation but
    not white space.

    White space takes part in the alignment only through the tokens it follows: matching
    every stray space between two unrelated sentences would pull the alignment towards
    nonsense (``the Dubrovnik Action Plan`` matched against ``the Lausanne Action Plan``
    for the sake of a few spaces). Where two matched tokens are followed by different
    white space, that white space is deleted and inserted.
    """
    lead_a, keys_a, after_a, pos_a = _split(toks_a)
    lead_b, keys_b, after_b, pos_b = _split(toks_b)
    raw: list[tuple[int, list[str]]] = []
    if lead_a == lead_b:
        if lead_a:
            raw.append((EQUAL, [lead_a]))
    else:
        if lead_a:
            raw.append((DELETE, [lead_a]))
        if lead_b:
            raw.append((INSERT, [lead_b]))
    i = j = 0
    for op, n in diff_token_counts(keys_a, keys_b):
        if op == DELETE:
            raw.append((DELETE, toks_a[pos_a[i] : pos_a[i + n]]))
            i += n
        elif op == INSERT:
            raw.append((INSERT, toks_b[pos_b[j] : pos_b[j + n]]))
            j += n
        elif after_a[i : i + n] == after_b[j : j + n]:
            raw.append((EQUAL, toks_a[pos_a[i] : pos_a[i + n]]))
            i, j = i + n, j + n
        else:
            for _ in range(n):
                raw.append((EQUAL, [keys_a[i]]))
                wa, wb = after_a[i], after_b[j]
                if wa == wb:
                    if wa:
                        raw.append((EQUAL, [wa]))
                else:
                    if wa:
                        raw.append((DELETE, [wa]))
                    if wb:
                        raw.append((INSERT, [wb]))
                i, j = i + 1, j + 1
    return raw


def _blocks(raw: Iterable[tuple[int, list[str]]]) -> list[_Same | _Edit]:
    """Turn _token_diff's output into alternating unchanged runs and edits."""
    out: list[_Same | _Edit] = []
    for op, toks in raw:
        if op == EQUAL:
            out.append(_Same(list(toks)))
            continue
        if not out or isinstance(out[-1], _Same):
            out.append(_Edit([], []))
        edit = out[-1]
        assert isinstance(edit, _Edit)
        (edit.old if op == DELETE else edit.new).extend(toks)
    return out


def _factor_affixes(segments: list[_Same | _Edit]) -> list[_Same | _Edit]:
    """Move tokens common to the start (end) of both sides of an edit out of it."""
    out: list[_Same | _Edit] = []
    for seg in segments:
        if isinstance(seg, _Edit) and seg.old and seg.new:
            p = 0
            while p < min(len(seg.old), len(seg.new)) and seg.old[p] == seg.new[p]:
                p += 1
            if p:
                out.append(_Same(seg.old[:p]))
                seg.old, seg.new = seg.old[p:], seg.new[p:]
            q = 0
            while q < min(len(seg.old), len(seg.new)) and seg.old[-1 - q] == seg.new[-1 - q]:
                q += 1
            if q:
                suffix = seg.old[len(seg.old) - q :]
                seg.old, seg.new = seg.old[: len(seg.old) - q], seg.new[: len(seg.new) - q]
                out.append(seg)
                out.append(_Same(suffix))
                continue
        out.append(seg)
    return _tidy(out)


# Token classes for the boundary score.
_WORD, _SPACE, _OPEN, _CLOSE, _OTHER = "w", "s", "o", "c", "p"
_OPENING = set("([{«“‘¿¡")
_CLOSING = set(".,;:!?)]}»”’…")


def _cls(tok: str) -> str:
    if is_word(tok):
        return _WORD
    if tok.isspace():
        return _SPACE
    if tok in _OPENING:
        return _OPEN
    if tok in _CLOSING:
        return _CLOSE
    return _OTHER


def _cut_score(left: str | None, right: str | None) -> int:
    """How natural it is for a change to begin or end between ``left`` and ``right``.

    ``None`` is the edge of the paragraph. Highest: just before a space that follows a word
    or a closing mark (``survey| and``, ``munitions,| including``): a change then carries
    its leading space and leaves punctuation with the word it follows.
    """
    if left is None or right is None:
        return 6
    lc, rc = _cls(left), _cls(right)
    if rc == _SPACE:
        return 5 if lc in (_WORD, _CLOSE) else 2
    if lc == _SPACE:
        return 3 if rc in (_WORD, _OPEN) else 1
    if lc == _WORD and rc == _CLOSE:
        return 2
    if lc in (_CLOSE, _OPEN) or rc in (_CLOSE, _OPEN):
        return 1
    return 0


def _slide_to_boundaries(segments: list[_Same | _Edit]) -> list[_Same | _Edit]:
    """Move one-sided edits (pure insertions or deletions) to their most natural place.

    An insertion ``X`` between unchanged runs ``L`` and ``R`` can slide one token left when
    ``L`` ends with the token ``X`` ends with (``a[ very] very`` == ``a very[ very]``), and
    right likewise; every position says the same thing, and we pick the one whose two edges
    score best under :func:`_cut_score` (the leftmost on a tie).
    """
    # after _tidy, runs and edits alternate; pad so that every edit has a run either side
    segments = [_Same([]), *segments, _Same([])]
    for i, seg in enumerate(segments):
        if not isinstance(seg, _Edit) or (seg.old and seg.new):
            continue
        left, right = segments[i - 1], segments[i + 1]
        assert isinstance(left, _Same) and isinstance(right, _Same)
        moving = seg.old or seg.new
        n = len(moving)
        lw = left.toks[-_SLIDE_WINDOW:] if left.toks else []
        rw = right.toks[:_SLIDE_WINDOW]
        seq = lw + moving + rw
        cut_left = len(left.toks) > len(lw)  # the window does not reach the edges
        cut_right = len(right.toks) > len(rw)
        start = len(lw)
        while start > 0 and seq[start - 1] == seq[start + n - 1]:
            start -= 1
        best, best_score = len(lw), -1
        s = start
        while True:
            score = _cut_score(seq[s - 1] if s > 0 else None, seq[s]) + _cut_score(
                seq[s + n - 1], seq[s + n] if s + n < len(seq) else None
            )
            if (s == 0 and cut_left) or (s + n == len(seq) and cut_right):
                score = -1  # an edge of the window, not of the paragraph: cannot score
            if score > best_score:
                best, best_score = s, score
            if s + n < len(seq) and seq[s] == seq[s + n]:
                s += 1
            else:
                break
        if best == len(lw):
            continue
        moved = seq[best : best + n]
        if seg.old:
            seg.old = moved
        else:
            seg.new = moved
        left.toks = left.toks[: len(left.toks) - len(lw)] + seq[:best]
        right.toks = seq[best + n :] + right.toks[len(rw) :]
    return _tidy(segments)


def _tidy(segments: list[_Same | _Edit]) -> list[_Same | _Edit]:
    """Drop empty runs and merge neighbours of the same type."""
    out: list[_Same | _Edit] = []
    for seg in segments:
        if isinstance(seg, _Same):
            if not seg.toks:
                continue
            if out and isinstance(out[-1], _Same):
                out[-1].toks.extend(seg.toks)
                continue
        else:
            if not seg.old and not seg.new:
                continue
            if out and isinstance(out[-1], _Edit):
                out[-1].old.extend(seg.old)
                out[-1].new.extend(seg.new)
                continue
        out.append(seg)
    return out


def _is_island(toks: list[str]) -> bool:
    """Only white space and punctuation, or one short word with them."""
    words = list(filter(wordy, toks))
    return not words or (len(words) == 1 and len(words[0]) <= ISLAND_WORD_CHARS)


def _kind(edit: _Edit) -> str:
    return "replace" if edit.old and edit.new else ("delete" if edit.old else "insert")


def _absorb_islands(segments: list[_Same | _Edit]) -> list[_Same | _Edit]:
    """Absorb tiny unchanged runs between two edits into one change (see module doc)."""
    out: list[_Same | _Edit] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        if (
            isinstance(seg, _Same)
            and out
            and isinstance(out[-1], _Edit)
            and i + 1 < len(segments)
            and _is_island(seg.toks)
        ):
            before, after = out[-1], segments[i + 1]
            assert isinstance(after, _Edit)
            kinds = {_kind(before), _kind(after)}
            if kinds != {"insert"} and kinds != {"delete"}:
                before.old.extend(seg.toks + after.old)
                before.new.extend(seg.toks + after.new)
                i += 2
                continue
        out.append(seg)
        i += 1
    return out


_word_count = count_words


def _mostly_rewritten(stretch: Sequence[_Same | _Edit], min_edits: int) -> bool:
    """True if a stretch with ``min_edits`` or more edits keeps < REWRITE_KEEP of its words."""
    if sum(isinstance(s, _Edit) for s in stretch) < min_edits:
        return False
    kept = old = new = 0
    for s in stretch:
        if isinstance(s, _Same):
            k = _word_count(s.toks)
            kept, old, new = kept + k, old + k, new + k
        else:
            old += _word_count(s.old)
            new += _word_count(s.new)
    return kept < REWRITE_KEEP * max(1, min(old, new))


def _merge(stretch: Sequence[_Same | _Edit]) -> _Edit:
    edit = _Edit([], [])
    for s in stretch:
        if isinstance(s, _Same):
            edit.old.extend(s.toks)
            edit.new.extend(s.toks)
        else:
            edit.old.extend(s.old)
            edit.new.extend(s.new)
    return edit


def _short_run(seg: _Same | _Edit) -> bool:
    return isinstance(seg, _Same) and _word_count(seg.toks) <= CLUSTER_GAP_WORDS


def _collapse_rewrites(segments: list[_Same | _Edit]) -> list[_Same | _Edit]:
    """Show rewritten paragraphs, and rewritten stretches, as one deletion + one insertion.

    The paragraph: if it keeps too few of its words, everything from its first to its last
    edit (an unchanged beginning and end stay as they are). A stretch: three or more edits
    separated by at most CLUSTER_GAP_WORDS words.
    """
    if _mostly_rewritten(segments, 2):
        edits = [i for i, seg in enumerate(segments) if isinstance(seg, _Edit)]
        first, last = edits[0], edits[-1]
        return [*segments[:first], _merge(segments[first : last + 1]), *segments[last + 1 :]]
    out: list[_Same | _Edit] = []
    i = 0
    while i < len(segments):
        if not isinstance(segments[i], _Edit):
            out.append(segments[i])
            i += 1
            continue
        # the stretch: edits separated by short unchanged runs
        j = i + 1
        while j + 1 < len(segments) and _short_run(segments[j]):
            j += 2
        stretch = segments[i:j]
        if _mostly_rewritten(stretch, 3):
            out.append(_merge(stretch))
        else:
            out.extend(stretch)
        i = j
    return out


def _emit(segments: list[_Same | _Edit]) -> list[tuple[str, str]]:
    ops: list[tuple[str, str]] = []

    def add(op: str, toks: list[str]) -> None:
        if not toks:
            return
        text = "".join(toks)
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    for seg in _tidy(segments):
        if isinstance(seg, _Same):
            add("equal", seg.toks)
        else:
            add("delete", seg.old)
            add("insert", seg.new)
    return ops


# ------------------------------------------------------------------------ diff_versions


def diff_versions(old: Version, new: Version) -> dict[str, Any]:
    """Diff two versions of a document, paragraph by paragraph (the contract's ``diff``).

    Returns::

        {"document": ..., "from": old.version, "to": new.version,
         "paragraphs": [{"id", "change", "ops", "kind", "section", "moved", "modified",
                         ...}, ...],
         "summary": {"unchanged": n, "modified": n, "moved": n, "inserted": n, "deleted": n}}

    Paragraphs are matched by id and listed in the new version's order; a deleted paragraph
    is placed where it stood, right after the nearest paragraph before it (in the old
    version) that survives in place (or first, if there is none).

    ``change`` is one of :data:`CHANGES`:

    - ``inserted`` / ``deleted``: ops ``[["insert", text]]`` / ``[["delete", text]]``;
    - ``unchanged``: same text, same place; ops ``[["equal", text]]``;
    - ``modified``: same place, text changed; ops from :func:`diff_words`;
    - ``moved``: the paragraph changed place relative to the other kept paragraphs. Only the
      truly moved ones are marked: the kept paragraphs that form a longest increasing
      subsequence of old positions stay in place, the rest moved. A moved paragraph whose
      text changed too is ``moved`` with ``"modified": true`` and ops showing the word
      changes.

    Every paragraph also has ``kind`` and ``section`` (of the new version, or the old one
    for deleted paragraphs) and the flags ``moved`` and ``modified`` (text changed). Moved
    paragraphs carry ``was_after``: the id of the paragraph before them in the old version
    (``None`` if they were first). If the kind or section changed, the old values are in
    ``from_kind`` / ``from_section``; they do not make a paragraph ``modified``, which is
    about its text. Ops are 2-element lists and never hold empty text (an empty paragraph
    has no ops). The result is plain JSON-serialisable data.
    """
    old_by_id = _index(old.paragraphs, old.version)
    new_by_id = _index(new.paragraphs, new.version)
    old_pos = {p.id: i for i, p in enumerate(old.paragraphs)}

    kept = [p.id for p in new.paragraphs if p.id in old_by_id]
    # the kept paragraphs that stayed in place: a longest run in increasing old positions
    in_place = {kept[i] for i, _ in longest_increasing([(i, old_pos[pid]) for i, pid in enumerate(kept)])}

    # deleted paragraphs, grouped by the in-place paragraph they followed (None: the start)
    deleted_after: dict[str | None, list[Paragraph]] = {}
    anchor: str | None = None
    previous: dict[str, str | None] = {}
    before: str | None = None
    for p in old.paragraphs:
        previous[p.id] = before
        before = p.id
        if p.id not in new_by_id:
            deleted_after.setdefault(anchor, []).append(p)
        elif p.id in in_place:
            anchor = p.id

    rows: list[dict[str, Any]] = [_deleted(p) for p in deleted_after.get(None, [])]
    for p in new.paragraphs:
        was = old_by_id.get(p.id)
        if was is None:
            rows.append(_row(p, "inserted", [["insert", p.text]] if p.text else []))
            continue
        moved = p.id not in in_place
        modified = was.text != p.text
        if modified:
            ops = [[op, text] for op, text in diff_words(was.text, p.text)]
        else:
            ops = [["equal", p.text]] if p.text else []
        change = "moved" if moved else ("modified" if modified else "unchanged")
        row = _row(p, change, ops, moved=moved, modified=modified)
        if moved:
            row["was_after"] = previous[p.id]
        if was.kind != p.kind:
            row["from_kind"] = was.kind
        if was.section != p.section:
            row["from_section"] = was.section
        rows.append(row)
        rows.extend(_deleted(d) for d in deleted_after.get(p.id, []))

    summary = dict.fromkeys(CHANGES, 0)
    for row in rows:
        summary[row["change"]] += 1
    return {
        "document": new.document,
        "from": old.version,
        "to": new.version,
        "paragraphs": rows,
        "summary": summary,
    }


def _index(paragraphs: Sequence[Paragraph], version: str) -> dict[str, Paragraph]:
    by_id: dict[str, Paragraph] = {}
    for p in paragraphs:
        if p.id in by_id:
            raise ValueError(f"version {version!r} has the paragraph id {p.id!r} twice")
        by_id[p.id] = p
    return by_id


def _row(
    p: Paragraph, change: str, ops: list[list[str]], *, moved: bool = False, modified: bool = False
) -> dict[str, Any]:
    return {
        "id": p.id,
        "change": change,
        "ops": ops,
        "kind": p.kind,
        "section": p.section,
        "moved": moved,
        "modified": modified,
    }


def _deleted(p: Paragraph) -> dict[str, Any]:
    return _row(p, "deleted", [["delete", p.text]] if p.text else [])


def proposal_ops(op: str, base_text: str | None, text: str | None) -> list[tuple[str, str]]:
    """A proposal shown as changes against its base paragraph (the compilation, the app's
    review): an amendment as a word diff, an insert as one insertion, a delete as the
    whole paragraph deleted, a comment as its text unchanged."""
    if op == "amend":
        return diff_words(base_text or "", text or "")
    if op == "insert":
        return [("insert", text)] if text else []
    if op == "delete":
        return [("delete", base_text)] if base_text else []
    return [("equal", text)] if text else []
