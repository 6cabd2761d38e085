"""The names a document's `{{ … }}` may use, from computed Figures (see figures.py).

Indicator and figure names are the plan's own words (排查隐患, 整改率); the fixed names are
RESERVED (a figure may not take one). Lists print whole, joined with 、, or loop item by item.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import chinese
from .figures import DeptFigures, Figures, Listing, Value, count_value


class Unit(dict[str, Any]):
    """A department's names in a document's context; printed whole, its full name."""

    def __str__(self) -> str:
        return str(self.get("名称", ""))

    def __missing__(self, key: Any) -> Any:
        """A name the department lacks: say which department and what it has (Jinja would say
        only “'generator.figures_context.Unit object' has no attribute …”)."""
        from jinja2.exceptions import UndefinedError
        who = self.get("简称") or self.get("名称") or self.get("编号", "")
        raise UndefinedError(f"{who} has no figure '{key}'; its figures: {', '.join(map(str, self))}")


class Departments(dict[str, Any]):
    """部门 in a document's context, by id, 全称 or 简称: an unknown name says so and suggests the
    nearest (Jinja would say only “'dict object' has no attribute …”)."""

    def __missing__(self, key: Any) -> Any:
        import difflib

        from jinja2.exceptions import UndefinedError
        near = difflib.get_close_matches(str(key), [str(k) for k in self], n=1, cutoff=0.5)
        raise UndefinedError(f"unknown department {key}; " + (f"did you mean {near[0]}" if near else
                             "write a department's id, full name or short name (简称)"))


def _dept_context(d: DeptFigures, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = Unit({names[k]: v for k, v in d.values.items()})
    out.update(d.figures)
    out.update({"名称": d.name, "简称": d.short, "编号": d.id, "已报送": d.reported,
                "本期": {names[k]: v for k, v in d.increments.items()},
                "上年同期": {names[k]: v for k, v in d.previous_year.items()},
                "任务": Listing(d.tasks), "逾期任务": Listing(d.overdue)})
    return out


RESERVED = ("本期", "上年同期", "部门", "各单位", "滞后单位", "逾期任务", "逾期任务数", "报告期", "截至",
            "任务状态", "任务总数", "任务")


def context(f: Figures) -> dict[str, Any]:
    """Figures → the names of `{{ … }}` (indicator and figure names are the plan's own words)."""
    names = {i.id: i.name for i in f.indicators}
    ctx: dict[str, Any] = {names[k]: v for k, v in f.totals.items()}
    ctx.update(f.figures)
    depts = [_dept_context(d, names) for d in f.departments]
    by_key: dict[str, Any] = Departments()
    for d, dc in zip(f.departments, depts, strict=True):
        by_key.setdefault(d.short, dc)
        by_key.setdefault(d.name, dc)
        by_key[d.id] = dc
    statuses: dict[str, Value] = {}
    for status in ("未启动", "推进中", "已完成", "逾期", "办结销号"):
        n = sum(1 for t in f.tasks if t.shown_status == status)
        statuses[status] = count_value(Decimal(n), "项", 0)
    ctx.update({
        "本期": {names[k]: v for k, v in f.increments.items()},
        "上年同期": {names[k]: v for k, v in f.previous_year.items()},
        "部门": by_key, "各单位": Listing(depts),
        "滞后单位": Listing(f.behind), "逾期任务": Listing(f.overdue),
        "逾期任务数": count_value(Decimal(len(f.overdue)), "项", 0),
        "报告期": f.label, "截至": chinese.format_date(f.last_day),
        "任务状态": statuses, "任务总数": count_value(Decimal(len(f.tasks)), "项", 0),
        "任务": Listing(f.tasks),
    })
    for name, ranking in f.rankings.items():
        ctx[f"{name}前三名"] = Listing(ranking.top)
        ctx[f"{name}后三名"] = Listing(ranking.bottom)
    return ctx
