"""Every key an editor completes from schema/*.json is explained in Chinese.

yaml-language-server shows a property's `title` and `description` on completion and hover:
each object property in the committed schemas (followed through $ref into definitions)
has a title with Chinese characters in it and a non-empty description.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

SCHEMAS = sorted((ROOT / "schema").glob("*.schema.json"))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# written by generator/schema.py, not by a model field: the editor's own `$schema` key and
# the `- include: file.yaml` item
NOT_FROM_MODELS: set[str] = set()  # every property, the ones schema.py adds included


def _resolve(schema: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"external $ref {ref}"
    node: Any = schema
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(pointer, name, subschema) of every object property reachable from the root, $refs followed."""
    seen: set[str] = set()

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, str, Any]]:
        if isinstance(node, list):
            for k, item in enumerate(node):
                yield from walk(item, f"{pointer}/{k}")
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            yield from walk(_resolve(schema, ref), ref)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    yield f"{pointer}/properties/{name}", name, prop
                    yield from walk(prop, f"{pointer}/properties/{name}")
            elif key in ("definitions", "items", "anyOf", "oneOf", "allOf", "additionalProperties", "not"):
                yield from walk(value, f"{pointer}/{key}")

    yield from walk(schema, "#")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_property_has_a_chinese_title_and_a_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    found = {pointer: prop for pointer, _name, prop in _properties(schema)}
    assert len(found) >= 5, f"{path.name}: the walk found only {sorted(found)}"
    missing = []
    for pointer, prop in found.items():
        if pointer in NOT_FROM_MODELS:
            continue
        title, description = prop.get("title"), prop.get("description")
        if not (isinstance(title, str) and title.strip() and CJK.search(title)):
            missing.append(f"{pointer}: title {title!r} (needs Chinese characters)")
        if not (isinstance(description, str) and description.strip()):
            missing.append(f"{pointer}: no description")
    assert not missing, (f"{path.name}: add Field(title=…, description=…) in generator/model.py, then "
                         "`make schema`:\n" + "\n".join(missing))


def test_the_walk_follows_refs_into_definitions() -> None:
    """The check reaches fields that only a $ref leads to (Task inside TaskGroup inside Plan)."""
    schema = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    pointers = {pointer for pointer, _name, _prop in _properties(schema)}
    assert "#/definitions/Task/properties/deadline" in pointers
    assert "#/definitions/Measure/properties/text" in pointers
    assert "#/definitions/Item/properties/style" in pointers
