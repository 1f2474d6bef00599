"""The Streamlit app, driven headless with Streamlit's AppTest.

Every page for several roles; the role flows (submit as a delegation and see it in My
inputs and on the Draft; decide as the Presidency and see the status; compose and see the
new version in Draft and Compare); refusals come from the services (an observer's amend,
a delegation deciding); sign-in modes; escaping of delegations' text; cache invalidation
when HEAD moves; the 300-paragraph speed budget; ``drafting app``; and the app's queries
(``service.app_queries``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, tree_state
from drafting.model.errors import PermissionDenied
from drafting.service import app_queries as q
from drafting.service import clock
from drafting.service.inputs import decide, submit_data
from drafting.service.versions import compose
from drafting.store.workspace import Workspace

streamlit = pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = "../app.py"  # AppTest resolves it against this file
PAGES = ("draft", "compare", "submit", "my_inputs", "review", "dashboard", "history")
ROUND = "zero-draft-inputs"
DOC = "action-plan"

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
XSS_MD = "[click me](javascript:alert(1)) ![pixel](https://example.invalid/p.png) **bold**"


# ------------------------------------------------------------------------------ helpers


def app(
    root: Path, monkeypatch, *, secrets: dict | None = None, user: dict | None = None, mode: str | None = "demo"
) -> AppTest:
    """The app on ``root``, the server configured for ``mode`` (None: nothing configured)."""
    monkeypatch.setenv("DRAFTING_WORKSPACE", str(root))
    if mode is None:
        monkeypatch.delenv("DRAFTING_APP_MODE", raising=False)
    else:
        monkeypatch.setenv("DRAFTING_APP_MODE", mode)
    at = AppTest.from_file(APP, default_timeout=90)
    if secrets is not None:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"src/drafting/app/pages/{page}.py").run()


def act_as(at: AppTest, code: str) -> AppTest:
    return at.selectbox(key="acting_as").set_value(code).run()


def select_paragraph(at: AppTest, pid: str) -> AppTest:
    """What a click on a paragraph does (the click itself is the browser test's)."""
    at.session_state["draft_selected"] = pid
    return at.run()


def visible(at: AppTest) -> str:
    """The text a visitor reads: the HTML blocks without styles, tags, attributes (hover
    titles) and "details" lines, plus Markdown, captions, messages, tables, the pickers'
    shown values and the metrics' labels."""
    import html as html_lib
    import re

    parts = []
    for h in at.html:
        s = re.sub(r"<style>.*?</style>", " ", h.value, flags=re.S)
        s = re.sub(r'<div class="dr-details">.*?</div>', " ", s, flags=re.S)
        parts.append(html_lib.unescape(re.sub(r"<[^>]+>", " ", s)))
    parts.append(texts(at))
    advanced = [e for e in at.expander if str(e.label).startswith("Advanced")]
    hidden = {id(df.proto) for e in advanced for df in e.dataframe}
    parts += [df.value.to_csv(index=False) for df in at.dataframe if id(df.proto) not in hidden]

    for kind in ("selectbox", "multiselect", "radio"):
        for w in at.get(kind):
            parts.append(" ".join(str(o) for o in getattr(w, "options", []) or []))
    parts += [str(m.label) for m in at.metric]
    parts += [str(b.label) for b in at.button]
    return "\n".join(parts)


def html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def texts(at: AppTest) -> str:
    """Everything a run showed as Markdown or messages (not the escaped HTML blocks)."""
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    for kind in (at.error, at.warning, at.info, at.success):
        parts += [m.value for m in kind]
    return "\n".join(str(p) for p in parts)


def plain(s: str) -> str:
    """A message without Markdown's escaping backslashes."""
    return str(s).replace("\\", "")


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()


def frame_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


# -------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("code", ["LAO", "MEX", "ICRC"])
def test_every_page_renders_for_each_role(example, monkeypatch, code):
    at = app(example, monkeypatch)
    ok(at)
    assert "Demo: anyone may act as any delegation" in html(at)
    act_as(at, code)
    for page in PAGES:
        ok(go(at, page))
        assert "Third Review Conference of the Convention on Cluster Munitions" in html(at), page
    # the Presidency's controls are shown to the Presidency only (cosmetic: the services decide)
    go(at, "review")
    assert bool([b for b in at.button if b.key and b.key.startswith("dec_submit_")]) == (code == "LAO")


def test_every_page_renders_for_the_other_document(example, monkeypatch):
    at = app(example, monkeypatch)
    at.selectbox(key="document").set_value("political-declaration").run()
    for page in PAGES:
        ok(go(at, page))
        assert "Vientiane Declaration" in html(at), page
    go(at, "draft")
    assert "Action 1" not in html(at) and '<span class="dr-num">1</span>' in html(at)  # declaration numbering


def test_draft_shows_numbers_provenance_badges_and_filters(example, monkeypatch):
    ws = Workspace(example)
    compose(ws, DOC, "zero-draft", "rev1", allow_open=True)
    at = ok(app(example, monkeypatch))
    assert at.selectbox(key="draft_version").value == "rev1"  # the latest version first
    page = html(at)
    assert "Action 1" in page and 'id="p-uni-1"' in page
    # provenance: MEX-2 changed uni-1; its words carry a hover title naming Mexico and the version
    assert 'title="Mexico (MEX-2), Revision 1"' in page
    assert "deciding on MEX-3" in page  # the Presidency's wording of MEX-3
    # badges on the zero draft: proposals by status and comments
    at.selectbox(key="draft_version").set_value("zero-draft").run()
    page = html(at)
    assert "dr-b-accepted" in page and "dr-b-c-open" in page and "dr-b-c-noted" in page
    # filters: a section, then a delegation
    at.multiselect(key="draft_sections").set_value(["Victim assistance"]).run()
    page = ok(at) and html(at)
    assert 'id="p-va-1"' in page and 'id="p-uni-1"' not in page
    at.multiselect(key="draft_sections").set_value([]).run()
    at.selectbox(key="draft_delegation").set_value("NZL").run()
    page = html(at)
    assert 'id="p-ni-1"' in page and 'id="p-va-1"' not in page
    at.selectbox(key="draft_delegation").set_value(None).run()
    at.multiselect(key="draft_status").set_value(["deferred"]).run()
    shown = {part.split('"')[0] for part in html(at).split('id="p-')[1:]}
    ov = q.paragraph_overview(ws, DOC, "zero-draft")
    deferred = {pid for pid, e in ov.items() if "deferred" in e["proposals"]}
    zero = ws.version(DOC, "zero-draft")
    assert deferred and {p.id for p in zero.paragraphs if p.id in shown and p.kind != "heading"} == deferred
    # side panel: one paragraph's provenance and proposals (a click on it, or a link to it)
    at.multiselect(key="draft_status").set_value([]).run()
    select_paragraph(at, "clr-2")
    assert "MEX-1" in html(at) and "FRA-2" in html(at)


def test_compare_shows_changes_with_delegations_and_offers_downloads(example, monkeypatch):
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    at = ok(go(app(example, monkeypatch), "compare"))
    page = html(at)
    assert "<ins" in page and "<del" in page and "Mexico" in page
    assert 'class="dd-para dd-unchanged' not in page  # only changed paragraphs
    at.toggle(key="cmp_only").set_value(False).run()
    assert "dd-unchanged" in html(at)
    labels = {b.label for b in at.get("download_button")}
    assert {"Download HTML", "Download Markdown"} <= labels


def test_compare_with_a_single_version_says_so(example, monkeypatch):
    at = ok(go(app(example, monkeypatch), "compare"))
    assert "only one version" in texts(at)


# --------------------------------------------------------------------------- role flows


def test_submit_as_mexico_then_see_it_in_my_inputs_and_on_the_draft(example, monkeypatch):
    at = app(example, monkeypatch)
    act_as(at, "MEX")
    ok(go(at, "submit"))
    at.selectbox(key="sub_amend_para").set_value("clr-1").run()
    key = f"sub_amend_text_{ROUND}_clr-1"
    old = at.text_area(key=key).value
    new = old.replace("will identify", "will identify and map")
    assert new != old
    at.text_area(key=key).set_value(new).run()
    assert "<ins>" in html(at)  # the live change preview
    at.text_area(key="sub_amend_rationale").set_value("Mapping matters.").run()
    at.button(key="sub_add_amend").click().run()
    # a comment too, then the preview of both before sending
    at.radio(key="sub_kind").set_value("Comment").run()
    at.selectbox(key="sub_com_para").set_value("clr-3").run()
    at.text_area(key="sub_com_text").set_value("Please keep the 2030 horizon.").run()
    at.button(key="sub_add_comment").click().run()
    assert "Ready to send: 1 proposal and 1 comment" in texts(at)
    assert at.text_area(key="sub_com_text").value == ""  # the form is cleared after adding
    at.button(key="sub_add_comment").click().run()  # so an empty second click adds nothing
    assert "Write your comment in the box below" in " ".join(w.value for w in at.warning)
    assert "Ready to send: 1 proposal and 1 comment" in texts(at)
    assert "Please keep the 2030 horizon." in html(at)
    before = head(example)
    at.multiselect(key=f"sub_co_{ROUND}").set_value(["ESP", "SEN", "CHL"]).run()
    at.button(key="sub_send").click().run()
    ok(at)
    assert head(example) != before
    success = plain(" ".join(s.value for s in at.success))
    assert "Sent for Mexico: 1 proposal and 1 comment (MEX-9, MEX-10)" in success
    ws = Workspace(example)
    props = {p.id: p for p in ws.proposals(DOC, ROUND) if p.delegation == "MEX"}
    assert set(props) == {
        *(f"MEX-{i}" for i in range(1, 6)),
        "MEX-9",
        "MEX-10",
    }  # earlier ones kept; ids unique in the workspace
    assert props["MEX-9"].op == "amend" and "identify and map" in props["MEX-9"].text
    assert props["MEX-9"].rationale == "Mapping matters." and props["MEX-9"].co_sponsors == ("ESP", "SEN", "CHL")
    assert props["MEX-10"].op == "comment"
    log = subprocess.run(["git", "log", "-1", "--format=%an"], cwd=example, capture_output=True, text=True).stdout
    assert log.strip() == "Mexico (MEX)"
    assert "Ready to send: nothing yet" in texts(at)
    # My inputs: every proposal and where it went
    ok(go(at, "my_inputs"))
    table = frame_text(at)
    assert "MEX-9" in table and "awaiting the Presidency" in table and "accepted; not yet in a new version" in table
    # Draft: the new proposal's badge on clr-1
    ok(go(at, "draft"))
    block = html(at).split('id="p-clr-1"')[1].split('id="p-')[0]
    assert "MEX-9" in block and "1 open" in block


def test_decide_as_presidency_then_see_the_status(example, monkeypatch):
    at = app(example, monkeypatch)  # the demo opens as the Presidency
    ok(go(at, "review"))
    assert at.selectbox(key="rev_para").value == "uni-1"
    at.selectbox(key="rev_para").set_value("re-4").run()
    assert "MEX-4" in html(at)
    at.selectbox(key="dec_status_MEX-4").set_value("modified").run()  # the wide editor opens
    at.text_area(key="dec_text_MEX-4").set_value(
        "Each State Party will measure the effectiveness of its risk education programmes and report on it."
    )
    at.text_input(key="dec_note_MEX-4").set_value("Shortened.")
    at.button(key="dec_submit_MEX-4").click().run()
    ok(at)
    d = Workspace(example).decisions(DOC, ROUND)["MEX-4"]
    assert (d.status, d.note) == ("modified", "Shortened.") and d.text.endswith("report on it.")
    assert "Mexico's proposal MEX-4 was accepted as modified" in plain(" ".join(s.value for s in at.success))
    # the card now says so, and so does Mexico's My inputs
    card = next(h.value for h in at.html if 'class="dr-card' in h.value and ">MEX-4</a>" in h.value)
    assert "dr-b-modified" in card and "accepted as modified" in card
    act_as(at, "MEX")
    ok(go(at, "my_inputs"))
    row = next(r for r in frame_text(at).splitlines() if "MEX-4" in r)
    assert "modified" in row and "not yet in a new version" in row
    # the Presidency's "Next" steps through the paragraphs
    act_as(at, "LAO")
    go(at, "review")
    at.button(key="rev_next").click().run()
    assert at.selectbox(key="rev_para").value != "re-4"


def test_conflicts_are_highlighted_and_compose_makes_a_new_version(example, monkeypatch):
    at = app(example, monkeypatch)
    ok(go(at, "review"))
    at.toggle(key="rev_only_conf").set_value(True).run()
    assert at.selectbox(key="rev_para").value == "clr-2"
    page = html(at)
    assert "Conflict in the next version" in page and "dr-card-conflict" in page
    # the compose tab previews the merge report; composing writes rev1
    assert at.text_input(key=f"rev_to_{ROUND}").value == "rev1"
    assert "Preview of the next version" in texts(at)
    assert any(b.key == "rev_dl_report" for b in at.get("download_button"))
    before = head(example)
    # proposals are still open: the page lists them, and composing waits for a confirmation
    assert at.button(key="rev_compose").disabled
    assert "still open" in html(at)
    at.checkbox(key=f"rev_allow_open_{ROUND}").check().run()
    at.button(key="rev_compose").click().run()
    ok(at)
    assert head(example) != before
    assert Workspace(example).has_version(DOC, "rev1")
    assert "Revision 1 of the Vientiane Action Plan composed" in plain(" ".join(s.value for s in at.success))
    assert at.text_input(key=f"rev_to_{ROUND}").value == "rev2"  # the next free name
    ok(go(at, "draft"))
    assert at.selectbox(key="draft_version").value == "rev1"
    assert "Revision 1" in html(at) and "[Alt 1: " in html(at)
    ok(go(at, "compare"))
    assert at.selectbox(key="cmp_from").value == "zero-draft" and at.selectbox(key="cmp_to").value == "rev1"
    # and Mexico's inputs now say where they went
    act_as(at, "MEX")
    ok(go(at, "my_inputs"))
    table = frame_text(at)
    assert "accepted into Revision 1 (Action 1)" in table
    assert "in brackets" in table
    ok(go(at, "history"))
    assert "Revision 1 composed" in html(at)


def test_an_observer_cannot_submit_an_amendment_even_if_it_tries(example, monkeypatch):
    at = app(example, monkeypatch)
    act_as(at, "ICRC")
    ok(go(at, "submit"))
    assert at.radio(key="sub_kind").options == ["Comment"]  # cosmetic: only comments offered
    # a tampered session sends an amendment anyway: the service refuses it, nothing is written
    text = "Each State Party will identify all areas contaminated, by 2027."
    at.session_state["sub_basket"] = {f"{DOC}/{ROUND}": [{"op": "amend", "paragraph": "clr-1", "text": text}]}
    at.run()
    before = tree_state(example)
    at.button(key="sub_send").click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "ICRC is an observer and may only comment" in message
    assert tree_state(example) == before
    # its comments go through
    at.session_state["sub_basket"] = {f"{DOC}/{ROUND}": [{"op": "comment", "paragraph": "clr-1", "text": "Noted."}]}
    at.run()
    at.button(key="sub_send").click().run()
    ok(at)
    assert tree_state(example)["head"] != before["head"]


def test_a_delegation_cannot_decide_or_compose_through_the_app(example, monkeypatch):
    """The app's write path is the service: acting as Mexico, decide and compose are refused."""
    monkeypatch.setenv("DRAFTING_WORKSPACE", str(example))

    def script():
        import os

        import streamlit as st

        from drafting.app import actions, cache
        from drafting.app.common import Ctx
        from drafting.store.workspace import Workspace

        root = os.environ["DRAFTING_WORKSPACE"]
        ws = Workspace(root)
        c = Ctx(
            root=root,
            head=cache.head_sha(root),
            ws=ws,
            config=ws.config,
            mode="demo",
            actor=ws.config.delegation("MEX"),
            document="action-plan",
        )
        actions.decide(c, "MEX-4", "accepted", document="action-plan", round_id="zero-draft-inputs")
        actions.compose(
            c, "action-plan", "zero-draft", "rev1", round_id="zero-draft-inputs", on_conflict="brackets", label=None
        )
        st.write("done")

    before = tree_state(example)
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert "only the Presidency decides" in errors[0] and "only the Presidency composes" in errors[1]
    assert tree_state(example) == before


# ------------------------------------------------------------------------------ security


def _hostile(root: Path) -> None:
    """Mexico's text carries script, an image with onerror, and Markdown; it is accepted
    and composed into rev1, so it reaches every page."""
    ws = Workspace(root)
    base = ws.version(DOC, "zero-draft").by_id()["intro-1"].text
    data = q.contribution_with(
        ws,
        DOC,
        ROUND,
        "MEX",
        [
            q.new_proposal(
                "amend",
                paragraph="intro-1",
                text=f"{base} {XSS_SCRIPT} {XSS_IMG} {XSS_MD}",
                rationale=f"Because {XSS_IMG}",
            ),
            q.new_proposal("comment", paragraph="intro-1", text=f"{XSS_MD} {XSS_SCRIPT}"),
        ],
    )
    res = submit_data(ws, data, delegation="MEX", source="test")
    new = next(p.id for p in res.contribution.proposals if p.op == "amend" and p.paragraph == "intro-1")
    decide(Workspace(root), new, "accepted", note=f"ok {XSS_SCRIPT}", document=DOC, round=ROUND)
    compose(Workspace(root), DOC, "zero-draft", "rev1", allow_open=True)


def test_delegations_text_is_escaped_on_every_page(example, monkeypatch):
    _hostile(example)
    at = app(example, monkeypatch)
    act_as(at, "MEX")
    for page in PAGES:
        ok(go(at, page))
        body = html(at)
        assert "<script>" not in body and "<img src=x" not in body and "<img " not in body, page
        shown = texts(at)
        assert "<script" not in shown and "<img" not in shown and "](javascript:" not in shown, page
    go(at, "draft")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html(at)
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in html(at)
    go(at, "review")
    assert "&lt;script&gt;" in html(at)
    go(at, "dashboard")
    assert XSS_SCRIPT in frame_text(at)  # tables show the text literally


# ---------------------------------------------------------------------------- sign-in


OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://accounts.example.invalid/.well-known/openid-configuration",
    },
    "drafting": {"users": {"Diplomat@sre.gob.mx": "MEX", "president@mofa.gov.la": "LAO"}},
}


