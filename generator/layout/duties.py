"""The plan on its own and the 责任清单: for each department, by kind, what it leads, supports
and which phases it carries."""

from __future__ import annotations

from collections.abc import Iterable

from .. import chinese
from ..model import (
    Phase,
    Plan,
)
from ..model.registry import KINDS, Names
from ..tables import Row, responsibilities
from .blocks import (
    HEI,
    KAI,
    Block,
    Layout,
    Run,
    _terms,
    block,
    title_lines,
)
from .plan_text import phase_period, plan_blocks


def plan_document(plan: Plan, names: dict[str, str], terms: Iterable[str] = ()) -> Layout:
    """The plan on its own (title and body), as attached to its notice: what a redline shows."""
    words = _terms(names, terms)
    blocks = [Block("title", lines=title_lines(plan.title, terms=words)), block("blank"), *plan_blocks(plan, names)]
    return Layout(doc_id=plan.id, title=plan.title, author=plan.issuer.name, subject=plan.title,
                  date=chinese.format_date(plan.notices[0][1].date) if plan.notices else "2000年1月1日",
                  head=None, blocks=blocks, terms=words)


def duties(plan: Plan, title: str, names: dict[str, str], order: list[str], terms: Iterable[str] = ()) -> Layout:
    """责任清单: a part per department (一、…) with the tasks it leads and supports and the phases
    whose work it leads or supports. Departments of several kinds stand in one 部分 per kind
    (第一部分　有关部门 …, each numbering its departments from 一、), in KINDS order: the
    issuer's own offices, the departments (行业监管), the towns and streets (属地管理), then the
    enterprises (主体责任), the order in which a campaign assigns responsibility."""
    words = _terms(names, terms)
    blocks = [Block("title", lines=title_lines(title, terms=words)), block("blank")]
    kinds = names.kinds if isinstance(names, Names) else {}
    groups: dict[str, list[_DutyPart]] = {}
    for part in sorted(_duty_parts(plan, order), key=lambda p: KINDS.index(kinds.get(p[0], "部门"))):
        groups.setdefault(kinds.get(part[0], "部门"), []).append(part)
    for k, (kind, members) in enumerate(groups.items(), 1):
        if len(groups) > 1:
            blocks.append(block("h1", Run(f"第{chinese.hanzi_number(k)}部分\u3000{KIND_HEADINGS[kind]}", HEI)))
        for d, part in enumerate(members, 1):
            blocks += _duty_blocks(part, names, d)
    notices = plan.notices
    return Layout(doc_id=title, title=title, author=plan.issuer.name, subject=plan.title,
                  date=chinese.format_date(notices[0][1].date) if notices else "2000年1月1日", head=None,
                  blocks=blocks, terms=words)


# how a 责任清单 names the 部分 of each kind of unit
KIND_HEADINGS = {"内设机构": "内设机构", "部门": "有关部门", "乡镇": "乡镇", "街道": "街道", "企业": "有关企业",
                 "其他": "其他单位"}

# a department, the tasks it leads, those it supports, and its phases (each with 牵头 or 配合)
_DutyPart = tuple[str, tuple[Row, ...], tuple[Row, ...], tuple[tuple[Phase, str], ...]]


def _duty_parts(plan: Plan, order: list[str]) -> list[_DutyPart]:
    """Per department of `order` (in that order), what it has to do; a department with
    nothing is left out. `support: all` on a phase means every department but its leads."""
    tasks = {d.department: d for d in responsibilities(plan, order)}
    out = []
    for dep in order:
        phases = tuple((p, "牵头" if dep in (p.lead or []) else "配合") for p in plan.phases
                       if dep in (p.lead or []) or (p.lead and (dep in (p.support or []) or p.support == ["all"])))
        duty = tasks.get(dep)
        if duty or phases:
            out.append((dep, duty.leads if duty else (), duty.supports if duty else (), phases))
    return out


def _duty_blocks(part: _DutyPart, names: dict[str, str], number: int) -> list[Block]:
    """One department's part: 一、its name, then （一）牵头任务, 配合任务 and 阶段工作 (only those
    it has, numbered without gaps), their entries 1. 2. … below."""
    dep, leads, supports, phases = part
    out = [block("h1", Run(chinese.heading_number(1, number) + names.get(dep, dep), HEI))]
    entries = [("牵头任务", [f"{r.title}（{r.group}，{r.deadline or '未定时限'}）" for r in leads]),
               ("配合任务", [f"{r.title}（{r.group}，{r.deadline or '未定时限'}）" for r in supports]),
               ("阶段工作", [f"{p.name}（{phase_period(p)}，{role}）" for p, role in phases])]
    for k, (label, lines) in enumerate(((label, lines) for label, lines in entries if lines), 1):
        out.append(block("h2", Run(f"{chinese.heading_number(2, k)}{label}（{len(lines)}项）", KAI)))
        out += [block("body", chinese.heading_number(3, i) + line) for i, line in enumerate(lines, 1)]
    return out


def departments_in(plan: Plan, registry_order: list[str]) -> list[str]:
    """The registry's departments that this plan names (in registry order): `support: all`
    means these, not every department of every organ in a shared registry."""
    named = {d for g in plan.task_groups for d in [*g.lead, *(g.support or [])]}
    named |= {d for g in plan.task_groups for t in g.tasks for d in [*(t.lead or []), *(t.support or [])]}
    named |= {d for p in plan.phases for d in [*(p.lead or []), *(p.support or [])]}
    return [d for d in registry_order if d in named]
