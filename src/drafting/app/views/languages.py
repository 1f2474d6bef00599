"""Languages & documents: how far each version is translated, what changed since the
translation, the translation packages and translated versions to download; the
conference's calendar; the forecast of documentation requirements. Also the Draft page's
language selector (:func:`language_picker`, :func:`translations_for`, :func:`beside`)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...model import languages as L
from ...model.errors import DraftingError
from ...model.when import long_date
from .. import cache, markup
from ..common import Ctx, ctx, keep_valid, page_header, pick_version, show_error

STATE_WORDS = {"translated": "translated", "stale": "changed since translated", "missing": "not yet translated"}


def _today(c: Ctx) -> str:
    from ...service.calendar import today

    return today(c.ws).isoformat()


# ------------------------------------------------------------------- the Draft page's hook


def language_picker(c: Ctx, key: str) -> str | None:
    """A selector of the language shown beside the source (None: the source alone)."""
    langs = list(c.config.target_languages)
    if not langs:
        return None
    options: list[str | None] = [None, *langs]
    keep_valid(key, options)
    return st.selectbox(
        "Translation beside the text",
        options,
        key=key,
        format_func=lambda x: f"None ({L.name(c.config.source_language)} only)" if x is None else L.name(x),
    )


def translations_for(c: Ctx, version: str | None, language: str | None) -> dict[str, dict[str, Any]]:
    """Each paragraph's translation state in ``language`` ({} without a language)."""
    if not language or not version:
        return {}
    return cache.language_state(c.root, c.head, c.document, version, language)["paragraphs"]


def beside(body: str, entry: dict[str, Any] | None, language: str) -> str:
    """A paragraph's body (escaped HTML) with its translation beside it; a stale one marked,
    a missing one said to be missing. Spans only: the result goes inside ``<p>`` or ``<h3>``."""
    entry = entry or {"state": "missing"}
    state = entry["state"]
    if state == "translated":
        inner = markup.e(entry.get("translation"))
    elif state == "stale":
        inner = (
            markup.badge("translation outdated: the text has changed since", "c-open")
            + f'<span class="dr-tr-old">{markup.e(entry.get("translation"))}</span>'
        )
    else:
        inner = f'<span class="dr-muted">{markup.e(L.phrase(language, "untranslated"))}</span>'
    return (
        f'<span class="dr-bi"><span class="dr-bi-src">{body}</span>'
        f'<span class="dr-bi-trg dr-tr-{markup.e(state)}" lang="{markup.e(language)}">{inner}</span></span>'
    )


# --------------------------------------------------------------------------- the page


def render() -> None:
    c = ctx()
    page_header(c, "Languages & documents")
    tabs = st.tabs(["Translations", "Calendar", "Documentation forecast"])
    with tabs[0]:
        _translations(c)
    with tabs[1]:
        _calendar(c)
    with tabs[2]:
        _forecast(c)


