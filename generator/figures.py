"""Campaign figures computed from progress data — the only place a number in a document comes from.

Pure: no I/O. Counts are cumulative to each period's end (see model/progress.py); every
figure is computed from them with `decimal.Decimal` and rounded **half up** (四舍五入, as
official documents round: 86.235 % → 86.24 %), once, with the decimals declared on the
indicator or figure, so a table, a 简报 and a 通报 can never disagree.

API (what layout and the renderers import):

    from generator import figures
    f = figures.compute(plan, "2021-09", registry)   # a Registry, a mapping id → name, or None (ids)
    f.period, f.label, f.first_day, f.last_day        # "2021-09", "2021年9月", dates
    f.totals["found"]        -> Value  str() "407项"; .number Decimal (exact); .plain "407"
    f.increments["found"]    -> Value  this period's increase (本期新增)
    f.previous_year["accidents"] -> Value  same date a year earlier (indicators with previous_year)
    f.figures["整改率"]       -> Value  "86.2%"; 同比/环比 → Change "下降50.0%" (.difference "减少2起")
    f.departments            -> list[DeptFigures], by kind, then registry order: .id .name .short .reported
                                .values[indicator id] .figures[figure name] .tasks .overdue
    f.rankings["整改率"]      -> Ranking: .top / .bottom lists of RankEntry(rank, dept, value)
    f.overdue                -> list[Overdue] (task, lead names, deadline, due, days) as of the period's end
    f.behind                 -> list[DeptFigures] leading an overdue task
    f.tasks                  -> list[TaskRow] every task: reported status, date, note, days overdue
    f.context()              -> dict for Jinja: {{ 整改率 }} {{ 排查隐患 }} {{ 本期.排查隐患 }}
                                {{ 上年同期.事故起数 }} {{ 事故起数同比 }} {{ 部门['应急办'].整改率 }}
                                {{ 整改率前三名 }} {{ 整改率后三名 }} {{ 滞后单位 }} {{ 逾期任务 }}
                                {{ 逾期任务数 }} {{ 报告期 }} {{ 截至 }} {{ 任务状态.已完成 }} {{ 任务总数 }}
    f.ranked_rate()          -> (figure name, [(department id, Value)] best first, overall Value) | None
    figures.render_text(text, context) -> str   (Jinja2 SandboxedEnvironment, StrictUndefined)
    figures.ledger_status(plan) -> (label, {task id: [status, date, note]}) of the latest period

同比/环比 wording: 上升x% / 下降x% / 持平 (exactly equal) / 基本持平 (a change that rounds to 0);
when the base is 0: 上年同期为0 (同比) or 上期为0 (环比), and 持平 when both are 0. 环比 compares
the cumulative count with the previous period's end (较上期末).
Rankings: by the rounded value, ties share a rank (1, 1, 3) and keep that order; 前三名 are
the entries ranked 1–3 (more than three on a tie), 后三名 the three lowest, lowest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import chinese
from .errors import RenderError
from .figure_values import (
    CALCULATION_ERRORS,
    HUNDRED,
    NONE_TEXT,
    Change,
    FigureError,
    Value,
    calculation_message,
    change,
    count_value,
    percent,
    percent_value,
    round_half_up,
)
from .model import Plan, Registry, effective
from .model.progress import DONE, FigureDecl, Indicator, ProgressPeriod, days_between
from .model.registry import KINDS

# the values of figure_values, which the API above names as this module's
__all__ = ["CALCULATION_ERRORS", "HUNDRED", "NONE_TEXT", "Change", "DeptFigures", "FigureError", "Figures",
           "Listing", "RankEntry", "Ranking", "TaskRow", "Value", "calculation_message", "change", "compute",
           "count_value", "ledger_status", "percent", "percent_value", "periods_until", "render_text",
           "round_half_up"]


class Listing(tuple[Any, ...]):
    """A list a document can loop over, or print whole: its items joined with 、."""

    def __str__(self) -> str:
        return chinese.join_names([str(item) for item in self]) if self else "无"


@dataclass
class TaskRow:
    id: str
    title: str
    group: str
    lead: list[str]          # department ids
    lead_names: str
    deadline: str            # as documents print it
    due: date | None
    status: str              # as reported (未启动 when never reported)
    date: date | None
    note: str
    days_overdue: int        # as of the period's end; 0 when not overdue

    @property
    def shown_status(self) -> str:
        """逾期 for a task past its deadline and not done, whatever was reported."""
        return "逾期" if self.days_overdue > 0 else self.status

    def __str__(self) -> str:
        # no brackets of its own: lists of tasks stand in brackets in the text (…逾期2项（一企一档逾期92天、…）)
        return f"{self.title}逾期{self.days_overdue}天" if self.days_overdue else self.title


Overdue = TaskRow


@dataclass
class DeptFigures:
    id: str
    name: str
    short: str
    reported: bool                                     # has a row in this period (else carried over)
    values: dict[str, Value] = field(default_factory=dict)      # indicator id → cumulative value
    increments: dict[str, Value] = field(default_factory=dict)  # indicator id → this period's increase
    previous_year: dict[str, Value] = field(default_factory=dict)
    figures: dict[str, Value] = field(default_factory=dict)     # figure name → value
    tasks: list[TaskRow] = field(default_factory=list)          # the tasks it leads
    overdue: list[TaskRow] = field(default_factory=list)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RankEntry:
    rank: int
    department: DeptFigures
    value: Value

    def __str__(self) -> str:
        return f"{self.department.name}（{self.value}）"


@dataclass
class Ranking:
    figure: str
    entries: list[RankEntry]
    top: list[RankEntry]
    bottom: list[RankEntry]


@dataclass
class Figures:
    period: str
    label: str
    first_day: date
    last_day: date
    indicators: list[Indicator]
    totals: dict[str, Value]
    increments: dict[str, Value]
    previous_year: dict[str, Value]
    figures: dict[str, Value]
    departments: list[DeptFigures]
    rankings: dict[str, Ranking]
    tasks: list[TaskRow]
    overdue: list[TaskRow]
    behind: list[DeptFigures]
    has_previous_period: bool

    def ranked_rate(self) -> tuple[str, list[tuple[str, Value]], Value] | None:
        """The first ranked figure (`rank: true`): its name, (department id, value) best first,
        and the overall value — what a chart of rates by department draws."""
        if not self.rankings:
            return None
        name, ranking = next(iter(self.rankings.items()))
        return name, [(e.department.id, e.value) for e in ranking.entries], self.figures[name]

    def context(self) -> dict[str, Any]:
        """The names a document's text may use (see the module docstring and figures_context)."""
        from .figures_context import context
        return context(self)


