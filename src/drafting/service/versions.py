"""Versions: compose the next one, diff any two, blame one (the glue around ``text``)."""

from __future__ import annotations

from typing import Any

from ..model import roles
from ..model.errors import DraftingError, NotFound
from ..model.records import Proposal, Version
from ..model.validate import is_slug, parse_version, version_to_data
from ..model.when import iso
from ..store import yamlio
from ..store.workspace import Workspace, version_path
from . import clock


def _identity(actor):
    from .identity import identity  # (git only for the commands that write)

    return identity(actor)


def round_for(ws: Workspace, document: str, from_version: str, round_id: str | None):
    if round_id:
        return ws.require_round(document, round_id)
    candidates = [r for r in ws.config.rounds_of(document) if r.base == from_version]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    raise NotFound(
        f"several rounds of {document} are based on {from_version} "
        f"({', '.join(r.id for r in candidates)}): name one with --round"
    )


def proposals_by_id(ws: Workspace, document: str) -> dict[str, Proposal]:
    return {p.id: p for p in ws.all_proposals(document)}


def compose(
    ws: Workspace,
    document: str,
    from_version: str,
    to_version: str,
    *,
    round: str | None = None,
    on_conflict: str = "brackets",
    by: str | None = None,
    label: str | None = None,
    dry_run: bool = False,
    renumber: bool = False,
    allow_open: bool = False,
    open_next: str | None = None,
    next_id: str | None = None,
) -> dict[str, Any]:
    """Build ``to_version`` from ``from_version`` and the round's decided proposals: one commit.

    The one way a version is composed: under the workspace's write lock, read what it needs
    once (:func:`snapshot`), decide with the pure :func:`~drafting.text.composition.composition`,
    write the version (and the next round, with ``open_next``: its deadline) and commit
    once. So the version committed is exactly what the history holds at its commit's
    parent: a decision recorded a moment before is in it, one recorded after is not.
    Returns the compose report (the contract's JSON shape, plus ``commit`` and ``path``).

    ``dry_run``: decide, write nothing (the app's preview; open proposals are listed, not
    refused). ``renumber``: the new version is issued renumbered (1 .. N); otherwise it
    keeps its base's numbers. While proposals of the round are still open, compose refuses
    unless ``allow_open`` (the report lists them: ``open_proposals``).
    """
    from contextlib import nullcontext

    from ..text.composition import Request, composition

    ws.require_document(document)
    actor = roles.acting(ws.config, by)
    roles.check_may_compose(actor)
    if not is_slug(to_version):
        raise DraftingError(f"{to_version!r} is not a valid version name (letters, digits, '-')")
    ws.require_version_name(to_version)
    rel = version_path(document, to_version)
    request = Request(
        to_version,
        path=rel,
        on_conflict=on_conflict,
        label=label,
        renumber=renumber,
        allow_open=allow_open,
        open_next=open_next,
        next_id=next_id,
        preview=dry_run,
    )
    with nullcontext() if dry_run else ws.git.transaction():
        if not dry_run:
            ws.refresh()
        snap = snapshot(ws, document, from_version, round, next_round=open_next is not None and not dry_run)
        plan = composition(snap, request)
        report = {**plan.report(), "path": rel, "commit": None}
        if dry_run:
            report["preview"] = version_to_data(plan.version)
            return report
        files = {rel: _version_body(ws, plan.version, rel)}
        nxt = plan.next_round
        if nxt is not None:
            from ..store.workspace import round_path
            from .rounds import round_body

            files[round_path(nxt.id)] = round_body(ws, nxt)
        report["commit"] = ws.git.commit(
            files, plan.message, _identity(actor), date=iso(snap.now), trailers=dict(plan.trailers)
        )
        if nxt is not None:
            from .rounds import round_json

            ws.refresh()
            report["next_round"] = round_json(ws, ws.config.round(nxt.id) or nxt, snap.now)
    return report


