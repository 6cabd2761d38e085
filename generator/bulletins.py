"""简报 issue lines: which issue each 简报 of the workspace is, taken from the numbering ledger.

A bulletin series (numbers.yaml `series:`) lists the issues already published. The 简报 a
plan declares follow them in date order: one without `issue:` takes the next issue after the
ledger's last and after the earlier 简报 of the same series; one with `issue:` must be that
very issue (a repeated or a skipped issue is an error, located at the `issue:` it declares).
The assignment is pure — same workspace, same issues — and is what `fawen number list` and
`fawen number next --series` show, what validation checks and what the build prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import numbering
from .errors import Problem
from .load import Source, Workspace
from .model.documents import Jianbao
from .model.ledger import Series


@dataclass(frozen=True)
class Assigned:
    """One 简报 of a plan and the issue it carries."""

    plan_id: str
    doc_id: str
    series: str
    number: numbering.IssueNumber
    date: str
    declared: bool  # written as `issue:` (else taken as the next)

    @property
    def where(self) -> str:
        return f"{self.plan_id}/{self.doc_id}"


def series_of(workspace: Workspace) -> dict[str, Series]:
    """Every bulletin series of the workspace's ledgers, by id (the first ledger wins)."""
    out: dict[str, Series] = {}
    every = [*workspace.ledgers, *(led for s in workspace.plans for led in getattr(s, "ledgers", []))]
    for led in every:
        for series in led.ledger.series:
            out.setdefault(series.id, series)
    return out


def series_for(source: Source, series: str, workspace: Workspace) -> Series | None:
    """The series a plan's 简报 names: from the ledgers on the plan's way up (nearest first),
    else from any ledger of the workspace."""
    for led in [*source.ledgers, *workspace.ledgers]:
        for s in led.ledger.series:
            if s.id == series:
                return s
    return None


def _bulletins(workspace: Workspace) -> list[tuple[Source, int, Jianbao]]:
    found = [(s, i, d) for s in workspace.plans for i, d in enumerate(s.plan.documents) if isinstance(d, Jianbao)]
    return sorted(found, key=lambda x: (x[2].date, x[0].plan.id, x[2].id))


def ledger_issues(series: Series) -> list[numbering.Issue]:
    return [numbering.Issue(series.id, item.issue, "ledger", item.date.isoformat() if item.date else "")
            for item in series.issues]


def assign(workspace: Workspace) -> tuple[list[Assigned], list[Problem]]:
    """The issue of every 简报 of a known series, and a located problem for each 简报 whose
    series is unknown or whose declared issue repeats, skips or goes back in its series."""
    known = series_of(workspace)
    taken: dict[str, list[numbering.Issue]] = {sid: ledger_issues(s) for sid, s in known.items()}
    out: list[Assigned] = []
    problems: list[Problem] = []
    for source, i, doc in _bulletins(workspace):
        loc = ("documents", i)
        if series_for(source, doc.series, workspace) is None:
            hint = (f"series in numbers.yaml: {', '.join(sorted(known))}" if known
                    else "declare the series (id, title, editor, issues) under `series:` in numbers.yaml")
            problems.append(Problem(source.index.value(loc + ("series",)),
                                    f"unknown bulletin series '{doc.series}'", hint))
            continue
        issues = taken[doc.series]
        where = f"{source.plan.id}/{doc.id}"
        try:
            expected = numbering.next_issue(issues, doc.date.year)
        except ValueError as exc:
            problems.append(Problem(source.index.value(loc + ("date",)), f"series '{doc.series}': {exc}",
                                    f"a 简报 dated {doc.date.isoformat()} comes before the last issue: check the date"))
            continue
        number = expected
        latest = max((i for i in issues if i.date), key=lambda i: i.date, default=None)
        if latest is not None and latest.date > doc.date.isoformat():
            problems.append(Problem(source.index.value(loc + ("date",)),
                                    f"this 简报 is dated {doc.date.isoformat()}, before {latest.number} of "
                                    f"{latest.date} ({latest.where}), yet takes {expected}",
                                    "check the date: issues follow each other in time", severity="warning"))
        if doc.issue is not None:
            problem = _declared(doc.issue, expected, issues)
            if problem:
                problems.append(Problem(source.index.value(loc + ("issue",)), f"issue line '{doc.issue}' {problem}",
                                        f"the next issue of series '{doc.series}' is {expected}: write that, "
                                        "or leave `issue:` out and fawen takes it"))
                continue  # a declared issue that passes is the expected one (with its running total)
        issues.append(numbering.Issue(doc.series, number, where, doc.date.isoformat()))
        out.append(Assigned(source.plan.id, doc.id, doc.series, number, doc.date.isoformat(), doc.issue is not None))
    return out, problems


def _declared(issue: numbering.IssueNumber, expected: numbering.IssueNumber,
              issues: list[numbering.Issue]) -> str:
    """What is wrong with a declared issue line, or "" when it is the expected next one."""
    same = next((i for i in issues if (i.number.year, i.number.issue) == (issue.year, issue.issue)), None)
    if same is not None:
        return f"is already taken (by {same.where}{', ' + same.date if same.date else ''})"
    if issue.year != expected.year:
        return f"has the year {issue.year}, but the 简报 is dated in {expected.year}"
    if issue.issue > expected.issue:
        return f"skips issue {expected.year}年第{expected.issue}期 (after the last one recorded)"
    if issue.issue < expected.issue:
        return f"goes back before the last issue of the series ({expected.issue - 1})"
    if issue.total is not None and expected.total is not None and issue.total != expected.total:
        return f"gives 总第{issue.total}期, but the running total is 总第{expected.total}期"
    return ""


def issues_of(workspace: Workspace, series: str) -> list[numbering.Issue]:
    """Every issue of one series: the ledger's and those the workspace's 简报 take."""
    known = series_of(workspace)
    out = ledger_issues(known[series]) if series in known else []
    assigned, _ = assign(workspace)
    out += [numbering.Issue(a.series, a.number, a.where, a.date) for a in assigned if a.series == series]
    return out


def issue_for(workspace: Workspace) -> dict[tuple[str, str], numbering.IssueNumber]:
    """(plan id, document id) → the issue line of each 简报 (for the build)."""
    return {(a.plan_id, a.doc_id): a.number for a in assign(workspace)[0]}
