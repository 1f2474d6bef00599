"""Submitting inputs and recording the Presidency's decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..model import integrity, roles
from ..model.errors import Conflict, DraftingError, NotFound, Problem, ValidationError
from ..model.records import Contribution, Proposal
from ..model.status import refuse_amendments_to_agreed
from ..model.validate import (
    check_decision,
    contribution_to_data,
    is_slug,
    parse_contribution,
    parse_decisions,
    proposal_key,
    text_problem,
)
from ..model.vocabulary import count_inputs
from ..store import yamlio
from ..store.workspace import Workspace, contribution_path, decisions_path
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

    def to_json(self) -> dict:
        return {
            "commit": self.commit,
            "path": self.path,
            "delegation": self.contribution.delegation,
            "document": self.contribution.document,
            "round": self.contribution.round,
            "base": self.contribution.base,
            "co_sponsors": list(self.contribution.co_sponsors),
            "replaced": self.replaced,
            "notes": list(self.notes),
            "proposals": [proposal_json(p, "open", self.commit) for p in self.contribution.proposals],
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
) -> Submitted:
    """Validate a contribution (plain data as from YAML), write it and commit it.

    Under the workspace's write lock, with everything it depends on read there: the
    delegation's earlier inputs, the round's decisions and the ids it already used, so that
    two submissions can never take the same id and a resubmission racing a decision is
    judged on the decision. The submission's time is the server's clock (a ``submitted:``
    field in the file is not taken)."""
    cfg = ws.config
    deleg = roles.require_delegation(cfg, delegation)
    if isinstance(data, dict):
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
    else:
        raise ValidationError(
            [Problem(source, "", "expected a mapping with delegation, document, round and proposals")]
        )
    if not document:
        raise NotFound(f"{source}: no document: give 'document:' in the file or --document")
    ws.require_document(document)
    rnd = ws.require_round(document, round)
    base = ws.version(document, rnd.base)
    ops = [p.get("op") for p in data.get("proposals") or [] if isinstance(p, dict)]
    roles.check_may_submit(deleg, [o for o in ops if isinstance(o, str)])
    rel = contribution_path(document, rnd.id, delegation)
    data = {k: v for k, v in data.items() if k != "submitted"}  # the server's clock dates it
    data.setdefault("delegation", delegation)
    data.setdefault("document", document)
    data.setdefault("round", rnd.id)
    data.setdefault("base", rnd.base)
    with ws.git.transaction():
        ws.refresh()
        admit(ws, rnd.id, delegation)  # the round open to this delegation now (model/rounds.py)
        existed = (ws.root / rel).exists()
        previous, before = _previous(ws, document, rnd.id, delegation)
        keep = {proposal_key(p): p.id for p in previous.proposals} if previous else {}
        own = _own_ids(ws, delegation)  # ids are unique in the workspace; only CODE uses CODE-n
        elsewhere = {pid for (r, pid) in own if r != rnd.id}
        numbers = [_number(pid, delegation) for (_, pid) in own]
        contrib = parse_contribution(
            data,
            source,
            config=cfg,
            base=base,
            delegation=delegation,
            document=document,
            round=rnd.id,
            assign_ids=True,
            keep_ids=keep,
            next_number=max([0, *numbers]) + 1,
        )
        clash = sorted({p.id for p in contrib.proposals} & elsewhere)
        if clash:
            raise DraftingError(
                f"{source}: proposal id {clash[0]} is already used in another round; "
                "leave the id out and one will be assigned"
            )
        refuse_amendments_to_agreed(source, contrib.proposals, keep.values(), agreed_paragraphs(ws, document))
        if before:  # decided proposals never change (model/integrity.py)
            decided = ws.decisions(document, rnd.id)
            changed = integrity.decided_changes(before, integrity.substances(contrib.proposals), decided)
            if changed:
                pid, how = changed[0]
                raise DraftingError(integrity.decided_change_message(source, pid, how, decided[pid].status))
        stamp = clock.stamp()
        contrib = replace(
            contrib, submitted=stamp, proposals=tuple(replace(p, submitted=stamp) for p in contrib.proposals)
        )
        body = _header(contrib) + yamlio.dumps(contribution_to_data(contrib))
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"{'Resubmit' if existed else 'Submit'} {delegation} inputs on {document} "
            f"({rnd.id}): {count_inputs(p.op for p in contrib.proposals)}",
            identity(deleg),
            date=stamp,
            trailers={"Action": "submit", "Document": document, "Round": rnd.id, "Delegation": delegation},
        )
    return Submitted(contrib, sha, rel, existed, notes)


def _short(value: Any) -> str:
    """A value from a file, safe to echo in a one-line message."""
    text = repr(value) if not isinstance(value, str) or not is_slug(value) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _header(c: Contribution) -> str:
    return (
        f"# Inputs of {c.delegation} on {c.document}, round {c.round}, written against {c.base}.\n"
        "# Written by drafting; a later submission by the same delegation replaces this file.\n"
    )


def _previous(ws: Workspace, document: str, round_id: str, code: str) -> tuple[Contribution | None, dict[str, tuple]]:
    """The delegation's earlier inputs in the round (None if none, or unreadable: replaced),
    and the substance of each of its proposals (from the file as it stands, valid or not:
    a decided proposal in a damaged file still may not be dropped or changed)."""
    try:
        previous = ws.contribution(document, round_id, code)
    except NotFound:
        return None, {}
    except DraftingError:
        raw = ws.raw_proposals(contribution_path(document, round_id, code))
        return None, {pid: integrity.raw_substance(p) for pid, p in raw.items()}
    return previous, integrity.substances(previous.proposals)


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


def submit_file(
    ws: Workspace,
    path: Path,
    *,
    delegation: str,
    document: str | None = None,
    round: str | None = None,
    shown: str | None = None,
) -> Submitted:
    """Submit a YAML or Word (ODT, Markdown, HTML) file; ``shown`` is the name messages give
    the file (the name the user chose for an upload; by default the path as typed)."""
    name = shown or str(path)
    suffix = path.suffix.lower()
    if suffix in (".docx", ".odt", ".md", ".html", ".htm"):
        from .word import submit_document

        return submit_document(ws, path, delegation=delegation, document=document, round=round, shown=name)
    if suffix not in (".yaml", ".yml"):
        raise DraftingError(
            f"{name}: cannot read {suffix or 'a file without extension'}; submit a "
            ".yaml file or a .docx of the circulated draft"
        )
    data = read_input_file(ws, path, name)
    return submit_data(ws, data, delegation=delegation, source=name, document=document, round=round)


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
    """Record the Presidency's decision on a proposal (one commit).

    The proposal is looked up under the write lock, as the history holds it then. With
    ``expect`` (the proposal as the Presidency was shown it, e.g. in the app), the decision
    is refused if a resubmission changed the proposal meanwhile: nobody decides on a text
    they have not seen."""
    cfg = ws.config
    actor = roles.require_delegation(cfg, by or cfg.presidency, "delegation for --by")
    roles.check_may_decide(actor)
    text = " ".join(text.split()) if text else None
    lim = cfg.limits
    for label, value in (("--text", text), ("--note", note)):
        if value and len(value) > lim.max_text_chars:
            raise DraftingError(f"{label} is {len(value):,} characters, over the limit of {lim.max_text_chars:,}")
        if value and text_problem(value):
            raise DraftingError(f"{label} {text_problem(value)}")
    seen = find_proposal(ws, proposal_id, document=document, round=round)  # a clear refusal before the lock
    with ws.git.transaction():
        ws.refresh()  # ids never move between rounds: look again in the proposal's own round only
        p = find_proposal(ws, proposal_id, document=seen.document, round=seen.round)
        if expect is not None and integrity.differs_from_seen(expect, p):
            raise Conflict(
                f"{p.id} was changed by {p.delegation}'s resubmission since it was shown to you; "
                "review it again before deciding"
            )
        problem = check_decision(p, status, text)
        if problem:
            raise DraftingError(f"cannot decide {p.id}: {problem}")
        rel = decisions_path(p.document, p.round)
        path = ws.root / rel
        old = (
            path.read_bytes().decode("utf-8")
            if path.is_file()
            else (
                f"# Decisions of the Presidency on round {p.round} of {p.document}.\n"
                "# proposal: {status, text, note}; statuses: accepted, modified, rejected, deferred,\n"
                "# withdrawn, and for comments addressed or noted. Proposals not listed are open.\n{}\n"
            )
        )

        def change(doc):
            from ruamel.yaml.comments import CommentedMap

            if doc is None:
                doc = CommentedMap()
            if status == "open":
                doc.pop(p.id, None)
                return doc
            entry = CommentedMap()
            entry["status"] = status
            if text:
                entry["text"] = text
            if note:
                entry["note"] = " ".join(note.split())
            if actor.code != cfg.presidency:
                entry["by"] = actor.code
            doc[p.id] = entry
            return doc

        new = (
            _append_decision(
                old, rel, p.id, status, text, note, actor.code if actor.code != cfg.presidency else None, lim
            )
            if path.is_file()
            else None
        )
        if new is None:  # the general way: a round-trip rewrite keeping comments and order
            new = yamlio.update(old, rel, change, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)
        if new.strip() == "{}":
            new = old if path.is_file() else new
        # what we write must read back (the same checks as every reader)
        parse_decisions(yamlio.loads(new, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth), rel, limits=lim)
        sha = ws.git.commit(
            {rel: new.encode("utf-8")},
            f"Decide {p.id} ({p.delegation}, {p.op}): {status}",
            identity(actor),
            date=clock.stamp(),
            trailers={"Action": "decide", "Document": p.document, "Round": p.round, "Proposal": p.id, "Status": status},
        )
    return Decided(p, status, sha, rel)


def _append_decision(
    old: str, rel: str, pid: str, status: str, text: str | None, note: str | None, by: str | None, lim
) -> str | None:
    """The common case, fast: a first decision on a proposal is appended to the file
    (rewriting a conference's whole decisions file with the round-trip emitter costs
    seconds). Returns None where the general rewrite is needed; the result is verified."""
    if status == "open":
        return None
    kw = {"max_bytes": lim.max_file_bytes, "max_depth": lim.max_depth}
    current = yamlio.loads(old, rel, **kw)
    if not isinstance(current, dict) or not current or pid in current:
        return None
    entry: dict = {"status": status}
    if text:
        entry["text"] = text
    if note:
        entry["note"] = " ".join(note.split())
    if by:
        entry["by"] = by
    new = old.rstrip("\n") + "\n" + yamlio.dumps({pid: entry})
    try:
        if yamlio.loads(new, rel, **kw) != {**current, pid: entry}:
            return None
    except DraftingError:
        return None
    return new


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
        for p in ws.proposals(document, r.id):
            if paragraph and p.target != paragraph:
                continue
            if delegation and delegation not in p.delegations:
                continue
            d = decisions.get(p.id)
            st = d.status if d else "open"
            if status and st != status:
                continue
            row = proposal_json(p, st, commits.get(contribution_path(document, r.id, p.delegation)))
            row["decision"] = {"status": d.status, "text": d.text, "note": d.note} if d else None
            out.append(row)
    return out
