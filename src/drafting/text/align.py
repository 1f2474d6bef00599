"""Alignment: which items of one sequence are items of another.

The one owner of three questions every comparison asks:

- **In order?** :func:`longest_increasing`: of pairs matched between two sequences, the
  largest set that keeps both orders (the others moved).
- **The same paragraph, edited?** :func:`similarity` of two texts in words and
  :func:`pair_by_similarity`, order-preserving pairs above :data:`SIMILARITY`;
  :func:`exact_pairs`, the pairs of identical items in order.
- **Which words survived?** :func:`align`: the hunks that turn one token list into another,
  on word boundaries, canonically placed; :func:`token_mapping`, :func:`map_a_to_b` and
  :func:`map_b_to_a` read them.

Used by the reader (a document's paragraphs against a base version), :mod:`.diff` (moved
paragraphs) and :mod:`.merge` / :mod:`.provenance` (edits anchored on words). Pure.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .tokendiff import DELETE, EQUAL, diff_tokens
from .words import Codec, count_words, is_word, tokens

__all__ = [
    "MAX_SIMILARITY_PAIRS",
    "SIMILARITY",
    "Hunk",
    "align",
    "equal_pairs",
    "exact_pairs",
    "longest_increasing",
    "map_a_to_b",
    "map_b_to_a",
    "pair_by_similarity",
    "similarity",
    "token_mapping",
    "words",
]

#: two paragraphs whose word-level similarity exceeds this are one paragraph, edited
SIMILARITY = 0.5
#: above this many candidate pairs, similarity pairing is skipped (its cost is quadratic)
MAX_SIMILARITY_PAIRS = 40_000


# --------------------------------------------------------------------------------------
# Order
# --------------------------------------------------------------------------------------


def longest_increasing(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (in the given order) strictly increasing in their second
    item: with pairs ``(position here, position there)`` in the order of here, the pairs
    that kept their order there. Patience sorting, O(n log n); among runs of equal length,
    the one ending with the last possible pair."""
    tails: list[int] = []  # second item ending the best run of each length
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
    out: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


# --------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (punctuation and white space left out)."""
    return [t.lower() for t in tokens(text) if is_word(t)]


