"""Rendering diffs: HTML (page and fragment) and Markdown with CriticMarkup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.formats.ast import DocMeta
from drafting.formats.diffview import (
    DIFF_CSS,
    escape_markdown,
    to_html,
    to_html_fragment,
    to_markdown,
    tracked_html,
    tracked_markdown,
)
from drafting.formats.export import Change, Comment, TrackedParagraph
from drafting.model.records import Paragraph, Version
from drafting.text.diff import diff_versions
from drafting.text.numbering import diff_numbers

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "</p></div><iframe srcdoc='<script>alert(1)</script>'>",
    "<meta http-equiv=refresh content=0;url=https://evil.invalid>",
    "<style>body{display:none}</style>",
]


def P(pid, text, kind="action", section="Survey and clearance"):
    return Paragraph(id=pid, text=text, kind=kind, section=section)


def sample_diff():
    old = Version(
        "action-plan",
        "zero-draft",
        (
            P("h", "Survey and clearance", kind="heading"),
            P("clr-1", "Each State Party will survey all areas."),
            P("clr-2", "Each State Party will clear all areas by 2030."),
            P("clr-3", "Each State Party will report."),
            P("clr-4", "Each State Party will cooperate."),
        ),
    )
    new = Version(
        "action-plan",
        "rev1",
        (
            P("h", "Survey and clearance", kind="heading"),
            P("clr-1", "Each State Party will survey all contaminated areas."),
            P("clr-4", "Each State Party will cooperate."),
            P("clr-3", "Each State Party will report."),
            P("MEX-2", "Each State Party will educate."),
        ),
    )
    return old, new, diff_versions(old, new)


LABELS = {
    "clr-1": [None, ["Mexico", "Chile"], None],
    "MEX-2": [["Mexico"]],
    "clr-2": [["France"]],
}


class _Collector(HTMLParser):
    """Collects the tags and attributes an HTML parser (a browser, roughly) would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    c = _Collector()
    c.feed(html)
    c.close()
    return c


# ---------------------------------------------------------------------------------- HTML


def test_html_page_is_self_contained():
    _, _, diff = sample_diff()
    page = to_html(diff, title="Vientiane Action Plan: zero draft to Rev.1")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)\s*=", page), "no external resources"
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page
    assert DIFF_CSS in page
    tags = parse(page).tags
    assert {"html", "head", "style", "body", "ins", "del"} <= set(tags)


def test_html_marks_changes_and_badges():
    old, new, diff = sample_diff()
    numbers = diff_numbers(old.paragraphs, new.paragraphs)
    page = to_html(diff, title="T", labels=LABELS, numbers=numbers)
    assert "<ins" in page and "> contaminated</ins>" in page
    assert '<del title="Deleted: France">Each State Party will clear all areas by 2030.</del>' in page
    assert 'dd-badge-moved">moved</span>' in page
    assert 'dd-badge-inserted">inserted</span>' in page
    assert 'dd-badge-deleted">deleted</span>' in page
    # numbers in the margin: kept keep theirs, inserted is "bis" (inserted), deleted keeps its
    # old one (struck through)
    assert '<span class="dd-num">Action 1</span>' in page  # kept clr-1
    assert '<span class="dd-num"><del title="Deleted: France">Action 2</del></span>' in page  # deleted clr-2
    assert '<span class="dd-num"><ins title="Inserted: Mexico">Action 3 bis</ins></span>' in page
    assert "was after Action 3" in page  # clr-4 moved up
    # summary and legend
    assert "1 changed, 1 moved, 1 inserted, 1 deleted, 2 unchanged" in page
    assert "inserted text" in page and "deleted text" in page


def test_html_labels_delegations_on_changes():
    _, _, diff = sample_diff()
    page = to_html_fragment(diff, labels=LABELS)
    assert '<ins title="Inserted: Mexico, Chile"> contaminated</ins>' in page
    assert '<sup class="dd-by" title="Inserted: Mexico, Chile">Mexico, Chile</sup>' in page
    assert ">Mexico</sup>" in page


def test_html_only_changed():
    _, _, diff = sample_diff()
    full = to_html_fragment(diff)
    changed = to_html_fragment(diff, only_changed=True)
    assert 'id="dd-h"' in full and 'id="dd-h"' not in changed
    assert 'id="dd-clr-1"' in changed
    unchanged_only = diff_versions(Version("d", "a", (P("a", "A."),)), Version("d", "b", (P("a", "A."),)))
    assert "No changes." in to_html_fragment(unchanged_only, only_changed=True)


def test_fragment_css_is_scoped():
    _, _, diff = sample_diff()
    frag = to_html_fragment(diff)
    assert frag.startswith("<style>")
    assert '<div class="dd">' in frag
    assert "<html" not in frag and "<body" not in frag
    assert "<style>" not in to_html_fragment(diff, include_css=False)
    for rule in re.findall(r"^([^@{}\s][^{}]*)\{", DIFF_CSS, flags=re.M):
        for selector in rule.split(","):
            assert selector.strip().startswith(".dd"), selector


