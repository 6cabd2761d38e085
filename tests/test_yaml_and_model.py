"""The YAML layer keeps what the user typed; the model decides what it means."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import chinese, load, numbering, yamlio
from generator.errors import PlanError
from generator.model import Plan

VALID = Path(__file__).parent / "valid" / "sample"


def test_scalars_stay_as_typed() -> None:
    """YAML 1.1 would read no → false, 0700 → 448, 3.10 → 3.1, 2020-06-23 → a date."""
    tree = yamlio.parse("t.yaml", "a: no\nb: 0700\nc: 3.10\nd: 2020-06-23\ne: on\nf:\n")
    assert isinstance(tree, yamlio.Map)
    values = {k: v.value for k, (_, v) in tree.entries.items() if isinstance(v, yamlio.Scalar)}
    assert values == {"a": "no", "b": "0700", "c": "3.10", "d": "2020-06-23", "e": "on", "f": None}


def test_positions_are_one_based() -> None:
    tree = yamlio.parse("t.yaml", "title: x\nlist:\n  - 甲\n  - 乙\n")
    assert isinstance(tree, yamlio.Map)
    kpos, seq = tree.entries["list"]
    assert (kpos.line, kpos.column) == (2, 1)
    assert isinstance(seq, yamlio.Seq)
    assert [(i.pos.line, i.pos.column) for i in seq.items] == [(3, 5), (4, 5)]


def test_text_ids_keep_their_form(tmp_path: Path) -> None:
    """A task id written 3.10 stays '3.10' (not 3.1) and a title 'no' stays 'no'."""
    text = (VALID / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace("id: fire-lanes", "id: 3.10").replace("title: 消防安全整治", "title: no")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "plan.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "departments.yaml").write_text((VALID.parent / "departments.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    ws, problems = load.load([tmp_path])
    assert problems == []
    plan = ws.plans[0].plan
    assert plan.task_groups[0].tasks[0].id == "3.10"
    assert plan.task_groups[0].title == "no"


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    with pytest.raises(PlanError) as err:
        yamlio.parse("bomb.yaml", bomb)
    assert "anchors and aliases" in str(err.value)


def test_gbk_file_reports_line_and_column() -> None:
    with pytest.raises(PlanError) as err:
        yamlio.decode("g.yaml", "id: x\ntitle: 方案\n".encode("gbk"))
    assert str(err.value).startswith("g.yaml:2:8: error: file is not valid UTF-8")


@pytest.mark.parametrize(("text", "display", "due"), [
    ("2020-06-30", "2020年6月30日前", "2020-06-30"),
    ("2020-12", "2020年12月底前", "2020-12-31"),
    ("2021", "2021年底前", "2021-12-31"),
    ("2021年底前", "2021年底前", "2021-12-31"),
    ("2022年上半年", "2022年上半年", "2022-06-30"),
    ("2020年6月30日前", "2020年6月30日前", "2020-06-30"),
    ("长期坚持", "长期坚持", None),
])
def test_deadlines_are_shown_as_written_and_dated(text: str, display: str, due: str | None) -> None:
    d = chinese.parse_deadline(text)
    assert d.display == display
    assert (d.due.isoformat() if d.due else None) == due


def test_impossible_deadline_date() -> None:
    with pytest.raises(chinese.DeadlineError, match="2020-06-31 is not a real date"):
        chinese.parse_deadline("2020-06-31")


def test_headings_and_dates() -> None:
    assert [chinese.heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    assert chinese.heading_number(1, 14) == "十四、"
    assert chinese.hanzi_number(20) == "二十"
    from datetime import date
    assert chinese.format_date(date(2020, 6, 3)) == "2020年6月3日"


@pytest.mark.parametrize(("wrong", "right"), [
    ("枣高安发[2020]07号", "枣高安发〔2020〕7号"),
    ("枣高安发（2020）7号", "枣高安发〔2020〕7号"),
    ("枣高安发(2020)7号", "枣高安发〔2020〕7号"),
    ("枣高安发〔2020〕第7号", "枣高安发〔2020〕7号"),
    ("枣高安发【2020】7号", "枣高安发〔2020〕7号"),
])
def test_document_number_mistakes_show_the_fix(wrong: str, right: str) -> None:
    with pytest.raises(numbering.NumberFormatError) as err:
        numbering.parse_doc_number(wrong)
    assert err.value.suggestion == right
    assert str(numbering.parse_doc_number(right)) == right


def test_plan_model_forbids_unknown_keys() -> None:
    with pytest.raises(Exception, match="extra"):
        Plan.model_validate({"id": "x", "title": "t", "issuer": {"name": "n", "code": "c"},
                             "period": {"start": "2020-01", "end": "2020-12"}, "sections": [], "bogus": 1})


def _problems(text: str) -> list[str]:
    try:
        yamlio.parse("t.yaml", text)
    except PlanError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_escapes_are_checked_after_decoding() -> None:
    """What an escape writes is held to the rules of what may be typed; tab and newline stay."""
    assert _problems('a: "甲\\t乙\\n丙"\nb: |\n  甲\t乙\n  丙\nc: "\\\\x1b is how you write ESC"\n') == []
    assert _problems('"\\e[31m": x\n') == [
        "t.yaml:1:2: error: invalid character U+001B (control character) written as the escape \\e; delete the "
        "escape: control characters and direction overrides have no place in a document"]
    [problem] = _problems('a: [x, "ok", "multi\n  line \\x07"]\n')
    assert problem.startswith("t.yaml:2:8: error: invalid character U+0007 (control character) written as the "
                              "escape \\x07")
    [problem] = _problems('a: "\\uFFFE"\n')
    assert "U+FFFE (not a character)" in problem
    [problem] = _problems('a: "\\r"\n')
    assert "U+000D" in problem


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id", "a" * 64, None),
    ("id", "a" * 65, "id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is 65 characters long (at most 64)"),
    ("title", "题" * 100, None),
    ("title", "题" * 101, "the title is 101 characters long (at most 100)"),
    ("period", {"start": "1949-10", "end": "2100-12"}, None),
    ("period", {"start": "1948-12", "end": "2020-12"}, "year 1948 in '1948-12' is out of range (1949 to 2100)"),
    ("period", {"start": "2020-01", "end": "2101-01-01"}, "year 2101 in '2101-01-01' is out of range"),
])
def test_ids_titles_and_years_have_limits(field: str, value: object, message: str | None) -> None:
    data = {"id": "x", "title": "t", "issuer": {"name": "n", "code": "c"},
            "period": {"start": "2020-01", "end": "2020-12"}, "sections": [], field: value}
    if message is None:
        Plan.model_validate(data)
        return
    with pytest.raises(Exception, match=re.escape(message)):
        Plan.model_validate(data)


def test_a_deadline_past_2100_is_refused() -> None:
    from generator import model
    with pytest.raises(model.Invalid, match=re.escape("year 2101 in '2101年底前' is out of range")):
        model.fields._deadline("2101年底前")
    assert model.fields._deadline("长期坚持").due is None
