"""Progress changes between two versions of a plan, for `fawen diff`: a period added or
removed, a count revised, a task marked done or its status changed, an indicator or a
computed figure declared differently. Part of diff.py's report (category 进展)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .model import Plan
from .model.progress import DONE

Add = Callable[..., None]


def _latest(plan: Plan) -> dict[str, Any]:
    """Each task's progress as the plan's latest period leaves it."""
    status: dict[str, Any] = {}
    for p in sorted(plan.progress, key=lambda p: p.last_day):
        status.update(p.tasks)
    return status


def _unit(plan: Plan, ind: str) -> tuple[str, str]:
    found = next((i for i in plan.indicators if i.id == ind), None)
    return (found.name, found.unit) if found else (ind, "")


def compare(a: Plan, b: Plan, names: dict[str, str], add: Add) -> None:
    """Every progress change from plan `a` to plan `b`, reported through `add` (diff._Differ.add)."""
    old = {p.period: p for p in a.progress}
    new = {p.period: p for p in b.progress}
    for pid in sorted(new.keys() - old.keys()):
        add("progress-period-added", pid, f"新增报告期 {new[pid].label}（{len(new[pid].counts)}个单位报送）", new=pid)
    for pid in sorted(old.keys() - new.keys()):
        add("progress-period-removed", pid, f"删除报告期 {old[pid].label}", old=pid)
    for pid in sorted(old.keys() & new.keys()):
        for attr, what in (("counts", ""), ("previous_year", "上年同期")):
            _counts(b, new[pid].label, getattr(old[pid], attr), getattr(new[pid], attr), names, what, add, pid)
    _tasks(a, b, add)
    _declarations(a, b, add)


def _counts(plan: Plan, label: str, a: dict[str, dict[str, Decimal]], b: dict[str, dict[str, Decimal]],
            names: dict[str, str], what: str, add: Add, pid: str) -> None:
    for dept in [*a, *(d for d in b if d not in a)]:
        ra, rb = a.get(dept, {}), b.get(dept, {})
        for ind in [*ra, *(i for i in rb if i not in ra)]:
            va, vb = ra.get(ind), rb.get(ind)
            if va == vb or (ra and rb and (va or 0) == (vb or 0)):  # in a row that reports, left out is 0
                continue
            name, unit = _unit(plan, ind)
            shown = [f"{v}{unit}" if v is not None else "未填" for v in (va, vb)]
            add("progress-count-revised", f"{pid}/{dept}/{ind}",
                f"{label} {names.get(dept, dept)} {what}{name}：{shown[0]} → {shown[1]}",
                "" if va is None else va, "" if vb is None else vb, period=pid, department=dept, indicator=ind)


def _tasks(a: Plan, b: Plan, add: Add) -> None:
    old, new = _latest(a), _latest(b)
    titles = {t.id: t.title or t.text[:20] for g in b.task_groups for t in g.tasks}
    for tid in [t for t in new if t in titles]:
        sa = old[tid].status if tid in old else "未启动"
        sb = new[tid].status
        if sa == sb:
            continue
        when = f"（{new[tid].date.year}年{new[tid].date.month}月{new[tid].date.day}日）" if new[tid].date else ""
        if sb in DONE and sa not in DONE:
            add("progress-task-done", tid, f"任务 {titles[tid]} 标记为{sb}{when}", sa, sb)
        else:
            add("progress-task-status", tid, f"任务 {titles[tid]} 状态：{sa} → {sb}{when}", sa, sb)


def _declarations(a: Plan, b: Plan, add: Add) -> None:
    for kind, label, xs, ys, key in (("indicator", "统计指标", a.indicators, b.indicators, "id"),
                                     ("figure", "计算指标", a.figures, b.figures, "name")):
        old = {getattr(x, key): x for x in xs}
        new = {getattr(y, key): y for y in ys}
        for k in [k for k in new if k not in old]:
            add(f"progress-{kind}-added", k, f"新增{label} {k}", new=k)
        for k in [k for k in old if k not in new]:
            add(f"progress-{kind}-removed", k, f"删除{label} {k}", old=k)
        for k in [k for k in new if k in old and old[k] != new[k]]:
            fields = [f for f in type(new[k]).model_fields if getattr(old[k], f) != getattr(new[k], f)]
            add(f"progress-{kind}-changed", k, f"{label} {k} 改动：{'、'.join(fields)}",
                str(old[k].model_dump(exclude_defaults=True)), str(new[k].model_dump(exclude_defaults=True)))
