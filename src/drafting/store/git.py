"""Git at the edge: one commit per submission, decision and version, safe under load.

Many delegations submit in the same minute, from separate processes. GitPython alone
loses commits under concurrency (two processes write the index at once), and plain git fails with ``index.lock``.
So every write goes through :meth:`GitStore.transaction`: a process-wide lock file in
``.git/`` (an ``flock``, which the kernel releases when its holder dies, so a killed
process never leaves a lock that blocks the next command; see ``lock.py``), and inside it the
files are written atomically, added and committed with only their own paths.

A journal (``.git/drafting-journal.json``) names the paths a transaction is about to
write; if the process dies between writing and committing, the next transaction finds the
journal and restores those paths to HEAD, so no half-done write lingers in the work tree.
A stale ``index.lock`` left by a killed git is cleared once its holder is gone, and a
``drafting sync`` killed in the middle of its rebase is undone (``_undo_sync_rebase``).
Nothing is ever written through a symbolic link (a clone can bring links along).

The hot paths (reading HEAD, the log, a blob; committing) run the ``git`` command
directly: a submission is a short process, and importing GitPython costs it more than
its three git calls (see ``docs/bench/README.md``). GitPython (:attr:`GitStore.repo`) is
imported when something needs it: sync, check, recovering from a killed sync.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, overload

from ..model.errors import DraftingError
from .lock import LockTimeout, exclusive
from .yamlio import atomic_write

LOCK_NAME = "drafting.lock"
JOURNAL_NAME = "drafting-journal.json"
SYNC_MARKER = "drafting-sync"  # written by store/remote.py while `sync` rebases
LOCK_TIMEOUT_S = 120
TRAILER_PREFIX = "Drafting-"


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass(frozen=True)
class TreeEntry:
    """One file of a git tree: its mode (``100644``, ``120000`` for a link...), kind
    (``blob``, ``commit`` for a submodule), object id and size in bytes."""

    path: str
    mode: str
    kind: str
    obj: str
    size: int


class BlobTooLarge(DraftingError):
    def __init__(self, path: str, size: int, limit: int):
        super().__init__(f"{path}: file is {size:,} bytes, over the limit of {limit:,}")
        self.size = size


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


class GitError(Exception):
    """A git command failed; ``stderr`` is what it said."""

    def __init__(self, args: list[str], status: int, stderr: str):
        super().__init__(f"git {' '.join(args[:3])}: exit {status}: {stderr.strip()}")
        self.status = status
        self.stderr = stderr


# English messages (we read a few of them) and no pager, whatever the user's settings
_GIT_ENV = {"LC_ALL": "C", "LANGUAGE": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
#: git settings in the environment that drafting never takes from it: the dates of a
#: commit are the server's clock (service/clock.py), and git works on the workspace's own
#: repository, index and objects, whatever the caller's shell says
IGNORED_ENV = (
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_DATE",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a git process: the caller's, without :data:`IGNORED_ENV`, with
    drafting's settings and ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if k not in IGNORED_ENV}
    env.update(_GIT_ENV)
    env.update(extra or {})
    return env


def write_problem(path: object, e: OSError) -> DraftingError:
    """A write the file system refused (disk full, read-only, no permission): one line."""
    reason = e.strerror or type(e).__name__
    hint = {28: "free some disk space", 30: "the file system is read-only", 13: "check the folder's permissions"}
    extra = f" ({hint[e.errno]})" if e.errno in hint and hint[e.errno] not in reason.lower() else ""
    return DraftingError(f"{path}: cannot write: {reason}{extra}; nothing was changed")


class GitStore:
    def __init__(self, root: Path):
        self.root = Path(root).absolute()  # git runs inside it: paths must not depend on the caller's folder
        git_dir = _git_dir(self.root)
        if git_dir is None:
            raise DraftingError(
                f"{root}: not a drafting workspace (no git repository); create one with "
                "'drafting init DIR' or point --workspace at one"
            )
        self.git_dir: Path = git_dir
        self._held = False

    @cached_property
    def repo(self):
        """The GitPython ``Repo`` (imported on first use)."""
        import git as gitpython

        return gitpython.Repo(self.root)

    @overload
    def run(self, *args: str, env: Mapping[str, str] | None = None, binary: Literal[False] = False) -> str: ...
    @overload
    def run(self, *args: str, env: Mapping[str, str] | None = None, binary: Literal[True]) -> bytes: ...
    def run(self, *args: str, env: Mapping[str, str] | None = None, binary: bool = False) -> str | bytes:
        """``git ARGS`` in the work tree; its output (text without the final newline, or
        the exact bytes). Raises :class:`GitError`."""
        proc = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            env=clean_env(env),
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if proc.returncode != 0:
            raise GitError(list(args), proc.returncode, proc.stderr.decode("utf-8", "replace"))
        if binary:
            return proc.stdout
        out = proc.stdout.decode("utf-8", "replace")
        return out[:-1] if out.endswith("\n") else out

    # ------------------------------------------------------------------ init
    @staticmethod
    def init(root: Path) -> GitStore:
        root.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["git", "init", "-q", "--initial-branch=main", str(root)],
                check=True,
                capture_output=True,
                env=clean_env(),
            )
        except subprocess.CalledProcessError as e:
            msg = " ".join(e.stderr.decode("utf-8", "replace").split())[:200]
            raise DraftingError(f"{root}: git could not create the repository: {msg}") from None
        return GitStore(root)

    # ------------------------------------------------------------------ reading
    def head(self) -> str | None:
        try:
            return str(self.run("rev-parse", "--verify", "-q", "HEAD"))
        except GitError:
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
        out = str(self.run("log", *args))
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
                    k, v = line[len(TRAILER_PREFIX) :].split(":", 1)
                    trailers[k.strip().lower()] = v.strip()
            entries.append(
                LogEntry(
                    sha,
                    name,
                    email,
                    date,
                    lines[0] if lines else "",
                    trailers.get("action"),
                    trailers,
                    tuple(f for f in files.strip().splitlines() if f),
                )
            )
        return entries

    def last_commits(self, prefix: str) -> dict[str, str]:
        """For each file under ``prefix``, the last commit that touched it (one git call)."""
        if self.head() is None:
            return {}
        out = str(self.run("log", "--format=\x1e%H", "--name-only", "--", prefix))
        result: dict[str, str] = {}
        for chunk in out.split("\x1e"):
            lines = [x for x in chunk.strip().splitlines() if x]
            if not lines:
                continue
            sha, files = lines[0], lines[1:]
            for f in files:
                result.setdefault(f, sha)
        return result

    def show(self, rev: str, path: str, max_bytes: int | None = None) -> bytes | None:
        """The bytes of ``path`` at ``rev`` (None if there is no such file). With
        ``max_bytes``, the size is asked first and a larger blob raises
        :class:`BlobTooLarge` without being read."""
        if max_bytes is not None:
            try:
                size = int(str(self.run("cat-file", "-s", f"{rev}:{path}")))
            except (GitError, ValueError):
                return None
            if size > max_bytes:
                raise BlobTooLarge(path, size, max_bytes)
        try:
            return self.run("cat-file", "blob", f"{rev}:{path}", binary=True)
        except GitError:
            return None

    def tree(self, rev: str, paths: list[str] | None = None) -> dict[str, TreeEntry]:
        """Every file of ``rev``'s tree (or those under ``paths``): path -> mode, object
        and size, in one git call and without reading any content."""
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", rev]
        if paths:
            args += ["--", *paths]
        try:
            out = self.run(*args, binary=True)
        except GitError:
            return {}
        assert isinstance(out, bytes)
        entries: dict[str, TreeEntry] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            parts = meta.split()
            if len(parts) < 4:
                continue
            mode, kind, obj, size = (p.decode() for p in parts[:4])
            path = name.decode("utf-8", "surrogateescape")
            entries[path] = TreeEntry(path, mode, kind, obj, int(size) if size.isdigit() else -1)
        return entries

    def blobs(self, objects: list[str]) -> dict[str, bytes]:
        """The content of these blob objects (ids from :meth:`tree`, whose sizes the
        caller checked), in one git call."""
        if not objects:
            return {}
        proc = subprocess.run(
            ["git", "cat-file", "--batch"],
            check=False,
            cwd=self.root,
            input=("\n".join(objects) + "\n").encode(),
            capture_output=True,
            env=clean_env(),
        )
        out, i, found = proc.stdout, 0, {}
        for obj in objects:
            end = out.find(b"\n", i)
            if end < 0:
                break
            header = out[i:end].split()
            i = end + 1
            if len(header) != 3:  # "<obj> missing"
                continue
            size = int(header[2])
            found[obj] = out[i : i + size]
            i += size + 1
        return found

    # ------------------------------------------------------------------ writing
    @contextmanager
    def transaction(self) -> Iterator[GitStore]:
        """Hold the workspace's write lock; recover from a writer that died."""
        if self._held:
            yield self
            return
        with ExitStack() as stack:
            try:
                stack.enter_context(exclusive(self.git_dir / LOCK_NAME, LOCK_TIMEOUT_S))
            except LockTimeout:
                raise DraftingError(
                    f"{self.root}: the workspace stayed busy for {LOCK_TIMEOUT_S} s (another drafting "
                    "command is writing); try again"
                ) from None
            except OSError as e:  # a read-only workspace cannot even hold the lock
                raise write_problem(self.root, e) from None
            self._held = True
            try:
                self._recover()
                yield self
            finally:
                self._held = False

    def _recover(self) -> None:
        for name in ("index.lock", "HEAD.lock", f"refs/heads/{self._branch()}.lock"):
            self._clear_stale(self.git_dir / name)
        marker = self.git_dir / SYNC_MARKER
        if marker.exists():
            self._undo_sync_rebase(marker)
        # we hold the lock: no other drafting process is writing, so these are leftovers
        for leftover in (*self.git_dir.glob("drafting-msg-*.txt"), *self.git_dir.glob(f".{JOURNAL_NAME}.*.tmp")):
            leftover.unlink(missing_ok=True)
        journal = self.git_dir / JOURNAL_NAME
        if journal.exists():
            try:
                paths = json.loads(journal.read_text("utf-8")).get("paths", [])
            except (ValueError, OSError, AttributeError):
                paths = []
            self._restore([p for p in paths if isinstance(p, str) and self._inside(p)])
            journal.unlink(missing_ok=True)

    def _undo_sync_rebase(self, marker: Path) -> None:
        """A `drafting sync` died in its rebase: put the branch back as a whole.

        ``git rebase --abort`` first; if the rebase died too early (or too late) for git to
        abort it, re-attach HEAD to the branch and reset the work tree to the branch's tip,
        which is the local commits either as they were or as fully rebased: nothing lost.
        (sync starts only from a clean work tree, so the reset discards nothing of a user's.)
        """
        try:
            info = json.loads(marker.read_text("utf-8"))
            branch = info.get("branch") if isinstance(info, dict) else None
        except (ValueError, OSError):
            branch = None
        rebasing = lambda: any((self.git_dir / d).exists() for d in ("rebase-merge", "rebase-apply"))  # noqa: E731
        if rebasing():
            with suppress(GitError):
                self.run("rebase", "--abort")
        detached = self._branch_or_none() is None
        if (rebasing() or detached) and isinstance(branch, str) and branch:
            import shutil

            for d in ("rebase-merge", "rebase-apply"):
                shutil.rmtree(self.git_dir / d, ignore_errors=True)
            try:
                self.run("check-ref-format", f"refs/heads/{branch}")
                self.run("symbolic-ref", "HEAD", f"refs/heads/{branch}")
                self.run("reset", "-q", "--hard")
            except GitError:
                pass
        marker.unlink(missing_ok=True)

    @contextmanager
    def journaled(self, paths: list[str] | set[str]) -> Iterator[None]:
        """Inside :meth:`transaction`: a git operation that rewrites ``paths`` in the work
        tree (``sync``'s fast-forward). If the process dies in it, or it fails, those
        paths are put back as HEAD has them, as for an interrupted :meth:`commit`."""
        assert self._held, "journaled() outside transaction()"
        paths = sorted(paths)
        journal = self.git_dir / JOURNAL_NAME
        atomic_write(journal, json.dumps({"paths": paths}).encode())
        try:
            yield
        except BaseException:
            self._restore([p for p in paths if self._inside(p)])
            raise
        finally:
            journal.unlink(missing_ok=True)

    def _inside(self, rel: str) -> bool:
        """``rel`` names a place inside the work tree, reached without following a link."""
        parts = Path(rel).parts
        if not parts or Path(rel).is_absolute() or ".." in parts or parts[0] == ".git":
            return False
        here = self.root
        for part in parts:
            here = here / part
            if here.is_symlink():
                return False
        return True

    def _branch(self) -> str:
        return self._branch_or_none() or "main"

    def _branch_or_none(self) -> str | None:
        """The branch HEAD is on (None when detached), read from ``.git/HEAD``."""
        try:
            head = (self.git_dir / "HEAD").read_text("utf-8").strip()
        except OSError:
            return None
        return head[len("ref: refs/heads/") :] if head.startswith("ref: refs/heads/") else None

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
            # temporary files of an atomic write that was killed half-way
            if target.parent.is_dir():
                for tmp in target.parent.glob(f".{target.name}.*.tmp"):
                    tmp.unlink(missing_ok=True)
        if head and paths:
            with suppress(GitError):
                self.run("reset", "-q", "HEAD", "--", *paths)

    def commit(
        self,
        changes: Mapping[str, bytes | None],
        message: str,
        author: Identity,
        date: str | None = None,
        trailers: Mapping[str, str] | None = None,
    ) -> str:
        """Write ``changes`` (path -> bytes, or None to delete) and commit only them.

        Must run inside :meth:`transaction`. Returns the new commit's sha.
        """
        assert self._held, "commit() outside transaction()"
        paths = sorted(changes)
        for rel in paths:
            if not self._inside(rel):
                raise DraftingError(f"{rel}: refusing to write outside the workspace (or through a symbolic link)")
        journal = self.git_dir / JOURNAL_NAME
        try:
            atomic_write(journal, json.dumps({"paths": paths}).encode())
        except OSError as e:
            journal.unlink(missing_ok=True)
            raise write_problem(self.root, e) from None
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
                "GIT_AUTHOR_NAME": author.name,
                "GIT_AUTHOR_EMAIL": author.email,
                "GIT_COMMITTER_NAME": author.name,
                "GIT_COMMITTER_EMAIL": author.email,
            }
            if date:
                env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
            _patiently(lambda: self.run("add", "-A", "--", *paths))
            msg = self.git_dir / f"drafting-msg-{os.getpid()}.txt"
            msg.write_text(full, "utf-8")
            try:
                _patiently(
                    lambda: self.run(
                        "-c",
                        "commit.gpgsign=false",
                        "-c",
                        "core.hooksPath=/dev/null",
                        "commit",
                        "-q",
                        "--no-verify",
                        "--allow-empty",
                        "-F",
                        str(msg),
                        "--",
                        *paths,
                        env=env,
                    )
                )
            finally:
                msg.unlink(missing_ok=True)
            sha = str(self.run("rev-parse", "HEAD"))
        except GitError as e:
            self._restore_quietly(paths)
            raise DraftingError(f"git could not commit: {' '.join(str(e.stderr or e).split())[:300]}") from None
        except OSError as e:  # disk full, read-only: one line, the work tree as it was
            self._restore_quietly(paths)
            raise write_problem(paths[0] if len(paths) == 1 else self.root, e) from None
        except BaseException:
            self._restore(paths)
            journal.unlink(missing_ok=True)
            raise
        journal.unlink(missing_ok=True)
        return sha

    def _restore_quietly(self, paths: list[str]) -> None:
        """Put ``paths`` back as HEAD has them; if even that fails (a full disk), leave the
        journal: the next command that takes the lock finishes the job."""
        try:
            self._restore(paths)
        except OSError:
            return
        (self.git_dir / JOURNAL_NAME).unlink(missing_ok=True)


def _git_dir(root: Path) -> Path | None:
    """The repository folder of the work tree ``root`` (``.git``, or where a ``.git``
    file points, as in a linked work tree), or None when ``root`` is not one."""
    dot = root / ".git"
    if dot.is_dir():
        return dot if (dot / "HEAD").is_file() else None
    if dot.is_file():
        try:
            text = dot.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            target = target if target.is_absolute() else (root / target)
            return target.resolve() if (target / "HEAD").is_file() else None
    return None


def _patiently(run, wait_s: float = 5.0):
    """Run a git command; if another git holds the index (a killed drafting process's git
    child that lives on for a moment), wait for it and try again. A git that failed to
    take the lock has changed nothing, so trying again is safe."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return run()
        except GitError as e:
            if ".lock': File exists" not in str(e.stderr or "") or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
