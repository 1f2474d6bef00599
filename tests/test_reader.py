"""Reading documents: import (paragraphs) and Word files to proposals, hostile files.

The six Word-authored files of ``../shared/fixtures/word-peer/`` are the reference: each
file's reject view (pandoc ``--track-changes=reject``) is the base version, and accepting
every proposal made from the file must give Word's accept view (pandoc
``--track-changes=accept``) paragraph for paragraph. Our own fixtures are built by
``tests/fixtures/make_docx_fixtures.py``.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import time
import zipfile
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.formats import reader, safety
from drafting.formats.reader import DEL, INS, Understood, proposals_from_document, read_paragraphs
from drafting.model.errors import DraftingError
from drafting.model.records import Limits, Paragraph, Version
from drafting.text.words import normalize_space

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "docx"
WORD_PEER = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "word-peer"
WORD_PEER_FILES = [
    "comments.docx",
    "paragraph_insertion_deletion.docx",
    "track_changes_deletion.docx",
    "track_changes_insertion.docx",
    "track_changes_move.docx",
    "track_changes_scrubbed_metadata.docx",
]
LIMITS = Limits()


# ------------------------------------------------------------------ helpers


def apply(base: Version, proposals: list[dict]) -> list[str]:
    """Accept every proposal: amend replaces the text, insert goes after its anchor (several
    inserts after one anchor, in order), delete removes; comments change nothing."""
    rows = [[p.id, p.text] for p in base.paragraphs]
    last_after: dict[str | None, list] = {}
    for p in proposals:
        if p["op"] == "amend":
            next(r for r in rows if r[0] == p["paragraph"])[1] = p["text"]
        elif p["op"] == "insert":
            anchor = p["after"]
            ref = last_after.get(anchor)
            if ref is not None:
                pos = next(i for i, r in enumerate(rows) if r is ref) + 1
            elif anchor is None:
                pos = 0
            else:
                pos = next(i for i, r in enumerate(rows) if r[0] == anchor) + 1
            new = [None, p["text"]]
            rows.insert(pos, new)
            last_after[anchor] = new
    deleted = {p["paragraph"] for p in proposals if p["op"] == "delete"}
    return [normalize_space(t) for pid, t in rows if pid is None or pid not in deleted]


def pandoc_view(path: Path, mode: str) -> list[str]:
    """Word's reject or accept view, as pandoc computes it, one string per paragraph."""
    out = pypandoc.convert_file(
        str(path), "plain", format="docx", extra_args=[f"--track-changes={mode}", "--wrap=none"]
    )
    return [normalize_space(p) for p in out.split("\n\n") if p.strip()]


def version_of(texts: list[str]) -> Version:
    return Version("doc", "v0", tuple(Paragraph(id=f"p-{i}", text=t) for i, t in enumerate(texts, 1)))


def count_comments(path: Path) -> int:
    doc = json.loads(pypandoc.convert_file(str(path), "json", format="docx", extra_args=["--track-changes=all"]))

    def walk(x) -> int:
        if isinstance(x, list):
            return sum(walk(y) for y in x)
        if isinstance(x, dict):
            here = x.get("t") == "Span" and "comment-start" in x["c"][0][1]
            return int(here) + walk(x.get("c"))
        return 0

    return walk(doc["blocks"])


def without_meta(proposals: list[dict]) -> list[dict]:
    return [{k: v for k, v in p.items() if k != "meta"} for p in proposals]


def fixture_base() -> Version:
    data = json.loads((FIXTURES / "base.json").read_text(encoding="utf-8"))
    return Version(data["document"], data["version"], tuple(Paragraph(**p) for p in data["paragraphs"]))


def refused(
    path: Path, *words: str, base: Version | None = None, limits: Limits = LIMITS, imported: bool = True
) -> str:
    """``path`` is refused with one line naming it and ``words``: as a submission, and
    (with ``imported``) as an import."""
    calls = [lambda: proposals_from_document(path, base or fixture_base(), limits=limits)]
    if imported:
        calls.append(lambda: read_paragraphs(path, limits=limits))
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

    monkeypatch.setattr(reader, "_pandoc_path", boom)


# ------------------------------------------------------------------ Word-authored files

