"""The calendar (meetings, documents due for translation, input rounds) and the
documentation forecast: figures checked by hand on a small workspace, the ICS file read
back by the icalendar library, the CLI, and bad configurations refused with one line.
The clock is the service's one clock, set by the test."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import TINY_CONFIG, run_cli, tree_state
from drafting.cli.main import main
from drafting.model.calendar import Event, long_span
from drafting.model.forecast import cost, pages
from drafting.service import calendar as C
from drafting.service import clock
from drafting.service import forecast as F
from drafting.service import translations as T
from drafting.service.identity import identity
from drafting.store.workspace import Workspace

CALENDAR = """\
timezone: Asia/Vientiane
languages: [en, fr, es]
meetings:
  - {id: cc, name: "Coordination Committee", dates: 2026-06-04, venue: Geneva}
  - id: m1
    name: Meeting of States Parties
    dates: [2026-10-12, 2026-10-14]
    venue: Vientiane
    documents:
      - action-plan
      - political-declaration
      - {title: Annual report, words: 9000, category: secretariat}
documentation:
  rate_per_word: {fr: 0.25, es: 0.2}
  currency: EUR
"""


def configure(root: Path, extra: str, rounds: str | None = None) -> None:
    text = TINY_CONFIG
    if rounds is not None:
        text = text[: text.index("rounds:")] + rounds
    text += extra
    (root / "drafting.yaml").write_text(text, encoding="utf-8")
    ws = Workspace(root)
    with ws.git.transaction():
        ws.git.commit({"drafting.yaml": text.encode()}, "Calendar", identity(ws.config.presidency_delegation))


ROUNDS = """\
rounds:
  - {id: r1, document: action-plan, base: zero-draft, opens: 2026-07-01, deadline: "2026-07-15T18:00"}
  - {id: pd-r1, document: political-declaration, base: zero-draft, deadline: 2026-08-10}
"""


@pytest.fixture
def cal(tiny) -> Path:
    configure(tiny, CALENDAR, ROUNDS)
    return tiny


def at(monkeypatch, day: str) -> None:
    """Set the service's clock to noon UTC on ``day``."""
    moment = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    monkeypatch.setattr(clock, "now", lambda: moment)


def translate_all(root: Path, document: str, version: str, language: str, tmp_path: Path) -> None:
    from test_languages import fill_xliff

    pkg = tmp_path / f"{document}.{language}.xlf"
    T.export_package(Workspace(root), document, version, language, "xliff", pkg)
    T.import_package(Workspace(root), fill_xliff(pkg, tmp_path / f"{document}.{language}.done.xlf"), language)


# ------------------------------------------------------------------------------ pure


def test_pages_and_costs_round_halves_up():
    assert pages(1000, 330) == Decimal("3.0")
    assert pages(165, 330) == Decimal("0.5")
    assert pages(16, 330) == Decimal("0.0") and pages(17, 330) == Decimal("0.1")
    assert cost(1, Decimal("0.125")) == Decimal("0.13")  # not 0.12 (half to even)
    assert cost(42, None) is None
    assert long_span("2026-09-14", "2026-09-18") == "14–18 September 2026"
    assert long_span("2026-03-30", "2026-04-02") == "30 March – 2 April 2026"
    assert long_span("2026-12-30", "2027-01-02") == "30 December 2026 – 2 January 2027"
    assert long_span("2026-02-05") == "5 February 2026"


# ------------------------------------------------------------------------- the forecast


