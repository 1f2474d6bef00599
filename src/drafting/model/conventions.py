"""UN document conventions for what a Presidency circulates: pure rules, no I/O.

- The **symbol** of a version: the version file's own ``symbol`` if it has one; else the
  document's symbol (``drafting.yaml``, ``documents.<doc>.symbol``) for its first version,
  and for the N-th revision after it the document's ``revision_symbol`` pattern
  (default ``{symbol}/Rev.{n}``: ``CCM/CONF/2026/PM.1/Rev.1``; ``{symbol}`` alone keeps the
  same symbol for every revision).
- The **heading block**: symbol, ``Distr.: General`` (``distribution``), the date written
  as UN documents write it ("30 July 2026", :func:`drafting.model.when.long_date`),
  ``Original: English`` (``original``, default: the conference's source language); then the conference, the venue, the title, the
  version's label and ``Submitted by the President`` (``submitted_by``: or the issuing
  body); an adopted version adds "Adopted on 18 September 2026".
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import DraftingError
from .records import DocumentInfo, Version
from .when import long_date

#: the per-document settings in drafting.yaml (besides title and symbol)
DOCUMENT_CONVENTIONS = ("revision_symbol", "distribution", "original", "submitted_by")


def revision_symbol_problem(pattern: str | None) -> str | None:
    """Why ``pattern`` cannot be a revision symbol pattern (None if it can)."""
    if pattern is None:
        return None
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
    except ValueError:
        return f"{pattern!r} is not a pattern: write it like {{symbol}}/Rev.{{n}}"
    bad = [f for f in fields if f not in ("symbol", "n")]
    if bad:
        return f"{pattern!r} uses {{{bad[0]}}}: only {{symbol}} and {{n}} are known (e.g. {{symbol}}/Rev.{{n}})"
    if "symbol" not in fields:
        return f"{pattern!r} should contain {{symbol}} (e.g. {{symbol}}/Rev.{{n}})"
    return None


def revision_number(chain: Sequence[Version]) -> int:
    """How many revisions lie between the first version and the last of ``chain`` (its
    lineage, first version first): 0 for the first version, 1 for Rev.1 ..."""
    return max(0, len(chain) - 1)


def version_symbol(info: DocumentInfo, chain: Sequence[Version]) -> str | None:
    """The symbol of the last version of ``chain`` (see the module docstring)."""
    if not chain:
        return info.symbol
    own = chain[-1].symbol
    if own:
        return own
    n = revision_number(chain)
    if not info.symbol:
        return None
    if n == 0:
        return info.symbol
    return info.revision_symbol.format(symbol=info.symbol, n=n)


def written_date(value: object, tz: str | None = None) -> str | None:
    """A date as a document prints it ("30 July 2026"); a date that is not ISO (a version
    file may say anything) as it is written."""
    if value is None or value == "":
        return None
    try:
        return long_date(value, tz)
    except (DraftingError, ValueError):
        return str(value)


def adopted_line(date: object, tz: str | None = None) -> str:
    """``Adopted on 18 September 2026``."""
    return f"Adopted on {long_date(date, tz)}"


@dataclass(frozen=True)
class Heading:
    """The heading block of a circulated document, every line as it is printed."""

    conference: str
    title: str
    symbol: str | None = None
    distribution: str | None = None  # "Distr.: General"
    date: str | None = None  # "30 July 2026"
    original: str | None = None  # "Original: English"
    venue: str | None = None
    label: str | None = None  # "Revision 1"
    submitted_by: str | None = None  # "Submitted by the President"
    adopted: str | None = None  # "Adopted on 18 September 2026"


def heading(
    info: DocumentInfo,
    chain: Sequence[Version],
    *,
    conference: str,
    venue: str | None = None,
    label: str | None = None,
    adopted_on: object = None,
    tz: str | None = None,
    language: str = "English",
) -> Heading:
    """The heading block of the last version of ``chain`` (``adopted_on``: the date it was
    adopted, if it was; ``language``: the name of the language it was negotiated in, for
    "Original: ..." unless the document names one)."""
    version = chain[-1] if chain else None
    return Heading(
        conference=conference,
        title=info.title,
        symbol=version_symbol(info, chain),
        distribution=f"Distr.: {info.distribution}" if info.distribution else None,
        date=written_date(version.date, tz) if version is not None else None,
        original=f"Original: {info.original or language}",
        venue=venue,
        label=label if label is not None else (version.label if version else None),
        submitted_by=info.submitted_by or None,
        adopted=adopted_line(adopted_on, tz) if adopted_on else None,
    )
