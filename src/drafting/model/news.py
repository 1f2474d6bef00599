"""What is new for a delegation since it last looked: pure functions over the records.

A delegation's last visit is remembered as a :class:`Seen`: the moment, the versions that
existed, the status of each proposal it made or co-sponsors, and the proposals that named
it as a co-sponsor. :func:`whats_new` compares the workspace's :class:`Records` now with
that snapshot and says, for that delegation:

- the **new versions** (a revision is out);
- the **decisions on its proposals** (as proposer or co-sponsor) taken since;
- the **co-sponsor requests**: another delegation named it as a co-sponsor;
- the **deadlines approaching**: input rounds still open whose deadline falls within the
  horizon (these are not "since" anything: they are shown while they approach), and
  whether it has sent anything in them.

:func:`seen` makes the snapshot to remember. No clock, no disk, no Streamlit: the caller
passes the moment (``now``) and stores the snapshot (``service.news``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import DraftingError
from .records import Config, Decision, Proposal, Version
from .when import iso, parse_when

__all__ = [
    "CosponsorRequest",
    "DeadlineNews",
    "DecisionNews",
    "News",
    "Records",
    "Seen",
    "VersionNews",
    "records_from",
    "seen",
    "whats_new",
]

#: how far ahead a deadline counts as approaching
HORIZON = dt.timedelta(days=7)


@dataclass(frozen=True)
class Records:
    """What the news are computed from: plain data read from a workspace once per state."""

    config: Config
    #: (document, version) -> (label, date, round it was composed from, based on)
    versions: Mapping[tuple[str, str], tuple[str, str, str, str]]
    proposals: tuple[Proposal, ...]
    decisions: Mapping[str, Decision]


def records_from(
    config: Config,
    versions: Iterable[Version],
    proposals: Iterable[Proposal],
    decisions: Mapping[str, Decision],
) -> Records:
    from .vocabulary import default_label

    return Records(
        config=config,
        versions={
            (v.document, v.version): (
                v.label or default_label(v.version),
                v.date or "",
                v.round or "",
                v.based_on or "",
            )
            for v in versions
        },
        proposals=tuple(proposals),
        decisions=dict(decisions),
    )


@dataclass(frozen=True)
class Seen:
    """What a delegation had seen at its last visit (kept by the server, as JSON)."""

    at: str  # ISO moment (UTC)
    versions: frozenset[tuple[str, str]] = frozenset()
    statuses: Mapping[str, str] = field(default_factory=dict)  # its proposals' statuses
    cosponsored: frozenset[str] = frozenset()  # proposals naming it as a co-sponsor

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "versions": sorted([list(v) for v in self.versions]),
            "statuses": dict(sorted(self.statuses.items())),
            "cosponsored": sorted(self.cosponsored),
        }

    @classmethod
    def from_json(cls, data: Any) -> Seen | None:
        """The snapshot stored earlier; None for anything that is not one (the visit is
        then treated as a first visit rather than failing)."""
        if not isinstance(data, dict) or not isinstance(data.get("at"), str):
            return None
        try:
            versions = frozenset((str(d), str(v)) for d, v in data.get("versions") or [])
            statuses = {str(k): str(v) for k, v in (data.get("statuses") or {}).items()}
            cos = frozenset(str(x) for x in data.get("cosponsored") or [])
        except (TypeError, ValueError, AttributeError):
            return None
        return cls(data["at"], versions, statuses, cos)


def _mine(records: Records, code: str) -> list[Proposal]:
    return [p for p in records.proposals if code in p.delegations]


def _status(records: Records, p: Proposal) -> str:
    from .records import status_of

    return status_of(p, records.decisions.get(p.id))


def seen(records: Records, code: str, now: dt.datetime) -> Seen:
    """The snapshot to remember for ``code`` at ``now``."""
    mine = _mine(records, code)
    return Seen(
        at=iso(now),
        versions=frozenset(records.versions),
        statuses={p.id: _status(records, p) for p in mine},
        cosponsored=frozenset(p.id for p in mine if code in p.co_sponsors),
    )


@dataclass(frozen=True)
class VersionNews:
    document: str
    version: str
    label: str
    date: str
    round: str  # the round it was composed from ("" for an imported version)


@dataclass(frozen=True)
class DecisionNews:
    document: str
    proposal: str
    op: str
    delegation: str  # the proposer
    status: str
    before: str  # the status last seen ("open" for a proposal not seen before)
    note: str | None
    base: str
    target: str | None
    round: str
    co_sponsor: bool  # the delegation co-sponsors it (it did not propose it)


@dataclass(frozen=True)
class CosponsorRequest:
    document: str
    round: str
    base: str
    by: str  # the delegation that named it as co-sponsor
    proposals: tuple[str, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineNews:
    document: str
    round: str
    base: str
    deadline: str  # ISO moment
    left: dt.timedelta
    sent: tuple[str, ...]  # the ops of what the delegation has sent in the round


@dataclass(frozen=True)
class News:
    delegation: str
    since: str | None  # the last visit (None: the first)
    versions: tuple[VersionNews, ...] = ()
    decisions: tuple[DecisionNews, ...] = ()
    cosponsor_requests: tuple[CosponsorRequest, ...] = ()
    deadlines: tuple[DeadlineNews, ...] = ()

    @property
    def count(self) -> int:
        """How many things are new (approaching deadlines included)."""
        return len(self.versions) + len(self.decisions) + len(self.cosponsor_requests) + len(self.deadlines)

    def __bool__(self) -> bool:
        return self.count > 0


def whats_new(
    records: Records,
    code: str,
    last: Seen | None,
    now: dt.datetime,
    *,
    document: str | None = None,
    horizon: dt.timedelta = HORIZON,
) -> News:
    """What is new for delegation ``code`` since ``last`` (None: its first visit, when all
    decisions so far and the latest version of each document count as news), at ``now``.
    ``document``: only what concerns that document."""
    cfg = records.config

    def wanted(doc: str) -> bool:
        return document is None or doc == document

    # versions: those not seen; on a first visit, the latest revision of each document
    if last is None:
        latest: dict[str, tuple[str, str]] = {}
        for doc, name in records.versions:
            if records.versions[(doc, name)][3]:  # a revision (based on another version)
                latest[doc] = (doc, name)  # versions are listed in lineage order
        fresh = list(latest.values())

    else:
        fresh = [k for k in records.versions if k not in last.versions]
    versions = tuple(VersionNews(doc, name, *records.versions[(doc, name)][:3]) for doc, name in fresh if wanted(doc))

    # decisions on its proposals, and co-sponsor requests
    decisions: list[DecisionNews] = []
    requests: dict[tuple[str, str, str], list[Proposal]] = {}
    before_statuses = last.statuses if last else {}
    for p in _mine(records, code):
        if not wanted(p.document):
            continue
        status = _status(records, p)
        before = before_statuses.get(p.id, "open")
        if status != before:
            d = records.decisions.get(p.id)
            decisions.append(
                DecisionNews(
                    p.document,
                    p.id,
                    p.op,
                    p.delegation,
                    status,
                    before,
                    d.note if d else None,
                    p.base,
                    p.target,
                    p.round,
                    code != p.delegation,
                )
            )
        if code in p.co_sponsors and (last is None or p.id not in last.cosponsored):
            requests.setdefault((p.document, p.round, p.delegation), []).append(p)
    cosponsor = tuple(
        CosponsorRequest(doc, rnd, ps[0].base, by, tuple(p.id for p in ps), tuple(p.op for p in ps))
        for (doc, rnd, by), ps in requests.items()
    )

    # deadlines approaching: rounds open now whose deadline falls within the horizon
    deadlines = []
    for r in cfg.rounds:
        if not r.deadline or not wanted(r.document):
            continue
        try:
            from .rounds import as_of, deadline_for

            ends = deadline_for(as_of(r, now), code, cfg.timezone) or parse_when(r.deadline, cfg.timezone)
            opens = parse_when(r.opens, cfg.timezone) - dt.timedelta(days=1) if r.opens else None
        except DraftingError:
            continue
        if opens is not None and now < opens:
            continue
        if now <= ends <= now + horizon:
            sent = tuple(p.op for p in records.proposals if p.round == r.id and p.delegation == code)
            deadlines.append(DeadlineNews(r.document, r.id, r.base, iso(ends), ends - now, sent))

    return News(
        delegation=code,
        since=last.at if last else None,
        versions=versions,
        decisions=tuple(decisions),
        cosponsor_requests=cosponsor,
        deadlines=tuple(deadlines),
    )
