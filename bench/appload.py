"""Many users at once: the app's server under N concurrent sessions (``make bench``).

``python -m bench.appload [--users 1,10,30,50] [--workspace DIR]`` serves the app
with ``streamlit run`` (one server process, as ``drafting app`` runs it) on the bundled
example (or DIR), and drives N sessions at once over Streamlit's own websocket protocol,
as browsers would, but without browsers: each session opens the app acting as its own
delegation (demo mode, ``?as=CODE``), then moves from page to page with a pause between
clicks. Two figures per rerun, kept apart:

- **server script time**: the wall and CPU time of the app's script, measured inside the
  server by the app itself (``DRAFTING_APP_TIMINGS``, ``app/timing.py``);
- **response time**: from the moment a session asks for a page to the moment the server
  says the page is finished (``script_finished``), as a browser would see it before it
  draws anything: the server's share of what a user waits for, including waiting for its
  turn behind the other sessions' reruns.

Plus the server process's CPU (user + system over the run, from ``/proc``) and its peak
memory. p50 and p95 per page; the first page (a new session) and page switches apart.
Results go to ``docs/bench/app-load.json``. No browser, so browser rendering (which the
issue measured at 5 to 25 s with 20 to 25 Chromiums on the same two cores) is left out on
purpose; ``tests/test_browser.py`` covers the browser itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: the pages a delegate moves between, in the order each session visits them
PAGES = ("compare", "news", "my-inputs", "review", "dashboard", "history", "draft", "submit")
LEVELS = (1, 10, 30, 50)


def say(msg: str) -> None:
    print(f"[app-load] {msg}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def repo_root() -> Path:
    from . import ROOT

    return ROOT


# -------------------------------------------------------------------------------- server


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    timings: Path
    log: Path

    def cpu_s(self) -> float:
        """User + system CPU seconds of the server process so far (its threads included)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_server(workspace: Path, work: Path) -> Server:
    port = _free_port()
    timings = work / "timings.jsonl"
    log = work / "server.log"
    env = {
        **os.environ,
        "DRAFTING_WORKSPACE": str(workspace),
        "DRAFTING_APP_TIMINGS": str(timings),
        "DRAFTING_STATE_DIR": str(work / "state"),
        "DRAFTING_APP_MODE": "demo",  # the server's own setting (the synthetic conferences are demos too)
        "PYTHONPATH": str(repo_root() / "src"),
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(repo_root() / "app.py")],
        cwd=repo_root(),
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start: {log.read_text(errors='replace')[-1500:]}")
        time.sleep(0.2)
    return Server(proc, url, timings, log)


# -------------------------------------------------------------------------------- client


@dataclass
class Sample:
    user: int
    kind: str  # first | switch
    page: str
    response_s: float
    ok: bool


