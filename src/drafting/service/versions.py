"""Versions: compose the next one, diff any two, blame one (the glue around ``text``)."""

from __future__ import annotations

from typing import Any

from ..model import roles
from ..model.errors import Conflict, DraftingError, NotFound
from ..model.records import Proposal, Version
from ..model.validate import is_slug, parse_version, version_to_data
from ..model.vocabulary import default_label
from ..store import yamlio
from ..store.workspace import Workspace, version_path
from . import clock


class ComposeConflicts(DraftingError):
    """compose --on-conflict fail found conflicts: nothing was written."""

    def __init__(self, message: str, report: dict):
        super().__init__(message)
        self.report = report


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
    date: str | None = None,
    dry_run: bool = False,
    renumber: bool = False,
    allow_open: bool = False,
    open_next: str | None = None,
    next_id: str | None = None,
) -> dict[str, Any]:
    """Build ``to_version`` from ``from_version`` and the round's decided proposals.

    Returns the compose report (the contract's JSON shape, plus ``commit`` and ``path``).
    With ``dry_run`` nothing is written (the app's preview). A real compose reads
    everything it applies (versions, proposals, decisions) under the workspace's write
    lock, so the version it commits is exactly what the history holds at its commit's
    parent: a decision recorded a moment before is in it, one recorded after is not.
    With ``renumber`` the new version is issued renumbered (1 .. N); otherwise it keeps its
    base's numbers. The version carries its symbol (``model.conventions.version_symbol``).

    While proposals of the round are still open, compose refuses unless ``allow_open``
    (the report lists them: ``open_proposals``). With ``open_next`` (a deadline), the same
    commit opens the next input round on the new version (``next_id``: its id).
    """
    cfg = ws.config
    ws.require_document(document)
    if on_conflict not in ("brackets", "fail"):
        raise DraftingError(f"--on-conflict must be brackets or fail, not {on_conflict!r}")
    actor = roles.acting(cfg, by)
    roles.check_may_compose(actor)
    if not is_slug(to_version):
        raise DraftingError(f"{to_version!r} is not a valid version name (letters, digits, '-')")
    ws.require_version_name(to_version)
    if dry_run:
        return _compose(ws, document, from_version, to_version, round, on_conflict, label, date, actor, renumber)[0]
    rnd0, props0, decisions0 = _compose_checks(ws, document, from_version, to_version, round)  # before the lock
    _refuse_open(rnd0, props0, decisions0, allow_open)
    if open_next is not None:
        _next_round(ws, document, to_version, open_next, next_id, rnd0)
    with ws.git.transaction():
        ws.refresh()
        report, body, rel, rnd, result = _compose(
            ws, document, from_version, to_version, round, on_conflict, label, date, actor, renumber, write=True
        )
        _refuse_ids(rnd, report["open_proposals"], allow_open)
        files = {rel: body.encode("utf-8")}
        nxt = None
        if open_next is not None:
            from ..store.workspace import round_path
            from .rounds import round_body

            nxt = _next_round(ws, document, to_version, open_next, next_id, rnd)
            files[round_path(nxt.id)] = round_body(ws, nxt)
        report["commit"] = ws.git.commit(
            files,
            f"Compose {to_version} of {document} from {from_version}"
            f"{' and ' + rnd.id if rnd else ''}: {len(result.applied)} applied, "
            f"{len(result.conflicts)} conflict{'s' if len(result.conflicts) != 1 else ''}",
            _identity(actor),
            date=clock.stamp(),
            trailers={
                "Action": "version",
                "Document": document,
                "Version": to_version,
                **({"Round": rnd.id} if rnd else {}),
                **({"Renumbered": "yes"} if renumber else {}),
                **({"Opens-Round": nxt.id} if nxt else {}),
            },
        )
        if nxt is not None:
            from .rounds import round_json

            ws.refresh()
            report["next_round"] = round_json(ws, ws.config.round(nxt.id) or nxt, clock.now())
    return report


def open_proposals(rnd, proposals: list[Proposal], decisions: dict) -> list[str]:
    """The ids of the round's proposals not decided yet."""
    if rnd is None:
        return []
    return [p.id for p in proposals if (d := decisions.get(p.id)) is None or d.status == "open"]


def _refuse_open(rnd, proposals: list[Proposal], decisions: dict, allow_open: bool) -> None:
    _refuse_ids(rnd, open_proposals(rnd, proposals, decisions), allow_open)


def _refuse_ids(rnd, ids: list[str], allow_open: bool) -> None:
    if ids and not allow_open:
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        raise Conflict(
            f"cannot compose: {len(ids)} proposal{'s' if len(ids) != 1 else ''} of round {rnd.id} "
            f"{'are' if len(ids) != 1 else 'is'} still open ({shown}); decide them (e.g. 'drafting decide "
            f"--round {rnd.id} --status open deferred'), or compose with --allow-open"
        )


