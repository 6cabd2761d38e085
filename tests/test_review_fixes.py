"""Small defects a walkthrough of the README found (session 4), each pinned."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator import diff, load, validate
from generator.deadline_base import Setting

from conftest import PLANS


def test_a_hint_never_suggests_a_day_the_month_lacks() -> None:
    setting = Setting(start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert setting.example(1, 30) == "2026-02-28"
    assert setting.example(0, 30) == "2026-01-30"


def test_a_sub_plan_alone_gets_no_gap_warning_for_its_parent_s_numbers() -> None:
    workspace, problems = load.load([PLANS / "zaozhuang-gxq-2020" / "hazchem"])
    assert problems == []
    assert [p for p in validate.check(workspace) if "skips" in p.message] == []
    whole, _ = load.load([PLANS])
    assert [p for p in validate.check(whole) if "skips" in p.message and "hazchem" in p.position.path] == []


def test_an_indicator_written_as_0_where_it_was_left_out_is_no_change(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for target in (old, new):
        shutil.copytree(PLANS / "anshan-2021", target / "anshan-2021")
    period = new / "anshan-2021" / "progress" / "2021-09.yaml"
    text = period.read_text(encoding="utf-8")
    a, _ = load.load([old / "anshan-2021"])
    left_out = "  as-zrzy: {checks: 3, units: 6, found: 14, fixed: 10, talks: 4}"  # no fines: they count 0
    assert left_out in text
    period.write_text(text.replace(left_out, left_out[:-1] + ", fines: 0}"), encoding="utf-8")
    b, problems = load.load([new / "anshan-2021"])
    assert problems == []
    assert [c for c in diff.compare(a, b) if c.kind.startswith("progress")] == []


def test_a_task_reported_done_and_later_not_done_is_warned(tmp_path: Path) -> None:
    shutil.copytree(PLANS / "anshan-2021", tmp_path / "anshan-2021")
    period = tmp_path / "anshan-2021" / "progress" / "2021-09.yaml"
    text = period.read_text(encoding="utf-8")
    done = "  construction-sites: {status: 办结销号, date: 2021-09-15, note: 复查合格，予以销号}"
    assert done in text
    period.write_text(text.replace(done, "  construction-sites: {status: 已完成, date: 2021-09-15}"), encoding="utf-8")
    later = tmp_path / "anshan-2021" / "progress" / "2021-10.yaml"
    later.write_text("period: 2021-10\ntasks:\n  construction-sites: {status: 推进中}\n", encoding="utf-8")
    plan = tmp_path / "anshan-2021" / "plan.yaml"
    include = "  - include: progress/2021-09.yaml\n"
    plan.write_text(plan.read_text(encoding="utf-8").replace(include, include + include.replace("09", "10"), 1),
                    encoding="utf-8")
    workspace, problems = load.load([tmp_path / "anshan-2021"])
    assert problems == []
    warned = [p for p in validate.check(workspace) if "goes back" in p.message]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "construction-sites goes back from 已完成 (2021-09) to 推进中" in warned[0].message
    assert warned[0].position.path.endswith("2021-10.yaml") and warned[0].position.line == 3


def test_the_roadmap_marks_every_day_a_recurring_deadline_falls_due() -> None:
    """每季度末 on the roadmap: a tick on each quarter's end and the deadline as written in its label;
    a one-off deadline keeps its single diamond."""
    from generator.render.roadmap import task_marks
    from generator.tables import deadlines_of, rows

    workspace, problems = load.load([PLANS / "zaozhuang-gxq-2020" / "hazchem"])
    assert problems == []
    plan = workspace.plans[0].plan
    dated = [r for r in rows(plan, with_measures=False) if r.due]
    marks = task_marks(plan, dated)
    recurring = [(label, days) for label, days, again in marks if again]
    assert recurring and all(label.endswith("（每季度末）") for label, _ in recurring)
    label, days = recurring[0]
    task = next(r for r in dated if label.startswith(f"{r.number}. "))
    assert days == deadlines_of(plan)[(task.task_id, "")].days and len(days) > 1
    assert all(d.month in (3, 6, 9, 12) for d in days)
    assert all(len(days) == 1 for _, days, again in marks if not again)
