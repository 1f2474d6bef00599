"""Languages & documents and the Draft page's translation beside the text in a real browser
(Playwright driving Debian's Chromium), on the bundled example with Rev.1 composed."""

from __future__ import annotations

import os

import pytest

from test_browser import ARTIFACTS, SCREENSHOTS, VIEWPORT, browser, choose, open_page, serve, settle, shot, small_png  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_languages_page_and_the_translation_beside_the_draft(browser, rev1):  # noqa: F811  (the fixture, imported)
    from drafting.service import translations as T
    from drafting.store.workspace import Workspace

    st = T.state(Workspace(rev1), "action-plan", "rev1", "fr")
    with serve(rev1, ARTIFACTS / "streamlit-languages.log") as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        settle(page)
        open_page(page, "Languages & documents")
        choose(page, "Version", "Revision 1")
        choose(page, "Language", "French")
        body = page.locator("body").inner_text()
        assert f"{st.tally('stale').paragraphs} changed since their translation" in body
        assert page.locator(".dr-card").count() == st.tally("stale").paragraphs + st.tally("missing").paragraphs
        assert page.locator(".dr-card ins").count() > 0 and page.locator(".dr-card del").count() > 0
        taken = ARTIFACTS / "browser-languages.png"
        shot(page, taken)
        page.get_by_role("tab", name="Documentation forecast").click()
        settle(page)
        assert "Third Review Conference" in page.locator("body").inner_text()
        shot(page, ARTIFACTS / "browser-forecast.png")

        open_page(page, "Draft")
        choose(page, "Version", "Revision 1")
        choose(page, "Translation beside the text", "French")
        assert page.locator(".dr-bi-trg").count() == len(st.paragraphs)
        assert page.locator(".dr-tr-stale").count() == st.tally("stale").paragraphs
        assert page.locator(".dr-tr-missing").count() == st.tally("missing").paragraphs
        stale = page.locator(".dr-tr-stale").first
        assert "translation outdated" in stale.inner_text()
        assert stale.get_attribute("lang") == "fr"
        # source and translation side by side: the translation's column starts right of the source's
        src = page.locator(".dr-bi-src").first.bounding_box()
        trg = page.locator(".dr-bi-trg").first.bounding_box()
        assert trg["x"] > src["x"] + src["width"] - 1 and abs(trg["y"] - src["y"]) < 5
        shot(page, ARTIFACTS / "browser-draft-french.png")
        assert not errors, errors
        context.close()
    dst = SCREENSHOTS / "languages.png"
    if os.environ.get("UPDATE_SCREENSHOTS") or not dst.exists():
        small_png(taken, dst)
