"""Translation packages as XLIFF 2.0, the exchange format of translation (CAT) tools.

Written and read with ``xml.etree.ElementTree`` (XLIFF 2.0 core and its Metadata
module); one unit per paragraph, its target left empty; reading back accepts what CAT
tools write, after checking the size and refusing a DTD. The file's shape and what is
accepted: ``docs/design/translation-packages.md``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..model.errors import DraftingError
from ..text.translations import Package, Returned, ReturnedUnit, changes_text

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
META_GROUP = "drafting"
STATE_NOTES = {
    "missing": "New: not translated before",
    "stale": "Changed since the previous translation",
    "translated": "Translated (included for revision)",
}

ET.register_namespace("", NS)
ET.register_namespace("mda", MDA)


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _metadata(parent: ET.Element, items: list[tuple[str, str | None]]) -> None:
    md = ET.SubElement(parent, _q("metadata", MDA))
    group = ET.SubElement(md, _q("metaGroup", MDA), {"category": META_GROUP})
    for kind, value in items:
        if value is not None:
            meta = ET.SubElement(group, _q("meta", MDA), {"type": kind})
            meta.text = value


def _notes(parent: ET.Element, notes: list[tuple[str | None, str | None]]) -> None:
    notes = [(cat, text) for cat, text in notes if text]
    if not notes:
        return
    container = ET.SubElement(parent, _q("notes"))
    for cat, text in notes:
        note = ET.SubElement(container, _q("note"), {"category": cat} if cat else {})
        note.text = text


def to_xliff(package: Package) -> bytes:
    """The package as an XLIFF 2.0 document (UTF-8 bytes)."""
    root = ET.Element(
        _q("xliff"), {"version": "2.0", "srcLang": package.source_language, "trgLang": package.target_language}
    )
    f = ET.SubElement(root, _q("file"), {"id": "f1", "original": f"drafts/{package.document}/{package.version}.yaml"})
    _metadata(
        f,
        [
            ("document", package.document),
            ("version", package.version),
            ("conference", package.conference),
            ("title", package.title),
            ("label", package.label),
            ("symbol", package.symbol),
            ("created", package.created),
        ],
    )
    what = f"{package.title}, {package.label}" + (f" ({package.symbol})" if package.symbol else "")
    _notes(
        f,
        [
            (
                "package",
                f"{what}: {len(package.units)} paragraph{'s' if len(package.units) != 1 else ''} to translate, "
                f"{package.words:,} words ({package.count('missing')} new, {package.count('stale')} changed "
                "since the previous translation).",
            )
        ],
    )
    for u in package.units:
        unit = ET.SubElement(f, _q("unit"), {"id": u.id, "name": u.label})
        _metadata(unit, [("fingerprint", u.fingerprint), ("state", u.state), ("words", str(u.words))])
        _notes(
            unit,
            [
                ("state", STATE_NOTES.get(u.state, u.state)),
                ("changes", changes_text(u.changes) if u.changes else None),
                ("previous-source", u.previous_source),
                ("previous-translation", u.previous_translation),
                ("words", f"{u.words:,} word{'s' if u.words != 1 else ''}"),
            ],
        )
        segment = ET.SubElement(unit, _q("segment"), {"state": "initial"})
        source = ET.SubElement(segment, _q("source"))
        source.text = u.source
    ET.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def write_xliff(package: Package, out: Path) -> Path:
    from .packages import write_bytes

    return write_bytes(Path(out), to_xliff(package))


# ----------------------------------------------------------------------------- reading


def _fail(name: str, problem: str) -> DraftingError:
    return DraftingError(f"{name}: {problem}")


def _inline_text(el: ET.Element) -> str:
    """The text of a ``<source>`` or ``<target>``: inline codes give their content
    (``<pc>``, ``<mrk>``) or nothing (``<ph>``, ``<sc>``, ``<ec>``, ``<sm>``, ``<em>``)."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("pc", "mrk"):
            parts.append(_inline_text(child))
        elif tag == "cp":
            parts.append("?")  # a code point XML cannot carry: refused by the text checks
        parts.append(child.tail or "")
    return "".join(parts)


def _meta(el: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for group in el.findall(f"{_q('metadata', MDA)}/{_q('metaGroup', MDA)}"):
        if group.get("category") != META_GROUP:
            continue
        for meta in group.findall(_q("meta", MDA)):
            if meta.get("type"):
                out[str(meta.get("type"))] = meta.text or ""
    return out


def read_xliff(data: bytes, name: str, *, max_bytes: int) -> Returned:
    """A package back from a translator (XLIFF 2.0 bytes); one-line errors naming ``name``."""
    if len(data) > max_bytes:
        raise _fail(name, f"is {len(data):,} bytes, over the limit of {max_bytes:,}")
    low = data.lower()
    if b"<!doctype" in low or b"<!entity" in low:
        raise _fail(name, "declares a DOCTYPE or ENTITY (external entities are not allowed): refused")
    if b"xliff" not in low[:65536]:
        raise _fail(name, "is not an XLIFF file")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise _fail(name, f"is not well-formed XML ({e})") from None
    if root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff" or (
        root.tag.endswith("xliff") and root.get("version", "").startswith("1.")
    ):
        raise _fail(name, "is XLIFF 1.2; drafting reads XLIFF 2.0 (export the package again, or save it as XLIFF 2.0)")
    if root.tag != _q("xliff"):
        raise _fail(name, "is not an XLIFF 2.0 file (its root is not <xliff> in the XLIFF 2.0 namespace)")
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise _fail(name, f"holds {len(files)} <file> elements; a drafting package has exactly one")
    f = files[0]
    meta = _meta(f)
    document, version = meta.get("document"), meta.get("version")
    original = f.get("original") or ""
    if (not document or not version) and original.startswith("drafts/") and original.endswith(".yaml"):
        parts = original[len("drafts/") : -len(".yaml")].split("/")
        if len(parts) == 2:
            document, version = document or parts[0], version or parts[1]
    units: list[ReturnedUnit] = []
    for unit in f.iter(_q("unit")):
        uid = unit.get("id")
        if not uid:
            raise _fail(name, "has a <unit> without an id")
        pieces: list[str] = []
        sources: list[str] = []
        translated = False
        for child in unit:
            tag = child.tag
            if tag not in (_q("segment"), _q("ignorable")):
                continue
            src = child.find(_q("source"))
            trg = child.find(_q("target"))
            if src is not None:
                sources.append(_inline_text(src))
            if tag == _q("segment"):
                if trg is not None and _inline_text(trg).strip():
                    translated = True
                pieces.append(_inline_text(trg) if trg is not None else "")
            else:  # white space (or codes) between segments: its target, else its source
                pieces.append(_inline_text(trg) if trg is not None else (_inline_text(src) if src is not None else ""))
        m = _meta(unit)
        units.append(
            ReturnedUnit(
                uid,
                m.get("fingerprint") or None,
                "".join(pieces) if translated else None,
                "".join(sources) if sources else None,
            )
        )
    return Returned(document, version, root.get("srcLang"), root.get("trgLang"), tuple(units))
