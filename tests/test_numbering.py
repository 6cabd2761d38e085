"""发文字号 and 简报 issue numbers: one strict form, a repository-wide registry, the next free one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import numbering
from generator.numbering import DocNumber, Entry, Issue, IssueNumber

from conftest import PLANS

SAMPLE = Path(__file__).parent / "valid"


@pytest.mark.parametrize("text", ["枣高安发〔2020〕7号", "国办发〔2021〕110号", "鲁安发〔2019〕1号",
                                  "平安委发〔2020〕3号"])
def test_document_numbers_round_trip(text: str) -> None:
    parsed = numbering.parse_doc_number(text)
    assert str(parsed) == text
    assert numbering.parse_doc_number(str(parsed)) == parsed


@pytest.mark.parametrize("text", ["2021年第23期（总第101期）", "2021年第1期", "2022年第12期（总第125期）"])
def test_issue_lines_round_trip(text: str) -> None:
    assert str(numbering.parse_issue_number(text)) == text


@pytest.mark.parametrize(("wrong", "right"), [
    ("2021年23期(总101期)", "2021年第23期（总第101期）"),
    ("2021年第23期(总第101期)", "2021年第23期（总第101期）"),
    ("2021 年第 23 期", "2021年第23期"),
])
def test_issue_line_mistakes_show_the_fix(wrong: str, right: str) -> None:
    with pytest.raises(numbering.NumberFormatError) as err:
        numbering.parse_issue_number(wrong)
    assert err.value.suggestion == right


@pytest.mark.parametrize("wrong", ["枣高安发〔20〕7号", "枣高安发〔2020〕0号", "枣高安发", "〔2020〕7号"])
def test_impossible_numbers_are_refused(wrong: str) -> None:
    with pytest.raises(numbering.NumberFormatError):
        numbering.parse_doc_number(wrong)


def _entry(seq: int, status: str = "declared", code: str = "枣高安发", year: int = 2020) -> Entry:
    return Entry(DocNumber(code, year, seq), status, "x", "", "")


def test_next_number_goes_past_gaps_voided_and_reserved() -> None:
    entries = [_entry(1), _entry(2, "issued"), _entry(5, "voided"), _entry(3), _entry(1, code="其他发")]
    assert numbering.next_number(entries, "枣高安发", 2020) == DocNumber("枣高安发", 2020, 6)
    assert numbering.next_number(entries + [_entry(9, "reserved")], "枣高安发", 2020).seq == 10
    assert numbering.next_number(entries, "枣高安发", 2021) == DocNumber("枣高安发", 2021, 1)
    assert numbering.gaps(entries) == {("枣高安发", 2020): [(4, 4)]}
    assert numbering.compact([(1, 3), (5, 5), (7, 8)]) == "1-3, 5, 7-8"
    assert numbering.compact([(n, n) for n in range(1, 40, 2)], limit=3) == "1, 3, 5, … (17 more ranges)"


def test_gaps_cost_what_the_numbers_used_cost() -> None:
    """A 40-digit 序号 that got past the parser costs two ranges, not 10**40 list items."""
    import tracemalloc
    huge = 10 ** 40
    tracemalloc.start()
    try:
        found = numbering.gaps([_entry(1), _entry(3), _entry(huge)])
        listed = numbering.compact(found[("枣高安发", 2020)])
        nxt = numbering.next_number([_entry(huge)], "枣高安发", 2020)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == {("枣高安发", 2020): [(2, 2), (4, huge - 1)]}
    assert listed == f"2, 4-{huge - 1}"
    assert nxt.seq == huge + 1
    assert peak < 1_000_000


@pytest.mark.parametrize(("wrong", "message"), [
    ("枣高安发〔2020〕1234567890123456789012345678901234567890号", "序号 of 40 digits in"),
    ("枣高安发〔2020〕1234567号", "序号 of 7 digits in"),
    ("枣高安发[2020]0000000000000000000000000000000000000000000000001号", "序号 of 49 digits in"),
    ("枣高安发〔9999〕1号", "year 9999 in '枣高安发〔9999〕1号' is out of range (1949 to 2100)"),
    ("2021年第1234567期", "期号 of 7 digits in"),
    ("2021年第1期（总第" + "9" * 5000 + "期）", "期号 of 5000 digits in"),
    ("1900年第1期", "year 1900 in"),
])
def test_absurd_numbers_are_refused_before_they_are_counted(wrong: str, message: str) -> None:
    parse = numbering.parse_issue_number if "期" in wrong else numbering.parse_doc_number
    with pytest.raises(numbering.NumberFormatError) as err:
        parse(wrong)
    assert message in str(err.value)
    assert err.value.hint


def _issue(year: int, n: int, total: int | None) -> Issue:
    return Issue("s", IssueNumber(year, n, total), f"#{n}", "")


def test_series_continuity() -> None:
    good = [_issue(2021, 22, 100), _issue(2021, 23, 101), _issue(2022, 1, 102), _issue(2022, 2, 103)]
    assert numbering.series_problems(good) == []
    wrong_total = [_issue(2021, 22, 100), _issue(2021, 23, 103)]
    [(_item, severity, message)] = numbering.series_problems(wrong_total)
    assert severity == "error" and "总第103期 does not follow 2021年第22期（总第100期） (expected 总第101期)" in message
    missing = [_issue(2021, 22, 100), _issue(2021, 24, 102)]
    [(_item, severity, message)] = numbering.series_problems(missing)
    assert severity == "warning" and "issue 23 of 2021 is missing" in message
    twice = [_issue(2021, 22, 100), _issue(2021, 22, 100)]
    assert numbering.series_problems(twice)[0][1] == "error"
    assert numbering.next_issue(good, 2022) == IssueNumber(2022, 3, 104)
    assert numbering.next_issue(good, 2023) == IssueNumber(2023, 1, 104)
    assert numbering.next_issue([], 2024) == IssueNumber(2024, 1, 1)


# ---------------------------------------------------------------- through the CLI, with positions

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE / "departments.yaml", tmp_path / "departments.yaml")
    (tmp_path / "a").mkdir()
    shutil.copy(SAMPLE / "sample" / "plan.yaml", tmp_path / "a" / "plan.yaml")
    return tmp_path


def _ledger(tree: Path, text: str) -> None:
    (tree / "numbers.yaml").write_text(text, encoding="utf-8")


def test_duplicate_between_plan_and_ledger_names_both_places(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(tree, "numbers:\n  - {number: 某安发〔2020〕7号, status: issued, date: 2020-03-01}\n")
    status, _out, err = run_cli("validate", ".", cwd=tree)
    assert status == 1
    assert ("numbers.yaml:2:14: error: duplicate document number '某安发〔2020〕7号' (first used at "
            "a/plan.yaml:37:13)") in err


def test_gaps_are_warnings_with_positions(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(tree, "numbers:\n  - {number: 某安发〔2020〕2号, status: issued}\n"
                  "  - {number: 某安发〔2020〕4号, status: voided}\n")
    status, _out, err = run_cli("validate", ".", cwd=tree)
    assert status == 0, err
    assert "a/plan.yaml:37:13: warning: 某安发〔2020〕 skips 1, 3, 5-6 before 某安发〔2020〕7号" in err
    status, out, _err = run_cli("number", "next", "某安发", "--year", "2020", "--plans", ".", cwd=tree)
    assert status == 0 and out.strip() == "某安发〔2020〕8号"


def test_ledger_year_mismatch_and_bad_form(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(tree, "numbers:\n  - {number: 某安发〔2020〕1号, status: issued, date: 2019-12-30}\n")
    status, _out, err = run_cli("validate", ".", cwd=tree)
    assert status == 1
    assert "numbers.yaml:2:14: error: document number year 2020 differs from the date's year 2019" in err
    _ledger(tree, "numbers:\n  - {number: 某安发〔2020〕1号, status: issued}\n"
                  "  - {number: '某安发(2020)02号', status: issued}\n")
    status, _out, err = run_cli("validate", ".", cwd=tree)
    assert status == 1
    assert ("numbers.yaml:3:14: error: document number '某安发(2020)02号' is not in the standard form; "
            "write it as 某安发〔2020〕2号") in err


def test_series_breaks_are_reported_with_positions(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(tree, "series:\n  - id: jb\n    title: 安全生产简报\n    issues:\n"
                  "      - {issue: 2021年第22期（总第100期）}\n      - {issue: 2021年第23期（总第102期）}\n")
    status, _out, err = run_cli("validate", ".", cwd=tree)
    assert status == 1
    assert ("numbers.yaml:6:17: error: series 'jb': running total 总第102期 does not follow "
            "2021年第22期（总第100期） (expected 总第101期)") in err
    _ledger(tree, "series:\n  - id: jb\n    title: 安全生产简报\n    issues:\n"
                  "      - {issue: 2021年第22期（总第100期）}\n")
    status, out, _err = run_cli("number", "next", "--series", "jb", "--year", "2021", "--plans", ".", cwd=tree)
    assert status == 0 and out.strip() == "2021年第23期（总第101期）"
    status, _out, err = run_cli("number", "next", "--series", "nope", "--plans", ".", cwd=tree)
    assert status == 2 and "no bulletin series 'nope'" in err


def test_number_list_on_the_examples(run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, _err = run_cli("number", "list", "枣高安发", "--plans", str(PLANS))
    assert status == 0
    rows = [line for line in out.splitlines() if line.startswith("枣高安发")]
    assert [r.split()[0] for r in rows] == [f"枣高安发〔2020〕{n}号" for n in range(1, 9)]
    assert "zaozhuang-gxq-2020/notice" in rows[6] and rows[6].endswith("declared")
    assert "zaozhuang-gxq-2020-hazchem/notice" in rows[7]
    assert rows[3].endswith("voided")
    status, out, _err = run_cli("number", "next", "枣高安发", "--year", "2020", "--plans", str(PLANS))
    assert out.strip() == "枣高安发〔2020〕9号"
