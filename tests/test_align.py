"""text.align: order (longest increasing run), similarity of paragraphs, word alignment."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from drafting.text.align import (
    SIMILARITY,
    align,
    exact_pairs,
    longest_increasing,
    pair_by_similarity,
    similarity,
    token_mapping,
)
from drafting.text.words import tokens


def test_longest_increasing_keeps_the_pairs_that_kept_their_order():
    assert longest_increasing([]) == []
    assert longest_increasing([(0, 2), (1, 0), (2, 1), (3, 3)]) == [(1, 0), (2, 1), (3, 3)]
    # one moved item among many in place
    pairs = [(i, b) for i, b in enumerate([0, 1, 7, 2, 3, 4, 5, 6])]
    assert [b for _, b in longest_increasing(pairs)] == [0, 1, 2, 3, 4, 5, 6]


@given(st.lists(st.integers(0, 30), max_size=40, unique=True))
def test_longest_increasing_is_increasing_and_longest(seconds):
    pairs = list(enumerate(seconds))
    run = longest_increasing(pairs)
    assert all(a[1] < b[1] for a, b in pairwise(run))
    assert all(p in pairs for p in run)
    # no longer increasing subsequence exists (quadratic check)
    best = [1] * len(seconds)
    for j in range(len(seconds)):
        for i in range(j):
            if seconds[i] < seconds[j]:
                best[j] = max(best[j], best[i] + 1)
    assert len(run) == max(best, default=0)


def test_similarity_is_in_words_and_ignores_case_and_punctuation():
    assert similarity("States shall clear.", "states shall clear") == 1.0
    assert similarity("States shall clear all areas", "States will clear all areas") > SIMILARITY
    assert similarity("States shall clear", "Victims need support now") <= SIMILARITY
    assert similarity("", "") == 1.0 and similarity("—", "") == 0.0


def test_pairs_by_similarity_keep_order_and_maximise_the_sum():
    a = ["alpha beta gamma delta", "one two three four"]
    b = ["one two three five", "alpha beta gamma delta"]
    # crossing pairs are not allowed: the better one is kept
    assert pair_by_similarity(a, b) == [(0, 1, 1.0)]
    assert [(i, j) for i, j, _ in pair_by_similarity(a, list(reversed(b)))] == [(0, 0), (1, 1)]
    assert exact_pairs(["x", "y", "z"], ["y", "z", "x"]) == [(1, 0), (2, 1)]


def test_edits_sit_on_word_boundaries_and_keep_rewritten_phrases_whole():
    a = tokens("complete clearance by 2030.")
    b = tokens("make every effort to complete clearance.")
    [h] = align(a, b, absorb=True)
    assert ("".join(a[h.a0 : h.a1]), "".join(b[h.b0 : h.b1])) == (
        "complete clearance by 2030",
        "make every effort to complete clearance",
    )
    a, b = tokens("a b"), tokens("a x b")
    [h] = align(a, b)
    assert b[h.b0 : h.b1] == ["x", " "]
    assert token_mapping(tokens("a b c"), tokens("a c")) == [0, 1, None, None, 2]
