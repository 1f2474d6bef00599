"""HTML for the app's texts: every piece of workspace text is escaped here.

Delegations' text never meets markup unescaped: everything that comes from a workspace
(paragraph and proposal texts, ids, numbers, names, notes, sections) goes through
:func:`e` (``html.escape`` with quotes) before it is placed in an element or an attribute.
The app shows these strings with ``st.html`` (which also sanitises, as a second line of
defence), never with ``st.markdown``, so no Markdown is interpreted in them either.
Pure functions: no Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from ..model.vocabulary import KIND_WORDS, STATUS_WORDS, kind_word, list_phrase, plural, status_word

#: the words of model.vocabulary, as the app's cards and badges say them
OP_LABELS = {op: kind_word(op, capital=True) for op in KIND_WORDS}
STATUS_LABELS = dict(STATUS_WORDS)


def e(value: Any) -> str:
    """Escape anything for HTML text and (double-quoted) attribute values alike."""
    return html.escape("" if value is None else str(value), quote=True)


def t(value: Any) -> str:
    """Escape a text of the record for HTML, flagging words that mix scripts (a Cyrillic
    "а" in a Latin word) with ``<mark class="dr-mixed">``."""
    from ..formats.diffview import flagged_html

    return flagged_html("" if value is None else value, "dr-mixed")


def css() -> str:
    """The app's stylesheet (``style.css``), as one ``<style>`` element."""
    text = resources.files("drafting.app").joinpath("style.css").read_text(encoding="utf-8")
    return f"<style>{text}</style>"


