"""formats.ooxml: Word files read from their XML, as Word shows them.

Each pattern a real delegation's file carries, on the corpus files written as Word,
LibreOffice and Google Docs write them (``tests/fixtures/word-corpus``) and on small
packages built here.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafting.formats.ooxml import read_docx
from drafting.formats.reader import proposals_from_document, read_document
from drafting.model.records import Paragraph, Version
from reading import CORPUS, LIMITS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def views(path: Path) -> tuple[list[str], list[str]]:
    doc = read_docx(path)
    return [g.shown for g in doc.paragraphs("accept")], [g.shown for g in doc.paragraphs("reject")]


def package(
    tmp_path: Path, body: str, *, ns: str = W, main: str = "word/document.xml", parts: dict[str, str] | None = None
) -> Path:
    """A minimal package around ``body`` (the children of ``w:body``)."""
    path = tmp_path / "x.docx"
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        f'Target="{main}"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("_rels/.rels", rels)
        z.writestr(
            main,
            f'<w:document xmlns:w="{ns}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>',
        )
        for name, xml in (parts or {}).items():
            z.writestr(name, xml)
    return path


def p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


# ------------------------------------------------------------------ paragraph marks


def test_a_deleted_paragraph_mark_joins_the_texts_directly():
    accept, _ = views(CORPUS / "word-paragraph-marks.docx")
    assert "Delegations will report annually on what they add.You will find the reporting form in the annex." in accept
    assert "States Parties will report on progress each year." in accept  # a word split over two paragraphs
    assert "This sentence runs into the heading after itVictim assistance" in accept


def test_an_empty_paragraph_after_a_deleted_mark_ends_the_joined_paragraph():
    accept, _ = views(CORPUS / "word-paragraph-marks.docx")
    k = accept.index("First paragraph ends here.")
    assert accept[k + 1] == "Data collection"  # the heading after the empty paragraph stays a heading
    doc = read_document(CORPUS / "word-paragraph-marks.docx", limits=LIMITS)
    assert next(g for g in doc.paragraphs("accept") if g.text == "Data collection").heading == 2


def test_marks_that_cannot_go_stay():
    """Before a table, at the end of a table cell, at the end of the document."""
    accept, reject = views(CORPUS / "word-tables.docx")
    assert accept[0] == reject[0] == "Status of clearance by State (the mark before the table cannot go)"
    assert accept[3:5] == ["Lao People’s Democratic Republic", "Clearing"]
    accept, _ = views(CORPUS / "word-paragraph-marks.docx")
    assert accept[-1] == "The last paragraph, its mark deleted."


def test_rows_inserted_and_deleted_with_track_changes():
    accept, reject = views(CORPUS / "word-tables.docx")
    assert "Chile" in accept and "Chile" not in reject
    assert "Old State" in reject and "Old State" not in accept
    doc = read_docx(CORPUS / "word-tables.docx")
    chile = next(u for u in doc.units if u.text() == "Chile")
    assert chile.only_in == "accept" and chile.authors == ["Sofía Ramírez"]


def test_identical_rows_and_paragraphs_inserted_are_each_a_paragraph():
    accept, _ = views(CORPUS / "word-identical-inserts.docx")
    assert accept.count("Blank") == 3 and accept.count("1") == 2 and accept.count("To be confirmed.") == 2


# ------------------------------------------------------------------ text


def test_deletions_next_to_punctuation_leave_no_space():
    accept, _ = views(CORPUS / "word-punctuation.docx")
    assert accept[:3] == ["Copy the text and paste.", "Followed by.", "The relevant authorities, and will report."]
    assert "Data will be shared with the relevant authorities, and reported back." in accept
    assert ", as agreed, to survivors." in accept
    accept, _ = views(CORPUS / "libreoffice-patterns.docx")
    assert "Copy the text and paste." in accept
    assert "Followed by ." in accept  # LibreOffice deleted the words only, and shows the space left


def test_title_and_subtitle_are_paragraphs():
    accept, reject = views(CORPUS / "word-title-subtitle.docx")
    assert accept[:2] == ["Vientiane Action Plan", "First draft"] and reject[:2] == ["Vientiane Plan", "Zero draft"]
    accept, _ = views(CORPUS / "google-docs-suggestions.docx")
    assert accept[:2] == ["Vientiane Declaration", "Draft for negotiation"]


def test_field_results_are_text_as_word_shows_them():
    accept, reject = views(CORPUS / "word-fields.docx")
    assert accept[1:5] == [
        "Figure 1 Jupiter",  # SEQ (complex field)
        "As Figure 1 shows, the planet is large.",  # REF
        "Table 1 Saturn and its rings",  # SEQ (simple field)
        "See page 1 for details.",  # PAGEREF
    ]
    assert "Cluster munitions are banned." in accept  # an index entry shows nothing
    assert "Figure 2 Mars" in accept and "Figure" in reject  # a field inserted
    assert "A field deleted: gone." in accept and "A field deleted: 3gone." in reject  # the result stored
    assert "Last updated 1 December 2026." in accept  # DATE as last updated


def test_numbers_typed_are_text_and_list_numbering_is_not():
    accept, _ = views(CORPUS / "word-typed-numbers.docx")
    assert accept[:4] == [
        "(1) Record your video; (2) upload it; (3) share the link.",
        "1. Open the file.",
        "2. Read it carefully.",
        "3. Close it.",
    ]
    doc = read_docx(CORPUS / "word-typed-numbers.docx")
    survey = next(g for g in doc.paragraphs("accept") if g.text == "Survey the land.")
    bullet = next(g for g in doc.paragraphs("accept") if g.text == "A bullet.")
    assert survey.ordered and not bullet.ordered


def test_comments_at_a_point_and_on_a_range():
    doc = read_docx(CORPUS / "word-point-comments.docx")
    assert [[c.body for c in u.comments] for u in doc.units] == [
        ["Which report?"],
        ["By when?"],
        ["Too vague."],
        ["Why?"],
    ]
    base = Version("d", "v", tuple(Paragraph(f"p-{i}", g.text) for i, g in enumerate(doc.paragraphs("reject"), 1)))
    u = proposals_from_document(CORPUS / "word-point-comments.docx", base, limits=LIMITS)
    assert [(p.op, p.paragraph, p.word_authors) for p in u.proposals if p.op == "comment"] == [
        ("comment", "p-1", ("Sofía Ramírez",)),
        ("comment", "p-2", ("Sofía Ramírez",)),
        ("comment", "p-3", ("Sofía Ramírez",)),
        ("comment", "p-4", ("Kofi Mensah",)),
    ]


def test_moves_content_controls_hyperlinks_footnotes_and_formatting_changes():
    accept, reject = views(CORPUS / "word-content-controls.docx")
    assert accept == [
        "States Parties commit to universal adherence.",
        "They will share best practices.",
        "They will report every year.",
        "See the website of the Implementation Support Unit.",
        "Formatting changed, words unchanged.",
    ]
    assert reject[1] == "They will report every year."
    assert read_docx(CORPUS / "word-content-controls.docx").footnotes == 1
    base = Version("d", "v", tuple(Paragraph(f"p-{i}", t) for i, t in enumerate(reject, 1)))
    u = proposals_from_document(CORPUS / "word-content-controls.docx", base, limits=LIMITS)
    assert "p-5" not in {p.target for p in u.proposals}  # formatting changed, words unchanged: nothing


def test_display_numbers_in_drafting_s_style_are_structure():
    doc = read_docx(CORPUS / "libreoffice-export-edits.docx")
    shown = {g.shown: g for g in doc.paragraphs("accept")}
    emptied = shown["Action 2"]
    assert (emptied.text, emptied.number) == ("", "Action 2")
    assert [g.text for g in doc.paragraphs("accept") if g.export_only] == [
        "CCM/CONF/2026/PM.1",
        "Third Review Conference of the Convention on Cluster Munitions",
        "Vientiane Action Plan",
        "Zero draft",
        "Submitted by the President",
    ]


# ------------------------------------------------------------------ the XML itself


def test_runs_tabs_breaks_symbols_and_hyphens(tmp_path):
    body = p(
        r("a"),
        "<w:r><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t><w:softHyphen/><w:t>e</w:t>"
        '<w:sym w:font="Symbol" w:char="F0B7"/></w:r>',
    )
    (para,) = read_docx(package(tmp_path, body)).paragraphs("accept")
    assert para.text == "a b c\u2011de\uf0b7"


def test_strict_ooxml_and_parts_found_through_relationships(tmp_path):
    styles = f'<w:styles xmlns:w="{STRICT}"><w:style w:type="paragraph" w:styleId="H"><w:name w:val="heading 2"/></w:style></w:styles>'
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/styles" Target="s.xml"/>'
        "</Relationships>"
    )
    path = package(
        tmp_path,
        p(r("Heading"), ppr='<w:pStyle w:val="H"/>') + p(r("Text")),
        ns=STRICT,
        main="word/main.xml",
        parts={"word/s.xml": styles, "word/_rels/main.xml.rels": rels, "word/document.xml": "<w:document/>"},
    )
    doc = read_docx(path)
    assert [(g.text, g.heading) for g in doc.paragraphs("accept")] == [("Heading", 2), ("Text", 0)]


def test_alternate_content_is_read_once_and_text_boxes_are_not_paragraph_text(tmp_path):
    box = "<w:txbxContent>" + p(r("In a text box")) + "</w:txbxContent>"
    body = p(
        r("Before "),
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:drawing>{box}</w:drawing></w:r></mc:Choice>'
        f"<mc:Fallback><w:r><w:pict>{box}</w:pict></w:r></mc:Fallback></mc:AlternateContent>",
        r("after."),
    )
    body += f'<mc:AlternateContent><mc:Choice Requires="w14">{p(r("Chosen."))}</mc:Choice><mc:Fallback>{p(r("Fallback."))}</mc:Fallback></mc:AlternateContent>'
    assert [g.text for g in read_docx(package(tmp_path, body)).paragraphs("accept")] == ["Before after.", "Chosen."]


def test_bookmarks_between_paragraphs_belong_to_the_next(tmp_path):
    body = '<w:bookmarkStart w:id="1" w:name="p_clr_3"/>' + p(r("Text.")) + '<w:bookmarkEnd w:id="1"/>'
    (u,) = read_docx(package(tmp_path, body)).units
    assert [(a.name, a.ids[0], a.ours) for a in u.anchors] == [("p_clr_3", "clr-3", True)]


@pytest.mark.parametrize("kind", ["ins", "del", "moveTo", "moveFrom"])
def test_paragraph_mark_revisions(tmp_path, kind):
    mark = f'<w:rPr><w:{kind} w:id="1" w:author="A" w:date="2026-07-01T00:00:00Z"/></w:rPr>'
    doc = read_docx(package(tmp_path, p(r("one"), ppr=mark) + p(r("two"))))
    inserted = kind in ("ins", "moveTo")
    assert (doc.units[0].mark_inserted, doc.units[0].mark_deleted) == (inserted, not inserted)
    joined = ["onetwo"]
    assert [g.text for g in doc.paragraphs("reject" if inserted else "accept")] == joined
    assert doc.units[0].authors == ["A"]


def test_a_field_that_never_ends_hides_no_text(tmp_path):
    """A damaged file: the field's code is still hidden, the text after it is not."""
    body = p(r("Before "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> SEQ x </w:instrText></w:r>')
    body += p(r("Every word a delegate typed."))
    assert [g.text for g in read_docx(package(tmp_path, body)).paragraphs("accept")] == [
        "Before",
        "Every word a delegate typed.",
    ]
