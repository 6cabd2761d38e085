"""Progress → the documents that report it: 简报, 进展情况统计表, 督办清单, and a 通报's text.

Every figure comes from figures.compute (the plan's progress data, rounded as declared) and
every text of a document that names a `period:` is rendered with figures.render_text, so no
document carries a number typed by hand. No file format here: a 简报 is blocks with roles
(render/bulletin.py sets them), a table is a Grid (render/stats_docx.py sets it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import chinese, figures
from .layout import Block, Head, Layout, Run, block, body_blocks, title_lines
from .model import Entry, Plan, Tongbao
from .model.documents import Duban, Jianbao, ProgressTable
from .model.ledger import Series
from .model.registry import Registry
from .numbering import IssueNumber
from .titles import one_line


@dataclass(frozen=True)
class Grid:
    """A statistics table: columns (head text, width in mm), rows of cell texts, the cells to
    set in red (row, column), the columns set flush left, whether the last row is the totals
    row; a line above it (the period and source) and lines under it (notes)."""

    columns: tuple[tuple[str, float], ...]
    rows: tuple[tuple[str, ...], ...]
    red: frozenset[tuple[int, int]] = frozenset()
    left: frozenset[int] = frozenset()
    total: bool = False
    note: str = ""
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart of a rate by department: title, bars (name, value in %, label), overall (value, label)."""

    title: str
    bars: tuple[tuple[str, float, str], ...]
    overall: tuple[float, str] | None = None


@dataclass
class Progress:
    """What a progress document needs besides its layout: a table, a chart, an XLSX's sheet."""

    grid: Grid | None = None
    chart: Chart | None = None
    sheets: dict[str, Grid] = field(default_factory=dict)


# ---------------------------------------------------------------- text with figures

def render_entries(entries: Iterable[Entry], render: Callable[[str], str]) -> list[Entry]:
    """A structured body with every text rendered (headings, paragraphs, checklists, cells)."""
    out: list[Entry] = []
    for entry in entries:
        if isinstance(entry, str):
            out.append(render(entry))
            continue
        update: dict[str, Any] = {}
        for key in ("h1", "h2", "h3", "h4", "text"):
            if (value := getattr(entry, key)) is not None:
                update[key] = render(value)
        if entry.checklist is not None:
            update["checklist"] = [render(x) for x in entry.checklist]
        if entry.table is not None:
            update["table"] = [[render(c) for c in row] for row in entry.table]
        if entry.items:
            update["items"] = render_entries(entry.items, render)
        out.append(entry.model_copy(update=update))
    return out


def _renderer(plan: Plan, period: str | None, names: Mapping[str, str]) -> Callable[[str], str]:
    if period is None:
        return lambda text: text
    context = figures.compute(plan, period, _who(names)).context()
    return lambda text: figures.render_text(text, context)


def tongbao(plan: Plan, doc: Tongbao, names: Mapping[str, str]) -> Tongbao:
    """A 通报 with `period:`: its title and body with the period's figures in them."""
    render = _renderer(plan, doc.period, names)
    return doc.model_copy(update={"title": render(doc.title), "body": render_entries(doc.body, render)})


# ---------------------------------------------------------------- 简报

def end_lines(doc: Jianbao) -> tuple[str, ...]:
    """报：… 送：… 发：… and （共印N份）, each list ended with 。"""
    out = [f"{label}：{'，'.join(names)}。" for label, names in (("报", doc.report_to), ("送", doc.send_to),
                                                               ("发", doc.issue_to)) if names]
    if doc.copies:
        out.append(f"（共印{doc.copies}份）")
    return tuple(out)


def jianbao(plan: Plan, doc: Jianbao, names: Mapping[str, str], issue: IssueNumber,
            series: Series | None) -> Layout:
    """简报: the red bulletin name and the issue line (head), 专刊 name, 编印单位 and date over
    the red rule, 编者按, the articles (title, subtitle, body with the period's figures), the
    chart where asked, and the 报/送/发 lines between rules."""
    render = _renderer(plan, doc.period, names)
    name = series.title if series else doc.series
    editor = doc.editor or (series.editor if series and series.editor else plan.issuer.name)
    date = chinese.format_date(doc.date)
    first = one_line(render(doc.articles[0].title))
    words = tuple(dict.fromkeys(names.values()))
    layout = Layout(doc_id=doc.id, title=name, author=editor, subject=f"{issue}　{first}", date=date,
                    head=Head(organs=(name,), mark_suffix="", number=str(issue), variant="bulletin"),
                    terms=words)
    b = layout.blocks
    if doc.special:
        b.append(block("bulletin-special", render(doc.special)))
    b.append(Block("bulletin-byline", (Run(editor), Run(date))))
    b.append(block("blank"))
    if doc.note:
        b.append(Block("bulletin-note", (Run("编者按："), Run(render(doc.note)))))
        b.append(block("blank"))
    for k, article in enumerate(doc.articles):
        if k:
            b.append(block("blank"))
        b.append(Block("bulletin-title", lines=title_lines(render(article.title), terms=words)))
        if article.subtitle:
            b.append(block("bulletin-subtitle", render(article.subtitle)))
        b.append(block("blank"))
        b += body_blocks(render_entries(article.body, render), plan.checklists)
    if doc.chart and doc.period:
        b.append(block("blank"))
        b.append(block("picture"))
    if end := end_lines(doc):
        b.append(block("blank"))
        b.append(Block("bulletin-end", rows=tuple((line,) for line in end)))
    return layout


