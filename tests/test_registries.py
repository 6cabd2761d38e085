"""Registries and ledgers scoped to the organ, department kinds, and phases with work (issue 15).

Two counties keep their plans in two directories under one `plans/`, each with its own
departments.yaml and numbers.yaml beside the shared ones: the same names, the same ids for
different units. Everything is checked on what `fawen build` writes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from test_cli_foundation import _yaml12

from generator import check, layout, load, pdfread, validate, yamlio
from generator.render import roadmap

from conftest import PLANS, ROOT

SHARED = """\
departments:
  - {id: sj-yjj, name: 市应急管理局, short: 市应急局}
  - {id: gaj, name: 市公安局}
"""
SHARED_NUMBERS = "numbers: []\n"

# 甲县: its own 安委办 (内设机构), departments and a town
JIA = """\
departments:
  - {id: yjj, name: 县应急管理局, short: 应急局}
  - {id: gaj, name: 县公安局, short: 公安局}
  - {id: cgz, name: 城关镇人民政府, short: 城关镇, kind: 乡镇}
  - {id: awb, name: 县安委会办公室, short: 县安委办, kind: 内设机构}
"""
JIA_NUMBERS = """\
numbers:
  - {number: 甲安委发〔2020〕1号, status: issued, title: 甲县安委会2020年工作要点, date: 2020-03-02}
  - {number: 安委办函〔2020〕1号, status: issued, title: 关于报送安全生产情况的函, date: 2020-04-01}
"""
# 乙县: 县公安局 again (the same id, another county's unit), yjj for another unit
YI = """\
departments:
  - {id: yjj, name: 县应急管理办公室, short: 应急办}
  - {id: gaj, name: 县公安局, short: 公安局}
  - {id: cxj, name: 城西街道办事处, short: 城西街道, kind: 街道}
"""
YI_NUMBERS = """\
numbers:
  - {number: 乙安委发〔2020〕1号, status: issued, title: 乙县安委会2020年工作要点, date: 2020-03-05}
  - {number: 安委办函〔2020〕1号, status: issued, title: 关于安全生产检查的函, date: 2020-04-02}
"""

JIA_PLAN = """\
id: jia
title: 甲县安全生产专项整治行动方案
issuer: {name: 甲县安全生产委员会, code: 甲安委发}
period: {start: 2020-07, end: 2020-12}
sections:
  - id: basis
    title: 工作依据
    items:
      - 按照《@甲安委发〔2020〕1号》要求，制定本方案。
  - id: tasks
    title: 重点任务
    insert: tasks
  - id: schedule
    title: 时间安排
    subsections:
      - title: 总体安排
        paragraphs: [行动分两个阶段进行。]
    insert: phases
task_groups:
  - id: fire
    kind: 专题
    title: 消防安全整治
    lead: [yjj]
    support: [gaj, cgz]
    tasks:
      - {id: lanes, title: 打通消防车通道, text: 打通消防车通道。, deadline: 2020年底前}
phases:
  - id: start
    name: 动员部署
    start: 2020-07
    end: 2020-08
    text: 全县统一部署。
    lead: [awb]
    support: [yjj, cgz]
    items:
      - h3: 制定方案
        text: 各单位制定本单位实施方案。
      - h3: 组建专班
        items:
          - h4: 抽调人员
            text: 集中办公。
  - {id: fix, name: 排查整治, start: 2020-09, end: 2020-12, text: 全面排查整治。}
documents:
  - {id: notice, kind: notice, number: 甲安委发〔2020〕2号, to: [各镇人民政府], date: 2020-07-01}
  - {id: duties, kind: responsibilities}
  - {id: roadmap, kind: roadmap}
"""

YI_PLAN = """\
id: yi
title: 乙县安全生产专项整治行动方案
issuer: {name: 乙县安全生产委员会, code: 乙安委发}
period: {start: 2020-07, end: 2020-12}
sections:
  - id: basis
    title: 工作依据
    items:
      - 按照《@乙安委发〔2020〕1号》要求，制定本方案。
  - id: tasks
    title: 重点任务
    insert: tasks
