"""What the adversarial suites (tests/test_adversarial_*.py) share: an attempt is refused
with one clear line, exit code 2, and the workspace and its whole history unchanged."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import run_cli, tree_state, write
from drafting.service.identity import identity
from drafting.store import yamlio
from drafting.store.workspace import Workspace


def history(root: Path, *, local: bool = False) -> str:
    """Every ref and every commit they reach: a refused attempt leaves all of it as it was
    (``local``: leave out what a fetch updates, the remote-tracking refs)."""
    which = ["refs/heads", "refs/tags"] if local else []
    refs = subprocess.run(["git", "for-each-ref", *which], cwd=root, capture_output=True, text=True).stdout
    commits = subprocess.run(
        ["git", "rev-list", *(["--branches", "--tags"] if which else ["--all"])],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout
    return refs + commits


def snapshot(root: Path, *, local: bool = False) -> tuple:
    return tree_state(root), history(root, local=local)


def refused(root: Path, *args: str, expect: str, env: dict | None = None, local: bool = False) -> str:
    """A real ``drafting`` process: exit 2, one line naming what is wrong, nothing changed
    (``local``: a sync's fetch may update the remote-tracking refs, nothing else)."""
    before = snapshot(root, local=local)
    r = run_cli("--workspace", str(root), *args, env=env)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (args, r.stdout[-500:], r.stderr[-2000:])
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert lines[0].startswith("drafting: ") and expect in lines[0], (expect, lines[0])
    assert snapshot(root, local=local) == before
    return lines[0]


def ok(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    r = run_cli("--workspace", str(root), *args, env=env)
    assert r.returncode == 0, (args, r.stdout[-500:], r.stderr[-2000:])
    return r


def git(root: Path, *args: str, env: dict | None = None, check: bool = True) -> str:
    r = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if check and r.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {r.stderr}")
    return r.stdout.strip()


def as_author(code: str, name: str | None = None) -> dict:
    """git's environment for a commit authored (and committed) as delegation ``code``."""
    who = f"{name or code} ({code})"
    email = f"{code}@delegations.invalid"
    return {
        "GIT_AUTHOR_NAME": who,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": who,
        "GIT_COMMITTER_EMAIL": email,
    }


def commit_as(root: Path, code: str, files: dict[str, str | None], message: str) -> str:
    """A commit made with plain git (as a participant could), authored as ``code``."""
    for rel, text in files.items():
        if text is None:
            (root / rel).unlink()
        else:
            write(root / rel, text)
    git(root, "add", "-A", "--", *files)
    git(root, "commit", "-q", "-m", message, env=as_author(code))
    return git(root, "rev-parse", "HEAD")


def contribution(code: str, proposals: list[dict], *, round: str = "r1", document: str = "action-plan", **extra) -> str:
    return yamlio.dumps({"delegation": code, "document": document, "round": round, **extra, "proposals": proposals})


def decisions(root: Path, entries: dict[str, dict], *, round: str = "r1", document: str = "action-plan") -> str:
    """Record decisions as the Presidency (one commit, through the store)."""
    ws = Workspace(root)
    rel = f"decisions/{document}/{round}.yaml"
    current = yamlio.loads((root / rel).read_bytes(), rel) if (root / rel).exists() else {}
    with ws.git.transaction():
        return ws.git.commit(
            {rel: yamlio.dumps({**(current or {}), **entries}).encode()},
            "Decide",
            identity(ws.config.presidency_delegation),
        )
