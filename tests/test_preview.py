"""`fawen preview` and `fawen build --watch`, driven over HTTP as a user's browser would.

One preview server (a subprocess on a free port, `--against HEAD` in a scratch git repository
holding a copy of the example plans) serves the whole module; each test that edits the plan
puts it back and waits until the original pages are served again. Every wait polls with a
deadline; nothing asserts a duration.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import queue
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PLANS, processes_of

httpx = pytest.importorskip("httpx")
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice is not installed (make setup installs it)")

START = 300.0  # seconds: LibreOffice's start and the first build, on a slow machine
WAIT = 120.0  # seconds: one rebuild
URBAN = Path("plans/pingli-2020/groups/urban.yaml")
PLAN = Path("plans/pingli-2020/plan.yaml")
TASK = "排查城区户外广告、招牌设施的安全隐患，限期加固或拆除。"


def copy_plans(root: Path) -> None:
    (root / "plans").mkdir(parents=True)
    for name in ("departments.yaml", "numbers.yaml"):
        shutil.copy(PLANS / name, root / "plans" / name)
    shutil.copytree(PLANS / "pingli-2020", root / "plans" / "pingli-2020")


class Running:
    """A `fawen` subprocess with its standard output read line by line in a thread."""

    def __init__(self, args: list[str], cwd: Path):
        self.marker = uuid.uuid4().hex
        self.stderr_path = cwd / f"stderr-{self.marker}.txt"
        self.stderr_file = self.stderr_path.open("wb")
        env = {**os.environ, "FAWEN_TEST_MARKER": self.marker, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=self.stderr_file, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def line(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found = re.search(pattern, self.lines.get(timeout=0.1))
            except queue.Empty:
                assert self.proc.poll() is None, f"fawen ended early: {self.stderr()}"
                continue
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s: {self.stderr()}")

    def stderr(self) -> str:
        if not self.stderr_file.closed:
            self.stderr_file.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def interrupt(self) -> int:
        """Ctrl-C; the exit status once it has ended."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=WAIT)
        finally:
            self.stderr_file.close()

    def assert_clean_exit(self, status: int) -> None:
        text = self.stderr()
        assert status == 0, text
        assert "Traceback" not in text, text
        deadline = time.monotonic() + 30
        while processes_of(self.marker):  # LibreOffice stops with fawen (allow it a moment to go)
            assert time.monotonic() < deadline, f"LibreOffice outlived fawen: {processes_of(self.marker)}"
            time.sleep(0.1)


