"""A hostile environment: odd variables, broken output directories, a build killed with SIGKILL.

Each gets one clean line naming what is wrong and what to do, no traceback, nothing half
written; no LibreOffice process outlives the build that started it.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from generator import build, files, load
from generator.errors import Position, Problem, printable

from conftest import PLANS, ROOT, processes_of

PING = PLANS / "pingli-2020"


def _fawen(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd or ROOT, timeout=300, check=False)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("FAWEN_CONVERT_TIMEOUT", "abc", "FAWEN_CONVERT_TIMEOUT='abc' is not a number of seconds; set it to e.g. 120"),
    ("FAWEN_CONVERT_TIMEOUT", "-5", "FAWEN_CONVERT_TIMEOUT='-5' is not a number of seconds"),
    ("FAWEN_CONVERT_TIMEOUT", "nan", "FAWEN_CONVERT_TIMEOUT='nan' is not a number of seconds"),
    ("SOURCE_DATE_EPOCH", "99999999999999999999", "SOURCE_DATE_EPOCH='99999999999999999999' is not a time"),
    ("SOURCE_DATE_EPOCH", "yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a time in seconds since 1970"),
    ("FAWEN_TEMPLATES", "/nonexistent", "FAWEN_TEMPLATES='/nonexistent' is not a directory with text/ in it"),
    ("FAWEN_FONTS", "/etc/passwd", "FAWEN_FONTS='/etc/passwd' is not a directory"),
])
def test_an_odd_environment_variable_is_one_clean_line(tmp_path: Path, name: str, value: str, expected: str) -> None:
    out = tmp_path / "out"
    result = _fawen("build", str(PING), "-o", str(out), env={name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"fawen: error: {expected}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()  # checked before anything was written


def test_an_escape_sequence_in_a_variable_is_shown_escaped(tmp_path: Path) -> None:
    result = _fawen("validate", str(PING), env={"FAWEN_CONVERT_TIMEOUT": "1\x1b[31mred"})
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "'1\\x1b[31mred'" in result.stderr


def test_messages_never_carry_control_characters() -> None:
    assert printable("a\x1b[2Jb\x07c\u202ed\ud800e\nf") == "a\\x1b[2Jb\\x07c\\u202ed\\ud800e\nf"
    problem = Problem(Position("plan.yaml", 3, 5), "unknown department id '\x1b[31mx'", "did you mean 'y'?")
    assert str(problem) == "plan.yaml:3:5: error: unknown department id '\\x1b[31mx'; did you mean 'y'?"


def _case(tmp_path: Path, kind: str) -> Path:
    if kind == "a file":
        (tmp_path / "out").write_text("not a directory")
        return tmp_path / "out"
    if kind == "under a file":
        (tmp_path / "file").write_text("not a directory")
        return tmp_path / "file" / "out"
    out = tmp_path / "out"  # the document's target path is a directory
    (out / "pingli-2020" / "notice.pdf").mkdir(parents=True)
    return out


@pytest.mark.parametrize(("kind", "message"), [
    ("a file", "out: File exists; a file stands where a directory should be: remove it or choose another"),
    ("under a file", "out: Not a directory; a file stands where a directory should be"),
    ("a directory in the way", "notice.pdf: Is a directory; a directory stands where the file goes: remove it"),
])
def test_a_broken_output_directory_is_one_clean_line(tmp_path: Path, kind: str, message: str) -> None:
    out = _case(tmp_path, kind)
    result = _fawen("build", str(PING), "-o", str(out))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("fawen: error:")]
    assert line.startswith(f"fawen: error: cannot write {tmp_path}") and message in line
    if kind == "a directory in the way":  # nothing half written: no DOCX without its PDF
        assert not (out / "pingli-2020" / "notice.docx").exists()
    assert not list(tmp_path.rglob("*.part"))


def test_a_read_only_output_directory_is_one_clean_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root writes into a chmod 555 directory anyway, so the refusal is simulated where the
    file system would give it (a non-root run also tries the real thing)."""
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() != 0:
        out.chmod(0o555)
        with pytest.raises(files.OutputError, match=r"Permission denied; make it writable or choose another"):
            files.prepare_output(out)
        out.chmod(0o755)

    def refuse(*_args: object, **_kw: object) -> tuple[int, str]:
        raise PermissionError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    workspace, problems = load.load([PING])
    assert problems == []
    with pytest.raises(files.OutputError) as caught:
        build.build(workspace, out, pdf=False)
    assert str(caught.value) == (f"cannot write {out}: Read-only file system; the file system is read-only: "
                                 "choose another output directory with -o")


def test_a_foreign_manifest_only_costs_a_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / build.MANIFEST).write_text('["not", "a", "manifest"]')
    workspace, _ = load.load([PING])
    assert build.build(workspace, out, pdf=False).ok
    (out / build.MANIFEST).write_text('{"pingli-2020/notice": {"key": 1}, "x": 2}')
    assert build.build(workspace, out, pdf=False).ok


def _processes_of(marker: str) -> list[int]:
    """LibreOffice and worker processes whose environment carries `marker`."""
    return processes_of(marker, (b"soffice", b"lo_worker"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make setup installs it)")
def test_no_libreoffice_outlives_a_killed_build(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    out = tmp_path / "out"
    env = {**os.environ, "FAWEN_TEST_MARKER": marker}
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", str(PLANS), "-o", str(out), "-j", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len([p for p in _processes_of(marker) if b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes()]) < 2:
        assert proc.poll() is None, "the build ended before its workers were up"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # no clean-up runs, no pipe closes in order
    proc.wait()
    time.sleep(5)
    survivors = _processes_of(marker)
    for pid in survivors:  # leave the machine clean even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    result = _fawen("build", str(PLANS), "-o", str(out))  # no stale lock or half file blocks the next build
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.part"))
