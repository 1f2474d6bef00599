"""The records of a drafting workspace, as immutable plain data.

Readers (``store``) build these from YAML; the pure core (``text``) computes with them;
writers turn them back into YAML. Field names follow ``CONTRACT.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
        known = {f for f in cls.__dataclass_fields__}
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
    slug: str
    title: str
    symbol: str | None = None


@dataclass(frozen=True)
class Round:
    id: str
    document: str
    base: str
    deadline: str | None = None
    opens: str | None = None


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

    def delegation(self, code: str) -> Delegation | None:
        for d in self.delegations:
            if d.code == code:
                return d
        return None

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
    submitted: str | None = None
    meta: tuple[tuple[str, Any], ...] = ()  # e.g. Word author names, kept as metadata

    @property
    def target(self) -> str | None:
        """The paragraph the proposal is about (the anchor for an insert)."""
        return self.after if self.op == "insert" else self.paragraph

    @property
    def delegations(self) -> tuple[str, ...]:
        return (self.delegation, *self.co_sponsors)


@dataclass(frozen=True)
class Contribution:
    delegation: str
    document: str
    round: str
    base: str
    proposals: tuple[Proposal, ...]
    co_sponsors: tuple[str, ...] = ()
    submitted: str | None = None


@dataclass(frozen=True)
class Decision:
    proposal: str
    status: str
    text: str | None = None
    note: str | None = None
    by: str | None = None
