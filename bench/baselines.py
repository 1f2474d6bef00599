"""Baselines: the same work done by other tools, on the same versions, in the same run.

- :func:`redlines_script`: what a secretariat could script in an afternoon: read the two
  versions' YAML and diff them paragraph by paragraph with the ``redlines`` library
  (``Redlines(old, new).output_markdown``); :func:`redlines_core` is the diffing alone.
- :func:`difflib_core`: Python's :class:`difflib.SequenceMatcher` on the word lists of
  each pair of paragraphs (``get_opcodes``).
- :func:`pandoc_clean_argv`: pandoc's own conversion of the clean version (as Markdown)
  to DOCX: one pandoc process, default reference document; :func:`pandoc_writer_argv`:
  the same from pandoc's JSON AST (the DOCX writer alone, no Markdown reading).

Paragraphs are paired by id (an inserted paragraph is diffed against "", a deleted one
against ""), the way ``drafting diff`` pairs them.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path


def _pairs(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str]]:
    out = [(old.get(pid, ""), text) for pid, text in new.items()]
    out += [(text, "") for pid, text in old.items() if pid not in new]
    return out


def read_texts(path: Path) -> dict[str, str]:
    """A version's paragraph texts by id, read as a script would (ruamel.yaml, safe, C)."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=False).load(io.StringIO(path.read_text("utf-8")))
    return {str(p["id"]): " ".join(str(p["text"]).split()) for p in data["paragraphs"]}


#: the redlines script as a file of its own (no drafting import), run as a process
REDLINES_SCRIPT = '''\
"""Diff two versions' YAML paragraph by paragraph with redlines (drafting's benchmark baseline)."""
import io
import sys

from redlines import Redlines
from ruamel.yaml import YAML


def texts(path):
    data = YAML(typ="safe", pure=False).load(io.StringIO(open(path, encoding="utf-8").read()))
    return {str(p["id"]): " ".join(str(p["text"]).split()) for p in data["paragraphs"]}


old, new = texts(sys.argv[1]), texts(sys.argv[2])
pairs = [(old.get(pid, ""), text) for pid, text in new.items()]
pairs += [(text, "") for pid, text in old.items() if pid not in new]
print(sum(len(Redlines(a, b).output_markdown) for a, b in pairs))
'''


def redlines_core(old: dict[str, str], new: dict[str, str]) -> int:
    from redlines import Redlines

    n = 0
    for a, b in _pairs(old, new):
        n += len(Redlines(a, b).output_markdown)
    return n


def redlines_script(old_path: Path, new_path: Path) -> int:
    return redlines_core(read_texts(old_path), read_texts(new_path))


def difflib_core(old: dict[str, str], new: dict[str, str]) -> int:
    n = 0
    for a, b in _pairs(old, new):
        n += len(difflib.SequenceMatcher(None, a.split(), b.split()).get_opcodes())
    return n


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~^$@"})


def _md(text: str) -> str:
    """Text as Markdown text: the characters Markdown would read as markup escaped (the
    composed versions hold bracketed alternatives, "[Alt 1: ...]", which pandoc's reader
    would otherwise try to resolve as links)."""
    return text.translate(_MD_SPECIAL)


def markdown_of(path: Path) -> str:
    """The clean version as Markdown: section headings, numbered paragraphs."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=False).load(io.StringIO(path.read_text("utf-8")))
    lines = [f"# {data.get('label') or data.get('version')}", ""]
    n = 0
    for p in data["paragraphs"]:
        text = _md(" ".join(str(p["text"]).split()))
        if p.get("kind") == "heading":
            lines += [f"## {text}", ""]
        elif p.get("kind") in ("action", "operative"):
            n += 1
            lines += [f"{n}\\. {text}", ""]  # the number as text, one paragraph each
        else:
            lines += [text, ""]
    return "\n".join(lines)


def pandoc_clean_argv(md_path: Path, out: Path) -> list[str]:
    """pandoc (the binary pypandoc-binary ships), Markdown -> DOCX, default reference."""
    import pypandoc

    return [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "docx", str(md_path), "-o", str(out)]


def pandoc_json_argv(md_path: Path, out: Path) -> list[str]:
    """Markdown -> pandoc's JSON AST (set-up for :func:`pandoc_writer_argv`)."""
    import pypandoc

    return [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json", str(md_path), "-o", str(out)]


def pandoc_writer_argv(json_path: Path, out: Path) -> list[str]:
    """pandoc's DOCX writer alone: the clean version's JSON AST -> DOCX (no Markdown
    reading: the part of pandoc's work that drafting's exports also pay)."""
    import pypandoc

    return [pypandoc.get_pandoc_path(), "-f", "json", "-t", "docx", str(json_path), "-o", str(out)]


def pandoc_version() -> str:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_version())
    except Exception:  # noqa: BLE001  # pragma: no cover - reporting only
        return "unknown"
