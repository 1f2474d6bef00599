"""E-mail digests: what is new for each delegation, sent through the server's SMTP relay.

Optional, and configured on the server only (environment or ``.streamlit/secrets.toml``,
never the workspace). The news come from :func:`drafting.model.news.whats_new`, the
message from :func:`message` (pure); only :func:`send_digests` talks to the network.
Configuration and addresses: ``docs/design/e-mail-digest.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import smtplib
import ssl
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from ..model.addresses import absolute
from ..model.errors import DraftingError
from ..model.news import seen, whats_new
from ..model.when import long_date
from ..store.workspace import Workspace
from .news import Item, Visits, headline, records, state_folder, tell

__all__ = ["ServerSettings", "Smtp", "load_secrets", "message", "send_digests", "settings"]

SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "drafting@localhost"
    security: str = "starttls"


@dataclass(frozen=True)
class ServerSettings:
    """What the server's configuration says about notifications."""

    smtp: Smtp | None
    recipients: Mapping[str, tuple[str, ...]]  # delegation code -> addresses
    public_url: str | None
    state_dir: str | None


def load_secrets(paths: Iterable[Path]) -> dict[str, Any]:
    """The first of ``paths`` that exists, read as TOML (``{}`` when none does)."""
    for path in paths:
        p = Path(path).expanduser()
        if p.is_file():
            try:
                return tomllib.loads(p.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise DraftingError(f"{path}: not a readable secrets file: {e}") from None
    return {}


def secrets_paths(cwd: Path | None = None) -> list[Path]:
    """Where ``drafting app`` finds the server's secrets: the current folder's
    ``.streamlit/``, the project's, then the user's."""
    from ..cli.app import app_script

    here = Path(cwd or os.getcwd())
    return [
        here / ".streamlit" / "secrets.toml",
        app_script().parent / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    ]


def _section(data: Mapping[str, Any], *path: str) -> Any:
    node: Any = data
    for p in path:
        if not isinstance(node, Mapping) or p not in node:
            return None
        node = node[p]
    return node


def settings(environ: Mapping[str, str], secrets: Mapping[str, Any]) -> ServerSettings:
    """The notification settings from the environment (first) and the secrets."""
    smtp_s = _section(secrets, "drafting", "smtp") or {}
    if not isinstance(smtp_s, Mapping):
        raise DraftingError("[drafting.smtp] in the secrets must be a table")

    def get(name: str, env: str) -> Any:
        return environ.get(env) or smtp_s.get(name)

    host = get("host", "DRAFTING_SMTP_HOST")
    smtp = None
    if host:
        security = str(get("security", "DRAFTING_SMTP_SECURITY") or "").strip().lower()
        port_raw = get("port", "DRAFTING_SMTP_PORT")
        try:
            port = int(port_raw) if port_raw else (465 if security == "ssl" else 587)
        except (TypeError, ValueError):
            raise DraftingError(f"the SMTP port {port_raw!r} is not a number") from None
        if not security:
            security = "ssl" if port == 465 else ("starttls" if port == 587 else "none")
        if security not in SECURITY:
            raise DraftingError(f"the SMTP security {security!r} is not one of {', '.join(SECURITY)}")
        smtp = Smtp(
            host=str(host),
            port=port,
            user=str(get("user", "DRAFTING_SMTP_USER") or "") or None,
            password=str(get("password", "DRAFTING_SMTP_PASSWORD") or "") or None,
            sender=str(get("from", "DRAFTING_SMTP_FROM") or "drafting@localhost"),
            security=security,
        )
    recipients: dict[str, list[str]] = {}
    users = _section(secrets, "drafting", "users") or {}
    if isinstance(users, Mapping):
        for who, code in users.items():
            if "@" in str(who):
                recipients.setdefault(str(code).strip(), []).append(str(who).strip())
    notify = _section(secrets, "drafting", "notify") or {}
    if isinstance(notify, Mapping):
        for code, addresses in notify.items():
            listed = [addresses] if isinstance(addresses, str) else list(addresses or [])
            recipients.setdefault(str(code).strip(), []).extend(str(a).strip() for a in listed if str(a).strip())
    public = environ.get("DRAFTING_PUBLIC_URL") or _section(secrets, "drafting", "public_url")
    state = environ.get("DRAFTING_STATE_DIR") or _section(secrets, "drafting", "state_dir")
    return ServerSettings(
        smtp=smtp,
        recipients={k: tuple(dict.fromkeys(v)) for k, v in recipients.items()},
        public_url=str(public) if public else None,
        state_dir=str(state) if state else None,
    )


# ------------------------------------------------------------------------------- message


def message(
    *,
    conference: str,
    delegation: str,
    items: Sequence[Item],
    titles: Mapping[str, str],
    since: str | None,
    public_url: str | None,
    sender: str,
    to: Sequence[str],
    tz: str | None = None,
) -> EmailMessage:
    """The digest for one delegation, as its delegates read it: a subject that says what
    happened, then the news by document, each with its link (plain text and HTML)."""
    when = ""
    if since:
        try:
            when = f" since {long_date(since, tz)}"
        except DraftingError:
            when = ""
    subject = f"{conference}: {headline(items)}"
    lines = [f"News for the delegation of {delegation}{when}.", ""]
    parts = [f"<p>News for the delegation of {html.escape(delegation)}{html.escape(when)}.</p>"]
    by_doc: dict[str, list[Item]] = {}
    for it in items:
        by_doc.setdefault(it.document, []).append(it)
    for doc, its in by_doc.items():
        title = titles.get(doc, doc)
        lines += [title, "-" * len(title)]
        parts.append(f"<h3>{html.escape(title)}</h3><ul>")
        for it in its:
            link = absolute(it.href, public_url) if public_url else None
            lines.append(f"- {it.text}")
            if link:
                lines.append(f"  {link}")
            text = html.escape(it.text)
            parts.append(
                f'<li>{text} <a href="{html.escape(link, quote=True)}">Open</a></li>' if link else f"<li>{text}</li>"
            )
        lines.append("")
        parts.append("</ul>")
    footer = (
        "You receive this digest as a contact point of your delegation. "
        "To change who receives it, write to the Secretariat."
    )
    lines += ["--", footer]
    parts.append(f'<p style="color:#666;font-size:smaller">{html.escape(footer)}</p>')
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Message-ID"] = make_msgid(domain="drafting.invalid")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content("\n".join(lines))
    msg.add_alternative(
        '<!DOCTYPE html><html><body style="font-family:Georgia,serif">' + "".join(parts) + "</body></html>",
        subtype="html",
    )
    return msg


# ---------------------------------------------------------------------------------- send


@dataclass(frozen=True)
class Sent:
    delegation: str
    to: tuple[str, ...]
    subject: str
    items: int
    sent: bool  # False: a dry run, or nothing new


def _connect(smtp: Smtp) -> smtplib.SMTP:
    if smtp.security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=30, context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
        if smtp.security == "starttls":
            conn.starttls(context=ssl.create_default_context())
    if smtp.user:
        conn.login(smtp.user, smtp.password or "")
    return conn


def send_digests(
    ws: Workspace,
    config: ServerSettings,
    now: dt.datetime,
    *,
    only: Sequence[str] = (),
    send: bool = True,
    connect: Callable[[Smtp], smtplib.SMTP] = _connect,
) -> list[Sent]:
    """One digest per delegation that has addresses and news since its last digest;
    with ``send``, each is sent and then its snapshot kept, so that a failure (reported as
    one line) loses nothing: the delegations not reached keep their news for the next
    run. Without ``send``, nothing is sent or kept (a preview). ``only``: these codes."""
    cfg = ws.config
    if send and config.smtp is None:
        raise DraftingError(
            "no SMTP server configured: set DRAFTING_SMTP_HOST (or [drafting.smtp] host in the "
            "server's .streamlit/secrets.toml); see docs/app.md"
        )
    for code in only:
        if cfg.delegation(code) is None:
            raise DraftingError(f"unknown delegation {code!r}: not listed in drafting.yaml")
    store = Visits(state_folder(ws.root, config.state_dir), "digests")
    recs = records(ws)
    titles = {k: v.title for k, v in cfg.documents.items()}
    out: list[Sent] = []
    conn = None
    try:
        for d in cfg.delegations:
            if only and d.code not in only:
                continue
            to = config.recipients.get(d.code) or ()
            if not to:
                continue
            last = store.load(d.code)
            news = whats_new(recs, d.code, last, now)
            items = tell(ws, news)
            if not items:
                out.append(Sent(d.code, tuple(to), "", 0, False))
                continue
            msg = message(
                conference=cfg.conference,
                delegation=d.name,
                items=items,
                titles=titles,
                since=news.since,
                public_url=config.public_url,
                sender=config.smtp.sender if config.smtp else "drafting@localhost",
                to=to,
                tz=cfg.timezone,
            )
            if send and config.smtp is not None:
                if conn is None:
                    conn = connect(config.smtp)
                conn.send_message(msg)
                store.save(d.code, seen(recs, d.code, now))
            out.append(Sent(d.code, tuple(to), str(msg["Subject"]), len(items), send))
    except (OSError, smtplib.SMTPException) as e:
        raise DraftingError(f"the SMTP server {config.smtp.host if config.smtp else ''} refused: {e}") from None
    finally:
        if conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                conn.quit()
    return out
