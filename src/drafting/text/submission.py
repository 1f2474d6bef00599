"""A delegation's submission decided: typed proposals in, its new inputs and a report out.

Pure. :func:`submission` takes what the round holds for the delegation (a
:class:`Snapshot`, read once under the workspace's write lock) and what it brings (an
:class:`Incoming`: the proposals of a YAML file, a Word file or the app's form) and returns
the delegation's new contribution (:class:`Outcome`) or raises a one-line
:class:`~drafting.model.errors.DraftingError`. The rules:

- A Word file or the app's form **adds** its proposals to what the delegation already
  submitted in the round; a YAML file **replaces** only its undecided proposals. Decided
  and withdrawn proposals always stay as they are: nobody repeats them or keeps their ids.
- The same proposal twice (operation, paragraph or anchor, text) is not added twice.
- Each proposal keeps the date it was first submitted; a new one is dated ``now``.
- Proposals read against another version than the round's base are rebased onto it
  (:func:`~drafting.text.merge.rebase_proposal`); one that cannot be carried over is filed
  as a comment quoting it, and said so: never dropped.
- New ids continue the delegation's numbering (``CODE-n``) across every round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..model import integrity
from ..model.errors import DraftingError
from ..model.records import Contribution, Decision, Delegation, Proposal, Round, Version
from ..model.status import refuse_amendments_to_agreed
from ..model.validate import proposal_key
from ..model.vocabulary import kind_word

__all__ = ["Incoming", "Outcome", "Snapshot", "beyond", "submission"]


@dataclass(frozen=True)
class Snapshot:
    """What a submission needs of the round, as the history holds it at the commit's parent."""

    delegation: Delegation
    round: Round
    base: Version
    #: the delegation's inputs in the round so far (None: none, or a file that does not validate)
    earlier: Contribution | None
    #: a file that does not validate: its proposals' substance by id (else empty)
    damaged: Mapping[str, tuple]
    decisions: Mapping[str, Decision]
    #: the delegation's proposal ids in the other rounds
    ids_elsewhere: frozenset[str]
    #: the highest n of the delegation's ``CODE-n`` ids, in every round
    last_number: int
    #: the paragraphs now agreed (id -> how to name them): no new amendments
    agreed: Mapping[str, str]
    now: str
    max_proposals: int = 2_000


@dataclass(frozen=True)
class Incoming:
    """What a submission brings. ``proposals``: typed, id ``""`` where none was given;
    ``replaces``: a YAML file (replaces the undecided proposals) rather than an addition;
    ``read_against``: the version a Word file's edits were read against (None: the
    round's base)."""

    source: str
    proposals: tuple[Proposal, ...]
    replaces: bool = False
    read_against: Version | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    contribution: Contribution
    #: the proposals this submission added (new ids)
    added: tuple[Proposal, ...]
    notes: tuple[str, ...]


def _decided(snap: Snapshot, pid: str) -> bool:
    d = snap.decisions.get(pid)
    return d is not None and d.status != "open"


def _number(pid: str, code: str) -> int:
    tail = pid[len(code) + 1 :] if pid.startswith(f"{code}-") else ""
    return int(tail) if tail.isdigit() else 0


