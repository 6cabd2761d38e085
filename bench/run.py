"""fawen benchmarks: conversion against plain LibreOffice, incremental rebuilds, large plans.

Prints, from one run on one machine:
  (a) one plain `soffice --headless --convert-to pdf` call over all DOCX files of the build,
      and fawen's cold build with -j1 and -j2, as ratios to it;
  (b) a no-change rebuild as a ratio to the cold build;
  (c) DOCX render time for plans of 500 and 2,000 tasks;
  (d) a full build (DOCX + PDF) of plans of 500 … 5,000 tasks, and the peak memory of validate.
The corpus is the example plans, each copied several times under new ids and numbers.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import build, convert, layout, load, pdfread, placement, tables  # noqa: E402
from generator.render import docx as render  # noqa: E402
from generator.render import table_docx  # noqa: E402

COPIES = int(os.environ.get("FAWEN_BENCH_COPIES", "4"))


def corpus(target: Path) -> Path:
    """The example plans, and COPIES more of each under their own ids and document numbers."""
    plans = target / "plans"
    shutil.copytree(ROOT / "plans", plans)
    (plans / "numbers.yaml").unlink()
    masters = [p for p in sorted((ROOT / "plans").glob("*/plan.yaml"))]
    for k in range(1, COPIES + 1):
        for plan in masters:
            text = plan.read_text(encoding="utf-8")
            text = re.sub(r"^id: (\S+)", rf"id: \g<1>-copy{k}", text, count=1, flags=re.M)
            text = re.sub(r"〔2020〕(\d+)号", lambda m, k=k: f"〔2020〕{int(m.group(1)) + 10 * k}号", text)
            folder = plans / f"{plan.parent.name}-copy{k}"
            shutil.copytree(plan.parent, folder, ignore=shutil.ignore_patterns("hazchem"))
            (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return plans


def quiet(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """A build without its line-per-document log (the figures are what this prints)."""
    with contextlib.redirect_stderr(io.StringIO()):
        return fn(*args, **kwargs)


def cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process (fawen) and by its ended children (the workers)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def plain_soffice(docx_dir: Path, work: Path) -> float:
    files = sorted(str(p) for p in docx_dir.rglob("*.docx"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(convert.fontconfig_file(work)), HOME=str(work))
    cmd = [convert.soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
           "--convert-to", "pdf", "--outdir", str(work / "pdf"), *files]
    return timed(lambda: subprocess.run(cmd, env=env, check=True, capture_output=True))


def write_big_plan(root: Path, tasks: int) -> Path:
    """plans/ with one plan of `tasks` tasks (groups of 50) under `root`: the 枣庄 example's
    sections, phases and documents (its notice binds the 任务分解表 as 附件2)."""
    source = (ROOT / "plans" / "zaozhuang-gxq-2020" / "plan.yaml").read_text(encoding="utf-8")
    head = source.split("\ntask_groups:\n")[0]
    tail = "\nphases:\n" + source.split("\nphases:\n")[1]
    groups = []
    per_group = 50
    for g in range(tasks // per_group):
        items = "".join(
            f"      - {{id: g{g}-t{t}, title: 任务{t}, text: 第{g + 1}组第{t + 1}项任务，按要求完成排查整治和验收。, "
            f"deadline: 2021年底前}}\n" for t in range(per_group))
        groups.append(f"  - id: g{g}\n    kind: 行业领域\n    title: 第{g + 1}个行业领域安全整治\n"
                      f"    lead: [gx-yjglj]\n    support: [gx-jjfz, gx-gafj]\n    tasks:\n{items}")
    plans = root / "plans"
    (plans / "big").mkdir(parents=True)
    shutil.copy(ROOT / "plans" / "departments.yaml", plans)
    (plans / "big" / "plan.yaml").write_text(head + "\ntask_groups:\n" + "".join(groups) + tail, encoding="utf-8")
    return plans


def big_plan_render(tasks: int) -> tuple[float, float]:
    """Seconds to lay out and render the notice + plan DOCX of a plan with `tasks` tasks."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_big_plan(Path(tmp), tasks)
        workspace, problems = load.load([root])
        assert not problems, problems
        source_ = workspace.plans[0]
        doc = source_.plan.documents[0]

        def run() -> None:
            lay = layout.notice(source_.plan, doc, source_.registry.names() if source_.registry else {})
            render.render(lay, placement.estimate_placement(lay))
        run()  # warm up imports and caches
        seconds = timed(run)
        names = source_.registry.names() if source_.registry else {}
        lay = layout.duties(source_.plan, "任务分解表", names, [])
        table_seconds = timed(lambda: table_docx.render(lay, tables.rows(source_.plan), names, "各有关部门",
                                                        ["number", "title", "text", "lead", "support", "deadline"]))
        return seconds, table_seconds


