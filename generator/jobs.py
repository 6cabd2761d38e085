"""What a build makes of each plan: a Job per declared document (its layout, and the table,
chart or progress grid it is drawn from), with the 简报 issue lines assigned."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import bulletins, layout, layout_progress, validate
from .load import Source, Workspace
from .model import Duties, Notice, Plan, Roadmap, TaskTable, Tongbao
from .model.documents import Duban, Jianbao, ProgressTable
from .model.ledger import Series
from .model.registry import Registry
from .numbering import IssueNumber
from .tables import Row, rows


@dataclass
class Job:
    plan_id: str
    doc_id: str
    layout: layout.Layout
    table: tuple[list[Row], dict[str, str], str, list[str]] | None = None  # a 任务分解表's rows and columns
    chart: Plan | None = None  # a 路线图: the plan whose roadmap is drawn
    names: dict[str, str] = field(default_factory=dict)  # a 路线图's department names (a phase's lead units)
    progress: layout_progress.Progress | None = None  # a 统计表's or 督办清单's grid, a 简报's chart

    @property
    def name(self) -> str:
        return f"{self.plan_id}/{self.doc_id}"


def jobs(workspace: Workspace) -> list[Job]:
    out = []
    refs = validate.references(workspace)[0]  # what each 《@…》 cross-reference stands for
    issues = bulletins.issue_for(workspace)  # each 简报's issue line, taken from its series
    for source in sorted(workspace.plans, key=lambda s: s.plan.id):
        series = {d.id: bulletins.series_for(source, d.series, workspace)
                  for d in source.plan.documents if isinstance(d, Jianbao)}
        out += jobs_for(source, refs.get(source.plan.id), issues, series)
    return out


def jobs_for(source: Source, refs: dict[str, str] | None = None,
             issues: dict[tuple[str, str], IssueNumber] | None = None,
             series: dict[str, Series | None] | None = None) -> list[Job]:
    """The jobs of one plan; a 简报's issue (`issues`, from the whole workspace in jobs()) is
    taken from this plan and its ledgers alone when not given."""
    if issues is None or series is None:
        alone = Workspace([source], [], ledgers=list(source.ledgers))
        issues = bulletins.issue_for(alone) if issues is None else issues
        series = {d.id: bulletins.series_for(source, d.series, alone)
                  for d in source.plan.documents if isinstance(d, Jianbao)} if series is None else series
    names = source.registry.names() if source.registry else {}
    order = layout.departments_in(source.plan, list(names))
    plan = source.plan
    base = Path(source.path).parent
    plain = layout.one_line(plan.title)  # a title written with chosen breaks, inside a longer one
    out = []
    for doc in plan.documents:
        if isinstance(doc, Notice):
            out.append(Job(plan.id, doc.id, layout.notice(plan, doc, names, base, refs=refs)))
        elif isinstance(doc, TaskTable):
            title = doc.title or f"{plain}任务分解表"
            lay = replace(layout.duties(plan, title, names, []), blocks=[])
            out.append(Job(plan.id, doc.id, lay, (rows(plan, doc.measures), names, plan.all_support,
                                                    list(doc.columns))))
        elif isinstance(doc, Roadmap):
            title = doc.title or f"{plain}重点任务推进路线图"
            lay = layout.Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=plan.title,
                                date=layout.duties(plan, title, names, []).date, head=None,
                                blocks=[layout.Block("title", lines=layout.title_lines(title, terms=names.values())),
                                        layout.block("blank")])
            out.append(Job(plan.id, doc.id, lay, chart=plan, names=names))
        elif isinstance(doc, Jianbao | ProgressTable | Duban):
            out.append(progress_job(source, doc, names, issues, series))
        elif isinstance(doc, Tongbao) and doc.period:  # its figures name departments by 全称 or 简称
            named = layout_progress.Named(names, Registry(departments=source.registry.departments)
                                          if source.registry else None)
            out.append(Job(plan.id, doc.id, layout.document(plan, doc, named, base, refs)))
        elif not isinstance(doc, Duties):  # 通知, 通报, 请示, 报告, the 方案 on its own
            out.append(Job(plan.id, doc.id, layout.document(plan, doc, names, base, refs)))
        else:
            out.append(Job(plan.id, doc.id, layout.duties(plan, doc.title or f"{plain}责任清单", names, order)))
            if doc.per_department:  # one more file per department: only its own tasks
                # titled 单位名称 + the document's `title` (on one line) when it has one, else the
                # campaign (the plan title without 实施方案/工作方案/方案) + 责任清单（单位名称）: a
                # plan title starts with its issuer, which a unit's name must not run into
                campaign = re.sub(r"(实施|工作)?方案$", "", plain)
                for dep in order:
                    title = (f"{names.get(dep, dep)}{layout.one_line(doc.title)}" if doc.title
                             else f"{campaign}责任清单（{names.get(dep, dep)}）")
                    lay = layout.duties(plan, title, names, [dep])
                    if len(lay.blocks) > 2:
                        out.append(Job(plan.id, f"{doc.id}-{dep}", lay))
    return out


def progress_job(source: Source, doc: Jianbao | ProgressTable | Duban, names: dict[str, str],
                 issues: dict[tuple[str, str], IssueNumber], series: dict[str, Series | None]) -> Job:
    """A 简报 (its issue from bulletins.assign), 进展情况统计表 or 督办清单 (layout_progress)."""
    registry = Registry(departments=source.registry.departments) if source.registry else None
    lay, progress = layout_progress.progress_layout(source.plan, doc, layout_progress.Named(names, registry),
                                                    issues.get((source.plan.id, doc.id)), series.get(doc.id))
    return Job(source.plan.id, doc.id, lay, progress=progress)
