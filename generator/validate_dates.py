"""Rules of dates: the campaign period, deadlines, phases, and a numbered document's own dates.

The period runs forwards; deadlines (one-off or recurring) fall inside it and, warned, not
before the issuing notice; phases lie inside it, one after another; a numbered document's
number carries the year of its date, it is printed on or after that date, and it appends
only a task table, 责任清单 or roadmap of its plan.
"""

from __future__ import annotations

from .deadlines import Deadline, notice_date
from .errors import Problem
from .load import Index, Loc
from .model import Plan
from .validate_common import at, suggest


def check(plan: Plan, index: Index) -> list[Problem]:
    """The plan's dates; an inverted period is told alone, as every other date would be measured against it."""
    problems: list[Problem] = []
    start, end = plan.period.first_day, plan.period.last_day
    if start > end:
        problems.append(at(index, ("period", "end"), f"the campaign ends ({end}) before it starts ({start})",
                           "swap period.start and period.end"))
        return problems

    def inside(deadline: Deadline, loc: Loc) -> None:
        due, first, text = deadline.due, deadline.first, deadline.text
        if due is None or first is None:
            return
        if deadline.kind == "recurring":  # its days run through the period unless from/to say otherwise
            if first < start:
                problems.append(at(index, loc + ("from",), f"recurring deadline '{text}' starts on {first}, before "
                                   f"the campaign starts ({start})", f"start its span in {start:%Y-%m} or later"
                                   if deadline.spanned else f"move `from` to {start:%Y-%m} or later, or remove it: "
                                   "a recurring deadline runs from the campaign's start (or the notice) by default"))
            if due > end:
                problems.append(at(index, loc + ("to",), f"recurring deadline '{text}' last falls due on {due}, "
                                   f"after the campaign ends ({end})", f"end its span in {end:%Y-%m} or earlier"
                                   if deadline.spanned else f"move `to` to {end:%Y-%m} or earlier, or "
                                   "remove it: a recurring deadline runs to the end of period by default"))
        elif due > end:
            problems.append(at(index, loc, f"deadline '{text}' ({due}) is after the campaign ends ({end})",
                               "move the deadline, or extend period.end"))
        elif due < start:
            problems.append(at(index, loc, f"deadline '{text}' ({due}) is before the campaign starts ({start})",
                               "move the deadline, or move period.start earlier"))
        if issued is None or min(first, due) < start:
            return
        if deadline.kind == "recurring" and first < issued[1]:  # only an explicit from/span starts earlier
            place = loc if deadline.spanned else loc + ("from",)
            problems.append(Problem(index.value(place), f"recurring deadline '{text}' first falls due on {first}, "
                                    f"before the issuing notice '{issued[0]}' is dated ({issued[1]})",
                                    f"start it on {issued[1]:%Y-%m} or later, or remove `from`: without it a "
                                    "recurring deadline starts at the notice", severity="warning"))
        elif deadline.kind != "recurring" and due < issued[1]:
            problems.append(Problem(index.value(loc), f"deadline '{text}' ({due}) is before the issuing notice "
                                    f"'{issued[0]}' is dated ({issued[1]}): it has passed when the notice arrives",
                                    f"move it to {issued[1]} or later, or check the notice's date",
                                    severity="warning"))

    issued = notice_date(plan.documents)
    for g, group in enumerate(plan.task_groups):
        for t, task in enumerate(group.tasks):
            tloc: Loc = ("task_groups", g, "tasks", t)
            if task.deadline:
                inside(task.deadline, tloc + ("deadline",))
            for m, measure in enumerate(task.measures):
                if measure.deadline:
                    inside(measure.deadline, tloc + ("measures", m, "deadline"))

    previous = None
    for i, phase in enumerate(plan.phases):
        loc: Loc = ("phases", i)
        if phase.first_day > phase.last_day:
            problems.append(at(index, loc + ("end",), f"phase '{phase.id}' ends before it starts",
                               "swap start and end"))
            continue
        if phase.first_day < start or phase.last_day > end:
            problems.append(at(index, loc + ("start",),
                               f"phase '{phase.id}' ({phase.first_day} to {phase.last_day}) is outside the "
                               f"campaign period ({start} to {end})", "move the phase or change period"))
        if previous is not None and phase.first_day <= previous.last_day:
            problems.append(at(index, loc + ("start",),
                               f"phase '{phase.id}' starts on {phase.first_day}, before phase "
                               f"'{previous.id}' ends ({previous.last_day})",
                               "phases run one after another, in order, without overlap"))
        previous = phase

    kinds = {d.id: d.kind for d in plan.documents}
    for i, doc in plan.numbered:
        loc = ("documents", i)
        for k, ref in enumerate(doc.append):
            if kinds.get(ref) not in ("task-table", "responsibilities", "roadmap"):
                problems.append(at(index, loc + ("append", k),
                                   f"'{ref}' is not a task-table, responsibilities or roadmap document of this plan",
                                   suggest(ref, [d for d, kind in kinds.items()
                                               if kind in ("task-table", "responsibilities", "roadmap")])
                                   or "declare it under documents first"))
        if doc.number.year != doc.date.year:
            problems.append(at(index, loc + ("number",),
                               f"document number year {doc.number.year} differs from the date's year "
                               f"{doc.date.year}", "the year in 〔〕 is the year of the document date (成文日期); "
                               f"did you mean {doc.number.code}〔{doc.date.year}〕{doc.number.seq}号?"))
        if doc.printed_date and doc.printed_date < doc.date:
            problems.append(at(index, loc + ("printed_date",),
                               f"printed_date {doc.printed_date} is before the document date {doc.date}",
                               "a document is printed on or after the day it is signed"))
    return problems
