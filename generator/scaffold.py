"""`fawen init`: write a new, valid plan to start from.

Inside an existing plans tree the plan uses that tree's departments; elsewhere a small
departments.yaml is written beside it, so the new directory validates on its own.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import jinja2

from . import load, schema
from .errors import UsageError
from .files import atomic_write_text

TEMPLATES = Path(os.environ.get("FAWEN_TEMPLATES", Path(__file__).resolve().parent.parent / "templates"))


def _schema_ref(directory: Path, kind: str) -> str:
    for folder in [directory, *directory.parents]:
        candidate = folder / "schema" / f"{kind}.schema.json"
        if candidate.is_file():
            return os.path.relpath(candidate, directory)
    local = directory / ".schema" / f"{kind}.schema.json"
    atomic_write_text(local, schema.schema_text(kind))
    return os.path.relpath(local, directory)


def init(directory: Path, today: date | None = None) -> list[Path]:
    """Create DIR/plan.yaml (and DIR/departments.yaml when no registry is above DIR)."""
    plan_file = directory / load.PLAN_FILE
    if plan_file.exists():
        raise UsageError(f"{load.display(plan_file)} already exists; choose a new directory")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    registry_path = load.find_registry(directory)
    if registry_path is None:
        registry_path = directory / load.REGISTRY_FILE
        text = (TEMPLATES / "scaffold" / "departments.yaml").read_text(encoding="utf-8")
        ref = _schema_ref(directory, "departments")
        text = re.sub(r"\$schema=\S+", f"$schema={ref}", text, count=1)
        atomic_write_text(registry_path, text)
        written.append(registry_path)
    registry = load.load_registry(registry_path).registry
    ids = [d.id for d in registry.departments]
    if len(ids) < 2:
        raise UsageError(f"{load.display(registry_path)} needs at least two departments for a new plan")
    slug = re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-") or "new-plan"
    if not slug[0].isalnum():
        slug = "plan-" + slug
    year = (today or date.today()).year
    code = "安委发"
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string((TEMPLATES / "scaffold" / "plan.yaml.j2").read_text(encoding="utf-8"))
    atomic_write_text(plan_file, template.render(
        schema_path=_schema_ref(directory, "plan"), plan_id=slug, title="安全生产专项整治三年行动方案",
        issuer="安全生产委员会", code=code, year=year, seq=_next_seq(directory, registry_path, code, year),
        lead=ids[0], support=", ".join(ids[1:3]),
    ))
    written.append(plan_file)
    return written


def _next_seq(directory: Path, registry_path: Path, code: str, year: int) -> int:
    """The next free 序号 of `code` in `year` across the tree the new plan joins (its top
    registry's directory) and the plans beside it (`fawen validate` of their folder checks
    them together): a second `fawen init` must not reuse the first plan's 发文字号."""
    from . import numbering
    from .discover import find_registries
    from .validate_numbers import registry
    top = find_registries(registry_path.parent.resolve())[-1].parent
    beside = [p for p in directory.resolve().parent.iterdir() if p.is_dir() and (p / load.PLAN_FILE).is_file()]
    workspace, _problems = load.load([top, *beside])  # a broken plan elsewhere keeps its numbers unread
    return numbering.next_number(registry(workspace), code, year).seq
