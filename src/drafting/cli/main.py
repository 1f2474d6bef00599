"""``drafting``: the command line (see CONTRACT.md, "Command line").

Every user error is one line on stderr and exit code 2, with the workspace unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..model.errors import DraftingError
from ..model.records import STATUSES
from . import render

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def _ws(args):
    from ..store.workspace import Workspace, resolve_root

    return Workspace(resolve_root(args.workspace))


# --------------------------------------------------------------------------- commands


@command("init")
def cmd_init(args) -> int:
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


@command("import")
def cmd_import(args) -> int:
    from ..service.setup import import_version

    r = import_version(_ws(args), args.document, args.version, Path(args.file), label=args.label, by=args.by)
    if args.json:
        render.emit_json(r)
    else:
        print(
            f"Imported {r['paragraphs']} paragraphs as {r['document']} {r['version']} "
            f"({r['path']}, commit {r['commit'][:10]})."
        )
    return 0


@command("submit")
def cmd_submit(args) -> int:
    from ..service.inputs import submit_file

    ws = _ws(args)
    res = submit_file(ws, Path(args.file), delegation=args.delegation, document=args.document, round=args.round)
    if args.json:
        render.emit_json(res.to_json())
        return 0
    c = res.contribution
    n = len(c.proposals)
    co = f" with {', '.join(c.co_sponsors)}" if c.co_sponsors else ""
    print(
        f"{'Replaced' if res.replaced else 'Submitted'} {n} proposal{'s' if n != 1 else ''} by "
        f"{render.bold(c.delegation)}{co} on {c.document} ({c.round}, against {c.base}): commit {res.commit[:10]}"
    )
    for note in res.notes:
        print(f"  note: {render.clean(note)}")
    rows = [[p.id, p.op, p.target or "(start)", p.text or ""] for p in c.proposals]
    print(render.table(rows, ["id", "op", "paragraph", "text"], wrap=3))
    return 0


@command("proposals")
def cmd_proposals(args) -> int:
    from ..service.inputs import list_proposals

    rows = list_proposals(
        _ws(args),
        args.document,
        round=args.round,
        paragraph=args.paragraph,
        delegation=args.delegation,
        status=args.status,
    )
    if args.json:
        render.emit_json(rows)
        return 0
    if not rows:
        print("No proposals match.")
        return 0
    table = [
        [
            r["id"],
            "+".join([r["delegation"], *r["co_sponsors"]]),
            r["op"],
            r["paragraph"] or (f"after {r['after']}" if r["after"] else "(start)"),
            r["status"],
            r["text"] or "",
        ]
        for r in rows
    ]
    print(render.table(table, ["id", "by", "op", "paragraph", "status", "text"], wrap=5, colour={4: render.status}))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"\n{len(rows)} proposals: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 0


@command("decide")
def cmd_decide(args) -> int:
    from ..service.inputs import decide

    r = decide(
        _ws(args),
        args.proposal,
        args.status,
        text=args.text,
        note=args.note,
        by=args.by,
        document=args.document,
        round=args.round,
    )
    if args.json:
        render.emit_json(r.to_json())
    else:
        print(
            f"{r.proposal.id} ({r.proposal.delegation}, {r.proposal.op}): {render.status(r.status)} "
            f"(commit {r.commit[:10]})"
        )
    return 0


@command("log")
def cmd_log(args) -> int:
    from ..service.setup import history

    rows = history(_ws(args), args.document, limit=args.limit)
    if args.json:
        render.emit_json(rows)
        return 0
    table = [[r["date"][:16].replace("T", " "), r["kind"], r["author"], r["subject"]] for r in rows]
    print(render.table(table, ["date", "kind", "author", "what"], wrap=3))
    return 0


# ------------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="drafting",
        description="The workbench on which a treaty conference negotiates its texts.",
    )
    p.add_argument(
        "--workspace", "-w", metavar="DIR", help="the workspace (default: $DRAFTING_WORKSPACE, else the current folder)"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help: str, json: bool = False) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(json=False)
        if json:
            sp.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        return sp

    s = add("init", "create a workspace (with --example: the bundled example conference)", json=True)
    s.add_argument("dir", metavar="DIR")
    s.add_argument("--example", action="store_true", help="fill it with the bundled example, one commit per submission")

    s = add("import", "a new version from a .docx, .odt, .md or .html file (through pandoc)", json=True)
    s.add_argument("document", metavar="DOC")
    s.add_argument("version", metavar="VERSION")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--label", help="the version's label, e.g. 'Zero draft'")
    s.add_argument("--by", metavar="CODE", help="who imports (default: the Presidency)")

    s = add("submit", "submit a delegation's inputs (YAML, or a .docx of the circulated draft)", json=True)
    s.add_argument("file", metavar="FILE")
    s.add_argument("--delegation", "-d", metavar="CODE", required=True)
    s.add_argument("--document", metavar="DOC")
    s.add_argument("--round", "-r", metavar="R")

    s = add("proposals", "list proposals with their status", json=True)
    s.add_argument("document", metavar="DOC")
    s.add_argument("--round", "-r", metavar="R")
    s.add_argument("--paragraph", "-p", metavar="ID")
    s.add_argument("--delegation", "-d", metavar="CODE")
    s.add_argument("--status", "-s", choices=STATUSES)

    s = add("decide", "record the Presidency's decision on a proposal", json=True)
    s.add_argument("proposal", metavar="PROPOSAL")
    s.add_argument(
        "status",
        metavar="STATUS",
        choices=[x for x in STATUSES],
        help="accepted, modified (with --text), rejected, deferred, withdrawn, addressed, noted, open",
    )
    s.add_argument("--text", help="the Presidency's wording (status modified)")
    s.add_argument("--note", help="a note explaining the decision")
    s.add_argument("--by", metavar="CODE", help="who decides (default: the Presidency)")
    s.add_argument("--document", metavar="DOC")
    s.add_argument("--round", "-r", metavar="R")

    s = add("log", "the history: submissions, decisions, versions", json=True)
    s.add_argument("document", metavar="DOC", nargs="?")
    s.add_argument("--limit", "-n", type=int)

    for extra in _EXTRA_PARSERS:
        extra(add)
    return p


_EXTRA_PARSERS: list[Callable] = []


def extra_parser(fn):
    _EXTRA_PARSERS.append(fn)
    return fn


class _Parser(argparse.ArgumentParser):
    pass


def main(argv: list[str] | None = None) -> int:
    from . import commands  # noqa: F401  (registers the version, format and remote commands)

    parser = build_parser()

    def error(message: str) -> None:  # argparse's errors: one line, exit 2
        sys.stderr.write(f"drafting: {message} (see drafting --help)\n")
        sys.exit(2)

    parser.error = error  # type: ignore[method-assign]
    for sp in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        sp.error = error  # type: ignore[method-assign]
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DraftingError as e:
        sys.stderr.write(f"drafting: {e.line}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("drafting: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: still one line, but say how to see more
        if os.environ.get("DRAFTING_DEBUG"):
            raise
        sys.stderr.write(
            f"drafting: internal error: {type(e).__name__}: {' '.join(str(e).split())[:300]} "
            "(set DRAFTING_DEBUG=1 for the traceback, and please report it)\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
