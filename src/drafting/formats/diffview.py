"""Render a diff (:func:`drafting.text.diff.diff_versions`) as HTML or Markdown.

Pure functions from the diff's plain data to a string; no I/O.

- :func:`to_html`: a self-contained page (inline CSS, no scripts, no external resources)
  that reads like a UN document with tracked changes: serif text, insertions underlined
  in colour (``<ins>``), deletions struck through (``<del>``), the proposing delegations
  in small superscript tags, paragraph numbers and change badges in the margin.
- :func:`to_html_fragment`: the same content as one ``<div>``, for use inside another page
  (the Streamlit app); its CSS (:data:`DIFF_CSS`) is scoped under ``.dd``.
- :func:`to_markdown`: CriticMarkup (``{++inserted++}``, ``{--deleted--}``, the
  delegations as a comment ``{>> Mexico <<}`` after the change).

Common arguments:

- ``labels``: ``labels[paragraph_id][i]`` lists the delegations behind op ``i`` of that
  paragraph (or is ``None``); missing entries are simply not labelled. Without it, a
  ``"labels"`` key of the diff itself is used, if there is one.
- ``numbers``: paragraph id -> display label (:func:`drafting.service.versions.diff_number_labels`
  gives labels for kept, inserted and deleted paragraphs alike); ids without a number show
  none.
- ``only_changed``: leave out unchanged paragraphs (the summary still counts them).

Every piece of text that comes from a workspace (paragraph text, ids, numbers, labels,
titles, sections) is escaped: in HTML with ``html.escape(..., quote=True)``, in Markdown as
described in :func:`escape_markdown`. The page also carries a Content-Security-Policy that
forbids scripts, as a second line of defence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "DIFF_CSS",
    "escape_markdown",
    "to_html",
    "to_html_fragment",
    "to_markdown",
]

Labels = Mapping[str, Sequence[Sequence[str] | None]]

_CHANGES = ("modified", "moved", "inserted", "deleted", "unchanged")

#: The stylesheet of the rendered diff, scoped under the ``.dd`` class.
DIFF_CSS = """
.dd { font-family: "Times New Roman", "Liberation Serif", "Nimbus Roman", Times, serif;
  font-size: 12pt; line-height: 1.45; color: #1a1a1a; max-width: 52em; margin: 0 auto; }
.dd h1 { font-size: 1.35em; font-weight: bold; text-align: center; margin: 0.6em 0 0.2em; }
.dd .dd-meta { text-align: center; color: #555; margin: 0 0 0.8em; }
.dd .dd-summary, .dd .dd-legend { font-family: system-ui, "Segoe UI", Arial, sans-serif;
  font-size: 0.8em; color: #444; margin: 0.3em 0; }
.dd .dd-legend { border-bottom: 1px solid #ccc; padding-bottom: 0.8em; margin-bottom: 1.2em; }
.dd .dd-legend span { margin-right: 1.2em; white-space: nowrap; }
.dd .dd-para { display: grid; grid-template-columns: 8.5em minmax(0, 1fr); column-gap: 1em;
  margin: 0 0 0.9em; }
.dd .dd-margin { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 0.75em;
  color: #555; text-align: right; padding-top: 0.25em; overflow-wrap: anywhere; }
.dd .dd-num { display: block; font-weight: bold; color: #1a1a1a; font-size: 1.15em; }
.dd .dd-id { display: block; color: #777; }
.dd .dd-note { display: block; color: #777; font-style: italic; }
.dd .dd-badge { display: inline-block; margin-top: 0.2em; padding: 0 0.45em;
  border-radius: 0.7em; border: 1px solid currentColor; font-size: 0.9em; }
.dd .dd-badge-modified { color: #5c4a00; }
.dd .dd-badge-moved { color: #6b3fa0; }
.dd .dd-badge-inserted { color: #0b5394; }
.dd .dd-badge-deleted { color: #a61c1c; }
.dd .dd-text { margin: 0; text-align: justify; white-space: pre-wrap; overflow-wrap: break-word; }
.dd .dd-heading .dd-text { font-weight: bold; text-align: left; }
.dd .dd-moved .dd-text { border-left: 3px double #6b3fa0; padding-left: 0.5em; }
.dd ins { color: #0b5394; text-decoration: underline; text-decoration-thickness: 1px;
  text-underline-offset: 2px; background: #eef4fb; }
.dd del { color: #a61c1c; text-decoration: line-through; background: #fbeeee; }
.dd del + ins { margin-left: 0.15em; }
.dd sup.dd-by { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 0.62em;
  color: #444; background: #f1f1f1; border: 1px solid #ddd; border-radius: 3px;
  padding: 0 0.25em; margin: 0 0.1em; line-height: 0; }
.dd .dd-none { font-style: italic; color: #555; }
.dd mark.dd-mixed { background: #fff3b0; outline: 1px dashed #b8860b; color: inherit; }
@media print {
  .dd ins, .dd del { background: none; }
  .dd .dd-para { break-inside: avoid; }
}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def flagged_html(text: Any, cls: str = "dd-mixed") -> str:
    """``text`` escaped for HTML, each word that mixes scripts (a Cyrillic "а" in a Latin
    word) wrapped in ``<mark class=cls title="...">`` so that a reader sees it."""
    from ..text.scripts import mixed_script_words

    s = str(text)
    found = mixed_script_words(s)
    if not found:
        return _e(s)
    out, at = [], 0
    for w in found:
        out.append(_e(s[at : w.start]))
        title = f"This word {w.note}: a look-alike letter makes it read the same but not be the same"
        out.append(f'<mark class="{cls}" title="{_e(title)}">{_e(w.word)}</mark>')
        at = w.end
    out.append(_e(s[at:]))
    return "".join(out)


def flagged_markdown(text: str, *, line_start: bool = False) -> str:
    """``escape_markdown(text)``, each word that mixes scripts followed by a CriticMarkup
    comment saying so."""
    from ..text.scripts import mixed_script_words

    found = mixed_script_words(text)
    if not found:
        return escape_markdown(text, line_start=line_start)
    out, at = [], 0
    for w in found:
        out.append(escape_markdown(text[at : w.end], line_start=line_start and at == 0))
        out.append(f"{{>> {w.note} <<}}")
        at = w.end
    out.append(escape_markdown(text[at:]) if at < len(text) else "")
    return "".join(out)


def _e(text: Any) -> str:
    """HTML-escape anything (quotes included), for text and attribute values alike."""
    return html.escape(str(text), quote=True)


def _summary(diff: Mapping[str, Any]) -> dict[str, int]:
    summary = diff.get("summary")
    if isinstance(summary, Mapping):
        return {c: int(summary.get(c, 0)) for c in _CHANGES}
    counts = dict.fromkeys(_CHANGES, 0)
    for row in diff.get("paragraphs", ()):
        change = row.get("change", "unchanged")
        counts[change] = counts.get(change, 0) + 1
    return counts


#: a paragraph's change as readers say it ("modified" is kept for a decision's status)
_CHANGE_WORDS = {"modified": "changed"}


def _summary_text(diff: Mapping[str, Any]) -> str:
    counts = _summary(diff)
    return ", ".join(f"{counts[c]} {_CHANGE_WORDS.get(c, c)}" for c in _CHANGES)


def _rows(diff: Mapping[str, Any], only_changed: bool) -> list[Mapping[str, Any]]:
    rows = list(diff.get("paragraphs", ()))
    return [r for r in rows if r.get("change") != "unchanged"] if only_changed else rows


def _labels(diff: Mapping[str, Any], labels: Labels | None) -> Labels | None:
    if labels is not None:
        return labels
    found = diff.get("labels")
    return found if isinstance(found, Mapping) else None


def _op_labels(labels: Labels | None, pid: str, count: int) -> list[list[str] | None]:
    """The delegations for each of ``count`` ops, padded with ``None``."""
    given = list((labels or {}).get(pid) or ())
    out: list[list[str] | None] = []
    for i in range(count):
        names = given[i] if i < len(given) else None
        out.append([str(n) for n in names] if names else None)
    return out


def _badge_text(row: Mapping[str, Any]) -> str:
    change = row.get("change", "unchanged")
    if change == "moved" and row.get("modified"):
        return "moved and changed"
    return _CHANGE_WORDS.get(str(change), str(change))


def _was_after(row: Mapping[str, Any], numbers: Mapping[str, str] | None) -> str | None:
    """For a moved paragraph: "was after Action 3" (or "was first")."""
    if row.get("change") != "moved" or "was_after" not in row:
        return None
    prev = row.get("was_after")
    if prev is None:
        return "was first"
    return f"was after {(numbers or {}).get(prev) or prev}"


# ---------------------------------------------------------------------------------- HTML


def _html_ops(ops: Sequence[Sequence[str]], names: list[list[str] | None]) -> str:
    parts: list[str] = []
    for i, (op, text) in enumerate(ops):
        who = names[i]
        if op == "equal":
            parts.append(flagged_html(text))
            continue
        tag = "ins" if op == "insert" else "del"
        verb = "Inserted" if op == "insert" else "Deleted"
        title = f"{verb}: {', '.join(who)}" if who else verb
        parts.append(f'<{tag} title="{_e(title)}">{flagged_html(text)}</{tag}>')
        # a deletion and the insertion replacing it, by the same delegations: one tag
        if who and not _replaced_by_same(ops, names, i):
            parts.append(f'<sup class="dd-by" title="{_e(title)}">{_e(", ".join(who))}</sup>')
    return "".join(parts)


def _replaced_by_same(ops: Sequence[Sequence[str]], names: Sequence[Any], i: int) -> bool:
    """A deletion followed by the insertion replacing it, by the same delegations: the
    label is shown once, after the insertion."""
    return ops[i][0] == "delete" and i + 1 < len(ops) and ops[i + 1][0] == "insert" and names[i + 1] == names[i]


def _html_row(
    row: Mapping[str, Any], labels: Labels | None, numbers: Mapping[str, str] | None, ids: bool = True
) -> str:
    pid = str(row.get("id", ""))
    change = str(row.get("change", "unchanged"))
    kind = str(row.get("kind") or "text")
    ops = [(str(op), str(text)) for op, text in row.get("ops", ())]
    margin = []
    number = (numbers or {}).get(pid)
    if number:
        margin.append(f'<span class="dd-num">{_e(number)}</span>')
    if ids:
        margin.append(f'<span class="dd-id">{_e(pid)}</span>')
    if change != "unchanged":
        badge = _e(_badge_text(row))
        margin.append(f'<span class="dd-badge dd-badge-{_e(change)}">{badge}</span>')
    note = _was_after(row, numbers)
    if note:
        margin.append(f'<span class="dd-note">{_e(note)}</span>')
    section = row.get("section")
    title = f' title="{_e(section)}"' if section else ""
    text = _html_ops(ops, _op_labels(labels, pid, len(ops)))
    classes = f"dd-para dd-{_e(change)} dd-kind-{_e(kind)}"
    if kind == "heading":
        classes += " dd-heading"
    return (
        f'<div class="{classes}" id="{_e("dd-" + pid)}">'
        f'<div class="dd-margin"{title}>{"".join(margin)}</div>'
        f'<p class="dd-text">{text}</p></div>'
    )


def to_html_fragment(
    diff: Mapping[str, Any],
    *,
    title: str | None = None,
    labels: Labels | None = None,
    numbers: Mapping[str, str] | None = None,
    only_changed: bool = False,
    include_css: bool = True,
    ids: bool = True,
    caption: str | None = None,
) -> str:
    """The diff as one ``<div class="dd">`` to embed in another page.

    With ``include_css`` the fragment starts with a ``<style>`` element holding
    :data:`DIFF_CSS` (scoped under ``.dd``, so it does not leak into the host page).
    ``ids=False`` leaves the paragraphs' ids out of the margin (numbers only);
    ``caption`` replaces the line naming the document and versions by their slugs.
    """
    out = []
    if include_css:
        out.append(f"<style>{DIFF_CSS}</style>")
    out.append('<div class="dd">')
    if title:
        out.append(f"<h1>{_e(title)}</h1>")
    document, old, new = diff.get("document", ""), diff.get("from", ""), diff.get("to", "")
    meta = _e(caption) if caption else f"{_e(document)}: {_e(old)} &#8594; {_e(new)}"
    out.append(
        f'<p class="dd-meta">{meta}</p>'
        f'<p class="dd-summary">{_e(_summary_text(diff))}</p>'
        '<p class="dd-legend"><span><ins>inserted text</ins></span>'
        "<span><del>deleted text</del></span>"
        '<span>text<sup class="dd-by">delegation</sup> proposed by a delegation</span>'
        '<span><span class="dd-badge dd-badge-moved">moved</span> paragraph moved</span></p>'
    )
    rows = _rows(diff, only_changed)
    if not rows:
        out.append('<p class="dd-none">No changes.</p>')
    labels = _labels(diff, labels)
    out.extend(_html_row(row, labels, numbers, ids) for row in rows)
    out.append("</div>")
    return "\n".join(out)


def to_html(
    diff: Mapping[str, Any],
    *,
    title: str,
    labels: Labels | None = None,
    numbers: Mapping[str, str] | None = None,
    only_changed: bool = False,
) -> str:
    """The diff as a self-contained HTML page (inline CSS, no scripts, nothing external)."""
    body = to_html_fragment(
        diff,
        title=title,
        labels=labels,
        numbers=numbers,
        only_changed=only_changed,
        include_css=False,
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\nbody {{ margin: 2em 1em; background: #fff; }}\n"
        f"{DIFF_CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------ Markdown

_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
_MD_BACKSLASH = set("\\`*_[]#|~^$@")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_LINE_START = re.compile(r"(\d{1,9}(?=[.)])|[-+=])")


def escape_markdown(text: str, *, line_start: bool = False) -> str:
    """Escape text so that it reads literally inside Markdown and CriticMarkup.

    - ``&``, ``<``, ``>``, ``{``, ``}`` become character references (``&amp;`` ...): no raw
      HTML can form, and since CriticMarkup marks all start with ``{`` and end with ``}``,
      no text can open or close one (a backslash would not stop CriticMarkup processors,
      which run before Markdown);
    - ``\\ ` * _ [ ] # | ~ ^ $ @`` get a backslash (emphasis, code, links, headings, tables,
      strike-through, superscript, maths and citations in pandoc's Markdown);
    - line breaks become spaces (a paragraph is one line; stored paragraphs have normalised
      white space anyway);
    - with ``line_start``, a leading ``-``, ``+``, ``=`` or ``1.`` / ``1)`` that would start
      a list or underline a heading is escaped too, and leading white space (which could
      start a code block) becomes character references.
    """
    text = _LINE_BREAKS.sub(" ", text)
    out = []
    for ch in text:
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if line_start:
        rest = escaped.lstrip()
        lead = escaped[: len(escaped) - len(rest)]
        m = _LINE_START.match(rest)
        if m:  # "1." -> "1\.", "- x" -> "\- x"
            at = m.end() if m.group(1).isdigit() else 0
            rest = rest[:at] + "\\" + rest[at:]
        # leading white space as references: four spaces would start a code block
        escaped = "".join(f"&#{ord(c)};" for c in lead) + rest
    return escaped


def _md_ops(ops: Sequence[Sequence[str]], names: list[list[str] | None]) -> str:
    parts: list[str] = []
    for i, (op, text) in enumerate(ops):
        body = flagged_markdown(text, line_start=(i == 0))
        if op == "equal":
            parts.append(body)
            continue
        parts.append(f"{{++{body}++}}" if op == "insert" else f"{{--{body}--}}")
        who = names[i]
        if who and not _replaced_by_same(ops, names, i):
            parts.append(f"{{>> {escape_markdown(', '.join(who))} <<}}")
    return "".join(parts)


def _md_row(row: Mapping[str, Any], labels: Labels | None, numbers: Mapping[str, str] | None) -> str:
    pid = str(row.get("id", ""))
    change = str(row.get("change", "unchanged"))
    ops = [(str(op), str(text)) for op, text in row.get("ops", ())]
    meta = []
    number = (numbers or {}).get(pid)
    if number:
        meta.append(f"**{escape_markdown(number)}**")
    meta.append(escape_markdown(pid, line_start=not meta))
    if change != "unchanged":
        badge = _badge_text(row)
        note = _was_after(row, numbers)
        meta.append(f"*{escape_markdown(badge + (f', {note}' if note else ''))}*")
    text = _md_ops(ops, _op_labels(labels, pid, len(ops))) or "*(empty)*"
    if row.get("kind") == "heading":
        text = f"**{text}**"
    return " · ".join(meta) + "\\\n" + text


def to_markdown(
    diff: Mapping[str, Any],
    *,
    title: str,
    labels: Labels | None = None,
    numbers: Mapping[str, str] | None = None,
    only_changed: bool = False,
) -> str:
    """The diff as Markdown with CriticMarkup.

    Each paragraph is one Markdown paragraph: a line with its number (bold), id and change
    (italic), a hard line break, then the text with ``{++inserted++}`` and ``{--deleted--}``
    marks, each followed by ``{>> delegations <<}`` where ``labels`` knows them (once after
    a deletion + insertion pair by the same delegations). The marks hold the changed text
    exactly, leading and trailing spaces included. Headings are bold. All text is escaped
    with :func:`escape_markdown`.

    A CriticMarkup-aware renderer (e.g. Python-Markdown with ``pymdownx.critic``) shows
    the marks as changes. pandoc does not know CriticMarkup: read with ``markdown-smart``
    (or the marks' ``--`` become dashes) and a CriticMarkup filter to get revisions.
    """
    document, old, new = diff.get("document", ""), diff.get("from", ""), diff.get("to", "")
    blocks = [
        f"# {escape_markdown(title)}",
        f"{escape_markdown(str(document), line_start=True)}: {escape_markdown(str(old))} → {escape_markdown(str(new))}",
        f"Changes: {escape_markdown(_summary_text(diff))}.",
        "Legend: {++inserted++} {--deleted--} {>> proposed by <<}",
        "---",
    ]
    rows = _rows(diff, only_changed)
    if not rows:
        blocks.append("*No changes.*")
    labels = _labels(diff, labels)
    blocks.extend(_md_row(row, labels, numbers) for row in rows)
    return "\n\n".join(blocks) + "\n"