def _rebased(snap: Snapshot, inc: Incoming) -> tuple[list[Proposal], list[str]]:
    """The incoming proposals against the round's base (rebased where read against
    another version), and what was said about them."""
    old, new = inc.read_against, snap.base
    if old is None or old.version == new.version:
        return list(inc.proposals), []
    out: list[Proposal] = []
    notes = [
        f"{inc.source} was read against {old.label or old.version}; its changes were carried over to "
        f"{new.label or new.version}, the text of round {snap.round.id}"
    ]
    now = new.by_id()
    texts = {q.text for q in new.paragraphs}
    for p in inc.proposals:
        if p.op == "insert" and p.text in texts:
            notes.append(f"left out the new paragraph after {p.after}: {new.label or new.version} already has it")
            continue
        from .merge import rebase_proposal  # (the merge machinery only when a file needs rebasing)

        r = rebase_proposal(p, old, new)
        if isinstance(r, Proposal):
            if r.op == "amend" and r.paragraph in now and r.text == now[r.paragraph].text:
                notes.append(f"left out the amendment of {r.paragraph}: {new.label or new.version} already reads so")
                continue
            out.append(r)
            continue
        if p.op == "delete" and p.paragraph not in now:
            notes.append(f"left out the deletion of {p.paragraph}: it is no longer in {new.label or new.version}")
            continue
        at = _nearest(p.target, old, now) or (new.paragraphs[0].id if new.paragraphs else None)
        if at is None:
            raise DraftingError(f"{inc.source}: {r}, and {new.version} has no paragraph to attach it to")
        what = {"amend": "amendment", "insert": "new paragraph", "comment": "comment"}.get(p.op, p.op)
        where = f"after {p.after}" if p.op == "insert" else f"of {p.paragraph}"
        quoted = f': "{p.text}"' if p.text else ""
        text = (
            f"[{what} {where}, written on {old.label or old.version}, could not be carried over to "
            f"{new.label or new.version}: {r}]{quoted}"
        )
        out.append(
            replace(p, op="comment", paragraph=at, after=None, text=text, kind=None, section=None, base=new.version)
        )
        notes.append(f"filed the {what} {where} as a comment on {at}: {r}")
    return out, notes


def _nearest(pid: str | None, old: Version, now: Mapping[str, object]) -> str | None:
    """``pid`` if the new version has it, else the nearest paragraph before it in ``old`` that it has."""
    if pid is None:
        return None
    if pid in now:
        return pid
    try:
        i = old.index(pid)
    except KeyError:
        return None
    for q in reversed(old.paragraphs[:i]):
        if q.id in now:
            return q.id
    return None


