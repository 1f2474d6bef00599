"""``drafting sync``: exchange a workspace's commits with a git remote.

Several offices (the Presidency's capital, its mission, the secretariat) work from their
own clones of one repository. ``sync`` fetches the remote branch, puts the local commits
on top of it (a rebase, so the shared history stays a line of whole submissions,
decisions and versions) and pushes; if someone else pushed in between, it starts again,
a bounded number of times.

What counts as a *true conflict*: a file changed both here and on the remote, to
different contents. A contribution or a version changed in two places cannot be merged
line by line (the result would be a text nobody submitted), so ``sync`` stops before
rebasing, with one line naming the file, and nothing changes: the local commits stay,
unpushed, and the work tree stays clean. A decisions file is the exception: decisions
on different proposals are independent entries, so git's own merge is accepted when it
merges cleanly *and* the result is a valid decisions file; otherwise the same stop.

The rebase runs under the workspace's write lock (:meth:`GitStore.transaction`), so no
local ``submit`` or ``decide`` interleaves with it; the network (fetch, push) does not
hold the lock. A sync killed in the middle of its rebase is undone by the next command
that takes the lock (see ``GitStore._recover``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..model.errors import Conflict, DraftingError
from ..model.validate import parse_decisions
from ..store import yamlio
from ..store.git import GitStore
from ..store.remote import CommitInfo, RebaseConflict, Remote
from . import clock

MAX_ATTEMPTS = 6
SYNC_LOCK = "drafting-sync.lock"
SYNC_LOCK_TIMEOUT_S = 600


@dataclass
class SyncResult:
    remote: str
    branch: str
    fetched: list[CommitInfo] = field(default_factory=list)
    pushed: list[CommitInfo] = field(default_factory=list)
    attempts: int = 0
    head: str | None = None
    merged: list[str] = field(default_factory=list)  # decisions files merged from both sides

    @property
    def up_to_date(self) -> bool:
        return not self.fetched and not self.pushed

    def to_json(self) -> dict:
        return {
            "remote": self.remote,
            "branch": self.branch,
            "up_to_date": self.up_to_date,
            "fetched": [c.to_json() for c in self.fetched],
            "pushed": [c.to_json() for c in self.pushed],
            "merged": self.merged,
            "attempts": self.attempts,
            "head": self.head,
        }


def sync(root: Path, remote: str = "origin", *, attempts: int = MAX_ATTEMPTS) -> SyncResult:
    store = GitStore(Path(root))
    r = Remote(store, remote)
    branch = r.branch()
    # one sync at a time per workspace (fetch and push run outside the write lock, so local
    # submissions go on meanwhile); holding it, locks a killed sync left are known stale
    lock = FileLock(str(store.git_dir / SYNC_LOCK), timeout=SYNC_LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise DraftingError(
            f"{store.root}: another 'drafting sync' has been running for "
            f"{SYNC_LOCK_TIMEOUT_S} s; try again when it is done"
        ) from None
    try:
        r.clear_stale_locks()
        return _sync(store, r, branch, attempts)
    finally:
        lock.release()


def _sync(store: GitStore, r: Remote, branch: str, attempts: int) -> SyncResult:
    remote = r.name
    result = SyncResult(remote, branch)
    fetched: dict[str, CommitInfo] = {}
    for attempt in range(1, attempts + 1):
        result.attempts = attempt
        r.fetch()
        upstream = r.rev(r.tracking_ref(branch))
        with store.transaction():
            if r.rebase_in_progress():
                raise DraftingError(
                    f"{store.root}: a rebase is in progress (started outside drafting); "
                    "finish it or run 'git rebase --abort', then sync again"
                )
            dirty = r.dirty()
            if dirty:
                more = f" (and {len(dirty) - 1} more)" if len(dirty) > 1 else ""
                raise DraftingError(
                    f"{dirty[0]}{more} has changes that are not committed; commit or discard them, then sync again"
                )
            head = r.rev("HEAD")
            rebased = False
            if head is None:
                raise DraftingError(f"{store.root}: the workspace has no commits yet; clone the remote instead")
            if upstream is not None and upstream != head:
                incoming = r.commits(head, upstream)
                outgoing = r.commits(upstream, head)
                for c in incoming:
                    fetched.setdefault(c.sha, c)
                if incoming and not outgoing:
                    r.fast_forward(upstream)
                elif incoming and outgoing:
                    result.merged = _rebase(r, head, upstream, outgoing)
                    rebased = True
            new_head = r.rev("HEAD")
            assert new_head is not None  # the workspace had commits and still has
            ours = r.commits(upstream, new_head) if new_head and new_head != upstream else []
            if ours:  # what is about to be pushed must leave the shared workspace valid
                _validate(r, head, upstream, ours, rebased=rebased)
        result.fetched = list(fetched.values())
        result.head = new_head
        to_push = r.commits(upstream, new_head) if upstream else r.commits(None, new_head)
        if not to_push:
            return result
        if r.push(new_head, branch):
            result.pushed = to_push
            return result
        time.sleep(random.uniform(0.05, 0.25) * attempt)  # someone pushed in between: again
    raise DraftingError(
        f"{remote}/{branch} kept refusing the push ({attempts} attempts; git's last answer: "
        f"{r.last_rejection or 'rejected'}); nothing was lost: run 'drafting sync' again"
    )


def _rebase(r: Remote, head: str, upstream: str, outgoing: list[CommitInfo]) -> list[str]:
    """Put the local commits on top of ``upstream``; stop, changing nothing, on a true conflict."""
    base = r.merge_base(head, upstream)
    where = f"{r.name}/{r.branch()}"
    n = len(outgoing)
    kept = f"{n} local commit{'s' if n != 1 else ''} kept here, not pushed"
    if base is None:
        raise Conflict(
            f"this workspace and {where} share no history (was it cloned from {r.name}?); nothing was changed: {kept}"
        )
    ours = r.changed_paths(base, head)
    theirs = r.changed_paths(base, upstream)
    differ = r.changed_paths(head, upstream)
    both = sorted(ours & theirs & differ)
    hard = [p for p in both if not p.startswith("decisions/")]
    if hard:
        raise Conflict(_conflict_message(r, hard, head, upstream, base, where, kept))
    try:
        r.rebase(upstream, date=clock.stamp())
    except RebaseConflict as e:
        raise Conflict(_conflict_message(r, e.files or both, head, upstream, base, where, kept)) from None
    merged = [p for p in both if p.startswith("decisions/")]
    for p in merged:
        problem = _invalid_decisions(r.store, p)
        if problem:
            r.reset_hard(head)
            raise Conflict(
                f"sync stopped: {p} was changed both here and on {where}, and git's merge of the "
                f"two gives an invalid file ({problem}); nothing was changed or lost: {kept}. "
                f"Record the decisions again after 'git reset --hard {where}', or resolve by hand"
            )
    return merged


def _validate(r: Remote, head: str, upstream: str | None, ours: list[CommitInfo], *, rebased: bool) -> None:
    """What sync is about to push must be as valid as what the remote has: no new problem
    in the workspace's files (``check``'s validation of the whole tree, against the
    remote's own tree), and no commit that ``check`` would flag (who may write what, a
    version or a decided proposal changed, proposals outside their round by the commit's
    date, now that a rebase dated it). Otherwise stop, and (after a rebase) put the local
    commits back as they were: nothing is pushed, nothing is lost."""
    from .check import validate_tree

    store = r.store
    new_head = r.rev("HEAD")
    if new_head is None:
        return
    problems = [p.line for p in validate_tree(store, new_head).problems]
    if problems and upstream is not None:
        known = {p.line for p in validate_tree(store, upstream).problems}
        problems = [p for p in problems if p not in known]
    if not problems:
        from ..model.records import Config
        from .check import _config_at, commit_problems, history_problems

        config: Config | None = _config_at(store, upstream or new_head)
        if config is not None:
            for c in ours:
                if upstream is None:  # the first push creates the shared workspace: its record
                    problems += [f"{file}: {msg}" for file, msg in history_problems(store, config, c)]
                    continue
                # onto the shared history: as 'drafting check BASE..HEAD' will judge them there
                found = commit_problems(store, config, c)
                problems += [f"{f.file}: {f.message}" if f.file else f.message for f in found]
    if not problems:
        return
    n = len(ours)
    where = f"{r.name}/{r.branch()}"
    kept = f"{n} local commit{'s' if n != 1 else ''} kept here, not pushed"
    if rebased:
        r.reset_hard(head)
        raise Conflict(
            f"sync stopped: with the commits from {where}, the workspace would not be valid "
            f"({problems[0]}{f'; and {len(problems) - 1} more' if len(problems) > 1 else ''}); nothing was "
            f"changed or lost: {kept}. Record it again after 'git reset --hard {where}' "
            "(drafting then refuses what is no longer possible), or resolve by hand"
        )
    raise Conflict(
        f"sync stopped: the local commits would make the shared workspace invalid ({problems[0]}"
        f"{f'; and {len(problems) - 1} more' if len(problems) > 1 else ''}); nothing was pushed: {kept}. "
        "Correct it (see 'drafting check'), then sync again"
    )


def _invalid_decisions(store: GitStore, path: str) -> str | None:
    raw = store.show("HEAD", path)
    if raw is None:
        return None
    try:
        parse_decisions(yamlio.loads(raw, path), path)
    except DraftingError as e:
        return e.line
    return None


def _last_subject(r: Remote, a: str, b: str, path: str) -> str:
    try:
        out = r.repo.git.log("-1", "--format=%s (%an)", f"{a}..{b}", "--", path)
    except Exception:  # noqa: BLE001 - a detail of the conflict message must never hide the conflict
        return "?"
    return out.strip() or "?"


def _conflict_message(r: Remote, files: list[str], head: str, upstream: str, base: str, where: str, kept: str) -> str:
    f = files[0]
    more = f" (and {len(files) - 1} more file{'s' if len(files) > 2 else ''})" if len(files) > 1 else ""
    here = _last_subject(r, base, head, f)
    there = _last_subject(r, base, upstream, f)
    return (
        f"sync stopped: {f}{more} was changed both here ({here}) and on {where} ({there}); nothing "
        f"was changed or lost: {kept}. Decide which version stands, then resolve with git "
        f"(e.g. 'git rebase {where}') and sync again"
    )
