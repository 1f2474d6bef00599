"""Timing drafting's operations on synthetic workspaces, with repeats, medians and memory.

Each *scale point* (P paragraphs, D delegations x K proposals, A accepted) goes through:

1. generate the workspace W0 (:mod:`.generator`): zero draft, contributions, decisions;
2. ``compose`` rev1 on fresh copies of W0 (CLI, then in-process); the last copy becomes
   W1 (W0 + rev1), on which everything else runs;
3. read-only operations on W1: loading, ``proposals --json``, ``diff``, ``blame``, the
   tracked-changes DOCX, the compilation, the app's first render of the Draft page, and
   the baselines on the same two versions (:mod:`.baselines`);
4. writes: one ``submit`` (a new delegation's inputs on round ``rev1-inputs``), one
   ``decide``, then N concurrent ``submit`` processes on a fresh copy of W1, checked
   commit by commit.

A CLI measurement is a real process (what the installed ``drafting`` command runs): wall time from
spawn to exit, peak memory from the child's rusage (``ru_maxrss``). An in-process
measurement calls the service with a fresh :class:`~drafting.store.workspace.Workspace`
(modules already imported; nothing cached), and one more run under :mod:`tracemalloc`
gives its peak Python heap. Every measurement is repeated (median and min reported),
fewer times when one run is long (a time budget per operation).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import baselines
from .generator import BASE, DOCUMENT, DURING_ROUND1, DURING_ROUND2, ROUND1, ROUND2, Spec, amend_text, generate

REV = "rev1"

# ------------------------------------------------------------------------------ reporting

_T0 = time.monotonic()


def say(msg: str) -> None:
    el = int(time.monotonic() - _T0)
    sys.stderr.write(f"[bench {el // 60:02d}:{el % 60:02d}] {msg}\n")
    sys.stderr.flush()


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    if x < 0.01:
        return f"{x * 1000:.1f} ms"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    return f"{x:.2f} s"


@dataclass
class Measure:
    name: str
    group: str  # cli | inproc | baseline | startup | concurrency | app
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each run (see below)
    rss_kb: list[int] = field(default_factory=list)
    py_peak: int | None = None  # bytes, tracemalloc (in-process runs)
    skipped: str | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def min(self) -> float | None:
        return min(self.times) if self.times else None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"group": self.group}
        if self.skipped:
            d["skipped"] = self.skipped
        if self.times:
            d.update(
                median_s=round(statistics.median(self.times), 4),
                min_s=round(min(self.times), 4),
                max_s=round(max(self.times), 4),
                n=len(self.times),
                times_s=[round(t, 4) for t in self.times],
            )
        if self.cpu:
            d["cpu_median_s"] = round(statistics.median(self.cpu), 4)
        if self.rss_kb:
            d["peak_rss_mb"] = round(max(self.rss_kb) / 1024, 1)
        if self.py_peak is not None:
            d["peak_python_heap_mb"] = round(self.py_peak / 2**20, 1)
        if self.note:
            d["note"] = self.note
        if self.extra:
            d.update(self.extra)
        return d


class Budget:
    """How many times to repeat: up to ``repeats``, fewer once ``seconds`` are spent
    (always at least ``min_runs``)."""

    def __init__(self, repeats: int, seconds: float, min_runs: int = 1):
        self.repeats, self.seconds, self.min_runs = repeats, seconds, min_runs

    def runs(self) -> Callable[[list[float]], bool]:
        def more(times: list[float]) -> bool:
            if len(times) < self.min_runs:
                return True
            return len(times) < self.repeats and sum(times) < self.seconds

        return more


# ------------------------------------------------------------------------------ processes


@contextlib.contextmanager
def server_clock(moment: str) -> Iterator[None]:
    """The server's clock (``DRAFTING_CLOCK``, read by this process and the commands it
    starts) at ``moment`` within the block: the benchmark's conference is in session."""
    from drafting.service.clock import ENV

    before = os.environ.get(ENV)
    os.environ[ENV] = moment
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for drafting's CLI processes: drafting importable as this process
    imports it (a source checkout works without installing), no debugging switches."""
    import drafting

    src = str(Path(drafting.__file__).resolve().parents[1])
    env = {k: v for k, v in os.environ.items() if k not in ("DRAFTING_WORKSPACE", "DRAFTING_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([src, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    env.setdefault("PYTHONHASHSEED", "0")
    if extra:
        env.update(extra)
    return env


@dataclass
class ProcResult:
    seconds: float
    rss_kb: int
    rc: int
    stdout: Path
    stderr: str
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


#: a small process that spawns the measured commands. On Linux a child's ``ru_maxrss``
#: starts from the RSS of the process it was forked from (the kernel carries the old
#: address space's high-water mark across ``exec``), so children forked from this
#: benchmark (hundreds of MB after loading workspaces) would all report at least that
#: much. Forked from this launcher (a fresh interpreter, ~10 MB), they report their own.
LAUNCHER = r"""
import json, os, subprocess, sys, threading, time

def spawn(req):
    fo = open(req["stdout"], "wb"); fe = open(req["stderr"], "wb")
    t0 = time.perf_counter()
    p = subprocess.Popen(req["argv"], cwd=req["cwd"], env=req["env"], stdout=fo, stderr=fe,
                         stdin=subprocess.DEVNULL)
    return p, fo, fe, t0

for line in sys.stdin:
    msg = json.loads(line)
    reqs = msg["batch"]
    t0 = time.perf_counter()
    running = {}
    for i, req in enumerate(reqs):
        p, fo, fe, ts = spawn(req)
        timer = threading.Timer(req.get("timeout", 900), p.kill)
        timer.start()
        running[p.pid] = (i, p, fo, fe, ts, timer)
    spawned = time.perf_counter() - t0
    out = [None] * len(reqs)
    while running:
        pid, status, ru = os.wait4(-1, 0)
        if pid not in running:
            continue
        i, p, fo, fe, ts, timer = running.pop(pid)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.close(); fe.close()
        out[i] = {"rc": p.returncode, "seconds": time.perf_counter() - ts, "rss_kb": ru.ru_maxrss,
                  "cpu": ru.ru_utime + ru.ru_stime}
    sys.stdout.write(json.dumps({"results": out, "wall": time.perf_counter() - t0, "spawn": spawned}) + "\n")
    sys.stdout.flush()
