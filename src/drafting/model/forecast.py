"""The documentation forecast: per meeting and document, what there is to translate, what
it costs and whether it will be ready in time. Pure: the figures come from the
configuration, facts about each document's text (:class:`DocumentFacts`, gathered by
``service.forecast``), the calendar's events and today's date.

Per document (a workspace document is counted from its latest version; another document
of ``meetings:`` from its estimated ``words``):

- words and standard pages (``words / page_words``, to one decimal, halves rounded up);
- the word limit of its category and by how much it is over;
- the day it is due for translation (``due_weeks`` before the meeting) and the days left;
- per language translated into: the words to translate now (the stale and missing
  paragraphs: what a package would carry) and for a full retranslation, and what each
  costs at ``rate_per_word`` (two decimals, halves rounded up; None without a rate);
- ``late``, with the reasons, for a meeting still to come: the text may still change
  after its due day (a round's or silence procedure's deadline falls after it), or the
  due day has passed with words still to translate, or there is no text at all.

Totals per meeting, and overall (each document counted once, at its first meeting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .calendar import Event, document_title, due_date
from .records import Config, Meeting, MeetingDocument
from .when import long_date

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class DocumentFacts:
    """What the forecast needs to know of a workspace document's text."""

    document: str
    version: str | None  # the latest version (None: none yet)
    label: str | None
    words: int
    #: per language translated into: the words (and paragraphs) of the stale and missing paragraphs
    words_to_translate: Mapping[str, int] = field(default_factory=dict)
    paragraphs_to_translate: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LanguageFigures:
    language: str
    words_now: int
    words_full: int
    rate: Decimal | None
    cost_now: Decimal | None
    cost_full: Decimal | None

    def to_json(self) -> dict:
        return {
            "language": self.language,
            "words_now": self.words_now,
            "words_full": self.words_full,
            "rate": _num(self.rate),
            "cost_now": _num(self.cost_now),
            "cost_full": _num(self.cost_full),
        }


@dataclass(frozen=True)
class Line:
    """One document of one meeting."""

    meeting: str
    document: str | None  # the workspace document (None: another document)
    title: str
    category: str
    version: str | None
    label: str | None
    words: int
    pages: Decimal
    word_limit: int | None
    over_limit: int  # words over the limit (0: within it)
    due: dt.date
    days_left: int
    languages: tuple[LanguageFigures, ...]
    cost_now: Decimal | None
    cost_full: Decimal | None
    late: bool
    reasons: tuple[str, ...] = ()
    estimated: bool = False  # words estimated in drafting.yaml, not counted

    def to_json(self) -> dict:
        return {
            "meeting": self.meeting,
            "document": self.document,
            "title": self.title,
            "category": self.category,
            "version": self.version,
            "label": self.label,
            "estimated": self.estimated,
            "words": self.words,
            "pages": _num(self.pages),
            "word_limit": self.word_limit,
            "over_limit": self.over_limit,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "languages": [x.to_json() for x in self.languages],
            "cost_now": _num(self.cost_now),
            "cost_full": _num(self.cost_full),
            "late": self.late,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class MeetingForecast:
    meeting: Meeting
    due: dt.date
    days_left: int
    held: bool  # the meeting has begun (or is over)
    lines: tuple[Line, ...]

    @property
    def words(self) -> int:
        return sum(x.words for x in self.lines)

    @property
    def pages(self) -> Decimal:
        return sum((x.pages for x in self.lines), Decimal(0))

    def cost(self, which: str) -> Decimal | None:
        return _sum([getattr(x, f"cost_{which}") for x in self.lines])

    def language_cost(self, language: str, which: str) -> Decimal | None:
        return _sum([getattr(f, f"cost_{which}") for x in self.lines for f in x.languages if f.language == language])

    def to_json(self, languages: Sequence[str]) -> dict:
        m = self.meeting
        return {
            "meeting": m.id,
            "name": m.name,
            "venue": m.venue,
            "start": m.start,
            "end": m.end or m.start,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "held": self.held,
            "documents": [x.to_json() for x in self.lines],
            "words": self.words,
            "pages": _num(self.pages),
            "cost_now": _num(self.cost("now")),
            "cost_full": _num(self.cost("full")),
            "cost_now_by_language": {lang: _num(self.language_cost(lang, "now")) for lang in languages},
            "late": [x.title for x in self.lines if x.late],
        }


@dataclass(frozen=True)
class Forecast:
    today: dt.date
    currency: str
    languages: tuple[str, ...]
    page_words: int
    due_weeks: int
    meetings: tuple[MeetingForecast, ...]

    def _unique_lines(self) -> list[Line]:
        seen: set[object] = set()
        out = []
        for mf in self.meetings:
            for x in mf.lines:
                key = x.document or (mf.meeting.id, x.title)
                if key not in seen:
                    seen.add(key)
                    out.append(x)
        return out

    def cost(self, which: str) -> Decimal | None:
        return _sum([getattr(x, f"cost_{which}") for x in self._unique_lines()])

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "currency": self.currency,
            "languages": list(self.languages),
            "page_words": self.page_words,
            "due_weeks": self.due_weeks,
            "meetings": [m.to_json(self.languages) for m in self.meetings],
            "cost_now": _num(self.cost("now")),
            "cost_full": _num(self.cost("full")),
            "late": [
                {"meeting": mf.meeting.id, "title": x.title, "reasons": list(x.reasons)}
                for mf in self.meetings
                for x in mf.lines
                if x.late
            ],
        }


