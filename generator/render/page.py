"""The page grid and the XML every part of a GB/T 9704 document is made of.

A4, 版心 156 × 225 mm at 37 mm top / 28 mm left. Every body line is an exact 28.95 pt
(579 twips) grid line, so 22 lines fill the 版心; 3号 characters get −0.25 pt spacing so 28 of
them fill a line, and the section carries the matching w:docGrid for Word. Fonts are the
official faces with w:eastAsia set; the PDF build maps them to free stand-ins (convert.py).
How a line breaks (lines_needed) is here too: the placement estimates count with it.
"""

from __future__ import annotations

import functools
import threading

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import _Element as Element

from ..chinese import text_width
from ..layout import FANG, HEI, KAI, SONG, XBS

FONT_NAMES = {FANG: "仿宋_GB2312", HEI: "黑体", KAI: "楷体_GB2312", SONG: "宋体", XBS: "方正小标宋简体"}

# Geometry (GB/T 9704 5.2), in twips (1/20 pt) unless named otherwise.
PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
BODY_W_PT = 156 / 25.4 * 72          # 442.2 pt
BODY_H_PT = 225 / 25.4 * 72          # 637.8 pt
LINE = 579                           # one grid line: 28.95 pt, 22 per page
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16                         # 3号
CHAR_SPACING = -5                    # −0.25 pt: 28 × 15.75 pt ≤ 442.2 pt < 29 × 15.75 pt
CHAR = round(BODY_W_PT / CHARS_PER_LINE * 20)   # one grid character: 316 twips
RED = "FF0000"
FOOTER_PT = 14                       # 4号 page numbers
FOOTER_DISTANCE = Mm(21.9)           # puts the page-number line 7 mm below the 版心
MARK_TOP_MM = 35                     # organ mark's top edge below the top of the 版心


def _el(tag: str, **attrs: str) -> Element:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el

def _fonts(face: str) -> Element:
    name = FONT_NAMES[face]
    # The same face for ascii/hAnsi/eastAsia and hint=eastAsia: quotes, dashes and digits
    # stay in the CJK face at full width instead of falling back to a Latin font.
    return _el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")

def _rpr(face: str, size_pt: float, color: str | None = None, spacing: int | None = CHAR_SPACING) -> Element:
    rpr = OxmlElement("w:rPr")
    rpr.append(_fonts(face))
    if color:
        rpr.append(_el("w:color", val=color))
    if spacing:
        rpr.append(_el("w:spacing", val=str(spacing)))
    half = str(round(size_pt * 2))
    rpr.append(_el("w:sz", val=half))
    rpr.append(_el("w:szCs", val=half))
    return rpr

def _ppr(p: Paragraph) -> Element:
    return p._p.get_or_add_pPr()


# Schema order (ISO/IEC 29500 CT_PPrBase, CT_TblPrBase, CT_Settings) of the children fawen
# sets: Word refuses or "repairs" a document whose property children are out of this order.
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:pBdr",
             "w:tabs", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN",
             "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
TBL_PR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
SETTINGS_ORDER = ("w:evenAndOddHeaders", "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
                  "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
                  "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
                  "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
                  "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
                  "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                  "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                  "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                  "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                  "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")  # from evenAndOddHeaders on


@functools.lru_cache(maxsize=8)
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    return {qn(name): i for i, name in enumerate(order)}


def _set(parent: Element, child: Element, order: tuple[str, ...] = PPR_ORDER) -> None:
    """Put a property child in place, replacing one with the same tag: before the first
    sibling that comes after it in `order` (schema order matters to Word)."""
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = _ranks(order)
    mine = rank.get(child.tag, 99)
    sibling: Element
    for i, sibling in enumerate(list(parent)):
        if rank.get(sibling.tag, -1) > mine:
            parent.insert(i, child)
            return
    parent.append(child)

def _new_paragraph(container: DocxDocument) -> Paragraph:
    """A paragraph on the grid: no automatic gaps between Chinese and digits/Latin (Word
    and LibreOffice add about ¼ em by default, and LibreOffice ignores the document
    default), so 28 cells stay 28 characters; no widow control, so 22 lines stay 22."""
    p = container.add_paragraph()
    ppr = _ppr(p)
    # no widow/orphan control: a full page holds exactly 22 lines
    ppr.append(_el("w:widowControl", val="0"))
    ppr.append(_el("w:autoSpaceDE", val="0"))
    ppr.append(_el("w:autoSpaceDN", val="0"))
    return p

