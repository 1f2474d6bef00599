"""Submitting inputs and recording the Presidency's decisions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import integrity, roles
from ..model.errors import DraftingError, NotFound, PermissionDenied, Problem, ValidationError
from ..model.records import Contribution, Decision, Delegation, Proposal, Round, status_of
from ..model.validate import (
    contribution_to_data,
    is_slug,
    parse_contribution,
)
from ..model.vocabulary import count_inputs
from ..store import yamlio
from ..store.workspace import Workspace, contribution_path
from ..text.submission import Incoming, Snapshot, submission
from . import clock
from .conference import agreed_paragraphs
from .identity import identity
from .rounds import admit


@dataclass(frozen=True)
class Submitted:
    contribution: Contribution
    commit: str
    path: str
    replaced: bool
    notes: tuple[str, ...] = ()
    #: the proposals this submission added (new ids)
    added: tuple[Proposal, ...] = ()
    decisions: Mapping[str, Decision] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "commit": self.commit,
            "path": self.path,
            "delegation": self.contribution.delegation,
            "document": self.contribution.document,
            "round": self.contribution.round,
            "base": self.contribution.base,
            "co_sponsors": list(dict.fromkeys(s for p in self.contribution.proposals for s in p.co_sponsors)),
            "replaced": self.replaced,
            "notes": list(self.notes),
            "added": [p.id for p in self.added],
            "proposals": [
                proposal_json(p, status_of(p, self.decisions.get(p.id)), self.commit)
                for p in self.contribution.proposals
            ],
        }


def proposal_json(p: Proposal, status: str, commit: str | None) -> dict[str, Any]:
    return {
        "id": p.id,
        "delegation": p.delegation,
        "co_sponsors": list(p.co_sponsors),
        "op": p.op,
        "paragraph": p.paragraph,
        "after": p.after,
        "text": p.text,
        "status": status,
        "round": p.round,
        "base": p.base,
        "commit": commit,
        # extensions
        "document": p.document,
        "rationale": p.rationale,
        "submitted": p.submitted,
        "kind": p.kind,
        "section": p.section,
        "withdrawn": p.withdrawn,
    }


def upload_name(name: str | None, default: str = "upload") -> str:
    """The name to show for a file a user uploaded: its own base name (no folders, no control
    characters, at most 120 characters), never the temporary path it is kept under."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base or default


def read_input_file(ws: Workspace, path: Path, shown: str | None = None) -> Any:
    """The plain data of a YAML input file; ``shown`` is the name messages give the file
    (by default the path as the user typed it)."""
    lim = ws.config.limits
    name = shown or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotFound(f"{name}: no such file") from None
    if size > lim.max_file_bytes:
        raise DraftingError(f"{name}: file is {size:,} bytes, over the limit of {lim.max_file_bytes:,}")
    return yamlio.load(path, name, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)


def submit_data(
    ws: Workspace,
    data: Any,
    *,
    delegation: str,
    source: str,
    document: str | None = None,
    round: str | None = None,
    notes: tuple[str, ...] = (),
    replaces: bool = True,
    dry_run: bool = False,
) -> Submitted:
    """Submit a contribution given as plain data, as a user typed it (a YAML file, the app's
    form): validated against the round's base, then filed (:func:`_file`). ``replaces``: the
    data replaces the delegation's undecided proposals (a YAML file); otherwise its proposals
    are added to what the delegation submitted (the app's form). A ``submitted:`` field in
    the data is not taken: the server's clock dates a submission."""
    cfg = ws.config
    deleg = roles.require_delegation(cfg, delegation)
    if not isinstance(data, dict):
        raise ValidationError(
            [Problem(source, "", "expected a mapping with delegation, document, round and proposals")]
        )
    for key in ("document", "round"):
        value = data.get(key)
        if value is not None and not is_slug(value):
            raise ValidationError([Problem(source, key, f"{_short(value)} is not a valid {key} name")])
    document = document or data.get("document")
    round = round or data.get("round")
    if data.get("delegation") is not None and data.get("delegation") != delegation:
        raise DraftingError(
            f"{source}: the file is by {_short(data.get('delegation'))} but was submitted "
            f"with --delegation {delegation}"
        )
    if not document:
        raise NotFound(f"{source}: no document: give 'document:' in the file or --document")
    ws.require_document(document)
    ops = [p.get("op") for p in data.get("proposals") or [] if isinstance(p, dict)]
    roles.check_may_submit(deleg, [o for o in ops if isinstance(o, str)])
    data = {k: v for k, v in data.items() if k not in ("submitted", "supports")}  # the server's, and the file's own

    def incoming(snap: Snapshot) -> Incoming:
        c = parse_contribution(
            data,
            source,
            config=cfg,
            base=snap.base,
            delegation=delegation,
            document=document,
            round=snap.round.id,
            ids_optional=True,
        )
        return Incoming(source, c.proposals, replaces=replaces, notes=notes)

    return _file(ws, deleg, document, round, source, incoming, dry_run=dry_run)


