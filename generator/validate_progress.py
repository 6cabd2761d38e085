"""Rules of progress data and of the figures documents quote, checked before anything is written.

Indicators and figures must be declared once and refer to each other correctly; every
reporting period must lie in the campaign and appear once; counts name known departments
and indicators, keep their declared decimals, never shrink from one period to the next
(they are cumulative) and a part never exceeds its whole (已整改 ≤ 排查隐患); task progress
names known tasks. In documents, `{{ name }}` must be a figure of the declared period, a
percentage typed beside the counts it is computed from must agree with them (the seed-000
case: 351 of 407 is 86.24 %, not 90.10 %), and where a document declares a period, a rate
or count the data gives must not be typed at all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import figures
from .errors import Position, Problem
from .figures_context import RESERVED
from .load import Index, Loc, Source
from .model import Plan
from .model.progress import DONE
from .validate_figures import duplicate_hint

SKIP_KEYS = {"id", "kind", "period", "use", "series", "number", "date", "style", "$schema"}


def _at(index: Index, loc: Loc, message: str, hint: str = "", key: bool = False) -> Problem:
    return Problem(index.key(loc) if key else index.value(loc), message, hint)


def _suggest(value: str, choices: list[str], what: str) -> str:
    near = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    shown = ", ".join(choices[:12]) + ("…" if len(choices) > 12 else "")
    return (f"did you mean '{near[0]}'? " if near else "") + f"{what}: {shown or 'none declared'}"


def check(source: Source) -> list[Problem]:
    """Every progress problem of one plan (nothing when it declares no progress and quotes no figure)."""
    plan, index = source.plan, source.index
    problems = _declarations(plan, index)
    problems += _periods(source)
    problems += _documents(source, compute=not problems)  # figures of broken data would mislead
    problems += _plan_prose(source)
    return problems


def _plan_prose(source: Source) -> list[Problem]:
    """The plan's own text (preamble, sections, tasks) is a document too: its typed rates must
    agree with the counts beside them."""
    from .validate_figures import contradictions
    out: list[Problem] = []
    plan = source.plan
    for key in ("preamble", "sections", "task_groups", "phases"):
        for text, loc in document_texts(getattr(plan, key), (key,)):
            if "%" in text or "％" in text:
                out += contradictions(text, plan, find(source, loc, text), False)
    return out


# ---------------------------------------------------------------- declarations

def _declarations(plan: Plan, index: Index) -> list[Problem]:
    out: list[Problem] = []
    ids = [i.id for i in plan.indicators]
    seen: dict[tuple[str, str], Loc] = {}
    for k, ind in enumerate(plan.indicators):
        for key, value in (("id", ind.id), ("name", ind.name)):
            if (key, value) in seen:
                out.append(_at(index, ("indicators", k, key), f"indicator {key} '{value}' is declared twice",
                               f"the first is at {index.value(seen[(key, value)])}; give each indicator its own"))
            seen.setdefault((key, value), ("indicators", k, key))
        if ind.part_of is not None and (ind.part_of not in ids or ind.part_of == ind.id):
            out.append(_at(index, ("indicators", k, "part_of"),
                           f"part_of '{ind.part_of}' is not another indicator",
                           _suggest(ind.part_of, [i for i in ids if i != ind.id], "indicators")))
    names = {i.name for i in plan.indicators}
    by_id = {i.id: i for i in plan.indicators}
    declared: dict[str, int] = {}
    for k, fig in enumerate(plan.figures):
        loc = ("figures", k)
        if fig.name in declared or fig.name in names or fig.name in RESERVED:
            other = "a reserved name" if fig.name in RESERVED else (
                "an indicator's name" if fig.name in names else f"figure {declared[fig.name] + 1}'s name")
            out.append(_at(index, loc + ("name",), f"figure name '{fig.name}' is already {other}",
                           duplicate_hint(fig.name, {f.name for f in plan.figures} | names | set(RESERVED))))
        declared.setdefault(fig.name, k)
        for j, ref in enumerate(fig.of):
            if ref not in by_id:
                out.append(_at(index, loc + ("of", j) if len(fig.of) > 1 or (*loc, "of", 0) in index.places
                               else loc + ("of",), f"unknown indicator '{ref}' in figure {fig.name}",
                               _suggest(ref, ids, "indicators")))
        if not fig.of:
            out.append(_at(index, loc + ("of",), f"figure {fig.name} names no indicator", "write e.g. `of: fixed`"))
        elif fig.kind != "sum" and len(fig.of) != 1:
            out.append(_at(index, loc + ("of",), f"a {fig.kind} figure takes one indicator, found {len(fig.of)}",
                           "write `of: found` (only a sum adds several)"))
        if fig.kind == "rate":
            if fig.over is None:
                out.append(_at(index, loc, f"rate {fig.name} has no denominator",
                               "add `over: <indicator id>`, e.g. of: fixed, over: found"))
            elif fig.over not in by_id:
                out.append(_at(index, loc + ("over",), f"unknown indicator '{fig.over}' in figure {fig.name}",
                               _suggest(fig.over, ids, "indicators")))
        elif fig.over is not None:
            out.append(_at(index, loc + ("over",), f"only a rate has a denominator (over); {fig.name} is {fig.kind}",
                           "remove `over:`, or make the figure `kind: rate`"))
        if fig.kind == "yoy" and fig.of and (base := by_id.get(fig.of[0])) and not base.previous_year:
            out.append(_at(index, loc + ("of",), f"同比 {fig.name} needs previous-year values of '{base.id}'",
                           f"declare `previous_year: true` on indicator {base.id} and give them per period"))
        if fig.kind == "sum" and len({by_id[i].unit for i in fig.of if i in by_id}) > 1 and fig.unit is None:
            out.append(_at(index, loc + ("of",), f"sum {fig.name} adds indicators of different units",
                           "add only indicators of one unit, or state the sum's `unit:`"))
        if fig.rank and fig.kind not in ("rate", "share"):
            out.append(_at(index, loc + ("rank",), f"only a rate or a share can rank departments; {fig.name} is "
                           f"{fig.kind}", "remove `rank: true`"))
    return out


# ---------------------------------------------------------------- periods and counts

def _periods(source: Source) -> list[Problem]:
    plan, index = source.plan, source.index
    out: list[Problem] = []
    registry = source.registry.names() if source.registry else {}
    ind = {i.id: i for i in plan.indicators}
    tasks = {t.id: (t, g) for g in plan.task_groups for t in g.tasks}
    start, end = plan.period.first_day, plan.period.last_day
    seen: dict[str, int] = {}
    ordered = sorted(range(len(plan.progress)), key=lambda k: plan.progress[k].last_day)
    for k, period in enumerate(plan.progress):
        loc: Loc = ("progress", k)
        if period.period in seen:
            out.append(_at(index, loc + ("period",), f"reporting period {period.period} appears twice",
                           f"the first is at {index.value(('progress', seen[period.period], 'period'))}; "
                           "keep one file per period"))
            continue
        seen[period.period] = k
        if period.first_day < start or period.last_day > end:
            out.append(_at(index, loc + ("period",), f"reporting period {period.period} ({period.label}) lies "
                           f"outside the campaign {plan.period.start}..{plan.period.end}",
                           "report only periods of the campaign (行动期限), or correct the period"))
        for other in plan.progress[:k]:
            if other.period != period.period and other.first_day <= period.last_day \
                    and period.first_day <= other.last_day:
                out.append(_at(index, loc + ("period",), f"reporting period {period.period} overlaps "
                               f"{other.period}", "periods follow each other without overlap"))
                break
        for attr in ("counts", "previous_year"):
            for dept, row in getattr(period, attr).items():
                if dept not in registry and registry:
                    out.append(_at(index, loc + (attr, dept), f"unknown department id '{dept}' in {attr}",
                                   _suggest(dept, list(registry), "departments"), key=True))
                for ind_id, value in row.items():
                    vloc = loc + (attr, dept, ind_id)
                    if ind_id not in ind:
                        out.append(_at(index, vloc, f"unknown indicator '{ind_id}' for {dept}",
                                       _suggest(ind_id, list(ind), "indicators"), key=True))
                        continue
                    if attr == "previous_year" and not ind[ind_id].previous_year:
                        out.append(_at(index, vloc, f"indicator '{ind_id}' has no previous-year values",
                                       f"declare `previous_year: true` on {ind_id}, or remove this value",
                                       key=True))
                    places = -int(value.as_tuple().exponent)
                    if places > ind[ind_id].decimals:
                        out.append(_at(index, vloc, f"{value} has {places} decimals; {ind_id} "
                                       f"({ind[ind_id].name}) is counted with {ind[ind_id].decimals}",
                                       f"write it with at most {ind[ind_id].decimals} decimals, or change the "
                                       "indicator's `decimals:`"))
                for ind_id, value in row.items():
                    whole_id = ind[ind_id].part_of if ind_id in ind else None
                    if whole_id is not None and whole_id in ind and value > row.get(whole_id, Decimal(0)):
                        out.append(_at(index, loc + (attr, dept, ind_id),
                                       f"{ind[ind_id].name} {value} exceeds {ind[whole_id].name} "
                                       f"{row.get(whole_id, Decimal(0))} for {dept} (it is a part of it)",
                                       f"correct one of the two counts: {ind_id} ≤ {whole_id}"))
        for task_id, progress in period.tasks.items():
            tloc = loc + ("tasks", task_id)
            if task_id not in tasks:
                out.append(_at(index, tloc, f"unknown task id '{task_id}'",
                               _suggest(task_id, list(tasks), "tasks"), key=True))
                continue
            if progress.status in DONE and progress.date is None:
                out.append(_at(index, tloc + ("status",), f"task {task_id} is {progress.status} without a date",
                               "add `date: YYYY-MM-DD`, the day it was done"))
            if progress.date is not None and not start <= progress.date <= period.last_day:
                out.append(_at(index, tloc + ("date",), f"date {progress.date} of task {task_id} is outside "
                               f"{plan.period.start}..{period.last_day.isoformat()}",
                               "a status is dated inside the campaign, no later than the period's end"))
            task, _group = tasks[task_id]
            due = task.deadline.due if task.deadline else None
            if progress.status == "逾期" and (due is None or due >= period.last_day):
                out.append(_at(index, tloc + ("status",), f"task {task_id} is marked 逾期 but its deadline "
                               f"({task.deadline.display if task.deadline else 'none'}) has not passed",
                               "write 推进中; a task becomes 逾期 only after its deadline"))
    out += _shrinking(plan, index, ordered)
    out += _reopened(plan, index, ordered)
    return out


def _reopened(plan: Plan, index: Index, ordered: list[int]) -> list[Problem]:
    """A task reported done (已完成, 办结销号) and later not done: a warning, as a slip of the
    status column is likelier than a reopened task; a reopened one says so in its note."""
    out: list[Problem] = []
    last: dict[str, tuple[str, str]] = {}
    for k in ordered:
        period = plan.progress[k]
        for task_id, progress in period.tasks.items():
            before = last.get(task_id)
            if before is not None and before[0] in DONE and progress.status not in DONE and not progress.note:
                out.append(Problem(index.value(("progress", k, "tasks", task_id, "status")),
                                   f"task {task_id} goes back from {before[0]} ({before[1]}) to {progress.status}",
                                   "correct the status, or say in its `note` why the task was reopened",
                                   "warning"))
            last[task_id] = (progress.status, period.period)
    return out


def _shrinking(plan: Plan, index: Index, ordered: list[int]) -> list[Problem]:
    """Counts are cumulative: a count lower than the same department's in an earlier period.
    An indicator left out of a department's counts counts 0, so one it reported before may not
    be left out (it would silently lower the 合计); a department left out keeps its last report."""
    out: list[Problem] = []
    last: dict[str, dict[str, tuple[Decimal, str]]] = {}
    known = {i.id for i in plan.indicators}
    for k in ordered:
        period = plan.progress[k]
        for dept, row in period.counts.items():
            earlier = last.setdefault(dept, {})
            misspelt = not set(row) <= known  # said once, as an unknown indicator
            for ind_id, (was, when) in earlier.items():
                if ind_id not in row and was > 0 and not misspelt:
                    out.append(_at(index, ("progress", k, "counts", dept),
                                   f"{ind_id} of {dept} is left out, so it counts 0 and fell from {was} "
                                   f"({when})", f"write `{ind_id}: {was}` or the larger count it has now: "
                                   "counts are cumulative to the period's end (截至期末累计)", key=True))
            for ind_id, value in row.items():
                before = earlier.get(ind_id)
                if before is not None and value < before[0]:
                    out.append(_at(index, ("progress", k, "counts", dept, ind_id),
                                   f"{ind_id} of {dept} fell from {before[0]} ({before[1]}) to {value}",
                                   "counts are cumulative to the period's end (截至期末累计); correct the "
                                   "count, or the earlier period's"))
            for ind_id in set(row) | set(earlier):
                earlier[ind_id] = (row.get(ind_id, Decimal(0)), period.period)
    return out


# ---------------------------------------------------------------- documents

def document_texts(node: Any, loc: Loc) -> Iterator[tuple[str, Loc]]:
    """Every text a document carries (title, body, articles, notes …), with where it was written."""
    if isinstance(node, str):
        yield node, loc
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            key = info.alias or name
            if key not in SKIP_KEYS:
                yield from document_texts(getattr(node, name), loc + (key,))
    elif isinstance(node, list | tuple):
        for k, item in enumerate(node):
            yield from document_texts(item, loc + (k,))


def _documents(source: Source, compute: bool) -> list[Problem]:
    from .validate_figures import contradictions, typed_figures
    plan, index = source.plan, source.index
    out: list[Problem] = []
    periods = [p.period for p in plan.progress]
    contexts: dict[str, dict[str, Any] | None] = {}
    registry = source.registry.registry if source.registry else None
    for i, doc in enumerate(plan.documents):
        period = getattr(doc, "period", None)
        ctx: dict[str, Any] | None = None
        if period is not None:
            if period not in periods:
                out.append(_at(index, ("documents", i, "period"), f"reporting period '{period}' has no data",
                               _suggest(period, periods, "periods with data")))
                continue
            if period not in contexts:
                contexts[period] = figures.compute(plan, period, registry).context() if compute else None
            ctx = contexts[period]
        for text, loc in document_texts(doc, ("documents", i)):
            where = find(source, loc, text)
            if "{{" in text or "{%" in text:
                if period is None:
                    out.append(Problem(where(text[text.find("{"):][:2]), "figures are quoted ({{ … }}) in a "
                                       "document without a reporting period",
                                       f"add `period:` to the document ({', '.join(periods) or 'no periods yet'})"))
                    continue
                if ctx is not None:
                    out += _render_problem(text, ctx, where)
            out += contradictions(text, plan, where, period is not None)
            if ctx is not None:
                out += typed_figures(text, plan, ctx, where)
    return out


def _render_problem(text: str, ctx: dict[str, Any], where: Any) -> list[Problem]:
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    from .figures import CALCULATION_ERRORS, calculation_message
    try:
        SandboxedEnvironment(undefined=StrictUndefined).from_string(text).render(ctx)
    except CALCULATION_ERRORS as exc:  # {{ 整改率 + 1 }}, {% if 事故起数 > '0' %}
        return [Problem(where("{"), f"cannot fill in the figures: {calculation_message(exc)}",
                        "compare a figure with a number ({% if 事故起数 > 0 %}), or declare a new figure")]
    except TemplateError as exc:
        message = str(exc)
        m = re.search(r"'([^']+)' is undefined", message)
        if m:
            name = m.group(1)
            known = [k for k in ctx if not k.startswith("_")]
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.4)
            hint = (f"did you mean {{{{ {near[0]} }}}}? " if near else "") + \
                "figures: " + ", ".join(known[:16])
            return [Problem(where(name), f"unknown figure '{name}' in {{{{ … }}}}", hint)]
        m = re.match(r"unknown department (.+?); (.*)", message)
        if m:  # 部门['应急局']: at the name, with the nearest the context knows
            return [Problem(where(m.group(1)), f"unknown department {m.group(1)}",
                            m.group(2))]
        m = re.match(r"(.+?) has no figure '([^']+)'; (its figures: .*)", message)
        if m:  # 部门['住建局'].x: at the name, with what the unit has
            return [Problem(where(m.group(2)), f"{m.group(1)} has no figure '{m.group(2)}'", m.group(3))]
        message = message.rstrip("。. ")  # the sandbox ends its messages with a full stop
        m = re.search(r"attribute '([^']+)'", message)
        return [Problem(where(m.group(1) if m else "{{"), f"cannot fill in the figures: {message}",
                        "write {{ 名称 }} with a declared indicator or figure")]
    return []


def find(source: Source, loc: Loc, text: str) -> Any:
    """A function: a fragment of `text` → the file:line:col where it was typed (the text's start
    when the fragment cannot be found in the file, e.g. inside an escape)."""
    start = source.index.value(loc)
    lines: list[str] | None = None

    def where(fragment: str) -> Position:
        nonlocal lines
        if lines is None:
            try:
                lines = Path(start.path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
        for n in range(start.line - 1, min(len(lines), start.line + 200)):
            col = lines[n].find(fragment, start.column - 1 if n == start.line - 1 else 0)
            if col >= 0:
                return Position(start.path, n + 1, col + 1)
        return start
    return where
