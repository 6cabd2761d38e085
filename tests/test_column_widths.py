"""The 任务分解表's columns are sized from their content, within the turned 版心: the grid fills
its 225 mm exactly, a department name never breaks across lines (the PDF, read with
pdfplumber), an empty 配合单位 column is narrow, and the page count fawen estimates is still
the count LibreOffice makes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import build, convert, layout, load, pdfread, tables
from generator.render import table_columns, table_docx

from conftest import PLANS

BAN_XIN = round(225 / 25.4 * 1440)  # twips: the width of the turned 版心
OLD_SUPPORT = round(45 / 25.4 * 1440)  # the fixed 配合单位 column before
LEFT_PT = 37 / 25.4 * 72  # the turned page's left margin: where the table starts

REGISTRY = """\
departments:
  - {id: zjj, name: 区住房和城乡建设局}
  - {id: zhzf, name: 区综合行政执法局}
  - {id: yjj, name: 区应急管理局}
  - {id: gaj, name: 区公安分局}
  - {id: sthj, name: 区生态环境分局}
"""

TASK = """\
      - id: t{n}
        title: {title}
        text: {text}
        lead: {lead}
        deadline: {deadline}
"""


def plan_text() -> str:
    """A plan whose tasks have long 牵头单位 and no 配合单位 at all."""
    tasks = []
    leads = ["[zjj, zhzf]", "[yjj]", "[zhzf, zjj, gaj]", "[sthj]", "[gaj, yjj]"]
    deadlines = ["2020年底前", "2021年6月30日前", "长期坚持", "2022-06", "2021年底前"]
    for n in range(1, 31):
        text = "开展城市建成区违法建设和占用消防通道专项治理，" * (1 + n % 4) + "建立长效管理机制。"
        tasks.append(TASK.format(n=n, title=f"专项治理{n}", text=text, lead=leads[n % 5],
                                 deadline=deadlines[n % 5]))
    return f"""\
id: widths
title: 城市管理安全专项整治方案
issuer: {{name: 某区安全生产委员会, code: 某安发}}
period: {{start: 2020-06, end: 2022-12}}
sections:
  - id: tasks
    title: 主要任务
    insert: tasks
task_groups:
  - id: city
    kind: 行业领域
    title: 城市管理安全整治
    lead: [zjj]
    tasks:
{"".join(tasks)}documents:
  - id: task-table
    kind: task-table
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, load.Source]:
    root = tmp_path_factory.mktemp("widths")
    (root / "departments.yaml").write_text(REGISTRY, encoding="utf-8")
    (root / "widths").mkdir()
    (root / "widths" / "plan.yaml").write_text(plan_text(), encoding="utf-8")
    workspace, problems = load.load([root / "widths"])
    assert [p for p in problems if p.severity == "error"] == []
    report = build.build(workspace, root / "out")
    assert report.ok, report.lines()
    return root / "out" / "widths", workspace.plans[0]


def grid(docx: Path | bytes) -> list[list[int]]:
    """Each table's grid column widths (twips)."""
    doc = Document(io.BytesIO(docx) if isinstance(docx, bytes) else str(docx))
    return [[int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))] for t in doc.tables]


