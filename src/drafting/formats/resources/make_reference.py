"""Build the reference documents that give exported Word files their look.

    python src/drafting/formats/resources/make_reference.py

writes, next to this script:

- ``reference.docx``: portrait A4, for versions and tracked-change documents;
- ``reference-landscape.docx``: landscape A4, for the compilation table.

Both start from pandoc's own default reference document (so every style pandoc's DOCX
writer relies on exists) and change only what makes a sober UN-style document: Times New
Roman 12 pt throughout, no theme fonts and no colours, justified body text, bold
headings, A4 with 2.5 cm margins, a page header carrying the document symbol from the second page on (a
``DOCPROPERTY symbol`` field whose displayed text ``DRAFTING_SYMBOL`` the exporter
replaces) and a page number in the footer, ruled tables in 10 pt with a bold header row, and the
paragraph styles the exporter names (``Action Paragraph``, ``Symbol``...).

Pandoc uses a reference document's styles, page set-up (``sectPr``), headers and footers;
it ignores its text. The output is deterministic (fixed zip timestamps): re-running the
script changes the files only if the script or pandoc's default changed.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = "Times New Roman"
SYMBOL_PLACEHOLDER = "DRAFTING_SYMBOL"

ET.register_namespace("w", W)
ET.register_namespace("r", R)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: ET.Element) -> ET.Element:
    e = ET.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()})
    e.extend(children)
    return e


def default_reference() -> bytes:
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout


# -- styles -----------------------------------------------------------------------------


def fonts() -> ET.Element:
    return el("rFonts", {"ascii": FONT, "hAnsi": FONT, "eastAsia": FONT, "cs": FONT})


def set_child(parent: ET.Element, new: ET.Element, before: tuple[str, ...] = ()) -> None:
    """Replace ``parent``'s child of the same tag with ``new`` (or add it)."""
    for old in parent.findall(new.tag):
        parent.remove(old)
    for i, child in enumerate(list(parent)):
        if child.tag in {w(b) for b in before}:
            parent.insert(i, new)
            return
    parent.append(new)


def ppr(style: ET.Element) -> ET.Element:
    p = style.find(w("pPr"))
    if p is None:
        p = el("pPr")
        rpr = style.find(w("rPr"))
        if rpr is not None:
            style.insert(list(style).index(rpr), p)
        else:
            style.append(p)
    return p


def rpr(style: ET.Element) -> ET.Element:
    r = style.find(w("rPr"))
    if r is None:
        r = el("rPr")
        style.append(r)
    return r


def run_props(
    style: ET.Element,
    *,
    size: int | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    underline: bool = False,
) -> None:
    r = rpr(style)
    for tag in ("b", "bCs", "i", "iCs", "sz", "szCs", "u", "spacing"):
        for old in r.findall(w(tag)):
            r.remove(old)
    if bold is not None:
        r.append(el("b", None if bold else {"val": "0"}))
        r.append(el("bCs", None if bold else {"val": "0"}))
    if italic is not None:
        r.append(el("i", None if italic else {"val": "0"}))
        r.append(el("iCs", None if italic else {"val": "0"}))
    if underline:
        r.append(el("u", {"val": "single"}))
    if size is not None:
        r.append(el("sz", {"val": str(size)}))
        r.append(el("szCs", {"val": str(size)}))


def para_props(
    style: ET.Element,
    *,
    before: int = 0,
    after: int = 120,
    jc: str | None = None,
    keep_next: bool = False,
    first_line: int | None = None,
    left: int | None = None,
) -> None:
    p = ppr(style)
    for tag in ("spacing", "jc", "keepNext", "keepLines", "ind", "contextualSpacing", "numPr"):
        for old in p.findall(w(tag)):
            p.remove(old)
    if keep_next:
        p.insert(0, el("keepLines"))
        p.insert(0, el("keepNext"))
    p.append(el("spacing", {"before": str(before), "after": str(after), "line": "240", "lineRule": "auto"}))
    if first_line is not None or left is not None:
        attrs = {"left": str(left or 0)}
        if first_line is not None:
            attrs["firstLine"] = str(first_line)
        p.append(el("ind", attrs))
    if jc:
        p.append(el("jc", {"val": jc}))
    # outlineLvl must come after jc in CT_PPr: move it to the end
    for o in p.findall(w("outlineLvl")):
        p.remove(o)
        p.append(o)


def new_style(
    styles: ET.Element, kind: str, sid: str, name: str, based_on: str, next_: str | None = None
) -> ET.Element:
    for old in styles.findall(w("style")):
        if old.get(w("styleId")) == sid:
            styles.remove(old)
    s = el("style", {"type": kind, "customStyle": "1", "styleId": sid})
    s.append(el("name", {"val": name}))
    s.append(el("basedOn", {"val": based_on}))
    if next_:
        s.append(el("next", {"val": next_}))
    s.append(el("qFormat"))
    styles.append(s)
    return s


