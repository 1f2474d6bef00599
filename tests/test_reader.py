"""formats.reader: files in (Word, ODT, Markdown, HTML), paragraphs and proposals out.

The six Word-authored files of ``tests/fixtures/word-peer/`` (from pandoc's test suite,
see its NOTICE.md) are the reference: each file's reject view is the base version, and
accepting every proposal made from the file must give Word's accept view paragraph for
paragraph. Our own Word files are built by ``tests/fixtures/make_docx_fixtures.py``; the
corpus of ``tests/fixtures/word-corpus/`` is tested in ``test_word_corpus.py``.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pypandoc
import pytest

from drafting.formats import ast, export, pandoc, safety
from drafting.formats.reader import proposals_from_document, read_document, read_paragraphs
from drafting.model.errors import DraftingError
from drafting.model.records import Limits, Paragraph, Version
from drafting.text.understand import Understood
from reading import DOCX, LIMITS, WORD_PEER, apply, fixture_base, pandoc_view, plain, version_of

#: Word's views of the word-peer files: (reject, accept). pandoc agrees, except that it
#: joins across the deleted paragraph mark of paragraph_insertion_deletion.docx with a
#: space ("split Paragraph."), where Word (and LibreOffice) join directly.
WORD_PEER_VIEWS = {
    "comments.docx": (
        [
            "I want some text to have a comment on it.",
            "This is a new paragraph.",
            "And so is this.",
            "One more. And this is one with a comment in a comment.",
        ],
    )
    * 2,
    "paragraph_insertion_deletion.docx": (["This is a split", "Paragraph."], ["This is a", "splitParagraph."]),
    "track_changes_deletion.docx": (
        ["This is a text with an excessively modified deletion."],
        ["This is a text with a deletion."],
    ),
    "track_changes_insertion.docx": (
        ["This is a text with insertions."],
        ["This is a text with two exciting insertions."],
    ),
    "track_changes_move.docx": (
        ["Here is some text.", "Here is some more text.", "Here is the text to be moved."],
        ["Here is some text.", "Here is the text to be moved.", "Here is some more text."],
    ),
    "track_changes_scrubbed_metadata.docx": (["Here is a dummy document."], ["Here is a test document."]),
}


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def refused(
    path: Path, *words: str, base: Version | None = None, limits: Limits = LIMITS, imported: bool = True
) -> str:
    """``path`` is refused with one line naming it and ``words``: as a submission, and
    (with ``imported``) as an import."""
    calls = [lambda: proposals_from_document(path, base or fixture_base(), limits=limits)]
    if imported:
        calls.append(lambda: read_paragraphs(path, limits=limits))
    line = ""
    for call in calls:
        with pytest.raises(DraftingError) as e:
            call()
        line = e.value.line
        assert "\n" not in line and line.startswith(path.name + ":"), line
        for w in words:
            assert w.lower() in line.lower(), line
    return line


@pytest.fixture
def no_pandoc(monkeypatch):
    """Hostile files must be refused before pandoc is ever started."""

    def boom():
        raise AssertionError("pandoc must not run on this file")

    monkeypatch.setattr(pandoc, "pandoc_path", boom)


def count_comments(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").count(b"<w:commentReference ")


# ------------------------------------------------------------------ Word-authored files


def test_word_peer_files_are_in_the_repository_with_their_notice():
    assert sorted(p.name for p in WORD_PEER.glob("*.docx")) == sorted(WORD_PEER_VIEWS)
    assert "pandoc" in (WORD_PEER / "NOTICE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(WORD_PEER_VIEWS))
def test_word_peer_views_are_words(name):
    path = WORD_PEER / name
    reject, accept = WORD_PEER_VIEWS[name]
    doc = read_document(path, limits=LIMITS)
    assert [g.text for g in doc.paragraphs("reject")] == reject
    assert [g.text for g in doc.paragraphs("accept")] == accept
    if name != "paragraph_insertion_deletion.docx":
        assert (pandoc_view(path, "reject"), pandoc_view(path, "accept")) == (reject, accept)


@pytest.mark.parametrize("name", sorted(WORD_PEER_VIEWS))
def test_word_peer_accepting_every_proposal_gives_words_accept_view(name):
    path = WORD_PEER / name
    reject, accept = WORD_PEER_VIEWS[name]
    base = version_of(reject)
    understood = proposals_from_document(path, base, limits=LIMITS)
    assert isinstance(understood, Understood)
    assert apply(base, understood.proposals) == accept
    comments = [p for p in understood.proposals if p.op == "comment"]
    assert len(comments) == count_comments(path)
    for p in understood.proposals:
        if p.op in ("amend", "insert", "delete"):
            assert p.word_authors, p  # every change here is tracked
    assert understood.matched.unmatched == 0
    assert understood.notes


@pytest.mark.parametrize("name", sorted(WORD_PEER_VIEWS))
def test_word_peer_edited_clean_gives_the_same_result(name, tmp_path):
    """The accept view typed without Track Changes: alignment alone finds the changes."""
    reject, accepted = WORD_PEER_VIEWS[name]
    base = version_of(reject)
    clean = tmp_path / "clean.docx"
    pypandoc.convert_text("\n\n".join(accepted), "docx", format="markdown", outputfile=str(clean))
    understood = proposals_from_document(clean, base, limits=LIMITS)
    assert apply(base, understood.proposals) == accepted
    assert all(p.word_authors == () and p.word_dates == () for p in understood.proposals)


def test_word_peer_what_each_file_says():
    def understood(name):
        return proposals_from_document(WORD_PEER / name, version_of(WORD_PEER_VIEWS[name][0]), limits=LIMITS).proposals

    ins = understood("track_changes_insertion.docx")
    assert plain(ins) == [{"op": "amend", "paragraph": "p-1", "text": "This is a text with two exciting insertions."}]
    assert (ins[0].word_authors, ins[0].word_dates) == (("eng-dept",), ("2014-06-25T10:40:00Z",))

    dele = understood("track_changes_deletion.docx")
    assert plain(dele) == [{"op": "amend", "paragraph": "p-1", "text": "This is a text with a deletion."}]

    # the moved paragraph: deleted where it was, inserted where it went
    assert plain(understood("track_changes_move.docx")) == [
        {"op": "insert", "after": "p-1", "text": "Here is the text to be moved.", "kind": "text", "section": None},
        {"op": "delete", "paragraph": "p-3"},
    ]

    # a split ("This is a" | " split") and a merge (" split" + "Paragraph.", joined as Word does)
    assert plain(understood("paragraph_insertion_deletion.docx")) == [
        {"op": "amend", "paragraph": "p-1", "text": "This is a"},
        {"op": "amend", "paragraph": "p-2", "text": "splitParagraph."},
    ]

    scrubbed = understood("track_changes_scrubbed_metadata.docx")
    assert plain(scrubbed) == [
        {"op": "amend", "paragraph": "p-1", "text": "Here is a test document."},
        {"op": "comment", "paragraph": "p-1", "text": "With a comment!"},
    ]
    assert scrubbed[1].word_authors == ("Author",)

    # within a paragraph, across paragraphs (on the first), multi-paragraph, nested
    comments = understood("comments.docx")
    assert [(p.op, p.paragraph, p.text) for p in comments] == [
        ("comment", "p-1", "I left a comment."),
        ("comment", "p-2", "A comment across paragraphs."),
        ("comment", "p-4", "This one has multiple paragraphs. See?"),
        ("comment", "p-4", "Do something."),
        ("comment", "p-4", "Do something else."),
    ]
    assert all(p.word_authors == ("Jesse Rosenthal",) for p in comments)


def test_word_peer_import_reads_the_accept_view_by_default():
    path = WORD_PEER / "paragraph_insertion_deletion.docx"
    reject, accept = WORD_PEER_VIEWS[path.name]
    assert [p.text for p in read_paragraphs(path, limits=LIMITS)] == accept
    assert [p.text for p in read_paragraphs(path, limits=LIMITS, track_changes="reject")] == reject
    with pytest.raises(ValueError):
        read_paragraphs(path, limits=LIMITS, track_changes="all")


# ------------------------------------------------------------------ our own Word files

EXPECTED_TRACKED = [
    {
        "op": "amend",
        "paragraph": "clr-2",
        "text": "States Parties will apply land release methods that are efficient, safe, evidence-based, "
        "gender-sensitive and consistent with the International Mine Action Standards.",
    },
    {
        "op": "insert",
        "after": "clr-3",
        "text": "States Parties in a position to do so will support regional clearance training centres.",
        "kind": "action",
        "section": "Survey and clearance",
    },
    {
        "op": "amend",
        "paragraph": "clr-4",
        "text": "States Parties will report on the area released through non-technical survey, technical survey "
        "and clearance, disaggregated by method and by year, in their annual transparency reports "
        "using the agreed reporting guide.",
    },
    {"op": "delete", "paragraph": "clr-5"},
    {"op": "delete", "paragraph": "va-1"},
    {
        "op": "amend",
        "paragraph": "va-2",
        "text": "States Parties will collect data on cluster munition victims disaggregated by sex, age and disability.",
    },
    {
        "op": "insert",
        "after": "va-2",
        "text": "They will make this data available to service providers while protecting privacy.",
        "kind": "action",
        "section": "Victim assistance",
    },
    {
        "op": "comment",
        "paragraph": "clr-1",
        "text": "Mexico asks whether two years is realistic for the most affected States.",
    },
]


def test_fixtures_are_small_and_present():
    names = {p.name for p in DOCX.iterdir()}
    for n in (
        "base.json",
        "base.docx",
        "tracked.docx",
        "clean.docx",
        "other_document.docx",
        "unrelated.docx",
        "not_a_zip.docx",
        "encrypted.docx",
        "legacy.docx",
        "bomb_ratio.docx",
        "bomb_declared.docx",
        "bomb_lying.docx",
        "xxe.docx",
    ):
        assert n in names, f"run tests/fixtures/make_docx_fixtures.py ({n} missing)"
    assert all(p.stat().st_size < 50_000 for p in DOCX.iterdir())


def test_import_of_an_export_keeps_ids_kinds_sections_and_drops_numbers():
    base = fixture_base()
    got = read_paragraphs(DOCX / "base.docx", limits=LIMITS)
    # the title block (two unstyled paragraphs before the first heading) is read as text
    assert [p.text for p in got[:2]] == [
        "Third Review Conference of the Convention on Cluster Munitions",
        "Vientiane Action Plan: zero draft",
    ]
    assert [(p.id, p.kind, p.section, p.text) for p in got[2:]] == [
        (p.id, p.kind, p.section, p.text) for p in base.paragraphs
    ]
    assert [p.id for p in got[:2]] == ["p-1", "p-2"]


def test_unedited_export_proposes_nothing_and_skips_the_title_block():
    u = proposals_from_document(DOCX / "base.docx", fixture_base(), limits=LIMITS)
    assert u.proposals == ()
    assert u.matched.by_bookmark == 10 and u.matched.unmatched == 2
    assert any("title block" in n for n in u.notes)


def test_tracked_changes_become_proposals():
    base = fixture_base()
    u = proposals_from_document(DOCX / "tracked.docx", base, limits=LIMITS)
    assert plain(u.proposals) == EXPECTED_TRACKED
    assert all(p.word_authors == ("Mexico",) for p in u.proposals)
    assert u.matched.to_json() == {
        "by_bookmark": 10,
        "by_text": 0,
        "by_similarity": 0,
        "unmatched": 2,
        "document_paragraphs": 12,
        "base_paragraphs": 10,
    }
    # the accept view without the title block, its "Action N." numbers being structure
    accepted = [p.text for p in read_paragraphs(DOCX / "tracked.docx", limits=LIMITS)][2:]
    assert apply(base, u.proposals) == accepted
    assert accepted[2].startswith("States Parties will apply land release methods")


def test_clean_copy_gives_the_same_proposals_as_the_tracked_one():
    base = fixture_base()
    tracked = proposals_from_document(DOCX / "tracked.docx", base, limits=LIMITS)
    clean = proposals_from_document(DOCX / "clean.docx", base, limits=LIMITS)
    assert plain(clean.proposals) == plain(tracked.proposals)
    assert clean.matched.by_bookmark == 0 and clean.matched.by_text == 5
    assert [p.word_authors for p in clean.proposals if p.op != "comment"] == [()] * 7


def test_a_file_of_another_document_is_refused():
    line = refused(DOCX / "other_document.docx", "another document", "action-plan zero-draft", imported=False)
    assert "p_pd_1" in line
    with pytest.raises(
        DraftingError,
        match=r"^unrelated.docx: does not look like action-plan zero-draft: none of its 3 paragraphs matches$",
    ):
        proposals_from_document(DOCX / "unrelated.docx", fixture_base(), limits=LIMITS)


def test_an_unedited_export_round_trips(tmp_path):
    """An export of the base read back: no proposal; imported, the same paragraphs."""
    base = fixture_base()
    numbers = {p.id: f"Action {n}" for n, p in enumerate((p for p in base.paragraphs if p.kind == "action"), 1)}
    out = export.export_version(
        base,
        ast.DocMeta(conference="Conf", title="Vientiane Action Plan", symbol="CCM/1", label="Zero draft"),
        numbers,
        "docx",
        tmp_path / "x.docx",
    )
    u = proposals_from_document(out, base, limits=LIMITS)
    assert u.proposals == () and u.matched.by_bookmark == len(base.paragraphs)
    got = read_paragraphs(out, limits=LIMITS)
    assert [(p.id, p.kind, p.section, p.text) for p in got] == [
        (p.id, p.kind, p.section, p.text) for p in base.paragraphs
    ]
    # its title block, Title and Subtitle included, is shown but is not text of the version
    doc = read_document(out, limits=LIMITS)
    shown = [g.shown for g in doc.paragraphs("accept")]
    assert shown[:5] == ["CCM/1", "Conf", "Vientiane Action Plan", "Zero draft", "Submitted by the President"]
    assert shown[6].startswith("Action 1 Each State Party")


def test_a_circulated_tracked_export_reads_back(tmp_path):
    """A Rev.1 circulated with tracked changes since the zero draft: against rev1 it
    proposes no text; against the zero draft, accepting every proposal gives rev1;
    imported, its views are rev1 and the zero draft, ids kept."""
    v0 = fixture_base()
    C, TP = export.Change, export.TrackedParagraph
    tps = []
    for p in v0.paragraphs:
        if p.id == "clr-2":
            head, tail = p.text.split("land release", 1)
            changes = [
                C("equal", head),
                C("delete", "land release", "Mexico", "2026-07-01"),
                C("insert", "survey", "France", "2026-07-02"),
                C("equal", tail),
            ]
            tps.append(TP(p.id, p.kind, p.section, "Action 2", "modified", changes))
        elif p.id == "va-1":
            changes = [C("delete", p.text, "Chile")]
            tps.append(TP(p.id, p.kind, p.section, "Action 6", "deleted", changes, author="Chile", date="2026-07-03"))
        else:
            tps.append(TP(p.id, p.kind, p.section, "", "unchanged", [C("equal", p.text)]))
        if p.id == "clr-3":
            changes = [C("insert", "A brand new action on training.", "Austria")]
            tps.append(TP("clr-6", "action", p.section, "Action 3 bis", "inserted", changes, author="Austria"))
    out = export.export_tracked(
        tps,
        [export.Comment("clr-1", "Ireland", "A comment from Ireland.")],
        ast.DocMeta(conference="C", title="T"),
        "docx",
        tmp_path / "rev1.docx",
    )
    v1 = Version(
        "action-plan",
        "rev1",
        tuple(
            Paragraph(tp.id, "".join(c.text for c in tp.changes if c.op != "delete"), tp.section, tp.kind)
            for tp in tps
            if tp.status != "deleted"
        ),
    )

    on_v1 = proposals_from_document(out, v1, limits=LIMITS)
    assert plain(on_v1.proposals) == [{"op": "comment", "paragraph": "clr-1", "text": "A comment from Ireland."}]
    on_v0 = proposals_from_document(out, v0, limits=LIMITS)
    assert apply(v0, on_v0.proposals) == [p.text for p in v1.paragraphs]
    assert [p.word_authors for p in on_v0.proposals] == [("Mexico", "France"), ("Austria",), ("Chile",), ("Ireland",)]

    assert [(p.id, p.text) for p in read_paragraphs(out, limits=LIMITS)] == [(p.id, p.text) for p in v1.paragraphs]
    assert [(p.id, p.text) for p in read_paragraphs(out, limits=LIMITS, track_changes="reject")] == [
        (p.id, p.text) for p in v0.paragraphs
    ]


# ------------------------------------------------------------------ hostile and bad files


def test_not_a_zip(no_pandoc):
    refused(DOCX / "not_a_zip.docx", "not a Word document", "not a zip")


def test_password_protected_and_legacy_doc(no_pandoc):
    refused(DOCX / "encrypted.docx", "password-protected")
    refused(DOCX / "legacy.docx", "old binary Word")


def test_zip_bombs(no_pandoc):
    refused(DOCX / "bomb_ratio.docx", "zip bomb", "ratio")
    refused(DOCX / "bomb_declared.docx", "zip bomb", "declares")
    # declares 1,000 bytes, holds 5 MB: caught while really unpacking (size/checksum)
    refused(DOCX / "bomb_lying.docx", "damaged")


def test_real_unpacked_size_is_capped(no_pandoc, tmp_path):
    path = tmp_path / "big.docx"
    parts = {"word/document.xml": b"<w:document/>", **{f"word/media/{i}.bin": os.urandom(300_000) for i in range(3)}}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    # declared sizes are honest: the declared check fires first
    refused(path, "declares", limits=Limits(max_docx_unpacked_bytes=500_000))


def test_dtd_in_any_xml_part_is_refused(no_pandoc, tmp_path):
    refused(DOCX / "xxe.docx", "DOCTYPE", "word/document.xml")
    # the same in UTF-16, in a relationships part
    path = tmp_path / "xxe16.docx"
    with zipfile.ZipFile(DOCX / "tracked.docx") as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "_rels/.rels":
                data = (
                    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e SYSTEM "http://x">]>'
                    + data.decode("utf-8").split("?>", 1)[1]
                ).encode("utf-16")
            zout.writestr(info, data)
    refused(path, "DOCTYPE", "_rels/.rels")


def test_too_large_file(no_pandoc):
    refused(DOCX / "tracked.docx", "over the limit", limits=Limits(max_docx_bytes=5_000))


def test_absurd_zips(no_pandoc, tmp_path):
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        for i in range(safety.MAX_ZIP_ENTRIES):
            z.writestr(f"word/x{i}.xml", "")
    refused(many, "entries")

    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "a zip, but no Word document in it")
    refused(other, "no word/document.xml")

    traversal = tmp_path / "traversal.docx"
    with zipfile.ZipFile(traversal, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("../../etc/evil.xml", "x")
    refused(traversal, "suspicious entry name")

    # an entry flagged as encrypted (zipfile cannot write one: patch the flag bits)
    enc = tmp_path / "enc.docx"
    with zipfile.ZipFile(enc, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(enc.read_bytes())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        struct.pack_into("<H", data, pos + off, struct.unpack_from("<H", data, pos + off)[0] | 1)
    enc.write_bytes(bytes(data))
    refused(enc, "password-protected")

    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    refused(empty, "empty")


def test_broken_xml_and_documents_without_text_are_one_line(no_pandoc, tmp_path):
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    refused(broken, "word/document.xml cannot be read")
    blank = tmp_path / "blank.docx"
    with zipfile.ZipFile(blank, "w") as z:
        z.writestr("word/document.xml", f"<w:document {W_NS}><w:body><w:p/></w:body></w:document>")
    refused(blank, "has no paragraphs with text")


def test_unknown_extension_and_missing_file(no_pandoc, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    refused(pdf, "cannot read '.pdf' files")
    refused(tmp_path / "missing.docx", "no such file")


def test_text_formats_must_be_utf8(no_pandoc, tmp_path):
    bad = tmp_path / "latin1.md"
    bad.write_bytes("Déclaration".encode("latin-1"))
    refused(bad, "not UTF-8")
    nul = tmp_path / "nul.html"
    nul.write_bytes(b"<p>a\x00b</p>")
    refused(nul, "NUL")


def test_too_many_paragraphs(tmp_path):
    md = tmp_path / "long.md"
    md.write_text("\n\n".join(f"Paragraph {i}." for i in range(30)), encoding="utf-8")
    refused(md, "over the limit of 20", base=version_of(["Paragraph 1."]), limits=Limits(max_paragraphs=20))
    docx = tmp_path / "long.docx"
    pypandoc.convert_file(str(md), "docx", outputfile=str(docx))
    refused(docx, "over the limit of 20", base=version_of(["Paragraph 1."]), limits=Limits(max_paragraphs=20))


def test_too_long_a_proposed_text(tmp_path):
    md = tmp_path / "long.md"
    md.write_text("Paragraph one.\n\n" + "word " * 50, encoding="utf-8")
    refused(
        md,
        "over the limit of 100 characters",
        base=version_of(["Paragraph one."]),
        limits=Limits(max_text_chars=100),
        imported=False,
    )


def test_deep_nesting_is_one_line(tmp_path):
    deep = tmp_path / "deep.md"
    deep.write_text("> " * 700 + "deep text\n", encoding="utf-8")
    refused(deep, "nested too deeply", base=version_of(["deep text"]), imported=False)
    tables = tmp_path / "tables.docx"
    body = "<w:tbl><w:tr><w:tc>" * 100 + "<w:p><w:r><w:t>deep text</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 100
    with zipfile.ZipFile(tables, "w") as z:
        z.writestr("word/document.xml", f"<w:document {W_NS}><w:body>{body}</w:body></w:document>")
    refused(tables, "nested too deeply", base=version_of(["deep text"]))


# ------------------------------------------------------------------ import from .md / .html / .odt

MARKDOWN = """\
# I. Survey and clearance

