"""Rules across fields and files, checked on loaded models before anything is written.

`check()` runs every rule and returns the problems, each pointing at the YAML that causes
it. The rules live by what they are about: validate_departments (registries, units, task
groups), validate_dates (period, deadlines, phases), validate_numbers (发文字号, ledgers,
《@…》 references), validate_body (bodies, kinds, red head, placement), validate_documents
and validate_progress (简报 and progress data). Here: ids unique, parents that exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import (
    validate_body,
    validate_dates,
    validate_departments,
    validate_documents,
    validate_numbers,
    validate_progress,
)
from .errors import Problem
from .load import Index, Loc, Source, Workspace
from .model import Plan
from .validate_common import at, suggest, unique
from .validate_numbers import references, registry

__all__ = ["check", "references", "registry"]  # references and registry: for the layout and `fawen number`


def check(workspace: Workspace) -> list[Problem]:
    """Every rule on every plan, registry and ledger: all the problems at once, before any write."""
    problems: list[Problem] = []
    for reg in workspace.registries:
        problems += validate_departments.registry_file(reg)
    problems += unique(
        ((s.plan.id, s.index, ("id",)) for s in workspace.plans), "plan id")
    plan_ids = {s.plan.id for s in workspace.plans}
    for source in workspace.plans:
        problems += _plan(source)
        problems += validate_progress.check(source)
        parent = source.plan.parent
        if parent == source.plan.id:
            problems.append(at(source.index, ("parent",), f"plan '{parent}' names itself as its parent",
                               "name the master plan (总方案) this plan belongs to, or remove `parent:`"))
        elif workspace.complete and parent is not None and parent not in plan_ids:
            problems.append(at(source.index, ("parent",), f"parent plan '{parent}' does not exist",
                               suggest(parent, sorted(plan_ids))))
    problems += _parent_loops(workspace.plans)
    problems += validate_numbers.check(workspace)
    problems += validate_documents.check(workspace)  # 简报 issues, progress documents
    problems += references(workspace)[1]
    return problems


def _plan(source: Source) -> list[Problem]:
    """The rules of one plan file."""
    plan, index = source.plan, source.index
    problems: list[Problem] = []
    problems += unique(((s.id, index, ("sections", i, "id")) for i, s in enumerate(plan.sections)),
                       "section id")
    problems += unique(_task_ids(plan, index), "task id")
    problems += unique(((p.id, index, ("phases", i, "id")) for i, p in enumerate(plan.phases)),
                       "phase id")
    problems += unique(((d.id, index, ("documents", i, "id")) for i, d in enumerate(plan.documents)),
                       "document id")
    problems += validate_body.placement(plan, index)
    problems += validate_body.head_template(source)
    problems += validate_departments.groups(plan, index)
    problems += validate_departments.departments(source)
    problems += validate_dates.check(plan, index)
    problems += unique(((c.id, index, ("checklists", i, "id")) for i, c in enumerate(plan.checklists)),
                       "checklist id")
    problems += validate_body.kinds(plan, index)
    return problems


def _task_ids(plan: Plan, index: Index) -> Iterable[tuple[str, Index, Loc]]:
    for g, group in enumerate(plan.task_groups):
        yield group.id, index, ("task_groups", g, "id")
        for t, task in enumerate(group.tasks):
            yield task.id, index, ("task_groups", g, "tasks", t, "id")
            for m, measure in enumerate(task.measures):
                yield measure.id, index, ("task_groups", g, "tasks", t, "measures", m, "id")


def _parent_loops(sources: list[Source]) -> list[Problem]:
    """Plans whose parents lead back to them (a → b → a): each is told the whole loop."""
    parents: dict[str, str | None] = {}
    for s in sources:
        parents.setdefault(s.plan.id, s.plan.parent)
    problems = []
    for s in sources:
        chain = [s.plan.id]
        current = s.plan.parent
        while current is not None and current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current == s.plan.id and len(chain) > 1:
            loop = " → ".join([*chain, s.plan.id])
            problems.append(at(s.index, ("parent",), f"parent plans form a loop: {loop}",
                               "a sub-plan names its master plan (总方案): remove `parent:` from the plan at the top"))
    return problems
