"""CLI commands: export and compilation (documents through pandoc)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import render
from .spec import workspace


def export_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("version", metavar="V")
    p.add_argument("--format", "-f", choices=("docx", "pdf", "html", "md", "odt"), default="docx")
    p.add_argument("--changes-since", metavar="V0", help="show the changes since V0 as tracked changes")
    p.add_argument(
        "--lang", "-l", metavar="L", help="the version in another language (untranslated paragraphs marked as such)"
    )
    p.add_argument("--bilingual", action="store_true", help="with --lang: the source and the translation side by side")
    p.add_argument(
        "--comments",
        choices=("none", "open", "all"),
        default=None,
        help="delegations' comments: none (default, a circulation copy; tracked DOCX: all, as Word comments), "
        "open (not yet addressed or noted) or all; Word comments in DOCX, after their paragraph elsewhere",
    )
    p.add_argument(
        "--mark-ad-ref", action="store_true", help="mark paragraphs agreed ad referendum (PDF, HTML, Markdown)"
    )
    p.add_argument("-o", "--output", metavar="FILE")


def compilation_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("--round", "-r", metavar="R")
    p.add_argument("--format", "-f", choices=("docx", "html", "md", "json"), default="docx")
    p.add_argument("--anonymous", action="store_true", help="leave out the delegations' names")
    p.add_argument("--status", "-s", help="only proposals with this status")
    p.add_argument("--delegation", "-d", metavar="CODE", help="only proposals of this delegation")
    p.add_argument(
        "--precedents",
        action="store_true",
        help="add a 'source of language' column: the agreed language each proposal brings in",
    )
    p.add_argument("-o", "--output", metavar="FILE")


def export(args: argparse.Namespace) -> int:
    from ..service import exports

    ws = workspace(args)
    if args.lang or args.bilingual:
        return _export_language(ws, args)
    suffix = "-changes-since-" + args.changes_since if args.changes_since else ""
    out = Path(args.output or f"{args.document}-{args.version}{suffix}.{args.format}")
    if args.changes_since:
        if args.mark_ad_ref:
            from ..model.errors import DraftingError

            raise DraftingError("--mark-ad-ref marks a clean version, not tracked changes: leave out --changes-since")
        exports.export_tracked(
            ws, args.document, args.version, args.changes_since, args.format, out, comments=args.comments
        )
    else:
        exports.export_version(
            ws,
            args.document,
            args.version,
            args.format,
            out,
            comments=args.comments or "none",
            mark_ad_ref=args.mark_ad_ref,
        )
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def _export_language(ws, args: argparse.Namespace) -> int:
    from ..model.errors import DraftingError
    from ..service import translations

    if not args.lang:
        raise DraftingError("--bilingual goes with --lang L: the language shown beside the source")
    if args.changes_since:
        raise DraftingError("--changes-since and --lang do not go together: tracked changes are in the source language")
    src = ws.config.source_language
    name = f"{args.lang}" if not args.bilingual else f"{src}-{args.lang}"
    out = Path(args.output or f"{args.document}-{args.version}.{name}.{args.format}")
    translations.export_language(ws, args.document, args.version, args.lang, args.format, out, bilingual=args.bilingual)
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def compilation(args: argparse.Namespace) -> int:
    from ..service import exports

    ws = workspace(args)
    rnd = ws.require_round(args.document, args.round)
    if args.format == "json":
        rows = exports.compilation(
            ws,
            args.document,
            rnd.id,
            "json",
            anonymous=args.anonymous,
            status=args.status,
            delegation=args.delegation,
            sources=args.precedents,
        )
        if args.output:
            import json

            render.write_output(args.output, json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            render.emit_json(rows)
        return 0
    out = Path(args.output or f"{args.document}-{rnd.id}-compilation.{args.format}")
    exports.compilation(
        ws,
        args.document,
        rnd.id,
        args.format,
        out,
        anonymous=args.anonymous,
        status=args.status,
        delegation=args.delegation,
        sources=args.precedents,
    )
    print(f"Wrote {out}", file=sys.stderr)
    return 0
