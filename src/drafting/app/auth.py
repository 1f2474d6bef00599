"""Who is using the app, and as which delegation.

The sign-in mode (``demo``, ``oidc`` or ``password``) is the server operator's choice, from
the server's environment or secrets, never from the workspace. This module only
establishes who is asking; what a delegation may do is decided by the service functions
the app calls. The modes and where they come from: ``docs/design/sign-in.md`` and
``docs/app.md``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import streamlit as st

from ..formats.diffview import escape_markdown as md
from ..model.records import Config, Delegation
from ..model.vocabulary import ROLE_WORDS
from . import markup

MODES = ("demo", "oidc", "password")
DEFAULT_MODE = "oidc"
MODE_ENV = "DRAFTING_APP_MODE"
SIGNED_IN = "_drafting_password_user"
#: wrong passwords for one user name before it is locked out, and for how long
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60


def _plain(node: Any) -> Any:
    """Secrets as plain dicts."""
    if hasattr(node, "items"):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_plain(v) for v in node]
    return node


def secret(*path: str) -> Any:
    """``st.secrets[path[0]][path[1]]...`` as plain data, or None when absent."""
    try:
        node: Any = st.secrets
        for p in path:
            if p not in node:
                return None
            node = node[p]
        return _plain(node)
    except Exception:  # noqa: BLE001 - Streamlit raises its own errors for a missing or unreadable secrets file
        return None


def server_mode(environ: Mapping[str, str] | None = None, read: Callable[..., Any] = secret) -> tuple[str, str]:
    """``(mode, why)``: the sign-in mode from the server's configuration (see the module's
    docstring), and a few words on where it came from. Pure but for ``read`` (secrets)."""
    env = os.environ if environ is None else environ
    asked = (env.get(MODE_ENV) or "").strip().lower()
    source = MODE_ENV
    if not asked:
        configured = read("drafting", "mode")
        asked = str(configured).strip().lower() if configured else ""
        source = "[drafting] mode in .streamlit/secrets.toml"
    if not asked:
        return DEFAULT_MODE, "no mode configured: sign-in required"
    if asked not in MODES:
        return "invalid:" + asked[:40], source
    if asked == "demo":
        if read("auth") is not None:
            return "oidc", "demo refused: the server has OpenID Connect sign-in configured"
        if read("drafting", "password") is not None:
            return "password", "demo refused: the server has password sign-in configured"
    return asked, source


def mode_of(config: Config | None = None) -> str:
    """The mode this server runs in (``config`` is not consulted: the workspace does not
    decide whether sign-in is required)."""
    return server_mode()[0]


def users_map() -> dict[str, str]:
    """``[drafting.users]``: e-mail address or user name (case-insensitive) -> delegation code."""
    raw = secret("drafting", "users") or {}
    return {str(k).strip().lower(): str(v).strip() for k, v in raw.items()} if isinstance(raw, dict) else {}


def _stop_with(message: str, kind: str = "error") -> NoReturn:
    (st.error if kind == "error" else st.info)(md(message))
    st.stop()


def identify(config: Config) -> Delegation:
    """The delegation the current visitor acts as; stops the run when there is none."""
    mode = mode_of(config)
    if mode == "demo":
        return _demo(config)
    if mode == "oidc":
        return _oidc(config)
    if mode == "password":
        return _password(config)
    _stop_with(
        f"The server's {MODE_ENV} (or [drafting] mode) is {mode.split(':', 1)[-1]!r}; use one of "
        f"{', '.join(MODES)} (see docs/app.md)."
    )
    raise AssertionError  # st.stop() does not return


def _label(d: Delegation) -> str:
    return f"{d.code} — {d.name}"


def _demo(config: Config) -> Delegation:
    by_code = {d.code: d for d in config.delegations}
    codes = list(by_code)
    if not codes:
        _stop_with("drafting.yaml lists no delegations.")
    default = codes.index(config.presidency) if config.presidency in codes else 0
    if "acting_as" in st.session_state and st.session_state["acting_as"] not in codes:
        del st.session_state["acting_as"]
    from .links import arrived

    if arrived("as") in codes:  # a demo link may say whom to act as (?as=MEX)
        st.session_state["acting_as"] = arrived("as")

    code = st.sidebar.selectbox(
        "Acting as",
        codes,
        index=default,
        key="acting_as",
        format_func=lambda c: _label(by_code[c]),
        help="Demo mode: pick any delegation to see the app as it does.",
    )
    d = by_code[code]
    st.sidebar.caption(md(f"Role: {ROLE_WORDS.get(d.role, d.role)}"))
    return d


def _signed_in_as(config: Config, who: str, d: Delegation, logout) -> None:
    st.sidebar.caption(md(f"Signed in as {who}"))
    st.sidebar.caption(md(f"Delegation: {d.code} — {d.name} ({d.role})"))
    logout()


def _delegation_for(config: Config, key: str | None, who: str) -> Delegation:
    code = users_map().get((key or "").strip().lower())
    d = config.delegation(code) if code else None
    if d is None:
        _stop_with(
            f"The account {who} is not registered with any delegation of this conference. "
            "Ask the Secretariat to add it to the list of users."
        )
    return d


def email_verified(claims: Mapping[str, Any]) -> bool:
    """The provider vouches for the address: ``email_verified`` is the boolean ``true``
    (a missing claim, the text "true" or "false", a number: not verified)."""
    return claims.get("email_verified") is True


def _oidc(config: Config) -> Delegation:
    provider = secret("drafting", "provider")
    if not st.user.get("is_logged_in"):
        if secret("auth") is None:
            _stop_with(
                "Sign-in is not configured: this server requires sign-in (OpenID Connect), which "
                "needs an [auth] section in .streamlit/secrets.toml (see docs/app.md). For a local "
                f"trial of the bundled example, start the app with {MODE_ENV}=demo (make run does)."
            )
        st.html(markup.header(config.conference, "Sign in"))
        st.write("This workspace is open to the delegations of the conference only.")
        st.button("Sign in", type="primary", on_click=st.login, args=(str(provider),) if provider else ())
        st.stop()
    email = str(st.user.get("email") or "")
    if not email_verified(st.user):
        st.button("Sign out", on_click=st.logout)
        _stop_with(
            f"The e-mail address {email or '(none)'} is not reported as verified by the sign-in provider, "
            "so it cannot identify a delegation."
        )
    d = _delegation_for(config, email, email or "without an e-mail address")
    _signed_in_as(config, email, d, lambda: st.sidebar.button("Sign out", on_click=st.logout))
    return d


# ---------------------------------------------------------------------------- password

_failures: dict[str, list[float]] = {}
_failures_lock = threading.Lock()
_dummy: list[bytes] = []


def _dummy_hash() -> bytes:
    """Checked when the user name is unknown, so that the answer takes as long either way."""
    import bcrypt

    if not _dummy:
        _dummy.append(bcrypt.hashpw(b"not a password", bcrypt.gensalt(12)))
    return _dummy[0]


def locked_out(username: str, now: float | None = None) -> float:
    """Seconds left of ``username``'s lock-out (0: not locked out)."""
    t = time.monotonic() if now is None else now
    with _failures_lock:
        recent = [x for x in _failures.get(username, []) if t - x < LOCKOUT_S]
        _failures[username] = recent
        if len(recent) < MAX_FAILURES:
            return 0.0
        return LOCKOUT_S - (t - recent[-MAX_FAILURES])


