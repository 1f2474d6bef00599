"""CLI commands: remote (``sync``) and ``check``."""

from __future__ import annotations

import argparse
import sys

from . import render


def sync_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--remote", default="origin", metavar="NAME", help="the git remote (default: origin)")


def check_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "range", nargs="?", metavar="REV-RANGE", help="A..B: check the commits in B not in A (a single A means A..HEAD)"
    )
    p.add_argument(
        "--delegation", "-d", metavar="CODE", help="with a range: every commit must also be authored by this delegation"
    )


def _root(args):
    from ..store.workspace import resolve_root

    return resolve_root(args.workspace)


def _commit_line(c) -> str:
    return f"  {c.sha[:10]}  {render.clean(c.subject)}  ({render.clean(c.author)})"


def sync(args: argparse.Namespace) -> int:
    from ..service.remote import sync
    from ..store.workspace import Workspace

    root = _root(args)
    Workspace(root)  # a drafting workspace, not just any repository
    res = sync(root, args.remote)
    if args.json:
        render.emit_json(res.to_json())
        return 0
    target = f"{res.remote}/{res.branch}"
    if res.up_to_date:
        print(f"Already up to date with {target}.")
        return 0
    if res.fetched:
        n = len(res.fetched)
        print(f"Fetched {n} commit{'s' if n != 1 else ''} from {target}:")
        for c in res.fetched:
            print(_commit_line(c))
    if res.merged:
        print(f"Merged decisions recorded in both places: {', '.join(res.merged)}")
    if res.pushed:
        n = len(res.pushed)
        print(f"Pushed {n} commit{'s' if n != 1 else ''} to {target}:")
        for c in res.pushed:
            print(_commit_line(c))
    if res.attempts > 1:
        print(f"({target} moved while syncing; it took {res.attempts} attempts)")
    return 0


def check(args: argparse.Namespace) -> int:
    from ..service.check import run_check

    report = run_check(_root(args), args.range, delegation=args.delegation)
    if args.json:
        render.emit_json(report.to_json())
        return 0 if report.ok else 2
    if report.ok:
        c = report.counts
        what = (
            f"{c.get('documents', 0)} documents, {c.get('versions', 0)} versions"
            + (f" ({c['translations']} translations)" if c.get("translations") else "")
            + ", "
            f"{c.get('contributions', 0)} contributions ({c.get('proposals', 0)} proposals), "
            f"{c.get('decisions', 0)} decisions"
        )
        line = f"Workspace valid: {what}."
        if report.range:
            n = c.get("commits", 0)
            line += f" {n} commit{'s' if n != 1 else ''} in {report.range}: each touches only what its author may."
        print(line)
        return 0
    for p in report.problems:
        print(render.clean(p.line))
    n = len(report.problems)
    sys.stderr.write(f"drafting: check found {n} problem{'s' if n != 1 else ''}\n")
    return 2
