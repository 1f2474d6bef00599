"""The large (and binary) part of the hostile-input corpus, generated reproducibly.

The small hostile files live next to this script as plain ``*.yaml`` files, each saying
what refusal it expects (``# expect: ...``) and, if not MEX, who submits it
(``# as: CODE``). The files here are generated instead, because they are big (a 40 MB
text field) or binary (NUL bytes, Latin-1, UTF-16, Word packages):

    python tests/hostile/make_corpus.py OUTDIR      # writes every generated file

The tests call :func:`generate` with a temporary folder. Every generator is
deterministic: the same bytes on every run.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEAD = "delegation: MEX\ndocument: action-plan\nround: r1\n"
COMMENT = "  - {op: comment, paragraph: va-1, text: A comment.}\n"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # a fragment of the one-line refusal
    make: Callable[[Path], None]
    word: bool = False  # a Word file (read by the Word reader)


def _huge_text(path: Path, size: int = 40_000_000) -> None:
    """One 40 MB text field (written in chunks, never held whole)."""
    with path.open("wb") as f:
        f.write((HEAD + "proposals:\n  - op: comment\n    paragraph: va-1\n    text: ").encode())
        chunk = b"Lorem ipsum dolor sit amet " * 4096
        written = 0
        while written < size:
            f.write(chunk)
            written += len(chunk)
        f.write(b"\n")


def _long_text(path: Path, chars: int = 20_001) -> None:
    """A text field one character over the default limit (limits.max_text_chars)."""
    path.write_text(HEAD + "proposals:\n  - op: comment\n    paragraph: va-1\n    text: " + "x" * chars + "\n")


def _many_proposals(path: Path, n: int = 2_001) -> None:
    """One proposal more than the default limit (limits.max_proposals)."""
    path.write_text(
        HEAD
        + "proposals:\n"
        + "".join(f"  - {{op: comment, paragraph: va-1, text: Comment number {i}.}}\n" for i in range(n))
    )


def _key_bomb(path: Path, n: int = 300_000) -> None:
    """Under the size limit, but 600,000 values: building them would take half a minute."""
    path.write_text(HEAD + "".join(f"k{i}: 1\n" for i in range(n)) + "proposals:\n" + COMMENT)


def _list_bomb(path: Path, n: int = 2_000_000) -> None:
    """A flow list of two million numbers in 4 MB."""
    path.write_text(HEAD + "tags: [" + "1," * n + "1]\nproposals:\n" + COMMENT)


def _deep_block(path: Path, depth: int = 500) -> None:
    """Block-style nesting, 500 levels deep."""
    lines = [HEAD, "proposals:\n  - op: comment\n    paragraph: va-1\n    text: x\n    meta:\n"]
    lines += [" " * (6 + 2 * i) + f"k{i}:\n" for i in range(depth)]
    lines.append(" " * (6 + 2 * depth) + "v\n")
    path.write_text("".join(lines))


def _deep_meta(path: Path, depth: int = 25) -> None:
    """Nesting of 25 levels inside a proposal's meta: refused by default, fine with
    limits.max_depth raised."""
    meta = "x"
    for i in range(depth):
        meta = f"{{k{i}: {meta}}}"
    path.write_text(HEAD + f"proposals:\n  - {{op: comment, paragraph: va-1, text: Deep., meta: {meta}}}\n")


def _nul(path: Path) -> None:
    path.write_bytes((HEAD + "proposals:\n  - {op: comment, paragraph: va-1, text: a\x00b}\n").encode())


def _latin1(path: Path) -> None:
    path.write_bytes((HEAD + "proposals:\n  - {op: comment, paragraph: va-1, text: Considérer}\n").encode("latin-1"))


def _utf16(path: Path) -> None:
    path.write_bytes((HEAD + "proposals:\n" + COMMENT).encode("utf-16"))


def _binary_garbage(path: Path) -> None:
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))


# ------------------------------------------------------------------------- Word files

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f"<w:document {W}><w:body>{body}</w:body></w:document>"
    )


def _docx(path: Path, document: str | bytes, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)):
            z.writestr(zipfile.ZipInfo(name, (2026, 7, 1, 0, 0, 0)), data)
        z.writestr(
            zipfile.ZipInfo("word/document.xml", (2026, 7, 1, 0, 0, 0)), document, compress_type=zipfile.ZIP_DEFLATED
        )
        for name, data in (extra or {}).items():
            z.writestr(zipfile.ZipInfo(name, (2026, 7, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)


def _not_a_zip(path: Path) -> None:
    path.write_text("This is plain text with a .docx name, not a Word document.\n")


def _zip_bomb(path: Path, size: int = 60_000_000) -> None:
    """A DOCX whose document.xml unpacks from ~60 kB to 60 MB (a ratio of ~1000)."""
    buf = io.BytesIO()
    buf.write(_document("<w:p><w:r><w:t>x</w:t></w:r></w:p>").encode()[: -len("</w:body></w:document>")])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)):
            z.writestr(zipfile.ZipInfo(name, (2026, 7, 1, 0, 0, 0)), data)
        info = zipfile.ZipInfo("word/document.xml", (2026, 7, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(buf.getvalue())
            chunk = b" " * 1_000_000
            for _ in range(size // len(chunk)):
                f.write(chunk)
            f.write(b"</w:body></w:document>")


def _zip_lying(path: Path) -> None:
    """A small DOCX whose central directory declares a 4 GB document.xml."""
    _docx(path, _document("<w:p><w:r><w:t>x</w:t></w:r></w:p>"))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + n]) == name:
            struct.pack_into("<I", data, at + 24, 0xF0000000)  # uncompressed size
        at += 4
    path.write_bytes(bytes(data))


def _zip_understated(path: Path) -> None:
    """The opposite lie: a 5 MB document.xml whose directory declares 2,000 bytes (so
    neither the declared total nor the ratio gives it away; only really unpacking does)."""
    _docx(path, _document("<w:p><w:r><w:t>x</w:t></w:r></w:p>" + " " * 5_000_000))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for sig, size_at, name_len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            n = struct.unpack_from("<H", data, at + name_len_at)[0]
            if bytes(data[at + name_at : at + name_at + n]) == name:
                struct.pack_into("<I", data, at + size_at, 2_000)
            at += 4
    path.write_bytes(bytes(data))


def _xxe(path: Path) -> None:
    """External entities: reading the server's files, or a local entity bomb."""
    prolog = (
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )
    _docx(path, _document("<w:p><w:r><w:t>&xxe;&lol2;</w:t></w:r></w:p>", prolog))


