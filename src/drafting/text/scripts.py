"""Words that mix writing systems: a Cyrillic "а" in a Latin word looks like "a".

A look-alike letter from another script makes a word that reads the same but is not the
same: a search, a diff or a spell-checker misses it, and a text can be made to say one
thing to a reader and another to a machine. Such words are not refused (a name may
legitimately mix scripts) but flagged wherever a diff or a text is shown (the diff views,
the app). Pure: the script of a letter comes from its Unicode name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: scripts written together in one word as a matter of course (Japanese mixes kanji and
#: kana; Chinese and Japanese texts run Latin acronyms into their words without spaces)
_EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"}
_SCRIPTS = {
    "LATIN",
    "CYRILLIC",
    "GREEK",
    "ARMENIAN",
    "GEORGIAN",
    "ARABIC",
    "HEBREW",
    "CHEROKEE",
    "COPTIC",
    "DEVANAGARI",
    "THAI",
    "LAO",
    *_EAST_ASIAN,
}
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class MixedWord:
    start: int
    end: int
    word: str
    scripts: tuple[str, ...]  # e.g. ("Cyrillic", "Latin")

    @property
    def note(self) -> str:
        return f"mixes {' and '.join(self.scripts)} letters"


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``...), or None for anything else."""
    if not ch.isalpha():
        return None
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return None
    if first in _EAST_ASIAN:
        return "EAST-ASIAN"
    return first if first in _SCRIPTS else None


def mixed_script_words(text: str) -> list[MixedWord]:
    """The words of ``text`` whose letters come from more than one script (East Asian
    scripts count as one, and with Latin as none: 联合国UNODA is not flagged)."""
    out = []
    for m in WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        scripts = {s for s in map(script_of, word) if s}
        if "EAST-ASIAN" in scripts:
            scripts.discard("EAST-ASIAN")
            scripts.discard("LATIN")
        if len(scripts) > 1:
            out.append(MixedWord(m.start(), m.end(), word, tuple(sorted(s.capitalize() for s in scripts))))
    return out
