"""Rules of the progress documents (简报, 进展情况统计表, 督办清单), checked before anything is written.

The 简报's series must be in a numbering ledger and its issue line (declared or taken) must
follow the series without repeating or skipping an issue (bulletins.assign); a chart needs a
period to draw; a 统计表 lists indicators the plan declares. The figures in their texts and
their periods are validate_progress's.
"""

from __future__ import annotations

import difflib
from datetime import date

from . import bulletins
from .errors import Problem
from .load import Index, Loc, Workspace
from .model import Plan
from .model.documents import Jianbao, ProgressTable


def check(workspace: Workspace) -> list[Problem]:
    _, problems = bulletins.assign(workspace)
    for source in workspace.plans:
        plan, index = source.plan, source.index
        ids = [i.id for i in plan.indicators]
        for i, doc in enumerate(plan.documents):
            loc = ("documents", i)
            if isinstance(doc, Jianbao) and doc.chart and doc.period is None:
                problems.append(Problem(index.value(loc + ("chart",)), "a 简报 chart needs a reporting period",
                                        "add `period:` (e.g. 2021-09) or remove `chart: true`"))
            problems += _dated_before_data(plan, doc, index, loc)
            if isinstance(doc, ProgressTable):
                for k, ref in enumerate(doc.indicators):
                    if ref not in ids:
                        near = difflib.get_close_matches(ref, ids, n=1, cutoff=0.5)
                        problems.append(Problem(index.value(loc + ("indicators", k)),
                                                f"unknown indicator '{ref}' in the table's columns",
                                                (f"did you mean '{near[0]}'? " if near else "")
                                                + f"indicators: {', '.join(ids) or 'none declared'}"))
    return problems


def _dated_before_data(plan: Plan, doc: object, index: Index, loc: Loc) -> list[Problem]:
    """A document cannot report figures as of a day after its own date, nor before they were
    reported: a warning (a 简报 of 2021-10 dated 10月15日 prints 截至10月31日)."""
    period, day = getattr(doc, "period", None), getattr(doc, "date", None)
    data = next((p for p in plan.progress if p.period == period), None)
    if data is None or not isinstance(day, date):
        return []
    where = index.value(loc + ("date",))
    if day < data.last_day:
        return [Problem(where, f"dated {day.isoformat()}, before the end of its reporting period {period} "
                               f"({data.last_day.isoformat()}), whose figures it prints",
                        "date it on or after the period's end, or report a shorter period", "warning")]
    if data.reported is not None and day < data.reported:
        return [Problem(where, f"dated {day.isoformat()}, before the figures of {period} were reported "
                               f"({data.reported.isoformat()})", "check the date", "warning")]
    return []