def _spacing(p: Paragraph, line: int = LINE, before: int = 0, rule: str = "exact") -> None:
    _set(_ppr(p), _el("w:spacing", before=str(before), after="0", line=str(line), lineRule=rule))

def _indent(p: Paragraph, first: int = 0, left: int = 0, right: int = 0, hanging: int = 0) -> None:
    attrs = {"left": str(left), "right": str(right)}
    if hanging:
        attrs["hanging"] = str(hanging)
    else:
        attrs["firstLine"] = str(first)
    _set(_ppr(p), _el("w:ind", **attrs))

def _align(p: Paragraph, how: str) -> None:
    _set(_ppr(p), _el("w:jc", val=how))


_REVISION = threading.local()  # (author, date, id counter) while a redline is rendered
# python-docx builds elements with one shared lxml parser, which is not thread-safe: documents are
# rendered one at a time (rendering is CPU work under the GIL anyway; conversions run in parallel).
RENDER_LOCK = threading.RLock()


def _mark(tag: str) -> Element:
    """A w:ins / w:del element with author, date and a document-unique id."""
    author, when, ids = _REVISION.state
    return _el(tag, id=str(next(ids)), author=author, date=when)

def _add_run(p: Paragraph, text: str, face: str = FANG, size: float = BODY_PT, color: str | None = None,
             spacing: int | None = CHAR_SPACING, change: str | None = None) -> None:
    r = OxmlElement("w:r")
    r.append(_rpr(face, size, color, spacing))
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        for k, part in enumerate(line.split("\t")):
            if k:
                r.append(OxmlElement("w:tab"))  # to the hanging indent (附件说明)
            t = OxmlElement("w:delText" if change == "del" else "w:t")
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    if change:
        wrapper = _mark(f"w:{change}")
        wrapper.append(r)
        p._p.append(wrapper)
    else:
        p._p.append(r)


NO_START = set("，。、；：？！）》」』”’…%")
NO_END = set("（《「『“‘")


def _units(text: str) -> list[str]:
    """Pieces a line breaker keeps together: a Latin word or number, a CJK character, with
    closing marks joined to what precedes and opening marks to what follows; a number right
    after a closing mark stays with it too (LibreOffice breaks neither “、2” nor “，30”)."""
    units: list[str] = []
    pending = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            j = i
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in ".+%/-"):
                j += 1
            piece, i = text[i:j], j
        else:
            piece, i = ch, i + 1
        if piece in NO_END:
            pending += piece
            continue
        if (piece in NO_START or (piece[0].isascii() and units and units[-1][-1] in NO_START)) \
                and units and not pending:
            units[-1] += piece
            continue
        units.append(pending + piece)
        pending = ""
    if pending:
        units.append(pending)
    return units

def lines_needed(text: str, indent: float = 0, width: float = CHARS_PER_LINE) -> int:
    """How many grid lines a paragraph takes, as LibreOffice breaks it: 28 cells a line,
    no mark hangs past the edge (w:overflowPunct off), numbers and marked pieces are not split."""
    lines, used = 1, indent
    for unit in _units(text):
        w = text_width(unit)
        if used + w <= width:
            used += w
            continue
        lines += 1
        used = w
    return lines

def _page(section) -> None:  # type: ignore[no-untyped-def]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Twips(0)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    # A line grid of 579 twips (22 lines). Not "linesAndChars": LibreOffice reads its
    # character pitch differently from Word (18 characters a line instead of 28); the
    # 28 characters come from the −0.25 pt run spacing instead, the same in both.
    sect.append(_el("w:docGrid", type="lines", linePitch=str(LINE)))

def _tabs(position: int) -> Element:
    tabs = OxmlElement("w:tabs")
    tabs.append(_el("w:tab", val="right", pos=str(position)))
    return tabs

def _table_layout(table: Table, widths: list[int]) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for tag in ("w:tblStyle",):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    # each replaces python-docx's own (tblW auto) in schema order, before its w:tblLook
    _set(tbl_pr, _el("w:tblW", w=str(sum(widths)), type="dxa"), TBL_PR_ORDER)
    _set(tbl_pr, _el("w:jc", val="center"), TBL_PR_ORDER)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="nil"))
    _set(tbl_pr, borders, TBL_PR_ORDER)
    _set(tbl_pr, _el("w:tblLayout", type="fixed"), TBL_PR_ORDER)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w="0", type="dxa"))
    _set(tbl_pr, margins, TBL_PR_ORDER)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Twips(width)
