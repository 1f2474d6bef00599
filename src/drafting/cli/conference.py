"""CLI commands: status, silence, renumber (from Rev.N to adoption)."""

from __future__ import annotations

import argparse

from . import render
from .spec import workspace

STATUS_COLOURS = {"open": "33", "bracketed": "35", "ad-referendum": "36", "agreed": "32"}


def status_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("paragraph", metavar="PARAGRAPH", nargs="?", help="an id (clr-3) or a number (Action 12 bis)")
    p.add_argument(
        "status",
        metavar="STATUS",
        nargs="?",
        help="open (reopen), ad-referendum (ad-ref) or agreed; bracketed is automatic",
    )
    p.add_argument("--note", "-n", help="why (recorded with the status)")
    p.add_argument("--version", "-v", metavar="V", help="list the statuses in this version (default: the latest)")
    p.add_argument("--by", metavar="CODE", help="who records it (default: the Presidency)")


def _subparsers(p: argparse.ArgumentParser, dest: str):
    sub = p.add_subparsers(dest=dest, metavar="STEP", required=True)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        sp.error = lambda message: p.error(f"{p.prog.split()[-1]} {name}: {message}")  # type: ignore[method-assign]
        return sp

    return add


def silence_parser(p: argparse.ArgumentParser) -> None:
    add = _subparsers(p, "step")
    sp = add("start", "put a version under a silence procedure until a deadline (the Presidency)")
    sp.add_argument("document", metavar="DOC")
    sp.add_argument("version", metavar="VERSION")
    sp.add_argument(
        "--until",
        required=True,
        metavar="WHEN",
        help="the deadline: a date (its end) or a date and time, in the conference's time zone",
    )
    sp.add_argument("--note", "-n")
    sp.add_argument("--by", metavar="CODE", help="who starts it (default: the Presidency)")
    sp = add("break", "break silence (a State party or signatory, before the deadline)")
    sp.add_argument("document", metavar="DOC")
    sp.add_argument("--delegation", "-d", metavar="CODE", required=True)
    sp.add_argument(
        "--statement", "-s", required=True, metavar="TEXT|FILE", help="the statement, or a text file holding it"
    )
    sp.add_argument(
        "--propose",
        nargs=2,
        action="append",
        metavar=("PARAGRAPH", "TEXT"),
        help="text proposed for a paragraph (filed as a proposal if a new round is opened); repeatable",
    )
    sp = add("close", "close the procedure after its deadline: adopted if unbroken (the Presidency)")
    sp.add_argument("document", metavar="DOC")
    sp.add_argument("--by", metavar="CODE", help="who closes it (default: the Presidency)")
    sp = add("status", "the procedure under way (or the last one): version, deadline, breaks, outcome")
    sp.add_argument("document", metavar="DOC")
    sp = add("carry", "file the text proposed with silence breaks as proposals in a new round on that version")
    sp.add_argument("document", metavar="DOC")
    sp.add_argument("--round", "-r", metavar="R", required=True)


def renumber_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("version", metavar="VERSION")
    p.add_argument("--to", metavar="NEW", help="the new version's name (default: the next revN)")
    p.add_argument("--label", help="the new version's label (default: from its name, e.g. Revision 3)")
    p.add_argument("--by", metavar="CODE", help="who issues it (default: the Presidency)")


# ------------------------------------------------------------------------------ status


def status(args: argparse.Namespace) -> int:
    from ..model.errors import DraftingError
    from ..service import conference as C

    ws = workspace(args)
    if args.status is not None:
        r = C.record_status(
            ws, args.document, args.paragraph, args.status, note=args.note, by=args.by, version=args.version
        )
        if args.json:
            render.emit_json(r)
        else:
            from ..model.status import STATUS_WORDS

            words = "reopened" if r["status"] == "open" else STATUS_WORDS[r["status"]]
            print(f"Recorded {r['number']} of {r['document']} as {words} (commit {r['commit'][:10]}).")
        return 0
    if args.note or args.by:
        raise DraftingError("--note and --by go with a status to record: drafting status DOC PARAGRAPH STATUS")
    data = C.list_statuses(ws, args.document, args.version)
    if args.paragraph is not None:
        pid = C.resolve_paragraph(ws, args.document, data["version"], args.paragraph)
        data["paragraphs"] = [r for r in data["paragraphs"] if r["id"] == pid]
    if args.json:
        render.emit_json(data)
        return 0
    print(f"{render.bold(render.clean(data['label']))} of {args.document}")
    if args.paragraph is None:
        rows = [
            [b["section"] or "Whole document", b["agreed"], b["ad-referendum"], b["bracketed"], b["open"]]
            for b in data["board"]
        ]
        print(render.table(rows, ["section", "agreed", "ad ref", "bracketed", "open"]))
        print()
    rows = []
    for r in data["paragraphs"]:
        rec = r["recorded"]
        note = (rec or {}).get("note") or ""
        if r["lapsed"]:
            note = (f"{rec['status']} on {rec['version']}, text changed since; " + note).strip("; ")
        rows.append([r["number"] or r["id"], r["section"] or "", r["words"], note])
    print(
        render.table(
            rows,
            ["paragraph", "section", "status", "note"],
            wrap=3,
            colour={2: lambda s: render.paint(s, STATUS_COLOURS.get(_status_key(s)))},
        )
    )
    return 0


