"""A version annotated with the source of its agreed language (for the Presidency's own use).

Each stretch of a paragraph that repeats a reference document carries its source: in
Word, a comment anchored on the stretch ("Agreed language: Lausanne Action Plan
(CCM/CONF/2021/6, annex II), Action 1, with changes: ..."); in the other formats, a
footnote after it. The text itself is the version's, unchanged. Pure: builds pandoc's AST;
:func:`drafting.formats.export.render` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .ast import (
    Block,
    DocMeta,
    Inline,
    Para,
    Plain,
    Span,
    attr,
    document,
    meta_fields,
    paragraph_block,
    section_header,
    text,
    title_block,
)
from .export import render

__all__ = ["AUTHOR", "FORMATS", "annotated_ast", "export_annotated", "note_text"]

FORMATS = ("docx", "odt", "html", "md", "pdf")
AUTHOR = "Agreed language"


def note_text(stretch: Mapping[str, Any]) -> str:
    """What a stretch's comment or footnote says."""
    out = f"Agreed language: {stretch['source']}."
    changes = []
    for c in stretch.get("changes") or ():
        if c["text"] and c["reference"]:
            changes.append(f"“{c['text']}” for “{c['reference']}”")
        elif c["text"]:
            changes.append(f"“{c['text']}” added")
        else:
            changes.append(f"“{c['reference']}” left out")
    if changes:
        out += " Changed: " + "; ".join(changes) + "."
    return out


def _body(
    para_text: str, stretches: Sequence[Mapping[str, Any]], style: str, next_id: list[int], date: str | None
) -> tuple[list[Inline], list[Inline], list[Inline]]:
    """(before, body, after) inlines of one paragraph, its agreed stretches annotated."""
    body: list[Inline] = []
    pos = 0
    for s in sorted(stretches, key=lambda s: s["start"]):
        start, end = s["start"], s["end"]
        if start < pos:
            continue
        body += text(para_text[pos:start])
        note = note_text(s)
        if style == "word":
            cid = str(next_id[0])
            next_id[0] += 1
            body.append(Span(attr("", ["comment-start"], id=cid, author=AUTHOR, date=date), text(note)))
            body += text(para_text[start:end])
            body.append(Span(attr("", ["comment-end"], id=cid), []))
        else:
            body.append(Span(attr("", ["agreed"], title=s["source"]), text(para_text[start:end])))
            body.append({"t": "Note", "c": [Para(text(note))]})
        pos = end
    body += text(para_text[pos:])
    return [], body, []


def annotated_ast(
    paragraphs: Sequence[Any],
    reports: Mapping[str, Mapping[str, Any]],
    meta: DocMeta,
    numbers: Mapping[str, str],
    *,
    style: str = "word",
    date: str | None = None,
    with_title_block: bool = True,
) -> dict[str, Any]:
    """The version (its ``paragraphs``) with each agreed stretch of ``reports[id]``
    annotated: ``style`` ``word`` (comments) or ``notes`` (footnotes)."""
    blocks: list[Block] = title_block(meta) if with_title_block else []
    synth = "heading" not in {p.kind for p in paragraphs}
    section = None
    next_id = [1]
    for p in paragraphs:
        if synth and p.section and p.section != section:
            blocks.append(section_header(p.section))
        section = p.section
        rep = reports.get(p.id)
        if rep and rep.get("stretches"):
            before, body, after = _body(p.text, rep["stretches"], style, next_id, date)
        else:
            before, body, after = [], text(p.text), []
        blocks.append(paragraph_block(p.kind, p.id, numbers.get(p.id, ""), body, before=before, after=after))
    if not paragraphs:
        blocks.append(Plain(text("No paragraphs.")))
    return document(blocks, meta_fields(meta))


def export_annotated(
    paragraphs: Sequence[Any],
    reports: Mapping[str, Mapping[str, Any]],
    meta: DocMeta,
    numbers: Mapping[str, str],
    fmt: str,
    out: Path,
    *,
    date: str | None = None,
) -> Path:
    from ..model.errors import DraftingError

    if fmt not in FORMATS:
        raise DraftingError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    doc = annotated_ast(
        paragraphs,
        reports,
        meta,
        numbers,
        style="word" if fmt == "docx" else "notes",
        date=date,
        with_title_block=fmt != "pdf",
    )
    return render(doc, fmt, Path(out), symbol=meta.symbol)
