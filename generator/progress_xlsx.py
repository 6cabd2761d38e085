"""The Excel 报表 of a reporting period: `fawen progress template` writes it, departments fill
it in, `fawen progress import` reads it back into `progress/<period>.yaml`.

Sheets: 说明 (plan, 报告期 in B2, 报送日期 in B3), 累计数 (a row per department of the plan's
registry, a column per indicator: the counts cumulative to the period's end), 上年同期 (the
indicators with previous-year values) and 任务进展 (a row per task: 状态 from a drop-down list,
日期, 说明). Row 2 of the count sheets holds the indicator ids the columns are read by.
The template is filled with the period's data, or the latest earlier period's, so a
department updates its row instead of retyping it; a blank row means “not reported”, while a
blank, merged or formula-without-value cell in a row that reports is an error (it would count 0
and lower the cumulative figures).

Import checks every cell and reports one problem per bad cell as
`FILE.xlsx!累计数!C7: error: …; fix`; nothing is written unless every cell is good. The data
carries, under "_sheet", the file, the cell each value came from (so a rule checked later on the
YAML points back at the cell) and warnings (rows identical to the last period's).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import PlanError, Position, Problem
from .load import Source
from .model import Invalid, Plan
from .model.progress import DONE, MAX_COUNT_DIGITS, STATUSES, ProgressPeriod, parse_count, period_span

INFO, COUNTS, PREVIOUS, TASKS = "说明", "累计数", "上年同期", "任务进展"
TASK_HEAD = ("任务编号", "重点任务", "牵头单位", "完成时限", "状态", "日期", "说明")
FIRST_ROW = 3  # rows 1-2: header and indicator ids


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem in one cell of a workbook, printed FILE.xlsx!Sheet!C7 (position: the file and
    sheet as its path, the cell's row and column, so problems sort sheet by sheet)."""

    cell: str = ""

    def __str__(self) -> str:
        from .errors import printable
        text = f"{self.position.path}!{self.cell}: {self.severity}: {self.message}"
        return printable(text + (f"; {self.hint}" if self.hint else ""))


def cell_problem(file: str, sheet: str, row: int, col: int, message: str, hint: str) -> CellProblem:
    from openpyxl.utils import get_column_letter
    return CellProblem(Position(f"{file}!{sheet}", row, col), message, hint, cell=f"{get_column_letter(col)}{row}")


# ---------------------------------------------------------------- import

