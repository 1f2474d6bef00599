"""Agreed language: which stretches of a text repeat an earlier outcome document.

For a text (a paragraph of a draft, a proposal), :func:`find` reports the stretches that
repeat a *reference* word for word or nearly, and the stretches that are new, through an
index of three-word sequences (:func:`build_index`). Pure: plain data in and out. How
words are compared, the index and the matching: ``docs/design/precedents.md``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULT_MIN_WORDS",
    "GAP_WORDS",
    "MIN_WORDS",
    "Index",
    "Match",
    "build_index",
    "find",
    "normalise",
    "paragraph_report",
    "words",
]

#: the shortest stretch a user may ask for (``--min-words``), and the default
MIN_WORDS = 3
DEFAULT_MIN_WORDS = 6
#: the k-gram length of the index (at most MIN_WORDS)
K = 3
#: anchors are exact matches of at least min(min_words, ANCHOR_WORDS) words
ANCHOR_WORDS = 5
#: at most this many places of a window's rarest k-gram are tried (an evenly spread sample
#: of boilerplate that occurs more often)
MAX_CANDIDATES = 64
#: a change in a near match replaces at most this many words on either side
GAP_WORDS = 3
#: ... and is followed by at least this many equal words
RESYNC_WORDS = 2
#: changed words may be at most 1/CHANGE_RATIO of the equal words of a near match
CHANGE_RATIO = 4
#: how far ahead one alignment step looks (words)
WINDOW = 48
#: the separator in the references' word sequence (no word has this number)
SEP = -2
#: a word of a text that no reference has
UNKNOWN = -1

# one character for one: the original text's offsets stay valid after translation
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\uff07": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u00ad": "-",
    }
)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def _folded(text: str) -> str:
    if text.isascii():  # (most texts: nothing to translate, and lower() keeps the length)
        return text.lower()
    t = text.translate(_FOLD)
    low = t.lower()
    return low if len(low) == len(t) else t  # (a rare letter that lowers to two: casefold below)


def normalise(text: str) -> list[str]:
    """The normalised words of ``text`` (see the module docstring)."""
    return _normal(_WORD.findall(_folded(text)))


def _normal(found: list[str]) -> list[str]:
    if not found:
        return []
    # joiners dropped and case folded for all the words at once (in C)
    joined = "\n".join(found).replace("-", "").replace("'", "")
    return (joined if joined.isascii() else joined.casefold()).split("\n")


def words(text: str) -> list[tuple[str, int, int]]:
    """``(normalised word, start, end)`` for each word of ``text``; ``text[start:end]`` is
    the word as written."""
    found = list(_WORD.finditer(_folded(text)))
    return [(w, m.start(), m.end()) for w, m in zip(_normal([m.group() for m in found]), found, strict=True)]


# ---------------------------------------------------------------------------------- index


@dataclass(frozen=True)
class Source:
    """One reference paragraph as the index sees it: its text and whether it is a heading."""

    text: str
    heading: bool = False


def build_index(references: Sequence[Sequence[Source]], meta: Any = None) -> dict[str, Any]:
    """The index of ``references`` (each a sequence of its paragraphs, in order) as plain
    data for the cache; :class:`Index` reads it. ``meta``: plain data kept with it."""
    vocab: dict[str, int] = {}
    tokens = array("i")
    starts = array("i")
    ends = array("i")
    paras = array("i")  # the global paragraph number of each position (-1: separator)
    para_ref = array("i")  # the reference of each global paragraph
    para_local = array("i")  # its place in that reference
    ref_lo = array("i")  # where each reference's words begin and end
    ref_hi = array("i")
    for r, ref in enumerate(references):
        if r:
            tokens.append(SEP)
            starts.append(-1)
            ends.append(-1)
            paras.append(-1)
        ref_lo.append(len(tokens))
        for i, src in enumerate(ref):
            g = len(para_ref)
            para_ref.append(r)
            para_local.append(i)
            if src.heading:
                if tokens and tokens[-1] != SEP:
                    tokens.append(SEP)
                    starts.append(-1)
                    ends.append(-1)
                    paras.append(-1)
                continue
            for w, s, e in words(src.text):
                n = vocab.get(w)
                if n is None:
                    n = vocab[w] = len(vocab)
                tokens.append(n)
                starts.append(s)
                ends.append(e)
                paras.append(g)
        ref_hi.append(len(tokens))
    # the k-grams: sorted by gram, positions grouped
    shift = max(1, len(vocab)).bit_length()
    grams: list[tuple[int, int]] = []
    t = tokens
    for p in range(len(t) - K + 1):
        a, b, c = t[p], t[p + 1], t[p + 2]
        if a >= 0 and b >= 0 and c >= 0:
            grams.append((((a << shift) | b) << shift | c, p))
    grams.sort()
    keys = array("q")
    offsets = array("i")
    positions = array("i")
    last = None
    for gram, p in grams:
        if gram != last:
            keys.append(gram)
            offsets.append(len(positions))
            last = gram
        positions.append(p)
    offsets.append(len(positions))
    return {
        "version": 1,
        "shift": shift,
        "vocab": list(vocab),
        "tokens": tokens.tobytes(),
        "starts": starts.tobytes(),
        "ends": ends.tobytes(),
        "paras": paras.tobytes(),
        "para_ref": para_ref.tobytes(),
        "para_local": para_local.tobytes(),
        "ref_lo": ref_lo.tobytes(),
        "ref_hi": ref_hi.tobytes(),
        "keys": keys.tobytes(),
        "offsets": offsets.tobytes(),
        "positions": positions.tobytes(),
        "meta": meta,
    }


def _ints(data: bytes, code: str = "i") -> array:
    a = array(code)
    a.frombytes(data)
    return a


class Index:
    """The index of the references, read from :func:`build_index`'s plain data."""

    def __init__(self, data: dict[str, Any]):
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValueError("not a precedents index")
        self.shift: int = data["shift"]
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(data["vocab"])}
        self.tokens = _ints(data["tokens"])
        self.starts = _ints(data["starts"])
        self.ends = _ints(data["ends"])
        self.paras = _ints(data["paras"])
        self.para_ref = _ints(data["para_ref"])
        self.para_local = _ints(data["para_local"])
        self.ref_lo = _ints(data["ref_lo"])
        self.ref_hi = _ints(data["ref_hi"])
        self._keys = _ints(data["keys"], "q")
        self._offsets = _ints(data["offsets"])
        self.positions = _ints(data["positions"])
        self.meta = data.get("meta")

    def ids(self, normalised: Iterable[str]) -> list[int]:
        get = self.vocab.get
        return [get(w, UNKNOWN) for w in normalised]

    def spans(self, ids: Sequence[int], start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
        """Where each k-gram of ``ids`` starting at ``start`` .. ``stop - 1`` occurs: a slice
        ``(from, to)`` of :attr:`positions` (``(0, 0)``: nowhere)."""
        keys, offsets, shift = self._keys, self._offsets, self.shift
        nkeys = len(keys)
        out = []
        stop = len(ids) - K + 1 if stop is None else min(stop, len(ids) - K + 1)
        for i in range(start, stop):
            a, b, c = ids[i], ids[i + 1], ids[i + 2]
            if a < 0 or b < 0 or c < 0:
                out.append((0, 0))
                continue
            gram = ((a << shift) | b) << shift | c
            k = bisect_left(keys, gram)
            out.append((offsets[k], offsets[k + 1]) if k < nkeys and keys[k] == gram else (0, 0))
        return out


# ---------------------------------------------------------------------------------- matching


@dataclass
class Match:
    """A stretch of the text (word positions ``d0 <= .. < d1``) repeating a reference.

    ``segments``: ``(equal, d0, d1, r0, r1)`` in order: equal words side by side
    (``d1 - d0 == r1 - r0``), or a change (the text's words ``d0:d1`` where the reference
    has ``r0:r1``; either may be empty). Reference positions are positions in the index's
    word sequence."""

    ref: int
    segments: list[tuple[bool, int, int, int, int]] = field(default_factory=list)

    @property
    def d0(self) -> int:
        return self.segments[0][1]

    @property
    def d1(self) -> int:
        return self.segments[-1][2]

    @property
    def r0(self) -> int:
        return self.segments[0][3]

    @property
    def r1(self) -> int:
        return self.segments[-1][4]

    @property
    def equal(self) -> int:
        return sum(s[2] - s[1] for s in self.segments if s[0])

    @property
    def changed(self) -> int:
        return sum(max(s[2] - s[1], s[4] - s[3]) for s in self.segments if not s[0])

    @property
    def exact(self) -> bool:
        return all(s[0] for s in self.segments)


def _windows(n: int, width: int, focus: Sequence[tuple[int, int]] | None) -> list[int]:
    """The starts of the windows to look at: all, or those holding a word of ``focus``."""
    if focus is None:
        return list(range(0, n - width + 1))
    starts: set[int] = set()
    for a, b in focus:
        starts.update(range(max(0, a - width + 1), min(n - width, b - 1) + 1))
    return sorted(starts)


def _anchors(
    index: Index, ids: Sequence[int], width: int, focus: Sequence[tuple[int, int]] | None
) -> list[tuple[int, int, int]]:
    """Maximal exact matches ``(d0, d1, r0)`` of at least ``width`` words (see step 1)."""
    n = len(ids)
    if n < width:
        return []
    windows = _windows(n, width, focus)
    if not windows:
        return []
    tokens, positions = index.tokens, index.positions
    total = len(tokens)
    # the k-grams' places, looked up only for the windows looked at
    spans: Any = index.spans(ids) if focus is None else _Lazy(index, ids)
    found: dict[int, tuple[int, int]] = {}  # diagonal -> the last maximal match found on it
    seen = bytearray(n)  # words inside a maximal match found so far
    done: set[int] = set()
    out: list[tuple[int, int, int]] = []
    for w in windows:
        if seen[w : w + width].count(0) == 0:
            continue  # every word of the window is in a match found already
        best, best_n = -1, total + 1
        for g in range(w, w + width - K + 1):
            s, e = spans[g]
            if e - s < best_n:
                best, best_n = g, e - s
                if not best_n:
                    break
        if best_n == 0 or best in done:
            continue
        done.add(best)
        s, e = spans[best]
        step = -(-(e - s) // MAX_CANDIDATES)  # boilerplate: a sample of its places
        for k in range(s, e, step):
            pos = positions[k]
            diag = pos - best
            last = found.get(diag)
            if last is not None and last[0] <= best < last[1]:
                continue
            a, b = best, pos
            while a > 0 and b > 0 and ids[a - 1] == tokens[b - 1]:
                a -= 1
                b -= 1
            a1, b1 = best + K, pos + K
            while a1 < n and b1 < total and ids[a1] == tokens[b1]:
                a1 += 1
                b1 += 1
            found[diag] = (a, a1)
            if a1 - a >= width:
                out.append((a, a1, b))
                seen[a:a1] = b"\1" * (a1 - a)
    return out


class _Lazy(dict):
    """The places of the k-gram at ``i`` of ``ids``, looked up on first use."""

    def __init__(self, index: Index, ids: Sequence[int]):
        super().__init__()
        self.index, self.ids = index, ids

    def __missing__(self, i: int) -> tuple[int, int]:
        value = self[i] = self.index.spans(self.ids, i, i + 1)[0]
        return value


def _gaps(
    ids: Sequence[int],
    tokens: Sequence[int],
    d: int,
    r: int,
    d_end: int,
    r_end: int,
    step: int,
    equal: int,
    changed: int,
) -> tuple[list[tuple[bool, int, int, int, int]], int, int]:
    """Extend a match beyond text position ``d`` / reference position ``r`` in direction
    ``step`` (+1: right, -1: left; the positions are the first words beyond the match, and
    ``d_end`` / ``r_end`` the limits: exclusive to the right, inclusive to the left):
    changes within the budget, each followed by equal words. Returns the segments added
    (in text order), and the new equal and changed counts."""
    from rapidfuzz.distance import Levenshtein

    added: list[tuple[bool, int, int, int, int]] = []
    while True:
        if step > 0:
            dw = list(ids[d : min(d_end, d + WINDOW)])
            rw = list(tokens[r : min(r_end, r + WINDOW)])
        else:
            dw = list(ids[max(d_end, d - WINDOW + 1) : d + 1])[::-1] if d >= d_end else []
            rw = list(tokens[max(r_end, r - WINDOW + 1) : r + 1])[::-1] if r >= r_end else []
        if SEP in rw:
            rw = rw[: rw.index(SEP)]
        full = len(dw) == WINDOW and len(rw) == WINDOW
        if not dw or not rw:
            break
        ops = Levenshtein.opcodes(dw, rw)
        i = x = y = 0
        stop = False
        while i < len(ops):
            op = ops[i]
            if op.tag == "equal":
                n_eq = op.src_end - op.src_start
                added.append(_segment(True, d, r, x, y, n_eq, n_eq, step))
                equal += n_eq
                x += n_eq
                y += n_eq
                i += 1
                continue
            j = i
            while j < len(ops) and ops[j].tag != "equal":
                j += 1
            if j >= len(ops):  # a change at the window's end: look again from its start
                stop = not (full and (x or y))
                break
            gap_d = ops[j - 1].src_end - op.src_start
            gap_r = ops[j - 1].dest_end - op.dest_start
            follow = ops[j].src_end - ops[j].src_start
            if (
                gap_d > GAP_WORDS
                or gap_r > GAP_WORDS
                or follow < RESYNC_WORDS
                or (changed + max(gap_d, gap_r)) * CHANGE_RATIO > equal + follow
            ):
                stop = True
                break
            added.append(_segment(False, d, r, x, y, gap_d, gap_r, step))
            changed += max(gap_d, gap_r)
            x += gap_d
            y += gap_r
            i = j
        if stop or not full or not (x or y):
            break
        d += step * x
        r += step * y
    return _tidy(added, step), equal, changed


def _segment(eq: bool, d: int, r: int, x: int, y: int, nx: int, ny: int, step: int) -> tuple[bool, int, int, int, int]:
    if step > 0:
        return (eq, d + x, d + x + nx, r + y, r + y + ny)
    return (eq, d - x - nx + 1, d - x + 1, r - y - ny + 1, r - y + 1)


def _tidy(added: list[tuple[bool, int, int, int, int]], step: int) -> list[tuple[bool, int, int, int, int]]:
    """Segments in text order, trailing changes dropped, neighbours of a kind merged."""
    while added and not added[-1][0]:
        added.pop()
    if step < 0:
        added = added[::-1]
    return _merge(added)


def _merge(segs: list[tuple[bool, int, int, int, int]]) -> list[tuple[bool, int, int, int, int]]:
    out: list[tuple[bool, int, int, int, int]] = []
    for s in segs:
        if s[1] == s[2] and s[3] == s[4]:
            continue
        if out and out[-1][0] == s[0] and out[-1][2] == s[1] and out[-1][4] == s[3]:
            p = out[-1]
            out[-1] = (p[0], p[1], s[2], p[3], s[4])
        else:
            out.append(s)
    return out


def _near(index: Index, ids: Sequence[int], a: int, a1: int, b: int, ref: int) -> Match:
    """The anchor ``ids[a:a1] == tokens[b:b + a1 - a]`` (in reference ``ref``) extended
    by near matching."""
    tokens = index.tokens
    lo, hi = index.ref_lo[ref], index.ref_hi[ref]
    n = a1 - a
    right, equal, changed = _gaps(ids, tokens, a1, b + n, len(ids), hi, +1, n, 0)
    left, equal, changed = _gaps(ids, tokens, a - 1, b - 1, 0, lo, -1, equal, changed)
    return Match(ref, _merge([*left, (True, a, a1, b, b + n), *right]))


def _pieces(m: Match, covered: bytearray) -> list[Match]:
    """The parts of ``m`` over words no earlier match took (changes at the ends dropped)."""
    out: list[Match] = []
    cur: list[tuple[bool, int, int, int, int]] = []

    def flush() -> None:
        while cur and not cur[-1][0]:
            cur.pop()
        while cur and not cur[0][0]:
            cur.pop(0)
        if cur:
            out.append(Match(m.ref, list(cur)))
        cur.clear()

    for eq, d0, d1, r0, r1 in m.segments:
        if not eq:
            if any(covered[d0:d1]):
                flush()
            else:
                cur.append((eq, d0, d1, r0, r1))
            continue
        x = d0
        while x < d1:
            free = not covered[x]
            y = x
            while y < d1 and (not covered[y]) == free:
                y += 1
            if free:
                if x != d0:
                    flush()
                cur.append((True, x, y, r0 + (x - d0), r0 + (y - d0)))
            else:
                flush()
            x = y
    flush()
    return out


def find(
    index: Index,
    ids: Sequence[int],
    min_words: int = DEFAULT_MIN_WORDS,
    *,
    focus: Sequence[tuple[int, int]] | None = None,
) -> list[Match]:
    """The stretches of a text (its word numbers, :meth:`Index.ids`) that repeat a
    reference, in text order, never overlapping (see the module docstring).

    ``focus``: only stretches that hold an equal word in one of the ranges ``(start, stop)``
    (the words an amendment changed)."""
    if min_words < MIN_WORDS:
        raise ValueError(f"min_words must be at least {MIN_WORDS}")
    width = min(min_words, ANCHOR_WORDS)
    anchors = _anchors(index, ids, width, focus)
    if not anchors:
        return []
    anchors.sort(key=lambda t: (t[0] - t[1], t[0], t[2]))
    covered = bytearray(len(ids))
    chosen: list[Match] = []
    for a, a1, b in anchors:
        if covered[a:a1].count(0) == 0:
            continue
        m = _near(index, ids, a, a1, b, index.para_ref[index.paras[b]])
        if m.equal < min_words:
            continue
        for piece in _pieces(m, covered):
            if focus is not None and not any(s[0] and s[1] < b and a < s[2] for s in piece.segments for a, b in focus):
                continue
            for s in piece.segments:
                if s[0]:
                    covered[s[1] : s[2]] = b"\1" * (s[2] - s[1])
            chosen.append(piece)
    chosen.sort(key=lambda m: m.d0)
    return chosen


# ---------------------------------------------------------------------------------- reports


def _ref_pieces(index: Index, r0: int, r1: int, texts: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """The reference words ``r0:r1`` as one piece of text per reference paragraph."""
    out: list[dict[str, Any]] = []
    pos = r0
    while pos < r1:
        g = index.paras[pos]
        end = pos
        while end < r1 and index.paras[end] == g:
            end += 1
        ref, local = index.para_ref[g], index.para_local[g]
        text = texts[ref][local]
        out.append({"paragraph": local, "text": text[index.starts[pos] : index.ends[end - 1]]})
        pos = end
    return out


def _ref_text(index: Index, r0: int, r1: int, texts: Sequence[Sequence[str]]) -> str:
    return " ".join(p["text"] for p in _ref_pieces(index, r0, r1, texts)) if r1 > r0 else ""


def paragraph_report(
    index: Index,
    text: str,
    matches: Sequence[Match],
    spans: Sequence[tuple[str, int, int]],
    texts: Sequence[Sequence[str]],
) -> dict[str, Any]:
    """A text's stretches of agreed language and its new stretches, as plain data.

    ``spans``: :func:`words` of ``text``; ``texts``: each reference's paragraph texts.
    ``{"words", "agreed_words", "share", "stretches": [{"start", "end", "text", "kind"
    (exact | near), "reference" (its number in the index), "words", "paragraphs":
    [{"paragraph" (its place in the reference), "text"}], "changes": [{"text",
    "reference"}]}], "new": [{"start", "end", "text"}]}``; offsets are characters of
    ``text``."""
    n = len(spans)
    stretches = []
    agreed = bytearray(n)
    for m in matches:
        start, end = spans[m.d0][1], spans[m.d1 - 1][2]
        changes = []
        for eq, d0, d1, r0, r1 in m.segments:
            if eq:
                agreed[d0:d1] = b"\1" * (d1 - d0)
            else:
                changes.append(
                    {
                        "text": text[spans[d0][1] : spans[d1 - 1][2]] if d1 > d0 else "",
                        "reference": _ref_text(index, r0, r1, texts),
                    }
                )
        stretches.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "kind": "exact" if not changes else "near",
                "reference": m.ref,
                "words": m.equal,
                "paragraphs": _ref_pieces(index, m.r0, m.r1, texts),
                "changes": changes,
            }
        )
    new = []
    i = 0
    while i < n:
        if agreed[i]:
            i += 1
            continue
        j = i
        while j < n and not agreed[j]:
            j += 1
        start, end = spans[i][1], spans[j - 1][2]
        new.append({"start": start, "end": end, "text": text[start:end]})
        i = j
    k = sum(agreed)
    return {
        "words": n,
        "agreed_words": k,
        "share": round(k / n, 4) if n else 0.0,
        "stretches": stretches,
        "new": new,
    }


def changed_words(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """The ranges of ``new``'s words an amendment inserted or replaced (empty when it only
    deleted words)."""
    from rapidfuzz.distance import Levenshtein

    out: list[tuple[int, int]] = []
    for op in Levenshtein.opcodes(list(old), list(new)):
        if op.tag in ("insert", "replace") and op.dest_end > op.dest_start:
            if out and out[-1][1] >= op.dest_start:
                out[-1] = (out[-1][0], op.dest_end)
            else:
                out.append((op.dest_start, op.dest_end))
    return out
