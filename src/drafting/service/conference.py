"""From Rev.N to adoption: paragraph status, the silence procedure, renumbering, the
adopted versions. The use cases the CLI (``cli/conference.py``) and the app share.

Each write reads what it needs, decides with the pure rules of ``model.status`` and
``model.silence``, and writes and commits once under the workspace's lock. The time is
the server's, read once through :func:`drafting.service.clock.now` (tests fix it with
``clock.fixed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..model import roles
from ..model import silence as S
from ..model import status as ST
from ..model.conventions import version_symbol
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.records import Version
from ..model.validate import is_slug, parse_version, text_problem, version_to_data
from ..model.when import as_date, iso, long_date, long_moment, parse_when
from ..store import yamlio
from ..store.workspace import Workspace, silence_break_path, silence_path, status_path, version_path
from . import clock


def _identity(actor):
    from .identity import identity

    return identity(actor)


def _label(v: Version) -> str:
    from ..model.vocabulary import default_label

    return v.label or default_label(v.version)


def latest_version(ws: Workspace, document: str) -> Version:
    names = ws.version_names(ws.require_document(document))
    if not names:
        raise NotFound(f"{document} has no version yet")
    return ws.version(document, names[-1])


def _check_text(label: str, value: str | None, ws: Workspace) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    lim = ws.config.limits.max_text_chars
    if len(value) > lim:
        raise DraftingError(f"{label} is {len(value):,} characters, over the limit of {lim:,}")
    bad = text_problem(value)
    if bad:
        raise DraftingError(f"{label} {bad}")
    return value


# ------------------------------------------------------------------------- paragraphs


def resolve_paragraph(ws: Workspace, document: str, version: str, ref: str) -> str:
    """A paragraph named by its id ("clr-3") or its display number ("Action 12 bis", "5")
    in ``version``."""
    from ..text.numbering import parse_display_number
    from .versions import numbers

    v = ws.version(document, version)
    if ref in v.by_id():
        return ref
    wanted = parse_display_number(ref)
    if wanted is not None:
        from ..text.numbering import lineage_numbers

        for pid, n in lineage_numbers(ws.chain(document, version)).items():
            if n.key == wanted.key and (not wanted.prefix or wanted.prefix == n.prefix):
                return pid
    known = ", ".join(list(numbers(ws, document, version).values())[:3])
    raise NotFound(
        f"no paragraph {ref!r} in {_label(v)} of {document}; name it by id or by number"
        + (f" ({known}, ...)" if known else "")
    )


def paragraph_label(ws: Workspace, document: str, version: str, pid: str) -> str:
    """ "Action 3", "paragraph 5", or for an unnumbered paragraph its id."""
    from .versions import numbers

    n = numbers(ws, document, version).get(pid)
    if not n:
        return f"paragraph {pid}"
    return n if not n[0].isdigit() else f"paragraph {n}"


# ------------------------------------------------------------------------------ status


def _recorded_texts(ws: Workspace, document: str, recorded: dict[str, ST.RecordedStatus]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    cache: dict[str, dict[str, str]] = {}
    for pid, r in recorded.items():
        if r.version not in cache:
            cache[r.version] = (
                {p.id: p.text for p in ws.version(document, r.version).paragraphs}
                if ws.has_version(document, r.version)
                else {}
            )
        out[pid] = cache[r.version].get(pid)
    return out


def effective_statuses(ws: Workspace, document: str, version: str) -> dict[str, str]:
    """Paragraph id -> open | bracketed | ad-referendum | agreed, in ``version``."""
    v = ws.version(document, version)
    recorded = ws.statuses(document)
    texts = _recorded_texts(ws, document, recorded)
    return {
        p.id: ST.effective_status(p.text, recorded.get(p.id), texts.get(p.id))
        for p in v.paragraphs
        if p.kind != "heading"
    }


def agreed_paragraphs(ws: Workspace, document: str) -> dict[str, str]:
    """The paragraphs agreed in the document's latest version: id -> "Action 3" (the ones
    that refuse new amendments)."""
    if not ws.statuses(document) or not ws.version_names(document):
        return {}
    v = latest_version(ws, document)
    agreed = [pid for pid, st in effective_statuses(ws, document, v.version).items() if st == ST.AGREED]
    return {pid: paragraph_label(ws, document, v.version, pid) for pid in agreed}


def list_statuses(ws: Workspace, document: str, version: str | None = None) -> dict[str, Any]:
    """Every paragraph of ``version`` (default: the latest) with its status, and the board."""
    from .versions import numbers

    ws.require_document(document)
    v = ws.version(document, version) if version else latest_version(ws, document)
    nums = numbers(ws, document, v.version)
    recorded = ws.statuses(document)
    texts = _recorded_texts(ws, document, recorded)
    rows = []
    effective: dict[str, str] = {}
    for p in v.paragraphs:
        if p.kind == "heading":
            continue
        r = recorded.get(p.id)
        st = ST.effective_status(p.text, r, texts.get(p.id))
        effective[p.id] = st
        rows.append(
            {
                "id": p.id,
                "number": nums.get(p.id, ""),
                "section": p.section,
                "kind": p.kind,
                "status": st,
                "words": ST.STATUS_WORDS[st],
                "lapsed": ST.lapsed(p.text, r, texts.get(p.id)),
                "recorded": None
                if r is None
                else {"status": r.status, "version": r.version, "date": r.date, "note": r.note},
            }
        )
    return {
        "document": document,
        "version": v.version,
        "label": _label(v),
        "paragraphs": rows,
        "board": ST.section_board(v.paragraphs, effective),
    }


def record_status(
    ws: Workspace,
    document: str,
    paragraph: str,
    status: str,
    *,
    note: str | None = None,
    by: str | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    """The Presidency records a paragraph's status (one commit)."""
    cfg = ws.config
    ws.require_document(document)
    actor = roles.acting(cfg, by)
    roles.check_may_record_status(actor)
    new = ST.status_name(status)
    note = _check_text("--note", note, ws)
    moment = clock.now()
    rel = status_path(document)
    with ws.git.transaction():
        latest = latest_version(ws, document)
        if version and version != latest.version:
            raise DraftingError(
                f"statuses are recorded on the latest version ({_label(latest)}, {latest.version}), not {version}"
            )
        pid = resolve_paragraph(ws, document, latest.version, paragraph)
        para = latest.by_id()[pid]
        label = paragraph_label(ws, document, latest.version, pid)
        if para.kind == "heading":
            raise DraftingError(f"{label} is a heading: only paragraphs have a status")
        current = effective_statuses(ws, document, latest.version)[pid]
        ST.check_status_change(label, para.text, new, current)
        recorded = dict(ws.statuses(document))
        recorded[pid] = ST.RecordedStatus(pid, new, latest.version, iso(moment), note)
        body = (
            f"# Paragraph status on {document}, recorded by the Presidency (written by drafting).\n"
            "# open | ad-referendum | agreed, against the version whose text was agreed; paragraphs\n"
            "# not listed are open (bracketed while their text holds square brackets).\n"
        ) + yamlio.dumps({k: ST.status_entry(r) for k, r in recorded.items()})
        ST.parse_statuses(yamlio.loads(body, rel), rel, limits=cfg.limits)  # what we write reads back
        words = "reopened" if new == ST.OPEN else ST.STATUS_WORDS[new]
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"Record {label} of {document} as {words}",
            _identity(actor),
            date=iso(moment),
            trailers={
                "Action": "status",
                "Document": document,
                "Version": latest.version,
                "Paragraph": pid,
                "Status": new,
            },
        )
    return {
        "document": document,
        "version": latest.version,
        "paragraph": pid,
        "number": label,
        "status": new,
        "note": note,
        "commit": sha,
        "path": rel,
    }


