"""CLI command: round (open, extend, close, list the input rounds)."""

from __future__ import annotations

import argparse

from . import render
from .conference import _subparsers
from .spec import workspace

WHEN = "a date (its end) or a date and time, in the conference's time zone (timezone: in drafting.yaml)"


def round_parser(p: argparse.ArgumentParser) -> None:
    add = _subparsers(p, "step")
    sp = add("open", "open an input round on a version of a document, until a deadline (the Presidency)")
    sp.add_argument("document", metavar="DOC")
    sp.add_argument("--base", required=True, metavar="VERSION", help="the version the inputs are made on")
    sp.add_argument("--deadline", required=True, metavar="WHEN", help=f"the deadline: {WHEN}")
    sp.add_argument("--id", dest="rid", metavar="ID", help="the round's id (default: <base>-inputs)")
    sp.add_argument("--opens", metavar="WHEN", help="when inputs are accepted from (default: now); a date is its start")
    sp.add_argument("--by", metavar="CODE", help="who opens it (default: the Presidency)")
    sp = add("extend", "a later deadline, for everyone or for one delegation (recorded; the Presidency)")
    sp.add_argument("round", metavar="ROUND")
    sp.add_argument("--deadline", required=True, metavar="WHEN", help=f"the later deadline: {WHEN}")
    sp.add_argument("--delegation", "-d", metavar="CODE", help="only for this delegation (default: for everyone)")
    sp.add_argument("--by", metavar="CODE", help="who extends it (default: the Presidency)")
    sp = add("close", "close a round now: no more inputs (the Presidency)")
    sp.add_argument("round", metavar="ROUND")
    sp.add_argument("--by", metavar="CODE", help="who closes it (default: the Presidency)")
    sp = add("list", "the input rounds: document, base, opening, deadline, state, proposals")
    sp.add_argument("document", metavar="DOC", nargs="?")


def _print(r: dict, verb: str) -> None:
    print(render.clean(f"{verb} {r['id']}: {r['title']}; {r['state']}, deadline {r['deadline_text']}."))
    for e in r["extensions"]:
        if e["delegation"]:
            print(render.clean(f"  later deadline for {e['delegation']}: {e['deadline']}"))


def round(args: argparse.Namespace) -> int:
    from ..service import rounds as S

    ws = workspace(args)
    if args.step == "open":
        r = S.open_round(ws, args.document, args.base, args.deadline, rid=args.rid, opens=args.opens, by=args.by)
        verb = "Opened the round"
    elif args.step == "extend":
        r = S.extend_round(ws, args.round, args.deadline, delegation=args.delegation, by=args.by)
        verb = "Extended the round"
    elif args.step == "close":
        r = S.close_round(ws, args.round, by=args.by)
        verb = "Closed the round"
    else:
        rows = S.list_rounds(ws, args.document)
        if args.json:
            render.emit_json(rows)
            return 0
        if not rows:
            print("No input rounds yet: open one with 'drafting round open DOC --base VERSION --deadline WHEN'.")
            return 0
        table = []
        for x in rows:
            later = ", ".join(f"{e['delegation']} {e['deadline']}" for e in x["extensions"] if e["delegation"])
            state = x["state"] + (f" into {x['composed_into']}" if x["composed_into"] else "")
            c = x["counts"]
            table.append(
                [
                    x["id"],
                    x["document"],
                    x["base"],
                    x["opens"] or "",
                    str(x["deadline"] or "") + (f" (later: {later})" if later else ""),
                    state,
                    f"{c['proposals']} ({c['open']} open)",
                ]
            )
        print(render.table(table, ["round", "document", "base", "opens", "deadline", "state", "proposals"], wrap=4))
        return 0
    if args.json:
        render.emit_json(r)
    else:
        _print(r, verb)
    return 0