word_peer = pytest.mark.skipif(not WORD_PEER.is_dir(), reason="../shared/fixtures/word-peer is absent")


@word_peer
@pytest.mark.parametrize("name", WORD_PEER_FILES)
def test_word_peer_accepting_every_proposal_gives_words_accept_view(name):
    path = WORD_PEER / name
    base = version_of(pandoc_view(path, "reject"))
    understood = proposals_from_document(path, base, limits=LIMITS)
    assert isinstance(understood, Understood)
    assert apply(base, understood.proposals) == pandoc_view(path, "accept")
    comments = [p for p in understood.proposals if p["op"] == "comment"]
    assert len(comments) == count_comments(path)
    for p in understood.proposals:
        assert set(p["meta"]) == {"word_authors", "word_dates"}
        if p["op"] in ("amend", "insert", "delete"):
            assert p["meta"]["word_authors"], p  # every change here is tracked
    assert understood.matched["unmatched"] == 0
    assert understood.notes


@word_peer
@pytest.mark.parametrize("name", WORD_PEER_FILES)
def test_word_peer_edited_clean_gives_the_same_result(name, tmp_path):
    """The accept view typed without Track Changes: alignment alone finds the changes."""
    path = WORD_PEER / name
    base = version_of(pandoc_view(path, "reject"))
    accepted = pandoc_view(path, "accept")
    clean = tmp_path / "clean.docx"
    pypandoc.convert_text("\n\n".join(accepted), "docx", format="markdown", outputfile=str(clean))
    understood = proposals_from_document(clean, base, limits=LIMITS)
    assert apply(base, understood.proposals) == accepted
    assert all(p["meta"] == {"word_authors": [], "word_dates": []} for p in understood.proposals)


@word_peer
def test_word_peer_what_each_file_says():
    def understood(name):
        path = WORD_PEER / name
        return proposals_from_document(path, version_of(pandoc_view(path, "reject")), limits=LIMITS)

    ins = understood("track_changes_insertion.docx").proposals
    assert without_meta(ins) == [
        {"op": "amend", "paragraph": "p-1", "text": "This is a text with two exciting insertions."}
    ]
    assert ins[0]["meta"] == {"word_authors": ["eng-dept"], "word_dates": ["2014-06-25T10:40:00Z"]}

    dele = understood("track_changes_deletion.docx").proposals
    assert without_meta(dele) == [{"op": "amend", "paragraph": "p-1", "text": "This is a text with a deletion."}]

    # the moved paragraph: deleted where it was, inserted where it went
    move = without_meta(understood("track_changes_move.docx").proposals)
    assert move == [
        {"op": "insert", "after": "p-1", "text": "Here is the text to be moved.", "kind": "text", "section": None},
        {"op": "delete", "paragraph": "p-3"},
    ]

    # a split ("This is a" | "split") and a merge ("split" + "Paragraph.")
    split = without_meta(understood("paragraph_insertion_deletion.docx").proposals)
    assert split == [
        {"op": "amend", "paragraph": "p-1", "text": "This is a"},
        {"op": "amend", "paragraph": "p-2", "text": "split Paragraph."},
    ]

    scrubbed = understood("track_changes_scrubbed_metadata.docx").proposals
    assert without_meta(scrubbed) == [
        {"op": "amend", "paragraph": "p-1", "text": "Here is a test document."},
        {"op": "comment", "paragraph": "p-1", "text": "With a comment!"},
    ]
    assert scrubbed[1]["meta"]["word_authors"] == ["Author"]

    # within a paragraph, across paragraphs (on the first), multi-paragraph, nested
    comments = understood("comments.docx").proposals
    assert [(p["op"], p["paragraph"], p["text"]) for p in comments] == [
        ("comment", "p-1", "I left a comment."),
        ("comment", "p-2", "A comment across paragraphs."),
        ("comment", "p-4", "This one has multiple paragraphs. See?"),
        ("comment", "p-4", "Do something."),
        ("comment", "p-4", "Do something else."),
    ]
    assert all(p["meta"]["word_authors"] == ["Jesse Rosenthal"] for p in comments)


