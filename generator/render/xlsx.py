"""Task rows → an Excel ledger (openpyxl): what staff filter, sort and update.

Sheet 任务分解表: one row per task and per measure, deadlines both as written and as real
date cells, frozen header, filters, widths that fit Chinese text. Sheet 部门责任: one row
per department and task with its role, so a department filters its own list cleanly. Sheet
日期安排: a row per day a deadline falls due (each occurrence of 每月5日前), in date order.
Deterministic: fixed document properties and zip times.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from ..model import Plan
from ..tables import Row, deadlines_of, names, responsibilities, rows
from ..titles import one_line
from .package import deterministic_zip

HEADER = ["序号", "专题/行业领域", "任务编号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "截止日期"]
WIDTHS = [7, 24, 18, 22, 60, 24, 40, 16, 12]
BOLD = Font(name="SimSun", bold=True)
BODY = Font(name="SimSun")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(plan: Plan) -> list[str]:
    """The group column is headed by the plan's own group kinds (专题/行业领域 unless it declares
    others, 工作措施/保障措施), or 分组 when they are too many or too long to head a column."""
    kinds = "/".join(plan.group_kinds)
    return [HEADER[0], kinds if len(plan.group_kinds) <= 3 and len(kinds) <= 12 else "分组", *HEADER[2:]]


def _styles(wb: Workbook) -> None:
    """Two named styles, registered once: giving every cell its font and alignment one by one
    made openpyxl compare style objects for each cell (most of a ledger's time)."""
    wb.add_named_style(NamedStyle("fawen-head", font=BOLD, fill=HEAD_FILL,
                                  alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)))
    wb.add_named_style(NamedStyle("fawen-body", font=BODY, alignment=Alignment(vertical="top", wrap_text=True)))
    wb.add_named_style(NamedStyle("fawen-date", font=BODY, alignment=Alignment(vertical="top", wrap_text=True),
                                  number_format="yyyy-mm-dd"))


def _sheet(ws, header: list[str], widths: list[int], data: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    ws.append(header)
    for cell in ws[1]:
        cell.style = "fawen-head"
    for values in data:
        ws.append(values)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.style = "fawen-date" if isinstance(cell.value, datetime) else "fawen-body"
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"


def _date(row: Row) -> datetime | None:
    return datetime(row.due.year, row.due.month, row.due.day) if row.due else None


def _days(plan: Plan, registry: dict[str, str]) -> list[list[object]]:
    """Sheet 日期安排: a row for every day a task or measure falls due, in date order — each
    occurrence of a recurring deadline (每月5日前), the computed day of a working-day one."""
    found = deadlines_of(plan)
    out: list[tuple[date, tuple[int, ...], list[object]]] = []
    for r in rows(plan):
        deadline = found.get((r.task_id, r.measure_id))
        if deadline is None or (r.measure_id and deadline is found.get((r.task_id, ""))):
            continue  # ongoing, or a measure under its task's deadline: the task's row has the days
        days = deadline.days
        for k, day in enumerate(days, 1):
            out.append((day, tuple(int(x) for x in r.number.split(".")),
                        [datetime(day.year, day.month, day.day), r.number, r.measure_id or r.task_id, r.title,
                         names(r.lead, registry, plan.all_support), r.deadline,
                         f"{k}/{len(days)}" if len(days) > 1 else ""]))
    return [values for _day, _number, values in sorted(out, key=lambda x: (x[0], x[1]))]


def workbook(plan: Plan, registry: dict[str, str], order: list[str]) -> bytes:
    wb = Workbook()
    _styles(wb)
    ws = wb.active
    assert ws is not None
    ws.title = "任务分解表"
    data: list[list[object]] = [[r.number, r.group, r.measure_id or r.task_id, r.title, r.text,
             names(r.lead, registry, plan.all_support), names(r.support, registry, plan.all_support),
             r.deadline, _date(r)] for r in rows(plan)]
    header, widths = _header(plan), WIDTHS
    if plan.progress:  # the latest reporting period's status of each task (figures.ledger_status)
        from ..figures import ledger_status
        label, status = ledger_status(plan)
        header, widths = [*header, f"进展状态（{label}）", "状态日期", "进展说明"], [*WIDTHS, 16, 12, 40]
        data = [[*v, *status.get(str(v[2]), ["", None, ""])] for v in data]
    _sheet(ws, header, widths, data)

    duties = wb.create_sheet("部门责任")
    duty_rows: list[list[object]] = []
    for duty in responsibilities(plan, order):
        for role, items in (("牵头", duty.leads), ("配合", duty.supports)):
            for r in items:
                duty_rows.append([registry.get(duty.department, duty.department), role, r.number, r.task_id,
                                  r.title, r.deadline, _date(r)])
    _sheet(duties, ["单位", "职责", "序号", "任务编号", "重点任务", "完成时限", "截止日期"],
           [24, 8, 7, 18, 30, 16, 12], duty_rows)
    _sheet(wb.create_sheet("日期安排"), ["日期", "序号", "任务编号", "重点任务", "牵头单位", "完成时限", "次数"],
           [12, 7, 18, 30, 24, 22, 10], _days(plan, registry))

    props = wb.properties
    props.title = f"{one_line(plan.title)}任务分解表"
    props.creator = plan.issuer.name
    props.lastModifiedBy = plan.issuer.name
    stamp = datetime(plan.period.first_day.year, plan.period.first_day.month, 1)
    props.created = props.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return deterministic_zip(_fixed_times(out.getvalue(), stamp))


def _fixed_times(data: bytes, stamp: datetime) -> bytes:
    """openpyxl stamps `modified` with the time of saving; put the plan's own date back."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), blob)
            dst.writestr(info, blob)
    return out.getvalue()