def _num(d: Decimal | None) -> float | int | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def pages(words: int, page_words: int) -> Decimal:
    """Standard pages, to one decimal (halves up): 1,000 words at 330 a page are 3.0."""
    return (Decimal(words) / Decimal(page_words)).quantize(TENTH, rounding=ROUND_HALF_UP)


def cost(words: int, rate: Decimal | None) -> Decimal | None:
    return None if rate is None else (Decimal(words) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def forecast(config: Config, facts: Mapping[str, DocumentFacts], events: Sequence[Event], today: dt.date) -> Forecast:
    rules = config.documentation
    langs = config.target_languages
    rates = {lang: (Decimal(r) if (r := rules.rate(lang)) is not None else None) for lang in langs}
    meetings = []
    for m in config.meetings:
        if not m.documents:
            continue  # (in the calendar, but it needs no documents)
        due = due_date(config, m)
        start = dt.date.fromisoformat(m.start)
        held = today >= start
        lines = tuple(_line(config, m, need, facts, events, today, due, start, held, rates) for need in m.documents)
        meetings.append(MeetingForecast(m, due, (due - today).days, held, lines))
    meetings.sort(key=lambda mf: (mf.meeting.start, mf.meeting.id))
    return Forecast(today, rules.currency, langs, rules.page_words, rules.due_weeks, tuple(meetings))


def _line(
    config: Config,
    m: Meeting,
    need: MeetingDocument,
    facts: Mapping[str, DocumentFacts],
    events: Sequence[Event],
    today: dt.date,
    due: dt.date,
    start: dt.date,
    held: bool,
    rates: Mapping[str, Decimal | None],
) -> Line:
    rules = config.documentation
    title = document_title(config, need.document, need.title)
    f = facts.get(need.document) if need.document else None
    if need.document:
        words = f.words if f else 0
        now = {lang: (f.words_to_translate.get(lang, words) if f else 0) for lang in config.target_languages}
    else:
        words = need.words
        now = dict.fromkeys(config.target_languages, words)
    figures = tuple(
        LanguageFigures(lang, now[lang], words, rates[lang], cost(now[lang], rates[lang]), cost(words, rates[lang]))
        for lang in config.target_languages
    )
    limit = rules.word_limit(need.category)
    reasons: list[str] = []
    if not held and need.document:
        reasons += [
            f"{e.title} is on {long_date(e.last_day)}, after the due date ({long_date(due)}): "
            "the text cannot be final in time"
            for e in events
            if e.settles_text and e.document == need.document and due < e.last_day <= start
        ]
        if f is None or f.version is None:
            if today > due:
                reasons.append(f"no text yet, and it was due on {long_date(due)}")
        elif today > due:
            behind = [lang for lang in config.target_languages if now[lang] > 0]
            if behind:
                reasons.append(
                    f"due on {long_date(due)} with words still to translate ("
                    + ", ".join(f"{now[lang]:,} into {lang}" for lang in behind)
                    + ")"
                )
    return Line(
        meeting=m.id,
        document=need.document,
        title=title,
        category=need.category,
        version=f.version if f else None,
        label=f.label if f else None,
        words=words,
        pages=pages(words, rules.page_words),
        word_limit=limit,
        over_limit=max(0, words - limit) if limit is not None else 0,
        due=due,
        days_left=(due - today).days,
        languages=figures,
        cost_now=_sum([x.cost_now for x in figures]),
        cost_full=_sum([x.cost_full for x in figures]),
        late=bool(reasons),
        reasons=tuple(reasons),
        estimated=need.document is None,
    )
