"""validate, schema and init on the real example plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from generator import yamlio

from conftest import PLANS, ROOT


def _yaml12(node: yamlio.Node | None) -> Any:
    """What an editor's YAML 1.2 parser sees (true/false/ints/floats typed), for the schema."""
    if node is None:
        return None
    if isinstance(node, yamlio.Map):
        return {k: _yaml12(v) for k, (_, v) in node.entries.items()}
    if isinstance(node, yamlio.Seq):
        return [_yaml12(i) for i in node.items]
    assert isinstance(node, yamlio.Scalar)
    v = node.value
    if node.quoted or v is None:
        return v
    if v in ("true", "false"):
        return v == "true"
    if v.lstrip("-").isdigit():
        return int(v)
    return v


def test_examples_validate(run_cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run_cli("validate", str(PLANS))
    assert status == 0, err
    assert "5 plans valid" in out and "plans valid" not in err  # the result on stdout, problems on stderr


def test_committed_schemas_match_the_models(run_cli) -> None:  # type: ignore[no-untyped-def]
    for kind in ("plan", "departments", "task-group", "numbers", "progress"):
        status, out, _err = run_cli("schema", "--kind", kind)
        assert status == 0
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert out == committed, f"schema/{kind}.schema.json is stale: run `make schema`"


def test_schema_is_draft07_with_chinese_titles_and_validates_examples(run_cli) -> None:  # type: ignore[no-untyped-def]
    _status, out, _err = run_cli("schema")
    schema = json.loads(out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)
    assert schema["definitions"]["TaskGroup"]["properties"]["lead"]["title"] == "牵头单位"
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for plan in sorted(PLANS.rglob("plan.yaml")):
        text = plan.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=")
        errors = list(validator.iter_errors(_yaml12(yamlio.read(plan))))
        assert errors == [], f"{plan}: {errors[0].message if errors else ''}"
    groups = json.loads((ROOT / "schema" / "task-group.schema.json").read_text(encoding="utf-8"))
    for group in sorted(PLANS.rglob("groups/*.yaml")):
        assert list(jsonschema.Draft7Validator(groups).iter_errors(_yaml12(yamlio.read(group)))) == []
    registry = json.loads((ROOT / "schema" / "departments.schema.json").read_text(encoding="utf-8"))
    departments = _yaml12(yamlio.read(PLANS / "departments.yaml"))
    assert list(jsonschema.Draft7Validator(registry).iter_errors(departments)) == []
    ledger = json.loads((ROOT / "schema" / "numbers.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(ledger).iter_errors(_yaml12(yamlio.read(PLANS / "numbers.yaml")))) == []


def test_schema_catches_a_typo(run_cli) -> None:  # type: ignore[no-untyped-def]
    _status, out, _err = run_cli("schema")
    validator = jsonschema.Draft7Validator(json.loads(out))
    data = _yaml12(yamlio.read(PLANS / "zaozhuang-gxq-2020" / "plan.yaml"))
    data["titel"] = data.pop("title")
    assert list(validator.iter_errors(data))


def test_init_writes_a_valid_plan_outside_a_tree(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "My Plan"
    status, _out, err = run_cli("init", str(target))
    assert status == 0, err
    assert (target / "plan.yaml").is_file() and (target / "departments.yaml").is_file()
    status, _out, err = run_cli("validate", str(target))
    assert status == 0, err
    status, _out, err = run_cli("init", str(target))
    assert status == 2 and "already exists" in err


def test_init_inside_the_plans_tree_uses_its_departments(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "departments.yaml").write_text((PLANS / "departments.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    status, _out, err = run_cli("init", str(tmp_path / "new-campaign"))
    assert status == 0, err
    assert not (tmp_path / "new-campaign" / "departments.yaml").exists()
    text = (tmp_path / "new-campaign" / "plan.yaml").read_text(encoding="utf-8")
    assert "lead: [gx-yjglj]" in text
    status, _out, err = run_cli("validate", str(tmp_path))
    assert status == 0, err
