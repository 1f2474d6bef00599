"""Submit: a delegation prepares proposals (edit a paragraph in place, a new paragraph, a
deletion, a comment; or a Word file), previews them, names co-sponsors, and sends them.

Prepared proposals wait in the session ("your proposals to send") until sent; sending
submits them together with what the delegation already submitted in the round (a
resubmission replaces the delegation's file; its earlier proposals keep their ids).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ...model import roles
from ...model.errors import DraftingError
from ...model.records import KINDS
from ...model.vocabulary import count_inputs, kind_word, paragraph_kind
from ...service.app_queries import START, amendment_from_edit, new_proposal
from ...text.diff import diff_words
from .. import actions, cache, links, markup
from ..common import Ctx, ctx, keep_valid, page_header, paragraph_option, pick_round, show_error

BASKET = "sub_basket"
KIND_AMEND, KIND_INSERT, KIND_DELETE, KIND_COMMENT, KIND_WORD = (
    "Amend a paragraph",
    "Propose a new paragraph",
    "Propose a deletion",
    "Comment",
    "Upload a Word file",
)


def basket(document: str, round_id: str) -> list[dict]:
    return st.session_state.setdefault(BASKET, {}).setdefault(f"{document}/{round_id}", [])


def _add(document: str, round_id: str, item: dict, reset: dict[str, str]) -> None:
    """Add ``item`` to the proposals to send and clear the form (``reset``: each field's
    empty value), so that the same item is not added twice by accident."""
    if item in basket(document, round_id):
        _warn("This proposal is already among those ready to send, below; change it or add another.")
        return
    basket(document, round_id).append(item)
    for key, empty in reset.items():
        st.session_state[key] = empty
    st.session_state["sub_msg"] = None


def _warn(message: str) -> None:
    st.session_state["sub_msg"] = message


def round_closed_for(c: Ctx, rid: str) -> str | None:
    """Why the acting delegation cannot submit in the round now (None: it can)."""
    from ...service.rounds import admission_note

    try:
        return admission_note(c.ws, rid, c.actor.code)
    except DraftingError:
        return None


def render() -> None:
    c = ctx()
    page_header(c, "Submit", f"Proposals of {c.actor.name} ({c.actor.code})")
    rid = pick_round(c, "Round of inputs", "sub_round")
    if rid is None:
        st.info("This document has no input round: the Presidency opens one on the Review page.")
        return
    rnd = c.config.round(rid)
    if rnd is None:  # (pick_round offers the document's rounds only)
        return
    closed = round_closed_for(c, rid)
    if closed:  # said before any work is done; the service refuses a submission anyway
        st.html(markup.note(closed, "warn"))
    base = c.version(rnd.base)

    nums = cache.numbers(c.root, c.head, c.document, rnd.base)
    by_id = base.by_id()
    ids = [p.id for p in base.paragraphs]

    def opt(pid: str) -> str:
        if pid == START:
            return "At the start of the document"
        p = by_id[pid]
        return paragraph_option(nums.get(pid, ""), pid, p.text, p.kind)

    last = st.session_state.get(actions.LAST_SUBMISSION)
    if last and last["document"] == c.document and last["round"] == rid and last["rows"]:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Reference": r["id"],
                        "Kind": kind_word(r["op"], capital=True),
                        "Paragraph": ("after " if r["op"] == "insert" else "")
                        + c.paragraph_name(rnd.base, r["paragraph"]),
                    }
                    for r in last["rows"]
                ]
            ),
            hide_index=True,
            width="content",
        )

    mine = [r for r in cache.proposals(c.root, c.head, c.document, rid) if r["delegation"] == c.actor.code]
    if mine:
        st.html(
            markup.note(
                f"Your delegation has already submitted {count_inputs(r['op'] for r in mine)} on "
                f"{c.version_label(rnd.base)} ({', '.join(r['id'] for r in mine)}). "
                "They are kept when you send new ones; see My inputs for where they went."
            )
        )

    observer = roles.may_only_comment(c.actor)
    kinds = [KIND_COMMENT] if observer else [KIND_AMEND, KIND_INSERT, KIND_DELETE, KIND_COMMENT, KIND_WORD]
    if observer:
        st.caption("As an observer, your delegation may comment on paragraphs; proposals of text are for States.")
    keep_valid("sub_kind", kinds)
    if links.arrived("p") in ids and KIND_AMEND in kinds:  # a link to amend a paragraph
        st.session_state["sub_kind"] = KIND_AMEND
        st.session_state["sub_amend_para"] = links.arrived("p")
    elif links.arrived("p") in ids:
        st.session_state["sub_com_para"] = links.arrived("p")
    links.publish(round=rid)
    kind = st.radio("What do you want to propose?", kinds, horizontal=True, key="sub_kind")

    with st.container(border=True):
        msg = st.session_state.pop("sub_msg", None)
        if msg:  # at the top of the form, where the eye is, saying what to do
            st.warning(msg)
        if kind == KIND_AMEND:
            _amend(c, rid, ids, by_id, opt)
        elif kind == KIND_INSERT:
            _insert(c, rid, base, ids, by_id, opt)
        elif kind == KIND_DELETE:
            _delete(c, rid, ids, by_id, opt)
        elif kind == KIND_COMMENT:
            _comment(c, rid, ids, opt)
        else:
            _word(c, rid, base, nums, mine)

    _basket(c, rid, base, nums, mine)


# ------------------------------------------------------------------------- the forms


def _amend(c: Ctx, rid: str, ids, by_id, opt) -> None:
    first = next((i for i, x in enumerate(ids) if by_id[x].kind != "heading"), 0)
    keep_valid("sub_amend_para", ids)
    pid = st.selectbox("Paragraph", ids, index=first, key="sub_amend_para", format_func=opt)
    para = by_id[pid]
    text_key = f"sub_amend_text_{rid}_{pid}"
    edited = st.text_area(
        "Edit the text in place: your amendment is the paragraph as you leave it",
        value=para.text,
        key=text_key,
        height=170,
    )
    st.text_area("Rationale (optional)", key="sub_amend_rationale", height=68)
    new = amendment_from_edit(para.text, edited)
    if new:
        st.html(
            f'<div class="dr-card"><div class="dr-card-label">Your change</div>'
            f'<p class="dr-text dr-changes">{markup.ops(diff_words(para.text, new))}</p></div>'
        )

    def add() -> None:
        text = amendment_from_edit(para.text, st.session_state.get(text_key))
        if not text:
            _warn(
                "The text is unchanged (or empty): edit the paragraph in the box below first. "
                "To remove the whole paragraph, choose “Propose a deletion” above."
            )
            return
        _add(
            c.document,
            rid,
            new_proposal("amend", paragraph=pid, text=text, rationale=st.session_state.get("sub_amend_rationale")),
            {text_key: para.text, "sub_amend_rationale": ""},
        )

    st.button("Add to my proposals", key="sub_add_amend", on_click=add)


def _insert(c: Ctx, rid: str, base, ids, by_id, opt) -> None:
    keep_valid("sub_ins_after", [START, *ids])
    after = st.selectbox("After paragraph", [START, *ids], index=1 if ids else 0, key="sub_ins_after", format_func=opt)
    anchor = by_id.get(after)
    kinds = list(KINDS)
    default_kind = (
        anchor.kind
        if anchor and anchor.kind != "heading"
        else ("action" if any(p.kind == "action" for p in base.paragraphs) else "text")
    )
    cols = st.columns(2)
    kind = cols[0].selectbox(
        "Kind",
        kinds,
        index=kinds.index(default_kind),
        key=f"sub_ins_kind_{after}",
        format_func=lambda k: paragraph_kind(k, capital=True),
    )
    sections = list(dict.fromkeys(p.section for p in base.paragraphs if p.section))
    section = None
    if sections:
        idx = sections.index(anchor.section) if anchor and anchor.section in sections else 0
        section = cols[1].selectbox("Section", sections, index=idx, key=f"sub_ins_section_{after}")
    st.text_area("Text of the new paragraph", key="sub_ins_text", height=150)
    st.text_area("Rationale (optional)", key="sub_ins_rationale", height=68)

    def add() -> None:
        text = " ".join(str(st.session_state.get("sub_ins_text") or "").split())
        if not text:
            _warn("Write the text of the new paragraph in the box below, then add it.")
            return
        _add(
            c.document,
            rid,
            new_proposal(
                "insert",
                after=None if after == START else after,
                text=text,
                kind=kind,
                section=section,
                rationale=st.session_state.get("sub_ins_rationale"),
            ),
            {"sub_ins_text": "", "sub_ins_rationale": ""},
        )

    st.button("Add to my proposals", key="sub_add_insert", on_click=add)


def _delete(c: Ctx, rid: str, ids, by_id, opt) -> None:
    first = next((i for i, x in enumerate(ids) if by_id[x].kind != "heading"), 0)
    keep_valid("sub_del_para", ids)
    pid = st.selectbox("Paragraph to delete", ids, index=first, key="sub_del_para", format_func=opt)
    st.html(f'<div class="dr-card"><p class="dr-text dr-changes"><del>{markup.e(by_id[pid].text)}</del></p></div>')
    st.text_area("Rationale (optional)", key="sub_del_rationale", height=68)

    def add() -> None:
        _add(
            c.document,
            rid,
            new_proposal("delete", paragraph=pid, rationale=st.session_state.get("sub_del_rationale")),
            {"sub_del_rationale": ""},
        )

    st.button("Add to my proposals", key="sub_add_delete", on_click=add)


def _comment(c: Ctx, rid: str, ids, opt) -> None:
    keep_valid("sub_com_para", ids)
    pid = st.selectbox("Paragraph", ids, key="sub_com_para", format_func=opt)
    st.text_area("Your comment", key="sub_com_text", height=110)

    def add() -> None:
        text = " ".join(str(st.session_state.get("sub_com_text") or "").split())
        if not text:
            _warn("Write your comment in the box below, then add it.")
            return
        _add(c.document, rid, new_proposal("comment", paragraph=pid, text=text), {"sub_com_text": ""})

    st.button("Add to my proposals", key="sub_add_comment", on_click=add)


def _word(c: Ctx, rid: str, base, nums, mine) -> None:
    st.caption(
        f"Upload the circulated {c.version_label(base.version)} in Word, edited with tracked changes "
        "(or edited clean). Its changes and comments become your delegation's proposals, whatever "
        "author names the file carries. You see what was understood before anything is sent."
    )
    up = st.file_uploader("Word file (.docx)", type=["docx"], key=f"sub_docx_{rid}")
    if up is None:
        return
    limit = c.config.limits.max_docx_bytes
    if up.size > limit:
        show_error(f"The file is {up.size:,} bytes, over the limit of {limit:,}.")
        return
    from ...model.errors import DraftingError
    from ...service.inputs import submit_file, upload_name

    # messages name the file as the user chose it, never the temporary folder it is kept in;
    # the name is reduced to a plain base name (no folders, no control characters)
    shown = upload_name(up.name, "upload.docx")
    if not shown.lower().endswith(".docx"):
        shown += ".docx"
    with tempfile.TemporaryDirectory(prefix="drafting-upload-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(up.getvalue())
        try:  # what sending would file, decided the same way, nothing written
            preview = submit_file(
                c.writer(), path, delegation=c.actor.code, document=c.document, round=rid, shown=shown, dry_run=True
            )
        except DraftingError as err:
            show_error(err)
            return
        proposals = [contribution_item(p) for p in preview.added]
        st.markdown(f"**What the file proposes: {len(proposals)}**")
        notes = list(preview.notes)
        if notes:
            with st.expander("How the file was read"):
                st.html(
                    '<div class="dr-note"><ul class="dr-notes">'
                    + "".join(f"<li>{markup.e(x)}</li>" for x in notes)
                    + "</ul></div>"
                )
        _preview_items(c, proposals, base, nums)
        if not proposals:
            return
        if mine:
            st.html(
                markup.note(
                    f"The file's proposals are added to what your delegation already submitted in this round "
                    f"({count_inputs(r['op'] for r in mine)}); those stay as they are.",
                    "info",
                )
            )
        co = _co_sponsors(c, f"sub_word_co_{rid}")
        what = "the proposal" if len(proposals) == 1 else f"the {len(proposals)} proposals"
        if st.button(f"Send {what} of this file", type="primary", key="sub_send_word"):
            actions.submit_word(c, c.document, rid, path, shown, co_sponsors=co)


def contribution_item(p) -> dict:
    """A proposal as the basket and the preview show it (plain data)."""
    d = {"op": p.op, "paragraph": p.paragraph, "after": p.after, "text": p.text, "kind": p.kind, "section": p.section}
    return {k: v for k, v in d.items() if v is not None or k in ("after",)}


# ------------------------------------------------------------------------ the basket


def _item_card(c: Ctx, item: dict, base, nums, n: int | None = None) -> str:
    by_id = base.by_id()
    op = item.get("op")
    target = item.get("after") if op == "insert" else item.get("paragraph")
    where = (
        ("at the start" if target is None else f"after {c.paragraph_name(base.version, target)}")
        if op == "insert"
        else c.paragraph_name(base.version, target)
    )
    base_text = by_id[target].text if target in by_id and op != "insert" else ""
    if op == "amend":
        ops = [[o, t] for o, t in diff_words(base_text, item.get("text") or "")]
    elif op == "insert":
        ops = [["insert", item.get("text") or ""]]
    elif op == "delete":
        ops = [["delete", base_text]]
    else:
        ops = []
    row = {
        "id": f"#{n}" if n else "",
        "op": op,
        "text": item.get("text"),
        "rationale": item.get("rationale"),
        "ops": ops,
    }
    return markup.proposal_card(row, who=c.actor.name, show_status=False, target=where)


def _preview_items(c: Ctx, items: list[dict], base, nums) -> None:
    for i, item in enumerate(items, 1):
        st.html(_item_card(c, item, base, nums, i))


def _basket(c: Ctx, rid: str, base, nums, mine) -> None:
    items = basket(c.document, rid)
    st.markdown(
        f"**Ready to send: {count_inputs(str(i.get('op')) for i in items)}**"
        if items
        else "**Ready to send: nothing yet**"
    )
    if not items:
        st.caption("Nothing prepared yet. Add proposals above; you will see them here before sending.")
        return
    st.caption(
        "Preview: each proposal as a change against "
        f"{c.version_label(base.version)}. Nothing is sent until you press Send."
    )
    for i, item in enumerate(items):
        cols = st.columns([12, 2])
        cols[0].html(_item_card(c, item, base, nums, i + 1))

        def remove(i: int = i) -> None:
            del basket(c.document, rid)[i]

        cols[1].button("Remove", key=f"sub_rm_{i}", on_click=remove)

    co = _co_sponsors(c, f"sub_co_{rid}")
    if st.button(f"Send {count_inputs(str(i.get('op')) for i in items)}", type="primary", key="sub_send"):
        actions.submit(c, c.document, rid, list(items), co, done=items.clear)


def _co_sponsors(c: Ctx, key: str) -> list[str]:
    """The co-sponsors the delegation names: any State but itself (``roles.co_sponsor_problem``)."""
    eligible = [d.code for d in c.config.delegations if d.code != c.actor.code and not roles.co_sponsor_problem(d)]
    return st.multiselect(
        "Co-sponsors of these proposals (each confirms on its My inputs page)",
        eligible,
        default=[],
        key=key,
        format_func=c.name,
    )
