"""Find plan files, resolve includes, and turn positioned YAML into models.

A plans tree holds directories with a `plan.yaml` each. A `departments.yaml` (the registry)
and a `numbers.yaml` (the ledger) may sit in any directory: a plan sees every one from its
own directory up to the repository's top, the nearest winning on a department id, so each
organ keeps its own beside its plans and shares the ones above. Any list item written
`- include: other.yaml` is replaced by that file's content (a mapping is one item, a list
is spliced in), so a master plan can keep its task groups or sub-plans in separate files.
Problems from every file are collected; nothing is written here.
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
from .model import TAGGED, Department, Invalid, Ledger, Plan, Registry
from .model.registry import Names, kind_meant
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
    """A plan model with the positions of everything in it; `registry` is the nearest
    registry above the plan (with those further up), `ledgers` the ledgers on its way up,
    nearest first: what its numbers and 《@number》 references are checked against (a Source
    made in memory passes its plan's on)."""

    plan: Plan
    path: str
    index: Index
    registry: RegistrySource | None
    ledgers: list[LedgerSource] = field(default_factory=list)


@dataclass
class RegistrySource:
    """One departments.yaml; `above` holds the registries further up its tree, nearest first."""

    registry: Registry
    path: str
    index: Index
    above: list[RegistrySource] = field(default_factory=list)

    @property
    def chain(self) -> list[RegistrySource]:
        return [self, *self.above]

    @property
    def departments(self) -> list[Department]:
        """What a plan below this registry sees: its departments, then those of the registries
        above that it does not define again (the nearest wins on an id)."""
        seen: set[str] = set()
        out = []
        for reg in self.chain:
            for dep in reg.registry.departments:
                if dep.id not in seen:
                    seen.add(dep.id)
                    out.append(dep)
        return out

    def names(self) -> Names:
        return Names(self.departments)

    def defining(self, dep_id: str) -> RegistrySource:
        """The registry whose entry for `dep_id` a plan sees (this one when none has it)."""
        return next((r for r in self.chain if any(d.id == dep_id for d in r.registry.departments)), self)


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


# ---------------------------------------------------------------- discovery

def _present(path: Path) -> bool:
    # a broken link counts: load() reports it rather than silently use another registry
    return path.is_file() or path.is_symlink()


def upward(start: Path) -> list[Path]:
    """`start` and the directories above it, up to the repository's top (the first one that
    holds `.git`) or the root of the file system: where a plan's registries and ledgers are."""
    out = []
    for folder in [start, *start.parents]:
        out.append(folder)
        if (folder / ".git").exists():
            break
    return out


def find_registry(start: Path) -> Path | None:
    """The nearest departments.yaml at or above `start`."""
    return next((f / REGISTRY_FILE for f in upward(start) if _present(f / REGISTRY_FILE)), None)


def find_registries(start: Path) -> list[Path]:
    """Every departments.yaml a plan in `start` sees, nearest first."""
    return [f / REGISTRY_FILE for f in upward(start) if _present(f / REGISTRY_FILE)]


def find_ledgers(start: Path) -> list[Path]:
    """Every numbers.yaml a plan in `start` sees, nearest first."""
    return [f / LEDGER_FILE for f in upward(start) if _present(f / LEDGER_FILE)]


def input_files(start: Path) -> list[Path]:
    """The registries and ledgers a plan in `start` reads (for `fawen watch`)."""
    return [*find_registries(start), *find_ledgers(start)]


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
    """Load every plan under `paths`, with the registries and ledgers on its way up the
    tree (each file read once); gather all problems."""
    problems: list[Problem] = []
    files, found_problems = plan_files(paths)
    problems.extend(found_problems)
    registries: dict[Path, RegistrySource | None] = {}
    ledgers: dict[Path, LedgerSource | None] = {}
    plans: list[Source] = []
    for file in files:
        chain = find_registries(file.parent)
        if not chain:
            problems.append(Problem(Position(display(file), 1, 1),
                                    f"no {REGISTRY_FILE} in this directory or above it",
                                    f"create {REGISTRY_FILE} next to the plan directories"))
            continue
        for reg_path in reversed(chain):  # the top first: a registry's `above` is loaded before it
            if reg_path not in registries:
                registries[reg_path] = _registry_at(reg_path, registries, problems)
        led_sources = []
        for led_path in find_ledgers(file.parent):
            if led_path not in ledgers:
                ledgers[led_path] = _ledger_at(led_path, problems)
            if (led := ledgers[led_path]) is not None:
                led_sources.append(led)
        # a registry that did not load leaves the plan's departments unchecked, not all unknown
        nearest = registries[chain[0]] if all(registries[r] for r in chain) else None
        try:
            source = load_plan(file, nearest)
            source.ledgers = led_sources
            plans.append(source)
        except PlanError as exc:
            problems.extend(exc.problems)
    complete = any(p.is_dir() and find_registries(p.resolve()) == [p.resolve() / REGISTRY_FILE] for p in paths)
    return Workspace(plans, [r for r in registries.values() if r], complete,
                     [led for led in ledgers.values() if led]), problems


def _registry_at(path: Path, loaded: dict[Path, RegistrySource | None],
                 problems: list[Problem]) -> RegistrySource | None:
    try:
        if link := broken_link(path):
            raise PlanError([link])
        source = load_registry(path)
    except PlanError as exc:
        problems.extend(exc.problems)
        return None
    source.above = [r for p in find_registries(path.parent)[1:] if (r := loaded.get(p))]
    return source


def _ledger_at(path: Path, problems: list[Problem]) -> LedgerSource | None:
    if link := broken_link(path):
        problems.append(link)
        return None
    try:
        return load_ledger(path)
    except PlanError as exc:
        problems.extend(exc.problems)
        return None


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
