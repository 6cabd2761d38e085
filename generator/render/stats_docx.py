"""A statistics grid (进展情况统计表, 督办清单) → a DOCX of landscape A4 pages.

The page is the 任务分解表's (render/table_docx.py: the 版心 turned, the binding side on top,
turned page numbers); the title in 小标宋, a line saying the period and the source under it,
then the table: head row in 黑体 repeated on every page, 小四 仿宋 cells, figures centred,
rows never split, the totals row in 黑体; the cells the layout marks (overdue) in red.
"""

from __future__ import annotations

import itertools
import math

from docx.oxml.ns import qn

from ..chinese import text_width
from ..layout import FANG, HEI, Layout
from ..layout_progress import Grid
from . import package, table_docx
from . import page as base

CELL_PT = 10.5  # 五号: a statistics table of many columns is set smaller than a task table
CHAR = int(CELL_PT * 20)  # twips: one character of the cells
CELL_MARGIN = 40  # twips each side: 2 pt, half a task table's, so that many narrow columns hold their heads
MARGIN = 2 * CELL_MARGIN + CHAR // 4  # twips: the cell margins, and a quarter character to spare
WHOLE = 8  # characters of a name or text cell kept on one line when the columns allow
MIN_CHARS = 2  # a head's line is never narrower than two characters (排查 / 隐患, not 排 / 查 / 隐 / 患)


def _chunks(line: str, cap: float) -> list[str]:
    """A head line too wide for its column, cut into near-equal pieces (督导检查 → 督导 / 检查)
    rather than wherever the last character happens to fall."""
    if text_width(line) <= cap or len(line) <= 3 or line.startswith("（"):  # 整改率, （万元） stay whole
        return [line]
    k = min(len(line) // 2, math.ceil(text_width(line) / max(cap, 1.0)))  # no piece of one character
    size, extra = divmod(len(line), k)
    cuts = [0]
    for i in range(k):
        cuts.append(cuts[-1] + size + (1 if i < extra else 0))
    return [line[a:b] for a, b in itertools.pairwise(cuts)]


def fitted(grid: Grid) -> tuple[list[int], list[str]]:
    """Column widths (twips, adding up to the layout's) and head texts that fit them: a figure
    column holds its widest figure unbroken and its head in lines of two characters or more;
    the width that takes comes from the columns with the most to spare (the names, the texts)."""
    widths = [int(mm / 25.4 * 1440) for _, mm in grid.columns]
    need = []
    for c, (head, _) in enumerate(grid.columns):
        cells = [row[c] for row in grid.rows]
        words = [text_width(w) for line in head.split("\n") for w in _chunks(line, MIN_CHARS)]
        # a figure stays whole; so does a name or short text (自然资源分局) up to WHOLE characters
        figures = [text_width(v) if c not in grid.left else min(text_width(v), WHOLE) for v in cells]
        need.append(MARGIN + math.ceil(CHAR * max([MIN_CHARS, *words, *figures])))
    for c in range(len(widths)):
        while widths[c] < need[c]:
            donor = max(range(len(widths)), key=lambda d: widths[d] - need[d])
            if donor == c or widths[donor] - need[donor] <= 0:
                break
            step = min(need[c] - widths[c], widths[donor] - need[donor])
            widths[c] += step
            widths[donor] -= step
    heads = ["\n".join(piece for line in head.split("\n") for piece in _chunks(line, (w - MARGIN) / CHAR))
             for (head, _), w in zip(grid.columns, widths, strict=True)]
    return widths, heads


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
    widths, heads = fitted(grid)
    table = doc.add_table(rows=1 + len(grid.rows), cols=len(grid.columns))
    base._table_layout(table, widths)
    table_docx._borders(table)
    for side in table._tbl.tblPr.find(qn("w:tblCellMar")):
        side.set(qn("w:w"), str(CELL_MARGIN))
    for r, tr in enumerate(table._tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(base._el("w:cantSplit"))
        if r == 0:
            tr_pr.append(base._el("w:tblHeader"))
    for r, row in enumerate(table.rows):
        texts = heads if r == 0 else list(grid.rows[r - 1])
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
    if not grid.after:  # the table ends the document: a hairline end paragraph, not a blank page
        table_docx._end_paragraph(doc)
    package._fix_last_paragraph(doc)
    return package.package_bytes(doc)
