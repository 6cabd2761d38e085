"""The YAML layer keeps what the user typed; the model decides what it means."""

from __future__ import annotations

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
