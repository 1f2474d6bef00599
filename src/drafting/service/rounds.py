"""Input rounds managed in the tool: open, extend, close, list; and :func:`admit`, the one
check every way in (YAML, Word, the app) goes through before a submission is written.

Each change reads the rounds as the history holds them (under the workspace's lock),
decides with the pure rules of ``model.rounds`` and writes one record,
``rounds/<id>.yaml``, in one commit by the Presidency (or the secretariat). The time is
the server's (:func:`drafting.service.clock.now`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import roles
from ..model import rounds as R
from ..model.errors import DraftingError, NotFound, PermissionDenied
from ..model.records import Round
from ..model.validate import is_slug
from ..model.vocabulary import default_label, on_version
from ..model.when import iso, long_moment, parse_when
from ..store import yamlio
from ..store.workspace import Workspace, round_path
from . import clock


def _actor(ws: Workspace, by: str | None):
    cfg = ws.config
    actor = roles.acting(cfg, by)
    roles.check_may_manage_rounds(actor)
    return actor


def composed_from(ws: Workspace, document: str) -> dict[str, str]:
    """Round id -> the version composed from it (the first, should there be several).

    Only the versions whose file names a round are read (a submission asks this of every
    version of the document: a long lineage, or a huge file, must not slow it down)."""
    from ..store.workspace import draft_name

    d = ws.root / "drafts" / document
    out: dict[str, tuple[str, str]] = {}
    for p in sorted(d.glob("*.yaml")) if d.is_dir() else []:
        if draft_name(p.stem, ws.config.languages)[1] is not None:
            continue
        try:
            raw = p.read_bytes()
        except OSError:
            continue
        if not re.search(rb"(?m)^round:[ \t]*['\"]?[A-Za-z0-9]", raw):
            continue  # no round named (a first version, an import, a renumbering)
        try:
            v = ws.version(document, p.stem)
        except DraftingError:
            continue
        if v.round and (v.round not in out or (v.date or "", p.stem) < out[v.round]):
            out[v.round] = (v.date or "", p.stem)
    return {rid: name for rid, (_, name) in out.items()}


def version_label(ws: Workspace, document: str, version: str) -> str:
    try:
        v = ws.version(document, version)
    except DraftingError:
        return default_label(version)
    return v.label or default_label(version)


def round_title(ws: Workspace, r: Round, *, ids: bool = True) -> str:
    """How a notice names a round: "the round of inputs on the zero draft of the Vientiane
    Action Plan (zero-draft-inputs)"; the app says it without the id (``ids=False``)."""
    doc = ws.config.documents.get(r.document)
    title = doc.title if doc else r.document
    text = f"the round of inputs on {on_version(version_label(ws, r.document, r.base))} of the {title}"
    return f"{text} ({r.id})" if ids else text


def admit(ws: Workspace, round_id: str, delegation: str) -> Round:
    """May ``delegation`` submit in the round now? Returns the round, or raises one line
    naming the round, its deadline and who can extend it. Every way in calls this, under
    the workspace's lock, with the rounds as the history holds them then."""
    problem = admission_note(ws, round_id, delegation, words=False)
    if problem:
        raise PermissionDenied(problem)
    r = ws.config.round(round_id)
    assert r is not None
    return r


def admission_note(ws: Workspace, round_id: str, delegation: str, *, words: bool = True) -> str | None:
    """Why ``delegation`` cannot submit in the round now (None: it can); ``words``: as the
    app says it (no ids, no commands)."""
    cfg = ws.config
    who = roles.require_delegation(cfg, delegation)
    r = cfg.round(round_id)
    if r is None:
        raise NotFound(f"unknown round {round_id!r}")
    composed = composed_from(ws, r.document).get(r.id)
    name = round_title(ws, r, ids=not words)
    return R.admission_problem(
        r,
        who,
        clock.now(),
        cfg.timezone,
        composed_into=version_label(ws, r.document, composed) if composed else None,
        presidency=cfg.presidency_delegation.name,
        name=name[0].upper() + name[1:],
        hint=not words,
    )