def status_timeline(ws: Workspace, document: str) -> list[dict[str, Any]]:
    """How the document's paragraphs' statuses changed: one point per version circulated
    and per status recorded, oldest first: ``{"date", "version", "event", "open",
    "bracketed", "ad-referendum", "agreed"}`` (counts over the version current then)."""
    ws.require_document(document)
    rel = status_path(document)
    entries = ws.git.log([rel, f"drafts/{document}"])[::-1]
    versions = set(ws.version_names(document))
    current: str | None = None
    recorded: dict[str, ST.RecordedStatus] = {}
    texts_of: dict[str, dict[str, str]] = {}
    out: list[dict[str, Any]] = []

    def text_of(version: str, pid: str) -> str | None:
        if version not in texts_of:
            texts_of[version] = (
                {p.id: p.text for p in ws.version(document, version).paragraphs} if version in versions else {}
            )
        return texts_of[version].get(pid)

    for e in entries:
        event = None
        for f in e.files:
            if f.startswith(f"drafts/{document}/") and f.endswith(".yaml"):
                name = f.rsplit("/", 1)[1][: -len(".yaml")]
                if name in versions:
                    current, event = name, f"{_label(ws.version(document, name))} circulated"
        if rel in e.files:
            raw = ws.git.show(e.commit, rel)
            try:
                recorded = ST.parse_statuses(yamlio.loads(raw or b"", rel), rel) if raw else {}
            except DraftingError:
                continue
            pid = e.trailers.get("paragraph")
            st = e.trailers.get("status")
            if pid and st and current:
                words = "reopened" if st == ST.OPEN else ST.STATUS_WORDS.get(st, st)
                label = paragraph_label(ws, document, current, pid)
                event = f"{label[0].upper()}{label[1:]} {words}"
            else:
                event = event or "statuses recorded"
        if current is None or event is None:
            continue
        counts = dict.fromkeys(ST.PARAGRAPH_STATUSES, 0)
        for p in ws.version(document, current).paragraphs:
            if p.kind == "heading":
                continue
            r = recorded.get(p.id)
            counts[ST.effective_status(p.text, r, text_of(r.version, p.id) if r else None)] += 1
        out.append({"date": e.date, "version": current, "event": event, **counts})
    return out


