"""Load plans with their registries and ledgers into models that know where each value was written.

A plans tree holds directories with a `plan.yaml` each. A `departments.yaml` (the registry)
and a `numbers.yaml` (the ledger) may sit in any directory: a plan sees every one from its
own directory up to the repository's top, the nearest winning on a department id, so each
organ keeps its own beside its plans and shares the ones above. Any list item written
`- include: other.yaml` is replaced by that file's content (a mapping is one item, a list
is spliced in), so a master plan can keep its task groups or sub-plans in separate files.
Problems from every file are collected; nothing is written here. Finding the files is
discover.py's job, turning positioned YAML into models positions.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .discover import (
    LEDGER_FILE,
    MAX_INCLUDE_DEPTH,
    PLAN_FILE,
    REGISTRY_FILE,
    broken_link,
    display,
    find_ledgers,
    find_registries,
    find_registry,
    input_files,
    plan_files,
    resolve_includes,
    upward,
)
from .errors import PlanError, Position, Problem
from .model import Department, Ledger, Plan, Registry
from .model.registry import Names
from .positions import Index, Loc, build_model, problems_from, to_data

__all__ = [  # what callers have always imported from here
    "LEDGER_FILE", "MAX_INCLUDE_DEPTH", "PLAN_FILE", "REGISTRY_FILE", "Index", "LedgerSource", "Loc",
    "RegistrySource", "Source", "Workspace", "broken_link", "build_model", "checkout", "display",
    "find_ledgers", "find_registries", "find_registry", "input_files", "load", "load_ledger", "load_plan",
    "load_registry", "plan_files", "problems_from", "to_data", "upward",
]


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
        node = resolve_includes(node, path.parent, path.parent.resolve(), (path.resolve(),))
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
