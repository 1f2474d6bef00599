"""Documents out: versions, tracked changes and the compilation (glue around ``formats``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.errors import DraftingError, NotFound
from ..model.records import Version, status_of
from ..model.vocabulary import default_label
from ..store.workspace import Workspace
from . import versions as V

#: which comments go into a document: none, the open ones (not yet decided), all
COMMENT_CHOICES = ("none", "open", "all")


def circulated_for(ws: Workspace, document: str, version: str) -> str | None:
    """The round a copy of ``version`` is circulated for: the open round if it is on this
    version, else the last round on it (None: no round on it)."""
    from .rounds import open_round_of

    open_round = open_round_of(ws, document)
    if open_round is not None and open_round.base == version:
        return open_round.id
    on = [r.id for r in ws.config.rounds_of(document) if r.base == version]
    return on[-1] if on else None


def doc_meta(
    ws: Workspace,
    document: str,
    version: Version,
    *,
    label: str | None = None,
    kind: str = "version",
    since: str | None = None,
):
    """The heading block of ``version`` by the UN document conventions (symbol with /Rev.N,
    Distr., the date as "30 July 2026", Original, "Submitted by ...", "Adopted on ..."),
    and the stamp saying where the file comes from (``formats/stamp.py``): the conference,
    document, version, the round it is circulated for, ``kind`` (version, tracked,
    compilation) and ``since`` (tracked changes since that version)."""
    from ..formats.ast import DocMeta
    from ..formats.stamp import Stamp
    from ..model.conventions import heading
    from ..model.languages import name as language_name
    from .conference import adoptions

    cfg = ws.config
    chain = ws.chain(document, version.version) if ws.has_version(document, version.version) else [version]
    h = heading(
        cfg.documents[document],
        chain,
        conference=cfg.conference,
        venue=cfg.venue,
        label=label or version.label or default_label(version.version),
        adopted_on=adoptions(ws, document).get(version.version),
        tz=cfg.timezone,
        language=language_name(cfg.source_language),
    )
    return DocMeta(
        conference=h.conference,
        title=h.title,
        symbol=h.symbol,
        date=h.date,
        label=h.label,
        submitted_by=h.submitted_by,
        venue=h.venue,
        distribution=h.distribution,
        original=h.original,
        adopted=h.adopted,
        stamp=Stamp(
            conference=cfg.conference,
            document=document,
            version=version.version,
            round=circulated_for(ws, document, version.version) if ws.has_version(document, version.version) else None,
            kind=kind,
            since=since,
        ).properties(),
    )


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise DraftingError(f"cannot export as {fmt!r}; formats are {', '.join(allowed)}")


def _check_comments(which: str) -> str:
    if which not in COMMENT_CHOICES:
        raise DraftingError(f"--comments must be none, open or all, not {which!r}")
    return which


def _comments(ws: Workspace, document: str, rounds: list[str], ids: set[str], which: str):
    """The comments of ``rounds`` on paragraphs ``ids``: none, the open ones, or all."""
    from ..formats.export import Comment

    if which == "none":
        return []
    names = {d.code: d.name for d in ws.config.delegations}
    out = []
    for rid in rounds:
        decisions = ws.decisions(document, rid)
        for prop in ws.proposals(document, rid):
            if prop.op != "comment" or not prop.paragraph or prop.paragraph not in ids:
                continue
            if which == "open" and prop.id in decisions:
                continue
            out.append(
                Comment(
                    prop.paragraph,
                    names.get(prop.delegation, prop.delegation),
                    prop.text or "",
                    prop.submitted,
                    prop.delegation,
                )
            )
    return out


def export_version(
    ws: Workspace,
    document: str,
    version: str,
    fmt: str,
    out: Path,
    *,
    comments: str = "none",
    mark_ad_ref: bool = False,
) -> Path:
    """``version`` as a document. ``comments``: none (a clean circulation copy), open or
    all comments of the rounds on this version (Word comments in DOCX, else after their
    paragraphs); ``mark_ad_ref``: "(ad ref)" after paragraphs agreed ad referendum."""
    from ..formats.export import FORMATS
    from ..formats.export import export_version as export
    from ..model.status import AD_REF
    from .conference import effective_statuses

    _check_format(fmt, FORMATS)
    _check_comments(comments)
    v = ws.version(document, version)
    rounds = [r.id for r in ws.config.rounds_of(document) if r.base == version]
    notes = _comments(ws, document, rounds, {p.id for p in v.paragraphs}, comments)
    marks = None
    if mark_ad_ref:
        marks = {pid: "ad ref" for pid, st in effective_statuses(ws, document, version).items() if st == AD_REF}
    return export(
        v, doc_meta(ws, document, v), V.numbers(ws, document, version), fmt, Path(out), comments=notes, marks=marks
    )


# ------------------------------------------------------------------- tracked changes


def _between_rounds(ws: Workspace, document: str, since: str, version: str) -> list[str]:
    """The rounds composed into the versions after ``since`` up to ``version``."""
    chain = [v.version for v in ws.chain(document, version)]
    if since in chain:
        chain = chain[chain.index(since) :]
    return [
        r.id for r in ws.config.rounds_of(document) if r.base in chain[:-1] or (since == version and r.base == version)
    ]


def tracked_document(ws: Workspace, document: str, version: str, since: str, *, comments: str = "all"):
    """The paragraphs of ``version`` as tracked changes against ``since``, and the comments
    (none, the open ones, or all of the rounds in between)."""
    from ..formats.export import Change, TrackedParagraph

    old, new = ws.version(document, since), ws.version(document, version)
    d = V.version_diff(ws, document, since, version)
    ops = [p for p in d["paragraphs"] if p["change"] != "unchanged"]
    labels = V.change_labels(ws, document, since, version, d) if ops else {}
    rounds = _between_rounds(ws, document, since, version)
    when: dict[str, str] = {}
    for rid in rounds:
        for c in ws.contributions(document, rid):
            if c.submitted:
                when[c.delegation] = max(when.get(c.delegation, ""), c.submitted)
    names = {d.code: d.name for d in ws.config.delegations}
    co_of: dict[str, set[str]] = {}
    for prop in ws.all_proposals(document):
        co_of.setdefault(prop.delegation, set()).update(prop.co_sponsors)
    numbering = V.number_changes(ws, document, since, version)
    presidency = ws.config.presidency_delegation.name

    def author(codes) -> tuple[str | None, str | None]:
        """A revision's author: the proposing delegation(s), without their co-sponsors."""
        if not codes:
            return None, None
        proposers = [c for c in codes if not any(c in co_of.get(d, ()) for d in codes if d != c)] or codes[:1]
        return " & ".join(names.get(c, c) for c in proposers), when.get(proposers[0])

    paragraphs = []
    by_new, by_old = new.by_id(), old.by_id()
    for p in d["paragraphs"]:
        pid, change = p["id"], p["change"]
        para = by_new.get(pid) or by_old[pid]
        lab = labels.get(pid) or []
        changes = []
        for i, (op, text) in enumerate(p["ops"]):
            who, date = author(lab[i] if i < len(lab) and op != "equal" else None)
            changes.append(Change(op, text, who, date))
        whole_author = whole_date = None
        if change in ("inserted", "deleted") and changes:
            whole_author, whole_date = changes[0].author, changes[0].date
        num = numbering.get(pid)
        renumbered = num is not None and num.renumbered and pid in by_new
        paragraphs.append(
            TrackedParagraph(
                id=pid,
                kind=para.kind,
                section=para.section,
                number=num.label if num else "",
                status=change,
                changes=changes,
                author=whole_author,
                date=whole_date,
                old_number=num.old.label if renumbered and num and num.old else "",
                number_author=presidency if renumbered else None,
                number_date=new.date if renumbered else None,
            )
        )
    notes = _comments(ws, document, rounds, set(by_new) | set(by_old), comments)
    return paragraphs, notes