def column_lines(pdf: bytes, bounds: tuple[float, float]) -> list[str]:
    """The text lines inside one column of the table (x between `bounds`, in pt), page by page."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if bounds[0] < c["x0"] and c["x1"] < bounds[1] and c["upright"]
                     and c["size"] < 13 and "Hei" not in str(c["fontname"])]  # cells, not heads or 专题 rows
            rows: dict[int, list[dict[str, float | str]]] = {}
            for c in chars:
                rows.setdefault(round(float(c["top"])), []).append(c)
            for top in sorted(rows):
                out.append("".join(str(c["text"]) for c in sorted(rows[top], key=lambda c: float(c["x0"]))))
    return out


def bounds_of(widths: list[int], column: int) -> tuple[float, float]:
    left = LEFT_PT + sum(widths[:column]) / 20
    return left, left + widths[column] / 20


def test_the_grid_fills_the_turned_ban_xin(built: tuple[Path, load.Source]) -> None:
    out, _ = built
    for widths in grid(out / "task-table.docx"):
        assert sum(widths) == BAN_XIN
        assert len(widths) == 6


def test_an_empty_support_column_is_narrow_and_the_text_column_wide(built: tuple[Path, load.Source]) -> None:
    out, _ = built
    number, title, text, lead, support, deadline = grid(out / "task-table.docx")[0]
    assert support < OLD_SUPPORT / 2  # “配合单位” and its dashes: 4 characters and a little
    assert support >= table_columns.MARGIN + 4 * table_columns.CHAR  # the head fits
    assert text == max(number, title, text, lead, support, deadline)


def test_department_names_stay_whole_on_their_lines(built: tuple[Path, load.Source]) -> None:
    """区住房和城乡建设局、区综合行政执法局: each name on one line of the 牵头单位 column, whole."""
    out, source = built
    widths = grid(out / "task-table.docx")[0]
    pdf = (out / "task-table.pdf").read_bytes()
    names = {d.name for d in source.registry.registry.departments}  # type: ignore[union-attr]
    lines = column_lines(pdf, bounds_of(widths, 3))
    assert "区住房和城乡建设局" in "".join(lines) and "区综合行政执法局" in "".join(lines)
    assert not any(line.startswith("、") for line in lines)  # a name's 、 stays with it at a line's end
    assert any(line.endswith("、") for line in lines)
    for line in lines:
        assert all(part in names for part in line.removesuffix("、").split("、")), line  # no name cut off
    # a long deadline breaks after its year, never inside 2021年 or 6月30日前
    deadlines = column_lines(pdf, bounds_of(widths, 5))
    assert "6月30日前" in deadlines and all(ln in ("2020年底前", "长期坚持", "2021年", "6月30日前",
                                                "2022年6月底前", "2022年", "6月底前", "2021年底前")
                                        for ln in deadlines), deadlines


def test_the_page_estimate_is_the_pdf_page_count(built: tuple[Path, load.Source]) -> None:
    out, source = built
    rows = tables.rows(source.plan)
    names = source.registry.names()  # type: ignore[union-attr]
    columns = ["number", "title", "text", "lead", "support", "deadline"]
    lay = layout.duties(source.plan, "城市管理安全专项整治方案任务分解表", names, [])
    counted = table_docx.pages_needed(rows, names, "各有关部门", columns,
                                      table_docx.used_above(lay.heading, False, lay.terms))
    assert counted == len(pdfread.read((out / "task-table.pdf").read_bytes())) > 1


@pytest.mark.parametrize("columns", [
    ["number", "title", "text", "lead", "support", "deadline"],
    ["number", "text", "lead", "deadline"],
    ["title", "lead", "support"],
])
def test_example_tables_fill_the_width_and_are_counted_right(columns: list[str], tmp_path: Path) -> None:
    """The 枣庄 example's rows (long 配合单位 lists), with several choices of columns: the grid
    is 225 mm, no department name breaks, and the estimate is LibreOffice's page count."""
    workspace, _ = load.load([PLANS / "zaozhuang-gxq-2020"])
    source = next(s for s in workspace.plans if s.plan.id == "zaozhuang-gxq-2020")
    names = source.registry.names()  # type: ignore[union-attr]
    rows = tables.rows(source.plan)
    lay = layout.duties(source.plan, "任务分解表", names, [])
    docx = table_docx.render(lay, rows, names, "各有关部门", columns)
    [widths] = grid(docx)
    assert sum(widths) == BAN_XIN
    pdf = convert.to_pdf(docx, "columns")
    counted = table_docx.pages_needed(rows, names, "各有关部门", columns,
                                      table_docx.used_above(lay.heading, False, lay.terms))
    assert counted == len(pdfread.read(pdf))
    for key in ("lead", "support"):
        if key in columns:
            lines = column_lines(pdf, bounds_of(widths, columns.index(key)))
            assert lines
            for line in lines:
                assert line in ("—", "各有关部门") or all(
                    part in names.values() for part in line.removesuffix("、").split("、")), line
    shutil.rmtree(tmp_path, ignore_errors=True)


