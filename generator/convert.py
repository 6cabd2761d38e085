"""DOCX → PDF with LibreOffice headless, and the fonts it may use.

Each conversion runs in its own profile directory with a timeout, so parallel or hung
conversions cannot corrupt each other; the PDF appears atomically or not at all.
The official faces are proprietary; a project fontconfig file maps each to a free face
of the same class (仿宋→FandolFang, 黑体→FandolHei, 楷体→FandolKai, 宋体→FandolSong,
小标宋→Noto Serif CJK SC Bold), all as TrueType (scripts/stand_in_fonts.py says why). A
directory of licensed fonts, when given, comes first.
"""

from __future__ import annotations

import bisect
import functools
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from . import settings
from .errors import ConvertError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FONTS = Path(os.environ.get("FAWEN_FONTS", ROOT / ".fonts"))

# official family name → (stand-in family, weight or None)
STAND_INS: dict[str, tuple[str, str | None]] = {
    "仿宋_GB2312": ("FandolFang", None),
    "仿宋": ("FandolFang", None),
    "FangSong": ("FandolFang", None),
    "黑体": ("FandolHei", None),
    "SimHei": ("FandolHei", None),
    "楷体_GB2312": ("FandolKai", None),
    "楷体": ("FandolKai", None),
    "KaiTi": ("FandolKai", None),
    "宋体": ("FandolSong", None),
    "SimSun": ("FandolSong", None),
    "方正小标宋简体": ("Noto Serif CJK SC TT", "bold"),
    "方正小标宋_GBK": ("Noto Serif CJK SC TT", "bold"),
}


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConvertError("LibreOffice (soffice) is not installed; run `make setup` or "
                       "apt-get install libreoffice-writer-nogui")


def fontconfig_file(directory: Path, licensed: Path | None = None) -> Path:
    """Write a fonts.conf that adds our font directories and the stand-in aliases."""
    dirs = [d for d in (licensed, DEFAULT_FONTS) if d is not None and d.is_dir()]
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    lines += [f"  <dir>{d.resolve()}</dir>" for d in dirs]
    cache = settings.cache_home() / "fawen-fontconfig"
    lines.append(f"  <cachedir>{cache}</cachedir>")
    for official, (stand_in, weight) in STAND_INS.items():
        # <accept> adds the stand-in right after the requested family: a licensed font
        # that really has the official name still wins.
        lines.append(f'  <alias binding="same"><family>{official}</family>'
                     f"<accept><family>{stand_in}</family></accept></alias>")
        if weight:
            lines += [
                '  <match target="pattern">',
                f'    <test name="family" qual="first"><string>{official}</string></test>',
                f'    <edit name="weight" mode="assign"><const>{weight}</const></edit>',
                "  </match>",
            ]
    # the system rules come last: they append sans-serif to every family, which must not
    # get ahead of the stand-ins
    lines.append('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    lines.append("</fontconfig>")
    path = directory / "fonts.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_COVERAGE: dict[tuple[str, str], tuple[str, list[tuple[int, int]]]] = {}


def coverage(face: str, licensed_fonts: Path | None = None) -> tuple[str, list[tuple[int, int]]]:
    """The font file fontconfig picks for an official face name, and the code points it has."""
    key = (face, str(licensed_fonts))
    if key not in _COVERAGE:
        with tempfile.TemporaryDirectory(prefix="fawen-fc-") as tmp:
            env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(Path(tmp), licensed_fonts)))
            proc = subprocess.run(["fc-match", "-f", "%{family[0]}|%{charset}", face], env=env,
                                  capture_output=True, text=True, check=False, timeout=60)
        family, _, charset = proc.stdout.partition("|")
        ranges = []
        for part in charset.split():
            lo, _, hi = part.partition("-")
            ranges.append((int(lo, 16), int(hi or lo, 16)))
        _COVERAGE[key] = (family, sorted(ranges))
    return _COVERAGE[key]


