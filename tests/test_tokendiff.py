"""The C++ diff-match-patch and the pure-Python one give the same edit scripts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.text import tokendiff
from drafting.text.words import tokens

pytest.importorskip("fast_diff_match_patch")

WORDS = st.lists(
    st.sampled_from(
        [
            "States",
            "Parties",
            "shall",
            "will",
            "clear",
            "land",
            "by",
            "2030",
            ",",
            ".",
            "survivors",
            "all",
            "cluster",
            "munition",
            "remnants",
            "Ünïcödé",
            "😀",
        ]
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS, st.booleans())
def test_fast_and_pure_agree(a, b, semantic):
    ta, tb = tokens(" ".join(a)), tokens(" ".join(b))
    fast = tokendiff.diff_tokens(ta, tb, semantic=semantic)
    tokendiff.FORCE_PURE = True
    try:
        pure = tokendiff.diff_tokens(ta, tb, semantic=semantic)
    finally:
        tokendiff.FORCE_PURE = False
    assert fast == pure
    assert [t for op, ts in fast if op != tokendiff.INSERT for t in ts] == ta
    assert [t for op, ts in fast if op != tokendiff.DELETE for t in ts] == tb
