"""Statistics grids (进展情况统计表, 逾期任务, 督办清单) → an Excel workbook (openpyxl).

One sheet per grid, in the order given: the period line over the head row, figures as
numbers (a rate as the fraction of its rounded percentage with a “%” format, days overdue with “天”), so the
sheet can be summed and sorted and shows the very figures of the DOCX and PDF; the cells the
grid marks (overdue) in red; frozen head row and filters. Deterministic: fixed properties and
zip times.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..layout import Layout
from ..layout_progress import Grid
from .package import deterministic_zip
from .xlsx import _fixed_times

HEAD = Font(name="SimSun", bold=True)
BODY = Font(name="SimSun")
RED = Font(name="SimSun", color="FFFF0000")
RED_BOLD = Font(name="SimSun", bold=True, color="FFFF0000")
FILL = PatternFill("solid", fgColor="DDEBF7")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?")
_UNIT = re.compile(r"(\d+)(?:\.(\d+))?(%|天)")


def cell_value(text: str) -> tuple[object, str | None]:
    """A grid cell's text → (value, number format): 407 → 407, 86.2% → 0.862 with 0.0%,
    12天 → 12 with 0"天"; anything else stays text."""
    if m := _NUMBER.fullmatch(text):
        number = Decimal(text)
        return (int(number) if m[2] is None else float(number)), ("0" if m[2] is None else "0." + "0" * len(m[2]))
    if m := _UNIT.fullmatch(text):
        places = len(m[2]) if m[2] else 0
        digits = "0" + ("." + "0" * places if places else "")
        if m[3] == "%":  # a percentage as Excel keeps one: the fraction, shown with a % format
            return float(Decimal(text[:-1]) / 100), f"{digits}%"
        value: object = float(Decimal(text[:-1])) if places else int(text[:-1])
        return value, f'{digits}"{m[3]}"'
    return text, None


def workbook(lay: Layout, sheets: dict[str, Grid]) -> bytes:
    wb = Workbook()
    first = True
    for name, grid in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        first = False
        ws.append([grid.note])
        ws["A1"].font = BODY
        ws.append([h for h, _ in grid.columns])
        for cell in ws[2]:
            cell.font, cell.fill = HEAD, FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r, row in enumerate(grid.rows):
            total = grid.total and r == len(grid.rows) - 1
            for c, text in enumerate(row):
                value, fmt = cell_value(text)
                cell = ws.cell(row=r + 3, column=c + 1, value=value)
                red = (r, c) in grid.red
                cell.font = (RED_BOLD if total else RED) if red else (HEAD if total else BODY)
                if fmt:
                    cell.number_format = fmt
                cell.alignment = Alignment(vertical="center", wrap_text=True,
                                           horizontal="left" if c in grid.left else "center")
        for i, (_, mm) in enumerate(grid.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(6, round(mm / 2.2))
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{get_column_letter(len(grid.columns))}{max(ws.max_row, 2)}"
        for line in grid.after:
            ws.append([line])
    props = wb.properties
    props.title = lay.title
    props.creator = lay.author
    props.lastModifiedBy = lay.author
    stamp = _stamp(lay.date)
    props.created = props.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return deterministic_zip(_fixed_times(out.getvalue(), stamp))


def _stamp(date: str) -> datetime:
    """2021年9月30日 → that day (the document's date), for fixed properties."""
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date)
    return datetime(int(m[1]), int(m[2]), int(m[3])) if m else datetime(2000, 1, 1)
