"""The record must be trustworthy, tried through the app: the workspace cannot switch
sign-in off (the server's configuration decides), demo mode needs the server's explicit
opt-in and never applies where real sign-in is configured, an unverified e-mail address
identifies nobody, passwords are checked against bcrypt hashes with a lock-out and leave
no script-readable credential in the browser, a bad contribution file leaves the pages
working, look-alike letters are flagged.

Headless with Streamlit's ``AppTest``, and in a real Chromium (Playwright) against
``streamlit run`` in ``password`` and ``oidc`` modes.
"""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import served
from adversary import commit_as
from conftest import ROOT
from drafting.app import auth
from served import ARGS, CHROMIUM

streamlit = pytest.importorskip("streamlit")
bcrypt = pytest.importorskip("bcrypt")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = "../app.py"
PASSWORD = "correct horse battery staple"
HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
PASSWORD_SECRETS = {
    "drafting": {
        "password": {"credentials": {"usernames": {"mex": {"name": "Mexico", "password": HASH}}}},
        "users": {"mex": "MEX", "lao": "LAO"},
    }
}
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 40,
        "client_id": "drafting",
        "client_secret": "s",
        "server_metadata_url": "https://accounts.example.invalid/.well-known/openid-configuration",
    },
    "drafting": {"users": {"diplomat@sre.gob.mx": "MEX"}},
}


def app(root: Path, monkeypatch, *, mode: str | None, secrets: dict | None = None, user: dict | None = None):
    monkeypatch.setenv("DRAFTING_WORKSPACE", str(root))
    if mode is None:
        monkeypatch.delenv("DRAFTING_APP_MODE", raising=False)
    else:
        monkeypatch.setenv("DRAFTING_APP_MODE", mode)
    at = AppTest.from_file(APP, default_timeout=90)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    return at.run()


def html(at) -> str:
    return "\n".join(h.value for h in at.html)


def errors(at) -> str:
    return " ".join(str(e.value) for e in at.error).replace("\\", "")


def shows_no_document(at) -> None:
    assert not [s for s in at.selectbox if s.key == "acting_as"]
    assert 'class="dr-doc"' not in html(at) and "Demo: anyone may act" not in html(at)


def workspace_says_demo(root: Path) -> None:
    """A synced commit sets the old workspace setting ``app: {mode: demo}``."""
    cfg = root / "drafting.yaml"
    commit_as(root, "LAO", {"drafting.yaml": "app: {mode: demo}\n" + cfg.read_text()}, "Open the app to everyone")


# ------------------------------------------------------------------- who decides the mode


def test_the_workspace_cannot_switch_sign_in_off(example, monkeypatch):
    workspace_says_demo(example)
    at = app(example, monkeypatch, mode="password", secrets=PASSWORD_SECRETS)
    assert not at.exception
    shows_no_document(at)
    assert [b.label for b in at.button] == ["Sign in"]
    at = app(example, monkeypatch, mode=None, user={"is_logged_in": False})
    shows_no_document(at)
    assert "Sign-in is not configured" in errors(at)


@pytest.mark.parametrize("secrets, expect", [(OIDC_SECRETS, "oidc"), (PASSWORD_SECRETS, "password")])
def test_demo_never_applies_where_real_sign_in_is_configured(example, monkeypatch, secrets, expect):
    at = app(example, monkeypatch, mode="demo", secrets=secrets, user={"is_logged_in": False})
    assert not at.exception
    shows_no_document(at)
    assert [b.label for b in at.button] == ["Sign in"]
    read = lambda *path: _get(secrets, path)  # noqa: E731
    assert auth.server_mode({"DRAFTING_APP_MODE": "demo"}, read)[0] == expect


def _get(tree: dict, path: tuple):
    for p in path:
        if not isinstance(tree, dict) or p not in tree:
            return None
        tree = tree[p]
    return tree


def test_the_mode_comes_from_the_server_only():
    none = lambda *path: None  # noqa: E731
    assert auth.server_mode({}, none) == ("oidc", "no mode configured: sign-in required")
    assert auth.server_mode({"DRAFTING_APP_MODE": "demo"}, none)[0] == "demo"
    assert auth.server_mode({"DRAFTING_APP_MODE": " Password "}, none)[0] == "password"
    assert auth.server_mode({}, lambda *p: "demo" if p == ("drafting", "mode") else None)[0] == "demo"
    assert auth.server_mode({"DRAFTING_APP_MODE": "open"}, none)[0].startswith("invalid")


