"""The workspace's write lock: an ``flock`` on a file in ``.git/``, waited for without polling.

The kernel releases an ``flock`` when its holder dies, so a killed process never leaves a
lock behind. ``filelock`` (used for sync's lock) waits by trying again every 50 ms, which
costs about 10 ms of CPU per second of waiting; at a deadline two hundred delegations'
submissions wait for each other for tens of seconds on two cores, and that polling alone
was a third of their CPU time (``docs/bench/README.md``). So the wait here is the kernel's
own blocking ``flock``, interrupted by a timer for the time-out. A timer signal can only
be used from a process's main thread; elsewhere (the Streamlit app runs scripts in other
threads) the lock is polled, and where there is no ``fcntl`` at all, ``filelock`` serves.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
    import signal
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None  # type: ignore[assignment]


class LockTimeout(Exception):
    """The lock stayed taken for the whole time-out."""


@contextmanager
def exclusive(path: Path, timeout_s: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block."""
    if fcntl is None:  # pragma: no cover
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(path), timeout=timeout_s):
                yield
        except Timeout:
            raise LockTimeout(str(path)) from None
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        _acquire(fd, timeout_s)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, timeout_s: float) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    ):

        def expired(signum, frame):
            raise LockTimeout()

        previous = signal.signal(signal.SIGALRM, expired)
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout_s)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # sleeps in the kernel until the holder lets go
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise LockTimeout() from None
            time.sleep(0.02)
