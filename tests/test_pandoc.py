"""formats.pandoc, the one place that runs pandoc: reading a user's file fails in one line
naming the file, whatever pandoc does (hangs, fails, writes something else)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from drafting.formats import pandoc
from drafting.formats.reader import read_paragraphs
from drafting.model.errors import DraftingError
from drafting.model.records import Limits


def _fake_pandoc(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "fake-pandoc"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.fixture
def notes(tmp_path) -> Path:
    md = tmp_path / "notes.md"
    md.write_text("A paragraph.\n", encoding="utf-8")
    return md


def _line(call) -> str:
    with pytest.raises(DraftingError) as e:
        call()
    assert "\n" not in e.value.line
    return e.value.line


def test_reading_a_file_gives_its_ast(notes):
    doc = pandoc.read_file(notes, "markdown")
    assert doc["blocks"][0]["t"] == "Para"


def test_a_hanging_pandoc_is_stopped_at_the_time_limit(monkeypatch, tmp_path, notes):
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: _fake_pandoc(tmp_path, "exec sleep 60"))
    line = _line(lambda: read_paragraphs(notes, limits=Limits(pandoc_timeout_s=1)))
    assert line == "notes.md: pandoc did not finish reading it within 1 s and was stopped (damaged or far too large?)"


def test_a_failing_pandoc_is_one_line_naming_the_file(monkeypatch, tmp_path, notes):
    exe = _fake_pandoc(tmp_path, 'echo "Unexpected end of input\nmore detail" >&2; exit 3')
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: exe)
    assert (
        _line(lambda: pandoc.read_file(notes, "markdown"))
        == "notes.md: pandoc could not read it: Unexpected end of input"
    )
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: _fake_pandoc(tmp_path, "echo 'not json'"))
    assert _line(lambda: pandoc.read_file(notes, "markdown")) == "notes.md: pandoc gave output that is not JSON"
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: _fake_pandoc(tmp_path, "echo '[1, 2]'"))
    assert _line(lambda: pandoc.read_file(notes, "markdown")).endswith("pandoc gave an unexpected document structure")
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(tmp_path / "missing-pandoc"))
    assert _line(lambda: pandoc.read_file(notes, "markdown")).startswith("notes.md: pandoc could not be started")


def test_pandoc_runs_sandboxed_with_a_heap_limit(monkeypatch, tmp_path, notes):
    seen = tmp_path / "args"
    exe = _fake_pandoc(tmp_path, f'echo "$@" > {seen}; echo \'{{"blocks": []}}\'')
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: exe)
    pandoc.read_file(notes, "markdown")
    args = seen.read_text().split()
    assert args[:3] == ["+RTS", pandoc.HEAP, "-RTS"] and "--sandbox" in args