def fonts_fingerprint(licensed_fonts: Path | None = None) -> str:
    """The font files that may be used, with their sizes: part of the cache key."""
    parts = []
    for folder in (licensed_fonts, DEFAULT_FONTS):
        if folder is not None and folder.is_dir():
            parts += [f"{p}:{p.stat().st_size}" for p in sorted(folder.rglob("*")) if p.is_file()]
    family, ranges = coverage("方正小标宋简体", licensed_fonts)  # a system font if ours is missing
    parts.append(f"{family}:{len(ranges)}")
    return ";".join(parts)


def libreoffice_version() -> str:
    """Which LibreOffice converts (part of the cache key): its program files, by size and time."""
    program = Path(soffice()).resolve().parent
    stamps = [f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sorted(program.glob("*rc"))
              if p.is_file()]
    return f"{program};" + ";".join(stamps)


def missing_glyphs(text: str, face: str, licensed_fonts: Path | None = None) -> tuple[str, str]:
    """(font family, characters of `text` it has no glyph for): they would print as empty boxes."""
    family, ranges = coverage(face, licensed_fonts)
    if not ranges:
        return family, ""
    starts = [lo for lo, _ in ranges]  # coverage() keeps them sorted
    missing = []
    for ch in dict.fromkeys(text):
        cp = ord(ch)
        k = bisect.bisect_right(starts, cp) - 1
        if ch.isspace() or (k >= 0 and cp <= ranges[k][1]):
            continue
        missing.append(ch)
    return family, "".join(missing)


SYSTEM_PYTHON = os.environ.get("FAWEN_UNO_PYTHON", "/usr/bin/python3")
WORKER = Path(__file__).with_name("lo_worker.py")