def submit_proposals(
    ws: Workspace,
    items: Sequence[Mapping[str, Any]],
    *,
    delegation: str,
    document: str,
    round: str | None = None,
    co_sponsors: Sequence[str] = (),
    source: str = "your proposals",
) -> Submitted:
    """Add ``items`` (new proposals as the app's form gives them) to the delegation's
    inputs; ``co_sponsors``: the delegations it names as co-sponsors of these proposals."""
    data: dict[str, Any] = {"proposals": [dict(i) for i in items]}
    if co_sponsors:
        data["co_sponsors"] = list(co_sponsors)
    return submit_data(ws, data, delegation=delegation, source=source, document=document, round=round, replaces=False)


def _file(
    ws: Workspace,
    deleg: Delegation,
    document: str,
    round_id: str | None,
    source: str,
    incoming: Callable[[Snapshot], Incoming],
    *,
    dry_run: bool = False,
) -> Submitted:
    """The one way a submission is filed: under the workspace's write lock, read the round
    once (:func:`snapshot`), decide with the pure :func:`~drafting.text.submission.submission`,
    write the delegation's file and commit once. So two submissions never take the same id,
    and a resubmission racing a decision is judged on the decision. ``dry_run``: decide,
    write nothing (the app's preview)."""
    from contextlib import nullcontext

    with nullcontext() if dry_run else ws.git.transaction():
        ws.refresh()
        snap = snapshot(ws, deleg, document, round_id, source=source)
        admit(ws, snap.round.id, deleg.code)  # the round open to this delegation now (model/rounds.py)
        outcome = submission(snap, incoming(snap))
        c = outcome.contribution
        rel = contribution_path(document, c.round, deleg.code)
        existed = (ws.root / rel).exists()
        if dry_run:
            return Submitted(c, "", rel, existed, outcome.notes, outcome.added, dict(snap.decisions))
        body = _body(c)
        counted = outcome.added if outcome.added else c.proposals
        sha = ws.git.commit(
            {rel: body},
            f"{'Resubmit' if existed else 'Submit'} {deleg.code} inputs on {document} "
            f"({c.round}): {count_inputs(p.op for p in counted)}",
            identity(deleg),
            date=snap.now,
            trailers={"Action": "submit", "Document": document, "Round": c.round, "Delegation": deleg.code},
        )
    return Submitted(c, sha, rel, existed, outcome.notes, outcome.added, dict(snap.decisions))


def require_open_round(ws: Workspace, document: str, round_id: str | None, *, source: str = "") -> Round:
    """The round named, else the round a submission goes to (``model.rounds.for_submission``:
    the open one, else the last not composed yet, where ``admit`` judges); a clear refusal
    when there is none."""
    if round_id:
        return ws.require_round(document, round_id)
    from .rounds import round_for_submission

    rnd = round_for_submission(ws, document)
    if rnd is None:
        title = ws.config.documents[document].title
        raise DraftingError(
            f"{source + ': ' if source else ''}no round is open for inputs on {title} ({document}); "
            "the Presidency opens one"
        )
    return rnd