# ---------------------------------------------------------------- computation

def periods_until(plan: Plan, period_id: str) -> list[ProgressPeriod]:
    """The plan's periods ending no later than `period_id`'s end, in date order (it last)."""
    by_id = {p.period: p for p in plan.progress}
    if period_id not in by_id:
        known = ", ".join(p.period for p in plan.progress) or "none"
        raise RenderError(f"plan '{plan.id}' has no reporting period '{period_id}' (periods: {known})")
    end = by_id[period_id].last_day
    earlier = sorted((p for p in plan.progress if p.last_day < end), key=lambda p: p.last_day)
    return [*earlier, by_id[period_id]]


def _carried(periods: list[ProgressPeriod], attr: str) -> dict[str, dict[str, Decimal]]:
    """Department → indicator → cumulative count at the last period's end (latest report wins)."""
    out: dict[str, dict[str, Decimal]] = {}
    for period in periods:
        for dept, counts in getattr(period, attr).items():
            out[dept] = dict(counts)
    return out


def _sum(rows: Iterable[dict[str, Decimal]], key: str) -> Decimal:
    return sum((row.get(key, Decimal(0)) for row in rows), Decimal(0))


def _figure(decl: FigureDecl, values: dict[str, Decimal], prev_year: dict[str, Decimal],
            before: dict[str, Decimal], total: dict[str, Decimal],
            ind: dict[str, Indicator], has_before: bool) -> Value:
    """One declared figure for one set of values (a department's, or the totals)."""
    first = ind[decl.of[0]]
    cur = count_value(values.get(first.id, Decimal(0)), first.unit, first.decimals)
    if decl.kind == "rate":
        assert decl.over is not None
        return percent_value(percent(values.get(first.id, Decimal(0)), values.get(decl.over, Decimal(0))),
                             decl.decimals)
    if decl.kind == "share":
        return percent_value(percent(values.get(first.id, Decimal(0)), total.get(first.id, Decimal(0))),
                             decl.decimals)
    if decl.kind == "sum":
        number = sum((values.get(i, Decimal(0)) for i in decl.of), Decimal(0))
        return count_value(number, decl.unit or first.unit, max(ind[i].decimals for i in decl.of))
    if decl.kind == "yoy":
        base = count_value(prev_year.get(first.id, Decimal(0)), first.unit, first.decimals)
        return change(cur, base, decl.decimals, "上年同期为0")
    # mom (环比): the cumulative count at this period's end against the previous period's end
    if not has_before:
        return Change(None, "上期无数据", "%", decl.decimals)
    then = count_value(before.get(first.id, Decimal(0)), first.unit, first.decimals)
    return change(cur, then, decl.decimals, "上期为0")


