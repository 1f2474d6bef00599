"""The words a conference secretariat uses: the one owner of how the contract's codes are
said to people.

The records keep the contract's codes (``rejected``, ``modified``, ``amend``, ``MEX``,
``rev1``, ``zero-draft-inputs``); whatever shows them to people (the app, the circulated
documents, the command line's tables, the history, the e-mails) says them through the
functions here:

- decisions: ``accepted``, ``accepted as modified``, ``not retained``, ``deferred``,
  ``withdrawn``; comments are ``noted`` or ``addressed``;
- kinds of input: ``amendment``, ``new paragraph``, ``deletion``, ``comment``; a comment
  is never called a proposal (:func:`count_inputs` says "5 proposals and 1 comment");
- delegations by name ("Mexico"), the Presidency as "the Presidency";
- paragraphs by their display number ("Action 11", "paragraph 5"), computed by
  :mod:`drafting.text.numbering` (the owner of numbers: never re-derived here), or for an
  unnumbered paragraph by its heading or its first words;
- versions and rounds by their labels ("Revision 1", "Inputs on the zero draft").

Pure: no I/O, no Streamlit; JSON output keeps the codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .errors import DraftingError
from .records import Config, Round
from .when import long_date

__all__ = [
    "KIND_WORDS",
    "PARAGRAPH_KINDS",
    "ROLE_WORDS",
    "STATUS_WORDS",
    "count_inputs",
    "default_label",
    "delegation_name",
    "delegations_phrase",
    "input_noun",
    "kind_word",
    "list_phrase",
    "not_applied_reason",
    "on_version",
    "paragraph_kind",
    "paragraph_name",
    "plural",
    "round_name",
    "status_word",
]

#: a decision's status as a secretariat writes it
STATUS_WORDS: dict[str, str] = {
    "open": "open",
    "accepted": "accepted",
    "modified": "accepted as modified",
    "rejected": "not retained",
    "deferred": "deferred",
    "withdrawn": "withdrawn",
    "addressed": "addressed",
    "noted": "noted",
}

#: the kind of an input (the contract's ``op``)
KIND_WORDS: dict[str, str] = {
    "amend": "amendment",
    "insert": "new paragraph",
    "delete": "deletion",
    "comment": "comment",
}
#: the kind of a paragraph (the contract's ``kind``)
PARAGRAPH_KINDS: dict[str, str] = {
    "heading": "heading",
    "preambular": "preambular paragraph",
    "operative": "operative paragraph",
    "action": "action",
    "text": "paragraph",
}
#: roles, as a participants' list says them
ROLE_WORDS: dict[str, str] = {
    "presidency": "the Presidency",
    "state-party": "State Party",
    "signatory": "signatory State",
    "observer": "observer",
    "secretariat": "secretariat",
}
_KIND_PLURALS = {"amendment": "amendments", "new paragraph": "new paragraphs", "deletion": "deletions"}

COMMENT = "comment"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def status_word(status: str | None, *, capital: bool = False) -> str:
    """``"rejected"`` -> ``"not retained"``, ``"modified"`` -> ``"accepted as modified"``;
    ``None`` is ``"open"``; an unknown code is shown as it is."""
    word = STATUS_WORDS.get(status or "open", str(status))
    return _cap(word) if capital else word


def kind_word(op: str | None, *, capital: bool = False, count: int = 1) -> str:
    """``"amend"`` -> ``"amendment"`` (``count`` other than 1: ``"amendments"``)."""
    word = KIND_WORDS.get(op or "", str(op or ""))
    if count != 1:
        word = _KIND_PLURALS.get(word, word + "s")
    return _cap(word) if capital else word


def paragraph_kind(kind: str | None, *, capital: bool = False) -> str:
    """``"preambular"`` -> ``"preambular paragraph"``."""
    word = PARAGRAPH_KINDS.get(kind or "text", str(kind))
    return _cap(word) if capital else word


def not_applied_reason(reason: str | None) -> str:
    """Why compose left a proposal out, in words: ``"rejected"`` -> ``"not retained"``,
    ``"undecided"`` -> ``"no decision yet"``, ``"comment"`` -> ``"a comment: it does not
    change the text"``; a conflict's own sentence is kept."""
    r = str(reason or "")
    if r == "undecided" or r == "open":
        return "no decision yet"
    if r == "comment":
        return "a comment: it does not change the text"
    if r in STATUS_WORDS:
        return STATUS_WORDS[r]
    return r


