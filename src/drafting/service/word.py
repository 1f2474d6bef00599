"""Word (and ODT, Markdown, HTML) inputs: a delegation's edited copy becomes proposals."""

from __future__ import annotations

from pathlib import Path

from ..model import roles
from ..model.errors import DraftingError, NotFound
from ..model.records import Round
from ..store.workspace import Workspace
from ..text.understand import Understood
from .inputs import Submitted, submit_data


def understand_document(
    ws: Workspace,
    path: Path,
    *,
    delegation: str,
    document: str | None = None,
    round: str | None = None,
    shown: str | None = None,
) -> tuple[Round, Understood]:
    """Read ``path`` against the round's base version: (round, Understood). Writes nothing.
    ``shown`` is the name messages give the file (by default the path as typed).

    Without ``document`` or ``round``, every round is tried (each base version read once)
    and the one whose base matches most of the file's paragraphs wins."""
    from ..formats.reader import proposals_from_document

    roles.require_delegation(ws.config, delegation)
    if not Path(path).is_file():
        raise NotFound(f"{shown or path}: no such file")
    if document:
        candidates = [ws.require_round(document, round)]
    elif round:
        r = ws.config.round(round)
        if r is None:
            raise NotFound(f"unknown round {round!r}")
        candidates = [r]
    else:
        candidates = list(ws.config.rounds)
        if not candidates:
            raise NotFound("the workspace has no input rounds")
    best: tuple[int, Round, Understood] | None = None
    last_error: DraftingError | None = None
    read: dict[tuple[str, str], Understood | DraftingError] = {}  # one reading per base version
    for r in candidates:
        key = (r.document, r.base)
        if key not in read:
            try:
                read[key] = proposals_from_document(Path(path), ws.version(r.document, r.base), limits=ws.config.limits)
            except DraftingError as e:
                read[key] = e
        u = read[key]
        if isinstance(u, DraftingError):
            last_error = u
            continue
        score = u.matched.matched
        if best is None or score > best[0]:
            best = (score, r, u)
    if best is None:
        assert last_error is not None
        raise last_error
    return best[1], best[2]


def submit_document(
    ws: Workspace,
    path: Path,
    *,
    delegation: str,
    document: str | None = None,
    round: str | None = None,
    shown: str | None = None,
) -> Submitted:
    name = shown or str(path)
    rnd, understood = understand_document(ws, path, delegation=delegation, document=document, round=round, shown=name)
    # a circulated copy carries other delegations' comments: they are not this delegation's
    others = {d.name for d in ws.config.delegations if d.code != delegation}
    proposals, notes = [], list(understood.notes)
    for p in understood.proposals:
        authors = set(p.word_authors)
        if p.op == "comment" and authors and authors <= others:
            notes.append(
                f"left out a comment by {', '.join(sorted(authors))} on {p.paragraph}: it came with the circulated copy"
            )
            continue
        proposals.append(p.to_data())
    if not proposals:
        raise DraftingError(f"{name}: no changes and no comments against {rnd.document} {rnd.base}; nothing to submit")
    data = {
        "delegation": delegation,
        "document": rnd.document,
        "round": rnd.id,
        "base": rnd.base,
        "proposals": proposals,
    }
    return submit_data(
        ws, data, delegation=delegation, source=name, document=rnd.document, round=rnd.id, notes=tuple(notes)
    )
