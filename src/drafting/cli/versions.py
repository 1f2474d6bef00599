"""CLI commands: compose, diff, blame."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import render
from .spec import workspace


def compose_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("--from", dest="from_version", metavar="V", required=True)
    p.add_argument("--to", dest="to_version", metavar="V2", required=True)
    p.add_argument("--round", "-r", metavar="R")
    p.add_argument(
        "--on-conflict",
        choices=("brackets", "fail"),
        default="brackets",
        help="brackets (default): UN-style bracketed alternatives; fail: write nothing",
    )
    p.add_argument("--label", help="e.g. 'Revision 1' (default: from the version name)")
    p.add_argument("--by", metavar="CODE", help="who composes (default: the Presidency)")
    p.add_argument("--dry-run", action="store_true", help="report what would be composed; write nothing")
    p.add_argument(
        "--renumber",
        action="store_true",
        help="issue the new version renumbered 1 .. N (by default it keeps its base's numbers, new paragraphs 'N bis')",
    )
    p.add_argument(
        "--allow-open",
        action="store_true",
        help="compose although proposals of the round are still open (the report lists them)",
    )
    p.add_argument(
        "--open-next",
        action="store_true",
        help="in the same commit, open the next input round on the new version (with --deadline)",
    )
    p.add_argument("--deadline", metavar="WHEN", help="the next round's deadline (with --open-next)")
    p.add_argument("--next-id", metavar="ID", help="the next round's id (with --open-next; default: <version>-inputs)")


def diff_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("v1", metavar="V1")
    p.add_argument("v2", metavar="V2")
    p.add_argument("--format", "-f", choices=("json", "html", "md", "docx"), default=None)
    p.add_argument("--only-changed", action="store_true", help="leave out unchanged paragraphs")
    p.add_argument(
        "--labels",
        action="store_true",
        help="JSON: add 'labels', the delegations behind each change (html and md always have them)",
    )
    p.add_argument("-o", "--output", metavar="FILE")


def blame_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("version", metavar="V")
    p.add_argument("--paragraph", "-p", metavar="ID")


def _next_deadline(args: argparse.Namespace) -> str | None:
    from ..model.errors import DraftingError

    if args.open_next and not args.deadline:
        raise DraftingError("--open-next needs the next round's deadline: add --deadline WHEN")
    if not args.open_next and (args.deadline or args.next_id):
        raise DraftingError("--deadline and --next-id go with --open-next (the next round's)")
    return args.deadline if args.open_next else None


def compose(args: argparse.Namespace) -> int:
    from ..service.versions import compose
    from ..text.composition import ComposeConflicts

    try:
        r = compose(
            workspace(args),
            args.document,
            args.from_version,
            args.to_version,
            round=args.round,
            on_conflict=args.on_conflict,
            by=args.by,
            label=args.label,
            dry_run=args.dry_run,
            renumber=args.renumber,
            allow_open=args.allow_open,
            open_next=_next_deadline(args),
            next_id=args.next_id,
        )
    except ComposeConflicts as e:
        if args.json:
            render.emit_json(e.report)
        raise
    if args.json:
        render.emit_json(r)
        return 0
    verb = "Would compose" if args.dry_run else "Composed"
    print(
        f"{verb} {render.bold(r['version'])} of {r['document']} from {r['from']}"
        f"{' and round ' + r['round'] if r.get('round') else ''}"
        f"{'' if args.dry_run else ' (commit ' + str(r['commit'])[:10] + ')'}"
    )
    print(f"  applied: {len(r['applied'])}  conflicts: {len(r['conflicts'])}  not applied: {len(r['not_applied'])}")
    if r["conflicts"]:
        rows = [[c["paragraph"], ", ".join(c["proposals"]), c["resolution"]] for c in r["conflicts"]]
        print(render.table(rows, ["paragraph", "proposals", "resolution"], wrap=1))
    reasons = r.get("not_applied_reasons") or {}
    if reasons:
        by_reason: dict[str, list[str]] = {}
        for pid, why in reasons.items():
            by_reason.setdefault(why, []).append(pid)
        for why, ids in sorted(by_reason.items()):
            print(f"  not applied ({why}): {', '.join(ids)}")
    if r.get("open_proposals"):
        ids = r["open_proposals"]
        how = "composed without them" if args.allow_open else "compose refuses them unless --allow-open"
        print(f"  still open ({len(ids)}, {how}): {', '.join(ids)}")
    nxt = r.get("next_round")
    if nxt:
        print(render.clean(f"Opened the round {nxt['id']}: {nxt['title']}, until {nxt['deadline_text']}."))
    return 0


def diff(args: argparse.Namespace) -> int:
    from ..service import versions

    fmt = args.format or ("json" if args.json else None)
    ws = workspace(args)
    if fmt == "docx":
        from ..service.exports import export_tracked

        out = Path(args.output or f"{args.document}-{args.v1}-to-{args.v2}.docx")
        export_tracked(ws, args.document, args.v2, args.v1, "docx", out)
        print(f"Wrote {out}", file=sys.stderr)
        return 0
    result = versions.diff(ws, args.document, args.v1, args.v2, labels=fmt in ("html", "md") or args.labels)
    if fmt == "json":
        if args.only_changed:
            result["paragraphs"] = [p for p in result["paragraphs"] if p["change"] != "unchanged"]
        if args.output:
            import json

            render.write_output(args.output, json.dumps(result, ensure_ascii=False, indent=2))
        else:
            render.emit_json(result)
        return 0
    if fmt in ("html", "md"):
        from ..formats import diffview

        title = f"{ws.config.documents[args.document].title}: {args.v1} → {args.v2}"
        labels = versions.delegation_names(ws, result.get("labels") or {})
        numbers = versions.diff_number_labels(ws, args.document, args.v1, args.v2)
        fn = diffview.to_html if fmt == "html" else diffview.to_markdown
        text = fn(result, title=title, labels=labels, numbers=numbers, only_changed=args.only_changed)
        if args.output:
            render.write_output(args.output, text)
            print(f"Wrote {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    # readable terminal output: CriticMarkup-like colours
    for p in result["paragraphs"]:
        if p["change"] == "unchanged":  # the terminal view shows changes only
            continue
        parts = []
        for op, text in p["ops"]:
            text = render.clean(text)
            if op == "insert":
                parts.append(render.paint(f"{{+{text}+}}", "32"))
            elif op == "delete":
                parts.append(render.paint(f"[-{text}-]", "31"))
            else:
                parts.append(text)
        print(f"{render.bold(p['id'])} ({p['change']})\n  {''.join(parts)}\n")
    s = result.get("summary") or {}
    if s:
        print(", ".join(f"{v} {k}" for k, v in s.items()))
    return 0


def blame(args: argparse.Namespace) -> int:
    from ..service.versions import blame

    ws = workspace(args)
    r = blame(ws, args.document, args.version, args.paragraph)
    if args.json:
        render.emit_json(r)
        return 0
    for p in r["paragraphs"]:
        print(render.bold(p["id"]))
        for s in p["spans"]:
            o = s["origin"]
            who = o["delegation"] or "original"
            tag = f"{o['version']}" + (f" {o['proposal']}" if o["proposal"] else "")
            print(f"  {who:>6} {tag:<22} {render.clean(s['text'])}")
    return 0
