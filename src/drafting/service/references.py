"""Reference documents and agreed language: add and list references, check a version or
the proposals against them (the glue around ``text.precedents``)."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from ..model import roles
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.references import (
    Reference,
    RefParagraph,
    check_date,
    parse_reference,
    reference_to_data,
    symbol_key,
)
from ..model.validate import is_slug, text_problem
from ..store import yamlio
from ..store.workspace import CONFIG, Workspace, reference_path
from ..text.precedents import DEFAULT_MIN_WORDS, MIN_WORDS

#: what ``reference add`` reads (plain text goes through pandoc's Markdown reader)
SUFFIXES = (".docx", ".odt", ".md", ".markdown", ".html", ".htm", ".txt")


# ---------------------------------------------------------------------------- adding


def slug_for(title: str) -> str:
    """A file name for a reference from its title: ``lausanne-action-plan``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:60].strip("-") or "reference"


def _read_document(path: Path, limits) -> list:
    from ..formats.reader import read_paragraphs

    if path.suffix.lower() != ".txt":
        return read_paragraphs(path, limits=limits)
    from ..formats import safety

    safety.check_size(path, limits.max_docx_bytes)
    safety.check_text(path)
    with tempfile.TemporaryDirectory(prefix="drafting-ref-") as tmp:
        md = Path(tmp) / (path.stem + ".md")
        shutil.copyfile(path, md)
        try:
            return read_paragraphs(md, limits=limits)
        except DraftingError as e:  # name the file as the user named it
            raise DraftingError(str(e).replace(md.name, path.name, 1)) from None


def reference_from_paragraphs(
    paragraphs: list, *, slug: str, title: str, symbol: str, date: str | None, adopted_by: str | None, source: str
) -> Reference:
    """A reference from imported paragraphs, numbered as the document numbered them: the
    import strips "Action 12" and "5." and gives such paragraphs the kinds ``action`` and
    ``operative``, so actions are counted among actions and numbered paragraphs among
    numbered ones (unnumbered preambular paragraphs stay unnumbered)."""
    counts: dict[str, int] = {}
    numbered = []
    for p in paragraphs:
        number = None
        if p.kind in ("action", "operative"):
            counts[p.kind] = counts.get(p.kind, 0) + 1
            number = f"Action {counts[p.kind]}" if p.kind == "action" else str(counts[p.kind])
        numbered.append(RefParagraph(p.id, p.text, number, p.kind, p.section))
    return Reference(slug, title, symbol, tuple(numbered), date, adopted_by, source)