def test_oidc_mode_requires_configuration(example, monkeypatch):
    at = app(example, monkeypatch, user={"is_logged_in": False}, mode="oidc")
    assert "Sign-in is not configured" in " ".join(e.value for e in at.error)
    assert 'class="dr-doc"' not in html(at)


def test_oidc_mode_signs_in_and_maps_the_email_to_a_delegation(example, monkeypatch):
    at = app(example, monkeypatch, secrets=OIDC_SECRETS, user={"is_logged_in": False}, mode="oidc")
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"] and 'class="dr-doc"' not in html(at)
    at.user = {"is_logged_in": True, "email": "diplomat@sre.gob.mx", "email_verified": True}
    at.run()
    ok(at)
    assert not [s for s in at.selectbox if s.key == "acting_as"]  # no choosing: the account decides
    assert "Demo" not in html(at)
    ok(go(at, "submit"))
    assert "Proposals of Mexico (MEX)" in html(at)
    at.user = {"is_logged_in": True, "email": "stranger@example.org", "email_verified": True}
    at.run()
    assert "not registered with any delegation" in " ".join(e.value for e in at.error)
    assert 'class="dr-doc"' not in html(at)


def test_a_server_without_a_mode_requires_sign_in(example, monkeypatch):
    at = app(example, monkeypatch, user={"is_logged_in": False}, mode=None)
    assert "Sign-in is not configured" in " ".join(e.value for e in at.error)


