"""Documents in: any input file to the paragraphs of a new version (``drafting import``),
a delegation's edited copy of a version to proposals (``drafting submit FILE.docx``).

Every file first passes :mod:`.safety`; a Word file is then read from its XML
(:mod:`.ooxml`), any other through pandoc (:mod:`.pandoc`, :mod:`.units`), into a
:class:`~drafting.text.document.Document`. What it means is decided by pure functions:
:mod:`drafting.text.paragraphs` and :mod:`drafting.text.understand`. The pipeline is
described in ``docs/design/reader-pipeline.md``.
"""

from __future__ import annotations

from pathlib import Path

from ..model.errors import DraftingError
from ..model.records import Limits, Paragraph, Version
from ..text.document import VIEWS, Document
from ..text.paragraphs import new_version_paragraphs
from ..text.understand import Understood, understand
from . import diffview, ooxml, pandoc, safety
from .units import units_from_ast

__all__ = ["proposals_from_document", "read_document", "read_paragraphs"]


def read_document(path: Path, *, limits: Limits) -> Document:
    """The units of a .docx/.odt/.md/.html file, after the safety checks.

    Every problem is a one-line DraftingError naming the file: what :mod:`.safety`
    refuses, pandoc failing or running over ``limits.pandoc_timeout_s``, a document
    nested too deeply, more paragraphs than ``limits.max_paragraphs``.
    """
    path = Path(path)
    fmt = safety.check_document(path, limits=limits)
    if fmt == "docx":
        doc = ooxml.read_docx(path)
    else:
        ast = pandoc.read_file(path, fmt, timeout=limits.pandoc_timeout_s)
        if diffview.written_here(ast):
            raise DraftingError(
                f"{path.name}: shows tracked changes for reading (old and new text together) and cannot be "
                "read back: use the Word file (.docx) of the version"
            )
        try:
            doc = units_from_ast(ast)
        except RecursionError:
            raise DraftingError(
                f"{path.name}: is nested too deeply to be read (lists or quotes within quotes)"
            ) from None
        if fmt == "odt":  # pandoc's ODT reader names every bookmark "anchor": no ids in them
            for u in doc.units:
                u.anchors.clear()
    if len(doc.units) > limits.max_paragraphs:
        raise DraftingError(
            f"{path.name}: has {len(doc.units):,} paragraphs, over the limit of {limits.max_paragraphs:,}"
        )
    return doc


def read_paragraphs(path: Path, *, limits: Limits, track_changes: str = "accept") -> list[Paragraph]:
    """The paragraphs of a .docx/.odt/.md/.html file, for a new version (see
    :func:`drafting.text.paragraphs.new_version_paragraphs`). A Word file's tracked changes
    are taken as accepted (``track_changes="reject"`` reads the original)."""
    if track_changes not in VIEWS:
        raise ValueError(f"track_changes must be 'accept' or 'reject', not {track_changes!r}")
    path = Path(path)
    doc = read_document(path, limits=limits)
    out = new_version_paragraphs(doc, track_changes, name=path.name, max_text_chars=limits.max_text_chars)
    if len(out) > limits.max_paragraphs:
        raise DraftingError(f"{path.name}: has {len(out):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
    return out


def proposals_from_document(path: Path, base: Version, *, limits: Limits) -> Understood:
    """The proposals a delegation's copy of ``base`` makes (tracked changes or clean edits).

    Raises DraftingError (one line naming the file) for any file that cannot be read
    safely, that is not a copy of ``base``, or whose proposals exceed the limits.
    """
    path = Path(path)
    result = understand(read_document(path, limits=limits), base, name=path.name)
    for p in result.proposals:
        if len(p.text or "") > limits.max_text_chars:
            where = p.paragraph or f"after {p.after}"
            raise DraftingError(
                f"{path.name}: a proposed text ({p.op} {where}) is over the limit of {limits.max_text_chars:,} characters"
            )
    if len(result.proposals) > limits.max_proposals:
        raise DraftingError(
            f"{path.name}: makes {len(result.proposals):,} proposals, over the limit of {limits.max_proposals:,}"
        )
    return result
