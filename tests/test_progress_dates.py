"""A progress document dated before the end of the period it reports (or before its data were
reported) gets a located warning: it would print figures “as of” a day still to come."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import load, validate

from conftest import PLANS


def _warnings(tmp_path: Path, old: str, new: str) -> list[str]:
    shutil.copytree(PLANS / "anshan-2021", tmp_path / "anshan-2021")
    plan = tmp_path / "anshan-2021" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    workspace, problems = load.load([tmp_path / "anshan-2021"])
    assert problems == []
    found = validate.check(workspace)
    assert not [p for p in found if p.severity == "error"], found
    return [f"{p.position.line}: {p.message}" for p in found if p.severity == "warning"]


def test_a_bulletin_dated_inside_its_period_is_warned(tmp_path: Path) -> None:
    warned = _warnings(tmp_path, "    date: 2021-09-08\n    period: 2021-08\n",
                       "    date: 2021-08-20\n    period: 2021-08\n")
    assert len(warned) == 1 and "before the end of its reporting period 2021-08 (2021-08-31)" in warned[0]


def test_the_examples_are_dated_after_their_periods(tmp_path: Path) -> None:
    assert _warnings(tmp_path, "period: 2021-08\n", "period: 2021-08\n") == []
