"""A statistics grid (进展情况统计表, 督办清单) → a DOCX of landscape A4 pages.

The page is the 任务分解表's (render/table_docx.py: the 版心 turned, the binding side on top,
turned page numbers); the title in 小标宋, a line saying the period and the source under it,
then the table: head row in 黑体 repeated on every page, 小四 仿宋 cells, figures centred,
rows never split, the totals row in 黑体; the cells the layout marks (overdue) in red.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from ..layout import FANG, HEI, Layout
from ..layout_progress import Grid
from . import package, table_docx
from . import page as base

CELL_PT = 10.5  # 五号: a statistics table of many columns is set smaller than a task table


def _cell(cell, text: str, face: str, center: bool, color: str | None) -> None:  # type: ignore[no-untyped-def]
    p = cell.paragraphs[0]
    base._spacing(p, line=int(CELL_PT * 20 * 1.3))
    base._set(base._ppr(p), base._el("w:snapToGrid", val="0"))
    base._indent(p)
    if center:
        base._align(p, "center")
    base._add_run(p, text, face, CELL_PT, color, spacing=None)


def add_grid(doc, grid: Grid) -> None:  # type: ignore[no-untyped-def]
    """The table: head row (repeated), body rows, totals row; red cells as the grid says."""
    widths = [int(mm / 25.4 * 1440) for _, mm in grid.columns]
    table = doc.add_table(rows=1 + len(grid.rows), cols=len(grid.columns))
    base._table_layout(table, widths)
    table_docx._borders(table)
    for r, tr in enumerate(table._tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(base._el("w:cantSplit"))
        if r == 0:
            tr_pr.append(base._el("w:tblHeader"))
    for r, row in enumerate(table.rows):
        texts = [h for h, _ in grid.columns] if r == 0 else list(grid.rows[r - 1])
        bold = r == 0 or (grid.total and r == len(grid.rows))
        for c, (cell, text) in enumerate(zip(table_docx._cells(row, table), texts, strict=True)):
            red = r > 0 and (r - 1, c) in grid.red
            _cell(cell, text, HEI if bold else FANG, center=r == 0 or c not in grid.left,
                  color=base.RED if red else None)


def render(lay: Layout, grid: Grid) -> bytes:
    with base.RENDER_LOCK:
        return _render(lay, grid)


def _render(lay: Layout, grid: Grid) -> bytes:
    doc = package.new_document()
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    package._setup(doc, lay)
    table_docx.landscape(doc.sections[0])
    table_docx.title(doc, lay.heading, lay.terms)
    if grid.note:
        p = base._new_paragraph(doc)
        base._set(base._ppr(p), base._el("w:snapToGrid", val="0"))
        base._spacing(p, line=int(CELL_PT * 20 * 1.6))
        base._indent(p)
        base._align(p, "left")
        base._add_run(p, grid.note, FANG, 12, spacing=None)
    add_grid(doc, grid)
    for line in grid.after:
        p = base._new_paragraph(doc)
        base._set(base._ppr(p), base._el("w:snapToGrid", val="0"))
        base._spacing(p, line=int(CELL_PT * 20 * 1.5))
        base._indent(p)
        base._add_run(p, line, FANG, 12, spacing=None)
    package._fix_last_paragraph(doc)
    return package.package_bytes(doc)