def clip(text: str | None, n: int = 90) -> str:
    """A one-line excerpt for pickers (plain text, for widgets that show text as text)."""
    s = " ".join((text or "").split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# ------------------------------------------------------------------------------ header


def header(
    conference: str, title: str, *, symbol: str | None = None, subtitle: str | None = None, page: str | None = None
) -> str:
    parts = [f'<div class="dr-header"><div class="dr-conf">{e(conference)}</div>', f'<div class="dr-title">{e(title)}']
    if symbol:
        parts.append(f' <span class="dr-symbol">{e(symbol)}</span>')
    parts.append("</div>")
    if subtitle:
        parts.append(f'<div class="dr-sub">{e(subtitle)}</div>')
    if page:
        parts.append(f'<div class="dr-page">{e(page)}</div>')
    parts.append("</div>")
    return "".join(parts)


def demo_banner(acting: str) -> str:
    return (
        '<div class="dr-demo" role="note"><strong>Demo: anyone may act as any delegation.</strong> '
        f"You are acting as {e(acting)}. This workspace is the bundled example; do not enter real "
        "negotiating text here.</div>"
    )


def note(text: str, kind: str = "info") -> str:
    return f'<div class="dr-note dr-note-{e(kind)}">{e(text)}</div>'


# ------------------------------------------------------------------------------ badges


def badge(text: str, cls: str, title: str | None = None) -> str:
    t = f' title="{e(title)}"' if title else ""
    return f'<span class="dr-badge dr-b-{e(cls)}"{t}>{e(text)}</span>'


def status_badge(status: str) -> str:
    return badge(status_word(status), status)


def overview_badges(entry: Mapping[str, Any] | None) -> str:
    """Badges for one paragraph: its proposals by status, then its comments by status (the
    proposals' references on hover)."""
    if not entry:
        return ""
    out = []
    for status, n in sorted(entry.get("proposals", {}).items(), key=lambda kv: _STATUS_ORDER.get(kv[0], 99)):
        out.append(badge(f"{n} {status_word(status)}", status, f"{plural(n, 'proposal')} {status_word(status)}"))
    comments = entry.get("comments", {})
    for status, n in sorted(comments.items(), key=lambda kv: _STATUS_ORDER.get(kv[0], 99)):
        words = f"{plural(n, 'comment')} {status_word(status)}"
        out.append(badge(words, f"c-{status}", words))
    refs = f' title="{e(", ".join(entry["ids"]))}"' if entry.get("ids") else ""
    return f'<div class="dr-badges"{refs}>{"".join(out)}</div>' if out else ""


def who(codes: Iterable[str], name: Callable[[str], str]) -> str:
    """Delegations by name, each with its code on hover: "Mexico, Spain and Chile"."""
    parts = [f'<span class="dr-who" title="{e(c)}">{e(name(c))}</span>' for c in codes if c]
    return list_phrase(parts)


_STATUS_ORDER = {
    s: i
    for i, s in enumerate(("open", "accepted", "modified", "deferred", "rejected", "withdrawn", "addressed", "noted"))
}


# --------------------------------------------------------------------------- provenance


def span_title(
    span: Mapping[str, Any], name: Callable[[str], str], label: Callable[[str], str], presidency: str
) -> str | None:
    """The hover text of a stretch: "Mexico (MEX-2), Revision 1"; None for first-version text."""
    who, prop, ver = span.get("delegation"), span.get("proposal"), span.get("version")
    if not who and not prop:
        return None
    names = ", ".join(name(c.strip()) for c in str(who).split(",")) if who else ""
    if who == presidency and prop:
        head = f"The Presidency, deciding on {prop}"
    elif who == presidency:
        head = "The Presidency"

    else:
        head = f"{names} ({prop})" if prop else names
    return f"{head}, {label(ver)}" if ver else head


def text_with_provenance(
    spans: Sequence[Mapping[str, Any]],
    *,
    name: Callable[[str], str],
    label: Callable[[str], str],
    presidency: str,
    mark: bool = True,
) -> str:
    out = []
    for s in spans:
        text = t(s.get("text", ""))
        title = span_title(s, name, label, presidency) if mark else None
        if not title:
            out.append(text)
            continue
        cls = "dr-pv dr-pv-pres" if s.get("delegation") == presidency else "dr-pv"
        out.append(f'<span class="{cls}" title="{e(title)}">{text}</span>')
    return "".join(out)


def paragraph(
    pid: str,
    *,
    number: str,
    kind: str,
    body: str,
    badges: str = "",
    anchor: bool = True,
    extra_cls: str = "",
    link: str | None = None,
    name: str = "",
) -> str:
    """One paragraph of a draft: margin (its number; its reference on hover) and body
    (already-escaped HTML). ``link``: the paragraph's address, offered as "copy link";
    ``data-pid`` lets a click on the paragraph select it (see ``app.clicks``)."""
    ident = f' id="p-{e(pid)}" data-pid="{e(pid)}" tabindex="0"' if anchor else ""
    copy = (
        f'<a class="dr-copy" href="{e(link)}" data-copy="1" title="Copy a link to {e(name or number or "this paragraph")}"'
        f' aria-label="Copy a link to {e(name or number or "this paragraph")}">copy link</a>'
        if link
        else ""
    )
    margin = f'<div class="dr-margin" title="Reference: {e(pid)}">'
    if kind == "heading":
        return (
            f'<div class="dr-para dr-heading {extra_cls}"{ident}>{margin}{copy}</div>'
            f'<div class="dr-body"><h3 class="dr-h">{body}</h3>{badges}</div></div>'
        )
    num = f'<span class="dr-num">{e(number)}</span>' if number else ""
    return (
        f'<div class="dr-para dr-kind-{e(kind)} {extra_cls}"{ident}>{margin}{num}{copy}</div>'
        f'<div class="dr-body"><p class="dr-text">{body}</p>{badges}</div></div>'
    )


def selected_style(pid: str) -> str:
    """Marks the chosen paragraph (a style of its own, so that the document's HTML does not
    change, and stays cached, when another paragraph is chosen)."""
    safe = "".join(ch for ch in pid if ch.isalnum() or ch in "-_.")
    return (
        f'<style>.dr-doc [data-pid="{safe}"] {{ background: #f3f7fc; box-shadow: -0.6rem 0 0 #f3f7fc, '
        f"0.6rem 0 0 #f3f7fc, inset 3px 0 0 #1f4e79; border-radius: 2px; }}</style>"
    )


def document(blocks: Iterable[str]) -> str:
    return f'<div class="dr-doc">{"".join(blocks)}</div>'


def legend(exact: bool) -> str:
    how = "" if exact else " (coarse: whole paragraphs changed in this version)"
    return (
        '<div class="dr-legend"><span><span class="dr-pv" title="example">underlined text</span> '
        f"was proposed by a delegation{e(how)}; hover over it to see who and in which version</span>"
        '<span><span class="dr-pv dr-pv-pres">text</span> worded by the Presidency</span></div>'
    )


# ------------------------------------------------------------------------------ changes


def ops(ops_: Sequence[Sequence[str]]) -> str:
    """Word-level changes as ``<ins>``/``<del>`` (escaped)."""
    out = []
    for op, text in ops_:
        if op == "insert":
            out.append(f"<ins>{t(text)}</ins>")
        elif op == "delete":
            out.append(f"<del>{t(text)}</del>")
        else:
            out.append(t(text))
    return "".join(out)


def full_text(text: str | None, summary: str = "Full text") -> str:
    """The full text one click away (a native disclosure: no script needed)."""
    if not text:
        return ""
    return f'<details class="dr-full"><summary>{e(summary)}</summary><p class="dr-text">{e(text)}</p></details>'


def proposal_card(
    row: Mapping[str, Any],
    *,
    who: str,
    number: str = "",
    conflict: bool = False,
    show_status: bool = True,
    target: str = "",
    who_html: str | None = None,
    link: str | None = None,
    focus: bool = False,
) -> str:
    """A proposal as a card: reference, delegations, kind, status, and its changes against
    the base as tracked changes, with the full proposed text one click away. ``who_html``
    (already escaped, see :func:`who`) replaces the plain ``who``."""
    op = row.get("op", "")
    cls = (
        "dr-card"
        + (" dr-card-conflict" if conflict else "")
        + (" dr-card-focus" if focus else "")
        + f" dr-card-{e(op)}"
    )
    ref = e(row.get("id"))
    if link:
        ref = f'<a class="dr-card-link" href="{e(link)}" title="A link to this {"comment" if op == "comment" else "proposal"}">{ref}</a>'
    head = [
        f'<span class="dr-card-id">{ref}</span>',
        f'<span class="dr-card-who">{who_html if who_html is not None else e(who)}</span>',
        f'<span class="dr-card-op">{e(OP_LABELS.get(op, op))}{(" · " + e(target)) if target else ""}</span>',
    ]
    if show_status:
        head.append(status_badge(row.get("status", "open")))
    if conflict:
        head.append(badge("conflict", "conflict", "touches the same words as another accepted proposal"))
    body = []
    if op == "comment":
        body.append(f'<p class="dr-comment">{t(row.get("text"))}</p>')
    elif row.get("ops"):
        body.append(f'<p class="dr-text dr-changes">{ops(row["ops"])}</p>')
        if op in ("amend", "insert") and row.get("text") and any(o != "insert" for o, _ in row["ops"]):
            body.append(full_text(row.get("text"), "Full text as proposed"))
    elif row.get("text"):
        body.append(f'<p class="dr-text">{t(row.get("text"))}</p>')
    if row.get("decision_ops"):
        body.append(
            '<div class="dr-card-label">As modified by the Presidency</div>'
            f'<p class="dr-text dr-changes">{ops(row["decision_ops"])}</p>'
        )
        body.append(full_text(row.get("decision_text"), "Full text as modified"))
    if row.get("rationale"):
        body.append(f'<div class="dr-card-label">Rationale</div><p class="dr-rationale">{e(row["rationale"])}</p>')
    if row.get("note"):
        body.append(f'<div class="dr-card-label">Presidency\'s note</div><p class="dr-rationale">{e(row["note"])}</p>')
    return f'<div class="{cls}"><div class="dr-card-head">{"".join(head)}</div>{"".join(body)}</div>'


RESOLUTIONS = {
    "brackets": "the alternatives go into the text in square brackets",
    "kept-base": "the base text is kept and the proposal left out",
    "fail": "the next version cannot be composed until it is resolved",
}


def conflict_box(conflicts: Sequence[Mapping[str, Any]], who: Callable[[Sequence[str]], str]) -> str:
    out = ['<div class="dr-conflict"><div class="dr-conflict-title">Conflict in the next version</div>']
    for c in conflicts:
        how = RESOLUTIONS.get(c.get("resolution", ""), c.get("resolution", ""))
        out.append(
            f'<p>{e(c.get("reason") or ", ".join(c.get("proposals", [])))}: <span class="dr-muted">{e(how)}</span></p>'
        )
        alts = c.get("alternatives") or []
        if alts:
            out.append("<ol>")
            for a in alts:
                text = a.get("text") or "(the paragraph deleted)"

                out.append(
                    f'<li><span class="dr-alt">{e(text)}</span> '
                    f'<span class="dr-muted">{e(", ".join(a.get("proposals", [])))}: '
                    f"{e(who(a.get('delegations', [])))}</span></li>"
                )
            out.append("</ol>")
    out.append("</div>")
    return "".join(out)


def plain_block(text: str | None, cls: str = "dr-text") -> str:
    return f'<p class="{e(cls)}">{t(text)}</p>'