def _values(row: dict[str, Decimal], indicators: list[Indicator]) -> dict[str, Value]:
    return {i.id: count_value(row.get(i.id, Decimal(0)), i.unit, i.decimals) for i in indicators}


def _tasks(plan: Plan, periods: list[ProgressPeriod], end: date, names: dict[str, str]) -> list[TaskRow]:
    latest: dict[str, Any] = {}
    for period in periods:
        latest.update(period.tasks)
    rows = []
    for group in plan.task_groups:
        for task in group.tasks:
            lead, _support = effective(task, group)
            progress = latest.get(task.id)
            status = progress.status if progress else "未启动"
            # a recurring deadline (每月5日前) answers for its last occurrence by the period's end
            due = task.deadline.latest_by(end) if task.deadline else None
            late = status not in DONE and due is not None and due < end
            days = days_between(due, end) if late and due is not None else 0
            rows.append(TaskRow(
                task.id, task.title or chinese.ellipsis(task.text, 20), group.title, list(lead),
                chinese.join_names([names.get(d, d) for d in lead]),
                task.deadline.display if task.deadline else "", due, status,
                progress.date if progress else None, (progress.note or "") if progress else "", days))
    return rows


def _rank(name: str, depts: list[DeptFigures]) -> Ranking:
    scored = [(d, d.figures[name]) for d in depts if d.figures[name].rounded is not None]
    ordered = sorted(scored, key=lambda dv: -(dv[1].rounded or Decimal(0)))  # stable: ties keep the departments' order
    entries: list[RankEntry] = []
    for pos, (dept, value) in enumerate(ordered):
        tied = entries and entries[-1].value.rounded == value.rounded
        entries.append(RankEntry(entries[-1].rank if tied else pos + 1, dept, value))
    top = [e for e in entries if e.rank <= 3]
    bottom: list[RankEntry] = []
    for entry in reversed(entries):  # lowest first; a tie at the third place from the end comes whole
        if len(bottom) >= 3 and entry.value.rounded != bottom[-1].value.rounded:
            break
        bottom.append(entry)
    return Ranking(name, entries, top, bottom)


