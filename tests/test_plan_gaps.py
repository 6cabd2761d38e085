"""Plans that validated but printed wrong (issue 15, “Gaps that validate but print wrong”), now
printed right: checked on the text of the rendered DOCX. The gaps that became errors (an empty
`lead:` of a group or a task, a group with `tasks: []`) are cases 75–77 of tests/broken/."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator import build, layout, load

from conftest import ROOT

VALID = ROOT / "tests" / "valid"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SECTIONS = """\
  - id: tasks
    title: 主要任务
    subsections:
      - title: 总体目标
        paragraphs: [到2022年底，消防安全水平明显提升。]
      - title: 工作原则
        paragraphs: [坚持问题导向。]
    insert: tasks
  - id: schedule
    title: 进度安排
    subsections:
      - title: 时间节点
        paragraphs: [分三个阶段推进。]
    insert: phases
"""

PHASES = """\
phases:
  - id: p1
    name: 动员部署
    start: 2020-06
    end: 2020-06
    text: 各单位要对照ISO
      9001标准，
      制定实施方案。
  - id: p2
    name: 排查整治
    start: 2020-07
    end: 2020-12
    text: |
      全面排查
      消防安全隐患，落实GB
      50016要求。
"""


def paragraphs(docx: Path) -> list[str]:
    """Each paragraph's text as Word shows it: a line break as a newline, a tab as a tab."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        text = "".join((el.text or "") if el.tag == W + "t" else "\n" if el.tag == W + "br" else "\t"
                       for el in p.iter(W + "t", W + "br", W + "tab"))
        if text:
            out.append(text)
    return out


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample plan with two subsections before its tasks, one before its phases, and phase
    texts written over several lines (a plain scalar and a `|` block), built to DOCX."""
    root = tmp_path_factory.mktemp("gaps")
    shutil.copy(VALID / "departments.yaml", root / "departments.yaml")
    source = (VALID / "sample" / "plan.yaml").read_text(encoding="utf-8")
    head, rest = source.split("  - id: tasks\n", 1)
    rest = rest.split("    insert: phases\n", 1)[1]
    before, after = rest.split("phases:\n", 1)
    after = after.split("documents:\n", 1)[1]
    (root / "sample").mkdir()
    (root / "sample" / "plan.yaml").write_text(head + SECTIONS + before + PHASES + "documents:\n" + after,
                                               encoding="utf-8")
    workspace, problems = load.load([root / "sample"])
    assert [p for p in problems if p.severity == "error"] == []
    out = root / "out"
    report = build.build(workspace, out, pdf=False)
    assert report.ok, report.lines()
    return paragraphs(out / "sample" / "notice.docx")


def test_task_groups_are_numbered_after_the_subsections(shown: list[str]) -> None:
    part = shown[shown.index("二、主要任务"):shown.index("三、进度安排")]
    assert [p[:3] for p in part if p.startswith("（") and p[2] == "）"] == ["（一）", "（二）", "（三）"]
    assert part[1].startswith("（一）总体目标。")
    assert part[2].startswith("（二）工作原则。")
    assert "（三）消防安全整治" in part
    assert "（一）消防安全整治" not in shown
    # the group's own tasks still count from 1.
    assert any(p.startswith("1.打通消防车通道") for p in part)


def test_phases_are_numbered_after_the_subsections(shown: list[str]) -> None:
    part = shown[shown.index("三、进度安排"):]
    assert part[1].startswith("（一）时间节点。")
    assert part[2].startswith("（二）动员部署（2020年6月）。")
    assert part[3].startswith("（三）排查整治（2020年7月至12月）。")


def test_a_phase_written_over_several_lines_is_one_chinese_paragraph(shown: list[str]) -> None:
    assert "（二）动员部署（2020年6月）。各单位要对照ISO 9001标准，制定实施方案。" in shown
    assert "（三）排查整治（2020年7月至12月）。全面排查消防安全隐患，落实GB 50016要求。" in shown
    phases = [p for p in shown if "动员部署（" in p or "排查整治（" in p]
    assert all("\n" not in p and "， " not in p and "查 消" not in p for p in phases)


def test_a_plan_with_none_of_these_keeps_its_numbering() -> None:
    """A section with subsections only, or inserting tasks only, numbers from （一） as before."""
    plan = load.load([VALID / "sample"])[0].plans[0].plan
    blocks = layout.plan_blocks(plan, {"xfjy": "消防救援大队", "zjj": "住房和城乡建设局", "gaj": "公安局"})
    texts = [b.text for b in blocks]
    assert "（一）消防安全整治" in texts
    assert any(t.startswith("（一）动员部署（2020年6月）。") for t in texts)


@pytest.mark.parametrize(("written", "joined"), [
    ("各单位要对照ISO 9001标准， 全面巩固。", "各单位要对照ISO 9001标准，全面巩固。"),
    ("认真总结\n经验做法，ISO\n9001。", "认真总结经验做法，ISO 9001。"),
    ("2020年 6月\t底前", "2020年6月底前"),
    ("A, B  and\n C", "A, B and C"),
    ("第一阶段　动员", "第一阶段　动员"),  # a full-width space is the writer's own
    ("部署启动。", "部署启动。"),
])
def test_join_lines(written: str, joined: str) -> None:
    assert layout.join_lines(written) == joined
