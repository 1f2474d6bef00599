"""Exports of a version (clean and tracked changes), checked on the files themselves.

Real pandoc, real files in tmp_path. The DOCX is read back two ways: by walking its XML
here (zipfile + ElementTree: accept all revisions / reject all revisions) and with
pandoc's ``--track-changes=accept|reject``.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.formats import pandoc
from drafting.formats.ast import (
    DocMeta,
    bookmark_name,
    number_label,
    paragraph_id_from_bookmark,
    plain_text,
    text,
)
from drafting.formats.diffview import escape_markdown
from drafting.formats.export import (
    Change,
    Comment,
    TrackedParagraph,
    export_tracked,
    export_version,
    version_ast,
)
from drafting.model.errors import DraftingError
from drafting.model.records import Paragraph, Version

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = ["<script>alert(1)</script>", "*bold*", "$x$", "[link](http://x)", "<b>&amp;</b>", "#set page()"]
HOSTILE_TEXT = "Each State Party " + " ".join(HOSTILE) + " shall act."

META = DocMeta(
    conference="Third Review Conference of the Convention on Cluster Munitions",
    title="Vientiane Action Plan",
    symbol="CCM/CONF/2026/PM.1/Rev.1",
    date="30 July 2026",
    label="Revision 1",
    venue="Vientiane, 14-18 September 2026",
)


# -- helpers ------------------------------------------------------------------------------


def numbers_for(paragraphs) -> dict[str, str]:
    """Action N for action paragraphs, N for operative ones (what text/numbering computes)."""
    out, n_action, n_op = {}, 0, 0
    for p in paragraphs:
        if p.kind == "action":
            n_action += 1
            out[p.id] = f"Action {n_action}"
        elif p.kind == "operative":
            n_op += 1
            out[p.id] = str(n_op)
        else:
            out[p.id] = ""
    return out


def sample_version(n: int = 6, *, hostile: bool = True) -> Version:
    paras = [Paragraph("h-intro", "Introduction", kind="heading", section="Introduction")]
    paras.append(
        Paragraph(
            "int-1",
            HOSTILE_TEXT if hostile else "Recalling our commitments,",
            kind="preambular",
            section="Introduction",
        )
    )
    paras.append(Paragraph("h-clr", "Survey and clearance", kind="heading", section="Survey and clearance"))
    paras.extend(
        Paragraph(
            f"clr-{i + 1}",
            f"Each State Party shall take measure number {i + 1} without delay.",
            kind="action",
            section="Survey and clearance",
        )
        for i in range(n)
    )
    return Version("action-plan", "rev1", tuple(paras), label="Revision 1", symbol=META.symbol, date="2026-07-30")


def docx_part(path: Path, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def body_paragraphs(path: Path) -> list[ET.Element]:
    root = ET.fromstring(docx_part(path))
    return [p for p in root.find(f"{W}body") if p.tag == f"{W}p"]


def _collect(elem: ET.Element, mode: str, out: list[str]) -> None:
    for child in elem:
        tag = child.tag
        if tag == f"{W}ins":
            if mode != "reject":
                _collect(child, mode, out)
        elif tag == f"{W}del":
            if mode != "accept":
                _collect(child, mode, out)
        elif tag == f"{W}pPr":
            continue
        elif tag == f"{W}r":
            for rc in child:
                if rc.tag == f"{W}t" or (rc.tag == f"{W}delText" and mode != "accept"):
                    out.append(rc.text or "")
                elif rc.tag == f"{W}tab":
                    out.append("\t")
                elif rc.tag in (f"{W}br", f"{W}cr"):
                    out.append("\n")
        else:
            _collect(child, mode, out)


def xml_view(path: Path, mode: str) -> list[str]:
    """Paragraph texts after Word's "accept all" (mode accept) or "reject all" (reject),
    computed from document.xml: w:del dropped / w:ins unwrapped (or the reverse), and a
    paragraph whose mark is deleted (accept) or inserted (reject) joined to the next."""
    texts: list[str] = []
    carry = ""
    for p in body_paragraphs(path):
        rpr = p.find(f"{W}pPr/{W}rPr")
        mark_ins = rpr is not None and rpr.find(f"{W}ins") is not None
        mark_del = rpr is not None and rpr.find(f"{W}del") is not None
        parts: list[str] = []
        _collect(p, mode, parts)
        t = carry + "".join(parts)
        if (mode == "accept" and mark_del) or (mode == "reject" and mark_ins):
            carry = t
            continue
        carry = ""
        texts.append(t)
    assert carry == "", "the last paragraph's mark was removed"
    return [t for t in texts if t]


def pandoc_view(path: Path, mode: str) -> list[str]:
    """Paragraph texts as pandoc reads the DOCX with ``--track-changes=accept|reject``.

    Stripped: where a paragraph whose mark is removed joins the next one, pandoc's reader
    puts a Space between them (Word does not), which gives a leading space here."""
    doc = pandoc.read(path, "docx", args=[f"--track-changes={mode}"])
    out = []

    def walk(blocks):
        for b in blocks:
            if b["t"] in ("Para", "Plain"):
                out.append(plain_text(b["c"]))
            elif b["t"] == "Header":
                out.append(plain_text(b["c"][2]))
            elif b["t"] in ("Div", "BlockQuote"):
                walk(b["c"][1] if b["t"] == "Div" else b["c"])

    walk(doc["blocks"])
    return [t.strip() for t in out if t.strip()]


def title_texts(meta: DocMeta) -> list[str]:
    return [
        x for x in (meta.symbol, meta.date, meta.conference, meta.venue, meta.title, meta.label, meta.submitted_by) if x
    ]


def labelled(number: str, body: str) -> str:
    lab = number_label(number)
    return f"{lab} {body}" if lab else body


def word_changes(old: str, new: str, author: str | None, date: str | None = None) -> list[Change]:
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(Change("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Change("delete", "".join(a[i1:i2]), author, date))
        if j2 > j1:
            out.append(Change("insert", "".join(b[j1:j2]), author, date))
    return out


AUTHORS = ["Mexico", "France", "Chile", "Lao People's Democratic Republic", "Austria & <Partners>"]


def tracked_between(old: Version, new: Version) -> list[TrackedParagraph]:
    """The tracked paragraphs from old to new (no moves): new order, deleted paragraphs
    after their nearest surviving predecessor in the old order."""
    new_ids = {p.id for p in new.paragraphs}
    old_by = old.by_id()
    numbers = numbers_for(new.paragraphs)
    after: dict[str | None, list[Paragraph]] = {}
    anchor = None
    for p in old.paragraphs:
        if p.id in new_ids:
            anchor = p.id
        else:
            after.setdefault(anchor, []).append(p)
    out: list[TrackedParagraph] = []

    def deleted(pid):
        for k, p in enumerate(after.get(pid, [])):
            who = AUTHORS[(len(out) + k) % len(AUTHORS)]
            out.append(
                TrackedParagraph(
                    p.id, p.kind, p.section, "", "deleted", [Change("delete", p.text, who, "2026-07-14")], author=who
                )
            )

    deleted(None)
    for i, p in enumerate(new.paragraphs):
        who = AUTHORS[i % len(AUTHORS)]
        if p.id not in old_by:
            out.append(
                TrackedParagraph(
                    p.id,
                    p.kind,
                    p.section,
                    numbers[p.id],
                    "inserted",
                    [Change("insert", p.text, who, "2026-07-15")],
                    author=who,
                    date="2026-07-15",
                )
            )
        elif old_by[p.id].text == p.text:
            out.append(TrackedParagraph(p.id, p.kind, p.section, numbers[p.id], "unchanged", [Change("equal", p.text)]))
        else:
            out.append(
                TrackedParagraph(
                    p.id,
                    p.kind,
                    p.section,
                    numbers[p.id],
                    "modified",
                    word_changes(old_by[p.id].text, p.text, who, "2026-07-16"),
                )
            )
        deleted(p.id)
    return out


def expected_views(tracked: list[TrackedParagraph], old: Version, new: Version, meta: DocMeta):
    """Texts (with display labels) that accept-all and reject-all must give."""
    old_by, new_by = old.by_id(), new.by_id()
    accept = title_texts(meta) + [labelled(tp.number, new_by[tp.id].text) for tp in tracked if tp.status != "deleted"]
    reject = title_texts(meta) + [labelled(tp.number, old_by[tp.id].text) for tp in tracked if tp.status != "inserted"]
    return accept, reject


def check_ids(path: Path) -> None:
    """Every w:ins / w:del / comment id unique (bookmarks paired and distinct too);
    comments.xml ids are exactly those referenced in document.xml."""
    doc = docx_part(path)
    revisions = re.findall(r'<w:(?:ins|del)\b[^>]*?w:id="(-?\d+)"', doc)
    starts = re.findall(r'<w:bookmarkStart\b[^>]*?w:id="(-?\d+)"', doc)
    ends = re.findall(r'<w:bookmarkEnd\b[^>]*?w:id="(-?\d+)"', doc)
    c_start = re.findall(r'<w:commentRangeStart\b[^>]*?w:id="(-?\d+)"', doc)
    c_end = re.findall(r'<w:commentRangeEnd\b[^>]*?w:id="(-?\d+)"', doc)
    c_ref = re.findall(r'<w:commentReference\b[^>]*?w:id="(-?\d+)"', doc)
    assert sorted(starts) == sorted(ends)
    assert sorted(c_start) == sorted(c_end) == sorted(c_ref)
    every = revisions + starts + c_start
    dupes = [k for k, n in Counter(every).items() if n > 1]
    assert not dupes, f"duplicate w:id values: {dupes}"
    with zipfile.ZipFile(path) as z:
        if "word/comments.xml" in z.namelist():
            defined = re.findall(r'<w:comment\b[^>]*?w:id="(-?\d+)"', z.read("word/comments.xml").decode())
            assert sorted(defined) == sorted(c_start)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


# -- bookmarks and text --------------------------------------------------------------------------


def test_bookmark_names_examples():
    assert bookmark_name("clr-3") == "p_clr_3"
    assert paragraph_id_from_bookmark("p_clr_3") == "clr-3"
    assert paragraph_id_from_bookmark("P_CLR_3") == "clr-3"
    assert paragraph_id_from_bookmark("_GoBack") is None
    assert paragraph_id_from_bookmark("heading-1") is None
    assert paragraph_id_from_bookmark("p_") is None
    assert bookmark_name("Clr_3") == "px_" + b"Clr_3".hex()


@given(st.text(min_size=1, max_size=18))
def test_bookmark_names_round_trip(pid):
    name = bookmark_name(pid)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
    assert paragraph_id_from_bookmark(name) == pid


@given(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True))
def test_plain_ids_give_readable_bookmarks(pid):
    assert bookmark_name(pid) == "p_" + pid.replace("-", "_")
    assert paragraph_id_from_bookmark(bookmark_name(pid)) == pid


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1), min_size=1))
def test_text_is_only_str_and_space(words):
    s = " ".join(words)
    inl = text(s)
    assert {n["t"] for n in inl} <= {"Str", "Space"}
    assert plain_text(inl) == s


# -- clean exports ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def version() -> Version:
    return sample_version()


def test_version_ast_is_plain_data(version):
    doc = version_ast(version, META, numbers_for(version.paragraphs))
    assert doc["blocks"] and "pandoc-api-version" in doc
    kinds = {n["t"] for n in _walk_inlines(doc["blocks"])}
    assert kinds <= {"Str", "Space", "Span", "Strong", "Emph"}


def _walk_inlines(blocks):
    for b in blocks:
        if b["t"] == "Div":
            yield from _walk_inlines(b["c"][1])
        elif b["t"] in ("Para", "Plain"):
            yield from _inl(b["c"])
        elif b["t"] == "Header":
            yield from _inl(b["c"][2])


def _inl(inlines):
    for n in inlines:
        yield n
        if n["t"] == "Span":
            yield from _inl(n["c"][1])
        elif n["t"] in ("Strong", "Emph", "Underline", "Strikeout"):
            yield from _inl(n["c"])


def test_docx_clean(tmp_path, version):
    numbers = numbers_for(version.paragraphs)
    out = export_version(version, META, numbers, "docx", tmp_path / "v.docx")
    doc = docx_part(out)
    for p in version.paragraphs:  # each id as a bookmark
        assert '<w:bookmarkStart w:id="' in doc
        assert re.search(rf'<w:bookmarkStart w:id="\d+" w:name="{bookmark_name(p.id)}"', doc), p.id
    assert '<w:bookmarkStart w:id="' in doc and 'w:name="p_clr_3"' in doc
    assert "drafting_mark" not in doc
    # numbered as the real document: Action N in the number's character style, not in the bookmark
    assert re.search(r'<w:rStyle w:val="ParagraphNumber" />.*?<w:t xml:space="preserve">Action 1</w:t>', doc)
    assert "<w:ins" not in doc and "<w:del " not in doc
    # hostile text stays literal (escaped once, as XML)
    for h in HOSTILE:
        assert h.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in doc
    # title block, headings and paragraph styles
    texts = xml_view(out, "accept")
    assert texts[: len(title_texts(META))] == title_texts(META)
    assert texts[len(title_texts(META)) :] == [labelled(numbers[p.id], p.text) for p in version.paragraphs]
    assert '<w:pStyle w:val="Heading1" />' in doc and '<w:pStyle w:val="ActionParagraph" />' in doc
    # A4 portrait, header carrying the symbol, sober styles
    assert re.search(r'<w:pgSz w:h="16838" w:w="11906" />', doc)
    headers = [docx_part(out, n) for n in zipfile.ZipFile(out).namelist() if re.fullmatch(r"word/header\d+\.xml", n)]
    assert any(META.symbol in h and "DOCPROPERTY symbol" in h for h in headers)
    assert not any("DRAFTING_SYMBOL" in h for h in headers)
    styles = docx_part(out, "word/styles.xml")
    assert "Times New Roman" in styles and "<w:color" not in styles
    check_ids(out)
    # pandoc reads it back paragraph for paragraph
    assert pandoc_view(out, "accept") == texts


def test_docx_bookmarks_for_unusual_ids(tmp_path):
    v = Version("d", "v", (Paragraph("Odd_ID.1", "First."), Paragraph("clr-3", "Second.")))
    out = export_version(v, META, {}, "docx", tmp_path / "v.docx")
    names = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', docx_part(out))
    assert [paragraph_id_from_bookmark(n) for n in names] == ["Odd_ID.1", "clr-3"]


def test_html_escapes_delegations_text(tmp_path, version):
    out = export_version(version, META, numbers_for(version.paragraphs), "html", tmp_path / "v.html")
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*bold*" in html and "$x$" in html and "[link](http://x)" in html and "&lt;b&gt;&amp;amp;&lt;/b&gt;" in html
    assert 'id="p_clr_1"' in html and "<style>" in html and "<title>" in html


def test_markdown_keeps_text_literal(tmp_path, version):
    numbers = numbers_for(version.paragraphs)
    out = export_version(version, META, numbers, "md", tmp_path / "v.md")
    md = out.read_text(encoding="utf-8")
    assert r"\*bold\*" in md and r"\$x\$" in md and r"\<script\>" in md
    back = pandoc.read(md.encode(), "markdown-smart")
    texts = list(_block_texts(back["blocks"]))
    assert labelled("", HOSTILE_TEXT) in texts
    assert labelled("Action 2", version.by_id()["clr-2"].text) in texts


def _block_texts(blocks):
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            yield plain_text(b["c"])
        elif b["t"] == "Header":
            yield plain_text(b["c"][2])
        elif b["t"] == "Div":
            yield from _block_texts(b["c"][1])


HOSTILE_ALPHABET = st.sampled_from(
    [
        *list("abc XYZ019*_`$#@<>[](){}&;!|\\/\"'~^=+-.:,%?"),
        "&amp;",
        "&#65;",
        "&copy;",
        "<script>",
        "</div>",
        "- ",
        "1. ",
        "# ",
        "> ",
        "| a |",
        "---",
        "***",
        "\\\\",
        "@label",
        "#set",
        "$$",
        "{{x}}",
        "<!--",
        "-->",
        "http://x",
        "é",
        "Δ",
        "“",
        "–",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(HOSTILE_ALPHABET, min_size=1, max_size=30).map("".join), min_size=1, max_size=12))
def test_markdown_and_typst_keep_any_text(texts):
    """Whatever a delegation types comes back unchanged from our Markdown and Typst output."""
    from drafting.formats.ast import markdown_safe, typst_safe
    from drafting.model.records import Paragraph as P
    from drafting.text.words import normalize_space

    texts = [normalize_space(t) for t in texts]
    texts = [t for t in texts if t] or ["x"]
    v = Version("d", "v", tuple(P(f"p-{i}", t, kind="text") for i, t in enumerate(texts)))
    doc = version_ast(v, META, {}, with_title_block=False)
    md = pandoc.write(markdown_safe(doc), "markdown-smart", args=["--wrap=none"])
    back = list(_block_texts(pandoc.read(md, "markdown-smart")["blocks"]))
    assert back == texts
    # Typst itself is the judge: the text of the content it builds from our source
    typ = pandoc.write(typst_safe(doc), "typst-smart").decode("utf-8")
    assert typst_texts(typ) == texts


def typst_texts(body: str) -> list[str]:
    """The paragraphs' texts of a Typst body, as Typst parses it (via ``typst.query``)."""
    import json as _json
    import tempfile

    import typst

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "q.typ"
        src.write_text("#metadata[\n" + body + "\n]<drafting_query>\n", encoding="utf-8")
        found = _json.loads(typst.query(str(src), "<drafting_query>", root=d))
    paras: list[str] = []
    current: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for x in node:
                walk(x)
            return
        if not isinstance(node, dict):
            return
        f = node.get("func")
        if f in ("text", "symbol"):
            current.append(node["text"])
        elif f == "space":
            current.append(" ")
        elif f == "smartquote":
            current.append('"' if node.get("double", True) else "'")
        elif f in ("parbreak", "block"):
            if f == "block":
                walk(node.get("body"))
            flush()
        else:
            for key in ("children", "body", "value", "child"):
                if key in node:
                    walk(node[key])

    def flush():
        t = " ".join("".join(current).split())
        if t:
            paras.append(t)
        current.clear()

    walk(found[0]["value"])
    flush()
    return paras


