"""A plan → a Markdown summary for code review: counts, task groups, deadlines in date
order, and the roadmap (phases and dated targets) as a Mermaid gantt chart, which GitHub
and GitLab draw in the preview."""

from __future__ import annotations

from ..model import Plan
from ..tables import names, rows
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


def gantt(plan: Plan) -> str:
    lines = ["```mermaid", "gantt", f"    title {_mermaid_label(one_line(heading(plan)), None)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    section 进度安排"]
    for i, phase in enumerate(plan.phases):
        lines.append(f"    {_mermaid_label(phase.name)} :p{i}, {phase.first_day.isoformat()}, "
                     f"{phase.last_day.isoformat()}")
    dated = sorted((r for r in rows(plan) if r.due), key=lambda r: (r.due, _order(r.number)))
    if dated:
        lines.append("    section 完成时限")
        for r in dated:
            assert r.due is not None
            lines.append(f"    {_mermaid_label(r.number + ' ' + r.title)} :milestone, m{r.number.replace('.', '_')}, "
                         f"{r.due.isoformat()}, 0d")
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
                   f"{_cell(names(tuple(g.lead), registry, plan.all_support))} |")
    out += ["", "## 重点任务推进路线图", "", gantt(plan), "", "## 完成时限（按日期）", "",
            "| 序号 | 任务 | 牵头单位 | 完成时限 |", "|---|---|---|---|"]
    ordered = sorted(task_rows, key=lambda r: (r.due is None, r.due or plan.period.last_day, _order(r.number)))
    for r in ordered:
        out.append(f"| {r.number} | {_cell(r.title)} | {_cell(names(r.lead, registry, plan.all_support))} | "
                   f"{r.deadline or '—'} |")
    return "\n".join(out) + "\n"