def test_password_mode_explains_what_is_missing(example, monkeypatch):
    at = app(example, monkeypatch, mode="password")
    assert not at.exception
    message = plain(" ".join(e.value for e in at.error))
    assert "Password sign-in is not configured" in message


def test_not_a_workspace_is_one_clear_message(tmp_path, monkeypatch):
    at = app(tmp_path, monkeypatch)
    assert not at.exception
    assert "not a drafting workspace" in " ".join(e.value for e in at.error)


# ------------------------------------------------------------------------ cache, speed


def test_reads_follow_head_when_someone_else_commits(example, monkeypatch):
    at = app(example, monkeypatch)
    go(at, "dashboard")
    assert "MEX-9" not in frame_text(at)
    ws = Workspace(example)
    data = q.contribution_with(ws, DOC, ROUND, "MEX", [q.new_proposal("delete", paragraph="clr-4")])
    submit_data(ws, data, delegation="MEX", source="the CLI")  # another process, say
    at.run()
    assert "MEX-9" in frame_text(at)


def _big_workspace(root: Path, n: int = 300) -> None:
    """The example plus a 300-paragraph action plan ``big0``, 60 accepted amendments by six
    delegations composed into ``big1`` (so every paragraph has provenance to show), and a
    round on ``big1`` with proposals and comments (badges)."""
    from drafting.service.identity import identity
    from drafting.store import yamlio

    ws = Workspace(root)
    zero = ws.version(DOC, "zero-draft")
    paras = []
    for i in range(n):
        src = zero.paragraphs[i % len(zero.paragraphs)]
        paras.append(
            {
                "id": f"b-{i}",
                "section": src.section,
                "kind": "heading" if i % 12 == 0 else "action",
                "tags": list(src.tags),
                "text": src.text,
            }
        )
    body = yamlio.dumps(
        {
            "document": DOC,
            "version": "big0",
            "label": "Big zero draft",
            "date": "2026-08-01",
            "based_on": None,
            "round": None,
            "paragraphs": paras,
        }
    )
    cfg = (root / "drafting.yaml").read_text(encoding="utf-8") + (
        "  - {id: big-inputs, document: action-plan, base: big0}\n"
        "  - {id: big1-inputs, document: action-plan, base: big1}\n"
    )
    pres = identity(ws.config.presidency_delegation)
    with ws.git.transaction():
        ws.git.commit({f"drafts/{DOC}/big0.yaml": body.encode(), "drafting.yaml": cfg.encode()}, "big", pres)
    decisions = {}
    for k, code in enumerate(("MEX", "FRA", "AUT", "NOR", "CHL", "IRL")):
        items = []
        for j in range(10):
            i = 1 + k * 49 + j * 4
            if i % 12 == 0:
                i += 1
            words = paras[i]["text"].split()
            words[len(words) // 2] = f"{words[len(words) // 2]} and {code.lower()} words"
            items.append(q.new_proposal("amend", paragraph=f"b-{i}", text=" ".join(words)))
        ws = Workspace(root)
        res = submit_data(ws, q.contribution_with(ws, DOC, "big-inputs", code, items), delegation=code, source="big")
        decisions.update({p.id: {"status": "accepted"} for p in res.contribution.proposals})
    with ws.git.transaction():
        ws.git.commit({f"decisions/{DOC}/big-inputs.yaml": yamlio.dumps(decisions).encode()}, "decide", pres)
    with clock.fixed("2026-08-10T09:00:00Z"):
        compose(Workspace(root), DOC, "big0", "big1", round="big-inputs", allow_open=True)
    ws = Workspace(root)
    items = [
        q.new_proposal(
            "comment" if j % 3 else "amend",
            paragraph=f"b-{1 + j * 7}",
            text=f"Comment {j}" if j % 3 else paras[1 + j * 7]["text"] + " Indeed.",
        )
        for j in range(40)
    ]
    submit_data(ws, q.contribution_with(ws, DOC, "big1-inputs", "NZL", items), delegation="NZL", source="big")


def test_a_300_paragraph_draft_renders_every_paragraph_and_proposal(example, monkeypatch):
    """Its speed (first render, and the cached rerun) is the benchmark's: app.first_render
    and app.rerun in make bench, at 300 paragraphs and 193 x 50 proposals."""
    monkeypatch.setenv("DRAFTING_WORKSPACE", str(example))
    monkeypatch.setenv("DRAFTING_APP_MODE", "demo")
    warm = AppTest.from_file(APP, default_timeout=90).run()  # imports, in this process
    assert not warm.exception
    _big_workspace(example)  # HEAD moves: nothing cached for it
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    ok(at)
    assert at.selectbox(key="draft_version").value == "big1"
    page = html(at)
    assert page.count('class="dr-para') >= 300
    assert page.count('class="dr-pv"') >= 60 and "dr-b-c-open" in page
    at.run()  # from the cache: the same page
    ok(at)
    assert html(at) == page


# ------------------------------------------------------------------------ drafting app


def test_drafting_app_command_runs_streamlit_on_the_workspace(example, tmp_path):
    from drafting.cli import app as cli_app
    from drafting.cli.main import build_parser

    argv, env, cwd = cli_app.streamlit_command(
        example,
        ["--server.port", "8600"],
        cwd=tmp_path,
        environ={"STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_SERVER_PORT": "9999"},
    )
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(argv[4]) == ROOT / "app.py" and argv[5:] == ["--server.port", "8600"]
    assert env["DRAFTING_WORKSPACE"] == str(example.resolve())
    assert env["STREAMLIT_SERVER_HEADLESS"] == "true" and env["STREAMLIT_SERVER_PORT"] == "9999"
    assert cwd == ROOT  # the project's .streamlit/ (theme)
    (tmp_path / ".streamlit").mkdir()
    assert cli_app.streamlit_command(example, [], cwd=tmp_path)[2] == tmp_path  # but a local one wins
    assert cli_app.streamlit_command(example, ["--", "--server.port", "1"])[0][5:] == ["--server.port", "1"]
    args = build_parser().parse_args(["--workspace", str(example), "app", "--server.port", "8600"])
    assert args.command == "app" and args.streamlit_args == ["--server.port", "8600"]


def test_drafting_app_refuses_a_folder_that_is_not_a_workspace(tmp_path, capsys):
    from drafting.cli.main import main

    assert main(["--workspace", str(tmp_path), "app"]) == 2
    assert "not a drafting workspace" in capsys.readouterr().err
    assert main(["app", "--help"]) == 0
    assert "STREAMLIT_ARGS" in capsys.readouterr().out


# -------------------------------------------------------------------------- app queries


def test_amendment_from_edit_is_the_edited_text():
    assert q.amendment_from_edit("A  text.", "A text.") is None
    assert q.amendment_from_edit("A text.", "  ") is None
    assert q.amendment_from_edit("A text.", "A new\n text. ") == "A new text."


def test_contribution_with_keeps_earlier_proposals_and_their_ids(example):
    ws = Workspace(example)
    data = q.contribution_with(
        ws, DOC, ROUND, "MEX", [q.new_proposal("comment", paragraph="clr-1", text="x")], co_sponsors=["ESP"]
    )
    assert "submitted" not in data and data["co_sponsors"] == ["ESP"]
    assert [p.get("id") for p in data["proposals"]] == ["MEX-1", "MEX-2", "MEX-3", "MEX-4", "MEX-5", None]
    res = submit_data(ws, data, delegation="MEX", source="test")
    assert [p.id for p in res.contribution.proposals][-1] == "MEX-9"
    fresh = q.contribution_with(Workspace(example), DOC, ROUND, "NLD", [], withdraw=["NLD-1"])
    assert [p["id"] for p in fresh["proposals"]] == ["NLD-2", "NLD-3"]
    new = q.contribution_with(ws, DOC, ROUND, "BEL", [q.new_proposal("delete", paragraph="clr-1")])
    assert new["delegation"] == "BEL" and new["base"] == "zero-draft" and len(new["proposals"]) == 1


def test_an_observer_amendment_is_refused_by_the_service(example):
    ws = Workspace(example)
    data = q.contribution_with(ws, DOC, ROUND, "ICRC", [q.new_proposal("amend", paragraph="clr-1", text="x y")])
    with pytest.raises(PermissionDenied):
        submit_data(ws, data, delegation="ICRC", source="test")


def test_outcomes_say_where_each_proposal_went(example):
    ws = Workspace(example)
    before = {r["id"]: r for r in q.outcomes(ws, DOC, "MEX")}
    assert before["MEX-4"]["outcome"] == "open" and before["MEX-2"]["outcome"] == "awaiting-version"
    assert before["MEX-5"]["outcome"] == "noted"
    compose(ws, DOC, "zero-draft", "rev1", allow_open=True)
    after = {r["id"]: r for r in q.outcomes(Workspace(example), DOC, "MEX")}
    assert after["MEX-2"]["where"] == "accepted into Revision 1 (Action 1)"
    assert after["MEX-3"]["outcome"] == "in-version" and after["MEX-3"]["lands_in"]
    assert after["MEX-1"]["where"].endswith("in brackets")
    rejected = [r for r in q.outcomes(Workspace(example), DOC) if r["status"] == "rejected"]
    assert rejected and all(r["where"].startswith("not retained") for r in rejected)
    co = {r["id"] for r in q.outcomes(Workspace(example), DOC, "ESP")}
    assert "MEX-1" in co  # a co-sponsor sees it too


def test_review_groups_proposals_by_paragraph_with_word_changes(example):
    ws = Workspace(example)
    data = q.review(ws, DOC, ROUND)
    groups = {g["paragraph"]: g for g in data["groups"]}
    mex2 = next(p for p in groups["uni-1"]["proposals"] if p["id"] == "MEX-2")
    assert ["delete", "appropriate"] in mex2["ops"] and ["insert", "political"] in mex2["ops"]
    old = "".join(t for o, t in mex2["ops"] if o != "insert")
    assert old == groups["uni-1"]["text"]
    inserts = [p for g in data["groups"] for p in g["proposals"] if p["op"] == "insert"]
    assert inserts and all(p["ops"][0][0] == "insert" for p in inserts)
    mex3 = next(p for p in inserts if p["id"] == "MEX-3")
    assert mex3["decision_ops"]  # modified: the Presidency's wording


def test_overview_counts_proposals_and_comments(example):
    ov = q.paragraph_overview(Workspace(example), DOC, "zero-draft")
    assert ov["clr-2"]["proposals"] == {"accepted": 2}
    assert ov["clr-2"]["delegations"] == ["ESP", "FRA", "MEX", "SEN"]
    assert sum(sum(e["comments"].values()) for e in ov.values()) >= 10
    assert q.paragraph_overview(Workspace(example), DOC, "nope") == {}


def test_provenance_names_who_put_each_stretch_there(example):
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    prov = q.provenance(Workspace(example), DOC, "rev1")
    spans = prov["paragraphs"]["uni-1"]
    assert "".join(s["text"] for s in spans) == Workspace(example).version(DOC, "rev1").by_id()["uni-1"].text
    assert any(s["proposal"] == "MEX-2" and s["delegation"] == "MEX" for s in spans)


def test_compilation_rows_stats_next_name_and_csv(example):
    ws = Workspace(example)
    rows = q.compilation_rows(ws, DOC, ROUND)
    assert rows[0]["number"] == "Action 1" and rows[0]["proposal"] == "MEX-2"
    assert {r["op"] for r in rows} == {"amend", "insert", "delete", "comment"}
    assert len(rows) == len(ws.proposals(DOC, ROUND))
    stats = q.version_stats(ws, DOC)
    assert stats[0]["version"] == "zero-draft" and stats[0]["paragraphs"] == 54 and stats[0]["words"] > 2000
    assert q.next_version_name(ws, DOC) == "rev1"
    compose(ws, DOC, "zero-draft", "rev1", allow_open=True)
    assert q.next_version_name(Workspace(example), DOC) == "rev2"
    csv = q.csv_text(
        [{"a": '=HYPERLINK("x")', "b": ["-1", "2"], "c": None}, {"a": "@x", "b": "+y", "c": "ok"}], ["a", "b", "c"]
    )
    assert csv.splitlines() == ["a,b,c", '"\'=HYPERLINK(""x"")","\'-1, 2",', "'@x,'+y,ok"]


def test_markup_escapes_everything():
    from drafting.app import markup

    card = markup.proposal_card(
        {
            "id": '"><b>',
            "op": "amend",
            "status": "open",
            "ops": [["insert", XSS_SCRIPT]],
            "rationale": XSS_IMG,
            "note": "<i>n</i>",
        },
        who="<u>who</u>",
        target="<x>",
    )
    assert "<script" not in card and "<img" not in card and "<b>" not in card and "<u>" not in card
    title = markup.span_title(
        {"delegation": "MEX", "proposal": "MEX-2", "version": "rev1"}, lambda c: '"Mexico"', lambda v: "<Rev 1>", "LAO"
    )
    html_ = markup.text_with_provenance(
        [{"text": "<b>x</b>", "delegation": "MEX", "proposal": "MEX-2", "version": "rev1"}],
        name=lambda c: '"Mexico"',
        label=lambda v: "<Rev 1>",
        presidency="LAO",
    )
    assert title == '"Mexico" (MEX-2), <Rev 1>'
    assert html_ == (
        '<span class="dr-pv" title="&quot;Mexico&quot; (MEX-2), &lt;Rev 1&gt;">&lt;b&gt;x&lt;/b&gt;</span>'
    )
    assert "<" not in markup.header("<c>", "<t>", symbol="<s>", subtitle="<u>", page="<p>").replace("<div", "").replace(
        "</div", ""
    ).replace("<span", "").replace("</span", "")


def test_documents_are_prepared_for_download_through_the_export_service(example, monkeypatch):
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    at = ok(app(example, monkeypatch))
    at.button(key="draft_export_prep").click().run()
    ok(at)
    assert any(b.key == "draft_export_dl" for b in at.get("download_button"))
    go(at, "compare")
    # the comparison as shown: HTML and Markdown; the tracked-changes document: Word, ODT, PDF
    assert {b.key for b in at.get("download_button")} >= {"cmp_dl_html", "cmp_dl_md"}
    assert list(at.selectbox(key="cmp_export_fmt").options) == ["docx", "odt", "pdf"]
    at.selectbox(key="cmp_export_fmt").set_value("docx").run()
    at.button(key="cmp_export_prep").click().run()
    ok(at)
    assert [b.label for b in at.get("download_button") if b.key == "cmp_export_dl"] == ["Download .docx"]
    go(at, "dashboard")
    at.selectbox(key="dash_round").set_value(ROUND).run()
    at.button(key="dash_export_prep").click().run()
    ok(at)
    assert any(b.key == "dash_export_dl" for b in at.get("download_button"))


# --------------------------------------------------------------------------------- links


def open_link(root: Path, monkeypatch, page: str, act: str | None = None, **params: str) -> AppTest:
    """A fresh session opened at ``page?params`` (as a pasted link would)."""
    at = app(root, monkeypatch)
    if act:
        act_as(at, act)
    at.switch_page(f"src/drafting/app/pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return ok(at.run())


def test_every_page_opens_where_its_link_points(example, monkeypatch):
    from drafting.app import links

    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    at = open_link(example, monkeypatch, "draft", doc=DOC, v="zero-draft", p="clr-2")
    assert at.selectbox(key="draft_version").value == "zero-draft"
    assert at.session_state["draft_selected"] == "clr-2"
    assert "Action 11" in texts(at) and "FRA-2" in html(at)
    assert dict(at.query_params) == {"doc": DOC, "v": "zero-draft", "p": "clr-2"}
    assert [c.value for c in at.code] == [links.paragraph(DOC, "zero-draft", "clr-2")]
    # the other document, by its link
    at = open_link(example, monkeypatch, "draft", doc="political-declaration", v="zero-draft")
    assert at.selectbox(key="document").value == "political-declaration" and "Vientiane Declaration" in html(at)
    at = open_link(example, monkeypatch, "compare", doc=DOC, **{"from": "rev1", "to": "zero-draft"})
    assert (at.selectbox(key="cmp_from").value, at.selectbox(key="cmp_to").value) == ("rev1", "zero-draft")
    at = open_link(example, monkeypatch, "review", doc=DOC, round=ROUND, proposal="MEX-4")
    assert at.selectbox(key="rev_para").value == "re-4"
    assert dict(at.query_params) == {"doc": DOC, "round": ROUND, "p": "re-4"}
    at = open_link(example, monkeypatch, "my_inputs", act="MEX", doc=DOC, proposal="MEX-4")
    assert at.selectbox(key="mine_detail").value == "MEX-4"
    at = open_link(example, monkeypatch, "submit", act="MEX", doc=DOC, round=ROUND, p="clr-3")
    assert at.radio(key="sub_kind").value == "Amend a paragraph" and at.selectbox(key="sub_amend_para").value == "clr-3"
    at = open_link(example, monkeypatch, "dashboard", doc=DOC, round=ROUND)
    assert at.selectbox(key="dash_round").value == ROUND
    # a link to a proposal opens its paragraph on its base version
    target = links.proposal(DOC, "zero-draft", "re-4", "MEX-4")
    params = dict(x.split("=") for x in target.split("?")[1].split("&"))
    at = open_link(example, monkeypatch, "draft", **params)
    assert at.session_state["draft_selected"] == "re-4" and "MEX-4" in html(at)
    # an address naming nothing that exists falls back quietly
    at = open_link(example, monkeypatch, "draft", doc="nope", v="nope", p="<script>")
    assert at.selectbox(key="document").value == DOC and at.session_state["draft_selected"] is None


def test_moving_around_keeps_the_address_current(example, monkeypatch):
    at = ok(app(example, monkeypatch))  # the root opens the Draft
    assert dict(at.query_params) == {"doc": DOC, "v": "zero-draft"}
    select_paragraph(at, "uni-1")
    assert dict(at.query_params) == {"doc": DOC, "v": "zero-draft", "p": "uni-1"}
    at.selectbox(key="document").set_value("political-declaration").run()
    assert at.query_params["doc"] == "political-declaration" and "p" not in at.query_params
    go(at, "review")
    assert at.query_params["round"] == "pd-zero-draft-inputs"


def test_addresses_are_relative_and_escaped():
    from drafting.app import links

    assert links.paragraph("action-plan", "rev1", "clr-2") == "draft?doc=action-plan&v=rev1&p=clr-2"
    assert links.compare("d", "a", "b") == "compare?doc=d&from=a&to=b"
    assert links.href("draft", doc="a b&c") == "draft?doc=a+b%26c"
    assert links.absolute("draft?doc=x", "https://host/app/") == "https://host/app/draft?doc=x"
    assert links.absolute("draft?doc=x", None) == "draft?doc=x"


# ------------------------------------------------------------------- proposals as changes


def test_proposals_show_as_tracked_changes_with_the_full_text_one_click_away(example, monkeypatch):
    at = ok(app(example, monkeypatch))
    select_paragraph(at, "uni-1")
    card = next(h.value for h in at.html if ">MEX-2</a>" in h.value)
    assert "<del>appropriate</del>" in card and "<ins>political</ins>" in card  # against its base
    assert "<details" in card and "Full text as proposed" in card  # the whole text, one click away
    assert "Mexico" in card and 'title="MEX"' in card  # by name, the code on hover
    act_as(at, "MEX")
    go(at, "my_inputs")
    at.selectbox(key="mine_detail").set_value("MEX-2").run()
    assert any("<del>appropriate</del>" in h.value for h in at.html)


def test_a_decision_that_cannot_be_recorded_says_what_to_do_at_the_top(example, monkeypatch):
    at = ok(go(app(example, monkeypatch), "review"))
    at.selectbox(key="rev_para").set_value("re-4").run()
    at.selectbox(key="dec_status_MEX-4").set_value("modified").run()
    before = tree_state(example)
    at.button(key="dec_submit_MEX-4").click().run()  # the wording is still the proposal's
    assert [e.value for e in at.error] == ["The wording is the text as proposed: change it, or choose “Accepted”."]
    assert tree_state(example) == before
    # a deletion cannot be "accepted as modified": it is not offered
    deletions = [
        p for g in q.review(Workspace(example), DOC, ROUND)["groups"] for p in g["proposals"] if p["op"] == "delete"
    ]
    assert deletions
    at.selectbox(key="rev_para").set_value(
        next(
            g["paragraph"] for g in q.review(Workspace(example), DOC, ROUND)["groups"] if deletions[0] in g["proposals"]
        )
    ).run()
    options = at.selectbox(key=f"dec_status_{deletions[0]['id']}").options
    assert "Accepted" in options and "Not retained" in options and "Accepted as modified" not in options


# ------------------------------------------------------------------------------ what's new


def test_whats_new_tells_a_delegation_what_happened_since_its_last_visit(example, monkeypatch):
    at = app(example, monkeypatch)
    act_as(at, "MEX")  # Mexico's visit is remembered by the server
    ok(go(at, "news"))
    assert "your first visit" in html(at)
    at.button(key="news_read").click().run()
    assert "Nothing new for Mexico" in texts(at)
    decide(Workspace(example), "MEX-4", "rejected", note="outside the scope", document=DOC, round=ROUND)
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    later = app(example, monkeypatch)  # the next visit
    act_as(later, "MEX")
    said = plain(" ".join(c.value for c in later.caption))
    assert "Since your last visit: Revision 1 is out; 1 decision on your proposals" in said

    ok(go(later, "news"))
    page = html(later)
    assert "Revision 1 of the Vientiane Action Plan is out" in page
    assert (
        "Your proposal MEX-4 (amendment to Action 19) was not retained. The Presidency&#x27;s note: “outside the scope”"
        in page
    )
    shown = visible(later)
    assert "rejected" not in shown and "zero-draft" not in shown and "uni-1" not in shown

    # each piece of news opens the place it is about, in the same session
    opens = [p.proto for p in later.get("page_link")]
    assert any(p.label == "Open" and "proposal=MEX-4" in p.query_string for p in opens), [
        (p.label, p.query_string) for p in opens
    ]
    # France, which has nothing to do with MEX-4, hears only of the new version
    act_as(later, "FRA")
    ok(go(later, "news"))
    assert "MEX-4" not in html(later)


# ------------------------------------------------------------------------- diplomats' words


def _raw_words(ws: Workspace) -> list[str]:
    """What must not show in the main text: the contract's codes and the records' ids."""
    import re

    ids = {p.id for d in ws.config.documents for n in ws.version_names(d) for p in ws.version(d, n).paragraphs}
    slugs = {n for d in ws.config.documents for n in ws.version_names(d)} | set(ws.config.documents)
    rounds = {r.id for r in ws.config.rounds}
    words = [r"\brejected\b", r"(?<!as )\bmodified\b", r"\bamend\b", r"\binsert\b", r"\bop:", r"\bJSON\b"]
    words += [r"\b[0-9a-f]{10,40}\b"]  # commit hashes
    words += [rf"(?<![\w-]){re.escape(x)}(?![\w-])" for x in sorted(ids | slugs | rounds)]
    return words


@pytest.mark.parametrize("code", ["LAO", "MEX", "ICRC"])
def test_every_page_speaks_in_diplomats_words(example, monkeypatch, code):
    """No status code, op, id, slug, hash or JSON in what a visitor reads, on any page, in
    any role (ids only in details lines and hover titles; commits behind "Advanced"). The
    delegations' and the Presidency's own words (texts, rationales, notes) are theirs."""
    import re

    decide(Workspace(example), "MEX-4", "rejected", note="out of scope", document=DOC, round=ROUND)
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    ws = Workspace(example)
    patterns = [re.compile(p) for p in _raw_words(ws)]
    free = {p.text for d in ws.config.documents for n in ws.version_names(d) for p in ws.version(d, n).paragraphs}
    free |= {x for p in ws.all_proposals() for x in (p.text, p.rationale) if x}
    free |= {x for d in ws.all_decisions().values() for x in (d.note, d.text) if x}
    own_words = sorted(free, key=len, reverse=True)
    at = app(example, monkeypatch)
    act_as(at, code)
    for page in (*PAGES, "news"):
        ok(go(at, page))
        if page == "draft":
            select_paragraph(at, "clr-2")
        if page == "my_inputs" and code == "LAO":
            continue  # the Presidency has no inputs of its own
        shown = visible(at)
        for text in own_words:
            shown = shown.replace(text, " ")
        for p in patterns:
            found = p.search(shown)
            assert not found, (
                f"{page} as {code}: {found.group(0)!r} in …{shown[max(0, found.start() - 80) : found.end() + 80]}…"
            )
    # the words themselves are there
    go(at, "dashboard")
    assert "Not retained" in visible(at) and "Accepted as modified" in visible(at)
