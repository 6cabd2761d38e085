"""Progress of a campaign as data: indicators, computed figures, reporting periods.

A plan declares its counted `indicators` (排查隐患 项, 已整改 项, 罚款 万元 …) and the
`figures` computed from them (整改率 = 已整改 / 排查隐患, 同比, 环比 …) once; each reporting
period is a YAML file beside the plan (`progress/2021-09.yaml`, pulled in with
`progress: [- include: progress/2021-09.yaml]`) holding, per department or town, the
counts **cumulative to the period's end** (截至期末累计, as 简报 and 统计表 report them), the
same figures for the same date of the previous year where the indicator has one, and the
status of tasks. Values stay the text the user typed until here: a count becomes a
Decimal, never a float, so 351/407 is computed exactly.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from .. import chinese
from .fields import Flag, Id, Invalid, IsoDate, Model, Text, _kind, _text_list, clip

STATUSES = ("未启动", "推进中", "已完成", "逾期", "办结销号")
DONE = ("已完成", "办结销号")
FIGURE_KINDS = ("rate", "sum", "share", "yoy", "mom")
MAX_COUNT_DIGITS = 12  # 万亿: enough for any count or 万元 sum a county reports


def _decimals(value: Any) -> int:
    if value in ("0", "1", "2", 0, 1, 2):
        return int(value)
    raise Invalid(f"decimals must be 0, 1 or 2, found {_kind(value)}",
                  "declare the rounding once: 0 (整数), 1 (一位小数) or 2 (两位小数)")


_NUMBER = re.compile(rf"\d{{1,{MAX_COUNT_DIGITS}}}(\.\d{{1,6}})?")


def parse_count(value: Any) -> Decimal:
    """A count as typed: a non-negative number, never a float (rounding is exact)."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
    if text is None:
        raise Invalid(f"expected a number, found {_kind(value)}", "write the count as digits, e.g. 407")
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        raise Invalid(f"count {text} is negative", "counts are 0 or more; write the number found, e.g. 0")
    if not _NUMBER.fullmatch(text):
        raise Invalid(f"'{clip(text)}' is not a number",
                      "write digits only (no unit, no thousands separator), e.g. 407 or 12.5")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise Invalid(f"'{clip(text)}' is not a number", "write digits only") from None


Decimals = Annotated[int, BeforeValidator(_decimals), WithJsonSchema({"enum": [0, 1, 2]})]
Count = Annotated[Decimal, BeforeValidator(parse_count),
                  WithJsonSchema({"type": "number", "minimum": 0})]
Counts = dict[Id, dict[Id, Count]]
IdList = Annotated[list[Id], BeforeValidator(_text_list),
                   WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"},
                                                                 "minItems": 1}]})]


# ---------------------------------------------------------------- reporting periods

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_HALF = re.compile(r"(\d{4})-(\d{2})-H([12])")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")
PERIOD_FORMS = "a month 2021-09, a half-month 2021-09-H1 / 2021-09-H2, a quarter 2021-Q3 " \
               "or a date range 2021-09-01..2021-09-20"
_QUARTER_NAMES = "一二三四"


