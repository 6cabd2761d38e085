"""任务分解表, 责任清单, the XLSX ledger and the Markdown roadmap, from the same plan."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from generator import build, check, fidelity, load, pdfread, tables
from generator.layout import departments_in

from conftest import PLANS

ZAO = "zaozhuang-gxq-2020"


@pytest.fixture(scope="module")
def source() -> load.Source:
    workspace, problems = load.load([PLANS / ZAO])
    assert problems == []
    return next(s for s in workspace.plans if s.plan.id == ZAO)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace, _ = load.load([PLANS / ZAO])
    target = tmp_path_factory.mktemp("tables")
    report = build.build(workspace, target, workers=2)
    assert report.ok, report.lines()
    return target / ZAO


def counts(source: load.Source) -> tuple[int, int, int]:
    plan = source.plan
    tasks = sum(len(g.tasks) for g in plan.task_groups)
    measures = sum(len(t.measures) for g in plan.task_groups for t in g.tasks)
    return len(plan.task_groups), tasks, measures


def test_xlsx_rows_dates_header_and_filters(source: load.Source, out: Path) -> None:
    _groups, tasks, measures = counts(source)
    wb = load_workbook(io.BytesIO((out / "tasks.xlsx").read_bytes()))
    ws = wb["任务分解表"]
    assert [c.value for c in ws[1]][:4] == ["序号", "专题/行业领域", "任务编号", "重点任务"]
    assert ws.max_row - 1 == tasks + measures
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:I{ws.max_row}"
    by_id = {row[2].value: row for row in ws.iter_rows(min_row=2)}
    assert by_id["road-routes"][7].value == "2020年6月30日前"
    assert by_id["road-routes"][8].value == datetime(2020, 6, 30)
    assert by_id["road-routes"][8].is_date
    assert by_id["study-staff-ratio"][8].value == datetime(2022, 12, 31)
    assert by_id["road-order"][7].value == "长期坚持" and by_id["road-order"][8].value is None
    assert ws.column_dimensions["E"].width >= 40


def test_xlsx_department_sheet_filters_to_exactly_its_tasks(source: load.Source, out: Path) -> None:
    wb = load_workbook(io.BytesIO((out / "tasks.xlsx").read_bytes()))
    ws = wb["部门责任"]
    names = source.registry.names()  # type: ignore[union-attr]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    mine = {(r[3], r[1]) for r in rows if r[0] == names["gx-gdb"]}  # 高新供电部
    assert mine == {("fire-lanes", "配合"), ("fire-stations", "配合"), ("fire-rural", "配合"),
                    ("fire-training", "配合"), ("power-grid", "配合"), ("power-plan", "配合")}


def test_every_department_list_holds_exactly_the_tasks_that_name_it(source: load.Source, out: Path) -> None:
    plan = source.plan
    names = source.registry.names()  # type: ignore[union-attr]
    order = departments_in(plan, list(names))
    text = "\n".join(p.text for p in Document(out / "duties.docx").paragraphs)
    parts = [p for p in re.split(r"\n(?=[一二三四五六七八九十]+、)", text) if re.match(r"[一二三四五六七八九十]+、", p)]
    for dep in order:
        expected = sorted(t.title or "" for g in plan.task_groups for t in g.tasks
                          if dep in (t.lead or g.lead)
                          or dep in ((t.support if t.support is not None else g.support) or []))
        part = next((p for p in parts if p.split("\n")[0].split("、", 1)[1] == names[dep]), None)
        assert part is not None, dep
        listed = sorted(re.findall(r"\n\d+\.(.+?)（", part))
        assert listed == expected, dep


def test_task_table_rows_and_repeated_header(source: load.Source, out: Path) -> None:
    groups, tasks, measures = counts(source)
    doc = Document(out / "task-table.docx")
    [table] = doc.tables
    assert len(table.rows) == 1 + groups + tasks + measures
    assert [c.text for c in table.rows[0].cells] == ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    pages = pdfread.read((out / "task-table.pdf").read_bytes())
    assert len(pages) >= 3
    for page in pages:
        assert abs(page.width / pdfread.MM - 297) < 1
        texts = [ln.text for ln in page.lines]
        assert any(t.replace(" ", "").startswith("序号重点任务具体措施") for t in texts), page.number
        number = check._turned_number(page)  # clause 8: along the left edge, turned with the page
        assert number is not None and re.sub(r"\s", "", number.text) == f"—{page.number}—"
        edge = (number.bottom if page.number % 2 else number.top) / pdfread.MM
        assert abs(edge - (184 - 14 / pdfread.MM if page.number % 2 else 28 + 14 / pdfread.MM)) < 1.5
    assert check.audit_pages(pages, official=False) == []


def test_summary_has_a_mermaid_roadmap_and_deadlines_by_date(source: load.Source, out: Path) -> None:
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "```mermaid\ngantt\n" in text
    assert "    动员部署 :p0, 2020-06-01, 2020-06-30" in text
    dated = re.findall(r"^\| [\d.]+ \| .+? \| .+? \| (\d{4})年(\d+)?", text, flags=re.M)
    years = [int(y) for y, _ in dated]
    assert years == sorted(years)
    assert text.rstrip().endswith("长期坚持 |")  # ongoing tasks come last


def test_responsibility_rows_follow_the_registry_order(source: load.Source) -> None:
    names = source.registry.names()  # type: ignore[union-attr]
    order = departments_in(source.plan, list(names))
    duties = tables.responsibilities(source.plan, order)
    assert [d.department for d in duties] == [d for d in order if any(x.department == d for x in duties)]
    assert all(not d.startswith("pl-") for d in order)  # another organ's departments are not this plan's


def test_roadmap_chart_is_drawn_with_chinese_labels_on_one_page(source: load.Source, out: Path) -> None:
    from generator.render import roadmap
    assert roadmap._font(None).startswith("Fandol")  # Chinese labels in a CJK face, not empty boxes
    png = roadmap.chart(source.plan)
    assert png.startswith(b"\x89PNG") and roadmap.chart(source.plan) == png  # deterministic
    doc = Document(out / "roadmap.docx")
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width <= 156 * 36000 + 1  # EMU: no wider than the 版心
    pages = pdfread.read((out / "roadmap.pdf").read_bytes())
    assert len(pages) == 1
    import pdfplumber
    with pdfplumber.open(out / "roadmap.pdf") as pdf:
        assert len(pdf.pages[0].images) == 1


def test_table_pages_are_counted_as_libreoffice_sets_them(source: load.Source, out: Path) -> None:
    """fawen counts the 任务分解表's pages row by row (so a notice it is bound with is
    converted once); the count must be what LibreOffice made, alone and bound as 附件2."""
    from generator.render import table_docx

    jobs = {j.doc_id: j for j in build.jobs_for(source)}
    assert jobs["task-table"].table is not None
    rows, names, all_text, columns = jobs["task-table"].table
    alone = pdfread.read((out / "task-table.pdf").read_bytes())
    assert table_docx.pages_needed(rows, names, all_text, columns, 2 * pdfread.LINE_PT) == len(alone)
    [bound] = [a for a in jobs["notice"].layout.appendices if a.table is not None]
    turned = [p for p in pdfread.read((out / "notice.pdf").read_bytes()) if p.width > p.height]
    assert table_docx.pages_needed(*bound.table, 4 * pdfread.LINE_PT) == len(turned)
    # twice the rows, about twice the pages
    twice = table_docx.pages_needed([*rows, *rows], names, all_text, columns, 2 * pdfread.LINE_PT)
    assert 2 * len(alone) - 1 <= twice <= 2 * len(alone) + 1


def test_task_table_bound_with_the_notice_continues_its_pages(out: Path) -> None:
    pages = pdfread.read((out / "notice.pdf").read_bytes())
    first = "".join(ln.text for ln in pages[0].lines)
    assert "附件：1.枣庄高新区安全生产专项整治三年行动方案" in first
    assert "2.枣庄高新区安全生产专项整治三年行动方案任务" in first
    turned = [p for p in pages if p.width > p.height]
    upright = ["".join(c.text for c in ln.chars if c.upright) for ln in turned[0].lines]
    assert "附件2" in upright
    for page in turned:  # numbering continues from the portrait pages, turned with the page
        number = check._turned_number(page)
        assert number is not None and re.sub(r"\s", "", number.text) == f"—{page.number}—"
    # the 版记 takes the back of a sheet (an even page): after a table ending on an odd page it
    # comes next, numbered; after an even one, a blank page comes first and neither is numbered (7.5)
    after = pages[turned[-1].number:]
    assert all(p.height > p.width for p in after)
    if turned[-1].number % 2:
        assert len(after) == 1 and check._page_number(after[0]) is not None
    else:
        assert len(after) == 2 and not after[0].footer_lines and not after[1].footer_lines
    assert check.audit_pages(pages) == []


def test_one_file_per_department_holds_only_its_own_tasks(source: load.Source, out: Path) -> None:
    names = source.registry.names()  # type: ignore[union-attr]
    text = "\n".join(p.text for p in Document(out / "duties-gx-gdb.docx").paragraphs)
    assert "".join(text.splitlines()[:2]) == "枣庄高新区安全生产专项整治三年行动责任清单（高新供电部）"
    assert re.findall(r"^\d+\.(.+?)（", text, flags=re.M) == [
        "打通消防生命通道", "建设微型消防站", "夯实乡村火灾防控基础", "重点人群消防培训", "电网安全风险管控",
        "修订大面积停电应急预案"]
    assert names["gx-gdb"] == "高新供电部"
    assert check.audit_pdf((out / "duties-gx-gdb.pdf").read_bytes()) != []  # not an official document…
    assert check.audit_pages(pdfread.read((out / "duties-gx-gdb.pdf").read_bytes()), official=False) == []


def test_a_long_table_is_split_where_its_head_repeats_anyway(tmp_path: Path) -> None:
    """1,000 tasks (80 landscape pages): LibreOffice lays one table out in quadratic time, so
    fawen sets tables of CHUNK_PAGES pages, each starting a page with its own head row. A
    reader sees the same pages: the head on top of every page and nowhere else, every row
    once, as many pages as counted."""
    import sys
    sys.path.insert(0, str(PLANS.parent / "bench"))
    from run import write_big_plan  # the benchmark's synthetic plan

    from generator import convert, layout
    from generator.render import table_docx
    workspace, problems = load.load([write_big_plan(tmp_path, 1000)])
    assert problems == []
    source = workspace.plans[0]
    names = source.registry.names() if source.registry else {}
    rows = tables.rows(source.plan)
    columns = ["number", "title", "text", "lead", "support", "deadline"]
    lay = layout.duties(source.plan, "任务分解表", names, [])
    docx = table_docx.render(lay, rows, names, "各有关部门", columns)
    pages_counted, starts = table_docx.plan_pages(rows, names, "各有关部门", columns,
                                                  table_docx.used_above(lay.heading, False, lay.terms))
    document = Document(io.BytesIO(docx))
    assert pages_counted == 80 and len(document.tables) >= 2
    assert len(document.tables) == len(starts) + 1 == -(-pages_counted // table_docx.CHUNK_PAGES)
    assert sum(len(t.rows) - 1 for t in document.tables) == len(rows) + len({r.group_id for r in rows})
    pages = pdfread.read(convert.to_pdf(docx, "long-table"))
    assert len(pages) == pages_counted
    for page in pages:  # the head on top of every page, once
        heads = [ln for ln in page.lines if ln.text.replace(" ", "").startswith("序号重点任务具体措施")]
        assert len(heads) == 1, page.number
        if page.number > 1:  # (page 1 has the title above it)
            assert all(heads[0].top <= ln.top for ln in page.lines if all(c.upright for c in ln.chars)), page.number
    assert fidelity.losses(docx, pages) == []  # every row's text is there
    text = "".join(ln.text for page in pages for ln in page.lines)
    assert text.count("（行业领域）") == len({r.group_id for r in rows})  # and no row twice
    assert text.count("第7组第13项任务") == 1
    assert check.audit_pages(pages, official=False) == []
