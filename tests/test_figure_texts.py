"""What a document's text may do with figures: print them, compare them ({% if 事故起数 > 0 %});
not calculate with them ({{ 整改率 + 1 }}): that is a located error, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import figures, load, validate

from conftest import PLANS

ANCHOR = "          - 截至{{ 截至 }}，全区共开展督导检查"


def _plan(tmp_path: Path, sentence: str) -> load.Source:
    shutil.copytree(PLANS / "anshan-2021", tmp_path / "anshan-2021")
    plan = tmp_path / "anshan-2021" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert ANCHOR in text
    plan.write_text(text.replace(ANCHOR, f"          - {sentence}\n{ANCHOR}", 1), encoding="utf-8")
    workspace, problems = load.load([tmp_path / "anshan-2021"])
    assert problems == []
    return workspace.plans[0]


def test_a_figure_compares_with_a_number(tmp_path: Path) -> None:
    sentence = "本月{% if 事故起数 > 0 %}发生事故。{% else %}未发生事故。{% endif %}"
    source = _plan(tmp_path, sentence)
    workspace = load.Workspace([source], [source.registry] if source.registry else [], False, source.ledgers)
    assert [p for p in validate.check(workspace) if p.severity == "error"] == []
    registry = source.registry.registry if source.registry else None
    context = figures.compute(source.plan, "2021-09", registry).context()
    assert figures.render_text(sentence, context) == "本月发生事故。"  # two accidents by 2021-09
    assert figures.render_text("{% if 整改率 >= 86.2 %}达标{% endif %}", context) == "达标"  # as printed


def test_calculating_with_a_figure_is_a_located_error(tmp_path: Path) -> None:
    source = _plan(tmp_path, "整改率提高到{{ 整改率 + 1 }}。")
    workspace = load.Workspace([source], [source.registry] if source.registry else [], False, source.ledgers)
    errors = [p for p in validate.check(workspace) if p.severity == "error"]
    assert len(errors) == 1, errors
    assert errors[0].position.path.endswith("plan.yaml") and errors[0].position.line > 1
    assert "cannot be calculated with" in errors[0].message and "figures:" in errors[0].message