def test_forecast_figures_checked_by_hand(cal, tmp_path, monkeypatch):
    translate_all(cal, "action-plan", "zero-draft", "fr", tmp_path)  # French done, Spanish not started
    at(monkeypatch, "2026-07-20")
    fc = F.build(Workspace(cal)).to_json()
    assert (fc["today"], fc["currency"], fc["languages"]) == ("2026-07-20", "EUR", ["fr", "es"])
    (m,) = fc["meetings"]  # the Coordination Committee needs no documents: not in the forecast
    # due 10 weeks (70 days) before 12 October: 3 August, in 14 days
    assert (m["meeting"], m["due"], m["days_left"], m["held"]) == ("m1", "2026-08-03", 14, False)
    ap, pd, report = m["documents"]
    # the action plan: 3 + 15 + 10 + 2 + 12 = 42 words; 42 / 330 = 0.127 pages
    assert (ap["version"], ap["words"], ap["pages"], ap["word_limit"], ap["over_limit"]) == (
        "zero-draft",
        42,
        0.1,
        10700,
        0,
    )
    fr, es = ap["languages"]
    assert (fr["words_now"], fr["words_full"], fr["cost_now"], fr["cost_full"]) == (0, 42, 0, 10.5)
    assert (es["words_now"], es["words_full"], es["cost_now"], es["cost_full"]) == (42, 42, 8.4, 8.4)
    assert (ap["cost_now"], ap["cost_full"], ap["late"]) == (8.4, 18.9, False)
    # the declaration: 7 + 6 = 13 words, nothing translated: 13 x 0.25 + 13 x 0.20 = 5.85
    assert (pd["words"], pd["pages"], pd["cost_now"], pd["cost_full"]) == (13, 0.0, 5.85, 5.85)
    # its input round closes on 10 August, after the due date: the text cannot be final in time
    assert pd["late"] and pd["reasons"] == [
        "Deadline for inputs on the Test Declaration (zero-draft) is on 10 August 2026, after the due date "
        "(3 August 2026): the text cannot be final in time"
    ]
    # the secretariat's report: 9,000 words, 27.3 pages, 500 over the 8,500-word limit
    assert (report["words"], report["pages"], report["word_limit"], report["over_limit"]) == (9000, 27.3, 8500, 500)
    assert (report["estimated"], report["cost_now"], report["late"]) == (True, 4050, False)
    # totals: 42 + 13 + 9,000 words; 0.1 + 0.0 + 27.3 pages; 8.40 + 5.85 + 4,050.00
    assert (m["words"], m["pages"], m["cost_now"], m["cost_full"]) == (9055, 27.4, 4064.25, 4074.75)
    assert m["cost_now_by_language"] == {"fr": 2253.25, "es": 1811.0}
    assert m["late"] == ["Test Declaration"]
    assert (fc["cost_now"], fc["cost_full"]) == (4064.25, 4074.75)


def test_forecast_flags_a_document_past_its_due_date_with_words_to_translate(cal, monkeypatch):
    at(monkeypatch, "2026-08-05")
    (m,) = F.build(Workspace(cal)).to_json()["meetings"]
    ap = m["documents"][0]
    assert m["days_left"] == -2
    assert ap["late"] and ap["reasons"] == [
        "due on 3 August 2026 with words still to translate (42 into fr, 42 into es)"
    ]
    at(monkeypatch, "2026-10-12")  # the meeting has opened: nothing more is "late"
    (m,) = F.build(Workspace(cal)).to_json()["meetings"]
    assert m["held"] and not m["late"]


def test_a_new_calendar_source_is_one_line_and_reaches_the_forecast(cal, monkeypatch):
    """What the silence procedure will add: a deadline after which the text may still change."""
    at(monkeypatch, "2026-07-20")
    silence = Event(
        "silence-deadline",
        "silence/action-plan",
        "Silence procedure on the Test Action Plan ends",
        dt.date(2026, 8, 20),
        document="action-plan",
        settles_text=True,
    )
    monkeypatch.setattr(C, "EVENT_SOURCES", (*C.EVENT_SOURCES, lambda ws: [silence]))
    assert silence in C.events(Workspace(cal))
    ap = F.build(Workspace(cal)).to_json()["meetings"][0]["documents"][0]
    assert ap["late"] and ap["reasons"][0].startswith("Silence procedure on the Test Action Plan ends is on 20 August")


# -------------------------------------------------------------------------- the calendar


