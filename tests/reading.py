"""Helpers shared by the tests of the reader (formats.reader, formats.ooxml, text.understand ...)."""

from __future__ import annotations

import json
from pathlib import Path

from drafting.formats import pandoc
from drafting.formats.units import units_from_ast
from drafting.model.records import Decision, Limits, Paragraph, Version
from drafting.text.merge import compose
from drafting.text.understand import Proposed
from drafting.text.words import normalize_space

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
DOCX = FIXTURES / "docx"
WORD_PEER = FIXTURES / "word-peer"
CORPUS = FIXTURES / "word-corpus"
LIMITS = Limits()


def apply(base: Version, proposals: tuple[Proposed, ...] | list[Proposed]) -> list[str]:
    """Accept every proposal by hand: amend replaces the text, insert goes after its anchor
    (several after one anchor, in order), delete removes; comments change nothing."""
    rows: list[list] = [[p.id, p.text] for p in base.paragraphs]
    last_after: dict[str | None, list] = {}
    for p in proposals:
        if p.op == "amend":
            next(r for r in rows if r[0] == p.paragraph)[1] = p.text
        elif p.op == "insert":
            ref = last_after.get(p.after)
            if ref is not None:
                pos = next(i for i, r in enumerate(rows) if r is ref) + 1
            elif p.after is None:
                pos = 0
            else:
                pos = next(i for i, r in enumerate(rows) if r[0] == p.after) + 1
            new = [None, p.text]
            rows.insert(pos, new)
            last_after[p.after] = new
    deleted = {p.paragraph for p in proposals if p.op == "delete"}
    return [normalize_space(t) for pid, t in rows if pid is None or pid not in deleted]


def compose_all(base: Version, proposals: tuple[Proposed, ...] | list[Proposed], code: str = "MEX") -> Version:
    """Submit ``proposals`` as delegation ``code``, accept every one, compose (text.merge)."""
    props = [
        p.as_proposal(id=f"{code}-{n}", delegation=code, document=base.document, base=base.version)
        for n, p in enumerate(proposals, 1)
    ]
    decisions = {p.id: Decision(p.id, "accepted") for p in props if p.op != "comment"}
    return compose(base, props, decisions, new_version="next").version


def pandoc_view(path: Path, mode: str) -> list[str]:
    """pandoc's reject or accept view of a Word file (``--track-changes=accept|reject``),
    one string per paragraph pandoc reads (list items and table cells each one)."""
    doc = units_from_ast(pandoc.read(path, "docx", args=[f"--track-changes={mode}"]))
    return [g.shown for g in doc.paragraphs(mode)]


def version_of(texts: list[str]) -> Version:
    return Version("doc", "v0", tuple(Paragraph(id=f"p-{i}", text=t) for i, t in enumerate(texts, 1)))


def version_from_json(path: Path) -> Version:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Version(data["document"], data["version"], tuple(Paragraph(**p) for p in data["paragraphs"]))


def fixture_base() -> Version:
    return version_from_json(DOCX / "base.json")


def plain(proposals) -> list[dict]:
    """Proposals as contract data, without Word's metadata."""
    return [{k: v for k, v in p.to_data().items() if k != "meta"} for p in proposals]
