"""What is new for a delegation, told in words; its last visit kept by the server.

- :func:`records`: the workspace's records that news are computed from (once per state);
- :func:`tell`: a :class:`~drafting.model.news.News` as sentences a delegate reads, each
  with the address of what it is about ("Revision 1 of the Vientiane Action Plan is out",
  "Your proposal MEX-4 (amendment to Action 18) was not retained: out of scope");
- :class:`Visits`: per delegation, the snapshot of its last visit (and, separately, of its
  last e-mail digest), as small JSON files in the server's state folder: by default
  ``.git/drafting-state/`` of the workspace (inside git's own folder, so never committed
  and never pushed), or the folder the server's configuration names
  (``DRAFTING_STATE_DIR``, or ``state_dir`` under ``[drafting]`` in its secrets).

The computation itself is :func:`drafting.model.news.whats_new` (pure).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import addresses
from ..model.errors import DraftingError
from ..model.news import News, Records, Seen, records_from
from ..model.vocabulary import (
    count_inputs,
    default_label,
    delegation_name,
    input_noun,
    kind_word,
    on_version,
    paragraph_name,
    plural,
    status_word,
)
from ..model.when import long_moment, parse_when
from ..store.workspace import Workspace

__all__ = ["Item", "Visits", "records", "state_folder", "tell"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def records(ws: Workspace) -> Records:
    """Every version (in lineage order), proposal and decision of the workspace."""
    versions = []
    for doc in ws.config.documents:
        for name in ws.version_names(doc):
            try:
                versions.append(ws.version(doc, name))
            except DraftingError:  # a broken file is check's business; news go on without it
                continue
    proposals = ws.all_proposals()
    return records_from(ws.config, versions, proposals, ws.all_decisions())


# ---------------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Item:
    """One piece of news: ``kind`` (version, decision, cosponsor, deadline), the sentence,
    and the address of what it is about (relative to the app; see ``app.links``)."""

    document: str
    kind: str
    text: str
    href: str


def tell(ws: Workspace, news: News) -> list[Item]:
    """The news as sentences, document by document, in the order a delegate wants them:
    new versions, decisions, co-sponsor requests, deadlines."""
    from .versions import numbers

    cfg = ws.config
    tz = cfg.timezone
    labels: dict[tuple[str, str], str] = {}

    def label(doc: str, version: str) -> str:
        if (doc, version) not in labels:
            try:
                v = ws.version(doc, version)
                labels[(doc, version)] = v.label or default_label(version)
            except DraftingError:
                labels[(doc, version)] = default_label(version)
        return labels[(doc, version)]

    names: dict[tuple[str, str], tuple[dict, dict]] = {}

    def para(doc: str, version: str, pid: str | None) -> str:
        if not pid:
            return "the start of the document"
        if (doc, version) not in names:
            try:
                names[(doc, version)] = (numbers(ws, doc, version), ws.version(doc, version).by_id())
            except DraftingError:
                names[(doc, version)] = ({}, {})
        nums, by_id = names[(doc, version)]
        p = by_id.get(pid)
        return paragraph_name(nums.get(pid), p.kind if p else None, p.text if p else None) if p else "a paragraph"

    def title(doc: str) -> str:
        info = cfg.documents.get(doc)
        return info.title if info else doc

    who = news.delegation
    out: list[Item] = []
    for v in news.versions:
        when = f" ({_day(v.date, tz)})" if v.date else ""
        out.append(
            Item(
                v.document,
                "version",
                f"{v.label} of the {title(v.document)} is out{when}.",
                addresses.version(v.document, v.version),
            )
        )
    for d in news.decisions:
        what = kind_word(d.op)
        where = para(d.document, d.base, d.target)
        about = f"{what} {'after' if d.op == 'insert' else 'to' if d.op != 'comment' else 'on'} {where}"
        whose = (
            f"{delegation_name(cfg, d.delegation)}'s {input_noun(d.op)} {d.proposal}, which you co-sponsor,"
            if d.co_sponsor
            else f"Your {input_noun(d.op)} {d.proposal}"
        )
        verb = "is open again" if d.status == "open" else f"was {status_word(d.status)}"
        note = f" The Presidency's note: “{d.note}”" if d.note else ""
        out.append(
            Item(
                d.document,
                "decision",
                f"{whose} ({about}) {verb}.{note}",
                addresses.proposal(d.document, d.base, d.target, d.proposal),
            )
        )
    out.extend(
        Item(
            r.document,
            "cosponsor",
            f"{delegation_name(cfg, r.by)} named {delegation_name(cfg, who)} as a co-sponsor of "
            f"{count_inputs(r.ops)} on {on_version(label(r.document, r.base))} ({', '.join(r.proposals)}).",
            addresses.href(addresses.MY_INPUTS, doc=r.document, proposal=r.proposals[0]),
        )
        for r in news.cosponsor_requests
    )
    for dl in news.deadlines:
        sent = (
            f"{delegation_name(cfg, who)} has sent {count_inputs(dl.sent)}."
            if dl.sent
            else f"{delegation_name(cfg, who)} has not sent any yet."
        )
        out.append(
            Item(
                dl.document,
                "deadline",
                f"Inputs on {on_version(label(dl.document, dl.base))} of the {title(dl.document)} close on "
                f"{long_moment(parse_when(dl.deadline), tz)}, {_left(dl.left)}. {sent}",
                addresses.href(addresses.SUBMIT, doc=dl.document, round=dl.round),
            )
        )
    order = {doc: i for i, doc in enumerate(cfg.documents)}
    kinds = {"version": 0, "decision": 1, "cosponsor": 2, "deadline": 3}
    return sorted(out, key=lambda x: (order.get(x.document, 99), kinds[x.kind]))


def _day(date: str, tz: str | None) -> str:
    from ..model.when import long_date

    try:
        return long_date(date, tz)
    except DraftingError:
        return date


def _left(left: dt.timedelta) -> str:
    hours = int(left.total_seconds() // 3600)
    if hours < 24:
        return "in less than a day" if hours < 1 else f"in {plural(hours, 'hour')}"
    return f"in {plural(hours // 24, 'day')}"


def headline(items: Sequence[Item]) -> str:
    """A one-line summary ("Revision 1 is out; 2 decisions on your proposals")."""
    parts = []
    versions = [i for i in items if i.kind == "version"]
    if versions:
        parts.append(
            versions[0].text.split(" of the ")[0] + " is out" if len(versions) == 1 else f"{len(versions)} new versions"
        )

    n = sum(1 for i in items if i.kind == "decision")
    if n:
        parts.append(plural(n, "decision") + " on your proposals")
    n = sum(1 for i in items if i.kind == "cosponsor")
    if n:
        parts.append(plural(n, "co-sponsor request"))
    n = sum(1 for i in items if i.kind == "deadline")
    if n:
        parts.append("a deadline approaching" if n == 1 else f"{n} deadlines approaching")
    return "; ".join(parts) if parts else "nothing new"


# ---------------------------------------------------------------------------------- state


def state_folder(root: str | os.PathLike, configured: str | None = None) -> Path:
    """Where the server keeps its state for the workspace at ``root``: ``configured`` (one
    subfolder per workspace) or the workspace's ``.git/drafting-state``."""
    from ..store.git import _git_dir

    root = Path(root).resolve()
    if configured:
        key = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        return Path(configured).expanduser() / f"{root.name}-{key}"
    git = _git_dir(root)
    if git is None:
        raise DraftingError(f"{root} is not a git repository: no place to keep the app's state")
    return git / "drafting-state"


class Visits:
    """Per delegation, the snapshot of its last visit (``kind="visits"``) or of its last
    e-mail digest (``kind="digests"``). Each is one small JSON file, written atomically,
    so that concurrent sessions never leave half a file."""

    def __init__(self, folder: Path, kind: str = "visits"):
        self.folder = Path(folder) / kind

    def _path(self, code: str) -> Path:
        if not _CODE.match(code):
            raise DraftingError(f"{code!r} is not a delegation code")
        return self.folder / f"{code}.json"

    def load(self, code: str) -> Seen | None:
        try:
            data = json.loads(self._path(code).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return Seen.from_json(data)

    def save(self, code: str, snapshot: Seen) -> None:
        path = self._path(code)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{code}-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(snapshot.to_json(), f)
            os.replace(tmp, path)
        except OSError as e:
            raise DraftingError(f"cannot keep the last visit of {code} in {path.parent}: {e.strerror or e}") from None
