"""The rules that keep the record trustworthy, as pure functions over records.

- A proposal the Presidency has decided never changes: a resubmission keeps it, with its
  id, exactly as it was decided (its :func:`substance`), or the Presidency first records
  it as withdrawn (or reopens it).
- A version, once written, is immutable: a correction is a new version.

``service/inputs.py`` applies them when a delegation resubmits, ``service/check.py`` to
every commit of a git history (merges against each parent), ``service/remote.py`` to
what ``sync`` is about to push.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .records import Decision, Proposal

#: what a decided proposal may not change: what compose applies and what the compilation
#: and the record show (its rationale included); not its date or Word's metadata
SUBSTANCE = ("op", "paragraph", "after", "text", "kind", "section", "tags", "rationale")


def substance(p: Proposal) -> tuple:
    return tuple(getattr(p, k) or None for k in SUBSTANCE)


def raw_substance(d: Mapping[str, Any]) -> tuple:
    """:func:`substance` of a proposal as plain data from a file that does not validate
    (texts normalised as validation would)."""
    from .validate import clean_text

    def norm(k: str) -> Any:
        v = d.get(k)
        if isinstance(v, str) and k in ("text", "rationale"):
            return clean_text(v) or None
        if isinstance(v, list):
            return tuple(v) or None
        if k == "paragraph" and d.get("op") == "insert":
            return None
        if k == "after" and d.get("op") != "insert":
            return None
        return v or None

    return tuple(norm(k) for k in SUBSTANCE)


def decided_changes(
    before: Mapping[str, tuple], after: Mapping[str, tuple], decisions: Mapping[str, Decision]
) -> list[tuple[str, str]]:
    """The decided proposals a new state of a delegation's inputs drops or changes.

    ``before`` and ``after``: proposal id -> :func:`substance`; ``decisions``: the round's
    decisions as they stand (a proposal not in it, or ``open``, is undecided). Returns
    ``(id, "dropped" | "changed")`` pairs, in id order."""
    out = []
    for pid in sorted(before):
        d = decisions.get(pid)
        if d is None or d.status == "open":
            continue
        if pid not in after:
            out.append((pid, "dropped"))
        elif after[pid] != before[pid]:
            out.append((pid, "changed"))
    return out


def decided_change_message(file: str, pid: str, how: str, status: str) -> str:
    verb = "leaves it out" if how == "dropped" else "changes it"
    return (
        f"{file}: {pid} was already decided ({status}) and this resubmission {verb}; a decided "
        "proposal never changes: keep it exactly as it was (with its id), or ask the Presidency "
        "to record it as withdrawn"
    )


def differs_from_seen(seen: Mapping[str, Any] | Proposal, p: Proposal) -> bool:
    """Whether ``p`` is no longer the proposal someone was shown (``seen``: the proposal,
    or the fields of it that were shown): a decision is taken on what was seen."""
    if isinstance(seen, Proposal):
        return substance(seen) != substance(p)
    now = dict(zip(SUBSTANCE, substance(p), strict=True))
    return any(k in now and (seen[k] or None) != now[k] for k in seen)


def substances(proposals: Iterable[Proposal]) -> dict[str, tuple]:
    return {p.id: substance(p) for p in proposals}


def version_change_message(path: str, how: str) -> str:
    verb = {"deleted": "deletes", "changed": "changes"}.get(how, how)
    return (
        f"{verb} {path}, a version already written: a version never changes once written "
        "(what was circulated stays on record); write the correction as a new version"
    )


def _moment(v: Any) -> str | None:
    return None if v is None else str(v)


def _first_dates(data: Any) -> dict[str, tuple[str | None, str | None]]:
    """proposal id -> (first submitted, withdrawn) as a contribution file (plain data) says:
    a proposal's own ``submitted``, else the file's."""
    if not isinstance(data, Mapping):
        return {}
    default = _moment(data.get("submitted"))
    props = data.get("proposals")
    out: dict[str, tuple[str | None, str | None]] = {}
    for p in props if isinstance(props, list) else []:
        if isinstance(p, Mapping) and isinstance(p.get("id"), str):
            out.setdefault(p["id"], (_moment(p.get("submitted")) or default, _moment(p.get("withdrawn"))))
    return out


def record_changes(before: Any, after: Any, decisions: Mapping[str, Decision]) -> list[tuple[str, str]]:
    """What a new state of a delegation's contribution file (plain data, ``after``; None:
    deleted) does to the record its earlier state (``before``) holds, besides changing a
    decided proposal (:func:`decided_changes`): a proposal's first date changed; a withdrawn
    proposal revived, dropped or its withdrawal redated; a decided proposal withdrawn.
    ``(proposal id, what)`` pairs, in id order."""
    old, new = _first_dates(before), _first_dates(after)
    out: list[tuple[str, str]] = []
    for pid in sorted(old):
        (first, gone) = old[pid]
        if pid not in new:
            if gone:
                out.append((pid, f"drops {pid}, withdrawn on {gone[:10]}: a withdrawn proposal stays on record"))
            continue
        first2, gone2 = new[pid]
        if first and first2 != first:
            out.append((pid, f"changes the date {pid} was first submitted ({first} to {first2}): it never changes"))
        if gone and gone2 != gone:
            what = "revives" if not gone2 else "redates the withdrawal of"
            out.append((pid, f"{what} {pid}, withdrawn on {gone[:10]}: a withdrawal stays on record"))
        d = decisions.get(pid)
        if gone2 and not gone and d is not None and d.status != "open":
            out.append((pid, f"withdraws {pid}, already decided ({d.status}): only an undecided proposal is withdrawn"))
    return out


def support_changes(before: Any, after: Any, decisions: Mapping[str, Decision]) -> list[tuple[str, str]]:
    """A co-sponsor's answers (``supports:``) changed on a proposal already decided."""

    def answers(data: Any) -> dict[str, Any]:
        s = data.get("supports") if isinstance(data, Mapping) else None
        return dict(s) if isinstance(s, Mapping) else {}

    old, new = answers(before), answers(after)
    out = []
    for pid in sorted(set(old) | set(new)):
        d = decisions.get(str(pid))
        if old.get(pid) != new.get(pid) and d is not None and d.status != "open":
            out.append(
                (str(pid), f"changes its support of {pid}, already decided ({d.status}): support is given before")
            )
    return out
