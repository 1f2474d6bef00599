"""The records of a drafting workspace, as immutable plain data.

Readers (``store``) build these from YAML; the pure core (``text``) computes with them;
writers turn them back into YAML. Field names follow ``CONTRACT.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

KINDS = ("heading", "preambular", "operative", "action", "text")
OPS = ("amend", "insert", "delete", "comment")
ROLES = ("presidency", "state-party", "signatory", "observer", "secretariat")
STATUSES = ("open", "accepted", "modified", "rejected", "deferred", "withdrawn", "addressed", "noted")
#: statuses under which a proposal's text (or the decision's) enters the next version
DECIDED_TEXT_STATUSES = ("accepted", "modified")
#: statuses that only make sense for comments
COMMENT_STATUSES = ("open", "addressed", "noted", "withdrawn")


@dataclass(frozen=True)
class Limits:
    """Sensible defaults against huge or hostile inputs; ``drafting.yaml`` may raise them."""

    max_file_bytes: int = 5_000_000  # one YAML file
    max_docx_bytes: int = 20_000_000  # one uploaded Word file
    max_docx_unpacked_bytes: int = 200_000_000
    max_text_chars: int = 20_000  # one paragraph, proposal text, comment
    max_paragraphs: int = 5_000  # one version
    max_proposals: int = 2_000  # one contribution
    max_depth: int = 20  # YAML nesting
    pandoc_timeout_s: int = 60

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> Limits:
        if not data:
            return cls()
        known = set(cls.__dataclass_fields__)
        return replace(cls(), **{k: int(v) for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Delegation:
    code: str
    name: str
    role: str

    @property
    def email(self) -> str:
        return f"{self.code}@delegations.invalid"


@dataclass(frozen=True)
class DocumentInfo:
    """A document of the conference and how its circulated versions are headed (UN
    document conventions, see ``model/conventions.py``)."""

    slug: str
    title: str
    symbol: str | None = None
    #: for the documentation rules' word limits: ``secretariat`` or ``other``
    category: str = "other"
    #: the title in other languages (language code -> title), for translated exports
    titles: tuple[tuple[str, str], ...] = ()
    #: the symbol of a revision: ``{symbol}`` the document's, ``{n}`` the revision's number
    revision_symbol: str = "{symbol}/Rev.{n}"
    distribution: str = "General"
    original: str | None = None  # default: the conference's source language ("English")
    submitted_by: str = "Submitted by the President"


@dataclass(frozen=True)
class Extension:
    """A later deadline the Presidency granted in a round (``model/rounds.py``): for one
    delegation, or (``delegation`` None) the round's deadline moved for everyone."""

    deadline: str  # as given: an ISO date (its end) or date-time, in the conference's time zone
    granted: str  # ISO, UTC: when it was granted
    delegation: str | None = None
    previous: str | None = None  # a general extension: the deadline it replaced
    by: str | None = None


@dataclass(frozen=True)
class Round:
    id: str
    document: str
    base: str
    deadline: str | None = None  # the deadline in force for everyone (a general extension moves it)
    opens: str | None = None
    #: later deadlines granted, in the order granted (``rounds/<id>.yaml``)
    extensions: tuple[Extension, ...] = ()
    closed: str | None = None  # ISO, UTC: closed by the Presidency before or after its deadline
    opened: str | None = None  # ISO, UTC: when the Presidency opened it in the tool
    #: where it is defined: ``drafting.yaml`` (rounds:) or its record ``rounds/<id>.yaml``
    source: str = "drafting.yaml"


#: document categories of the documentation rules (word limits)
DOCUMENT_CATEGORIES = ("secretariat", "other")


@dataclass(frozen=True)
class MeetingDocument:
    """A document a meeting needs: one of the workspace's documents (``document``), or
    another one known by its title and estimated length (``words``)."""

    document: str | None = None
    title: str | None = None
    words: int = 0
    category: str = "other"
    symbol: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting of the conference's calendar (``meetings:`` in drafting.yaml)."""

    id: str
    name: str
    start: str  # ISO date of the first day
    end: str | None = None  # ISO date of the last day (meetings of several days)
    venue: str | None = None
    documents: tuple[MeetingDocument, ...] = ()


@dataclass(frozen=True)
class DocumentationRules:
    """The documentation rules (``documentation:`` in drafting.yaml): when documents are due
    for translation, how pages and word limits are counted, what translation costs."""

    due_weeks: int = 10  # documents are due for translation this many weeks before a meeting opens
    page_words: int = 330  # words in a standard page
    word_limits: tuple[tuple[str, int], ...] = (("secretariat", 8_500), ("other", 10_700))
    #: translation rate per word (language code -> rate; "*" for every language); none: costs unknown
    rate_per_word: tuple[tuple[str, str], ...] = ()
    currency: str = "USD"

    def word_limit(self, category: str) -> int | None:
        return dict(self.word_limits).get(category)

    def rate(self, language: str) -> str | None:
        """The rate per word into ``language`` (a decimal as text), or None if none is set."""
        rates = dict(self.rate_per_word)
        return rates.get(language, rates.get("*"))