def compute(plan: Plan, period_id: str, registry: Registry | Mapping[str, str] | None = None) -> Figures:
    """Every figure of `period_id` (see the module docstring). `registry` names the departments
    (a Registry, or a mapping id → name); without it their ids stand for their names."""
    periods = periods_until(plan, period_id)
    this = periods[-1]
    ind = {i.id: i for i in plan.indicators}
    counts = _carried(periods, "counts")
    prev_year = _carried(periods, "previous_year")
    before = _carried(periods[:-1], "counts")
    if isinstance(registry, Registry):  # grouped by kind (部门 before 街道 …), registry order within one
        grouped = sorted(registry.departments, key=lambda d: KINDS.index(d.kind))
        order = [(d.id, d.name, d.short or d.name) for d in grouped]
    else:
        order = [(k, v, v) for k, v in (registry or {}).items()]
    known = {d[0] for d in order}
    depts_meta = [d for d in order if d[0] in counts] + [(d, d, d) for d in counts if d not in known]
    names = {d[0]: d[1] for d in order}

    total = {i.id: _sum(counts.values(), i.id) for i in plan.indicators}
    total_prev = {i.id: _sum(prev_year.values(), i.id) for i in plan.indicators}
    total_before = {i.id: _sum(before.values(), i.id) for i in plan.indicators}
    has_before = len(periods) > 1

    tasks = _tasks(plan, periods, this.last_day, names)
    departments = []
    for dept_id, name, short in depts_meta:
        row, was = counts[dept_id], before.get(dept_id, {})
        d = DeptFigures(dept_id, name, short, dept_id in this.counts, _values(row, plan.indicators),
                        {i.id: count_value(row.get(i.id, Decimal(0)) - was.get(i.id, Decimal(0)), i.unit, i.decimals)
                         for i in plan.indicators},
                        _values(prev_year.get(dept_id, {}), [i for i in plan.indicators if i.previous_year]))
        for decl in plan.figures:
            d.figures[decl.name] = _figure(decl, row, prev_year.get(dept_id, {}), was, total, ind, has_before)
        d.tasks = [t for t in tasks if dept_id in t.lead]
        d.overdue = [t for t in d.tasks if t.days_overdue > 0]
        departments.append(d)

    overdue = sorted((t for t in tasks if t.days_overdue > 0), key=lambda t: -t.days_overdue)
    return Figures(
        period=this.period, label=this.label, first_day=this.first_day, last_day=this.last_day,
        indicators=list(plan.indicators),
        totals=_values(total, plan.indicators),
        increments={i.id: count_value(total[i.id] - total_before[i.id], i.unit, i.decimals)
                    for i in plan.indicators},
        previous_year=_values(total_prev, [i for i in plan.indicators if i.previous_year]),
        figures={decl.name: _figure(decl, total, total_prev, total_before, total, ind, has_before)
                 for decl in plan.figures},
        departments=departments,
        rankings={decl.name: _rank(decl.name, departments) for decl in plan.figures if decl.rank},
        tasks=tasks, overdue=overdue, behind=[d for d in departments if d.overdue],
        has_previous_period=has_before)


def ledger_status(plan: Plan) -> tuple[str, dict[str, list[Any]]]:
    """For tasks.xlsx: the latest period's label and, per task id, [status, date, note] as of
    its end (逾期 for a task past its deadline and not done, whatever was reported)."""
    latest = max(plan.progress, key=lambda p: p.last_day)
    f = compute(plan, latest.period)
    cells = {t.id: [t.shown_status, datetime(t.date.year, t.date.month, t.date.day) if t.date else None,
                    t.note + (f"（逾期{t.days_overdue}天）" if t.days_overdue else "")] for t in f.tasks}
    return f.label, cells


_ENV: Any = None


def render_text(text: str, context: dict[str, Any]) -> str:
    """A document text with its {{ figures }} filled in (Jinja2 sandbox, unknown names fail)."""
    global _ENV
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment
    if _ENV is None:
        _ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    if "{" not in text:
        return text
    try:
        return str(_ENV.from_string(text).render(context))
    except TemplateError as exc:
        raise RenderError(f"cannot fill in the figures of “{chinese.ellipsis(text, 30)}”: {exc}") from None
    except CALCULATION_ERRORS as exc:
        raise RenderError(f"cannot fill in the figures of “{chinese.ellipsis(text, 30)}”: "
                          f"{calculation_message(exc)}") from None