"""


class _Launcher:
    _proc: subprocess.Popen | None = None
    _lock = threading.Lock()

    @classmethod
    def batch(cls, reqs: list[dict[str, Any]]) -> dict[str, Any]:
        with cls._lock:
            if cls._proc is None or cls._proc.poll() is not None:
                cls._proc = subprocess.Popen(
                    [sys.executable, "-c", LAUNCHER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    env=cli_env(),
                )
            assert cls._proc.stdin and cls._proc.stdout
            cls._proc.stdin.write(json.dumps({"batch": reqs}) + "\n")
            cls._proc.stdin.flush()
            line = cls._proc.stdout.readline()
            if not line:
                raise RuntimeError("the benchmark's process launcher died")
            return json.loads(line)

    @classmethod
    def close(cls) -> None:
        if cls._proc is not None and cls._proc.poll() is None:
            assert cls._proc.stdin
            cls._proc.stdin.close()
            cls._proc.wait(timeout=30)
        cls._proc = None


def _request(argv: list[str], cwd: Path, out: Path, env: dict[str, str] | None, timeout: float) -> dict[str, Any]:
    out.parent.mkdir(parents=True, exist_ok=True)
    return {
        "argv": [str(a) for a in argv],
        "cwd": str(cwd),
        "env": env or cli_env(),
        "stdout": str(out),
        "stderr": str(out.with_suffix(out.suffix + ".stderr")),
        "timeout": timeout,
    }


def run_proc(
    argv: list[str], *, cwd: Path, out: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> ProcResult:
    """Run one process; wall time from spawn to exit and its own peak RSS."""
    res = _Launcher.batch([_request(argv, cwd, out, env, timeout)])["results"][0]
    err = out.with_suffix(out.suffix + ".stderr").read_text("utf-8", "replace").strip()
    return ProcResult(res["seconds"], res["rss_kb"], res["rc"], out, err, res["cpu"])


def run_many(
    jobs: list[tuple[list[str], Path, Path]], env: dict[str, str] | None = None, timeout: float = 900
) -> tuple[list[ProcResult], float, float]:
    """Start all ``jobs`` (argv, cwd, stdout file) at once; their results, the wall time
    until the last one exited, and the time it took to spawn them all."""
    reply = _Launcher.batch([_request(a, c, o, env, timeout) for a, c, o in jobs])
    out = []
    for (_, _, o), res in zip(jobs, reply["results"], strict=True):
        err = o.with_suffix(o.suffix + ".stderr").read_text("utf-8", "replace").strip()
        out.append(ProcResult(res["seconds"], res["rss_kb"], res["rc"], o, err, res["cpu"]))
    return out, reply["wall"], reply["spawn"]


#: what the installed ``drafting`` command runs (``[project.scripts]``), without depending
#: on where pip put it: ``python -m drafting.cli`` would add runpy's imports (5 ms)
_DRAFTING = "import sys; from drafting.cli.main import main; sys.argv[0] = 'drafting'; sys.exit(main())"


def drafting_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", _DRAFTING, *args]


class Bench:
    """One scale point's measurements."""

    def __init__(self, work: Path, budget: Budget, memory: bool = True):
        self.work = work
        self.budget = budget
        self.memory = memory
        self.measures: dict[str, Measure] = {}
        self.outdir = work / "out"
        self.outdir.mkdir(parents=True, exist_ok=True)

    def add(self, m: Measure) -> Measure:
        self.measures[m.name] = m
        if m.skipped:
            say(f"  {m.name}: skipped ({m.skipped})")
        elif m.times:
            mem = f", peak RSS {max(m.rss_kb) / 1024:.0f} MB" if m.rss_kb else ""
            heap = f", Python heap {m.py_peak / 2**20:.0f} MB" if m.py_peak is not None else ""
            cpu = f", CPU {fmt_s(statistics.median(m.cpu))}" if m.cpu else ""
            say(f"  {m.name}: median {fmt_s(m.median)} (min {fmt_s(m.min)}, n={len(m.times)}){cpu}{mem}{heap}")
        return m

    # -- a CLI command, repeated
    def cli(
        self,
        name: str,
        args: list[str],
        *,
        cwd: Path,
        prepare: Callable[[int], list[str] | None] | None = None,
        check: Callable[[ProcResult], str | None] | None = None,
        group: str = "cli",
        budget: Budget | None = None,
    ) -> Measure:
        m = Measure(name, group)
        more = (budget or self.budget).runs()
        i = 0
        while more(m.times):
            argv = args
            if prepare is not None:
                prepared = prepare(i)
                if prepared is None:
                    break
                argv = prepared
            r = run_proc(drafting_cmd(*argv), cwd=cwd, out=self.outdir / f"{name}.{i}.out")
            i += 1
            if r.rc != 0:
                m.skipped = f"exit {r.rc}: {r.stderr.splitlines()[-1] if r.stderr else ''}"[:300]
                m.times = []
                break
            if check is not None:
                problem = check(r)
                if problem:
                    m.note = problem
            m.times.append(r.seconds)
            m.cpu.append(r.cpu)
            m.rss_kb.append(r.rss_kb)
        return self.add(m)

    # -- another program (a baseline), as a process, repeated
    def external(self, name: str, argv: list[str], *, cwd: Path, group: str = "baseline") -> Measure:
        m = Measure(name, group)
        more = self.budget.runs()
        i = 0
        while more(m.times):
            r = run_proc(argv, cwd=cwd, out=self.outdir / f"{name}.{i}.out")
            i += 1
            if r.rc != 0:
                m.skipped, m.times = f"exit {r.rc}: {r.stderr[-200:]}", []
                break
            m.times.append(r.seconds)
            m.cpu.append(r.cpu)
            m.rss_kb.append(r.rss_kb)
        return self.add(m)

    # -- an in-process call, repeated (a fresh setup each time, outside the timing)
    def inproc(
        self,
        name: str,
        fn: Callable[[Any], Any],
        *,
        setup: Callable[[int], Any] = lambda i: None,
        group: str = "inproc",
        budget: Budget | None = None,
        memory: bool | None = None,
    ) -> Measure:
        m = Measure(name, group)
        more = (budget or self.budget).runs()
        i = 0
        last: Any = None
        try:
            while more(m.times):
                arg = setup(i)
                i += 1
                c0, t0 = time.process_time(), time.perf_counter()
                last = fn(arg)
                m.times.append(time.perf_counter() - t0)
                m.cpu.append(time.process_time() - c0)
            if (self.memory if memory is None else memory) and m.times and statistics.median(m.times) < 60:
                arg = setup(i)
                tracemalloc.start()
                try:
                    fn(arg)
                    m.py_peak = tracemalloc.get_traced_memory()[1]
                finally:
                    tracemalloc.stop()
        except Exception as e:  # noqa: BLE001 - reporting only: a missing feature or a bug becomes a note
            m.skipped = f"{type(e).__name__}: {' '.join(str(e).split())[:240]}"
            m.times = []
        if isinstance(last, dict) and "parts" in last:
            m.extra["parts_s"] = {k: round(v, 4) for k, v in last["parts"].items()}
        return self.add(m)


