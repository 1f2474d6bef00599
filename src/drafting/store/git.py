"""Git at the edge: one commit per submission, decision and version, safe under load.

Many delegations submit in the same minute, from separate processes. GitPython alone
loses commits under concurrency (see NOTES.md), and plain git fails with ``index.lock``.
So every write goes through :meth:`GitStore.transaction`: a process-wide lock file in
``.git/`` (``filelock``: an ``flock``, which the kernel releases when its holder dies, so a
killed process never leaves a lock that blocks the next command), and inside it the
files are written atomically, added and committed with only their own paths.

A journal (``.git/drafting-journal.json``) names the paths a transaction is about to
write; if the process dies between writing and committing, the next transaction finds the
journal and restores those paths to HEAD, so no half-done write lingers in the work tree.
A stale ``index.lock`` left by a killed git is cleared once its holder is gone.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import git as gitpython
from filelock import FileLock, Timeout

from ..model.errors import DraftingError
from .yamlio import atomic_write

LOCK_NAME = "drafting.lock"
JOURNAL_NAME = "drafting-journal.json"
LOCK_TIMEOUT_S = 120
TRAILER_PREFIX = "Drafting-"


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    email: str
    date: str
    subject: str
    action: str | None
    trailers: dict[str, str]
    files: tuple[str, ...] = ()


class GitStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        try:
            self.repo = gitpython.Repo(self.root)
        except (gitpython.InvalidGitRepositoryError, gitpython.NoSuchPathError):
            raise DraftingError(
                f"{self.root}: not a drafting workspace (no git repository); create one with "
                "'drafting init DIR' or point --workspace at one"
            ) from None
        self.git_dir = Path(self.repo.git_dir)
        self._held = False

    # ------------------------------------------------------------------ init
    @staticmethod
    def init(root: Path) -> "GitStore":
        root.mkdir(parents=True, exist_ok=True)
        gitpython.Repo.init(root, initial_branch="main")
        return GitStore(root)

    # ------------------------------------------------------------------ reading
    def head(self) -> str | None:
        try:
            return self.repo.git.rev_parse("--verify", "-q", "HEAD")
        except gitpython.GitCommandError:
            return None

    def log(self, paths: list[str] | None = None, max_count: int | None = None) -> list[LogEntry]:
        """The history, newest first, in one git call."""
        if self.head() is None:
            return []
        sep, end = "\x1f", "\x1e"
        args = [f"--format={end}%H{sep}%an{sep}%ae{sep}%aI{sep}%B{sep}", "--name-only"]
        if max_count:
            args.append(f"--max-count={max_count}")
        if paths:
            args += ["--", *paths]
        out = self.repo.git.log(*args)
        entries = []
        for chunk in out.split(end):
            if not chunk.strip():
                continue
            parts = chunk.split(sep)
            if len(parts) < 6:
                continue
            sha, name, email, date, body, files = parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
            lines = body.strip().splitlines()
            trailers = {}
            for line in lines:
                if line.startswith(TRAILER_PREFIX) and ":" in line:
                    k, v = line[len(TRAILER_PREFIX):].split(":", 1)
                    trailers[k.strip().lower()] = v.strip()
            entries.append(LogEntry(sha, name, email, date, lines[0] if lines else "",
                                    trailers.get("action"), trailers,
                                    tuple(f for f in files.strip().splitlines() if f)))
        return entries

    def last_commits(self, prefix: str) -> dict[str, str]:
        """For each file under ``prefix``, the last commit that touched it (one git call)."""
        if self.head() is None:
            return {}
        out = self.repo.git.log("--format=\x1e%H", "--name-only", "--", prefix)
        result: dict[str, str] = {}
        for chunk in out.split("\x1e"):
            lines = [x for x in chunk.strip().splitlines() if x]
            if not lines:
                continue
            sha, files = lines[0], lines[1:]
            for f in files:
                result.setdefault(f, sha)
        return result

    def show(self, rev: str, path: str) -> bytes | None:
        try:
            return self.repo.git.show(f"{rev}:{path}", stdout_as_string=False)
        except gitpython.GitCommandError:
            return None

    # ------------------------------------------------------------------ writing
    @contextmanager
    def transaction(self) -> Iterator["GitStore"]:
        """Hold the workspace's write lock; recover from a writer that died."""
        if self._held:
            yield self
            return
        lock = FileLock(str(self.git_dir / LOCK_NAME), timeout=LOCK_TIMEOUT_S)
        try:
            lock.acquire()
        except Timeout:
            raise DraftingError(
                f"{self.root}: the workspace stayed busy for {LOCK_TIMEOUT_S} s (another drafting "
                "command is writing); try again"
            ) from None
        self._held = True
        try:
            self._recover()
            yield self
        finally:
            self._held = False
            lock.release()

    def _recover(self) -> None:
        for name in ("index.lock", "HEAD.lock", f"refs/heads/{self._branch()}.lock"):
            self._clear_stale(self.git_dir / name)
        journal = self.git_dir / JOURNAL_NAME
        if journal.exists():
            try:
                paths = json.loads(journal.read_text("utf-8")).get("paths", [])
            except (ValueError, OSError):
                paths = []
            self._restore(paths)
            journal.unlink(missing_ok=True)

    def _branch(self) -> str:
        try:
            return self.repo.active_branch.name
        except TypeError:
            return "main"

    @staticmethod
    def _clear_stale(lock: Path, wait_s: float = 2.0) -> None:
        """We hold drafting's lock, so no drafting process is in git; a git lock that
        stays is left by a process that died (or a stuck manual git): clear it."""
        deadline = time.monotonic() + wait_s
        while lock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        lock.unlink(missing_ok=True)

    def _restore(self, paths: list[str]) -> None:
        head = self.head()
        for rel in paths:
            blob = self.show("HEAD", rel) if head else None
            target = self.root / rel
            if blob is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, blob)
        if head and paths:
            try:
                self.repo.git.reset("-q", "HEAD", "--", *paths)
            except gitpython.GitCommandError:
                pass

    def commit(self, changes: Mapping[str, bytes | None], message: str, author: Identity,
               date: str | None = None, trailers: Mapping[str, str] | None = None) -> str:
        """Write ``changes`` (path -> bytes, or None to delete) and commit only them.

        Must run inside :meth:`transaction`. Returns the new commit's sha.
        """
        assert self._held, "commit() outside transaction()"
        paths = sorted(changes)
        for rel in paths:
            if Path(rel).is_absolute() or ".." in Path(rel).parts:
                raise DraftingError(f"{rel}: refusing to write outside the workspace")
        journal = self.git_dir / JOURNAL_NAME
        atomic_write(journal, json.dumps({"paths": paths}).encode())
        try:
            for rel in paths:
                data = changes[rel]
                if data is None:
                    (self.root / rel).unlink(missing_ok=True)
                else:
                    atomic_write(self.root / rel, data)
            full = message.rstrip() + "\n"
            if trailers:
                full += "\n" + "".join(f"{TRAILER_PREFIX}{k}: {v}\n" for k, v in trailers.items())
            env = {
                "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
                "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email,
            }
            if date:
                env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
            g = self.repo.git
            g.add("-A", "--", *paths)
            msg = self.git_dir / f"drafting-msg-{os.getpid()}.txt"
            msg.write_text(full, "utf-8")
            try:
                g.execute(["git", "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify",
                           "--allow-empty", "-F", str(msg), "--", *paths],
                          env={**os.environ, **env})
            finally:
                msg.unlink(missing_ok=True)
            sha = g.rev_parse("HEAD")
        except gitpython.GitCommandError as e:
            self._restore(paths)
            journal.unlink(missing_ok=True)
            raise DraftingError(f"git could not commit: {' '.join(str(e.stderr or e).split())[:300]}") from None
        except BaseException:
            self._restore(paths)
            journal.unlink(missing_ok=True)
            raise
        journal.unlink(missing_ok=True)
        return sha
