"""fawen diff: typed changes by stable id, reports for reviewers, and a Word redline."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from generator import diff, load
from generator.layout import plan_document
from generator.render.docx import render
from generator.render.redline import redline

from conftest import PLANS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZAO = "zaozhuang-gxq-2020"


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    for target in (old, new):
        target.mkdir()
        shutil.copy(PLANS / "departments.yaml", target)
        shutil.copytree(PLANS / ZAO, target / ZAO, ignore=shutil.ignore_patterns("hazchem"))
    return old, new


def edit(tree: Path, fn: Callable[[str], str], name: str = f"{ZAO}/plan.yaml") -> None:
    path = tree / name
    text = path.read_text(encoding="utf-8")
    changed = fn(text)
    assert changed != text, "the edit did not apply"
    path.write_text(changed, encoding="utf-8")


def changes(old: Path, new: Path) -> list[diff.Change]:
    a, pa = load.load([old])
    b, pb = load.load([new])
    assert pa == [] and pb == []
    return diff.compare(a, b)


def kinds(found: list[diff.Change]) -> list[tuple[str, str]]:
    return [(c.kind, c.subject) for c in found]


def test_identical_trees_have_no_changes(trees: tuple[Path, Path]) -> None:
    assert changes(*trees) == []


def test_task_added_and_removed(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("      - id: power-plan\n", "      - id: power-new\n        text: 新任务。\n"
                                                                   "      - id: power-plan\n"))
    edit(new, lambda t: t.replace("""      - id: explosives-duty
        title: 健全企业安全责任体系
        text: 健全民用爆炸物品企业安全生产责任、管理和风险防控体系，严厉打击违法违规处置行为。
        deadline: 2022年底前
""", """      - id: explosives-new
        text: 替代任务。
"""))
    found = changes(old, new)
    assert ("task-added", "power-new") in kinds(found)
    assert ("task-added", "explosives-new") in kinds(found)
    assert ("task-removed", "explosives-duty") in kinds(found)


def test_task_moved_to_another_group_and_text_changed(trees: tuple[Path, Path]) -> None:
    old, new = trees
    block = """      - id: hazchem-tech
        title: 推广先进技术装备
        text: 推广泄漏检测、化工过程安全管理等技术，推进“机械化换人、自动化减人”工程。
        deadline: 2022年底前
"""
    edit(new, lambda t: t.replace(block, "").replace("  - id: industry\n", "  - id: industry\n", 1).replace(
        "    tasks:\n      - id: industry-focus\n",
        "    tasks:\n" + block.replace("自动化减人", "自动化减人、智能化作业") + "      - id: industry-focus\n"))
    found = changes(old, new)
    moved = next(c for c in found if c.kind == "task-moved-group")
    assert (moved.subject, moved.old, moved.new) == ("hazchem-tech", "hazchem", "industry")
    text = next(c for c in found if c.kind == "task-text-changed")
    assert "{+、智能化作业+}" in text.summary
    assert not any(c.kind in ("task-added", "task-removed") for c in found)


def test_lead_and_support_changes(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("    lead: [gx-xfjy]\n", "    lead: [gx-xfjy, gx-yjglj]\n").replace(
        "    support: [gx-gtjs, gx-gdb]\n", "    support: [gx-gtjs]\n"))
    found = changes(old, new)
    lead = next(c for c in found if c.kind == "group-lead-changed")
    assert lead.subject == "fire" and lead.details == {"added": ["gx-yjglj"], "removed": []}
    assert "增加 区应急管理局" in lead.summary
    support = next(c for c in found if c.kind == "group-support-changed")
    assert support.subject == "power" and support.details["removed"] == ["gx-gdb"]


def test_deadline_moved_with_shift_and_direction(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("deadline: 2020-06-30", "deadline: 2020-12-31").replace(
        "            deadline: 2022年底前\n\n  - id: duty", "            deadline: 2021年底前\n\n  - id: duty"))
    found = changes(old, new)
    road = next(c for c in found if c.subject == "road-routes")
    assert road.kind == "task-deadline-moved" and road.details["shift_days"] == 184
    assert road.summary.endswith("（推迟184天）")
    ratio = next(c for c in found if c.subject == "study-staff-ratio")
    assert ratio.kind == "measure-deadline-moved" and ratio.details["shift_days"] == -365
    assert "提前365天" in ratio.summary


def test_phases_redated_and_document_number_changed(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("    start: 2020-07\n    end: 2020-12\n", "    start: 2020-07\n    end: 2021-01\n")
         .replace("    start: 2021-01\n    end: 2021-12\n", "    start: 2021-02\n    end: 2021-12\n")
         .replace("枣高安发〔2020〕7号", "枣高安发〔2020〕9号").replace("date: 2020-06-23", "date: 2020-06-24"))
    found = changes(old, new)
    assert ("phase-redated", "inspect") in kinds(found) and ("phase-redated", "tackle") in kinds(found)
    number = next(c for c in found if c.kind == "document-number-changed")
    assert (number.old, number.new) == ("枣高安发〔2020〕7号", "枣高安发〔2020〕9号")
    assert ("document-date-changed", "notice") in kinds(found)


def test_a_renamed_department_is_one_change(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("name: 区交警大队", "name: 区交通警察大队"), "departments.yaml")
    found = changes(old, new)
    assert kinds(found) == [("department-renamed", "gx-jjdd")]
    assert found[0].summary == "部门更名：区交警大队 → 区交通警察大队"


def test_reordering_tasks_is_a_move_not_churn(trees: tuple[Path, Path]) -> None:
    old, new = trees
    first = """      - id: fire-lanes
        title: 打通消防生命通道
        text: 对消防车通道实行标识化管理，老旧小区“一区一策”治理，并纳入城镇老旧小区改造。
        deadline: 2021年底前
