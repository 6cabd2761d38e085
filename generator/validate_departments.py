"""Rules of departments: the registries, and the units a plan names as lead or support.

A departments.yaml gives each unit its own id, name and 简称; a plan names units by id,
known in a registry up its tree, never two units called alike, never one unit both lead and
support; its task groups carry declared kind labels, and a group with `lead: none` lends
its 配合单位 only to tasks that name their own lead.
"""

from __future__ import annotations

import difflib

from .errors import Problem
from .load import Index, Loc, RegistrySource, Source
from .model import Plan, clip, effective
from .model.tasks import MAX_KIND
from .validate_common import at, unique


def registry_file(reg: RegistrySource) -> list[Problem]:
    """One departments.yaml: ids, names and 简称 each tell one unit from the others."""
    deps = reg.registry.departments
    problems = unique(((d.id, reg.index, ("departments", i, "id")) for i, d in enumerate(deps)),
                      "department id")
    problems += unique(((d.name, reg.index, ("departments", i, "name")) for i, d in enumerate(deps)),
                       "department name", DUPLICATE_NAME_HINT)
    # tables, charts and figures name a unit by its 简称: two units with one would read as one
    problems += unique(((d.short, reg.index, ("departments", i, "short")) for i, d in enumerate(deps) if d.short),
                       "department short name (简称)", "give each unit its own `short`, or remove it (the full "
                       "name is used)")
    return problems


# the ids differ already: the names must tell the units apart within one registry
DUPLICATE_NAME_HINT = ("names must differ within one departments.yaml: for two units of one organ, write "
                       "each one's full name (its `short` does not count); for units of two organs (two counties' "
                       "县公安局), move one organ's departments into a departments.yaml in that organ's own plan "
                       "directory")


def groups(plan: Plan, index: Index) -> list[Problem]:
    """Group kinds are labels the plan declares (专题, 行业领域 unless it says otherwise),
    given to every group or to none; a group with `lead: none` lends its 配合单位 only to
    tasks that name their own lead (配合 supports a 牵头)."""
    problems: list[Problem] = []
    declared = plan.group_kinds
    written = "group_kinds" in plan.model_fields_set
    if not declared:
        problems.append(at(index, ("group_kinds",), "group_kinds declares no kind",
                           "list the labels of the plan's groups (group_kinds: [工作措施, 保障措施]), "
                           "or remove it to use 专题 and 行业领域"))
    problems += unique(((k, index, ("group_kinds", i)) for i, k in enumerate(declared)), "group kind",
                       "list each label once")
    for i, label in enumerate(declared):
        if len(label) > MAX_KIND or any(ch in label for ch in "（）()"):
            problems.append(at(index, ("group_kinds", i), f"group kind '{clip(label)}' cannot stand in “名称（类别）”",
                               f"write a short label of at most {MAX_KIND} characters without brackets"))
    labelled = next((g for g in plan.task_groups if g.kind), None)
    for g, group in enumerate(plan.task_groups):
        base: Loc = ("task_groups", g)
        if not group.kind and labelled is not None:
            problems.append(at(index, base, f"task group '{group.id}' has no kind (类别) while "
                               f"'{labelled.id}' is {labelled.kind}",
                               f"give every group its kind (kind: {labelled.kind}), "
                               "or none of them to print no label"))
        elif group.kind and declared and group.kind not in declared:
            shown = "、".join(declared)
            near = difflib.get_close_matches(group.kind, declared, n=1, cutoff=0.5)
            hint = (f"did you mean '{near[0]}'? " if near else "") + (
                f"use one of them, or add '{group.kind}' to `group_kinds` "
                f"(line {index.value(('group_kinds',)).line})" if written else
                f"use one of them, or declare the plan's kinds: "
                f"`group_kinds: [{', '.join([*declared, group.kind])}]`")
            problems.append(at(index, base + ("kind",), f"group kind '{clip(group.kind)}' is not declared "
                               f"(declared: {shown})", hint))
        inheriting = []
        for t, task in enumerate(group.tasks):
            lead, support = effective(task, group)
            if lead or not support:
                continue
            if task.support is None:  # the group's: said once, at the group's `support`
                inheriting.append(task.id)
                continue
            problems.append(at(index, base + ("tasks", t, "support"),
                               f"task '{task.id}' has supporting departments (配合单位) but no lead (牵头单位): "
                               "its group has `lead: none`",
                               "name the task's lead (lead: [id]), or write the duty as the group's `note`"))
        if inheriting:
            problems.append(at(index, base + ("support",),
                               f"task group '{group.id}' has `lead: none` but supporting departments (配合单位), "
                               f"which its tasks without a lead of their own would support: {', '.join(inheriting)}",
                               "name those tasks' leads (lead: [id]), or move the group's `support` to the tasks "
                               "that name a lead"))
    return problems


