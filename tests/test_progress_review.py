"""Review of progress: `fawen diff` reports a period added, a count revised, a task marked
done; tasks.xlsx carries the latest period's status, date and note."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from generator import load
from generator.render import xlsx

from conftest import PLANS


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name / "anshan-2021"
    shutil.copytree(PLANS / "anshan-2021", folder)
    return folder


def test_diff_shows_progress_changes(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _copy(tmp_path, "old")
    new = _copy(tmp_path, "new")
    sep = new / "progress" / "2021-09.yaml"
    text = sep.read_text(encoding="utf-8")
    text = text.replace("as-jtj: {checks: 4, units: 10, found: 22,", "as-jtj: {checks: 4, units: 10, found: 23,")
    text = text.replace("  duty-one-file: {status: 逾期, note: 仍有小微企业未建档，已列入督办}",
                        "  duty-one-file: {status: 已完成, date: 2021-09-29}")
    sep.write_text(text, encoding="utf-8")
    oct_ = (new / "progress" / "2021-10.yaml")
    oct_.write_text(text.replace("period: 2021-09", "period: 2021-10").replace("reported: 2021-10-08\n", ""),
                    encoding="utf-8")
    plan = new / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "  - include: progress/2021-09.yaml\n",
        "  - include: progress/2021-09.yaml\n  - include: progress/2021-10.yaml\n"), encoding="utf-8")
    status, out, err = run_cli("diff", str(tmp_path / "old/anshan-2021"), str(new), "--format", "json")
    assert status == 0, err
    changes = {c["kind"]: c for c in json.loads(out)["changes"]}
    assert changes["progress-period-added"]["summary"] == "新增报告期 2021年10月（9个单位报送）"
    assert changes["progress-count-revised"]["summary"] == "2021年9月 经开区交通运输局 排查隐患：22项 → 23项"
    assert changes["progress-task-done"]["summary"] == "任务 一企一档 标记为已完成（2021年9月29日）"
    status, out, _err = run_cli("diff", str(tmp_path / "old/anshan-2021"), str(new))
    assert "\n进展\n" in out


def test_tasks_xlsx_has_the_latest_status_columns() -> None:
    workspace, problems = load.load([PLANS / "anshan-2021"])
    assert problems == []
    source = workspace.plans[0]
    assert source.registry is not None
    data = xlsx.workbook(source.plan, source.registry.names(), [d.id for d in source.registry.registry.departments])
    sheet = load_workbook(io.BytesIO(data))["任务分解表"]
    head = [c.value for c in sheet[1]]
    assert head[-3:] == ["进展状态（2021年9月）", "状态日期", "进展说明"]
    rows = {r[2]: r[-3:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["construction-sites"] == ("办结销号", datetime(2021, 9, 15), "复查合格，予以销号")
    assert rows["fire-small-venues"][0] == "逾期"  # reported 推进中, deadline 2021-08 passed
    assert rows["fire-small-venues"][2].endswith("（逾期30天）")
    assert rows["traffic-freight"] == ("推进中", None, None)  # an empty cell


def test_plans_without_progress_keep_their_ledger_columns() -> None:
    workspace, _problems = load.load([PLANS / "pingli-2020"])
    source = workspace.plans[0]
    assert source.registry is not None
    data = xlsx.workbook(source.plan, source.registry.names(), [d.id for d in source.registry.registry.departments])
    assert [c.value for c in load_workbook(io.BytesIO(data))["任务分解表"][1]] == xlsx.HEADER
