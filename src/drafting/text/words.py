"""Words: the unit every diff, merge and provenance computation works on.

A text is split into tokens that join back to it exactly: words (letters and digits,
with inner hyphens and apostrophes: ``States'``, ``age-``, ``co-operation``), runs of white
space, and single punctuation marks. No edit computed on tokens can split a word.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Split ``text`` into tokens; ``"".join(tokens(t)) == t`` always."""
    return _TOKEN.findall(text)


def is_space(token: str) -> bool:
    return token.isspace()


def is_word(token: str) -> bool:
    return bool(token) and (token[0].isalnum() or token[0] == "_")


def word_count(text: str) -> int:
    return sum(1 for t in tokens(text) if is_word(t))


def normalize_space(text: str) -> str:
    """Collapse runs of white space to one space and trim: how paragraphs are stored."""
    return " ".join(text.split())


class Codec:
    """Maps tokens to single characters so diff-match-patch can diff token sequences.

    One codec is shared by all texts compared together, so that equal tokens get equal
    characters. Characters come from the Private Use Areas and beyond, so up to ~1M
    distinct tokens fit.
    """

    __slots__ = ("_char", "_token")

    def __init__(self) -> None:
        self._char: dict[str, str] = {}
        self._token: list[str] = []

    def encode(self, toks: list[str]) -> str:
        out = []
        char, token = self._char, self._token
        for t in toks:
            c = char.get(t)
            if c is None:
                n = len(token)
                # skip the surrogate range, which cannot appear in a str to be diffed
                cp = 0xE000 + n if n < 0x1900 else 0x10000 + (n - 0x1900)
                c = chr(cp)
                char[t] = c
                token.append(t)
            out.append(c)
        return "".join(out)

    def decode(self, chars: str) -> list[str]:
        token = self._token
        return [token[(cp - 0xE000) if cp < 0x10000 else (cp - 0x10000 + 0x1900)] for cp in map(ord, chars)]

    def decode_text(self, chars: str) -> str:
        return "".join(self.decode(chars))
