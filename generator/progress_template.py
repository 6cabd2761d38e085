"""`fawen progress template`: the Excel 报表 of a reporting period, for departments to fill in.

The sheets and their layout are progress_xlsx's (which reads them back). The template is filled
with the period's data, or the latest earlier period's, so a department updates its row instead
of retyping it; its bytes depend only on the plan and the period.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .load import Source
from .model import Plan
from .model.progress import STATUSES, ProgressPeriod, period_span
from .progress_xlsx import COUNTS, FIRST_ROW, INFO, PREVIOUS, TASK_HEAD, TASKS


def _seed(plan: Plan, period: str) -> ProgressPeriod | None:
    """The data to start from: the period itself, else the latest period before it."""
    end = period_span(period)[1]
    same = [p for p in plan.progress if p.period == period]
    earlier = sorted((p for p in plan.progress if p.last_day < end), key=lambda p: p.last_day)
    return same[0] if same else (earlier[-1] if earlier else None)


def template(source: Source, period: str, path: Path) -> None:
    """Write the 报表 of `period` for the plan (counts, previous year, task statuses)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    plan = source.plan
    seed = _seed(plan, period)
    depts = source.registry.registry.departments if source.registry else []
    book = Workbook()
    info = book.active
    assert info is not None
    info.title = INFO
    bold, grey = Font(bold=True), Font(color="808080", size=9)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    reported = seed.reported if seed and seed.period == period else None
    for r, (label, value) in enumerate((("方案", plan.id), ("报告期", period), ("报送日期", reported),
                                        ("方案标题", plan.title)), start=1):
        info.cell(r, 1, label).font = bold
        cell = info.cell(r, 2, value)
        cell.number_format = "@" if r != 3 else "yyyy-mm-dd"
    info.cell(6, 1, "填写说明").font = bold
    notes = ("“累计数”“上年同期”填写截至报告期末的累计数（数字，不带单位）；整行空白表示本期未报送。",
             "“任务进展”的状态从下拉列表选择；已完成、办结销号须填日期（年-月-日）。",
             "第2行的指标编号和第1列的单位编号用于导入，请勿修改。")
    for k, note in enumerate(notes, start=7):
        info.cell(k, 1, note)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 48

    def count_sheet(title: str, indicators: list[Any], data: dict[str, dict[str, Decimal]]) -> None:
        ws = book.create_sheet(title)
        ws.append(["单位编号", "单位名称", *[f"{i.name}（{i.unit}）" for i in indicators]])
        ws.append(["指标编号", "", *[i.id for i in indicators]])
        for c in range(1, len(indicators) + 3):
            ws.cell(1, c).font, ws.cell(1, c).fill = bold, head_fill
            ws.cell(1, c).alignment = Alignment(wrap_text=True, horizontal="center")
            ws.cell(2, c).font = grey
        for d in depts:
            row = data.get(d.id)  # a reported row shows 0 for an indicator left out (it counts 0)
            ws.append([d.id, d.name, *[_number(row.get(i.id, Decimal(0))) if row else None for i in indicators]])
            for c, ind in enumerate(indicators, start=3):
                ws.cell(ws.max_row, c).number_format = "0." + "0" * ind.decimals if ind.decimals else "0"
        check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                               showErrorMessage=True, errorTitle="数值", error="请填写不小于0的数字")
        ws.add_data_validation(check)
        if indicators:
            from openpyxl.utils import get_column_letter
            check.add(f"C{FIRST_ROW}:{get_column_letter(len(indicators) + 2)}{max(len(depts), 1) + 2 + 200}")
        ws.freeze_panes = "C3"
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 12, 26

    count_sheet(COUNTS, list(plan.indicators), dict(seed.counts) if seed else {})
    previous = [i for i in plan.indicators if i.previous_year]
    if previous:
        count_sheet(PREVIOUS, previous, dict(seed.previous_year) if seed else {})
    ws = book.create_sheet(TASKS)
    ws.append(list(TASK_HEAD))
    for c in range(1, len(TASK_HEAD) + 1):
        ws.cell(1, c).font, ws.cell(1, c).fill = bold, head_fill
    latest: dict[str, Any] = {}
    for p in sorted((p for p in plan.progress if p.last_day <= period_span(period)[1]), key=lambda p: p.last_day):
        latest.update(p.tasks)
    names = source.registry.names() if source.registry else {}
    from .model import effective
    for group in plan.task_groups:
        for task in group.tasks:
            lead, _ = effective(task, group)
            got = latest.get(task.id)
            ws.append([task.id, task.title or task.text[:30], "、".join(names.get(d, d) for d in lead),
                       task.deadline.display if task.deadline else "", got.status if got else None,
                       got.date if got else None, got.note if got else None])
            ws.cell(ws.max_row, 6).number_format = "yyyy-mm-dd"
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态", error="请从列表中选择状态")
    ws.add_data_validation(status)
    status.add(f"E2:E{max(ws.max_row, 2) + 200}")
    ws.freeze_panes = "B2"
    for col, width in zip("ABCDEFG", (22, 24, 24, 14, 10, 12, 40), strict=True):
        ws.column_dimensions[col].width = width
    import io

    from .files import atomic_write
    from .render.package import deterministic_zip
    from .render.xlsx import _fixed_times
    stamp = datetime.combine(period_span(period)[1], datetime.min.time())  # the same sheet, the same bytes
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, deterministic_zip(_fixed_times(buffer.getvalue(), stamp)))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent == 0 else float(value)
