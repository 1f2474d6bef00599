"""A version composed, decided: the round as the history holds it in, the new version out.

Pure. :func:`composition` takes what composing needs (a :class:`Snapshot`, read once, under
the workspace's write lock when the version is to be written) and what the Presidency asks
(a :class:`Request`), and returns a :class:`Plan`: the version to write (merged by
:func:`~drafting.text.merge.compose`, with its symbol and, if asked, renumbered), the
report, the next round to open in the same commit, the commit's message and trailers. Or
it raises one line:

- the version exists already (versions are never overwritten);
- the decisions name a proposal the round does not hold (a file that does not validate,
  or a hand edit);
- proposals of the round are still open, unless the Presidency composes without them;
- a conflict, under ``on_conflict="fail"`` (:class:`ComposeConflicts`, with the report);
- the next round cannot be opened on the new version (``model.rounds.proposed``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import rounds as R
from ..model.conventions import version_symbol
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.records import Decision, DocumentInfo, Proposal, Round, Version
from ..model.vocabulary import default_label
from ..model.when import zone
from .merge import ComposeResult, compose

__all__ = ["ComposeConflicts", "Plan", "Request", "Snapshot", "composition", "open_proposals"]


class ComposeConflicts(DraftingError):
    """compose --on-conflict fail found conflicts: nothing was written."""

    def __init__(self, message: str, report: dict):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Snapshot:
    """What composing a version of ``info``'s document needs, as the history holds it."""

    info: DocumentInfo
    #: every version of the document, by name (to rebase proposals written on older ones)
    history: Mapping[str, Version]
    #: the base's lineage, first version ... base
    lineage: tuple[Version, ...]
    #: the round composed (None: a version without a round, e.g. a renumbering)
    round: Round | None
    #: the moment (the server's): the new version's date, the next round's opening
    now: dt.datetime
    #: the round's proposals in submission order, and its decisions
    proposals: tuple[Proposal, ...] = ()
    decisions: Mapping[str, Decision] = field(default_factory=dict)
    #: decided ids that are no proposal of the round -> the file that holds them and its
    #: problem, when a contribution that does not validate holds them (else None)
    stray: Mapping[str, tuple[str, str] | None] = field(default_factory=dict)
    #: where the decisions are kept (to name it in a refusal)
    decisions_file: str = ""
    #: every round, and the rounds already composed (for ``--open-next``)
    rounds: tuple[Round, ...] = ()
    composed: frozenset[str] = frozenset()
    presidency: str = ""
    timezone: str | None = None

    @property
    def base(self) -> Version:
        return self.lineage[-1]

    @property
    def document(self) -> str:
        return self.base.document


@dataclass(frozen=True)
class Request:
    """What the Presidency asks: ``to_version`` from the snapshot's base."""

    to_version: str
    #: the file the new version is written to (to name it in a refusal)
    path: str = ""
    on_conflict: str = "brackets"
    label: str | None = None
    renumber: bool = False
    #: compose although proposals of the round are still open
    allow_open: bool = False
    #: the next round's deadline, opened on the new version in the same commit (None: none)
    open_next: str | None = None
    next_id: str | None = None
    #: a preview: open proposals are reported, not refused (nothing is written)
    preview: bool = False


@dataclass(frozen=True)
class Plan:
    result: ComposeResult
    round: Round | None
    open_proposals: tuple[str, ...]
    next_round: Round | None
    renumbered: bool
    message: str
    trailers: Mapping[str, str]

    @property
    def version(self) -> Version:
        return self.result.version

    def report(self) -> dict[str, Any]:
        """The contract's compose JSON (without ``path`` and ``commit``, the writer's)."""
        out = self.result.to_json()
        out["from"] = self.version.based_on
        out["renumbered"] = self.renumbered
        out["round"] = self.round.id if self.round else None
        out["open_proposals"] = list(self.open_proposals)
        return out


def open_proposals(rnd: Round | None, proposals: Sequence[Proposal], decisions: Mapping[str, Decision]) -> list[str]:
    """The ids of the round's proposals not decided yet."""
    if rnd is None:
        return []
    return [p.id for p in proposals if (d := decisions.get(p.id)) is None or d.status == "open"]