def test_an_unknown_mode_stops_with_one_message(example, monkeypatch):
    at = app(example, monkeypatch, mode="everyone")
    shows_no_document(at)
    assert "'everyone'" in errors(at) and "DRAFTING_APP_MODE" in errors(at)


# ------------------------------------------------------------------------------ oidc


@pytest.mark.parametrize("verified", [None, "true", 1, False, "yes"], ids=["missing", "text", "one", "false", "yes"])
def test_an_unverified_email_identifies_nobody(example, monkeypatch, verified):
    user = {"is_logged_in": True, "email": "diplomat@sre.gob.mx"}
    if verified is not None:
        user["email_verified"] = verified
    at = app(example, monkeypatch, mode="oidc", secrets=OIDC_SECRETS, user=user)
    assert not at.exception
    shows_no_document(at)
    assert "not reported as verified" in errors(at)


def test_a_verified_email_signs_in_as_its_delegation(example, monkeypatch):
    user = {"is_logged_in": True, "email": "Diplomat@sre.gob.mx", "email_verified": True}
    at = app(example, monkeypatch, mode="oidc", secrets=OIDC_SECRETS, user=user)
    assert not at.exception and not at.error
    assert "Delegation: MEX" in " ".join(c.value for c in at.sidebar.caption)


# -------------------------------------------------------------------------- password


def _sign_in(at, user: str, password: str):
    at.text_input(key="_drafting_login_user").input(user)
    at.text_input(key="_drafting_login_password").input(password)
    return at.button[0].click().run()


def test_password_sign_in_checks_the_bcrypt_hash(example, monkeypatch):
    auth._failures.clear()
    at = app(example, monkeypatch, mode="password", secrets=PASSWORD_SECRETS)
    shows_no_document(at)
    _sign_in(at, "mex", "wrong")
    assert "Wrong user name or password." in errors(at)
    shows_no_document(at)
    _sign_in(at, "MEX", PASSWORD)
    assert not at.exception and not at.error, errors(at)
    assert "Delegation: MEX" in " ".join(c.value for c in at.sidebar.caption)
    assert 'class="dr-doc"' in html(at)
    assert "_drafting_login_password" not in at.session_state  # the password is not kept


def test_unknown_users_and_a_missing_hash_sign_in_nobody(example, monkeypatch):
    auth._failures.clear()
    at = app(example, monkeypatch, mode="password", secrets=PASSWORD_SECRETS)
    _sign_in(at, "lao", "")  # in [drafting.users], but without credentials
    assert "Wrong user name or password." in errors(at)
    assert not auth.check_password({"usernames": {"x": {"password": "plain text"}}}, "x", "plain text")


def test_repeated_wrong_passwords_lock_the_user_name_out(example, monkeypatch):
    auth._failures.clear()
    at = app(example, monkeypatch, mode="password", secrets=PASSWORD_SECRETS)
    for _ in range(auth.MAX_FAILURES):
        _sign_in(at, "mex", "guess")
    _sign_in(at, "mex", PASSWORD)  # even the right one, now
    assert "Too many wrong passwords for mex" in errors(at)
    shows_no_document(at)
    assert auth.locked_out("mex", now=time.monotonic() + auth.LOCKOUT_S + 1) == 0
    auth._failures.clear()


# ---------------------------------------------------------------- what the pages show


