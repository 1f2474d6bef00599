"""Language versions: translation files, stale and missing paragraphs, translation packages
(XLIFF 2.0 and Word) out and back in, versions exported in another language, and what
``drafting check`` says of translations.

Real workspaces (the bundled example with its French and Spanish zero-draft translations,
and a tiny one), the real CLI in subprocesses, real pandoc; a translator's work is done in
the test by writing into the package's own XML, and once by LibreOffice re-saving it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli, tree_state, write
from drafting.model.languages import fingerprint, name, original_line
from drafting.model.records import Paragraph, Translation, TranslationRecord, Version
from drafting.service import translations as T
from drafting.service.identity import identity
from drafting.service.inputs import decide, submit_data
from drafting.service.versions import compose
from drafting.store.workspace import Workspace, draft_name, translation_path
from drafting.text.translations import language_state

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ----------------------------------------------------------------------------- fixtures


def status_of(root: Path, document: str, version: str, language: str) -> dict:
    return next(r for r in T.status(Workspace(root), document) if r["version"] == version and r["language"] == language)


def fill_xliff(src: Path, dst: Path, translate=lambda uid, source: f"[fr] {source}") -> Path:
    """What a CAT tool does: a <target> in each segment, state translated."""
    ET.register_namespace("", XLIFF)
    ET.register_namespace("mda", "urn:oasis:names:tc:xliff:metadata:2.0")
    tree = ET.parse(src)
    for unit in tree.getroot().iter(f"{{{XLIFF}}}unit"):
        seg = unit.find(f"{{{XLIFF}}}segment")
        text = translate(unit.get("id"), seg.find(f"{{{XLIFF}}}source").text)
        if text is not None:
            ET.SubElement(seg, f"{{{XLIFF}}}target").text = text
            seg.set("state", "translated")
    tree.write(dst, encoding="utf-8", xml_declaration=True)
    return dst


def fill_docx(src: Path, dst: Path, translate=lambda n: f"Traducción número {n}") -> Path:
    """What a translator does in Word: type into the right-hand cell of each row."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
        infos = z.infolist()
    xml = parts["word/document.xml"].decode("utf-8")
    count = 0

    def fill_row(m: re.Match) -> str:
        nonlocal count
        row = m.group(0)
        if 'w:name="p_' not in row:
            return row
        count += 1
        head, _, last = row.rpartition("<w:tc>")
        run = f'<w:r><w:t xml:space="preserve">{translate(count)}</w:t></w:r>'
        last = re.sub(r"<w:p( [^>]*)?\s*/>", lambda p: f"<w:p{p.group(1) or ''}>{run}</w:p>", last, count=1)
        return head + "<w:tc>" + last

    xml = re.sub(r"<w:tr>.*?</w:tr>", fill_row, xml, flags=re.S)
    parts["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename])
    return dst


def refused(result, *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drafting: "), result.stderr
    assert "Traceback" not in result.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------- the example's state


def test_example_zero_drafts_are_fully_translated_into_french_and_spanish(example_master):
    rows = T.status(Workspace(example_master))
    assert {(r["document"], r["version"], r["language"]) for r in rows} == {
        (d, "zero-draft", lang) for d in ("action-plan", "political-declaration") for lang in ("fr", "es")
    }
    for r in rows:
        assert r["stale"]["paragraphs"] == r["missing"]["paragraphs"] == 0, r
        assert r["share_translated"] == 1.0
    files = {
        translation_path(d, "zero-draft", lang)
        for d in ("action-plan", "political-declaration")
        for lang in ("fr", "es")
    }
    assert all((example_master / f).is_file() for f in files)
    log = subprocess.run(
        ["git", "log", "--format=%ae %s", "--", *sorted(files)], cwd=example_master, capture_output=True, text=True
    ).stdout
    assert log.count("ISU@delegations.invalid Record the") == 2  # French, then Spanish: the secretariat's commits


def test_rev1_shows_exactly_the_changed_paragraphs_stale_and_the_new_ones_missing(rev1_master):
    ws = Workspace(rev1_master)
    zero = ws.version("action-plan", "zero-draft").by_id()
    rev1 = ws.version("action-plan", "rev1")
    st = T.state(ws, "action-plan", "rev1", "fr")
    states = {p.id: p.state for p in st.paragraphs}
    changed = {p.id for p in rev1.paragraphs if p.id in zero and zero[p.id].text != p.text}
    new = {p.id for p in rev1.paragraphs if p.id not in zero}
    assert changed and new
    assert {pid for pid, s in states.items() if s == "stale"} == changed
    assert {pid for pid, s in states.items() if s == "missing"} == new
    for p in st.of("stale"):  # the translation and the text it translated, from the zero draft
        assert p.previous_source == zero[p.id].text
        assert p.translation == ws.translation("action-plan", "zero-draft", "fr").by_id()[p.id].text
        assert p.translated_in == "zero-draft"


# ------------------------------------------------------------------------------ pure state


def test_state_prefers_a_matching_translation_in_an_earlier_version_over_a_stale_newer_one():
    a, b = "The original text.", "An amended text."
    v0 = Version("d", "v0", (Paragraph("p1", a), Paragraph("p2", a)))
    v1 = Version("d", "v1", (Paragraph("p1", b), Paragraph("p2", a)), based_on="v0")
    v2 = Version("d", "v2", (Paragraph("p1", a), Paragraph("p2", b)), based_on="v1")  # p1 back to its first text
    files = {
        "v0": Translation("d", "v0", "fr", (TranslationRecord("p1", "Texte original.", fingerprint(a)),)),
        "v1": Translation("d", "v1", "fr", (TranslationRecord("p1", "Texte modifié.", fingerprint(b)),)),
    }
    st = language_state([v0, v1, v2], files, "fr").by_id()
    assert (st["p1"].state, st["p1"].translation, st["p1"].translated_in) == ("translated", "Texte original.", "v0")
    assert st["p2"].state == "missing"
    st1 = language_state([v0, v1], files, "fr").by_id()
    assert st1["p1"].translation == "Texte modifié."
    only_v0 = {"v0": files["v0"]}
    st2 = language_state([v0, v1], only_v0, "fr").by_id()
    assert (st2["p1"].state, st2["p1"].previous_source) == ("stale", a)


def test_draft_names_tell_versions_from_translations():
    langs = ("en", "fr", "es")
    assert draft_name("rev1", langs) == ("rev1", None)
    assert draft_name("rev1.fr", langs) == ("rev1", "fr")
    assert draft_name("rev1.1", langs) == ("rev1.1", None)
    assert draft_name("rev1.de", langs) == ("rev1.de", None)  # not a language of this workspace
    assert name("fr") == "French" and name("en", in_language="fr") == "anglais"
    assert original_line("es", "en") == "Original: inglés"


# ------------------------------------------------------------------------ XLIFF round trip


def test_xliff_round_trip_translates_everything_missing_and_stale(rev1, tmp_path):
    before = status_of(rev1, "action-plan", "rev1", "fr")
    todo = before["stale"]["paragraphs"] + before["missing"]["paragraphs"]
    pkg = tmp_path / "rev1.fr.xlf"
    r = run_cli(
        "--workspace", str(rev1), "translate", "export", "action-plan", "rev1", "--lang", "fr", "-o", str(pkg), "--json"
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["paragraphs"] == todo
    assert summary["words"] == before["stale"]["words"] + before["missing"]["words"]
    root = ET.parse(pkg).getroot()
    assert (root.tag, root.get("version"), root.get("srcLang"), root.get("trgLang")) == (
        f"{{{XLIFF}}}xliff",
        "2.0",
        "en",
        "fr",
    )
    units = list(root.iter(f"{{{XLIFF}}}unit"))
    assert len(units) == todo
    stale_unit = next(u for u in units if u.find(f".//{{{XLIFF}}}note[@category='previous-translation']") is not None)
    notes = {n.get("category"): n.text for n in stale_unit.iter(f"{{{XLIFF}}}note")}
    assert notes["previous-source"] and notes["previous-translation"] and "{+" in notes["changes"] + "[-"
    for u in units:  # XLIFF 2.0's order: module metadata, notes, then segments; nothing else in a segment
        kids = [k.tag.rsplit("}", 1)[1] for k in u]
        assert kids == [k for k in ("metadata", "notes", "segment") if k in kids] and kids[-1] == "segment"
        seg = u.find(f"{{{XLIFF}}}segment")
        assert [k.tag.rsplit("}", 1)[1] for k in seg] == ["source"]
        assert set(seg.attrib) <= {"id", "canResegment", "state", "subState"}
    done = fill_xliff(pkg, tmp_path / "done.xlf")
    r = run_cli("--workspace", str(rev1), "translate", "import", str(done), "--lang", "fr", "--by", "ISU", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert len(result["imported"]) == todo and result["commit"]
    after = status_of(rev1, "action-plan", "rev1", "fr")
    assert after["missing"]["paragraphs"] == after["stale"]["paragraphs"] == 0
    assert after["share_translated"] == 1.0
    who = subprocess.run(["git", "log", "-1", "--format=%ae|%s"], cwd=rev1, capture_output=True, text=True).stdout
    assert who.startswith("ISU@delegations.invalid|Translate ")
    # the file holds only what was translated for Rev.1; the zero draft's translations still count
    t = Workspace(rev1).translation("action-plan", "rev1", "fr")
    assert len(t.paragraphs) == todo
    assert all(rec.text.startswith("[fr] ") for rec in t.paragraphs)
    # importing the same package again changes nothing and makes no commit
    head = tree_state(rev1)
    r = run_cli("--workspace", str(rev1), "translate", "import", str(done), "--lang", "fr", "--by", "ISU")
    assert r.returncode == 0 and "Nothing new" in r.stdout
    assert tree_state(rev1) == head
    r = run_cli("--workspace", str(rev1), "check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_xliff_from_a_cat_tool_with_segments_inline_codes_and_untouched_units(rev1, tmp_path):
    pkg = tmp_path / "p.xlf"
    T.export_package(Workspace(rev1), "political-declaration", "rev1", "es", "xliff", pkg)
    text = pkg.read_text("utf-8")
    units = re.findall(r'<unit id="([^"]+)"', text)
    first, second = units[0], units[1]
    # the tool split the first unit into two sentences, kept white space in <ignorable>, and
    # marked a term with <mrk> and a placeholder with <ph>; it left the other units alone
    split = (
        '<segment id="s1" state="final"><source>A.</source><target>Primera <mrk id="m1" type="term">frase</mrk>.'
        '</target></segment><ignorable><source> </source></ignorable><segment id="s2" state="final">'
        '<source>B.</source><target>Segunda<ph id="p1"/> frase.</target></segment>'
    )
    text = re.sub(
        rf'(<unit id="{re.escape(first)}"[^>]*>.*?)<segment state="initial">.*?</segment>',
        lambda m: m.group(1) + split,
        text,
        count=1,
        flags=re.S,
    )
    pkg.write_text(text, "utf-8")
    r = T.import_package(Workspace(rev1), pkg, "es", by="ISU")
    assert r["imported"] == [first] and second in r["empty"]
    rec = Workspace(rev1).translation("political-declaration", "rev1", "es").by_id()[first]
    assert rec.text == "Primera frase. Segunda frase."


# ------------------------------------------------------------------------- DOCX round trip


def test_docx_round_trip_through_the_two_column_table(rev1, tmp_path):
    pkg = tmp_path / "rev1.es.docx"
    r = run_cli("--workspace", str(rev1), "translate", "export", "action-plan", "rev1", "--lang", "es", "-o", str(pkg))
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(pkg) as z:
        doc = ET.fromstring(z.read("word/document.xml"))
        props = z.read("docProps/custom.xml").decode()
    table = next(doc.iter(f"{{{W}}}tbl"))
    rows = table.findall(f"{{{W}}}tr")
    before = status_of(rev1, "action-plan", "rev1", "es")
    todo = before["stale"]["paragraphs"] + before["missing"]["paragraphs"]
    assert len(rows) == todo + 1  # the header row, then one row per paragraph
    assert all(len(row.findall(f"{{{W}}}tc")) == 2 for row in rows)
    marks = [
        b.get(f"{{{W}}}name") for row in rows[1:] for b in row.findall(f"{{{W}}}tc")[0].iter(f"{{{W}}}bookmarkStart")
    ]
    assert len(marks) == todo and all(m.startswith("p_") for m in marks)
    assert 'name="drafting-package"' in props and props.count('name="drafting-fp-') == todo
    done = fill_docx(pkg, tmp_path / "done.docx")
    r = run_cli("--workspace", str(rev1), "translate", "import", str(done), "--lang", "es", "--by", "ISU")
    assert r.returncode == 0, r.stderr
    after = status_of(rev1, "action-plan", "rev1", "es")
    assert after["missing"]["paragraphs"] == after["stale"]["paragraphs"] == 0
    recs = Workspace(rev1).translation("action-plan", "rev1", "es").paragraphs
    assert [x.text for x in recs] == [f"Traducción número {n}" for n in range(1, todo + 1)]


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_package_survives_a_word_processor_saving_it(rev1, tmp_path):
    pkg = tmp_path / "pd.fr.docx"
    T.export_package(Workspace(rev1), "political-declaration", "rev1", "fr", "docx", pkg)
    done = fill_docx(pkg, tmp_path / "typed.docx", lambda n: f"Traduction {n}")
    outdir = tmp_path / "saved"
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(done),
        ],
        capture_output=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    saved = outdir / "typed.docx"
    assert saved.read_bytes() != done.read_bytes()
    todo = T.state(Workspace(rev1), "political-declaration", "rev1", "fr").to_translate.paragraphs
    r = T.import_package(Workspace(rev1), saved, "fr", by="LAO")
    assert len(r["imported"]) == todo
    after = status_of(rev1, "political-declaration", "rev1", "fr")
    assert after["stale"]["paragraphs"] == after["missing"]["paragraphs"] == 0


# -------------------------------------------------------------- stale after an amendment


def test_an_accepted_amendment_makes_exactly_its_paragraph_stale(tiny, tmp_path):
    cfg = tiny / "drafting.yaml"
    cfg.write_text(cfg.read_text() + "languages: [en, fr]\n")
    ws = Workspace(tiny)
    with ws.git.transaction():
        ws.git.commit({"drafting.yaml": cfg.read_bytes()}, "Languages", identity(ws.config.presidency_delegation))
    pkg = tmp_path / "zero.xlf"
    T.export_package(Workspace(tiny), "action-plan", "zero-draft", "fr", "xliff", pkg)
    T.import_package(Workspace(tiny), fill_xliff(pkg, tmp_path / "zero.done.xlf"), "fr")
    assert status_of(tiny, "action-plan", "zero-draft", "fr")["share_translated"] == 1.0
    new_text = "States Parties will report every six months on progress in land release."
    submit_data(
        Workspace(tiny),
        {"proposals": [{"op": "amend", "paragraph": "clr-2", "text": new_text}]},
        delegation="MEX",
        source="mex.yaml",
        document="action-plan",
        round="r1",
    )
    decide(Workspace(tiny), "MEX-1", "accepted")
    compose(Workspace(tiny), "action-plan", "zero-draft", "rev1", allow_open=True)
    st = T.state(Workspace(tiny), "action-plan", "rev1", "fr")
    assert [(p.id, p.state) for p in st.paragraphs if p.state != "translated"] == [("clr-2", "stale")]
    package = T.build_package(Workspace(tiny), "action-plan", "rev1", "fr")
    (u,) = package.units
    assert (u.id, u.state, u.label) == ("clr-2", "stale", "Action 2")
    assert u.previous_source == "States Parties will report annually on progress in land release."
    assert u.previous_translation == "[fr] " + u.previous_source
    assert ("delete", "annually") in u.changes and ("insert", "every six months") in u.changes
    assert u.words == 12 and u.fingerprint == fingerprint(new_text)


# ------------------------------------------------------------------------------- exports


def test_export_in_a_language_marks_what_is_not_translated_and_never_passes_the_source_off(rev1, tmp_path):
    out = tmp_path / "pd.fr.md"
    r = run_cli(
        "--workspace",
        str(rev1),
        "export",
        "political-declaration",
        "rev1",
        "--lang",
        "fr",
        "--format",
        "md",
        "-o",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    md = out.read_text("utf-8")
    ws = Workspace(rev1)
    st = T.state(ws, "political-declaration", "rev1", "fr")
    assert "Déclaration de Vientiane" in md and "Original : anglais" in md and "Présenté par le Président" in md
    assert st.of("stale")
    for p in st.paragraphs:
        if p.state == "translated":
            assert p.translation in md
        else:  # the English text appears only behind the marker, flagged as English
            marked = re.search(
                r"\[\*\*\\\[Traduction à mettre à jour\\\]\*\*\]\{\.untranslated-marker\} \[([^\]]*)\]\{\.untranslated lang=\"en\"\}",
                md[md.index(p.source) - 120 : md.index(p.source) + len(p.source) + 40],
            )
            assert marked and marked.group(1) == p.source
            assert md.count(p.source) == 1


def test_bilingual_export_puts_source_and_translation_side_by_side(rev1, tmp_path):
    out = tmp_path / "ap.bi.docx"
    r = run_cli(
        "--workspace", str(rev1), "export", "action-plan", "rev1", "--lang", "es", "--bilingual", "-o", str(out)
    )
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        doc = ET.fromstring(z.read("word/document.xml"))
    rows = next(doc.iter(f"{{{W}}}tbl")).findall(f"{{{W}}}tr")
    ws = Workspace(rev1)
    v = ws.version("action-plan", "rev1")
    assert len(rows) == len(v.paragraphs) + 1

    def cell_text(tc):
        return "".join(t.text or "" for t in tc.iter(f"{{{W}}}t"))

    st = T.state(ws, "action-plan", "rev1", "es").by_id()
    for row, p in zip(rows[1:], v.paragraphs, strict=True):
        left, right = (cell_text(tc) for tc in row.findall(f"{{{W}}}tc"))
        assert p.text in left
        s = st[p.id]
        if s.state == "translated":
            assert s.translation in right
        elif s.state == "stale":
            assert "[Traducción de una versión anterior del texto]" in right and s.translation in right
        else:
            assert "[Pendiente de traducción]" in right and p.text not in right


# ------------------------------------------------------------------------------ bad input


def _xliff(rev1: Path, tmp_path: Path, lang: str = "fr", document: str = "political-declaration") -> Path:
    pkg = tmp_path / f"{document}.{lang}.xlf"
    T.export_package(Workspace(rev1), document, "rev1", lang, "xliff", pkg)
    return fill_xliff(pkg, tmp_path / f"{document}.{lang}.done.xlf")


def test_bad_packages_are_refused_whole_with_one_line(rev1, tmp_path):
    good = _xliff(rev1, tmp_path)
    text = good.read_text("utf-8")
    state = tree_state(rev1)

    def bad(name: str, content: str | bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return p

    first_id = re.search(r'<unit id="([^"]+)"', text).group(1)
    fp = re.search(r'<mda:meta type="fingerprint">([0-9a-f]+)</mda:meta>', text).group(1)
    cases = [
        (["--lang", "de"], good, ["unknown language 'de'"]),
        (["--lang", "en"], good, ["en is the source language"]),
        (["--lang", "es"], good, ["is a package into French (fr), not Spanish (es)"]),
        (["--lang", "fr", "--by", "MEX"], good, ["MEX (state-party) may not record translations"]),
        (["--lang", "fr", "--by", "ICRC"], good, ["ICRC (observer) may not record translations"]),
        (
            ["--lang", "fr"],
            bad("other-doc.xlf", text.replace(">political-declaration<", ">rules-of-procedure<")),
            ["unknown document"],
        ),
        (
            ["--lang", "fr"],
            bad("other-version.xlf", text.replace('type="version">rev1<', 'type="version">rev9<')),
            ["rev9"],
        ),
        (
            ["--lang", "fr"],
            bad("unknown-id.xlf", text.replace(f'<unit id="{first_id}"', '<unit id="op-99"', 1)),
            ["paragraph 'op-99' is not in political-declaration rev1"],
        ),
        (
            ["--lang", "fr"],
            bad("outdated.xlf", text.replace(fp, "0123456789abcdef", 1)),
            ["translates a text that is no longer that of political-declaration rev1", "export a new package"],
        ),
        (
            ["--lang", "fr"],
            bad("twice.xlf", text.replace("</file>", re.search(r"<unit .*?</unit>", text, re.S).group(0) + "</file>")),
            ["comes twice"],
        ),
        (["--lang", "fr"], bad("broken.xlf", text[: len(text) // 2]), ["is not well-formed XML"]),
        (
            ["--lang", "fr"],
            bad("dtd.xlf", text.replace("<xliff ", '<!DOCTYPE x [<!ENTITY e "boom">]><xliff ', 1)),
            ["DOCTYPE or ENTITY"],
        ),
        (
            ["--lang", "fr"],
            bad(
                "old.xlf",
                '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file/></xliff>',
            ),
            ["XLIFF 1.2"],
        ),
        (
            ["--lang", "fr"],
            bad("control.xlf", text.replace("<target>[fr] ", "<target>&#x9b;31m", 1)),
            ["control or invalid character"],
        ),
        (
            ["--lang", "fr"],
            bad("huge.xlf", text.replace("<target>[fr] ", "<target>" + "mot " * 6000, 1)),
            ["over the limit of 20,000"],
        ),
        (
            ["--lang", "fr"],
            bad("empty.xlf", re.sub(r"<target>.*?</target>", "", text, flags=re.S)),
            ["no paragraph is translated"],
        ),
        (["--lang", "fr"], bad("notzip.docx", b"PK\x03\x04 not really a zip"), ["not a Word document"]),
        (["--lang", "fr"], tmp_path / "missing.xlf", ["no such file"]),
    ]
    for args, path, needles in cases:
        r = run_cli("--workspace", str(rev1), "translate", "import", str(path), *args)
        refused(r, *needles)
        assert tree_state(rev1) == state, path.name
    # a Word document that is not a package (the translator pasted the table into a new file)
    plain = tmp_path / "plain.docx"
    from drafting.service.exports import export_version

    export_version(Workspace(rev1), "political-declaration", "rev1", "docx", plain)
    refused(
        run_cli("--workspace", str(rev1), "translate", "import", str(plain), "--lang", "fr"),
        "not a drafting translation package",
    )
    assert tree_state(rev1) == state


def test_bad_export_requests_are_refused_with_one_line(rev1, tmp_path):
    state = tree_state(rev1)
    w = ["--workspace", str(rev1)]
    refused(
        run_cli(*w, "translate", "export", "action-plan", "rev1", "--lang", "xx", "-o", str(tmp_path / "a.xlf")),
        "unknown language",
    )
    refused(
        run_cli(*w, "translate", "export", "action-plan", "rev7", "--lang", "fr", "-o", str(tmp_path / "a.xlf")),
        "unknown version 'rev7'",
    )
    refused(
        run_cli(*w, "translate", "export", "action-plan", "zero-draft", "--lang", "fr", "-o", str(tmp_path / "a.xlf")),
        "nothing to translate",
        "--all",
    )
    refused(
        run_cli(
            *w, "translate", "export", "action-plan", "rev1", "--lang", "fr", "-o", str(tmp_path / "nope" / "a.xlf")
        ),
        "no such folder",
    )
    refused(
        run_cli(*w, "translate", "export", "action-plan", "rev1", "--lang", "fr", "--format", "pdf"), "invalid choice"
    )
    refused(run_cli(*w, "translate", "frobnicate"), "invalid choice")
    refused(
        run_cli(*w, "export", "action-plan", "rev1", "--lang", "fr", "--changes-since", "zero-draft"),
        "do not go together",
    )
    refused(run_cli(*w, "export", "action-plan", "rev1", "--bilingual"), "--bilingual goes with --lang")
    refused(
        run_cli(*w, "compose", "--allow-open", "action-plan", "--from", "rev1", "--to", "rev2.fr"),
        "translation into fr",
    )
    assert tree_state(rev1) == state
    assert not list(tmp_path.glob("*.xlf"))
    r = run_cli(
        *w,
        "translate",
        "export",
        "action-plan",
        "zero-draft",
        "--lang",
        "fr",
        "--all",
        "-o",
        str(tmp_path / "all.xlf"),
        "--json",
    )
    assert r.returncode == 0 and json.loads(r.stdout)["paragraphs"] == 54


# --------------------------------------------------------------------------------- check


def test_check_validates_translations_and_who_may_write_them(rev1, tmp_path):
    from drafting.service.check import check_commits, validate_workspace

    assert validate_workspace(rev1).ok
    assert validate_workspace(rev1).counts["translations"] == 4
    rel = "drafts/political-declaration/zero-draft.fr.yaml"
    original = (rev1 / rel).read_text("utf-8")
    (rev1 / rel).write_text(original.replace("id: op-10", "id: op-11"), "utf-8")
    assert any("has no paragraph op-11" in p.line for p in validate_workspace(rev1).problems)
    (rev1 / rel).write_text(original, "utf-8")
    write(rev1 / "drafts/political-declaration/zero-draft.de.yaml", original.replace("language: fr", "language: de"))
    assert any("a translation into 'de'" in p.line for p in validate_workspace(rev1).problems)
    (rev1 / "drafts/political-declaration/zero-draft.de.yaml").unlink()
    write(rev1 / "drafts/political-declaration/rev5.es.yaml", original.replace("language: fr", "language: es"))
    assert any("translates version 'rev5'" in p.line for p in validate_workspace(rev1).problems)
    (rev1 / "drafts/political-declaration/rev5.es.yaml").unlink()
    # commits: the secretariat may record translations; a State Party may not
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=rev1, capture_output=True, text=True).stdout.strip()
    ws = Workspace(rev1)
    for code in ("ISU", "MEX"):
        who = ws.config.delegation(code)
        with ws.git.transaction():
            ws.git.commit(
                {rel: original.replace("Nous, États", f"Nous ({code}), États").encode()}, "edit", identity(who)
            )
    report = check_commits(rev1, f"{base}..HEAD")
    assert [(p.file, "MEX (state-party) may not change translations" in p.message) for p in report.problems] == [
        (rel, True)
    ]


# --------------------------------------------------------------------------------- README


@pytest.mark.xdist_group("documented")
def test_readme_language_commands_run_as_written(rev1):
    """The README's block, typed in the example workspace once Rev.1 is composed (the round
    block before it does that), with the installed command; between the export and the
    import, the translators fill the package in."""
    from conftest import ROOT
    from shell import describe, run_lines, section_block

    lines = section_block((ROOT / "README.md").read_text("utf-8"), "## Languages, the calendar and the documentation")
    assert len(lines) == 6 and all(line.startswith("drafting ") for line in lines)
    split = next(i for i, line in enumerate(lines) if line.startswith("drafting translate import"))
    steps = run_lines(lines[:split], rev1)
    assert len(steps) == split and steps[-1].rc == 0, describe(steps)
    fill_xliff(rev1 / "rev1.fr.xlf", rev1 / "rev1.fr.xlf")
    steps = run_lines(lines[split:], rev1)
    assert len(steps) == len(lines) - split and steps[-1].rc == 0, describe(steps)
    assert all("Traceback" not in s.err for s in steps)
    assert status_of(rev1, "action-plan", "rev1", "fr")["share_translated"] == 1.0
    for made in ("rev1.fr.xlf", "action-plan-rev1.en-fr.docx", "conference.ics", "forecast.docx"):
        assert (rev1 / made).stat().st_size > 500, made