# ---------------------------------------------------------------------------- silence


def _labels(ws: Workspace, document: str) -> dict[str, str]:
    return {n: _label(ws.version(document, n)) for n in ws.version_names(document)}


def _name(ws: Workspace, code: str) -> str:
    d = ws.config.delegation(code)
    return d.name if d else code


def _procedure_json(ws: Workspace, p: S.Procedure, now: dt.datetime) -> dict[str, Any]:
    from .versions import numbers

    tz = ws.config.timezone
    breaks = ws.silence_breaks(p.document, p.id)
    known = ws.has_version(p.document, p.version)
    label = _label(ws.version(p.document, p.version)) if known else p.version
    nums = numbers(ws, p.document, p.version) if known else {}
    return {
        "id": p.id,
        "document": p.document,
        "version": p.version,
        "label": label,
        "started": p.started,
        "until": p.until,
        "deadline": long_moment(p.deadline(), tz),
        "note": p.note,
        "state": S.state(p, now),
        "time_left": S.time_left(p, now),
        "closed": p.closed,
        "outcome": p.outcome,
        "adopted": p.adopted,
        "adopted_on": long_date(p.adopted) if p.adopted else None,
        "breaks": [
            {
                "delegation": b.delegation,
                "name": _name(ws, b.delegation),
                "at": b.at,
                "when": long_moment(parse_when(b.at), tz),
                "statement": b.statement,
                "proposals": [
                    {"paragraph": x.paragraph, "number": nums.get(x.paragraph, ""), "text": x.text} for x in b.proposals
                ],
            }
            for b in breaks.values()
        ],
    }


