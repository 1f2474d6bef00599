"""Git remotes: fetch, rebase, push, and reading commits for the per-commit check.

Plumbing only; the rules (what to do when, what a conflict is) live in
``service/remote.py`` and ``service/check.py``. Every call goes through GitPython's
``repo.git`` with hooks bypassed and a timeout on the network; without a terminal
(the app, a script, CI) password prompts are switched off, so a sync fails instead of
hanging.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass

import git as gitpython

from ..model.errors import DraftingError
from .git import SYNC_MARKER, GitStore, clean_env
from .yamlio import atomic_write

NETWORK_TIMEOUT_S = 300
#: what `git remote` names look like; anything else is refused before git sees it
REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}\Z")

#: what git says when the remote branch moved on between our fetch and our push
REJECTED = (
    "[rejected]",
    "non-fast-forward",
    "fetch first",
    "stale info",
    "failed to update ref",
    "cannot lock ref",
    "incorrect old value",
)


class RebaseConflict(DraftingError):
    """A rebase stopped on a conflict (it has been aborted: nothing changed)."""

    def __init__(self, message: str, files: list[str], commit: str | None):
        super().__init__(message)
        self.files = files
        self.commit = commit


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: str  # the author date (as the author's git set it)
    subject: str
    parents: tuple[str, ...]
    #: the committer date: when the commit was made (or rebased) where it came from; what
    #: ``check`` judges deadlines by
    committed: str = ""

    def to_json(self) -> dict:
        return {
            "commit": self.sha,
            "author": self.author,
            "email": self.email,
            "date": self.date,
            "committed": self.committed,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class Change:
    """One path a commit changes: its new mode (``000000`` when deleted) and status letter."""

    path: str
    mode: str
    status: str

    @property
    def deleted(self) -> bool:
        return self.mode == "000000"


def _one_line(e: gitpython.GitCommandError) -> str:
    text = e.stderr if isinstance(e.stderr, str) and e.stderr.strip() else str(e)
    lines = [x.strip() for x in text.replace("stderr:", "").splitlines() if x.strip()]
    useful = [x for x in lines if not x.startswith(("hint:", "'", "cmdline:"))] or lines
    return " ".join(" ".join(useful).split())[:300]


class Remote:
    """One remote of a workspace's repository."""

    def __init__(self, store: GitStore, name: str = "origin"):
        self.store = store
        self.repo = store.repo
        if not isinstance(name, str) or not REMOTE_NAME.match(name) or ".." in name:
            raise DraftingError(f"{name!r} is not a valid remote name")
        names = self.repo.git.remote().split()
        if name not in names:
            known = ", ".join(names) if names else "none"
            raise DraftingError(
                f"no git remote named {name!r} (remotes: {known}); add one with 'git remote add {name} URL'"
            )
        self.name = name
        self.last_rejection = ""

    # ---------------------------------------------------------------- plumbing
    def _env(self) -> dict[str, str]:
        env: dict[str, str] = {}
        if not (sys.stdin and sys.stdin.isatty()):
            # no one to type a password (the app, a script, CI): fail instead of hanging
            env.update(GIT_TERMINAL_PROMPT="0")
            if not os.environ.get("GIT_SSH_COMMAND") and not self._configured("core.sshCommand"):
                env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        if not self._configured("user.name") or not self._configured("user.email"):
            env.update(GIT_COMMITTER_NAME="drafting sync", GIT_COMMITTER_EMAIL="sync@drafting.invalid")
        return env

    def _configured(self, key: str) -> bool:
        try:
            return bool(self.repo.git.config("--get", key).strip())
        except gitpython.GitCommandError:
            return False

    def _git(self, *args: str, network: bool = False, env: dict[str, str] | None = None, **kw) -> str:
        cmd = ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args]
        return self.repo.git.execute(
            cmd,
            env=clean_env({**self._env(), **(env or {})}),
            kill_after_timeout=NETWORK_TIMEOUT_S if network else None,
            **kw,
        )

    # ---------------------------------------------------------------- reading
    def branch(self) -> str:
        try:
            return self.repo.active_branch.name
        except TypeError:
            raise DraftingError(
                f"{self.store.root}: HEAD is detached (not on a branch); check out the "
                "branch to sync, e.g. 'git checkout main'"
            ) from None

    def tracking_ref(self, branch: str) -> str:
        return f"refs/remotes/{self.name}/{branch}"

    def rev(self, ref: str) -> str | None:
        try:
            return self.repo.git.rev_parse("--verify", "-q", f"{ref}^{{commit}}")
        except gitpython.GitCommandError:
            return None

    def commits(self, exclude: str | None, include: str) -> list[CommitInfo]:
        """Commits reachable from ``include`` but not ``exclude``, oldest first."""
        spec = [include] if exclude is None else [f"{exclude}..{include}"]
        return read_commits(self.store, spec)

    def changed_paths(self, a: str, b: str) -> set[str]:
        out = self.repo.git.diff("--name-only", "-z", "--no-renames", a, b)
        return {p for p in out.split("\0") if p}

    def merge_base(self, a: str, b: str) -> str | None:
        try:
            return self.repo.git.merge_base(a, b).strip() or None
        except gitpython.GitCommandError:
            return None

    def dirty(self) -> list[str]:
        out = self.repo.git.status("--porcelain", "-z", "--untracked-files=no")
        return [entry[3:] for entry in out.split("\0") if len(entry) > 3]

    def clear_stale_locks(self) -> None:
        """Locks a killed fetch or push left on this remote's tracking refs (call this
        holding the sync lock: then no other sync is fetching)."""
        g = self.store.git_dir
        stale = [*(g / "refs" / "remotes" / self.name).rglob("*.lock"), g / "packed-refs.lock", g / "shallow.lock"]
        for lock in stale:
            if lock.exists():
                GitStore._clear_stale(lock)

    # ---------------------------------------------------------------- network
    def fetch(self) -> None:
        try:
            self._git(
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-recurse-submodules",
                "--prune",
                self.name,
                f"+refs/heads/*:refs/remotes/{self.name}/*",
                network=True,
            )
        except gitpython.GitCommandError as e:
            raise DraftingError(f"could not fetch from {self.name}: {_one_line(e)}") from None

    def push(self, sha: str, branch: str) -> bool:
        """Push ``sha`` to the remote branch; False if the remote moved on (fetch and retry)."""
        try:
            self._git(
                "push",
                "--quiet",
                "--porcelain",
                "--no-recurse-submodules",
                self.name,
                f"{sha}:refs/heads/{branch}",
                network=True,
            )
        except gitpython.GitCommandError as e:
            text = f"{e.stdout or ''} {e.stderr or ''}"
            if any(k in text for k in REJECTED):
                self.last_rejection = _one_line(e)
                return False
            raise DraftingError(f"could not push to {self.name}: {_one_line(e)}") from None
        # our view of the remote branch is now the pushed commit
        self.repo.git.update_ref(self.tracking_ref(branch), sha)
        return True

    # ---------------------------------------------------------------- local history
    def fast_forward(self, sha: str) -> None:
        """Move the branch (and the work tree) forward to ``sha``; under the journal, so a
        sync killed half-way leaves no half-updated work tree behind."""
        try:
            with self.store.journaled(self.changed_paths("HEAD", sha)):
                self._git("merge", "--ff-only", "--quiet", sha)
        except gitpython.GitCommandError as e:
            raise DraftingError(f"could not bring in the commits from {self.name}: {_one_line(e)}") from None

    def rebase(self, onto: str, date: str | None = None) -> None:
        """Rebase the current branch onto ``onto`` (``date``: the rebased commits' committer
        date; their author dates stay); on any failure abort and raise."""
        marker = self.store.git_dir / SYNC_MARKER
        atomic_write(marker, json.dumps({"branch": self.branch(), "head": self.rev("HEAD")}).encode())
        try:
            try:
                self._git(
                    "rebase", "--quiet", "--no-autostash", onto, env={"GIT_COMMITTER_DATE": date} if date else None
                )
            except gitpython.GitCommandError as e:
                files = self._unmerged()
                stopped = self.rev("REBASE_HEAD")
                self.abort_rebase()
                if files:
                    raise RebaseConflict(_one_line(e), files, stopped) from None
                raise DraftingError(f"could not rebase onto {self.name}: {_one_line(e)}") from None
        finally:
            marker.unlink(missing_ok=True)

    def _unmerged(self) -> list[str]:
        try:
            out = self.repo.git.diff("--name-only", "-z", "--diff-filter=U")
        except gitpython.GitCommandError:
            return []
        return sorted({p for p in out.split("\0") if p})

    def rebase_in_progress(self) -> bool:
        g = self.store.git_dir
        return (g / "rebase-merge").exists() or (g / "rebase-apply").exists()

    def abort_rebase(self) -> None:
        if self.rebase_in_progress():
            try:
                self._git("rebase", "--abort")
            except gitpython.GitCommandError as e:
                raise DraftingError(
                    f"could not undo the interrupted rebase: {_one_line(e)}; run 'git rebase --abort' in the workspace"
                ) from None

    def reset_hard(self, sha: str) -> None:
        with self.store.journaled(self.changed_paths("HEAD", sha)):
            self._git("reset", "--hard", "--quiet", sha)


# ---------------------------------------------------------------------------- commits


def read_commits(store: GitStore, spec: list[str]) -> list[CommitInfo]:
    """``git rev-list`` for ``spec``, oldest first, with authors and subjects (one call)."""
    sep, end = "\x1f", "\x1e"
    try:
        out = store.repo.git.log(
            "--reverse", "--topo-order", f"--format={end}%H{sep}%an{sep}%ae{sep}%aI{sep}%P{sep}%cI{sep}%s", *spec, "--"
        )
    except gitpython.GitCommandError as e:
        raise DraftingError(f"cannot read the commits {' '.join(spec)}: {_one_line(e)}") from None
    commits = []
    for chunk in out.split(end):
        if not chunk.strip():
            continue
        sha, name, email, date, parents, committed, subject = (chunk.rstrip("\n").split(sep, 6) + [""] * 7)[:7]
        commits.append(CommitInfo(sha.strip(), name, email, date, subject, tuple(parents.split()), committed))
    return commits