def copy_workspace(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)
    return dst


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


# ------------------------------------------------------------------------------ a scale point


@dataclass
class Options:
    repeats: int = 5
    budget_s: float = 25.0
    concurrency: int = 0  # N concurrent submits (0: not measured)
    same_round: bool = True  # also N concurrent resubmissions into the first round
    app: bool = True
    documents: bool = True  # tracked DOCX, compilation, pandoc baseline
    hostile: bool = False  # the refusal of each hostile input file (scale-independent: once)
    baselines: bool = True
    memory: bool = True
    profile_dir: Path | None = None
    keep: bool = False


def run_point(spec: Spec, work: Path, opts: Options) -> dict[str, Any]:
    """Generate, measure, return the point's results (JSON-ready)."""
    say(f"scale point {spec.label()}: generating")
    work.mkdir(parents=True, exist_ok=True)
    w0 = work / "w0"
    gen = generate(w0, spec, progress=lambda m: say("  " + m))
    say(f"  generated in {gen.seconds:.1f} s ({gen.commits} commits, {sum(gen.bytes.values()) / 2**20:.1f} MB of YAML)")
    b = Bench(work, Budget(opts.repeats, opts.budget_s), memory=opts.memory)
    result: dict[str, Any] = {"spec": gen.to_json(), "label": spec.label()}

    from drafting.store.workspace import Workspace

    # the workspace has been read before (as it is by the time the Presidency composes):
    # drafting's parse cache (.git/drafting-cache) is warm; the `.cold` runs remove it
    t = time.perf_counter()
    _read_all(w0)
    say(f"  first read of W0 (cold parse cache): {fmt_s(time.perf_counter() - t)}")

    # ---- compose (each run on a fresh copy of W0)
    say("compose rev1 from the decided proposals")
    copies: list[Path] = []

    def fresh_w0(i: int) -> list[str]:
        c = copy_workspace(w0, work / f"compose-{i}")
        copies.append(c)
        return ["--workspace", str(c), "compose", "--allow-open", DOCUMENT, "--from", BASE, "--to", REV, "--json"]

    compose_report: dict[str, Any] = {}

    def compose_check(r: ProcResult) -> str | None:
        rep = json.loads(r.stdout.read_text("utf-8"))
        compose_report.update(
            applied=len(rep.get("applied", [])),
            conflicts=len(rep.get("conflicts", [])),
            not_applied=len(rep.get("not_applied", [])),
        )
        return None

    def fresh_w0_cold(i: int) -> list[str]:
        c = copy_workspace(w0, work / f"compose-cold-{i}")
        shutil.rmtree(c / ".git" / "drafting-cache", ignore_errors=True)
        return ["--workspace", str(c), "compose", "--allow-open", DOCUMENT, "--from", BASE, "--to", REV, "--json"]

    b.cli("compose.cold", [], cwd=work, prepare=fresh_w0_cold, budget=Budget(2, b.budget.seconds))
    for c in work.glob("compose-cold-*"):
        shutil.rmtree(c, ignore_errors=True)
    m = b.cli("compose", [], cwd=work, prepare=fresh_w0, check=compose_check)
    m.extra["report"] = dict(compose_report)
    if not m.times:
        raise RuntimeError(f"compose failed: {m.skipped}; nothing else can be measured at this point")
    w1 = work / "w1"
    copies[-1].rename(w1)
    for c in copies[:-1]:
        shutil.rmtree(c, ignore_errors=True)

    from drafting.service import inputs as svc_inputs
    from drafting.service import versions as svc_versions

    def fresh_w0_inproc(i: int) -> Path:
        return copy_workspace(w0, work / "compose-inproc")

    b.inproc(
        "compose.inproc",
        lambda root: svc_versions.compose(Workspace(root), DOCUMENT, BASE, REV, allow_open=True),
        setup=fresh_w0_inproc,
    )
    shutil.rmtree(work / "compose-inproc", ignore_errors=True)

    # ---- reading
    say("loading the workspace")

    def load(root: Path) -> dict[str, Any]:
        parts: dict[str, float] = {}
        t = time.perf_counter()
        ws = Workspace(root)
        _ = ws.config
        parts["config"] = time.perf_counter() - t
        t = time.perf_counter()
        ws.version(DOCUMENT, BASE)
        ws.version(DOCUMENT, REV)
        parts["versions"] = time.perf_counter() - t
        t = time.perf_counter()
        ws.contributions(DOCUMENT, ROUND1)
        parts["contributions"] = time.perf_counter() - t
        t = time.perf_counter()
        ws.decisions(DOCUMENT, ROUND1)
        parts["decisions"] = time.perf_counter() - t
        t = time.perf_counter()
        ws.git.head()
        parts["git"] = time.perf_counter() - t
        return {"parts": parts}

    b.inproc("load.inproc", load, setup=lambda i: w1)

    say("proposals --json")

    def proposals_check(r: ProcResult) -> str | None:
        rows = json.loads(r.stdout.read_text("utf-8"))
        if len(rows) != spec.total:
            return f"listed {len(rows)} proposals, expected {spec.total}"
        return None

    def cold(args: list[str]) -> Callable[[int], list[str]]:
        def prepare(i: int) -> list[str]:
            shutil.rmtree(w1 / ".git" / "drafting-cache", ignore_errors=True)
            return args

        return prepare

    p_args = ["--workspace", str(w1), "proposals", DOCUMENT, "--json"]
    b.cli(
        "proposals.cold", [], cwd=work, prepare=cold(p_args), check=proposals_check, budget=Budget(2, b.budget.seconds)
    )
    b.cli("proposals", p_args, cwd=work, check=proposals_check)
    b.inproc(
        "proposals.inproc",
        lambda root: json.dumps(svc_inputs.list_proposals(Workspace(root), DOCUMENT), ensure_ascii=False),
        setup=lambda i: w1,
    )

    say("diff zero-draft -> rev1")

    # `diff --json` is the contract's word-level diff; `--labels` adds the delegations
    # behind each change (the provenance walk), as the HTML/Markdown views and the app do
    # drafting keeps computed diffs, labels and blame in its cache (Workspace.derived): the
    # plain figures are a repeated diff, the `.first` ones the first diff of these two
    # versions (the versions themselves read before, as after compose)
    def first(args: list[str] | None) -> Callable[[int], Any]:
        def prepare(i: int):
            _forget_derived(w1)
            return args if args is not None else w1

        return prepare

    d_args = ["--workspace", str(w1), "diff", DOCUMENT, BASE, REV, "--json"]
    b.cli("diff.first", [], cwd=work, prepare=first(d_args))
    b.cli("diff", d_args, cwd=work)
    b.cli("diff.labels.first", [], cwd=work, prepare=first([*d_args, "--labels"]))
    b.cli("diff.labels", [*d_args, "--labels"], cwd=work)
    b.inproc(
        "diff.first.inproc",
        lambda root: svc_versions.diff(Workspace(root), DOCUMENT, BASE, REV, labels=False),
        setup=first(None),
    )
    b.inproc(
        "diff.inproc",
        lambda root: svc_versions.diff(Workspace(root), DOCUMENT, BASE, REV, labels=False),
        setup=lambda i: w1,
    )
    b.inproc(
        "diff.labels.inproc", lambda root: svc_versions.diff(Workspace(root), DOCUMENT, BASE, REV), setup=lambda i: w1
    )
    from drafting.text.diff import diff_versions

    ws_loaded = Workspace(w1)
    v_old, v_new = ws_loaded.version(DOCUMENT, BASE), ws_loaded.version(DOCUMENT, REV)
    b.inproc("diff.core", lambda _: diff_versions(v_old, v_new), memory=False)

    say("blame rev1")
    b.cli("blame.first", [], cwd=work, prepare=first(["--workspace", str(w1), "blame", DOCUMENT, REV, "--json"]))
    b.cli("blame", ["--workspace", str(w1), "blame", DOCUMENT, REV, "--json"], cwd=work)
    b.inproc("blame.inproc", lambda root: svc_versions.blame(Workspace(root), DOCUMENT, REV), setup=lambda i: w1)

    # ---- baselines on the same two versions
    old_path, new_path = w1 / f"drafts/{DOCUMENT}/{BASE}.yaml", w1 / f"drafts/{DOCUMENT}/{REV}.yaml"
    if opts.baselines:
        say("baselines: redlines, difflib")
        old_t, new_t = baselines.read_texts(old_path), baselines.read_texts(new_path)
        b.inproc(
            "baseline.redlines_script",
            lambda _: baselines.redlines_script(old_path, new_path),
            group="baseline",
            memory=False,
        )
        b.inproc(
            "baseline.redlines_core", lambda _: baselines.redlines_core(old_t, new_t), group="baseline", memory=False
        )
        b.inproc(
            "baseline.difflib_core", lambda _: baselines.difflib_core(old_t, new_t), group="baseline", memory=False
        )
        # the script as a user runs it: a process (interpreter, imports, YAML, redlines)
        script = b.outdir / "redlines_script.py"
        script.write_text(baselines.REDLINES_SCRIPT, "utf-8")
        b.external(
            "baseline.redlines_script.process",
            [sys.executable, str(script), str(old_path), str(new_path)],
            cwd=b.outdir,
        )

    # ---- agreed language (references written on a copy of the composed workspace)
    say("agreed language: precedents, proposals --precedents")
    from . import precedents as bench_precedents

    result["precedents"] = bench_precedents.measure(b, work, w1, spec)

    # ---- documents
    if opts.documents:
        say("documents: tracked-changes DOCX, compilation, pandoc's clean conversion")
        md = b.outdir / f"{REV}.md"
        md.write_text(baselines.markdown_of(new_path), "utf-8")
        b.external(
            "baseline.pandoc_clean",
            baselines.pandoc_clean_argv(md, b.outdir / f"{REV}-clean-pandoc.docx"),
            cwd=b.outdir,
        )
        ast = b.outdir / f"{REV}.json"
        r = run_proc(baselines.pandoc_json_argv(md, ast), cwd=b.outdir, out=b.outdir / "pandoc-json.out")
        if r.rc == 0:
            b.external(
                "baseline.pandoc_writer",
                baselines.pandoc_writer_argv(ast, b.outdir / f"{REV}-clean-writer.docx"),
                cwd=b.outdir,
            )
        else:
            b.add(Measure("baseline.pandoc_writer", "baseline", skipped=f"pandoc exit {r.rc}: {r.stderr[-200:]}"))
        tracked = b.outdir / f"{REV}-tracked.docx"
        b.cli(
            "export_tracked",
            [
                "--workspace",
                str(w1),
                "export",
                DOCUMENT,
                REV,
                "--changes-since",
                BASE,
                "--format",
                "docx",
                "-o",
                str(tracked),
            ],
            cwd=work,
        )
        b.cli(
            "export_clean",
            [
                "--workspace",
                str(w1),
                "export",
                DOCUMENT,
                REV,
                "--format",
                "docx",
                "-o",
                str(b.outdir / f"{REV}-clean.docx"),
            ],
            cwd=work,
        )
        b.cli(
            "compilation",
            [
                "--workspace",
                str(w1),
                "compilation",
                DOCUMENT,
                "--round",
                ROUND1,
                "--format",
                "docx",
                "-o",
                str(b.outdir / "compilation.docx"),
            ],
            cwd=work,
        )
        b.cli(
            "compilation.json",
            [
                "--workspace",
                str(w1),
                "compilation",
                DOCUMENT,
                "--round",
                ROUND1,
                "--format",
                "json",
                "-o",
                str(b.outdir / "compilation.json"),
            ],
            cwd=work,
        )

        def exp_tracked(root: Path):
            from drafting.service import exports

            return exports.export_tracked(
                Workspace(root), DOCUMENT, REV, BASE, "docx", b.outdir / f"{REV}-tracked-inproc.docx"
            )

        b.inproc("export_tracked.inproc", exp_tracked, setup=lambda i: w1, memory=False)

    # ---- the app
    if opts.app:
        say("app: first render of the Draft page")
        b.add(app_first_render(w1, b))

    # ---- writes
    conc_root = copy_workspace(w1, work / "w-concurrent") if opts.concurrency else None
    # (resubmissions into the zero draft's round: on W0, where it was not composed yet)
    conc_same = copy_workspace(w0, work / "w-concurrent-same") if opts.concurrency and opts.same_round else None
    submitters = _submit_pool(w1)
    say("submit (one delegation's inputs on rev1, as a CLI process)")
    files = _submission_files(w1, b.outdir / "submissions", submitters, seed=spec.seed)
    used: list[str] = []

    def next_submit(i: int) -> list[str] | None:
        if i >= len(submitters):
            return None
        code = submitters[i][0]
        used.append(code)
        return ["--workspace", str(w1), "submit", str(files[code]), "--delegation", code, "--json"]

    b.cli("submit", [], cwd=work, prepare=next_submit)

    def submit_setup(i: int):
        code = submitters[len(used) + i][0]
        return (Workspace(w1), code)

    def submit_inproc(arg):
        ws, code = arg
        return svc_inputs.submit_file(ws, files[code], delegation=code)

    b.inproc("submit.inproc", submit_inproc, setup=submit_setup, memory=False)

    say("decide (the Presidency accepts an open proposal)")
    open_ids = list(gen.open_ids["text"])

    def next_decide(i: int) -> list[str] | None:
        if i >= len(open_ids):
            return None
        return ["--workspace", str(w1), "decide", open_ids[i], "accepted", "--json"]

    b.cli("decide", [], cwd=work, prepare=next_decide)

    if conc_root is not None:
        say(f"{opts.concurrency} concurrent submit processes")
        b.add(concurrent_submits(conc_root, opts.concurrency, b.outdir / "concurrent", seed=spec.seed))
    if conc_same is not None:
        say(f"{opts.concurrency} concurrent submit processes into {ROUND1} (resubmissions)")
        with server_clock(DURING_ROUND1):
            b.add(
                concurrent_submits(
                    conc_same,
                    opts.concurrency,
                    b.outdir / "concurrent-same",
                    seed=spec.seed,
                    round_id=ROUND1,
                    base=BASE,
                    name="submit.concurrent.same_round",
                )
            )

    # ---- start-up floors (what any command pays before it does anything)
    say("start-up floors")
    b.external("startup.python", [sys.executable, "-c", "pass"], cwd=work, group="startup")
    b.external("startup.cli_help", drafting_cmd("--help"), cwd=work, group="startup")
    b.external(
        "startup.imports",
        [
            sys.executable,
            "-c",
            "import drafting.cli.main, drafting.cli.commands, "
            "drafting.service.inputs, drafting.service.versions, drafting.store.git, "
            "drafting.text.merge, drafting.text.provenance",
        ],
        cwd=work,
        group="startup",
    )

    if opts.hostile:
        from . import hostile as bench_hostile

        result["hostile"] = bench_hostile.measure(b, work)

    if opts.profile_dir:
        profile_point(w1, work, opts.profile_dir, files, submitters[len(used) + 10 :])

    result["measures"] = {k: v.to_json() for k, v in b.measures.items()}
    result["ratios"] = ratios(b.measures)
    result["rev1"] = _version_stats(w1)
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _forget_derived(root: Path) -> None:
    """Remove the kept diffs, labels and blame of the measured versions."""
    from drafting.store.parsecache import ParseCache

    cache = ParseCache(root)
    for name in (f"diff:{DOCUMENT}:{BASE}:{REV}", f"labels:{DOCUMENT}:{BASE}:{REV}", f"blame:{DOCUMENT}:{REV}"):
        cache.forget(f"derived:{name}")