def rate_chart(plan: Plan, period: str, names: Mapping[str, str]) -> Chart | None:
    """The plan's first ranked figure (`rank: true`, e.g. 整改率) by department, and overall."""
    result = figures.compute(plan, period, _who(names))
    ranked = result.ranked_rate()
    if ranked is None:
        return None
    name, values, overall = ranked
    short = {d.id: d.short for d in result.departments}
    bars = tuple((short.get(d, d), float(v.rounded), v.text) for d, v in values if v.rounded is not None)
    total = (float(overall.rounded), overall.text) if overall.rounded is not None else None
    return Chart(f"各单位{name}（截至{chinese.format_date(result.last_day)}）", bars, total)


def _who(names: Mapping[str, str]) -> Registry | Mapping[str, str]:
    """What figures.compute names departments with: the registry (全称 and 简称) when the
    names came with it (build passes a Named), else the names alone."""
    return getattr(names, "registry", None) or names


class Named(dict[str, str]):
    """id → 全称 (as layout takes them) that also carries the Registry with the 简称."""

    def __init__(self, names: Mapping[str, str], registry: Registry | None) -> None:
        super().__init__(names)
        self.registry = registry


def _plain_title(plan: Plan) -> str:
    return one_line(plan.title).removesuffix("实施方案").removesuffix("方案")


def _stats_layout(plan: Plan, doc_id: str, title: str, date: str, names: Mapping[str, str]) -> Layout:
    return Layout(doc_id=doc_id, title=title, author=plan.issuer.name, subject=plan.title, date=date, head=None,
                  terms=tuple(dict.fromkeys(names.values())))


def _shown(plan: Plan, doc: ProgressTable) -> list[Any]:
    """The indicators the table shows: those asked for, else every one without a previous-year
    value (accident figures are compared year on year in the text, not tabled by department)."""
    if doc.indicators:
        by_id = {i.id: i for i in plan.indicators}
        return [by_id[i] for i in doc.indicators if i in by_id]
    return [i for i in plan.indicators if not i.previous_year]


STATUS_COLUMNS = ("未启动", "推进中", "已完成", "办结销号", "逾期")


def progress_table(plan: Plan, doc: ProgressTable, names: Mapping[str, str]) -> tuple[Layout, Progress]:
    """进展情况统计表: a row per department or town (its cumulative counts, the ranked rate, its
    tasks by status), 逾期 and the name of a unit with overdue tasks in red, and the totals."""
    f = figures.compute(plan, doc.period, _who(names))
    title = doc.title or f"{_plain_title(plan)}进展情况统计表"
    shown = _shown(plan, doc)
    rate = next(iter(f.rankings), None) or next((d.name for d in plan.figures if d.kind == "rate"), None)
    columns: list[tuple[str, float]] = [("序号", 10), ("单位", 30)]
    columns += [(f"{i.name}\n（{i.unit}）", 15) for i in shown]
    ranked = rate is not None and rate in f.rankings  # `rank: true`: the ranking beside the rate
    ranks = {e.department.id: str(e.rank) for e in f.rankings[rate].entries} if ranked and rate else {}
    if rate:
        columns.append((rate, 16))
    if ranked:
        columns.append(("排名", 10))
    columns += [(f"{s}\n（项）", 14) for s in STATUS_COLUMNS]
    spare = 225 - sum(w for _, w in columns)
    columns[1] = ("单位", columns[1][1] + spare)  # the names take what the figures leave
    rows: list[tuple[str, ...]] = []
    red: set[tuple[int, int]] = set()
    late = len(columns) - 1
    for r, d in enumerate(f.departments):
        statuses = [sum(1 for t in d.tasks if t.shown_status == s) for s in STATUS_COLUMNS]
        rows.append((str(r + 1), d.short, *(d.values[i.id].plain for i in shown),
                     *([d.figures[rate].text] if rate else []), *([ranks.get(d.id, "—")] if ranked else []),
                     *(str(n) for n in statuses)))
        if statuses[-1]:
            red |= {(r, 1), (r, late)}
    totals = [sum(1 for t in f.tasks if t.shown_status == s) for s in STATUS_COLUMNS]
    rows.append(("", "合计", *(f.totals[i.id].plain for i in shown), *([f.figures[rate].text] if rate else []),
                 *([""] if ranked else []), *(str(n) for n in totals)))
    if totals[-1]:
        red.add((len(rows) - 1, late))
    note = f"统计期：{f.label}　各项数字为截至{chinese.format_date(f.last_day)}的累计数"
    after = ("注：任务按牵头单位统计；“逾期”为超过完成时限仍未完成的任务（以红色标出），合计栏每项任务计一次。",)
    grid = Grid(tuple(columns), tuple(rows), frozenset(red), frozenset({1}), True, note, after)
    lay = _stats_layout(plan, doc.id, f"{title}（{f.label}）", chinese.format_date(f.last_day), names)
    lay.heading = f"{title}\n（{f.label}）"
    chart = rate_chart(plan, doc.period, names) if doc.chart else None
    return lay, Progress(grid=grid, chart=chart, sheets={"进展情况统计表": grid, "逾期任务": _overdue_grid(f)})


