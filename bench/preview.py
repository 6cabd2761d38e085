"""fawen preview: from saving a one-task edit to the refreshed page being served.

For the example plans pingli-2020 (its notice: 4 pages) and zaozhuang-gxq-2020 (its notice with
the plan and the bound 任务分解表: 22 pages), each in a scratch copy:

  - a cold `fawen build` of the plan directory (fresh output directory, LibreOffice started);
  - `fawen preview` of the same directory on a free port; then 10 edits, each changing the text
    of one task (a few words added, different each time, so that no page image comes from the
    cache), and for each the time from the write to
      event  the server-sent event announcing the rebuild,
      page   the notice's panel and its first page image (PNG) served,
      all    every page image of the notice served (fetched six at a time, as a browser does);
  - medians over the 10 edits, and as ratios to the cold build.

Run by `make bench` after bench/run.py. The figures are for reading; no test asserts a time.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
EDITS = int(os.environ.get("FAWEN_BENCH_EDITS", "10"))

# plan directory, the file with the task, the task's text
PLANS = [
    ("pingli-2020", "groups/urban.yaml", "排查城区户外广告、招牌设施的安全隐患，限期加固或拆除。"),
    ("zaozhuang-gxq-2020", "plan.yaml",
     "在电视台主要频道和本地网站、新媒体平台持续播放安全生产专题片，各部门和企业组织集体收看。"),
]


def fawen(*args: str, cwd: Path, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=cwd, text=True, **kwargs)


def scratch(work: Path, plan: str) -> None:
    (work / "plans").mkdir(parents=True)
    for name in ("departments.yaml", "numbers.yaml"):
        shutil.copy(ROOT / "plans" / name, work / "plans" / name)
    shutil.copytree(ROOT / "plans" / plan, work / "plans" / plan)


def cold_build(work: Path, plan: str) -> float:
    start = time.perf_counter()
    proc = fawen("build", f"plans/{plan}", "-o", "cold", cwd=work, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
    if proc.wait() != 0:
        raise SystemExit(f"fawen build plans/{plan} failed")
    return time.perf_counter() - start


class Events(threading.Thread):
    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.events: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.start()

    def run(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(30, read=None)) as client, \
                client.stream("GET", self.url + "events") as response:
            for line in response.iter_lines():
                if line.startswith("data:"):
                    self.events.put((time.perf_counter(), json.loads(line.removeprefix("data:"))))

    def after(self, generation: int, timeout: float = 300) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            at, data = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            if data["generation"] > generation:
                return at, data


def measure(plan: str, file: str, task: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fawen-bench-preview-") as tmp:
        work = Path(tmp)
        scratch(work, plan)
        cold = cold_build(work, plan)
        proc = fawen("preview", f"plans/{plan}", "--port", "0", "-o", "preview", cwd=work,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            assert proc.stdout is not None
            url = ""
            while not url:
                found = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
                url = found.group(0) if found else ""
            client = httpx.Client(base_url=url, timeout=60)
            events = Events(url)
            state: dict[str, Any] = {"generation": 0}
            deadline = time.monotonic() + 300
            while state["generation"] < 1 or state["stale"]:
                assert time.monotonic() < deadline, state
                time.sleep(0.05)
                state = client.get("/state.json").json()
            generation = state["generation"]
            path = work / "plans" / plan / file
            original = path.read_text(encoding="utf-8")
            assert task in original
            times: dict[str, list[float]] = {"event": [], "page": [], "all": [], "rebuild": []}
            pages = 0
            with ThreadPoolExecutor(6) as browser:
                for i in range(EDITS):
                    start = time.perf_counter()
                    path.write_text(original.replace(task, f"{task[:-1]}，第{i + 1}次修改。", 1), encoding="utf-8")
                    at, data = events.after(generation)
                    generation = data["generation"]
                    panel = client.get(f"/panel?doc={plan}/notice").text
                    srcs = re.findall(r'<main id="pages".*?</main>', panel, re.S)[0]
                    images = re.findall(r'src="(/page/[0-9a-f]{64}/\d+\.png)"', srcs)
                    assert client.get(images[0]).status_code == 200
                    page = time.perf_counter()
                    assert all(r.status_code == 200 for r in browser.map(client.get, images[1:]))
                    done = time.perf_counter()
                    summary = client.get("/state.json").json()
                    assert not summary["stale"], summary
                    seconds = re.search(r"in ([\d.]+) s$", summary["summary"])
                    times["event"].append(at - start)
                    times["page"].append(page - start)
                    times["all"].append(done - start)
                    times["rebuild"].append(float(seconds.group(1)) if seconds else float("nan"))
                    pages = len(images)
        finally:
            proc.send_signal(2)  # Ctrl-C
            proc.wait(120)
    return {"cold": cold, "pages": pages, **{k: statistics.median(v) for k, v in times.items()}}


def main() -> None:
    print(f"fawen preview, {EDITS} one-task edits each; medians (ratio to a cold `fawen build` of the same plan)")
    for plan, file, task in PLANS:
        r = measure(plan, file, task)
        cold = r["cold"]
        print(f"  {plan} (notice: {r['pages']} pages): cold build {cold:5.2f} s; edit → event {r['event']:5.2f} s "
              f"({r['event'] / cold:.2f}), → first page served {r['page']:5.2f} s ({r['page'] / cold:.2f}), "
              f"→ all {r['pages']} pages {r['all']:5.2f} s ({r['all'] / cold:.2f}); the rebuild itself "
              f"{r['rebuild']:.1f} s (as the build reports it, rounded)")


if __name__ == "__main__":
    main()
