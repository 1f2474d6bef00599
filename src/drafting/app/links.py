"""Links in the browser: the address bar says where the visitor is, and opening an address
puts the app at that place (the addresses themselves: :mod:`drafting.model.addresses`).

How the two directions stay apart: the parameters last published are remembered in the
session. A run whose address differs from them was opened from outside (a pasted link, a
sidebar page switch): its parameters are applied to the pages' pickers. Otherwise the
pickers win, and the address is rewritten from them at the end of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ..model.addresses import (  # noqa: F401  (the pages use them through this module)
    COMPARE,
    DASHBOARD,
    DRAFT,
    HISTORY,
    LANGUAGES,
    MY_INPUTS,
    NEWS,
    PAGES,
    PARAMS,
    REFERENCES,
    REVIEW,
    SILENCE,
    SUBMIT,
    absolute,
    compare,
    href,
    paragraph,
    proposal,
    version,
)

_SEEN = "_drafting_url_seen"  # the parameters last applied or published
_PUBLISH = "_drafting_url_publish"  # what this run's page wants in the address
_ARRIVED = "_drafting_url_arrived"  # the parameters this run was opened with, if from outside
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


# ---------------------------------------------------------------------- per run (Streamlit)


def begin() -> dict[str, str]:
    """Read the address at the start of a run: the parameters it was opened with when they
    come from outside (see the module's docstring), else ``{}``."""
    current = {k: v for k, v in st.query_params.to_dict().items() if k in PARAMS and _SAFE.match(str(v))}
    seen = st.session_state.get(_SEEN)
    arrived = current if current != seen else {}
    st.session_state[_ARRIVED] = arrived
    st.session_state[_SEEN] = current
    st.session_state[_PUBLISH] = {}
    return arrived


def arrived(name: str) -> str | None:
    """A parameter this run was opened with from outside (None otherwise)."""
    return (st.session_state.get(_ARRIVED) or {}).get(name)


def apply(name: str, key: str, options: Iterable[Any]) -> bool:
    """Put the picker ``key`` at the place the address names (if it names a valid one)."""
    value = arrived(name)
    if value is not None and value in list(options):
        st.session_state[key] = value
        return True
    return False


def publish(**params: str | None) -> None:
    """What this page's address should say (merged with the document, set in main)."""
    st.session_state.setdefault(_PUBLISH, {}).update({k: v for k, v in params.items() if k in PARAMS})


def end() -> None:
    """Rewrite the address from the place the run ended at (only if it changed)."""
    wanted = {k: str(v) for k, v in (st.session_state.get(_PUBLISH) or {}).items() if v}
    ordered = {k: wanted[k] for k in PARAMS if k in wanted}
    current = {k: v for k, v in st.query_params.to_dict().items() if k in PARAMS}
    if ordered != current:
        st.query_params.from_dict(ordered)
    st.session_state[_SEEN] = ordered


def base_url(page_paths: Sequence[str] = PAGES, configured: str | None = None) -> str | None:
    """The app's public address: ``configured`` (the server's setting) or, from the
    browser, the current address without its page path."""
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 (no browser behind this run: AppTest, bare mode)
        return None
    if not url:
        return None
    url = url.split("?", 1)[0].rstrip("/")
    last = url.rsplit("/", 1)
    if len(last) == 2 and last[1] in page_paths:
        url = last[0]
    return url


def public_base() -> str | None:
    """The app's public address: the server's ``DRAFTING_PUBLIC_URL`` (or ``public_url``
    under ``[drafting]`` in its secrets), else what the browser shows."""
    import os

    from .auth import secret

    configured = os.environ.get("DRAFTING_PUBLIC_URL") or secret("drafting", "public_url")
    return base_url(configured=str(configured) if configured else None)


def query_of(mapping: Mapping[str, str]) -> str:
    return urlencode([(k, mapping[k]) for k in PARAMS if mapping.get(k)])
