"""Tracked changes as HTML and Markdown: the one writer of both (pure functions, no I/O).

Two inputs, one look. A diff (:func:`drafting.text.diff.diff_versions`) gives
:func:`to_html`, :func:`to_html_fragment` and :func:`to_markdown` (``drafting diff``, the
app's Compare page and previews); a tracked document (``formats.export.TrackedParagraph``,
its comments and heading block) gives :func:`tracked_html` and :func:`tracked_markdown`
(``drafting export --changes-since``). Both become :class:`Row` s, and :func:`html_row` /
:func:`markdown_row` alone decide how an insertion, a deletion, a moved paragraph, a
number and a comment look. Every text from a workspace is escaped (``html.escape`` with
quotes; :func:`escape_markdown`); the page's Content-Security-Policy forbids scripts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ast import DocMeta
    from .export import Comment, TrackedParagraph

__all__ = [
    "DIFF_CSS",
    "Row",
    "escape_markdown",
    "html_row",
    "markdown_row",
    "to_html",
    "to_html_fragment",
    "to_markdown",
    "tracked_html",
    "tracked_markdown",
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
.dd h2.dd-section { font-size: 1em; font-weight: bold; margin: 1.4em 0 0.6em; }
.dd .dd-comment { grid-column: 2; margin: 0.3em 0 0; font-size: 0.9em; white-space: pre-wrap;
  border-left: 2px solid #999; padding-left: 0.6em; }
.dd .dd-comment-by { font-weight: bold; }
.dd .dd-heading-block { margin-bottom: 1.2em; }
.dd .dd-heading-block p { margin: 0; }
.dd .dd-hb-symbol, .dd .dd-hb-distribution, .dd .dd-hb-date, .dd .dd-hb-original { text-align: right; }
.dd .dd-hb-symbol, .dd .dd-hb-conference, .dd .dd-hb-title, .dd .dd-hb-label, .dd .dd-hb-adopted {
  font-weight: bold; }
.dd p.dd-hb-original, .dd p.dd-hb-venue { margin-bottom: 1em; }
.dd p.dd-hb-title { font-size: 1.15em; margin-top: 1em; }
.dd .dd-hb-submitted_by { font-style: italic; margin-bottom: 1.5em; }
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


def _badge_text(change: str, modified: bool = False) -> str:
    if change == "moved" and modified:
        return "moved and changed"
    return _CHANGE_WORDS.get(change, change)


def _was_after(row: Mapping[str, Any], numbers: Mapping[str, str] | None) -> str | None:
    """For a moved paragraph: "was after Action 3" (or "was first")."""
    if row.get("change") != "moved" or "was_after" not in row:
        return None
    prev = row.get("was_after")
    if prev is None:
        return "was first"
    return f"was after {(numbers or {}).get(prev) or prev}"


# ---------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """One paragraph as the writers show it, whichever input it came from."""

    id: str
    change: str  # unchanged | modified | moved | inserted | deleted
    kind: str = "text"
    section: str | None = None
    #: the text, stretch by stretch: ``(op, text, delegations or None, date or "")``
    ops: tuple[tuple[str, str, tuple[str, ...] | None, str], ...] = ()
    number: str = ""
    #: a renumbering: the old number struck through, the new one inserted, by whom, when
    old_number: str = ""
    number_by: tuple[str, ...] | None = None
    number_date: str = ""
    badge: str = ""  # "changed", "moved and changed" ...
    note: str | None = None  # "was after Action 3"
    #: comments shown after the paragraph: ``(author, date, text)``
    comments: tuple[tuple[str, str, str], ...] = ()
    anchor: bool = True  # False for the second showing of a paragraph (a move shown twice)


def diff_rows(
    diff: Mapping[str, Any],
    *,
    labels: Labels | None = None,
    numbers: Mapping[str, str] | None = None,
    only_changed: bool = False,
) -> list[Row]:
    """The rows of a diff. ``labels[paragraph_id][i]`` lists the delegations behind op ``i``
    (or is ``None``; without ``labels``, the diff's own ``"labels"`` if any); ``numbers``:
    paragraph id -> display label (``service.versions.diff_number_labels``); with
    ``only_changed`` unchanged paragraphs are left out."""
    labels = _labels(diff, labels)
    out = []
    for row in diff.get("paragraphs", ()):
        change = str(row.get("change", "unchanged"))
        if only_changed and change == "unchanged":
            continue
        pid = str(row.get("id", ""))
        ops = [(str(op), str(text)) for op, text in row.get("ops", ())]
        names = _op_labels(labels, pid, len(ops))
        section = row.get("section")
        out.append(
            Row(
                id=pid,
                change=change,
                kind=str(row.get("kind") or "text"),
                section=str(section) if section else None,
                ops=tuple(
                    (op, text, tuple(who) if who else None, "") for (op, text), who in zip(ops, names, strict=True)
                ),
                number=(numbers or {}).get(pid) or "",
                badge=_badge_text(change, bool(row.get("modified"))) if change != "unchanged" else "",
                note=_was_after(row, numbers),
            )
        )
    return out


def tracked_rows(paragraphs: Sequence[TrackedParagraph], comments: Sequence[Comment] = ()) -> list[Row]:
    """The rows of a tracked document (``formats.export``: its rules decide who made each
    change, which showing of a paragraph carries its comments, what is refused)."""
    from .export import check_tracked, printed_date, revisions

    home = check_tracked(paragraphs, comments)
    notes: dict[str, list[tuple[str, str, str]]] = {}
    for c in comments:
        notes.setdefault(c.paragraph, []).append((c.author, printed_date(c.date), c.text))
    out = []
    for i, tp in enumerate(paragraphs):
        changes, _ = revisions(tp)
        renumbered = bool(tp.old_number and tp.number and tp.old_number != tp.number)
        out.append(
            Row(
                id=tp.id,
                change=tp.status,
                kind=tp.kind,
                section=tp.section,
                ops=tuple(
                    (op, ch.text, (ch.author,) if ch.author and op != "equal" else None, printed_date(ch.date))
                    for op, ch in changes
                ),
                number=tp.number,
                old_number=tp.old_number if renumbered else "",
                number_by=(tp.number_author,) if renumbered and tp.number_author else None,
                number_date=printed_date(tp.number_date) if renumbered else "",
                badge=_badge_text(tp.status) if tp.status != "unchanged" else "",
                comments=tuple(notes.get(tp.id, ())) if home[i] == i else (),
                anchor=home[i] == i,
            )
        )
    return out


def _summary_of(rows: Sequence[Row]) -> dict[str, Any]:
    return {"paragraphs": [{"change": r.change} for r in rows]}


# ---------------------------------------------------------------------------------- HTML


def _tip(op: str, who: Sequence[str] | None, date: str = "") -> str:
    """A change's tooltip: "Inserted: Mexico, Chile (8 July 2026)"."""
    verb = "Inserted" if op == "insert" else "Deleted"
    title = f"{verb}: {', '.join(who)}" if who else verb
    return f"{title} ({date})" if date else title


def _html_ops(ops: Sequence[tuple[str, str, tuple[str, ...] | None, str]]) -> str:
    parts: list[str] = []
    for i, (op, text, who, date) in enumerate(ops):
        if op == "equal":
            parts.append(flagged_html(text))
            continue
        tag = "ins" if op == "insert" else "del"
        title = _e(_tip(op, who, date))
        parts.append(f'<{tag} title="{title}">{flagged_html(text)}</{tag}>')
        # a deletion and the insertion replacing it, by the same delegations: one tag
        if who and not _replaced_by_same(ops, i):
            parts.append(f'<sup class="dd-by" title="{title}">{_e(", ".join(who))}</sup>')
    return "".join(parts)


def _replaced_by_same(ops: Sequence[Sequence[Any]], i: int) -> bool:
    """A deletion followed by the insertion replacing it, by the same delegations: the
    label is shown once, after the insertion."""
    return ops[i][0] == "delete" and i + 1 < len(ops) and ops[i + 1][0] == "insert" and ops[i + 1][2] == ops[i][2]


def _number_ops(row: Row) -> list[tuple[str, str, tuple[str, ...] | None, str]]:
    """A paragraph's number as changes: struck through with a deleted paragraph, inserted
    with an inserted one, the old one struck and the new one inserted where renumbered."""
    if not row.number:
        return []
    if row.old_number:
        return [
            ("delete", row.old_number, row.number_by, row.number_date),
            ("insert", row.number, row.number_by, row.number_date),
        ]
    whole = {"inserted": "insert", "deleted": "delete"}.get(row.change)
    if whole:
        first = next((o for o in row.ops if o[0] != "equal"), None)
        who, date = (first[2], first[3]) if first else (None, "")
        return [(whole, row.number, who, date)]
    return [("equal", row.number, None, "")]


def _number_html(row: Row) -> str:
    parts = []
    for op, text, who, date in _number_ops(row):
        if op == "equal":
            parts.append(_e(text))
        else:
            tag = "ins" if op == "insert" else "del"
            parts.append(f'<{tag} title="{_e(_tip(op, who, date))}">{_e(text)}</{tag}>')
    return "".join(parts)


def html_row(row: Row, *, ids: bool = True) -> str:
    """One paragraph in HTML: its number, id, change and note in the margin, its text with
    ``<ins>`` and ``<del>`` (the delegations in a ``<sup>`` after each change), then its
    comments."""
    margin = []
    number = _number_html(row)
    if number:
        margin.append(f'<span class="dd-num">{number}</span>')
    if ids:
        margin.append(f'<span class="dd-id">{_e(row.id)}</span>')
    if row.badge:
        margin.append(f'<span class="dd-badge dd-badge-{_e(row.change)}">{_e(row.badge)}</span>')
    if row.note:
        margin.append(f'<span class="dd-note">{_e(row.note)}</span>')
    title = f' title="{_e(row.section)}"' if row.section else ""
    classes = f"dd-para dd-{_e(row.change)} dd-kind-{_e(row.kind)}"
    if row.kind == "heading":
        classes += " dd-heading"
    anchor = f' id="{_e("dd-" + row.id)}"' if row.anchor else ""
    comments = "".join(
        f'<p class="dd-comment"><span class="dd-comment-by">Comment by {_e(who)}'
        f"{f' ({_e(date)})' if date else ''}:</span> {flagged_html(text)}</p>"
        for who, date, text in row.comments
    )
    return (
        f'<div class="{classes}"{anchor}>'
        f'<div class="dd-margin"{title}>{"".join(margin)}</div>'
        f'<p class="dd-text">{_html_ops(row.ops)}</p>{comments}</div>'
    )


def _sections(rows: Sequence[Row], kinds: Sequence[str]) -> list[tuple[str | None, Row]]:
    """Each row with the section heading to show before it: documents without heading
    paragraphs (``kinds``: of all the paragraphs, shown or not) get their headings from the
    paragraphs' ``section``, as in ``formats.export``."""
    from .export import headings_from_sections

    synth = headings_from_sections(kinds)
    out: list[tuple[str | None, Row]] = []
    section = None
    for r in rows:
        out.append((r.section if synth and r.section and r.section != section else None, r))
        section = r.section
    return out


def _heading_block_html(meta: DocMeta) -> str:
    from .ast import heading_lines

    lines = "".join(f'<p class="dd-hb dd-hb-{key}">{_e(value)}</p>' for key, value in heading_lines(meta))
    return f'<div class="dd-heading-block">{lines}</div>'


def written_here(ast: Mapping[str, Any]) -> bool:
    """Whether a document pandoc read (its JSON AST) is one of these pages: tracked changes
    shown for reading (old and new text side by side), which must not be read back as a
    version or a delegation's copy of one."""
    for block in ast.get("blocks", ()):
        t, c = block.get("t"), block.get("c")
        if not isinstance(c, list) or not c:
            continue
        if t == "Div" and isinstance(c[0], list) and len(c[0]) > 1 and "dd" in c[0][1]:
            return True  # the HTML page
        if t == "Para" and [x.get("c") for x in c[:3:2]] == ["Legend:", "{++inserted++}"]:
            return True  # the Markdown page
    return False


_LEGEND = (
    '<p class="dd-legend"><span><ins>inserted text</ins></span>'
    "<span><del>deleted text</del></span>"
    '<span>text<sup class="dd-by">delegation</sup> proposed by a delegation</span>'
    '<span><span class="dd-badge dd-badge-moved">moved</span> paragraph moved</span></p>'
)


def _kinds(diff: Mapping[str, Any]) -> list[str]:
    return [str(r.get("kind") or "text") for r in diff.get("paragraphs", ())]


def _fragment(
    rows: Sequence[Row], kinds: Sequence[str], head: str, summary: Mapping[str, Any], *, css: bool, ids: bool
) -> str:
    out = []
    if css:
        out.append(f"<style>{DIFF_CSS}</style>")
    out.append('<div class="dd">')
    out.append(f'{head}<p class="dd-summary">{_e(_summary_text(summary))}</p>{_LEGEND}')
    if not rows:
        out.append('<p class="dd-none">No changes.</p>')
    for section, row in _sections(rows, kinds):
        if section:
            out.append(f'<h2 class="dd-section">{_e(section)}</h2>')
        out.append(html_row(row, ids=ids))
    out.append("</div>")
    return "\n".join(out)


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
    """The diff as one ``<div class="dd">`` to embed in another page (arguments as for
    :func:`diff_rows`).

    With ``include_css`` the fragment starts with a ``<style>`` element holding
    :data:`DIFF_CSS` (scoped under ``.dd``, so it does not leak into the host page).
    ``ids=False`` leaves the paragraphs' ids out of the margin (numbers only);
    ``caption`` replaces the line naming the document and versions by their slugs.
    """
    document, old, new = diff.get("document", ""), diff.get("from", ""), diff.get("to", "")
    meta = _e(caption) if caption else f"{_e(document)}: {_e(old)} &#8594; {_e(new)}"
    head = (f"<h1>{_e(title)}</h1>\n" if title else "") + f'<p class="dd-meta">{meta}</p>'
    rows = diff_rows(diff, labels=labels, numbers=numbers, only_changed=only_changed)
    return _fragment(rows, _kinds(diff), head, diff, css=include_css, ids=ids)


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\nbody {{ margin: 2em 1em; background: #fff; }}\n"
        f"{DIFF_CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


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
    return _page(title, body)


def tracked_html(paragraphs: Sequence[TrackedParagraph], comments: Sequence[Comment], meta: DocMeta) -> str:
    """A tracked document as a self-contained HTML page: the heading block (UN document
    conventions), then every paragraph as :func:`html_row` shows it (numbers, no ids), each
    followed by its comments."""
    rows = tracked_rows(paragraphs, comments)
    title = " ".join(x for x in (meta.title, f"({meta.symbol})" if meta.symbol else None) if x)
    body = _fragment(rows, [r.kind for r in rows], _heading_block_html(meta), _summary_of(rows), css=False, ids=False)
    return _page(title, body)


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


_MD_LEGEND = "Legend: {++inserted++} {--deleted--} {>> proposed by <<}"  # (see written_here)


def _md_marked(op: str, body: str) -> str:
    return f"{{++{body}++}}" if op == "insert" else f"{{--{body}--}}"


def _md_ops(ops: Sequence[tuple[str, str, tuple[str, ...] | None, str]]) -> str:
    parts: list[str] = []
    for i, (op, text, who, date) in enumerate(ops):
        body = flagged_markdown(text, line_start=(i == 0))
        if op == "equal":
            parts.append(body)
            continue
        parts.append(_md_marked(op, body))
        if who and not _replaced_by_same(ops, i):
            parts.append(f"{{>> {escape_markdown(', '.join(who) + (f' ({date})' if date else ''))} <<}}")
    return "".join(parts)


def markdown_row(row: Row, *, ids: bool = True) -> str:
    """One paragraph in Markdown: a line with its number (bold), id and change (italic), a
    hard line break, its text with CriticMarkup, then its comments (one paragraph each)."""
    meta = []
    number = "".join(
        escape_markdown(text) if op == "equal" else _md_marked(op, escape_markdown(text))
        for op, text, _, _ in _number_ops(row)
    )
    if number:
        meta.append(f"**{number}**")
    if ids:
        meta.append(escape_markdown(row.id, line_start=not meta))
    if row.badge:
        meta.append(f"*{escape_markdown(row.badge + (f', {row.note}' if row.note else ''))}*")
    text = _md_ops(row.ops) or "*(empty)*"
    if row.kind == "heading":
        text = f"**{text}**"
    out = (" · ".join(meta) + "\\\n" if meta else "") + text
    for who, date, note in row.comments:
        out += (
            f"\n\n> ***Comment by {escape_markdown(who + (f' ({date})' if date else ''))}:*** {escape_markdown(note)}"
        )
    return out


def _markdown(rows: Sequence[Row], kinds: Sequence[str], head: list[str], summary: Mapping[str, Any], ids: bool) -> str:
    blocks = [
        *head,
        f"Changes: {escape_markdown(_summary_text(summary))}.",
        _MD_LEGEND,
        "---",
    ]
    if not rows:
        blocks.append("*No changes.*")
    for section, row in _sections(rows, kinds):
        if section:
            blocks.append(f"## {escape_markdown(section)}")
        blocks.append(markdown_row(row, ids=ids))
    return "\n\n".join(blocks) + "\n"


def to_markdown(
    diff: Mapping[str, Any],
    *,
    title: str,
    labels: Labels | None = None,
    numbers: Mapping[str, str] | None = None,
    only_changed: bool = False,
) -> str:
    """The diff as Markdown with CriticMarkup (arguments as for :func:`diff_rows`).

    Each paragraph is one Markdown paragraph (:func:`markdown_row`): ``{++inserted++}`` and
    ``{--deleted--}`` marks, each followed by ``{>> delegations <<}`` where ``labels`` knows
    them (once after a deletion + insertion pair by the same delegations). The marks hold
    the changed text exactly, leading and trailing spaces included. Headings are bold. All
    text is escaped with :func:`escape_markdown`.

    A CriticMarkup-aware renderer (e.g. Python-Markdown with ``pymdownx.critic``) shows
    the marks as changes. pandoc does not know CriticMarkup: read with ``markdown-smart``
    (or the marks' ``--`` become dashes) and a CriticMarkup filter to get revisions.
    """
    document, old, new = diff.get("document", ""), diff.get("from", ""), diff.get("to", "")
    head = [
        f"# {escape_markdown(title)}",
        f"{escape_markdown(str(document), line_start=True)}: {escape_markdown(str(old))} → {escape_markdown(str(new))}",
    ]
    rows = diff_rows(diff, labels=labels, numbers=numbers, only_changed=only_changed)
    return _markdown(rows, _kinds(diff), head, diff, ids=True)


def tracked_markdown(paragraphs: Sequence[TrackedParagraph], comments: Sequence[Comment], meta: DocMeta) -> str:
    """A tracked document as Markdown with CriticMarkup: the heading block, one line each,
    then every paragraph as :func:`markdown_row` shows it (numbers, no ids) and its comments."""
    from .ast import HEADING_BOLD, HEADING_ITALIC, heading_lines

    head = []
    for key, value in heading_lines(meta):
        line = escape_markdown(value, line_start=True)
        head.append(f"**{line}**" if key in HEADING_BOLD else f"*{line}*" if key in HEADING_ITALIC else line)
    rows = tracked_rows(paragraphs, comments)
    return _markdown(rows, [r.kind for r in rows], head, _summary_of(rows), ids=False)