def _status_key(words: str) -> str:
    from ..model.status import STATUS_WORDS

    return next((k for k, w in STATUS_WORDS.items() if w == words), words)


# ----------------------------------------------------------------------------- silence


def _print_procedure(p: dict) -> None:
    state = {
        "running": f"under way: {p['time_left']} left",
        "ended": "deadline passed: to be closed by the Presidency",
        "adopted": f"adopted on {p['adopted_on']}",
        "broken": "silence broken",
    }[p["state"]]
    print(f"Silence procedure on {render.bold(render.clean(p['label']))} ({p['version']}) of {p['document']}")
    print(f"  until {p['deadline']}: {state}")
    if p.get("note"):
        print(f"  note: {render.clean(p['note'])}")
    if not p["breaks"]:
        print("  silence unbroken" if p["state"] != "adopted" else "  nobody broke silence")
    for b in p["breaks"]:
        statement = " / ".join(render.clean(line) for line in b["statement"].splitlines() if line.strip())
        print(f"  broken by {render.clean(b['name'])} ({b['when']}): {statement}")
        for x in b["proposals"]:
            print(f"    proposes for {x['number'] or x['paragraph']}: {render.clean(x['text'])}")


def silence(args: argparse.Namespace) -> int:
    from ..service import conference as C

    ws = workspace(args)
    if args.step == "start":
        r = C.start_silence(ws, args.document, args.version, args.until, note=args.note, by=args.by)
        if args.json:
            render.emit_json(r)
        else:
            print(
                f"Started a silence procedure on {render.clean(r['label'])} of {r['document']}, until {r['deadline']}."
            )
        return 0
    if args.step == "break":
        statement = C.read_statement(ws, args.statement)
        r = C.break_silence(ws, args.document, args.delegation, statement, proposals=args.propose)
        if args.json:
            render.emit_json(r)
        else:
            name = ws.config.delegation(r["delegation"])
            who = name.name if name else r["delegation"]
            print(render.clean(f"{who} broke silence on {r['label']} of {r['document']}."))
        return 0
    if args.step == "close":
        r = C.close_silence(ws, args.document, by=args.by)
        if args.json:
            render.emit_json(r)
        elif r["outcome"] == "adopted":
            print(
                render.clean(
                    f"{r['label']} of {r['document']} is adopted: silence was not broken (adopted on {r['adopted_on']})."
                )
            )
        else:
            who = ", ".join(b["name"] for b in r["breaks"])
            print(
                render.clean(
                    f"The silence procedure on {r['label']} of {r['document']} is closed: silence was broken by {who}."
                )
            )
        return 0
    if args.step == "carry":
        r = C.carry_break_proposals(ws, args.document, args.round)
        if args.json:
            render.emit_json(r)
        elif not r["filed"]:
            print("No text proposed with silence breaks is left to file in this round.")
        else:
            for f in r["filed"]:
                print(f"Filed {', '.join(f['proposals'])} for {f['delegation']} in {r['round']}.")
        return 0
    r = C.silence_status(ws, args.document)
    if args.json:
        render.emit_json(r)
        return 0
    if r["current"] is None:
        print(f"No silence procedure on {args.document} yet.")
        return 0
    _print_procedure(r["current"])
    earlier = [p for p in r["procedures"] if p["id"] != r["current"]["id"]]
    for p in earlier:
        print(render.clean(f"  earlier: {p['label']}, until {p['deadline']}: {p['state']}"))
    return 0


# ---------------------------------------------------------------------------- renumber


def renumber(args: argparse.Namespace) -> int:
    from ..service.conference import renumber as run

    r = run(workspace(args), args.document, args.version, to=args.to, label=args.label, by=args.by)
    if args.json:
        render.emit_json(r)
        return 0
    print(
        f"Issued {render.bold(render.clean(r['label']))} ({r['version']}) of {r['document']}: {r['from']} renumbered, "
        f"{len(r['changes'])} numbers change (commit {r['commit'][:10]})."
    )
    for c in r["changes"][:10]:
        print(f"  {c['from']} -> {c['to']}")
    if len(r["changes"]) > 10:
        print(f"  ... and {len(r['changes']) - 10} more")
    return 0
