"""Errors a user can act on. The CLI prints them as one line and exits 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which file, where in it, and what."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}" + (f": {self.where}" if self.where else "")
        return f"{place}: {self.message}"


class DraftingError(Exception):
    """A user error: bad file, unknown id, wrong role. Never a bug."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    @property
    def line(self) -> str:
        """The one line a user sees."""
        msg = str(self)
        if len(self.problems) > 1:
            msg += f" (and {len(self.problems) - 1} more problem{'s' if len(self.problems) > 2 else ''})"
        return " ".join(msg.split())


class ValidationError(DraftingError):
    """One or more problems found while validating a file."""

    def __init__(self, problems: list[Problem]):
        assert problems
        super().__init__(str(problems[0]), problems)


class PermissionDenied(DraftingError):
    """A delegation tried something its role does not allow."""


class NotFound(DraftingError):
    """An unknown document, version, round, delegation, paragraph or proposal."""


class Conflict(DraftingError):
    """An operation that would overwrite or lose something (e.g. an existing version)."""
