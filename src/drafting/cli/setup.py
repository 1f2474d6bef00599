"""CLI commands: init, import, log."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import render
from .spec import workspace


def init_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--example", action="store_true", help="fill it with the bundled example, one commit per submission")


def import_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("version", metavar="VERSION")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--label", help="the version's label, e.g. 'Zero draft'")
    p.add_argument("--by", metavar="CODE", help="who imports (default: the Presidency)")


def log_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC", nargs="?")
    p.add_argument("--limit", "-n", type=int, help="only the last N steps")


def init(args: argparse.Namespace) -> int:
    from ..service.setup import init

    result = init(Path(args.dir), example=args.example, progress=render.progress)
    if args.json:
        render.emit_json(result)
    else:
        what = "the bundled example" if args.example else "an empty workspace"
        print(
            f"Created {what} in {result['workspace']} ({result['commits']} commit"
            f"{'s' if result['commits'] != 1 else ''})."
        )
        print(f"Next: drafting --workspace {result['workspace']} log")
    return 0


def import_(args: argparse.Namespace) -> int:
    from ..service.setup import import_version

    r = import_version(workspace(args), args.document, args.version, Path(args.file), label=args.label, by=args.by)
    if args.json:
        render.emit_json(r)
    else:
        print(
            f"Imported {r['paragraphs']} paragraphs as {r['document']} {r['version']} "
            f"({r['path']}, commit {r['commit'][:10]})."
        )
    return 0


def log(args: argparse.Namespace) -> int:
    from ..service.setup import history

    rows = history(workspace(args), args.document, limit=args.limit)
    if args.json:
        render.emit_json(rows)
        return 0
    for r in rows:
        print(render.clean(r["sentence"]))
    return 0
