"""The documentation forecast as a document (DOCX, Markdown, HTML) through pandoc: per
meeting, a table of its documents (words, pages, limit, due day, words to translate per
language, costs, what will be late). Pure AST building, then ``export.render``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import languages as L
from ..model.calendar import long_span
from ..model.errors import DraftingError
from ..model.forecast import Forecast, Line, MeetingForecast
from ..model.records import Config
from ..model.when import long_date
from .ast import (
    LINE_BREAK,
    Block,
    Cell,
    DocMeta,
    Emph,
    Header,
    Inline,
    Para,
    Plain,
    Row,
    Strong,
    Table,
    attr,
    meta_fields,
    text,
    title_block,
)
from .ast import document as pandoc_document

FORMATS = ("docx", "md", "html")


def money(value: Decimal | None, currency: str) -> str:
    return "—" if value is None else f"{currency} {value:,.2f}"


def _cell(inlines: list[Inline]) -> list[Any]:
    return Cell([Plain(inlines)] if inlines else [])


def days(n: int) -> str:
    if n == 0:
        return "today"
    return f"in {n:,} day{'s' if n != 1 else ''}" if n > 0 else f"{-n:,} day{'s' if n != -1 else ''} ago"


def _line_row(x: Line, langs: tuple[str, ...], currency: str) -> list[Any]:
    limit = "—" if x.word_limit is None else f"{x.word_limit:,}"
    over = [LINE_BREAK, Strong(text(f"over by {x.over_limit:,}"))] if x.over_limit else []
    title = [Strong(text(x.title))]
    if x.label:
        title += [LINE_BREAK, Emph(text(x.label))]
    elif x.estimated:
        title += [LINE_BREAK, Emph(text("estimate"))]
    cells = [
        _cell(title),
        _cell(text(f"{x.words:,}")),
        _cell(text(f"{x.pages}")),
        _cell(text(limit) + over),
    ]
    cells += [_cell(text(f"{f.words_now:,} of {f.words_full:,}")) for f in x.languages]
    cells.append(
        _cell([*text(money(x.cost_now, currency)), LINE_BREAK, Emph(text(f"full: {money(x.cost_full, currency)}"))])
    )
    notes: list[Inline] = []
    for r in x.reasons:
        if notes:
            notes.append(LINE_BREAK)
        notes += [Strong(text("Late:")), *text(" " + r)]
    cells.append(_cell(notes))
    return Row(cells, classes=["late"] if x.late else [])


def _meeting_blocks(mf: MeetingForecast, fc: Forecast) -> list[Block]:
    m = mf.meeting
    when = long_span(m.start, m.end)
    blocks: list[Block] = [Header(2, attr("", ["meeting"]), text(f"{m.name}{', ' + m.venue if m.venue else ''}"))]
    state = "held" if mf.held else f"documents due for translation on {long_date(mf.due)} ({days(mf.days_left)})"
    blocks.append(Para(text(f"{when}; {state}.")))
    if not mf.lines:
        blocks.append(Para([Emph(text("No documents listed for this meeting."))]))
        return blocks
    langs = fc.languages
    heads = ["Document", "Words", "Pages", "Word limit"]
    heads += [f"To translate into {L.name(lang)} (words now of full)" for lang in langs]
    heads += ["Cost now (full retranslation)", "Notes"]
    extra = len(langs)
    widths = [0.22, 0.07, 0.06, 0.09] + [0.1] * extra + [0.14]
    widths.append(max(0.1, 1 - sum(widths)))
    head = [Row([_cell([Strong(text(h))]) for h in heads])]
    body = [_line_row(x, langs, fc.currency) for x in mf.lines]
    total = [_cell([Strong(text("Total"))]), _cell(text(f"{mf.words:,}")), _cell(text(f"{mf.pages}")), _cell([])]
    total += [_cell(text(money(mf.language_cost(lang, "now"), fc.currency))) for lang in langs]
    total.append(
        _cell(
            [
                Strong(text(money(mf.cost("now"), fc.currency))),
                LINE_BREAK,
                Emph(text(f"full: {money(mf.cost('full'), fc.currency)}")),
            ]
        )
    )
    total.append(_cell([]))
    body.append(Row(total, classes=["total"]))
    blocks.append(Table(widths, head, body, a=attr("", ["forecast"])))
    return blocks


def forecast_ast(fc: Forecast, config: Config) -> dict[str, Any]:
    meta = DocMeta(
        conference=config.conference,
        title="Forecast of documentation requirements",
        date=long_date(fc.today),
        label=f"Translation into {', '.join(L.name(lang) for lang in fc.languages) or '(no other language)'}",
        submitted_by="Prepared with drafting",
        venue=config.venue,
    )
    blocks: list[Block] = title_block(meta)
    rates = [
        f"{L.name(lang)} {money(r, fc.currency)}"
        for lang in fc.languages
        for r in [
            next((f.rate for mf in fc.meetings for x in mf.lines for f in x.languages if f.language == lang), None)
        ]
    ]
    blocks.append(
        Para(
            text(
                f"As of {long_date(fc.today)}. Documents are due for translation {fc.due_weeks} weeks before a "
                f"meeting opens; a standard page is {fc.page_words} words. Words to translate now are those of "
                "paragraphs never translated or changed since their translation; a full retranslation counts "
                "every word. Rates per word: " + ("; ".join(rates) if rates else "none set") + "."
            )
        )
    )
    late = [(mf, x) for mf in fc.meetings for x in mf.lines if x.late]
    if late:
        blocks.append(
            Para([Strong(text(f"{len(late)} document{'s' if len(late) != 1 else ''} will miss the deadline:"))])
        )
        for mf, x in late:
            blocks.append(Para(text(f"{x.title} ({mf.meeting.name}): " + "; ".join(x.reasons) + ".")))
    for mf in fc.meetings:
        blocks += _meeting_blocks(mf, fc)
    blocks.append(
        Para(
            [
                Strong(text("Total, each document counted once:")),
                *text(
                    f" {money(fc.cost('now'), fc.currency)} now; {money(fc.cost('full'), fc.currency)} for a full retranslation."
                ),
            ]
        )
    )
    fields = meta_fields(meta)
    fields["landscape"] = {"t": "MetaBool", "c": True}
    return pandoc_document(blocks, fields)


def export_forecast(fc: Forecast, config: Config, fmt: str, out: Path) -> Path:
    from .export import render

    if fmt not in FORMATS:
        raise DraftingError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return render(forecast_ast(fc, config), fmt, Path(out), landscape=True)
