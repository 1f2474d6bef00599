"""The parsed-YAML cache gives exactly what yamlio.load gives, errors included."""

from __future__ import annotations

import os
import subprocess

import pytest

from drafting.store import yamlio
from drafting.store.parsecache import ParseCache


@pytest.fixture
def repo(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def errors_of(fn):
    try:
        fn()
    except yamlio.YamlFileError as e:
        return str(e)
    return None


def test_hit_returns_the_same_data_and_a_change_is_seen(repo):
    f = repo / "a.yaml"
    f.write_text("x: 1\nwhen: 2026-07-01\nlist: [a, b]\n3: three\n")
    cache = ParseCache(repo)
    first = cache.load(f, "a.yaml")
    second = ParseCache(repo).load(f, "a.yaml")
    assert first == second == yamlio.load(f, "a.yaml")
    assert second is not first
    again = ParseCache(repo)
    again.load(f, "a.yaml")
    assert again.hits == 1 and again.misses == 0
    f.write_text("x: 2\n")
    assert ParseCache(repo).load(f, "a.yaml") == {"x": 2}


def test_damaged_entries_are_misses(repo):
    f = repo / "a.yaml"
    f.write_text("x: 1\n")
    ParseCache(repo).load(f, "a.yaml")
    for entry in (repo / ".git" / "drafting-cache" / "yaml").iterdir():
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data))
    c = ParseCache(repo)
    assert c.load(f, "a.yaml") == {"x": 1} and c.misses == 1


def test_errors_are_those_of_the_reader_and_never_cached(repo):
    bad = repo / "bad.yaml"
    bad.write_text("a: &x 1\nb: *x\n")
    expected = errors_of(lambda: yamlio.load(bad, "bad.yaml"))
    assert expected and ("alias" in expected.lower() or "anchor" in expected.lower())
    for _ in range(2):
        assert errors_of(lambda: ParseCache(repo).load(bad, "bad.yaml")) == expected
    big = repo / "big.yaml"
    big.write_text("x: " + "y" * 200 + "\n")
    assert errors_of(lambda: ParseCache(repo).load(big, "big.yaml", max_bytes=100)) == \
        errors_of(lambda: yamlio.load(big, "big.yaml", max_bytes=100))
    missing = repo / "none.yaml"
    assert errors_of(lambda: ParseCache(repo).load(missing, "none.yaml")) == \
        errors_of(lambda: yamlio.load(missing, "none.yaml"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(repo):
    fifo = repo / "f.yaml"
    os.mkfifo(fifo)
    assert errors_of(lambda: ParseCache(repo).load(fifo, "f.yaml")) == errors_of(lambda: yamlio.load(fifo, "f.yaml"))


def test_without_a_git_folder_it_is_the_plain_reader(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n")
    c = ParseCache(tmp_path)
    assert c.dir is None and c.load(f, "a.yaml") == {"x": 1}
    assert not (tmp_path / ".git").exists()