def test_a_bad_contribution_file_leaves_every_page_working(example, monkeypatch):
    commit_as(example, "FRA", {"contributions/action-plan/zero-draft-inputs/FRA.yaml": "proposals: [\n"}, "Damaged")
    at = app(example, monkeypatch, mode="demo")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "contributions/action-plan/zero-draft-inputs/FRA.yaml" in warning
    for page in ("draft", "compare", "my_inputs", "review", "dashboard", "history"):
        at.switch_page(f"src/drafting/app/pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_look_alike_letters_are_flagged_in_the_app(example, monkeypatch):
    from drafting.service.inputs import submit_data
    from drafting.store.workspace import Workspace

    ws = Workspace(example)
    text = ws.version("action-plan", "zero-draft").paragraphs[3].text.replace("a", "\u0430", 1)
    pid = ws.version("action-plan", "zero-draft").paragraphs[3].id
    from drafting.service import app_queries as q

    ws = Workspace(example)
    data = q.contribution_with(
        ws, "action-plan", "zero-draft-inputs", "AUT", [q.new_proposal("amend", paragraph=pid, text=text)]
    )
    submit_data(ws, data, delegation="AUT", source="t", document="action-plan", round="zero-draft-inputs")
    at = app(example, monkeypatch, mode="demo")
    at.switch_page("src/drafting/app/pages/review.py").run()
    at.selectbox(key="rev_para").set_value(pid).run()
    assert not at.exception
    assert 'class="dr-mixed" title="This word mixes Cyrillic and Latin letters' in html(at)


def test_the_app_offers_only_states_as_co_sponsors(example, monkeypatch):
    at = app(example, monkeypatch, mode="demo")
    at.selectbox(key="acting_as").set_value("MEX").run()
    at.switch_page("src/drafting/app/pages/submit.py").run()
    boxes = [m for m in at.multiselect if str(m.key).startswith("sub_co_")]
    if boxes:  # shown once something is prepared; the rule itself is the model's
        assert not {"LAO", "ICRC", "ISU", "CMC"} & set(boxes[0].options)
    from drafting.model import roles
    from drafting.store.workspace import Workspace

    cfg = Workspace(example).config
    assert [d.code for d in cfg.delegations if not roles.co_sponsor_problem(d)] == [
        d.code for d in cfg.delegations if d.role in ("state-party", "signatory")
    ]


# ------------------------------------------------------------------------- the browser


@contextmanager
def serve(workspace: Path, folder: Path, mode: str, secrets: str):
    """``streamlit run app.py`` from ``folder``, whose ``.streamlit/secrets.toml`` is the
    server's configuration; ``DRAFTING_APP_MODE`` set to ``mode``."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit/config.toml", folder / ".streamlit/config.toml")
    (folder / ".streamlit/secrets.toml").write_text(secrets)
    with served.serve(workspace, cwd=folder, mode=mode, log=folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _wait_text(page, text: str, timeout_s: float = 30) -> None:
    page.get_by_text(text).first.wait_for(timeout=timeout_s * 1000)


PASSWORD_TOML = f"""
[drafting.password.credentials.usernames.mex]
name = "Mexico"
password = "{HASH}"

[drafting.users]
mex = "MEX"
"""

OIDC_TOML = """
[auth]
redirect_uri = "http://127.0.0.1:9/oauth2callback"
cookie_secret = "a long random string for the tests, not a secret"
client_id = "drafting"
client_secret = "s"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[drafting.users]
"diplomat@sre.gob.mx" = "MEX"
"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("browser")
def test_browser_password_mode_ignores_the_workspace_and_keeps_no_readable_credential(
    browser, example_master, tmp_path
):
    ws = tmp_path / "ws"
    shutil.copytree(example_master, ws, symlinks=True)
    workspace_says_demo(ws)
    with serve(ws, tmp_path / "server", "password", PASSWORD_TOML) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        _wait_text(page, "Sign in")
        assert page.get_by_text("Acting as").count() == 0
        assert page.locator(".dr-doc").count() == 0
        page.get_by_role("textbox", name="User name").fill("mex")
        page.get_by_role("textbox", name="Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        _wait_text(page, "Wrong user name or password.")
        page.get_by_role("textbox", name="User name").fill("mex")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        _wait_text(page, "Delegation: MEX")
        page.locator(".dr-doc").first.wait_for(timeout=30000)
        readable = page.evaluate("document.cookie")
        assert PASSWORD not in readable and "mex" not in readable.lower()
        for c in context.cookies():
            assert c["httpOnly"] or c["name"].startswith("_streamlit_xsrf"), c
        page.reload()  # the signed-in state is the server's session, not a cookie
        _wait_text(page, "Sign in")
        assert page.locator(".dr-doc").count() == 0
        context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("browser")
def test_browser_oidc_mode_asks_anonymous_visitors_to_sign_in(browser, example_master, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(example_master, ws, symlinks=True)
    workspace_says_demo(ws)
    with serve(ws, tmp_path / "server", "demo", OIDC_TOML) as url:  # demo asked for, [auth] configured
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        _wait_text(page, "open to the delegations of the conference only")
        page.get_by_role("button", name="Sign in").wait_for(timeout=30000)
        assert page.get_by_role("button", name="Sign in").count() == 1
        assert page.get_by_text("Acting as").count() == 0 and page.locator(".dr-doc").count() == 0
        assert "Demo" not in page.content()
        context.close()
