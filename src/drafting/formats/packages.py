"""Translation packages as Word documents, and translated versions as documents.

The package is a two-column table written through pandoc (source left, translation
right, each row's paragraph id in a bookmark, what the import checks in custom document
properties); reading it back takes each row's last cell as Word's "accept all" shows it.
:func:`translated_ast` and :func:`bilingual_ast` make translated versions. Details:
``docs/design/translation-packages.md``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import languages as L
from ..model.errors import DraftingError
from ..model.records import Limits, Version
from ..text.translations import LanguageState, Package, Returned, ReturnedUnit
from .ast import (
    SPACE,
    TITLE_STYLES,
    Block,
    Cell,
    DocMeta,
    Emph,
    Inline,
    Para,
    Plain,
    Row,
    Span,
    Strikeout,
    Strong,
    Table,
    Underline,
    attr,
    bookmark_name,
    document,
    meta_fields,
    meta_string,
    number_label,
    paragraph_block,
    paragraph_id_from_bookmark,
    styled,
    text,
    title_block,
)

PACKAGE_PROPERTY = "drafting-package"
FP_PREFIX = "drafting-fp-"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def write_bytes(out: Path, data: bytes) -> Path:
    """Write a command's output file atomically (``export.write_atomically``)."""
    from .export import write_atomically

    return write_atomically(Path(out), lambda tmp: tmp.write_bytes(data))


# ------------------------------------------------------------------------ the package


def _changes(changes: Sequence[tuple[str, str]]) -> list[Inline]:
    out: list[Inline] = []
    for op, t in changes:
        inl = text(t)
        if not inl:
            continue
        out.append(Underline(inl) if op == "insert" else Strikeout(inl) if op == "delete" else Span(attr(), inl))
    return out


STATE_WORDS = {
    "missing": "new",
    "stale": "changed since the previous translation (insertions underlined, deletions struck through)",
    "translated": "translated (for revision)",
}


def package_ast(package: Package) -> dict[str, Any]:
    src, trg = L.name(package.source_language), L.name(package.target_language)
    meta = DocMeta(
        conference=package.conference,
        title=package.title,
        symbol=package.symbol,
        label=f"{package.label}: translation from {src} into {trg}",
        submitted_by="Translation package",
    )
    blocks: list[Block] = title_block(meta)
    n = len(package.units)
    blocks.append(
        Para(
            text(
                f"{n} paragraph{'s' if n != 1 else ''} to translate, {package.words:,} words: "
                f"{package.count('missing')} new, {package.count('stale')} changed since the previous translation."
            )
        )
    )
    blocks.append(
        Para(
            text(
                f"Type the {trg} text in the right-hand column of each row. Leave the left-hand column and the "
                "rows as they are: the translations are read back row by row."
            )
        )
    )
    head = [Row([Cell([Plain([Strong(text(f"{src} (original)"))])]), Cell([Plain([Strong(text(trg))])])])]
    body = []
    for u in package.units:
        left: list[Block] = [
            Plain(
                [
                    Span(attr(bookmark_name(u.id)), [Strong(text(number_label(u.label) or u.label))]),
                    SPACE,
                    Emph(text(f"({STATE_WORDS.get(u.state, u.state)}; {u.words:,} words)")),
                ]
            ),
            Plain(_changes(u.changes) if u.changes else text(u.source)),
        ]
        if u.previous_translation:
            left.append(Plain([Emph(text(f"Previous {trg} translation:")), SPACE, *text(u.previous_translation)]))
        body.append(Row([Cell(left), Cell([Plain([])])], classes=["unit", u.state]))
    blocks.append(Table([0.5, 0.5], head, body, a=attr("", ["translation-package"])))
    fields = meta_fields(meta)
    fields["lang"] = meta_string(package.source_language)
    fields[PACKAGE_PROPERTY] = meta_string("1")
    fields["drafting-document"] = meta_string(package.document)
    fields["drafting-version"] = meta_string(package.version)
    fields["drafting-source-language"] = meta_string(package.source_language)
    fields["drafting-target-language"] = meta_string(package.target_language)
    if package.created:
        fields["drafting-created"] = meta_string(package.created)
    for u in package.units:
        fields[FP_PREFIX + u.id] = meta_string(u.fingerprint)
    return document(blocks, fields)