def _hostile_diff(text):
    old = Version(text, text, (P(text, text, section=text), P("keep", "Kept " + text)))
    new = Version(text, text, (P("keep", "Kept, amended: " + text), P("new" + text, text)))
    return diff_versions(old, new)


def _assert_inert(html, hostile):
    parsed = parse(html)
    allowed = {"html", "head", "meta", "title", "style", "body", "div", "span", "p", "h1", "h2", "ins", "del", "sup"}
    assert set(parsed.tags) <= allowed, set(parsed.tags) - allowed
    for name, value in parsed.attrs:
        assert not name.startswith("on"), (name, value)
        assert name in {"class", "id", "title", "charset", "http-equiv", "content", "name", "lang"}, name
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "<iframe" not in html.lower()
    # the hostile text is shown as text
    assert hostile in "".join(parsed.text)


def test_hostile_text_is_escaped_everywhere():
    for hostile in HOSTILE:
        diff = _hostile_diff(hostile)
        labels = {"keep": [None, [hostile], None], "new" + hostile: [[hostile]]}
        numbers = {"keep": hostile, "new" + hostile: hostile}
        page = to_html(diff, title=hostile, labels=labels, numbers=numbers)
        _assert_inert(page, hostile)
        frag = to_html_fragment(diff, title=hostile, labels=labels, numbers=numbers)
        _assert_inert(frag, hostile)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'&=/ abc;:{}()\\`*_[]#|~-+!")), max_size=40))
def test_arbitrary_text_never_makes_markup(text):
    diff = _hostile_diff(text)
    page = to_html(diff, title=text, labels={"keep": [[text], [text], [text]]}, numbers={"keep": text})
    parsed = parse(page)
    assert set(parsed.tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "div",
        "span",
        "p",
        "h1",
        "h2",
        "ins",
        "del",
        "sup",
    }
    assert all(not name.startswith("on") for name, _ in parsed.attrs)


# ------------------------------------------------------------------------------ Markdown


def test_markdown_criticmarkup():
    old, new, diff = sample_diff()
    numbers = diff_numbers(old.paragraphs, new.paragraphs)
    md = to_markdown(diff, title="Vientiane Action Plan", labels=LABELS, numbers=numbers)
    assert md.startswith("# Vientiane Action Plan\n")
    assert "Each State Party will survey all{++ contaminated++}{>> Mexico, Chile <<} areas." in md
    assert "{--Each State Party will clear all areas by 2030.--}{>> France <<}" in md
    assert "{++Each State Party will educate.++}{>> Mexico <<}" in md
    assert "**{--Action 2--}** · clr-2 · *deleted*" in md  # the deleted paragraph's number struck through
    assert "**Action 4** · clr-4 · *moved, was after Action 3*" in md
    assert "**{++Action 3 bis++}** · MEX-2 · *inserted*" in md
    assert "1 changed, 1 moved, 1 inserted, 1 deleted, 2 unchanged" in md


def test_markdown_pairs_one_label_for_a_replacement():
    old = Version("d", "a", (P("a", "States shall clear."),))
    new = Version("d", "b", (P("a", "States should clear."),))
    diff = diff_versions(old, new)
    md = to_markdown(diff, title="T", labels={"a": [None, ["Mexico"], ["Mexico"], None]})
    assert "{--shall--}{++should++}{>> Mexico <<} clear." in md


def test_markdown_only_changed():
    _, _, diff = sample_diff()
    md = to_markdown(diff, title="T", only_changed=True)
    assert "Survey and clearance\n" not in md.split("---", 1)[1]
    assert "clr-1" in md


def test_markdown_escapes_hostile_text():
    for hostile in [
        *HOSTILE,
        "{++ fake ++}",
        "{-- fake --}",
        "{>> x <<}",
        "a++}b",
        "*x* _y_",
        "[link](javascript:alert(1))",
        "`code`",
        "1. list",
        "- item",
    ]:
        diff = _hostile_diff(hostile)
        md = to_markdown(diff, title=hostile, labels={"keep": [None, [hostile], None]}, numbers={"keep": hostile})
        assert "{++ fake" not in md and "{-- fake" not in md and "{>> x" not in md
        # every CriticMarkup mark is ours: text never opens or closes one
        body = md.split("---", 1)[1]
        stripped = re.sub(r"\{(\+\+|--)|(\+\+|--)\}|\{>> | <<\}", "", body)
        assert "{" not in stripped and "}" not in stripped
        assert "<" not in stripped, md  # no raw HTML can form