def find_style(styles: ET.Element, sid: str) -> ET.Element:
    for s in styles.findall(w("style")):
        if s.get(w("styleId")) == sid:
            return s
    raise KeyError(sid)


def must_find(parent: ET.Element, path: str) -> ET.Element:
    found = parent.find(path)
    if found is None:
        raise KeyError(path)
    return found


def edit_styles(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    # defaults: Times New Roman 12 pt, British English, 6 pt after each paragraph
    rpr_default = must_find(root, f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    set_child(rpr_default, fonts(), before=("sz",))
    set_child(rpr_default, el("sz", {"val": "24"}))
    set_child(rpr_default, el("szCs", {"val": "24"}))
    set_child(rpr_default, el("lang", {"val": "en-GB", "eastAsia": "zh-CN", "bidi": "ar-SA"}))
    ppr_default = must_find(root, f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
    set_child(ppr_default, el("spacing", {"after": "120", "line": "240", "lineRule": "auto"}))

    # no theme fonts, no colours anywhere (code keeps its monospace font)
    for style in root.iter(w("style")):
        sid = style.get(w("styleId"))
        for r in style.iter(w("rPr")):
            for c in r.findall(w("color")):
                r.remove(c)
            if sid not in ("VerbatimChar", "SourceCode"):
                for f in r.findall(w("rFonts")):
                    idx = list(r).index(f)
                    r.remove(f)
                    r.insert(idx, fonts())

    para_props(find_style(root, "BodyText"), after=120, jc="both")
    para_props(find_style(root, "Compact"), before=20, after=20, jc="left")
    run_props(find_style(root, "Compact"), size=20)  # table cells: 10 pt
    para_props(find_style(root, "BlockText"), after=120, left=567, jc="both")
    title = find_style(root, "Title")
    para_props(title, before=240, after=120, jc="left", keep_next=True)
    run_props(title, size=28, bold=True)
    sub = find_style(root, "Subtitle")
    para_props(sub, before=0, after=120, jc="left", keep_next=True)
    run_props(sub, size=24, bold=True, italic=False)
    for sid in ("Author", "Date", "Abstract", "AbstractTitle"):
        st = find_style(root, sid)
        para_props(st, after=120, jc="left")
        run_props(st, size=24)
    for level in range(1, 10):
        h = find_style(root, f"Heading{level}")
        para_props(h, before=240, after=120, keep_next=True, jc="left")
        run_props(h, size=24, bold=level <= 2, italic=level >= 2)
        try:
            hc = find_style(root, f"Heading{level}Char")
            run_props(hc, size=24, bold=level <= 2, italic=level >= 2)
        except KeyError:
            pass
    run_props(find_style(root, "Hyperlink"), underline=True)

    # tables: ruled, 1 mm cell padding, bold header row repeated on each page
    table = find_style(root, "Table")
    tblpr = must_find(table, w("tblPr"))
    borders = el(
        "tblBorders",
        None,
        *[
            el(side, {"val": "single", "sz": "4", "space": "0", "color": "auto"})
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ],
    )
    set_child(tblpr, borders, before=("tblLayout", "tblCellMar", "tblLook"))
    mar = must_find(tblpr, w("tblCellMar"))
    for side in ("top", "bottom"):
        for m in mar.findall(w(side)):
            m.set(w("w"), "57")
    first = table.find(w("tblStylePr"))
    if first is not None:
        first_rpr = first.find(w("rPr"))
        if first_rpr is None:
            first_rpr = el("rPr")
            tcpr = first.find(w("tcPr"))
            first.insert(list(first).index(tcpr) if tcpr is not None else 0, first_rpr)
        first_rpr.append(el("b"))
        tc = first.find(w("tcPr"))
        if tc is not None:
            for b in tc.findall(w("tcBorders")):
                tc.remove(b)
            tc.insert(
                0, el("tcBorders", None, el("bottom", {"val": "single", "sz": "8", "space": "0", "color": "auto"}))
            )

    # the title block and the document's paragraphs
    s = new_style(root, "paragraph", "Conference", "Conference", "Normal")
    para_props(s, after=0, jc="left")
    run_props(s, bold=True)
    s = new_style(root, "paragraph", "Venue", "Venue", "Normal")
    para_props(s, after=240, jc="left")
    s = new_style(root, "paragraph", "Symbol", "Symbol", "Normal")
    para_props(s, after=0, jc="right")
    s = new_style(root, "paragraph", "Distribution", "Distribution", "Normal")
    para_props(s, after=0, jc="right")
    s = new_style(root, "paragraph", "DocumentDate", "Document Date", "Normal")
    para_props(s, after=0, jc="right")
    s = new_style(root, "paragraph", "OriginalLanguage", "Original Language", "Normal")
    para_props(s, after=240, jc="right")
    s = new_style(root, "paragraph", "SubmittedBy", "Submitted By", "Normal")
    para_props(s, after=360, jc="left")
    run_props(s, italic=True)
    s = new_style(root, "paragraph", "Adopted", "Adopted", "Normal")
    para_props(s, after=360, jc="left")
    run_props(s, bold=True)
    for sid, name, first_line in (
        ("ActionParagraph", "Action Paragraph", None),
        ("OperativeParagraph", "Operative Paragraph", None),
        ("PreambularParagraph", "Preambular Paragraph", 567),
        ("TextParagraph", "Text Paragraph", None),
    ):
        s = new_style(root, "paragraph", sid, name, "BodyText")
        para_props(s, after=120, jc="both", first_line=first_line)
    s = new_style(root, "paragraph", "CommentBlock", "Comment Block", "BodyText")
    para_props(s, after=120, left=567, jc="left")
    run_props(s, size=20)
    s = new_style(root, "character", "ParagraphNumber", "Paragraph Number", "DefaultParagraphFont")
    # page header and footer (built-in style ids, so not marked custom)
    for sid, name in (("Header", "header"), ("Footer", "footer")):
        s = new_style(root, "paragraph", sid, name, "Normal")
        del s.attrib[w("customStyle")]
        para_props(s, after=0)
        run_props(s, size=20)
    for props in list(root.iter(w("rPr"))) + list(root.iter(w("pPr"))):
        schema_order(props)
    return ET.tostring(root, xml_declaration=True, encoding="UTF-8")


#: child order of w:rPr and w:pPr in the OOXML schema (Word rejects other orders)
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def schema_order(props: ET.Element) -> None:
    order = RPR_ORDER if props.tag == w("rPr") else PPR_ORDER
    rank = {w(t): i for i, t in enumerate(order)}
    children = list(props)
    for c in children:
        props.remove(c)
    props.extend(sorted(children, key=lambda c: rank.get(c.tag, len(order))))


# -- page set-up, header, footer -----------------------------------------------------------

EMPTY_HEADER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>
"""

HEADER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY symbol \\* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">{SYMBOL_PLACEHOLDER}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>
"""

FOOTER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>
"""


def sect_pr(landscape: bool) -> str:
    if landscape:
        size = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        margins = '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
    else:
        size = '<w:pgSz w:w="11906" w:h="16838"/>'
        margins = '<w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/>'
    return (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdDraftingHeader"/>'
        '<w:footerReference w:type="default" r:id="rIdDraftingFooter"/>'
        '<w:headerReference w:type="first" r:id="rIdDraftingHeaderFirst"/>'
        '<w:footerReference w:type="first" r:id="rIdDraftingFooterFirst"/>'
        '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
        f"{size}{margins}<w:titlePg/></w:sectPr>"
    )


def edit_document(xml: bytes, landscape: bool) -> bytes:
    text = xml.decode("utf-8")
    text, n = re.subn(r"<w:sectPr>.*?</w:sectPr>", lambda _m: sect_pr(landscape), text, flags=re.S)
    assert n == 1, "expected exactly one sectPr in pandoc's reference document"
    return text.encode("utf-8")


def edit_rels(xml: bytes) -> bytes:
    extra = (
        f'<Relationship Id="rIdDraftingHeader" Type="{R}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdDraftingFooter" Type="{R}/footer" Target="footer1.xml"/>'
        f'<Relationship Id="rIdDraftingHeaderFirst" Type="{R}/header" Target="header2.xml"/>'
        f'<Relationship Id="rIdDraftingFooterFirst" Type="{R}/footer" Target="footer2.xml"/>'
    )
    return xml.replace(b"</Relationships>", extra.encode() + b"</Relationships>")


def edit_content_types(xml: bytes) -> bytes:
    extra = (
        '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
        '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
        '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    )
    return xml.replace(b"</Types>", extra.encode() + b"</Types>")


def build(default: bytes, landscape: bool) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(default))
    parts = {name: src.read(name) for name in src.namelist()}
    parts["word/styles.xml"] = edit_styles(parts["word/styles.xml"])
    parts["word/document.xml"] = edit_document(parts["word/document.xml"], landscape)
    parts["word/_rels/document.xml.rels"] = edit_rels(parts["word/_rels/document.xml.rels"])
    parts["[Content_Types].xml"] = edit_content_types(parts["[Content_Types].xml"])
    parts["word/header1.xml"] = HEADER.encode("utf-8")
    parts["word/footer1.xml"] = FOOTER.encode("utf-8")
    parts["word/header2.xml"] = EMPTY_HEADER.encode("utf-8")  # first page: the title block shows the symbol
    parts["word/footer2.xml"] = FOOTER.encode("utf-8")
    out = io.BytesIO()
    order = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [str(HERE)])[0])
    default = default_reference()
    (target / "reference.docx").write_bytes(build(default, landscape=False))
    (target / "reference-landscape.docx").write_bytes(build(default, landscape=True))
    print(f"wrote {target / 'reference.docx'} and {target / 'reference-landscape.docx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
