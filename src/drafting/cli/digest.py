"""CLI command: ``drafting digest`` e-mails each delegation what is new for it.

``drafting digest`` previews the digests (nothing is sent or remembered); ``--send``
sends them through the server's SMTP relay and remembers, per delegation, what was sent,
so that the next run (cron, say daily) only says what is new since. The SMTP relay, the
addresses and the app's public address come from the server's configuration (the
environment, or ``.streamlit/secrets.toml``; see ``service.digest``), never from the
workspace.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from . import render
from .spec import workspace


def digest_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--send", action="store_true", help="send them (without it: a preview, nothing sent)")
    p.add_argument("--delegation", "-d", metavar="CODE", action="append", default=[], help="only this delegation")
    p.add_argument(
        "--secrets",
        metavar="FILE",
        help="the server's secrets file (default: .streamlit/secrets.toml as the app finds it)",
    )


def digest(args: argparse.Namespace) -> int:
    from ..service.digest import load_secrets, secrets_paths, send_digests, settings

    ws = workspace(args)
    secrets = load_secrets([Path(args.secrets)] if args.secrets else secrets_paths())
    config = settings(os.environ, secrets)
    moment = dt.datetime.now(dt.UTC)  # the server's clock
    sent = send_digests(ws, config, moment, only=args.delegation, send=args.send)
    if args.json:
        render.emit_json(
            [
                {"delegation": s.delegation, "to": list(s.to), "subject": s.subject, "items": s.items, "sent": s.sent}
                for s in sent
            ]
        )
        return 0
    if not config.recipients:
        print(
            "No addresses configured: list them under [drafting.notify] (or [drafting.users]) in the server's secrets."
        )
        return 0
    rows = [
        [
            s.delegation,
            ", ".join(s.to),
            s.subject or "(nothing new)",
            "sent" if s.sent else ("preview" if s.items else ""),
        ]
        for s in sent
    ]
    print(render.table(rows, ["delegation", "to", "subject", ""], wrap=2))
    if not args.send and any(s.items for s in sent):
        print("\nA preview: nothing was sent. Send them with --send.")
    return 0