def _read_all(root: Path) -> None:
    """Read every file of the workspace once, as any command would."""
    from drafting.store.workspace import Workspace

    ws = Workspace(root)
    for r in ws.config.rounds:
        ws.contributions(r.document, r.id)
        ws.decisions(r.document, r.id)
        ws.proposal_ids(r.document, r.id)
    for d in ws.config.documents:
        for n in ws.version_names(d):
            ws.version(d, n)


def _version_stats(w1: Path) -> dict[str, Any]:
    from drafting.store.workspace import Workspace

    ws = Workspace(w1)
    v0, v1 = ws.version(DOCUMENT, BASE), ws.version(DOCUMENT, REV)
    return {
        "zero_draft_paragraphs": len(v0.paragraphs),
        "rev1_paragraphs": len(v1.paragraphs),
        "zero_draft_words": sum(len(p.text.split()) for p in v0.paragraphs),
        "rev1_words": sum(len(p.text.split()) for p in v1.paragraphs),
        "rev1_bracketed_paragraphs": sum(1 for p in v1.paragraphs if "[Alt " in p.text),
    }


def ratios(ms: dict[str, Measure]) -> dict[str, Any]:
    def r(a: str, bname: str) -> float | None:
        x, y = ms.get(a), ms.get(bname)
        if not x or not y or not x.times or not y.times:
            return None
        return round(statistics.median(x.times) / statistics.median(y.times), 3)

    return {
        "diff.inproc / baseline.redlines_script": r("diff.inproc", "baseline.redlines_script"),
        "diff.first.inproc / baseline.redlines_script": r("diff.first.inproc", "baseline.redlines_script"),
        "diff.first (CLI) / baseline.redlines_script.process": r("diff.first", "baseline.redlines_script.process"),
        "diff.core / baseline.redlines_core": r("diff.core", "baseline.redlines_core"),
        "diff.core / baseline.difflib_core": r("diff.core", "baseline.difflib_core"),
        "diff (CLI) / baseline.redlines_script": r("diff", "baseline.redlines_script"),
        "diff (CLI) / baseline.redlines_script.process": r("diff", "baseline.redlines_script.process"),
        "diff.labels.inproc / baseline.redlines_script": r("diff.labels.inproc", "baseline.redlines_script"),
        "export_tracked (CLI) / baseline.pandoc_clean": r("export_tracked", "baseline.pandoc_clean"),
        "export_tracked.inproc / baseline.pandoc_clean": r("export_tracked.inproc", "baseline.pandoc_clean"),
        "export_clean (CLI) / baseline.pandoc_clean": r("export_clean", "baseline.pandoc_clean"),
        "export_tracked (CLI) / baseline.pandoc_writer": r("export_tracked", "baseline.pandoc_writer"),
        "export_clean (CLI) / baseline.pandoc_writer": r("export_clean", "baseline.pandoc_writer"),
    }


