"""Task rows → the 任务分解表 as a DOCX of landscape A4 pages.

The landscape 版心 is the portrait one turned: 225 × 156 mm, the binding side (订口) at the
top, so on odd pages the table head is on the binding side, and the page numbers stay where
portrait pages have them, turned with the page (GB/T 9704 clause 8). Columns
序号 · 重点任务 · 具体措施 · 牵头单位 · 配合单位 · 完成时限, as wide as their content asks and together
the 版心's width (table_columns.py); a row per task group spanning the table, its name and kind
(专题, 行业领域 or the plan's own label); the header row repeats on every page and no row is split
across pages.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ..layout import FANG, HEI, LANDSCAPE_TITLE_CHARS, XBS, Layout, title_lines
from ..tables import Row
from . import package, table_columns
from . import page as base
from .table_columns import HEADERS, sized

CELL_PT = 12  # 小四: a table may use a smaller size than the body text


def _cell_text(cell, text: str, face: str = FANG, center: bool = False,  # type: ignore[no-untyped-def]
               align: str | None = None) -> None:
    """A cell's text in 小四; `align` "left" for lines ended by breaks, which a justified
    paragraph would stretch letter by letter."""
    p = cell.paragraphs[0]
    base._spacing(p, line=int(CELL_PT * 20 * 1.3))
    base._set(base._ppr(p), base._el("w:snapToGrid", val="0"))
    base._indent(p)
    if center or align:
        base._align(p, "center" if center else str(align))
    base._add_run(p, text, face, CELL_PT, spacing=None)


def _borders(table) -> None:  # type: ignore[no-untyped-def]
    pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(base._el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    base._set(pr, borders, base.TBL_PR_ORDER)  # replaces _table_layout's, in schema order
    margins = pr.find(qn("w:tblCellMar"))
    if margins is not None:
        for el in list(margins):
            el.set(qn("w:w"), "80")


def _emu(mm: float) -> str:
    return str(int(mm * 36000))


# GB/T 9704 clause 8: page numbers stay where portrait pages have them. With the table head on
# the binding side, the portrait bottom edge is the landscape page's left edge, so the number
# stands there, turned a quarter: 7 mm below the portrait 版心 is 23–28 mm from the left edge;
# odd pages end it 1 character in from the portrait right (179 mm down), even pages start it
# 1 character in from the portrait left (33 mm down).
BOX_X, BOX_W, BOX_H = 23.7, 6.0, 30.0
ODD_BOX_Y, EVEN_BOX_Y = 179.1 - BOX_H, 32.9


def _pt(mm: float) -> str:
    return f"{mm * 72 / 25.4:.2f}pt"


def _number_box(odd: bool) -> str:
    """The turned page number: a DrawingML text box (wps, Word 2010 on, LibreOffice) in an
    mc:AlternateContent whose fallback is the same box in VML, as Word writes it; a bare wps
    shape is outside ISO/IEC 29500, which admits only schema-known content in a:graphicData."""
    y = ODD_BOX_Y if odd else EVEN_BOX_Y
    font = '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/><w:sz w:val="28"/></w:rPr>'
    field = (f'<w:r>{font}<w:t xml:space="preserve">— </w:t></w:r>'
             f'<w:r>{font}<w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r>{font}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             f'<w:r>{font}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{font}<w:t>1</w:t></w:r>'
             f'<w:r>{font}<w:fldChar w:fldCharType="end"/></w:r><w:r>{font}<w:t xml:space="preserve"> —</w:t></w:r>')
    paragraph = f'<w:p><w:pPr><w:jc w:val="{"right" if odd else "left"}"/></w:pPr>{field}</w:p>'
    return (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{_emu(BOX_X)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{_emu(y)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{_emu(BOX_W)}" cy="{_emu(BOX_H)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{900 + int(odd)}" name="page number"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{_emu(BOX_W)}" cy="{_emu(BOX_H)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{paragraph}'
        '</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" '
        'bIns="0" anchor="ctr"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
        '</w:drawing></mc:Choice><mc:Fallback><w:pict>'
        f'<v:rect style="position:absolute;margin-left:{_pt(BOX_X)};margin-top:{_pt(y)};width:{_pt(BOX_W)};'
        f'height:{_pt(BOX_H)};z-index:1;mso-position-horizontal-relative:page;mso-position-vertical-relative:page;'
        'v-text-anchor:middle" filled="f" stroked="f"><v:textbox style="layout-flow:vertical" inset="0,0,0,0">'
        f'<w:txbxContent>{paragraph}</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>')


def _turned_page_numbers(section) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        p = footer.paragraphs[0]
        base._spacing(p, line=20)
        p._p.append(parse_xml(_number_box(odd)))


def landscape(section) -> None:  # type: ignore[no-untyped-def]
    """A landscape A4 section: the 版心 turned (225 × 156 mm, binding side on top), page
    numbers turned along the left edge."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    section.footer_distance = Mm(12)
    _turned_page_numbers(section)


