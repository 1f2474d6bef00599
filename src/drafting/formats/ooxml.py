"""Word files: the paragraphs of a DOCX package as Word holds them.

Reads the main document part (with its styles, numbering and comments parts) into the
units of :mod:`drafting.text.document`: runs with their revisions (``w:ins``, ``w:del``,
moves), paragraph marks inserted or deleted (``w:pPr/w:rPr``), table rows inserted or
deleted, field results as Word displays them (``w:fldSimple``, ``w:fldChar`` /
``w:instrText``), bookmarks, comments on a range or at a point, empty paragraphs, Title
and Subtitle paragraphs, and the display numbers drafting writes in its own character
style. Elements are matched by local name, so transitional and strict OOXML both read.
Only called once ``formats.safety`` has checked the package (no DTD, sane sizes).
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model.errors import DraftingError
from ..text.document import ACCEPT, REJECT, Anchor, Comment, Document, Segment, Unit
from ..text.words import normalize_space
from . import units as unit_rules

__all__ = ["read_docx"]

#: containers nested deeper than this (tables in tables, content controls) are refused
MAX_DEPTH = 60

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
#: list formats that are not numbers
_UNNUMBERED = frozenset(["bullet", "none", ""])
#: inline elements whose children are read as if they stood in their place
_INLINE_CONTAINERS = frozenset(["hyperlink", "smartTag", "customXml", "dir", "bdo", "fldSimple", "sdtContent"])
#: block elements whose children are blocks in their place
_BLOCK_CONTAINERS = frozenset(["sdtContent", "customXml"])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: ET.Element, name: str) -> str | None:
    """An attribute by local name (``w:val``, ``w:id`` ...)."""
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _kids(el: ET.Element | None) -> list[ET.Element]:
    return list(el) if el is not None else []


# ---------------------------------------------------------------------------------------
# The package: main part, styles, numbering, comments


@dataclass
class _Style:
    name: str
    based_on: str | None
    num_id: str | None


class _Package:
    """The parts of a DOCX package the reader needs, parsed."""

    def __init__(self, path: Path, z: zipfile.ZipFile) -> None:
        self.path = path
        self.z = z
        names = set(z.namelist())
        main = self._target("_rels/.rels", "officeDocument", "") or "word/document.xml"
        if main not in names:
            main = "word/document.xml"
        self.main = main
        folder = str(PurePosixPath(main).parent)
        rels = f"{folder}/_rels/{PurePosixPath(main).name}.rels"
        self.parts = {
            kind: self._target(rels, kind, folder) or f"{folder}/{kind}.xml"
            for kind in ("styles", "numbering", "comments")
        }
        self.document = self.parse(main)
        self.styles, self.default_style = self._styles()
        self.numbering = self._numbering()

    def parse(self, name: str) -> ET.Element | None:
        try:
            data = self.z.read(name)
        except KeyError:
            return None
        try:
            return ET.fromstring(data)
        except ET.ParseError as e:
            raise DraftingError(f"{self.path.name}: {name} cannot be read ({e})") from None

    def _target(self, rels: str, kind: str, folder: str) -> str | None:
        """The part a relationship of type ``…/kind`` points to, from part ``rels``."""
        try:
            root = ET.fromstring(self.z.read(rels))
        except (KeyError, ET.ParseError):
            return None
        for rel in root:
            if (rel.get("Type") or "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                path = PurePosixPath(target.lstrip("/")) if target.startswith("/") else PurePosixPath(folder, target)
                parts: list[str] = []
                for p in path.parts:
                    if p == "..":
                        if parts:
                            parts.pop()
                    elif p not in (".", ""):
                        parts.append(p)
                return "/".join(parts)
        return None

    def _styles(self) -> tuple[dict[str, _Style], str | None]:
        root = self.parse(self.parts["styles"])
        out: dict[str, _Style] = {}
        default = None
        for s in _children(root, "style"):
            sid = _attr(s, "styleId")
            if not sid:
                continue
            name_el, based = _child(s, "name"), _child(s, "basedOn")
            num = _child(_child(_child(s, "pPr"), "numPr"), "numId")
            out[sid] = _Style(
                (_attr(name_el, "val") if name_el is not None else None) or sid,
                _attr(based, "val") if based is not None else None,
                _attr(num, "val") if num is not None else None,
            )
            if _attr(s, "type") == "paragraph" and _attr(s, "default") in ("1", "true", "on"):
                default = sid
        return out, default

    def _numbering(self) -> dict[str, dict[str, str]]:
        """numId -> {level: number format}."""
        root = self.parse(self.parts["numbering"])
        abstract: dict[str, dict[str, str]] = {}
        for a in _children(root, "abstractNum"):
            levels = {}
            for lvl in _children(a, "lvl"):
                fmt = _child(lvl, "numFmt")
                levels[_attr(lvl, "ilvl") or "0"] = (_attr(fmt, "val") if fmt is not None else None) or "decimal"
            abstract[_attr(a, "abstractNumId") or ""] = levels
        out: dict[str, dict[str, str]] = {}
        for n in _children(root, "num"):
            ref = _child(n, "abstractNumId")
            levels = dict(abstract.get(_attr(ref, "val") or "", {}) if ref is not None else {})
            for o in _children(n, "lvlOverride"):
                fmt = _child(_child(o, "lvl"), "numFmt")
                if fmt is not None:
                    levels[_attr(o, "ilvl") or "0"] = _attr(fmt, "val") or "decimal"
            out[_attr(n, "numId") or ""] = levels
        return out

    def style_chain(self, sid: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen and len(out) < 20:
            seen.add(sid)
            out.append(self.styles[sid])
            sid = self.styles[sid].based_on
        return out

    def comments(self) -> dict[str, Comment]:
        root = self.parse(self.parts["comments"])
        out: dict[str, Comment] = {}
        for c in _children(root, "comment"):
            paras = [_plain(p) for p in c.iter() if _local(p.tag) == "p"]
            body = normalize_space(" ".join(paras))
            out[_attr(c, "id") or ""] = Comment(body, _attr(c, "author"), _attr(c, "date"))
        return out


def _plain(p: ET.Element) -> str:
    """The text of a paragraph of a comment (its deleted text left out)."""
    parts: list[str] = []
    for el in p.iter():
        tag = _local(el.tag)
        if tag == "t" and el.text:
            parts.append(el.text)
        elif tag in ("tab", "br", "cr"):
            parts.append(" ")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# The body


class _Reader:
    """Walks the body in document order, making one unit per paragraph."""

    def __init__(self, pkg: _Package, document: ET.Element) -> None:
        self.pkg = pkg
        self.units: list[Unit] = []
        self.footnotes = 0
        self.fields: list[str] = []  # open complex fields: "code" or "result"
        self.pending: list[Anchor] = []  # bookmarks met between paragraphs
        self.comment_at: dict[str, tuple[int, int]] = {}  # id -> (order, unit) of its start
        self.comment_ref: dict[str, tuple[int, int]] = {}  # id -> (order, unit) of its reference
        self.events = 0
        self.number_styles = {
            sid for sid, s in pkg.styles.items() if unit_rules.style_key(s.name) == unit_rules.NUMBER_STYLE_KEY
        }
        # fields whose begin and end do not pair up (a damaged file) would hide the text
        # after them: then only field codes are hidden, never a run of text
        kinds = [_attr(el, "fldCharType") for el in document.iter() if _local(el.tag) == "fldChar"]
        self.fields_paired = kinds.count("begin") == kinds.count("end")

    # -- blocks ------------------------------------------------------------------------

    def blocks(self, parent: ET.Element, only_in: str | None, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise DraftingError(f"{self.pkg.path.name}: is nested too deeply to be read (tables within tables)")
        flat = list(self._flatten(parent, depth))
        # for each block, whether the next paragraph-or-table after it is a paragraph
        then_paragraph = [False] * len(flat)
        nxt = False
        for k in range(len(flat) - 1, -1, -1):
            then_paragraph[k] = nxt
            tag = _local(flat[k].tag)
            if tag in ("p", "tbl"):
                nxt = tag == "p"
        for k, el in enumerate(flat):
            tag = _local(el.tag)
            if tag == "p":
                self.paragraph(el, only_in, fixed=not then_paragraph[k], depth=depth)
            elif tag == "tbl":
                self.table(el, only_in, depth + 1)
            elif tag == "bookmarkStart":
                name = _attr(el, "name")
                if name:
                    self.pending.append(unit_rules.anchor(name))
            elif tag == "commentRangeStart":
                self._comment_event(self.comment_at, el, len(self.units))

    def _flatten(self, parent: ET.Element, depth: int):
        """The blocks of a container, content controls and custom XML opened in place."""
        for el in parent:
            tag = _local(el.tag)
            if tag == "sdt":
                content = _child(el, "sdtContent")
                if content is not None:
                    yield from self._flatten(content, depth + 1)
            elif tag in _BLOCK_CONTAINERS or tag in ("ins", "del", "moveTo", "moveFrom"):
                yield from self._flatten(el, depth + 1)
            elif tag == "AlternateContent":
                choice = _child(el, "Choice")
                if choice is not None:
                    yield from self._flatten(choice, depth + 1)
            else:
                yield el

    def table(self, tbl: ET.Element, only_in: str | None, depth: int) -> None:
        for tr in self._rows(tbl, depth):
            row_only = only_in
            revisions: list[tuple[str | None, str | None]] = []
            for rev in _kids(_child(tr, "trPr")):
                kind = _local(rev.tag)
                if kind in ("ins", "del"):
                    mine = ACCEPT if kind == "ins" else REJECT
                    row_only = mine if row_only in (None, mine) else "none"
                    revisions.append((_attr(rev, "author"), _attr(rev, "date")))
            for tc in self._cells(tr, depth):
                first = len(self.units)
                self.blocks(tc, row_only, depth + 1)
                for u in self.units[first:]:
                    for author, date in revisions:
                        u.add_revision(author, date)

    def _rows(self, tbl: ET.Element, depth: int):
        for el in self._flatten(tbl, depth):
            if _local(el.tag) == "tr":
                yield el

    def _cells(self, tr: ET.Element, depth: int):
        for el in self._flatten(tr, depth):
            if _local(el.tag) == "tc":
                yield el

    # -- paragraphs --------------------------------------------------------------------

    def paragraph(self, p: ET.Element, only_in: str | None, *, fixed: bool, depth: int) -> None:
        ppr = _child(p, "pPr")
        style_el = _child(ppr, "pStyle")
        sid = (_attr(style_el, "val") if style_el is not None else None) or self.pkg.default_style
        chain = self.pkg.style_chain(sid)
        u = Unit(only_in=only_in, mark_fixed=fixed, style=chain[0].name if chain else None)
        for s in chain:
            m = _HEADING_NAME.match(s.name)
            if m:
                u.heading = int(m.group(1))
                break
        u.style_kind = unit_rules.kind_of_style(u.style) if not u.heading else None
        u.ordered = self._numbered(ppr, chain)
        for rev in _kids(_child(ppr, "rPr")):
            kind = _local(rev.tag)
            if kind in ("ins", "moveTo"):
                u.mark_inserted = True
                u.add_revision(_attr(rev, "author"), _attr(rev, "date"))
            elif kind in ("del", "moveFrom"):
                u.mark_deleted = True
                u.add_revision(_attr(rev, "author"), _attr(rev, "date"))
        u.anchors += self.pending
        self.pending = []
        self.units.append(u)
        index = len(self.units) - 1
        self.inline(p, u, index, False, False, depth)

    def _numbered(self, ppr: ET.Element | None, chain: list[_Style]) -> bool:
        num = _child(ppr, "numPr")
        num_id = ilvl = None
        if num is not None:
            n, lv = _child(num, "numId"), _child(num, "ilvl")
            num_id = _attr(n, "val") if n is not None else None
            ilvl = _attr(lv, "val") if lv is not None else None
        if num_id is None:
            num_id = next((s.num_id for s in chain if s.num_id), None)
        if not num_id or num_id == "0":
            return False
        fmt = self.pkg.numbering.get(num_id, {}).get(ilvl or "0", "decimal")
        return fmt not in _UNNUMBERED

    def inline(self, el: ET.Element, u: Unit, index: int, ins: bool, dele: bool, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise DraftingError(f"{self.pkg.path.name}: is nested too deeply to be read")
        for c in el:
            tag = _local(c.tag)
            if tag == "r":
                self.run(c, u, index, ins, dele)
            elif tag in ("ins", "moveTo"):
                u.add_revision(_attr(c, "author"), _attr(c, "date"))
                self.inline(c, u, index, True, dele, depth + 1)
            elif tag in ("del", "moveFrom"):
                u.add_revision(_attr(c, "author"), _attr(c, "date"))
                self.inline(c, u, index, ins, True, depth + 1)
            elif tag in _INLINE_CONTAINERS:
                self.inline(c, u, index, ins, dele, depth + 1)
            elif tag == "sdt":
                content = _child(c, "sdtContent")
                if content is not None:
                    self.inline(content, u, index, ins, dele, depth + 1)
            elif tag == "AlternateContent":
                choice = _child(c, "Choice")
                if choice is not None:
                    self.inline(choice, u, index, ins, dele, depth + 1)
            elif tag == "bookmarkStart":
                name = _attr(c, "name")
                if name:
                    u.anchors.append(unit_rules.anchor(name))
            elif tag == "commentRangeStart":
                self._comment_event(self.comment_at, c, index)
            elif tag in ("oMath", "oMathPara"):
                text = "".join(t.text or "" for t in c.iter() if _local(t.tag) == "t")
                self._text(u, text, ins, dele, False)

    def run(self, r: ET.Element, u: Unit, index: int, ins: bool, dele: bool) -> None:
        rpr = _child(r, "rPr")
        rstyle = _child(rpr, "rStyle")
        number = rstyle is not None and _attr(rstyle, "val") in self.number_styles
        for c in r:
            tag = _local(c.tag)
            if tag in ("t", "delText"):
                self._text(u, c.text or "", ins, dele, number)
            elif tag in ("tab", "ptab"):
                self._text(u, "\t", ins, dele, number)
            elif tag in ("br", "cr"):
                self._text(u, "\n", ins, dele, number)
            elif tag == "noBreakHyphen":
                self._text(u, "\u2011", ins, dele, number)
            elif tag == "sym":
                code = _attr(c, "char") or ""
                with contextlib.suppress(ValueError, OverflowError):
                    self._text(u, chr(int(code, 16)), ins, dele, number)
            elif tag == "fldChar":
                kind = _attr(c, "fldCharType")
                if kind == "begin":
                    self.fields.append("code")
                elif kind == "separate" and self.fields:
                    self.fields[-1] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag in ("footnoteReference", "endnoteReference"):
                self.footnotes += 1
            elif tag == "commentReference":
                self._comment_event(self.comment_ref, c, index)
            elif tag == "AlternateContent":
                choice = _child(c, "Choice")
                if choice is not None:
                    self.run(choice, u, index, ins, dele)

    def _text(self, u: Unit, text: str, ins: bool, dele: bool, number: bool) -> None:
        """Text of a run, unless it is the code of a field (Word shows the result)."""
        if not text or (self.fields_paired and any(f == "code" for f in self.fields)):
            return
        last = u.segments[-1] if u.segments else None
        if last is not None and (last.inserted, last.deleted, last.number) == (ins, dele, number):
            u.segments[-1] = Segment(last.text + text, ins, dele, number)
        else:
            u.segments.append(Segment(text, ins, dele, number))

    def _comment_event(self, where: dict[str, tuple[int, int]], el: ET.Element, index: int) -> None:
        cid = _attr(el, "id")
        if cid is not None and cid not in where:
            self.events += 1
            where[cid] = (self.events, index)

    # -- comments ----------------------------------------------------------------------

    def attach_comments(self) -> None:
        """Each comment to the paragraph where it starts: its range's start, or for a
        comment made at a point without one, its reference mark."""
        bodies = self.pkg.comments()
        placed = {**self.comment_ref, **self.comment_at}
        for cid, (_, index) in sorted(placed.items(), key=lambda kv: kv[1][0]):
            c = bodies.get(cid)
            if c is not None and 0 <= index < len(self.units):
                self.units[index].comments.append(c)
            elif c is not None and self.units:  # a range opened after the last paragraph
                self.units[-1].comments.append(c)


def read_docx(path: Path) -> Document:
    """The units of a DOCX package (see the module docstring); DraftingError naming the
    file if its main part cannot be read."""
    try:
        with zipfile.ZipFile(path) as z:
            pkg = _Package(path, z)
            if pkg.document is None:
                raise DraftingError(f"{path.name}: has no main document part ({pkg.main})")
            body = _child(pkg.document, "body")
            r = _Reader(pkg, pkg.document)
            if body is not None:
                r.blocks(body, None, 0)
            r.attach_comments()
    except (zipfile.BadZipFile, OSError) as e:
        raise DraftingError(f"{path.name}: cannot be read as a Word document ({e})") from None
    except RecursionError:
        raise DraftingError(f"{path.name}: is nested too deeply to be read") from None
    unit_rules.flag_export_only(r.units)
    return Document(r.units, footnotes=r.footnotes)
