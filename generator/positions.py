"""Positioned YAML → models: every value keeps the file, line and column it came from.

`to_data` turns the positioned tree into plain data and records each position in an
`Index`; `build_model` validates that data with pydantic and turns its errors into located
problems (`problems_from`), naming the key, the field's Chinese title and a close spelling.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import PlanError, Position, Problem
from .model import TAGGED, Department, Invalid
from .model.registry import kind_meant
from .yamlio import Map, Node, Scalar, Seq

Loc = tuple[str | int, ...]


@dataclass
class Index:
    """Where each value of a loaded document came from: loc → (key position, value position)."""

    places: dict[Loc, tuple[Position, Position]] = field(default_factory=dict)

    def value(self, loc: Loc) -> Position:
        return self.places[self._nearest(loc)][1]

    def key(self, loc: Loc) -> Position:
        return self.places[self._nearest(loc)][0]

    def _nearest(self, loc: Loc) -> Loc:
        cur: Loc = ()
        for part in loc:
            if cur + (part,) in self.places:
                cur = cur + (part,)
        return cur


# ---------------------------------------------------------------- tree → data

def to_data(node: Node | None, index: Index, loc: Loc = (), kpos: Position | None = None) -> Any:
    """Positioned tree → plain dicts/lists/strings, recording every position in `index`."""
    if node is None:
        return None
    index.places[loc] = (kpos or node.pos, node.pos)
    if isinstance(node, Map):
        return {k: to_data(v, index, loc + (k,), kp) for k, (kp, v) in node.entries.items()}
    if isinstance(node, Seq):
        return [to_data(item, index, loc + (i,)) for i, item in enumerate(node.items)]
    assert isinstance(node, Scalar)
    return node.value


# ---------------------------------------------------------------- pydantic errors → problems

def _model_at(cls: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc`, following fields and list items."""
    current: Any = cls
    after_index = False
    for part in loc:
        if isinstance(part, int):
            after_index = True
            continue
        if after_index and part in TAGGED:  # a union's tag (a document's kind, a body item)
            current, after_index = TAGGED[part], False
            continue
        after_index = False
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if info is None:
            return current
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _title(cls: type[BaseModel], loc: Loc) -> str:
    owner = _model_at(cls, loc[:-1])
    if owner is None or not loc or not isinstance(loc[-1], str):
        return ""
    info = owner.model_fields.get(loc[-1])
    return f" ({info.title})" if info is not None and info.title else ""


def _allowed_keys(owner: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in owner.model_fields.items()]


def problems_from(exc: ValidationError, cls: type[BaseModel], index: Index) -> list[Problem]:
    problems: list[Problem] = []
    errors = exc.errors()
    # a misspelt key also leaves its correct spelling missing: report the typo only
    typos = set()
    for err in errors:
        if err["type"] == "extra_forbidden" and (owner := _model_at(cls, tuple(err["loc"])[:-1])):
            for close in difflib.get_close_matches(str(err["loc"][-1]), _allowed_keys(owner), n=1, cutoff=0.6):
                typos.add((*tuple(err["loc"])[:-1], close))
    for err in errors:
        if err["type"] == "missing" and tuple(err["loc"]) in typos:
            continue
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            owner = _model_at(cls, loc[:-1])
            allowed = _allowed_keys(owner) if owner else []
            matches = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            hint = (f"did you mean '{matches[0]}'? " if matches else "") + f"allowed keys: {', '.join(allowed)}"
            problems.append(Problem(index.key(loc), f"unknown key '{loc[-1]}'", hint))
        elif kind == "missing":
            problems.append(Problem(index.value(loc[:-1]),
                                    f"missing required key '{loc[-1]}'{_title(cls, loc)}",
                                    f"add `{loc[-1]}: …` here"))
        elif kind == "value_error":
            cause = err.get("ctx", {}).get("error")
            hint = cause.hint if isinstance(cause, Invalid) else ""
            key = cause.key if isinstance(cause, Invalid) else None
            where = index.key(loc + (key,)) if key and loc + (key,) in index.places else index.value(loc)
            problems.append(Problem(where, str(cause) if cause else err["msg"], hint))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            meant = kind_meant(str(err["input"])) if _model_at(cls, loc[:-1]) is Department else None
            problems.append(Problem(index.value(loc),
                                    f"'{err['input']}' is not allowed for '{loc[-1]}'{_title(cls, loc)}",
                                    (f"did you mean '{meant}'? " if meant else "") + f"use one of {expected}"))
        elif kind in ("list_type",):
            problems.append(Problem(index.value(loc), f"'{loc[-1]}' must be a list",
                                    "write one item per line, each starting with '- '"))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            problems.append(Problem(index.value(loc), f"'{loc[-1]}' must be a mapping"
                                    if loc else "the file must be a mapping (key: value lines)",
                                    "write `key: value` lines indented below it"))
        elif kind == "union_tag_invalid":  # a document's `kind` that no model has
            ctx = err.get("ctx", {})
            field_, tag = str(ctx.get("discriminator", "")).strip("'"), str(ctx.get("tag", "")).strip("'")
            known = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
            near = difflib.get_close_matches(tag, known, n=1, cutoff=0.6)
            hint = (f"did you mean '{near[0]}'? " if near else "") + f"use one of {', '.join(known)}"
            problems.append(Problem(index.value(loc + (field_,)), f"unknown {field_} '{tag}'", hint))
        else:
            problems.append(Problem(index.value(loc), err["msg"], ""))
    return problems


def build_model(node: Node | None, cls: type[BaseModel], path: str) -> tuple[Any, Index]:
    index = Index()
    data = to_data(node, index)
    if node is None:
        raise PlanError([Problem(Position(path, 1, 1), "file is empty",
                                 "fill it in; `fawen init DIR` writes a complete example")])
    index.places.setdefault((), (node.pos, node.pos))
    try:
        return cls.model_validate(data), index
    except ValidationError as exc:
        raise PlanError(problems_from(exc, cls, index)) from None