@word_peer
def test_word_peer_import_reads_the_accept_view_by_default():
    path = WORD_PEER / "paragraph_insertion_deletion.docx"
    assert [p.text for p in read_paragraphs(path, limits=LIMITS)] == pandoc_view(path, "accept")
    assert [p.text for p in read_paragraphs(path, limits=LIMITS, track_changes="reject")] == pandoc_view(path, "reject")


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
    names = {p.name for p in FIXTURES.iterdir()}
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
    assert all(p.stat().st_size < 50_000 for p in FIXTURES.iterdir())


def test_import_of_an_export_keeps_ids_kinds_sections_and_drops_numbers():
    base = fixture_base()
    got = read_paragraphs(FIXTURES / "base.docx", limits=LIMITS)
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
    u = proposals_from_document(FIXTURES / "base.docx", fixture_base(), limits=LIMITS)
    assert u.proposals == []
    assert u.matched["by_bookmark"] == 10 and u.matched["unmatched"] == 2
    assert any("title block" in n for n in u.notes)


def test_tracked_changes_become_proposals():
    base = fixture_base()
    u = proposals_from_document(FIXTURES / "tracked.docx", base, limits=LIMITS)
    assert without_meta(u.proposals) == EXPECTED_TRACKED
    assert all(p["meta"]["word_authors"] == ["Mexico"] for p in u.proposals)
    assert u.matched == {
        "by_bookmark": 10,
        "by_text": 0,
        "by_similarity": 0,
        "unmatched": 2,
        "document_paragraphs": 12,
        "base_paragraphs": 10,
    }
    accepted = pandoc_view(FIXTURES / "tracked.docx", "accept")[2:]  # minus the title block
    expected = [reader._strip_number(t)[0] for t in accepted]
    assert apply(base, u.proposals) == expected


def test_clean_copy_gives_the_same_proposals_as_the_tracked_one():
    base = fixture_base()
    tracked = proposals_from_document(FIXTURES / "tracked.docx", base, limits=LIMITS)
    clean = proposals_from_document(FIXTURES / "clean.docx", base, limits=LIMITS)
    assert without_meta(clean.proposals) == without_meta(tracked.proposals)
    assert clean.matched["by_bookmark"] == 0 and clean.matched["by_text"] == 5
    assert [p["meta"]["word_authors"] for p in clean.proposals if p["op"] != "comment"] == [[]] * 7


def test_a_file_of_another_document_is_refused():
    line = refused(FIXTURES / "other_document.docx", "another document", "action-plan zero-draft", imported=False)
    assert "p_pd_1" in line
    with pytest.raises(
        DraftingError,
        match=r"^unrelated.docx: does not look like action-plan zero-draft: "
        r"none of its 3 paragraphs matches$",
    ):
        proposals_from_document(FIXTURES / "unrelated.docx", fixture_base(), limits=LIMITS)


def test_an_edited_real_export_round_trips(tmp_path):
    """With the exporter of formats.export (when present): no edit, no proposal."""
    export = pytest.importorskip("drafting.formats.export")
    ast = pytest.importorskip("drafting.formats.ast")
    base = fixture_base()
    numbers = {p.id: f"Action {n}" for n, p in enumerate((p for p in base.paragraphs if p.kind == "action"), 1)}
    try:
        out = export.export_version(
            base,
            ast.DocMeta(conference="Conf", title="Vientiane Action Plan", symbol="CCM/1"),
            numbers,
            "docx",
            tmp_path / "x.docx",
        )
    except Exception as e:  # the exporter is someone else's work in progress
        pytest.skip(f"export not usable yet: {e}")
    u = proposals_from_document(out, base, limits=LIMITS)
    assert u.proposals == [] and u.matched["by_bookmark"] == len(base.paragraphs)
    got = read_paragraphs(out, limits=LIMITS)
    assert [(p.id, p.kind, p.text) for p in got] == [(p.id, p.kind, p.text) for p in base.paragraphs]


# ------------------------------------------------------------------ hostile and bad files


def test_not_a_zip(no_pandoc):
    refused(FIXTURES / "not_a_zip.docx", "not a Word document", "not a zip")


