"""A cache of parsed YAML, keyed by the file's bytes: parse each version of a file once.

Entries live in ``.git/drafting-cache/`` (local, never pushed, deletable at any time) and
are used only when the digest of the bytes just read matches, so results and error
messages are exactly those of the uncached reader; :meth:`ParseCache.load_record` also
keeps validated records. What a key holds and why: ``docs/design/parse-cache.md``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import yamlio

T = TypeVar("T")

MAGIC = b"DRAFTING-YAML-CACHE-1\n"
#: no entry is larger than this (a conference's largest file parsed, with room to spare):
#: a damaged or planted entry is never read whole
MAX_ENTRY_BYTES = 256_000_000
DIR = Path("drafting-cache") / "yaml"


def _versions() -> bytes:
    """What the parsed data depends on besides the bytes: ruamel.yaml and its C parser
    (their installed files, found without importing them: a cache hit must not pay for
    importing the parser) and drafting's own reader."""
    from importlib.util import find_spec

    parts = []
    for module in ("ruamel.yaml", "_ruamel_yaml"):
        try:
            spec = find_spec(module)
            origin = spec.origin if spec else None
            st = os.stat(origin) if origin else None
            parts.append(f"{origin}:{st.st_size}:{st.st_mtime_ns}" if st else "-")
        except (ImportError, ValueError, OSError):
            parts.append("?")
    try:
        ver = Path(find_spec("ruamel.yaml").origin).read_bytes()  # type: ignore[union-attr,arg-type]
        parts.append(hashlib.blake2b(ver, digest_size=16).hexdigest())  # holds version_info
    except (ImportError, ValueError, OSError, AttributeError, TypeError):
        parts.append("?")
    # drafting's own reader too: a release whose checks refuse more must not be answered
    # from entries made under the old checks
    try:
        reader = hashlib.blake2b(Path(yamlio.__file__).read_bytes(), digest_size=16).hexdigest()
    except OSError:  # pragma: no cover
        reader = "?"
    return f"{'|'.join(parts)}|{marshal.version}|{reader}".encode()


_VERSIONS: bytes | None = None
_MODEL: bytes | None = None


_SOURCES: dict[tuple[str, ...], bytes] = {}


def source_digest(packages: tuple[str, ...]) -> bytes:
    """The source of drafting's subpackages ``packages`` (e.g. ``("text", "model")``): a
    result computed by their code is kept only as long as that code is the same."""
    digest = _SOURCES.get(packages)
    if digest is None:
        root = Path(__file__).resolve().parents[1]
        h = hashlib.blake2b(digest_size=16)
        for name in packages:
            for f in sorted((root / name).glob("*.py")):
                h.update(f.name.encode())
                try:
                    h.update(f.read_bytes())
                except OSError:  # pragma: no cover
                    h.update(os.urandom(16))
        digest = _SOURCES[packages] = h.digest()
    return digest


def model_digest() -> bytes:
    """The source of the pure model: a change to records or validation makes new entries."""
    global _MODEL
    if _MODEL is None:
        from ..model import errors, records, roles, validate, when

        h = hashlib.blake2b(digest_size=16)
        for mod in (records, validate, errors, roles, when):
            try:
                h.update(Path(mod.__file__ or "").read_bytes())  # a folder when unknown: OSError
            except OSError:  # pragma: no cover
                h.update(os.urandom(16))  # unknown source: never match
        _MODEL = h.digest()
    return _MODEL


def _key(data: bytes, max_bytes: int, max_depth: int) -> bytes:
    global _VERSIONS
    if _VERSIONS is None:
        _VERSIONS = _versions()
    h = hashlib.blake2b(digest_size=32)
    h.update(_VERSIONS)
    h.update(f"|{max_bytes}|{max_depth}|{len(data)}|".encode())
    h.update(data)
    return h.digest()