@dataclass(frozen=True)
class Config:
    conference: str
    presidency: str
    documents: dict[str, DocumentInfo]
    delegations: tuple[Delegation, ...]
    rounds: tuple[Round, ...]
    limits: Limits = field(default_factory=Limits)
    venue: str | None = None
    #: the conference's time zone (IANA name): deadlines given as dates end at midnight there
    timezone: str = "UTC"
    #: an old ``app:`` setting, accepted and ignored: whether the app requires sign-in is
    #: the server's configuration, never the workspace's (app/auth.py, docs/app.md)
    app: dict = field(default_factory=dict)
    #: the conference's languages, the source language (in which texts are negotiated) first
    languages: tuple[str, ...] = ("en",)
    meetings: tuple[Meeting, ...] = ()
    documentation: DocumentationRules = field(default_factory=DocumentationRules)

    @property
    def source_language(self) -> str:
        return self.languages[0]

    @property
    def target_languages(self) -> tuple[str, ...]:
        """The languages texts are translated into (all but the source language)."""
        return self.languages[1:]

    def meeting(self, mid: str) -> Meeting | None:
        for m in self.meetings:
            if m.id == mid:
                return m
        return None

    def delegation(self, code: str) -> Delegation | None:
        return self._delegations_by_code.get(code)

    @cached_property
    def _delegations_by_code(self) -> dict[str, Delegation]:
        return {d.code: d for d in reversed(self.delegations)}  # (the first listed, should one repeat)

    def round(self, rid: str) -> Round | None:
        for r in self.rounds:
            if r.id == rid:
                return r
        return None

    def rounds_of(self, document: str) -> tuple[Round, ...]:
        return tuple(r for r in self.rounds if r.document == document)

    @property
    def presidency_delegation(self) -> Delegation:
        d = self.delegation(self.presidency)
        return d or Delegation(self.presidency, self.presidency, "presidency")


@dataclass(frozen=True)
class Paragraph:
    id: str
    text: str
    section: str | None = None
    kind: str = "text"
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Version:
    document: str
    version: str
    paragraphs: tuple[Paragraph, ...]
    label: str | None = None
    symbol: str | None = None
    date: str | None = None
    based_on: str | None = None
    round: str | None = None
    #: issued renumbered (1 .. N) by the Presidency: numbering starts afresh here
    renumbered: bool = False

    def by_id(self) -> dict[str, Paragraph]:
        return {p.id: p for p in self.paragraphs}

    def index(self, pid: str) -> int:
        for i, p in enumerate(self.paragraphs):
            if p.id == pid:
                return i
        raise KeyError(pid)


@dataclass(frozen=True)
class Proposal:
    """One proposal, with the context of the contribution it came in."""

    id: str
    op: str
    paragraph: str | None = None  # amend, delete, comment
    after: str | None = None  # insert: the anchor paragraph (None: at the start)
    text: str | None = None  # amend, insert, comment
    kind: str | None = None  # insert
    section: str | None = None  # insert
    tags: tuple[str, ...] = ()
    rationale: str | None = None
    # context, from the contribution
    delegation: str = ""
    co_sponsors: tuple[str, ...] = ()
    document: str = ""
    round: str = ""
    base: str = ""
    #: when the proposal was first submitted (the server's clock; kept by every resubmission)
    submitted: str | None = None
    meta: tuple[tuple[str, Any], ...] = ()  # e.g. Word author names, kept as metadata
    #: when the delegation withdrew it (undecided), or None
    withdrawn: str | None = None
    #: the named co-sponsors who withdrew their support (their answers, in their own files:
    #: set when the round is read, never written in the proposer's file)
    declined: tuple[str, ...] = ()

    @property
    def target(self) -> str | None:
        """The paragraph the proposal is about (the anchor for an insert)."""
        return self.after if self.op == "insert" else self.paragraph

    @property
    def delegations(self) -> tuple[str, ...]:
        """Whom the proposal's words are credited to: its delegation and the co-sponsors it
        names, less those who withdrew their support."""
        return (self.delegation, *(c for c in self.co_sponsors if c not in self.declined))


@dataclass(frozen=True)
class Contribution:
    delegation: str
    document: str
    round: str
    base: str
    proposals: tuple[Proposal, ...]
    #: a file-level list (the contract's joint submission): each proposal's co-sponsors
    #: default to it; drafting writes co-sponsors per proposal and leaves this empty
    co_sponsors: tuple[str, ...] = ()
    #: the last submission's time
    submitted: str | None = None
    #: this delegation's answers to other delegations' proposals naming it as a co-sponsor:
    #: (proposal id, ``confirmed`` | ``withdrawn``), in the order given
    supports: tuple[tuple[str, str], ...] = ()


#: what a named co-sponsor answers (``supports:`` in its own contribution file)
SUPPORT_STATES = ("confirmed", "withdrawn")


def status_of(p: Proposal, decision: Decision | None) -> str:
    """A proposal's status: the Presidency's decision, else ``withdrawn`` if its delegation
    withdrew it, else ``open`` (the one rule every listing uses)."""
    if decision is not None:
        return decision.status
    return "withdrawn" if p.withdrawn else "open"


@dataclass(frozen=True)
class TranslationRecord:
    """One paragraph's translation: the text, and the fingerprint of the source text it
    translates (``model.languages.fingerprint``)."""

    id: str
    text: str
    fingerprint: str


@dataclass(frozen=True)
class Translation:
    """The translations made for one version of a document into one language
    (``drafts/<document>/<version>.<language>.yaml``)."""

    document: str
    version: str
    language: str
    paragraphs: tuple[TranslationRecord, ...] = ()

    def by_id(self) -> dict[str, TranslationRecord]:
        return {r.id: r for r in self.paragraphs}


@dataclass(frozen=True)
class Decision:
    proposal: str
    status: str
    text: str | None = None
    note: str | None = None
    by: str | None = None
