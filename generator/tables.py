"""Plan → the tables staff run a campaign from: task rows, department responsibilities.

Pure data for render/xlsx.py, render/markdown.py and the DOCX tables: one row per task
(measures listed inside it) or per measure, the effective lead and supporting departments,
deadlines as written and as dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import chinese
from .deadlines import Deadline
from .model import Plan, effective


@dataclass(frozen=True)
class Row:
    """One task, or one measure of a task (measure_id set)."""

    number: str            # 序号: 1, 2 … per task; 1.1, 1.2 … per measure
    group_id: str
    group: str             # 专题/行业领域 title
    group_kind: str
    task_id: str
    measure_id: str
    title: str             # 重点任务
    text: str              # 具体措施
    lead: tuple[str, ...]      # department ids
    support: tuple[str, ...]   # department ids, or ("all",)
    deadline: str          # as written
    due: date | None       # the real last day (None when ongoing)


def rows(plan: Plan, with_measures: bool = True) -> list[Row]:
    out: list[Row] = []
    n = 0
    for group in plan.task_groups:
        for task in group.tasks:
            n += 1
            lead, support = effective(task, group)
            base = dict(group_id=group.id, group=group.title, group_kind=group.kind, task_id=task.id,
                        title=task.title or chinese.ellipsis(task.text, 16), lead=tuple(lead),
                        support=tuple(support or ()))
            dl = task.deadline
            out.append(Row(number=str(n), measure_id="", text=task.text,
                           deadline=dl.display if dl else "", due=dl.due if dl else None, **base))  # type: ignore[arg-type]
            if with_measures:
                for m, measure in enumerate(task.measures, 1):
                    md = measure.deadline or dl
                    out.append(Row(number=f"{n}.{m}", measure_id=measure.id, text=measure.text,
                                   deadline=md.display if md else "", due=md.due if md else None,
                                   **base))  # type: ignore[arg-type]
    return out


def names(ids: tuple[str, ...], registry: dict[str, str], all_text: str) -> str:
    if ids == ("all",):
        return all_text
    return "、".join(registry.get(i, i) for i in ids)


@dataclass(frozen=True)
class Duty:
    department: str
    leads: tuple[Row, ...]
    supports: tuple[Row, ...]


def responsibilities(plan: Plan, order: list[str]) -> list[Duty]:
    """Per department (registry order): the tasks it leads and those it supports.

    `support: all` names every department of the registry that does not lead the task.
    """
    task_rows = [r for r in rows(plan) if not r.measure_id]
    out = []
    for dep in order:
        leads = tuple(r for r in task_rows if dep in r.lead)
        supports = tuple(r for r in task_rows if dep not in r.lead and (dep in r.support or r.support == ("all",)))
        if leads or supports:
            out.append(Duty(dep, leads, supports))
    return out


def deadlines_of(plan: Plan) -> dict[tuple[str, str], Deadline]:
    """(task id, measure id or "") → the deadline a row shows (a measure without one: its task's),
    for the days it falls on: every occurrence of a recurring one."""
    out: dict[tuple[str, str], Deadline] = {}
    for group in plan.task_groups:
        for task in group.tasks:
            if task.deadline:
                out[(task.id, "")] = task.deadline
            for measure in task.measures:
                if found := measure.deadline or task.deadline:
                    out[(task.id, measure.id)] = found
    return out
