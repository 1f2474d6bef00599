"""CLI commands: submit, proposals, decide."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.records import OPS, STATUSES
from . import render
from .spec import workspace


def submit_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument("--delegation", "-d", metavar="CODE", required=True)
    p.add_argument("--document", metavar="DOC")
    p.add_argument("--round", "-r", metavar="R")
    p.add_argument(
        "--co-sponsor",
        metavar="CODE",
        action="append",
        default=[],
        dest="co_sponsors",
        help="a delegation co-sponsoring the proposals of a Word file (repeat for several); it confirms them",
    )


def withdraw_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("proposal", metavar="PROPOSAL")
    p.add_argument("--delegation", "-d", metavar="CODE", required=True, help="the delegation whose proposal it is")


def cosponsor_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("proposal", metavar="PROPOSAL")
    p.add_argument("--delegation", "-d", metavar="CODE", required=True, help="the co-sponsor named in the proposal")
    p.add_argument("--withdraw", action="store_true", help="withdraw the delegation's support (before the decision)")


def proposals_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("--round", "-r", metavar="R")
    p.add_argument("--paragraph", "-p", metavar="ID")
    p.add_argument("--delegation", "-d", metavar="CODE")
    p.add_argument("--status", "-s", choices=STATUSES)
    p.add_argument(
        "--precedents",
        action="store_true",
        help="label each amendment or new paragraph that brings in agreed language with its source",
    )


def decide_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "items",
        metavar="[PROPOSAL ...] STATUS",
        nargs="+",
        help="the proposals (none: those the filters select) and the status: accepted, modified (with --text), "
        "rejected, deferred, withdrawn, addressed, noted, open",
    )
    p.add_argument("--text", help="the Presidency's wording (status modified)")
    p.add_argument("--note", help="a note explaining the decision")
    p.add_argument("--by", metavar="CODE", help="who decides (default: the Presidency)")
    p.add_argument("--document", metavar="DOC")
    p.add_argument("--round", "-r", metavar="R")
    p.add_argument("--op", choices=OPS, help="filter: only this kind of proposal (e.g. comment)")
    p.add_argument("--section", metavar="SECTION", help="filter: only proposals on paragraphs of this section")
    p.add_argument("--paragraph", "-p", metavar="ID", help="filter: only proposals on this paragraph")
    p.add_argument("--delegation", "-d", metavar="CODE", help="filter: only proposals of (or co-sponsored by) CODE")
    p.add_argument(
        "--status",
        dest="where_status",
        choices=STATUSES,
        help="filter: only proposals with this status now (default: open)",
    )


def submit(args: argparse.Namespace) -> int:
    from ..service.inputs import submit_file

    ws = workspace(args)
    res = submit_file(
        ws,
        Path(args.file),
        delegation=args.delegation,
        document=args.document,
        round=args.round,
        co_sponsors=args.co_sponsors,
    )
    if args.json:
        render.emit_json(res.to_json())
        return 0
    from ..model.records import status_of
    from ..model.vocabulary import count_inputs

    c = res.contribution
    co = sorted({s for p in res.added for s in p.co_sponsors})
    with_ = f" with {', '.join(co)} (to confirm)" if co else ""
    print(
        f"{'Submitted' if not res.replaced else 'Added'} {count_inputs(p.op for p in res.added)} by "
        f"{render.bold(c.delegation)}{with_} on {c.document} ({c.round}, against {c.base}): commit {res.commit[:10]}"
    )
    for note in res.notes:
        print(f"  note: {render.clean(note)}")
    new = {p.id for p in res.added}
    rows = [
        [
            p.id + (" (new)" if p.id in new else ""),
            p.op,
            p.target or "(start)",
            status_of(p, res.decisions.get(p.id)),
            p.text or "",
        ]
        for p in c.proposals
    ]
    print(render.table(rows, ["id", "op", "paragraph", "status", "text"], wrap=4))
    return 0


def withdraw(args: argparse.Namespace) -> int:
    from ..service.inputs import withdraw

    r = withdraw(workspace(args), args.proposal, delegation=args.delegation)
    if args.json:
        render.emit_json(r)
    elif r["commit"]:
        print(f"{r['proposal']} withdrawn by {r['delegation']} (commit {r['commit'][:10]})")
    else:
        print(f"{r['proposal']} was already withdrawn: nothing to do")
    return 0


def cosponsor(args: argparse.Namespace) -> int:
    from ..service.inputs import cosponsor

    r = cosponsor(workspace(args), args.proposal, delegation=args.delegation, withdraw=args.withdraw)
    if args.json:
        render.emit_json(r)
        return 0
    what = "co-sponsors" if r["support"] == "confirmed" else "withdrew its support of"
    done = f"commit {r['commit'][:10]}" if r["commit"] else "already so: nothing to do"
    print(f"{r['delegation']} {what} {r['proposal']} ({done})")
    return 0


def proposals(args: argparse.Namespace) -> int:
    from ..service.inputs import list_proposals

    rows = list_proposals(
        workspace(args),
        args.document,
        round=args.round,
        paragraph=args.paragraph,
        delegation=args.delegation,
        status=args.status,
    )
    labels: dict[str, str] = {}
    if args.precedents:
        from ..service.references import proposal_label, proposal_precedents

        found = proposal_precedents(workspace(args), args.document, round=args.round)
        for r in rows:
            r["precedents"] = found.get(r["id"], [])
            if r["precedents"]:
                labels[r["id"]] = proposal_label(r["precedents"])
    if args.json:
        render.emit_json(rows)
        return 0
    if not rows:
        print("No proposals match.")
        return 0
    from ..model.vocabulary import count_inputs, kind_word, list_phrase, status_word

    table = [
        [
            r["id"],
            "+".join([r["delegation"], *r["co_sponsors"]]),
            kind_word(r["op"]),
            r["paragraph"] or (f"after {r['after']}" if r["after"] else "(start)"),
            status_word(r["status"]),
            r["text"] or "",
        ]
        for r in rows
    ]
    for row, r in zip(table, rows, strict=True):
        if r["id"] in labels:  # (--precedents)
            row[5] += f" [agreed language: {labels[r['id']]}]"
    print(render.table(table, ["id", "by", "kind", "paragraph", "status", "text"], wrap=5, colour={4: render.status}))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = {s: i for i, s in enumerate(STATUSES)}
    print(
        f"\n{count_inputs(r['op'] for r in rows)}: "
        + list_phrase([f"{v} {status_word(k)}" for k, v in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))])
    )
    if args.precedents:
        print(f"{len(labels)} bring in agreed language.")
    return 0


def decide(args: argparse.Namespace) -> int:
    from ..model.errors import DraftingError
    from ..service.decisions import Selection, decide_many
    from ..service.inputs import decide

    *ids, status = args.items
    if status not in STATUSES:
        raise DraftingError(
            f"{status!r} is not a status; the status comes last: accepted, modified, rejected, deferred, "
            "withdrawn, addressed, noted or open"
        )
    filters = [args.op, args.section, args.paragraph, args.delegation, args.where_status]
    if len(ids) == 1 and not any(f is not None for f in filters):
        r = decide(
            workspace(args),
            ids[0],
            status,
            text=args.text,
            note=args.note,
            by=args.by,
            document=args.document,
            round=args.round,
        )
        if args.json:
            render.emit_json(r.to_json())
        else:
            from ..model.vocabulary import kind_word

            print(
                f"{r.proposal.id} ({r.proposal.delegation}, {kind_word(r.proposal.op)}): "
                f"{render.status(r.status)} (commit {r.commit[:10]})"
            )
        return 0
    if ids and any(f is not None for f in filters):
        raise DraftingError("name the proposals or select them with filters (--op, --section, ...), not both")
    selection = None
    if not ids:
        selection = Selection(
            document=args.document,
            round=args.round,
            op=args.op,
            section=args.section,
            paragraph=args.paragraph,
            delegation=args.delegation,
            status=args.where_status or "open",
        )
    res = decide_many(workspace(args), ids, status, selection=selection, text=args.text, note=args.note, by=args.by)
    if args.json:
        render.emit_json(res)
        return 0
    n = len(res["decided"])
    print(f"Decided {n} proposal{'s' if n != 1 else ''}: {render.status(status)} (commit {res['commit'][:10]})")
    for d in res["decided"]:
        print(f"  {d['proposal']} ({d['delegation']}, {d['op']})")
    return 0
