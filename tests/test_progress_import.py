"""`fawen progress template` → fill in → `fawen progress import`: round trip and bad cells.

Bad sheets are made here with openpyxl from a real template (no binary fixtures): each kind
of mistake gives exactly one located error per bad cell, exit 1, and nothing is written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from generator import figures, load

from conftest import ROOT, copy_campaign, progress_template


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of plans/ (the example campaign, its registry, the schemas) to import into."""
    copy_campaign(tmp_path)
    return tmp_path


def _state(root: Path) -> dict[str, bytes]:
    folder = root / "plans" / "anshan-2021"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_template_has_chinese_headers_departments_and_a_status_list(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(progress_template(run_cli, workspace, "2021-10"))
    assert book.sheetnames == ["说明", "累计数", "上年同期", "任务进展"]
    counts = book["累计数"]
    assert [c.value for c in counts[1]][:5] == ["单位编号", "单位名称", "督导检查（次）", "检查单位（家次）",
                                                "排查隐患（项）"]
    assert counts["B3"].value == "经开区应急管理办公室" and counts["A11"].value == "as-ny"
    assert counts["E3"].value == 120  # prefilled with the latest period's cumulative count
    tasks = book["任务进展"]
    lists = [dv for dv in tasks.data_validations.dataValidation if dv.type == "list"]
    assert lists and "未启动,推进中,已完成,逾期,办结销号" in lists[0].formula1
    assert book["说明"]["B2"].value == "2021-10"


def _import(run_cli: Any, root: Path, sheet: Path, replace: bool = False) -> tuple[int, str]:
    """`fawen progress import SHEET --plan plans/anshan-2021 [--replace]` → (status, stderr)."""
    flags = ["--replace"] if replace else []
    status, _out, err = run_cli("progress", "import", str(sheet), "--plan", "plans/anshan-2021", *flags, cwd=root)
    return status, err


def test_round_trip_gives_the_same_data(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    file = workspace / "plans/anshan-2021/progress/2021-09.yaml"
    before = yaml.safe_load(file.read_text(encoding="utf-8"))
    sheet = progress_template(run_cli, workspace, "2021-09")
    status, err = _import(run_cli, workspace, sheet, replace=True)
    assert status == 0, err
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/progress.schema.json\n")
    after = yaml.safe_load(text)
    indicators = {"counts": ("checks", "units", "found", "fixed", "talks", "fines", "accidents", "deaths",
                             "injuries"), "previous_year": ("accidents", "deaths", "injuries")}
    for data in (before, after):  # an indicator left out counts 0: the sheet shows it, the file says 0
        for key, ids in indicators.items():
            for row in data[key].values():
                for ind in ids:
                    row.setdefault(ind, 0)
    assert _numbers(after) == _numbers(before)
    assert after["counts"]["as-xfjy"]["accidents"] == 0
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=workspace)
    assert status == 0, err


def test_a_period_that_has_a_file_is_replaced_only_when_asked(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """Last month's file copied, 报告期 left unchanged: an error naming the file, nothing written;
    with --replace the file is rewritten, its $schema line kept."""
    file = workspace / "plans/anshan-2021/progress/2021-09.yaml"
    schema = "# yaml-language-server: $schema=../../schema/progress.schema.json"  # as someone wrote it
    file.write_text(file.read_text(encoding="utf-8").replace(file.read_text(encoding="utf-8").splitlines()[0],
                                                             schema), encoding="utf-8")
    sheet = progress_template(run_cli, workspace, "2021-09")
    book = load_workbook(sheet)
    book["累计数"]["E3"] = 125
    book.save(sheet)
    before = _state(workspace)
    status, err = _import(run_cli, workspace, sheet)
    assert status == 1
    assert (f"{sheet.name}!说明!B2: error: reporting period 2021-09 exists already in "
            "plans/anshan-2021/progress/2021-09.yaml; correct 报告期 (说明!B2) if the sheet is a new period's, "
            "or import with --replace to overwrite that file") in err, err
    assert _state(workspace) == before
    status, err = _import(run_cli, workspace, sheet, replace=True)
    assert status == 0, err
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == schema and lines[1].startswith("# 由 fawen progress import 从")
    assert "  as-yjb: {checks: 18, units: 46, found: 125, fixed: 108," in lines[5]


def _numbers(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _numbers(v) for k, v in node.items()}
    return Decimal(str(node)) if isinstance(node, int | float) else node


def test_a_new_period_is_filled_imported_and_computed(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = progress_template(run_cli, workspace, "2021-10")
    book = load_workbook(sheet)
    counts = book["累计数"]
    counts["E3"], counts["F3"] = 130, 121  # 应急办: found 130, fixed 121
    tasks = book["任务进展"]
    row = next(r for r in range(2, tasks.max_row + 1) if tasks.cell(r, 1).value == "duty-one-file")
    tasks.cell(row, 5).value, tasks.cell(row, 6).value, tasks.cell(row, 7).value = "已完成", "2021-10-20", "全部建档"
    book["说明"]["B3"] = "2021-11-03"
    book.save(sheet)
    status, _out, err = run_cli("progress", "import", str(sheet), "--plan", "plans/anshan-2021", cwd=workspace)
    assert status == 0, err
    written = workspace / "plans/anshan-2021/progress/2021-10.yaml"
    assert "  duty-one-file: {status: 已完成, date: 2021-10-20, note: 全部建档}" in written.read_text(encoding="utf-8")
    plan_text = (workspace / "plans/anshan-2021/plan.yaml").read_text(encoding="utf-8")
    assert "  - include: progress/2021-10.yaml" in plan_text
    ws, problems = load.load([workspace / "plans/anshan-2021"])
    assert problems == []
    source = ws.plans[0]
    f = figures.compute(source.plan, "2021-10")
    found, fixed = 407 + 10, 351 + 13
    assert f.totals["found"].text == f"{found}项"
    assert f.figures["整改率"].text == f"{figures.round_half_up(Decimal(fixed) * 100 / Decimal(found), 1)}%"
    assert "duty-one-file" not in {t.id for t in f.overdue}


SHEETS = sorted(p for p in (ROOT / "tests" / "broken").iterdir() if (p / "sheet.yaml").is_file())


def bad_sheet(case: Path, root: Path, run_cli: Any) -> Path:
    """The case's 报表: a real template of its period with the case's cells written in, saved as
    sheet.xlsx (the cases are text — tests/broken/NNN-sheet-*/sheet.yaml — not binary files)."""
    spec = yaml.safe_load((case / "sheet.yaml").read_text(encoding="utf-8"))
    book = load_workbook(progress_template(run_cli, root, str(spec["period"])))
    for cell in spec["cells"]:
        if "merge" in cell:  # two cells merged into one, as a hurried user might
            book[cell["sheet"]].merge_cells(cell["merge"])
        else:
            book[cell["sheet"]][cell["cell"]] = cell["value"]
    out = root / "sheet.xlsx"
    book.save(out)
    return out


def test_every_kind_of_sheet_mistake_has_a_case() -> None:
    assert len(SHEETS) >= 14


@pytest.mark.parametrize("case", SHEETS, ids=[c.name for c in SHEETS])
def test_bad_cells_are_located_and_nothing_is_written(run_cli, workspace: Path, case: Path) -> None:  # type: ignore[no-untyped-def]
    """One exact error per bad cell (FILE.xlsx!Sheet!C7: error: …; fix), exit 1, nothing written."""
    sheet = bad_sheet(case, workspace, run_cli)
    before = _state(workspace)
    status, _out, err = run_cli("progress", "import", sheet.name, "--plan", "plans/anshan-2021", cwd=workspace)
    assert status == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert lines == (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert err.rstrip().endswith("nothing was written") and "Traceback" not in err
    assert _state(workspace) == before


def test_a_sheet_that_would_make_the_plan_invalid_writes_nothing(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """Every cell is good, but August re-reported above September breaks a plan rule (counts are
    cumulative): the plan with the re-imported period is validated before anything is written."""
    sheet = progress_template(run_cli, workspace, "2021-08")
    book = load_workbook(sheet)
    book["累计数"]["E3"] = 125  # 应急办's found in August; September says 120
    book.save(sheet)
    before = _state(workspace)
    status, err = _import(run_cli, workspace, sheet, replace=True)
    assert status == 1
    assert ("plans/anshan-2021/progress/2021-09.yaml:6:42: error: found of as-yjb fell from 125 (2021-08) to 120"
            in err), err
    assert _state(workspace) == before


def test_template_refuses_a_period_it_cannot_report(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    for period, message in (("2021-13", "is not a real date"),
                            ("2023-01", "lies outside the campaign 2020-06..2022-12")):
        status, _out, err = run_cli("progress", "template", "plans/anshan-2021", "--period", period, "-o", "t.xlsx",
                                    cwd=workspace)
        assert status == 2 and message in err, err
        assert not (workspace / "t.xlsx").exists()


def test_a_file_that_is_not_a_workbook(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    (workspace / "x.xlsx").write_text("not a workbook", encoding="utf-8")
    status, _out, err = run_cli("progress", "import", "x.xlsx", "--plan", "plans/anshan-2021", cwd=workspace)
    assert status == 1 and "x.xlsx:1:1: error: cannot read the workbook" in err


def test_rows_equal_to_the_last_period_are_a_warning(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """A row identical to last period's may be “no change” or a department that did not report:
    the import says which, as a warning, and still writes the period."""
    sheet = progress_template(run_cli, workspace, "2021-10")
    book = load_workbook(sheet)
    counts = book["累计数"]
    for r in range(3, counts.max_row + 1):
        if counts.cell(r, 1).value not in ("as-zrzy", "as-ny"):
            counts.cell(r, 3).value += 1  # 督导检查 +1: every other department reported a change
    book.save(sheet)
    status, err = _import(run_cli, workspace, sheet)
    assert status == 0, err
    assert (f"{sheet.name}!累计数!A7: warning: 2 department(s) report exactly the counts of the last period: "
            "as-zrzy, as-ny; check that they really reported (no change); a row left blank means not "
            "reported") in err.splitlines()
    assert (workspace / "plans/anshan-2021/progress/2021-10.yaml").is_file()


def test_a_row_left_blank_is_not_reported(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    """A blank cell in a row that reports is an error (case 164); a row left wholly blank is a
    department that did not report: it keeps its last figures, no error, no 0."""
    sheet = progress_template(run_cli, workspace, "2021-10")
    book = load_workbook(sheet)
    counts = book["累计数"]
    for c in range(3, counts.max_column + 1):
        counts.cell(4, c).value = None  # as-zjj
    counts["C3"] = 19
    book.save(sheet)
    status, err = _import(run_cli, workspace, sheet)
    assert status == 0, err
    written = yaml.safe_load((workspace / "plans/anshan-2021/progress/2021-10.yaml").read_text(encoding="utf-8"))
    assert "as-zjj" not in written["counts"]
    ws, problems = load.load([workspace / "plans/anshan-2021"])
    assert problems == []
    assert figures.compute(ws.plans[0].plan, "2021-10").totals["found"].text == "407项"


def test_the_template_is_the_same_bytes_every_time(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    first = progress_template(run_cli, workspace, "2021-10").read_bytes()
    again = progress_template(run_cli, workspace, "2021-10").read_bytes()
    assert first == again
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2021-10-31T00:00:00Z" in core  # the period's end, not the wall clock
