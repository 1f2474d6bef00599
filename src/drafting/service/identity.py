"""Commit identities: a submission is authored by its delegation."""

from __future__ import annotations

from ..model.records import Delegation
from ..store.git import Identity


def identity(d: Delegation) -> Identity:
    return Identity(f"{d.name} ({d.code})", d.email)
