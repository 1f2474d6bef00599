"""CLI commands: translate (export, import, status), calendar, forecast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.errors import DraftingError
from . import render
from .spec import workspace

PACKAGE_SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".docx": "docx"}


def _one_line_errors(sub: argparse.ArgumentParser, parent: argparse.ArgumentParser) -> None:
    """A sub-command's argument errors as its command's: one line, exit 2 (the parent's
    ``error`` is set by ``cli.main`` after this runs, so look it up when needed)."""
    sub.error = lambda message: parent.error(message)  # type: ignore[method-assign]


def translate_parser(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="translate_command", metavar="ACTION", required=True)
    ex = sub.add_parser(
        "export",
        help="a package of what needs translating (the stale and missing paragraphs), as XLIFF 2.0 or Word",
        description="Write a translation package of DOC VERSION into a language: the paragraphs never "
        "translated and those changed since their translation, each with its previous source and "
        "translation and its word count.",
    )
    ex.add_argument("document", metavar="DOC")
    ex.add_argument("version", metavar="VERSION")
    ex.add_argument("--lang", "-l", metavar="L", required=True, help="the language to translate into")
    ex.add_argument("--format", "-f", choices=("xliff", "docx"), help="default: from -o, else xliff")
    ex.add_argument("--all", action="store_true", help="every paragraph, translated ones too (for a revision)")
    ex.add_argument("-o", "--output", metavar="FILE")
    ex.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    im = sub.add_parser(
        "import",
        help="record the translations of a package that comes back (XLIFF 2.0 or Word)",
        description="Check a returned translation package against the workspace and record its "
        "translations (one commit). Refused whole if anything does not fit.",
    )
    im.add_argument("file", metavar="FILE")
    im.add_argument("--lang", "-l", metavar="L", required=True, help="the language the package translates into")
    im.add_argument("--by", metavar="CODE", help="who records it (default: the Presidency; or the secretariat)")
    im.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    st = sub.add_parser(
        "status",
        help="per document, version and language: translated, stale and missing paragraphs and words",
    )
    st.add_argument("document", metavar="DOC", nargs="?")
    st.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    for s in (ex, im, st):
        _one_line_errors(s, p)


def translate(args: argparse.Namespace) -> int:
    return {"export": _export, "import": _import, "status": _status}[args.translate_command](args)


def _export(args: argparse.Namespace) -> int:
    from ..service import translations as T

    ws = workspace(args)
    fmt = args.format
    if fmt is None and args.output:
        fmt = PACKAGE_SUFFIXES.get(Path(args.output).suffix.lower())
    fmt = fmt or "xliff"
    lang = ws.require_language(args.lang)
    ws.version(args.document, args.version)
    out = Path(args.output or f"{args.document}-{args.version}.{lang}.{'xlf' if fmt == 'xliff' else 'docx'}")
    summary = T.export_package(ws, args.document, args.version, lang, fmt, out, everything=args.all)
    if args.json:
        render.emit_json(summary)
        return 0
    print(
        f"Wrote {out}: {summary['paragraphs']} paragraph{'s' if summary['paragraphs'] != 1 else ''} to translate "
        f"into {_lang(lang)}, {summary['words']:,} words ({summary['missing']} new, {summary['stale']} changed "
        "since the previous translation)."
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..service import translations as T

    ws = workspace(args)
    r = T.import_package(ws, Path(args.file), args.lang, by=args.by, shown=args.file)
    if args.json:
        render.emit_json(r)
        return 0
    n = len(r["imported"])
    if r["commit"]:
        print(
            f"Recorded {len(r['changed'])} translation{'s' if len(r['changed']) != 1 else ''} into "
            f"{_lang(r['language'])} of {r['document']} {r['version']} ({r['path']}, commit {r['commit'][:10]})."
        )
    else:
        print(f"Nothing new: the {n} translation{'s' if n != 1 else ''} in {args.file} are already recorded.")
    if r["empty"]:
        print(f"  left untranslated in the package: {', '.join(r['empty'])}")
    later = r["stale_in_later_versions"]
    if later:
        print(
            f"  changed since in {later[0]['version']} (their translations are outdated there): "
            + ", ".join(x["id"] for x in later)
        )
    return 0


def _lang(code: str) -> str:
    from ..model.languages import name

    return name(code)


def _status(args: argparse.Namespace) -> int:
    from ..service import translations as T

    ws = workspace(args)
    rows = T.status(ws, args.document)
    if args.json:
        render.emit_json(rows)
        return 0
    if not ws.config.target_languages:
        print("No language to translate into: list the languages in drafting.yaml (languages: [en, fr, es]).")
        return 0
    table = [
        [
            r["document"],
            r["version"],
            _lang(r["language"]),
            f"{r['translated']['paragraphs']} ({r['translated']['words']:,} words)",
            f"{r['stale']['paragraphs']} ({r['stale']['words']:,} words)",
            f"{r['missing']['paragraphs']} ({r['missing']['words']:,} words)",
            f"{100 * r['share_translated']:.0f} %",
        ]
        for r in rows
    ]
    print(render.table(table, ["document", "version", "language", "translated", "stale", "missing", "done"]))
    return 0


# ---------------------------------------------------------------------------- calendar


def calendar_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ics", metavar="FILE", help="also write the calendar as an iCalendar file (Outlook, Google...)")


def calendar(args: argparse.Namespace) -> int:
    from ..model.calendar import long_span
    from ..service import calendar as C

    ws = workspace(args)
    data = C.calendar_json(ws)
    if args.ics:
        C.write_ics(ws, Path(args.ics))
        print(f"Wrote {args.ics}", file=sys.stderr)
    if args.json:
        render.emit_json(data)
        return 0
    rows = []
    for e in data["events"]:
        when = long_span(e["date"], e["end"])
        if e["at"]:
            from ..model.when import long_moment, parse_when

            when = long_moment(parse_when(e["at"]), ws.config.timezone)
        rows.append([when, e["title"] + (f": {e['detail']}" if e["detail"] else "")])
    if not rows:
        print("Nothing dated yet: add meetings: and round deadlines to drafting.yaml.")
        return 0
    print(render.table(rows, ["when", "what"], wrap=1))
    return 0


# ---------------------------------------------------------------------------- forecast


def forecast_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", choices=("docx", "md", "html"), help="write the forecast as a document")
    p.add_argument("-o", "--output", metavar="FILE")


def forecast(args: argparse.Namespace) -> int:
    from ..service import forecast as F

    ws = workspace(args)
    if args.output and not args.format:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        args.format = suffix if suffix in F.FORMATS else None
        if args.format is None:
            raise DraftingError(f"{args.output}: give --format docx, md or html (or a file name ending in one)")
    if args.format:
        out = Path(args.output or f"documentation-forecast.{args.format}")
        F.write(ws, args.format, out)
        print(f"Wrote {out}", file=sys.stderr)
        if not args.json:
            return 0
    fc = F.build(ws)
    if args.json:
        render.emit_json(fc.to_json())
        return 0
    from ..formats.forecast import days, money
    from ..model.calendar import long_span
    from ..model.when import long_date

    if not fc.meetings:
        print("No meetings: list them in drafting.yaml (meetings:) to forecast their documentation.")
        return 0
    for mf in fc.meetings:
        m = mf.meeting
        state = "held" if mf.held else f"documents due {long_date(mf.due)} ({days(mf.days_left)})"
        print(render.bold(f"{m.name}{', ' + m.venue if m.venue else ''}, {long_span(m.start, m.end)}: {state}"))
        rows = [
            [
                x.title,
                f"{x.words:,}",
                f"{x.pages}",
                f"{x.word_limit:,}" + (f" (over by {x.over_limit:,})" if x.over_limit else "") if x.word_limit else "—",
                ", ".join(f"{f.language} {f.words_now:,}" for f in x.languages),
                money(x.cost_now, fc.currency),
                money(x.cost_full, fc.currency),
                "LATE: " + "; ".join(x.reasons) if x.late else "",
            ]
            for x in mf.lines
        ]
        if rows:
            print(
                render.table(
                    rows, ["document", "words", "pages", "limit", "to translate", "cost now", "full", "notes"], wrap=7
                )
            )
        else:
            print("  no documents listed")
        print()
    print(
        f"Total (each document once): {money(fc.cost('now'), fc.currency)} now, {money(fc.cost('full'), fc.currency)} in full"
    )
    return 0
