"""Faults: `submit`, `decide` and `compose` killed with SIGKILL at random moments.

Real ``python -m drafting.cli`` processes are started and killed after a random delay
(0-400 ms, drawn around how long an undisturbed run takes, so most kills land inside the
command). Half the time only the Python process is killed (its git child lives on, as
after the OOM killer), half the time its whole process group. After every kill:

- ``git fsck --strict`` accepts the repository (once the killed command's stray git
  child, if any, has finished);
- every YAML file in HEAD parses (no half-written file was committed);
- HEAD moved only by whole commits, each touching exactly the one file its command writes;
- the next command (run at once, without waiting for stray git children) succeeds and
  its commit lands: no stale lock blocks it, and the work tree is clean afterwards.

``DRAFTING_FAULT_KILLS`` sets the number of kills (default 20); ``DRAFTING_FAULT_SEED``
replays a run (the seed is printed when a test fails).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, write
from drafting.cli.main import main
from drafting.store import yamlio

KILLS = int(os.environ.get("DRAFTING_FAULT_KILLS", "20"))
SEED = int(os.environ.get("DRAFTING_FAULT_SEED", str(random.SystemRandom().randrange(1 << 30))))
CODES = ["MEX", "FRA", "AUT", "IDN"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def contribution(code: str, n: int) -> str:
    return (
        f"delegation: {code}\ndocument: action-plan\nround: r1\nproposals:\n"
        f"  - {{op: amend, paragraph: clr-2, text: 'States Parties will report on land release, draft {n} of {code}.'}}\n"
        f"  - {{op: comment, paragraph: va-1, text: Comment of {code}.}}\n"
    )  # keeps its id, {code}-2


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _wait_group(pgid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _assert_sound(root: Path, since: str, allowed: set[str], ctx: str, fsck: bool = True) -> None:
    """fsck passes; every commit after ``since`` touches one allowed file; HEAD's YAML parses.

    (fsck only once no stray git child of the killed process runs: an fsck that runs
    while another git writes a commit can report the new objects as missing.)
    """
    if fsck:
        r = subprocess.run(["git", "fsck", "--strict", "--no-progress"], cwd=root, capture_output=True, text=True)
        assert r.returncode == 0, (ctx, r.stdout, r.stderr)
    for sha in git(root, "rev-list", f"{since}..HEAD").split():
        files = git(root, "show", "--name-only", "--format=", sha).split()
        assert len(files) == 1 and files[0] in allowed, (ctx, sha, files)
        assert len(git(root, "rev-list", "--parents", "-1", sha).split()) == 2, (ctx, "a merge?", sha)
    for path in git(root, "ls-tree", "-r", "--name-only", "HEAD").split():
        if path.endswith(".yaml"):
            yamlio.loads(git(root, "show", f"HEAD:{path}").encode(), f"HEAD:{path}")  # raises if half-written


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}


def _timed(args: list[str]) -> float:
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "drafting.cli", *args], env=_env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return time.monotonic() - t


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_a_sound_repository(tiny, tmp_path):
    from drafting.cli import commands  # noqa: F401  (registers compose, if it exists)

    rng = random.Random(SEED)
    ctx0 = f"seed {SEED} (DRAFTING_FAULT_SEED={SEED} replays this run)"
    ws = ["-w", str(tiny)]
    inbox = tmp_path / "inbox"
    counter = {"n": 0}

    def next_file(code: str) -> Path:
        counter["n"] += 1
        return write(inbox / f"{code}-{counter['n']}.yaml", contribution(code, counter["n"]))

    # something to decide and compose from; calibrate the kill window on undisturbed runs
    took = {"submit": _timed([*ws, "submit", str(next_file("MEX")), "-d", "MEX"])}
    assert main([*ws, "submit", str(next_file("FRA")), "-d", "FRA"]) == 0
    took["decide"] = _timed([*ws, "decide", "MEX-2", "noted"])
    took["compose"] = _timed(
        [*ws, "compose", "political-declaration", "--from", "zero-draft", "--to", "rev-cal", "--round", "pd-r1"]
    )
    kinds = ["submit", "decide", "compose"]
    statuses = ["addressed", "noted"]

    def command(kind: str, i: int) -> tuple[list[str], str]:
        if kind == "submit":
            code = rng.choice(CODES)
            return ["submit", str(next_file(code)), "-d", code], f"contributions/action-plan/r1/{code}.yaml"
        if kind == "decide":
            return (
                ["decide", rng.choice(["MEX-2", "FRA-2"]), rng.choice(statuses), "--note", f"kill {i}"],
                "decisions/action-plan/r1.yaml",
            )
        # (composing the declaration: a round composed takes no more inputs, and r1 takes them)
        return (
            ["compose", "political-declaration", "--from", "zero-draft", "--to", f"rev-{i}", "--round", "pd-r1"],
            f"drafts/political-declaration/rev-{i}.yaml",
        )

    landed_mid_kill = 0
    for i in range(KILLS):
        kind = kinds[i % len(kinds)]
        args, path = command(kind, i)
        before = git(tiny, "rev-parse", "HEAD").strip()
        delay = rng.uniform(0, min(0.4, took[kind] * 1.1))
        whole_group = bool(i % 2)
        ctx = f"{ctx0}, kill {i}: {kind} after {delay * 1000:.0f} ms ({'group' if whole_group else 'process'})"
        p = subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", *ws, *args],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if whole_group:
            os.killpg(p.pid, signal.SIGKILL)
        else:
            os.kill(p.pid, signal.SIGKILL)
        p.wait()
        # right after the kill: HEAD is whole, whatever a stray git child is still doing
        _assert_sound(tiny, before, {path}, ctx, fsck=False)
        # the next command, at once: no stale lock blocks it, and its commit lands
        nargs, npath = command(kinds[(i + 1) % len(kinds)], KILLS + i)
        assert main([*ws, *nargs]) == 0, ctx
        after_next = git(tiny, "rev-parse", "HEAD").strip()
        assert npath in git(tiny, "show", "--name-only", "--format=", after_next).split(), ctx
        _wait_group(p.pid)
        _assert_sound(tiny, before, {path, npath}, ctx)
        landed_mid_kill += int(path in git(tiny, "log", "--format=", "--name-only", f"{before}..HEAD").split())
        assert git(tiny, "status", "--porcelain", "--untracked-files=all") == "", ctx
        leftovers = [x.name for x in (tiny / ".git").glob("index.lock")] + [
            x.name for x in (tiny / ".git").glob("*drafting-journal*")
        ]
        assert leftovers == [], (ctx, leftovers)
    # the history reads back, and the workspace is valid as a whole
    assert main([*ws, "check"]) == 0, ctx0
    print(f"{KILLS} kills, {landed_mid_kill} of the killed commands' commits landed; {ctx0}")


@pytest.mark.slow
def test_sync_killed_at_random_moments_loses_nothing(tiny, tmp_path):
    """`drafting sync` killed in the middle (fetch, rebase, fast-forward or push): the next
    command undoes any half-done rebase or work-tree update, nothing local is lost, and
    the next sync brings both offices together."""
    rng = random.Random(SEED)
    ctx0 = f"seed {SEED}"
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(tiny), str(origin))
    capital, geneva = tmp_path / "capital", tmp_path / "geneva"
    for clone in (capital, geneva):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
    # the remote is "another machine": its side of a fetch or push (upload-pack,
    # receive-pack) runs in its own session, so killing the office's processes does not
    # kill it half-way (a real server sees the connection drop and cleans up)
    git(capital, "config", "remote.origin.uploadpack", "setsid -w git-upload-pack")
    git(capital, "config", "remote.origin.receivepack", "setsid -w git-receive-pack")
    texts: list[str] = []

    def submit(where: Path, code: str, n: int) -> None:
        text = f"Comment {n} from {where.name}."
        f = write(
            tmp_path / "inbox" / f"{where.name}-{n}.yaml",
            f"delegation: {code}\ndocument: action-plan\nround: r1\nproposals:\n"
            f"  - {{op: comment, paragraph: va-1, text: {text}}}\n",
        )
        assert main(["-w", str(where), "submit", str(f), "-d", code]) == 0
        texts.append(text)

    submit(capital, "MEX", 0)
    took = _timed(["-w", str(capital), "sync"])
    kills = max(4, KILLS // 3)
    from collections import Counter

    interrupted: Counter = Counter()  # what each kill interrupted, for the record
    for i in range(1, kills + 1):
        submit(geneva, rng.choice(["FRA", "AUT"]), 100 + i)
        assert main(["-w", str(geneva), "sync"]) == 0  # origin moves on: capital must rebase
        submit(capital, rng.choice(["MEX", "IDN"]), i)
        delay = rng.uniform(0, min(0.4, took * 1.2))
        ctx = f"{ctx0}, sync kill {i} after {delay * 1000:.0f} ms"
        p = subprocess.Popen(
            [sys.executable, "-m", "drafting.cli", "-w", str(capital), "sync"],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if i % 2:
            os.killpg(p.pid, signal.SIGKILL)  # the office's machine: everything of the command
        else:
            os.kill(p.pid, signal.SIGKILL)  # drafting alone: its git child finishes on its own
        p.wait()
        _wait_group(p.pid)
        g = capital / ".git"
        left = [
            x for x in ("rebase-merge", "rebase-apply", "drafting-sync", "drafting-journal.json") if (g / x).exists()
        ]
        interrupted[
            ", ".join(left) or ("pushed" if git(capital, "status", "-sb").count("ahead") == 0 else "before")
        ] += 1
        # the next command recovers whatever the kill left, and lands
        submit(capital, "MEX", 1000 + i)
        assert git(capital, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main", ctx
        assert not (capital / ".git" / "rebase-merge").exists() and not (capital / ".git" / "rebase-apply").exists()
        assert git(capital, "status", "--porcelain", "--untracked-files=all") == "", ctx
        r = subprocess.run(["git", "fsck", "--strict", "--no-progress"], cwd=capital, capture_output=True, text=True)
        assert r.returncode == 0, (ctx, r.stdout, r.stderr)
        history = git(capital, "log", "-p", "main") + git(origin, "log", "-p", "main")
        assert all(t in history for t in texts), ctx  # nothing submitted anywhere was lost
    for clone in (capital, geneva, capital):
        assert main(["-w", str(clone), "sync"]) == 0, ctx0
    assert git(capital, "rev-parse", "HEAD") == git(geneva, "rev-parse", "HEAD") == git(origin, "rev-parse", "main")
    history = git(origin, "log", "-p", "main")
    assert all(t in history for t in texts), ctx0
    assert main(["-w", str(capital), "check"]) == 0
    print(f"{kills} sync kills, left behind: {dict(interrupted)}; {ctx0}")
