"""Validation of progress data and of the figures documents quote (see validate_progress)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import PLANS, ROOT

SEED = "      - 截至9月底，全区共开展督导检查69次，检查各类单位175家次，排查隐患407项，完成整改351项，整改率90.10%。\n"


def _example(tmp_path: Path, body: str, period: str | None) -> Path:
    """A copy of the example campaign with a 通报 whose body is `body`."""
    root = tmp_path / "plans"
    shutil.copytree(PLANS / "anshan-2021", root / "anshan-2021")
    plan = root / "anshan-2021" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    head, _sep, _docs = text.rpartition("\ndocuments:")
    doc = ("\ndocuments:\n  - id: report\n    kind: tongbao\n    number: 鞍开安委发〔2021〕88号\n"
           "    title: 关于安全生产专项整治三年行动进展情况的通报\n    to: [各有关部门]\n    date: 2021-10-12\n"
           "    seal: true\n" + (f"    period: {period}\n" if period else "") + "    body:\n" + body)
    plan.write_text(head + doc, encoding="utf-8")
    return root


def test_seed_000_rate_contradicts_its_counts(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = _example(tmp_path, SEED, None)
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    plan = root / "anshan-2021" / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "90.10%" in text)
    col = lines[line - 1].index("90.10%") + 1
    assert (f"plans/anshan-2021/plan.yaml:{line}:{col}: error: 整改率 typed as 90.10%, but 351项 of 407项 is "
            "86.24%; write 86.24%") in err
    assert "Traceback" not in err


def test_a_consistent_rate_passes_and_precision_follows_the_typing(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    for typed in ("86.24%", "86.2%", "86%"):
        _example(tmp_path, SEED.replace("90.10%", typed), None)
        status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
        assert status == 0, err
        shutil.rmtree(tmp_path / "plans")
    _example(tmp_path, SEED.replace("90.10%", "86.3%"), None)
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1 and "is 86.2%; write 86.2%" in err


def test_changes_are_not_rates(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """同比下降25% beside 3起 and 4起 is a change, not 3/4: no false alarm."""
    _example(tmp_path, "      - 全区发生事故3起，去年同期4起，同比下降25%。\n", None)
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 0, err


def test_a_document_with_a_period_takes_figures_from_the_data(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    good = "      - 截至{{ 截至 }}，排查隐患{{ 排查隐患 }}，完成整改{{ 完成整改 }}，整改率{{ 整改率 }}。\n"
    _example(tmp_path, good, "2021-09")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 0, err
    shutil.rmtree(tmp_path / "plans")
    _example(tmp_path, "      - 截至9月底，排查隐患407项，整改率86.2%。\n", "2021-09")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    assert "error: 整改率 is typed as 86.2%; the data gives it; write {{ 整改率 }} (now 86.2%)" in err
    assert "error: 排查隐患 407项 is typed; the data gives it; write {{ 排查隐患 }} (now 407项)" in err


def test_the_example_campaign_validates(run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run_cli("validate", str(PLANS / "anshan-2021"), cwd=ROOT)
    assert status == 0, err
    assert "1 plan valid" in out


def test_the_plan_text_itself_is_checked(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = _example(tmp_path, "      - 现将进展情况通报如下。\n", None)
    plan = root / "anshan-2021" / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "  - 为推动全区安全生产专项整治三年行动落地见效，",
        "  - 去年全区排查隐患200项，整改180项，整改率80%。为推动全区安全生产专项整治三年行动落地见效，")
    plan.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    assert "error: 整改率 typed as 80%, but 180项 of 200项 is 90%; write 90%" in err


def test_an_unknown_department_is_named_with_the_nearest(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """部门['应急局'] (the 简称 is 应急办): not Jinja's “'dict object' has no attribute …”."""
    body = "      - 应急办整改率{{ 部门['应急局'].整改率 }}，{{ 部门['应急办'].整改率 }}。\n"
    root = _example(tmp_path, body, "2021-09")
    status, _out, err = run_cli("validate", "plans/anshan-2021", cwd=tmp_path)
    assert status == 1
    lines = (root / "anshan-2021" / "plan.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "应急局" in text)
    col = lines[line - 1].index("应急局") + 1
    assert (f"plans/anshan-2021/plan.yaml:{line}:{col}: error: unknown department 应急局; did you mean 应急办"
            in err.splitlines()), err
    assert "dict object" not in err and err.count(": error: ") == 1


def test_the_figures_of_a_document_say_the_unknown_department_too() -> None:
    """Layout fills the figures with figures.render_text: the same words as validate."""
    import pytest

    from generator import figures, load
    from generator.errors import RenderError
    ws, problems = load.load([PLANS / "anshan-2021"])
    assert problems == []
    source = ws.plans[0]
    ctx = figures.compute(source.plan, "2021-09", source.registry.registry if source.registry else None).context()
    by_short = figures.render_text("{{ 部门['应急办'].整改率 }}", ctx)
    assert by_short == figures.render_text("{{ 部门['as-yjb'].整改率 }}", ctx) and by_short.endswith("%")
    with pytest.raises(RenderError, match="unknown department 应急局; did you mean 应急办"):
        figures.render_text("{{ 部门.应急局.整改率 }}", ctx)
