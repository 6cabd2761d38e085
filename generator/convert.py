"""DOCX → PDF with LibreOffice headless, and the fonts it may use.

Each conversion runs in its own profile directory with a timeout, so parallel or hung
conversions cannot corrupt each other; the PDF appears atomically or not at all.
The official faces are proprietary; a project fontconfig file maps each to a free face
of the same class (仿宋→FandolFang, 黑体→FandolHei, 楷体→FandolKai, 宋体→FandolSong,
小标宋→Noto Serif CJK SC Bold). A directory of licensed fonts, when given, comes first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ConvertError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FONTS = Path(os.environ.get("FAWEN_FONTS", ROOT / ".fonts"))
TIMEOUT = float(os.environ.get("FAWEN_CONVERT_TIMEOUT", "120"))

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
    "方正小标宋简体": ("Noto Serif CJK SC", "bold"),
    "方正小标宋_GBK": ("Noto Serif CJK SC", "bold"),
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
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "fawen-fontconfig"
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
        _COVERAGE[key] = (family, ranges)
    return _COVERAGE[key]


def missing_glyphs(text: str, face: str, licensed_fonts: Path | None = None) -> tuple[str, str]:
    """(font family, characters of `text` it has no glyph for): they would print as empty boxes."""
    family, ranges = coverage(face, licensed_fonts)
    if not ranges:
        return family, ""
    missing = []
    for ch in dict.fromkeys(text):
        cp = ord(ch)
        if ch.isspace() or any(lo <= cp <= hi for lo, hi in ranges):
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


def to_pdfs(docs: list[tuple[str, bytes]], licensed_fonts: Path | None = None,
            timeout: float = TIMEOUT) -> dict[str, bytes | ConvertError]:
    """Convert a batch of DOCX documents (name, bytes) in one LibreOffice process.

    Returns a PDF or a ConvertError for every name; never a partial file.
    """
    soffice()
    _check_uno()
    results: dict[str, bytes | ConvertError] = {}
    with tempfile.TemporaryDirectory(prefix="fawen-lo-") as tmp:
        work = Path(tmp)
        jobs = []
        for i, (name, data) in enumerate(docs):
            src = work / f"doc{i}.docx"
            src.write_bytes(data)
            jobs.append((name, str(src), str(work / f"doc{i}.pdf")))
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(work, licensed_fonts))
        env["HOME"] = str(work)
        limit = timeout * max(1, len(docs)) + 60
        try:
            proc = subprocess.run([SYSTEM_PYTHON, str(WORKER), str(work / "profile")], env=env,
                                  input=json.dumps([[s, d] for _, s, d in jobs]).encode(),
                                  capture_output=True, timeout=limit, check=False, start_new_session=True)
            lines = proc.stdout.decode("utf-8", "replace").splitlines()
        except subprocess.TimeoutExpired:
            lines = []
            for name, _src, _dst in jobs:
                results[name] = ConvertError(f"{name}: LibreOffice did not finish within {limit:.0f} s")
        reported = {}
        for line in lines:
            try:
                item = json.loads(line)
                reported[item["in"]] = item
            except (ValueError, KeyError):
                continue
        for name, src_name, dst_name in jobs:
            if name in results:
                continue
            item = reported.get(src_name)
            pdf = Path(dst_name)
            if item and item.get("ok") and pdf.is_file() and pdf.stat().st_size > 0:
                results[name] = pdf.read_bytes()
            else:
                why = (item or {}).get("error") or "LibreOffice stopped before converting it"
                results[name] = ConvertError(f"{name}: could not convert to PDF ({why})")
    return results


def to_pdf(docx: bytes, name: str, licensed_fonts: Path | None = None, timeout: float = TIMEOUT) -> bytes:
    """Convert one DOCX (bytes) to PDF (bytes); raise ConvertError naming `name` on failure."""
    result = to_pdfs([(name, docx)], licensed_fonts, timeout)[name]
    if isinstance(result, ConvertError):
        raise result
    return result