def _cells(row, table) -> list:  # type: ignore[no-untyped-def,type-arg]
    """A new row's cells, straight from its XML (python-docx's row.cells walks the whole
    table's grid on every call, which made a long table quadratic)."""
    from docx.table import _Cell
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def add_table(doc, rows: list[Row], registry: dict[str, str], all_text: str,  # type: ignore[no-untyped-def]
              columns: list[str], first_page_used_pt: float = 0.0) -> None:
    """The table; a long one as several that each begin on a new page with their own head
    row, where the head would repeat anyway (see plan_pages: LibreOffice lays one table out
    in time growing with the square of its pages)."""
    _, starts = plan_pages(rows, registry, all_text, columns, first_page_used_pt)
    widths, specs = sized(rows, registry, all_text, columns)
    table = _new_table(doc, columns, list(widths))
    first = table
    models: dict[str, Any] = {}
    for index, (kind, values) in enumerate(specs):
        if index in starts:
            table = _continued(first, table)
        _add_row(table, kind, values, columns, models)


def _new_table(doc, columns: list[str], widths: list[int]):  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=1, cols=len(columns))
    base._table_layout(table, widths)
    _borders(table)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(base._el("w:cantSplit"))
    tr_pr.append(base._el("w:tblHeader"))  # repeated at the top of every page
    for cell, key in zip(_cells(header, table), columns, strict=True):
        _cell_text(cell, HEADERS[key], HEI, center=True)
    return table


def _continued(first: Any, last: Any) -> Any:
    """A new table on a new page after `last`: the first table's properties, grid and head row.
    The paragraph between them (needed, or Word joins the tables) starts the page and takes
    no room."""
    from docx.table import Table
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(base._el("w:pageBreakBefore"))
    ppr.append(base._el("w:snapToGrid", val="0"))
    ppr.append(base._el("w:spacing", before="0", after="0", line="20", lineRule="exact"))
    p.append(ppr)
    tbl = OxmlElement("w:tbl")
    for child in first._tbl:
        tbl.append(copy.deepcopy(child))
        if child.tag == qn("w:tr"):
            break  # properties, grid and the head row
    last._tbl.addnext(p)
    p.addnext(tbl)
    return Table(tbl, last._parent)


def _add_row(table, kind: str, values: dict[str, str], columns: list[str],  # type: ignore[no-untyped-def]
             models: dict[Any, Any]) -> None:
    """One row below the head. The first row of each kind and shape (line breaks in each cell)
    is built element by element; the others are copies of it with their own texts (building
    each cell anew was most of a long table's time)."""
    texts = [values["text"]] if kind == "group" else [values[k] for k in columns]
    shape = (kind, tuple(t.count("\n") for t in texts))
    model = models.get(shape)
    if model is not None:
        tr = copy.deepcopy(model)
        pieces = [piece for text in texts for piece in text.split("\n")]
        for t, text in zip(tr.iter(qn("w:t")), pieces, strict=True):
            t.text = text
        table._tbl.append(tr)
        return
    row = table.add_row()
    row._tr.get_or_add_trPr().append(base._el("w:cantSplit"))
    cells = _cells(row, table)
    if kind == "group":
        merged = cells[0].merge(cells[-1])
        _cell_text(merged, values["text"], HEI)
        base._set(base._ppr(merged.paragraphs[0]), base._el("w:keepNext"))  # never last on a page
    else:
        for cell, key in zip(cells, columns, strict=True):
            _cell_text(cell, values[key], center=key in ("number", "deadline"),
                       align="left" if key in ("lead", "support") else None)
    if not any("\t" in t for t in texts):  # (a tab would be a w:tab, not a piece of w:t)
        models.setdefault(shape, row._tr)


# How LibreOffice sets the table (measured on its PDFs): each row as tall as its fullest cell
# (exact 1.3-em lines) plus the 0.5 pt rule; a page's table starts 4.3 pt below the top of the
# 版心 and takes rows while they end above its bottom; a row never splits and a 专题 heading
# row goes with the row after it.
ROW_LINE_PT = CELL_PT * 1.3
RULE_PT = 0.5
TABLE_OFFSET_PT = 4.3
LANDSCAPE_BODY_PT = 156 / 25.4 * 72  # the turned 版心's height
# and rows end at least this far above its bottom (measured: a row ending 438.1 pt below the top
# of the 版心 stays, one ending at 438.35 moves on)
BOTTOM_GAP_PT = 4.0
LANDSCAPE_WIDTH_PT = 225 / 25.4 * 72  # and width


def _row_height(lines: int) -> float:
    return lines * ROW_LINE_PT + RULE_PT


def _cell_lines(text: str, twips: int) -> int:
    """Lines of a cell's text: its width less the 4 pt margins, in 12 pt cells; each line
    break (between packed department names) starts a new one."""
    cap = (twips - table_columns.MARGIN) / table_columns.CHAR
    return sum(base.lines_needed(line, 0, cap) for line in text.split("\n"))