def test_calendar_lists_everything_dated_in_order_and_the_ics_reads_back(cal, tmp_path, monkeypatch, capsys):
    import icalendar

    at(monkeypatch, "2026-07-20")
    out = tmp_path / "conference.ics"
    assert main(["--workspace", str(cal), "calendar", "--json", "--ics", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == "2026-07-20" and data["timezone"] == "Asia/Vientiane"
    got = [(e["kind"], e["date"], e["end"], e["at"], e["past"]) for e in data["events"]]
    assert got == [
        ("meeting", "2026-06-04", None, None, True),
        ("round-opens", "2026-07-01", None, None, True),
        ("round-deadline", "2026-07-15", None, "2026-07-15T11:00:00Z", True),  # 18:00 in Vientiane
        ("documents-due", "2026-08-03", None, None, False),
        ("round-deadline", "2026-08-10", None, None, False),
        ("meeting", "2026-10-12", "2026-10-14", None, False),
    ]
    cal_ = icalendar.Calendar.from_ical(out.read_bytes())
    events = cal_.walk("VEVENT")
    assert len(events) == 6
    assert str(cal_["X-WR-CALNAME"]) == "Test Conference"
    by_uid = {str(e["UID"]).split("@")[0]: e for e in events}
    assert len(by_uid) == 6
    meeting = by_uid["meeting/m1"]
    assert str(meeting["SUMMARY"]) == "Meeting of States Parties (Vientiane)"
    assert meeting.decoded("DTSTART") == dt.date(2026, 10, 12)
    assert meeting.decoded("DTEND") == dt.date(2026, 10, 15)  # the day after the last (RFC 5545)
    timed = by_uid["round-deadline/r1"]
    assert timed.decoded("DTSTART") == dt.datetime(2026, 7, 15, 11, 0, tzinfo=dt.UTC)
    assert str(timed["TRANSP"]) == "TRANSPARENT"
    due = by_uid["documents-due/m1"]
    assert "Test Action Plan, Test Declaration, Annual report" in str(due["DESCRIPTION"])
    # the same calendar written again keeps its events' identities (a subscription updates them)
    assert main(["--workspace", str(cal), "calendar", "--ics", str(tmp_path / "again.ics")]) == 0
    again = icalendar.Calendar.from_ical((tmp_path / "again.ics").read_bytes()).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in again) == sorted(str(e["UID"]) for e in events)


def test_calendar_and_forecast_in_the_terminal_and_as_documents(cal, tmp_path, monkeypatch, capsys):
    at(monkeypatch, "2026-07-20")
    assert main(["--workspace", str(cal), "calendar"]) == 0
    text = capsys.readouterr().out
    assert "12–14 October 2026" in text and "15 July 2026, 18:00 (Asia/Vientiane)" in text
    assert main(["--workspace", str(cal), "forecast"]) == 0
    text = capsys.readouterr().out
    assert "documents due 3 August 2026 (in 14 days)" in text and "LATE:" in text and "EUR 4,074.75 now" in text
    for fmt in ("docx", "md"):
        out = tmp_path / f"forecast.{fmt}"
        assert main(["--workspace", str(cal), "forecast", "-o", str(out)]) == 0
        assert out.stat().st_size > 1000
    from drafting.formats import pandoc

    words = pandoc.run(["-f", "docx", "-t", "plain", "--wrap=none", str(tmp_path / "forecast.docx")]).decode()
    for needle in ("Meeting of States Parties", "Annual report", "over by 500", "EUR 4,074.75", "Late:"):
        assert needle in words, needle
    md = (tmp_path / "forecast.md").read_text("utf-8")
    assert "Test Declaration" in md and "will miss the deadline" in md


def test_no_meetings_no_languages_says_so(tiny):
    r = run_cli("--workspace", str(tiny), "forecast")
    assert r.returncode == 0 and "No meetings" in r.stdout
    r = run_cli("--workspace", str(tiny), "translate", "status")
    assert r.returncode == 0 and "No language to translate into" in r.stdout
    r = run_cli("--workspace", str(tiny), "calendar", "--json")
    assert r.returncode == 0 and [e["kind"] for e in json.loads(r.stdout)["events"]] == ["round-deadline"] * 2


# ------------------------------------------------------------------------ bad configuration


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("languages: [en, French]\n", "languages[1]: 'French' is not a language code"),
        ("languages: [en, fr, fr]\n", "languages[2]: fr is listed twice"),
        ("meetings:\n  - {id: m, name: M, dates: [2026-10-14, 2026-10-12]}\n", "the last day 2026-10-12 comes before"),
        ("meetings:\n  - {id: m, name: M, dates: next week}\n", "meetings[0].dates: should be a day"),
        ("meetings:\n  - {id: m, name: M, dates: 2026-10-12, documents: [rules]}\n", "unknown document 'rules'"),
        ("meetings:\n  - {id: m, name: M, dates: 2026-10-12, documents: [{title: Agenda}]}\n", "words: should be"),
        ("meetings:\n  - {id: m, name: M, dates: 2026-10-12, colour: red}\n", "unknown field colour"),
        ("languages: [en, fr]\ndocumentation: {rate_per_word: {de: 0.2}}\n", "'de' is not among the languages"),
        ("documentation: {rate_per_word: cheap}\n", "should be a rate per word"),
        ("documentation: {due_weeks: 0}\n", "due_weeks: should be a positive whole number"),
        ("documentation: {word_limits: {delegation: 100}}\n", "unknown field delegation"),
    ],
)
def test_bad_calendar_configuration_is_one_line_naming_the_file(tiny, extra, needle):
    (tiny / "drafting.yaml").write_text(TINY_CONFIG + extra, encoding="utf-8")
    state = tree_state(tiny)
    for args in (["calendar"], ["forecast", "--json"], ["translate", "status"]):
        r = run_cli("--workspace", str(tiny), *args)
        assert r.returncode == 2, r.stdout + r.stderr
        line = r.stderr.strip()
        assert "\n" not in line and line.startswith("drafting: drafting.yaml: ") and needle in line, line
    assert tree_state(tiny) == state