def test_password_protected_and_legacy_doc(no_pandoc):
    refused(FIXTURES / "encrypted.docx", "password-protected")
    refused(FIXTURES / "legacy.docx", "old binary Word")


def test_zip_bombs(no_pandoc):
    refused(FIXTURES / "bomb_ratio.docx", "zip bomb", "ratio")
    refused(FIXTURES / "bomb_declared.docx", "zip bomb", "declares")
    # declares 1,000 bytes, holds 5 MB: caught while really unpacking (size/checksum)
    refused(FIXTURES / "bomb_lying.docx", "damaged")


def test_real_unpacked_size_is_capped(no_pandoc, tmp_path):
    path = tmp_path / "big.docx"
    parts = {"word/document.xml": b"<w:document/>", **{f"word/media/{i}.bin": os.urandom(300_000) for i in range(3)}}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    # declared sizes are honest: the declared check fires first
    refused(path, "declares", limits=Limits(max_docx_unpacked_bytes=500_000))
    # the streaming guard alone (as if the directory had been passed)
    with zipfile.ZipFile(path) as z, pytest.raises(DraftingError, match="unpacks to more than"):
        safety._check_contents(path, z, z.infolist(), limits=Limits(max_docx_unpacked_bytes=500_000))


def test_dtd_in_any_xml_part_is_refused(no_pandoc, tmp_path):
    refused(FIXTURES / "xxe.docx", "DOCTYPE", "word/document.xml")
    # the same in UTF-16, in a relationships part
    path = tmp_path / "xxe16.docx"
    with zipfile.ZipFile(FIXTURES / "tracked.docx") as zin, zipfile.ZipFile(path, "w") as zout:
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
    refused(FIXTURES / "tracked.docx", "over the limit", limits=Limits(max_docx_bytes=5_000))


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