def input_noun(op: str | None, count: int = 1) -> str:
    """What to call an input in a sentence: ``proposal`` (amendments, new paragraphs,
    deletions) or ``comment`` (never a proposal)."""
    word = COMMENT if op == COMMENT else "proposal"
    return word if count == 1 else word + "s"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``plural(1, "proposal")`` -> ``"1 proposal"``; ``plural(3, "proposal")`` -> ``"3 proposals"``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def list_phrase(items: Sequence[str], conjunction: str = "and") -> str:
    """``["Mexico", "Spain", "Chile"]`` -> ``"Mexico, Spain and Chile"``."""
    items = [x for x in items if x]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def count_inputs(ops: Iterable[str]) -> str:
    """``["amend", "amend", "comment"]`` -> ``"2 proposals and 1 comment"`` (empty: ``"nothing"``)."""
    ops = list(ops)
    comments = sum(1 for op in ops if op == COMMENT)
    proposals = len(ops) - comments
    parts = []
    if proposals:
        parts.append(plural(proposals, "proposal"))
    if comments:
        parts.append(plural(comments, "comment"))
    return list_phrase(parts) or "nothing"


# --------------------------------------------------------------------------- delegations


def delegation_name(config: Config, code: str | None, *, presidency: bool = False) -> str:
    """A delegation by its name ("Mexico"); with ``presidency``, the Presidency's own code
    is "the Presidency" (as when it decides). Unknown codes are shown as they are."""
    if not code:
        return ""
    if presidency and code == config.presidency:
        return "the Presidency"
    d = config.delegation(code)
    return d.name if d else code


def delegations_phrase(config: Config, codes: Iterable[str]) -> str:
    """``["MEX", "ESP"]`` -> ``"Mexico and Spain"``."""
    return list_phrase([delegation_name(config, c) for c in codes if c])


# ---------------------------------------------------------------------------- paragraphs


def _first_words(text: str | None, n: int = 6) -> str:
    words = (text or "").split()
    if not words:
        return ""
    lead = " ".join(words[:n])
    return lead + ("…" if len(words) > n else "")


def paragraph_name(number: str | None, kind: str | None = None, text: str | None = None) -> str:
    """A paragraph as people refer to it, from its display number (computed by
    ``text.numbering``, passed in): ``"Action 11"`` stays; ``"5"`` or ``"5 bis"`` is
    ``"paragraph 5"`` / ``"paragraph 5 bis"``; an unnumbered heading is named by its text
    (“Victim assistance”), any other unnumbered paragraph by its first words."""
    if number:
        return f"paragraph {number}" if number[:1].isdigit() else number
    if kind == "heading" and text:
        return f"the heading “{_first_words(text, 8)}”"
    if text:
        return f"the paragraph beginning “{_first_words(text)}”"
    return "an unnumbered paragraph"


# ------------------------------------------------------------------------ versions, rounds


def default_label(version: str) -> str:
    """The label of a version that has none: ``rev2`` -> ``"Revision 2"``, ``zero-draft``
    -> ``"Zero draft"``, others with their hyphens as spaces."""
    m = re.fullmatch(r"rev[-_.]?(\d+)", version, re.IGNORECASE)
    if m:
        return f"Revision {int(m.group(1))}"
    if version == "zero-draft":
        return "Zero draft"
    return version.replace("-", " ").capitalize()


def on_version(label: str) -> str:
    """A version's label after "on" or "of": ``"Zero draft"`` -> ``"the zero draft"``;
    ``"Revision 1"`` stays."""
    if label.lower().startswith(("zero draft", "draft", "compilation", "rolling text")):
        return "the " + label[:1].lower() + label[1:]
    return label


def round_name(
    rnd: Round, version_labels: Mapping[str, str] | None = None, tz: str | None = None, *, deadline: bool = True
) -> str:
    """An input round as a notice names it: "Inputs on the zero draft (until 15 July 2026)"."""
    base = (version_labels or {}).get(rnd.base) or default_label(rnd.base)
    text = f"Inputs on {on_version(base)}"
    if deadline and rnd.deadline:
        try:
            text += f" (until {long_date(rnd.deadline, tz)})"
        except DraftingError:  # a malformed deadline is validation's business, not the name's
            text += f" (until {rnd.deadline})"
    return text