def export_tracked(
    ws: Workspace, document: str, version: str, since: str, fmt: str, out: Path, *, comments: str | None = None
) -> Path:
    """``version`` with the changes since ``since`` as tracked changes. ``comments``: none,
    open or all; by default all in DOCX (as Word comments, in the margin) and none in the
    other formats, where they would sit in the body of the text."""
    from ..formats.export import TRACKED_FORMATS
    from ..formats.export import export_tracked as export

    _check_format(fmt, TRACKED_FORMATS)
    which = _check_comments(comments or ("all" if fmt == "docx" else "none"))
    paragraphs, comments_ = tracked_document(ws, document, version, since, comments=which)
    new = ws.version(document, version)
    meta = doc_meta(
        ws,
        document,
        new,
        label=f"{new.label or version} (changes since {ws.version(document, since).label or since})",
        kind="tracked",
        since=since,
    )
    return export(paragraphs, comments_, meta, fmt, Path(out))


# ---------------------------------------------------------------------- compilation


def compilation_rows(
    ws: Workspace,
    document: str,
    round_id: str,
    *,
    status: str | None = None,
    delegation: str | None = None,
    sources: bool = False,
):
    from ..formats.compilation import CompilationEntry, CompilationRow
    from ..formats.export import Change
    from ..model.compilation import compile_round
    from ..text.diff import proposal_ops

    rnd = ws.require_round(document, round_id)
    base = ws.version(document, rnd.base)
    numbers = V.numbers(ws, document, base.version)
    decisions = ws.decisions(document, rnd.id)
    names = {d.code: d.name for d in ws.config.delegations}
    compiled = compile_round(base, ws.proposals(document, rnd.id), decisions, status=status, delegation=delegation)
    labels: dict[str, str] = {}
    if sources:  # the agreed language each proposal brings in (see service.references)
        from .references import proposal_label, proposal_precedents

        labels = {pid: proposal_label(s) for pid, s in proposal_precedents(ws, document, round=rnd.id).items()}
    rows = []
    for row in compiled:
        para = row.paragraph
        entries = []
        for p in row.proposals:
            changes = [Change(op, t) for op, t in proposal_ops(p.op, para.text, p.text)]
            dec = decisions.get(p.id)
            entries.append(
                CompilationEntry(
                    p.id,
                    p.op,
                    [names.get(c, c) for c in p.delegations],
                    changes,
                    p.rationale,
                    status_of(p, dec),
                    dec.note if dec else None,
                    labels.get(p.id),
                )
            )
        rows.append(CompilationRow(para.id, numbers.get(para.id, ""), para.section, para.text, entries))
    return rows


def compilation(
    ws: Workspace,
    document: str,
    round_id: str,
    fmt: str,
    out: Path | None = None,
    *,
    anonymous: bool = False,
    status: str | None = None,
    delegation: str | None = None,
    sources: bool = False,
) -> Any:
    from ..formats.compilation import compilation_json, export_compilation

    rows = compilation_rows(ws, document, round_id, status=status, delegation=delegation, sources=sources)
    if fmt == "json":
        return compilation_json(rows, anonymous=anonymous, sources=sources)
    _check_format(fmt, ("docx", "html", "md"))
    if out is None:
        raise NotFound("give -o FILE for a compilation document")
    rnd = ws.require_round(document, round_id)
    base = ws.version(document, rnd.base)
    from ..model.vocabulary import on_version

    base_label = base.label or default_label(base.version)
    meta = doc_meta(
        ws, document, base, label=f"Compilation of proposals on {on_version(base_label)}", kind="compilation"
    )
    return export_compilation(rows, meta, fmt, Path(out), anonymous=anonymous, sources=sources)
