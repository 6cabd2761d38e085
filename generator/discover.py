"""Where a plan's files are: the plans under a path, the registries and ledgers above it,
and the files its `- include:` items name.

A `departments.yaml` (the registry) and a `numbers.yaml` (the ledger) may sit in any
directory: a plan sees every one from its own directory up to the repository's top. Any
list item written `- include: other.yaml` is replaced by that file's content (a mapping is
one item, a list is spliced in). A file that cannot be followed (a broken link, a loop, a
path outside the plan) is a located problem, never a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import yamlio
from .errors import PlanError, Position, Problem
from .yamlio import Map, Node, Scalar, Seq

REGISTRY_FILE = "departments.yaml"
LEDGER_FILE = "numbers.yaml"  # beside the registry: numbers and bulletin issues used outside fawen
PLAN_FILE = "plan.yaml"
MAX_INCLUDE_DEPTH = 8


def display(path: Path) -> str:
    """Paths in messages: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- files

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


# ---------------------------------------------------------------- includes

def resolve_includes(node: Node, base: Path, root: Path, stack: tuple[Path, ...]) -> Node:
    """Replace each `- include:` item below `node` by the file it names; `root` is the
    plan's directory (nothing outside it), `stack` the files on the way (to stop a loop)."""
    if isinstance(node, Map):
        for key, (kpos, value) in list(node.entries.items()):
            node.entries[key] = (kpos, resolve_includes(value, base, root, stack))
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
            items.append(resolve_includes(item, base, root, stack))
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
    return resolve_includes(node, path.parent, root, stack + (path,))
