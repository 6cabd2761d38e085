"""Find plan files, resolve includes, and turn positioned YAML into models.

A plans tree holds one `departments.yaml` (the registry) and one directory per plan with
a `plan.yaml`. Any list item written `- include: other.yaml` is replaced by that file's
content (a mapping is one item, a list is spliced in), so a master plan can keep its
task groups or sub-plans in separate files. Problems from every file are collected;
nothing is written here.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import yamlio
from .errors import PlanError, Position, Problem
from .model import TAGGED, Invalid, Ledger, Plan, Registry
from .yamlio import Map, Node, Scalar, Seq

REGISTRY_FILE = "departments.yaml"
LEDGER_FILE = "numbers.yaml"  # beside the registry: numbers and bulletin issues used outside fawen
PLAN_FILE = "plan.yaml"
MAX_INCLUDE_DEPTH = 8

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


@dataclass
class Source:
    """A plan model with the positions of everything in it."""

    plan: Plan
    path: str
    index: Index
    registry: RegistrySource | None


@dataclass
class RegistrySource:
    registry: Registry
    path: str
    index: Index

    def names(self) -> dict[str, str]:
        return {d.id: d.name for d in self.registry.departments}


@dataclass
class LedgerSource:
    ledger: Ledger
    path: str
    index: Index


@dataclass
class Workspace:
    plans: list[Source]
    registries: list[RegistrySource]
    complete: bool = False  # every plan of the tree was loaded (cross-plan links can be checked)
    ledgers: list[LedgerSource] = field(default_factory=list)


def display(path: Path) -> str:
    """Paths in messages: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- tree → data

def _resolve_includes(node: Node, base: Path, root: Path, stack: tuple[Path, ...]) -> Node:
    if isinstance(node, Map):
        for key, (kpos, value) in list(node.entries.items()):
            node.entries[key] = (kpos, _resolve_includes(value, base, root, stack))
        return node
    if not isinstance(node, Seq):
        return node
    items: list[Node] = []
    for item in node.items:
        if isinstance(item, Map) and list(item.entries) == ["include"]:
            kpos, target = item.entries["include"]
            included = _include(target, kpos, base, root, stack)
            if isinstance(included, Seq):
                items.extend(included.items)
            elif included is not None:
                items.append(included)
        else:
            items.append(_resolve_includes(item, base, root, stack))
    node.items = items
    return node


def _include(target: Node, kpos: Position, base: Path, root: Path,
             stack: tuple[Path, ...]) -> Node | None:
    if not isinstance(target, Scalar) or not target.value:
        raise PlanError([Problem(target.pos, "include needs a file name",
                                 "write e.g. `- include: groups/hazchem.yaml`")])
    if link := broken_link(base / target.value):
        raise PlanError([Problem(target.pos, f"include '{target.value}': {link.message}", link.hint)])
    try:
        path = (base / target.value).resolve()
    except (OSError, RuntimeError):  # a loop further along the path (Python 3.11 raises RuntimeError)
        raise PlanError([Problem(target.pos, f"include '{target.value}' cannot be followed (a loop of links)",
                                 "include a file, not a link that leads back to itself")]) from None
    if not path.is_relative_to(root):
        raise PlanError([Problem(target.pos, f"include '{target.value}' points outside the plan directory",
                                 "keep included files inside the plan's own directory")])
    if not path.is_file():
        raise PlanError([Problem(target.pos, f"included file '{target.value}' does not exist",
                                 f"create {display(path)} or fix the name")])
    if path in stack or len(stack) > MAX_INCLUDE_DEPTH:
        raise PlanError([Problem(target.pos, f"include '{target.value}' includes itself in a loop",
                                 "remove the include that leads back")])
    node = yamlio.read(path, display(path))
    if node is None:
        return None
    return _resolve_includes(node, path.parent, root, stack + (path,))


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
            problems.append(Problem(index.value(loc), str(cause) if cause else err["msg"], hint))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            problems.append(Problem(index.value(loc),
                                    f"'{err['input']}' is not allowed for '{loc[-1]}'{_title(cls, loc)}",
                                    f"use one of {expected}"))
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


# ---------------------------------------------------------------- discovery

