"""Small defects a review found: 上年同期 carried unchanged, the 督办清单's closing, a department's
unknown figure, a clashing figure name's hint, `fawen schema --help`, two `fawen init` in a row."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook

from generator import build, load
from generator.layout_progress import DUBAN_CLOSING
from generator.validate_figures import duplicate_hint, free_name

from conftest import PLANS, ROOT, copy_campaign, progress_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ---------------------------------------------------------------- 1. 上年同期 carried silently

def _rows(ws: Any) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value}


def test_previous_year_values_carried_from_the_last_period_are_a_warning(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The 2021-10 sheet comes with September 2020's figures in 上年同期: left as they are, the
    同比 of 2021-10 would compare against the wrong month, so the import says so."""
    copy_campaign(tmp_path)
    sheet = progress_template(run_cli, tmp_path, "2021-10")
    book = load_workbook(sheet)
    counts = book["累计数"]
    for r in range(3, counts.max_row + 1):
        counts.cell(r, 3).value += 1  # every department reported new counts: no 累计数 warning
    book.save(sheet)
    status, _out, err = run_cli("progress", "import", str(sheet), "--plan", "plans/anshan-2021", cwd=tmp_path)
    assert status == 0, err
    row = _rows(book["上年同期"])["as-yjb"]
    assert (f"{sheet.name}!上年同期!A{row}: warning: 3 department(s) give exactly the previous-year values of the "
            "last period: as-yjb, as-zjj, as-jtj; the year-ago figures (上年同期) must be those of the same period "
            "a year earlier; update them, or the 同比 compares against the wrong month") in err.splitlines(), err
    assert "exactly the counts of the last period" not in err


def test_previous_year_values_updated_give_no_warning(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_campaign(tmp_path)
    sheet = progress_template(run_cli, tmp_path, "2021-10")
    book = load_workbook(sheet)
    counts, previous = book["累计数"], book["上年同期"]
    for r in range(3, counts.max_row + 1):
        counts.cell(r, 3).value += 1
    rows = _rows(previous)
    for dept in ("as-yjb", "as-zjj", "as-jtj"):
        previous.cell(rows[dept], 3).value += 1  # October 2020's accidents, one more than September's
    book.save(sheet)
    status, _out, err = run_cli("progress", "import", str(sheet), "--plan", "plans/anshan-2021", cwd=tmp_path)
    assert status == 0, err
    assert "warning" not in err, err


# ---------------------------------------------------------------- 2. the 督办清单's closing

def _duban_paragraphs(tmp_path: Path, closing: str | None) -> list[str]:
    """Build the example's 督办清单 (DOCX only) with `closing` written into it; its paragraphs."""
    folder = copy_campaign(tmp_path)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    head = "  - id: duban-2021-09\n    kind: duban\n    period: 2021-09\n"
    assert head in text
    if closing is not None:
        plan.write_text(text.replace(head, head + closing), encoding="utf-8")
    workspace, problems = load.load([folder])
    assert not [p for p in problems if p.severity == "error"], problems
    out = tmp_path / "out"
    report = build.build(workspace, out, pdf=False, workers=1)
    assert report.ok, report.failed
    root = etree.fromstring(zipfile.ZipFile(out / "anshan-2021" / "duban-2021-09.docx").read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def test_duban_closing_defaults_to_the_sentence(tmp_path: Path) -> None:
    paragraphs = _duban_paragraphs(tmp_path, None)
    assert DUBAN_CLOSING in paragraphs


def test_duban_closing_is_the_plans_own(tmp_path: Path) -> None:
    closing = ("    closing:\n      - 以上{{ 逾期任务数 }}逾期任务，请各牵头单位于10月20日前报送整改措施。\n"
               "      - 联系人：张三，电话：0412-1234567。\n")
    paragraphs = _duban_paragraphs(tmp_path, closing)
    said = next(p for p in paragraphs if p.endswith("逾期任务，请各牵头单位于10月20日前报送整改措施。"))
    assert re.fullmatch(r"以上\d+项逾期任务，请各牵头单位于10月20日前报送整改措施。", said), said
    assert "联系人：张三，电话：0412-1234567。" in paragraphs
    assert not any("销号" in p and "5个工作日" in p for p in paragraphs)


def test_duban_closing_empty_prints_none(tmp_path: Path) -> None:
    paragraphs = _duban_paragraphs(tmp_path, "    closing: []\n")
    assert not any("5个工作日" in p for p in paragraphs)


# ---------------------------------------------------------------- 3. a department's unknown figure

def test_a_departments_unknown_figure_names_what_it_has(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from generator import figures
    from generator.errors import RenderError
    folder = copy_campaign(tmp_path)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("  - id: duban-2021-09\n", "  - id: report\n    kind: tongbao\n"
                        "    number: 鞍开安委发〔2021〕88号\n    title: 关于安全生产专项整治三年行动进展情况的通报\n"
                        "    to: [各有关部门]\n"
                        "    date: 2021-10-12\n    seal: true\n    period: 2021-09\n    body:\n"
                        "      - 住建局整改率{{ 部门['住建局'].整改效率 }}。\n"
                        "  - id: duban-2021-09\n")
    plan.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "整改效率" in t)
    errors = [e for e in err.splitlines() if ": error: " in e]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"plans/anshan-2021/plan.yaml:{line}:"), err
    assert "住建局 has no figure '整改效率'; its figures: " in errors[0]
    assert "整改率" in errors[0] and "排查隐患" in errors[0] and "Unit object" not in err
    ws, _problems = load.load([PLANS / "anshan-2021"])
    source = ws.plans[0]
    ctx = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None).context()
    with pytest.raises(RenderError, match=r"住建局 has no figure 'x'; its figures: .*整改率"):
        figures.render_text("{% for d in 各单位 %}{% if d.简称 == '住建局' %}{{ d.x }}{% endif %}{% endfor %}", ctx)
    assert figures.render_text("{{ 部门['住建局'].整改率 }}", ctx).endswith("%")  # known names still fill in


