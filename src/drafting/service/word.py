"""Word (and ODT, Markdown, HTML) inputs: a delegation's edited copy read as typed proposals.

:func:`read_word` reads the file once, finds the version it was made from (the stamp
drafting wrote into it, else the version it matches best) and understands its edits
against that version. It writes nothing; ``service/inputs.py`` files the proposals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import roles
from ..model.errors import DraftingError, NotFound
from ..model.records import Proposal, Version
from ..model.vocabulary import list_phrase, plural
from ..store.workspace import Workspace
from ..text.understand import Matched, Understood

#: a file whose paragraphs match a version less than this is not a copy of it
MIN_SHARE = 0.5


@dataclass(frozen=True)
class WordReading:
    """What a file proposes: ``proposals`` (typed, no ids yet) read against ``read_against``."""

    document: str
    read_against: Version
    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...]
    matched: Matched
    #: the round the file says it was circulated for (its stamp), if any
    round: str | None = None


def _label(v: Version) -> str:
    from ..model.vocabulary import default_label

    return v.label or default_label(v.version)


def read_word(
    ws: Workspace, path: Path, *, delegation: str, document: str | None = None, shown: str | None = None
) -> WordReading:
    """Read ``path`` (see the module). ``shown``: the name messages give the file."""
    from ..formats.reader import read_document
    from ..formats.stamp import KIND_COMPILATION, KIND_TRACKED, read_stamp
    from ..text.submission import beyond
    from ..text.understand import understand

    cfg = ws.config
    name = shown or str(path)
    deleg = roles.require_delegation(cfg, delegation)
    if document:
        ws.require_document(document)
    if not Path(path).is_file():
        raise NotFound(f"{name}: no such file")
    try:
        doc = read_document(Path(path), limits=cfg.limits)
    except DraftingError as e:  # the reader names the file by its base name: name it as typed
        raise DraftingError(e.line.replace(Path(path).name, name, 1) if Path(path).name != name else e.line) from None
    stamp = read_stamp(Path(path)) if Path(path).suffix.lower() in (".docx", ".odt") else None
    notes: list[str] = []
    against: Version | None = None
    tracked_on: Version | None = None
    if stamp is not None:
        if stamp.conference and stamp.conference != cfg.conference:
            raise DraftingError(f"{name}: was circulated by another conference ({stamp.conference[:80]})")
        if stamp.document not in cfg.documents:
            raise DraftingError(f"{name}: is a copy of {stamp.document!r}, which is not a document of this conference")
        if document and stamp.document != document:
            raise DraftingError(f"{name}: is a copy of {stamp.document}, not of {document}")
        if stamp.kind == KIND_COMPILATION:
            title = cfg.documents[stamp.document].title
            raise DraftingError(
                f"{name}: is the compilation of proposals on {title}, not a copy of the draft: edit the "
                "circulated draft and submit that"
            )
        document = stamp.document
        if ws.has_version(document, stamp.version or ""):
            against = ws.version(document, stamp.version or "")
            if stamp.kind == KIND_TRACKED and stamp.since and ws.has_version(document, stamp.since):
                tracked_on, against = against, ws.version(document, stamp.since)
        else:
            notes.append(f"{name} names version {stamp.version!r}, which this workspace does not have")
    if against is not None:
        understood = understand(doc, against, name=name)
    else:
        candidates = (
            [ws.version(document, n) for n in ws.version_names(document)]
            if document
            else [ws.version(d, n) for d in cfg.documents for n in ws.version_names(d)]
        )
        if not candidates:
            raise NotFound(f"{name}: there is no version to read it against")
        best: tuple[int, Version, Understood] | None = None
        last_error: DraftingError | None = None
        for v in candidates:
            try:
                u = understand(doc, v, name=name)
            except DraftingError as e:  # e.g. bookmarks of another document
                last_error = e
                continue
            if best is None or u.matched.matched >= best[0]:  # a tie: the later version
                best = (u.matched.matched, v, u)
        if best is None:
            assert last_error is not None
            raise last_error
        _, against, understood = best
        document = against.document
        title = cfg.documents[document].title
        notes.append(
            f"{name} does not say which version it was made from: read against {_label(against)} of {title}, "
            f"which it matches best ({understood.matched.matched} of {understood.matched.document_paragraphs} "
            "paragraphs)"
        )
    m = understood.matched
    share = m.matched / m.document_paragraphs if m.document_paragraphs else 0.0
    if share < MIN_SHARE:
        title = cfg.documents[against.document].title
        raise DraftingError(
            f"{name}: does not look like {title} ({_label(against)}): only {round(share * 100)}% of its "
            f"paragraphs ({m.matched} of {m.document_paragraphs}) match it; submit the circulated draft with "
            "your changes"
        )
    # a circulated copy carries other delegations' comments: they are not this delegation's
    others = {d.name for d in cfg.delegations if d.code != delegation}
    proposals: list[Proposal] = []
    lim = cfg.limits
    # ... and the delegation's own comments of earlier rounds, exported with it
    known = {(q.paragraph, q.text) for q in ws.all_proposals(against.document) if q.op == "comment"}
    carried: list[set[str]] = []  # (the authors of each comment that came with the copy)
    for p in understood.proposals:
        authors = set(p.word_authors)
        if p.op == "comment" and ((authors and authors <= others) or (p.paragraph, p.text) in known):
            carried.append(authors)
            continue
        if len(p.text or "") > lim.max_text_chars:
            where = p.paragraph or f"after {p.after}"
            raise DraftingError(
                f"{name}: a proposed text ({p.op} {where}) is over the limit of {lim.max_text_chars:,} characters"
            )
        proposals.append(p.as_proposal(delegation=delegation, document=document, base=against.version))
    if carried:  # one note, however many: the delegation did not write them
        who = sorted({a for authors in carried for a in authors})
        named = [*who[:3], plural(len(who) - 3, "other")] if len(who) > 3 else who
        by = f"by {list_phrase(named)}" if who else "of earlier rounds"
        notes.append(
            f"left out {plural(len(carried), 'comment')} {by}: "
            f"{'they' if len(carried) != 1 else 'it'} came with the circulated copy"
        )
    if tracked_on is not None:  # the changes the copy was circulated with are not this delegation's
        proposals, left = beyond(proposals, tracked_on)
        notes += left
        against = tracked_on
    if len(proposals) > lim.max_proposals:
        raise DraftingError(f"{name}: makes {len(proposals):,} proposals, over the limit of {lim.max_proposals:,}")
    roles.check_may_submit(deleg, [p.op for p in proposals])
    return WordReading(
        against.document, against, tuple(proposals), (*understood.notes, *notes), m, stamp.round if stamp else None
    )
