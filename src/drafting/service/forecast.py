"""The documentation forecast (``drafting forecast``): facts about each document's text
gathered here, the figures computed by ``model.forecast``."""

from __future__ import annotations

from pathlib import Path

from ..model.forecast import DocumentFacts, Forecast, forecast
from ..model.vocabulary import default_label
from ..store.workspace import Workspace
from ..text.words import word_count
from . import calendar
from . import translations as T

FORMATS = ("docx", "md", "html")


def latest_version(ws: Workspace, document: str) -> str | None:
    names = ws.version_names(document)
    return names[-1] if names else None


def document_facts(ws: Workspace, document: str) -> DocumentFacts:
    """A document's latest version: its words, and per language the words to translate now."""
    name = latest_version(ws, document)
    if name is None:
        return DocumentFacts(document, None, None, 0)
    v = ws.version(document, name)
    words = sum(word_count(p.text) for p in v.paragraphs)
    now: dict[str, int] = {}
    paras: dict[str, int] = {}
    for lang in ws.config.target_languages:
        todo = T.state(ws, document, name, lang).to_translate
        now[lang], paras[lang] = todo.words, todo.paragraphs
    return DocumentFacts(document, name, v.label or default_label(name), words, now, paras)


def build(ws: Workspace) -> Forecast:
    needed = {d.document for m in ws.config.meetings for d in m.documents if d.document}
    facts = {doc: document_facts(ws, doc) for doc in sorted(needed)}
    return forecast(ws.config, facts, calendar.events(ws), calendar.today(ws))


def write(ws: Workspace, fmt: str, out: Path) -> Path:
    from ..formats.forecast import export_forecast

    return export_forecast(build(ws), ws.config, fmt, Path(out))