class Server:
    def __init__(self, run: Running, url: str, root: Path):
        self.run = run
        self.url = url
        self.root = root
        self.client = httpx.Client(base_url=url, timeout=30)
        self.original: dict[Path, bytes] = {p: (root / p).read_bytes() for p in (URBAN, PLAN)}
        self.first: dict[str, Any] = {}

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def state(self) -> dict[str, Any]:
        response = self.get("/state.json")
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        return data

    def wait(self, ok: Callable[[dict[str, Any]], bool], timeout: float = WAIT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        state = self.state()
        while not ok(state):
            assert time.monotonic() < deadline, f"the preview did not get there in {timeout} s: {state}"
            time.sleep(0.05)
            state = self.state()
        return state

    def raw(self, target: str, host: str | None = None) -> tuple[int, bytes]:
        """A request with the target exactly as written (no client normalises `..` away)."""
        conn = http.client.HTTPConnection(self.url.split("//")[1].rstrip("/"), timeout=30)
        try:
            conn.putrequest("GET", target, skip_host=host is not None, skip_accept_encoding=True)
            if host is not None:
                conn.putheader("Host", host)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def notice(self, state: dict[str, Any] | None = None) -> dict[str, Any]:
        docs = (state or self.state())["documents"]
        found: dict[str, Any] = next(d for d in docs if d["name"] == "pingli-2020/notice")
        return found

    def text(self, doc: dict[str, Any]) -> str:
        from generator import pdfread
        response = self.get(doc["pdf"])
        assert response.status_code == 200
        return "".join(line.text for page in pdfread.read(response.content) for line in page.lines)


class Events:
    """The server-sent event stream, read in a thread; `next` waits (bounded) for a matching event."""

    def __init__(self, url: str):
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self.client = httpx.Client(timeout=httpx.Timeout(30, read=None))
        self.url = url
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            with self.client.stream("GET", self.url + "events") as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                event: dict[str, Any] = {}
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        event["event"] = line.removeprefix("event:").strip()
                    elif line.startswith("data:"):
                        event["data"] = json.loads(line.removeprefix("data:"))
                    elif not line and event:
                        self.queue.put(event)
                        event = {}
        except (httpx.HTTPError, RuntimeError):
            pass

    def next(self, ok: Callable[[dict[str, Any]], bool], timeout: float = WAIT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no such event within {timeout} s"
            try:
                event = self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if event.get("event") == "build" and ok(event["data"]):
                return event["data"]

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("preview")
    copy_plans(root)
    git = ["git", "-c", "user.name=fawen", "-c", "user.email=fawen@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "plans"], ["commit", "-q", "-m", "plans"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    inputs = {p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}
    run = Running(["preview", "plans/pingli-2020", "--port", "0", "-o", "out", "--against", "HEAD", "-j", "1"], root)
    try:
        url = run.line(r"http://127\.0\.0\.1:\d+/", START).group(0)
        srv = Server(run, url, root)
        srv.wait(lambda s: s["generation"] >= 1 and not s["stale"], START)
        srv.first = srv.notice()
        yield srv
    finally:
        status = run.interrupt()
    run.assert_clean_exit(status)  # Ctrl-C: no traceback, no LibreOffice left behind
    assert "stopped" in run.stderr()
    written = {p for p in root.rglob("*") if p.parts[len(root.parts)] not in (".git", "out")} - inputs
    assert written == {run.stderr_path}, "the preview wrote outside its output directory"


def restore(server: Server) -> None:
    """Put the plan back as it was and wait until its first pages are served again."""
    for path, data in server.original.items():
        if (server.root / path).read_bytes() != data:
            (server.root / path).write_bytes(data)
    first = server.first["sha"]
    server.wait(lambda s: not s["problems"] and not s["stale"]
                and any(d["sha"] == first for d in s["documents"]))


def test_document_list(server: Server) -> None:
    page = server.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert "平利县安全生产专项整治三年行动实施方案" in html
    assert 'href="/?doc=pingli-2020/notice"' in html and ">印发通知</a>" in html
    state = server.state()
    names = [d["name"] for d in state["documents"]]
    assert names[0] == "pingli-2020/notice"  # the plan's documents in the order it declares them
    assert all(f'href="/?doc={name}"' in html for name in names)
    notice = server.notice(state)
    assert "pingli-2020/notice · 4 页" in html
    assert len(notice["pages"]) == 4
    assert all(f'src="{src}"' in html for src in notice["pages"])
    assert server.get("/static/preview.js").status_code == 200
    assert server.get("/static/preview.css").headers["content-type"].startswith("text/css")
    assert "没有变更" in html  # --against HEAD with nothing changed yet


def test_page_image(server: Server) -> None:
    notice = server.notice()
    image = server.get(notice["pages"][0])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    png = image.content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert (width, height) == (1191, 1684)  # A4 at 2 pixels a point
    import numpy as np
    from PIL import Image
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    reds = int(((rgb[..., 0] > 200) & (rgb[..., 1] < 80) & (rgb[..., 2] < 80)).sum())
    assert reds > 1000  # the red 发文机关标志 and rule of page 1
    pdf = server.get(notice["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == notice["sha"]
    sha = notice["sha"]
    assert server.get(f"/page/{sha}/5.png").status_code == 404  # past the last page
    assert server.get(f"/page/{sha}/0.png").status_code == 404
    assert server.get(f"/page/{'0' * 64}/1.png").status_code == 404  # not a served document


def test_error_panel_after_a_broken_save_then_refresh_after_the_fix(server: Server) -> None:
    events = Events(server.url)
    try:
        events.next(lambda d: True)  # the stream starts with the current state
        before = server.state()
        path = server.root / PLAN
        broken_yaml = path.read_text(encoding="utf-8").replace("title: 平利县", "title: [平利县", 1)
        path.write_text(broken_yaml, encoding="utf-8")
        broken = events.next(lambda d: d["errors"] > 0)
        assert broken["stale"]
        state = server.state()
        assert state["stale"]
        [problem] = state["problems"]
        assert (problem["path"], problem["line"], problem["column"]) == ("plans/pingli-2020/plan.yaml", 5, 7)
        assert "YAML syntax error" in problem["message"]
        assert server.notice(state)["sha"] == before["documents"][0]["sha"]  # the last good pages stay
        panel = server.get("/panel").text
        assert 'id="problems" class="has-errors"' in panel
        assert ">plans/pingli-2020/plan.yaml:5:7</a>" in panel
        assert 'href="vscode://file' in panel and "/plans/pingli-2020/plan.yaml:5:7" in panel
        assert "title: [平利县" in panel  # the lines around the place
        assert "已过期" in panel
        assert server.notice(state)["pages"][0] in panel
        assert server.get(server.notice(state)["pages"][0]).status_code == 200
        restore(server)
        fixed = events.next(lambda d: d["generation"] > broken["generation"] and d["errors"] == 0)
        assert not fixed["stale"]
        assert "has-errors" not in server.get("/panel").text
    finally:
        events.close()
        restore(server)


def test_traversal_and_foreign_paths_get_404(server: Server, tmp_path: Path) -> None:
    notice = server.notice()
    sha = notice["sha"]
    targets = [
        "/../../etc/passwd", "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/etc/passwd", "//etc/passwd",
        "/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
        "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/panel.html", "/static/index.html",
        "/static/../../generator/cli.py", "/static/preview.css/../../../../etc/passwd",
        f"/page/{sha}/1.png/../../../../etc/passwd", "/page/../../etc/passwd/1.png", "/pdf/../../etc/passwd.pdf",
        "/pdf/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf", "/out/pingli-2020/notice.pdf", "/pingli-2020/notice.pdf",
        "/plans/pingli-2020/plan.yaml", "/out/.fawen-manifest.json", f"/out/.fawen-preview/{sha}.pdf",
        "/.git/config", "/\\..\\..\\etc\\passwd", "/static/..\\..\\etc\\passwd",
    ]
    for target in targets:
        status, body = server.raw(target)
        assert status == 404, target
        assert b"root:" not in body and b"[core]" not in body, target
    # a symbolic link in the output directory that leads out of it
    out = server.root / "out"
    (out / "escape").symlink_to("/etc")
    (out / "pingli-2020" / "passwd.pdf").symlink_to("/etc/passwd")
    for target in ("/escape/passwd", "/out/escape/passwd", "/pingli-2020/passwd.pdf", "/pdf/passwd.pdf"):
        assert server.raw(target)[0] == 404, target
    # the stored copy of the served PDF replaced by a link to a file outside, even one with the same bytes
    stored = out / ".fawen-preview" / f"{sha}.pdf"
    outside = tmp_path / "same.pdf"
    shutil.copy(stored, outside)
    aside = stored.with_name("aside")
    stored.rename(aside)
    try:
        stored.symlink_to(outside)
        assert server.raw(f"/pdf/{sha}.pdf")[0] == 404
        stored.unlink()
        stored.symlink_to("/etc/passwd")
        status, body = server.raw(f"/pdf/{sha}.pdf")
        assert status == 404 and b"root:" not in body
    finally:
        stored.unlink(missing_ok=True)
        aside.rename(stored)
        (out / "escape").unlink()
        (out / "pingli-2020" / "passwd.pdf").unlink()
    assert server.raw(f"/pdf/{sha}.pdf")[0] == 200
    # another site's page that resolves its own name to 127.0.0.1 (DNS rebinding) reads nothing
    assert server.raw("/state.json", host="attacker.example:80")[0] == 400


def test_two_quick_saves_make_one_consistent_rebuild(server: Server) -> None:
    served: list[str] = []
    bad: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        """Fetch everything listed, all the time: every file served must be whole."""
        with httpx.Client(base_url=server.url, timeout=30) as client:
            while not stop.is_set():
                state = client.get("/state.json").json()
                for doc in state["documents"]:
                    response = client.get(doc["pdf"])
                    if response.status_code == 404:
                        continue  # two builds later it is no longer served
                    served.append(doc["sha"])
                    if hashlib.sha256(response.content).hexdigest() != doc["sha"]:
                        bad.append(f"{doc['pdf']}: the bytes served do not have their hash")
                    image = client.get(doc["pages"][0])
                    if image.status_code == 200 and not image.content.startswith(b"\x89PNG"):
                        bad.append(f"{doc['pages'][0]}: not a PNG")

    poller = threading.Thread(target=poll, daemon=True)
    events = Events(server.url)
    try:
        current = events.next(lambda d: True)  # the stream starts with the current state
        before = server.state()
        assert before["generation"] == current["generation"]
        poller.start()
        path = server.root / URBAN
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(TASK, TASK[:-1] + "，第一次保存。"), encoding="utf-8")
        path.write_text(text.replace(TASK, TASK[:-1] + "，第二次保存。"), encoding="utf-8")
        event = events.next(lambda d: d["generation"] > before["generation"])
        state = server.state()
        # the first result published after the two saves is already the second one: no build of
        # the first save (or of a half-written file) was shown in between
        assert event["generation"] == before["generation"] + 1
        assert state["generation"] == before["generation"] + 1, "the two saves were published one by one"
        assert not state["problems"] and not state["stale"]
        text_now = server.text(server.notice(state))
        assert "第二次保存" in text_now and "第一次保存" not in text_now
    finally:
        stop.set()
        events.close()
        if poller.is_alive():
            poller.join(WAIT)
    assert not bad, bad
    assert served
    restore(server)


def test_diff_against_a_revision_beside_the_pages(server: Server) -> None:
    path = server.root / URBAN
    path.write_text(path.read_text(encoding="utf-8").replace(TASK, TASK[:-1] + "<b>并公示</b>。"), encoding="utf-8")
    try:
        state = server.wait(lambda s: bool(s["changes"]))
        [change] = state["changes"]
        assert change["subject"] == "urban-signs"
        panel = server.get("/panel").text
        diff = panel[panel.index('<section id="diff">'):]
        assert "与 HEAD 相比" in diff
        assert "<ins>&lt;b&gt;并公示&lt;/b&gt;</ins>" in diff  # the words added, escaped
        assert "<b>并公示" not in panel
        assert "并公示" in server.text(server.notice(state))  # the pages beside it are the edited plan's
    finally:
        restore(server)
    assert "没有变更" in server.get("/panel").text


def test_build_watch_rebuilds_on_save_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    copy_plans(tmp_path)
    run = Running(["build", "--watch", "plans/pingli-2020", "-o", "out", "-j", "1"], tmp_path)
    try:
        deadline = time.monotonic() + START
        while run.stderr().count("watching plans/pingli-2020") < 1:
            assert run.proc.poll() is None and time.monotonic() < deadline, run.stderr()
            time.sleep(0.05)
        pdf = tmp_path / "out" / "pingli-2020" / "notice.pdf"
        first = pdf.read_bytes()
        path = tmp_path / URBAN
        path.write_text(path.read_text(encoding="utf-8").replace(TASK, TASK[:-1] + "，并公示。"), encoding="utf-8")
        deadline = time.monotonic() + WAIT
        while run.stderr().count("watching plans/pingli-2020") < 2:
            assert run.proc.poll() is None and time.monotonic() < deadline, run.stderr()
            time.sleep(0.05)
        assert pdf.read_bytes() != first
        path.write_text("tasks: [", encoding="utf-8")  # a broken save is reported, the watch goes on
        deadline = time.monotonic() + WAIT
        while run.stderr().count("watching plans/pingli-2020") < 3:
            assert run.proc.poll() is None and time.monotonic() < deadline, run.stderr()
            time.sleep(0.05)
        assert "plans/pingli-2020/groups/urban.yaml:" in run.stderr() and "nothing was built" in run.stderr()
        assert pdf.is_file()
    finally:
        status = run.interrupt()
    run.assert_clean_exit(status)
    assert "stopped watching" in run.stderr()
