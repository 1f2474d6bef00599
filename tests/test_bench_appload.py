"""The app's load run (``bench.appload``) works end to end: a real server, sessions
over Streamlit's websocket protocol, the server's own timings recorded per rerun. Its
figures are the benchmark's business (make bench), not asserted here."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_the_load_run_drives_sessions_and_records_the_servers_time(tmp_path):
    from bench import appload

    out = tmp_path / "load.json"
    assert appload.main(["--users", "2", "--switches", "3", "--think", "0,0.2", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    (level,) = data["levels"]
    assert level["users"] == 2 and level["reruns"] == 2 * (1 + 3) and level["failed"] == 0
    assert level["switch_script_wall"]["n"] == 2 * 3  # the server's own lines, first pages apart
    assert level["first_page_script_wall"]["n"] == 2
    assert set(data["cold_pages"]) == set(appload.PAGES)  # the warm-up visited every page
    assert level["server_peak_rss_mb"] > 50 and level["server_cpu_s"] > 0