def find_registry(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        # a broken link stops the search too: load() reports it rather than use another registry
        if (folder / REGISTRY_FILE).is_file() or (folder / REGISTRY_FILE).is_symlink():
            return folder / REGISTRY_FILE
    return None


def broken_link(path: Path) -> Problem | None:
    """A symbolic link that leads nowhere (to itself, in a loop, or to a missing file): a
    located problem, where a plain existence test would skip the file without a word."""
    if not path.is_symlink() or path.exists():
        return None
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        target = os.readlink(path)
        return Problem(Position(display(path), 1, 1),
                       f"{path.name} is a symbolic link to '{target}', which does not exist",
                       "point the link at the file, or put the file itself here")
    except (OSError, RuntimeError):  # ELOOP; Python 3.11 raises RuntimeError for a loop
        pass
    return Problem(Position(display(path), 1, 1),
                   f"{path.name} is a symbolic link that leads back to itself (a loop)",
                   "replace the link with the file itself, or point it at the real file")


def plan_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            found = sorted(p.rglob(PLAN_FILE))
            # rglob passes over a plan.yaml that is a broken link: the plan would vanish
            links = [link for folder, _dirs, names in os.walk(p) if PLAN_FILE in names
                     if (link := broken_link(Path(folder) / PLAN_FILE))]
            problems.extend(links)
            if not found and not links:
                problems.append(Problem(Position(display(p), 1, 1), f"no {PLAN_FILE} found here",
                                        "run `fawen init DIR` to start a plan"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        elif link := broken_link(p):
            problems.append(link)
        else:
            problems.append(Problem(Position(display(p), 1, 1), "no such file or directory",
                                    "check the path"))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    return unique, list(dict.fromkeys(problems))


def load_registry(path: Path) -> RegistrySource:
    name = display(path)
    registry, index = build_model(yamlio.read(path, name), Registry, name)
    return RegistrySource(registry, name, index)


def load_ledger(path: Path) -> LedgerSource:
    name = display(path)
    ledger, index = build_model(yamlio.read(path, name), Ledger, name)
    return LedgerSource(ledger, name, index)


def load_plan(path: Path, registry: RegistrySource | None) -> Source:
    name = display(path)
    node = yamlio.read(path, name)
    if node is not None:
        node = _resolve_includes(node, path.parent, path.parent.resolve(), (path.resolve(),))
    plan, index = build_model(node, Plan, name)
    return Source(plan, name, index, registry)


def load(paths: list[Path]) -> tuple[Workspace, list[Problem]]:
    """Load every plan under `paths`, with its registry; gather all problems."""
    problems: list[Problem] = []
    files, found_problems = plan_files(paths)
    problems.extend(found_problems)
    registries: dict[Path, RegistrySource | None] = {}
    plans: list[Source] = []
    ledgers: list[LedgerSource] = []
    for file in files:
        reg_path = find_registry(file.parent)
        if reg_path is None:
            problems.append(Problem(Position(display(file), 1, 1),
                                    f"no {REGISTRY_FILE} in this directory or above it",
                                    f"create {REGISTRY_FILE} next to the plan directories"))
            continue
        if reg_path not in registries:
            try:
                if link := broken_link(reg_path):
                    raise PlanError([link])
                registries[reg_path] = load_registry(reg_path)
            except PlanError as exc:
                problems.extend(exc.problems)
                registries[reg_path] = None
            ledger_path = reg_path.with_name(LEDGER_FILE)
            if link := broken_link(ledger_path):
                problems.append(link)
            elif ledger_path.is_file():
                try:
                    ledgers.append(load_ledger(ledger_path))
                except PlanError as exc:
                    problems.extend(exc.problems)
        try:
            plans.append(load_plan(file, registries[reg_path]))
        except PlanError as exc:
            problems.extend(exc.problems)
    complete = any(p.is_dir() and (p / REGISTRY_FILE).is_file() for p in paths)
    return Workspace(plans, [r for r in registries.values() if r], complete, ledgers), problems


def checkout(spec: str, into: Path) -> Path:
    """A plan path, or `REV:path` from git (e.g. HEAD~1:plans/zaozhuang-gxq-2020).

    For a revision, the top folder of `path` (so its departments.yaml comes along) is
    exported with `git archive` into `into`; the returned path points inside that copy.
    """
    import io
    import subprocess
    import tarfile

    from .errors import UsageError

    if ":" not in spec or Path(spec).exists():
        return Path(spec)
    rev, _, inner = spec.partition(":")
    inner = inner.strip("/") or "."
    top = inner.split("/")[0]
    proc = subprocess.run(["git", "archive", "--format=tar", rev, "--", top], capture_output=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"cannot read {spec} from git: {message[-1] if message else 'git archive failed'}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into / inner