def _bounded_ratio(sm: difflib.SequenceMatcher) -> float:
    """``sm.ratio()``, or a cheap upper bound when that bound is already <= SIMILARITY."""
    for bound in (sm.real_quick_ratio, sm.quick_ratio):
        r = bound()
        if r <= SIMILARITY:
            return r
    return sm.ratio()


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts, 0..1 (difflib's ratio on lower-cased words).

    Values at or below :data:`SIMILARITY` may be upper bounds, not the exact ratio."""
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0 if a == b else 0.0
    return _bounded_ratio(difflib.SequenceMatcher(None, wa, wb, autojunk=False))


def exact_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """``(i, j)`` with ``a[i] == b[j]``, in order in both (a longest common subsequence,
    as difflib finds it)."""
    sm = difflib.SequenceMatcher(None, list(a), list(b), autojunk=False)
    return [(i + k, j + k) for i, j, size in sm.get_matching_blocks() for k in range(size)]


def pair_by_similarity(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, float]]:
    """Order-preserving pairs ``(i, j, ratio)`` of texts with ratio > :data:`SIMILARITY`,
    maximising the sum of ratios. Empty when there are more than
    :data:`MAX_SIMILARITY_PAIRS` candidate pairs."""
    n, m = len(a), len(b)
    if not n or not m or n * m > MAX_SIMILARITY_PAIRS:
        return []
    aw, bw = [words(t) for t in a], [words(t) for t in b]
    sim = [[0.0] * m for _ in range(n)]
    sm = difflib.SequenceMatcher(None, autojunk=False)
    for j in range(m):
        sm.set_seq2(bw[j])  # difflib caches what it learns about seq2
        for i in range(n):
            if aw[i] and bw[j]:
                sm.set_seq1(aw[i])
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


# --------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------


class Hunk(NamedTuple):
    """One change between token lists ``a`` and ``b``: ``a[a0:a1]`` became ``b[b0:b1]``
    (one side may be empty). Between two hunks, ``a`` and ``b`` are equal token by token."""

    a0: int
    a1: int
    b0: int
    b1: int


def align(a: list[str], b: list[str], *, codec: Codec | None = None, absorb: bool = False) -> list[Hunk]:
    """The hunks that turn token list ``a`` into ``b``, on word boundaries, canonically placed.

    Words and punctuation are aligned (diff-match-patch over the non-space tokens); white
    space follows the words it sits between, so a stray shared space never splits a
    rewritten phrase into confetti. A pure insertion or deletion that could slide over
    identical neighbours (``" x"`` vs ``"x "``) is placed where it starts with a word and
    ends with white space if it can (leftmost on ties), so that two proposals inserting at
    "the same place" meet at the same point. With ``absorb``, hunks separated by white
    space or punctuation only, or by no more words than each of them changes (the
    semantic clean-up of diff-match-patch, counted in words), become one: a rewritten
    phrase is one edit, not islands around a shared ``the``.
    """
    if a == b:
        return []
    # the common head and tail are equal whatever the alignment: only diff the middle
    lo = _common_prefix(a, b)
    tail = _common_prefix(a[: lo - 1 : -1] if lo else a[::-1], b[: lo - 1 : -1] if lo else b[::-1])
    hi_a, hi_b = len(a) - tail, len(b) - tail
    wa = [i for i in range(lo, hi_a) if not a[i].isspace()]
    wb = [j for j in range(lo, hi_b) if not b[j].isspace()]
    anchors: list[tuple[int, int]] = []
    x = y = 0
    for op, toks in diff_tokens([a[i] for i in wa], [b[j] for j in wb], codec=codec):
        n = len(toks)
        if op == EQUAL:
            anchors += [(wa[x + k], wb[y + k]) for k in range(n)]
            x += n
            y += n
        elif op == DELETE:
            x += n
        else:
            y += n
    hunks: list[Hunk] = []
    pi = pj = lo - 1
    for i, j in [*anchors, (hi_a, hi_b)]:
        a0, a1, b0, b1 = pi + 1, i, pj + 1, j
        while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
            a0 += 1
            b0 += 1
        while a0 < a1 and b0 < b1 and a[a1 - 1] == b[b1 - 1]:
            a1 -= 1
            b1 -= 1
        if a0 < a1 or b0 < b1:
            hunks.append(Hunk(a0, a1, b0, b1))
        pi, pj = i, j
    hunks = _canonical(hunks, a, b)
    return _absorb(hunks, a, b) if absorb else hunks


def _common_prefix(a: list[str], b: list[str]) -> int:
    """Length of the common prefix (compared in chunks: most of it runs in C)."""
    n, k, step = min(len(a), len(b)), 0, 64
    while step:
        while k + step <= n and a[k : k + step] == b[k : k + step]:
            k += step
        step //= 4
    return k


def _canonical(hunks: list[Hunk], a: list[str], b: list[str]) -> list[Hunk]:
    out: list[Hunk] = []
    for k, h in enumerate(hunks):
        lo = out[-1].a1 if out else 0
        hi = hunks[k + 1].a0 if k + 1 < len(hunks) else len(a)
        if (h.a0 == h.a1) != (h.b0 == h.b1):
            h = _slide(h, a, b, lo, hi)
        if out and out[-1].a1 == h.a0 and out[-1].b1 == h.b0:
            out[-1] = Hunk(out[-1].a0, h.a1, out[-1].b0, h.b1)
        else:
            out.append(h)
    return out


def _slide(h: Hunk, a: list[str], b: list[str], lo: int, hi: int) -> Hunk:
    """Slide a pure insertion/deletion within the equal run ``a[lo:hi]`` around it."""
    seq, s, e = (b, h.b0, h.b1) if h.a0 == h.a1 else (a, h.a0, h.a1)
    left = 0
    while h.a0 - left - 1 >= lo and seq[s - left - 1] == seq[e - left - 1]:
        left += 1
    right = 0
    while h.a1 + right < hi and seq[e + right] == seq[s + right]:
        right += 1
    if not left and not right:
        return h

    def score(d: int) -> int:
        first, last = seq[s + d], seq[e + d - 1]
        return 2 * (not first.isspace()) + last.isspace()

    best = max(range(-left, right + 1), key=lambda d: (score(d), -d))
    return Hunk(h.a0 + best, h.a1 + best, h.b0 + best, h.b1 + best)


def _weight(h: Hunk, a: list[str], b: list[str]) -> int:
    return max(count_words(a[h.a0 : h.a1]), count_words(b[h.b0 : h.b1]))


def _absorb(hunks: list[Hunk], a: list[str], b: list[str]) -> list[Hunk]:
    if not hunks:
        return hunks
    out = [hunks[0]]
    for h in hunks[1:]:
        p = out[-1]
        n = count_words(a[p.a1 : h.a0])
        if n <= min(_weight(p, a, b), _weight(h, a, b)):
            out[-1] = Hunk(p.a0, h.a1, p.b0, h.b1)
        else:
            out.append(h)
    return out


def equal_pairs(hunks: list[Hunk], len_a: int) -> Iterator[tuple[int, int]]:
    """``(i, j)`` for every token ``a[i]`` left unchanged as ``b[j]``."""
    i = j = 0
    for h in [*hunks, Hunk(len_a, len_a, 0, 0)]:
        for k in range(h.a0 - i):
            yield i + k, j + k
        i, j = h.a1, h.b1


def token_mapping(a: list[str], b: list[str], *, codec: Codec | None = None) -> list[int | None]:
    """For each token of ``a``, its index in ``b`` if it survived unchanged, else None."""
    m: list[int | None] = [None] * len(a)
    for i, j in equal_pairs(align(a, b, codec=codec), len(a)):
        m[i] = j
    return m


def map_a_to_b(hunks: list[Hunk], i: int) -> int | None:
    """Where token ``a[i]`` is in ``b`` (None if a hunk changed it); ``hunks`` from :func:`align`."""
    k = _first(hunks, i, 1)
    if k < len(hunks) and hunks[k].a0 <= i:
        return None
    prev = hunks[k - 1] if k else Hunk(0, 0, 0, 0)
    return prev.b1 + (i - prev.a1)


def map_b_to_a(hunks: list[Hunk], j: int) -> int | None:
    """Where token ``b[j]`` is in ``a`` (None if a hunk inserted it)."""
    k = _first(hunks, j, 3)
    if k < len(hunks) and hunks[k].b0 <= j:
        return None
    prev = hunks[k - 1] if k else Hunk(0, 0, 0, 0)
    return prev.a1 + (j - prev.b1)


def _first(hunks: list[Hunk], x: int, end: int) -> int:
    """The index of the first hunk whose end (field ``end``) is beyond ``x``."""
    for k, h in enumerate(hunks):
        if h[end] > x:
            return k
    return len(hunks)
