"""Reference documents: earlier outcome documents whose language is agreed.

A reference is ``references/<slug>.yaml``::

    title: Lausanne Action Plan
    symbol: CCM/CONF/2021/6, annex II      # unique among the references
    date: 2021-09-21                        # when it was adopted
    adopted_by: Second Review Conference of the Convention on Cluster Munitions
    source: lausanne-action-plan.docx       # optional: the file it was imported from
    paragraphs:
      - {id: h-universalization, kind: heading, text: Universalization}
      - {id: universalization-1, number: Action 1, kind: action, text: ...}

``number`` is the paragraph's number as the document shows it ("Action 1", "5"); a
paragraph without one is cited by its place ("paragraph 3 of the text"). Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import Problem, ValidationError
from .records import KINDS, Limits
from .validate import PID, Collector, clean_text, is_slug

FIELDS = ("title", "symbol", "date", "adopted_by", "source", "paragraphs")
PARAGRAPH_FIELDS = ("id", "number", "kind", "section", "text")
_LIMITS = Limits()


@dataclass(frozen=True)
class RefParagraph:
    id: str
    text: str
    number: str | None = None
    kind: str = "text"
    section: str | None = None


@dataclass(frozen=True)
class Reference:
    slug: str
    title: str
    symbol: str
    paragraphs: tuple[RefParagraph, ...]
    date: str | None = None
    adopted_by: str | None = None
    source: str | None = None

    def cite(self, i: int) -> str:
        """How paragraph ``i`` is cited: ``"Action 12"``, ``"paragraph 5"``."""
        p = self.paragraphs[i]
        if p.number:
            return p.number if not p.number[:1].isdigit() else f"paragraph {p.number}"
        if p.kind == "heading":
            return f"heading “{p.text}”"
        same = sum(1 for q in self.paragraphs[: i + 1] if q.kind == p.kind and not q.number)
        return f"preambular paragraph {same}" if p.kind == "preambular" else f"unnumbered paragraph {same}"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def check_date(value: Any) -> str:
    """An adoption date as ``YYYY-MM-DD`` (a ValueError says why not)."""
    d = _date(value)
    if d is None:
        raise ValueError(f"{str(value)[:40]!r} is not a date: write it as 2021-09-21")
    return d


def parse_reference(data: Any, file: str, *, limits: Limits = _LIMITS, slug: str | None = None) -> Reference:
    """Validate a reference file's data, listing every problem."""
    c = Collector(file)
    m = c.mapping(data, "")
    c.unknown(m, FIELDS, "")
    if slug is not None and not is_slug(slug):
        c.add("", f"{slug!r} is not a valid reference name (letters, digits, '-')")
    title = c.text(m, "title", "", limit=limits.max_text_chars)
    symbol = c.text(m, "symbol", "", limit=400)
    if symbol is not None and not symbol.strip():
        c.add("symbol", "is empty")
    date = None
    if m.get("date") is not None:
        date = _date(m.get("date"))
        if date is None:
            c.add("date", f"{str(m.get('date'))[:40]!r} is not a date: write it as 2021-09-21")
    adopted_by = c.text(m, "adopted_by", "", required=False, limit=limits.max_text_chars)
    source = c.text(m, "source", "", required=False, limit=400)
    raw = m.get("paragraphs")
    if not isinstance(raw, list) or not raw:
        c.add("paragraphs", "should be a non-empty list of paragraphs")
        raw = []
    if len(raw) > limits.max_paragraphs:
        c.add("paragraphs", f"{len(raw):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
        raw = []
    paras: list[RefParagraph] = []
    ids: set[str] = set()
    for i, p in enumerate(raw):
        where = f"paragraphs[{i}]"
        p = c.mapping(p, where)
        c.unknown(p, PARAGRAPH_FIELDS, where)
        pid = c.slug(p, "id", where, pattern=PID, what="paragraph id", required=False) or f"p{i + 1}"
        text = c.text(p, "text", where, limit=limits.max_text_chars)
        number = c.text(p, "number", where, required=False, limit=40)
        kind = c.text(p, "kind", where, required=False) or "text"
        if kind not in KINDS:
            c.add(f"{where}.kind", f"{kind!r} is not a paragraph kind; use one of {', '.join(KINDS)}")
        if pid in ids:
            c.add(f"{where}.id", f"paragraph id {pid} is used twice")
        ids.add(pid)
        if text is not None and not text.strip():
            c.add(f"{where}.text", "is empty")
        if text is not None:
            paras.append(
                RefParagraph(
                    pid,
                    clean_text(text),
                    clean_text(number) if number else None,
                    kind,
                    c.text(p, "section", where, required=False, limit=400),
                )
            )
    c.done()
    return Reference(
        slug or "",
        clean_text(title or ""),
        clean_text(symbol or ""),
        tuple(paras),
        date,
        clean_text(adopted_by) if adopted_by else None,
        source,
    )


def reference_to_data(r: Reference) -> dict[str, Any]:
    out: dict[str, Any] = {"title": r.title, "symbol": r.symbol}
    if r.date:
        out["date"] = r.date
    if r.adopted_by:
        out["adopted_by"] = r.adopted_by
    if r.source:
        out["source"] = r.source
    paras = []
    for p in r.paragraphs:
        d: dict[str, Any] = {"id": p.id}
        if p.number:
            d["number"] = p.number
        if p.kind != "text":
            d["kind"] = p.kind
        if p.section:
            d["section"] = p.section
        d["text"] = p.text
        paras.append(d)
    out["paragraphs"] = paras
    return out


def duplicate_symbols(refs: dict[str, Reference]) -> list[tuple[str, str, str]]:
    """``(slug, other slug, symbol)`` for each reference whose symbol an earlier one has
    (compared without case and spaces)."""
    seen: dict[str, str] = {}
    out = []
    for slug in sorted(refs):
        key = symbol_key(refs[slug].symbol)
        if key in seen:
            out.append((slug, seen[key], refs[slug].symbol))
        else:
            seen[key] = slug
    return out


def symbol_key(symbol: str) -> str:
    return "".join(symbol.split()).casefold()


def problem(file: str, where: str, message: str) -> ValidationError:
    return ValidationError([Problem(file, where, message)])