def period_span(text: str) -> tuple[date, date, str]:
    """A period id → (first day, last day, how a document names it). Raises Invalid."""
    try:
        if m := _MONTH.fullmatch(text):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), chinese.month_end(y, mo), f"{y}年{mo}月"
        if m := _HALF.fullmatch(text):
            y, mo, half = int(m[1]), int(m[2]), m[3]
            if half == "1":
                return date(y, mo, 1), date(y, mo, 15), f"{y}年{mo}月上半月"
            return date(y, mo, 16), chinese.month_end(y, mo), f"{y}年{mo}月下半月"
        if m := _QUARTER.fullmatch(text):
            y, q = int(m[1]), int(m[2])
            end = chinese.month_end(y, 3 * q)
            return date(y, 3 * q - 2, 1), end, f"{y}年第{_QUARTER_NAMES[q - 1]}季度"
        if m := _RANGE.fullmatch(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start:
                raise Invalid(f"period {text} ends before it starts", "write the earlier date first")
            return start, end, f"{chinese.format_date(start)}至{chinese.format_date(end)}"
    except ValueError:
        raise Invalid(f"period '{clip(text)}' is not a real date", "check the month and the day") from None
    raise Invalid(f"'{clip(text)}' is not a reporting period", f"write {PERIOD_FORMS}")


def _period_id(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a reporting period, found {_kind(value)}", f"write {PERIOD_FORMS}")
    start, end, _ = period_span(value)
    if not (1949 <= start.year and end.year <= 2100):
        raise Invalid(f"period '{value}' is out of range", "check the year")
    return value


PeriodId = Annotated[str, BeforeValidator(_period_id),
                     WithJsonSchema({"type": "string", "examples": ["2021-09", "2021-09-H1", "2021-Q3",
                                                                    "2021-09-01..2021-09-20"]})]


# ---------------------------------------------------------------- declarations in the plan

class Indicator(Model):
    """A counted quantity every department reports (排查隐患 项)."""

    id: Id = Field(title="编号", description="稳定编号，进展数据中以此填报，如 found")
    name: Text = Field(title="指标名称", description="文件中的写法，也是正文引用的名称，如 排查隐患（{{ 排查隐患 }}）")
    unit: Text = Field(title="单位", description="如 项、家次、起、人、万元")
    decimals: Decimals = Field(0, title="小数位数", description="填报和文中书写的小数位数：0、1 或 2（四舍五入）")
    previous_year: Flag = Field(False, title="有上年同期数",
                                description="true：各报告期可填上年同期累计数（previous_year），用于同比")
    part_of: Id | None = Field(None, title="所属指标",
                               description="本指标是另一指标的一部分（如 已整改 属于 排查隐患），不得大于它")


class FigureDecl(Model):
    """A figure computed from indicators, referenced by name in documents (`{{ 整改率 }}`)."""

    name: Text = Field(title="名称", description="正文中以 {{ 名称 }} 引用，如 整改率")
    kind: Literal["rate", "sum", "share", "yoy", "mom"] = Field(
        title="算法", description="rate 比率（of / over）、sum 合计（of 各指标之和）、share 各单位占全区的比重、"
                                "yoy 同比（与上年同期比）、mom 环比（本期新增与上期新增比）")
    of: IdList = Field(title="指标", description="所用指标的编号；sum 可列多个，其余一个")
    over: Id | None = Field(None, title="分母指标", description="rate 的分母指标编号，如 found")
    decimals: Decimals = Field(1, title="小数位数", description="百分数保留的小数位数：0、1 或 2（四舍五入）")
    unit: Text | None = Field(None, title="单位", description="sum 的单位，默认沿用第一个指标的单位")
    rank: Flag = Field(False, title="排名", description="true：按本指标给各单位排名（前三名、后三名）")


# ---------------------------------------------------------------- one reporting period

class TaskProgress(Model):
    """Where one task stands at the end of a period."""

    status: Literal["未启动", "推进中", "已完成", "逾期", "办结销号"] = Field(
        title="状态", description="未启动、推进中、已完成、逾期 或 办结销号")
    date: IsoDate | None = Field(None, title="日期", description="状态发生的日期（已完成、办结销号须写），YYYY-MM-DD")
    note: Text | None = Field(None, title="说明", description="进展说明，如 评估报告已通过专家评审")


class ProgressPeriod(Model):
    """progress/<period>.yaml: one reporting period of a plan."""

    schema_: str | None = Field(None, alias="$schema", exclude=True, title="模式地址",
                                description="编辑器用的 JSON Schema 地址（单独的进展数据文件）")
    period: PeriodId = Field(title="报告期",
                             description="月 2021-09、半月 2021-09-H1/H2、季度 2021-Q3 或日期段 2021-09-01..2021-09-20")
    reported: IsoDate | None = Field(None, title="报送日期", description="数据汇总报送的日期，YYYY-MM-DD")
    counts: Counts = Field(default_factory=dict, title="累计数",
                           description="各单位（部门编号）截至期末的各指标累计数：部门编号 → 指标编号 → 数值")
    previous_year: Counts = Field(default_factory=dict, title="上年同期数",
                                  description="各单位上年同一日期的累计数（仅限有上年同期数的指标），用于同比")
    tasks: dict[Id, TaskProgress] = Field(default_factory=dict, title="任务进展",
                                          description="任务编号 → 期末的状态、日期和说明；未写的任务沿用上期状态")

    @property
    def first_day(self) -> date:
        return period_span(self.period)[0]

    @property
    def last_day(self) -> date:
        return period_span(self.period)[1]

    @property
    def label(self) -> str:
        return period_span(self.period)[2]


def days_between(due: date, end: date) -> int:
    """Days overdue at `end` for a task due on `due` (0 when not yet due)."""
    return max((end - due) // timedelta(days=1), 0)
