"""The app served for a real browser: ``streamlit run app.py`` on a free port, and Debian's
Chromium with the arguments every browser test launches it with."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT
from shell import free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def serve(workspace: Path, *, cwd: Path, mode: str, log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on ``workspace`` from ``cwd`` (where ``.streamlit/`` holds
    the server's configuration), ``DRAFTING_APP_MODE`` set to ``mode``; yields its address
    once it answers, and stops it afterwards. ``log``: what it printed."""
    port = free_port()
    env = {
        **os.environ,
        "DRAFTING_WORKSPACE": str(workspace),
        "DRAFTING_APP_MODE": mode,
        "PYTHONPATH": str(ROOT / "src"),
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()