def _overdue_grid(f: figures.Figures) -> Grid:
    columns = (("序号", 10), ("重点任务", 48), ("所属专题（领域）", 42), ("牵头单位", 40), ("完成时限", 27),
               ("逾期天数", 18), ("进展情况", 40))
    rows = tuple((str(k), t.title, t.group, t.lead_names, t.deadline, f"{t.days_overdue}天", t.note or t.status)
                 for k, t in enumerate(f.overdue, 1))
    red = frozenset((r, 5) for r in range(len(rows)))
    note = (f"截至{chinese.format_date(f.last_day)}，超过完成时限仍未完成的任务共{len(rows)}项，按逾期天数排列" if rows
            else f"截至{chinese.format_date(f.last_day)}，没有超过完成时限仍未完成的任务")
    return Grid(columns, rows, red, frozenset({1, 2, 3, 6}), False, note)


DUBAN_CLOSING = "请各牵头单位于收到本清单之日起5个工作日内报送整改措施和完成时限，逾期任务办结后报领导小组办公室销号。"


def duban(plan: Plan, doc: Duban, names: Mapping[str, str]) -> tuple[Layout, Progress]:
    """督办清单: each overdue task with its lead department, deadline and days overdue (in red)."""
    f = figures.compute(plan, doc.period, _who(names))
    title = doc.title or f"{_plain_title(plan)}逾期任务督办清单"
    grid = _overdue_grid(f)
    if not grid.rows:
        grid = Grid(grid.columns, (("", "（本期无逾期任务）", "", "", "", "", ""),), frozenset(), grid.left,
                    False, grid.note)
    if doc.closing is not None:  # the user's own paragraphs, their {{ figures }} filled in ([]: none)
        ctx = f.context()
        after = tuple(figures.render_text(text, ctx) for text in doc.closing)
    else:
        after = (DUBAN_CLOSING,) if f.overdue else ()
    grid = Grid(grid.columns, grid.rows, grid.red, grid.left, False, grid.note, after)
    lay = _stats_layout(plan, doc.id, f"{title}（{f.label}）", chinese.format_date(f.last_day), names)
    lay.heading = f"{title}\n（{f.label}）"
    return lay, Progress(grid=grid, sheets={"督办清单": grid})


def progress_layout(plan: Plan, doc: Jianbao | ProgressTable | Duban, names: Mapping[str, str],
                    issue: IssueNumber | None, series: Series | None) -> tuple[Layout, Progress]:
    """The layout of a 简报 (with its chart), a 进展情况统计表 or a 督办清单 (with their grids).
    A 简报's `issue` is the one bulletins.assign gave it: never guessed here."""
    if isinstance(doc, Jianbao):
        if issue is None:
            raise ValueError(f"{plan.id}/{doc.id}: no issue assigned (bulletins.assign assigns them)")
        chart = rate_chart(plan, doc.period, names) if doc.chart and doc.period else None
        return jianbao(plan, doc, names, issue, series), Progress(chart=chart)
    if isinstance(doc, ProgressTable):
        return progress_table(plan, doc, names)
    return duban(plan, doc, names)


def document(plan: Plan, doc: Any, names: Mapping[str, str], base: Path | None = None,
             refs: dict[str, str] | None = None) -> Layout:
    """layout.document's entry for a document with `period:`. A 通报 is laid out here; the 简报
    needs its issue from the workspace and the tables their grids, so build.jobs_for lays them
    out (see progress_jobs there)."""
    from . import layout
    if isinstance(doc, Tongbao) and doc.period:
        return layout.official(plan, tongbao(plan, doc, names), dict(names), base, refs=refs)
    raise ValueError(f"kind {doc.kind} is laid out with its workspace (build.jobs_for)")
