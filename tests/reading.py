"""Helpers shared by the tests of the reader (formats.reader, formats.ooxml, text.understand ...)."""

from __future__ import annotations

import io
import json
import zipfile
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


def tracked_insert(
    docx: Path,
    out: Path,
    bookmark: str,
    inserted: str,
    *,
    author: str = "Jane Doe",
    date: str = "2026-07-10T10:00:00Z",
    unstamp: bool = False,
) -> Path:
    """What Word writes when a delegate types at the end of a paragraph (found by its
    bookmark) with Track Changes on (``unstamp``: the file saved by a program that dropped
    the document properties)."""
    z = zipfile.ZipFile(docx)
    parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode()
    start = xml.index(f'w:name="{bookmark}"')
    end = xml.index("</w:p>", start)
    ins = (
        f'<w:ins w:id="9001" w:author="{author}" w:date="{date}"><w:r>'
        f'<w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'
    )
    parts["word/document.xml"] = (xml[:end] + ins + xml[end:]).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as w:
        for i in z.infolist():
            if unstamp and i.filename == "docProps/custom.xml":
                continue
            w.writestr(i, parts[i.filename])
    out.write_bytes(buf.getvalue())
    return out