def submission(snap: Snapshot, inc: Incoming) -> Outcome:
    """The delegation's inputs after this submission (see the module's rules)."""
    code, src = snap.delegation.code, inc.source
    rnd = snap.round
    decided_damaged = sorted(pid for pid in snap.damaged if _decided(snap, pid))
    if decided_damaged and inc.replaces:  # a YAML file mends it: its decided proposals as they were
        after = integrity.substances(p for p in inc.proposals if p.id)
        changed = integrity.decided_changes(snap.damaged, after, snap.decisions)
        if changed:
            pid, how = changed[0]
            raise DraftingError(integrity.decided_change_message(src, pid, how, snap.decisions[pid].status))
    elif decided_damaged:
        raise DraftingError(
            f"{src}: your earlier inputs in round {rnd.id} are not a valid file and hold decided proposals "
            f"({', '.join(decided_damaged)}); ask the Presidency to have the file corrected before submitting again"
        )
    incoming, notes = _rebased(snap, inc)
    notes = [*inc.notes, *notes]
    incoming = [
        replace(p, submitted=None, withdrawn=None, delegation=code, document=rnd.document, round=rnd.id, base=rnd.base)
        for p in incoming
    ]
    earlier = list(snap.earlier.proposals) if snap.earlier else []
    by_id = {p.id: p for p in earlier}
    stays = [p for p in earlier if _decided(snap, p.id) or p.withdrawn]  # never the user's burden
    live = {proposal_key(p): p for p in earlier if not p.withdrawn}
    fresh: list[Proposal] = []
    seen: set[tuple] = set()
    dupes: list[str] = []  # the same proposal again: not added twice
    for p in incoming:
        key = proposal_key(p)
        if p.id:
            if p.id in snap.ids_elsewhere:
                raise DraftingError(
                    f"{src}: proposal id {p.id} is already used in another round; leave the id out and one will "
                    "be assigned"
                )
            old = by_id.get(p.id)
            if old is not None and (old.withdrawn or _decided(snap, p.id)):
                if integrity.substance(old) != integrity.substance(p):
                    if old.withdrawn:
                        raise DraftingError(
                            f"{src}: {p.id} was withdrawn and stays so; leave its id out to propose it again"
                        )
                    raise DraftingError(
                        integrity.decided_change_message(src, p.id, "changed", snap.decisions[p.id].status)
                    )
                continue  # listed as it stands: it stays
        else:
            same = live.get(key)
            if same is not None:
                if not inc.replaces or same.withdrawn or _decided(snap, same.id):
                    if inc.replaces:
                        continue
                    dupes.append(f"{_what(p)} was already submitted as {same.id}")
                    continue
                p = replace(p, id=same.id)
        if key in seen:
            dupes.append(f"{_what(p)} is in {src} twice")
            continue
        seen.add(key)
        old = by_id.get(p.id) if p.id else None
        if old is not None and integrity.substance(old) == integrity.substance(p):
            p = replace(p, submitted=old.submitted)  # the same proposal: its first date stays
        fresh.append(p)
    if inc.replaces:
        result = _in_order(stays, fresh)
    else:
        if not fresh:
            said = "; ".join(dupes[:3]) + (f" (and {len(dupes) - 3} more)" if len(dupes) > 3 else "")
            raise DraftingError(f"{src}: nothing new: {said or 'no proposals'}")
        result = [*earlier, *fresh]
    taken = {p.id for p in result if p.id}
    n = max([snap.last_number, *(_number(pid, code) for pid in taken)]) + 1
    added: list[Proposal] = []
    numbered: list[Proposal] = []
    for p in result:
        if not p.id:
            while f"{code}-{n}" in taken or f"{code}-{n}" in snap.ids_elsewhere:
                n += 1
            p = replace(p, id=f"{code}-{n}")
            taken.add(p.id)
        if p.submitted is None:
            p = replace(p, submitted=snap.now)
        if p.id not in by_id:
            added.append(p)
        numbered.append(p)
    ids = [p.id for p in numbered]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise DraftingError(f"{src}: proposal id {twice[0]} is used twice")
    if len(numbered) > snap.max_proposals:
        raise DraftingError(
            f"{src}: {len(numbered):,} proposals in round {rnd.id}, over the limit of {snap.max_proposals:,}"
        )
    if not numbered and not (snap.earlier and snap.earlier.supports):
        raise DraftingError(f"{src}: no proposals; nothing to submit")
    refuse_amendments_to_agreed(src, numbered, list(by_id), snap.agreed)
    contribution = Contribution(
        code,
        rnd.document,
        rnd.id,
        rnd.base,
        tuple(numbered),
        (),
        snap.now,
        snap.earlier.supports if snap.earlier else (),
    )
    notes += [f"{d}: not added again" for d in dupes]
    return Outcome(contribution, tuple(added), tuple(notes))


def _in_order(stays: Sequence[Proposal], fresh: Sequence[Proposal]) -> list[Proposal]:
    """The proposals that stay (decided, withdrawn) then the file's, none twice."""
    ids = {p.id for p in fresh if p.id}
    return [*(p for p in stays if p.id not in ids), *fresh]


def _what(p: Proposal) -> str:
    where = p.paragraph if p.op != "insert" else f"after {p.after or 'the start'}"
    return f"the {kind_word(p.op)} on {where}"


def beyond(proposals: Sequence[Proposal], version: Version) -> tuple[list[Proposal], list[str]]:
    """Of the proposals read from a copy of ``version`` circulated with its changes as
    tracked changes (read against the earlier version), those that go beyond ``version``:
    an amendment to a text ``version`` already has, the deletion of a paragraph it no
    longer has, a new paragraph it already holds are the circulated changes, left out.
    The rest, as proposals on ``version``; and a note of what was left out."""
    now = version.by_id()
    texts = {q.text for q in version.paragraphs}
    out: list[Proposal] = []
    left = 0
    for p in proposals:
        if (
            (p.op == "amend" and p.paragraph in now and p.text == now[p.paragraph].text)
            or (p.op == "delete" and p.paragraph not in now)
            or (p.op == "insert" and p.text in texts)
        ):
            left += 1
            continue
        out.append(replace(p, base=version.version))
    notes = [f"left out {left} change{'s' if left != 1 else ''} the copy was circulated with"] if left else []
    return out, notes
