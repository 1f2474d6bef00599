"""Decisions in bulk: the Presidency decides many proposals at once, in one commit.

Proposals are named by id, or selected by a filter (round, operation, section, paragraph,
delegation, current status). Under the workspace's lock the selection is read again as
the history holds it, every decision is checked (``model.validate.check_decision``)
before anything is written, and the decisions files of the rounds concerned are written
and committed together: all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import integrity, roles
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.records import OPS, STATUSES, Delegation, Proposal
from ..model.validate import check_decision, parse_decisions, text_problem
from ..store import yamlio
from ..store.workspace import Workspace, decisions_path
from . import clock
from .identity import identity


@dataclass(frozen=True)
class Selection:
    """A filter over proposals (every given field must match)."""

    document: str | None = None
    round: str | None = None
    op: str | None = None
    section: str | None = None
    paragraph: str | None = None
    delegation: str | None = None
    status: str | None = "open"

    @property
    def empty(self) -> bool:
        return not (self.document or self.round)


def _sections(ws: Workspace, document: str, base: str) -> dict[str, str]:
    """Paragraph id -> its section in ``base``."""
    try:
        v = ws.version(document, base)
    except DraftingError:
        return {}
    return {p.id: p.section or "" for p in v.paragraphs}


def select(ws: Workspace, sel: Selection) -> list[Proposal]:
    """The proposals the filter selects, in round and submission order."""
    cfg = ws.config
    if sel.empty:
        raise DraftingError("name the proposals, or select them with --round R (or --document DOC) and filters")
    if sel.op is not None and sel.op not in OPS:
        raise DraftingError(f"--op {sel.op!r} is not an operation; use one of {', '.join(OPS)}")
    if sel.status is not None and sel.status not in STATUSES:
        raise DraftingError(f"--status {sel.status!r} is not a status; use one of {', '.join(STATUSES)}")
    if sel.delegation is not None:
        roles.require_delegation(cfg, sel.delegation)
    if sel.round:
        r = cfg.round(sel.round)
        if r is None:
            raise NotFound(f"unknown round {sel.round!r}; rounds are {', '.join(x.id for x in cfg.rounds) or 'none'}")
        rounds = [ws.require_round(sel.document or r.document, sel.round)]
    else:
        rounds = list(cfg.rounds_of(ws.require_document(str(sel.document))))
    out: list[Proposal] = []
    wanted = (sel.section or "").casefold()
    seen_sections: set[str] = set()
    for r in rounds:
        sections = _sections(ws, r.document, r.base)
        seen_sections.update(s for s in sections.values() if s)
        decisions = ws.decisions(r.document, r.id)
        for p in ws.proposals(r.document, r.id):
            d = decisions.get(p.id)
            st = d.status if d else "open"
            if sel.status is not None and st != sel.status:
                continue
            if sel.op is not None and p.op != sel.op:
                continue
            if sel.paragraph is not None and p.target != sel.paragraph:
                continue
            if sel.delegation is not None and sel.delegation not in p.delegations:
                continue
            if wanted:
                section = p.section if p.op == "insert" and p.section else sections.get(p.target or "", "")
                if section.casefold() != wanted:
                    continue
            out.append(p)
    if wanted and wanted not in {s.casefold() for s in seen_sections}:
        raise NotFound(f"no section {sel.section!r}; sections are {', '.join(sorted(seen_sections)) or 'none'}")
    return out


def wording(ws: Workspace, text: str | None, note: str | None) -> str | None:
    """The Presidency's wording and note checked (length, characters): the wording with its
    whitespace normalised (None: none)."""
    lim = ws.config.limits
    text = " ".join(text.split()) if text else None
    for label, value in (("--text", text), ("--note", note)):
        if value and len(value) > lim.max_text_chars:
            raise DraftingError(f"{label} is {len(value):,} characters, over the limit of {lim.max_text_chars:,}")
        if value and text_problem(value):
            raise DraftingError(f"{label} {text_problem(value)}")
    return text


def deciding_delegation(ws: Workspace, by: str | None) -> Delegation:
    """Who records the decision (the Presidency unless ``by``), refused if it may not."""
    cfg = ws.config
    actor = roles.acting(cfg, by)
    roles.check_may_decide(actor)
    return actor


def decide_many(
    ws: Workspace,
    ids: Sequence[str],
    status: str,
    *,
    selection: Selection | None = None,
    text: str | None = None,
    note: str | None = None,
    by: str | None = None,
    expect: Mapping[str, Proposal | Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Decide the proposals ``ids`` (or those ``selection`` selects) as ``status``: one commit.

    ``expect`` (the proposals as the Presidency was shown them, by id): refused if one of
    them changed meanwhile."""
    from .inputs import find_proposal

    actor = deciding_delegation(ws, by)
    if status not in STATUSES:
        raise DraftingError(f"{status!r} is not a status; use one of {', '.join(STATUSES)}")
    if ids and selection is not None and not selection.empty:
        raise DraftingError("name the proposals or select them with filters, not both")
    text = wording(ws, text, note)
    if len(set(ids)) != len(ids):
        twice = next(x for x in ids if list(ids).count(x) > 1)
        raise DraftingError(f"{twice} is named twice")

    def chosen() -> list[Proposal]:
        if ids:
            return [find_proposal(ws, pid) for pid in ids]
        return select(ws, selection or Selection())

    first = chosen()  # a clear refusal before the lock
    if not first:
        raise NotFound("no proposal matches: nothing to decide")
    if status == "modified" and len(first) > 1:
        raise DraftingError("'modified' gives each proposal its own text: decide those one at a time")
    props, sha, paths = record(ws, actor, first, chosen, status, text, note, expect=expect, many=True)
    return {
        "status": status,
        "commit": sha,
        "paths": paths,
        "decided": [
            {"proposal": p.id, "delegation": p.delegation, "op": p.op, "document": p.document, "round": p.round}
            for p in props
        ],
    }


