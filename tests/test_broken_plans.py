"""Every broken plan under tests/broken/ fails with the exact file:line:col message it expects.

Each case directory holds a plan (sometimes several files) with one mistake and
`expected.txt`, the exact error lines. No case may produce a traceback or any output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p for p in BROKEN.iterdir() if p.is_dir())


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
