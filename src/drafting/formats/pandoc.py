"""The one place that runs pandoc.

The binary is the one pypandoc-binary ships (``pypandoc.get_pandoc_path()``); each call is
one pandoc process with a time limit and a heap limit, run with ``--sandbox`` (pandoc
reads nothing but the files named on its command line) and with ``--data-dir`` set to our
resources, so that a user's own pandoc templates or defaults never change what we write.
Documents go in and come out as pandoc's JSON AST. Failures and time-outs become a
one-line :class:`~drafting.model.errors.DraftingError` (naming the file, for a file a user
gave: :func:`read_file`).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model.errors import DraftingError
from ..model.records import Limits

RESOURCES = Path(__file__).resolve().parent / "resources"
DEFAULT_TIMEOUT = Limits().pandoc_timeout_s
#: heap limit handed to pandoc's runtime, a second guard besides the time limit
HEAP = "-M2g"

#: our format names -> pandoc writer names
WRITERS = {
    "docx": "docx",
    "odt": "odt",
    "html": "html5",
    "md": "markdown",
    "typst": "typst",
    "json": "json",
    "plain": "plain",
}


@functools.cache
def pandoc_path() -> str:
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the install
        raise DraftingError(f"pandoc is not available (install pypandoc-binary): {exc}") from None
    if not path or not Path(path).exists():  # pragma: no cover
        raise DraftingError("pandoc is not available (install pypandoc-binary)")
    return str(path)


def run(
    args: Sequence[str],
    *,
    input: bytes | None = None,
    timeout: float | None = None,
    what: str = "converting",
    source: str | None = None,
) -> bytes:
    """Run pandoc with ``args``; its stdout. Raises DraftingError on failure or time-out.

    ``source``: the name of the file being read, as the user gave it; messages then start
    with it ("x.docx: pandoc could not read it: ...")."""
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    exe = pandoc_path()
    cmd = [exe, "+RTS", HEAP, "-RTS", "--sandbox", f"--data-dir={RESOURCES}", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANDOC")}
    try:
        proc = subprocess.run(
            cmd,
            input=input if input is not None else b"",
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        if source:
            raise DraftingError(
                f"{source}: pandoc did not finish reading it within {timeout:g} s and was stopped "
                "(damaged or far too large?)"
            ) from None
        raise DraftingError(f"pandoc took longer than {timeout:g} s {what}; gave up") from None
    except OSError as exc:
        if source:
            raise DraftingError(f"{source}: pandoc could not be started ({exc.strerror or exc})") from None
        raise DraftingError(f"could not run pandoc {what}: {exc}") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        detail = lines[0] if lines else f"exit code {proc.returncode}"
        if source:
            raise DraftingError(f"{source}: pandoc could not read it: {' '.join(detail.split())[:200]}")
        raise DraftingError(f"pandoc failed {what}: {detail}")
    return proc.stdout


@functools.cache
def api_version() -> list[int]:
    """The JSON AST version of the pandoc we run."""
    out = run(["-f", "markdown", "-t", "json"], input=b"", what="reading its version")
    return list(json.loads(out)["pandoc-api-version"])


def write(
    doc: dict[str, Any], fmt: str, out: Path | None = None, *, args: Sequence[str] = (), timeout: float | None = None
) -> bytes:
    """Convert a JSON AST to ``fmt`` (one of :data:`WRITERS`); to ``out`` if given (binary
    formats need it), else the output is returned."""
    writer = WRITERS.get(fmt, fmt)
    doc = dict(doc, **{"pandoc-api-version": api_version()})
    cmd = ["-f", "json", "-t", writer, *args]
    if out is not None:
        cmd += ["-o", str(out)]
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return run(cmd, input=data, timeout=timeout, what=f"writing {fmt}")


def read(source: Path | bytes, fmt: str, *, args: Sequence[str] = (), timeout: float | None = None) -> dict[str, Any]:
    """Read a document (a file, or its bytes) with pandoc's ``fmt`` reader into a JSON AST.

    ``args`` may carry reader options such as ``--track-changes=all``.
    """
    if isinstance(source, Path):
        out = run(["-f", fmt, "-t", "json", *args, str(source)], timeout=timeout, what=f"reading {source.name}")
    else:
        out = run(["-f", fmt, "-t", "json", *args], input=source, timeout=timeout, what=f"reading {fmt}")
    try:
        return json.loads(out)
    except ValueError:  # pragma: no cover - pandoc always writes JSON here
        raise DraftingError(f"pandoc gave unreadable output reading {fmt}") from None


def read_file(path: Path, fmt: str, *, timeout: float | None = None) -> dict[str, Any]:
    """The JSON AST of a file a user gave (a delegation's document, an import), read with
    pandoc's ``fmt`` reader. Every failure is one line naming the file: pandoc failing,
    running over ``timeout`` (killed), writing something that is not a document, or a
    document nested too deeply to be read."""
    name = path.name
    out = run(["-f", fmt, "-t", "json", str(path.resolve())], timeout=timeout, source=name)
    try:
        doc = json.loads(out)
    except RecursionError:
        raise DraftingError(f"{name}: is nested too deeply to be read (lists or quotes within quotes)") from None
    except ValueError:
        raise DraftingError(f"{name}: pandoc gave output that is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("blocks"), list):
        raise DraftingError(f"{name}: pandoc gave an unexpected document structure")
    return doc
