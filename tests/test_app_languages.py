"""The app's Languages & documents page and the Draft page's translation beside the text,
driven headless with Streamlit's AppTest on the bundled example with Rev.1 composed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafting.service import clock
from drafting.service import translations as T
from drafting.store.workspace import Workspace

streamlit = pytest.importorskip("streamlit")

from test_app import act_as, app, go, html, ok  # noqa: E402


def texts(at) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.success])


@pytest.fixture
def june(monkeypatch):
    """1 June 2026: before the Review Conference, whose documents are due on 6 July."""
    moment = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.mark.parametrize("code", ["LAO", "MEX"])
def test_languages_page_shows_translation_state_calendar_and_forecast(rev1, monkeypatch, june, code):
    at = app(rev1, monkeypatch)
    act_as(at, code)
    at = ok(go(at, "languages"))
    at.selectbox(key="lang_version").set_value("rev1").run()
    at.selectbox(key="lang_language").set_value("fr").run()
    ok(at)
    st = T.state(Workspace(rev1), "action-plan", "rev1", "fr")
    shown = texts(at)
    assert (
        f"**Revision 1 in French**: {st.tally('translated').paragraphs} of {len(st.paragraphs)} paragraphs translated; "
        f"{st.tally('stale').paragraphs} changed since their translation; {st.tally('missing').paragraphs} never "
        f"translated; {st.to_translate.words:,} words to translate." in shown
    )
    page = html(at)
    assert page.count("changed since translated") == st.tally("stale").paragraphs
    assert page.count("not yet translated") == st.tally("missing").paragraphs
    # the French of an outdated paragraph, and what changed in the English (escaped, as ins/del)
    stale = st.of("stale")[0]
    assert stale.translation.replace("’", "’") in page.replace("&#x27;", "'")
    assert "<ins>" in page and "<del>" in page
    # the calendar (as of 1 June 2026) and the forecast: the action plan's round ends after its due date
    assert "Today is 1 June 2026." in shown
    assert any("Vientiane Action Plan will miss its deadline" in w.value for w in at.warning)
    assert "**Third Review Conference**, Vientiane, 14–18 September 2026" in shown
    assert len(at.dataframe) >= 4  # translations, calendar, and one per meeting that needs documents


def test_languages_page_prepares_a_translation_package(rev1, monkeypatch, june):
    at = app(rev1, monkeypatch)
    at = ok(go(at, "languages"))
    at.selectbox(key="lang_version").set_value("rev1").run()
    at.selectbox(key="lang_language").set_value("es").run()
    at.selectbox(key="lang_pkg_fmt").set_value("docx").run()
    at.button(key="lang_pkg_prep").click().run()
    ok(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download action-plan-rev1.es.docx" in labels
    assert "Download the calendar (.ics, for Outlook and other calendars)" in labels


def test_draft_shows_the_translation_beside_the_text_and_marks_stale_paragraphs(rev1, monkeypatch):
    at = app(rev1, monkeypatch)
    at.selectbox(key="draft_version").set_value("rev1").run()
    assert 'class="dr-bi-trg' not in html(at)
    at.selectbox(key="draft_lang").set_value("es").run()
    ok(at)
    page = html(at)
    st = T.state(Workspace(rev1), "action-plan", "rev1", "es")
    assert page.count('class="dr-bi-trg') == len(st.paragraphs)
    assert page.count('class="dr-bi-trg dr-tr-stale"') == st.tally("stale").paragraphs
    assert page.count('class="dr-bi-trg dr-tr-missing"') == st.tally("missing").paragraphs
    assert page.count("translation outdated: the text has changed since") == st.tally("stale").paragraphs
    assert "[Pendiente de traducción]" in page
    done = next(p for p in st.paragraphs if p.state == "translated" and "’" not in (p.translation or ""))
    assert done.translation in page


def test_languages_page_without_languages_says_how_to_add_them(tiny, monkeypatch):
    from test_calendar import configure

    configure(tiny, "app: {mode: demo}\n")
    at = app(tiny, monkeypatch)
    at = ok(go(at, "languages"))
    assert "This conference works in one language." in texts(at)
    assert "No meeting needs documents yet" in texts(at)
    at = ok(go(at, "draft"))
    with pytest.raises(KeyError):
        at.selectbox(key="draft_lang")  # no selector when there is nothing to show beside the text


def test_page_is_in_the_navigation():
    from drafting.app.main import PAGE_LIST, PAGES

    entry = next(p for p in PAGE_LIST if p[3] == "languages")
    assert entry[2] == "Languages & documents" and (PAGES / entry[1]).is_file()
    assert Path(PAGES / entry[1]).read_text().strip().endswith("languages.render()")