def composition(snap: Snapshot, req: Request) -> Plan:
    """The version ``req`` asks for, composed from ``snap`` (see the module docstring)."""
    if req.on_conflict not in ("brackets", "fail"):
        raise DraftingError(f"--on-conflict must be brackets or fail, not {req.on_conflict!r}")
    document, base, rnd = snap.document, snap.base, snap.round
    if req.to_version in snap.history:
        raise Conflict(
            f"{req.path or req.to_version} already exists: versions are never overwritten; choose another name for --to"
        )
    _refuse_stray(snap)
    still_open = open_proposals(rnd, snap.proposals, snap.decisions)
    if still_open and not (req.allow_open or req.preview):
        _refuse_open(rnd, still_open)
    nxt = None
    if req.open_next is not None and not req.preview:
        nxt = R.proposed(
            snap.rounds,
            document,
            req.to_version,
            req.open_next,
            rid=req.next_id,
            opens=None,
            now=snap.now,
            tz=snap.timezone,
            versions=[*snap.history, req.to_version],
            composed=snap.composed,
            composing=rnd.id if rnd else None,
        )
    result = compose(
        base,
        snap.proposals,
        snap.decisions,
        new_version=req.to_version,
        round=rnd.id if rnd else None,
        on_conflict=req.on_conflict,
        history=snap.history,
        used_ids={p.id for v in snap.history.values() for p in v.paragraphs},
        label=req.label or default_label(req.to_version),
        date=snap.now.astimezone(zone(snap.timezone)).date().isoformat(),
        presidency=snap.presidency,
    )
    v = replace(result.version, renumbered=req.renumber)
    v = replace(v, symbol=version_symbol(snap.info, [*snap.lineage, v]))
    result = replace(result, version=v)
    n_conf = len(result.conflicts)
    plan = Plan(
        result=result,
        round=rnd,
        open_proposals=tuple(still_open),
        next_round=nxt,
        renumbered=req.renumber,
        message=(
            f"Compose {req.to_version} of {document} from {base.version}{' and ' + rnd.id if rnd else ''}: "
            f"{len(result.applied)} applied, {n_conf} conflict{'s' if n_conf != 1 else ''}"
        ),
        trailers={
            "Action": "version",
            "Document": document,
            "Version": req.to_version,
            **({"Round": rnd.id} if rnd else {}),
            **({"Renumbered": "yes"} if req.renumber else {}),
            **({"Opens-Round": nxt.id} if nxt else {}),
        },
    )
    if req.on_conflict == "fail" and result.conflicts:
        where = "; ".join(f"{c.paragraph}: {', '.join(c.proposals)}" for c in result.conflicts[:3])
        raise ComposeConflicts(
            f"compose stopped: {n_conf} conflict{'s' if n_conf != 1 else ''} "
            f"({where}{'; ...' if n_conf > 3 else ''}); nothing written. Decide them "
            "differently, or compose with --on-conflict brackets",
            plan.report(),
        )
    return plan


def _refuse_stray(snap: Snapshot) -> None:
    """Decisions of ids the round does not hold: a contribution that does not validate
    holds them (correct it), or the decisions file names what is not there."""
    if not snap.stray:
        return
    for pid, held in snap.stray.items():
        if held is not None:
            rel, problem = held
            raise DraftingError(
                f"cannot compose: {pid} is decided ({snap.decisions[pid].status}), but {rel}, which holds it, "
                f"is not valid ({problem.removeprefix(rel + ': ')}); correct the file first"
            )
    ids = sorted(snap.stray)
    assert snap.round is not None
    raise NotFound(
        f"{snap.decisions_file}: decides {ids[0]}, which is no proposal of round "
        f"{snap.round.id}{f' (and {len(ids) - 1} more)' if len(ids) > 1 else ''}; correct the file"
    )


def _refuse_open(rnd: Round | None, ids: Sequence[str]) -> None:
    assert rnd is not None
    n = len(ids)
    shown = ", ".join(ids[:5]) + (f" and {n - 5} more" if n > 5 else "")
    raise Conflict(
        f"cannot compose: {n} proposal{'s' if n != 1 else ''} of round {rnd.id} "
        f"{'are' if n != 1 else 'is'} still open ({shown}); decide them (e.g. 'drafting decide "
        f"--round {rnd.id} --status open deferred'), or compose with --allow-open"
    )
