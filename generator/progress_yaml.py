"""Writing a reporting period imported from Excel: `progress/<period>.yaml` beside the plan.

The file is written in the style people write by hand (a flow mapping per department), the
plan gains `- include: progress/<period>.yaml` under `progress:` when it does not include
the file yet, and the result is validated in a scratch copy of the plan first: a period
that would make the plan invalid is reported and nothing is written. A period that has a file
already is replaced only with `--replace` (`import_sheet(..., replace=True)`), keeping the
file's `$schema` line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import load
from .errors import PlanError, Position, Problem
from .files import atomic_write_text
from .load import Loc, Source

SCHEMA_NAME = "progress.schema.json"
PLAIN = re.compile(r"[\w\-.]+")
SAFE_NOTE = re.compile(r"[^\s,:{}\[\]#&*!|>'\"%@`?-][^,:{}\[\]#]*(?<!\s)")  # plain in a flow mapping


def _scalar(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    text = str(value)
    return text if PLAIN.fullmatch(text) and not text[0].isdigit() else json.dumps(text, ensure_ascii=False)


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def dump(data: dict[str, Any], plan_dir: Path, origin: str, header: str | None = None) -> str:
    """The YAML of one period (keys in the model's order, one line per department or task);
    `header`: the `$schema` line of the file it replaces, kept as it was."""
    lines: list[str] = []
    schema = _schema_path(plan_dir)
    if header:
        lines.append(header)
    elif schema:
        lines.append(f"# yaml-language-server: $schema={schema}")
    lines.append(f"# 由 fawen progress import 从 {origin} 导入：各单位截至期末的累计数与任务状态。")
    lines.append(f"period: {data['period']}")
    if data.get("reported"):
        lines.append(f"reported: {data['reported'].isoformat()}")
    for key in ("counts", "previous_year"):
        rows = {d: r for d, r in (data.get(key) or {}).items() if r}
        if rows or key == "counts":
            lines.append(f"{key}:" + ("" if rows else " {}"))
            lines += [f"  {dept}: {_flow(row)}" for dept, row in rows.items()]
    tasks = data.get("tasks") or {}
    lines.append("tasks:" + ("" if tasks else " {}"))
    for task_id, entry in tasks.items():
        shown = {k: (v.isoformat() if k == "date" else v) for k, v in entry.items()}
        if "note" in shown and not SAFE_NOTE.fullmatch(shown["note"]):
            shown["note"] = json.dumps(shown["note"], ensure_ascii=False)
        lines.append(f"  {task_id}: {{" + ", ".join(f"{k}: {v}" for k, v in shown.items()) + "}")
    return "\n".join(lines) + "\n"


def _schema_path(plan_dir: Path) -> str | None:
    for folder in [plan_dir.resolve(), *plan_dir.resolve().parents]:
        candidate = folder / "schema" / SCHEMA_NAME
        if candidate.is_file():
            return os.path.relpath(candidate, plan_dir.resolve() / "progress")
    return None


def _target(source: Source, period: str) -> Path:
    """The file that holds `period` already (any name), else progress/<period>.yaml."""
    for k, p in enumerate(source.plan.progress):
        if p.period == period:
            return Path(source.index.value(("progress", k, "period")).path)
    return Path(source.path).parent / "progress" / f"{period}.yaml"


def with_include(plan_text: str, relative: str) -> str | None:
    """plan.yaml with `- include: <relative>` under `progress:`, or None when already included."""
    if re.search(rf"^\s*-\s*include:\s*['\"]?{re.escape(relative)}['\"]?\s*$", plan_text, re.M):
        return None
    lines = plan_text.splitlines()
    item = f"- include: {relative}"
    for n, line in enumerate(lines):
        if re.match(r"progress:\s*(\[\s*\])?\s*(#.*)?$", line):
            end, indent = n, None
            for m in range(n + 1, len(lines)):
                text = lines[m]
                if text.strip() and not text.startswith((" ", "#", "\t")):
                    break  # the next top-level key
                if text.strip() and not text.lstrip().startswith("#"):
                    end = m
                    if indent is None and text.lstrip().startswith("- "):
                        indent = text[:len(text) - len(text.lstrip())]
            indent = "  " if indent is None else indent
            lines[n] = "progress:"
            lines.insert(end + 1, indent + item)
            return "\n".join(lines) + "\n"
    block = ["progress:", f"  {item}", ""]
    for n, line in enumerate(lines):
        if line.startswith("documents:"):
            return "\n".join(lines[:n] + block + lines[n:]) + "\n"
    return plan_text.rstrip("\n") + "\n\n" + "\n".join(block)


def write(source: Source, data: dict[str, Any], origin: str, ledgers: list[load.LedgerSource],
          replace: bool = False) -> Path:
    """Validate the plan with the period in place, then write it (and the include). A period
    that has a file already is replaced only when asked (`--replace`): a copied 报表 whose 报告期
    was left unchanged would otherwise overwrite figures documents have already printed."""
    plan_file = Path(source.path)
    plan_dir = plan_file.parent
    target = _target(source, data["period"])
    sheet = data.get("_sheet") or {}
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if old is not None and not replace:
        raise PlanError([_at_cell(sheet, ("period",), Position(load.display(target), 1, 1),
                                  f"reporting period {data['period']} exists already in {load.display(target)}",
                                  "correct 报告期 (说明!B2) if the sheet is a new period's, or import with "
                                  "--replace to overwrite that file")])
    text = dump(data, plan_dir, origin, _schema_line(old))
    relative = os.path.relpath(target, plan_dir).replace(os.sep, "/")
    plan_text = plan_file.read_text(encoding="utf-8")
    new_plan = with_include(plan_text, relative)
    _check_in_memory(source, target, text, ledgers, sheet)
    for warning in sorted(sheet.get("warnings") or [], key=Problem.sort_key):
        print(warning, file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    if new_plan is not None:
        try:
            atomic_write_text(plan_file, new_plan)
        except BaseException:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write_text(target, old)
            raise
    return target


def _schema_line(text: str | None) -> str | None:
    """The `# yaml-language-server: $schema=…` line a file being replaced starts with."""
    for line in (text or "").splitlines():
        if not line.startswith("#"):
            break
        if "$schema" in line:
            return line
    return None


def _at_cell(sheet: dict[str, Any], loc: tuple[Any, ...], where: Position, message: str, hint: str) -> Problem:
    """A problem at the sheet cell `loc` was read from, else at `where`."""
    from .progress_xlsx import cell_problem
    cell = (sheet.get("cells") or {}).get(loc)
    if cell is None:
        return Problem(where, message, hint)
    return cell_problem(sheet["file"], cell[0], cell[1], cell[2], message, hint)


def _check_in_memory(source: Source, target: Path, text: str, ledgers: list[load.LedgerSource],
                     sheet: dict[str, Any] | None = None) -> None:
    """The plan with this period in place of (or beside) its own, validated without rereading
    the other files: the new file's positions replace the old one's in the plan's index. A
    problem in the file not yet written points at the sheet cell its value came from, else
    at the place in the file as the import would write it."""
    from . import validate, yamlio
    from .model.progress import ProgressPeriod
    shown = load.display(target)
    period, index = load.build_model(yamlio.parse(shown, text), ProgressPeriod, shown)
    plan = source.plan
    k = next((i for i, p in enumerate(plan.progress) if p.period == period.period), len(plan.progress))
    progress = [*plan.progress[:k], period, *plan.progress[k + 1:]]
    places = {loc: pos for loc, pos in source.index.places.items() if loc[:2] != ("progress", k)}
    places.update({("progress", k, *loc): pos for loc, pos in index.places.items()})
    candidate = Source(plan.model_copy(update={"progress": progress}), source.path, load.Index(places),
                       source.registry, source.ledgers)
    workspace = load.Workspace([candidate], [source.registry] if source.registry else [], False, ledgers)
    errors = [p for p in validate.check(workspace) if p.severity == "error"]
    if errors:  # a place in the file that was not written: the sheet's cell, or say so
        origin = {pos: loc for loc, both in index.places.items() for pos in both}
        raise PlanError([_mapped(p, origin, sheet or {}, shown) for p in errors])


def _mapped(p: Problem, origin: dict[Position, Loc], sheet: dict[str, Any], shown: str) -> Problem:
    """A problem in the file not yet written → at the sheet cell its value came from."""
    if p.position.path != shown:
        return p
    cells = sheet.get("cells") or {}
    loc = origin.get(p.position)
    while loc and loc not in cells:
        loc = loc[:-1]
    if loc:
        return _at_cell(sheet, loc, p.position, p.message, p.hint)
    return replace(p, hint=f"{p.hint} (in {shown} as the import would write it)")


def load_plan(path: Path) -> tuple[Source, list[load.LedgerSource]]:
    """The one plan `path` names (a plan directory or its plan.yaml), validated."""
    from . import validate
    workspace, problems = load.load([path])
    errors = [p for p in problems + validate.check(workspace) if p.severity == "error"]
    if errors:
        raise PlanError(errors)
    wanted = (path / load.PLAN_FILE if path.is_dir() else path).resolve()
    for source in workspace.plans:
        if Path(source.path).resolve() == wanted:
            return source, workspace.ledgers  # the ledgers: numbers the changed plan is checked against
    raise PlanError([Problem(Position(load.display(path), 1, 1), "no plan.yaml here",
                             "name a plan directory (plans/anshan-2021) or its plan.yaml")])


def import_sheet(file: Path, plan: Path, replace: bool = False) -> Path:
    """`fawen progress import FILE --plan PLAN [--replace]`: every cell checked, the plan
    validated with the period in place, then progress/<period>.yaml written; all or nothing."""
    from . import progress_xlsx
    source, ledgers = load_plan(plan)
    data, problems = progress_xlsx.read(file, source)
    if problems:
        raise PlanError(problems)
    return write(source, data, file.name, ledgers, replace)
