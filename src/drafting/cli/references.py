"""CLI commands: reference (add, list) and precedents (agreed language in a version)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import render
from .spec import workspace

ANNOTATED_FORMATS = ("docx", "odt", "html", "md", "pdf")


def reference_parser(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="reference_command", metavar="SUBCOMMAND", required=True)
    add = sub.add_parser(
        "add",
        help="import an earlier outcome document (.docx, .odt, .html, .md, .txt) as a reference",
        description="import an earlier outcome document (.docx, .odt, .html, .md, .txt) as a reference",
    )
    add.add_argument("file", metavar="FILE")
    add.add_argument("--title", required=True, help="e.g. 'Lausanne Action Plan'")
    add.add_argument("--symbol", required=True, help="the document symbol, e.g. CCM/CONF/2021/6")
    add.add_argument("--date", help="the date of adoption, e.g. 2021-09-21")
    add.add_argument("--adopted-by", metavar="BODY", help="e.g. 'Second Review Conference'")
    add.add_argument("--slug", metavar="NAME", help="the file name under references/ (default: from the title)")
    add.add_argument("--by", metavar="CODE", help="who adds it (default: the Presidency)")
    add.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    lst = sub.add_parser("list", help="the reference documents", description="the reference documents")
    lst.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    for sp in (add, lst):
        sp.error = p.error  # type: ignore[method-assign]


def precedents_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("version", metavar="VERSION")
    p.add_argument("--paragraph", "-p", metavar="ID", help="only this paragraph")
    p.add_argument(
        "--min-words", type=int, metavar="N", help="the shortest stretch that counts (default 6, at least 3)"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the version annotated with the source of each agreed stretch (Word comments; footnotes "
        "in other formats), for the Presidency's own use",
    )
    p.add_argument("--format", "-f", choices=ANNOTATED_FORMATS, help="of the annotated version (default: from -o)")


def reference(args: argparse.Namespace) -> int:
    from ..service import references as svc

    ws = workspace(args)
    if args.reference_command == "add":
        r = svc.add_reference(
            ws,
            Path(args.file),
            title=args.title,
            symbol=args.symbol,
            date=args.date,
            adopted_by=args.adopted_by,
            slug=args.slug,
            by=args.by,
        )
        if args.json:
            render.emit_json(r)
        else:
            print(
                f"Added {r['title']} ({r['symbol']}): {r['paragraphs']} paragraphs in {r['path']} "
                f"(commit {r['commit'][:10]})."
            )
        return 0
    rows = svc.list_references(ws)
    if args.json:
        render.emit_json(rows)
        return 0
    if not rows:
        print("No reference documents yet. Add one with: drafting reference add FILE --title ... --symbol ...")
        return 0
    table = [
        [r["symbol"], r["title"], r["date"] or "", r["adopted_by"] or "", str(r["paragraphs"]), r["reference"]]
        for r in rows
    ]
    print(render.table(table, ["symbol", "title", "adopted", "by", "paragraphs", "name"], wrap=3))
    return 0


def _format(args: argparse.Namespace) -> str:
    from ..model.errors import DraftingError

    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if suffix in ANNOTATED_FORMATS:
        return suffix
    raise DraftingError(
        f"{args.output}: cannot tell the format from the name; give --format ({', '.join(ANNOTATED_FORMATS)})"
    )


def precedents(args: argparse.Namespace) -> int:
    from ..service import references as svc

    ws = workspace(args)
    if args.output:
        from ..model.errors import DraftingError

        if args.json:
            raise DraftingError("-o writes the annotated version; --json prints the report: use one of them")
        out = svc.export_annotated(
            ws,
            args.document,
            args.version,
            _format(args),
            Path(args.output),
            min_words=args.min_words,
        )
        print(f"Wrote {out}", file=sys.stderr)
        return 0
    report = svc.check_version(ws, args.document, args.version, paragraph=args.paragraph, min_words=args.min_words)
    if args.json:
        render.emit_json(report)
        return 0
    shown = 0
    for p in report["paragraphs"]:
        if not p["stretches"] and args.paragraph is None:
            continue
        shown += 1
        where = f"{p['number']} ({p['id']})" if p["number"] else p["id"]
        print(render.bold(f"{where}: {round(100 * p['share'])}% agreed language"))
        for s in p["stretches"]:
            print(f"  “{render.clean(s['text'])}”")
            print(f"      {render.clean(s['source'])}")
            for c in s["changes"]:
                print(
                    f"      changed: “{render.clean(c['text'])}” where the reference has "
                    f"“{render.clean(c['reference'])}”"
                    if c["text"] and c["reference"]
                    else (
                        f"      added: “{render.clean(c['text'])}”"
                        if c["text"]
                        else f"      left out: “{render.clean(c['reference'])}”"
                    )
                )
        for n in p["new"]:
            print(f"  new: “{render.clean(n['text'])}”")
        print()
    s = report["summary"]
    refs = "; ".join(f"{r['title']} ({r['symbol']})" for r in report["references"])
    print(
        f"{s['with_agreed_language']} of {s['paragraphs']} paragraph{'s' if s['paragraphs'] != 1 else ''} "
        f"hold agreed language ({round(100 * s['share'])}% of the words), in stretches of at least "
        f"{report['min_words']} words from {refs}."
    )
    return 0
