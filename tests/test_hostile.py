"""Hostile input and roles.

Every hostile input is refused with one clear line on stderr (how fast: make bench), exit code 2,
and the workspace unchanged (``tree_state``). The corpus: the small files in
``tests/hostile/*.yaml`` (each says what it expects: ``# expect: ...``, ``# as: CODE``)
and the large or binary ones that ``tests/hostile/make_corpus.py`` generates at test time
(a 40 MB text field is never committed). Then: names that become paths (CLI arguments and
fields inside files), hostile files inside the workspace itself, limits that
``drafting.yaml`` can raise, and the role rules at the core, the services and the CLI.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from conftest import TINY_CONFIG, TINY_DRAFT, run_cli, tree_state, write
from drafting.cli.commands import COMMANDS
from drafting.cli.main import main
from drafting.model import roles
from drafting.model.errors import DraftingError, PermissionDenied
from drafting.store import yamlio
from drafting.store.workspace import Workspace

COMMAND_NAMES = {c.name for c in COMMANDS}

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "hostile"
STATIC = sorted(CORPUS.glob("*.yaml"))
PWNED = Path("/tmp/drafting-hostile-pwned")


def _make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mod  # (its dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


make_corpus = _make_corpus()
GENERATED = {c.name: c for c in make_corpus.CASES}


def header(path: Path) -> tuple[str, str]:
    expect, code = None, "MEX"
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# expect:"):
            expect = line.split(":", 1)[1].strip()
        elif line.startswith("# as:"):
            code = line.split(":", 1)[1].strip()
    assert expect, f"{path.name} says nothing about what it expects"
    return expect, code


def commit_all(root: Path, message: str = "by hand") -> None:
    import subprocess

    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)


def refused_in_process(root: Path, capsys, *args: str, expect: str) -> str:
    """Through the CLI's ``main`` in this process: exit 2, one line, workspace unchanged."""
    before = tree_state(root)
    capsys.readouterr()
    rc = main(["--workspace", str(root), *args])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert rc == 2, (args, out, err)
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    assert expect in lines[0], (expect, lines[0])
    assert len(lines[0]) < 600 and "\x1b" not in lines[0]
    assert tree_state(root) == before
    assert not PWNED.exists()
    return lines[0]


def refused(root: Path, *args: str, expect: str) -> str:
    """Through a real ``drafting`` process: exit 2, one line, workspace unchanged (a
    process that hangs is stopped by ``run_cli``'s timeout; how fast each file is refused
    is the benchmark's: hostile.* in make bench)."""
    before = tree_state(root)
    r = run_cli("--workspace", str(root), *args)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (args, r.stdout[-500:], r.stderr[-2000:])
    assert len(lines) == 1 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert expect in lines[0], (expect, lines[0])
    assert len(lines[0]) < 600
    assert tree_state(root) == before
    assert not PWNED.exists()
    return lines[0]


# ============================================================================ the corpus


