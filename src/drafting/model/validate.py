"""From plain data (as loaded from YAML) to records, collecting every problem.

Each ``parse_*`` function returns the record or raises :class:`ValidationError` listing
all problems found, each with the file, the place in it (``proposals[3].paragraph``) and
what is wrong, in words a delegate understands. Pure: no I/O.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from . import roles
from .conventions import DOCUMENT_CONVENTIONS, revision_symbol_problem
from .errors import Problem, ValidationError
from .languages import FINGERPRINT, is_language
from .records import (
    COMMENT_STATUSES,
    DOCUMENT_CATEGORIES,
    KINDS,
    OPS,
    ROLES,
    STATUSES,
    Config,
    Contribution,
    Decision,
    Delegation,
    DocumentationRules,
    DocumentInfo,
    Limits,
    Meeting,
    MeetingDocument,
    Paragraph,
    Proposal,
    Round,
    Translation,
    TranslationRecord,
    Version,
)
from .when import DEFAULT_TIMEZONE, is_timezone

#: what a name that becomes part of a path may look like (no '/', no '..', no spaces)
# (\Z, not $: "$" also matches before a final newline, and "MEX\n" is no code)
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}\Z")
PID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\Z")
#: characters no text field may hold: control characters (but tab and line breaks),
#: lone surrogates (undecodable bytes) and non-characters; they break terminals, XML
#: (Word files) and UTF-8 output
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _printable(s: str, limit: int) -> str:
    s = INVISIBLE_CHARS.sub("?", BAD_CHARS.sub("?", str(s)))
    return s if len(s) <= limit else s[: limit - 3] + "..."


#: characters that change what a reader sees without being seen: bidirectional controls
#: (a right-to-left override makes "ton lliw" display as "will not") and zero-width
#: characters (they split or join words invisibly, so a search or a diff misses them)
INVISIBLE = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}
INVISIBLE_CHARS = re.compile("[" + "".join(INVISIBLE) + "]")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(s: str) -> str | None:
    """Why ``s`` cannot be stored as text (None if it can): a control or invalid
    character, or an invisible one (bidirectional control, zero-width character), with
    its position (the first character is position 1)."""
    m = BAD_CHARS.search(s)
    if m:
        return f"contains a control or invalid character (U+{ord(m.group()):04X}) at position {m.start() + 1}"
    m = INVISIBLE_CHARS.search(s)
    if m:
        ch = m.group()
        what = "an invisible bidirectional control" if ch in BIDI else "an invisible zero-width character"
        before = _printable(s[max(0, m.start() - 20) : m.start()], 20)
        place = f"after {before!r}" if before.strip() else "at the start"
        return (
            f"contains {what} (U+{ord(ch):04X} {INVISIBLE[ch]}) at position {m.start() + 1}, "
            f"{place}: it changes what a reader sees; remove it"
        )
    return None


def is_slug(s: Any) -> bool:
    return isinstance(s, str) and bool(SLUG.match(s)) and ".." not in s


class Collector:
    """The problems found in one file, each with where it is; reads typed fields out of a
    mapping. The validators here and in ``model.references`` all collect through it."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        # what a file says is echoed in messages: no control characters (terminal escapes),
        # and no megabyte-long line
        self.problems.append(Problem(self.file, _printable(where, 120), _printable(message, 400)))

    def done(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    # typed getters -------------------------------------------------------------
    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.add(where, f"expected a mapping of fields, found {_describe(value)}")
            return {}
        return value

    def text(self, m: dict, key: str, where: str, *, required: bool = True, limit: int | None = None) -> str | None:
        v = m.get(key)
        place = f"{where}.{key}" if where else key
        if v is None:
            if required:
                self.add(place, "is missing")
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            self.add(place, f"should be text, found {_describe(v)}")
            return None
        if limit is not None and len(v) > limit:
            self.add(place, f"is {len(v):,} characters long, over the limit of {limit:,}")
            return None
        bad = text_problem(v)
        if bad:
            self.add(place, bad)
            return None
        return v

    def slug(self, m: dict, key: str, where: str, *, required: bool = True, pattern=SLUG, what="name") -> str | None:
        v = self.text(m, key, where, required=required)
        if v is None:
            return None
        if not pattern.match(v) or ".." in v:
            self.add(
                f"{where}.{key}" if where else key,
                f"{v[:40]!r} is not a valid {what} (letters, digits, '-', '_', '.'; no spaces or '/')",
            )
            return None
        return v

    def str_list(self, m: dict, key: str, where: str) -> tuple[str, ...]:
        v = m.get(key)
        place = f"{where}.{key}" if where else key
        if v is None:
            return ()
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.add(place, "should be a list of names")
            return ()
        for j, x in enumerate(v):
            bad = text_problem(x)
            if bad:
                self.add(f"{place}[{j}]", bad)
                return ()
        return tuple(v)

    def meta(self, m: dict, key: str, where: str) -> dict:
        """Free metadata (e.g. the names Word recorded): plain data under names, with no
        control or invisible character in any name or text."""
        v = m.get(key)
        place = f"{where}.{key}" if where else key
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.add(place, "should be a mapping")
            return {}

        def problem(x: Any, at: str) -> tuple[str, str] | None:
            if isinstance(x, str):
                bad = text_problem(x)
                return (at, bad) if bad else None
            if isinstance(x, dict):
                for k, y in x.items():
                    if not isinstance(k, str) or not k or text_problem(k):
                        return at, f"{_printable(repr(k), 40)} is not a valid name"
                    found = problem(y, f"{at}.{k}")
                    if found:
                        return found
                return None
            if isinstance(x, list):
                for j, y in enumerate(x):
                    found = problem(y, f"{at}[{j}]")
                    if found:
                        return found
            return None

        found = problem(v, place)
        if found:
            self.add(*found)
            return {}
        return v

    def unknown(self, m: dict, allowed: Iterable[str], where: str) -> None:
        extra = sorted(set(map(str, m)) - set(allowed))
        if extra:
            shown = ", ".join(x[:40] for x in extra[:5]) + (f" and {len(extra) - 5:,} more" if len(extra) > 5 else "")
            self.add(where or "(top level)", f"unknown field{'s' if len(extra) > 1 else ''} {shown}")


def _describe(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "yes/no"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def clean_text(s: str) -> str:
    """Paragraph and proposal texts are stored in NFC with single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFC", s).split())


# ----------------------------------------------------------------------------- config


def parse_config(data: Any, file: str = "drafting.yaml") -> Config:
    c = Collector(file)
    m = c.mapping(data, "")
    c.unknown(
        m,
        (
            "conference",
            "presidency",
            "documents",
            "delegations",
            "rounds",
            "limits",
            "venue",
            "app",
            "timezone",
            *CALENDAR_FIELDS,
        ),
        "",
    )
    conference = c.text(m, "conference", "") or ""
    presidency = c.slug(m, "presidency", "", pattern=CODE, what="delegation code") or ""
    docs: dict[str, DocumentInfo] = {}
    raw_docs = m.get("documents")
    if not isinstance(raw_docs, dict) or not raw_docs:
        c.add("documents", "should list at least one document, e.g. action-plan: {title: Action Plan}")
    else:
        for slug, info in raw_docs.items():
            where = f"documents.{slug}"
            if not is_slug(slug):
                c.add(where, "is not a valid document name (letters, digits, '-')")
                continue
            info = c.mapping(info if info is not None else {}, where)
            c.unknown(info, ("title", "symbol", "category", "titles", *DOCUMENT_CONVENTIONS), where)
            conventions = {}
            for key in DOCUMENT_CONVENTIONS:
                value = c.text(info, key, where, required=False, limit=200)
                if value is not None:
                    conventions[key] = " ".join(value.split())
            problem = revision_symbol_problem(conventions.get("revision_symbol"))
            if problem:
                c.add(f"{where}.revision_symbol", problem)
                conventions.pop("revision_symbol")
            docs[slug] = DocumentInfo(
                slug,
                c.text(info, "title", where, required=False) or slug,
                c.text(info, "symbol", where, required=False),
                _category(c, info, where),
                _titles(c, info, where),
                **conventions,
            )
    delegations: list[Delegation] = []
    seen: set[str] = set()
    raw = m.get("delegations")
    if not isinstance(raw, list) or not raw:
        c.add("delegations", "should list the delegations: - {code: MEX, name: Mexico, role: state-party}")
        raw = []
    for i, d in enumerate(raw):
        where = f"delegations[{i}]"
        d = c.mapping(d, where)
        c.unknown(d, ("code", "name", "role"), where)
        code = c.slug(d, "code", where, pattern=CODE, what="delegation code (capitals, e.g. MEX, ICRC)")
        name = c.text(d, "name", where)
        role = c.text(d, "role", where)
        if role is not None and role not in ROLES:
            c.add(f"{where}.role", f"{role!r} is not a role; use one of {', '.join(ROLES)}")
            role = None
        if code in seen:
            c.add(f"{where}.code", f"{code} is listed twice")
        if code and name and role:
            seen.add(code)
            delegations.append(Delegation(code, name, role))
    if presidency and presidency not in seen and not c.problems:
        c.add("presidency", f"{presidency} is not among the delegations")
    rounds: list[Round] = []
    rids: set[str] = set()
    raw = m.get("rounds") or []
    if not isinstance(raw, list):
        c.add("rounds", "should be a list of rounds")
        raw = []
    for i, r in enumerate(raw):
        where = f"rounds[{i}]"
        r = c.mapping(r, where)
        c.unknown(r, ("id", "document", "base", "deadline", "opens"), where)
        rid = c.slug(r, "id", where, what="round id")
        doc = c.slug(r, "document", where, what="document name")
        base = c.slug(r, "base", where, what="version name")
        if doc and docs and doc not in docs:
            c.add(f"{where}.document", f"unknown document {doc!r}; documents are {', '.join(docs)}")
        if rid in rids:
            c.add(f"{where}.id", f"round {rid} is listed twice")
        if rid and doc and base:
            rids.add(rid)
            rounds.append(Round(rid, doc, base, _s(r.get("deadline")), _s(r.get("opens"))))
    limits = Limits()
    if m.get("limits") is not None:
        lm = c.mapping(m.get("limits"), "limits")
        c.unknown(lm, Limits.__dataclass_fields__, "limits")
        bad = [k for k, v in lm.items() if not isinstance(v, int) or isinstance(v, bool) or v <= 0]
        for k in bad:
            c.add(f"limits.{k}", "should be a positive whole number")
        if not bad:
            limits = Limits.from_mapping(lm)
    timezone = m.get("timezone") or DEFAULT_TIMEZONE
    if not is_timezone(timezone):
        c.add("timezone", f"{str(timezone)[:60]!r} is not a time zone; use an IANA name such as Asia/Vientiane or UTC")
        timezone = DEFAULT_TIMEZONE
    app = c.mapping(m.get("app") or {}, "app")  # ignored: the server decides on sign-in
    languages = _languages(c, m)
    meetings = _meetings(c, m, docs)
    documentation = _documentation(c, m, languages)
    for lang, _title in (t for d in docs.values() for t in d.titles):
        if lang not in languages[1:]:
            c.add(
                "documents",
                f"a title in {lang!r}, which is not among the languages translated into ({', '.join(languages[1:]) or 'none'})",
            )
            break
    c.done()
    return Config(
        conference,
        presidency,
        docs,
        tuple(delegations),
        tuple(rounds),
        limits,
        c.text(m, "venue", "", required=False),
        timezone=str(timezone),
        app=dict(app),
        languages=languages,
        meetings=meetings,
        documentation=documentation,
    )


# ----------------------------------------------------------- languages and calendar

#: the fields of drafting.yaml for languages, meetings and the documentation rules
CALENDAR_FIELDS = ("languages", "meetings", "documentation")


def _category(c: Collector, m: dict, where: str) -> str:
    cat = c.text(m, "category", where, required=False) or "other"
    if cat not in DOCUMENT_CATEGORIES:
        c.add(f"{where}.category", f"{cat[:40]!r} is not a category; use {' or '.join(DOCUMENT_CATEGORIES)}")
        return "other"
    return cat


def _titles(c: Collector, m: dict, where: str) -> tuple[tuple[str, str], ...]:
    raw = m.get("titles")
    if raw is None:
        return ()
    raw = c.mapping(raw, f"{where}.titles")
    out = []
    for lang in raw:
        if not is_language(lang):
            c.add(f"{where}.titles", f"{str(lang)[:20]!r} is not a language code (e.g. fr, es, zh)")
            continue
        title = c.text(raw, lang, f"{where}.titles")
        if title:
            out.append((lang, " ".join(title.split())))
    return tuple(out)


def _languages(c: Collector, m: dict) -> tuple[str, ...]:
    raw = m.get("languages")
    if raw is None:
        return ("en",)
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        c.add("languages", "should list the languages, the source language first, e.g. [en, fr, es]")
        return ("en",)
    out: list[str] = []
    for i, lang in enumerate(raw):
        if not is_language(lang):
            c.add(f"languages[{i}]", f"{str(lang)[:20]!r} is not a language code (e.g. en, fr, es, zh, ar, ru)")
        elif lang in out:
            c.add(f"languages[{i}]", f"{lang} is listed twice")
        else:
            out.append(lang)
    return tuple(out) or ("en",)


def _iso_day(value: Any) -> str | None:
    """An ISO date (a day) as text, or None if ``value`` is not one."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def _meetings(c: Collector, m: dict, docs: dict[str, DocumentInfo]) -> tuple[Meeting, ...]:
    raw = m.get("meetings")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.add("meetings", "should be a list of meetings: - {id: rc3, name: ..., dates: [2026-09-14, 2026-09-18]}")
        return ()
    out: list[Meeting] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"meetings[{i}]"
        item = c.mapping(item, where)
        c.unknown(item, ("id", "name", "dates", "venue", "documents"), where)
        mid = c.slug(item, "id", where, what="meeting id")
        name = c.text(item, "name", where)
        if mid in seen:
            c.add(f"{where}.id", f"meeting {mid} is listed twice")
        dates = item.get("dates")
        days = dates if isinstance(dates, list) else [dates]
        parsed = [_iso_day(d) for d in days]
        if dates is None:
            c.add(
                f"{where}.dates",
                "is missing: give the day (2026-09-14) or the first and last days ([2026-09-14, 2026-09-18])",
            )
            continue
        if not 1 <= len(parsed) <= 2 or None in parsed:
            c.add(
                f"{where}.dates", "should be a day (2026-09-14) or the first and last days ([2026-09-14, 2026-09-18])"
            )
            continue
        start, end = parsed[0], parsed[-1]
        assert start is not None and end is not None
        if end < start:
            c.add(f"{where}.dates", f"the last day {end} comes before the first {start}")
            continue
        needed: list[MeetingDocument] = []
        rawdocs = item.get("documents") or []
        if not isinstance(rawdocs, list):
            c.add(f"{where}.documents", "should be a list of documents")
            rawdocs = []
        for j, d in enumerate(rawdocs):
            dwhere = f"{where}.documents[{j}]"
            if isinstance(d, str):
                d = {"document": d}
            d = c.mapping(d, dwhere)
            c.unknown(d, ("document", "title", "words", "category", "symbol"), dwhere)
            slug = c.slug(d, "document", dwhere, required=False, what="document name")
            if slug is not None:
                if docs and slug not in docs:
                    c.add(f"{dwhere}.document", f"unknown document {slug!r}; documents are {', '.join(docs)}")
                    continue
                if "words" in d or "title" in d:
                    c.add(dwhere, "a document of this workspace is counted from its text: give only document:")
                    continue
                needed.append(MeetingDocument(document=slug, category=docs[slug].category if slug in docs else "other"))
                continue
            title = c.text(d, "title", dwhere)
            words = d.get("words")
            if not isinstance(words, int) or isinstance(words, bool) or words < 0:
                c.add(f"{dwhere}.words", "should be the document's estimated length in words (a whole number)")
                continue
            if title:
                needed.append(
                    MeetingDocument(
                        title=" ".join(title.split()),
                        words=words,
                        category=_category(c, d, dwhere),
                        symbol=c.text(d, "symbol", dwhere, required=False),
                    )
                )
        if mid and name:
            seen.add(mid)
            out.append(
                Meeting(
                    mid,
                    " ".join(name.split()),
                    start,
                    end if end != start else None,
                    c.text(item, "venue", where, required=False),
                    tuple(needed),
                )
            )
    return tuple(out)


def _positive(c: Collector, m: dict, key: str, where: str, default: int) -> int:
    v = m.get(key)
    if v is None:
        return default
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        c.add(f"{where}.{key}", "should be a positive whole number")
        return default
    return v


def _rate(c: Collector, v: Any, where: str) -> str | None:
    import math

    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        c.add(where, "should be a rate per word (a number, e.g. 0.25)")
        return None
    return str(v)


def _documentation(c: Collector, m: dict, languages: tuple[str, ...]) -> DocumentationRules:
    raw = m.get("documentation")
    if raw is None:
        return DocumentationRules()
    where = "documentation"
    raw = c.mapping(raw, where)
    c.unknown(raw, ("due_weeks", "page_words", "word_limits", "rate_per_word", "currency"), where)
    rules = DocumentationRules()
    limits = dict(rules.word_limits)
    if raw.get("word_limits") is not None:
        wl = c.mapping(raw.get("word_limits"), f"{where}.word_limits")
        c.unknown(wl, DOCUMENT_CATEGORIES, f"{where}.word_limits")
        for cat in DOCUMENT_CATEGORIES:
            limits[cat] = _positive(c, wl, cat, f"{where}.word_limits", limits[cat])
    rates: list[tuple[str, str]] = []
    rate = raw.get("rate_per_word")
    if isinstance(rate, dict):
        for lang, v in rate.items():
            if lang not in languages[1:]:
                c.add(
                    f"{where}.rate_per_word",
                    f"{str(lang)[:20]!r} is not among the languages translated into ({', '.join(languages[1:]) or 'none'})",
                )
                continue
            r = _rate(c, v, f"{where}.rate_per_word.{lang}")
            if r is not None:
                rates.append((lang, r))
    elif rate is not None:
        r = _rate(c, rate, f"{where}.rate_per_word")
        if r is not None:
            rates.append(("*", r))
    currency = c.text(raw, "currency", where, required=False) or rules.currency
    return DocumentationRules(
        due_weeks=_positive(c, raw, "due_weeks", where, rules.due_weeks),
        page_words=_positive(c, raw, "page_words", where, rules.page_words),
        word_limits=tuple(limits.items()),
        rate_per_word=tuple(rates),
        currency=" ".join(currency.split())[:12],
    )


def _s(v: Any) -> str | None:
    return None if v is None else str(v)


# ---------------------------------------------------------------------------- version


def parse_version(
    data: Any, file: str, *, limits: Limits = Limits(), document: str | None = None, version: str | None = None
) -> Version:
    c = Collector(file)
    m = c.mapping(data, "")
    c.unknown(
        m, ("document", "version", "label", "symbol", "date", "based_on", "round", "renumbered", "paragraphs"), ""
    )
    renumbered = m.get("renumbered", False)
    if renumbered is None:
        renumbered = False
    if not isinstance(renumbered, bool):
        c.add("renumbered", "should be true or false")
        renumbered = False
    doc = c.slug(m, "document", "", what="document name")
    ver = c.slug(m, "version", "", what="version name")
    if document and doc and doc != document:
        c.add("document", f"says {doc!r} but the file is under drafts/{document}/")
    if version and ver and ver != version:
        c.add("version", f"says {ver!r} but the file is named {version}.yaml")
    paras: list[Paragraph] = []
    raw = m.get("paragraphs")
    if not isinstance(raw, list):
        c.add("paragraphs", "should be a list of paragraphs")
        raw = []
    if len(raw) > limits.max_paragraphs:
        c.add("paragraphs", f"{len(raw):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
        raw = []
    ids: set[str] = set()
    for i, p in enumerate(raw):
        where = f"paragraphs[{i}]"
        p = c.mapping(p, where)
        c.unknown(p, ("id", "section", "kind", "tags", "text", "sources"), where)
        pid = c.slug(p, "id", where, pattern=PID, what="paragraph id")
        text = c.text(p, "text", where, limit=limits.max_text_chars)
        kind = c.text(p, "kind", where, required=False) or "text"
        if kind not in KINDS:
            c.add(f"{where}.kind", f"{kind!r} is not a paragraph kind; use one of {', '.join(KINDS)}")
        if pid in ids:
            c.add(f"{where}.id", f"paragraph id {pid} is used twice")
        if pid:
            ids.add(pid)
        if pid and text is not None:
            paras.append(
                Paragraph(
                    pid,
                    clean_text(text),
                    c.text(p, "section", where, required=False),
                    kind,
                    c.str_list(p, "tags", where),
                    c.str_list(p, "sources", where),
                )
            )
    c.done()
    return Version(
        doc or "",
        ver or "",
        tuple(paras),
        _s(m.get("label")),
        _s(m.get("symbol")),
        _s(m.get("date")),
        _s(m.get("based_on")),
        _s(m.get("round")),
        renumbered,
    )


def version_to_data(v: Version) -> dict:
    out: dict[str, Any] = {"document": v.document, "version": v.version}
    for k in ("label", "symbol", "date"):
        if getattr(v, k) is not None:
            out[k] = getattr(v, k)
    out["based_on"] = v.based_on
    out["round"] = v.round
    if v.renumbered:
        out["renumbered"] = True
    paras = []
    for p in v.paragraphs:
        d: dict[str, Any] = {"id": p.id}
        if p.section is not None:
            d["section"] = p.section
        d["kind"] = p.kind
        if p.tags:
            d["tags"] = list(p.tags)
        d["text"] = p.text
        if p.sources:
            d["sources"] = list(p.sources)
        paras.append(d)
    out["paragraphs"] = paras
    return out


# ----------------------------------------------------------------------- contribution

PROPOSAL_FIELDS = (
    "id",
    "op",
    "paragraph",
    "after",
    "text",
    "kind",
    "section",
    "tags",
    "rationale",
    "meta",
    "co_sponsors",
    "submitted",
    "withdrawn",
)


def parse_contribution(
    data: Any,
    file: str,
    *,
    config: Config,
    base: Version | None,
    delegation: str | None = None,
    document: str | None = None,
    round: str | None = None,
    assign_ids: bool = False,
    keep_ids: dict[tuple, str] | None = None,
    next_number: int = 1,
    ids_optional: bool = False,
) -> Contribution:
    """Validate a contribution against the workspace's config and its base version.

    With ``assign_ids``, proposals without an id get one: the id of an identical earlier
    proposal from ``keep_ids`` (keyed by :func:`proposal_key`), else ``CODE-n`` counting
    from ``next_number``. With ``ids_optional``, a proposal without an id keeps the id ""
    (a submission assigns it: ``text/submission.py``).
    """
    limits = config.limits
    c = Collector(file)
    m = c.mapping(data, "")
    c.unknown(
        m,
        ("delegation", "document", "round", "base", "co_sponsors", "proposals", "submitted", "rationale", "supports"),
        "",
    )
    code = c.slug(m, "delegation", "", pattern=CODE, what="delegation code", required=delegation is None) or delegation
    if delegation and code and code != delegation:
        c.add("delegation", f"the file is by {code} but was submitted with --delegation {delegation}")
        c.done()
    deleg = config.delegation(code) if code else None
    if code and deleg is None:
        c.add("delegation", f"unknown delegation {code!r}: not listed in drafting.yaml")
    doc = c.slug(m, "document", "", what="document name", required=document is None) or document
    if document and doc != document:
        c.add("document", f"the file is for {doc!r} but --document says {document!r}")
    if doc and doc not in config.documents:
        c.add("document", f"unknown document {doc!r}; documents are {', '.join(config.documents)}")
    rid = c.slug(m, "round", "", what="round id", required=round is None) or round
    if round and rid != round:
        c.add("round", f"the file is for round {rid!r} but --round says {round!r}")
    rnd = config.round(rid) if rid else None
    if rid and rnd is None:
        c.add("round", f"unknown round {rid!r}; rounds are {', '.join(r.id for r in config.rounds) or 'none'}")
    elif rnd and doc and rnd.document != doc:
        c.add("round", f"round {rid} is for {rnd.document}, not {doc}")
    base_name = c.slug(m, "base", "", what="version name", required=False)
    if rnd and base_name and base_name != rnd.base:
        c.add(
            "base",
            f"the proposals were written against {base_name}, but round {rid} is on "
            f"{rnd.base}: rewrite them against {rnd.base}",
        )

    def co_sponsors(holder: dict, where: str) -> tuple[str, ...]:
        co = c.str_list(holder, "co_sponsors", where)
        at = f"{where}.co_sponsors" if where else "co_sponsors"
        for j, s in enumerate(co):
            cosponsor = config.delegation(s)
            if s == code:
                c.add(f"{at}[{j}]", f"{s} is the submitting delegation itself")
            elif cosponsor is None:
                c.add(f"{at}[{j}]", f"unknown delegation {s!r}")
            else:
                bad = roles.co_sponsor_problem(cosponsor)
                if bad:
                    c.add(f"{at}[{j}]", bad)
        if len(set(co)) != len(co):
            c.add(at, "names a delegation twice")
        return co

    co = co_sponsors(m, "")
    supports = _supports(c, m, code)
    raw = m.get("proposals")
    if not isinstance(raw, list) or (not raw and not supports):
        c.add("proposals", "should be a non-empty list of proposals")
        raw = []
    if len(raw) > limits.max_proposals:
        c.add("proposals", f"{len(raw):,} proposals, over the limit of {limits.max_proposals:,}")
        raw = []
    by_id = base.by_id() if base else {}
    base_version = base.version if base else ""
    proposals: list[Proposal] = []
    ids: dict[str, int] = {}
    n = next_number
    explicit = {q.get("id") for q in raw if isinstance(q, dict) and isinstance(q.get("id"), str)}
    for i, p in enumerate(raw):
        where = f"proposals[{i}]"
        p = c.mapping(p, where)
        c.unknown(p, PROPOSAL_FIELDS, where)
        op = c.text(p, "op", where)
        if op is not None and op not in OPS:
            c.add(f"{where}.op", f"{op!r} is not an operation; use amend, insert, delete or comment")
            continue
        pid = c.slug(p, "id", where, pattern=PID, what="proposal id", required=not (assign_ids or ids_optional))
        text = c.text(p, "text", where, required=op in ("amend", "insert", "comment"), limit=limits.max_text_chars)
        text = clean_text(text) if text is not None else None
        para = c.slug(
            p, "paragraph", where, pattern=PID, what="paragraph id", required=op in ("amend", "delete", "comment")
        )
        after = c.slug(p, "after", where, pattern=PID, what="paragraph id", required=False)
        kind = c.text(p, "kind", where, required=False)
        if op in ("amend", "delete", "comment") and para and by_id and para not in by_id:
            c.add(f"{where}.paragraph", f"unknown paragraph {para!r} in {doc} {base_version}")
        if op == "insert" and after and by_id and after not in by_id:
            c.add(f"{where}.after", f"unknown paragraph {after!r} in {doc} {base_version}")
        if op == "insert" and "paragraph" in p:
            c.add(f"{where}.paragraph", "an insert names the paragraph it follows with 'after'")
        if op != "insert" and "after" in p:
            c.add(f"{where}.after", f"'after' belongs to inserts, not to {op}")
        if kind is not None and kind not in KINDS:
            c.add(f"{where}.kind", f"{kind!r} is not a paragraph kind; use one of {', '.join(KINDS)}")
        if op in ("amend", "insert", "comment") and text is not None and not text:
            c.add(f"{where}.text", f"is empty: an empty {op} proposes nothing")
        if op == "delete" and p.get("text") is not None:
            c.add(f"{where}.text", "a delete carries no text (use rationale for the reasons)")
        if op == "amend" and text and para in by_id and text == by_id[para].text:
            c.add(f"{where}.text", f"is the same as paragraph {para} in {base_version}: the amendment changes nothing")
        observer = roles.comment_only_problem(deleg, [op]) if deleg is not None and op is not None else None
        if observer:
            c.add(f"{where}.op", observer)
        meta = c.meta(p, "meta", where)
        if pid and code and deleg is not None:
            bad = roles.proposal_id_problem(config, code, pid)
            if bad:
                c.add(f"{where}.id", bad)
        rationale = c.text(p, "rationale", where, required=False, limit=limits.max_text_chars)
        prop = Proposal(
            id=pid or "",
            op=op or "",
            paragraph=para if op != "insert" else None,
            after=after if op == "insert" else None,
            text=text if op != "delete" else None,
            kind=kind,
            section=c.text(p, "section", where, required=False),
            tags=c.str_list(p, "tags", where),
            rationale=clean_text(rationale) if rationale else None,
            delegation=code or "",
            co_sponsors=co_sponsors(p, where) if "co_sponsors" in p else co,
            document=doc or "",
            round=rid or "",
            base=(rnd.base if rnd else base_name) or "",
            submitted=_moment(c, p, "submitted", where) or _s(m.get("submitted")),
            meta=tuple(sorted((meta or {}).items())),
            withdrawn=_moment(c, p, "withdrawn", where),
        )
        if not pid and assign_ids:
            key = proposal_key(prop)
            if keep_ids and key in keep_ids and keep_ids[key] not in ids:
                pid = keep_ids[key]
            else:
                while f"{code}-{n}" in ids or f"{code}-{n}" in explicit:
                    n += 1
                pid = f"{code}-{n}"
                n += 1
            prop = _with_id(prop, pid)
        if pid in ids:
            c.add(f"{where}.id", f"proposal id {pid} is used twice (also proposals[{ids[pid]}])")
        elif pid:
            ids[pid] = i
        proposals.append(prop)
    for pid in dict(supports):
        if pid in ids:
            c.add("supports", f"{pid} is {code}'s own proposal: a delegation does not co-sponsor itself")
    c.done()
    return Contribution(
        code or "",
        doc or "",
        rid or "",
        (rnd.base if rnd else base_name) or "",
        tuple(proposals),
        co,
        _s(m.get("submitted")),
        supports,
    )


def _moment(c: Collector, m: dict, key: str, where: str) -> str | None:
    """A date-time field written by drafting (``submitted``, ``withdrawn``), or None."""
    v = m.get(key)
    if v is None:
        return None
    if not isinstance(v, (str, datetime.date)):
        c.add(f"{where}.{key}", f"should be a date and time, not {_describe(v)}")
        return None
    return _s(v)


def _supports(c: Collector, m: dict, code: str | None) -> tuple[tuple[str, str], ...]:
    """``supports:`` proposal id -> confirmed | withdrawn (a co-sponsor's answers)."""
    from .records import SUPPORT_STATES

    v = m.get("supports")
    if v is None:
        return ()
    if not isinstance(v, dict):
        c.add("supports", f"should be a mapping of proposal ids to confirmed or withdrawn, not {_describe(v)}")
        return ()
    out = []
    for pid, state in v.items():
        if not isinstance(pid, str) or not PID.match(pid):
            c.add("supports", f"{_describe(pid)} is not a proposal id")
        elif state not in SUPPORT_STATES:
            c.add(f"supports.{pid}", f"should be confirmed or withdrawn, not {_describe(state)}")
        else:
            out.append((pid, str(state)))
    return tuple(out)


def _with_id(p: Proposal, pid: str) -> Proposal:
    from dataclasses import replace

    return replace(p, id=pid)


def proposal_key(p: Proposal) -> tuple:
    """What makes two proposals "the same" across resubmissions (for keeping ids)."""
    return (p.op, p.paragraph, p.after, p.text)


def contribution_to_data(c: Contribution) -> dict:
    """A contribution as drafting writes it: co-sponsors, first submission and withdrawal
    per proposal (a file-level ``co_sponsors`` is carried into each proposal)."""
    out: dict[str, Any] = {"delegation": c.delegation, "document": c.document, "round": c.round, "base": c.base}
    if c.submitted:
        out["submitted"] = c.submitted
    if c.supports:
        out["supports"] = dict(c.supports)
    props = []
    for p in c.proposals:
        d: dict[str, Any] = {"id": p.id, "op": p.op}
        if p.op == "insert":
            d["after"] = p.after
        else:
            d["paragraph"] = p.paragraph
        for k in ("kind", "section"):
            if getattr(p, k):
                d[k] = getattr(p, k)
        if p.tags:
            d["tags"] = list(p.tags)
        if p.text is not None:
            d["text"] = p.text
        if p.rationale:
            d["rationale"] = p.rationale
        if p.co_sponsors:
            d["co_sponsors"] = list(p.co_sponsors)
        if p.submitted:
            d["submitted"] = p.submitted
        if p.withdrawn:
            d["withdrawn"] = p.withdrawn
        if p.meta:
            d["meta"] = dict(p.meta)
        props.append(d)
    out["proposals"] = props
    return out


# ----------------------------------------------------------------------- translation


def parse_translation(
    data: Any,
    file: str,
    *,
    config: Config,
    version: Version,
    language: str,
) -> Translation:
    """A translation file (``drafts/<document>/<version>.<language>.yaml``), validated
    against the configuration (its language is one translated into) and against the
    version it translates (every record names one of its paragraphs)."""
    limits = config.limits
    c = Collector(file)
    m = c.mapping(data, "")
    c.unknown(m, ("document", "version", "language", "paragraphs"), "")
    doc = c.slug(m, "document", "", what="document name")
    ver = c.slug(m, "version", "", what="version name")
    lang = c.text(m, "language", "")
    if doc and doc != version.document:
        c.add("document", f"says {doc!r} but the file is under drafts/{version.document}/")
    if ver and ver != version.version:
        c.add("version", f"says {ver!r} but the file translates {version.version}")
    if lang is not None and lang != language:
        c.add("language", f"says {lang!r} but the file is named for {language!r}")
    if language == config.source_language:
        c.add("language", f"{language} is the source language: texts are translated from it, not into it")
    elif language not in config.languages:
        c.add("language", f"{language!r} is not among the languages of drafting.yaml ({', '.join(config.languages)})")
    raw = m.get("paragraphs")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        c.add("paragraphs", "should be a list of translated paragraphs")
        raw = []
    if len(raw) > limits.max_paragraphs:
        c.add("paragraphs", f"{len(raw):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
        raw = []
    known = {p.id for p in version.paragraphs}
    seen: set[str] = set()
    records: list[TranslationRecord] = []
    for i, p in enumerate(raw):
        where = f"paragraphs[{i}]"
        p = c.mapping(p, where)
        c.unknown(p, ("id", "fingerprint", "text"), where)
        pid = c.slug(p, "id", where, pattern=PID, what="paragraph id")
        fp = c.text(p, "fingerprint", where)
        text = c.text(p, "text", where, limit=limits.max_text_chars)
        if pid is not None and pid not in known:
            c.add(f"{where}.id", f"{version.document} {version.version} has no paragraph {pid}")
            pid = None
        if pid in seen:
            c.add(f"{where}.id", f"paragraph {pid} is translated twice")
            pid = None
        if fp is not None and not FINGERPRINT.match(fp):
            c.add(f"{where}.fingerprint", "should be the source text's fingerprint (16 hexadecimal digits)")
            fp = None
        if text is not None and not text.strip():
            c.add(f"{where}.text", "is empty: leave an untranslated paragraph out")
            text = None
        if pid and fp and text is not None:
            seen.add(pid)
            records.append(TranslationRecord(pid, clean_text(text), fp))
    c.done()
    return Translation(version.document, version.version, language, tuple(records))


def translation_to_data(t: Translation, order: list[str] | None = None) -> dict:
    """A translation as written: its records in ``order`` (the version's paragraph order)."""
    rank = {pid: i for i, pid in enumerate(order or [])}
    records = sorted(t.paragraphs, key=lambda r: rank.get(r.id, len(rank)))
    return {
        "document": t.document,
        "version": t.version,
        "language": t.language,
        "paragraphs": [{"id": r.id, "fingerprint": r.fingerprint, "text": r.text} for r in records],
    }


# -------------------------------------------------------------------------- decisions


def parse_decisions(data: Any, file: str, *, limits: Limits = Limits()) -> dict[str, Decision]:
    c = Collector(file)
    if data is None:
        return {}
    m = c.mapping(data, "")
    out: dict[str, Decision] = {}
    for pid, d in m.items():
        where = str(pid)
        if not isinstance(pid, str) or not PID.match(pid):
            c.add(where, "is not a valid proposal id")
            continue
        d = c.mapping(d, where)
        c.unknown(d, ("status", "text", "note", "by"), where)
        status = c.text(d, "status", where)
        if status is not None and status not in STATUSES:
            c.add(f"{where}.status", f"{status!r} is not a status; use one of {', '.join(STATUSES)}")
            continue
        text = c.text(d, "text", where, required=status == "modified", limit=limits.max_text_chars)
        if status:
            out[pid] = Decision(
                pid,
                status,
                clean_text(text) if text else None,
                c.text(d, "note", where, required=False, limit=limits.max_text_chars),
                c.text(d, "by", where, required=False),
            )
    c.done()
    return out


def check_decision(p: Proposal, status: str, text: str | None) -> str | None:
    """Why a decision does not fit its proposal, or None."""
    if status not in STATUSES:
        return f"{status!r} is not a status; use one of {', '.join(STATUSES)}"
    if p.withdrawn:
        return f"{p.id} was withdrawn by {p.delegation} ({p.withdrawn[:10]}): there is nothing to decide"
    if p.op == "comment" and status not in COMMENT_STATUSES:
        return f"{p.id} is a comment: decide it addressed, noted or withdrawn"
    if p.op != "comment" and status in ("addressed", "noted"):
        return f"{p.id} is a{'n' if p.op[0] in 'aei' else ''} {p.op}: {status} is for comments"
    if status == "modified":
        if p.op == "delete":
            return f"{p.id} is a delete: it can be accepted or rejected, not modified"
        if not text or not text.strip():
            return "a modified decision needs the Presidency's wording: give --text"
    elif text:
        return "--text goes with status modified only"
    return None
