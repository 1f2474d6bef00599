"""The write lock (store/lock.py): a blocking flock with a time-out, released by the
kernel when its holder dies, and a busy workspace said in one line."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

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
