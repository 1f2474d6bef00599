"""CI: `make run` on the clean checkout serves the example, as a newcomer would see it.

Starts `make run` in the background (its own process group), waits for the app's health
endpoint, loads the first page in headless Chromium and checks that it shows the bundled
example's Action Plan, then stops the server by its process id. On failure: the server's
log and exit code 1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPECT = "Vientiane Action Plan"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    port = free_port()
    log = ROOT / ".ci" / "make-run.log"
    env = {
        **os.environ,
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # a fresh machine installs the environment first
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"`make run` did not serve the app (exit code {server.poll()})")
            time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            page = browser.new_page()
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_text(EXPECT).first.wait_for(timeout=60_000)
            browser.close()
        print(f"make run: the app serves {url} and its first page shows the {EXPECT}.")
        return 0
    except Exception as e:  # noqa: BLE001 - any failure fails CI with the server's log
        sys.stderr.write(f"make run check failed: {type(e).__name__}: {e}\n--- server log\n")
        sys.stderr.write(log.read_text(errors="replace")[-8000:])
        return 1
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    sys.exit(main())
