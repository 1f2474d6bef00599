"""Co-sponsors' answers: where each named co-sponsor of a proposal stands. Pure.

A proposal names its co-sponsors; each answers in its own contribution file of the round
(``supports:``, proposal id -> ``confirmed`` | ``withdrawn``; the last answer counts).
Until it answers, it is ``pending``. One who withdrew its support is no longer credited
with the proposal's words (``Proposal.delegations``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from .records import Contribution

PENDING = "pending"


def answers(contributions: Iterable[Contribution]) -> dict[str, dict[str, str]]:
    """Proposal id -> {co-sponsor's code: its last answer}, from the round's contributions."""
    out: dict[str, dict[str, str]] = {}
    for c in contributions:
        for pid, state in c.supports:
            out.setdefault(pid, {})[c.delegation] = state
    return out


def standing(contributions: Sequence[Contribution]) -> dict[str, dict[str, str]]:
    """Each proposal naming co-sponsors -> {co-sponsor: ``confirmed`` | ``withdrawn`` |
    ``pending``}, in the order the proposal names them."""
    got = answers(contributions)
    return {
        p.id: {s: got.get(p.id, {}).get(s, PENDING) for s in p.co_sponsors}
        for c in contributions
        for p in c.proposals
        if p.co_sponsors
    }


def with_answers(contributions: Sequence[Contribution]) -> list[Contribution]:
    """The round's contributions, each proposal knowing which named co-sponsors withdrew
    their support (``Proposal.declined``)."""
    got = answers(contributions)
    if not got:
        return list(contributions)
    out = []
    for c in contributions:
        props = tuple(
            replace(p, declined=declined) if (declined := _declined(p.co_sponsors, got.get(p.id))) else p
            for p in c.proposals
        )
        out.append(replace(c, proposals=props) if props != c.proposals else c)
    return out


def _declined(named: tuple[str, ...], said: dict[str, str] | None) -> tuple[str, ...]:
    if not said or not named:
        return ()
    return tuple(s for s in named if said.get(s) == "withdrawn")