def read(path: Path, source: Source) -> tuple[dict[str, Any], list[Problem]]:
    """The workbook → the data of a progress file, and one problem per bad cell."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from .load import display
    file = display(path)
    try:
        book = load_workbook(path, data_only=True)
        formulas = load_workbook(path)  # a formula's text: its saved value may be missing
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PlanError([Problem(Position(file, 1, 1), f"cannot read the workbook: {exc}",
                                 "give the .xlsx that `fawen progress template` wrote, filled in")]) from None
    plan = source.plan
    problems: list[Problem] = []
    needed = (INFO, COUNTS, *((PREVIOUS,) if any(i.previous_year for i in plan.indicators) else ()), TASKS)
    missing = [s for s in needed if s not in book.sheetnames]
    if missing:
        raise PlanError([Problem(Position(file, 1, 1), f"the workbook has no sheet {', '.join(missing)}",
                                 "start from the sheet `fawen progress template` writes")])

    def bad(sheet: str, r: int, c: int, msg: str, hint: str) -> None:
        problems.append(cell_problem(file, sheet, r, c, msg, hint))

    cells: dict[tuple[Any, ...], tuple[str, int, int]] = {("period",): (INFO, 2, 2), ("reported",): (INFO, 3, 2)}
    warnings: list[Problem] = []
    info = book[INFO]
    period = _text(info.cell(2, 2).value)
    span = None
    try:
        if not period:
            raise Invalid("the reporting period is empty", "write it as text, e.g. 2021-10")
        span = period_span(period)
        if span[0] < plan.period.first_day or span[1] > plan.period.last_day:
            raise Invalid(f"reporting period {period} lies outside the campaign {plan.period.start}.."
                          f"{plan.period.end}", "report a period of the campaign (行动期限)")
    except Invalid as exc:
        bad(INFO, 2, 2, str(exc), exc.hint)
    reported = _date(info.cell(3, 2).value)
    if isinstance(reported, str):
        bad(INFO, 3, 2, f"'{reported}' is not a date", "write the day as 2021-10-05, or leave it empty")
        reported = None
    data: dict[str, Any] = {"period": period}
    if reported:
        data["reported"] = reported
    registry = source.registry.names() if source.registry else {}
    indicators = {i.id: i for i in plan.indicators}
    earlier = sorted((p for p in plan.progress if span and p.last_day < span[1]), key=lambda p: p.last_day)
    sheets = [(COUNTS, "counts")] + ([(PREVIOUS, "previous_year")] if PREVIOUS in book.sheetnames else [])
    for sheet, key in sheets:
        sheets_of = _Sheet(book[sheet], formulas[sheet], sheet, file, key)
        data[key] = _counts(sheets_of, registry, indicators, earlier, problems, cells, warnings)
    carried: dict[str, Any] = {}
    for p in earlier:
        carried.update({k: v.model_dump(exclude_none=True) for k, v in p.tasks.items()})
    data["tasks"] = _tasks(book[TASKS], file, plan, span[1] if span else None, problems, carried, cells)
    data["_sheet"] = {"file": file, "cells": cells, "warnings": warnings}
    return data, problems


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)


@dataclass(frozen=True)
class _Sheet:
    """A count sheet: its saved values, its formulas, and where problems are reported."""

    values: Any
    formulas: Any
    name: str
    file: str
    key: str  # counts or previous_year


def _counts(sheet: _Sheet, registry: dict[str, str], indicators: dict[str, Any], earlier: list[ProgressPeriod],
            problems: list[Problem], cells: dict[tuple[Any, ...], tuple[str, int, int]],
            warnings: list[Problem]) -> dict[str, dict[str, Decimal]]:
    ws, key = sheet.values, sheet.key

    def bad(r: int, c: int, msg: str, hint: str) -> None:
        problems.append(cell_problem(sheet.file, sheet.name, r, c, msg, hint))

    columns: dict[int, str] = {}
    for c in range(3, ws.max_column + 1):
        ind = _text(ws.cell(2, c).value)
        if not ind and not _text(ws.cell(1, c).value):
            continue
        if ind in columns.values():
            bad(2, c, f"indicator '{ind}' has two columns", "keep one column per indicator")
        elif ind not in indicators:
            bad(2, c, f"unknown indicator '{ind}'", f"use the ids of the plan: {', '.join(indicators)}")
        elif key == "previous_year" and not indicators[ind].previous_year:
            bad(2, c, f"indicator '{ind}' has no previous-year values", "leave it out of this sheet")
        else:
            columns[c] = ind
    renamed = any(_text(ws.cell(2, c).value) not in columns.values() for c in range(3, ws.max_column + 1)
                  if _text(ws.cell(2, c).value))
    for ind in indicators.values():  # a column deleted would count 0 for every department
        if not renamed and ind.id not in columns.values() and (key == "counts" or ind.previous_year):
            bad(2, ws.max_column + 1, f"indicator {ind.id} ({ind.name}) has no column",
                f"add its column back, with {ind.id} in row 2, as the template has it")
    before: dict[str, dict[str, Decimal]] = {}
    for p in earlier:
        before.update({d: dict(row) for d, row in getattr(p, key).items()})
    out: dict[str, dict[str, Decimal]] = {}
    seen: set[str] = set()
    same: list[tuple[int, str]] = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        dept = _text(ws.cell(r, 1).value)
        values = {c: v for c in columns if (v := ws.cell(r, c).value) is not None and _text(v) != ""}
        empty = {c: _empty_kind(sheet, r, c) for c in columns if c not in values}
        if not dept and not values and not any(k == "formula" for k in empty.values()):
            continue
        if registry and dept not in registry:
            import difflib
            near = difflib.get_close_matches(dept, list(registry), n=1, cutoff=0.5)
            bad(r, 1, f"unknown department id '{dept}'",
                (f"did you mean '{near[0]}'? " if near else "") + "use the ids the template lists")
            continue
        if dept in out or dept in seen:
            bad(r, 1, f"department '{dept}' has a second row", "keep one row per department")
            continue
        seen.add(dept)
        if not values and all(k == "blank" for k in empty.values()):
            continue  # a row left entirely blank: not reported this period
        cells[(key, dept)] = (sheet.name, r, 1)
        row: dict[str, Decimal] = {}
        for c, kind in empty.items():
            name = indicators[columns[c]].name
            bad(r, c, *{"blank": (f"{name} of {dept} is blank", "write the cumulative count, 0 if none"),
                        "merged": (f"{name} of {dept} is in merged cells", "unmerge and write one count per cell"),
                        "formula": (f"{name} of {dept} is a formula without a saved value",
                                    "open and save the sheet in Excel/WPS, or type the number")}[kind])
        for c, raw in values.items():
            ind = indicators[columns[c]]
            cells[(key, dept, ind.id)] = (sheet.name, r, c)
            try:
                number = _cell_number(raw, ind.decimals)
            except Invalid as exc:
                bad(r, c, f"{ind.name} of {dept}: {exc}", exc.hint)
                continue
            was = before.get(dept, {}).get(ind.id)
            if key == "counts" and was is not None and number < was:
                bad(r, c, f"{ind.name} of {dept} fell from {was} to {number}",
                    "counts are cumulative to the period's end (截至期末累计)")
                continue
            places = -int(number.as_tuple().exponent)
            row[ind.id] = number.quantize(Decimal(1).scaleb(-ind.decimals)) if places < ind.decimals else number
        for c, ind_id in columns.items():
            whole = indicators[ind_id].part_of
            if whole and ind_id in row and whole in row and row[ind_id] > row[whole]:
                bad(r, c, f"{indicators[ind_id].name} {row[ind_id]} exceeds {indicators[whole].name} "
                    f"{row[whole]} of {dept}", f"{ind_id} is a part of {whole}: correct one of the two")
        if dept in before and len(row) == len(columns) and all(
                before[dept].get(i, Decimal(0)) == v for i, v in row.items()):
            same.append((r, dept))
        out[dept] = row
    if same:  # the template carries the last period's rows: unchanged, they may never have been updated
        names = ", ".join(d for _r, d in same)
        message, hint = (
            (f"{len(same)} department(s) report exactly the counts of the last period: {names}",
             "check that they really reported (no change); a row left blank means not reported")
            if key == "counts" else
            (f"{len(same)} department(s) give exactly the previous-year values of the last period: {names}",
             "the year-ago figures (上年同期) must be those of the same period a year earlier; "
             "update them, or the 同比 compares against the wrong month"))
        warnings.append(CellProblem(Position(f"{sheet.file}!{sheet.name}", same[0][0], 1), message, hint,
                                    severity="warning", cell=f"A{same[0][0]}"))
    return out


def _empty_kind(sheet: _Sheet, r: int, c: int) -> str:
    """Why a cell reads as blank: merged into another, a formula never computed, or empty."""
    from openpyxl.cell.cell import MergedCell
    if isinstance(sheet.values.cell(r, c), MergedCell):
        return "merged"
    formula = sheet.formulas.cell(r, c)
    if formula.data_type == "f" or (isinstance(formula.value, str) and formula.value.startswith("=")):
        return "formula"
    return "blank"


_DECIMAL = re.compile(r"\d+(\.\d+)?")


def _cell_number(raw: Any, decimals: int) -> Decimal:
    """A count cell → its exact number; too many decimals or digits are said as such (a float
    cell such as 1e20 or 10.0000001 is a number, only not one a count can be)."""
    text = _raw_number(raw)
    if _DECIMAL.fullmatch(text):
        whole, _dot, fraction = text.partition(".")
        if len(whole.lstrip("0")) > MAX_COUNT_DIGITS:
            raise Invalid(f"{text} is too large", f"a count has at most {MAX_COUNT_DIGITS} digits before the "
                          "point; check the number (no unit such as 万 in the cell)")
        if len(fraction.rstrip("0") if isinstance(raw, float) else fraction) > decimals:
            places = len(fraction)
            raise Invalid(f"{text} has {places} decimals (at most {decimals})",
                          f"round it to {decimals} decimals" if decimals else "round it to a whole number")
    return parse_count(text)


def _raw_number(raw: Any) -> str:
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        text = repr(raw)
        if "e" in text or "E" in text:  # 1e+20, 1e-07: written out in full
            text = format(Decimal(text), "f")
        return text[:-2] if text.endswith(".0") else text
    return str(raw).strip()


def _tasks(ws: Any, file: str, plan: Plan, end: date | None, problems: list[Problem],
           carried: dict[str, Any], cells: dict[tuple[Any, ...], tuple[str, int, int]]) -> dict[str, Any]:
    """Task rows → {id: {status, date, note}}; a row as an earlier period left it is not repeated."""
    def bad(r: int, c: int, msg: str, hint: str) -> None:
        problems.append(cell_problem(file, TASKS, r, c, msg, hint))

    tasks = {t.id: t for g in plan.task_groups for t in g.tasks}
    out: dict[str, Any] = {}
    for r in range(2, ws.max_row + 1):
        task_id = _text(ws.cell(r, 1).value)
        status = _text(ws.cell(r, 5).value)
        day = _date(ws.cell(r, 6).value)
        note = _text(ws.cell(r, 7).value)
        if not status and day is None and not note:
            continue
        if task_id not in tasks:
            bad(r, 1, f"unknown task id '{task_id}'", "use the ids the template lists")
            continue
        if status not in STATUSES:
            bad(r, 5, f"'{status}' is not a status" if status else f"task {task_id} has a date or note but no status",
                f"choose one of {'、'.join(STATUSES)}")
            continue
        due = tasks[task_id].deadline.due if tasks[task_id].deadline else None  # type: ignore[union-attr]
        if status == "逾期" and end is not None and (due is None or due >= end):
            bad(r, 5, f"task {task_id} is marked 逾期 but its deadline has not passed by {end}",
                "choose 推进中; a task becomes 逾期 only after its deadline")
            continue
        entry: dict[str, Any] = {"status": status}
        if isinstance(day, str):
            bad(r, 6, f"'{day}' is not a date", "write the day as 2021-09-28")
            continue
        if day is None and status in DONE:
            bad(r, 6, f"task {task_id} is {status} without a date", "write the day it was done")
            continue
        if day is not None:
            if (end and day > end) or day < plan.period.first_day:
                bad(r, 6, f"date {day} is outside the campaign or after the period's end", "check the date")
                continue
            entry["date"] = day
        if note:
            entry["note"] = note
        if carried.get(task_id) != entry:
            out[task_id] = entry
            cells.update({("tasks", task_id): (TASKS, r, 1), ("tasks", task_id, "status"): (TASKS, r, 5),
                          ("tasks", task_id, "date"): (TASKS, r, 6), ("tasks", task_id, "note"): (TASKS, r, 7)})
    return out