def _check_uno() -> None:
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode != 0:
        raise ConvertError(f"LibreOffice's Python bridge is missing ({SYSTEM_PYTHON} cannot import uno); "
                           "run `make setup` or apt-get install python3-uno")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def root_styles(docx: bytes) -> list[str] | None:
    """Names of the DOCX's paragraph styles that inherit from nothing (Normal aside): the
    worker switches the Asian/Latin gap off on them. None when the package cannot be read
    (the worker then looks at every style, and LibreOffice reports what is wrong)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            styles = package.read("word/styles.xml")
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None
    return _roots(styles)


@functools.lru_cache(maxsize=64)  # fawen's documents share a handful of style sheets
def _roots(styles: bytes) -> list[str] | None:
    from lxml import etree
    try:
        root = etree.fromstring(styles)
    except (etree.XMLSyntaxError, ValueError):
        return None
    names = []
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if style.get(f"{W}type") == "paragraph" and style.find(f"{W}basedOn") is None and name is not None:
            if name.get(f"{W}val") != "Normal":
                names.append(name.get(f"{W}val", ""))
    return names


class Worker:
    """One soffice behind one UNO worker process, with its own profile and fonts.conf."""

    def __init__(self, licensed_fonts: Path | None, startup_timeout: float = 120):
        self.tmp = tempfile.TemporaryDirectory(prefix="fawen-lo-")
        self.dir = Path(self.tmp.name)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(self.dir, licensed_fonts))
        env["HOME"] = str(self.dir)
        env["FAWEN_BUILD_PID"] = str(os.getpid())  # the worker dies with this process
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(WORKER), str(self.dir / "profile")], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self._answer(startup_timeout)
        if first is None or not first.get("ready"):
            self.close()
            raise ConvertError("LibreOffice did not start (is libreoffice-writer-nogui installed?)")
        self.count = 0

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8", "replace"))
        self.lines.put(None)  # the worker ended

    def _answer(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                return {"crashed": True}
            try:
                answer: dict[str, Any] = json.loads(line)
                return answer
            except ValueError:
                continue  # stray output from soffice

    def convert(self, docx: bytes, timeout: float) -> bytes:
        """Raises _Hung or _Crashed (the worker is then unusable) or ConvertError (the document)."""
        self.count += 1
        src, dst = self.dir / f"doc{self.count}.docx", self.dir / f"doc{self.count}.pdf"
        src.write_bytes(docx)
        try:
            assert self.proc.stdin is not None
            job = {"in": str(src), "out": str(dst), "roots": root_styles(docx)}
            self.proc.stdin.write((json.dumps(job, ensure_ascii=False) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Crashed() from None
        answer = self._answer(timeout)
        try:
            if answer is None:
                raise _Hung()
            if answer.get("crashed"):
                raise _Crashed()
            if answer.get("ok") and dst.is_file() and dst.stat().st_size > 0:
                return dst.read_bytes()
            raise ConvertError(str(answer.get("error") or "no PDF was produced"))
        finally:
            src.unlink(missing_ok=True)
            dst.unlink(missing_ok=True)

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        self.tmp.cleanup()

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()


class _Hung(Exception):
    pass


class _Crashed(Exception):
    pass


class Pool:
    """N LibreOffice workers, started once: their start-up cost is not paid per document.

    A conversion that hangs past the timeout is killed and retried once on a fresh worker;
    a crashed worker is replaced; every failure names the document.
    """

    def __init__(self, size: int, licensed_fonts: Path | None = None, timeout: float | None = None):
        self.size = max(1, size)
        self.fonts = licensed_fonts
        self.timeout = settings.convert_timeout() if timeout is None else timeout
        # an idle worker; None: start one on taking it; an error: LibreOffice cannot start
        self.idle: queue.Queue[Worker | ConvertError | None] = queue.Queue()
        self.started: list[Worker] = []
        self.lock = threading.Lock()
        self.warmed = False
        self.starting: list[threading.Thread] = []

    def warm(self) -> None:
        """Start all workers now, side by side in the background, so that their start-up
        overlaps the rendering of the first documents. Nothing starts until a build knows
        it has something to convert: a no-change rebuild never pays for LibreOffice."""
        with self.lock:
            if self.warmed:
                return
            self.warmed = True
        try:
            soffice()
            _check_uno()
        except ConvertError as exc:
            self.idle.put(exc)
            return
        for _ in range(self.size):
            thread = threading.Thread(target=self._start, daemon=True)
            thread.start()
            self.starting.append(thread)

    def _start(self) -> None:
        try:
            worker = Worker(self.fonts)
        except ConvertError as exc:
            self.idle.put(exc)
            return
        with self.lock:
            self.started.append(worker)
        self.idle.put(worker)

    def _take(self) -> Worker:
        self.warm()
        item = self.idle.get()
        if isinstance(item, ConvertError):
            self.idle.put(item)  # every waiting conversion gets the same answer
            raise item
        if item is None:  # in place of a worker that hung or crashed
            item = Worker(self.fonts)
            with self.lock:
                self.started.append(item)
        return item

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        worker.tmp.cleanup()
        with self.lock:
            self.started.remove(worker)
        self.idle.put(None)

    def convert(self, docx: bytes, name: str) -> bytes:
        last = ""
        for _attempt in range(2):
            try:
                worker = self._take()
            except ConvertError as exc:
                raise ConvertError(f"{name}: could not convert to PDF ({exc})") from None
            try:
                pdf = worker.convert(docx, self.timeout)
            except _Hung:
                self._replace(worker)
                last = f"LibreOffice did not finish within {self.timeout:.0f} s"
                continue
            except _Crashed:
                self._replace(worker)
                last = "LibreOffice crashed"
                continue
            except ConvertError as exc:
                self.idle.put(worker)
                raise ConvertError(f"{name}: could not convert to PDF ({exc})") from None
            self.idle.put(worker)
            return pdf
        raise ConvertError(f"{name}: could not convert to PDF ({last}, twice)")

    def close(self) -> None:
        for thread in self.starting:  # a worker still starting is closed with the others
            thread.join()
        with self.lock:
            workers = list(self.started)
            self.started.clear()
        for worker in workers:
            worker.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_pdf(docx: bytes, name: str, licensed_fonts: Path | None = None, timeout: float | None = None) -> bytes:
    """Convert one DOCX (bytes) to PDF (bytes) with a one-off worker."""
    with Pool(1, licensed_fonts, timeout) as pool:
        return pool.convert(docx, name)
