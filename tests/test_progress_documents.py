"""The documents made from progress data (简报, 进展情况统计表, 通报, 督办清单), read back from
the PDFs, DOCX and XLSX a real build writes: every figure equals what the counts in
plans/anshan-2021/progress/*.yaml give, computed here independently (Decimal, 四舍五入); the
同比 wording; the 简报's red name and rule; its issue line taken from the ledger and recorded;
overdue rows in red; schemas and the GB/T 9704 audit.
"""

from __future__ import annotations

import calendar
import io
import re
import shutil
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from lxml import etree

from generator import build, check, load, ooxml, pdfread

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "plans" / "anshan-2021"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4


# ---------------------------------------------------------------- the counts, computed here

def _yaml(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def period(pid: str) -> dict:  # type: ignore[type-arg]
    return _yaml(PLAN_DIR / "progress" / f"{pid}.yaml")


def total(pid: str, key: str, part: str = "counts") -> Decimal:
    return sum((Decimal(str(row.get(key, 0))) for row in period(pid)[part].values()), Decimal(0))


def pct(part: Decimal, whole: Decimal, places: int = 1) -> str:
    value = (part * 100 / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value}%"


def yoy(current: Decimal, before: Decimal) -> str:
    if current == before:
        return "持平"
    word = "上升" if current > before else "下降"
    return word + pct(abs(current - before), before)


def short_names() -> dict[str, str]:
    return {d["id"]: d.get("short") or d["name"] for d in _yaml(PLAN_DIR / "departments.yaml")["departments"]}


def overdue_days(pid: str) -> dict[str, int]:
    """Task title → days overdue at the period's end: a YYYY-MM deadline passed, not done."""
    plan = _yaml(PLAN_DIR / "plan.yaml")
    y, m = map(int, pid.split("-"))
    end = date(y, m, calendar.monthrange(y, m)[1])
    status: dict[str, str] = {}
    for p in sorted((PLAN_DIR / "progress").glob("*.yaml")):
        if p.stem <= pid:
            status.update({k: v["status"] for k, v in (_yaml(p).get("tasks") or {}).items()})
    out = {}
    for group in plan["task_groups"]:
        for task in group["tasks"]:
            deadline = str(task.get("deadline", ""))
            if not re.fullmatch(r"\d{4}-\d{2}", deadline) or status.get(task["id"]) in ("已完成", "办结销号"):
                continue
            ty, tm = map(int, deadline.split("-"))
            due = date(ty, tm, calendar.monthrange(ty, tm)[1])
            if due < end:
                out[task["title"]] = (end - due).days
    return out


# ---------------------------------------------------------------- one real build

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("progress-out")
    workspace, problems = load.load([PLAN_DIR])
    assert not [p for p in problems if p.severity == "error"]
    report = build.build(workspace, out, workers=2)
    assert report.ok, report.failed
    assert not [w for w in report.warnings if "anshan-2021/" in w], report.warnings
    return out / "anshan-2021"


def pages(built: Path, name: str) -> list[pdfread.Page]:
    return pdfread.read((built / f"{name}.pdf").read_bytes())


def text(built: Path, name: str) -> str:
    return "".join(ln.text for p in pages(built, name) for ln in p.body_lines)


def test_every_document_is_built_with_its_xlsx_and_chart(built: Path) -> None:
    for doc in ("jianbao-2021-08", "jianbao-2021-09", "progress-2021-08", "progress-2021-09", "tongbao-2021-09",
                "duban-2021-09"):
        assert (built / f"{doc}.docx").is_file() and (built / f"{doc}.pdf").is_file()
    for doc in ("progress-2021-08", "progress-2021-09", "duban-2021-09"):
        assert zipfile.is_zipfile(built / f"{doc}.xlsx")
    assert (built / "progress-2021-09-chart.png").read_bytes().startswith(b"\x89PNG")


def test_docx_are_schema_valid(built: Path) -> None:
    for docx in sorted(built.glob("*.docx")):
        assert ooxml.validate_docx(docx.read_bytes()) == [], docx.name


def test_bulletin_and_circular_figures_equal_the_counts(built: Path) -> None:
    found, fixed = total("2021-09", "found"), total("2021-09", "fixed")
    assert (found, fixed) == (407, 351)  # the reference's counts (its 90.10 % was wrong)
    rate = pct(fixed, found)
    assert rate == "86.2%"
    for doc in ("jianbao-2021-09", "tongbao-2021-09"):
        t = text(built, doc)
        assert f"排查隐患{found}项" in t and f"完成整改{fixed}项" in t and f"整改率{rate}" in t
        assert "90.1" not in t
        assert f"督导检查{total('2021-09', 'checks')}次" in t
    t = text(built, "jianbao-2021-09")
    new = found - total("2021-08", "found")
    assert f"本月新增排查隐患{new}项" in t
    assert f"较上月末{yoy(found, total('2021-08', 'found'))}" in t
    aug = text(built, "jianbao-2021-08")
    assert f"整改率{pct(total('2021-08', 'fixed'), total('2021-08', 'found'))}" in aug


def test_yoy_wording_up_down_unchanged(built: Path) -> None:
    t = text(built, "jianbao-2021-09")
    words = {}
    for key in ("accidents", "deaths", "injuries"):
        words[key] = yoy(total("2021-09", key), total("2021-09", key, "previous_year"))
    assert words == {"accidents": "下降50.0%", "deaths": "持平", "injuries": "上升50.0%"}  # all three wordings
    assert f"同比{words['accidents']}" in t
    assert f"死亡人数同比{words['deaths']}" in t
    assert f"受伤人数同比{words['injuries']}" in t


def test_top_and_bottom_three_by_rate(built: Path) -> None:
    counts = period("2021-09")["counts"]
    full = {d["id"]: d["name"] for d in _yaml(PLAN_DIR / "departments.yaml")["departments"]}
    rates = {dep: (Decimal(r["fixed"]) * 100 / Decimal(r["found"])) for dep, r in counts.items()}
    ranked = sorted(rates, key=lambda d: -rates[d])
    t = text(built, "tongbao-2021-09")
    top = "、".join(f"{full[d]}（{pct(Decimal(counts[d]['fixed']), Decimal(counts[d]['found']))}）"
                   for d in ranked[:3])
    bottom = "、".join(f"{full[d]}（{pct(Decimal(counts[d]['fixed']), Decimal(counts[d]['found']))}）"
                      for d in reversed(ranked[-3:]))
    assert f"整改率前三名：{top}。" in t
    assert f"整改率后三名：{bottom}。" in t


def test_bulletin_head_red_name_and_rule_in_docx(built: Path) -> None:
    root = etree.fromstring(zipfile.ZipFile(built / "jianbao-2021-09.docx").read("word/document.xml"))
    paragraphs = root.iter(f"{W}p")
    texts = [("".join(t.text or "" for t in p.iter(f"{W}t")), p) for p in paragraphs]
    name = next(p for t, p in texts if t == "鞍山经济开发区安全生产简报")
    colors = {c.get(f"{W}val") for c in name.iter(f"{W}color")}
    assert colors == {"FF0000"}
    size = int(next(name.iter(f"{W}sz")).get(f"{W}val")) / 2
    assert size >= 22
    byline = next(p for t, p in texts if t.startswith("鞍山经济开发区安全生产委员会办公室") and "2021年10月9日" in t)
    rule = byline.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule is not None and rule.get(f"{W}color") == "FF0000"
    assert byline.find(f".//{W}tab") is not None  # editor left, date right on one line


def test_bulletin_head_positions_in_pdf(built: Path) -> None:
    first = pages(built, "jianbao-2021-09")[0]
    lines = first.body_lines
    red = [ln for ln in lines if ln.chars[0].color and ln.chars[0].color[0] > 0.8 and ln.chars[0].color[1] < 0.2]
    assert red[0].text == "鞍山经济开发区安全生产简报"
    name = red[0]
    assert abs((name.x0 + name.x1) / 2 / MM - (28 + 156 / 2)) < 2  # centred in the 版心
    assert 37 <= name.top / MM <= 37 + 60
    issue = lines[lines.index(name) + 1]
    assert issue.text == "2021年第10期（总第42期）"
    assert issue.top > name.bottom and abs((issue.x0 + issue.x1) / 2 / MM - 106) < 2
    rules = [r for r in first.rules if r.color and r.color[0] > 0.8 and r.color[1] < 0.2]
    assert rules, "no red rule"
    rule = rules[0]
    assert abs(rule.x0 / MM - 28) < 1.5 and abs(rule.x1 / MM - 184) < 1.5
    byline = max((ln for ln in lines if ln.bottom <= rule.y), key=lambda ln: ln.bottom)
    assert byline.text.startswith("鞍山经济开发区安全生产委员会办公室") and byline.text.endswith("2021年10月9日")
    assert abs(byline.x1 / MM - 184) < 2 and rule.y > issue.bottom
    last = pages(built, "jianbao-2021-09")[-1]
    ends = [ln for ln in last.body_lines if re.match("(报|送|发)：", ln.text)]
    assert [ln.text[0] for ln in ends] == ["报", "送", "发"]
    ys = sorted(r.y for r in last.rules)
    assert ys[0] < ends[0].top and ys[-1] > ends[-1].bottom  # between rules


def test_bulletins_pass_the_audit(built: Path) -> None:
    for doc in ("jianbao-2021-08", "jianbao-2021-09", "tongbao-2021-09"):
        assert check.audit(built / f"{doc}.pdf") == [], doc
    assert check.is_bulletin(pages(built, "jianbao-2021-09")[0])
    assert not check.is_bulletin(pages(built, "tongbao-2021-09")[0])


def test_audit_finds_a_bulletin_without_its_red_rule(built: Path) -> None:
    first = pages(built, "jianbao-2021-09")
    first[0].rules = [r for r in first[0].rules if not (r.color and r.color[0] > 0.8)]
    assert "page 1: no red rule under the 编印单位 and date" in check.audit_pages(first)


def test_issue_lines_are_taken_in_date_order_and_recorded(built: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    ledger = _yaml(PLAN_DIR / "numbers.yaml")["series"][0]
    last = ledger["issues"][-1]["issue"]
    m = re.fullmatch(r"(\d{4})年第(\d+)期（总第(\d+)期）", last)
    assert m
    year, issue, running = int(m[1]), int(m[2]), int(m[3])
    aug = f"{year}年第{issue + 1}期（总第{running + 1}期）"
    sep = f"{year}年第{issue + 2}期（总第{running + 2}期）"
    assert aug in text(built, "jianbao-2021-08")
    assert sep in text(built, "jianbao-2021-09")
    status, out, _ = run_cli("number", "list", "--plans", str(PLAN_DIR))
    assert status == 0
    assert re.search(rf"{re.escape(aug)}\s+2021-09-08\s+anshan-2021/jianbao-2021-08\s+taken", out)
    assert re.search(rf"{re.escape(sep)}\s+2021-10-09\s+anshan-2021/jianbao-2021-09\s+taken", out)
    status, out, _ = run_cli("number", "next", "--series", ledger["id"], "--year", str(year),
                             "--plans", str(PLAN_DIR))
    assert (status, out.strip()) == (0, f"{year}年第{issue + 3}期（总第{running + 3}期）")


def test_a_bulletin_dated_between_takes_the_issue_between(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Issues follow the dates, not the order in the file: a 简报 added before the others
    takes the earlier issue, and those after it move on."""
    work = tmp_path / "plans"
    shutil.copytree(PLAN_DIR, work / "anshan-2021")
    plan = work / "anshan-2021" / "plan.yaml"
    source = plan.read_text(encoding="utf-8")
    extra = source.replace("documents:\n", "documents:\n  - id: jianbao-early\n    kind: jianbao\n"
                           "    series: kfq-jianbao\n    date: 2021-08-20\n    articles:\n"
                           "      - title: 汛期检查\n        body: [各单位开展汛期安全检查。]\n", 1)
    plan.write_text(extra, encoding="utf-8")
    status, out, err = run_cli("number", "list", "--plans", str(work))
    assert status == 0, err
    assert re.search(r"2021年第9期（总第41期）\s+2021-08-20\s+anshan-2021/jianbao-early", out)
    assert re.search(r"2021年第11期（总第43期）\s+2021-10-09\s+anshan-2021/jianbao-2021-09", out)


def _docx_rows(path: Path) -> list[list[tuple[str, set[str]]]]:
    """Each table row: (cell text, colours of its runs)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for tr in root.iter(f"{W}tr"):
        row = []
        for tc in tr.iter(f"{W}tc"):
            cell = "".join(t.text or "" for t in tc.iter(f"{W}t"))
            row.append((cell, {c.get(f"{W}val") for c in tc.iter(f"{W}color")}))
        out.append(row)
    return out


def test_statistics_table_figures_and_red_overdue_rows(built: Path) -> None:
    counts, shorts = period("2021-09")["counts"], short_names()
    rows = _docx_rows(built / "progress-2021-09.docx")
    head = [c for c, _ in rows[0]]
    assert head[1] == "单位" and "整改率" in head and head[-1].startswith("逾期")
    found_col = next(i for i, h in enumerate(head) if h.startswith("排查隐患"))
    fixed_col = next(i for i, h in enumerate(head) if h.startswith("完成整改"))
    rate_col = head.index("整改率")
    by_name = {r[1][0]: r for r in rows[1:]}
    late = {"应急办", "消防大队"}  # lead the tasks overdue at 2021-09-30 (一企一档, 九小场所整治)
    for dep, row in counts.items():
        cells = by_name[shorts[dep]]
        assert cells[found_col][0] == str(row["found"]) and cells[fixed_col][0] == str(row["fixed"])
        assert cells[rate_col][0] == pct(Decimal(row["fixed"]), Decimal(row["found"]))
        overdue = int(cells[-1][0])
        assert (overdue > 0) == (shorts[dep] in late)
        red = "FF0000" in cells[-1][1] and "FF0000" in cells[1][1]
        assert red == (overdue > 0), dep
        assert not any("FF0000" in colours for _, colours in cells[2:-1])
    totals = by_name["合计"]
    assert totals[found_col][0] == "407" and totals[fixed_col][0] == "351" and totals[rate_col][0] == "86.2%"
    pdf = text(built, "progress-2021-09")
    assert "86.2%" in pdf and "407" in pdf
    red_chars = "".join(c.text for p in pages(built, "progress-2021-09") for ln in p.lines for c in ln.chars
                        if c.color and c.color[0] > 0.8 and c.color[1] < 0.2)
    assert red_chars == "应急办1消防大队12"  # two names, their counts, and the total


def test_statistics_xlsx_matches_the_counts(built: Path) -> None:
    counts, shorts = period("2021-09")["counts"], short_names()
    wb = openpyxl.load_workbook(built / "progress-2021-09.xlsx")
    ws = wb["进展情况统计表"]
    head = [c.value for c in ws[2]]
    found_col = next(i for i, h in enumerate(head) if h.startswith("排查隐患"))
    fixed_col = next(i for i, h in enumerate(head) if h.startswith("完成整改"))
    rate_col = head.index("整改率")
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3) if r[1].value}
    for dep, row in counts.items():
        cells = rows[shorts[dep]]
        assert cells[found_col].value == row["found"] and cells[fixed_col].value == row["fixed"]
        expected = Decimal(pct(Decimal(row["fixed"]), Decimal(row["found"]))[:-1])
        assert Decimal(str(cells[rate_col].value)) == expected / 100 and cells[rate_col].number_format == "0.0%"
        late = cells[len(head) - 1].value > 0
        assert (cells[len(head) - 1].font.color is not None and cells[len(head) - 1].font.color.rgb == "FFFF0000") \
            == late
    assert rows["合计"][found_col].value == 407 and rows["合计"][fixed_col].value == 351
    overdue = wb["逾期任务"]
    listed = {r[1].value: r[5].value for r in overdue.iter_rows(min_row=3) if r[1].value}
    assert listed == overdue_days("2021-09")


def test_duban_lists_overdue_tasks_with_days(built: Path) -> None:
    expected = overdue_days("2021-09")
    assert expected  # the example has overdue tasks
    rows = _docx_rows(built / "duban-2021-09.docx")
    assert [c for c, _ in rows[0]][:6] == ["序号", "重点任务", "所属专题（领域）", "牵头单位", "完成时限", "逾期天数"]
    listed = {r[1][0]: r[5] for r in rows[1:]}
    assert {k: v[0] for k, v in listed.items()} == {k: f"{d}天" for k, d in expected.items()}
    assert all("FF0000" in colours for _, colours in listed.values())
    pdf = text(built, "duban-2021-09")
    for title, days in expected.items():
        assert title in pdf and f"{days}天" in pdf
    assert list(listed) == sorted(expected, key=lambda t: -expected[t])  # most overdue first


def test_statistics_pages_are_landscape_a4_with_turned_numbers(built: Path) -> None:
    for doc in ("progress-2021-09", "duban-2021-09"):
        assert check.audit(built / f"{doc}.pdf", official=False) == [], doc
        page = pages(built, doc)[0]
        assert round(page.width / MM) == 297 and round(page.height / MM) == 210


def test_chart_png_is_a_real_image(built: Path) -> None:
    from PIL import Image
    image = Image.open(io.BytesIO((built / "progress-2021-09-chart.png").read_bytes()))
    assert image.size[0] > 800 and image.size[1] > 400


def test_a_declared_issue_taken_by_another_bulletin_is_located(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "plans"
    shutil.copytree(PLAN_DIR, work / "anshan-2021")
    plan = work / "anshan-2021" / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith("documents:")) + 1
    lines[at:at] = ["  - id: jianbao-late\n", "    kind: jianbao\n", "    series: kfq-jianbao\n",
                    "    issue: 2021年第9期（总第41期）\n", "    date: 2021-10-20\n", "    articles:\n",
                    "      - title: 补充通报\n", "        body: [各单位继续推进整改。]\n"]
    plan.write_text("".join(lines), encoding="utf-8")
    status, _out, err = run_cli("validate", str(work))
    assert status == 1
    assert (f"plan.yaml:{at + 4}:12: error: issue line '2021年第9期（总第41期）' is already taken "
            "(by anshan-2021/jianbao-2021-08, 2021-09-08); the next issue of series 'kfq-jianbao' is "
            "2021年第11期（总第43期）") in err


def test_audit_finds_end_lines_split_across_pages(built: Path) -> None:
    read = pages(built, "jianbao-2021-09")
    assert check.audit_pages(read) == []
    end = next(ln for ln in read[-1].body_lines if ln.text.startswith("报："))
    read[0].lines.append(end)  # as if the 报 line stood on page 1, away from the others
    assert "page 1: the 报/送/发 lines do not stand together on the last page" in check.audit_pages(read)


# ---------------------------------------------------------------- layouts, without LibreOffice

def _source() -> load.Source:
    workspace, _ = load.load([PLAN_DIR])
    return workspace.plans[0]


def test_table_columns_follow_the_declared_indicators() -> None:
    from generator import layout_progress
    from generator.model.documents import ProgressTable
    source = _source()
    names = source.registry.names() if source.registry else {}
    doc = ProgressTable(id="t", kind="progress-table", period="2021-09", indicators=["fixed", "found"], chart=False)
    _lay, progress = layout_progress.progress_table(source.plan, doc, names)
    assert progress.grid is not None and progress.chart is None
    head = [h for h, _ in progress.grid.columns]
    assert head[:4] == ["序号", "单位", "完成整改\n（项）", "排查隐患\n（项）"] and head[4] == "整改率"
    assert abs(sum(w for _, w in progress.grid.columns) - 225) < 0.01  # the turned 版心's width


def test_no_ranked_figure_no_chart() -> None:
    from generator import layout_progress
    source = _source()
    plan = source.plan.model_copy(update={"figures": [f.model_copy(update={"rank": False})
                                                      for f in source.plan.figures]})
    assert layout_progress.rate_chart(plan, "2021-09", {}) is None
    assert layout_progress.rate_chart(source.plan, "2021-09", {}) is not None


def test_a_bulletin_dated_before_the_last_recorded_issue_warns(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "plans"
    shutil.copytree(PLAN_DIR, work / "anshan-2021")
    plan = work / "anshan-2021" / "plan.yaml"
    source = plan.read_text(encoding="utf-8")
    plan.write_text(source.replace("    date: 2021-09-08\n", "    date: 2021-08-01\n", 1), encoding="utf-8")
    status, _out, err = run_cli("validate", str(work))
    assert status == 0
    assert ("warning: this 简报 is dated 2021-08-01, before 2021年第8期（总第40期） of 2021-08-09 (ledger), "
            "yet takes 2021年第9期（总第41期）") in err


def test_circular_names_the_departments_behind_schedule(built: Path) -> None:
    plan = _yaml(PLAN_DIR / "plan.yaml")
    full = {d["id"]: d["name"] for d in _yaml(PLAN_DIR / "departments.yaml")["departments"]}
    late = overdue_days("2021-09")
    leads: list[str] = []
    for group in plan["task_groups"]:
        for task in group["tasks"]:
            if task["title"] in late:
                leads += [d for d in task.get("lead", group["lead"]) if d not in leads]
    order = list(full)
    behind = "、".join(full[d] for d in sorted(leads, key=order.index))
    t = text(built, "tongbao-2021-09")
    assert f"有{len(late)}项逾期未完成" in t and f"涉及{behind}。" in t


def test_statistics_heads_break_between_words_and_names_stay_whole(built: Path) -> None:
    """A column is as wide as its figures and its head's two-character words need: 督导 / 检查
    / （次）, never 督导检 / 查; a unit's 简称 stays on one line."""
    import pdfplumber

    with pdfplumber.open(built / "progress-2021-09.pdf") as pdf:
        words = pdf.pages[0].extract_words(keep_blank_chars=False, use_text_flow=True)
    lines = {w["text"] for w in words}
    assert {"督导", "检查", "（次）", "排查", "隐患", "（万元）"} <= lines
    assert not any(len(w) == 1 and w not in "0123456789" for w in lines if "\u4e00" <= w[0] <= "\u9fff"), lines
    for name in short_names().values():
        assert name in lines, name  # each 简称 on one line, not cut


def test_bulletin_end_lines_stand_at_the_foot_of_the_last_page(built: Path) -> None:
    """报/送/发 close a 简报 as a 版记 closes a 公文: at the foot of its last page (measured on the
    first PDF, set down in whole grid lines), whether under the text or on a page of their own."""
    for name in ("jianbao-2021-08", "jianbao-2021-09"):
        last = pages(built, name)[-1].body_lines
        assert last[-1].text.startswith("（共印")
        assert any(ln.text.startswith("报：") for ln in last)
        foot = pdfread.BODY_BOTTOM_MM * pdfread.MM
        assert 0 < foot - last[-1].bottom < pdfread.LINE_PT + 6, (name, last[-1].bottom)


def test_statistics_table_ranks_units_by_the_ranked_rate(built: Path) -> None:
    """整改率 is declared `rank: true`: a 排名 column beside it, ties sharing a rank (1, 1, 3)."""
    counts, shorts = period("2021-09")["counts"], short_names()
    rows = _docx_rows(built / "progress-2021-09.docx")
    head = [c for c, _ in rows[0]]
    rank_col = head.index("排名")
    assert head[rank_col - 1] == "整改率"
    rates = {shorts[d]: Decimal(pct(Decimal(r["fixed"]), Decimal(r["found"]))[:-1]) for d, r in counts.items()}
    for name, rate in rates.items():
        expected = 1 + sum(1 for other in rates.values() if other > rate)
        assert next(r for r in rows[1:] if r[1][0] == name)[rank_col][0] == str(expected), name
    assert next(r for r in rows[1:] if r[1][0] == "合计")[rank_col][0] == ""
