"""Figures of the example campaign equal what its counts give, computed here independently.

The counts are read straight from the YAML files with PyYAML (not through fawen's loader),
summed and divided with fractions, and rounded half up by hand; then compared with
figures.compute and with the text `{{ … }}` renders.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml

from generator import figures, load
from generator.model import Plan

from conftest import PLANS

PLAN = PLANS / "anshan-2021"


def _source() -> load.Source:
    workspace, problems = load.load([PLAN])
    assert problems == []
    return workspace.plans[0]


def _raw(period: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((PLAN / "progress" / f"{period}.yaml").read_text(encoding="utf-8"))


def _half_up(value: Fraction, places: int) -> str:
    """Round half up by integer arithmetic (no Decimal): 86.235 → 86.24."""
    scaled = value * 10 ** places
    whole = int(scaled)  # values here are non-negative
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    text = str(whole).rjust(places + 1, "0")
    return f"{text[:-places]}.{text[-places:]}" if places else text


def _total(period: str, key: str, indicator: str) -> int | Fraction:
    return sum(Fraction(str(row.get(indicator, 0))) for row in _raw(period).get(key, {}).values())


def test_totals_and_rate_equal_the_counts() -> None:
    source = _source()
    f = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None)
    found, fixed = _total("2021-09", "counts", "found"), _total("2021-09", "counts", "fixed")
    assert (found, fixed) == (407, 351)  # the seed-000 counts
    assert f.totals["found"].text == "407项" and f.totals["fixed"].text == "351项"
    assert f.figures["整改率"].text == _half_up(Fraction(fixed) * 100 / found, 1) + "%" == "86.2%"
    assert f.figures["整改率"].number == Decimal(351) * 100 / Decimal(407)
    assert f.totals["checks"].text == f"{_total('2021-09', 'counts', 'checks')}次" == "69次"
    assert f.totals["units"].text == "175家次"
    assert f.totals["fines"].text == _half_up(_total("2021-09", "counts", "fines"), 1) + "万元"
    # this period's increase: September's cumulative count less August's
    assert f.increments["found"].text == f"{found - _total('2021-08', 'counts', 'found')}项"


def test_each_department_rate_share_and_ranking() -> None:
    source = _source()
    f = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None)
    counts = _raw("2021-09")["counts"]
    total_found = sum(row["found"] for row in counts.values())
    rates = {}
    for d in f.departments:
        row = counts[d.id]
        rate = Fraction(row["fixed"] * 100, row["found"])
        rates[d.id] = rate
        assert d.figures["整改率"].text == _half_up(rate, 1) + "%"
        assert d.figures["隐患占比"].text == _half_up(Fraction(row["found"] * 100, total_found), 1) + "%"
    best = sorted(rates, key=lambda k: -rates[k])
    ranking = f.rankings["整改率"]
    assert [e.department.id for e in ranking.top] == best[:3]
    assert [e.department.id for e in ranking.bottom] == best[::-1][:3]
    context = f.context()
    assert str(context["整改率前三名"]).startswith("宁远街道办事处（91.7%）")
    assert figures.render_text("{{ 部门['应急办'].整改率 }}", context) == _half_up(rates["as-yjb"], 1) + "%"


def test_yoy_wording_up_down_unchanged() -> None:
    source = _source()
    f = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None)
    raw = _raw("2021-09")
    wording = {}
    for indicator, name in (("accidents", "事故起数同比"), ("deaths", "死亡人数同比"), ("injuries", "受伤人数同比")):
        now, then = _total("2021-09", "counts", indicator), _total("2021-09", "previous_year", indicator)
        assert then and raw
        change = Fraction(now - then) * 100 / then
        expected = "持平" if change == 0 else ("上升" if change > 0 else "下降") + _half_up(abs(change), 1) + "%"
        wording[indicator] = f.figures[name].text
        assert f.figures[name].text == expected
    assert wording == {"accidents": "下降50.0%", "deaths": "持平", "injuries": "上升50.0%"}
    assert isinstance(f.figures["事故起数同比"], figures.Change)
    assert f.figures["事故起数同比"].difference == "减少2起"


def test_change_wording_edge_cases() -> None:
    def v(n: str) -> figures.Value:
        return figures.count_value(Decimal(n), "起", 0)
    assert figures.change(v("3"), v("0"), 1, "上年同期为0").text == "上年同期为0"
    assert figures.change(v("0"), v("0"), 1, "上年同期为0").text == "持平"
    assert figures.change(v("10001"), v("10000"), 1, "x").text == "基本持平"  # 0.01 % rounds to 0.0
    assert figures.change(v("1"), v("3"), 1, "x").text == "下降66.7%"
    assert figures.change(v("3"), v("1"), 0, "x").text == "上升200%"


@pytest.mark.parametrize(("number", "places", "text"), [
    ("86.235", 2, "86.24"), ("86.245", 2, "86.25"), ("0.5", 0, "1"), ("2.5", 0, "3"), ("1.05", 1, "1.1"),
    ("86.2407", 1, "86.2"),
])
def test_rounding_is_half_up(number: str, places: int, text: str) -> None:
    assert str(figures.round_half_up(Decimal(number), places)) == text
    assert _half_up(Fraction(number), places) == text


def test_overdue_tasks_and_days_as_of_the_period_end() -> None:
    source = _source()
    f = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None)
    end = date(2021, 9, 30)
    # deadlines typed in plan.yaml: 一企一档 2021-06, 九小场所 2021-08 (month deadlines end on the last day)
    expected = {"duty-one-file": (end - date(2021, 6, 30)).days, "fire-small-venues": (end - date(2021, 8, 31)).days}
    assert {t.id: t.days_overdue for t in f.overdue} == expected == {"duty-one-file": 92, "fire-small-venues": 30}
    assert [d.id for d in f.behind] == ["as-yjb", "as-xfjy"]
    assert str(f.context()["逾期任务"]) == "一企一档逾期92天、九小场所整治逾期30天"  # no brackets in brackets
    done = {t.id: t.shown_status for t in f.tasks}
    assert done["construction-sites"] == "办结销号" and done["fire-high-rise"] == "已完成"
    aug = figures.compute(source.plan, "2021-08")
    assert {t.id: t.days_overdue for t in aug.overdue} == {"duty-one-file": 62}


def test_ties_share_a_rank_in_registry_order() -> None:
    data = yaml.safe_load((PLAN / "plan.yaml").read_text(encoding="utf-8"))
    data.pop("progress")
    data["progress"] = [{"period": "2021-09", "counts": {
        "as-yjb": {"found": "10", "fixed": "9"}, "as-zjj": {"found": "20", "fixed": "18"},
        "as-xfjy": {"found": "10", "fixed": "10"}, "as-scjg": {"found": "10", "fixed": "5"},
        "as-ny": {"found": "4", "fixed": "2"}}}]
    plan = Plan.model_validate(_strings(data))
    f = figures.compute(plan, "2021-09")
    ranking = f.rankings["整改率"]
    assert [(e.rank, e.department.id) for e in ranking.entries] == [
        (1, "as-xfjy"), (2, "as-yjb"), (2, "as-zjj"), (4, "as-scjg"), (4, "as-ny")]
    assert [e.department.id for e in ranking.top] == ["as-xfjy", "as-yjb", "as-zjj"]
    assert [e.department.id for e in ranking.bottom] == ["as-ny", "as-scjg", "as-zjj", "as-yjb"]


def _strings(node: object) -> object:
    """PyYAML's typed scalars back to the text fawen's loader hands the models."""
    if isinstance(node, dict):
        return {str(k): _strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strings(v) for v in node]
    if isinstance(node, bool):
        return "true" if node else "false"
    return node if node is None else str(node)


def test_render_text_is_sandboxed_and_strict() -> None:
    source = _source()
    context = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None).context()
    assert figures.render_text("整改率{{ 整改率 }}，{{ 报告期 }}", context) == "整改率86.2%，2021年9月"
    from generator.errors import RenderError
    with pytest.raises(RenderError, match="整改律"):
        figures.render_text("{{ 整改律 }}", context)
    with pytest.raises(RenderError):
        figures.render_text("{{ 整改率.__class__.__mro__ }}", context)



def test_departments_are_grouped_by_kind_then_registry_order() -> None:
    """The 统计表 and rankings list 部门 before 街道 (as the 责任清单 groups them), whatever order
    the registry lists them in; within a kind, the registry's order."""
    from generator.model import Registry

    source = _source()
    assert source.registry is not None
    deps = source.registry.registry.departments
    towns_first = Registry(departments=sorted(deps, key=lambda d: d.kind != "街道"))  # 街道 listed first
    f = figures.compute(source.plan, "2021-09", towns_first)
    kinds = [next(d.kind for d in deps if d.id == row.id) for row in f.departments]
    assert kinds == sorted(kinds, key=["部门", "街道"].index) and kinds[0] == "部门" and kinds[-1] == "街道"
    assert [r.id for r in f.departments if kinds[f.departments.index(r)] == "部门"] == \
        [d.id for d in deps if d.kind == "部门" and d.id in {r.id for r in f.departments}]
