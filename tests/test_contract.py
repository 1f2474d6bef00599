"""The interface contract (``docs/CONTRACT.md``, a copy of the shared one): every command its
tables list exists, with every option they name, and ``--json`` where marked (json)."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from drafting.cli.main import build_parser

CONTRACT = ROOT / "docs" / "CONTRACT.md"


def commands(text: str) -> list[tuple[str, bool]]:
    """Each command form of the contract's tables (the first column's code spans), and
    whether it is marked (json) (the words after its span say so)."""
    out = []
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split(" | ")[0].removeprefix("| ")
        for m in re.finditer(r"`([^`]+)`([^`]*)", first):
            out.extend((form.strip().replace("\\|", "|"), "(json)" in m.group(2)) for form in m.group(1).split(";"))
    return out


def words(form: str) -> list[str]:
    """The command's words: ``silence start DOC VERSION`` -> ``[silence, start]``."""
    out = []
    for w in form.split():
        if not re.fullmatch(r"[a-z][a-z-]*", w):
            break
        out.append(w)
    return out


def help_of(parser, path: list[str]) -> str:
    """The help text of the sub-command ``path`` (argparse's own)."""
    import argparse

    p = parser
    for w in path:
        subs = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
        assert w in subs.choices, f"no command {' '.join(path)!r} (stopped at {w!r})"
        p = subs.choices[w]
    return p.format_help()


FORMS = commands(CONTRACT.read_text("utf-8"))


def test_the_contract_is_the_shared_one_and_lists_commands():
    shared = ROOT.parent / "shared" / "CONTRACT.md"
    if shared.is_file():  # (beside the repository in CI and here; a plain clone has its copy)
        assert CONTRACT.read_bytes() == shared.read_bytes(), "docs/CONTRACT.md differs from ../shared/CONTRACT.md"
    assert len(FORMS) > 30 and any(w == ["silence", "start"] for w in (words(f) for f, _ in FORMS))


@pytest.mark.parametrize(("form", "json_"), FORMS, ids=[f for f, _ in FORMS])
def test_every_command_of_the_contract_exists_with_its_options(form, json_):
    path = words(form)
    assert path, form
    text = help_of(build_parser(), path)
    for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", form):
        assert re.search(rf"(?<![\w-]){re.escape(flag)}\b", text), f"{' '.join(path)}: no {flag}"
    for flag, values in re.findall(r"(--[a-z][a-z-]*) ([a-z]+(?:\|[a-z]+)+)", form):
        for value in values.split("|"):
            assert re.search(rf"\b{value}\b", text), f"{' '.join(path)} {flag}: no {value}"
    if json_:
        assert "--json" in text, f"{' '.join(path)} is marked (json) but has no --json"
