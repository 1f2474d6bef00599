"""What a command is (name, help, parser, function) and what every command shares."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.workspace import Workspace


@dataclass(frozen=True)
class Command:
    """One ``drafting`` command: ``parser`` adds its arguments, ``run`` does it (exit code)."""

    name: str
    help: str
    parser: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    json: bool = False  # takes --json (one JSON document on stdout)


#: the workspaces this process opened: what they left out is reported when a command ends
OPENED: list[Workspace] = []


def workspace(args: argparse.Namespace) -> Workspace:
    """The workspace the command acts on (``--workspace``, ``$DRAFTING_WORKSPACE``, or the
    folder the command runs in, or the nearest enclosing workspace)."""
    from ..store.workspace import Workspace, resolve_root

    ws = Workspace(resolve_root(args.workspace))
    OPENED.append(ws)
    return ws


def warnings() -> list[str]:
    """One line per file the command's workspaces left out (a contribution file that does
    not validate): the command worked on everything else."""
    seen: dict[str, str] = {}
    for ws in OPENED:
        seen.update(ws.warnings)
    OPENED.clear()
    return [
        f"warning: {line} (left out until it is corrected; 'drafting check' lists every problem)"
        for line in seen.values()
    ]