def record(
    ws: Workspace,
    actor: Delegation,
    first: list[Proposal],
    again: Callable[[], list[Proposal]],
    status: str,
    text: str | None,
    note: str | None,
    *,
    expect: Mapping[str, Proposal | Mapping[str, Any]] | None = None,
    many: bool = False,
) -> tuple[list[Proposal], str, list[str]]:
    """The one way a decision is written, for one proposal or many: under the lock, the
    proposals read again as the history holds them (``again``; refused if they are not
    ``first`` any more, or differ from what the Presidency was shown), each decision checked
    (``model.validate.check_decision``) before anything is written, the decisions files
    written and committed once. Returns (proposals, commit, paths)."""
    with ws.git.transaction():
        ws.refresh()
        props = again()
        if [p.id for p in props] != [p.id for p in first]:
            raise Conflict("the proposals selected changed meanwhile (a submission or a decision came in); look again")
        for p in props:
            if expect is not None and p.id in expect and integrity.differs_from_seen(expect[p.id], p):
                raise Conflict(
                    f"{p.id} was changed by {p.delegation}'s resubmission since it was shown to you; "
                    "review it again before deciding"
                )
            problem = check_decision(p, status, text)
            if problem:
                raise DraftingError(f"cannot decide {p.id}: {problem}" + (" (nothing was decided)" if many else ""))
        by_file: dict[str, list[Proposal]] = {}
        for p in props:
            by_file.setdefault(decisions_path(p.document, p.round), []).append(p)
        files = {
            rel: _updated(ws, rel, group, status, text, note, actor.code).encode("utf-8")
            for rel, group in by_file.items()
        }
        subject, trailers = _message(props, status, many)
        sha = ws.git.commit(files, subject, identity(actor), date=clock.stamp(), trailers=trailers)
    return props, sha, sorted(files)


def _message(props: list[Proposal], status: str, many: bool) -> tuple[str, dict[str, str]]:
    """The commit's message and trailers (which the history reads back)."""
    if not many and len(props) == 1:
        p = props[0]
        return (
            f"Decide {p.id} ({p.delegation}, {p.op}): {status}",
            {"Action": "decide", "Document": p.document, "Round": p.round, "Proposal": p.id, "Status": status},
        )
    n = len(props)
    rounds = sorted({p.round for p in props})
    return (
        f"Decide {n} proposal{'s' if n != 1 else ''} ({', '.join(rounds)}): {status}\n\n"
        + "\n".join(f"{p.id} ({p.delegation}, {p.op}): {status}" for p in props),
        {
            "Action": "decide",
            "Document": ", ".join(sorted({p.document for p in props})),
            "Round": ", ".join(rounds),
            "Proposals": ", ".join(p.id for p in props),
            "Status": status,
        },
    )


def _updated(
    ws: Workspace, rel: str, props: list[Proposal], status: str, text: str | None, note: str | None, by: str
) -> str:
    """The decisions file ``rel`` with each of ``props`` decided (comments and order kept)."""
    cfg = ws.config
    lim = cfg.limits
    path = ws.root / rel
    p0 = props[0]
    old = (
        path.read_bytes().decode("utf-8")
        if path.is_file()
        else (
            f"# Decisions of the Presidency on round {p0.round} of {p0.document}.\n"
            "# proposal: {status, text, note}; statuses: accepted, modified, rejected, deferred,\n"
            "# withdrawn, and for comments addressed or noted. Proposals not listed are open.\n{}\n"
        )
    )

    fast = (
        _append_decision(old, rel, p0.id, status, text, note, by if by != cfg.presidency else None, lim)
        if len(props) == 1 and path.is_file()
        else None
    )

    def change(doc):
        from ruamel.yaml.comments import CommentedMap

        if doc is None:
            doc = CommentedMap()
        for p in props:
            if status == "open":
                doc.pop(p.id, None)
                continue
            entry = CommentedMap()
            entry["status"] = status
            if text:
                entry["text"] = text
            if note:
                entry["note"] = " ".join(note.split())
            if by != cfg.presidency:
                entry["by"] = by
            doc[p.id] = entry
        return doc

    new = fast or yamlio.update(old, rel, change, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)
    # what is written must read back (the same checks as every reader)
    parse_decisions(yamlio.loads(new, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth), rel, limits=lim)
    return new


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
