"""The app in a real browser (Playwright driving Debian's Chromium, never a download).

``streamlit run app.py`` serves a copy of the bundled example in which Mexico's accepted
amendment carries ``<script>`` and ``<img onerror>`` (and Markdown); the test visits every
page as Mexico, checks the text shows literally, that nothing ran (``window.__xss`` stays
undefined, no dialog opened, no such element exists) and saves screenshots to
``test-artifacts/``. A second server on a clean copy gives the README's screenshots
(``docs/screenshots/``, written when missing or with ``UPDATE_SCREENSHOTS=1``).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import served
from conftest import ROOT
from served import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

ARTIFACTS = ROOT / "test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")

#: page title in the sidebar -> file name for screenshots
PAGES = [
    ("Draft", "draft"),
    ("Compare", "compare"),
    ("What's new", "news"),
    ("Submit", "submit"),
    ("My inputs", "my-inputs"),
    ("Review", "review"),
    ("Compilation & dashboard", "dashboard"),
    ("History", "history"),
]


# ------------------------------------------------------------------------------ servers


def serve(workspace: Path, log: Path):
    """The app on ``workspace`` in demo mode (``served.serve``)."""
    return served.serve(workspace, cwd=ROOT, mode="demo", log=log)


def _hostile_copy(src: Path, dst: Path) -> Path:
    from test_app import _hostile

    shutil.copytree(src, dst, symlinks=True)
    _hostile(dst)
    return dst


def _clean_copy(src: Path, dst: Path) -> Path:
    from drafting.service.versions import compose
    from drafting.store.workspace import Workspace

    shutil.copytree(src, dst, symlinks=True)
    compose(Workspace(dst), "action-plan", "zero-draft", "rev1", allow_open=True)
    return dst


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


# ------------------------------------------------------------------------------ helpers


def settle(page, timeout: float = 30) -> None:
    """Wait until Streamlit has finished running the script and drawn the page."""
    page.wait_for_selector(".dr-header", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        quiet = quiet + 1 if not running else 0
        if quiet >= 4:
            break
        time.sleep(0.15)
    time.sleep(0.3)


def open_page(page, title: str) -> None:
    """A page of the sidebar by its title ("What's new" also when it shows a count)."""
    import re

    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text(re.compile(rf"^{re.escape(title)}( \(\d+\))?$")).click()
    page.wait_for_function("t => document.title.startsWith(t)", arg=title, timeout=30000)
    settle(page)


def choose(page, label: str, option_text: str) -> None:
    """Pick an option of a (searchable) Streamlit selectbox by its label."""
    box = page.get_by_role("combobox", name=label).first
    box.click()
    box.fill(option_text)
    page.get_by_role("option").filter(has_text=option_text).first.click()
    if page.get_by_role("listbox").count():  # a multiselect stays open: close it
        page.keyboard.press("Escape")
    settle(page)


def shot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def small_png(src: Path, dst: Path) -> None:
    """A README copy of a screenshot: 256 colours, a fraction of the size."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(src, dst)
        return
    with Image.open(src) as im:
        im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(dst, optimize=True)


# -------------------------------------------------------------------------------- tests


def test_every_page_shows_hostile_text_literally_and_runs_nothing(browser, example_master, tmp_path):
    ws = _hostile_copy(example_master, tmp_path / "hostile")
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(ws, ARTIFACTS / "streamlit-hostile.log") as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        settle(page)
        assert page.locator(".dr-demo").inner_text().startswith("Demo: anyone may act as any delegation")
        choose(page, "Acting as", "MEX")
        assert "acting as Mexico (State Party)" in page.locator(".dr-demo").inner_text()

        seen = {}
        for title, name in PAGES:
            open_page(page, title)
            if name == "my-inputs":  # show the hostile proposal in detail
                choose(page, "Proposal", "MEX-9")
            shot(page, ARTIFACTS / f"browser-{name}.png")
            html = page.content()
            seen[name] = page.locator("body").inner_text()
            assert page.evaluate("typeof window.__xss") == "undefined", name
            assert "<script>window.__xss" not in html, name
            assert page.locator('img[src="x"]').count() == 0, name
            assert page.locator('a[href^="javascript:"]').count() == 0, name
            assert page.locator("iframe").count() == 0, name
        assert not dialogs, dialogs
        literal = "<script>window.__xss=1</script>"
        for name in ("draft", "compare", "review", "my-inputs"):
            assert literal in seen[name], name
        assert '<img src=x onerror="window.__xss=2">' in seen["draft"]
        assert "[click me](javascript:alert(1))" in seen["draft"]
        context.close()


