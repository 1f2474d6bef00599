"""Records and validation: plain data, no I/O."""

from .errors import Conflict, DraftingError, NotFound, PermissionDenied, Problem, ValidationError
from .records import (
    COMMENT_STATUSES,
    DECIDED_TEXT_STATUSES,
    KINDS,
    OPS,
    ROLES,
    STATUSES,
    Config,
    Contribution,
    Decision,
    Delegation,
    DocumentInfo,
    Limits,
    Paragraph,
    Proposal,
    Round,
    Version,
)

__all__ = [
    "COMMENT_STATUSES", "DECIDED_TEXT_STATUSES", "KINDS", "OPS", "ROLES", "STATUSES",
    "Config", "Contribution", "Decision", "Delegation", "DocumentInfo", "Limits", "Paragraph",
    "Proposal", "Round", "Version", "Conflict", "DraftingError", "NotFound",
    "PermissionDenied", "Problem", "ValidationError",
]