"""
    edit(new, lambda t: t.replace(first, "").replace("\n  - id: road\n", first + "\n  - id: road\n"))
    found = changes(old, new)
    assert kinds(found) == [("task-moved", "fire-lanes")]
    assert found[0].summary == "任务 fire-lanes 调整了位置（第1项 → 第4项）"


def test_report_formats(trees: tuple[Path, Path], run_cli) -> None:  # type: ignore[no-untyped-def]
    old, new = trees
    edit(new, lambda t: t.replace("deadline: 2020-06-30", "deadline: 2020-09-30").replace(
        "      - id: power-plan\n", "      - id: power-new\n        text: 新任务<b>&。\n      - id: power-plan\n"))
    status, out, _err = run_cli("diff", str(old), str(new), "--format", "md")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "## 方案变更（fawen diff）"
    assert lines[2:5] == ["| 新增 | 删除 | 修改 | 合计 |", "|---:|---:|---:|---:|", "| 1 | 0 | 1 | 2 |"]
    assert any(line.startswith("### 任务（2）") for line in lines)
    status, out, _err = run_cli("diff", str(old), str(new), "--format", "json")
    data = json.loads(out)
    assert data["counts"] == {"added": 1, "removed": 0, "changed": 1, "total": 2}
    assert {c["kind"] for c in data["changes"]} == {"task-added", "task-deadline-moved"}
    status, out, _err = run_cli("diff", str(old), str(new), "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and "新任务&lt;b&gt;&amp;" in out
    assert "http" not in out.split("<body>")[1]  # self-contained
    status, out, _err = run_cli("diff", str(old), str(new))
    assert "2 changes: 1 added, 0 removed, 1 changed" in out and "\033[" not in out
    status, _out, _err = run_cli("diff", str(old), str(new), "--exit-code")
    assert status == 1
    status, out, _err = run_cli("diff", str(old), str(old), "--exit-code")
    assert status == 0 and out == "no changes\n"


def test_git_revisions(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(PLANS / "departments.yaml", repo / "plans")
    shutil.copy(PLANS / "numbers.yaml", repo / "plans")  # the plan cites a number from the ledger
    shutil.copytree(PLANS / "pingli-2020", repo / "plans" / "pingli-2020")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], cwd=repo, check=True)
    edit(repo / "plans", lambda t: t.replace("deadline: 2021-06", "deadline: 2021-09"), "pingli-2020/groups/urban.yaml")
    status, out, err = run_cli("diff", "HEAD:plans/pingli-2020", "plans/pingli-2020", "--format", "json", cwd=repo)
    assert status == 0, err
    [change] = json.loads(out)["changes"]
    assert (change["kind"], change["subject"], change["details"]) == ("task-deadline-moved", "urban-gas",
                                                                      {"shift_days": 92})
    status, _out, err = run_cli("diff", "NOPE:plans", "plans", cwd=repo)
    assert status == 2 and "cannot read NOPE:plans from git" in err


# ---------------------------------------------------------------- the redline

def _paragraphs(data: bytes, accept: bool) -> list[str]:
    """Paragraph texts with every tracked change accepted (or rejected), as Word would."""
    doc = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    drop = "del" if accept else "ins"
    out: list[str] = []
    carry = ""
    for p in doc.iter(f"{W}p"):
        text = ""
        for node in p.iter(f"{W}t", f"{W}delText"):
            marks = [a for a in node.iterancestors() if a.tag in (f"{W}ins", f"{W}del")]
            if marks and marks[0].tag == f"{W}{drop}":
                continue
            text += node.text or ""
        mark = p.find(f"{W}pPr/{W}rPr/{W}{drop}")
        if mark is not None:  # the paragraph mark goes: this text joins the next paragraph
            carry += text
            continue
        out.append(carry + text)
        carry = ""
    return out


def redline_edits(new: Path) -> None:
    """A deadline moved, words changed, a task added and a whole paragraph deleted (the last
    subsection of 保障措施): every kind of tracked change a redline holds."""
    edit(new, lambda t: t.replace("deadline: 2020-06-30", "deadline: 2020-09-30")
         .replace("坚持预防为主、精准治理、依法治理，", "坚持预防为主、综合治理，")
         .replace("      - id: power-plan\n",
                  "      - id: power-new\n        text: 新任务。\n      - id: power-plan\n"))
    edit(new, lambda t: re.sub(r"      - title: 强化法治保障\n        paragraphs:\n          - [^\n]*\n", "", t))


def test_redline_accepts_to_the_new_and_rejects_to_the_old(trees: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = trees
    redline_edits(new)
    a, _ = load.load([old])
    b, _ = load.load([new])
    names = a.plans[0].registry.names()  # type: ignore[union-attr]
    old_doc, new_doc = plan_document(a.plans[0].plan, names), plan_document(b.plans[0].plan, names)
    data = redline(old_doc, new_doc, "审核人", "2020-06-24T00:00:00Z")
    assert _paragraphs(data, accept=True) == _paragraphs(render(new_doc, None), accept=True)
    assert _paragraphs(data, accept=False) == _paragraphs(render(old_doc, None), accept=True)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert 'w:author="审核人"' in xml and 'w:date="2020-06-24T00:00:00Z"' in xml

    # LibreOffice reads them as tracked changes
    (tmp_path / "lo").mkdir()
    (tmp_path / "lo" / "red.docx").write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path / "lo"), str(tmp_path / "lo" / "red.docx")],
                   check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "lo" / "red.odt").read("content.xml").decode("utf-8")
    assert content.count("<text:changed-region") >= 5
    assert "<text:deletion>" in content and "<text:insertion>" in content


def test_redline_from_the_command_line(trees: tuple[Path, Path], tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    old, new = trees
    edit(new, lambda t: t.replace("deadline: 2020-06-30", "deadline: 2020-09-30"))
    target = tmp_path / "redline.docx"
    status, _out, err = run_cli("diff", str(old), str(new), "--format", "docx", "-o", str(target))
    assert status == 0, err
    assert target.is_file()
    status, out, _err = run_cli("text", str(target))
    assert "2020年9月30日前完成" in out and "2020年6月30日前完成" not in out  # the text as accepted


def test_group_kind_phase_units_and_phase_items_are_changes(trees: tuple[Path, Path]) -> None:
    old, new = trees
    edit(new, lambda t: t.replace("    kind: 行业领域\n", "    kind: 专题\n", 1))
    phase = ("    end: 2020-06\n    lead: [gx-ajj]\n"
             "    items:\n      - {id: plan-made, h3: 制定方案, text: 各部门制定本行业方案。}\n")
    edit(new, lambda t: t.replace("    end: 2020-06\n", phase, 1))
    found = changes(old, new)
    assert [k for k, _ in kinds(found)].count("group-kind-changed") == 1
    assert any(k == "phase-lead-changed" and s == "mobilize" for k, s in kinds(found))
    assert any(k == "body-item-added" and s == "phase/mobilize/plan-made" for k, s in kinds(found))
    from generator import review
    report = review.text(found)
    assert "类别：行业领域 → 专题" in report and "阶段“动员部署”牵头单位" in report
    assert "阶段“动员部署” 新增正文条目 plan-made" in report  # 正文 changes reach the report


def test_a_back_dated_bulletin_that_renumbers_published_ones_is_shown(tmp_path: Path) -> None:
    """A 简报 without `issue:` takes the next issue in date order: one put before a published
    one moves its 期号, which the diff must show (with the fix: write the issue line)."""
    old, new = tmp_path / "old", tmp_path / "new"
    for target in (old, new):
        shutil.copytree(PLANS / "anshan-2021", target / "anshan-2021")
    extra = ("  - id: jianbao-extra\n    kind: jianbao\n    series: kfq-jianbao\n    date: 2021-09-20\n"
             "    period: 2021-08\n    articles:\n      - title: 专项检查情况\n"
             "        body: [本期通报专项检查情况。]\n")
    edit(new, lambda t: t.replace("  - id: jianbao-2021-08\n", extra + "  - id: jianbao-2021-08\n", 1),
         "anshan-2021/plan.yaml")
    found = {(c.kind, c.subject): c for c in changes(old, new)}
    assert found["document-added", "jianbao-extra"].new.startswith("2021年第10期")
    moved = found["document-issue-changed", "jianbao-2021-09"]
    assert (moved.old, moved.new) == ("2021年第10期（总第42期）", "2021年第11期（总第43期）")
    assert "issue:" in moved.summary
