"""Layout → DOCX laid out to GB/T 9704-2012.

Page: A4, 版心 156 × 225 mm at 37 mm top / 28 mm left. Every body line is an exact
28.95 pt (579 twips) grid line, so 22 lines fill the 版心; 3号 characters get −0.25 pt
spacing so 28 of them fill a line, and the section carries the matching w:docGrid for
Word. Fonts are the official faces with w:eastAsia set; the PDF build maps them to free
stand-ins (see convert.py). Output is deterministic: fixed properties and zip times.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import threading
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import _Element as Element

from ..chinese import text_width
from ..errors import RenderError
from ..layout import FANG, HEI, KAI, SONG, XBS, Block, Colophon, Head, Layout, Run, title_lines

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


@dataclass(frozen=True)
class Placement:
    """Where the 版记 goes, decided from the measured (or estimated) last page.

    filler: empty grid lines between the last text and the 版记;
    new_page: start the 版记 on a new page; blank_page: insert an unnumbered blank page
    first (the 版记 page is then unnumbered too).
    """

    filler: int
    new_page: bool = False
    blank_page: bool = False


def place_colophon(pages: int, free_lines: int, colophon: Colophon) -> Placement:
    """GB/T 9704 7.4: the 版记 sits at the bottom of the last page, which must be even."""
    need = colophon_lines(colophon)
    if pages % 2 == 0 and free_lines >= need:
        return Placement(filler=free_lines - need)
    if pages % 2 == 1:
        return Placement(filler=LINES_PER_PAGE - need, new_page=True)
    return Placement(filler=LINES_PER_PAGE - need, new_page=True, blank_page=True)


# ---------------------------------------------------------------- low-level XML helpers

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


# ---------------------------------------------------------------- document setup

# python-docx's template parts that no fawen document uses: dropping them (and the styles
# nothing refers to) makes a DOCX a quarter of the size and LibreOffice open it a third faster
UNUSED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "thumbnail")
KEPT_STYLES = ("Footer", "FooterChar", "Header", "HeaderChar")


def _lean(doc: DocxDocument) -> None:
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
                del rels[rid]
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1" or sid in KEPT_STYLES}
    for sid in list(keep):  # and what they are based on
        while (based := by_id[sid].find(qn("w:basedOn"))) is not None and based.get(qn("w:val")) in by_id:
            sid = based.get(qn("w:val"))
            keep.add(sid)
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


@functools.lru_cache(maxsize=1)
def _template() -> bytes:
    doc = Document()
    _lean(doc)
    return package_bytes(doc)


def new_document() -> DocxDocument:
    """python-docx's blank document without its unused parts, parsed from a lean copy made
    once (opening the full template for every document took a tenth of a build's Python time)."""
    return Document(io.BytesIO(_template()))


def _setup(doc: DocxDocument, layout: Layout) -> None:
    """Page, defaults, settings and properties of a document from new_document()."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    defaults = OxmlElement("w:docDefaults")
    rpr_default = OxmlElement("w:rPrDefault")
    rpr = _rpr(FANG, BODY_PT, spacing=None)
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    ppr_default = OxmlElement("w:pPrDefault")
    ppr = OxmlElement("w:pPr")
    ppr.append(_el("w:widowControl", val="0"))
    # no punctuation past the right edge (LibreOffice, which drops this on import, is told
    # by the worker): a closing mark takes the character before it to the next line (避头尾)
    ppr.append(_el("w:overflowPunct", val="0"))
    ppr.append(_el("w:spacing", before="0", after="0", line=str(LINE), lineRule="exact"))
    ppr.append(_el("w:jc", val="both"))
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    styles.insert(0, defaults)
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:rPr"), qn("w:pPr")):
            normal.remove(child)
    normal_ppr = OxmlElement("w:pPr")
    normal_ppr.append(_el("w:widowControl", val="0"))  # LibreOffice reads it from the style
    normal.append(normal_ppr)

    settings = doc.settings.element
    doc.settings.odd_and_even_pages_header_footer = True  # python-docx puts it in schema order
    _set(settings, _el("w:characterSpacingControl", val="doNotCompress"), SETTINGS_ORDER)

    props = doc.core_properties
    stamp = datetime(int(layout.date[:4]), 1, 1)
    # core properties hold at most 255 characters (validation keeps titles far shorter; this
    # only guards the metadata, never the page)
    props.title = layout.title[:255]
    props.author = layout.author[:255]
    props.last_modified_by = layout.author[:255]
    props.subject = layout.subject[:255]
    props.keywords = "公文; GB/T 9704-2012"
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp

    _page(doc.sections[0])


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


def _footer_paragraph(p: Paragraph, odd: bool) -> None:
    _spacing(p, line=int(FOOTER_PT * 20 * 1.2))
    if odd:
        _align(p, "right")
        _indent(p, right=FOOTER_PT * 20)
    else:
        _align(p, "left")
        _indent(p, left=FOOTER_PT * 20)
    _add_run(p, "— ", SONG, FOOTER_PT, spacing=None)
    for kind in ("begin", None, "separate", "1", "end"):
        r = OxmlElement("w:r")
        r.append(_rpr(SONG, FOOTER_PT, spacing=None))
        if kind in ("begin", "separate", "end"):
            r.append(_el("w:fldChar", fldCharType=kind))
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = kind
            r.append(t)
        p._p.append(r)
    _add_run(p, " —", SONG, FOOTER_PT, spacing=None)


def _page_numbers(section) -> None:  # type: ignore[no-untyped-def]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _footer_paragraph(section.footer.paragraphs[0], odd=True)
    _footer_paragraph(section.even_page_footer.paragraphs[0], odd=False)


# ---------------------------------------------------------------- 版头

JOINT_NAME_SHARE = 0.78  # joint issuance: organ names left, 文件 in the remaining column


def mark_size(organs: tuple[str, ...], suffix: str) -> float:
    """Largest size (≤ 52 pt) at which the longest line of the organ mark fits the 版心."""
    if len(organs) == 1:
        return float(min(52, int(BODY_W_PT * 0.96 / max(len(organs[0]) + len(suffix), 1))))
    room = BODY_W_PT * (JOINT_NAME_SHARE if suffix else 1.0)
    return float(min(52, int(room * 0.96 / max(len(o) for o in organs))))


def _head(doc: DocxDocument, head: Head) -> None:
    used = 0
    for text, face in ((head.copy_number, FANG), (head.secrecy, HEI), (head.urgency, HEI)):
        if text:
            p = _new_paragraph(doc)
            _indent(p)
            _align(p, "left")
            _add_run(p, text, face)
            used += LINE
    size = mark_size(head.organs, head.mark_suffix)
    line = int(size * 20 * 1.15)
    # LibreOffice sets the glyphs' top edge about 0.42 em below the top of an exact
    # line of 1.15 em (measured: 4.4 mm at 30 pt)
    before = max(0, int(MARK_TOP_MM / 25.4 * 1440) - used - int(size * 20 * 0.42))
    if len(head.organs) == 1:
        p = _new_paragraph(doc)
        _spacing(p, line=line, before=before)
        _align(p, "center")
        _add_run(p, head.organs[0] + head.mark_suffix, XBS, size, RED, spacing=None)
    else:
        _joint_mark(doc, head, size, line, before)
    for _ in range(2):
        _new_paragraph(doc)
    p = _new_paragraph(doc)
    if head.signer:
        _align(p, "left")
        _indent(p, left=CHAR, right=CHAR)
        _set(_ppr(p), _tabs(int(BODY_W_PT * 20) - CHAR))
        _add_run(p, head.number + "\t签发人：")
        _add_run(p, head.signer, KAI)
    else:
        _align(p, "center")
        _add_run(p, head.number)
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_el("w:bottom", val="single", sz="12", space="4", color=RED))
    _set(_ppr(p), pbdr)
    for _ in range(2):
        _new_paragraph(doc)


def _template_head(doc: DocxDocument, head: Head) -> None:
    """An office's own red head: a docxtpl template rendered in a sandbox, its body copied
    in front of the document. Text, tables and borders are copied; pictures are refused
    because their relationships would not come along."""
    import copy

    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    assert head.template is not None
    name = head.template.name
    try:
        template = DocxTemplate(str(head.template))
        template.render({
            "organs": list(head.organs), "mark": head.organs[0] + head.mark_suffix, "number": head.number,
            "signer": head.signer or "", "copy_number": head.copy_number or "", "secrecy": head.secrecy or "",
            "urgency": head.urgency or "",
        }, jinja_env=SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
    except TemplateError as exc:
        raise RenderError(f"head template {name}: {exc}") from None
    except Exception as exc:  # a damaged or non-DOCX file
        raise RenderError(f"head template {name} cannot be read: {exc}") from None
    elements = [el for el in template.docx.element.body if el.tag != qn("w:sectPr")]
    for el in elements:
        for attr in (qn("r:embed"), qn("r:id"), qn("r:link")):
            if any(node.get(attr) for node in el.iter()):
                raise RenderError(f"head template {name} holds pictures or links; fawen copies text, "
                                  "tables and borders only (draw the red rule as a paragraph border)")
    end = doc.element.body.find(qn("w:sectPr"))
    for el in elements:
        end.addprevious(copy.deepcopy(el))
    for _ in range(2):  # the title stands two lines below the red rule (7.3.1)
        _new_paragraph(doc)


def _tabs(position: int) -> Element:
    tabs = OxmlElement("w:tabs")
    tabs.append(_el("w:tab", val="right", pos=str(position)))
    return tabs


def _joint_mark(doc: DocxDocument, head: Head, size: float, line: int, before: int) -> None:
    """Joint issuance: organs stacked (lead organ first), 文件 centred to their right."""
    spacer = _new_paragraph(doc)
    _spacing(spacer, line=max(before, 20))
    table = doc.add_table(rows=len(head.organs), cols=2 if head.mark_suffix else 1)
    names_w = int(BODY_W_PT * 20 * JOINT_NAME_SHARE)
    _table_layout(table, [names_w, int(BODY_W_PT * 20) - names_w] if head.mark_suffix
                  else [int(BODY_W_PT * 20)])
    for i, organ in enumerate(head.organs):
        cell = table.cell(i, 0)
        p = cell.paragraphs[0]
        _spacing(p, line=line)
        _align(p, "distribute")
        _add_run(p, organ, XBS, size, RED, spacing=None)
    if head.mark_suffix:
        merged = table.cell(0, 1).merge(table.cell(len(head.organs) - 1, 1))
        tc_pr = merged._tc.get_or_add_tcPr()
        tc_pr.append(_el("w:vAlign", val="center"))
        p = merged.paragraphs[0]
        _spacing(p, line=line)
        _align(p, "center")
        _add_run(p, head.mark_suffix, XBS, size, RED, spacing=None)


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


# ---------------------------------------------------------------- body blocks

def _seal_indents(signature: str, date: str) -> tuple[int, int]:
    """With a seal: date right-indented 4 characters, signature centred over the date."""
    d, s = text_width(date), text_width(signature)
    date_right = 4
    sig_right = max(0.0, date_right + d / 2 - s / 2)
    return int(sig_right * CHAR), date_right * CHAR


def _plain_indents(signature: str, date: str) -> tuple[int, int]:
    """Without a seal: signature right-indented 2; the date starts 2 characters further right."""
    d, s = text_width(date), text_width(signature)
    sig_right = 2.0
    date_right = max(0.0, sig_right + s - 2 - d)
    return int(sig_right * CHAR), int(date_right * CHAR)


def _paragraph(doc: DocxDocument, b: Block, page_break: bool, layout: Layout) -> Paragraph:
    p = _new_paragraph(doc)
    if page_break:
        _set(_ppr(p), _el("w:pageBreakBefore"))
    role = b.role
    runs: tuple[Run, ...] = b.runs
    if b.change:  # the paragraph mark itself is inserted or deleted
        rpr = OxmlElement("w:rPr")
        rpr.append(_mark(f"w:{b.change}"))
        _ppr(p).append(rpr)
    if role == "title":
        # one grid line per title line: the line grid would give a 22 pt line two
        _set(_ppr(p), _el("w:snapToGrid", val="0"))
        _align(p, "center")
        _indent(p)
        if b.runs:
            for run in runs:
                _add_run(p, run.text, XBS, 22, spacing=None, change=run.change)
        else:
            _add_run(p, "\n".join(b.lines), XBS, 22, spacing=None)
        return p
    if role in ("body", "h1", "h2", "annotation"):
        _indent(p, first=2 * CHAR)
    elif role == "attachment-note":
        # GB/T 9704 7.3.4: a long name wraps under its own first character. “附件：” takes 3
        # characters after the 2-character indent; with several, “1.” and a tab 2 more
        numbered = "\t" in b.text
        _indent(p, left=(7 if numbered else 5) * CHAR, hanging=(5 if numbered else 3) * CHAR)
    elif role == "attachment-more":
        _indent(p, left=7 * CHAR, hanging=2 * CHAR)  # “2.” under “1.”, the name under the name
    elif role in ("to", "attachment-label", "blank", "seal-space"):
        _indent(p)
    if role in ("h1", "h2"):
        _set(_ppr(p), _el("w:keepNext"))  # a heading never ends a page
        _set(_ppr(p), _el("w:keepLines"))
    if role in ("seal-space", "signature", "signature-seal") or (
            role.startswith("date") and any(x.role == "annotation" for x in layout.blocks)):
        _set(_ppr(p), _el("w:keepNext"))  # seal room, 署名, 成文日期 and 附注 stay together
    if role in ("signature", "date", "signature-seal", "date-seal"):
        signature = next(x.text for x in layout.blocks if x.role.startswith("signature") and x.runs)
        sig, date = (_seal_indents if role.endswith("seal") else _plain_indents)(signature, layout.date)
        _align(p, "right")
        _indent(p, right=sig if role.startswith("signature") else date)
    for run in runs:
        _add_run(p, run.text, run.face, change=run.change)
    return p


COLOPHON_CHARS = int((BODY_W_PT - 2 * FOOTER_PT) / FOOTER_PT)  # 4号 characters between the indents: 29


def _colophon_rows(colophon: Colophon) -> list[tuple[str, int]]:
    """The list rows of the 版记 (主送 when moved here, 抄送) and the lines each takes.

    Continuation lines hang under the text after the label (“抄送：”), so they hold
    three characters fewer.
    """
    rows = []
    for label, names in (("主送：", colophon.to), ("抄送：", colophon.cc)):
        if names:
            text = label + "，".join(names) + "。"
            extra = max(0.0, text_width(text) - COLOPHON_CHARS)
            rows.append((text, 1 + math.ceil(extra / (COLOPHON_CHARS - 3))))
    return rows


def colophon_lines(colophon: Colophon) -> int:
    return sum(lines for _, lines in _colophon_rows(colophon)) + 1


def _colophon(doc: DocxDocument, colophon: Colophon) -> None:
    """版记: thick rule, 主送/抄送 (thin rules between), 印发机关 … 印发日期印发, thick rule; 4号仿宋."""
    width = int(BODY_W_PT * 20)
    lists = _colophon_rows(colophon)
    table = doc.add_table(rows=len(lists) + 1, cols=2)
    date_cells = text_width(f"{colophon.printed_date}印发") + 2   # text plus one character each side
    right_w = int(date_cells * FOOTER_PT * 20) + 40
    _table_layout(table, [width - right_w, right_w])
    thick, thin = "8", "6"  # eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm

    def border(cell, top: str | None, bottom: str | None) -> None:  # type: ignore[no-untyped-def]
        tc_pr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        borders.append(_el("w:top", val="single", sz=top, space="0", color="000000") if top
                       else _el("w:top", val="nil"))
        borders.append(_el("w:left", val="nil"))
        borders.append(_el("w:bottom", val="single", sz=bottom, space="0", color="000000") if bottom
                       else _el("w:bottom", val="nil"))
        borders.append(_el("w:right", val="nil"))
        tc_pr.append(borders)
        tc_pr.append(_el("w:vAlign", val="center"))

    def row_height(index: int, lines: int, slack: int = 0) -> None:
        tr_pr = table.rows[index]._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))
        tr_pr.append(_el("w:trHeight", val=str(lines * LINE - slack), hRule="exact"))

    for r, (text, lines) in enumerate(lists):
        cell = table.cell(r, 0).merge(table.cell(r, 1))
        border(cell, thick if r == 0 else None, thin)
        p = cell.paragraphs[0]
        _spacing(p, line=LINE - 30 if lines > 1 else int(FOOTER_PT * 20 * 1.25))
        _indent(p, left=FOOTER_PT * 20 * 4, right=FOOTER_PT * 20, hanging=FOOTER_PT * 20 * 3)
        _add_run(p, text, FANG, FOOTER_PT, spacing=None)
        row_height(r, lines, slack=20)  # LibreOffice adds the rules' width to exact rows
    r = len(lists)
    left, right = table.cell(r, 0), table.cell(r, 1)
    border(left, None if lists else thick, thick)
    border(right, None if lists else thick, thick)
    for cell, text, side in ((left, colophon.printed_by, "left"), (right, f"{colophon.printed_date}印发", "right")):
        p = cell.paragraphs[0]
        _spacing(p, line=int(FOOTER_PT * 20 * 1.25))
        _align(p, side)
        _indent(p, left=FOOTER_PT * 20 if side == "left" else 0, right=FOOTER_PT * 20 if side == "right" else 0)
        _add_run(p, text, FANG, FOOTER_PT, spacing=None)
    row_height(r, 1, slack=40)  # the rules' width plus 1 pt to spare: never pushed to a new page


# ---------------------------------------------------------------- whole document

def render(layout: Layout, placement: Placement | None, picture: bytes | None = None) -> bytes:
    """The DOCX bytes; with `placement` None the 版记 is left out (for measuring).
    A `picture` (PNG) is set after the blocks, as wide as the 版心 and never taller."""
    with RENDER_LOCK:
        return _render(layout, placement, picture)


def _render(layout: Layout, placement: Placement | None, picture: bytes | None) -> bytes:
    if layout.revision:
        _REVISION.state = (*layout.revision, itertools.count(1))
    doc = new_document()
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    _setup(doc, layout)
    _page_numbers(doc.sections[0])
    if layout.head and layout.head.template:
        _template_head(doc, layout.head)
    elif layout.head:
        _head(doc, layout.head)
    page_break = False
    first_part = True
    for b in layout.blocks:
        if b.role == "page-break":
            page_break, first_part = True, False
            continue
        p = _paragraph(doc, b, page_break, layout)
        if first_part and layout.first_part_pitch:
            _set(_ppr(p), _el("w:snapToGrid", val="0"))  # off the 579-twip grid, or it snaps back
            _spacing(p, line=layout.first_part_pitch)
        page_break = False
    if picture is not None:
        _picture(doc, picture)
    turned = _appendices(doc, layout)
    if layout.colophon and placement is not None:
        if turned and placement.new_page and not placement.blank_page:
            # after landscape table pages the 版记 page is a portrait page of its own section
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(new)
            _page_numbers(new)
            placement = Placement(placement.filler)
        if placement.blank_page:
            # a section of its own, without page numbers: the blank page and the 版记 page
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            new.footer.is_linked_to_previous = False
            new.even_page_footer.is_linked_to_previous = False
            _page(new)
            _new_paragraph(doc)  # the blank page's only (empty) line
        for i in range(max(placement.filler, 1 if placement.new_page else 0)):
            p = _new_paragraph(doc)
            if i == 0 and placement.new_page:
                _set(_ppr(p), _el("w:pageBreakBefore"))
        _colophon(doc, layout.colophon)
    _fix_last_paragraph(doc)
    return package_bytes(doc)


def _appendices(doc: DocxDocument, layout: Layout) -> bool:
    """Further attachments bound with the notice: each on a new page, 附件N on line 1, its
    title on line 3; a 任务分解表 on landscape pages of its own section. True when the
    document now ends on landscape pages."""
    from . import table_docx

    landscape = False
    for appendix in layout.appendices:
        if appendix.table is not None or landscape:
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(new)
            if appendix.table is not None:
                table_docx.landscape(new)
            else:
                _page_numbers(new)
            first_break = False
        else:
            first_break = True
        label = _new_paragraph(doc)
        if first_break:
            _set(_ppr(label), _el("w:pageBreakBefore"))
        _indent(label)
        _add_run(label, appendix.label, HEI)
        _new_paragraph(doc)
        if appendix.table is not None:
            table_docx.title(doc, appendix.title)
            rows, names, all_text, columns = appendix.table
            table_docx.add_table(doc, rows, names, all_text, columns,
                                 table_docx.used_above(appendix.title, label=True))
            landscape = True
            continue
        landscape = False
        _paragraph(doc, Block("title", lines=title_lines(appendix.title)), False, layout)
        _new_paragraph(doc)
        for b in appendix.blocks:
            _paragraph(doc, b, False, layout)
        if appendix.chart is not None:
            from . import roadmap
            _picture(doc, roadmap.chart(appendix.chart))
    return landscape


def _picture(doc: DocxDocument, png: bytes) -> None:
    from PIL import Image
    width, height = Image.open(io.BytesIO(png)).size
    scale = min(156 / width, 185 / height)  # mm per pixel: fits the 版心 below a two-line title
    p = _new_paragraph(doc)
    _set(_ppr(p), _el("w:snapToGrid", val="0"))
    _spacing(p, line=240, rule="auto")
    _align(p, "center")
    _indent(p)
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width * scale), height=Mm(height * scale))


def _fix_last_paragraph(doc: DocxDocument) -> None:
    """A document ending in a table needs a final paragraph; hide it so it adds no page."""
    body = doc.element.body
    last = [c for c in body if c.tag != qn("w:sectPr")][-1]
    if last.tag == qn("w:tbl"):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(_el("w:snapToGrid", val="0"))  # else the line grid gives it a whole line
        ppr.append(_el("w:spacing", before="0", after="0", line="20", lineRule="exact"))
        rpr = OxmlElement("w:rPr")
        rpr.append(_el("w:vanish"))
        rpr.append(_el("w:sz", val="2"))
        ppr.append(rpr)
        p.append(ppr)
        last.addnext(p)


ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _FixedTimeZip:
    """python-docx's physical package writer, with fixed timestamps and file modes."""

    def __init__(self, stream: io.BytesIO):
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, name: PackURI, blob: bytes) -> None:
        info = zipfile.ZipInfo(name.membername, ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()


def package_bytes(doc: DocxDocument) -> bytes:
    """The DOCX package written once, deterministically (python-docx's own save stamps the
    current time on every part; re-zipping its output cost a second compression)."""
    from docx.opc.pkgwriter import PackageWriter
    package = doc.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    steps: Any = PackageWriter  # python-docx's own (untyped) writing steps, fed our zip writer
    steps._write_content_types_stream(writer, parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, parts)
    writer.close()
    return out.getvalue()


def deterministic_zip(data: bytes) -> bytes:
    """Same parts, same order, fixed timestamps: identical input gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