def random_rows(seed: int) -> tuple[list[tables.Row], dict[str, str], list[str]]:
    """A table of random texts, department lists (none, all, one to eight names of 4 to 13
    characters), deadlines and columns: a page count that is one row off shows up here."""
    import random
    rnd = random.Random(seed)
    words = "安全生产专项整治消防通道建设管理隐患排查治理体系落实责任加强监督检查危险化学品道路运输城市燃气"
    names = {f"d{i}": "区" + "".join(rnd.choice(words) for _ in range(rnd.randint(2, 11))) + "局" for i in range(14)}
    rows, n = [], 0
    for g in range(rnd.randint(1, 4)):
        for _ in range(rnd.randint(2, 15)):
            n += 1
            lead = tuple(rnd.sample(list(names), rnd.choice([1, 1, 1, 2, 3])))
            support = rnd.choice([(), ("all",), tuple(rnd.sample([x for x in names if x not in lead],
                                                                  rnd.randint(1, 8)))])
            text = "".join(rnd.choice(words + "，。“”1234") for _ in range(rnd.randint(5, 140)))
            deadline = rnd.choice(["2020年底前", "2021年6月30日前", "长期坚持", "", "2022年上半年", "每月5日前",
                                   "收到通知后5个工作日内"])
            rows.append(tables.Row(str(n), f"g{g}", "分组" * rnd.randint(2, 8), rnd.choice(["专题", ""]), f"t{n}",
                                   "", "".join(rnd.choice(words) for _ in range(rnd.randint(2, 14))), text, lead,
                                   support, deadline, None))
    every = ["number", "title", "text", "lead", "support", "deadline"]
    return rows, names, rnd.choice([every, every, ["number", "text", "lead", "deadline"], ["title", "text", "support"]])


@pytest.mark.parametrize("seed", [1, 8, 19])
def test_random_tables_are_counted_as_libreoffice_sets_them(seed: int) -> None:
    """Seeds 1 and 8 end a page with a row 2–3 pt above the 版心's bottom, which LibreOffice
    moves on (table_docx.BOTTOM_GAP_PT)."""
    rows, names, columns = random_rows(seed)
    lay = layout.Layout(doc_id="t", title="任务分解表", author="a", subject="s", date="2020年1月1日", head=None)
    docx = table_docx.render(lay, rows, names, "各有关部门", columns)
    assert sum(grid(docx)[0]) == BAN_XIN
    counted = table_docx.pages_needed(rows, names, "各有关部门", columns,
                                      table_docx.used_above(lay.heading, False, lay.terms))
    assert counted == len(pdfread.read(convert.to_pdf(docx, f"random-{seed}")))


def test_a_table_ending_at_the_foot_of_a_page_adds_no_blank_page() -> None:
    """Rows of 20, 3 and 23 × 1 lines: page 2 ends 438.0 pt below the top of the 版心, 0.2 pt
    above the last row LibreOffice sets there; the paragraph a DOCX must end with still fits."""
    sizes = [20, 3] + [1] * 23
    rows = [tables.Row(str(i + 1), "g", "组", "", f"t{i}", "", "", "\n".join(["安全"] * n), ("d",), (), "", None)
            for i, n in enumerate(sizes)]
    lay = layout.Layout(doc_id="t", title="测试", author="a", subject="s", date="2020年1月1日", head=None)
    columns = ["number", "text", "lead"]
    docx = table_docx.render(lay, rows, {"d": "区应急局"}, "各有关部门", columns)
    pages = pdfread.read(convert.to_pdf(docx, "foot"))
    assert len(pages) == 2 == table_docx.pages_needed(rows, {"d": "区应急局"}, "各有关部门", columns,
                                                      table_docx.used_above("测试", False))
    assert "25" in "".join(ln.text for ln in pages[-1].lines)  # the last row, on the last page


def test_deadlines_break_between_words_never_inside_a_count() -> None:
    """收到通知后 | 5个工作日内, 2020年7月至 | 2021年12月 | 每月5日前: a number stays with its
    measure word and 月/年 with their number, in the cell and in the page count alike."""
    from generator.render.table_columns import cell, cell_lines, pack

    for text, cap, lines in (("收到通知后5个工作日内", 6.25, ["收到通知后", "5个工作日内"]),
                             ("印发之日起10个工作日内", 6.25, ["印发之日起", "10个工作日内"]),
                             ("2020年7月至2021年12月每月5日前", 6.25, ["2020年7月至", "2021年12月", "每月5日前"]),
                             ("2021年6月30日前", 6.25, ["2021年", "6月30日前"])):
        packed = pack("deadline", [text], cap)
        assert packed.split("\n") == lines, packed
        assert cell_lines(cell("deadline", [text]), cap) == len(lines)