def silence_status(ws: Workspace, document: str) -> dict[str, Any]:
    """The procedure under way (or the last one) and every procedure on the document."""
    ws.require_document(document)
    moment = clock.now()
    procs = ws.procedures(document)
    current = S.open_procedure(procs) or (procs[-1] if procs else None)
    return {
        "document": document,
        "now": iso(moment),
        "current": _procedure_json(ws, current, moment) if current else None,
        "procedures": [_procedure_json(ws, p, moment) for p in procs],
        "adopted": adoptions(ws, document),
    }


def adoptions(ws: Workspace, document: str) -> dict[str, str]:
    """The document's adopted versions: version -> the day it was adopted (ISO date)."""
    return {p.version: p.adopted for p in ws.procedures(document) if p.outcome == S.ADOPTED and p.adopted}


def start_silence(
    ws: Workspace,
    document: str,
    version: str,
    until: str,
    *,
    note: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """The Presidency puts ``version`` under a silence procedure until ``until`` (one commit)."""
    cfg = ws.config
    ws.require_document(document)
    actor = roles.acting(cfg, by)
    roles.check_may_run_silence(actor)
    v = ws.version(document, version)
    deadline = parse_when(until, cfg.timezone, what="deadline for --until")
    note = _check_text("--note", note, ws)
    moment = clock.now()
    with ws.git.transaction():
        procs = ws.procedures(document)
        S.check_start(procs, version, _labels(ws, document), deadline, moment, cfg.timezone)
        pid = S.next_id(procs)
        proc = S.Procedure(document, pid, version, iso(moment), iso(deadline), note)
        rel = silence_path(document, pid)
        body = (
            f"# Silence procedure {pid} on {document} {version}, started by the Presidency (written by drafting).\n"
        ) + yamlio.dumps(S.procedure_to_data(proc))
        S.parse_procedure(yamlio.loads(body, rel), rel, document=document, pid=pid, limits=cfg.limits)
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"Start a silence procedure on {_label(v)} of {document}, until {long_moment(deadline, cfg.timezone)}",
            _identity(actor),
            date=iso(moment),
            trailers={"Action": "silence-start", "Document": document, "Version": version, "Procedure": pid},
        )
    out = _procedure_json(ws, proc, moment)
    out.update(commit=sha, path=rel)
    return out


def read_statement(ws: Workspace, value: str) -> str:
    """A statement given as text, or as the name of a text file holding it."""
    path = Path(value)
    lim = ws.config.limits
    try:
        is_file = len(value) < 4096 and "\n" not in value and path.is_file()
    except OSError:
        is_file = False
    if is_file:
        size = path.stat().st_size
        if size > lim.max_file_bytes:
            raise DraftingError(f"{value}: file is {size:,} bytes, over the limit of {lim.max_file_bytes:,}")
        try:
            value = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise DraftingError(f"{value}: not a UTF-8 text file; give the statement as plain text") from None
    text = value.strip()
    if not text:
        raise DraftingError("the statement is empty: a delegation breaking silence states its reasons")
    if len(text) > lim.max_text_chars:
        raise DraftingError(f"the statement is {len(text):,} characters, over the limit of {lim.max_text_chars:,}")
    bad = text_problem(text)
    if bad:
        raise DraftingError(f"the statement {bad}")
    return text