def _translations(c: Ctx) -> None:
    langs = list(c.config.target_languages)
    if not langs:
        st.info(
            "This conference works in one language. List its languages in drafting.yaml "
            "(languages: [en, fr, es]) to follow the translations."
        )
        return
    rows = cache.translation_status(c.root, c.head, c.document)
    if not rows:
        st.info("This document has no version yet.")
        return
    st.markdown(f"**Translations of the {c.title}** (from {L.name(c.config.source_language)})")
    st.dataframe(
        [
            {
                "Version": r["label"],
                "Language": L.name(r["language"]),
                "Translated": r["share_translated"],
                "Paragraphs translated": f"{r['translated']['paragraphs']} of {r['paragraphs']}",
                "Changed since translated": r["stale"]["paragraphs"],
                "Not yet translated": r["missing"]["paragraphs"],
                "Words to translate": f"{r['stale']['words'] + r['missing']['words']:,}",
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "Translated": st.column_config.ProgressColumn("Translated", format="percent", min_value=0, max_value=1),
        },
    )
    top = st.columns([3, 2, 4])
    with top[0]:
        version = pick_version(c, "Version", "lang_version")
    with top[1]:
        keep_valid("lang_language", langs)
        lang = st.selectbox("Language", langs, key="lang_language", format_func=L.name)
    if not version or not lang:
        return
    data = cache.language_state(c.root, c.head, c.document, version, lang)
    counts, paras = data["counts"], data["paragraphs"]
    todo = counts["stale"]["words"] + counts["missing"]["words"]
    label = c.version_label(version)
    st.markdown(
        f"**{label} in {L.name(lang)}**: {counts['translated']['paragraphs']} of {counts['paragraphs']} paragraphs "
        f"translated; {counts['stale']['paragraphs']} changed since their translation; "
        f"{counts['missing']['paragraphs']} never translated; {todo:,} words to translate."
    )
    _downloads(c, version, lang, todo > 0)
    nums = cache.numbers(c.root, c.head, c.document, version)
    v = c.version(version)
    stale = [p for p in v.paragraphs if paras[p.id]["state"] == "stale"]
    missing = [p for p in v.paragraphs if paras[p.id]["state"] == "missing"]
    if stale:
        st.markdown(f"**Changed since their translation** ({len(stale)})")
        cards = []
        for p in stale:
            e = paras[p.id]
            change = markup.ops(e["changes"]) if e.get("changes") else markup.e(p.text)
            cards.append(
                f'<div class="dr-card"><div class="dr-card-head"><span class="dr-card-id">'
                f"{markup.e(nums.get(p.id) or p.kind.capitalize())}</span>"
                f"{markup.badge('changed since translated', 'c-open')}"
                f'<span class="dr-muted">{e["words"]:,} words</span></div>'
                f'<p class="dr-text dr-changes">{change}</p>'
                f'<p class="dr-tr-old" lang="{markup.e(lang)}">{markup.e(e["translation"])}</p></div>'
            )
        st.html("".join(cards))
    if missing:
        st.markdown(f"**Never translated** ({len(missing)})")
        st.html(
            "".join(
                f'<div class="dr-card"><div class="dr-card-head"><span class="dr-card-id">'
                f"{markup.e(nums.get(p.id) or p.kind.capitalize())}</span>"
                f"{markup.badge('not yet translated', 'c-open')}"
                f'<span class="dr-muted">{paras[p.id]["words"]:,} words</span></div>'
                f'<p class="dr-text">{markup.e(p.text)}</p></div>'
                for p in missing
            )
        )
    if not stale and not missing:
        st.success(f"Every paragraph of {label} is translated into {L.name(lang)}.")


def _prepared_download(c: Ctx, key: str, label: str, kind: str, args: tuple, fmt: str, filename: str) -> None:
    """A button preparing a file (pandoc takes a second), then its download button."""
    want = (c.head, kind, args, fmt)
    if st.button(f"Prepare {label}", key=f"{key}_prep"):
        try:
            st.session_state[f"{key}_ready"] = (want, cache.language_file(c.root, c.head, kind, args, fmt, _today(c)))
        except DraftingError as err:
            show_error(err)
    ready = st.session_state.get(f"{key}_ready")
    if ready and ready[0] == want:
        st.download_button(f"Download {filename}", data=ready[1], file_name=filename, key=f"{key}_dl", type="primary")


def _downloads(c: Ctx, version: str, lang: str, anything: bool) -> None:
    cols = st.columns(3)
    with cols[0]:
        st.markdown("**Translation package**")
        if anything:
            fmt = st.selectbox(
                "Package format",
                ["xliff", "docx"],
                key="lang_pkg_fmt",
                format_func=lambda f: "XLIFF 2.0 (translation tools)" if f == "xliff" else "Word (two columns)",
            )
            ext = "xlf" if fmt == "xliff" else "docx"
            _prepared_download(
                c,
                "lang_pkg",
                "the package",
                "package",
                (c.document, version, lang),
                fmt,
                f"{c.document}-{version}.{lang}.{ext}",
            )
        else:
            st.caption("Nothing to translate.")
    with cols[1]:
        st.markdown(f"**The version in {L.name(lang)}**")
        _prepared_download(
            c, "lang_doc", "the document", "translated", (c.document, version, lang), "docx",
            f"{c.document}-{version}.{lang}.docx",
        )  # fmt: skip
    with cols[2]:
        st.markdown("**Side by side**")
        _prepared_download(
            c, "lang_bi", "the bilingual document", "bilingual", (c.document, version, lang), "docx",
            f"{c.document}-{version}.{c.config.source_language}-{lang}.docx",
        )  # fmt: skip


def _span(start: str, end: str | None) -> str:
    from ...model.calendar import long_span

    return long_span(start, end)


def _calendar(c: Ctx) -> None:
    day = _today(c)
    data = cache.calendar(c.root, c.head, day)
    events = data["events"]
    if not events:
        st.info("Nothing dated yet: list the meetings (meetings:) and the rounds' deadlines in drafting.yaml.")
        return
    st.caption(f"Today is {long_date(day)}. Dates are in the conference's time zone ({data['timezone']}).")
    st.dataframe(
        [
            {
                "When": _span(e["date"], e["end"]),
                "What": e["title"],
                "Details": e["detail"] or "",
                "": "past" if e["past"] else "",
            }
            for e in events
        ],
        hide_index=True,
        width="stretch",
        column_config={"Details": st.column_config.TextColumn("Details", width="large")},
    )
    st.download_button(
        "Download the calendar (.ics, for Outlook and other calendars)",
        data=cache.language_file(c.root, c.head, "calendar", (), "ics", day),
        file_name="conference-calendar.ics",
        mime="text/calendar",
        key="lang_ics",
    )


def _money(value: Any, currency: str) -> str:
    return "—" if value is None else f"{currency} {value:,.2f}"


def _forecast(c: Ctx) -> None:
    day = _today(c)
    fc = cache.forecast(c.root, c.head, day)
    meetings = fc["meetings"]
    if not meetings:
        st.info("No meeting needs documents yet: list them in drafting.yaml (meetings:, with documents:).")
        return
    cur = fc["currency"]
    st.caption(
        f"As of {long_date(fc['today'])}. Documents are due for translation {fc['due_weeks']} weeks before a meeting "
        f"opens; a standard page is {fc['page_words']} words. Words to translate now: paragraphs never translated "
        "or changed since their translation."
    )
    for late in fc["late"]:
        st.warning(f"{late['title']} will miss its deadline: " + "; ".join(late["reasons"]) + ".")
    for m in meetings:
        when = _span(m["start"], m["end"] if m["end"] != m["start"] else None)
        st.markdown(f"**{m['name']}**{', ' + m['venue'] if m['venue'] else ''}, {when}")
        due = long_date(m["due"])
        if m["held"]:
            st.caption(f"Held. Its documents were due for translation on {due}.")
        else:
            left = m["days_left"]
            st.caption(
                f"Documents due for translation on {due} "
                + (f"({left} days left)." if left >= 0 else f"({-left} days ago).")
            )
        rows = []
        for d in m["documents"]:
            limit = "—" if d["word_limit"] is None else f"{d['word_limit']:,}"
            row: dict[str, Any] = {
                "Document": d["title"]
                + (f" ({d['label']})" if d["label"] else " (estimate)" if d["estimated"] else ""),
                "Words": f"{d['words']:,}",
                "Pages": f"{d['pages']}",
                "Word limit": limit + (f", over by {d['over_limit']:,}" if d["over_limit"] else ""),
            }
            for f in d["languages"]:
                row[f"{L.name(f['language'])}: words now"] = f"{f['words_now']:,}"
            row["Cost now"] = _money(d["cost_now"], cur)
            row["Full"] = _money(d["cost_full"], cur)
            row["Notes"] = ("Late: " + "; ".join(d["reasons"])) if d["late"] else ""
            rows.append(row)
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption(
            f"Total: {m['words']:,} words, {m['pages']} pages; {_money(m['cost_now'], cur)} now, "
            f"{_money(m['cost_full'], cur)} for a full retranslation."
        )
    st.markdown(
        f"**Total, each document counted once**: {_money(fc['cost_now'], cur)} now; "
        f"{_money(fc['cost_full'], cur)} for a full retranslation."
    )
    cols = st.columns(2)
    with cols[0]:
        _prepared_download(
            c, "lang_fc_docx", "the forecast (Word)", "forecast", (), "docx", "documentation-forecast.docx"
        )
    with cols[1]:
        _prepared_download(
            c, "lang_fc_md", "the forecast (Markdown)", "forecast", (), "md", "documentation-forecast.md"
        )