def test_escape_markdown():
    assert escape_markdown("<b>&{x}") == "&lt;b&gt;&amp;&#123;x&#125;"
    assert escape_markdown("*a* _b_ [c] `d` #e |f ~g ^h $i @j \\k") == (
        "\\*a\\* \\_b\\_ \\[c\\] \\`d\\` \\#e \\|f \\~g \\^h \\$i \\@j \\\\k"
    )
    assert escape_markdown("line\nbreak\r\nhere") == "line break here"
    assert escape_markdown("1. first", line_start=True) == "1\\. first"
    assert escape_markdown("- item", line_start=True) == "\\- item"
    assert escape_markdown("- item") == "- item"
    assert escape_markdown("States, Parties.") == "States, Parties."


def test_markdown_line_starts_cannot_make_blocks():
    assert escape_markdown("  - x", line_start=True) == "&#32;&#32;\\- x"
    assert escape_markdown("    code", line_start=True) == "&#32;&#32;&#32;&#32;code"
    for pid in ("- item", "1. x", "+ y", "# h", "> q", "===", "    code"):
        diff = diff_versions(Version("d", "a", (P(pid, "Text."),)), Version("d", "b", ()))
        md = to_markdown(diff, title="T")
        # (a document without heading paragraphs gets its headings from the sections)
        section, meta = md.split("---\n\n", 1)[1].splitlines()[:3:2]
        assert section == "## Survey and clearance"
        assert re.match(r"\\|&|\d+\\\.", meta), meta


def test_labels_default_to_the_diffs_own():
    _, _, diff = sample_diff()
    diff = {**diff, "labels": {"MEX-2": [["MEX"]]}}
    assert ">MEX</sup>" in to_html_fragment(diff)
    assert "{>> MEX <<}" in to_markdown(diff, title="T")
    assert "MEX</sup>" not in to_html_fragment(diff, labels={})


# ------------------------------------------------------------------ tracked documents


def _moved_and_renumbered():
    """A move shown as a deletion at the old place and an insertion at the new one, and a
    paragraph renumbered by the Presidency in between."""
    moved = "Moved <b>text</b>."
    return [
        TrackedParagraph(
            "a-1", "action", "Clearance", "Action 1", "deleted", [Change("delete", moved, "Chile", "2026-07-03")]
        ),
        TrackedParagraph(
            "a-2",
            "action",
            "Clearance",
            "Action 1",
            "unchanged",
            [Change("equal", "Stays.")],
            old_number="Action 2",
            number_author="Lao People's Democratic Republic",
            number_date="2026-08-30",
        ),
        TrackedParagraph("a-1", "action", "Clearance", "Action 2", "inserted", [Change("insert", moved, "Chile")]),
    ]


def test_tracked_document_numbers_comments_and_heading_block():
    meta = DocMeta(conference="Conference", title="Plan", symbol="S/1", date="30 August 2026")
    comments = [Comment("a-1", "Peru", "Why?\nReally <i>.", "2026-07-04")]
    page = tracked_html(_moved_and_renumbered(), comments, meta)
    _assert_inert(page, "Moved <b>text</b>.")
    assert "<title>Plan (S/1)</title>" in page
    assert '<p class="dd-hb dd-hb-symbol">S/1</p>' in page and ">30 August 2026</p>" in page
    # the deleted paragraph's number struck through, the inserted one's inserted, by Chile
    assert '<del title="Deleted: Chile (3 July 2026)">Action 1</del>' in page
    assert '<ins title="Inserted: Chile">Action 2</ins>' in page
    # a renumbering: the old number struck through, the new one inserted, by the Presidency
    by = "Lao People&#x27;s Democratic Republic (30 August 2026)"
    assert f'<del title="Deleted: {by}">Action 2</del><ins title="Inserted: {by}">Action 1</ins>' in page
    # the moved paragraph's anchor and comments once, with the showing that is not deleted
    assert page.count('id="dd-a-1"') == 1 and page.count("Comment by Peru (4 July 2026):") == 1
    assert page.index("Comment by Peru") > page.index("Inserted: Chile")
    assert "Why?\nReally &lt;i&gt;." in page
    # no ids in a document; headings from the sections where there are no heading paragraphs
    assert 'class="dd-id"' not in page and page.count('<h2 class="dd-section">Clearance</h2>') == 1

    md = tracked_markdown(_moved_and_renumbered(), comments, meta)
    assert md.startswith("S/1\n\n") and "**Plan**" in md and "## Clearance" in md
    assert "**{--Action 1--}** · *deleted*" in md and "**{++Action 2++}** · *inserted*" in md
    assert "**{--Action 2--}{++Action 1++}**" in md
    assert md.count("Comment by Peru (4 July 2026):") == 1 and "&lt;i&gt;" in md and "<i>" not in md


def test_diff_of_a_document_with_heading_paragraphs_gets_no_section_headings():
    _, _, diff = sample_diff()
    assert "<h2" not in to_html_fragment(diff) and "<h2" not in to_html_fragment(diff, only_changed=True)
    assert "\n## " not in to_markdown(diff, title="T")