def _fake_pandoc(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "fake-pandoc"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def test_a_hanging_pandoc_is_stopped(monkeypatch, tmp_path):
    exe = _fake_pandoc(tmp_path, "exec sleep 60")
    monkeypatch.setattr(reader, "_pandoc_path", lambda: exe)
    started = time.monotonic()
    line = refused(FIXTURES / "tracked.docx", "pandoc did not finish", "within 1 s", limits=Limits(pandoc_timeout_s=1))
    assert time.monotonic() - started < 15, line


def test_a_failing_pandoc_is_one_line(monkeypatch, tmp_path):
    exe = _fake_pandoc(tmp_path, 'echo "Unexpected end of input\nmore detail" >&2; exit 3')
    monkeypatch.setattr(reader, "_pandoc_path", lambda: exe)
    refused(FIXTURES / "tracked.docx", "pandoc could not read it: Unexpected end of input")
    exe2 = _fake_pandoc(tmp_path, "echo 'not json'")
    monkeypatch.setattr(reader, "_pandoc_path", lambda: exe2)
    refused(FIXTURES / "tracked.docx", "not JSON")


def test_too_many_paragraphs(tmp_path):
    md = tmp_path / "long.md"
    md.write_text("\n\n".join(f"Paragraph {i}." for i in range(30)), encoding="utf-8")
    refused(md, "over the limit of 20", base=version_of(["Paragraph 1."]), limits=Limits(max_paragraphs=20))


# ------------------------------------------------------------------ import from .md / .html

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

# Survey and clearance

Another paragraph.

# Survey and clearance

One more.
"""


def test_markdown_import_ids_sections_kinds(tmp_path):
    md = tmp_path / "plan.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    got = [(p.id, p.kind, p.section, p.text) for p in read_paragraphs(md, limits=LIMITS)]
    assert got == [
        ("h-survey-clearance", "heading", "Survey and clearance", "Survey and clearance"),
        ("survey-clearance-1", "action", "Survey and clearance", "Each State Party will survey all areas."),
        ("survey-clearance-2", "action", "Survey and clearance", "States Parties will report on progress."),
        ("clr-9", "action", "Survey and clearance", "A paragraph that carries its id as a bookmark."),
        ("h-victim-assistance", "heading", "Victim assistance", "Victim assistance"),
        ("victim-assistance-1", "operative", "Victim assistance", "Numbered item one."),
        ("victim-assistance-2", "operative", "Victim assistance", "Numbered item two."),
        ("victim-assistance-3", "preambular", "Victim assistance", "Recalling the Convention on Cluster Munitions,"),
        ("victim-assistance-4", "text", "Victim assistance", "A paragraph with irregular spacing."),
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
        "<ul><li>first item</li><li>second <em>item</em></li></ul>"
        "<table><tr><td>a cell</td></tr></table>"
        "<p><span id='op-7'></span>Kept id.</p><p><script>alert(1)</script></p></body></html>",
        encoding="utf-8",
    )
    got = [(p.id, p.kind, p.text) for p in read_paragraphs(html, limits=LIMITS)]
    assert got == [
        ("p-1", "text", "We, the States Parties, gathered in Vientiane,"),
        ("h-commitments", "heading", "Commitments"),
        ("commitments-1", "operative", "We reaffirm our commitment."),
        ("commitments-2", "text", "first item"),
        ("commitments-3", "text", "second item"),
        ("commitments-4", "text", "a cell"),
        ("op-7", "text", "Kept id."),
    ]


def test_generated_ids_never_take_a_bookmarked_one(tmp_path):
    md = tmp_path / "x.md"
    md.write_text(
        "# Cooperation\n\nFirst.\n\n[]{#p_cooperation_1}Second, bookmarked as cooperation-1.\n", encoding="utf-8"
    )
    got = read_paragraphs(md, limits=LIMITS)
    assert [p.id for p in got] == ["h-cooperation", "cooperation-2", "cooperation-1"]


def test_id_scheme():
    ids = reader._Ids(reserved={"survey-clearance-2", "h-general"})
    assert ids.heading("General") == "h-general-2"
    assert ids.heading("Survey and clearance of the land") == "h-survey-clearance-land"
    assert [ids.paragraph("Survey and clearance") for _ in range(3)] == [
        "survey-clearance-1",
        "survey-clearance-3",
        "survey-clearance-4",
    ]
    assert ids.paragraph(None) == "p-1"
    assert ids.paragraph("Coopération et assistance") == "cooperation-assistance-1"
    assert reader._paragraph_id_from_bookmark("p_clr-3") == "clr-3"
    assert reader._paragraph_id_from_bookmark("clr-3") == "clr-3"
    assert reader._paragraph_id_from_bookmark("_GoBack") is None
    assert "clr-3" in reader._ids_for_bookmark("p_clr_3")


def test_number_prefixes():
    assert reader._strip_number("Action 12. Text") == ("Text", "action")
    assert reader._strip_number("Action 12 Text") == ("Text", "action")
    assert reader._strip_number("12. Text") == ("Text", "operative")
    assert reader._strip_number("Action 3 bis Text") == ("Text", "action")
    assert reader._strip_number("5 quater. Text") == ("Text", "operative")
    assert reader._strip_number("5 bis is not a number") == ("5 bis is not a number", None)
    assert reader._strip_number("2026 was a year") == ("2026 was a year", None)
    assert reader._strip_number("IV. Victim assistance", heading=True) == ("Victim assistance", "heading")


# ------------------------------------------------------------------ the method, on synthetic units

VOCAB = ["states", "parties", "will", "shall", "report", "clear", "survey", "land", "victims", "assist", "support", "data", "annual", "national", "plan", "cooperation", "international", "transparency", "measures", "gender", "diversity", "risk", "education", "stockpile"]


def _seg_text(words: list[str]) -> str:
    return " ".join(words)


@st.composite
def tracked_documents(draw):
    """A base and the units of a Word file edited with Track Changes against it."""
    texts = draw(
        st.lists(
            st.lists(st.sampled_from(VOCAB), min_size=3, max_size=9).map(_seg_text), min_size=1, max_size=7, unique=True
        )
    )
    ops = draw(
        st.lists(
            st.sampled_from(["keep", "amend", "delete", "split", "merge", "insert", "insert-before"]),
            min_size=len(texts),
            max_size=len(texts),
        )
    )
    units: list[reader._Unit] = []
    comments = 0
    for text, op in zip(texts, ops):
        words = text.split(" ")
        mk = lambda segs, **kw: reader._Unit(segs=segs, authors=["Mexico"], **kw)  # noqa: E731
        if op == "keep":
            units.append(reader._Unit(segs=[(0, text)]))
        elif op == "amend":
            k = draw(st.integers(0, len(words) - 1))
            new = draw(st.sampled_from(VOCAB))
            segs = [(0, " ".join(words[:k]) + " "), (DEL, words[k]), (INS, new), (0, " " + " ".join(words[k + 1 :]))]
            units.append(mk(segs))
        elif op == "delete":
            units.append(mk([(DEL, text)], mark_deleted=True))
        elif op == "split":
            k = draw(st.integers(1, len(words) - 1))
            units.append(mk([(0, " ".join(words[:k]))], mark_inserted=True))
            units.append(reader._Unit(segs=[(0, " ".join(words[k:]))]))
        elif op == "merge":
            units.append(mk([(0, text)], mark_deleted=True))
        elif op == "insert":  # Enter at the end, then new text
            units.append(mk([(0, text)], mark_inserted=True))
            units.append(mk([(INS, "new " + draw(st.sampled_from(VOCAB)))]))
        else:  # new text, then Enter, at the start
            units.append(mk([(INS, "fresh " + draw(st.sampled_from(VOCAB)))], mark_inserted=True))
            units.append(reader._Unit(segs=[(0, text)]))
        if draw(st.booleans()):
            units[-1].comments.append(reader._Comment(f"comment {comments}", "Mexico", None))
            comments += 1
    return version_of(texts), units, comments


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_documents())
def test_accepting_the_proposals_gives_the_accept_view(doc):
    base, units, comments = doc
    assert [g.text for g in reader._groups(units, "reject")] == [p.text for p in base.paragraphs]
    u = reader._understand(reader._Read(units), base, name="x.docx")
    assert apply(base, u.proposals) == [g.text for g in reader._groups(units, "accept")]
    assert sum(p["op"] == "comment" for p in u.proposals) == comments
    ids = {p.id for p in base.paragraphs}
    for p in u.proposals:
        assert (p.get("paragraph") or p.get("after")) in ids | {None}


@st.composite
def clean_documents(draw):
    """A base and a copy of it edited without Track Changes (one paragraph kept)."""
    texts = draw(
        st.lists(
            st.lists(st.sampled_from(VOCAB), min_size=3, max_size=9).map(_seg_text), min_size=1, max_size=8, unique=True
        )
    )
    keep = draw(st.integers(0, len(texts) - 1))
    out: list[str] = []
    for i, t in enumerate(texts):
        op = "keep" if i == keep else draw(st.sampled_from(["keep", "edit", "drop", "add", "swap"]))
        if op == "keep":
            out.append(t)
        elif op == "edit":
            w = t.split(" ")
            w[draw(st.integers(0, len(w) - 1))] = draw(st.sampled_from(VOCAB))
            out.append(" ".join(w))
        elif op == "add":
            out += [t, " ".join(draw(st.lists(st.sampled_from(VOCAB), min_size=2, max_size=6)))]
        elif op == "swap" and out:
            out.insert(len(out) - 1, t)
    return version_of(texts), out


@settings(max_examples=300, deadline=None)
@given(clean_documents())
def test_a_clean_copy_is_aligned(doc):
    base, texts = doc
    units = [reader._Unit(segs=[(0, t)]) for t in texts]
    u = reader._understand(reader._Read(units), base, name="x.docx")
    assert apply(base, u.proposals) == [normalize_space(t) for t in texts]
    assert all(p["meta"] == {"word_authors": [], "word_dates": []} for p in u.proposals)


def test_bookmarks_out_of_order_are_read_as_moves():
    base = version_of(["alpha one two", "beta three four", "gamma five six"])
    units = [
        reader._Unit(segs=[(0, t)], anchors=[a])
        for t, a in (("gamma five six", "p_p_3"), ("alpha one two", "p_p_1"), ("beta three four", "p_p_2"))
    ]
    u = reader._understand(reader._Read(units), base, name="x.docx")
    assert apply(base, u.proposals) == ["gamma five six", "alpha one two", "beta three four"]
    assert any("moved" in n for n in u.notes)


def test_alignment_is_fast_enough():
    """300 paragraphs, one in three edited clean, no bookmarks: well under a second or two."""
    texts = [f"paragraph {i} " + " ".join(VOCAB[(i * 7 + k) % len(VOCAB)] for k in range(40)) for i in range(300)]
    edited = [t.replace("survey", "SURVEY", 1) if i % 3 == 0 else t for i, t in enumerate(texts)]
    started = time.monotonic()
    u = reader._understand(
        reader._Read([reader._Unit(segs=[(0, t)]) for t in edited]), version_of(texts), name="x.docx"
    )
    assert time.monotonic() - started < 5
    assert apply(version_of(texts), u.proposals) == edited


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
    assert without_meta(u.proposals) == [{"op": "amend", "paragraph": "va-2", "text": "Text number two."}]
    # an ODT package is checked like a DOCX one
    bad = tmp_path / "bad.odt"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", "<manifest><file-entry><encryption-data/></file-entry></manifest>")
        z.writestr("content.xml", "<office:document-content/>")
    refused(bad, "password-protected")


def test_a_circulated_tracked_export_reads_back(tmp_path):
    """A Rev.1 circulated with tracked changes since the zero draft (formats.export, when
    present): against rev1 it proposes no text; against the zero draft, accepting every
    proposal gives rev1; imported, its views are rev1 and the zero draft, ids kept."""
    export = pytest.importorskip("drafting.formats.export")
    ast = pytest.importorskip("drafting.formats.ast")
    v0 = fixture_base()
    try:
        C, TP = export.Change, export.TrackedParagraph
        tps = []
        for p in v0.paragraphs:
            if p.id == "clr-2":
                head, tail = p.text.split("land release", 1)
                tps.append(
                    TP(
                        p.id,
                        p.kind,
                        p.section,
                        "Action 2",
                        "modified",
                        [
                            C("equal", head),
                            C("delete", "land release", "Mexico", "2026-07-01"),
                            C("insert", "survey", "France", "2026-07-02"),
                            C("equal", tail),
                        ],
                    )
                )
            elif p.id == "va-1":
                tps.append(
                    TP(
                        p.id,
                        p.kind,
                        p.section,
                        "Action 6",
                        "deleted",
                        [C("delete", p.text, "Chile")],
                        author="Chile",
                        date="2026-07-03",
                    )
                )
            else:
                tps.append(TP(p.id, p.kind, p.section, "", "unchanged", [C("equal", p.text)]))
            if p.id == "clr-3":
                tps.append(
                    TP(
                        "clr-6",
                        "action",
                        p.section,
                        "Action 3 bis",
                        "inserted",
                        [C("insert", "A brand new action on training.", "Austria")],
                        author="Austria",
                    )
                )
        out = export.export_tracked(
            tps,
            [export.Comment("clr-1", "Ireland", "A comment from Ireland.")],
            ast.DocMeta(conference="C", title="T"),
            "docx",
            tmp_path / "rev1.docx",
        )
    except Exception as e:  # the exporter is someone else's work in progress
        pytest.skip(f"tracked export not usable yet: {e}")
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
    assert without_meta(on_v1.proposals) == [{"op": "comment", "paragraph": "clr-1", "text": "A comment from Ireland."}]
    on_v0 = proposals_from_document(out, v0, limits=LIMITS)
    assert apply(v0, on_v0.proposals) == [p.text for p in v1.paragraphs]
    assert [p["meta"]["word_authors"] for p in on_v0.proposals] == [
        ["Mexico", "France"],
        ["Austria"],
        ["Chile"],
        ["Ireland"],
    ]

    assert [(p.id, p.text) for p in read_paragraphs(out, limits=LIMITS)] == [(p.id, p.text) for p in v1.paragraphs]
    assert [(p.id, p.text) for p in read_paragraphs(out, limits=LIMITS, track_changes="reject")] == [
        (p.id, p.text) for p in v0.paragraphs
    ]


def test_deep_nesting_is_one_line(tmp_path):
    deep = tmp_path / "deep.md"
    deep.write_text("> " * 700 + "deep text\n", encoding="utf-8")
    refused(deep, "nested too deeply", base=version_of(["deep text"]), imported=False)
