"""The commands the README and docs show, run as written with the installed ``drafting``.

If the documentation changes, these tests run the new text: the blocks are read from the
Markdown files each time. A block or line that cannot run offline is listed here with the
reason, and the list must match the documents exactly, so nothing is skipped silently.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from shell import BIN, blocks, describe, run_lines, section_block

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("documented")]

README = (ROOT / "README.md").read_text("utf-8")
APP_DOC = (ROOT / "docs" / "app.md").read_text("utf-8")
PR_DOC = (ROOT / "docs" / "submitting-by-pull-request.md").read_text("utf-8")

#: lines that are run elsewhere or cannot run offline, with why
NOT_RUN_HERE = {
    "make run": "CI (.ci/run) starts `make run` on the clean checkout and loads its first page in Chromium",
    "make test": "CI runs it: it is this test suite",
    "git clone https://github.com/mexico-mission/workspace.git": "needs the network (a git host)",
    "cd workspace": "follows the clone above",
    "git remote add upstream https://github.com/vientiane-2026/workspace.git": "needs the network",
    "python3 -m pip install drafting": "needs the network (PyPI)",
    ".venv/bin/python -m pytest -q tests/test_app.py tests/test_browser.py": "part of this suite, which CI runs whole",
    "UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -q tests/test_browser.py": "rewrites docs/screenshots: by hand",
}


def not_run_here(line: str) -> bool:
    return " ".join(shlex.split(line, comments=True)) in NOT_RUN_HERE


def _assert_ran(lines: list[str], steps) -> None:
    assert len(steps) == len(lines) and steps[-1].rc == 0, describe(steps)
    for s in steps:
        assert "internal error" not in s.err and "Traceback" not in s.err, describe([s])


def _words(line: str) -> list[str]:
    return shlex.split(line, comments=True)


def _outputs_named(line: str) -> list[str]:
    w = _words(line)
    return [w[i + 1] for i, x in enumerate(w[:-1]) if x in ("-o", "--output")]


# ------------------------------------------------------------------------------ README


def test_the_readme_opens_with_make_run_and_make_test_which_the_makefile_has():
    first = blocks(README)[0]
    assert [_words(x)[:2] for x in first] == [["make", "run"], ["make", "test"]]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert all(not_run_here(line) for line in first)


def test_the_readme_round_runs_as_written_in_an_empty_folder(tmp_path):
    lines = section_block(README, "## A round, from the command line")
    steps = run_lines(lines, tmp_path)
    _assert_ran(lines, steps)
    ws = tmp_path / "vientiane"
    for step in steps:
        w = _words(step.line)
        if not w or w[0] != "drafting":
            continue
        for name in _outputs_named(step.line):  # every file a step says it writes is there
            out = step.cwd / name
            assert out.is_file() and out.stat().st_size > 0, f"{step.line}: no {name}"
        if w[1] == "submit":
            code = w[w.index("--delegation") + 1]
            assert re.search(rf"Submitted \d+ (proposals?|comments?)( and \d+ comments?)? by {code}\b", step.out), (
                describe([step])
            )
        elif w[1] == "decide" and w[2].startswith("-"):  # the filter form: many at once, one commit
            from drafting.model.vocabulary import status_word

            assert re.search(r"Decided \d+ proposals?: ", step.out) and status_word(w[-1]) in step.out, describe([step])
        elif w[1] == "decide":
            from drafting.model.vocabulary import status_word

            assert f"{w[2]} (" in step.out and status_word(w[3]) in step.out, describe([step])  # in words
        elif w[1:3] == ["round", "list"]:
            assert "zero-draft-inputs" in step.out and " open " in step.out, describe([step])
        elif w[1:3] == ["round", "extend"]:
            assert step.out.startswith("Extended the round") and w[w.index("--delegation") + 1] in step.out

        elif w[1] == "compose":
            target = w[w.index("--to") + 1]
            assert (ws / "drafts" / w[2] / f"{target}.yaml").is_file()
            if "--open-next" in w:  # the next round opened on it, in the same commit
                assert f"Opened the round {target}-inputs" in step.out, describe([step])
        elif w[1] == "check":
            assert step.out.startswith("Workspace valid"), describe([step])
        elif w[1] == "sync":
            assert "Pushed" in step.out, describe([step])
        elif w[1] == "app":
            assert "Local URL" in step.out or "You can now view" in step.out, describe([step])
        elif w[1] == "export" and "--format" in w and not _outputs_named(step.line):
            fmt = w[w.index("--format") + 1]
            assert (step.cwd / f"{w[2]}-{w[3]}.{fmt}").is_file()
    # what was written is what the round says: real Word revisions, a PDF, an HTML diff
    tracked = ws / "rev1-tracked.docx"
    if tracked.exists():
        xml = zipfile.ZipFile(tracked).read("word/document.xml").decode()
        assert "<w:ins " in xml and "<w:del " in xml
    pdf = next(ws.glob("*.pdf"), None)
    if pdf is not None:
        assert pdf.read_bytes()[:5] == b"%PDF-"
    # the sample inputs stay out of the record, and the hub has everything the round committed
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ws, capture_output=True, text=True).stdout
    assert "inputs/" not in status and not any(
        line[3:].startswith(("drafts/", "contributions/", "decisions/")) for line in status.splitlines()
    )
    hub = subprocess.run(
        ["git", "log", "--format=%an", "main"], cwd=tmp_path / "vientiane-hub.git", capture_output=True, text=True
    )
    assert "Italy (ITA)" in hub.stdout and "Bosnia and Herzegovina (BIH)" in hub.stdout

    # then "From Rev.N to adoption", in the workspace the round left
    lines = section_block(README, "## From Rev.N to adoption")
    steps = run_lines(lines, ws)
    _assert_ran(lines, steps)
    out = {" ".join(_words(s.line)[1:3]): s.out for s in steps}
    assert "Whole document" in steps[0].out and "as agreed" in steps[1].out
    assert (ws / "rev1-with-comments.pdf").read_bytes()[:5] == b"%PDF-"
    assert (ws / "drafts" / "action-plan" / "rev2.yaml").is_file() and "renumbered" in steps[3].out
    assert "broke silence" in out["silence break"] and "broken by Mexico" in out["silence status"]
    assert "Silence broken by Mexico" in out["log action-plan"]


def test_the_sample_word_file_matches_the_example_zero_draft(tmp_path):
    """inputs/BIH-action-plan-tracked.docx is read against the example's zero draft: every
    paragraph matched by its bookmark, and exactly the edits the file's maker made."""
    from drafting.formats.pandoc import pandoc_path
    from drafting.service.setup import init
    from drafting.store.workspace import Workspace

    init(tmp_path / "ws", example=True)
    ws = Workspace(tmp_path / "ws")
    docx = ROOT / "inputs" / "BIH-action-plan-tracked.docx"
    views = {
        how: " ".join(
            subprocess.run(
                [pandoc_path(), f"--track-changes={how}", "-t", "plain", "--wrap=none", str(docx)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for how in ("reject", "accept")
    }
    zero = [p.text for p in ws.version("action-plan", "zero-draft").paragraphs]
    stale = [t[:60] for t in zero if t not in views["reject"]]
    assert not stale, f"regenerate it with inputs/make_tracked_docx.py; changed since: {stale}"
    assert "killed, injured or otherwise affected" in views["accept"]
    assert "in particular in the period immediately following an accident" not in views["accept"]


# ------------------------------------------------------------------------------- docs/app.md


def test_the_app_commands_in_docs_app_md_run_as_written(tmp_path):
    runnable: list[str] = []
    for block in blocks(APP_DOC):
        for line in block:
            if not_run_here(line):
                continue
            runnable.append(line)
    assert any(line.startswith("drafting init") for line in runnable)
    steps = run_lines(runnable, tmp_path)
    _assert_ran(runnable, steps)
    hashed = [s for s in steps if "bcrypt.hashpw" in s.line]
    assert hashed and hashed[0].out.strip().startswith("$2b$"), describe(hashed)


# --------------------------------------------------------- docs/submitting-by-pull-request.md


def _fork_sandbox(tmp: Path) -> Path:
    """The conference repository (a bare 'hub'), a delegation's fork of it, and the fork's
    clone with 'upstream' pointing at the hub: what the doc's "Once" section sets up."""
    run = lambda *a, cwd=tmp: subprocess.run(a, cwd=cwd, check=True, capture_output=True)  # noqa: E731
    run(str(BIN / "drafting"), "init", "conference", "--example")
    run("git", "clone", "-q", "--bare", "conference", "hub.git")
    run("git", "clone", "-q", "--bare", "hub.git", "fork.git")
    run("git", "clone", "-q", "fork.git", "workspace")
    ws = tmp / "workspace"
    run("git", "remote", "add", "upstream", str(tmp / "hub.git"), cwd=ws)
    # the delegation's inputs: what Mexico sent before, and one more comment
    mex = (ws / "contributions/action-plan/zero-draft-inputs/MEX.yaml").read_text("utf-8")
    mex += "  - {op: comment, paragraph: re-2, text: Mexico asks that risk education reach migrants as well.}\n"
    (ws / "our-inputs.yaml").write_text(mex, "utf-8")
    return ws


def test_the_pull_request_workflow_in_the_docs_runs_as_written(tmp_path):
    doc_blocks = blocks(PR_DOC)
    once, each_round, by_hand, ci, rebase, sync = doc_blocks
    assert all(not_run_here(line) for line in once)
    ws = _fork_sandbox(tmp_path)
    steps = run_lines(each_round, ws)
    _assert_ran(each_round, steps)
    assert "Workspace valid" in steps[-2].out
    # editing the file by hand, committed as the delegation
    from drafting.store import yamlio

    mex = ws / "contributions/action-plan/zero-draft-inputs/MEX.yaml"
    data = yamlio.load(mex)
    (mex4,) = [p for p in data["proposals"] if p["id"] == "MEX-4"]
    mex4["rationale"] = "Monitoring should cover behaviour, not only knowledge."
    mex.write_text(yamlio.dumps(data), "utf-8")
    for block in (by_hand, ci, rebase):
        steps = run_lines(block, ws)
        _assert_ran(block, steps)
    branch = subprocess.run(
        ["git", "log", "--format=%an|%s", "mex-zero-draft-inputs"],
        cwd=tmp_path / "fork.git",
        capture_output=True,
        text=True,
    ).stdout
    assert branch.splitlines()[0] == "Mexico (MEX)|Amend MEX-4"
    # the Presidency's offices: sync with origin and with another remote
    office = tmp_path / "office"
    subprocess.run(["git", "clone", "-q", str(tmp_path / "hub.git"), str(office)], check=True)
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(tmp_path / "hub.git"), str(tmp_path / "mirror.git")], check=True
    )
    subprocess.run(["git", "remote", "add", "hub", str(tmp_path / "mirror.git")], cwd=office, check=True)
    steps = run_lines(sync, office)
    _assert_ran(sync, steps)