def test_odt(tmp_path, version):
    out = export_version(version, META, numbers_for(version.paragraphs), "odt", tmp_path / "v.odt")
    with zipfile.ZipFile(out) as z:
        content = z.read("content.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "Vientiane Action Plan" in content


def test_pdf_has_pages(tmp_path):
    v = sample_version(60)
    out = export_version(v, META, numbers_for(v.paragraphs), "pdf", tmp_path / "v.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) >= 2


def test_pdf_with_hostile_title_block(tmp_path):
    meta = DocMeta(
        conference="C ] #x $y$ *z*", title="T [a] <b>", symbol="S/#1]", date="1 ] 2", label="L \\ x", venue="V ` @label"
    )
    out = export_version(sample_version(2), meta, {}, "pdf", tmp_path / "v.pdf")
    assert out.read_bytes().startswith(b"%PDF")


def test_bad_format_and_folder(tmp_path, version):
    with pytest.raises(DraftingError, match="unknown format"):
        export_version(version, META, {}, "rtf", tmp_path / "v.rtf")
    with pytest.raises(DraftingError, match="no such folder"):
        export_version(version, META, {}, "docx", tmp_path / "missing" / "v.docx")
    assert list(tmp_path.iterdir()) == []


def test_pandoc_failure_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    with pytest.raises(DraftingError) as exc:
        pandoc.run(["-f", "json", "-t", "docx", "-o", str(tmp_path / "x.docx")], input=b"{not json")
    assert "\n" not in str(exc.value) and "pandoc failed" in str(exc.value)
    assert not (tmp_path / "x.docx").exists()
    with pytest.raises(DraftingError, match="longer than"):
        pandoc.run(
            ["-f", "markdown", "-t", "docx", "-o", str(tmp_path / "y.docx")], input=b"word " * 2_000_000, timeout=0.05
        )
    # a failing conversion leaves the output (and its folder) as they were
    monkeypatch.setattr(pandoc, "DEFAULT_TIMEOUT", 0.001)
    v = sample_version(300)
    target = tmp_path / "v.docx"
    target.write_bytes(b"previous")
    with pytest.raises(DraftingError):
        export_version(v, META, {}, "docx", target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.docx"]


# -- tracked changes --------------------------------------------------------------------------


def old_new() -> tuple[Version, Version]:
    """Every case at once: modified, inserted (first, middle, consecutive), deleted (middle,
    consecutive), a heading inserted, and deleted paragraphs at the very end."""
    P = Paragraph
    old = Version(
        "action-plan",
        "zero-draft",
        (
            P("h-a", "Universalization", kind="heading", section="Universalization"),
            P(
                "uni-1",
                "States Parties shall promote adherence to the Convention.",
                kind="action",
                section="Universalization",
            ),
            P(
                "uni-2",
                "States Parties shall encourage signatories to ratify.",
                kind="action",
                section="Universalization",
            ),
            P("uni-3", "States Parties shall report on progress annually.", kind="action", section="Universalization"),
            P("h-b", "Clearance", kind="heading", section="Clearance"),
            P("clr-1", "Each State Party shall survey contaminated areas.", kind="action", section="Clearance"),
            P("clr-2", "Each State Party shall release land efficiently.", kind="action", section="Clearance"),
            P("clr-3", "This paragraph goes away.", kind="action", section="Clearance"),
            P("clr-4", "And so does this one, " + HOSTILE_TEXT, kind="action", section="Clearance"),
        ),
    )
    new = Version(
        "action-plan",
        "rev1",
        (
            P("new-0", "A new first paragraph.", kind="text", section="Universalization"),
            P("h-a", "Universalization", kind="heading", section="Universalization"),
            P(
                "uni-1",
                "States Parties shall actively promote universal adherence to the Convention.",
                kind="action",
                section="Universalization",
            ),
            P("new-1", "A new action on outreach, " + HOSTILE_TEXT, kind="action", section="Universalization"),
            P("new-2", "Another new action right after it.", kind="action", section="Universalization"),
            P("uni-3", "States Parties shall report annually.", kind="action", section="Universalization"),
            P("h-new", "Risk education", kind="heading", section="Risk education"),
            P("clr-1", "Each State Party shall survey contaminated areas.", kind="action", section="Clearance"),
            P(
                "clr-2",
                "Each State Party shall release land efficiently and safely.",
                kind="action",
                section="Clearance",
            ),
        ),
    )
    return old, new


def comments_for(tracked) -> list[Comment]:
    ids = [tp.id for tp in tracked]
    return [
        Comment(
            ids[2],
            "International Committee of the Red Cross",
            "Consider survivors. " + HOSTILE_TEXT,
            "2026-07-10",
            "ICRC",
        ),
        Comment(ids[2], "Cluster Munition Coalition", "Support.\nSecond line."),
        Comment(next(tp.id for tp in tracked if tp.status == "deleted"), "Chile", "Why delete this?", "2026-07-11"),
        Comment([tp.id for tp in tracked if tp.status == "inserted"][1], "France", "Welcome."),
    ]


@pytest.fixture(scope="module")
def tracked_docx(tmp_path_factory):
    old, new = old_new()
    tracked = tracked_between(old, new)
    comments = comments_for(tracked)
    out = export_tracked(tracked, comments, META, "docx", tmp_path_factory.mktemp("tracked") / "t.docx")
    return out, tracked, comments, old, new


def test_tracked_accept_and_reject_give_both_versions(tracked_docx):
    out, tracked, _, old, new = tracked_docx
    accept, reject = expected_views(tracked, old, new, META)
    assert xml_view(out, "accept") == accept
    assert xml_view(out, "reject") == reject


def test_tracked_read_back_by_pandoc(tracked_docx):
    out, tracked, _, old, new = tracked_docx
    accept, reject = expected_views(tracked, old, new, META)
    assert pandoc_view(out, "accept") == accept
    assert pandoc_view(out, "reject") == reject


def test_tracked_ids_unique_and_comments_consistent(tracked_docx):
    out, *_ = tracked_docx
    check_ids(out)
    doc = docx_part(out)
    assert "drafting_mark" not in doc


def test_tracked_authors_are_delegations(tracked_docx):
    out, tracked, comments, *_ = tracked_docx
    root = ET.fromstring(docx_part(out))
    authors = {e.get(f"{W}author") for tag in ("ins", "del") for e in root.iter(f"{W}{tag}")}
    wanted = {c.author for tp in tracked for c in tp.changes if c.op != "equal"}
    assert authors == wanted
    com = docx_part(out, "word/comments.xml")
    assert {e.get(f"{W}author") for e in ET.fromstring(com).iter(f"{W}comment")} == {c.author for c in comments}
    assert 'w:initials="ICRC"' in com and 'w:date="2026-07-10T00:00:00Z"' in com
    assert "Why delete this?" in com and "&lt;script&gt;" in com


def test_whole_paragraph_revisions(tracked_docx):
    out, tracked, *_ = tracked_docx
    paras = body_paragraphs(out)
    by_name = {}
    for i, p in enumerate(paras):
        for b in p.iter(f"{W}bookmarkStart"):
            by_name[b.get(f"{W}name")] = i

    def mark(i):
        rpr = paras[i].find(f"{W}pPr/{W}rPr")
        if rpr is None:
            return None
        if rpr.find(f"{W}ins") is not None:
            return "ins"
        return "del" if rpr.find(f"{W}del") is not None else None

    for tp in tracked:
        i = by_name[bookmark_name(tp.id)]
        want = {"inserted": "ins", "deleted": "del"}.get(tp.status)
        assert mark(i) == want, tp.id
    # Word cannot revise the last paragraph mark: the document ends with an empty paragraph
    assert tracked[-1].status == tracked[-2].status == "deleted"
    assert mark(len(paras) - 1) is None and "".join(paras[-1].itertext()) == ""


def test_tracked_html_md_odt_pdf(tmp_path, tracked_docx):
    """HTML and Markdown come from formats.diffview (as `drafting diff`), with the heading
    block and the comments; ODT and PDF from pandoc."""
    _, tracked, comments, *_ = tracked_docx
    html = export_tracked(tracked, comments, META, "html", tmp_path / "t.html").read_text(encoding="utf-8")
    assert re.search(r'<ins title="Inserted: Mexico \(\d+ July 2026\)">', html)
    assert re.search(r'<del title="Deleted: [^"]+">', html) and ">Mexico</sup>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Comment by International Committee of the Red Cross (10 July 2026):" in html
    for line in (META.symbol, META.date, META.conference, META.title, META.label, META.venue):
        assert f">{line}</p>" in html, line
    md = export_tracked(tracked, comments, META, "md", tmp_path / "t.md").read_text(encoding="utf-8")
    assert "{++" in md and "{--" in md and "&lt;script&gt;" in md and "<script>" not in md
    assert "Comment by International Committee of the Red Cross (10 July 2026):" in md
    assert md.startswith(f"{escape_markdown(META.symbol, line_start=True)}\n\n")
    odt = export_tracked(tracked, comments, META, "odt", tmp_path / "t.odt")
    assert zipfile.is_zipfile(odt)
    pdf = export_tracked(tracked, comments, META, "pdf", tmp_path / "t.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) >= 1


def test_comment_on_unknown_paragraph(tmp_path):
    tp = [TrackedParagraph("a-1", "text", None, "", "unchanged", [Change("equal", "Text.")])]
    for fmt in ("docx", "html", "md"):
        with pytest.raises(DraftingError, match="unknown paragraph"):
            export_tracked(tp, [Comment("nope", "Chile", "x")], META, fmt, tmp_path / f"t.{fmt}")
        assert not (tmp_path / f"t.{fmt}").exists()


def test_moved_paragraph_as_delete_plus_insert(tmp_path):
    """A move passed as a deletion at the old place and an insertion at the new one: the id's
    bookmark goes to the inserted copy only, and both views hold."""
    tp = [
        TrackedParagraph(
            "a-1", "text", None, "", "deleted", [Change("delete", "Moved text.", "Chile")], author="Chile"
        ),
        TrackedParagraph("a-2", "text", None, "", "unchanged", [Change("equal", "Stays.")]),
        TrackedParagraph(
            "a-1", "text", None, "", "inserted", [Change("insert", "Moved text.", "Chile")], author="Chile"
        ),
        TrackedParagraph("a-3", "text", None, "", "unchanged", [Change("equal", "Last.")]),
    ]
    out = export_tracked(tp, [Comment("a-1", "Peru", "ok")], META, "docx", tmp_path / "t.docx")
    assert xml_view(out, "accept")[-3:] == ["Stays.", "Moved text.", "Last."]
    assert xml_view(out, "reject")[-3:] == ["Moved text.", "Stays.", "Last."]
    assert docx_part(out).count('w:name="p_a_1"') == 1
    check_ids(out)


# property: any sequence of edits; accept gives new, reject gives old --------------------

WORDS = [
    "States",
    "Parties",
    "shall",
    "survey",
    "clear",
    "report",
    "assist",
    "victims",
    "annually",
    "*bold*",
    "<i>",
    "$x$",
    "and",
    "the",
    "Convention",
    "[a](b)",
    "&",
    "“quoted”",
    "l'État",
]


@st.composite
def edit_scripts(draw):
    n = draw(st.integers(1, 6))
    sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
    kinds = st.sampled_from(["action", "action", "text", "operative", "heading", "preambular"])
    old = [Paragraph(f"p-{i}", draw(sentence), kind=draw(kinds)) for i in range(n)]
    new: list[Paragraph] = []
    fresh = 0
    for p in old:
        while draw(st.integers(0, 3)) == 3:
            fresh += 1
            new.append(Paragraph(f"n-{fresh}", draw(sentence), kind=draw(kinds)))
        op = draw(st.sampled_from(["keep", "modify", "delete"]))
        if op == "keep":
            new.append(p)
        elif op == "modify":
            new.append(Paragraph(p.id, draw(sentence), kind=p.kind))
    while draw(st.integers(0, 2)) == 2:
        fresh += 1
        new.append(Paragraph(f"n-{fresh}", draw(sentence), kind=draw(kinds)))
    return Version("d", "old", tuple(old)), Version("d", "new", tuple(new))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit_scripts())
def test_property_accept_gives_new_reject_gives_old(tmp_path, script):
    old, new = script
    tracked = tracked_between(old, new)
    comments = [Comment(tp.id, "Chile", "c") for tp in tracked[::2]]
    out = export_tracked(tracked, comments, META, "docx", tmp_path / "p.docx")
    accept, reject = expected_views(tracked, old, new, META)
    assert xml_view(out, "accept") == accept
    assert xml_view(out, "reject") == reject
    assert pandoc_view(out, "accept") == accept
    assert pandoc_view(out, "reject") == reject
    check_ids(out)


# -- LibreOffice opens the files -------------------------------------------------------------------


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_clean_and_tracked(tmp_path, tracked_docx, version):
    clean = export_version(version, META, numbers_for(version.paragraphs), "docx", tmp_path / "clean.docx")
    tracked = shutil.copy(tracked_docx[0], tmp_path / "tracked.docx")
    odt = export_version(version, META, numbers_for(version.paragraphs), "odt", tmp_path / "clean.odt")
    outdir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(clean),
            str(tracked),
            str(odt),
        ],
        capture_output=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    for name in ("clean.pdf", "tracked.pdf"):
        data = (outdir / name).read_bytes()
        assert data.startswith(b"%PDF") and pdf_pages(data) >= 1, name
    assert (outdir / "clean.pdf").exists()


# -- scale -------------------------------------------------------------------------------------------


def synthetic(n: int, words: int = 200) -> tuple[Version, Version]:
    vocab = [
        "States",
        "Parties",
        "shall",
        "ensure",
        "that",
        "clearance",
        "of",
        "cluster",
        "munition",
        "remnants",
        "is",
        "completed",
        "in",
        "a",
        "timely",
        "manner",
        "and",
        "with",
        "the",
        "support",
    ]
    old = tuple(
        Paragraph(f"act-{i}", " ".join(vocab[(i + k) % len(vocab)] for k in range(words)), kind="action")
        for i in range(n)
    )
    new = []
    for i, p in enumerate(old):
        if i % 10 == 3:
            continue  # deleted
        if i % 5 == 1:
            w = p.text.split()
            w[5:8] = ["substantially", "revised", "wording"]
            p = Paragraph(p.id, " ".join(w), kind="action")  # modified
        new.append(p)
        if i % 10 == 7:
            new.append(Paragraph(f"new-{i}", "A new action, " + p.text[:300], kind="action"))
    return Version("d", "old", old), Version("d", "new", tuple(new))


@pytest.mark.slow
def test_300_paragraphs_clean_and_tracked(tmp_path, capsys):
    old, new = synthetic(300)
    numbers = numbers_for(new.paragraphs)
    export_version(new, META, numbers, "docx", tmp_path / "clean.docx")
    tracked = tracked_between(old, new)
    out = export_tracked(tracked, [], META, "docx", tmp_path / "tracked.docx")
    # behaviour at scale; the speed is measured by `make bench`
    accept, reject = expected_views(tracked, old, new, META)
    assert xml_view(out, "accept") == accept
    assert xml_view(out, "reject") == reject
    check_ids(out)