def _failed(username: str) -> None:
    now = time.monotonic()
    with _failures_lock:
        if len(_failures) > 10_000:  # guessed user names must not fill the server's memory
            for name in [n for n, times in _failures.items() if not times or now - times[-1] > LOCKOUT_S]:
                del _failures[name]
        _failures.setdefault(username, []).append(now)


def check_password(credentials: Mapping[str, Any], username: str, password: str) -> bool:
    """Whether ``password`` matches the bcrypt hash stored for ``username``."""
    import bcrypt

    users = credentials.get("usernames") if isinstance(credentials, Mapping) else None
    by_name = {str(k).strip().lower(): v for k, v in users.items()} if isinstance(users, Mapping) else {}
    entry = by_name.get(username.strip().lower())
    stored = entry.get("password") if isinstance(entry, Mapping) else None
    candidate = password.encode("utf-8")[:72]
    if not isinstance(stored, str) or not stored.startswith(("$2a$", "$2b$", "$2y$")):
        bcrypt.checkpw(candidate, _dummy_hash())
        return False
    try:
        return bcrypt.checkpw(candidate, stored.encode("ascii"))
    except ValueError:  # a damaged hash in the secrets file
        return False


def _password(config: Config) -> Delegation:
    try:
        import bcrypt  # noqa: F401
    except ImportError:
        _stop_with("This server uses password sign-in, which needs bcrypt: pip install bcrypt (see docs/app.md).")
        raise
    settings = secret("drafting", "password")
    credentials = (settings or {}).get("credentials") if isinstance(settings, dict) else None
    if not isinstance(credentials, dict) or not isinstance(credentials.get("usernames"), dict):
        _stop_with(
            "Password sign-in is not configured: add [drafting.password.credentials.usernames.NAME] "
            "entries with bcrypt-hashed passwords to .streamlit/secrets.toml (see docs/app.md)."
        )
    assert isinstance(credentials, dict)  # (_stop_with does not return)
    username = st.session_state.get(SIGNED_IN)
    if not username:
        st.html(markup.header(config.conference, "Sign in"))
        with st.form("drafting_sign_in"):
            name = st.text_input("User name", key="_drafting_login_user")
            pw = st.text_input("Password", type="password", key="_drafting_login_password")
            sent = st.form_submit_button("Sign in", type="primary")
        if sent:
            name = (name or "").strip().lower()[:200]
            wait = locked_out(name)
            if wait:
                _stop_with(f"Too many wrong passwords for {name}: try again in {int(wait // 60) + 1} minutes.")
            if name and check_password(credentials, name, pw or ""):
                st.session_state[SIGNED_IN] = name
                st.session_state.pop("_drafting_login_password", None)
                st.rerun()
            _failed(name)
            _stop_with("Wrong user name or password.")
        st.stop()
    d = _delegation_for(config, username, username)

    def logout() -> None:
        if st.sidebar.button("Sign out", key="_drafting_sign_out"):
            st.session_state.pop(SIGNED_IN, None)
            st.rerun()

    _signed_in_as(config, username, d, logout)
    return d
