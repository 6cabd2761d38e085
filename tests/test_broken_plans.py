"""Every broken plan under tests/broken/ fails with the exact file:line:col message it expects.

Each case directory holds a plan (sometimes several files) with one mistake and
`expected.txt`, the exact error lines. (Cases with a sheet.yaml are bad 报表 for `fawen
progress import`: tests/test_progress_import.py.) No case may produce a traceback or any output.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "broken"
# a case with sheet.yaml is a bad 报表 for `fawen progress import` (tests/test_progress_import.py)
CASES = sorted(p for p in BROKEN.iterdir() if p.is_dir() and not (p / "sheet.yaml").is_file())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_plan_reports_exact_position(case: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    status, _out, err = run_cli("validate", ".", cwd=case)
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert status == 1
    assert lines == expected
    assert "Traceback" not in err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff]", err), "printed raw"

    out_dir = tmp_path / "out"
    status, _out, err = run_cli("build", ".", "-o", str(out_dir), cwd=case)
    assert status == 1
    assert not out_dir.exists() or not any(out_dir.rglob("*")), "a broken plan must not write output"


def test_broken_plan_as_subprocess_has_no_traceback() -> None:
    """The real executable, not just main(): exit status 1 and a one-line message."""
    case = BROKEN / "18-alias-bomb"
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "."], cwd=case,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(BROKEN.parent.parent), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "plan.yaml:1:4: error: anchors and aliases" in proc.stderr


def test_errors_of_several_plans_are_all_reported(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Validation goes on after the first bad file: every plan's errors are listed."""
    status, _out, err = run_cli("validate", "09-unknown-department", "12-deadline-after-campaign",
                                "21-number-half-width-brackets", cwd=BROKEN)
    assert status == 1
    assert "09-unknown-department/plan.yaml:22:12: error: unknown department id 'xfj'" in err
    assert "12-deadline-after-campaign/plan.yaml:27:19: error: deadline '2023年底前'" in err
    assert "21-number-half-width-brackets/plan.yaml:37:13: error: document number" in err


def test_a_forty_digit_number_costs_no_memory() -> None:
    """A 40-digit 序号 is refused, and nothing counts up to it: validate's peak memory stays
    small (gap detection once listed every missing number and grew past 20 GB). The child's
    address space is capped so that such code fails at once instead of exhausting the machine."""
    script = ("import resource, sys\nfrom generator import cli\nstatus = cli.main(['validate', '.'])\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(status)\n")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-c", script], cwd=BROKEN / "46-number-40-digits",
                          capture_output=True, text=True, timeout=120, preexec_fn=cap,
                          env={"PYTHONPATH": str(BROKEN.parent.parent), "PATH": "/usr/bin:/bin"})
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    assert "plan.yaml:37:13: error: 序号 of 40 digits in" in proc.stderr
    peak_mb = int(proc.stdout.split()[-1]) / 1024  # ru_maxrss is in kilobytes on Linux
    # about 35 MB today; jieba's dictionary alone would add ~150 MB, the old gap listing 20 GB
    assert peak_mb < 400, f"validate peaked at {peak_mb:.0f} MB"


def _head_case(tmp_path: Path, make) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the head-template case with `make(path)` writing its head.docx."""
    case = tmp_path / "case"
    shutil.copytree(BROKEN / "50-head-template-not-docx", case)
    shutil.copy(BROKEN / "departments.yaml", tmp_path / "departments.yaml")
    (case / "head.docx").unlink()
    make(case / "head.docx")
    return case


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")


def _docx(text: str, picture: bool = False):  # type: ignore[no-untyped-def]
    def make(path: Path) -> None:
        from docx import Document
        doc = Document()
        doc.add_paragraph(text)
        if picture:
            doc.add_paragraph().add_run().add_picture(_png(path.parent / "rule.png"))
        doc.save(str(path))
    return make


def _png(path: Path) -> str:
    """A 1×1 red PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return str(path)


@pytest.mark.parametrize(("make", "message"), [
    (_zip_without_document, "head template 'head.docx' is a zip file without word/document.xml, not a Word document"),
    (_docx("{{ orgnas }}"), "head template head.docx: 'orgnas' is undefined; a head template may use {{ organs }}"),
    (_docx("{{ number.__class__.__mro__ }}"), "head template head.docx: access to attribute '__class__'"),
    (_docx("{{ mark }}", picture=True), "head template head.docx holds pictures or links"),
], ids=["zip-without-document", "undefined-name", "sandbox", "picture"])
def test_validate_opens_the_head_template_as_the_build_will(tmp_path: Path, run_cli, make, message) -> None:  # type: ignore[no-untyped-def]
    case = _head_case(tmp_path, make)
    status, _out, err = run_cli("validate", ".", cwd=case)
    assert status == 1
    assert f"plan.yaml:6:18: error: {message}" in err, err
    out_dir = tmp_path / "out"
    status, _out, err = run_cli("build", ".", "-o", str(out_dir), "--no-pdf", cwd=case)
    assert status == 1 and message in err
    assert not out_dir.exists() or not any(out_dir.rglob("*"))


def test_a_good_head_template_validates(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    case = _head_case(tmp_path, _docx("{{ mark }} {{ number }} {% for o in organs %}{{ o }}{% endfor %}"))
    status, _out, err = run_cli("validate", ".", cwd=case)
    assert status == 0, err


def test_a_link_to_nowhere_is_named(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A plan.yaml beside other plans that links to a missing file does not vanish from the
    build; a ledger that links to itself is not silently ignored."""
    shutil.copy(BROKEN / "departments.yaml", tmp_path / "departments.yaml")
    shutil.copytree(BROKEN / "47-parent-is-itself", tmp_path / "good")
    plan = tmp_path / "good" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("parent: sample\n", ""), encoding="utf-8")
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "plan.yaml").symlink_to("../moved/plan.yaml")
    status, _out, err = run_cli("validate", ".", cwd=tmp_path)
    assert status == 1
    assert ("gone/plan.yaml:1:1: error: plan.yaml is a symbolic link to '../moved/plan.yaml', which does not "
            "exist; point the link at the file, or put the file itself here") in err
    (tmp_path / "gone" / "plan.yaml").unlink()
    (tmp_path / "numbers.yaml").symlink_to("numbers.yaml")
    status, _out, err = run_cli("validate", ".", cwd=tmp_path)
    assert status == 1
    assert "numbers.yaml:1:1: error: numbers.yaml is a symbolic link that leads back to itself (a loop)" in err
