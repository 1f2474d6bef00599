"""The store's fast paths keep their promises: the write lock (a blocking flock with a
time-out), the index of proposal ids (kept by the files' state, never stale), and git
without GitPython on the hot path (also in a linked work tree)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import write
from drafting.store.lock import LockTimeout, exclusive

HOLD = (
    "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
    "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"
)


def _holder(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_the_lock_times_out_while_held_and_is_free_once_the_holder_dies(tmp_path):
    lock = tmp_path / "drafting.lock"
    proc = _holder(lock)
    try:
        t = time.monotonic()
        with pytest.raises(LockTimeout), exclusive(lock, 0.4):
            pass
        assert time.monotonic() - t >= 0.35
        # the same from a thread other than the main one (the app's case): polled
        errors = []

        def other():
            try:
                with exclusive(lock, 0.3):
                    pass
            except LockTimeout as e:
                errors.append(e)

        th = threading.Thread(target=other)
        th.start()
        th.join(10)
        assert len(errors) == 1
    finally:
        proc.kill()
        proc.wait()
    # the kernel released the dead holder's lock, and we hold it now: another open file cannot take it
    with exclusive(lock, 2), pytest.raises(LockTimeout), exclusive(lock, 0.1):
        pass


def test_a_waiting_writer_gets_the_lock_when_it_is_released(tmp_path):
    lock = tmp_path / "drafting.lock"
    proc = _holder(lock)
    threading.Timer(0.5, proc.kill).start()
    t = time.monotonic()
    with exclusive(lock, 20):
        waited = time.monotonic() - t
    proc.wait()
    assert waited >= 0.3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left behind


def test_a_busy_workspace_says_so_in_one_line(tiny, monkeypatch):
    from drafting.model.errors import DraftingError
    from drafting.store import git as gitstore
    from drafting.store.workspace import Workspace

    monkeypatch.setattr(gitstore, "LOCK_TIMEOUT_S", 0.3)
    ws = Workspace(tiny)
    proc = _holder(ws.git.git_dir / gitstore.LOCK_NAME)
    try:
        with pytest.raises(DraftingError, match="stayed busy"), ws.git.transaction():
            pass
    finally:
        proc.kill()
        proc.wait()


CONTRIB = (
    "delegation: {code}\ndocument: action-plan\nround: r1\nbase: zero-draft\nproposals:\n"
    "  - {{id: {code}-{n}, op: comment, paragraph: va-1, text: Noted.}}\n"
)


def test_the_id_index_follows_the_files(tiny):
    from drafting.store.workspace import Workspace

    d = tiny / "contributions" / "action-plan" / "r1"
    write(d / "MEX.yaml", CONTRIB.format(code="MEX", n=1))
    write(d / "FRA.yaml", CONTRIB.format(code="FRA", n=1))
    ws = Workspace(tiny)
    assert ws.proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    time.sleep(1.1)  # files written over a second ago: now the index is kept
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    again = Workspace(tiny)
    assert again.proposal_ids("action-plan", "r1") == {"MEX-1", "FRA-1"}
    assert not again._contribs  # answered from the index, no contribution read
    # a file replaced (as drafting writes), edited in place, added, removed: always seen
    write(d / "MEX.yaml.tmp", CONTRIB.format(code="MEX", n=2))
    os.replace(d / "MEX.yaml.tmp", d / "MEX.yaml")
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-2", "FRA-1"}
    with open(d / "FRA.yaml", "r+") as f:  # same size, same inode
        text = f.read()
        f.seek(0)
        f.write(text.replace("FRA-1", "FRA-7"))
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"MEX-2", "FRA-7"}
    write(d / "AUT.yaml", CONTRIB.format(code="AUT", n=3))
    (d / "MEX.yaml").unlink()
    assert Workspace(tiny).proposal_ids("action-plan", "r1") == {"AUT-3", "FRA-7"}


def test_a_submission_sees_ids_written_to_another_round_meanwhile(tiny):
    """Ids are read before the lock and checked under it: a file written in between (by
    another process) is read again, so the new proposal does not reuse its numbers."""
    from drafting.service import inputs
    from drafting.store.workspace import Workspace

    cfg = tiny / "drafting.yaml"
    cfg.write_text(cfg.read_text() + "  - {id: r0, document: action-plan, base: zero-draft}\n")
    subprocess.run(
        ["git", "commit", "-qam", "second round"],
        cwd=tiny,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        },
    )
    ws = Workspace(tiny)
    real = ws.git.transaction

    def transaction():  # another process's submission lands just before we take the lock
        write(
            tiny / "contributions" / "action-plan" / "r0" / "MEX.yaml",
            CONTRIB.format(code="MEX", n=1).replace("round: r1", "round: r0"),
        )
        return real()

    ws.git.transaction = transaction
    data = {"proposals": [{"op": "comment", "paragraph": "clr-1", "text": "A question."}]}
    done = inputs.submit_data(ws, data, delegation="MEX", source="form", document="action-plan", round="r1")
    assert [p.id for p in done.contribution.proposals] == ["MEX-2"]


def test_git_works_in_a_linked_work_tree(tiny, tmp_path):
    from drafting.service import inputs
    from drafting.store.workspace import Workspace

    linked = tmp_path / "linked"
    subprocess.run(["git", "worktree", "add", "-q", "-b", "other", str(linked)], cwd=tiny, check=True)
    ws = Workspace(linked)
    assert (
        ws.git.head()
        == subprocess.run(["git", "rev-parse", "HEAD"], cwd=linked, capture_output=True, text=True).stdout.strip()
    )
    data = {"proposals": [{"op": "comment", "paragraph": "clr-1", "text": "A question."}]}
    done = inputs.submit_data(ws, data, delegation="FRA", source="form", document="action-plan", round="r1")
    log = subprocess.run(
        ["git", "log", "-1", "--format=%H %an", "other"], cwd=tiny, capture_output=True, text=True
    ).stdout.split(" ", 1)
    assert log[0] == done.commit and log[1].strip() == "France (FRA)"
    assert (
        "FRA"
        not in subprocess.run(
            ["git", "log", "-1", "--format=%an", "main"], cwd=tiny, capture_output=True, text=True
        ).stdout
    )
