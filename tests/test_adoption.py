"""From the zero draft to an adopted version (tests/adoption.py builds the negotiation):
one numbering in every view and document, UN document conventions, paragraph status, two
silence procedures (one broken, one not), the history in words, and the adopted version
as DOCX (read back by LibreOffice), as PDF, and in the app in a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from adoption import build
from conftest import run_cli

pytestmark = pytest.mark.xdist_group("adoption")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def negotiation(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("negotiation") / "ws")


@pytest.fixture
def ws(negotiation):
    from drafting.store.workspace import Workspace

    return Workspace(negotiation)


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


# ------------------------------------------------------------------------------ numbering


def test_each_revision_keeps_its_base_numbers_until_renumbered(ws):
    from drafting.service.versions import numbers

    assert numbers(ws, "action-plan", "zero-draft") == {"clr-1": "Action 1", "clr-2": "Action 2", "va-1": "Action 3"}
    # Action 2 deleted keeps its number: va-1 stays Action 3; the new action is 1 bis
    assert numbers(ws, "action-plan", "rev1") == {"clr-1": "Action 1", "clr-1a": "Action 1 bis", "va-1": "Action 3"}
    # inserted between Action 1 and Action 1 bis
    assert numbers(ws, "action-plan", "rev2") == {
        "clr-1": "Action 1",
        "clr-1b": "Action 1 A",
        "clr-1a": "Action 1 bis",
        "va-1": "Action 3",
    }
    v3 = ws.version("action-plan", "rev3")
    assert v3.renumbered
    assert numbers(ws, "action-plan", "rev3") == {
        "clr-1": "Action 1",
        "clr-1b": "Action 2",
        "clr-1a": "Action 3",
        "va-1": "Action 4",
    }


def test_compare_review_compilation_and_outcomes_use_the_one_numbering(ws):
    from drafting.formats import diffview
    from drafting.service import app_queries, exports, versions

    labels = versions.diff_number_labels(ws, "action-plan", "zero-draft", "rev2")
    assert labels == {
        "clr-1": "Action 1",
        "clr-2": "Action 2",  # deleted: keeps its number, no other paragraph has it
        "clr-1b": "Action 1 A",
        "clr-1a": "Action 1 bis",
        "va-1": "Action 3",
    }
    html = diffview.to_html(versions.diff(ws, "action-plan", "zero-draft", "rev2"), title="Rev.2", numbers=labels)
    assert html.count(">Action 2<") == 1
    across = versions.diff_number_labels(ws, "action-plan", "rev2", "rev3")
    assert across["clr-1b"] == "Action 2 (was Action 1 A)" and across["va-1"] == "Action 4 (was Action 3)"

    review = app_queries.review(ws, "action-plan", "r2")
    assert {g["paragraph"]: g["number"] for g in review["groups"]} == {"clr-1": "Action 1", "va-1": "Action 3"}
    rows = exports.compilation_rows(ws, "action-plan", "r2")
    assert [r.number for r in rows if r.number] == ["Action 1", "Action 1 bis", "Action 3"]
    where = {o["id"]: o["where"] for o in app_queries.outcomes(ws, "action-plan", "MEX")}
    assert where["MEX-2"] == "accepted into Revision 1 (Action 1 bis)"
    assert where["MEX-3"] == "accepted into Revision 2 (Action 1 A)"
    assert where["MEX-4"] == "accepted into Revision 3 (Action 2)"


def test_tracked_documents_strike_deleted_numbers_and_track_renumbering(ws, tmp_path):
    from drafting.service.exports import export_tracked, export_version

    out = export_tracked(ws, "action-plan", "rev2", "zero-draft", "docx", tmp_path / "t.docx")
    xml = docx_text(out)
    deleted = re.findall(r"<w:del\b.*?</w:del>", xml, re.S)
    assert any("Action 2" in d for d in deleted)  # the deleted action's number, struck through
    inserted = "".join(re.findall(r"<w:ins\b.*?</w:ins>", xml, re.S))
    assert "Action 1 A." in inserted and "Action 1 bis" in inserted
    shown = re.sub(r"<w:del\b.*?</w:del>", "", xml, flags=re.S)
    assert len(re.findall(r">Action 2<", shown)) == 0  # no second "Action 2" on the page

    renumbered = docx_text(export_tracked(ws, "action-plan", "rev3", "rev2", "docx", tmp_path / "r.docx"))
    pairs = re.findall(
        r'<w:del w:id="\d+" w:author="([^"]+)".*?<w:delText[^>]*>(Action [^<]+)</w:delText>', renumbered, re.S
    )
    assert ("Lao People&#39;s Democratic Republic", "Action 1 A.") in pairs or (
        "Lao People's Democratic Republic",
        "Action 1 A.",
    ) in pairs
    # the same in HTML (formats.diffview, as `drafting diff` and the Compare page show it)
    html = export_tracked(ws, "action-plan", "rev2", "zero-draft", "html", tmp_path / "t.html").read_text("utf-8")
    assert re.search(r'<span class="dd-num"><del title="Deleted: [^"]+">Action 2</del></span>', html)
    assert re.search(r'<span class="dd-num"><ins title="Inserted: [^"]+">Action 1 bis</ins></span>', html)
    assert html.count(">Action 2<") == 1
    html = export_tracked(ws, "action-plan", "rev3", "rev2", "html", tmp_path / "r.html").read_text("utf-8")
    by = r"Lao People&#x27;s Democratic Republic \(\d+ \w+ 2026\)"
    assert re.search(f'<del title="Deleted: {by}">Action 1 A</del><ins title="Inserted: {by}">Action 2</ins>', html)
    clean = export_version(ws, "action-plan", "rev2", "md", tmp_path / "rev2.md").read_text(encoding="utf-8")
    assert "Action 1 A." in clean and "Action 1 bis" in clean and "Action 2" not in clean


# ---------------------------------------------------------------------- document conventions


def test_heading_block_by_un_conventions(ws, tmp_path):
    from drafting.service.exports import doc_meta, export_version

    meta = doc_meta(ws, "action-plan", ws.version("action-plan", "rev2"))
    assert (meta.symbol, meta.distribution, meta.date, meta.original) == (
        "CCM/CONF/2026/PM.1/Rev.2",
        "Distr.: General",
        "30 August 2026",
        "Original: English",
    )
    assert meta.submitted_by == "Submitted by the President" and meta.adopted is None
    assert doc_meta(ws, "action-plan", ws.version("action-plan", "zero-draft")).symbol == "CCM/CONF/2026/PM.1"
    docx = export_version(ws, "action-plan", "rev1", "docx", tmp_path / "rev1.docx")
    header = "".join(
        docx_text(docx, n) for n in zipfile.ZipFile(docx).namelist() if re.fullmatch(r"word/header\d*\.xml", n)
    )
    assert "CCM/CONF/2026/PM.1/Rev.1" in header
    body = docx_text(docx)
    for line in ("CCM/CONF/2026/PM.1/Rev.1", "Distr.: General", "30 July 2026", "Original: English"):
        assert line in body
    assert "2026-07-30" not in body


def test_revision_symbols_are_configurable_per_document():
    from drafting.model.conventions import revision_symbol_problem, version_symbol
    from drafting.model.records import DocumentInfo, Version

    chain = [Version("d", f"v{i}", ()) for i in range(3)]
    info = DocumentInfo("d", "Declaration", "CCM/CONF/2026/PM.2")
    assert version_symbol(info, chain) == "CCM/CONF/2026/PM.2/Rev.2"
    same = DocumentInfo("d", "Declaration", "CCM/CONF/2026/PM.2", revision_symbol="{symbol}")
    assert version_symbol(same, chain) == "CCM/CONF/2026/PM.2"
    assert version_symbol(info, [*chain[:2], Version("d", "v2", (), symbol="CCM/CONF/2026/L.1")]) == "CCM/CONF/2026/L.1"
    assert version_symbol(DocumentInfo("d", "No symbol"), chain) is None
    assert "only {symbol} and {n}" in revision_symbol_problem("{symbol}/Rev.{rev}")
    assert "should contain {symbol}" in revision_symbol_problem("Rev.{n}")


def test_comments_never_in_the_body_unless_asked(negotiation, ws, tmp_path):
    from drafting.service.exports import export_tracked, export_version

    html = tmp_path / "t.html"
    r = run_cli(
        "-w",
        str(negotiation),
        "export",
        "action-plan",
        "rev1",
        "--changes-since",
        "zero-draft",
        "-f",
        "html",
        "-o",
        str(html),
    )
    assert r.returncode == 0, r.stderr
    assert "Comment by" not in html.read_text(encoding="utf-8")
    text = export_tracked(ws, "action-plan", "rev1", "zero-draft", "html", html, comments="open").read_text("utf-8")
    assert "Comment by" in text and "(12 July 2026)" in text
    docx = export_tracked(ws, "action-plan", "rev1", "zero-draft", "docx", tmp_path / "t.docx")  # Word comments
    assert "Survivors" in docx_text(docx, "word/comments.xml") and "Comment by" not in docx_text(docx)
    # a clean version: none by default; the comments of the rounds on it when asked
    assert "Survivors" not in export_version(ws, "action-plan", "zero-draft", "html", html).read_text("utf-8")
    text = export_version(ws, "action-plan", "zero-draft", "html", html, comments="all").read_text("utf-8")
    assert "Survivors" in text
    r = run_cli(
        "-w",
        str(negotiation),
        "export",
        "action-plan",
        "rev2",
        "-f",
        "pdf",
        "-o",
        str(tmp_path / "x.pdf"),
        "--comments",
        "maybe",
    )
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_ad_ref_marks_in_read_only_formats(ws, tmp_path):
    from drafting.model.errors import DraftingError
    from drafting.service.exports import export_version

    md = export_version(ws, "action-plan", "rev2", "md", tmp_path / "m.md", mark_ad_ref=True).read_text(
        encoding="utf-8"
    )
    line = next(x for x in md.splitlines() if "survivors participate" in x)
    assert line.index("*(ad ref)*") > line.index("decisions that affect them.")
    with pytest.raises(DraftingError, match="PDF, HTML and Markdown only"):
        export_version(ws, "action-plan", "rev2", "docx", tmp_path / "m.docx", mark_ad_ref=True)


# --------------------------------------------------------------------------- status, silence


def test_paragraph_statuses_and_the_board(ws):
    from drafting.service.conference import list_statuses, status_timeline

    rev2 = list_statuses(ws, "action-plan", "rev2")
    got = {r["number"]: (r["status"], (r["recorded"] or {}).get("note")) for r in rev2["paragraphs"]}
    assert got == {
        "Action 1": ("agreed", "agreed in the Committee of the Whole"),
        "Action 1 A": ("open", None),
        "Action 1 bis": ("open", "reopened at the request of Austria"),
        "Action 3": ("ad-referendum", None),
    }
    rev3 = list_statuses(ws, "action-plan", "rev3")
    # Action 1 A's text changed in Revision 3 (Mexico's text after the broken silence)
    assert [(b["section"], b["agreed"], b["ad-referendum"], b["open"]) for b in rev3["board"]] == [
        ("Survey and clearance", 1, 0, 2),
        ("Victim assistance", 0, 1, 0),
        (None, 1, 1, 2),
    ]
    rev1 = list_statuses(ws, "action-plan", "rev1")
    assert {r["number"]: r["status"] for r in rev1["paragraphs"]}["Action 3"] == "bracketed"
    timeline = status_timeline(ws, "action-plan")
    events = [t["event"] for t in timeline]
    assert events[:4] == ["Zero draft circulated", "Revision 1 circulated", "Revision 2 circulated", "Action 1 agreed"]
    assert "Action 1 bis reopened" in events
    assert timeline[1]["bracketed"] == 1 and timeline[3]["agreed"] == 1


def test_two_silence_procedures_one_broken_one_adopted(ws):
    from drafting.service.conference import adoptions, silence_status

    data = silence_status(ws, "action-plan")
    first, second = data["procedures"]
    assert (first["version"], first["state"], first["adopted"]) == ("rev2", "broken", None)
    (brk,) = first["breaks"]
    assert brk["name"] == "Mexico" and brk["statement"].startswith("Mexico cannot join consensus")
    assert brk["proposals"] == [
        {
            "paragraph": "clr-1b",
            "number": "Action 1 A",
            "text": "States Parties will share survey data with all affected States.",
        }
    ]
    assert first["deadline"] == "14 September 2026, 23:59 (Asia/Vientiane)"
    assert (second["version"], second["state"], second["adopted_on"]) == ("rev3", "adopted", "18 September 2026")
    assert data["current"]["id"] == second["id"]
    assert adoptions(ws, "action-plan") == {"rev3": "2026-09-18"}
    # the text proposed when breaking silence became Mexico's proposal in round r3
    (carried,) = ws.proposals("action-plan", "r3")
    assert (carried.delegation, carried.paragraph, carried.op) == ("MEX", "clr-1b", "amend")
    assert "breaking silence" in (carried.rationale or "")


def test_the_history_in_words(negotiation):
    r = run_cli("-w", str(negotiation), "log", "action-plan")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    for expected in (
        "Zero draft circulated, 30 June",
        "Mexico submitted 2 proposals on the zero draft, 8 July",
        "Round r2 opened on Revision 1, 31 July",
        "Revision 1 composed",
        "Action 1 agreed, 1 September",
        "Action 3 agreed ad referendum, 2 September",
        "Action 1 bis reopened, 4 September",
        "Silence broken by Mexico, 12 September",
        "Silence procedure on Revision 2 closed: silence was broken, 15 September",
        "Revision 3 composed and renumbered",
        "Revision 3 adopted (silence procedure closed, unbroken), 19 September",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert not re.search(r"\b[0-9a-f]{10,}\b", r.stdout)  # no commit ids
    data = json.loads(run_cli("-w", str(negotiation), "log", "--json").stdout)
    assert all(e["sentence"] for e in data)


def test_the_whole_history_passes_check(negotiation):
    commits = subprocess.run(
        ["git", "rev-list", "--reverse", "HEAD"], cwd=negotiation, capture_output=True, text=True
    ).stdout.split()
    # from the commit that set up the conference (roles are judged as they were there)
    r = run_cli("-w", str(negotiation), "check", f"{commits[1]}..HEAD")
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- the adopted version, read


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_adopted_version_as_docx_in_libreoffice_and_as_pdf(negotiation, tmp_path):
    docx, pdf = tmp_path / "rev3.docx", tmp_path / "rev3.pdf"
    for out, fmt in ((docx, "docx"), (pdf, "pdf")):
        r = run_cli("-w", str(negotiation), "export", "action-plan", "rev3", "-f", fmt, "-o", str(out))
        assert r.returncode == 0, r.stderr
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path / "lo"),
            str(docx),
        ],
        capture_output=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    seen_by_libreoffice = (tmp_path / "lo" / "rev3.txt").read_text(encoding="utf-8-sig")
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for text in (seen_by_libreoffice, pdf_text):
        lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()]
        for expected in (
            "CCM/CONF/2026/PM.1/Rev.3",
            "Distr.: General",
            "15 September 2026",
            "Original: English",
            "Submitted by the President",
            "Adopted on 18 September 2026",
        ):
            assert any(expected in x for x in lines), (expected, lines[:12])
        flat = " ".join(lines)
        for n in range(1, 5):
            assert f"Action {n}" in flat
        assert "bis" not in flat and "Action 1 A" not in flat and "2026-09" not in flat


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("browser")  # one browser test at a time on two cores
def test_the_app_shows_status_silence_and_adoption_in_a_real_browser(negotiation, tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is not installed (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
    from test_browser import ARGS, ARTIFACTS, CHROMIUM, VIEWPORT, choose, open_page, serve, settle, shot

    copy = tmp_path / "ws"
    shutil.copytree(negotiation, copy, symlinks=True)
    with sync_api.sync_playwright() as p, serve(copy, ARTIFACTS / "streamlit-adoption.log") as url:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(url)
        settle(page)
        page.wait_for_selector(".dr-para", timeout=30000)
        body = page.locator("body").inner_text()
        assert "Adopted on 18 September 2026" in body  # the latest version, Revision 3
        assert "CCM/CONF/2026/PM.1/Rev.3" in body and "15 September 2026" in body
        assert "Status board: 1 agreed, 1 ad ref, 0 bracketed, 2 open of 4 paragraphs" in body
        badges = page.locator(".dr-b-st-agreed").all_inner_texts()
        assert badges == ["agreed"]
        page.get_by_text("Status board:").click()
        page.wait_for_selector(".dr-timeline")
        assert "Survey and clearance" in page.locator(".dr-board").first.inner_text()
        over_time = page.locator(".dr-timeline").inner_text()
        assert "Action 1 bis reopened" in over_time and "Action 1 agreed" in over_time
        shot(page, ARTIFACTS / "browser-status-board.png")

        choose(page, "Version", "Revision 2")
        page.wait_for_selector("#p-clr-1b", timeout=30000)
        body = page.locator("body").inner_text()
        assert "Action 1 A" in body and "Action 1 bis" in body and "agreed ad referendum" in body

        open_page(page, "Silence procedure")
        text = page.locator("body").inner_text()
        assert "Silence procedure on Revision 3" in text and "Adopted on 18 September 2026" in text
        assert "Mexico broke silence on 12 September 2026" in text
        assert "Mexico cannot join consensus on Action 1 A as drafted." in text
        assert "Proposes for Action 1 A" in text
        shot(page, ARTIFACTS / "browser-silence.png")

        open_page(page, "History")
        story = page.locator(".dr-story").inner_text()
        assert "Silence broken by Mexico, 12 September" in story
        assert "Revision 3 adopted (silence procedure closed, unbroken), 19 September" in story
        browser.close()


def test_a_circulated_revision_read_back_brings_no_change_from_its_numbers(ws, tmp_path):
    """Rev.2 as Word ("Action 1 A.", "Action 1 bis") submitted back unchanged proposes
    nothing: the reader strips the numbers the one numbering gives, and only those."""
    from drafting.formats.reader import proposals_from_document
    from drafting.service.exports import export_version

    rev2 = ws.version("action-plan", "rev2")
    docx = export_version(ws, "action-plan", "rev2", "docx", tmp_path / "rev2.docx")
    assert "Action 1 A." in docx_text(docx)
    understood = proposals_from_document(docx, rev2, limits=ws.config.limits)
    assert not understood.proposals
