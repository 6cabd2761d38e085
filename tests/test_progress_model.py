"""Reporting periods as written, and the plan rules the broken cases do not each cover."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.model import Invalid
from generator.model.progress import parse_count, period_span

from conftest import PLANS


@pytest.mark.parametrize(("text", "first", "last", "label"), [
    ("2021-09", date(2021, 9, 1), date(2021, 9, 30), "2021年9月"),
    ("2021-02-H2", date(2021, 2, 16), date(2021, 2, 28), "2021年2月下半月"),
    ("2021-09-H1", date(2021, 9, 1), date(2021, 9, 15), "2021年9月上半月"),
    ("2021-Q3", date(2021, 7, 1), date(2021, 9, 30), "2021年第三季度"),
    ("2021-09-01..2021-09-20", date(2021, 9, 1), date(2021, 9, 20), "2021年9月1日至2021年9月20日"),
])
def test_period_forms(text: str, first: date, last: date, label: str) -> None:
    assert period_span(text) == (first, last, label)


@pytest.mark.parametrize("text", ["2021-13", "2021-Q0", "2021-09-H3", "2021-09-20..2021-09-01", "九月",
                                  "2021-02-30..2021-03-01"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        period_span(text)


@pytest.mark.parametrize(("typed", "ok"), [("407", True), ("12.5", True), ("0", True), ("-1", False),
                                           ("1,000", False), ("12项", False), ("", False), ("1e3", False)])
def test_counts_are_plain_non_negative_numbers(typed: str, ok: bool) -> None:
    if ok:
        assert str(parse_count(typed)) == typed
    else:
        with pytest.raises(Invalid):
            parse_count(typed)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "anshan-2021"
    shutil.copytree(PLANS / "anshan-2021", folder)
    return folder


def test_overlapping_periods_and_early_overdue(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = _copy(tmp_path)
    aug = folder / "progress" / "2021-08.yaml"
    aug.write_text(aug.read_text(encoding="utf-8").replace("period: 2021-08", "period: 2021-08-01..2021-09-10")
                   .replace("  traffic-freight: {status: 推进中}", "  traffic-freight: {status: 逾期}"),
                   encoding="utf-8")
    status, _out, err = run_cli("validate", str(folder), cwd=tmp_path)
    assert status == 1
    assert ("anshan-2021/progress/2021-09.yaml:3:9: error: reporting period 2021-09 overlaps "
            "2021-08-01..2021-09-10") in err
    assert "error: task traffic-freight is marked 逾期 but its deadline (2022年底前) has not passed" in err