def snapshot(ws: Workspace, deleg: Delegation, document: str, round_id: str | None, *, source: str = "") -> Snapshot:
    """What a submission by ``deleg`` needs of the round, read once (under the lock)."""
    rnd = require_open_round(ws, document, round_id, source=source)
    previous, damaged = _previous(ws, document, rnd.id, deleg.code)
    own = _own_ids(ws, deleg.code)  # ids are unique in the workspace; only CODE uses CODE-n
    return Snapshot(
        delegation=deleg,
        round=rnd,
        base=ws.version(document, rnd.base),
        earlier=previous,
        damaged=damaged,
        # (read only where there is something earlier to judge: a damaged decisions file
        # does not stop a first submission)
        decisions=ws.decisions(document, rnd.id) if previous is not None or damaged else {},
        ids_elsewhere=frozenset(pid for (r, pid) in own if r != rnd.id),
        last_number=max([0, *(_number(pid, deleg.code) for (_, pid) in own)]),
        agreed=agreed_paragraphs(ws, document),
        now=clock.stamp(),
        max_proposals=ws.config.limits.max_proposals,
    )


def _short(value: Any) -> str:
    """A value from a file, safe to echo in a one-line message."""
    text = repr(value) if not isinstance(value, str) or not is_slug(value) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _body(c: Contribution) -> bytes:
    """The delegation's file as drafting writes it: a header, then the contribution."""
    return (_header(c) + yamlio.dumps(contribution_to_data(c))).encode("utf-8")


def _header(c: Contribution) -> str:
    return (
        f"# Inputs of {c.delegation} on {c.document}, round {c.round}, written against {c.base}.\n"
        "# Written by drafting: a Word file adds to it; a YAML file replaces its undecided proposals.\n"
    )


def _previous(ws: Workspace, document: str, round_id: str, code: str) -> tuple[Contribution | None, dict[str, tuple]]:
    """The delegation's earlier inputs in the round (None if none, or unreadable), and for
    an unreadable file the substance of each of its proposals (a decided proposal in a
    damaged file still may not be dropped or changed)."""
    try:
        return ws.contribution(document, round_id, code), {}
    except NotFound:
        return None, {}
    except DraftingError:
        raw = ws.raw_proposals(contribution_path(document, round_id, code))
        return None, {pid: integrity.raw_substance(p) for pid, p in raw.items()}


def _own_ids(ws: Workspace, code: str) -> set[tuple[str, str]]:
    """(round, id) of every proposal id the delegation's files hold, in every round (its
    files only: an id in CODE's numbering is valid in CODE's files alone), read as plain
    data so that a damaged file's ids are not handed out again."""
    out: set[tuple[str, str]] = set()
    for r in ws.config.rounds:
        rel = contribution_path(r.document, r.id, code)
        if (ws.root / rel).exists():
            out.update((r.id, pid) for pid in ws.raw_proposals(rel))
    return out


def _number(pid: str, code: str) -> int:
    prefix = f"{code}-"
    if pid.startswith(prefix) and pid[len(prefix) :].isdigit():
        return int(pid[len(prefix) :])
    return 0


def check_co_sponsors(ws: Workspace, code: str, co_sponsors: Sequence[str], *, source: str = "") -> tuple[str, ...]:
    """The co-sponsors a delegation names for its proposals, checked (one line if not)."""
    at = f"{source}: " if source else ""
    out: list[str] = []
    for s in co_sponsors:
        d = ws.config.delegation(s)
        if d is None:
            raise NotFound(f"{at}unknown delegation {s!r} named as a co-sponsor")
        if s == code:
            raise DraftingError(f"{at}{s} is the submitting delegation itself, not a co-sponsor")
        bad = roles.co_sponsor_problem(d)
        if bad:
            raise DraftingError(f"{at}{bad}")
        if s not in out:
            out.append(s)
    return tuple(out)


