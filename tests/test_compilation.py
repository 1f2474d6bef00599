"""The compilation of proposals: a real Word table in landscape, HTML, Markdown, JSON."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from drafting.formats import pandoc
from drafting.formats.ast import DocMeta, plain_text
from drafting.formats.compilation import (
    FORMATS,
    CompilationEntry,
    CompilationRow,
    compilation_ast,
    compilation_json,
    export_compilation,
)
from drafting.formats.export import Change
from drafting.model.errors import DraftingError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = "<script>alert(1)</script> *bold* $x$ [link](http://x) &amp;"
META = DocMeta(
    conference="Third Review Conference of the Convention on Cluster Munitions",
    title="Compilation of proposals on the zero draft of the Vientiane Action Plan",
    symbol="CCM/CONF/2026/PM.1/CRP.1",
    date="20 July 2026",
    label="Zero-draft inputs",
    submitted_by="Prepared by the Implementation Support Unit",
)


def rows() -> list[CompilationRow]:
    return [
        CompilationRow("h-clr", "", "Survey and clearance", "Survey and clearance", []),
        CompilationRow(
            "clr-3",
            "Action 3",
            "Survey and clearance",
            "Each State Party shall survey all areas.",
            [
                CompilationEntry(
                    "MEX-1",
                    "amend",
                    ["Mexico", "Austria", "Chile"],
                    [
                        Change("equal", "Each State Party shall survey "),
                        Change("delete", "all", "Mexico"),
                        Change("insert", "suspected " + HOSTILE, "Mexico"),
                        Change("equal", " areas."),
                    ],
                    "Precision. " + HOSTILE,
                    "modified",
                    "Merged with FRA-3",
                ),
                CompilationEntry(
                    "FRA-2",
                    "delete",
                    ["France"],
                    [Change("delete", "Each State Party shall survey all areas.")],
                    None,
                    "open",
                    None,
                ),
                CompilationEntry(
                    "ICRC-1",
                    "comment",
                    ["International Committee of the Red Cross"],
                    [Change("equal", "Consider survivors. " + HOSTILE)],
                    None,
                    "noted",
                    "See Action 9",
                ),
            ],
        ),
        CompilationRow("clr-4", "Action 4", "Survey and clearance", "Each State Party shall release land.", []),
        CompilationRow(
            "rsk-1",
            "Action 5",
            "Risk education",
            "Each State Party shall educate.",
            [
                CompilationEntry(
                    "NLD-1",
                    "insert",
                    ["Netherlands"],
                    [Change("insert", "A new action on data.")],
                    "First line.\nSecond line.",
                    "rejected",
                    "Outside the scope",
                ),
            ],
        ),
    ]


def names() -> set[str]:
    return {d for r in rows() for e in r.proposals for d in e.delegations}


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def cell_texts(path: Path) -> list[list[str]]:
    root = ET.fromstring(document_xml(path))
    return [
        ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")] for tr in root.iter(f"{W}tr")
    ]


def test_docx_is_a_landscape_word_table(tmp_path):
    out = export_compilation(rows(), META, "docx", tmp_path / "c.docx")
    doc = document_xml(out)
    assert doc.count("<w:tbl>") == 1
    assert re.search(r'<w:pgSz w:h="11906" w:orient="landscape" w:w="16838" />', doc)
    assert '<w:tblHeader w:val="on" />' in doc  # header row repeats
    grid = [int(x) for x in re.findall(r'<w:gridCol w:w="(\d+)"', doc)]
    assert abs(sum(grid) - (16838 - 2 * 1134)) <= len(grid)  # the table spans the page
    # formatting, not revisions
    assert "<w:ins " not in doc and "<w:del " not in doc
    assert '<w:u w:val="single" />' in doc and "<w:strike />" in doc
    table = cell_texts(out)
    assert table[0] == [
        "Paragraph",
        "Text and proposals",
        "Delegation(s)",
        "Kind",
        "Rationale",
        "Status",
        "Presidency's note",
    ]
    flat = [" | ".join(r) for r in table]
    # document order: paragraph, then its proposals; a section row where the section changes
    order = [
        next(i for i, r in enumerate(flat) if key in r)
        for key in ("Action 3", "MEX-1", "FRA-2", "ICRC-1", "Action 4", "Risk education", "Action 5", "NLD-1")
    ]
    assert order == sorted(order)
    mex = table[next(i for i, r in enumerate(flat) if r.startswith("MEX-1"))]
    assert mex[1] == "Each State Party shall survey allsuspected " + HOSTILE + " areas."
    assert mex[2] == "Mexicoco-sponsored by Austria, Chile"
    assert mex[3:] == ["Amendment", "Precision. " + HOSTILE, "Accepted as modified", "Merged with FRA-3"]
    assert "&lt;script&gt;" in doc and "<script>" not in doc


def test_anonymous_leaves_out_delegations(tmp_path):
    out = export_compilation(rows(), META, "docx", tmp_path / "a.docx", anonymous=True)
    doc = document_xml(out)
    for name in names():
        assert name not in doc
    for pid in ("MEX-1", "FRA-2", "ICRC-1", "NLD-1"):
        assert pid not in doc.replace("Merged with FRA-3", "")
    table = cell_texts(out)
    assert "Delegation(s)" not in table[0] and len(table[0]) == 6
    assert [r[0] for r in table if r and r[0].startswith("(")][:3] == ["(a)", "(b)", "(c)"]
    html = export_compilation(rows(), META, "html", tmp_path / "a.html", anonymous=True).read_text(encoding="utf-8")
    for name in names():
        assert name not in html


def test_html_and_markdown_keep_text_literal(tmp_path):
    html = export_compilation(rows(), META, "html", tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<table" in html and "<u>" in html and "<del>" in html and "Mexico" in html
    md = export_compilation(rows(), META, "md", tmp_path / "c.md").read_text(encoding="utf-8")
    back = pandoc.read(md.encode("utf-8"), "markdown-smart")
    texts = []

    def walk(x):
        if isinstance(x, dict):
            if x.get("t") in ("Para", "Plain"):
                texts.append(plain_text(x["c"]))
            else:
                walk(x.get("c"))
        elif isinstance(x, list):
            for y in x:
                walk(y)

    walk(back["blocks"])
    assert "Consider survivors. " + HOSTILE in texts
    assert "Each State Party shall survey allsuspected " + HOSTILE + " areas." in texts


def test_odt_and_pdf(tmp_path):
    odt = export_compilation(rows(), META, "odt", tmp_path / "c.odt")
    assert zipfile.is_zipfile(odt)
    pdf = export_compilation(rows(), META, "pdf", tmp_path / "c.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(float(w) > float(h) for w, h in sizes)  # landscape


def test_json(tmp_path):
    data = compilation_json(rows())
    assert [r["paragraph"] for r in data] == ["h-clr", "clr-3", "clr-4", "rsk-1"]
    mex = data[1]["proposals"][0]
    assert mex["id"] == "MEX-1" and mex["delegations"] == ["Mexico", "Austria", "Chile"]
    assert mex["text"] == "Each State Party shall survey suspected " + HOSTILE + " areas."
    base = "".join(t for op, t in mex["ops"] if op != "insert")
    assert base == data[1]["text"]
    assert data[1]["proposals"][1]["text"] == ""  # a deletion
    assert data[1]["proposals"][2]["op"] == "comment"
    anon = compilation_json(rows(), anonymous=True)
    assert "delegations" not in anon[1]["proposals"][0] and "id" not in anon[1]["proposals"][0]
    assert [p["ref"] for p in anon[1]["proposals"]] == ["(a)", "(b)", "(c)"]
    import json

    assert not any(n in json.dumps(anon) for n in names())


def test_ast_and_errors(tmp_path):
    doc = compilation_ast(rows(), META)
    assert doc["blocks"][-1]["t"] == "Table"
    bad = [CompilationRow("x", "", None, "t", [CompilationEntry("A-1", "replace", ["A"], [])])]
    with pytest.raises(DraftingError, match="unknown kind"):
        export_compilation(bad, META, "docx", tmp_path / "x.docx")
    with pytest.raises(DraftingError, match="unknown format"):
        export_compilation(rows(), META, "xlsx", tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []
    assert set(FORMATS) >= {"docx", "html", "md"}


def test_empty_compilation(tmp_path):
    out = export_compilation([], META, "docx", tmp_path / "e.docx")
    assert "No paragraphs." in document_xml(out)


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_compilation(tmp_path):
    docx = export_compilation(rows(), META, "docx", tmp_path / "c.docx")
    anon = export_compilation(rows(), META, "docx", tmp_path / "a.docx", anonymous=True)
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(docx),
            str(anon),
        ],
        capture_output=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    for name in ("c.pdf", "a.pdf"):
        pdf = (tmp_path / "pdf" / name).read_bytes()
        assert pdf.startswith(b"%PDF")
        w, h = map(float, re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)[0])
        assert w > h  # LibreOffice lays it out landscape


# ------------------------------------------------------------------ which proposal in which row


def test_compile_round_puts_each_proposal_in_its_paragraphs_row_comments_last():
    from drafting.model.compilation import compile_round
    from drafting.model.records import Decision, Paragraph, Proposal, Version, status_of

    base = Version("d", "v1", (Paragraph("a", "First."), Paragraph("b", "Second.")))
    props = [
        Proposal("MEX-1", "comment", paragraph="a", text="Hm.", delegation="MEX"),
        Proposal("MEX-2", "amend", paragraph="b", text="Second!", delegation="MEX", co_sponsors=("AUT",)),
        Proposal("FRA-1", "insert", after=None, text="Zeroth.", delegation="FRA"),
        Proposal("FRA-2", "amend", paragraph="a", text="First!", delegation="FRA"),
        Proposal("FRA-3", "insert", after="a", text="Between.", delegation="FRA"),
    ]
    decisions = {"FRA-2": Decision("FRA-2", "accepted")}
    rows = compile_round(base, props, decisions)
    assert [(r.paragraph.id, [p.id for p in r.proposals]) for r in rows] == [
        ("a", ["FRA-2", "FRA-3", "FRA-1", "MEX-1"]),  # the start's inserts with the first row
        ("b", ["MEX-2"]),
    ]
    assert status_of(props[3], decisions.get("FRA-2")) == "accepted" and status_of(props[1], None) == "open"
    assert status_of(replace(props[1], withdrawn="2026-07-01T10:00:00Z"), None) == "withdrawn"
    only_open = compile_round(base, props, decisions, status="open")
    assert [p.id for r in only_open for p in r.proposals] == ["FRA-3", "FRA-1", "MEX-1", "MEX-2"]
    by_aut = compile_round(base, props, decisions, delegation="AUT")
    assert [[p.id for p in r.proposals] for r in by_aut] == [[], ["MEX-2"]]