def add_reference(
    ws: Workspace,
    path: Path,
    *,
    title: str,
    symbol: str,
    date: str | None = None,
    adopted_by: str | None = None,
    slug: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Import ``path`` (DOCX, ODT, HTML, Markdown or plain text) as a reference, commit it."""
    from .identity import identity

    cfg = ws.config
    actor = roles.acting(cfg, by)
    roles.check_may_add_reference(actor)
    for label, value in (("--title", title), ("--symbol", symbol), ("--adopted-by", adopted_by)):
        if value is not None and (not value.strip() or text_problem(value)):
            raise DraftingError(f"{label} {text_problem(value) or 'is empty'}")
    try:
        date = check_date(date) if date is not None else None
    except ValueError as e:
        raise DraftingError(f"--date: {e}") from None
    slug = slug or slug_for(title)
    if not is_slug(slug):
        raise DraftingError(f"{slug!r} is not a valid reference name (letters, digits, '-')")
    rel = reference_path(slug)
    if (ws.root / rel).exists():
        raise Conflict(f"{rel} already exists; choose another name with --slug")
    for other in ws.references():
        if symbol_key(other.symbol) == symbol_key(symbol):
            raise Conflict(f"{symbol} is already the symbol of {reference_path(other.slug)} ({other.title})")
    if path.suffix.lower() not in SUFFIXES:
        raise DraftingError(
            f"{path.name}: cannot read '{path.suffix or 'no extension'}' files as a reference "
            "(use .docx, .odt, .html, .md or .txt)"
        )
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    paragraphs = _read_document(path, cfg.limits)
    if not any(p.kind != "heading" for p in paragraphs):
        raise DraftingError(f"{path.name}: no paragraphs of text found")
    ref = reference_from_paragraphs(
        paragraphs,
        slug=slug,
        title=" ".join(title.split()),
        symbol=" ".join(symbol.split()),
        date=date,
        adopted_by=" ".join(adopted_by.split()) if adopted_by else None,
        source=path.name,
    )
    body = (
        f"# {ref.title} ({ref.symbol}): a reference document, whose language is agreed.\n"
        f"# Imported by drafting from {path.name}.\n" + yamlio.dumps(reference_to_data(ref))
    )
    lim = cfg.limits
    parse_reference(yamlio.loads(body, rel, max_bytes=lim.max_file_bytes), rel, limits=lim, slug=slug)  # reads back
    if len(body.encode()) > lim.max_file_bytes:
        raise DraftingError(f"{path.name}: too long for a reference file (over {lim.max_file_bytes:,} bytes)")
    with ws.git.transaction():
        if (ws.root / rel).exists():
            raise Conflict(f"{rel} already exists; choose another name with --slug")
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"Add the reference {ref.symbol} ({ref.title})",
            identity(actor),
            trailers={"Action": "reference", "Reference": slug},
        )
    return {
        "reference": slug,
        "path": rel,
        "commit": sha,
        "title": ref.title,
        "symbol": ref.symbol,
        "paragraphs": len(ref.paragraphs),
    }


# ---------------------------------------------------------------------------- listing


def reference_json(r: Reference) -> dict[str, Any]:
    return {
        "reference": r.slug,
        "title": r.title,
        "symbol": r.symbol,
        "date": r.date,
        "adopted_by": r.adopted_by,
        "source": r.source,
        "path": reference_path(r.slug),
        "paragraphs": len(r.paragraphs),
        "words": sum(len(p.text.split()) for p in r.paragraphs),
    }


def list_references(ws: Workspace) -> list[dict[str, Any]]:
    return [reference_json(r) for r in ws.references()]


def reference_rows(ws: Workspace) -> list[dict[str, Any]]:
    """The references with their paragraphs (the app's References page)."""
    return [
        {
            **reference_json(r),
            "paragraph_list": [
                {"id": p.id, "number": p.number, "kind": p.kind, "section": p.section, "text": p.text}
                for p in r.paragraphs
            ],
        }
        for r in ws.references()
    ]


# ---------------------------------------------------------------------------- the index


def precedent_index(ws: Workspace):
    """``(references, Index)``: the index of every reference, built once per state of the
    reference files and kept in the workspace's cache (``Workspace.derived``), with what
    the reports need of the references: a check reads neither YAML nor records."""
    from ..text.precedents import Index, Source, build_index

    rels = _reference_files(ws)

    def build() -> dict:
        refs = ws.references()
        meta = [_pack(r) for r in refs]
        return build_index([[Source(p.text, p.kind == "heading") for p in r.paragraphs] for r in refs], meta)

    data = ws.derived("precedents-index", rels, build)
    index = Index(data)
    return [_unpack(m) for m in index.meta or ()], index


def _pack(r: Reference) -> tuple:
    return (
        r.slug,
        r.title,
        r.symbol,
        r.date,
        r.adopted_by,
        r.source,
        [(p.id, p.text, p.number, p.kind, p.section) for p in r.paragraphs],
    )


def _unpack(m: tuple) -> Reference:
    slug, title, symbol, date, adopted_by, source, paras = m
    return Reference(slug, title, symbol, tuple(RefParagraph(*p) for p in paras), date, adopted_by, source)


def check_min_words(min_words: int | None) -> int:
    n = DEFAULT_MIN_WORDS if min_words is None else min_words
    if n < MIN_WORDS:
        raise DraftingError(
            f"--min-words must be at least {MIN_WORDS} (shorter stretches are common words, not agreed language)"
        )
    return n


class _Checker:
    """Matches texts against the references and reports in the references' words."""

    def __init__(self, ws: Workspace, min_words: int):
        self.refs, self.index = precedent_index(ws)
        self.min_words = min_words
        self.texts = [[p.text for p in r.paragraphs] for r in self.refs]
        self._normal: dict[str, list[str]] = {}  # amended paragraphs' words, by text

    def report(self, text: str, focus_from: str | None = None) -> dict[str, Any] | None:
        """The text's report; with ``focus_from`` (the amended paragraph's text), only the
        agreed language the amendment brings in, and None when it brings in none."""
        from ..text.precedents import changed_words, find, normalise, paragraph_report, words

        norm = normalise(text)
        focus = None
        if focus_from is not None:
            old = self._normal.get(focus_from)
            if old is None:
                old = self._normal[focus_from] = normalise(focus_from)
            focus = changed_words(old, norm)
            if not focus:  # only deletions: it brings in no language
                return None
        matches = find(self.index, self.index.ids(norm), self.min_words, focus=focus)
        if focus_from is not None and not matches:
            return None
        rep = paragraph_report(self.index, text, matches, words(text), self.texts)
        for s in rep["stretches"]:
            r = self.refs[s["reference"]]
            s["reference"] = r.slug
            s["symbol"] = r.symbol
            s["title"] = r.title
            for piece in s["paragraphs"]:
                i = piece.pop("paragraph")
                p = r.paragraphs[i]
                piece["id"] = p.id
                piece["number"] = p.number
                piece["cite"] = r.cite(i)
            s["source"] = source_line(s)
        return rep


def source_line(stretch: dict[str, Any]) -> str:
    """``Lausanne Action Plan (CCM/CONF/2021/6), Action 12`` (``, near match`` if changed)."""
    cites = [p["cite"] for p in stretch["paragraphs"]]
    where = cites[0] if len(cites) == 1 else f"{cites[0]} to {cites[-1]}"
    near = "" if stretch["kind"] == "exact" else ", with changes"
    return f"{stretch['title']} ({stretch['symbol']}), {where}{near}"


def check_version(
    ws: Workspace, document: str, version: str, *, paragraph: str | None = None, min_words: int | None = None
) -> dict[str, Any]:
    """``drafting precedents``: each paragraph's agreed language and new stretches. The
    whole version's report is kept in the cache per state of its file, the references
    and the configuration (as diffs and blame are)."""
    from ..store.workspace import version_path

    n = check_min_words(min_words)
    v = ws.version(document, version)
    if paragraph is not None and paragraph not in v.by_id():
        raise NotFound(f"unknown paragraph {paragraph!r} in {document} {version}")
    rels = _reference_files(ws)
    report = ws.derived(
        f"precedents:{document}:{version}:{n}",
        [CONFIG, version_path(document, version), *rels],
        lambda: _check_version(ws, document, version, n),
    )
    if paragraph is not None:
        report = dict(report, paragraphs=[p for p in report["paragraphs"] if p["id"] == paragraph])
        if not report["paragraphs"]:  # a heading: checked on request
            checker = _Checker(ws, n)
            p = v.by_id()[paragraph]
            rep = checker.report(p.text)
            assert rep is not None
            report["paragraphs"] = [{"id": p.id, "number": "", "kind": p.kind, "section": p.section, **rep}]
    return report


def _reference_files(ws: Workspace) -> list[str]:
    """The reference files, their digests noted for the cache's keys (not parsed)."""
    slugs = ws.reference_slugs()
    if not slugs:
        raise NotFound(
            "this workspace has no reference documents yet: add one with "
            "'drafting reference add FILE --title ... --symbol ... --date ...'"
        )
    rels = [reference_path(s) for s in slugs]
    lim = ws.config.limits
    for rel in rels:
        ws.parse_cache.digest(ws.root / rel, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth)
    return rels


def _check_version(ws: Workspace, document: str, version: str, n: int) -> dict[str, Any]:
    from .versions import numbers

    v = ws.version(document, version)
    checker = _Checker(ws, n)
    nums = numbers(ws, document, version)
    out = []
    for p in v.paragraphs:
        if p.kind == "heading":
            continue
        rep = checker.report(p.text)
        assert rep is not None
        out.append({"id": p.id, "number": nums.get(p.id, ""), "kind": p.kind, "section": p.section, **rep})
    words = sum(r["words"] for r in out)
    agreed = sum(r["agreed_words"] for r in out)
    return {
        "document": document,
        "version": version,
        "min_words": n,
        "references": [reference_json(r) for r in checker.refs],
        "paragraphs": out,
        "summary": {
            "paragraphs": len(out),
            "with_agreed_language": sum(1 for r in out if r["stretches"]),
            "words": words,
            "agreed_words": agreed,
            "share": round(agreed / words, 4) if words else 0.0,
        },
    }


def proposal_precedents(
    ws: Workspace, document: str, *, min_words: int | None = None, round: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Per proposal id, the agreed language it brings in: for an amendment, the stretches
    of its text that repeat a reference and hold a word it changed; for a new paragraph,
    every such stretch of its text. Kept in the cache per state of the files."""
    from ..store.workspace import version_path

    n = check_min_words(min_words)
    ws.require_document(document)
    rounds = [ws.require_round(document, round)] if round else list(ws.config.rounds_of(document))
    refs = ws.references()
    if not refs:
        return {}
    inputs = [reference_path(r.slug) for r in refs] + [
        rel for rel in ws.input_files(document) if rel.startswith("contributions/") or rel == CONFIG
    ]
    for r in rounds:
        ws.proposals(document, r.id)
        if ws.has_version(document, r.base):
            ws.version(document, r.base)
            inputs.append(version_path(document, r.base))

    def compute() -> dict[str, list[dict[str, Any]]]:
        checker = _Checker(ws, n)
        out: dict[str, list[dict[str, Any]]] = {}
        for r in rounds:
            base = ws.version(document, r.base).by_id() if ws.has_version(document, r.base) else {}
            for p in ws.proposals(document, r.id):
                if p.op not in ("amend", "insert") or not p.text:
                    continue
                old = base.get(p.paragraph) if p.op == "amend" and p.paragraph else None
                rep = checker.report(p.text, focus_from=old.text if old else None)
                if rep and rep["stretches"]:
                    out[p.id] = rep["stretches"]
        return out

    return ws.derived(f"precedents-proposals:{document}:{round or '*'}:{n}", inputs, compute)


def proposal_label(stretches: list[dict[str, Any]]) -> str:
    """One line for a proposal: the sources of the agreed language it brings in."""
    seen: list[str] = []
    for s in stretches:
        line = source_line(s)
        if line not in seen:
            seen.append(line)
    return "; ".join(seen)


# ---------------------------------------------------------------------------- annotated


def export_annotated(
    ws: Workspace, document: str, version: str, fmt: str, out: Path, *, min_words: int | None = None
) -> Path:
    """The version with the source of each agreed stretch as a Word comment (footnotes in
    the other formats), for the Presidency's own use."""
    from ..formats.precedents import export_annotated as export
    from ..model.vocabulary import default_label
    from . import clock
    from .exports import doc_meta
    from .versions import numbers

    rep = check_version(ws, document, version, min_words=min_words)
    v = ws.version(document, version)
    meta = doc_meta(
        ws,
        document,
        v,
        label=f"{v.label or default_label(version)}: sources of agreed language (for the Presidency's use)",
    )
    reports = {p["id"]: p for p in rep["paragraphs"]}
    return export(v.paragraphs, reports, meta, numbers(ws, document, version), fmt, Path(out), date=clock.stamp())