def submit_file(
    ws: Workspace,
    path: Path,
    *,
    delegation: str,
    document: str | None = None,
    round: str | None = None,
    shown: str | None = None,
    co_sponsors: Sequence[str] = (),
    dry_run: bool = False,
) -> Submitted:
    """Submit a YAML or Word (ODT, Markdown, HTML) file; ``shown`` is the name messages give
    the file (the name the user chose for an upload; by default the path as typed). A Word
    file adds its proposals (``co_sponsors``: named for them) to the delegation's inputs in
    the document's open round; a YAML file replaces its undecided proposals."""
    name = shown or str(path)
    suffix = path.suffix.lower()
    if suffix in (".docx", ".odt", ".md", ".html", ".htm"):
        from .word import read_word

        deleg = roles.require_delegation(ws.config, delegation)
        co = check_co_sponsors(ws, deleg.code, co_sponsors, source=name)
        reading = read_word(ws, path, delegation=delegation, document=document, shown=name)
        if not reading.proposals:
            raise DraftingError(
                f"{name}: no changes and no comments against {reading.document} {reading.read_against.version}; "
                "nothing to submit"
            )
        proposals = tuple(replace(p, co_sponsors=co) for p in reading.proposals)

        def incoming(snap: Snapshot) -> Incoming:
            return Incoming(name, proposals, replaces=False, read_against=reading.read_against, notes=reading.notes)

        return _file(ws, deleg, reading.document, round, name, incoming, dry_run=dry_run)
    if suffix not in (".yaml", ".yml"):
        raise DraftingError(
            f"{name}: cannot read {suffix or 'a file without extension'}; submit a "
            ".yaml file or a .docx of the circulated draft"
        )
    if co_sponsors:
        raise DraftingError(f"{name}: name co-sponsors in the YAML file (co_sponsors:), not with --co-sponsor")
    data = read_input_file(ws, path, name)
    return submit_data(ws, data, delegation=delegation, source=name, document=document, round=round, dry_run=dry_run)


# ------------------------------------------------------------------------ withdraw, co-sponsor


def withdraw(ws: Workspace, proposal_id: str, *, delegation: str) -> dict[str, Any]:
    """The delegation withdraws its undecided proposal (one commit: the proposal stays in
    its file, marked withdrawn with the time)."""
    deleg = roles.require_delegation(ws.config, delegation)
    seen = find_proposal(ws, proposal_id)
    if seen.delegation != deleg.code:
        raise PermissionDenied(f"{proposal_id} is {seen.delegation}'s proposal: only {seen.delegation} withdraws it")
    with ws.git.transaction():
        ws.refresh()
        p = find_proposal(ws, proposal_id, document=seen.document, round=seen.round)
        d = ws.decisions(p.document, p.round).get(p.id)
        if p.withdrawn and d is None:
            return {"proposal": p.id, "delegation": deleg.code, "withdrawn": p.withdrawn, "commit": None, "path": None}
        problem = withdrawal_problem(p, d)
        if problem:
            raise DraftingError(problem)
        c = ws.contribution(p.document, p.round, deleg.code)
        now = clock.stamp()
        new = replace(c, proposals=tuple(replace(q, withdrawn=now) if q.id == p.id else q for q in c.proposals))
        rel = contribution_path(p.document, p.round, deleg.code)
        sha = ws.git.commit(
            {rel: _body(new)},
            f"Withdraw {p.id} ({deleg.code}, {p.op}) on {p.document} ({p.round})",
            identity(deleg),
            date=now,
            trailers={"Action": "withdraw", "Document": p.document, "Round": p.round, "Proposal": p.id},
        )
    return {"proposal": p.id, "delegation": deleg.code, "withdrawn": now, "commit": sha, "path": rel}


