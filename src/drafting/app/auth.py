"""Who is using the app, and as which delegation.

``drafting.yaml`` says how (``app: {mode: ...}``):

- ``demo`` (the bundled example): a visitor picks the delegation they act as in the
  sidebar; every page shows a banner saying so.
- ``oidc``: sign-in with Streamlit's ``st.login`` (OpenID Connect, configured in the
  ``[auth]`` section of ``.streamlit/secrets.toml``); the signed-in e-mail address is
  mapped to a delegation by ``[drafting.users]`` in the same secrets file (kept out of git).
- ``password``: user names and bcrypt-hashed passwords checked by streamlit-authenticator
  (an optional dependency), from ``[drafting.password]`` in the secrets file; user names
  are mapped to delegations by ``[drafting.users]``.

A workspace without ``app.mode`` is treated as ``oidc``: a real workspace never opens
without sign-in. Whatever the mode, what a delegation may do is decided by the service
functions the app calls (they raise ``PermissionDenied``), not by this module, which only
establishes who is asking. See docs/app.md.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..formats.diffview import escape_markdown as md
from ..model.records import Config, Delegation
from . import markup

MODES = ("demo", "oidc", "password")
DEFAULT_MODE = "oidc"


def mode_of(config: Config) -> str:
    mode = str((config.app or {}).get("mode") or DEFAULT_MODE).strip().lower()
    return mode


def _plain(node: Any) -> Any:
    """Secrets as plain dicts (streamlit-authenticator writes into what it is given)."""
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
    except Exception:  # no secrets file at all, or an unreadable one
        return None


def users_map() -> dict[str, str]:
    """``[drafting.users]``: e-mail address or user name (case-insensitive) -> delegation code."""
    raw = secret("drafting", "users") or {}
    return {str(k).strip().lower(): str(v).strip() for k, v in raw.items()} if isinstance(raw, dict) else {}


def _stop_with(message: str, kind: str = "error") -> None:
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
    _stop_with(f"drafting.yaml sets app.mode to {mode!r}; use one of {', '.join(MODES)} (see docs/app.md).")
    raise AssertionError  # st.stop() does not return


def _label(d: Delegation) -> str:
    return f"{d.code} — {d.name}"


def _demo(config: Config) -> Delegation:
    codes = [d.code for d in config.delegations]
    if not codes:
        _stop_with("drafting.yaml lists no delegations.")
    default = codes.index(config.presidency) if config.presidency in codes else 0
    if "acting_as" in st.session_state and st.session_state["acting_as"] not in codes:
        del st.session_state["acting_as"]
    code = st.sidebar.selectbox(
        "Acting as",
        codes,
        index=default,
        key="acting_as",
        format_func=lambda c: _label(config.delegation(c)),
        help="Demo mode: pick any delegation to see the app as it does.",
    )
    d = config.delegation(code)
    st.sidebar.caption(md(f"Role: {d.role}"))
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


def _oidc(config: Config) -> Delegation:
    provider = (config.app or {}).get("provider")
    if not st.user.get("is_logged_in"):
        if secret("auth") is None:
            _stop_with(
                "Sign-in is not configured: this workspace uses app.mode 'oidc', which needs an "
                "[auth] section in .streamlit/secrets.toml (see docs/app.md). For a local trial, "
                "use the bundled example, which runs in demo mode."
            )
        st.html(markup.header(config.conference, "Sign in"))
        st.write("This workspace is open to the delegations of the conference only.")
        st.button("Sign in", type="primary", on_click=st.login, args=(provider,) if provider else ())
        st.stop()
    email = str(st.user.get("email") or "")
    if st.user.get("email_verified") is False:
        st.button("Sign out", on_click=st.logout)
        _stop_with(f"The e-mail address {email} is not verified by the sign-in provider.")
    d = _delegation_for(config, email, email or "without an e-mail address")
    _signed_in_as(config, email, d, lambda: st.sidebar.button("Sign out", on_click=st.logout))
    return d


def _password(config: Config) -> Delegation:
    try:
        import streamlit_authenticator as stauth  # optional dependency
    except ImportError:
        _stop_with(
            "This workspace uses app.mode 'password', which needs streamlit-authenticator: "
            "pip install streamlit-authenticator (see docs/app.md)."
        )
        raise
    settings = secret("drafting", "password")
    if not settings or "credentials" not in settings or "key" not in (settings.get("cookie") or {}):
        _stop_with(
            "Password sign-in is not configured: add [drafting.password.cookie] and "
            "[drafting.password.credentials] to .streamlit/secrets.toml (see docs/app.md)."
        )
    cookie = settings["cookie"]
    # made on every run, as the library expects (its cookie manager is a component)
    authenticator = stauth.Authenticate(
        settings["credentials"],
        str(cookie.get("name", "drafting")),
        str(cookie["key"]),
        float(cookie.get("expiry_days", 1)),
        auto_hash=False,
    )
    try:
        authenticator.login(location="main")
    except Exception as err:  # the library reports bad credentials and lock-outs this way
        st.error(md(str(err)))
    status = st.session_state.get("authentication_status")
    if status is False:
        _stop_with("Wrong user name or password.")
    if status is not True:
        st.stop()
    username = str(st.session_state.get("username") or "")
    d = _delegation_for(config, username, username)
    _signed_in_as(config, username, d, lambda: authenticator.logout(location="sidebar"))
    return d