def _next_round(ws: Workspace, document: str, to_version: str, deadline: str, rid: str | None, rnd):
    """The round compose --open-next opens on the version it writes (checked; not written)."""
    from .rounds import new_round

    return new_round(
        ws,
        document,
        to_version,
        deadline,
        rid=rid,
        now=clock.now(),
        versions=[*ws.version_names(document), to_version],
        composing=rnd.id if rnd else None,
    )


def _compose_checks(ws: Workspace, document: str, from_version: str, to_version: str, round: str | None):
    """What makes compose refuse whatever the decisions: an unknown base, an existing
    target, an ambiguous round, a decided proposal in a file that does not validate."""
    ws.version(document, from_version)
    if ws.has_version(document, to_version):
        raise Conflict(
            f"{version_path(document, to_version)} already exists: versions are never overwritten; "
            "choose another name for --to"
        )
    rnd = round_for(ws, document, from_version, round)
    if rnd is None:
        return None, [], {}
    proposals = ws.proposals(document, rnd.id)
    decisions = ws.decisions(document, rnd.id)
    known = {p.id for p in proposals}
    stray = sorted(pid for pid, d in decisions.items() if pid not in known)
    if stray:
        invalid = ws.invalid_contributions(document, rnd.id)
        for pid in stray:
            owner = roles.id_owner(ws.config, pid)
            for rel, problem in invalid.items():
                raw = ws.raw_proposals(rel)
                if pid in raw or (not raw and owner and rel.endswith(f"/{owner}.yaml")):
                    raise DraftingError(
                        f"cannot compose: {pid} is decided ({decisions[pid].status}), but {rel}, which holds it, "
                        f"is not valid ({problem.removeprefix(rel + ': ')}); correct the file first"
                    )
        from ..store.workspace import decisions_path

        raise NotFound(
            f"{decisions_path(document, rnd.id)}: decides {stray[0]}, which is no proposal of round "
            f"{rnd.id}{f' (and {len(stray) - 1} more)' if len(stray) > 1 else ''}; correct the file"
        )
    return rnd, proposals, decisions


def _compose(ws, document, from_version, to_version, round, on_conflict, label, date, actor, renumber, *, write=False):
    from ..text.merge import compose as compose_pure

    cfg = ws.config
    base = ws.version(document, from_version)
    rnd, proposals, decisions = _compose_checks(ws, document, from_version, to_version, round)
    history = {n: ws.version(document, n) for n in ws.version_names(document)}
    result = compose_pure(
        base,
        proposals,
        decisions,
        new_version=to_version,
        round=rnd.id if rnd else None,
        on_conflict=on_conflict,
        history=history,
        used_ids=ws.used_ids(document),
        label=label or default_label(to_version),
        date=date or clock.today(cfg.timezone).isoformat(),
        presidency=cfg.presidency,
    )
    result = _with_conventions(ws, document, base, result, renumber)
    report = result.to_json()
    report["from"] = from_version
    report["renumbered"] = renumber
    report["round"] = rnd.id if rnd else None
    report["open_proposals"] = open_proposals(rnd, proposals, decisions)
    if on_conflict == "fail" and result.conflicts:
        where = "; ".join(f"{c.paragraph}: {', '.join(c.proposals)}" for c in result.conflicts[:3])
        raise ComposeConflicts(
            f"compose stopped: {len(result.conflicts)} conflict{'s' if len(result.conflicts) != 1 else ''} "
            f"({where}{'; ...' if len(result.conflicts) > 3 else ''}); nothing written. Decide them "
            "differently, or compose with --on-conflict brackets",
            report,
        )
    rel = version_path(document, to_version)
    report["path"] = rel
    report["commit"] = None
    if not write:
        report["preview"] = version_to_data(result.version)
        return report, None, rel, rnd, result
    body = (
        f"# {cfg.documents[document].title}: {result.version.label}, composed by drafting from "
        f"{from_version}{' and round ' + rnd.id if rnd else ''}.\n"
    ) + yamlio.dumps(version_to_data(result.version))
    parse_version(yamlio.loads(body, rel), rel, limits=cfg.limits)  # what we write must read back
    return report, body, rel, rnd, result


def _with_conventions(ws: Workspace, document: str, base: Version, result, renumber: bool):
    """The composed version with its symbol (``/Rev.N``) and, if asked, renumbered."""
    from dataclasses import replace

    from ..model.conventions import version_symbol

    v = replace(result.version, renumbered=renumber)
    v = replace(v, symbol=version_symbol(ws.config.documents[document], [*ws.chain(document, base.version), v]))
    return replace(result, version=v)


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