# ------------------------------------------------------------------------------ submissions


def _submit_pool(w1: Path) -> list[tuple[str, str]]:
    """Delegations that may submit (all but the Presidency and the secretariat)."""
    from drafting.store.workspace import Workspace

    cfg = Workspace(w1).config
    return [(d.code, d.role) for d in cfg.delegations if d.role in ("state-party", "signatory", "observer")]


def _submission_files(
    w1: Path, d: Path, pool: list[tuple[str, str]], *, seed: int, round_id: str = ROUND2, base: str = REV
) -> dict[str, Path]:
    """One small YAML contribution per delegation on ``round_id`` (against ``base``): two
    amendments and a comment (observers: three comments)."""
    import random

    from drafting.store import yamlio
    from drafting.store.workspace import Workspace

    ws = Workspace(w1)
    paras = [p for p in ws.version(DOCUMENT, base).paragraphs if p.kind != "heading"]
    rng = random.Random(seed + 1)
    d.mkdir(parents=True, exist_ok=True)
    out = {}
    for code, role in pool:
        targets = rng.sample(paras, 3)
        props: list[dict[str, Any]] = []
        for j, t in enumerate(targets):
            if role == "observer" or j == 2:
                props.append(
                    {
                        "op": "comment",
                        "paragraph": t.id,
                        "text": f"{code} asks the Presidency to keep this paragraph under review.",
                    }
                )
            else:
                props.append({"op": "amend", "paragraph": t.id, "text": amend_text(t.text, rng)})
        # a resubmission keeps what the delegation submitted before (ids and all: decided
        # proposals may not be dropped or changed) and adds the new proposals
        existing = w1 / f"contributions/{DOCUMENT}/{round_id}/{code}.yaml"
        if existing.is_file():
            props = list(yamlio.load(existing).get("proposals") or []) + props
        data = {"delegation": code, "document": DOCUMENT, "round": round_id, "base": base, "proposals": props}
        path = d / f"{code}.yaml"
        path.write_text(yamlio.dumps(data), "utf-8")
        out[code] = path
    return out


