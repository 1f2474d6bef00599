"""Plain git and hand-made contributions in a workspace: helpers of the sync and check tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import write
from drafting.cli.main import main


def git(root: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check).stdout


def head(root: Path, ref: str = "HEAD") -> str:
    return git(root, "rev-parse", ref).strip()


def cli(root: Path, *args: str) -> int:
    return main(["--workspace", str(root), *args])


def comment(code: str, text: str, paragraph: str = "va-1", pid: str | None = None) -> str:
    """A contribution with one comment; written by hand into a workspace, it needs ``pid``."""
    ident = f"id: {pid}, " if pid else ""
    return (
        f"delegation: {code}\ndocument: action-plan\nround: r1\nproposals:\n"
        f"  - {{{ident}op: comment, paragraph: {paragraph}, text: '{text}'}}\n"
    )


def submit(root: Path, code: str, text: str, paragraph: str = "va-1") -> None:
    f = write(root.parent / "inbox" / f"{root.name}-{code}-{abs(hash(text))}.yaml", comment(code, text, paragraph))
    assert cli(root, "submit", str(f), "--delegation", code) == 0


def commit_as(root: Path, who: str, files: dict[str, str | None], message: str = "change") -> str:
    """A commit made with plain git, as a delegation working in its fork would."""
    name, code = who.split("|") if "|" in who else (who, who)
    for rel, text in files.items():
        if text is None:
            (root / rel).unlink()
        else:
            write(root / rel, text)
    git(root, "add", "-A", "--", *files)
    email = code if "@" in code else f"{code}@delegations.invalid"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
    }
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)
    return head(root)
