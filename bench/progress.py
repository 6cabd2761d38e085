"""fawen progress benchmark: 200 departments × 24 reporting periods × 20 indicators.

Prints, from one run on one machine:
  (p1) load + validate of the plan with its 24 period files (96,000 counts);
  (p2) `fawen progress template` of a 25th period, filling it in (openpyxl, not timed) and
       `fawen progress import` (every cell checked, the the plan validated with it, written);
  (p3) figures.compute for each of the 24 periods, and Figures.context + render_text of a paragraph;
  (p4) the 进展情况统计表 (H5's layout_progress + render/stats_docx) for the last period, and
       tasks.xlsx with its status columns.
Tests never assert times; these figures are for reading.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import cli, figures, load, validate  # noqa: E402

DEPTS, PERIODS, INDICATORS, TASKS = 200, 24, 20, 100


@contextlib.contextmanager
def timed(label: str, results: list[tuple[str, float, float]]) -> Iterator[None]:
    """Wall and CPU seconds of the block (CPU time says more on a loaded machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    yield
    results.append((label, time.perf_counter() - start, time.process_time() - cpu))


def corpus(folder: Path) -> Path:
    """A plan with DEPTS departments, INDICATORS indicators and PERIODS monthly periods."""
    (folder / "departments.yaml").write_text(
        "departments:\n" + "".join(f"  - {{id: d{k:03d}, name: 第{k}单位, short: 单位{k}}}\n" for k in range(DEPTS)),
        encoding="utf-8")
    plan = folder / "big"
    (plan / "progress").mkdir(parents=True)
    inds = ["  - {id: found, name: 排查隐患, unit: 项}", "  - {id: fixed, name: 完成整改, unit: 项, part_of: found}",
            "  - {id: fines, name: 罚款, unit: 万元, decimals: 1}",
            "  - {id: accidents, name: 事故起数, unit: 起, previous_year: true}"]
    inds += [f"  - {{id: i{k:02d}, name: 指标{k}, unit: 次}}" for k in range(INDICATORS - len(inds))]
    tasks = "".join(f"      - {{id: t{k:03d}, text: 第{k}项任务。, deadline: 2021-{k % 12 + 1:02d}}}\n"
                    for k in range(TASKS))
    (plan / "plan.yaml").write_text(f"""id: big
title: 大规模进展数据基准方案
issuer: {{name: 基准安全生产委员会, code: 基安发}}
period: {{start: 2020-01, end: 2022-12}}
sections:
  - {{id: tasks, title: 主要任务, insert: tasks}}
task_groups:
  - id: g
    kind: 专题
    title: 基准任务
    lead: [d000, d001]
    tasks:
{tasks}indicators:
{chr(10).join(inds)}
figures:
  - {{name: 整改率, kind: rate, of: fixed, over: found, decimals: 1, rank: true}}
  - {{name: 隐患占比, kind: share, of: found}}
  - {{name: 事故起数同比, kind: yoy, of: accidents}}
  - {{name: 排查隐患环比, kind: mom, of: found}}
  - {{name: 合计, kind: sum, of: [i04, i05, i06]}}
progress:
""" + "".join(f"  - include: progress/{_month(p)}.yaml\n" for p in range(PERIODS)), encoding="utf-8")
    ids = [line.split("id: ")[1].split(",")[0] for line in inds]
    for p in range(PERIODS):
        rows = []
        for d in range(DEPTS):
            found = 10 * (p + 1) + d % 7
            values = {i: (p + 1) * (3 + d % 5) + k for k, i in enumerate(ids)}
            values.update(found=found, fixed=found - 1 - d % 3, accidents=p // 6)
            rows.append(f"  d{d:03d}: {{" + ", ".join(
                f"{k}: {v}.{d % 10}" if k == "fines" else f"{k}: {v}" for k, v in values.items()) + "}")
        prev = "".join(f"  d{d:03d}: {{accidents: {p // 5}}}\n" for d in range(DEPTS))
        statuses = "".join(f"  t{k:03d}: {{status: 推进中}}\n" for k in range(p, TASKS, 7))
        (plan / "progress" / f"{_month(p)}.yaml").write_text(
            f"period: {_month(p)}\ncounts:\n" + "\n".join(rows) + f"\nprevious_year:\n{prev}tasks:\n{statuses}",
            encoding="utf-8")
    return plan


def _month(p: int) -> str:
    return f"{2020 + p // 12}-{p % 12 + 1:02d}"


def quiet(call: Callable[[], Any]) -> Any:
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        return call()


def main() -> None:
    results: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="fawen-bench-progress-") as tmp:
        plan_dir = corpus(Path(tmp))
        with timed(f"(p1) load + validate: {DEPTS} departments × {PERIODS} periods × {INDICATORS} indicators",
                   results):
            workspace, problems = load.load([plan_dir])
            problems += validate.check(workspace)
        errors = [p for p in problems if p.severity == "error"]
        assert not errors, errors[:3]
        source = workspace.plans[0]
        sheet = Path(tmp) / "t.xlsx"
        with timed("(p2) progress template (2022-01)", results):
            assert quiet(lambda: cli.main(["progress", "template", str(plan_dir), "--period", "2022-01",
                                           "-o", str(sheet)])) == 0
        from openpyxl import load_workbook
        book = load_workbook(sheet)
        for row in book["累计数"].iter_rows(min_row=3, min_col=3):
            for cell in row:
                if isinstance(cell.value, int | float):
                    cell.value = cell.value + (1 if isinstance(cell.value, int) else 0.5)
        book.save(sheet)
        with timed("(p2) progress import (4,000 cells checked, the plan validated with it, written)",
                   results):
            status = quiet(lambda: cli.main(["progress", "import", str(sheet), "--plan", str(plan_dir)]))
        assert status == 0, "import failed"
        registry = source.registry.registry if source.registry else None
        with timed(f"(p3) figures.compute, each of the {PERIODS} periods", results):
            for p in range(PERIODS):
                last = figures.compute(source.plan, _month(p), registry)
        with timed("(p3) context + render_text of a paragraph, last period", results):
            text = figures.render_text("排查隐患{{ 排查隐患 }}，整改率{{ 整改率 }}，前三名{{ 整改率前三名 }}，"
                                       "事故{{ 事故起数同比 }}，逾期{{ 逾期任务数 }}。", last.context())
        assert "整改率" in text
        stats_table(source, _month(PERIODS - 1), results)
        from generator.render import xlsx
        with timed(f"(p4) tasks.xlsx with status columns ({TASKS} tasks)", results):
            xlsx.workbook(source.plan, source.registry.names() if source.registry else {},
                          [d.id for d in registry.departments] if registry else [])
        shutil.rmtree(plan_dir)
    width = max(len(label) for label, _, _ in results)
    print(f"{'':{width}}  {'wall':>8}  {'CPU':>8}")
    for label, seconds, cpu in results:
        print(f"{label.ljust(width)}  {seconds:7.3f}s  {cpu:7.3f}s")
    print(f"load average after the run: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


def stats_table(source: load.Source, period: str, results: list[tuple[str, float, float]]) -> None:
    """The 进展情况统计表 as H5 renders it, when that code is there."""
    try:
        from generator import layout_progress
        from generator.model.documents import ProgressTable
        from generator.render import stats_docx
    except ImportError as exc:  # the documents half not there yet: say so, time nothing
        print(f"(p4) statistics table skipped: {exc}", file=sys.stderr)
        return
    doc = ProgressTable.model_validate({"id": "stats", "kind": "progress-table", "period": period, "chart": "false"})
    names = source.registry.names() if source.registry else {}
    with timed(f"(p4) 进展情况统计表 DOCX, {DEPTS} rows (layout + python-docx)", results):
        lay, progress = layout_progress.progress_table(source.plan, doc, names)
        data = stats_docx.render(lay, progress.grid)
    assert data[:2] == b"PK"


if __name__ == "__main__":
    main()