def concurrent_submits(
    root: Path,
    n: int,
    outdir: Path,
    *,
    seed: int,
    round_id: str = ROUND2,
    base: str = REV,
    name: str = "submit.concurrent",
) -> Measure:
    """``n`` ``submit`` processes started at once on ``root``; all must be committed."""
    m = Measure(name, "concurrency")
    # read once, as any command will have read it (the copy is fresh: the id index keeps
    # only files written over a second ago, so wait that second first)
    time.sleep(1.2)
    _read_all(root)
    pool = _submit_pool(root)
    files = _submission_files(root, outdir / "files", pool, seed=seed + 7, round_id=round_id, base=base)
    before = int(git(root, "rev-list", "--count", "HEAD").strip())
    jobs = []
    codes = []
    for i in range(n):
        code = pool[i % len(pool)][0]
        codes.append(code)
        jobs.append(
            (
                drafting_cmd("--workspace", str(root), "submit", str(files[code]), "--delegation", code, "--json"),
                outdir,
                outdir / f"{i:03d}-{code}.json",
            )
        )
    results, wall, spawned = run_many(jobs)
    rcs = [r.rc for r in results]
    rss = [r.rss_kb for r in results]
    latencies = [r.seconds for r in results]
    # verification: every process reported a commit, every commit is on the branch, once
    shas = []
    failures = []
    for code, r in zip(codes, results, strict=True):
        if r.rc != 0:
            failures.append(f"{code}: exit {r.rc}: {r.stderr[-200:]}")
            continue
        try:
            shas.append(json.loads(r.stdout.read_text("utf-8"))["commit"])
        except (ValueError, KeyError) as e:
            failures.append(f"{code}: unreadable output ({e})")
    on_branch = set(git(root, "rev-list", "HEAD").split())
    after = int(git(root, "rev-list", "--count", "HEAD").strip())
    committed = sum(1 for s in shas if s in on_branch)
    in_round = int(git(root, "rev-list", "--count", "--grep", f"Drafting-Round: {round_id}", "HEAD").strip())
    dirty = git(root, "status", "--porcelain").strip()
    m.times = [wall]
    m.cpu = [sum(r.cpu for r in results)]
    m.rss_kb = rss
    m.extra = {
        "round": round_id,
        "processes": n,
        "exit_0": sum(1 for r in rcs if r == 0),
        "commits_reported": len(shas),
        "commits_on_branch": committed,
        "distinct_commits": len(set(shas)),
        "new_commits": after - before,
        "round_commits": in_round,
        "work_tree_clean": not dirty,
        "spawn_s": round(spawned, 3),
        "throughput_per_s": round(n / wall, 2),
        "latency_median_s": round(statistics.median(latencies), 3),
        "latency_max_s": round(max(latencies), 3),
        "sum_peak_rss_mb": round(sum(rss) / 1024),
        "failures": failures[:10],
    }
    ok = committed == n and after - before == n and len(set(shas)) == n and not dirty
    m.note = f"{committed}/{n} committed" + ("" if ok else " — NOT ALL COMMITTED")
    say(
        f"  {n} processes: {committed} commits on the branch ({after - before} new), wall {fmt_s(wall)}, "
        f"{n / wall:.1f} submits/s, work tree {'clean' if not dirty else 'DIRTY'}"
    )
    return m


# ------------------------------------------------------------------------------ the app

APP_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from streamlit.testing.v1 import AppTest
t1 = time.perf_counter()
at = AppTest.from_file(sys.argv[1], default_timeout=float(sys.argv[2]))
c1 = time.process_time()
at.run()
t2 = time.perf_counter()
c2 = time.process_time()
at.run()  # the same page again: from the app's caches
t3 = time.perf_counter()
out = {"import_s": t1 - t0, "render_s": t2 - t1, "render_cpu_s": c2 - c1,
       "rerun_s": t3 - t2, "rerun_cpu_s": time.process_time() - c2,
       "exceptions": [str(getattr(e, "message", e))[:300] for e in at.exception],
       "errors": [str(getattr(e, "value", e))[:300] for e in at.error],
       "markdown": len(at.markdown)}