async def _rerun(ws, url: str, page: str, query: str) -> tuple[float, bool]:
    """Ask for ``page`` (as a click in the sidebar does) and wait until the server has
    finished the script: (seconds, finished without an exception)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    rs = msg.rerun_script
    rs.query_string = query
    rs.page_name = page
    rs.context_info.timezone = "UTC"
    rs.context_info.locale = "en-GB"
    rs.context_info.url = f"{url}/{page}"
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    failed = False
    while True:
        data = await ws.recv()
        fm = ForwardMsg()
        fm.ParseFromString(data)
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
            failed = True
        if kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # st.rerun or st.switch_page: the run goes on
            return time.perf_counter() - t0, not failed and fm.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY


async def _user(
    i: int, code: str, url: str, switches: int, think: tuple[float, float], rng: random.Random, out: list[Sample]
) -> None:
    from websockets.asyncio.client import connect
    from websockets.typing import Origin, Subprotocol

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(
        ws_url, subprotocols=[Subprotocol("streamlit")], origin=Origin(url), max_size=None, open_timeout=120
    ) as ws:
        took, ok = await _rerun(ws, url, "draft", f"as={code}&doc=action-plan")
        out.append(Sample(i, "first", "draft", took, ok))
        start = rng.randrange(len(PAGES))
        for k in range(switches):
            await asyncio.sleep(rng.uniform(*think))
            page = PAGES[(start + k) % len(PAGES)]
            took, ok = await _rerun(ws, url, page, "doc=action-plan")
            out.append(Sample(i, "switch", page, took, ok))


async def _crowd(codes: list[str], url: str, switches: int, think: tuple[float, float], seed: int) -> list[Sample]:
    out: list[Sample] = []
    rng = random.Random(seed)
    tasks = [_user(i, code, url, switches, think, random.Random(rng.random()), out) for i, code in enumerate(codes)]
    await asyncio.gather(*tasks)
    return out


# ----------------------------------------------------------------------------- figures


def _pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1]


def _summary(xs: list[float]) -> dict[str, Any]:
    return {
        "n": len(xs),
        "p50": round(_pct(xs, 50) or 0, 4) if xs else None,
        "p95": round(_pct(xs, 95) or 0, 4) if xs else None,
        "max": round(max(xs), 4) if xs else None,
    }


@dataclass
class Level:
    users: int
    seconds: float
    server_cpu_s: float
    peak_rss_mb: float
    samples: list[Sample] = field(default_factory=list)
    script: list[dict] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        switch = [s for s in self.samples if s.kind == "switch"]
        first = [s for s in self.samples if s.kind == "first"]
        # the server's lines: a session's first run is its first page, the others switches
        runs: list[dict] = []
        opened: set[str] = set()
        for r in sorted(self.script, key=lambda r: r["at"]):
            runs.append({**r, "first": r["session"] not in opened})
            opened.add(r["session"])
        switches = [r for r in runs if not r["first"]]
        per_page: dict[str, Any] = {}
        for page in sorted({s.page for s in switch}):
            per_page[page] = {
                "response": _summary([s.response_s for s in switch if s.page == page]),
                "script_wall": _summary([r["wall_s"] for r in switches if r["page"] == page]),
                "script_cpu": _summary([r["cpu_s"] for r in switches if r["page"] == page]),
            }
        return {
            "users": self.users,
            "seconds": round(self.seconds, 1),
            "reruns": len(self.samples),
            "failed": sum(1 for s in self.samples if not s.ok),
            "server_cpu_s": round(self.server_cpu_s, 2),
            "server_cpu_share": round(self.server_cpu_s / self.seconds, 3) if self.seconds else None,
            "server_peak_rss_mb": round(self.peak_rss_mb, 1),
            "first_page_response": _summary([s.response_s for s in first]),
            "first_page_script_wall": _summary([r["wall_s"] for r in runs if r["first"]]),
            "switch_response": _summary([s.response_s for s in switch]),
            "switch_script_wall": _summary([r["wall_s"] for r in switches]),
            "switch_script_cpu": _summary([r["cpu_s"] for r in switches]),
            "pages": per_page,
        }


def run_level(server: Server, codes: list[str], switches: int, think: tuple[float, float], seed: int) -> Level:
    server.timings.write_text("")
    peak = [server.rss_kb()]
    done = threading.Event()

    def sample_rss() -> None:
        while not done.wait(0.25):
            try:
                peak.append(server.rss_kb())
            except OSError:
                return

    watcher = threading.Thread(target=sample_rss, daemon=True)
    watcher.start()
    c0, t0 = server.cpu_s(), time.perf_counter()
    samples = asyncio.run(_crowd(codes, server.url, switches, think, seed))
    seconds, cpu = time.perf_counter() - t0, server.cpu_s() - c0
    done.set()
    watcher.join()
    time.sleep(0.3)  # the last lines of the server's log
    script = [json.loads(x) for x in server.timings.read_text().splitlines() if x.strip()]
    return Level(len(codes), seconds, cpu, max(peak) / 1024, samples, script)


def delegations(workspace: Path, n: int) -> list[str]:
    from drafting.store.workspace import Workspace

    cfg = Workspace(workspace).config
    states = [d.code for d in cfg.delegations if d.role in ("state-party", "signatory")]
    others = [d.code for d in cfg.delegations if d.code not in states]
    pool = states + others
    return [pool[i % len(pool)] for i in range(n)]


def scale_workspace(work: Path, spec_text: str, seed: int) -> Path:
    """A synthetic conference (``bench.generator``: P paragraphs, D delegations x K
    proposals, A accepted) with Revision 1 composed."""
    import re

    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    from .generator import Spec, generate

    m = re.fullmatch(r"(\d+):(\d+)x(\d+):(\d+)", spec_text.strip())
    if not m:
        raise SystemExit(f"--scale: write P:DxK:A, e.g. 300:193x50:1000 (not {spec_text!r})")
    spec = Spec(paragraphs=int(m[1]), delegations=int(m[2]), proposals_each=int(m[3]), accepted=int(m[4]), seed=seed)
    ws = work / "scale"
    say(f"generating {spec.label()} ...")
    generate(ws, spec)
    compose(Workspace(ws), "action-plan", "zero-draft", "rev1", allow_open=True)
    return ws


def example_workspace(work: Path) -> Path:
    from drafting.service.setup import init

    ws = work / "example"
    init(ws, example=True)
    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    compose(Workspace(ws), "action-plan", "zero-draft", "rev1", allow_open=True)  # two versions: Compare has work to do
    return ws


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.appload", description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", default=",".join(map(str, LEVELS)), help="concurrent sessions per level (1,10,30,50)")
    ap.add_argument("--switches", type=int, default=8, help="page switches per session (default 8: every page once)")
    ap.add_argument("--think", default="2,8", help="seconds between a session's clicks: MIN,MAX (default 2,8)")
    ap.add_argument(
        "--workspace", type=Path, help="a workspace to serve (default: the bundled example with Revision 1)"
    )
    ap.add_argument(
        "--scale",
        metavar="P:DxK:A",
        help="serve a synthetic conference instead, e.g. 300:193x50:1000 (the target point)",
    )
    ap.add_argument("--out", type=Path, help="results JSON (default docs/bench/app-load.json)")
    ap.add_argument("--seed", type=int, default=20260914)
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.users.split(",") if x.strip()]
    lo, hi = (float(x) for x in args.think.split(","))
    think = (lo, hi)
    out = args.out or repo_root() / "docs" / "bench" / "app-load.json"
    work = Path(tempfile.mkdtemp(prefix="drafting-appload-"))
    try:
        if args.workspace:
            ws = args.workspace.resolve()
        elif args.scale:
            ws = scale_workspace(work, args.scale, args.seed)
        else:
            ws = example_workspace(work)
        server = start_server(ws, work)
        say(f"serving {ws} at {server.url}")
        try:
            # a server that has been up for a while: imports done, each page once (the first
            # visit of a page after a change of the workspace is reported apart: "cold_pages")
            warm = run_level(server, delegations(ws, 1), len(PAGES), (0.0, 0.0), args.seed)
            say(f"warm-up: {len(warm.samples)} reruns")
            results: dict[str, Any] = {
                "meta": {
                    "cpus": os.cpu_count(),
                    "python": sys.version.split()[0],
                    "streamlit": __import__("streamlit").__version__,
                    "workspace": str(args.workspace)
                    if args.workspace
                    else (f"synthetic {args.scale} + Revision 1" if args.scale else "bundled example + Revision 1"),
                    "switches_per_session": args.switches,
                    "think_s": list(think),
                    "load_average_before": [round(x, 2) for x in os.getloadavg()],
                },
                "levels": [],
                "cold_pages": {s.page: round(s.response_s, 3) for s in warm.samples if s.kind == "switch"},
            }

            for n in levels:
                say(f"{n} concurrent session{'s' if n != 1 else ''} ...")
                level = run_level(server, delegations(ws, n), args.switches, think, args.seed + n)
                fig = level.figures()
                results["levels"].append(fig)
                say(
                    f"  {n:>3} users: switch response p50 {fig['switch_response']['p50']} s, "
                    f"p95 {fig['switch_response']['p95']} s; script p95 {fig['switch_script_wall']['p95']} s; "
                    f"first page p95 {fig['first_page_response']['p95']} s; server CPU {fig['server_cpu_share']:.0%}, "
                    f"peak {fig['server_peak_rss_mb']} MB; {fig['failed']} failed"
                )
        finally:
            server.stop()
        results["meta"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
        say(f"results in {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
