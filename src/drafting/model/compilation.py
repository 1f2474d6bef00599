"""The compilation of a round: its proposals by the paragraph of the base they concern.

The one statement of which proposals the compilation shows, in which row and in what
order; the compilation document (``service.exports``) and the app's compilation table
(``service.app_queries``) both lay out what :func:`compile_round` returns. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .records import Decision, Paragraph, Proposal, Version, status_of


@dataclass(frozen=True)
class CompiledRow:
    """A paragraph of the base and the proposals on it."""

    paragraph: Paragraph
    proposals: tuple[Proposal, ...]


def compile_round(
    base: Version,
    proposals: Iterable[Proposal],
    decisions: Mapping[str, Decision],
    *,
    status: str | None = None,
    delegation: str | None = None,
) -> list[CompiledRow]:
    """One row per paragraph of ``base``, in its order, with the proposals on it: the
    amendments, deletions and comments of the paragraph and the new paragraphs proposed
    after it, in submission order with the comments last; new paragraphs proposed at the
    start of the document go with the first paragraph. ``status`` keeps only the proposals
    with that status (see :func:`~.records.status_of`), ``delegation`` those it proposed or
    co-sponsors."""
    by_target: dict[str | None, list[Proposal]] = {}
    for p in proposals:
        if status and status_of(p, decisions.get(p.id)) != status:
            continue
        if delegation and delegation not in p.delegations:
            continue
        by_target.setdefault(p.target, []).append(p)
    rows = []
    for i, para in enumerate(base.paragraphs):
        props = by_target.get(para.id, []) + (by_target.get(None, []) if i == 0 else [])
        props.sort(key=lambda p: p.op == "comment")  # stable: submission order, comments last
        rows.append(CompiledRow(para, tuple(props)))
    return rows
