"""The app's writes: each is one service call, made as the signed-in (or, in demo mode,
picked) delegation. The services check the role and raise ``PermissionDenied`` (or another
``DraftingError``); the message is shown as the CLI would print it and nothing is written.
On success the result is kept for the next run and the script reruns on the new HEAD."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from ..model.errors import DraftingError
from .common import Ctx, flash, show_error

LAST_SUBMISSION = "_drafting_last_submission"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def submit(
    c: Ctx,
    document: str,
    round_id: str,
    items: Sequence[dict[str, Any]],
    co_sponsors: Sequence[str] | None,
    *,
    done=None,
) -> bool:
    """Send ``items`` (new proposals) as ``c.actor``: they are added to what it already
    submitted in the round (``co_sponsors``: named for these proposals); ``done()`` runs
    after a successful submission (before the rerun)."""
    from ..service.inputs import submit_proposals

    ws = c.writer()
    code = c.actor.code
    try:
        res = submit_proposals(
            ws, items, delegation=code, document=document, round=round_id, co_sponsors=tuple(co_sponsors or ())
        )
    except DraftingError as err:
        show_error(err)
        return False
    if done:
        done()
    _remember(c, res, list(res.added), document, round_id)
    return True


def withdraw(c: Ctx, proposal_id: str) -> bool:
    """``c.actor`` withdraws its undecided proposal."""
    from ..service.inputs import withdraw as service

    try:
        service(c.writer(), proposal_id, delegation=c.actor.code)
    except DraftingError as err:
        show_error(err)
        return False
    flash("success", f"{proposal_id} withdrawn.")
    st.rerun()
    return True


def cosponsor(c: Ctx, proposal_id: str, *, withdraw: bool = False) -> bool:
    """``c.actor``, named as a co-sponsor, confirms ``proposal_id`` (or withdraws its support)."""
    from ..service.inputs import cosponsor as service

    try:
        service(c.writer(), proposal_id, delegation=c.actor.code, withdraw=withdraw)
    except DraftingError as err:
        show_error(err)
        return False
    flash(
        "success", f"Support of {proposal_id} withdrawn." if withdraw else f"{c.actor.name} co-sponsors {proposal_id}."
    )
    st.rerun()
    return True


def submit_word(
    c: Ctx, document: str, round_id: str | None, path: Path, shown: str | None = None, co_sponsors=()
) -> bool:
    from ..service.inputs import submit_file

    ws = c.writer()
    try:
        res = submit_file(
            ws,
            path,
            delegation=c.actor.code,
            document=document,
            round=round_id,
            shown=shown,
            co_sponsors=tuple(co_sponsors),
        )
    except DraftingError as err:
        show_error(err)
        return False
    _remember(c, res, list(res.added), document, res.contribution.round)
    return True


def _remember(c: Ctx, res, new, document: str, round_id: str) -> None:
    from ..model.vocabulary import count_inputs

    ids = [p.id for p in new]
    st.session_state[LAST_SUBMISSION] = {
        "document": document,
        "round": round_id,
        "commit": res.commit,
        "ids": ids,
        "all": [p.id for p in res.contribution.proposals],
        "rows": [{"id": p.id, "op": p.op, "paragraph": p.target} for p in new],
    }
    what = count_inputs(p.op for p in new) if new else "no new proposals"
    refs = f" ({', '.join(ids)})" if ids else ""
    flash(
        "success",
        f"Sent for {c.name(res.contribution.delegation)}: {what}{refs} on the {c.title} "
        f"({c.round_name(round_id, deadline=False).lower()}).",
    )
    st.rerun()


def decide(
    c: Ctx,
    proposal: str,
    status: str,
    *,
    document: str,
    round_id: str,
    text: str | None = None,
    note: str | None = None,
    seen: dict[str, Any] | None = None,
    where=None,
) -> bool:
    """``seen``: the proposal as the page showed it before the click; the decision is
    refused if a resubmission changed it meanwhile. ``where``: the container to show a
    refusal in (the top of the form)."""
    from ..service.inputs import decide as decide_

    try:
        r = decide_(
            c.writer(),
            proposal,
            status,
            text=text or None,
            note=note or None,
            by=c.actor.code,
            document=document,
            round=round_id,
            expect=seen,
        )
    except DraftingError as err:
        show_error(err, where, prefix="Not recorded: ")
        return False
    from ..model.vocabulary import input_noun, status_word

    flash(
        "success",
        f"Decision recorded: {c.name(r.proposal.delegation)}'s {input_noun(r.proposal.op)} {r.proposal.id} "
        f"{'is' if status in ('open',) else 'was'} {status_word(status)}.",
    )
    st.rerun()
    return True


def compose(
    c: Ctx,
    document: str,
    from_version: str,
    to_version: str,
    *,
    round_id: str | None,
    on_conflict: str,
    label: str | None,
    renumber: bool = False,
    allow_open: bool = False,
    open_next: str | None = None,
) -> bool:
    """Compose (``allow_open``: although proposals are still open; ``open_next``: the next
    round's deadline, opened on the new version in the same commit)."""
    from ..service.versions import compose as compose_

    try:
        r = compose_(
            c.writer(),
            document,
            from_version,
            to_version,
            round=round_id,
            on_conflict=on_conflict,
            by=c.actor.code,
            label=label or None,
            renumber=renumber,
            allow_open=allow_open,
            open_next=open_next,
        )
    except DraftingError as err:
        show_error(err)
        return False
    from ..model.vocabulary import default_label

    flash(
        "success",
        f"{label or default_label(r['version'])} of the {c.title} composed from {c.version_label(from_version)}: "
        f"{_plural(len(r['applied']), 'proposal')} applied, "
        f"{_plural(len(r['conflicts']), 'conflict')} in square brackets. "
        "See it on the Draft and Compare pages."
        + (f" Inputs on it are open until {r['next_round']['deadline_text']}." if r.get("next_round") else ""),
    )
    for key in ("draft_version", "cmp_from", "cmp_to", f"rev_to_{round_id}", f"rev_label_{round_id}"):
        # Draft and Compare open on the new version; Review proposes the next name
        st.session_state.pop(key, None)
    st.rerun()
    return True


def decide_many(
    c: Ctx,
    ids: Sequence[str],
    status: str,
    *,
    note: str | None = None,
    seen: dict[str, Any] | None = None,
    where=None,
) -> bool:
    """Many decisions in one commit; ``seen``: id -> the proposal as the page showed it."""
    from ..service.decisions import decide_many as decide_many_

    try:
        r = decide_many_(c.writer(), list(ids), status, note=note or None, by=c.actor.code, expect=seen)
    except DraftingError as err:
        show_error(err, where, prefix="Not recorded: ")
        return False
    from ..model.vocabulary import status_word

    flash("success", f"{_plural(len(r['decided']), 'decision')} recorded at once: {status_word(status)}.")
    st.rerun()
    return True


def manage_round(c: Ctx, step: str, **kw: Any) -> bool:
    """Open, extend or close an input round (``step``), as ``c.actor``."""
    from ..service import rounds as R

    try:
        if step == "open":
            r = R.open_round(c.writer(), by=c.actor.code, **kw)
        elif step == "extend":
            r = R.extend_round(c.writer(), by=c.actor.code, **kw)
        else:
            r = R.close_round(c.writer(), by=c.actor.code, **kw)
    except DraftingError as err:
        show_error(err)
        return False
    said = {
        "open": f"Inputs on {c.version_label(r['base'])} are open until {r['deadline_text']}.",
        "extend": f"The deadline is extended: {r['title']}.",
        "close": f"Closed: {r['title']}. No more inputs are accepted.",
    }[step]
    flash("success", said[0].upper() + said[1:])
    st.rerun()
    return True
