"""``python -m bench``: the benchmark (``make bench``).

Grids (each point: P paragraphs, D delegations x K proposals, A accepted):

- default: the target point (P=300, 193 x 50, A=1000: every operation, 5 repeats, 200
  concurrent submits, the app) and a scaling series along paragraphs (P = 100, 1000, 3000
  at 193 x 50) and along proposals (50 x 20, 193 x 20, 193 x 100 at P = 300), 3 repeats;
  about 30 minutes on 2 cores (the target point alone: about 8);
- ``--quick``: two small points (a minute or two), 20 concurrent submits;
- ``--full``: the default plus P = 1000 and 3000 at 193 x 100, with documents and the app
  at every point;
- ``--target-only``: the target point alone; ``--points 300:193x50:1000,...`` any grid.

Results go to ``docs/bench/results.json`` and ``docs/bench/scaling.png`` (``--out``,
``--plot``). Misses are reported, never fatal. The exit status is 1 when the benchmark
could not measure what it claims: one of drafting's commands refused (its time would be a
refusal's), or concurrent submissions were not all committed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .generator import Spec
from .runner import Options, defects, run

TARGET = (300, 193, 50, 1000)


def accepted_for(d: int, k: int) -> int:
    """A scales with the proposals: 1,000 accepted of 193 x 50 (about 10 %)."""
    return max(1, round(d * k * 1000 / (193 * 50)))


def repo_root() -> Path:
    from . import ROOT

    return ROOT


def grid(args) -> list[tuple[Spec, Options, str]]:
    def spec(p: int, d: int, k: int, a: int | None = None) -> Spec:
        return Spec(
            paragraphs=p,
            delegations=d,
            proposals_each=k,
            accepted=accepted_for(d, k) if a is None else a,
            seed=args.seed,
            decision_commits=args.decision_commits,
        )

    def target_opts() -> Options:
        return Options(
            repeats=args.repeats or 5,
            budget_s=40,
            concurrency=200 if args.concurrency is None else args.concurrency,
            app=not args.no_app,
            documents=not args.no_documents,
            hostile=True,
            profile_dir=args.profile,
        )

    def series_opts(full: bool = False) -> Options:
        return Options(
            repeats=args.repeats or 3,
            budget_s=20,
            concurrency=0 if args.points is None or args.concurrency is None else args.concurrency,
            same_round=False,
            app=(full or args.points is not None) and not args.no_app,
            documents=not args.no_documents,
        )

    if args.points:
        out = []
        for item in args.points.split(","):
            m = re.fullmatch(r"\s*(\d+):(\d+)x(\d+)(?::(\d+))?\s*", item)
            if not m:
                raise SystemExit(f"--points: cannot read {item!r} (write P:DxK or P:DxK:A)")
            p, d, k = int(m[1]), int(m[2]), int(m[3])
            s = spec(p, d, k, int(m[4]) if m[4] else None)
            is_target = (p, d, k, s.accepted) == TARGET
            out.append((s, target_opts() if is_target else series_opts(), "target" if is_target else "series"))
        return out
    if args.quick:
        o1 = Options(repeats=args.repeats or 3, budget_s=10, concurrency=0, app=False, documents=not args.no_documents)
        o2 = Options(
            repeats=args.repeats or 3,
            budget_s=10,
            concurrency=20 if args.concurrency is None else args.concurrency,
            app=not args.no_app,
            documents=not args.no_documents,
            hostile=True,
            profile_dir=args.profile,
        )
        return [(spec(100, 20, 10), o1, "series"), (spec(300, 50, 20), o2, "quick")]
    target = [(spec(*TARGET), target_opts(), "target")]
    if args.target_only:
        return target
    series = [
        (spec(100, 193, 50), series_opts(args.full), "series"),
        (spec(1000, 193, 50), series_opts(args.full), "series"),
        (spec(3000, 193, 50), series_opts(args.full), "series"),
        (spec(300, 50, 20), series_opts(args.full), "series"),
        (spec(300, 193, 20), series_opts(args.full), "series"),
        (spec(300, 193, 100), series_opts(args.full), "series"),
    ]
    if args.full:
        series += [
            (spec(1000, 193, 100), series_opts(True), "series"),
            (spec(3000, 193, 100), series_opts(True), "series"),
        ]
    return target + series


def compile_bytecode() -> None:
    """Compile drafting's modules once, as installing a package does: the CLI figures are
    then what a user's installed command costs, also where PYTHONDONTWRITEBYTECODE is set
    (which otherwise makes every process compile every module again: measured 0.12 s of
    a 0.27 s submit)."""
    import compileall

    import drafting

    compileall.compile_dir(str(Path(drafting.__file__).parent), quiet=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="two small points (a minute or two)")
    size.add_argument("--full", action="store_true", help="the default grid plus 193 x 100 at P = 1000 and 3000")
    size.add_argument("--target-only", action="store_true", help="only the target point (P=300, 193 x 50, A=1000)")
    size.add_argument("--points", metavar="P:DxK[:A],...", help="a grid of your own, e.g. 300:193x50:1000,1000:50x20")
    ap.add_argument("--out", type=Path, help="results JSON (default docs/bench/results.json)")
    ap.add_argument("--plot", type=Path, help="the PNG plot (default: scaling.png next to --out)")
    ap.add_argument("--no-plot", action="store_true")
    ap.add_argument("--repeats", type=int, help="repeats per measurement (default 5 at the target, 3 elsewhere)")
    ap.add_argument("--concurrency", type=int, help="concurrent submit processes at the target (default 200)")
    ap.add_argument("--no-app", action="store_true", help="skip the app's first render")
    ap.add_argument("--no-documents", action="store_true", help="skip DOCX exports, compilation, pandoc baseline")
    ap.add_argument(
        "--profile",
        type=Path,
        nargs="?",
        const=Path("docs/bench/profiles"),
        metavar="DIR",
        help="write pyinstrument profiles of the CLI commands at the target point (default DIR: docs/bench/profiles)",
    )
    ap.add_argument(
        "--decision-commits",
        choices=("each", "bulk"),
        default="each",
        help="one git commit per decision (default, as `decide` makes them) or one for all",
    )
    ap.add_argument("--seed", type=int, default=20260914)
    ap.add_argument("--workdir", type=Path, help="where the workspaces go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    args = ap.parse_args(argv)

    root = repo_root()
    out = args.out or root / "docs" / "bench" / "results.json"
    plot = None if args.no_plot else (args.plot or out.with_name("scaling.png"))
    if args.profile is not None and not args.profile.is_absolute():
        args.profile = root / args.profile
    points = grid(args)
    compile_bytecode()
    results = run(points, out, plot, args.workdir, args.keep)
    wrong = defects(results)
    for line in wrong:  # (a miss is a figure; a defect means the figure measures something else)
        print(f"BENCHMARK DEFECT: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
