"""The parsed-YAML cache gives exactly what yamlio.load gives, errors included."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import write
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
    assert errors_of(lambda: ParseCache(repo).load(big, "big.yaml", max_bytes=100)) == errors_of(
        lambda: yamlio.load(big, "big.yaml", max_bytes=100)
    )
    missing = repo / "none.yaml"
    assert errors_of(lambda: ParseCache(repo).load(missing, "none.yaml")) == errors_of(
        lambda: yamlio.load(missing, "none.yaml")
    )


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


# ------------------------------------------------------------------ validated records


def _records(root):
    from drafting.store.workspace import Workspace

    ws = Workspace(root)
    out = {}
    for r in ws.config.rounds:
        out[r.id] = ws.contributions(r.document, r.id)
    for d in ws.config.documents:
        for n in ws.version_names(d):
            out[f"{d}/{n}"] = ws.version(d, n)
    return ws, out


def test_cached_records_equal_freshly_validated_ones(example):
    import shutil

    _, cold = _records(example)
    ws, warm = _records(example)
    assert warm == cold
    assert ws.parse_cache.hits > 20 and ws.parse_cache.misses == 0
    shutil.rmtree(example / ".git" / "drafting-cache")
    from drafting.store.workspace import Workspace

    ws3 = Workspace(example)
    ws3.parse_cache.dir = None  # the plain reader: no cache at all
    plain = {r.id: ws3.contributions(r.document, r.id) for r in ws3.config.rounds}
    assert {k: v for k, v in warm.items() if k in plain} == plain
    # the records behave like validated ones (properties, hashing, equality)
    p = next(c for v in warm.values() if isinstance(v, list) for c in v).proposals[0]
    assert p.target and p.delegations[0] == p.delegation and hash(p) == hash(p)


def test_a_changed_configuration_or_base_revalidates(tiny):
    from drafting.model.errors import ValidationError
    from drafting.store.workspace import Workspace

    contrib = tiny / "contributions" / "action-plan" / "r1" / "MEX.yaml"
    write(
        contrib,
        "delegation: MEX\ndocument: action-plan\nround: r1\nbase: zero-draft\nproposals:\n"
        "  - {id: MEX-1, op: amend, paragraph: clr-2, text: States Parties will report.}\n"
        "  - {id: MEX-2, op: comment, paragraph: va-1, text: Good.}\n",
    )
    assert len(Workspace(tiny).proposals("action-plan", "r1")) == 2
    assert Workspace(tiny).parse_cache.dir is not None
    ws = Workspace(tiny)
    ws.proposals("action-plan", "r1")
    assert ws.parse_cache.hits >= 2  # the version and the contribution, validated before
    # the base version loses clr-2: the same contribution file is now wrong, and says so
    draft = tiny / "drafts" / "action-plan" / "zero-draft.yaml"
    original = draft.read_text()
    block = (
        "  - id: clr-2\n    section: Survey and clearance\n    kind: action\n"
        "    text: States Parties will report annually on progress in land release.\n"
    )
    assert block in original
    draft.write_text(original.replace(block, ""))
    text = draft.read_text()
    assert "clr-2" not in text
    rel = "contributions/action-plan/r1/MEX.yaml"
    ws = Workspace(tiny)  # the file is left out (and reported), the round still reads
    assert ws.proposals("action-plan", "r1") == [] and "clr-2" in ws.invalid_contributions("action-plan")[rel]
    with pytest.raises(ValidationError, match="clr-2"):
        Workspace(tiny).contribution("action-plan", "r1", "MEX")
    draft.write_text(original)
    assert len(Workspace(tiny).proposals("action-plan", "r1")) == 2
    # Mexico is no longer listed in drafting.yaml: its file is refused again
    cfg = tiny / "drafting.yaml"
    cfg.write_text(cfg.read_text().replace("  - {code: MEX, name: Mexico, role: state-party}\n", ""))
    for _ in range(2):  # failures are never cached
        with pytest.raises(ValidationError, match="MEX"):
            Workspace(tiny).contribution("action-plan", "r1", "MEX")
        assert Workspace(tiny).proposals("action-plan", "r1") == []


def test_a_damaged_record_entry_is_validated_again(tiny):
    from drafting.store.workspace import Workspace

    write(
        tiny / "contributions" / "action-plan" / "r1" / "FRA.yaml",
        "delegation: FRA\ndocument: action-plan\nround: r1\nbase: zero-draft\nproposals:\n"
        "  - {id: FRA-1, op: delete, paragraph: va-1}\n",
    )
    first = Workspace(tiny).proposals("action-plan", "r1")
    for entry in (tiny / ".git" / "drafting-cache" / "yaml").iterdir():
        data = bytearray(entry.read_bytes())
        data[-3] ^= 0x55
        entry.write_bytes(bytes(data))
    ws = Workspace(tiny)
    assert ws.proposals("action-plan", "r1") == first and ws.parse_cache.hits == 0


# ------------------------------------------------------------------ derived results


def _uncached(root):
    from drafting.store.workspace import Workspace

    ws = Workspace(root)
    ws.parse_cache.dir = None
    return ws


def test_diffs_labels_and_blame_are_kept_and_follow_their_inputs(example):
    from drafting.service import inputs, versions
    from drafting.store.workspace import Workspace

    versions.compose(Workspace(example), "action-plan", "zero-draft", "rev1", allow_open=True)
    fresh = _uncached(example)
    want_diff = versions.diff(fresh, "action-plan", "zero-draft", "rev1")
    want_blame = versions.blame(fresh, "action-plan", "rev1")
    first = Workspace(example)
    assert versions.diff(first, "action-plan", "zero-draft", "rev1") == want_diff
    again = Workspace(example)
    assert versions.diff(again, "action-plan", "zero-draft", "rev1") == want_diff
    assert versions.blame(Workspace(example), "action-plan", "rev1") == want_blame
    kept = Workspace(example)
    assert versions.blame(kept, "action-plan", "rev1") == want_blame
    hits = kept.parse_cache.hits
    assert versions.diff(kept, "action-plan", "zero-draft", "rev1") == want_diff
    assert kept.parse_cache.hits >= hits + 2  # the diff and its labels, from the cache

    # a new decision is an input of provenance: blame is computed again (a new entry)
    entry = kept.parse_cache._entry("derived:blame:action-plan:rev1")
    before = entry.read_bytes()
    accepted = next(
        p
        for p in fresh.proposals("action-plan", "zero-draft-inputs")
        if fresh.status(p) == "accepted" and p.op == "amend"
    )
    inputs.decide(Workspace(example), accepted.id, "rejected")
    assert versions.blame(Workspace(example), "action-plan", "rev1") == versions.blame(
        _uncached(example), "action-plan", "rev1"
    )
    assert entry.read_bytes() != before
    assert versions.diff(Workspace(example), "action-plan", "zero-draft", "rev1") == versions.diff(
        _uncached(example), "action-plan", "zero-draft", "rev1"
    )

    # the version itself changes (edited by hand): the diff follows
    rev1 = example / "drafts" / "action-plan" / "rev1.yaml"
    rev1.write_text(rev1.read_text().replace("States Parties", "States Members", 1))
    edited = versions.diff(Workspace(example), "action-plan", "zero-draft", "rev1", labels=False)
    assert edited != {k: v for k, v in want_diff.items() if k != "labels"}
    assert edited == versions.diff(_uncached(example), "action-plan", "zero-draft", "rev1", labels=False)


def test_a_damaged_derived_entry_is_computed_again(example):
    from drafting.service import versions
    from drafting.store.workspace import Workspace

    want = versions.diff(_uncached(example), "action-plan", "zero-draft", "zero-draft", labels=False)
    versions.diff(Workspace(example), "action-plan", "zero-draft", "zero-draft", labels=False)
    for entry in (example / ".git" / "drafting-cache" / "yaml").iterdir():
        data = bytearray(entry.read_bytes())
        data[-2] ^= 0x41
        entry.write_bytes(bytes(data))
    assert versions.diff(Workspace(example), "action-plan", "zero-draft", "zero-draft", labels=False) == want
