"""text.paragraphs: a read document's paragraphs as those of a new version (ids, kinds)."""

from __future__ import annotations

import pytest

from drafting.model.errors import DraftingError
from drafting.text.document import Anchor, Document, Segment, Unit
from drafting.text.paragraphs import ParagraphIds, new_version_paragraphs, slug


def unit(text: str, **kw) -> Unit:
    return Unit([Segment(text)], **kw)


def test_id_scheme():
    ids = ParagraphIds(reserved={"survey-clearance-2", "h-general"})
    assert ids.heading("General") == "h-general-2"
    assert ids.heading("Survey and clearance of the land") == "h-survey-clearance-land"
    assert [ids.paragraph("Survey and clearance") for _ in range(3)] == [
        "survey-clearance-1",
        "survey-clearance-3",
        "survey-clearance-4",
    ]
    assert ids.paragraph(None) == "p-1"
    assert ids.paragraph("Coopération et assistance") == "cooperation-assistance-1"
    assert slug("IV. Victim assistance", 3) == "victim-assistance"  # an enumerator is no word of an id


def test_paragraphs_keep_their_bookmarked_ids_and_headings_only_ours():
    doc = Document(
        [
            unit("Cooperation", heading=1, anchors=[Anchor("cooperation", ("cooperation",))]),
            unit("First."),
            unit("Second.", anchors=[Anchor("p_cooperation_1", ("cooperation-1",), ours=True)]),
            unit("Title block.", export_only=True),
        ]
    )
    got = new_version_paragraphs(doc, "accept", name="x.md", max_text_chars=100)
    assert [(p.id, p.kind, p.section, p.text) for p in got] == [
        ("h-cooperation", "heading", "Cooperation", "Cooperation"),
        ("cooperation-2", "text", "Cooperation", "First."),
        ("cooperation-1", "text", "Cooperation", "Second."),
    ]


def test_display_numbers_make_kinds_and_typed_numbers_stay_text():
    doc = Document(
        [
            Unit([Segment("5.", number=True), Segment(" We agree.")]),  # written by an export
            unit("Action 3 We act."),
            unit("5 bis. We add."),
            unit("(1) Record your video."),
            unit("1. Open the file."),
        ]
    )
    got = new_version_paragraphs(doc, "accept", name="x.docx", max_text_chars=100)
    assert [(p.kind, p.text) for p in got] == [
        ("operative", "We agree."),
        ("action", "We act."),
        ("operative", "We add."),
        ("text", "(1) Record your video."),
        ("text", "1. Open the file."),
    ]


def test_limits_and_empty_documents():
    with pytest.raises(DraftingError, match=r"^x.docx: paragraph 1 has 11 characters, over the limit of 10$"):
        new_version_paragraphs(Document([unit("eleven char")]), "accept", name="x.docx", max_text_chars=10)
    with pytest.raises(DraftingError, match=r"^x.docx: has no paragraphs with text$"):
        new_version_paragraphs(Document([unit("", export_only=True)]), "accept", name="x.docx", max_text_chars=10)