def open_round_of(ws: Workspace, document: str) -> Round | None:
    """The document's open round now (None if none)."""
    return R.current(ws.config.rounds, document, clock.now(), ws.config.timezone, composed_from(ws, document))


def round_for_submission(ws: Workspace, document: str) -> Round | None:
    """The round a submission without a named round goes to (``model.rounds.for_submission``)."""
    return R.for_submission(ws.config.rounds, document, clock.now(), ws.config.timezone, composed_from(ws, document))


# ------------------------------------------------------------------------------ writing


def round_body(ws: Workspace, r: Round) -> bytes:
    """The record as written: a header, the fields; it must read back as ``r``."""
    rel = round_path(r.id)
    body = (
        f"# Input round {r.id}: {round_title(ws, r, ids=False)}. Kept by the Presidency with "
        "'drafting round' (written by drafting).\n"
    ) + yamlio.dumps(R.to_data(r))
    R.parse_round_in(ws.config, yamlio.loads(body, rel), rel, r.id)  # what we write must read back
    return body.encode("utf-8")


def new_round(
    ws: Workspace,
    document: str,
    base: str,
    deadline: str,
    *,
    rid: str | None = None,
    opens: str | None = None,
    now: dt.datetime,
) -> Round:
    """The round ``open`` would write, checked (nothing written): ``model.rounds.proposed``
    over the rounds and versions as the workspace holds them."""
    ws.require_document(document)
    return R.proposed(
        ws.config.rounds,
        document,
        base,
        deadline,
        rid=rid,
        opens=opens,
        now=now,
        tz=ws.config.timezone,
        versions=ws.version_names(document),
        composed=composed_from(ws, document),
    )


def clock_iso(now: dt.datetime) -> str:
    return iso(now)


