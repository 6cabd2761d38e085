"""Gaps that validated but printed wrong (issue 15): each checked on real output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator import build, load
from generator.render import markdown, roadmap
from generator.titles import words

from conftest import PLANS

DEPARTMENTS = """\
departments:
  - {id: yjglj, name: 应急管理局, short: 应急局}
  - {id: xfjy, name: 消防救援大队, short: 消防大队}
  - {id: gaj, name: 公安局}
"""

TITLE = "某县城乡结合部和老旧小区电动自行车充电设施消防安全隐患集中排查整治专项行动方案"


def _plan(tmp_path: Path, period: str = "{start: 2020-06, end: 2020-09}", documents: str = "") -> load.Source:
    tasks = "\n".join(f"      - {{id: t{n}, title: 任务{n}, text: 做好第{n}项工作。, deadline: 2020年9月底前}}"
                      for n in range(1, 13))
    (tmp_path / "departments.yaml").write_text(DEPARTMENTS, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(f"""\
id: gaps
title: {TITLE}
issuer:
  name: 某县安全生产委员会
  code: 某安发
period: {period}
sections:
  - id: tasks
    title: 主要任务
    insert: tasks
task_groups:
  - id: fire
    kind: 行业领域
    title: 消防安全整治
    lead: [xfjy]
    support: [gaj]
    tasks:
{tasks}
      - {{id: t13, title: 任务13, text: 做好第13项工作。, deadline: 2020年7月底前, lead: [yjglj]}}
documents:
{documents or '''  - {id: duties, kind: responsibilities, per_department: true}
  - {id: roadmap, kind: roadmap}'''}
""", encoding="utf-8")
    workspace, problems = load.load([tmp_path])
    assert [p for p in problems if p.severity == "error"] == []
    return workspace.plans[0]


# 1 ------------------------------------------------------------------ per-department 责任清单

def test_per_department_lists_use_the_documents_title(tmp_path: Path) -> None:
    source = _plan(tmp_path, documents="""\
  - id: duties
    kind: responsibilities
    title: 电动自行车充电设施整治责任清单
    per_department: true
""")
    jobs = {j.doc_id: j.layout for j in build.jobs_for(source)}
    assert jobs["duties"].title == "电动自行车充电设施整治责任清单"
    assert jobs["duties-xfjy"].title == "消防救援大队电动自行车充电设施整治责任清单"
    assert jobs["duties-yjglj"].title == "应急管理局电动自行车充电设施整治责任清单"
    # the title block printed on the page says the same
    assert "".join(jobs["duties-xfjy"].blocks[0].lines) == "消防救援大队电动自行车充电设施整治责任清单"


def test_per_department_lists_without_a_title_keep_the_plan_title(tmp_path: Path) -> None:
    jobs = {j.doc_id: j.layout for j in build.jobs_for(_plan(tmp_path))}
    campaign = TITLE.removesuffix("方案").removesuffix("实施").removesuffix("工作")
    assert jobs["duties-xfjy"].title == f"{campaign}责任清单（消防救援大队）"  # not 消防救援大队某县…


# 2 ------------------------------------------------------------------ summary.md

def test_summary_orders_deadlines_by_date_then_by_number(tmp_path: Path) -> None:
    source = _plan(tmp_path)
    text = markdown.summary(source.plan, source.registry.names())  # type: ignore[union-attr]
    table = text.split("## 完成时限（按日期）")[1]
    numbers = re.findall(r"^\| (\d+) \|", table, flags=re.M)
    assert numbers == ["13", *(str(n) for n in range(1, 13))]  # 7月 first, then 1, 2 … 10, 11, 12
    milestones = re.findall(r"^    (\d+) 任务\d+ :milestone, m\d+, (\S+),", text, flags=re.M)
    assert [n for n, _ in milestones] == ["13", *(str(n) for n in range(1, 13))]


def test_summary_mermaid_title_is_whole(tmp_path: Path) -> None:
    source = _plan(tmp_path)
    text = markdown.summary(source.plan, source.registry.names())  # type: ignore[union-attr]
    assert f"    title {TITLE}重点任务推进路线图\n" in text


def test_long_mermaid_labels_are_cut_between_words() -> None:
    label = markdown._mermaid_label(TITLE)
    assert len(label) <= markdown.LABEL_CHARS and TITLE.startswith(label)
    cut = words(TITLE)
    assert label in {"".join(cut[:k]) for k in range(1, len(cut) + 1)}  # ends at a word's end


# 3 ------------------------------------------------------------------ the roadmap chart

@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """The figures the chart draws, kept open (the chart closes them) so their axes can be read."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figures: list[Any] = []
    monkeypatch.setattr(plt, "close", figures.append)
    yield figures
    monkeypatch.undo()
    for fig in figures:
        plt.close(fig)