def break_silence(
    ws: Workspace,
    document: str,
    delegation: str,
    statement: str,
    *,
    proposals: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """``delegation`` breaks silence with ``statement`` (text), and optionally proposes text
    for paragraphs (``[(paragraph, text)]``): one commit, authored by the delegation."""
    cfg = ws.config
    ws.require_document(document)
    d = roles.require_delegation(cfg, delegation)
    moment = clock.now()
    text = statement.strip()
    if not text:
        raise DraftingError("the statement is empty: a delegation breaking silence states its reasons")
    with ws.git.transaction():
        procs = ws.procedures(document)
        current = S.open_procedure(procs)
        breaks = ws.silence_breaks(document, current.id) if current else {}
        label = _labels(ws, document).get(current.version) if current else None
        proc = S.check_break(current, breaks, d, moment, cfg.timezone, label)
        items = []
        for ref, given in proposals or []:
            pid = resolve_paragraph(ws, document, proc.version, ref)
            t = _check_text("the proposed text", given, ws)
            if not t:
                raise DraftingError(f"the proposed text for {ref} is empty")
            items.append(S.BreakProposal(pid, t))
        brk = S.SilenceBreak(d.code, iso(moment), text, tuple(items))
        rel = silence_break_path(document, proc.id, d.code)
        body = (f"# {d.name} breaks silence on {document} {proc.version} (written by drafting).\n") + yamlio.dumps(
            S.break_to_data(brk)
        )
        S.parse_break(yamlio.loads(body, rel), rel, code=d.code, limits=cfg.limits)
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"{d.name} breaks silence on {_label(ws.version(document, proc.version))} of {document}",
            _identity(d),
            date=iso(moment),
            trailers={
                "Action": "silence-break",
                "Document": document,
                "Version": proc.version,
                "Procedure": proc.id,
                "Delegation": d.code,
            },
        )
    return {
        "document": document,
        "procedure": proc.id,
        "version": proc.version,
        "label": label or proc.version,
        "delegation": d.code,
        "at": brk.at,
        "statement": brk.statement,
        "proposals": [{"paragraph": x.paragraph, "text": x.text} for x in brk.proposals],
        "commit": sha,
        "path": rel,
    }


def close_silence(ws: Workspace, document: str, *, by: str | None = None) -> dict[str, Any]:
    """After the deadline, the Presidency closes the procedure: adopted if unbroken, else
    broken (one commit)."""
    cfg = ws.config
    ws.require_document(document)
    actor = roles.acting(cfg, by)
    roles.check_may_run_silence(actor)
    moment = clock.now()
    with ws.git.transaction():
        procs = ws.procedures(document)
        current = S.open_procedure(procs)
        label = _labels(ws, document).get(current.version) if current else None
        proc = S.check_close(current, moment, cfg.timezone, label)
        breaks = ws.silence_breaks(document, proc.id)
        done = S.closed(proc, breaks, moment, cfg.timezone)
        rel = silence_path(document, proc.id)
        body = (
            f"# Silence procedure {proc.id} on {document} {proc.version}, started by the Presidency "
            "(written by drafting).\n"
        ) + yamlio.dumps(S.procedure_to_data(done))
        S.parse_procedure(yamlio.loads(body, rel), rel, document=document, pid=proc.id, limits=cfg.limits)
        label = _label(ws.version(document, proc.version))
        if done.outcome == S.ADOPTED:
            subject = (
                f"{label} of {document} adopted: silence unbroken until {long_moment(proc.deadline(), cfg.timezone)}"
            )
        else:
            who = ", ".join(_name(ws, c) for c in breaks)
            subject = f"Close the silence procedure on {label} of {document}: broken by {who}"
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            subject,
            _identity(actor),
            date=iso(moment),
            trailers={
                "Action": "silence-close",
                "Document": document,
                "Version": proc.version,
                "Procedure": proc.id,
                "Outcome": str(done.outcome),
            },
        )
    out = _procedure_json(ws, done, moment)
    out.update(commit=sha, path=rel)
    return out