# LibreOffice lays one table out in time that grows with the square of its pages (measured:
# 1,000 rows 3 s, 2,000 rows 17 s, 5,000 rows past the 120 s timeout); tables of a few pages
# each cost the same per row. So a table longer than this starts again on a new page.
CHUNK_PAGES = 20


def used_above(text: str, label: bool, terms: tuple[str, ...] = ()) -> float:
    """What stands above the table on its first page: 附件N and an empty line when it is bound
    to a notice, then its title (as title() breaks it) and an empty line, a grid line each."""
    lines = len(title_lines(text, LANDSCAPE_TITLE_CHARS, terms))
    return ((2 if label else 0) + lines + 1) * base.LINE / 20


def plan_pages(rows: list[Row], registry: dict[str, str], all_text: str, columns: list[str],
               first_page_used_pt: float = 0.0) -> tuple[int, set[int]]:
    """The pages the table takes, counted the way LibreOffice sets it, and the rows (indices
    into sized's rows) where a new table starts on a new page; `first_page_used_pt`: what stands
    above it on its first page.

    A new table starts every CHUNK_PAGES pages, one row (or heading and row) before the page
    would end: its own head row stands where the repeated head would, and a count that is
    one row off can only leave a row of room, never a page with a single row on it.
    """
    widths, specs = sized(rows, registry, all_text, columns)
    width = dict(zip(columns, widths, strict=True))
    header = _row_height(max(_cell_lines(HEADERS[k], width[k]) for k in columns))
    span = sum(widths)  # a 专题 row spans the table
    units: list[tuple[int, float]] = []  # (first row, height): a heading goes with the row it heads
    pending: tuple[int, float] | None = None
    for i, (kind, values) in enumerate(specs):
        if kind == "group":
            height = _row_height(_cell_lines(values["text"], span))
            pending = (pending or (i, 0.0))[0], (pending or (i, 0.0))[1] + height
            continue
        height = _row_height(max(_cell_lines(values[k], width[k]) for k in columns))
        units.append((pending[0], pending[1] + height) if pending else (i, height))
        pending = None
    if pending:
        units.append(pending)
    top = TABLE_OFFSET_PT + header
    pages, used, chunk_start, on_page = 1, first_page_used_pt + top, 1, 0
    starts: set[int] = set()
    for k, (_, height) in enumerate(units):
        if used + height > LANDSCAPE_BODY_PT - BOTTOM_GAP_PT and used > top + 0.01:
            pages += 1
            before, used, on_page = on_page, top, 0
            if pages - chunk_start >= CHUNK_PAGES and before >= 2:
                # the new table takes the last unit of the page before along
                starts.add(units[k - 1][0])
                used += units[k - 1][1]
                on_page = 1
                chunk_start = pages
        used += height
        on_page += 1
    return pages, starts


def pages_needed(rows: list[Row], registry: dict[str, str], all_text: str, columns: list[str],
                 first_page_used_pt: float = 0.0) -> int:
    """How many landscape pages the table takes (see plan_pages)."""
    return plan_pages(rows, registry, all_text, columns, first_page_used_pt)[0]


def title(doc, text: str, terms: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    """The table's title, broken for the turned 版心 (title_lines: words kept whole; a title
    written with line breaks keeps them)."""
    p = base._new_paragraph(doc)
    base._align(p, "center")
    base._indent(p)
    base._set(base._ppr(p), base._el("w:snapToGrid", val="0"))
    base._add_run(p, "\n".join(title_lines(text, LANDSCAPE_TITLE_CHARS, terms)), XBS, 22, spacing=None)
    base._new_paragraph(doc)


def render(lay: Layout, rows: list[Row], registry: dict[str, str], all_text: str,
           columns: list[str]) -> bytes:
    with base.RENDER_LOCK:
        return _render(lay, rows, registry, all_text, columns)


def _render(lay: Layout, rows: list[Row], registry: dict[str, str], all_text: str, columns: list[str]) -> bytes:
    doc = package.new_document()
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    package._setup(doc, lay)
    landscape(doc.sections[0])
    title(doc, lay.heading, lay.terms)
    add_table(doc, rows, registry, all_text, columns, used_above(lay.heading, False, lay.terms))
    _end_paragraph(doc)
    package._fix_last_paragraph(doc)
    return package.package_bytes(doc)


def _end_paragraph(doc: Any) -> None:
    """The paragraph a document must end with after its table: hidden, and only a twip high
    (package._fix_last_paragraph's 1 pt one makes a blank page when the last row ends within
    1 pt of the room LibreOffice leaves, BOTTOM_GAP_PT)."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(base._el("w:snapToGrid", val="0"))
    ppr.append(base._el("w:spacing", before="0", after="0", line="1", lineRule="exact"))
    rpr = OxmlElement("w:rPr")
    rpr.append(base._el("w:vanish"))
    rpr.append(base._el("w:sz", val="2"))
    ppr.append(rpr)
    p.append(ppr)
    doc.element.body.find(qn("w:sectPr")).addprevious(p)
