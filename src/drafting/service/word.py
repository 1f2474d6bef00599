"""Word (and ODT, Markdown, HTML) inputs: a delegation's edited copy becomes proposals."""

from __future__ import annotations

from pathlib import Path

from ..model import roles
from ..model.errors import DraftingError, NotFound
from ..store.workspace import Workspace
from .inputs import Submitted, submit_data


def understand_document(
    ws: Workspace, path: Path, *, delegation: str, document: str | None = None, round: str | None = None
):
    """Read ``path`` against the round's base version: (round, Understood). Writes nothing."""
    from ..formats.reader import proposals_from_document

    roles.require_delegation(ws.config, delegation)
    if not Path(path).is_file():
        raise NotFound(f"{path}: no such file")
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
    best = None
    last_error: DraftingError | None = None
    read: dict[tuple[str, str], object] = {}  # rounds on the same base version read the file once
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
        score = sum(v for k, v in u.matched.items() if k in ("by_bookmark", "by_text", "by_similarity"))
        if best is None or score > best[0]:
            best = (score, r, u)
    if best is None:
        assert last_error is not None
        raise last_error
    return best[1], best[2]


def submit_document(
    ws: Workspace, path: Path, *, delegation: str, document: str | None = None, round: str | None = None
) -> Submitted:
    rnd, understood = understand_document(ws, path, delegation=delegation, document=document, round=round)
    # a circulated copy carries other delegations' comments: they are not this delegation's
    others = {d.name for d in ws.config.delegations if d.code != delegation}
    proposals, notes = [], list(understood.notes)
    for p in understood.proposals:
        authors = set((p.get("meta") or {}).get("word_authors") or [])
        if p.get("op") == "comment" and authors and authors <= others:
            notes.append(
                f"left out a comment by {', '.join(sorted(authors))} on {p.get('paragraph')}: "
                "it came with the circulated copy"
            )
            continue
        proposals.append(p)
    if not proposals:
        raise DraftingError(f"{path}: no changes and no comments against {rnd.document} {rnd.base}; nothing to submit")
    data = {
        "delegation": delegation,
        "document": rnd.document,
        "round": rnd.id,
        "base": rnd.base,
        "proposals": proposals,
    }
    return submit_data(
        ws, data, delegation=delegation, source=str(path), document=rnd.document, round=rnd.id, notes=tuple(notes)
    )
