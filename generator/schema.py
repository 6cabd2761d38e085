"""JSON Schema (draft-07) of the YAML files, for editor completion and checks.

yaml-language-server understands draft-07; pydantic writes 2020-12, so `$defs` become
`definitions`. Titles and descriptions are the Chinese words used in documents.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .model import Ledger, Plan, Registry, TaskGroup
from .model.progress import ProgressPeriod

KINDS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "departments": Registry,
    "task-group": TaskGroup,
    "numbers": Ledger,
    "progress": ProgressPeriod,
}
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _draft07(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "discriminator":  # OpenAPI's word, not JSON Schema's; `kind` const says it all
                continue
            out["definitions" if key == "$defs" else key] = _draft07(value)
        return out
    if isinstance(node, list):
        return [_draft07(v) for v in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return node.replace("#/$defs/", "#/definitions/")
    return node


INCLUDE = {
    "type": "object",
    "title": "引用文件",
    "description": "以该文件的内容替换本项（映射为一项，列表并入）",
    "properties": {"include": {"type": "string", "minLength": 1, "title": "引用的文件",
                               "description": "方案目录中另一个 YAML 文件的路径；映射成为一项，列表逐项并入"}},
    "required": ["include"],
    "additionalProperties": False,
}


def _allow_includes(node: Any) -> Any:
    """Every list of objects may hold `- include: file.yaml` items (see load.py)."""
    if isinstance(node, dict):
        out = {k: _allow_includes(v) for k, v in node.items()}
        items = out.get("items")
        if out.get("type") == "array" and isinstance(items, dict) and "$ref" in items:
            out["items"] = {"anyOf": [items, {"$ref": "#/definitions/Include"}]}
        return out
    if isinstance(node, list):
        return [_allow_includes(v) for v in node]
    return node


def schema(kind: str = "plan") -> dict[str, Any]:
    model = KINDS[kind]
    body = _allow_includes(_draft07(model.model_json_schema(by_alias=True, mode="validation")))
    body.setdefault("definitions", {})["Include"] = INCLUDE
    props = body.get("properties", {})
    if "$schema" in props:
        props["$schema"] = {"type": ["string", "null"], "title": "模式地址",
                            "description": "编辑器用的 JSON Schema 地址"}
    return {"$schema": DRAFT_07, "$id": f"https://fawen.invalid/schema/{kind}.schema.json", **body}


def schema_text(kind: str = "plan") -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