def carry_break_proposals(ws: Workspace, document: str, round_id: str) -> dict[str, Any]:
    """The text proposed with silence breaks on the round's base version, filed as those
    delegations' proposals in the round (the new round the Presidency opened after a broken
    procedure). Proposals already there are not filed twice. One commit per delegation."""
    from .app_queries import existing_contribution
    from .inputs import submit_proposals

    rnd = ws.require_round(document, round_id)
    todo: list[tuple[str, list[dict]]] = []
    for proc in ws.procedures(document):
        if proc.version != rnd.base or proc.outcome != S.BROKEN:
            continue
        for code, b in ws.silence_breaks(document, proc.id).items():
            if not b.proposals:
                continue
            prev = existing_contribution(ws, document, rnd.id, code)
            have = {(p.op, p.paragraph, p.text) for p in (prev.proposals if prev else ())}
            rationale = f"Proposed when breaking silence on {long_date(b.at, ws.config.timezone)}: {b.statement}"
            adds = [
                {"op": "amend", "paragraph": x.paragraph, "text": x.text, "rationale": rationale[:2000]}
                for x in b.proposals
                if ("amend", x.paragraph, x.text) not in have
            ]
            if adds:
                todo.append((code, adds))
    agreed = agreed_paragraphs(ws, document)
    for code, adds in todo:  # refuse before writing anything
        for a in adds:
            if a["paragraph"] in agreed:
                raise DraftingError(
                    f"{code}'s proposed text amends {agreed[a['paragraph']]}, which is agreed: "
                    "reopen it before filing the proposals of the silence breaks"
                )
    filed = []
    for code, adds in todo:
        done = submit_proposals(
            ws, adds, delegation=code, source=f"silence break of {code}", document=document, round=rnd.id
        )
        ws.forget_contributions()
        filed.append({"delegation": code, "proposals": [p.id for p in done.added], "commit": done.commit})
    return {"document": document, "round": rnd.id, "filed": filed}


# ---------------------------------------------------------------------------- renumber


def renumber(
    ws: Workspace,
    document: str,
    version: str,
    *,
    to: str | None = None,
    label: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """A new version of ``version`` whose only change is its numbering (1 .. N): one commit."""
    from ..model.vocabulary import default_label
    from ..text.numbering import renumber_map
    from .app_queries import next_version_name

    cfg = ws.config
    ws.require_document(document)
    actor = roles.acting(cfg, by)
    roles.check_may_compose(actor)
    chain = ws.chain(document, version)
    base = chain[-1]
    changes = {pid: (old.label, new.label) for pid, (old, new) in renumber_map(chain).items() if old.key != new.key}
    if not changes:
        raise DraftingError(f"{_label(base)} is already numbered in sequence: renumbering would change nothing")
    to = to or next_version_name(ws, document)
    if not is_slug(to):
        raise DraftingError(f"{to!r} is not a valid version name (letters, digits, '-')")
    if ws.has_version(document, to):
        raise Conflict(f"{version_path(document, to)} already exists: versions are never overwritten; choose --to")
    moment = clock.now()
    new = replace(
        base,
        version=to,
        label=label or default_label(to),
        symbol=None,
        date=as_date(moment, cfg.timezone).isoformat(),
        based_on=version,
        round=None,
        renumbered=True,
        paragraphs=tuple(replace(p, sources=()) for p in base.paragraphs),
    )
    new = replace(new, symbol=version_symbol(cfg.documents[document], [*chain, new]))
    rel = version_path(document, to)
    body = (
        f"# {cfg.documents[document].title}: {new.label}, {_label(base)} renumbered by drafting "
        "(the text is unchanged).\n"
    ) + yamlio.dumps(version_to_data(new))
    parse_version(yamlio.loads(body, rel), rel, limits=cfg.limits)
    with ws.git.transaction():
        if (ws.root / rel).exists():
            raise Conflict(f"{rel} appeared meanwhile; choose another name with --to")
        sha = ws.git.commit(
            {rel: body.encode("utf-8")},
            f"Renumber {_label(base)} of {document} as {new.label} ({len(changes)} numbers change)",
            _identity(actor),
            trailers={
                "Action": "version",
                "Document": document,
                "Version": to,
                "Renumbered": "yes",
            },
        )
    return {
        "document": document,
        "from": version,
        "version": to,
        "label": new.label,
        "symbol": new.symbol,
        "changes": [{"id": pid, "from": a, "to": b} for pid, (a, b) in changes.items()],
        "commit": sha,
        "path": rel,
    }