def snapshot(ws: Workspace, document: str, from_version: str, round_id: str | None, *, next_round: bool = False):
    """What composing on ``from_version`` needs, read once (under the lock, to write).
    ``next_round``: also what opening the next round needs (the rounds, those composed)."""
    from ..store.workspace import decisions_path
    from ..text.composition import Snapshot

    cfg = ws.config
    lineage = tuple(ws.chain(document, from_version))
    history = {n: ws.version(document, n) for n in ws.version_names(document)}
    rnd = round_for(ws, document, from_version, round_id)
    proposals: tuple[Proposal, ...] = ()
    decisions: dict = {}
    stray: dict[str, tuple[str, str] | None] = {}
    if rnd is not None:
        proposals = tuple(ws.proposals(document, rnd.id))
        decisions = ws.decisions(document, rnd.id)
        known = {p.id for p in proposals}
        stray = {pid: None for pid in sorted(decisions) if pid not in known}
        if stray:
            stray = _held_by_invalid(ws, document, rnd.id, stray)
    composed: frozenset[str] = frozenset()
    if next_round:
        from .rounds import composed_from

        composed = frozenset(composed_from(ws, document))
    return Snapshot(
        info=cfg.documents[document],
        history=history,
        lineage=lineage,
        round=rnd,
        proposals=proposals,
        decisions=decisions,
        stray=stray,
        decisions_file=decisions_path(document, rnd.id) if rnd else "",
        rounds=tuple(cfg.rounds),
        composed=composed,
        presidency=cfg.presidency,
        timezone=cfg.timezone,
        now=clock.now(),
    )


def _held_by_invalid(ws: Workspace, document: str, round_id: str, stray: dict) -> dict:
    """For each decided id the round does not hold: the contribution that does not
    validate and holds it (by its ids, or by its owner's file when none can be read)."""
    invalid = ws.invalid_contributions(document, round_id)
    out = dict(stray)
    for pid in stray:
        owner = roles.id_owner(ws.config, pid)
        for rel, problem in invalid.items():
            raw = ws.raw_proposals(rel)
            if pid in raw or (not raw and owner and rel.endswith(f"/{owner}.yaml")):
                out[pid] = (rel, problem)
                break
    return out


def _version_body(ws: Workspace, v: Version, rel: str) -> bytes:
    """The version's file as written: a header, the fields; it must read back."""
    cfg = ws.config
    body = (
        f"# {cfg.documents[v.document].title}: {v.label}, composed by drafting from "
        f"{v.based_on}{' and round ' + v.round if v.round else ''}.\n"
    ) + yamlio.dumps(version_to_data(v))
    parse_version(yamlio.loads(body, rel), rel, limits=cfg.limits)  # what we write must read back
    return body.encode("utf-8")


# ------------------------------------------------------------------------------ blame


def lineage(ws: Workspace, document: str, version: str) -> list[Version]:
    return ws.chain(document, version)


def blame(ws: Workspace, document: str, version: str, paragraph: str | None = None) -> dict[str, Any]:
    from ..text.provenance import blame as blame_pure
    from ..text.provenance import blame_json

    chain = ws.chain(document, version)
    target = chain[-1]
    if paragraph and paragraph not in target.by_id():
        raise NotFound(f"unknown paragraph {paragraph!r} in {document} {version}")
    out = ws.derived(
        f"blame:{document}:{version}",
        _provenance_inputs(ws, document, chain),
        lambda: blame_json(
            document,
            version,
            blame_pure(
                chain, proposals_by_id(ws, document), ws.all_decisions(document), presidency=ws.config.presidency
            ),
        ),
    )
    if paragraph:
        out["paragraphs"] = [p for p in out["paragraphs"] if p["id"] == paragraph]
    return out


# ------------------------------------------------------------------------------- diff


