"""text.document: a read document's units, and Word's accept and reject views of them
(ECMA-376 Part 1, 17.13.5: revisions, paragraph marks, table rows)."""

from __future__ import annotations

from drafting.text.document import Document, Segment, Unit, display_number, guess_kind
from drafting.text.numbering import Number


def seg(text: str, *, ins: bool = False, dele: bool = False, number: bool = False) -> Segment:
    return Segment(text, inserted=ins, deleted=dele, number=number)


def views(*units: Unit) -> tuple[list[str], list[str]]:
    doc = Document(list(units))
    return [g.text for g in doc.paragraphs("accept")], [g.text for g in doc.paragraphs("reject")]


def test_revised_text_is_left_out_of_the_view_that_rejects_it():
    u = Unit([seg("States "), seg("shall", dele=True), seg("will", ins=True), seg(" report.")])
    assert views(u) == (["States will report."], ["States shall report."])
    both = Unit([seg("Kept "), seg("added then removed", ins=True, dele=True), seg("text.")])
    assert views(both) == (["Kept text."], ["Kept text."])


def test_a_deleted_paragraph_mark_joins_the_text_directly():
    """Word joins the two texts as they are: "add." and "You" give "add.You"; a word split
    over two paragraphs is one word again."""
    assert views(
        Unit([seg("Report what you add.")], mark_deleted=True),
        Unit([seg("You will find it below.")]),
        Unit([seg("States Parties will re")], mark_deleted=True),
        Unit([seg("port each year.")]),
    ) == (
        ["Report what you add.You will find it below.", "States Parties will report each year."],
        ["Report what you add.", "You will find it below.", "States Parties will re", "port each year."],
    )


def test_an_inserted_paragraph_mark_splits_and_rejecting_it_joins():
    assert views(Unit([seg("This is a")], mark_inserted=True), Unit([seg(" split")])) == (
        ["This is a", "split"],
        ["This is a split"],
    )


def test_a_deleted_mark_before_an_empty_paragraph_joins_only_that_paragraph():
    """The empty paragraph's mark ends the joined paragraph: the heading after it stays."""
    assert views(
        Unit([seg("First paragraph ends here.")], mark_deleted=True),
        Unit([]),
        Unit([seg("Victim assistance")], heading=1),
        Unit([seg("A.")]),
        Unit([], mark_deleted=True),
        Unit([seg("B.")]),
    ) == (
        ["First paragraph ends here.", "Victim assistance", "A.", "B."],
        ["First paragraph ends here.", "Victim assistance", "A.", "B."],
    )


def test_a_fixed_mark_never_joins():
    """The mark that ends a table cell or the document, or stands before a table, stays."""
    assert (
        views(
            Unit([seg("Before the table.")], mark_deleted=True, mark_fixed=True),
            Unit([seg("In a cell.")], mark_deleted=True, mark_fixed=True),
            Unit([seg("Next cell.")], mark_fixed=True),
        )
        == (["Before the table.", "In a cell.", "Next cell."],) * 2
    )


def test_rows_inserted_or_deleted_exist_in_one_view_only():
    assert views(
        Unit([seg("Kept row.")]),
        Unit([seg("Blank", ins=True)], only_in="accept", mark_inserted=True, mark_fixed=True),
        Unit([seg("Old row.", dele=True)], only_in="reject", mark_deleted=True, mark_fixed=True),
    ) == (["Kept row.", "Blank"], ["Kept row.", "Old row."])


def test_display_numbers_are_structure_not_text():
    u = Unit([seg("Action 2", number=True), seg(" States will report.")])
    (para,) = Document([u]).paragraphs("accept")
    assert (para.text, para.shown, para.number) == ("States will report.", "Action 2 States will report.", "Action 2")
    emptied = Unit([seg("Action 2", number=True), seg(" "), seg("States will report.", dele=True)])
    (shown,) = Document([emptied]).paragraphs("accept")
    assert (shown.text, shown.shown) == ("", "Action 2")  # Word shows it; it holds no text


def test_a_joined_paragraph_takes_heading_and_style_from_its_first_unit_with_text():
    doc = Document(
        [
            Unit([seg("gone", dele=True)], mark_deleted=True, style_kind="action"),
            Unit([seg("Heading")], heading=2),
        ]
    )
    (para,) = doc.paragraphs("accept")
    assert (para.text, para.heading, para.units) == ("Heading", 2, (0, 1))


def test_unmistakable_display_numbers_and_kinds():
    assert display_number("Action 12 bis. States will") == (Number(12, 1, "Action"), "States will")
    assert display_number("5 ter. We agree") == (Number(5, 2), "We agree")
    assert display_number("5. We agree") == (None, "5. We agree")  # may be typed by hand
    assert guess_kind("x", number=Number(3, 0, "Action")) == "action"
    assert guess_kind("x", number=Number(3, 1)) == "operative"
    assert guess_kind("x", style_kind="preambular") == "preambular"
    assert guess_kind("x", ordered=True) == "operative"
    assert guess_kind("Recalling the Convention,") == "preambular"
    assert guess_kind("Deeply concerned by the use,") == "preambular"
    assert guess_kind("Recalling the Convention.") == "text"


def test_texts_are_stored_as_nfc_with_white_space_collapsed():
    decomposed = "Coope\u0301ration\tet\u00a0assistance "
    (para,) = Document([Unit([seg(decomposed)])]).paragraphs("accept")
    assert para.text == "Coopération et assistance"