def cosponsor(ws: Workspace, proposal_id: str, *, delegation: str, withdraw: bool = False) -> dict[str, Any]:
    """A delegation named as a co-sponsor of a proposal confirms it (or, ``withdraw``,
    withdraws its support) before the decision: one commit to its own file (``supports:``)."""
    cfg = ws.config
    deleg = roles.require_delegation(cfg, delegation)
    seen = find_proposal(ws, proposal_id)
    with ws.git.transaction():
        ws.refresh()
        p = find_proposal(ws, proposal_id, document=seen.document, round=seen.round)
        d = ws.decisions(p.document, p.round).get(p.id)
        problem = support_problem(p, d, deleg)
        if problem:
            raise DraftingError(problem)
        state = "withdrawn" if withdraw else "confirmed"
        rel = contribution_path(p.document, p.round, deleg.code)
        try:
            mine = ws.contribution(p.document, p.round, deleg.code)
        except NotFound:
            rnd = ws.require_round(p.document, p.round)
            mine = Contribution(deleg.code, p.document, p.round, rnd.base, ())
        if dict(mine.supports).get(p.id) == state:
            return {"proposal": p.id, "delegation": deleg.code, "support": state, "commit": None, "path": rel}
        supports = (*((k, v) for k, v in mine.supports if k != p.id), (p.id, state))
        new = replace(mine, supports=supports)
        now = clock.stamp()
        verb = "Withdraw support of" if withdraw else "Co-sponsor"
        sha = ws.git.commit(
            {rel: _body(new)},
            f"{verb} {p.id} ({p.delegation}, {p.op}): {deleg.code}",
            identity(deleg),
            date=now,
            trailers={"Action": "cosponsor", "Document": p.document, "Round": p.round, "Proposal": p.id},
        )
    return {"proposal": p.id, "delegation": deleg.code, "support": state, "commit": sha, "path": rel}


def withdrawal_problem(p: Proposal, d: Decision | None) -> str | None:
    if p.withdrawn:
        return f"{p.id} is already withdrawn"
    if d is not None and d.status != "open":
        return f"{p.id} was already decided ({d.status}): only an undecided proposal is withdrawn"
    return None


def support_problem(p: Proposal, d: Decision | None, deleg: Delegation) -> str | None:
    """Why ``deleg`` may not confirm (or withdraw its support of) ``p`` now."""
    if deleg.code == p.delegation:
        return f"{p.id} is {deleg.code}'s own proposal: a delegation does not co-sponsor itself"
    bad = roles.co_sponsor_problem(deleg)
    if bad:
        return bad
    if deleg.code not in p.co_sponsors:
        return f"{p.delegation} does not name {deleg.code} as a co-sponsor of {p.id}"
    if p.withdrawn:
        return f"{p.id} was withdrawn by {p.delegation}"
    if d is not None and d.status != "open":
        return f"{p.id} was already decided ({d.status}): support is given or withdrawn before the decision"
    return None


def support(ws: Workspace, document: str, round_id: str) -> dict[str, dict[str, str]]:
    """Each proposal's named co-sponsors and where they stand: proposal id -> {code:
    ``confirmed`` | ``withdrawn`` | ``pending``} (their answers in their own files)."""
    from ..model.support import standing

    return standing(ws.contributions(document, round_id))


# ------------------------------------------------------------------------ decisions


def find_proposal(
    ws: Workspace, proposal_id: str, *, document: str | None = None, round: str | None = None
) -> Proposal:
    found: list[Proposal] = []
    for r in ws.config.rounds:
        if (document and r.document != document) or (round and r.id != round):
            continue
        found.extend(p for p in ws.proposals(r.document, r.id) if p.id == proposal_id)
    if not found:
        held = _held_by_invalid_file(ws, proposal_id, document=document, round=round)
        if held:
            raise DraftingError(
                f"{proposal_id} is in {held[0]}, which is not valid ({held[1]}); it can be decided once the "
                "file is corrected"
            )
        where = f" in round {round}" if round else (f" on {document}" if document else "")
        raise NotFound(f"unknown proposal {proposal_id!r}{where}; list them with 'drafting proposals DOC'")
    if len(found) > 1:
        raise NotFound(
            f"{proposal_id} is in several rounds ({', '.join(p.round for p in found)}): name one with --round"
        )
    return found[0]


