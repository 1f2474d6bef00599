"""Words: the unit every diff, merge and provenance computation works on.

A text is split into tokens that join back to it exactly: words (letters and digits,
with inner hyphens and apostrophes: ``States'``, ``age-``, ``co-operation``), runs of white
space, and single punctuation marks. No edit computed on tokens can split a word.
"""

from __future__ import annotations

import re

_WORD = r"\w+(?:[-'’]\w+)*"
_TOKEN = re.compile(rf"{_WORD}|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Split ``text`` into tokens; ``"".join(tokens(t)) == t`` always."""
    return _TOKEN.findall(text)


def is_space(token: str) -> bool:
    return token.isspace()


def is_word(token: str) -> bool:
    return bool(token) and (token[0].isalnum() or token[0] == "_")


class _Wordness(dict):
    """token -> is_word(token), remembered: diffs ask it of the same few thousand tokens
    hundreds of thousands of times, and a dict lookup from C (``map``, ``filter``) costs a
    tenth of a Python call."""

    def __missing__(self, token: str) -> bool:
        if len(self) > 500_000:  # a long-running app: keep the memory bounded
            self.clear()
        value = self[token] = is_word(token)
        return value


_WORDNESS = _Wordness()
#: ``is_word`` for many tokens at a time: ``sum(map(wordy, toks))``, ``filter(wordy, toks)``
wordy = _WORDNESS.__getitem__


def count_words(toks) -> int:
    """How many of ``toks`` are words."""
    return sum(map(wordy, toks))


def word_count(text: str) -> int:
    return count_words(tokens(text))


def normalize_space(text: str) -> str:
    """Collapse runs of white space to one space and trim: how paragraphs are stored."""
    return " ".join(text.split())


class _Chars(dict):
    """token -> its character; a new token gets the next one (see :class:`Codec`)."""

    __slots__ = ("tokens",)

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []

    def __missing__(self, token: str) -> str:
        n = len(self.tokens)
        # skip the surrogate range, which cannot appear in a str to be diffed
        c = self[token] = chr(0xE000 + n if n < 0x1900 else 0x10000 + (n - 0x1900))
        self.tokens.append(token)
        return c


class Codec:
    """Maps tokens to single characters so diff-match-patch can diff token sequences.

    One codec is shared by all texts compared together, so that equal tokens get equal
    characters. Characters come from the Private Use Areas and beyond, so up to ~1M
    distinct tokens fit.
    """

    __slots__ = ("_char", "_token")

    def __init__(self) -> None:
        self._char = _Chars()
        self._token = self._char.tokens

    def encode(self, toks: list[str]) -> str:
        return "".join(map(self._char.__getitem__, toks))  # the loop runs in C

    def decode(self, chars: str) -> list[str]:
        token = self._token
        return [token[(cp - 0xE000) if cp < 0x10000 else (cp - 0x10000 + 0x1900)] for cp in map(ord, chars)]

    def decode_text(self, chars: str) -> str:
        return "".join(self.decode(chars))