def write_docx_package(package: Package, out: Path) -> Path:
    from .export import render

    return render(package_ast(package), "docx", Path(out), symbol=package.symbol)


# --------------------------------------------------------------------- reading it back


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _cell_text(cell: ET.Element) -> str:
    """The text of a table cell as Word's "accept all" shows it; paragraphs joined by a space."""
    paras: list[str] = []

    def walk(el: ET.Element, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag in (_w("del"), _w("moveFrom"), _w("delText"), _w("instrText")):
                continue
            if tag == _w("t") and child.text:
                out.append(child.text)
            elif tag in (_w("tab"), _w("br"), _w("cr")):
                out.append(" ")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("tbl"):
                continue  # a nested table is not the cell's text
            else:
                walk(child, out)

    for p in cell.iter(_w("p")):
        parts: list[str] = []
        walk(p, parts)
        paras.append("".join(parts))
    return " ".join(x for x in (" ".join(p.split()) for p in paras) if x)


def _bookmarks(el: ET.Element) -> list[str]:
    return [str(b.get(_w("name"))) for b in el.iter(_w("bookmarkStart")) if b.get(_w("name"))]


def read_docx_package(path: Path, *, limits: Limits, name: str | None = None) -> Returned:
    """A DOCX package back from a translator; one-line errors naming the file."""
    from .safety import check_package, check_size

    shown = name or path.name
    check_size(path, limits.max_docx_bytes)
    check_package(path, limits=limits, fmt="docx")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            props: dict[str, str] = {}
            if "docProps/custom.xml" in names:
                croot = ET.fromstring(z.read("docProps/custom.xml"))
                for prop in croot.findall(f"{{{CUSTOM}}}property"):
                    value = "".join(prop.itertext()).strip()
                    props[str(prop.get("name"))] = value
            droot = ET.fromstring(z.read("word/document.xml"))
    except (ET.ParseError, KeyError, zipfile.BadZipFile) as e:
        raise DraftingError(f"{shown}: the Word document cannot be read ({e})") from None
    if props.get(PACKAGE_PROPERTY) != "1":
        raise DraftingError(
            f"{shown}: not a drafting translation package (its document properties are missing: translate in "
            "the file 'drafting translate export' wrote, not in a copy of its text)"
        )
    units: list[ReturnedUnit] = []
    seen: set[str] = set()
    for row in droot.iter(_w("tr")):
        cells = row.findall(_w("tc"))
        if len(cells) < 2:
            continue
        pid = next((p for p in map(paragraph_id_from_bookmark, _bookmarks(cells[0])) if p), None)
        if pid is None:
            continue
        if pid in seen:
            raise DraftingError(f"{shown}: paragraph {pid} has two rows; keep one")
        seen.add(pid)
        target = _cell_text(cells[-1])
        units.append(ReturnedUnit(pid, props.get(FP_PREFIX + pid) or None, target or None))
    return Returned(
        props.get("drafting-document") or None,
        props.get("drafting-version") or None,
        props.get("drafting-source-language") or None,
        props.get("drafting-target-language") or None,
        tuple(units),
    )


# ------------------------------------------------------------ translated versions


@dataclass(frozen=True)
class LanguageMeta:
    source: str  # language codes
    target: str
    title: str  # the document's title in the target language (or the source's)


def _shown(p, lang: LanguageMeta, *, marker: str) -> list[Inline]:
    """A paragraph with no current translation: the marker, then the source text, marked
    as being in the source language."""
    return [
        Span(attr("", ["untranslated-marker"]), [Strong(text(marker))]),
        SPACE,
        Span(attr("", ["untranslated"], lang=lang.source), text(p.source)),
    ]


def _translated_meta(meta: DocMeta, lang: LanguageMeta) -> DocMeta:
    return DocMeta(
        conference=meta.conference,
        title=lang.title,
        symbol=meta.symbol,
        date=meta.date,
        label=meta.label,
        submitted_by=L.phrase(lang.target, "submitted_by"),
        venue=meta.venue,
    )


def translated_ast(
    version: Version, state: LanguageState, meta: DocMeta, numbers: Mapping[str, str], lang: LanguageMeta
) -> dict[str, Any]:
    """The version in ``lang.target``: each paragraph's current translation; a stale or
    missing one in the source language behind a marker. Headings that a version without
    heading paragraphs gets from ``section`` are left out (sections are not translated)."""
    tmeta = _translated_meta(meta, lang)
    blocks: list[Block] = title_block(tmeta)
    # under the symbol and date, as UN documents carry it: "Original : anglais"
    at = bool(tmeta.symbol) + bool(tmeta.date)
    original = Para([Emph(text(L.original_line(lang.target, lang.source)))])
    blocks.insert(at, styled(TITLE_STYLES["date"], original, classes=["original"]))
    by_id = state.by_id()
    for p in version.paragraphs:
        st = by_id[p.id]
        if st.state == "translated":
            body = text(st.translation)
        else:
            body = _shown(st, lang, marker=L.phrase(lang.target, "untranslated" if st.state == "missing" else "update"))
        blocks.append(paragraph_block(p.kind, p.id, numbers.get(p.id, ""), body))
    fields = meta_fields(tmeta)
    fields["lang"] = meta_string(lang.target)
    return document(blocks, fields)


def bilingual_ast(
    version: Version, state: LanguageState, meta: DocMeta, numbers: Mapping[str, str], lang: LanguageMeta
) -> dict[str, Any]:
    """Source and translation side by side: one table row per paragraph."""
    blocks: list[Block] = title_block(meta)
    src, trg = L.name(lang.source), L.name(lang.target)
    head = [Row([Cell([Plain([Strong(text(src))])]), Cell([Plain([Strong(text(trg))])])])]
    body = []
    by_id = state.by_id()
    for p in version.paragraphs:
        st = by_id[p.id]
        num = number_label(numbers.get(p.id, ""))
        lead = [Strong(text(num)), SPACE] if num else []
        left = Para([*lead, Span(attr(bookmark_name(p.id)), text(p.text))])
        if st.state == "translated":
            right = Para([*lead, Span(attr("", [], lang=lang.target), text(st.translation))])
        elif st.state == "stale":
            right = Para(
                [
                    *lead,
                    Span(attr("", ["untranslated-marker"]), [Strong(text(L.phrase(lang.target, "earlier")))]),
                    SPACE,
                    Span(attr("", ["stale"], lang=lang.target), [Emph(text(st.translation))]),
                ]
            )
        else:
            right = Para(
                [*lead, Span(attr("", ["untranslated-marker"]), [Strong(text(L.phrase(lang.target, "untranslated")))])]
            )
        body.append(Row([Cell([left]), Cell([right])], classes=[p.kind, st.state]))
    blocks.append(Table([0.5, 0.5], head, body, a=attr("", ["bilingual"])))
    fields = meta_fields(meta)
    fields["landscape"] = {"t": "MetaBool", "c": True}
    return document(blocks, fields)


def export_translated(doc: dict[str, Any], fmt: str, out: Path, *, symbol: str | None, landscape: bool = False) -> Path:
    from .export import FORMATS, render

    if fmt not in FORMATS:
        raise DraftingError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "pdf":  # the Typst template writes its own title block
        doc = dict(doc, blocks=[b for b in doc["blocks"] if not _is_title(b)])
    return render(doc, fmt, Path(out), symbol=symbol, landscape=landscape)


def _is_title(block: Block) -> bool:
    if block.get("t") != "Div":
        return False
    classes = block["c"][0][1]
    return "title-block" in classes


__all__ = [
    "LanguageMeta",
    "bilingual_ast",
    "export_translated",
    "package_ast",
    "read_docx_package",
    "translated_ast",
    "write_bytes",
    "write_docx_package",
]