def _xxe_utf16(path: Path) -> None:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    doc = _document("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    _docx(path, doc.encode("utf-16"))


def _zip_traversal(path: Path) -> None:
    _docx(path, _document("<w:p><w:r><w:t>x</w:t></w:r></w:p>"), {"../../../../tmp/drafting-evil.txt": b"x"})


CASES: list[Case] = [
    Case("huge-text.yaml", "over the limit of 5,000,000", _huge_text),
    Case("long-text.yaml", "over the limit of 20,000", _long_text),
    Case("many-proposals.yaml", "2,001 proposals, over the limit of 2,000", _many_proposals),
    Case("key-bomb.yaml", "more than 100,000 values", _key_bomb),
    Case("list-bomb.yaml", "more than 100,000 values", _list_bomb),
    Case("deep-block.yaml", "nested more than 20 levels", _deep_block),
    Case("deep-meta.yaml", "nested more than 20 levels", _deep_meta),
    Case("nul-byte.yaml", "NUL byte", _nul),
    Case("latin1.yaml", "not UTF-8", _latin1),
    Case("utf16.yaml", "not UTF-8", _utf16),
    Case("garbage.yaml", "not UTF-8", _binary_garbage),
    Case("not-a-zip.docx", "not a zip", _not_a_zip, word=True),
    Case("zip-bomb.docx", "zip bomb", _zip_bomb, word=True),
    Case("zip-lying.docx", "zip bomb", _zip_lying, word=True),
    Case("zip-understated.docx", "damaged zip package", _zip_understated, word=True),
    Case("xxe.docx", "DOCTYPE or ENTITY", _xxe, word=True),
    Case("xxe-utf16.docx", "DOCTYPE or ENTITY", _xxe_utf16, word=True),
    Case("zip-traversal.docx", "suspicious entry name", _zip_traversal, word=True),
]


def generate(out: Path, names: list[str] | None = None) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        if names is None or case.name in names:
            path = out / case.name
            case.make(path)
            paths[case.name] = path
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: make_corpus.py OUTDIR\n")
        return 2
    for path in generate(Path(argv[0])).values():
        print(f"{path.stat().st_size:>12,}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