def _ticks(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_xticklabels()]


def test_a_four_month_campaign_has_a_tick_each_month_in_chinese(tmp_path: Path, drawn: list[Any]) -> None:
    source = _plan(tmp_path)
    assert roadmap.chart(source.plan).startswith(b"\x89PNG")
    (fig,) = drawn
    assert _ticks(fig) == ["2020年6月", "7月", "8月", "9月", "10月"]
    assert fig.axes[0].get_title().replace("\n", "") == f"{TITLE}重点任务推进路线图"


def test_the_roadmap_uses_its_documents_title(tmp_path: Path, drawn: list[Any]) -> None:
    source = _plan(tmp_path, documents="""\
  - {id: roadmap, kind: roadmap, title: 电动自行车充电设施整治路线图}
""")
    roadmap.chart(source.plan)
    assert drawn[0].axes[0].get_title() == "电动自行车充电设施整治路线图"


def test_a_short_campaign_has_a_tick_each_week(tmp_path: Path, drawn: list[Any]) -> None:
    source = _plan(tmp_path, period="{start: 2020-06-01, end: 2020-07-15}",
                   documents="  - {id: roadmap, kind: roadmap}\n")
    roadmap.chart(source.plan.model_copy(update={"task_groups": []}))
    labels = _ticks(drawn[0])
    assert labels[0] == "2020年5月18日" and labels[1:3] == ["5月25日", "6月1日"] and labels[-1] == "7月27日"


def test_a_long_campaign_keeps_about_a_dozen_ticks() -> None:
    marks = roadmap.ticks(date(2020, 5, 17), date(2023, 1, 15))  # 2020-06 … 2022-12 with the margins
    assert [label for _, label in marks] == ["2020年7月", "10月", "2021年1月", "4月", "7月", "10月",
                                             "2022年1月", "4月", "7月", "10月", "2023年1月"]


# 4 ------------------------------------------------------------------ fawen number list CODE

def test_number_list_with_a_code_lists_only_that_code(run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, _err = run_cli("number", "list", "枣高安发", "--plans", str(PLANS))
    assert status == 0
    assert "鞍山市安全生产简报" not in out  # a bulletin series has no 机关代字
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed and all(number.startswith("枣高安发") for number in listed)
    status, out, _err = run_cli("number", "list", "--plans", str(PLANS))
    assert status == 0 and "鞍山市安全生产简报  2021年第23期（总第101期）  2021-10-27" in out


# 5 ------------------------------------------------------------------ stdout and stderr

def test_validate_prints_its_result_on_stdout_and_problems_on_stderr(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _plan(tmp_path)
    status, out, err = run_cli("validate", str(tmp_path))
    assert status == 0 and out == "1 plan valid\n"
    (tmp_path / "plan.yaml").write_text((tmp_path / "plan.yaml").read_text(encoding="utf-8")
                                        .replace("lead: [xfjy]", "lead: [nobody]"), encoding="utf-8")
    status, out, err = run_cli("validate", str(tmp_path))
    assert status == 1 and out == "" and "unknown department id 'nobody'" in err
