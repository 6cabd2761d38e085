"""Group kinds are labels a plan declares (专题 and 行业领域 unless it declares others), printed
after the group's name in the 任务分解表, or not at all when no group has one; a group with
`lead: none` has no lead, printed without any “（…牵头…）”. Checked on the built DOCX and
summary.md, and on what `validate` says. The broken-plan cases 26 and 95–99 hold the exact
messages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from generator import build, diff, load, validate

from conftest import ROOT

VALID = ROOT / "tests" / "valid"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PLAN = """\
id: labels
title: 消防安全专项整治工作方案
issuer: {name: 某县安全生产委员会, code: 某安发}
period: {start: 2020-06, end: 2022-12}
group_kinds: [工作措施, 保障措施]
sections:
  - id: tasks
    title: 工作措施
    insert: tasks
task_groups:
  - id: fire
    kind: 工作措施
    title: 消防安全整治
    lead: [xfjy]
    support: [zjj, gaj]
    tasks:
      - id: fire-lanes
        title: 打通消防车通道
        text: 打通消防车通道。
        deadline: 2021年底前
  - id: guarantee
    kind: 保障措施
    title: 加强组织领导
    lead: none
    note: 各单位主要负责同志亲自部署
    tasks:
      - id: leadership
        title: 压实领导责任
        text: 各单位主要负责同志是第一责任人。
      - id: inspection
        title: 强化督导检查
        text: 定期开展督导检查。
        lead: [yjglj]
        support: [gaj]
        deadline: 2020年底前
documents:
  - id: notice
    kind: notice
    number: 某安发〔2020〕7号
    to: [各有关单位]
    date: 2020-06-23
    seal: true
  - id: task-table
    kind: task-table
  - id: duties
    kind: responsibilities
"""


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(VALID / "departments.yaml", root / "departments.yaml")
    (root / "labels").mkdir(exist_ok=True)
    (root / "labels" / "plan.yaml").write_text(text, encoding="utf-8")
    return root / "labels"


def errors(root: Path, text: str) -> list[str]:
    workspace, problems = load.load([write(root, text)])
    if workspace is not None:
        problems += validate.check(workspace)
    return [f"{p.position.line}: {p.message}; {p.hint}" for p in problems if p.severity == "error"]


def paragraphs(docx: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        text = "".join((el.text or "") if el.tag == W + "t" else "\n" for el in p.iter(W + "t", W + "br"))
        if text:
            out.append(text)
    return out


def table_rows(docx: Path) -> list[list[str]]:
    """The 任务分解表's rows below its head: a group row is one merged cell."""
    rows = []
    for table in Document(str(docx)).tables:
        for tr in table._tbl.tr_lst[1:]:
            rows.append(["".join((t.text or "") for t in tc.iter(W + "t")) for tc in tr.tc_lst])
    return rows


def built(root: Path, text: str) -> Path:
    workspace, problems = load.load([write(root, text)])
    assert [p for p in problems if p.severity == "error"] == []
    assert [p for p in validate.check(workspace) if p.severity == "error"] == []
    out = root / "out"
    report = build.build(workspace, out, pdf=False)
    assert report.ok, report.lines()
    return out / "labels"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("labels"), PLAN)


def test_declared_labels_print_in_the_task_table(out: Path) -> None:
    groups = [r[0] for r in table_rows(out / "task-table.docx") if len(r) == 1]
    assert groups == ["消防安全整治（工作措施）", "加强组织领导（保障措施）"]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "工作措施" in summary and "保障措施" in summary
    assert "专题" not in summary and "行业领域" not in summary


def test_a_group_without_lead_prints_no_lead_line(out: Path) -> None:
    text = paragraphs(out / "notice.docx")
    part = text[text.index("（二）加强组织领导"):]
    assert part[1] == "1.压实领导责任。各单位主要负责同志是第一责任人。"  # no “（…牵头…）” of its own
    assert part[2] == "2.强化督导检查。定期开展督导检查（2020年底前完成）。（应急管理局牵头，公安局按职责分工负责）"
    assert part[3] == "（各单位主要负责同志亲自部署）"  # the group's line: its note, no lead
    assert not any("（牵头" in p or "（）" in p or "，牵头" in p for p in text)
    # a group with a lead keeps its line
    assert "（消防救援大队牵头，住房和城乡建设局、公安局按职责分工负责）" in text


def test_a_task_without_lead_shows_a_dash_and_is_in_no_department_list(out: Path) -> None:
    rows = {r[2]: r for r in table_rows(out / "task-table.docx") if len(r) == 6}
    assert rows["各单位主要负责同志是第一责任人。"][3:5] == ["—", "—"]
    assert rows["定期开展督导检查。"][3:5] == ["应急管理局", "公安局"]
    duties = "\n".join(paragraphs(out / "duties.docx"))
    assert "强化督导检查" in duties and "压实领导责任" not in duties
    assert "打通消防车通道" in duties


def test_without_any_kind_no_label_is_printed(tmp_path: Path) -> None:
    text = PLAN.replace("group_kinds: [工作措施, 保障措施]\n", "").replace("    kind: 工作措施\n", "") \
        .replace("    kind: 保障措施\n", "")
    out = built(tmp_path, text)
    groups = [r[0] for r in table_rows(out / "task-table.docx") if len(r) == 1]
    assert groups == ["消防安全整治", "加强组织领导"]


