"""model/when.py: WHEN as users type it, in the conference's time zone; UN-style dates."""

import datetime as dt

import pytest

from drafting.model.errors import DraftingError
from drafting.model.when import as_date, iso, long_date, long_moment, parse_when, zone


def test_a_date_alone_is_the_end_of_that_day_in_the_conference_time_zone():
    m = parse_when("2026-07-15", "Asia/Vientiane")
    assert iso(m) == "2026-07-15T16:59:59Z"  # UTC+7
    assert iso(parse_when(dt.date(2026, 7, 15))) == "2026-07-15T23:59:59Z"


def test_a_date_time_without_offset_is_local_and_with_offset_as_written():
    assert iso(parse_when("2026-07-15T18:00", "Asia/Vientiane")) == "2026-07-15T11:00:00Z"
    assert iso(parse_when("2026-07-15T18:00Z", "Asia/Vientiane")) == "2026-07-15T18:00:00Z"
    assert iso(parse_when("2026-07-15T18:00:00+02:00")) == "2026-07-15T16:00:00Z"


@pytest.mark.parametrize("bad", ["15/07/2026", "tomorrow", "2026-13-01", 42, None])
def test_what_is_not_a_moment_is_refused_in_one_line(bad):
    with pytest.raises(DraftingError) as e:
        parse_when(bad, "UTC", what="deadline")
    assert "is not a deadline" in e.value.line and "\n" not in e.value.line


def test_unknown_time_zone_is_refused():
    with pytest.raises(DraftingError, match="not a time zone"):
        zone("Mars/Olympus")


def test_dates_as_un_documents_write_them():
    assert long_date("2026-12-01") == "1 December 2026"
    assert long_date(dt.date(2026, 9, 18)) == "18 September 2026"
    assert long_date("2026-07-15T20:00:00Z", "Asia/Vientiane") == "16 July 2026"
    assert as_date("2026-07-15T20:00:00Z") == dt.date(2026, 7, 15)
    assert long_moment(parse_when("2026-07-15T18:00", "Asia/Vientiane"), "Asia/Vientiane") == (
        "15 July 2026, 18:00 (Asia/Vientiane)"
    )


def test_the_workspace_time_zone_is_validated():
    from drafting.model.errors import ValidationError
    from drafting.model.validate import parse_config

    base = {
        "conference": "C",
        "presidency": "LAO",
        "documents": {"ap": {"title": "AP"}},
        "delegations": [{"code": "LAO", "name": "Lao PDR", "role": "presidency"}],
    }
    assert parse_config(base).timezone == "UTC"
    assert parse_config({**base, "timezone": "Asia/Vientiane"}).timezone == "Asia/Vientiane"
    with pytest.raises(ValidationError, match="timezone"):
        parse_config({**base, "timezone": "Mars/Olympus"})