# ---------------------------------------------------------------- 4. a clashing figure name's hint

def test_the_hint_of_a_clashing_name_suggests_a_free_one() -> None:
    assert free_name("整改率", {"整改率"}) == "整改率2"
    assert free_name("整改率", {"整改率", "整改率2", "整改率3"}) == "整改率4"
    hint = duplicate_hint("整改率", {"整改率", "整改率2"})
    assert not re.search(r"e\.g\. 整改率(?!\d)", hint) and "整改率3" in hint


def test_a_duplicate_figure_is_not_told_to_take_its_own_name(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = copy_campaign(tmp_path)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    line = "  - {name: 隐患占比, kind: share, of: found, decimals: 1}\n"
    plan.write_text(text.replace(line, line.replace("隐患占比", "整改率")), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    found = [e for e in err.splitlines() if "figure name '整改率' is already" in e]
    assert found and not re.search(r"e\.g\. 整改率(?!\d)", found[0]), err


# ---------------------------------------------------------------- 5. `fawen schema --help`

def test_schema_help_text_names_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from generator import cli, schema
    with pytest.raises(SystemExit):
        cli.main(["schema", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    said = out[out.index("which file:"):]
    assert "plan (default)" in said
    for kind in schema.KINDS:
        assert kind in said, kind
    assert {"numbers", "progress"} <= set(schema.KINDS)


# ---------------------------------------------------------------- 6. two `fawen init` in a row

def test_two_inits_in_one_repository_validate(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plans").mkdir()
    shutil.copy(PLANS / "departments.yaml", tmp_path / "plans" / "departments.yaml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    for name in ("one", "two"):
        status, _out, err = run_cli("init", f"plans/{name}", cwd=tmp_path)
        assert status == 0, err
    numbers = [re.search(r"number: (\S+)", (tmp_path / "plans" / n / "plan.yaml").read_text(encoding="utf-8"))
               for n in ("one", "two")]
    first, second = (m.group(1) if m else "" for m in numbers)
    assert first != second and re.fullmatch(r"安委发〔\d{4}〕2号", second), (first, second)
    status, out, err = run_cli("validate", cwd=tmp_path)
    assert status == 0, err
    assert "2 plans valid" in out


def test_two_inits_side_by_side_validate(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Without a registry above, each init writes its own departments.yaml; the two still
    validate together (`fawen validate .`)."""
    for name in ("a", "b"):
        status, _out, err = run_cli("init", name, cwd=tmp_path)
        assert status == 0, err
    status, out, err = run_cli("validate", ".", cwd=tmp_path)
    assert status == 0, err
    assert "2 plans valid" in out
