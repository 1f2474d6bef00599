"""formats.units: pandoc's AST to units, and the conventions of drafting's exports."""

from __future__ import annotations

from drafting.formats import ast
from drafting.formats.units import anchor, flag_export_only, kind_of_style, units_from_ast
from drafting.text.document import Segment, Unit


def test_bookmarks_name_paragraph_ids():
    assert anchor("p_clr_3").ids[0] == "clr-3" and anchor("p_clr_3").ours
    assert anchor(ast.bookmark_name("Ünïcode id")).ids[0] == "Ünïcode id"
    assert anchor("p_clr-3").ids[0] == "clr-3" and not anchor("p_clr-3").ours  # hand-made
    assert anchor("clr-3").ids == ("clr-3",)
    assert "clr-3" in anchor("clr_3").ids  # Word refuses '-' in bookmark names
    assert anchor("_GoBack").ids == () and anchor("_Toc12345").ids == ()


def test_styles_of_an_export():
    assert kind_of_style("Action Paragraph") == "action" and kind_of_style("ActionParagraph") == "action"
    assert kind_of_style("Normal") is None
    # Title and Subtitle are text, unless the document carries drafting's own title block
    units = [Unit([Segment("T")], style="Title"), Unit([Segment("x")], style="Normal")]
    flag_export_only(units)
    assert [u.export_only for u in units] == [False, False]
    units.append(Unit([Segment("Submitted by the President")], style="Submitted By"))
    flag_export_only(units)
    assert [u.export_only for u in units] == [True, False, True]


def test_an_exported_paragraph_reads_as_number_bookmark_and_text():
    block = ast.paragraph_block("action", "clr-2", "Action 2", ast.text("States will report."))
    (u,) = units_from_ast(ast.document([block])).units
    assert (u.number(), u.text(), u.style_kind, u.anchors[0].ids[0]) == (
        "Action 2",
        " States will report.",
        "action",
        "clr-2",
    )
    assert u.shown() == "Action 2 States will report."


def test_tracked_spans_comments_and_notes():
    doc = ast.document(
        [
            ast.Para(
                [
                    ast.Str("Keep"),
                    ast.Span(ast.attr("", ["deletion"], author="A"), [ast.Str(" old")]),
                    ast.Span(ast.attr("", ["insertion"], author="B", date="2026-07-01"), [ast.Str(" new")]),
                    ast.Span(ast.attr("1", ["comment-start"], author="C"), [ast.Str("A comment.")]),
                    {"t": "Note", "c": [ast.Para([ast.Str("A footnote.")])]},
                ]
            )
        ]
    )
    read = units_from_ast(doc)
    (u,) = read.units
    assert (u.text("accept"), u.text("reject")) == ("Keep new", "Keep old")
    assert (u.authors, u.dates, [c.body for c in u.comments], read.footnotes) == (
        ["A", "B"],
        ["2026-07-01"],
        ["A comment."],
        1,
    )
