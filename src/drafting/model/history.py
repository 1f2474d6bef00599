"""The history of a negotiation as a secretariat tells it: one sentence per step.

"Round opened", "Mexico submitted 12 proposals on the zero draft, 8 July", "Revision 1
composed", "Silence broken by Mexico", "Revision 2 adopted". Pure: the service hands in
each commit's facts (its action and trailers, subject, date) and the names to use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .errors import DraftingError
from .status import STATUS_WORDS
from .vocabulary import input_noun, on_version, status_word
from .when import MONTHS, as_date

#: "Submit MEX inputs on action-plan (zero-draft-inputs): 2 proposals and 1 comment"
_COUNT = re.compile(r"\):\s*(\d+ (?:proposals?|comments?)(?: and \d+ comments?)?)\s*$")
#: "Decide MEX-4 (MEX, amend): rejected"
_DECIDED = re.compile(r"^Decide\s+(\S+)\s+\(([^,)]+),\s*([a-z]+)\)")
#: "Translate 3 paragraphs of action-plan rev1 into French" (service.translations)
_TRANSLATED = re.compile(r"^Translate\s+(\d+)\s+paragraphs?\s+of\s+(\S+)\s+(\S+)\s+into\s+(.+)$")
#: "Record the French translations of the zero drafts" (the bundled example)
_RECORDED = re.compile(r"^Record the (.+ translations? of .+)$")


@dataclass(frozen=True)
class Names:
    """How to name things in a sentence (all lookups fall back to what they are given)."""

    delegations: Mapping[str, str] = field(default_factory=dict)  # code -> "Mexico"
    versions: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (doc, version) -> "Revision 1"
    rounds: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # round -> (doc, base version)
    titles: Mapping[str, str] = field(default_factory=dict)  # doc -> "Vientiane Action Plan"
    paragraph: Callable[[str, str, str | None], str] | None = None  # (doc, id, version) -> "Action 3"
    presidency: str = ""  # the Presidency's code

    def who(self, code: str | None) -> str:
        if not code:
            return "Someone"
        if code == self.presidency:
            return "The Presidency"
        return self.delegations.get(code, code)

    def version(self, document: str | None, version: str | None) -> str:
        if not version:
            return "a version"
        return self.versions.get((document or "", version), version)

    def para(self, document: str | None, pid: str | None, version: str | None = None) -> str:
        """The paragraph by its number in ``version`` (the one current then)."""
        if not pid:
            return "a paragraph"
        if self.paragraph and document:
            return self.paragraph(document, pid, version)
        return pid


def day(date: str | None, *, year: bool = False) -> str:
    """``8 July`` (``8 July 2026`` with ``year``) from an ISO date or moment."""
    if not date:
        return ""
    try:
        d = as_date(date)
    except (DraftingError, ValueError):  # a date git wrote oddly: say nothing rather than fail the log
        return ""
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def sentence(entry: Mapping, names: Names, *, year: bool = False, titles: bool = False) -> str:
    """One step of the history in words, with its day ("..., 8 July").

    ``entry``: ``kind`` (the commit's action), ``subject``, ``date``, ``author``, and the
    trailers ``document``, ``round``, ``delegation``, ``proposal``, ``version``,
    ``status``, ``paragraph``, ``outcome``, ``renumbered`` (any may be missing), and
    ``files``. With ``titles`` (a history of several documents) the sentence names the
    document ("... on the zero draft of the Vientiane Declaration")."""
    kind = entry.get("kind")
    doc = entry.get("document")
    when = day(entry.get("date"), year=year)
    code = entry.get("delegation")
    text = _what(kind, entry, names, doc, code)
    if titles and doc and doc in names.titles and kind not in ("init", "other"):
        text += f" ({names.titles[doc]})"
    return f"{text}, {when}" if when else text


def _what(kind, entry: Mapping, names: Names, doc: str | None, code: str | None) -> str:
    subject = str(entry.get("subject") or "").split("\n")[0]
    if kind == "init":
        return "Workspace created"
    if kind == "submit":
        rnd = entry.get("round")
        base_doc, base = names.rounds.get(rnd or "", (doc or "", ""))
        m = _COUNT.search(subject)
        what = m.group(1) if m else "inputs"
        verb = "resubmitted" if subject.startswith("Resubmit") else "submitted"
        on = f" on {on_version(names.version(base_doc, base))}" if base else ""
        return f"{names.who(code)} {verb} {what}{on}"
    if kind == "decide":
        pid = entry.get("proposal")
        status = entry.get("status")
        md = _DECIDED.match(subject)
        if pid and not status and md:  # older commits: the status is the subject's last word
            status = subject.rsplit(":", 1)[-1].strip()
        if pid and status:
            owner = md.group(2) if md else pid.rsplit("-", 1)[0]
            noun = input_noun(md.group(3)) if md else "proposal"
            of = f"{names.who(owner)}'s {noun} " if owner in names.delegations else ""
            return f"The Presidency decided on {of}{pid}: {status_word(status)}"
        rnd = entry.get("round")
        many = re.match(r"Decide (\d+) proposals? \(.*\): (\w+)\Z", subject)
        if many:  # decisions in bulk (one commit)
            n, status = many.groups()
            return f"The Presidency decided on {n} input{'s' if n != '1' else ''} at once: {status_word(status)}"
        if rnd and rnd in names.rounds:
            rdoc, base = names.rounds[rnd]
            return f"The Presidency recorded its decisions on the inputs on {on_version(names.version(rdoc, base))}"
        return "The Presidency recorded its decisions"
    if kind == "translate":
        mt = _TRANSLATED.match(subject)
        if mt:
            n, doc_, version, language = mt.groups()
            label = names.version(doc_ or doc, version)
            return f"{n} paragraph{'s' if n != '1' else ''} of {on_version(label)} translated into {language}"
        mr = _RECORDED.match(subject)
        if mr:
            return f"{mr.group(1)} recorded"
        return subject or "Translations recorded"
    if kind == "version":
        version = entry.get("version")
        label = names.version(doc, version)
        if not doc:
            drafts = [f.split("/") for f in entry.get("files") or () if f.startswith("drafts/") and f.endswith(".yaml")]
            named = [names.version(d[1], d[2][: -len(".yaml")]) for d in drafts if len(d) == 3]
            if not named:
                return subject.split("\n")[0] or "A version circulated"
            what = named[0] if len(set(named)) == 1 else ", ".join(named)
            plural = len(named) > 1 and len(set(named)) == 1
            text = f"{what}{'s' if plural else ''} circulated"
            if "drafting.yaml" in (entry.get("files") or ()):
                text += "; input rounds opened"
            return text
        if subject.startswith("Compose"):
            opened = any(str(f).startswith("rounds/") for f in entry.get("files") or ())
            return (
                f"{label} composed"
                + (" and renumbered" if entry.get("renumbered") else "")
                + ("; inputs on it opened" if opened else "")
            )
        if entry.get("renumbered"):
            return f"{label} issued: the text renumbered, unchanged"
        if subject.startswith("Import"):
            return f"{label} imported"
        return f"{label} circulated"
    if kind == "status":
        status = entry.get("status") or ""
        para = names.para(doc, entry.get("paragraph"), entry.get("version"))
        if status == "open":
            return f"{para} reopened"
        return f"{para} {STATUS_WORDS.get(status, status)}"
    if kind == "silence-start":
        return f"Silence procedure on {names.version(doc, entry.get('version'))} started"
    if kind == "silence-break":
        return f"Silence broken by {names.who(code)}"
    if kind == "silence-close":
        label = names.version(doc, entry.get("version"))
        if entry.get("outcome") == "adopted":
            return f"{label} adopted (silence procedure closed, unbroken)"
        return f"Silence procedure on {label} closed: silence was broken"
    if kind in ("round-extend", "round-close"):
        rnd = entry.get("round")
        rdoc, base = names.rounds.get(rnd or "", (doc or "", ""))
        inputs = f"inputs on {on_version(names.version(rdoc, base))}" if base else f"round {rnd}"
        if kind == "round-close":
            return f"The Presidency closed the {inputs}"
        until = subject.rsplit(" until ", 1)[-1] if " until " in subject else ""
        whom = f", for {names.who(code)}," if code else ""
        return f"The Presidency extended the deadline for {inputs}{whom}" + (f" until {until}" if until else "")
    if kind in ("round-open", "round"):
        on = f" on {on_version(names.version(doc, entry.get('version')))}" if entry.get("version") else ""
        return f"Round {entry.get('round') or ''} opened{on}".replace("  ", " ")
    return subject.split("\n")[0] or "Change"