def main() -> None:
    version = subprocess.run([convert.soffice(), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {os.cpu_count()} cores; {version}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="fawen-bench-") as tmp:
        work = Path(tmp)
        plans = corpus(work)
        workspace, problems = load.load([plans])
        assert not problems, problems
        docs = len(build.jobs(workspace))
        quiet(build.build, workspace, work / "docx", pdf=False)
        plain = plain_soffice(work / "docx", work / "plain")
        print(f"corpus: {docs} documents")
        print(f"(a) plain soffice --convert-to pdf, one call over {docs} DOCX: {plain:6.1f} s  (1.00)")
        results = {}
        for jobs in (1, 2):
            out = work / f"out-j{jobs}"
            before = cpu()
            seconds = timed(lambda: quiet(build.build, workspace, out, workers=jobs))  # noqa: B023
            own, office = (a - b for a, b in zip(cpu(), before, strict=True))
            results[jobs] = (out, seconds)
            print(f"    fawen build -j{jobs}, cold:                       {seconds:6.1f} s  ({seconds / plain:.2f})"
                  f"   CPU: fawen {own:.1f} s, LibreOffice workers {office:.1f} s")
        out, cold = results[2]
        again = timed(lambda: quiet(build.build, workspace, out, workers=2))
        print(f"(b) no-change rebuild (-j2):                         {again:6.2f} s  ({again / cold:.1%} of cold)")
    for tasks in (500, 2000):
        plan_s, table_s = big_plan_render(tasks)
        print(f"(c) DOCX render, {tasks:5d} tasks: plan {plan_s:6.2f} s, 任务分解表 {table_s:6.2f} s")
    for tasks in (500, 1000, 2000, 5000):
        seconds, pages, memory = big_plan_build(tasks)
        print(f"(d) full build (DOCX + PDF, -j2), {tasks:5d} tasks: {seconds:6.1f} s, {pages} pages; "
              f"fawen validate peak memory {memory:.0f} MB")


def big_plan_build(tasks: int) -> tuple[float, int, float]:
    """A cold `fawen build` of a plan with `tasks` tasks (notice + plan + bound 任务分解表,
    standalone table, 责任清单, roadmap): seconds, pages written, and the peak memory (MB) of
    `fawen validate` on it, each in a process of its own."""
    with tempfile.TemporaryDirectory() as tmp:
        plans = write_big_plan(Path(tmp), tasks)
        fawen = [sys.executable, "-m", "generator.cli"]
        validate = subprocess.run(["/usr/bin/env", "python3", "-c",
                                   "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
                                   "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
                                   ".ru_maxrss)", *fawen, "validate", str(plans)],
                                  cwd=ROOT, capture_output=True, text=True, check=True)
        out = Path(tmp) / "out"
        seconds = timed(lambda: subprocess.run([*fawen, "build", str(plans), "-o", str(out), "-j", "2"], cwd=ROOT,
                                               check=True, capture_output=True))
        pages = sum(len(pdfread.read(p.read_bytes())) for p in out.rglob("*.pdf"))
        return seconds, pages, int(validate.stdout.strip()) / 1024


if __name__ == "__main__":
    main()
