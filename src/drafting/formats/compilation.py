"""The compilation of proposals: the table a secretariat used to type by hand.

In document order, each paragraph's number and current text, then every proposal on it:
its delegation and co-sponsors, kind, the proposed text shown as changes against the
base paragraph (insertions underlined, deletions struck through: formatting, not Word
revisions), rationale, status and the Presidency's note; comments come after the text
proposals. DOCX: one Word table, header row repeated on each page, landscape A4 (from
``resources/reference-landscape.docx``).

``anonymous=True`` leaves the delegations out: no delegation column, and proposals are
referred to as (a), (b), ... within their paragraph instead of by their ids (which carry
the delegation's code).

``sources=True`` adds a "Source of language" column: for each amendment or new paragraph
that brings in agreed language, the reference document and paragraph it comes from (see
``service.references.proposal_precedents``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import DraftingError
from ..model.vocabulary import KIND_WORDS, STATUS_WORDS, kind_word, status_word
from .ast import (
    LINE_BREAK,
    Block,
    Cell,
    DocMeta,
    Emph,
    Inline,
    Plain,
    Row,
    Strikeout,
    Strong,
    Table,
    Underline,
    attr,
    document,
    meta_fields,
    text,
    title_block,
)
from .export import Change, render

__all__ = ["FORMATS", "CompilationEntry", "CompilationRow", "compilation_ast", "compilation_json", "export_compilation"]

FORMATS = ("docx", "html", "md", "odt", "pdf")

#: kinds and statuses as the compilation says them (the words are model.vocabulary's)
KIND_LABELS = {op: kind_word(op, capital=True) for op in KIND_WORDS}
STATUS_LABELS = {status: status_word(status, capital=True) for status in STATUS_WORDS}


@dataclass(frozen=True)
class CompilationEntry:
    """One proposal on a paragraph, ready to show."""

    id: str
    op: str  # amend | insert | delete | comment
    delegations: list[str]  # names: the proposer first, then co-sponsors
    changes: list[Change]  # the proposal against the base paragraph
    rationale: str | None = None
    status: str = "open"
    note: str | None = None  # the Presidency's note
    source: str | None = None  # the agreed language it brings in, e.g. "Lausanne Action Plan (...), Action 1"


@dataclass(frozen=True)
class CompilationRow:
    """A paragraph of the base version and the proposals on it (in submission order,
    comments after text proposals)."""

    paragraph_id: str
    number: str
    section: str | None
    current_text: str
    proposals: list[CompilationEntry] = field(default_factory=list)


def _ref(k: int) -> str:
    """(a), (b), ... (z), (aa), (ab), ..."""
    letters = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        letters = chr(ord("a") + r) + letters
    return f"({letters})"


def _check(rows: Sequence[CompilationRow]) -> None:
    for row in rows:
        for e in row.proposals:
            if e.op not in KIND_LABELS:
                raise DraftingError(f"proposal {e.id}: unknown kind {e.op!r}")
            for c in e.changes:
                if c.op not in ("equal", "insert", "delete"):
                    raise DraftingError(f"proposal {e.id}: unknown change {c.op!r}")


def _change_inlines(changes: Sequence[Change]) -> list[Inline]:
    out: list[Inline] = []
    for c in changes:
        inl = text(c.text)
        if not inl:
            continue
        if c.op == "insert":
            out.append(Underline(inl))
        elif c.op == "delete":
            out.append(Strikeout(inl))
        else:
            out += inl
    return out


def _delegations(names: Sequence[str]) -> list[Inline]:
    if not names:
        return []
    out = text(names[0])
    if len(names) > 1:
        out += [LINE_BREAK, Emph(text("co-sponsored by " + ", ".join(names[1:])))]
    return out


def _cell(inlines: list[Inline], **kw: Any) -> list[Any]:
    return Cell([Plain(inlines)] if inlines else [], **kw)


def compilation_ast(
    rows: Sequence[CompilationRow],
    meta: DocMeta,
    *,
    anonymous: bool = False,
    with_title_block: bool = True,
    sources: bool = False,
) -> dict[str, Any]:
    """The compilation as a pandoc document: title block, then one table."""
    _check(rows)
    heads = (
        ["Paragraph", "Text and proposals"]
        + ([] if anonymous else ["Delegation(s)"])
        + ["Kind", "Rationale", "Status", "Presidency's note"]
        + (["Source of language"] if sources else [])
    )
    # wide enough that no header breaks inside a word ("Paragraph", "Amendment", "Presidency's")
    widths = [0.10, 0.31] + ([] if anonymous else [0.13]) + [0.115, 0.13, 0.09, 0.125]
    if anonymous:
        widths[1] += 0.13
    if sources:  # the new column takes its share from the text and the rationale
        widths[1] -= 0.08
        widths[-3] -= 0.04
        widths.append(0.12)
    ncols = len(heads)
    head = [Row([_cell([Strong(text(h))]) for h in heads])]
    body: list[list[Any]] = []
    section: str | None = None
    for row in rows:
        if row.section and row.section != section and row.section != row.current_text:
            body.append(Row([_cell([Strong(text(row.section))], colspan=ncols)], classes=["section"]))
        section = row.section
        label = [Strong(text(row.number))] if row.number else []  # numbers, never ids, in what is circulated
        body.append(
            Row(
                [
                    _cell(label),
                    _cell([{"t": "Span", "c": [attr("", ["current"]), text(row.current_text)]}], colspan=ncols - 1),
                ],
                classes=["paragraph"],
            )
        )
        for k, e in enumerate(row.proposals):
            cells = [
                _cell(text(_ref(k) if anonymous else e.id)),
                _cell(_change_inlines(e.changes)),
            ]
            if not anonymous:
                cells.append(_cell(_delegations(e.delegations)))
            cells += [
                _cell(text(KIND_LABELS[e.op])),
                _cell(text(e.rationale, lines=True)),
                _cell(text(STATUS_LABELS.get(e.status, e.status))),
                _cell(text(e.note, lines=True)),
            ]
            if sources:
                cells.append(_cell(text(e.source or "")))
            body.append(Row(cells, classes=["proposal", e.op]))
    blocks: list[Block] = title_block(meta) if with_title_block else []
    if not rows:
        blocks.append(Plain(text("No paragraphs.")))
    blocks.append(Table(widths, head, body, a=attr("", ["compilation"])))
    fields = meta_fields(meta)
    fields["landscape"] = {"t": "MetaBool", "c": True}
    return document(blocks, fields)


def export_compilation(
    rows: Sequence[CompilationRow],
    meta: DocMeta,
    fmt: str,
    out: Path,
    *,
    anonymous: bool = False,
    sources: bool = False,
) -> Path:
    """Write the compilation to ``out`` as ``fmt`` (docx, html, md; also odt, pdf).
    For JSON use :func:`compilation_json`."""
    if fmt not in FORMATS:
        raise DraftingError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)} (or json)")
    doc = compilation_ast(rows, meta, anonymous=anonymous, with_title_block=fmt != "pdf", sources=sources)
    return render(doc, fmt, Path(out), symbol=meta.symbol, landscape=True)


def compilation_json(
    rows: Sequence[CompilationRow], *, anonymous: bool = False, sources: bool = False
) -> list[dict[str, Any]]:
    """The compilation as plain data: one object per paragraph with its proposals.

    Each proposal: ``id`` (anonymous: ``ref`` such as "(a)"), ``op``, ``delegations``
    (left out when anonymous), ``ops`` (``[op, text]`` pairs: equal+delete give the base
    text, equal+insert the proposed one), ``text`` (the proposed text; the comment for a
    comment), ``rationale``, ``status``, ``note``; with ``sources``, ``source`` (the
    agreed language it brings in, or null).
    """
    _check(rows)
    out: list[dict[str, Any]] = []
    for row in rows:
        proposals = []
        for k, e in enumerate(row.proposals):
            item: dict[str, Any] = {"ref": _ref(k)} if anonymous else {"id": e.id}
            item["op"] = e.op
            if not anonymous:
                item["delegations"] = list(e.delegations)
            item["ops"] = [[c.op, c.text] for c in e.changes]
            item["text"] = "".join(c.text for c in e.changes if c.op != "delete")
            item.update(rationale=e.rationale, status=e.status, note=e.note)
            if sources:
                item["source"] = e.source
            proposals.append(item)
        out.append(
            {
                "paragraph": row.paragraph_id,
                "number": row.number,
                "section": row.section,
                "text": row.current_text,
                "proposals": proposals,
            }
        )
    return out
