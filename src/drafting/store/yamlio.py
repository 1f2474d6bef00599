"""YAML in and out, safely.

Reading: the bytes are checked (size, UTF-8, NUL bytes), then the parse events are
scanned before anything is constructed, refusing anchors and aliases (alias bombs), any
explicit tag (``!!python/object`` and friends), absurd nesting, a second document and an
absurd number of values (building each costs time: see :func:`max_nodes_for`). Only then
does the safe loader (with ruamel.yaml.clib where installed) build plain dicts, lists and
scalars. Files are read with a bounded read, and only if they are regular files.

Writing: new files are dumped in a stable, readable style; files a human edited are
rewritten with the round-trip loader so their comments and key order survive.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..model.errors import DraftingError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel.yaml is imported where YAML is parsed or written, not with this module: most
# commands read every file from the parse cache (store/parsecache.py) and never parse.

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_DEPTH = 20
DEFAULT_MAX_NODES = 100_000


class YamlFileError(DraftingError):
    """A YAML file that cannot be read: the message names the file and the place."""


def _where(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def decode(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise YamlFileError(
            f"{name}: file is {len(data):,} bytes, over the limit of {max_bytes:,} "
            "(raise limits.max_file_bytes in drafting.yaml if this is intended)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise YamlFileError(
            f"{name}: line {line}: not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlFileError(f"{name}: line {line}: contains a NUL byte; this is not a text file")
    return text


def max_nodes_for(max_bytes: int) -> int:
    """How many values (scalars, lists, mappings) a file may hold: ruamel.yaml builds them
    at ~25 us each, so this bounds the time a file takes to load (~2.5 s by default; a
    5,000-paragraph version has ~75,000). Scales with ``max_bytes``
    (``limits.max_file_bytes``), so raising that in drafting.yaml raises this too."""
    return max(DEFAULT_MAX_NODES, int(DEFAULT_MAX_NODES * (max_bytes / DEFAULT_MAX_BYTES)))


def _scan(yaml: YAML, text: str, name: str, max_depth: int, max_nodes: int = DEFAULT_MAX_NODES) -> None:
    """Refuse anchors, aliases, explicit tags, deep nesting, more than one document and
    absurd numbers of values, before constructing anything."""
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        DocumentStartEvent,
        NodeEvent,
        ScalarEvent,
    )

    depth = 0
    nodes = 0
    documents = 0
    for ev in yaml.parse(io.StringIO(text)):
        if isinstance(ev, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlFileError(
                    f"{name}: {_where(ev.start_mark)}: a second YAML document ('---'); one file holds one document"
                )
        if isinstance(ev, NodeEvent):
            nodes += 1
            if nodes > max_nodes:
                raise YamlFileError(
                    f"{name}: {_where(ev.start_mark)}: more than {max_nodes:,} values in one file "
                    "(raise limits.max_file_bytes in drafting.yaml if this is intended)"
                )
        if isinstance(ev, AliasEvent):
            raise YamlFileError(
                f"{name}: {_where(ev.start_mark)}: YAML aliases (*{ev.anchor}) are not allowed; write the value out"
            )
        if isinstance(ev, NodeEvent) and ev.anchor is not None:
            raise YamlFileError(
                f"{name}: {_where(ev.start_mark)}: YAML anchors (&{ev.anchor}) are not allowed; write the value out"
            )
        tag = getattr(ev, "tag", None)
        if tag is not None and not (isinstance(ev, ScalarEvent) and tag == "!"):
            raise YamlFileError(f"{name}: {_where(ev.start_mark)}: YAML tags ({tag}) are not allowed; use plain values")
        if isinstance(ev, CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise YamlFileError(f"{name}: {_where(ev.start_mark)}: nested more than {max_depth} levels deep")
        elif isinstance(ev, CollectionEndEvent):
            depth -= 1


def _safe_yaml() -> YAML:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def loads(
    data: bytes | str,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Parse YAML safely; every failure is a one-line :class:`YamlFileError` naming ``name``."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = decode(data.encode("utf-8") if isinstance(data, str) else data, name, max_bytes=max_bytes)
    yaml = _safe_yaml()
    try:
        _scan(yaml, text, name, max_depth, max_nodes_for(max_bytes))
        return _plain(yaml.load(text))
    except YamlFileError:
        raise
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "malformed YAML"
        raise YamlFileError(f"{name}: {_where(mark)}: {problem}") from None
    except YAMLError as e:
        raise YamlFileError(f"{name}: malformed YAML: {' '.join(str(e).split())}") from None
    except RecursionError:
        raise YamlFileError(f"{name}: nested too deeply") from None
    except (ValueError, OverflowError, TypeError) as e:  # e.g. a date such as 2026-13-45
        raise YamlFileError(f"{name}: invalid value: {' '.join(str(e).split())[:200]}") from None


def bounded_read(f: BinaryIO, size: int, limit: int) -> bytes:
    """A file's bytes, at most ``limit + 1`` (so a caller sees a file grown past ``limit``).
    ``size``: what ``fstat`` said. It asks for that, not for ``limit`` at once, which would
    allocate ``limit`` bytes on every read (256 MB per file of the parse cache)."""
    chunks = [f.read(min(size, limit) + 1)]
    total = len(chunks[0])
    while total <= limit:  # (a file grown since fstat: the rest, up to the limit)
        more = f.read(min(limit + 1 - total, 1 << 20))
        if not more:
            break
        chunks.append(more)
        total += len(more)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def load(path: Path, name: str | None = None, **limits: int) -> Any:
    name = name or str(path)
    max_bytes = limits.get("max_bytes", DEFAULT_MAX_BYTES)
    try:
        # a bounded read of a regular file: a FIFO or /dev/zero (or a link to one) would
        # otherwise be read forever; a file growing while read is cut at the limit
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(st.st_mode):
                raise YamlFileError(f"{name}: is not a regular file")
            if st.st_size > max_bytes:
                raise YamlFileError(
                    f"{name}: file is {st.st_size:,} bytes, over the limit of {max_bytes:,} "
                    "(raise limits.max_file_bytes in drafting.yaml if this is intended)"
                )
            data = bounded_read(f, st.st_size, max_bytes)
    except FileNotFoundError:
        raise YamlFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise YamlFileError(f"{name}: is a folder, not a file") from None
    except OSError as e:
        raise YamlFileError(f"{name}: cannot read ({e.strerror})") from None
    return loads(data, name, **limits)


def _plain(value: Any) -> Any:
    """Dates become ISO strings; everything else stays as loaded."""
    if isinstance(value, dict):
        return {(_plain(k) if not isinstance(k, str) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        s = value.isoformat()
        return s.replace("+00:00", "Z")
    return value


# --------------------------------------------------------------------------- writing


def _writer() -> YAML:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.default_flow_style = False
    y.width = 88
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    y.allow_unicode = True
    return y


def dumps(data: Any) -> str:
    """Dump plain data in the workspace's style (block style, wrapped at 88 columns)."""
    buf = io.StringIO()
    _writer().dump(data, buf)
    return buf.getvalue()


def update(text: str, name: str, change: Callable[[Any], Any], **limits: int) -> str:
    """Rewrite a human-edited YAML document, keeping its comments and key order.

    ``change`` receives the round-trip structure (a CommentedMap) and mutates it (or
    returns a replacement). The text is first checked like any input.
    """
    loads(text, name, **limits)  # the same safety checks as reading
    y = _writer()
    doc = y.load(text)
    result = change(doc)
    if result is not None:
        doc = result
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that a reader (or a crash) never sees it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
