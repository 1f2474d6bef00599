"""Language versions: where each version stands in each language, translation packages
out and back in, and versions exported in another language (glue around
``text.translations`` and ``formats.xliff`` / ``formats.packages``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import languages as L
from ..model import roles
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.records import TranslationRecord, Version
from ..model.validate import clean_text, parse_translation, text_problem, translation_to_data
from ..model.vocabulary import default_label
from ..model.when import iso
from ..store import yamlio
from ..store.workspace import Workspace, translation_path
from ..text.translations import LanguageState, Package, Returned, language_state, merged, package_units
from . import clock
from . import versions as V
from .identity import identity

PACKAGE_FORMATS = ("xliff", "docx")


def state(ws: Workspace, document: str, version: str, language: str) -> LanguageState:
    """Every paragraph of ``version`` in ``language``: translated, stale or missing."""
    ws.require_language(language)
    return language_state(ws.chain(document, version), ws.translations(document, version, language), language)


def status(ws: Workspace, document: str | None = None) -> list[dict[str, Any]]:
    """Per document, version and language: translated, stale and missing paragraphs and words."""
    docs = [ws.require_document(document)] if document else list(ws.config.documents)
    rows = []
    for doc in docs:
        for name in ws.version_names(doc):
            v = ws.version(doc, name)
            for lang in ws.config.target_languages:
                row = state(ws, doc, name, lang).to_json()
                row["label"] = v.label or default_label(name)
                rows.append(row)
    return rows


# ------------------------------------------------------------------------- packages


def build_package(ws: Workspace, document: str, version: str, language: str, *, everything: bool = False) -> Package:
    """What a package of ``version`` into ``language`` carries: the stale and missing
    paragraphs (``everything``: every paragraph). Refuses an empty package."""
    ws.require_language(language)
    v = ws.version(document, version)
    st = state(ws, document, version, language)
    units = package_units(st, v, V.numbers(ws, document, version), everything=everything)
    if not units:
        raise DraftingError(
            f"nothing to translate: every paragraph of {document} {version} is translated into "
            f"{L.name(language)} (give --all for a package of the whole version)"
        )
    info = ws.config.documents[document]
    return Package(
        document=document,
        version=version,
        source_language=ws.config.source_language,
        target_language=language,
        conference=ws.config.conference,
        title=info.title,
        label=v.label or default_label(version),
        symbol=v.symbol or info.symbol,
        units=units,
        created=iso(clock.now()),
    )


def package_bytes(package: Package, fmt: str) -> bytes:
    """The package as a file's bytes (for the app's downloads)."""
    import tempfile

    if fmt == "xliff":
        from ..formats.xliff import to_xliff

        return to_xliff(package)
    _check_format(fmt)
    with tempfile.TemporaryDirectory(prefix="drafting-package-") as d:
        out = Path(d) / "package.docx"
        write_package(package, fmt, out)
        return out.read_bytes()


def _check_format(fmt: str) -> None:
    if fmt not in PACKAGE_FORMATS:
        raise DraftingError(f"unknown package format {fmt!r}: choose xliff or docx")


def write_package(package: Package, fmt: str, out: Path) -> Path:
    _check_format(fmt)
    if fmt == "xliff":
        from ..formats.xliff import write_xliff

        return write_xliff(package, out)
    from ..formats.packages import write_docx_package

    return write_docx_package(package, out)


def export_package(
    ws: Workspace, document: str, version: str, language: str, fmt: str, out: Path, *, everything: bool = False
) -> dict[str, Any]:
    _check_format(fmt)
    package = build_package(ws, document, version, language, everything=everything)
    write_package(package, fmt, Path(out))
    return package_summary(package, str(out), fmt)


def package_summary(package: Package, path: str | None, fmt: str) -> dict[str, Any]:
    return {
        "document": package.document,
        "version": package.version,
        "source_language": package.source_language,
        "language": package.target_language,
        "format": fmt,
        "path": path,
        "paragraphs": len(package.units),
        "words": package.words,
        "missing": package.count("missing"),
        "stale": package.count("stale"),
        "units": [
            {
                "id": u.id,
                "label": u.label,
                "state": u.state,
                "words": u.words,
                "fingerprint": u.fingerprint,
                "source": u.source,
                "previous_source": u.previous_source,
                "previous_translation": u.previous_translation,
            }
            for u in package.units
        ],
    }


def read_package(ws: Workspace, path: Path, *, shown: str | None = None) -> Returned:
    """A package back from the translators, XLIFF 2.0 or DOCX (by its content)."""
    name = shown or str(path)
    lim = ws.config.limits
    try:
        if not path.is_file():
            raise NotFound(f"{name}: no such file")
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        raise DraftingError(f"{name}: cannot be read ({e.strerror or e})") from None
    if head.startswith((b"PK\x03\x04", bytes.fromhex("D0CF11E0"))) or path.suffix.lower() == ".docx":
        from ..formats.packages import read_docx_package

        return read_docx_package(path, limits=lim, name=name)
    size = path.stat().st_size
    if size > lim.max_file_bytes:
        raise DraftingError(f"{name}: is {size:,} bytes, over the limit of {lim.max_file_bytes:,}")
    from ..formats.xliff import read_xliff

    return read_xliff(path.read_bytes(), name, max_bytes=lim.max_file_bytes)


def import_package(
    ws: Workspace, path: Path, language: str, *, by: str | None = None, shown: str | None = None
) -> dict[str, Any]:
    """Check a returned package against the workspace and record its translations (one
    commit). Refused whole, with one line, if anything does not fit: another language or
    source language, an unknown document, version or paragraph, a paragraph twice, a
    translation of a text that is not the version's (the source changed since the package
    was made), text over the limits or with control characters, or no translation at all."""
    cfg = ws.config
    name = shown or str(path)
    actor = roles.acting(cfg, by)
    roles.check_may_translate(actor)
    language = ws.require_language(language)
    back = read_package(ws, path, shown=name)
    if back.target_language is None:
        raise DraftingError(f"{name}: does not say which language it translates into")
    if back.target_language != language:
        raise DraftingError(
            f"{name}: is a package into {L.label(back.target_language)}, not {L.label(language)} (--lang {language})"
        )
    if back.source_language not in (None, cfg.source_language):
        raise DraftingError(
            f"{name}: translates from {L.label(back.source_language)}, but texts here are in "
            f"{L.label(cfg.source_language)}"
        )
    if not back.document or not back.version:
        raise DraftingError(f"{name}: does not say which document and version it translates: not a drafting package")
    try:
        ws.require_document(back.document)
        v = ws.version(back.document, back.version)
    except NotFound as e:
        raise NotFound(f"{name}: translates {back.document} {back.version}, which this workspace lacks ({e})") from None
    records, empty = _records(ws, v, back, name)
    rel = translation_path(v.document, v.version, language)
    lim = cfg.limits
    with ws.git.transaction():
        existing = ws.translation(v.document, v.version, language)  # read under the lock
        result = merged(existing, records, v, language)
        data = translation_to_data(result, [p.id for p in v.paragraphs])
        body = (
            f"# {cfg.documents[v.document].title}, {v.label or v.version}: translations into "
            f"{L.name(language)} ({language}).\n# id: the paragraph; fingerprint: of the {L.name(cfg.source_language)} "
            "text translated; text: the translation.\n"
        ) + yamlio.dumps(data)
        # what we write must read back
        parse_translation(
            yamlio.loads(body, rel, max_bytes=lim.max_file_bytes, max_depth=lim.max_depth),
            rel,
            config=cfg,
            version=v,
            language=language,
        )
        before = existing.by_id() if existing else {}
        changed = [r.id for r in records if before.get(r.id) != r]
        commit = None
        if changed:
            n = len(changed)
            commit = ws.git.commit(
                {rel: body.encode("utf-8")},
                f"Translate {n} paragraph{'s' if n != 1 else ''} of {v.document} {v.version} into {L.name(language)}",
                identity(actor),
                trailers={"Action": "translate", "Document": v.document, "Version": v.version, "Language": language},
            )
    later = _stale_later(ws, v, language, [r.id for r in records], result)
    return {
        "document": v.document,
        "version": v.version,
        "language": language,
        "path": rel,
        "commit": commit,
        "imported": [r.id for r in records],
        "changed": changed,
        "empty": empty,
        "stale_in_later_versions": later,
    }


def _records(ws: Workspace, v: Version, back: Returned, name: str) -> tuple[list[TranslationRecord], list[str]]:
    """The translations of a returned package, every unit checked; (records, ids left empty)."""
    lim = ws.config.limits
    if len(back.units) > lim.max_paragraphs:
        raise DraftingError(f"{name}: {len(back.units):,} paragraphs, over the limit of {lim.max_paragraphs:,}")
    by_id = v.by_id()
    numbers = V.numbers(ws, v.document, v.version)
    seen: set[str] = set()
    records: list[TranslationRecord] = []
    empty: list[str] = []
    for u in back.units:
        para = by_id.get(u.id)
        if para is None:
            raise NotFound(f"{name}: paragraph {str(u.id)[:80]!r} is not in {v.document} {v.version}")
        if u.id in seen:
            raise DraftingError(f"{name}: paragraph {u.id} comes twice")
        seen.add(u.id)
        where = f"paragraph {u.id}" + (f" ({numbers[u.id]})" if numbers.get(u.id) else "")
        expected = L.fingerprint(para.text)
        carried = u.fingerprint or (L.fingerprint(clean_text(u.source)) if u.source else None)
        if carried is None:
            raise DraftingError(f"{name}: {where} carries no fingerprint of its source text: not a drafting package")
        if carried != expected:
            raise Conflict(
                f"{name}: {where} translates a text that is no longer that of {v.document} {v.version} "
                "(the source changed since the package was made): nothing imported; export a new package"
            )
        if not u.target or not u.target.strip():
            empty.append(u.id)
            continue
        bad = text_problem(u.target)
        if bad:
            raise DraftingError(f"{name}: the translation of {where} {bad}")
        target = clean_text(u.target)
        if len(target) > lim.max_text_chars:
            raise DraftingError(
                f"{name}: the translation of {where} is {len(target):,} characters long, over the limit of "
                f"{lim.max_text_chars:,}"
            )
        records.append(TranslationRecord(u.id, target, expected))
    if not records:
        raise DraftingError(f"{name}: no paragraph is translated in it; nothing to import")
    return records, empty


def _stale_later(ws: Workspace, v: Version, language: str, ids: list[str], result) -> list[dict[str, str]]:
    """Imported paragraphs whose text has changed since, in the latest version descended
    from ``v``: their translations are stored for ``v`` and will show as stale there."""
    names = ws.version_names(v.document)
    later = [n for n in names if n != v.version and v.version in {c.version for c in ws.chain(v.document, n)}]
    if not later:
        return []
    latest = later[-1]
    chain = ws.chain(v.document, latest)
    files = {c.version: ws.translation(v.document, c.version, language) for c in chain}
    files[v.version] = result
    st = language_state(chain, files, language).by_id()
    return [{"id": pid, "version": latest} for pid in ids if pid in st and st[pid].state == "stale"]


# ------------------------------------------------------------------- translated versions


def export_language(
    ws: Workspace, document: str, version: str, language: str, fmt: str, out: Path, *, bilingual: bool = False
) -> Path:
    """``version`` as a document in ``language`` (with ``bilingual``: beside the source)."""
    from ..formats.packages import LanguageMeta, bilingual_ast, export_translated, translated_ast
    from .exports import doc_meta

    cfg = ws.config
    if language == cfg.source_language and not bilingual:
        from .exports import export_version

        return export_version(ws, document, version, fmt, out)
    ws.require_language(language)
    v = ws.version(document, version)
    st = state(ws, document, version, language)
    meta = doc_meta(ws, document, v)
    info = cfg.documents[document]
    lang = LanguageMeta(cfg.source_language, language, dict(info.titles).get(language, info.title))
    numbers = V.numbers(ws, document, version)
    if bilingual:
        doc = bilingual_ast(v, st, meta, numbers, lang)
    else:
        doc = translated_ast(v, st, meta, numbers, lang)
    return export_translated(doc, fmt, Path(out), symbol=meta.symbol, landscape=bilingual)
