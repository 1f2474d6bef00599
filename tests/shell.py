"""Run the shell blocks of the documentation as a reader would type them.

``blocks(markdown)`` finds the fenced ``sh`` blocks; ``run_lines`` runs their lines in
order through bash, each line exactly as written, in one folder that carries over from
line to line (a ``cd`` holds, as in a terminal), with the installed ``drafting`` command
first on ``PATH``. A line that starts a server (``drafting ... app``) runs in the
background until the app answers on its health endpoint, then is stopped.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent  # the virtual environment's bin/: the installed drafting, python, streamlit


def blocks(markdown: str, lang: str = "sh") -> list[list[str]]:
    """The command lines of each fenced block in ``lang`` (continuation lines joined)."""
    found = []
    for body in re.findall(rf"^[ \t]*```{lang}\n(.*?)^[ \t]*```", markdown, re.S | re.M):
        lines, pending = [], ""
        for raw in body.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            lines.append(pending + line)
            pending = ""
        found.append(lines)
    return found


def section_block(markdown: str, heading: str) -> list[str]:
    """The first ``sh`` block under the heading ``heading``."""
    start = markdown.index(heading)
    return blocks(markdown[start:])[0]


@dataclass
class Step:
    line: str
    rc: int
    out: str
    err: str
    cwd: Path


def is_server(line: str) -> bool:
    words = shlex.split(line, comments=True)
    while words and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", words[0]):  # NAME=value before the command
        words = words[1:]
    return bool(words) and words[0] == "drafting" and "app" in words and "--help" not in words


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A reader's terminal: a home of their own with a git identity, nothing of ours set."""
    home = Path(tempfile.mkdtemp(prefix="reader-home-"))
    (home / ".gitconfig").write_text("[user]\n\tname = Doc Reader\n\temail = reader@example.org\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRAFTING_", "GIT_", "STREAMLIT_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        HOME=str(home),
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    env.update(extra or {})
    return env


def run_lines(lines: list[str], cwd: Path, *, env: dict[str, str] | None = None, timeout: float = 300) -> list[Step]:
    """Run ``lines`` in order from ``cwd``; stop after the first that fails."""
    steps: list[Step] = []
    here = cwd
    base_env = environment(env)
    for line in lines:
        where = cwd / ".shell-cwd"
        script = f"cd {shlex.quote(str(here))}\n{line}\nrc=$?\npwd > {shlex.quote(str(where))}\nexit $rc\n"
        if is_server(line):
            steps.append(_serve(line, script, here, base_env, timeout))
        else:
            p = subprocess.run(
                ["bash", "-c", script],
                env=base_env,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
            steps.append(Step(line, p.returncode, p.stdout, p.stderr, here))
            if where.exists():
                here = Path(where.read_text().strip())
                where.unlink()
        if steps[-1].rc != 0:
            break
    return steps


def _serve(line: str, script: str, here: Path, env: dict[str, str], timeout: float) -> Step:
    m = re.search(r"--server\.port[ =](\d+)", line)
    port = int(m.group(1)) if m else free_port()
    env = {**env, "STREAMLIT_SERVER_PORT": str(port)}
    log = here / f".server-{port}.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            ["bash", "-c", script], env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
    ok, deadline = False, time.monotonic() + min(timeout, 90)
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    ok = r.status == 200
                    break
            except OSError:
                time.sleep(0.3)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log.read_text(errors="replace")
    log.unlink()
    return Step(line, 0 if ok else (proc.returncode or 1), text, "" if ok else text, here)


def describe(steps: list[Step]) -> str:
    last = steps[-1]
    return f"step {len(steps)}: {last.line!r} exited {last.rc}\n--- stdout\n{last.out[-3000:]}\n--- stderr\n{last.err[-3000:]}"