def open_round(
    ws: Workspace,
    document: str,
    base: str,
    deadline: str,
    *,
    rid: str | None = None,
    opens: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """The Presidency opens an input round on ``base`` until ``deadline`` (one commit)."""
    actor = _actor(ws, by)
    moment = clock.now()
    with ws.git.transaction():
        ws.refresh()
        r = new_round(ws, document, base, deadline, rid=rid, opens=opens, now=moment)
        sha = ws.git.commit(
            {round_path(r.id): round_body(ws, r)},
            f"Open the round {r.id}: {round_title(ws, r, ids=False)}, until "
            f"{long_moment(parse_when(r.deadline, ws.config.timezone), ws.config.timezone)}",
            _identity(actor),
            date=clock_iso(moment),
            trailers={"Action": "round-open", "Document": document, "Round": r.id, "Version": base},
        )
        ws.refresh()
    return {**round_json(ws, ws.config.round(r.id) or r, moment), "commit": sha, "path": round_path(r.id)}


def _identity(actor):
    from .identity import identity

    return identity(actor)


def _find(ws: Workspace, round_id: str) -> Round:
    r = ws.config.round(round_id) if is_slug(round_id) else None
    if r is None:
        known = ", ".join(x.id for x in ws.config.rounds) or "none"
        raise NotFound(f"unknown round {round_id!r}; rounds are {known}")
    return r


def extend_round(
    ws: Workspace,
    round_id: str,
    deadline: str,
    *,
    delegation: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """A later deadline: for everyone (a round the Presidency closed opens again), or for
    one delegation (recorded in the round). One commit."""
    actor = _actor(ws, by)
    moment = clock.now()
    cfg = ws.config
    tz = cfg.timezone
    text = R.when_text(deadline, tz, "deadline")
    assert text is not None
    until = parse_when(text, tz)
    who = roles.require_delegation(cfg, delegation) if delegation else None

    def decide() -> Round:
        r = _find(ws, round_id)
        composed = composed_from(ws, r.document).get(r.id)
        R.check_extend(r, until, moment, tz, code=who.code if who else None, composed_into=composed)
        if who is None and r.closed:  # reopening: one open round per document still
            R.check_open(
                [x for x in ws.config.rounds if x.id != r.id],
                R.extended(r, text, moment, code=None, by=actor.code),
                versions=ws.version_names(r.document),
                now=moment,
                tz=tz,
                composed=composed_from(ws, r.document),
            )
        return R.extended(r, text, moment, code=who.code if who else None, by=actor.code)

    decide()  # refusals before the lock
    with ws.git.transaction():
        ws.refresh()
        r = decide()
        whom = f" for {who.name}" if who else ""
        sha = ws.git.commit(
            {round_path(r.id): round_body(ws, r)},
            f"Extend the round {r.id}{whom} until {long_moment(until, tz)}",
            _identity(actor),
            date=clock_iso(moment),
            trailers={
                "Action": "round-extend",
                "Document": r.document,
                "Round": r.id,
                **({"Delegation": who.code} if who else {}),
            },
        )
        ws.refresh()
    return {**round_json(ws, ws.config.round(r.id) or r, moment), "commit": sha, "path": round_path(r.id)}


def close_round(ws: Workspace, round_id: str, *, by: str | None = None) -> dict[str, Any]:
    """The Presidency closes a round now (before or after its deadline): one commit."""
    from dataclasses import replace

    actor = _actor(ws, by)
    moment = clock.now()
    tz = ws.config.timezone

    def decide() -> Round:
        r = _find(ws, round_id)
        R.check_close(r, moment, tz, composed_into=composed_from(ws, r.document).get(r.id))
        return replace(r, closed=clock_iso(moment), source="record")

    decide()
    with ws.git.transaction():
        ws.refresh()
        r = decide()
        sha = ws.git.commit(
            {round_path(r.id): round_body(ws, r)},
            f"Close the round {r.id}: {round_title(ws, r, ids=False)}",
            _identity(actor),
            date=clock_iso(moment),
            trailers={"Action": "round-close", "Document": r.document, "Round": r.id},
        )
        ws.refresh()
    return {**round_json(ws, ws.config.round(r.id) or r, moment), "commit": sha, "path": round_path(r.id)}


# ------------------------------------------------------------------------------ reading


def round_json(ws: Workspace, r: Round, now: dt.datetime, composed: dict[str, str] | None = None) -> dict[str, Any]:
    cfg = ws.config
    tz = cfg.timezone
    composed = composed if composed is not None else composed_from(ws, r.document)
    st = R.state(r, now, tz, r.id in composed)
    counts = {"proposals": 0, "open": 0, "decided": 0, "delegations": 0}
    try:
        props = ws.proposals(r.document, r.id)
        decisions = ws.decisions(r.document, r.id)
    except DraftingError:
        props, decisions = [], {}
    counts["proposals"] = len(props)
    counts["delegations"] = len({p.delegation for p in props})
    for p in props:
        d = decisions.get(p.id)
        counts["open" if d is None or d.status == "open" else "decided"] += 1

    def moment(value: str | None, fn) -> str | None:
        if not value:
            return None
        try:
            return long_moment(fn(value), tz)
        except DraftingError:
            return value

    start = R.opens_at(r, tz) if r.opens else None
    return {
        "id": r.id,
        "document": r.document,
        "base": r.base,
        "name": round_title(ws, r),
        "title": round_title(ws, r, ids=False),
        "opens": r.opens,
        "opens_text": long_moment(start, tz) if start else None,
        "deadline": r.deadline,
        "deadline_text": moment(r.deadline, lambda v: parse_when(v, tz)),
        "state": st,
        "extensions": [
            {
                "delegation": e.delegation,
                "deadline": e.deadline,
                "previous": e.previous,
                "granted": e.granted,
                "by": e.by,
            }
            for e in r.extensions
        ],
        "closed": r.closed,
        "composed_into": composed.get(r.id),
        "source": round_path(r.id) if r.source == "record" else "drafting.yaml",
        "counts": counts,
    }


def list_rounds(ws: Workspace, document: str | None = None) -> list[dict[str, Any]]:
    """Every round (of ``document``), in the order they were defined or opened."""
    if document is not None:
        ws.require_document(document)
    moment = clock.now()
    composed = {doc: composed_from(ws, doc) for doc in ws.config.documents}
    return [
        round_json(ws, r, moment, composed.get(r.document, {}))
        for r in ws.config.rounds
        if document is None or r.document == document
    ]