task_groups:
  - id: fire
    kind: 专题
    title: 消防安全整治
    lead: [yjj]
    support: [gaj, cxj, sj-yjj]
    tasks:
      - {id: lanes, title: 打通消防车通道, text: 打通消防车通道。, deadline: 2020年底前}
documents:
  - {id: notice, kind: notice, number: 乙安委发〔2020〕2号, to: [各街道办事处], date: 2020-07-01}
  - {id: duties, kind: responsibilities}
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (its top marked by .git) with the shared registry and two organs."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    plans = root / "plans"
    for name, text in {"departments.yaml": SHARED, "numbers.yaml": SHARED_NUMBERS,
                       "jia/departments.yaml": JIA, "jia/numbers.yaml": JIA_NUMBERS, "jia/plan.yaml": JIA_PLAN,
                       "yi/departments.yaml": YI, "yi/numbers.yaml": YI_NUMBERS, "yi/plan.yaml": YI_PLAN}.items():
        _write(plans / name, text)
    return root


def _docx_text(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def _sources(paths: list[Path]) -> dict[str, load.Source]:
    workspace, problems = load.load(paths)
    problems += validate.check(workspace)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return {s.plan.id: s for s in workspace.plans}


# ---------------------------------------------------------------- two organs, one repository

def test_two_organs_validate_and_build_together(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 0, err
    assert "2 plans valid" in out
    status, _out, err = run_cli("build", "plans", "-o", "out", cwd=repo)
    assert status == 0, err
    for doc in ("jia/notice", "jia/duties", "jia/roadmap", "yi/notice", "yi/duties"):
        assert (repo / "out" / f"{doc}.docx").is_file() and (repo / "out" / f"{doc}.pdf").is_file(), doc
    jia = _docx_text(repo / "out" / "jia" / "duties.docx")
    yi = _docx_text(repo / "out" / "yi" / "duties.docx")
    # yjj is 县应急管理局 in 甲县 and 县应急管理办公室 in 乙县: each 责任清单 names its own unit
    assert "一、县应急管理局" in jia and not any("县应急管理办公室" in t for t in jia)
    assert "一、县应急管理办公室" in yi and not any("县应急管理局" in t for t in yi)
    # gaj: 县公安局 in both counties' registries (the same name is fine) and 市公安局 in the shared
    # one: the nearest registry wins, so neither county's list names 市公安局
    assert "二、县公安局" in jia and "二、县公安局" in yi
    assert not any("市公安局" in t for t in jia + yi)
    # a department only the shared registry has is still seen from 乙县's directory
    assert "三、市应急管理局" in yi
    # 甲县's list in 部分 by kind, its 安委办 first with the phase it leads; the PDF keeps the layout rules
    assert jia[1:5] == ["第一部分\u3000内设机构", "一、县安委会办公室", "（一）阶段工作（1项）",
                        "1.动员部署（2020年7月至8月，牵头）"]
    pages = pdfread.read((repo / "out" / "jia" / "duties.pdf").read_bytes())
    assert check.audit_pages(pages, official=False) == []
    assert "第三部分乡镇" in "".join(ln.text for page in pages for ln in page.lines).replace(" ", "").replace(
        "\u3000", "")


def test_the_nearest_registry_wins_on_an_id(repo: Path) -> None:
    sources = _sources([repo / "plans"])
    assert sources["jia"].registry is not None and sources["yi"].registry is not None
    jia, yi = sources["jia"].registry.names(), sources["yi"].registry.names()
    assert (jia["gaj"], jia["yjj"], jia["sj-yjj"]) == ("县公安局", "县应急管理局", "市应急管理局")
    assert (yi["gaj"], yi["yjj"]) == ("县公安局", "县应急管理办公室")
    assert sources["yi"].registry.defining("gaj").path.endswith("yi/departments.yaml")
    assert sources["yi"].registry.defining("sj-yjj").path.endswith("plans/departments.yaml")
    # the notice's plan text says which unit leads, from the plan's own registry
    notice = layout.notice(sources["yi"].plan, sources["yi"].plan.notices[0][1], yi)
    text = "".join(b.text for b in notice.blocks)
    assert "（县应急管理办公室牵头，县公安局、城西街道办事处、市应急管理局按职责分工负责）" in text


def test_a_plan_directory_copied_into_a_fresh_repository_still_builds(  # type: ignore[no-untyped-def]
        repo: Path, tmp_path: Path, run_cli) -> None:
    fresh = tmp_path / "fresh"
    (fresh / ".git").mkdir(parents=True)
    shutil.copytree(repo / "plans" / "jia", fresh / "jia")
    assert not (fresh / "departments.yaml").exists()
    status, _out, err = run_cli("validate", "jia", cwd=fresh)
    assert status == 0, err
    status, _out, err = run_cli("build", "jia", "-o", "out", cwd=fresh)
    assert status == 0, err
    assert "一、县应急管理局" in _docx_text(fresh / "out" / "jia" / "duties.docx")
    # its own ledger came along: the reference to a number issued by hand still resolves
    notice = " ".join(_docx_text(fresh / "out" / "jia" / "notice.docx"))
    assert "《甲县安委会2020年工作要点》（甲安委发〔2020〕1号）" in notice


def test_a_plan_sees_only_the_registries_on_its_way_up(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """乙县's town is not 甲县's: naming it from 甲县's plan is an unknown department."""
    plan = repo / "plans" / "jia" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("support: [gaj, cgz]", "support: [gaj, cxj]"),
                    encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    assert re.search(r"jia/plan\.yaml:\d+:\d+: error: unknown department id 'cxj' in support \(配合单位\); "
                     r"add it to \S*jia/departments\.yaml", err), err


# ---------------------------------------------------------------- ledgers per organ

def test_each_organ_has_its_own_ledger(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # both counties' offices recorded 安委办函〔2020〕1号: two ledgers, two documents, no error
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 0 and "安委办函" not in err, err
    # a plan's number that its own organ's ledger already records is used twice
    plan = repo / "plans" / "jia" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("number: 甲安委发〔2020〕2号", "number: 甲安委发〔2020〕1号"), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    assert re.search(r"jia/numbers\.yaml:2:14: error: duplicate document number '甲安委发〔2020〕1号' "
                     r"\(first used at \S*jia/plan\.yaml:\d+:\d+\)", err), err


def test_a_reference_resolves_against_the_plans_own_ledgers(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    plan = repo / "plans" / "yi" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("《@乙安委发〔2020〕1号》", "《@甲安委发〔2020〕1号》"),
                    encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    assert "reference 《@甲安委发〔2020〕1号》: document number 甲安委发〔2020〕1号 exists nowhere" in err


def test_number_commands_see_every_organs_ledger(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run_cli("number", "next", "甲安委发", "--year", "2020", "--plans", "plans", cwd=repo)
    assert status == 0, err
    assert out.strip() == "甲安委发〔2020〕3号"
    status, out, err = run_cli("number", "list", "乙安委发", "--plans", "plans", cwd=repo)
    assert status == 0, err
    assert "乙安委发〔2020〕1号" in out and "乙安委发〔2020〕2号" in out and "甲安委发" not in out


# ---------------------------------------------------------------- registry mistakes

def test_two_units_of_one_name_in_one_plan_are_refused(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The shared registry and 甲县's both have a 县公安局 under different ids: fine, until one
    plan names both, and its documents would print the name twice for two units."""
    (repo / "plans" / "departments.yaml").write_text(SHARED + "  - {id: xgaj, name: 县公安局}\n", encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 0, err
    plan = repo / "plans" / "jia" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("support: [gaj, cgz]", "support: [gaj, cgz, xgaj]"), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    line = text.splitlines().index("    support: [gaj, cgz]") + 1
    assert (f"{Path('plans/jia/plan.yaml')}:{line}:25: error: 'xgaj' and 'gaj' are both called 县公安局 "
            f"({Path('plans/departments.yaml')}, {Path('plans/jia/departments.yaml')})") in err, err


def test_the_same_name_twice_in_one_registry_gets_the_right_advice(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    registry = repo / "plans" / "jia" / "departments.yaml"
    registry.write_text(JIA + "  - {id: gaj2, name: 县公安局}\n", encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    [line] = [ln for ln in err.splitlines() if ": error: " in ln]
    assert line.startswith(f"{Path('plans/jia/departments.yaml')}:6:22: error: duplicate department name "
                           "'县公安局' (first used at line 3); ")
    assert "own id" not in line  # the ids differ already
    assert "move one organ's departments into a departments.yaml in that organ's own plan directory" in line


def test_an_unknown_kind_names_the_allowed_ones(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    registry = repo / "plans" / "yi" / "departments.yaml"
    registry.write_text(YI.replace("kind: 街道", "kind: 科室"), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    assert (f"{Path('plans/yi/departments.yaml')}:4:49: error: '科室' is not allowed for 'kind' (类别); did you mean "
            "'内设机构'? use one of '内设机构', '部门', '乡镇', '街道', '企业' or '其他'") in err, err


# ---------------------------------------------------------------- kinds in the 责任清单

def test_the_duties_list_groups_departments_by_kind(repo: Path) -> None:
    source = _sources([repo / "plans"])["jia"]
    assert source.registry is not None
    names = source.registry.names()
    order = layout.departments_in(source.plan, list(names))
    assert order == ["awb", "yjj", "gaj", "cgz"]  # 内设机构, 部门 (registry order), 乡镇
    text = [b.text for b in layout.duties(source.plan, "责任清单", names, order).blocks[2:]]
    parts = [t for t in text if "部分" in t]
    assert parts == ["第一部分\u3000内设机构", "第二部分\u3000有关部门", "第三部分\u3000乡镇"]
    assert text[:4] == ["第一部分\u3000内设机构", "一、县安委会办公室", "（一）阶段工作（1项）",
                        "1.动员部署（2020年7月至8月，牵头）"]
    town = text[text.index("第三部分\u3000乡镇"):]
    assert town == ["第三部分\u3000乡镇", "一、城关镇人民政府", "（一）配合任务（1项）",
                    "1.打通消防车通道（消防安全整治，2020年底前）", "（二）阶段工作（1项）",
                    "1.动员部署（2020年7月至8月，配合）"]
    # one kind only (a department's own list): no 部分, as before
    alone = [b.text for b in layout.duties(source.plan, "责任清单", names, ["yjj"]).blocks[2:]]
    assert alone[0] == "一、县应急管理局" and not any("部分" in t for t in alone)


# ---------------------------------------------------------------- phases with work

def test_a_phase_with_items_in_the_plan(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    status, _out, err = run_cli("build", "plans/jia", "-o", "out", "--no-pdf", cwd=repo)
    assert status == 0, err
    text = _docx_text(repo / "out" / "jia" / "notice.docx")
    start = text.index("三、时间安排")
    assert text[start:start + 8] == [
        "三、时间安排",
        "（一）总体安排。行动分两个阶段进行。",
        "（二）动员部署（2020年7月至8月）。全县统一部署。",  # numbered on after the subsection
        "1.制定方案。各单位制定本单位实施方案。",
        "2.组建专班",
        "（1）抽调人员。集中办公。",
        "（县安委会办公室牵头，县应急管理局、城关镇人民政府按职责分工负责）",
        "（三）排查整治（2020年9月至12月）。全面排查整治。",
    ]
    # the phase heading is 楷体 like a task group's, its items in the faces of their levels
    doc = Document(str(repo / "out" / "jia" / "notice.docx"))
    faces = {p.text: [r.font.name for r in p.runs] for p in doc.paragraphs}
    assert faces["（二）动员部署（2020年7月至8月）。全县统一部署。"] == ["楷体_GB2312", "仿宋_GB2312"]
    assert faces["2.组建专班"] == ["仿宋_GB2312"]  # a 1. heading in 仿宋 (GB/T 9704 7.3.3)


def test_a_phase_without_items_keeps_one_paragraph(repo: Path) -> None:
    source = _sources([repo / "plans"])["jia"]
    plan = source.plan.model_copy(update={"phases": [
        source.plan.phases[0].model_copy(update={"items": []}), source.plan.phases[1]]})
    assert source.registry is not None
    blocks = [b.text for b in layout.plan_blocks(plan, source.registry.names())]
    assert ("（二）动员部署（2020年7月至8月）。全县统一部署。"
            "（县安委会办公室牵头，县应急管理局、城关镇人民政府按职责分工负责）") in blocks


def test_a_phase_with_items_only_stands_as_a_heading(repo: Path) -> None:
    source = _sources([repo / "plans"])["jia"]
    plan = source.plan.model_copy(update={"phases": [
        source.plan.phases[0].model_copy(update={"text": None}), source.plan.phases[1]]})
    blocks = layout.plan_blocks(plan, {})
    head = next(b for b in blocks if b.text.startswith("（二）动员部署"))
    assert (head.role, head.text, head.runs[0].face) == ("h2", "（二）动员部署（2020年7月至8月）", layout.KAI)
    assert blocks[blocks.index(head) + 1].text == "1.制定方案。各单位制定本单位实施方案。"


def test_a_phase_bar_in_the_roadmap_names_its_lead(repo: Path) -> None:
    source = _sources([repo / "plans"])["jia"]
    assert source.registry is not None
    names = source.registry.names()
    start, fix = source.plan.phases
    assert roadmap.phase_label(start, names) == "动员部署（县安委会办公室牵头）"
    assert roadmap.phase_label(fix, names) == "排查整治"  # no lead: the name alone
    assert roadmap.phase_label(start, {}) == "动员部署"  # never a bare id
    many = start.model_copy(update={"lead": ["awb", "yjj", "cgz"]})
    assert roadmap.phase_label(many, names) == "动员部署（县安委会办公室、县应急管理局等牵头）"
    named, bare = roadmap.chart(source.plan, names=names), roadmap.chart(source.plan)
    assert named.startswith(b"\x89PNG") and named != bare  # the label is drawn


def test_phase_units_are_checked_like_a_tasks(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    plan = repo / "plans" / "jia" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("    lead: [awb]\n", "    lead: [abw]\n"), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1
    line = text.splitlines().index("    lead: [awb]") + 1
    assert (f"{Path('plans/jia/plan.yaml')}:{line}:12: error: unknown department id 'abw' in lead (牵头单位); "
            "did you mean 'awb' (县安委会办公室)?") in err, err
    plan.write_text(text.replace("    support: [yjj, cgz]\n", "    support: [awb, cgz]\n"), encoding="utf-8")
    status, _out, err = run_cli("validate", "plans", cwd=repo)
    assert status == 1 and "error: 'awb' is both lead and supporting department" in err


# ---------------------------------------------------------------- the examples

def test_every_registry_and_ledger_of_the_examples_fits_its_schema() -> None:
    """Each organ's own departments.yaml and numbers.yaml, not only the shared ones, completes
    in an editor and holds only known kinds."""
    for name, kind in (("departments.yaml", "departments"), ("numbers.yaml", "numbers")):
        schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        files = sorted(PLANS.rglob(name))
        assert len(files) >= 2, name  # the shared one and at least one organ's own
        for path in files:
            assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema="), path
            errors = list(jsonschema.Draft7Validator(schema).iter_errors(_yaml12(yamlio.read(path))))
            assert errors == [], f"{path}: {errors[0].message if errors else ''}"
    kinds = {d.kind for d in load.load_registry(PLANS / "pingli-2020" / "departments.yaml").registry.departments}
    assert kinds == {"内设机构", "部门", "乡镇"}
