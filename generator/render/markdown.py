"""A plan → a Markdown summary for code review: counts, task groups, deadlines in date
order, and the roadmap (phases and dated targets) as a Mermaid gantt chart, which GitHub
and GitLab draw in the preview. Deadlines show as written and as the days they fall on: a
recurring one (每月5日前) from its first to its last occurrence, as a bar in the chart. Rows
sort by the day a deadline is met in full — a recurring one's last occurrence — as tasks.xlsx
(截止日期) and the README have it."""

from __future__ import annotations

from datetime import date

from ..deadlines import Deadline
from ..model import Plan
from ..tables import Row, deadlines_of, names, rows
from ..titles import one_line, words
from .roadmap import heading

LABEL_CHARS = 30  # a Mermaid bar or milestone label: at most this long, cut between words


def _order(number: str) -> tuple[int, ...]:
    """序号 1, 2 … 10 and 1.1, 1.2 … 1.10 in numeric order, not as text."""
    return tuple(int(part) for part in number.split("."))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _mermaid_label(text: str, limit: int | None = LABEL_CHARS) -> str:
    """Text Mermaid's gantt syntax keeps; `limit` characters at most, cut between words (jieba)."""
    text = text.replace(":", "：").replace(";", "；").replace("#", "＃")
    if limit is None or len(text) <= limit:
        return text
    kept = ""
    for word in words(text):
        if len(kept) + len(word) > limit:
            break
        kept += word
    return kept or text[:limit]  # a single word longer than the limit: cut it


def _due(row: Row, found: dict[tuple[str, str], Deadline]) -> date | None:
    """The day a row is met in full: what the summary sorts by (a recurring deadline: its last
    occurrence, the day tasks.xlsx shows as 截止日期)."""
    deadline = found.get((row.task_id, row.measure_id))
    return deadline.due if deadline else row.due


def _lead(text: str) -> str:
    """A 牵头单位 cell: “—” for a group or task without a lead, as the 任务分解表 prints it."""
    return _cell(text) if text else "—"


def _days(deadline: Deadline | None) -> str:
    if deadline is None or not deadline.days:
        return "—"
    days = deadline.days
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0].isoformat()} 至 {days[-1].isoformat()}，{len(days)}次"


def gantt(plan: Plan) -> str:
    lines = ["```mermaid", "gantt", f"    title {_mermaid_label(one_line(heading(plan)), None)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    section 进度安排"]
    for i, phase in enumerate(plan.phases):
        lines.append(f"    {_mermaid_label(phase.name)} :p{i}, {phase.first_day.isoformat()}, "
                     f"{phase.last_day.isoformat()}")
    found = deadlines_of(plan)
    dated = sorted((r for r in rows(plan) if r.due), key=lambda r: (_due(r, found), _order(r.number)))
    recurring = [r for r in dated if (d := found.get((r.task_id, r.measure_id))) and d.kind == "recurring"]
    single = [r for r in dated if r not in recurring]
    if single:
        lines.append("    section 完成时限")
        for r in single:
            assert r.due is not None
            lines.append(f"    {_mermaid_label(r.number + ' ' + r.title)} :milestone, m{r.number.replace('.', '_')}, "
                         f"{r.due.isoformat()}, 0d")
    if recurring:  # a bar from the first occurrence to the last: a milestone for each would bury the chart
        lines.append("    section 周期性时限")
        for r in recurring:
            deadline = found[(r.task_id, r.measure_id)]
            lines.append(f"    {_mermaid_label(r.number + ' ' + r.title + ' ' + deadline.text)} "
                         f":r{r.number.replace('.', '_')}, {deadline.days[0].isoformat()}, "
                         f"{deadline.days[-1].isoformat()}")
    lines.append("```")
    return "\n".join(lines)


def summary(plan: Plan, registry: dict[str, str]) -> str:
    task_rows = rows(plan)
    tasks = [r for r in task_rows if not r.measure_id]
    measures = [r for r in task_rows if r.measure_id]
    out = [f"# {one_line(plan.title)}", "",
           f"发文机关：{plan.issuer.name}　行动期限：{plan.period.start} 至 {plan.period.end}", "",
           f"{len(plan.task_groups)} 个任务分组，{len(tasks)} 项任务，{len(measures)} 项具体措施，"
           f"{len(plan.phases)} 个阶段。", "", "## 任务分组", "",
           "| 分组 | 类别 | 任务数 | 牵头单位 |", "|---|---|---:|---|"]
    for g in plan.task_groups:
        out.append(f"| {_cell(g.title)} | {g.kind} | {len(g.tasks)} | "
                   f"{_lead(names(tuple(g.lead), registry, plan.all_support))} |")
    out += ["", "## 重点任务推进路线图", "", gantt(plan), "", "## 完成时限（按日期）", "",
            "| 序号 | 任务 | 牵头单位 | 日期 | 完成时限 |", "|---|---|---|---|---|"]
    found = deadlines_of(plan)
    ordered = sorted(task_rows, key=lambda r: (r.due is None, _due(r, found) or plan.period.last_day,
                                               _order(r.number)))
    for r in ordered:
        out.append(f"| {r.number} | {_cell(r.title)} | {_lead(names(r.lead, registry, plan.all_support))} | "
                   f"{_days(found.get((r.task_id, r.measure_id)))} | {r.deadline or '—'} |")
    return "\n".join(out) + "\n"