print(json.dumps(out))
"""


def find_app() -> Path | None:
    from . import ROOT

    app = ROOT / "app.py"
    return app if app.is_file() else None


def app_first_render(w1: Path, b: Bench) -> Measure:
    """The Draft page's first render in a fresh process (``app.first_render``), and its
    rerun from the app's caches (``app.rerun``, added to ``b``)."""
    m = Measure("app.first_render", "app")
    rerun = Measure("app.rerun", "app")
    app = find_app()
    if app is None:
        m.skipped = "app.py is not at the repository root yet"
        return m
    script = b.outdir / "app_render.py"
    script.write_text(APP_SCRIPT, "utf-8")
    more = b.budget.runs()
    i = 0
    totals = []
    while more(m.times):
        r = run_proc(
            [sys.executable, str(script), str(app), "300"],
            cwd=b.outdir,
            out=b.outdir / f"app.{i}.out",
            env=cli_env({"DRAFTING_WORKSPACE": str(w1)}),
        )
        i += 1
        if r.rc != 0:
            m.skipped, m.times = f"exit {r.rc}: {r.stderr[-300:]}", []
            break
        info = json.loads(r.stdout.read_text("utf-8").strip().splitlines()[-1])
        if info["exceptions"]:
            m.note = f"the page raised: {info['exceptions'][0]}"
        m.times.append(info["render_s"])
        m.cpu.append(info["render_cpu_s"])
        rerun.times.append(info["rerun_s"])
        rerun.cpu.append(info["rerun_cpu_s"])
        m.rss_kb.append(r.rss_kb)
        totals.append(r.seconds)
        m.extra["markdown_elements"] = info["markdown"]
        m.extra["streamlit_import_s"] = round(info["import_s"], 3)
    if totals:
        m.extra["process_total_median_s"] = round(statistics.median(totals), 3)
    if m.times:
        b.add(rerun)
    return m


# ------------------------------------------------------------------------------ profiles


def profile_point(w1: Path, work: Path, outdir: Path, files: dict[str, Path], spare: list[tuple[str, str]]) -> None:
    """pyinstrument text profiles of the CLI commands (start-up included)."""
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        say("profiles: pyinstrument is not installed (pip install pyinstrument); skipped")
        return
    w0copy = copy_workspace(work / "w0", work / "w0-profile")
    spare_code = spare[0][0] if spare else None
    jobs = {
        "proposals": ["--workspace", str(w1), "proposals", DOCUMENT, "--json"],
        "compose": [
            "--workspace",
            str(w0copy),
            "compose",
            "--allow-open",
            DOCUMENT,
            "--from",
            BASE,
            "--to",
            REV,
            "--json",
        ],
        "diff": ["--workspace", str(w1), "diff", DOCUMENT, BASE, REV, "--json"],
        "diff_labels": ["--workspace", str(w1), "diff", DOCUMENT, BASE, REV, "--json", "--labels"],
        "blame": ["--workspace", str(w1), "blame", DOCUMENT, REV, "--json"],
        "export_tracked": [
            "--workspace",
            str(w1),
            "export",
            DOCUMENT,
            REV,
            "--changes-since",
            BASE,
            "--format",
            "docx",
            "-o",
            str(work / "profile-tracked.docx"),
        ],
        "compilation": [
            "--workspace",
            str(w1),
            "compilation",
            DOCUMENT,
            "--round",
            ROUND1,
            "--format",
            "docx",
            "-o",
            str(work / "profile-compilation.docx"),
        ],
    }
    if spare_code:
        jobs["submit"] = [
            "--workspace",
            str(w1),
            "submit",
            str(files[spare_code]),
            "--delegation",
            spare_code,
            "--json",
        ]
    for name, args in jobs.items():
        dest = outdir / f"{name}.txt"
        argv = [
            sys.executable,
            "-m",
            "pyinstrument",
            "--renderer",
            "text",
            "-o",
            str(dest),
            "-m",
            "drafting.cli",
            *args,
        ]
        r = run_proc(argv, cwd=work, out=work / f"profile-{name}.out")
        say(f"  profile {name}: {'written to ' + str(dest) if r.rc == 0 else 'failed: ' + r.stderr[-200:]}")


# ------------------------------------------------------------------------------ targets


TARGETS = (
    # (label, measure, kind, limit): kind "s" (seconds) or "x" (ratio to a baseline)
    ("compose", "compose", "s", 2.0),
    ("proposals --json", "proposals", "s", 1.0),
    ("diff vs redlines script (both in-process)", "diff.inproc / baseline.redlines_script", "x", 0.3),
    ("diff vs redlines script (both as processes)", "diff (CLI) / baseline.redlines_script.process", "x", 0.3),
    (
        "first diff of two versions vs redlines script (in-process)",
        "diff.first.inproc / baseline.redlines_script",
        "x",
        0.3,
    ),
    (
        "first diff of two versions vs redlines script (processes)",
        "diff.first (CLI) / baseline.redlines_script.process",
        "x",
        0.3,
    ),
    ("blame", "blame", "s", 2.0),
    ("tracked DOCX vs pandoc clean", "export_tracked (CLI) / baseline.pandoc_clean", "x", 3.0),
    ("200 concurrent submits (round on rev1)", "submit.concurrent", "s", 30.0),
    ("200 concurrent submits (same round)", "submit.concurrent.same_round", "s", 30.0),
    ("Draft page first render", "app.first_render", "s", 3.0),
    ("Draft page rerun (cached)", "app.rerun", "s", 1.5),
    ("slowest refusal of a hostile input file (process)", "hostile.slowest", "s", 10.0),
    ("precedents: the draft against 20 references of 300 paragraphs", "precedents.check", "s", 1.0),
    ("precedents, the index built first", "precedents.first", "s", 2.0),
    ("proposals --precedents, every proposal, first (in-process)", "proposals.precedents.inproc", "s", 3.0),
)


