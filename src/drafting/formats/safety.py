"""Checks an input document must pass before anything (pandoc included) reads it.

Every check runs on the raw bytes (size, zip structure and bombs, encryption, DTDs,
encodings), and every refusal is a :class:`~drafting.model.errors.DraftingError` whose
message is one line naming the file and the problem. The checks, one by one:
``docs/design/input-safety.md``.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ..model.errors import DraftingError
from ..model.records import Limits

#: pandoc reader for each accepted extension
READERS = {
    ".docx": "docx",
    ".odt": "odt",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
ZIP_FORMATS = {"docx", "odt"}

#: more entries than any real document package has (a 300-page report has ~30)
MAX_ZIP_ENTRIES = 1_000
#: an entry larger than this that compresses better than MAX_RATIO is a bomb
RATIO_MIN_BYTES = 1_000_000
MAX_RATIO = 200

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a local header, or an empty archive

_CHUNK = 1 << 16
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_ODF_ENCRYPTED = b"encryption-data"  # in an encrypted ODF package's manifest
_OVERLAP = max(len(m) for m in (*_DTD_MARKERS, _ODF_ENCRYPTED))


def _fail(path: Path, problem: str) -> DraftingError:
    return DraftingError(f"{path.name}: {problem}")


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def reader_for(path: Path) -> str:
    """The pandoc reader for ``path``'s extension, or a DraftingError."""
    fmt = READERS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted({".docx", ".odt", ".md", ".html"}))
        raise _fail(path, f"cannot read '{path.suffix or 'no extension'}' files (use {known})")
    return fmt


def check_document(path: Path, *, limits: Limits) -> str:
    """Run every check for ``path``; return its pandoc reader name ("docx", ...)."""
    fmt = reader_for(path)
    check_size(path, limits.max_docx_bytes)
    if fmt in ZIP_FORMATS:
        check_package(path, limits=limits, fmt=fmt)
    else:
        check_text(path)
    return fmt


def check_size(path: Path, max_bytes: int) -> int:
    """The file exists, is a regular file, and is no larger than ``max_bytes``."""
    try:
        if not path.is_file():
            raise _fail(path, "no such file" if not path.exists() else "is not a regular file")
        size = path.stat().st_size
    except OSError as e:
        raise _fail(path, f"cannot be read ({e.strerror or e})") from None
    if size > max_bytes:
        raise _fail(path, f"is {_mb(size)}, over the limit of {_mb(max_bytes)}")
    if size == 0:
        raise _fail(path, "is empty")
    return size


def check_text(path: Path) -> None:
    """A Markdown or HTML file: UTF-8, no NUL bytes."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise _fail(path, "contains NUL bytes: not a text file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(path, f"is not UTF-8 text (bad byte at offset {e.start})") from None


def _ole_problem(path: Path) -> str:
    """What an OLE compound file most likely is: encrypted OOXML or a legacy .doc."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
        return "is password-protected (encrypted): remove the password in Word and send it again"
    return (
        "is an old binary Word (.doc) file or is password-protected: "
        "save it as a .docx without a password and send it again"
    )


def check_package(path: Path, *, limits: Limits, fmt: str = "docx") -> None:
    """All checks on a zip package (.docx or .odt); see the module docstring."""
    kind = "Word document" if fmt == "docx" else "OpenDocument text"
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(OLE_SIGNATURE):
        raise _fail(path, _ole_problem(path))
    if not head.startswith(ZIP_SIGNATURES) or not zipfile.is_zipfile(path):
        raise _fail(path, f"is not a {kind} (not a zip package)")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_directory(path, infos, limits=limits, fmt=fmt, kind=kind)
            _check_contents(path, z, infos, limits=limits)
    except DraftingError:
        raise
    except zipfile.BadZipFile as e:
        raise _fail(path, f"is a damaged zip package ({e})") from None
    except NotImplementedError as e:
        raise _fail(path, f"uses a zip feature that is not supported ({e})") from None
    except Exception as e:  # noqa: BLE001 - zlib.error and friends: still one line, never a traceback
        raise _fail(path, f"is a damaged zip package ({type(e).__name__}: {e})") from None