def _held_by_invalid_file(
    ws: Workspace, proposal_id: str, *, document: str | None = None, round: str | None = None
) -> tuple[str, str] | None:
    """(file, problem) of an invalid contribution file that holds (or, being unreadable,
    may hold) ``proposal_id``: the file of the delegation whose numbering the id is in."""
    owner = roles.id_owner(ws.config, proposal_id)
    for r in ws.config.rounds:
        if (document and r.document != document) or (round and r.id != round):
            continue
        for rel, problem in ws.invalid_contributions(r.document, r.id).items():
            raw = ws.raw_proposals(rel)
            if proposal_id in raw or (not raw and owner and rel.endswith(f"/{owner}.yaml")):
                return rel, problem.removeprefix(f"{rel}: ")
    return None


@dataclass(frozen=True)
class Decided:
    proposal: Proposal
    status: str
    commit: str
    path: str

    def to_json(self) -> dict:
        return {
            "proposal": self.proposal.id,
            "status": self.status,
            "commit": self.commit,
            "path": self.path,
            "document": self.proposal.document,
            "round": self.proposal.round,
        }


def decide(
    ws: Workspace,
    proposal_id: str,
    status: str,
    *,
    text: str | None = None,
    note: str | None = None,
    by: str | None = None,
    document: str | None = None,
    round: str | None = None,
    expect: Proposal | Mapping[str, Any] | None = None,
) -> Decided:
    """Record the Presidency's decision on a proposal (one commit), the one way decisions
    are written (``service.decisions.record``).

    The proposal is looked up under the write lock, as the history holds it then. With
    ``expect`` (the proposal as the Presidency was shown it, e.g. in the app), the decision
    is refused if a resubmission changed the proposal meanwhile: nobody decides on a text
    they have not seen."""
    from .decisions import deciding_delegation, record, wording

    actor = deciding_delegation(ws, by)
    text = wording(ws, text, note)
    seen = find_proposal(ws, proposal_id, document=document, round=round)  # a clear refusal before the lock

    def again() -> list[Proposal]:  # ids never move between rounds: look again in its own round only
        return [find_proposal(ws, proposal_id, document=seen.document, round=seen.round)]

    props, sha, paths = record(
        ws, actor, [seen], again, status, text, note, expect=None if expect is None else {seen.id: expect}
    )
    return Decided(props[0], status, sha, paths[0])


# ------------------------------------------------------------------------ listing


def list_proposals(
    ws: Workspace,
    document: str,
    *,
    round: str | None = None,
    paragraph: str | None = None,
    delegation: str | None = None,
    status: str | None = None,
) -> list[dict]:
    ws.require_document(document)
    rounds = [ws.require_round(document, round)] if round else list(ws.config.rounds_of(document))
    if delegation and ws.config.delegation(delegation) is None:
        raise NotFound(f"unknown delegation {delegation!r}: not listed in drafting.yaml")
    commits = ws.git.last_commits("contributions/")
    out = []
    for r in rounds:
        decisions = ws.decisions(document, r.id)
        backing = support(ws, document, r.id)
        for p in ws.proposals(document, r.id):
            if paragraph and p.target != paragraph:
                continue
            if delegation and delegation not in p.delegations:
                continue
            d = decisions.get(p.id)
            st = status_of(p, d)
            if status and st != status:
                continue
            row = proposal_json(p, st, commits.get(contribution_path(document, r.id, p.delegation)))
            row["decision"] = {"status": d.status, "text": d.text, "note": d.note} if d else None
            row["support"] = backing.get(p.id, {})
            out.append(row)
    return out
