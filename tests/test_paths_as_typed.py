"""Every command, run as the installed ``drafting`` from another folder with relative paths.

A newcomer types ``drafting init vientiane --example`` and ``--workspace ../ws``; a desk
officer runs commands from a subfolder of the workspace or through a symbolic link. Paths
are taken from the folder the command runs in, and messages name files as they were typed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from drafting.cli.commands import COMMANDS
from shell import BIN, environment, free_port, run_lines

pytestmark = pytest.mark.slow

SEN_INPUTS = """\
delegation: SEN
document: action-plan
proposals:
  - {op: comment, paragraph: re-2, text: Senegal asks that risk education reach migrants as well.}
"""

IMPORT_MD = (
    "# Preamble\n\nWe, the States Parties, meet in Vientiane.\n\n# Commitments\n\nWe commit to universal adherence.\n"
)


def _argv(name: str, ws: str, here: str, tag: str) -> list[str]:
    """The arguments of command ``name`` with paths relative to the current folder:
    ``ws`` is the workspace (or "" when the command finds it itself), ``here`` the way from
    the current folder to the inbox of input files."""
    w = ["--workspace", ws] if ws else []
    table = {
        "init": [f"{here}new-{tag}"],
        "import": [*w, "import", "political-declaration", f"imported-{tag}", f"{here}declaration.md"],
        "reference": [
            *w,
            "reference",
            "add",
            f"{here}declaration.md",
            "--title",
            f"Declaration {tag}",
            "--symbol",
            f"X/{tag}",
        ],
        "precedents": [
            *w,
            "precedents",
            "political-declaration",
            f"imported-{tag}",
            "--min-words",
            "3",
            "-o",
            f"{here}out/precedents-{tag}.md",
        ],
        "submit": [*w, "submit", f"{here}sen.yaml", "--delegation", "SEN", "--round", f"in{tag}"],
        # each mode a round of its own on rev0 (one open at a time: the last one was composed)
        "round": [
            *w,
            "round",
            "open",
            "action-plan",
            "--base",
            "rev0",
            "--deadline",
            "2030-12-31",
            "--id",
            f"in{tag}",
        ],
        "proposals": [*w, "proposals", "action-plan", "--delegation", "SEN"],
        "decide": [*w, "decide", "SEN-1", "noted"],
        "cosponsor": [*w, "cosponsor", "MEX-4", "--delegation", "SEN"],
        "withdraw": [*w, "withdraw", "ZAF-2", "--delegation", "ZAF"],
        "compose": [
            *w,
            "compose",
            "--allow-open",
            "action-plan",
            "--from",
            "rev0",
            "--to",
            f"rev-{tag}",
            "--round",
            f"in{tag}",
        ],
        "diff": [
            *w,
            "diff",
            "action-plan",
            "zero-draft",
            f"rev-{tag}",
            "--format",
            "html",
            "-o",
            f"{here}out/diff-{tag}.html",
        ],
        "blame": [*w, "blame", "action-plan", f"rev-{tag}", "--paragraph", "clr-2"],
        "export": [*w, "export", "action-plan", f"rev-{tag}", "--format", "md", "-o", f"{here}out/rev-{tag}.md"],
        "compilation": [
            *w,
            "compilation",
            "action-plan",
            "--round",
            "zero-draft-inputs",
            "--format",
            "md",
            "-o",
            f"{here}out/comp-{tag}.md",
        ],
        "translate": [
            *w,
            "translate",
            "export",
            "action-plan",
            f"rev-{tag}",
            "--lang",
            "fr",
            "--all",
            "-o",
            f"{here}out/rev-{tag}.fr.xlf",
        ],
        "calendar": [*w, "calendar", "--ics", f"{here}out/calendar-{tag}.ics"],
        "forecast": [*w, "forecast", "--format", "md", "-o", f"{here}out/forecast-{tag}.md"],
        "renumber": [*w, "renumber", "action-plan", f"rev-{tag}", "--to", f"renumbered-{tag}"],
        "status": [*w, "status", "action-plan", "--version", f"renumbered-{tag}"],
        "silence": [*w, "silence", "status", "action-plan"],
        "log": [*w, "log", "action-plan", "--limit", "3"],
        "digest": [*w, "digest", "--secrets", f"{here}secrets.toml"],
        "check": [*w, "check"],
        "sync": [*w, "sync"],
        "app": [*w, "app"],
    }
    if name == "init":
        return ["init", *table["init"], "--example"]
    return table[name]


# the order in which they run (compose before what reads the new version)
ORDER = ["init", "import", "reference", "precedents", "round", "submit", "proposals", "decide", "cosponsor", "withdraw",
         "compose", "diff", "blame",
         "export", "compilation", "translate", "calendar", "forecast", "renumber", "status", "silence", "log", "digest",
         "check", "sync", "app"]  # fmt: skip


def test_every_command_of_the_table_is_exercised_here():
    assert set(ORDER) == {c.name for c in COMMANDS}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Path:
    """a/ws (the example workspace, with a hub to sync with), b/ (somewhere else, with an
    inbox of files to submit and import), and link -> a/ws."""
    top = tmp_path_factory.mktemp("paths")
    (top / "a").mkdir()
    (top / "b" / "out").mkdir(parents=True)
    subprocess.run([str(BIN / "drafting"), "init", "ws", "--example"], cwd=top / "a", check=True, capture_output=True)
    subprocess.run(  # the zero draft's round composed into rev0; the modes below open rounds of their own on it
        [str(BIN / "drafting"), "compose", "action-plan", "--from", "zero-draft", "--to", "rev0", "--allow-open"],
        cwd=top / "a" / "ws",
        check=True,
        capture_output=True,
    )
    subprocess.run(["git", "clone", "-q", "--bare", "ws", "../hub.git"], cwd=top / "a", check=True)
    subprocess.run(["git", "remote", "add", "origin", "../../hub.git"], cwd=top / "a" / "ws", check=True)
    subprocess.run(["git", "fetch", "-q", "origin"], cwd=top / "a" / "ws", check=True)
    subprocess.run(["git", "branch", "-q", "-u", "origin/main"], cwd=top / "a" / "ws", check=True)
    (top / "b" / "sen.yaml").write_text(SEN_INPUTS)
    (top / "b" / "declaration.md").write_text(IMPORT_MD)
    (top / "b" / "secrets.toml").write_text('[drafting.notify]\nMEX = ["focal.point@sre.gob.mx"]\n')

    os.symlink("a/ws", top / "link")
    return top


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "drafting"), *args], cwd=cwd, env=environment(env), capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "mode",
    ["relative --workspace", "$DRAFTING_WORKSPACE", "from a subfolder", "through a symlink"],
)
def test_every_command_takes_paths_relative_to_where_it_runs(sandbox, mode):
    tag = mode.split()[-1].strip("$").lower().replace("_", "-")
    if mode == "relative --workspace":
        cwd, ws, here, env = sandbox / "b", "../a/ws", "", None
    elif mode == "$DRAFTING_WORKSPACE":
        cwd, ws, here, env = sandbox / "b", "", "", {"DRAFTING_WORKSPACE": "../a/ws"}
    elif mode == "from a subfolder":
        cwd, ws, here, env = sandbox / "a" / "ws" / "drafts" / "action-plan", "", "../../../../b/", None
    else:
        cwd, ws, here, env = sandbox / "b", "../link", "", None
    for name in ORDER:
        args = _argv(name, ws, here, tag)
        if name == "app":
            port = free_port()
            line = " ".join(["drafting", *args, "--server.port", str(port)])
            step = run_lines([line], cwd, env=env)[0]
            assert step.rc == 0, f"{mode}: {line}: the app did not serve\n{step.err[-2000:]}"
            continue
        r = _run(args, cwd, env)
        assert r.returncode == 0, f"{mode}: drafting {' '.join(args)}\n{r.stderr}"
        assert "internal error" not in r.stderr
        for i, a in enumerate(args[:-1]):
            if a in ("-o", "--ics"):
                assert (cwd / args[i + 1]).is_file(), f"{mode}: {args[i + 1]} not written where typed"
    assert (sandbox / "b" / f"new-{tag}" / "drafting.yaml").is_file() or (
        cwd / f"{here}new-{tag}" / "drafting.yaml"
    ).is_file()
    assert (sandbox / "a" / "ws" / "drafts" / "action-plan" / f"rev-{tag}.yaml").is_file()
    assert (sandbox / "a" / "ws" / "drafts" / "political-declaration" / f"imported-{tag}.yaml").is_file()


def test_messages_name_files_as_the_user_typed_them(sandbox):
    cwd = sandbox / "b"
    (cwd / "broken.yaml").write_text("delegation: MEX\nproposals: [\n")
    r = _run(["--workspace", "../a/ws", "submit", "broken.yaml", "--delegation", "MEX"], cwd)
    assert r.returncode == 2 and r.stderr.startswith("drafting: broken.yaml"), r.stderr
    r = _run(["--workspace", "../a/ws", "submit", "missing/none.yaml", "--delegation", "MEX"], cwd)
    assert r.returncode == 2 and "missing/none.yaml: no such file" in r.stderr
    r = _run(["--workspace", "../a/ws", "translate", "import", "missing/none.xlf", "--lang", "fr"], cwd)
    assert r.returncode == 2 and r.stderr.startswith("drafting: missing/none.xlf: no such file"), r.stderr
    r = _run(["--workspace", "../nowhere", "log"], cwd)
    assert r.returncode == 2 and r.stderr.startswith("drafting: ../nowhere: not a drafting workspace"), r.stderr
    r = _run(["log"], sandbox)  # not in a workspace, and none above
    assert r.returncode == 2 and "not a drafting workspace" in r.stderr
    assert str(sandbox) not in r.stderr.replace(str(sandbox) + ":", "")  # the folder, said once