def target_table(point: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of the issue: measured, PASS or MISS (n/a when not measurable yet)."""
    rows = []
    ms, rs = point["measures"], point["ratios"]
    for label, key, kind, limit in TARGETS:
        row: dict[str, Any] = {
            "target": label,
            "limit": f"≤ {limit:g} s" if kind == "s" else f"≤ {limit:g} x",
            "measure": key,
        }
        ok = True
        if kind == "x":
            v = rs.get(key)
            row["shown"] = "-" if v is None else f"{v:.2f} x"
        else:
            m = ms.get(key, {})
            v = m.get("median_s")
            row["shown"] = "-" if v is None else fmt_s(v)
            if m.get("skipped"):
                row["note"] = m["skipped"]
            if key.startswith("submit.concurrent") and v is not None:
                ok = bool(
                    m.get("commits_on_branch") == m.get("processes") == m.get("new_commits")
                    and m.get("work_tree_clean")
                )
                row["shown"] += f", {m.get('commits_on_branch')}/{m.get('processes')} committed"
                row["target"] = row["target"].replace("200", str(m.get("processes")))
        row["measured"] = v
        row["status"] = "n/a" if v is None else ("PASS" if ok and v <= limit else "MISS")
        rows.append(row)
    return rows


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    print(f"\n{title}")
    w = max(len(r["target"]) for r in rows)
    print(f"  {'target'.ljust(w)}  {'limit':>10}  {'measured':<34} status")
    for r in rows:
        print(
            f"  {r['target'].ljust(w)}  {r['limit']:>10}  {r['shown']:<34} {r['status']}"
            + (f"  ({r['note'][:80]})" if r.get("note") else "")
        )


def print_point(point: dict[str, Any]) -> None:
    print(f"\n== {point['label']} ==")
    ms = point["measures"]
    print(f"  {'operation':<28} {'median':>10} {'min':>10} {'CPU':>10} {'n':>3} {'peak RSS':>9} {'py heap':>8}")
    for name, m in ms.items():
        if m.get("skipped"):
            print(f"  {name:<28} {'skipped: ' + m['skipped'][:70]}")
            continue
        rss = f"{m['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in m else ""
        heap = f"{m['peak_python_heap_mb']:.0f} MB" if "peak_python_heap_mb" in m else ""
        print(
            f"  {name:<28} {fmt_s(m.get('median_s')):>10} {fmt_s(m.get('min_s')):>10} "
            f"{fmt_s(m.get('cpu_median_s')):>10} {m.get('n', 0):>3} "
            f"{rss:>9} {heap:>8}" + (f"  {m['note']}" if m.get("note") else "")
        )
    print("  ratios (ours / baseline, medians):")
    for k, v in point["ratios"].items():
        if v is not None:
            print(f"    {k:<50} {v:8.2f}")


# ------------------------------------------------------------------------------ the run


def machine() -> dict[str, Any]:
    import importlib.metadata as md

    def ver(pkg: str) -> str | None:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return None

    gitv = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    with contextlib.suppress(ValueError, OSError):
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    head = None
    try:
        import drafting

        head = (
            subprocess.run(
                ["git", "-C", str(Path(drafting.__file__).resolve().parents[2]), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or None
        )
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem,
        "git": gitv,
        "pandoc": baselines.pandoc_version(),
        "packages": {
            p: ver(p)
            for p in (
                "ruamel.yaml",
                "ruamel.yaml.clib",
                "GitPython",
                "diff-match-patch",
                "redlines",
                "streamlit",
                "pypandoc-binary",
                "matplotlib",
            )
        },
        "drafting_commit": head,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run(
    points: list[tuple[Spec, Options, str]], out: Path, plot: Path | None, workdir: Path | None, keep: bool
) -> dict[str, Any]:
    base = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="drafting-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"meta": machine(), "points": []}
    say(f"working in {base}; {len(points)} scale point{'s' if len(points) != 1 else ''}")
    session = contextlib.ExitStack()
    session.enter_context(server_clock(DURING_ROUND2))  # (the conference in session: see generator)
    try:
        for i, (spec, opts, role) in enumerate(points, start=1):
            say(f"---- point {i}/{len(points)} ({role})")
            opts.keep = keep
            load_before = [round(x, 2) for x in os.getloadavg()]
            t = time.perf_counter()
            try:
                point = run_point(spec, base / f"p{i}", opts)
            except Exception as e:  # noqa: BLE001 - reporting only: say what broke, go on with the next point
                say(f"  point failed: {type(e).__name__}: {e}")
                point = {
                    "label": spec.label(),
                    "error": f"{type(e).__name__}: {e}",
                    "spec": {
                        "paragraphs": spec.paragraphs,
                        "delegations": spec.delegations,
                        "proposals_each": spec.proposals_each,
                        "accepted_target": spec.accepted,
                    },
                }
            point["role"] = role
            point["seconds"] = round(time.perf_counter() - t, 1)
            point["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            point["load_average_before"] = load_before
            if role == "target" and "measures" in point:
                point["targets"] = target_table(point)
            results["points"].append(point)
            if "measures" in point:
                print_point(point)
                if "targets" in point:
                    print_table(point["targets"], f"Targets at {point['label']} (reporting only)")
            _write(results, out, plot)
    finally:
        _Launcher.close()
        session.close()
        if not keep and not workdir:
            shutil.rmtree(base, ignore_errors=True)
    say(f"results in {out}" + (f", plot in {plot}" if plot else ""))
    return results


def defects(results: dict[str, Any]) -> list[str]:
    """What makes a run's figures wrong rather than slow: one of drafting's own commands
    refused (so its time is a refusal's), or concurrent submissions not all committed. The
    baselines may be missing (an optional library): they are not drafting's."""
    out = []
    for p in results["points"]:
        if "error" in p:
            out.append(f"{p['label']}: {p['error']}")
        for name, m in p.get("measures", {}).items():
            if m.get("skipped") and m.get("group") != "baseline":
                out.append(f"{p['label']}: {name} did not run: {m['skipped']}")
            if m.get("group") == "concurrency" and "NOT ALL" in (m.get("note") or ""):
                fails = "; ".join(m.get("failures") or m.get("extra", {}).get("failures") or [])
                out.append(f"{p['label']}: {name}: {m['note']}{': ' + fails[:300] if fails else ''}")
    return out


def _write(results: dict[str, Any], out: Path, plot: Path | None) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if plot:
        try:
            from .plot import draw

            draw(results, plot)
        except ImportError as e:
            say(f"no plot: {e} (pip install matplotlib)")