def _edited_docx(
    ws: Path, out: Path, version: str = "zero-draft", edit: tuple[bytes, bytes] = (b"appropriate", b"political")
) -> Path:
    """The circulated version exported to Word, then edited clean (one word changed)."""
    import zipfile

    from drafting.service.exports import export_version
    from drafting.store.workspace import Workspace

    exported = export_version(Workspace(ws), "action-plan", version, "docx", out.with_name(f"{version}.docx"))
    with zipfile.ZipFile(exported) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"highest " + edit[0] + b" level", b"highest " + edit[1] + b" level", 1)
            dst.writestr(item, data)
    return out


def test_readme_screenshots_and_a_word_upload(browser, example_master, tmp_path):
    ws = _clean_copy(example_master, tmp_path / "clean")
    docx = _edited_docx(ws, tmp_path / "belgium.docx", "rev1", (b"political", b"possible political"))
    broken = tmp_path / "Délégation belge (brouillon).docx"
    broken.write_bytes(b"not a Word file")
    with serve(ws, ARTIFACTS / "streamlit-clean.log") as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(url)
        settle(page)
        taken = {}
        choose(page, "Section", "Victim assistance")
        page.locator('.dr-doc [data-pid="va-2a"]').click()  # a click selects a paragraph
        page.wait_for_url("**p=va-2a**", timeout=30000)
        settle(page)
        shot(page, taken.setdefault("draft", ARTIFACTS / "readme-draft.png"))

        open_page(page, "Compare")
        shot(page, taken.setdefault("compare", ARTIFACTS / "readme-compare.png"))
        open_page(page, "Review")
        page.get_by_text("Only paragraphs with conflicts").click()
        settle(page)
        page.locator(".dr-conflict").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        time.sleep(0.5)

        shot(page, taken.setdefault("review", ARTIFACTS / "readme-review.png"))
        open_page(page, "Compilation & dashboard")
        page.get_by_text("Dashboard", exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
        time.sleep(1.5)  # the charts draw
        shot(page, taken.setdefault("dashboard", ARTIFACTS / "readme-dashboard.png"))

        # the Presidency opens inputs on Revision 1 (the zero draft's round is over), and
        # Belgium sends its edited Word copy of Revision 1: preview first, then the ids
        from drafting.service.rounds import open_round
        from drafting.store.workspace import Workspace

        open_round(Workspace(ws), "action-plan", "rev1", "2031-01-31")
        choose(page, "Acting as", "BEL")
        open_page(page, "Submit")
        page.get_by_text("Upload a Word file").click()
        settle(page)
        # a file that is not a Word document: refused, named as the delegate named it
        page.locator('input[type="file"]').set_input_files(str(broken))
        page.get_by_text(f"{broken.name}: is not a Word document").wait_for(timeout=30000)
        assert "drafting-upload" not in page.content() and "/tmp/" not in page.inner_text("body")
        page.locator('input[type="file"]').set_input_files(str(docx))
        page.get_by_text("What the file proposes: 1").wait_for(timeout=30000)
        settle(page)
        shot(page, ARTIFACTS / "browser-word-preview.png")
        assert "possible" in page.locator(".dr-card ins").first.inner_text()
        page.get_by_role("button", name="Send the proposal of this file").click()
        page.get_by_text("BEL-1").first.wait_for(timeout=30000)
        settle(page)
        shot(page, ARTIFACTS / "browser-word-sent.png")
        context.close()
    from drafting.store.workspace import Workspace

    sent = [p for p in Workspace(ws).proposals("action-plan", "rev1-inputs") if p.delegation == "BEL"]
    assert [(p.id, p.op, p.paragraph) for p in sent] == [("BEL-1", "amend", "uni-1")]
    for name, src in taken.items():
        assert src.stat().st_size > 10_000
        dst = SCREENSHOTS / f"{name}.png"
        if os.environ.get("UPDATE_SCREENSHOTS") or not dst.exists():
            small_png(src, dst)


def test_links_clicks_and_news_after_a_decision(browser, example_master, tmp_path):
    """Every deep link opens the app at its place; a click selects a paragraph and 'copy
    link' copies its address; after the Presidency decides on Mexico's proposal, Mexico's
    What's new says so. No developer toolbar, no Deploy button; titles name the conference."""
    ws = _clean_copy(example_master, tmp_path / "links")
    conference = "Third Review Conference of the Convention on Cluster Munitions"
    with serve(ws, ARTIFACTS / "streamlit-links.log") as url:
        context = browser.new_context(viewport=VIEWPORT)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        page = context.new_page()
        # the root opens the Draft at /draft; old and new links alike
        page.goto(url + "/")
        settle(page)
        page.wait_for_url("**/draft?doc=action-plan&v=rev1", timeout=30000)
        assert page.title() == f"Draft · {conference}"
        assert page.get_by_role("button", name="Deploy").count() == 0
        assert page.locator('link[rel="shortcut icon"], link[rel="icon"]').first.get_attribute("href")
        deep = {
            "/draft?doc=action-plan&v=zero-draft&p=clr-2": ("Draft", "Action 11"),
            "/draft?doc=political-declaration&v=zero-draft": ("Draft", "Vientiane Declaration"),
            "/compare?doc=action-plan&from=zero-draft&to=rev1": ("Compare", "Zero draft → Revision 1"),
            "/review?doc=action-plan&round=zero-draft-inputs&proposal=MEX-4": ("Review", "Action 19 —"),
            "/my-inputs?doc=action-plan&proposal=MEX-4": ("My inputs", "My inputs"),
            "/submit?doc=action-plan&round=zero-draft-inputs&p=clr-3": ("Submit", "Action 12 —"),
            "/dashboard?doc=action-plan&round=zero-draft-inputs": (
                "Compilation & dashboard",
                "Inputs on the zero draft",
            ),
            "/history?doc=action-plan": ("History", "Revision 1 composed"),
            "/news": ("What's new", "What's new"),
            "/languages?doc=action-plan": ("Languages & documents", "Languages & documents"),
        }
        for path, (title, seen) in deep.items():
            page.goto(url + path)
            settle(page)
            assert page.title().startswith(f"{title} · "), (path, page.title())
            assert "Page not found" not in page.locator("body").inner_text(), path
            shows = (
                "s => (document.body.innerText + ' ' + [...document.querySelectorAll('input')].map(e => e.value)"
                ".join(' ')).includes(s)"
            )
            page.wait_for_function(shows, arg=seen, timeout=30000)  # the place the link names

            shot(page, ARTIFACTS / f"link-{path.strip('/').split('?')[0] or 'root'}.png")
        # the linked paragraph is marked and in view
        page.goto(url + "/draft?doc=action-plan&v=zero-draft&p=va-3")
        settle(page)
        assert page.locator('.dr-doc [data-pid="va-3"]').is_visible()
        assert page.locator('.dr-doc [data-pid="va-3"]').evaluate("e => getComputedStyle(e).boxShadow") != "none"
        # a click selects a paragraph (no dropdown), and its address follows
        page.locator('.dr-doc [data-pid="uni-1"] .dr-text').click()
        page.wait_for_url("**p=uni-1**", timeout=30000)
        settle(page)
        assert page.locator("h1, h2, h3, p, strong").filter(has_text="Action 1").count()
        assert "draft?doc=action-plan&v=zero-draft&p=uni-1" in page.locator("code").first.inner_text()
        # "copy link" next to a paragraph copies its full address
        para = page.locator('.dr-doc [data-pid="clr-2"]')
        para.hover()
        para.locator("a.dr-copy").click()
        page.wait_for_selector("a.dr-copy.dr-copied", timeout=10000)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == f"{url}/draft?doc=action-plan&v=zero-draft&p=clr-2"
        assert "p=uni-1" in page.url  # copying is not navigating

        # Mexico looks, and reads everything; the Presidency decides on MEX-4; Mexico is told
        choose(page, "Acting as", "MEX")
        open_page(page, "What's new")
        page.get_by_role("button", name="Mark all as read").click()
        settle(page)
        assert "Nothing new for Mexico" in page.locator("body").inner_text()
        choose(page, "Acting as", "LAO")
        open_page(page, "Review")
        choose(page, "Paragraph", "Action 19")
        card = (
            page.locator('[data-testid="stVerticalBlock"]')
            .filter(has=page.locator(".dr-card-id", has_text="MEX-4"))
            .last
        )
        choose_in(card, "Decision", "Not retained")
        card.get_by_label("Note (optional)").fill("Outside the scope of the Action Plan.")
        card.get_by_label("Note (optional)").press("Enter")
        settle(page)
        card = (
            page.locator('[data-testid="stVerticalBlock"]')
            .filter(has=page.locator(".dr-card-id", has_text="MEX-4"))
            .last
        )
        card.get_by_role("button", name="Record the decision").click()
        page.get_by_text("Decision recorded").wait_for(timeout=30000)
        settle(page)
        choose(page, "Acting as", "MEX")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Since your last visit: 1 decision on your proposals" in sidebar
        open_page(page, "What's new")
        text = page.locator("body").inner_text()
        assert "Your proposal MEX-4 (amendment to Action 19) was not retained." in text
        assert "Outside the scope of the Action Plan." in text
        shot(page, ARTIFACTS / "browser-news.png")
        # "Open" goes to the proposal, in the same session (still acting as Mexico)
        page.get_by_role("link", name="Open").first.click()
        settle(page)
        assert "proposal=MEX-4" in page.url and "acting as Mexico" in page.locator(".dr-demo").inner_text()
        context.close()


def choose_in(scope, label: str, option_text: str) -> None:
    """Pick an option of a selectbox inside ``scope`` (one card of several)."""
    box = scope.get_by_role("combobox", name=label).first
    box.click()
    box.fill(option_text)
    scope.page.get_by_role("option").filter(has_text=option_text).first.click()
    settle(scope.page)