@pytest.mark.parametrize("path", STATIC, ids=[p.name for p in STATIC])
def test_hostile_file_is_refused(tiny, capsys, path):
    expect, code = header(path)
    refused_in_process(tiny, capsys, "submit", str(path), "--delegation", code, expect=expect)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return make_corpus.generate(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", [c.name for c in make_corpus.CASES if not c.word])
def test_generated_hostile_file_is_refused(tiny, generated, name):
    line = refused(tiny, "submit", str(generated[name]), "--delegation", "MEX", expect=GENERATED[name].expect)
    assert name in line  # the line names the file


@pytest.mark.parametrize("name", [c.name for c in make_corpus.CASES if c.word])
def test_hostile_word_file_is_refused(tiny, generated, name):
    refused(tiny, "submit", str(generated[name]), "--delegation", "MEX", expect=GENERATED[name].expect)
    assert not Path("/tmp/drafting-evil.txt").exists()


def test_special_files_are_not_read_forever(tiny, capsys, tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    refused_in_process(tiny, capsys, "submit", str(fifo), "-d", "MEX", expect="not a regular file")
    zero = tmp_path / "zero.yaml"
    os.symlink("/dev/zero", zero)
    refused_in_process(tiny, capsys, "submit", str(zero), "-d", "MEX", expect="not a regular file")
    refused_in_process(tiny, capsys, "submit", str(tmp_path), "-d", "MEX", expect="cannot read")


def test_the_corpus_is_reproducible(tmp_path):
    a = make_corpus.generate(tmp_path / "a", ["zip-lying.docx", "xxe.docx", "many-proposals.yaml", "deep-block.yaml"])
    b = make_corpus.generate(tmp_path / "b", list(a))
    assert all(a[n].read_bytes() == b[n].read_bytes() for n in a)


# ============================================================================ names that become paths

VALID = (
    "delegation: MEX\ndocument: action-plan\nround: r1\nproposals:\n  - {op: comment, paragraph: va-1, text: Fine.}\n"
)


@pytest.mark.parametrize(
    "args,expect",
    [
        (["submit", "{f}", "--delegation", "../../etc"], "unknown delegation '../../etc'"),
        (["submit", "{f}", "--delegation", "MEX\n"], "unknown delegation"),
        (["submit", "{f}", "--delegation", "MEX", "--document", "../../../tmp"], "unknown document '../../../tmp'"),
        (["submit", "{f}", "--delegation", "MEX", "--round", "../r1"], "unknown round '../r1'"),
        (["submit", "{f}", "--delegation", "MEX", "--document", "political-declaration"], "is for action-plan"),
        (["submit", "{nodoc}", "--delegation", "MEX", "--document", "../../../tmp"], "unknown document '../../../tmp'"),
        (
            ["submit", "{nodoc}", "--delegation", "MEX", "--document", "action-plan", "--round", "../r1"],
            "unknown round '../r1'",
        ),
        (["submit", "{nodoc}", "--delegation", "MEX", "--document", "/etc"], "unknown document '/etc'"),
        (["decide", "../../etc/passwd", "accepted"], "unknown proposal '../../etc/passwd'"),
        (["decide", "MEX-1", "accepted", "--round", "../../x"], "unknown proposal 'MEX-1' in round ../../x"),
        (["decide", "MEX-1", "accepted", "--document", "../x"], "unknown proposal 'MEX-1' on ../x"),
        (["decide", "MEX-1", "accepted", "--by", "../LAO"], "unknown delegation for --by '../LAO'"),
        (["proposals", "../../etc"], "unknown document '../../etc'"),
        (["proposals", "action-plan", "--round", "../../x"], "unknown round '../../x'"),
        (["log", "../../.git"], "unknown document"),
        (["import", "action-plan", "../../evil", "{md}"], "not a valid version name"),
        (["import", "action-plan", "rev1\n", "{md}"], "not a valid version name"),
        (["import", "../x", "rev1", "{md}"], "unknown document"),
        (
            ["compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "../../../tmp/evil"],
            "not a valid version name",
        ),
        (
            ["compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1\n"],
            "not a valid version name",
        ),
        (
            ["compose", "--allow-open", "action-plan", "--from", "../zero-draft", "--to", "rev1"],
            "not a valid version name",
        ),
        (["diff", "action-plan", "../../x", "zero-draft"], "not a valid version name"),
        (["blame", "action-plan", "/etc/passwd"], "not a valid version name"),
        (["export", "action-plan", "../x", "--format", "md", "-o", "{out}"], "not a valid version name"),
    ],
)
def test_path_traversal_in_arguments(tiny, capsys, tmp_path, args, expect):
    assert args[0] in COMMAND_NAMES, f"the command table has no {args[0]}"
    assert main(["--workspace", str(tiny), "submit", str(write(tmp_path / "ok.yaml", VALID)), "-d", "MEX"]) == 0
    files = {
        "f": write(tmp_path / "f.yaml", VALID),
        "nodoc": write(
            tmp_path / "nodoc.yaml", "delegation: MEX\nproposals:\n  - {op: comment, paragraph: va-1, text: Hm.}\n"
        ),
        "md": write(tmp_path / "x.md", "# Title\n\nA paragraph.\n"),
        "out": tmp_path / "out.md",
    }
    args = [a.format(**files) if "{" in a else a for a in args]
    refused_in_process(tiny, capsys, *args, expect=expect)
    assert not (tiny.parent / "tmp").exists() and not Path("/tmp/evil.yaml").exists()


# ============================================================================ hostile files inside the workspace


@pytest.mark.parametrize(
    "change,expect",
    [
        (lambda c: c.replace("{code: MEX,", "{code: ../../etc,"), "not a valid delegation code"),
        (lambda c: c.replace("{code: MEX,", '{code: "MEX\\n",'), "not a valid delegation code"),
        (lambda c: c.replace("{id: r1,", "{id: ../../r1,"), "not a valid round id"),
        (lambda c: c.replace("  action-plan: {title", "  ../action-plan: {title"), "is not a valid document name"),
        (lambda c: c + "limits: {max_text_chars: -1}\n", "should be a positive whole number"),
        (lambda c: c + "limits: {max_text_chars: lots}\n", "should be a positive whole number"),
        (lambda c: c + "limits: {max_cpu: 9}\n", "unknown field max_cpu"),
        (lambda c: c + "x: &a [1]\ny: *a\n", "YAML anchors (&a) are not allowed"),
        (lambda c: c.replace("deadline: 2030-07-15}", "deadline: 2026-02-31}", 1), "invalid value"),
        (
            lambda c: c.replace("conference: Test Conference", "conference: !!python/object/apply:os.system [id]"),
            "tags",
        ),
    ],
)
def test_hostile_drafting_yaml(tiny, capsys, change, expect):
    (tiny / "drafting.yaml").write_text(change(TINY_CONFIG))
    commit_all(tiny)
    refused_in_process(tiny, capsys, "proposals", "action-plan", expect=expect)
    assert main(["--workspace", str(tiny), "check"]) == 2


def test_hostile_files_in_the_workspace(tiny, capsys, tmp_path):
    f = write(tmp_path / "in.yaml", VALID)
    # a decisions file naming a path as a proposal id
    write(tiny / "decisions/action-plan/r1.yaml", "../../etc/passwd: {status: accepted}\n")
    commit_all(tiny)
    assert main(["--workspace", str(tiny), "submit", str(f), "-d", "MEX"]) == 0
    refused_in_process(tiny, capsys, "decide", "MEX-1", "noted", expect="is not a valid proposal id")
    # a version file that says it is another version
    write(tiny / "drafts/action-plan/rev1.yaml", TINY_DRAFT.replace("version: zero-draft", "version: ../../x"))
    commit_all(tiny)
    refused_in_process(tiny, capsys, "blame", "action-plan", "rev1", expect="not a valid version name")


def test_a_symlink_in_the_workspace_never_leads_writes_outside(tiny, capsys, tmp_path):
    """A clone can bring symbolic links along: a submission must not follow them."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (tiny / "contributions" / "action-plan").mkdir(parents=True)
    os.symlink(outside, tiny / "contributions" / "action-plan" / "r1")
    commit_all(tiny, "a link")
    f = write(tmp_path / "in.yaml", VALID)
    refused_in_process(tiny, capsys, "submit", str(f), "-d", "MEX", expect="refusing to write outside the workspace")
    assert list(outside.iterdir()) == []


# ============================================================================ limits: defaults drafting.yaml can raise


def _raise_limits(root: Path, **limits: int) -> None:
    text = (
        (root / "drafting.yaml").read_text() + "limits: {" + ", ".join(f"{k}: {v}" for k, v in limits.items()) + "}\n"
    )
    (root / "drafting.yaml").write_text(text)
    commit_all(root, "raise limits")


@pytest.mark.parametrize(
    "name,limits",
    [
        ("long-text.yaml", {"max_text_chars": 30_000}),
        ("many-proposals.yaml", {"max_proposals": 3_000}),
        ("deep-meta.yaml", {"max_depth": 40}),
    ],
)
def test_raising_a_limit_in_drafting_yaml_lets_the_file_in(tiny, capsys, tmp_path, name, limits):
    path = make_corpus.generate(tmp_path, [name])[name]
    refused_in_process(tiny, capsys, "submit", str(path), "-d", "MEX", expect=GENERATED[name].expect)
    _raise_limits(tiny, **limits)
    assert main(["--workspace", str(tiny), "submit", str(path), "-d", "MEX"]) == 0
    assert main(["--workspace", str(tiny), "check"]) == 0


def test_an_absurd_number_of_paragraphs_and_raising_the_limit(tiny, capsys, tmp_path):
    paras = "".join(f"  - {{id: p-{i}, kind: text, text: Paragraph {i}.}}\n" for i in range(5_001))
    write(
        tiny / "drafts/action-plan/zero-draft.yaml",
        TINY_DRAFT.split("paragraphs:")[0] + "paragraphs:\n" + paras + TINY_DRAFT.split("paragraphs:\n")[1],
    )
    commit_all(tiny, "a huge version")
    f = write(tmp_path / "in.yaml", VALID)
    refused_in_process(tiny, capsys, "submit", str(f), "-d", "MEX", expect="5,006 paragraphs, over the limit of 5,000")
    _raise_limits(tiny, max_paragraphs=6_000)
    assert main(["--workspace", str(tiny), "submit", str(f), "-d", "MEX"]) == 0


def test_raising_the_file_size_raises_the_value_count_too(tiny, tmp_path):
    from drafting.service.inputs import read_input_file

    big = write(tmp_path / "big.yaml", "rationale: '" + "x" * 6_000_000 + "'\n")
    many = write(tmp_path / "many.yaml", "tags: [" + "1," * 100_500 + "1]\n")
    for path, expect in ((big, "over the limit of 5,000,000"), (many, "more than 100,000 values")):
        with pytest.raises(DraftingError, match=expect):
            read_input_file(Workspace(tiny), path)
    _raise_limits(tiny, max_file_bytes=6_500_000)  # 30 % more bytes, 30 % more values
    ws = Workspace(tiny)
    assert len(read_input_file(ws, big)["rationale"]) == 6_000_000
    assert len(read_input_file(ws, many)["tags"]) == 100_501


# ============================================================================ roles


def test_roles_at_the_core(tiny):
    cfg = Workspace(tiny).config
    d = cfg.delegation
    roles.check_may_submit(d("ICRC"), ["comment", "comment"])
    with pytest.raises(PermissionDenied, match="may only comment"):
        roles.check_may_submit(d("ICRC"), ["comment", "amend"])
    for code in ("MEX", "IDN", "ISU", "LAO"):
        roles.check_may_submit(d(code), ["amend", "insert", "delete", "comment"])
    roles.check_may_decide(d("LAO"))
    roles.check_may_compose(d("LAO"))
    for code in ("MEX", "IDN", "ICRC", "ISU"):
        with pytest.raises(PermissionDenied, match="only the Presidency decides"):
            roles.check_may_decide(d(code))
        with pytest.raises(PermissionDenied, match="only the Presidency composes"):
            roles.check_may_compose(d(code))


def test_roles_at_the_services(tiny, tmp_path):
    from drafting.model.validate import parse_contribution
    from drafting.service.inputs import decide, submit_data
    from drafting.service.setup import import_version

    ws = Workspace(tiny)
    before = tree_state(tiny)
    amend = yamlio.loads(VALID.replace("MEX", "ICRC").replace("op: comment", "op: amend"), "x")
    with pytest.raises(PermissionDenied, match="may only comment"):
        submit_data(ws, amend, delegation="ICRC", source="x")
    with pytest.raises(DraftingError, match="may only comment"):  # the pure validator says so too
        parse_contribution(amend, "x", config=ws.config, base=ws.version("action-plan", "zero-draft"), assign_ids=True)
    submit_data(ws, yamlio.loads(VALID, "x"), delegation="MEX", source="x")
    before = tree_state(tiny)
    for code in ("MEX", "IDN", "ICRC", "ISU"):
        with pytest.raises(PermissionDenied, match="only the Presidency decides"):
            decide(Workspace(tiny), "MEX-1", "noted", by=code)
        with pytest.raises(PermissionDenied, match="only the Presidency composes"):
            import_version(Workspace(tiny), "action-plan", "rev9", write(tmp_path / "x.md", "# T\n\nP.\n"), by=code)
    from drafting.service.versions import compose

    for code in ("MEX", "ISU"):
        with pytest.raises(PermissionDenied, match="only the Presidency composes"):
            compose(Workspace(tiny), "action-plan", "zero-draft", "rev1", round="r1", by=code, allow_open=True)
    assert tree_state(tiny) == before
    assert decide(Workspace(tiny), "MEX-1", "noted", by="LAO").status == "noted"


@pytest.mark.parametrize(
    "args,expect",
    [
        (["decide", "MEX-1", "noted", "--by", "MEX"], "only the Presidency decides"),
        (["decide", "MEX-1", "noted", "--by", "IDN"], "only the Presidency decides"),
        (["decide", "MEX-1", "noted", "--by", "ICRC"], "only the Presidency decides"),
        (["decide", "MEX-1", "noted", "--by", "ISU"], "only the Presidency decides"),
        (["decide", "MEX-1", "rejected", "--by", "lao"], "unknown delegation for --by 'lao'"),
        (["decide", "MEX-1", "rejected", "--by", "LAO "], "unknown delegation for --by 'LAO '"),
        (["decide", "MEX-1", "modified", "--text", "Escape \x1b[2J here"], "control or invalid character"),
        (["decide", "MEX-1", "rejected", "--note", "bad byte \udcff"], "control or invalid character"),
        (
            ["compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1", "--by", "ISU"],
            "only the Presidency composes",
        ),
        (
            ["compose", "--allow-open", "action-plan", "--from", "zero-draft", "--to", "rev1", "--by", "MEX"],
            "only the Presidency composes",
        ),
        (["import", "action-plan", "rev1", "{md}", "--by", "MEX"], "only the Presidency composes"),
        (["submit", "{obs}", "--delegation", "ICRC"], "may only comment"),
        (["submit", "{mex}", "--delegation", "LAO"], "the file is by MEX but was submitted with --delegation LAO"),
    ],
)
def test_roles_through_the_cli(tiny, capsys, tmp_path, args, expect):
    assert args[0] in COMMAND_NAMES, f"the command table has no {args[0]}"
    mex = write(
        tmp_path / "mex.yaml",
        VALID.replace(
            "op: comment, paragraph: va-1, text: Fine.", "op: amend, paragraph: va-1, text: Survivors decide."
        ),
    )
    assert main(["--workspace", str(tiny), "submit", str(mex), "-d", "MEX"]) == 0
    files = {
        "md": write(tmp_path / "x.md", "# T\n\nP.\n"),
        "mex": mex,
        "obs": write(
            tmp_path / "obs.yaml",
            VALID.replace("MEX", "ICRC").replace("op: comment", "op: delete").replace(", text: Fine.", ""),
        ),
    }
    args = [a.format(**files) if "{" in a else a for a in args]
    refused_in_process(tiny, capsys, *args, expect=expect)


def test_one_real_process_for_a_role_refusal(tiny, tmp_path):
    assert main(["--workspace", str(tiny), "submit", str(write(tmp_path / "in.yaml", VALID)), "-d", "MEX"]) == 0
    refused(tiny, "decide", "MEX-1", "noted", "--by", "ISU", expect="only the Presidency decides")


# ============================================================================ fuzzing the validators


def test_validators_only_ever_raise_drafting_errors(tiny):
    """Whatever shape a hostile file has, validation ends in a DraftingError, never a crash."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from drafting.model.validate import (
        PROPOSAL_FIELDS,
        parse_config,
        parse_contribution,
        parse_decisions,
        parse_version,
    )

    ws = Workspace(tiny)
    cfg, base = ws.config, ws.version("action-plan", "zero-draft")
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=6),
        st.sampled_from(
            [
                "MEX",
                "action-plan",
                "r1",
                "zero-draft",
                "amend",
                "insert",
                "delete",
                "comment",
                "clr-1",
                "AUT",
                "ICRC",
                "MEX-1",
                "modified",
                "../x",
            ]
        ),
    )
    anyv = st.recursive(
        scalars,
        lambda ch: st.lists(ch, max_size=3) | st.dictionaries(st.text(max_size=3), ch, max_size=3),
        max_leaves=6,
    )
    prop = st.dictionaries(st.sampled_from(PROPOSAL_FIELDS), anyv, max_size=7)
    contrib = st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(("delegation", "document", "round", "base", "co_sponsors", "submitted"), anyv)
        | {"proposals": st.lists(prop, max_size=4) | anyv},
    )
    other = st.dictionaries(
        st.sampled_from(
            [
                "conference",
                "presidency",
                "documents",
                "delegations",
                "rounds",
                "limits",
                "document",
                "version",
                "based_on",
                "paragraphs",
                "MEX-1",
            ]
        ),
        anyv
        | st.lists(
            st.dictionaries(
                st.sampled_from(["id", "code", "name", "role", "text", "kind", "status", "base", "document"]),
                anyv,
                max_size=4,
            ),
            max_size=3,
        ),
        max_size=6,
    )
    crashes = []

    def run(fn):
        try:
            fn()
        except DraftingError:
            pass
        except Exception as e:
            crashes.append(f"{type(e).__name__}: {e}")

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(contrib, other)
    def check(c, o):
        run(
            lambda: parse_contribution(
                c, "f", config=cfg, base=base, assign_ids=True, delegation="MEX", document="action-plan", round="r1"
            )
        )
        run(lambda: parse_contribution(c, "f", config=cfg, base=base))
        run(lambda: parse_config(o, "f"))
        run(lambda: parse_version(o, "f"))
        run(lambda: parse_decisions(o, "f"))

    check()
    assert crashes == []