class ParseCache:
    """The cache of one workspace (``root/.git`` must be a directory; else it is off)."""

    def __init__(self, root: Path):
        git_dir = Path(root) / ".git"
        self.dir: Path | None = git_dir / DIR if git_dir.is_dir() and not git_dir.is_symlink() else None
        self.hits = 0
        self.misses = 0
        #: rel -> the key of the bytes last read (files read through this cache)
        self.keys: dict[str, bytes] = {}

    def _entry(self, rel: str) -> Path | None:
        if self.dir is None:
            return None
        return self.dir / (hashlib.blake2b(rel.encode("utf-8"), digest_size=16).hexdigest() + ".bin")

    def _get(self, rel: str, key: bytes) -> tuple[bool, Any]:
        entry = self._entry(rel)
        if entry is None or not self._dir_safe():
            return False, None
        blob = _read_entry(entry)
        if blob is None:
            return False, None
        head = len(MAGIC)
        if len(blob) < head + 64 or blob[:head] != MAGIC or blob[head : head + 32] != key:
            return False, None
        payload = blob[head + 64 :]
        if hashlib.blake2b(payload, digest_size=32).digest() != blob[head + 32 : head + 64]:
            return False, None
        try:
            return True, marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return False, None

    def _put(self, rel: str, key: bytes, value: Any) -> None:
        entry = self._entry(rel)
        if entry is None:
            return
        try:
            payload = marshal.dumps(value)
        except ValueError:  # not plain data: do not cache
            return
        blob = MAGIC + key + hashlib.blake2b(payload, digest_size=32).digest() + payload
        if len(blob) > MAX_ENTRY_BYTES:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            if not self._dir_safe():
                return
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=entry.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(blob)
                os.replace(tmp, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:  # a read-only or full disk: the cache is optional
            pass

    def _dir_safe(self) -> bool:
        """The cache's folders are real folders inside ``.git`` (a link could lead reads
        and writes anywhere): else the cache is off."""
        if self.dir is None:
            return False
        d = self.dir
        for folder in (d.parent, d):
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                return folder == d  # not made yet: nothing to read, and mkdir makes a real one
            except OSError:
                return False
            if not stat.S_ISDIR(st.st_mode):
                return False
        return True

    def lookup(self, name: str, key: bytes) -> tuple[bool, Any]:
        """A value kept with :meth:`store` under ``name`` and exactly this ``key``."""
        return self._get(name, key)

    def store(self, name: str, key: bytes, value: Any) -> None:
        self._put(name, key, value)

    def forget(self, name: str) -> None:
        """Remove what is kept under ``name`` (a :meth:`store` entry)."""
        entry = self._entry(name)
        if entry is not None:
            entry.unlink(missing_ok=True)

    def load(
        self,
        path: Path,
        rel: str,
        *,
        max_bytes: int = yamlio.DEFAULT_MAX_BYTES,
        max_depth: int = yamlio.DEFAULT_MAX_DEPTH,
    ) -> Any:
        """``yamlio.load(path, rel, max_bytes=..., max_depth=...)``, from the cache when
        the file's bytes were parsed before."""
        if self.dir is None:
            return yamlio.load(path, rel, max_bytes=max_bytes, max_depth=max_depth)
        data = _read(path, max_bytes)
        if data is None:  # anything unusual: the reader's own checks and messages
            return yamlio.load(path, rel, max_bytes=max_bytes, max_depth=max_depth)
        key = _key(data, max_bytes, max_depth)
        self.keys[rel] = key
        return self._parsed(rel, key, data, max_bytes, max_depth)

    def digest(
        self,
        path: Path,
        rel: str,
        *,
        max_bytes: int = yamlio.DEFAULT_MAX_BYTES,
        max_depth: int = yamlio.DEFAULT_MAX_DEPTH,
    ) -> bytes | None:
        """The key of the file's bytes as :meth:`load` would compute it, remembered in
        :attr:`keys`, without parsing it (None: the cache is off or the file is unusual):
        for a result computed from many files that is itself kept (``Workspace.derived``)."""
        if self.dir is None:
            return None
        data = _read(path, max_bytes)
        if data is None:
            return None
        key = self.keys[rel] = _key(data, max_bytes, max_depth)
        return key

    def _parsed(self, rel: str, key: bytes, data: bytes, max_bytes: int, max_depth: int) -> Any:
        found, value = self._get(rel, key)
        if found:
            self.hits += 1
            return value
        self.misses += 1
        value = yamlio.loads(data, rel, max_bytes=max_bytes, max_depth=max_depth)
        self._put(rel, key, value)
        return value

    def load_record(
        self,
        path: Path,
        rel: str,
        build: Callable[[Any], T],
        *,
        tag: str,
        pack: Callable[[T], Any],
        unpack: Callable[[Any], T],
        max_bytes: int = yamlio.DEFAULT_MAX_BYTES,
        max_depth: int = yamlio.DEFAULT_MAX_DEPTH,
    ) -> T:
        """``build(yamlio.load(path, rel, ...))`` (a validation: pure, may raise), from the
        cache when these bytes were validated before with the same ``tag``.

        ``tag`` must name everything ``build`` depends on besides the file's bytes;
        ``pack`` turns the result into marshal-able plain data, ``unpack`` back."""
        if self.dir is None:
            return build(yamlio.load(path, rel, max_bytes=max_bytes, max_depth=max_depth))
        data = _read(path, max_bytes)
        if data is None:
            return build(yamlio.load(path, rel, max_bytes=max_bytes, max_depth=max_depth))
        key = _key(data, max_bytes, max_depth)
        self.keys[rel] = key
        h = hashlib.blake2b(key, digest_size=32)
        h.update(model_digest())
        h.update(tag.encode("utf-8", "surrogatepass"))
        rkey = h.digest()
        found, value = self._get(rel + "#record", rkey)
        if found:
            try:
                record = unpack(value)
            except (TypeError, ValueError, IndexError):
                pass
            else:
                self.hits += 1
                return record
        record = build(self._parsed(rel, key, data, max_bytes, max_depth))
        try:
            plain = pack(record)
        except (TypeError, ValueError):  # pragma: no cover - a record that is not plain
            return record
        self._put(rel + "#record", rkey, plain)
        return record


def pack_record(obj: Any, nested: dict[str, type] | None = None) -> tuple:
    """A frozen dataclass record as the tuple of its fields; ``nested`` names the fields
    that hold a tuple of records (packed the same way)."""
    names = _field_names(type(obj))
    values = [getattr(obj, n) for n in names]
    for name in nested or ():
        i = names.index(name)
        values[i] = tuple(pack_record(x) for x in values[i])
    return tuple(values)


def unpack_record(cls: type, values: tuple, nested: dict[str, type] | None = None) -> Any:
    """The inverse of :func:`pack_record` for ``cls`` (``nested``: field -> record class).
    Validation already ran on these values."""
    names = _field_names(cls)
    if not isinstance(values, tuple) or len(values) != len(names):
        raise ValueError(f"a cached {cls.__name__} of the wrong shape")
    fields = dict(zip(names, values, strict=True))
    for name, inner in (nested or {}).items():
        fields[name] = tuple(unpack_record(inner, v) for v in fields[name])
    obj: Any = object.__new__(cls)
    obj.__dict__.update(fields)  # a frozen dataclass without slots keeps its fields here
    return obj


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _read_entry(entry: Path) -> bytes | None:
    """A cache entry's bytes: a regular file (not a link) of at most :data:`MAX_ENTRY_BYTES`."""
    return _read(entry, MAX_ENTRY_BYTES, follow=False)


def _read(path: Path, max_bytes: int, *, follow: bool = True) -> bytes | None:
    """The bytes of a regular file of at most ``max_bytes`` (read as yamlio.load reads
    them: without blocking on a FIFO, nor reading a device such as /dev/zero), or None for
    anything else. ``follow=False``: not through a symbolic link."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
                return None
            data = yamlio.bounded_read(f, st.st_size, max_bytes)
    except OSError:
        return None
    return data if len(data) <= max_bytes else None