def departments(source: Source) -> list[Problem]:
    if source.registry is None:
        return []
    plan, index = source.plan, source.index
    registry = source.registry
    deps = registry.departments  # every registry up the tree, the nearest winning on an id
    names = registry.names()
    ids = set(names)
    by_name = {d.name: d.id for d in deps} | {d.short: d.id for d in deps if d.short}
    called: dict[str, str] = {}  # name → the first id the plan names by it
    problems: list[Problem] = []

    def refs(values: list[str] | None, loc: Loc, role: str, allow_all: bool) -> None:
        for i, dep in enumerate(values or []):
            if dep == "all" and allow_all:
                if len(values or []) > 1:
                    problems.append(at(index, loc + (i,), "'all' cannot be combined with other departments",
                                       "write `support: all` alone, or list the departments"))
                continue
            if dep in ids:
                named_as = called.setdefault(names[dep], dep)
                if named_as != dep:  # a unit of the organ's registry and one of the shared one, say
                    problems.append(at(index, loc + (i,), f"'{dep}' and '{named_as}' are both called "
                                       f"{names[dep]} ({registry.defining(dep).path}, "
                                       f"{registry.defining(named_as).path}): the documents could not tell "
                                       "them apart", "the plan sees the registries up its tree: name only one "
                                       "of them, or give one a distinct name (e.g. with its organ's name)"))
                continue
            if dep in by_name:
                hint = f"refer to departments by id: write '{by_name[dep]}' ({dep})"
            else:
                close = difflib.get_close_matches(dep, sorted(ids), n=1, cutoff=0.5)
                hint = (f"did you mean '{close[0]}' ({names[close[0]]})?" if close
                        else f"add it to {registry.path}")
            problems.append(at(index, loc + (i,), f"unknown department id '{clip(dep)}' in {role}", hint))

    for g, group in enumerate(plan.task_groups):
        base: Loc = ("task_groups", g)
        refs(group.lead, base + ("lead",), "lead (牵头单位)", False)
        refs(group.support, base + ("support",), "support (配合单位)", True)
        problems += _overlap(group.lead, group.support, index, base)
        for t, task in enumerate(group.tasks):
            tloc = base + ("tasks", t)
            refs(task.lead, tloc + ("lead",), "lead (牵头单位)", False)
            refs(task.support, tloc + ("support",), "support (配合单位)", True)
            if task.support is not None:  # inherited support simply drops the task's own leads
                problems += _overlap(task.lead or group.lead, task.support, index, tloc)
    for p, phase in enumerate(plan.phases):  # a phase's own units, checked as a task's
        ploc: Loc = ("phases", p)
        refs(phase.lead, ploc + ("lead",), "lead (牵头单位)", False)
        refs(phase.support, ploc + ("support",), "support (配合单位)", True)
        if phase.lead is not None:
            problems += _overlap(phase.lead, phase.support, index, ploc)
    return problems


def _overlap(lead: list[str], support: list[str] | None, index: Index, loc: Loc) -> list[Problem]:
    both = [d for d in (support or []) if d in lead]
    if not both or support is None:
        return []
    i = support.index(both[0])
    where = loc + ("support", i)
    return [at(index, where, f"'{both[0]}' is both lead and supporting department",
               "list it once, under lead")]
