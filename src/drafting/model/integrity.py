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
