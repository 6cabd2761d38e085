"""版记 (GB/T 9704 7.4): 抄送 (and a 主送 moved here), 印发机关 and 印发日期 between thick,
thin and thick rules at the bottom of an even last page; where it goes is decided from the
measured or estimated last page (Placement)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement

from ..chinese import text_width
from ..layout import FANG, Colophon
from .page import BODY_W_PT, FOOTER_PT, LINE, LINES_PER_PAGE, _add_run, _align, _el, _indent, _spacing, _table_layout


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