Action 1. Each State Party will survey all areas.

Action 2 States Parties will report on progress.

[]{#p_clr_9}Action 3. A paragraph that carries its id as a bookmark.

# II. Victim assistance

1. Numbered item one.
2. Numbered item two.

Recalling the Convention on Cluster Munitions,

A   paragraph   with   irregular
spacing.

3\\. A number typed by hand is text.

# Survey and clearance

Another paragraph.

# Survey and clearance

One more.
"""


def test_markdown_import_ids_sections_kinds(tmp_path):
    md = tmp_path / "plan.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    got = [(p.id, p.kind, p.section, p.text) for p in read_paragraphs(md, limits=LIMITS)]
    s1, s2 = "I. Survey and clearance", "II. Victim assistance"  # numbers typed in headings are text
    assert got == [
        ("h-survey-clearance", "heading", s1, s1),
        ("survey-clearance-1", "action", s1, "Each State Party will survey all areas."),
        ("survey-clearance-2", "action", s1, "States Parties will report on progress."),
        ("clr-9", "action", s1, "A paragraph that carries its id as a bookmark."),
        ("h-victim-assistance", "heading", s2, s2),
        ("victim-assistance-1", "operative", s2, "Numbered item one."),
        ("victim-assistance-2", "operative", s2, "Numbered item two."),
        ("victim-assistance-3", "preambular", s2, "Recalling the Convention on Cluster Munitions,"),
        ("victim-assistance-4", "text", s2, "A paragraph with irregular spacing."),
        ("victim-assistance-5", "text", s2, "3. A number typed by hand is text."),
        ("h-survey-clearance-2", "heading", "Survey and clearance", "Survey and clearance"),
        ("survey-clearance-3", "text", "Survey and clearance", "Another paragraph."),
        ("h-survey-clearance-3", "heading", "Survey and clearance", "Survey and clearance"),
        ("survey-clearance-4", "text", "Survey and clearance", "One more."),
    ]


def test_html_import(tmp_path):
    html = tmp_path / "decl.html"
    html.write_text(
        "<html><body><p>We, the States Parties, gathered in Vientiane,</p>"
        "<h2>Commitments</h2><p>12. We reaffirm our commitment.</p>"
        "<p>12 bis. A paragraph numbered as negotiators do.</p>"
        "<ul><li>first item</li><li>second <em>item</em></li></ul>"
        "<table><tr><td>a cell</td></tr></table>"
        "<p><span id='op-7'></span>Kept id.</p><p><script>alert(1)</script></p></body></html>",
        encoding="utf-8",
    )
    got = [(p.id, p.kind, p.text) for p in read_paragraphs(html, limits=LIMITS)]
    assert got == [
        ("p-1", "text", "We, the States Parties, gathered in Vientiane,"),
        ("h-commitments", "heading", "Commitments"),
        ("commitments-1", "text", "12. We reaffirm our commitment."),  # typed by hand: text
        ("commitments-2", "operative", "A paragraph numbered as negotiators do."),
        ("commitments-3", "text", "first item"),
        ("commitments-4", "text", "second item"),
        ("commitments-5", "text", "a cell"),
        ("op-7", "text", "Kept id."),
    ]


def test_html_and_markdown_exports_read_back(tmp_path):
    base = fixture_base()
    numbers = {p.id: f"Action {n}" for n, p in enumerate((p for p in base.paragraphs if p.kind == "action"), 1)}
    for fmt in ("html", "md"):
        out = export.export_version(base, ast.DocMeta(conference="C", title="T"), numbers, fmt, tmp_path / f"x.{fmt}")
        got = read_paragraphs(out, limits=LIMITS)
        assert [(p.id, p.kind, p.text) for p in got] == [(p.id, p.kind, p.text) for p in base.paragraphs], fmt
        assert proposals_from_document(out, base, limits=LIMITS).proposals == ()


def test_tracked_changes_for_reading_are_refused_not_misread(tmp_path):
    """A tracked-changes page (HTML or Markdown: old and new text together) read back would
    make a proposal of every struck word: it is refused in one line."""
    from drafting.formats.diffview import to_html, to_markdown
    from drafting.text.diff import diff_versions

    base = fixture_base()
    changed = Version(base.document, "rev1", (*base.paragraphs[1:], Paragraph("x-1", "New.", kind="text")))
    diff = diff_versions(base, changed)
    tracked = [export.TrackedParagraph("x-1", "text", None, "", "inserted", [export.Change("insert", "New.", "Chile")])]
    pages = {
        "d.html": to_html(diff, title="T"),
        "d.md": to_markdown(diff, title="T"),
        "t.html": None,
        "t.md": None,
    }
    for name, page in pages.items():
        out = tmp_path / name
        if page is None:
            export.export_tracked(tracked, [], ast.DocMeta(conference="C", title="T"), name[2:], out)
        else:
            out.write_text(page, encoding="utf-8")
        with pytest.raises(DraftingError, match=f"^{name}: shows tracked changes for reading .* cannot be read back"):
            proposals_from_document(out, base, limits=LIMITS)
        with pytest.raises(DraftingError, match="cannot be read back"):
            read_paragraphs(out, limits=LIMITS)


def test_generated_ids_never_take_a_bookmarked_one(tmp_path):
    md = tmp_path / "x.md"
    md.write_text(
        "# Cooperation\n\nFirst.\n\n[]{#p_cooperation_1}Second, bookmarked as cooperation-1.\n", encoding="utf-8"
    )
    got = read_paragraphs(md, limits=LIMITS)
    assert [p.id for p in got] == ["h-cooperation", "cooperation-2", "cooperation-1"]


def test_odt_import_and_submission(tmp_path):
    odt = tmp_path / "plan.odt"
    pypandoc.convert_text(
        "# Victim assistance\n\n[]{#p_va_1}Action 1. Text one.\n\nText number two.\n",
        "odt",
        format="markdown",
        outputfile=str(odt),
    )
    got = [(p.id, p.kind, p.text) for p in read_paragraphs(odt, limits=LIMITS)]
    # pandoc's ODT reader loses bookmark names: ids are generated
    assert got == [
        ("h-victim-assistance", "heading", "Victim assistance"),
        ("victim-assistance-1", "action", "Text one."),
        ("victim-assistance-2", "text", "Text number two."),
    ]
    base = Version(
        "d",
        "v",
        (
            Paragraph("h-va", "Victim assistance", kind="heading"),
            Paragraph("va-1", "Text one.", kind="action"),
            Paragraph("va-2", "Text number 2."),
        ),
    )
    u = proposals_from_document(odt, base, limits=LIMITS)
    assert plain(u.proposals) == [{"op": "amend", "paragraph": "va-2", "text": "Text number two."}]
    # an ODT package is checked like a DOCX one
    bad = tmp_path / "bad.odt"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", "<manifest><file-entry><encryption-data/></file-entry></manifest>")
        z.writestr("content.xml", "<office:document-content/>")
    refused(bad, "password-protected")