def diff(ws: Workspace, document: str, v1: str, v2: str, *, labels: bool = True) -> dict[str, Any]:
    """The contract's diff JSON, with ``labels`` (delegations per op) where provenance knows."""
    result = version_diff(ws, document, v1, v2)
    if labels:
        result["labels"] = change_labels(ws, document, v1, v2, result)
    return result


def version_diff(ws: Workspace, document: str, v1: str, v2: str) -> dict[str, Any]:
    """``text.diff.diff_versions`` of two versions, computed once per state of their files."""
    old, new = ws.version(document, v1), ws.version(document, v2)

    def compute() -> dict[str, Any]:
        from ..text.diff import diff_versions  # (not imported when the diff is kept)

        return diff_versions(old, new)

    return ws.derived(f"diff:{document}:{v1}:{v2}", [version_path(document, v1), version_path(document, v2)], compute)


def _provenance_inputs(ws: Workspace, document: str, chain: list[Version]) -> list[str]:
    """Everything provenance reads: the lineage's versions, the proposals, the decisions
    (all of them loaded, so that the parse cache knows their bytes)."""
    proposals_by_id(ws, document)
    ws.all_decisions(document)
    return [*(version_path(document, v.version) for v in chain), *ws.input_files(document)]


def change_labels(ws: Workspace, document: str, v1: str, v2: str, result: dict) -> dict[str, list]:
    """The delegations behind each change of ``result`` (the diff of v1 -> v2, as
    :func:`version_diff` gives it: the labels are kept by the versions' state).

    Provenance walks forward along v2's lineage, so it knows who changed what only when
    v1 is v2 or one of its ancestors; a diff the other way round (or across branches) is
    shown unattributed rather than guessed."""
    from ..text.provenance import attribute_changes

    chain = ws.chain(document, v2)
    ops = {p["id"]: p["ops"] for p in result["paragraphs"] if p["change"] != "unchanged"}
    if v1 not in {v.version for v in chain}:
        return {pid: [None] * len(o) for pid, o in ops.items()}
    return ws.derived(
        f"labels:{document}:{v1}:{v2}",
        _provenance_inputs(ws, document, chain),
        lambda: attribute_changes(
            chain,
            v1,
            v2,
            ops,
            proposals_by_id(ws, document),
            ws.all_decisions(document),
            presidency=ws.config.presidency,
        ),
    )


def delegation_names(ws: Workspace, labels: dict[str, list]) -> dict[str, list]:
    """Codes -> names for display (Mexico rather than MEX)."""
    cfg = ws.config

    def name(code: str) -> str:
        d = cfg.delegation(code)
        return d.name if d else code

    return {pid: [[name(c) for c in op] if op else None for op in ops] for pid, ops in labels.items()}


def numbers(ws: Workspace, document: str, version: str) -> dict[str, str]:
    """Paragraph id -> display number of ``version`` ("Action 12 bis"), by the one numbering
    (``text.numbering.lineage_numbers`` over the version's lineage)."""
    from ..text.numbering import lineage_numbers

    return {pid: n.label for pid, n in lineage_numbers(ws.chain(document, version)).items()}


def number_changes(ws: Workspace, document: str, v1: str, v2: str):
    """Paragraph id -> ``NumberChange`` (old and new number) for a comparison of v1 with v2."""
    from ..text.numbering import diff_labels

    return diff_labels(ws.chain(document, v1), ws.chain(document, v2))


def diff_number_labels(ws: Workspace, document: str, v1: str, v2: str) -> dict[str, str]:
    """The numbers a comparison of v1 with v2 shows: kept and new paragraphs by v2's
    numbers, deleted ones by v1's, and "Action 15 (was Action 16)" where a renumbering lies
    between the two."""
    out = {}
    for pid, ch in number_changes(ws, document, v1, v2).items():
        if ch.renumbered and ch.old is not None:
            out[pid] = f"{ch.label} (was {ch.old.label})"
        elif ch.label:
            out[pid] = ch.label
    return out