def test_the_default_labels_need_no_declaration(tmp_path: Path) -> None:
    text = PLAN.replace("group_kinds: [工作措施, 保障措施]\n", "").replace("kind: 工作措施", "kind: 专题") \
        .replace("kind: 保障措施", "kind: 行业领域")
    out = built(tmp_path, text)
    groups = [r[0] for r in table_rows(out / "task-table.docx") if len(r) == 1]
    assert groups == ["消防安全整治（专题）", "加强组织领导（行业领域）"]


@pytest.mark.parametrize(("edit", "expected"), [
    # an undeclared label: where, the declared ones, and how to declare it
    (("kind: 保障措施", "kind: 保障"), ["22: group kind '保障' is not declared (declared: 工作措施、保障措施); "
                                      "did you mean '保障措施'? use one of them, or add '保障' to "
                                      "`group_kinds` (line 5)"]),
    (("group_kinds: [工作措施, 保障措施]\n", ""),
     ["11: group kind '工作措施' is not declared (declared: 专题、行业领域); use one of them, or declare the "
      "plan's kinds: `group_kinds: [专题, 行业领域, 工作措施]`",
      "21: group kind '保障措施' is not declared (declared: 专题、行业领域); use one of them, or declare the "
      "plan's kinds: `group_kinds: [专题, 行业领域, 保障措施]`"]),
    (("[工作措施, 保障措施]", "[工作措施, 保障措施, 工作措施]"),
     ["5: duplicate group kind '工作措施' (first used at line 5); list each label once"]),
    (("[工作措施, 保障措施]", "[工作措施, 保障措施, （其他）]"),
     ["5: group kind '（其他）' cannot stand in “名称（类别）”; write a short label of at most 10 characters "
      "without brackets"]),
    (("    kind: 保障措施\n", ""),
     ["21: task group 'guarantee' has no kind (类别) while 'fire' is 工作措施; give every group its kind "
      "(kind: 工作措施), or none of them to print no label"]),
    # `lead: none` is written out; an empty list or another spelling is not a group without lead
    (("lead: none", "lead: []"),
     ["24: lead (牵头单位) of a task group lists no department; name the group's lead departments by id "
      "(lead: [yjglj]), or write `lead: none` for a group the text assigns to nobody"]),
    (("lead: none", "lead: None"),
     ["24: unknown department id 'None' in lead (牵头单位); add it to {registry}"]),
    # 配合 supports a 牵头: a task left without lead may not have supporting departments
    (("    note: 各单位主要负责同志亲自部署\n", "    support: all\n"),
     ["25: task group 'guarantee' has `lead: none` but supporting departments (配合单位), which its tasks "
      "without a lead of their own would support: leadership; name those tasks' leads (lead: [id]), or move "
      "the group's `support` to the tasks that name a lead"]),
])
def test_label_and_lead_mistakes_are_located(tmp_path: Path, edit: tuple[str, str], expected: list[str]) -> None:
    assert edit[0] in PLAN
    found = errors(tmp_path, PLAN.replace(edit[0], edit[1]))
    assert len(found) == len(expected)
    for message, wanted in zip(found, expected, strict=True):  # (the registry's path as the message has it)
        assert message == wanted or (wanted.endswith("{registry}") and message.startswith(wanted[:-10])
                                     and message.endswith("departments.yaml"))


def test_the_plan_as_written_is_valid(tmp_path: Path) -> None:
    assert errors(tmp_path, PLAN) == []


def test_diff_names_the_label_or_none(tmp_path: Path) -> None:
    """A group added or removed is named by its label; without one, by its name alone."""
    old = write(tmp_path / "old", PLAN.replace(PLAN[PLAN.index("  - id: guarantee"):PLAN.index("documents:")], ""))
    new = write(tmp_path / "new", PLAN)
    a, b = load.load([old])[0], load.load([new])[0]
    summaries = [c.summary for c in diff.compare(a, b) if c.kind == "group-added"]
    assert summaries == ["新增保障措施“加强组织领导”"]
    bare = write(tmp_path / "bare", PLAN.replace("group_kinds: [工作措施, 保障措施]\n", "")
                 .replace("    kind: 工作措施\n", "").replace("    kind: 保障措施\n", ""))
    c = load.load([bare])[0]
    assert [x.summary for x in diff.compare(c, a) if x.kind == "group-removed"] == ["删除“加强组织领导”"]


def test_a_group_without_lead_lends_its_support_to_tasks_with_a_lead(tmp_path: Path) -> None:
    """`lead: none` with `support`: every task names its lead and takes the group's support; the
    group's own line holds its note only (a 配合单位 line without a 牵头 would say nothing)."""
    note = "    note: 各单位主要负责同志亲自部署\n"
    text = PLAN.replace(note, "    support: [zjj]\n" + note) \
        .replace("        title: 压实领导责任\n", "        title: 压实领导责任\n        lead: [gaj]\n") \
        .replace("        support: [gaj]\n", "")
    out = built(tmp_path, text)
    shown = paragraphs(out / "notice.docx")
    part = shown[shown.index("（二）加强组织领导"):]
    assert part[1] == "1.压实领导责任。各单位主要负责同志是第一责任人。（公安局牵头，住房和城乡建设局按职责分工负责）"
    assert part[2].endswith("（应急管理局牵头，住房和城乡建设局按职责分工负责）")
    assert part[3] == "（各单位主要负责同志亲自部署）"
    rows = {r[2]: r for r in table_rows(out / "task-table.docx") if len(r) == 6}
    assert rows["各单位主要负责同志是第一责任人。"][3:5] == ["公安局", "住房和城乡建设局"]