def _check_directory(path: Path, infos: list[zipfile.ZipInfo], *, limits: Limits, fmt: str, kind: str) -> None:
    """Checks on the zip's central directory only: nothing decompressed yet."""
    max_entries = getattr(limits, "max_zip_entries", MAX_ZIP_ENTRIES)
    if len(infos) > max_entries:
        raise _fail(path, f"has {len(infos):,} entries, more than any real document ({max_entries:,}): refused")
    names = set()
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or "\x00" in name:
            raise _fail(path, f"has a suspicious entry name {name[:60]!r}: refused")
        if info.flag_bits & 0x1:
            raise _fail(path, "is password-protected (encrypted zip entries): remove the password and send it again")
        names.add(name)
    required = "word/document.xml" if fmt == "docx" else "content.xml"
    if required not in names:
        raise _fail(path, f"is a zip package but not a {kind} (it has no {required})")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_docx_unpacked_bytes:
        raise _fail(
            path,
            f"declares {_mb(declared)} once unpacked, over the limit of "
            f"{_mb(limits.max_docx_unpacked_bytes)} (zip bomb?): refused",
        )
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _fail(
                path,
                f"entry {i.filename[:60]} unpacks to {_mb(i.file_size)} from {_mb(i.compress_size)} "
                f"(ratio over {MAX_RATIO}: zip bomb?): refused",
            )


def _is_xml_part(name: str) -> bool:
    low = name.lower()
    return low.endswith((".xml", ".rels"))


_IMAGE_REL = "/relationships/image"


def _related_parts(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[set[str], set[str]]:
    """(parts a relationship points to, of them those pointed to only as images), from
    every ``.rels`` part (read after its own DTD check, with the standard library's
    parser, which resolves no external entity)."""
    import re

    targets: set[str] = set()
    images: set[str] = set()
    not_image: set[str] = set()
    for info in infos:
        if not info.filename.lower().endswith(".rels") or info.file_size > 5_000_000:
            continue
        try:
            text = z.read(info).decode("utf-8", "replace")
        except (OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
            continue  # a damaged entry: reported by the streaming check
        folder = PurePosixPath(info.filename).parent.parent  # word/_rels/x.rels -> word
        for tag in re.findall(r"<Relationship\b[^>]*>", text):
            target = re.search(r'\bTarget\s*=\s*"([^"]*)"', tag)
            mode = re.search(r'\bTargetMode\s*=\s*"([^"]*)"', tag)
            kind = re.search(r'\bType\s*=\s*"([^"]*)"', tag)
            if not target or (mode and mode.group(1).lower() == "external"):
                continue
            t = target.group(1).replace("\\", "/")
            path = t.lstrip("/") if t.startswith("/") else str(folder / t)
            parts: list[str] = []
            for piece in path.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            name = "/".join(parts)
            targets.add(name)
            (images if kind and kind.group(1).endswith(_IMAGE_REL) else not_image).add(name)
    return targets, images - not_image


def _looks_like_xml(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    stripped = head.replace(b"\x00", b"").lstrip()
    return stripped.startswith(b"<")


def _check_contents(path: Path, z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], *, limits: Limits) -> None:
    """Really decompress every entry, streaming, with a cap; scan XML parts for a DTD."""
    cap = limits.max_docx_unpacked_bytes
    total = 0
    related, images = _related_parts(z, infos)
    for info in infos:
        if info.is_dir():
            continue
        xml = _is_xml_part(info.filename) or (info.filename in related and info.filename not in images)
        tail = b""
        entry_bytes = 0
        first = True
        with z.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                if first:
                    first = False
                    xml = xml or (info.filename not in images and _looks_like_xml(chunk[:64]))
                entry_bytes += len(chunk)
                total += len(chunk)
                if total > cap:
                    raise _fail(path, f"unpacks to more than {_mb(cap)} (zip bomb?): refused")
                if entry_bytes > info.file_size:
                    raise _fail(path, f"entry {info.filename[:60]} is larger than it declares (zip bomb?): refused")
                if xml:
                    window = tail + chunk
                    if any(m in window for m in _DTD_MARKERS) or b"<!doctype" in window.lower():
                        raise _fail(
                            path,
                            f"part {info.filename[:60]} declares a DOCTYPE or ENTITY "
                            "(external entities are not allowed): refused",
                        )
                    if info.filename == "META-INF/manifest.xml" and _ODF_ENCRYPTED in window:
                        raise _fail(path, "is password-protected (encrypted): remove the password and send it again")
                    tail = window[-_OVERLAP:]
