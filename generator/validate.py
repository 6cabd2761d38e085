"""Rules across fields and files, checked on loaded models before anything is written.

Departments must exist, ids must be unique, deadlines and phases must fall inside the
campaign, phases must follow each other, document numbers must be unique and match
their year. Each problem points at the YAML that causes it.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from . import load, numbering
from .errors import Problem
from .load import Index, Loc, RegistrySource, Source, Workspace
from .model import Plan, clip
from .titles import one_line


def check(workspace: Workspace) -> list[Problem]:
    problems: list[Problem] = []
    for reg in workspace.registries:
        problems += _registry(reg)
    problems += _unique(
        ((s.plan.id, s.index, ("id",)) for s in workspace.plans), "plan id")
    plan_ids = {s.plan.id for s in workspace.plans}
    for source in workspace.plans:
        problems += _plan(source)
        parent = source.plan.parent
        if parent == source.plan.id:
            problems.append(_at(source.index, ("parent",), f"plan '{parent}' names itself as its parent",
                                "name the master plan (总方案) this plan belongs to, or remove `parent:`"))
        elif workspace.complete and parent is not None and parent not in plan_ids:
            problems.append(_at(source.index, ("parent",), f"parent plan '{parent}' does not exist",
                                _suggest(parent, sorted(plan_ids))))
    problems += _parent_loops(workspace.plans)
    problems += _numbers(workspace)
    return problems


def _parent_loops(sources: list[Source]) -> list[Problem]:
    """Plans whose parents lead back to them (a → b → a): each is told the whole loop."""
    parents: dict[str, str | None] = {}
    for s in sources:
        parents.setdefault(s.plan.id, s.plan.parent)
    problems = []
    for s in sources:
        chain = [s.plan.id]
        current = s.plan.parent
        while current is not None and current in parents and current not in chain:
            chain.append(current)
            current = parents[current]
        if current == s.plan.id and len(chain) > 1:
            loop = " → ".join([*chain, s.plan.id])
            problems.append(_at(s.index, ("parent",), f"parent plans form a loop: {loop}",
                                "a sub-plan names its master plan (总方案): remove `parent:` from the plan at the top"))
    return problems


def _at(index: Index, loc: Loc, message: str, hint: str = "", key: bool = False) -> Problem:
    return Problem(index.key(loc) if key else index.value(loc), message, hint)


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else ""


def _unique(items: Iterable[tuple[str, Index, Loc]], what: str, hint: str = "") -> list[Problem]:
    seen: dict[str, tuple[Index, Loc]] = {}
    problems = []
    for value, index, loc in items:
        if value in seen:
            first = seen[value][0].value(seen[value][1])
            where = f"line {first.line}" if first.path == index.value(loc).path else str(first)
            problems.append(_at(index, loc, f"duplicate {what} '{value}' (first used at {where})",
                                hint or f"give each {what.rsplit(' ', 1)[0]} its own id"))
        else:
            seen[value] = (index, loc)
    return problems


def _registry(reg: RegistrySource) -> list[Problem]:
    deps = reg.registry.departments
    problems = _unique(((d.id, reg.index, ("departments", i, "id")) for i, d in enumerate(deps)),
                       "department id")
    problems += _unique(((d.name, reg.index, ("departments", i, "name")) for i, d in enumerate(deps)),
                        "department name")
    return problems


def _plan(source: Source) -> list[Problem]:
    plan, index = source.plan, source.index
    problems: list[Problem] = []
    problems += _unique(((s.id, index, ("sections", i, "id")) for i, s in enumerate(plan.sections)),
                        "section id")
    problems += _unique(_task_ids(plan, index), "task id")
    problems += _unique(((p.id, index, ("phases", i, "id")) for i, p in enumerate(plan.phases)),
                        "phase id")
    problems += _unique(((d.id, index, ("documents", i, "id")) for i, d in enumerate(plan.documents)),
                        "document id")
    problems += _placement(plan, index)
    problems += _head_template(source)
    problems += _departments(source)
    problems += _dates(plan, index)
    return problems


MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # unpacked; a red head is a few kilobytes
TEMPLATE_HINT = "save the red head from Word or WPS as a Word document (.docx)"


def _head_template(source: Source) -> list[Problem]:
    """An office's own red head: a DOCX that docxtpl renders for each notice, as the build
    will (sandbox, undefined names refused), its body free of pictures and links."""
    plan, index = source.plan, source.index
    written = plan.issuer.head_template
    if not written:
        return []
    loc: Loc = ("issuer", "head_template")
    template = Path(source.path).parent / written
    if template.suffix.lower() != ".docx" or not template.is_file():
        return [_at(index, loc, f"head template '{written}' is not a DOCX file here",
                    "give the path of a .docx file, relative to this plan file")]
    try:
        with zipfile.ZipFile(template) as package:
            if "word/document.xml" not in package.namelist():
                return [_at(index, loc, f"head template '{written}' is a zip file without word/document.xml, "
                                        "not a Word document", TEMPLATE_HINT)]
            if sum(info.file_size for info in package.infolist()) > MAX_TEMPLATE_BYTES:
                return [_at(index, loc, f"head template '{written}' unpacks to more than "
                                        f"{MAX_TEMPLATE_BYTES // 2**20} MB", "a red head needs text and borders only")]
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile):
        return [_at(index, loc, f"head template '{written}' is not a DOCX file (not a zip package)", TEMPLATE_HINT)]

    from docx.oxml.ns import qn
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    issuer = plan.issuer
    organs = [issuer.mark_text.removesuffix("文件"), *issuer.joint]
    mark = organs[0] + ("文件" if issuer.mark_text.endswith("文件") else "")
    contexts = [{"organs": organs, "mark": mark, "number": str(doc.number), "signer": doc.signer or "",
                 "copy_number": doc.copy_number or "", "secrecy": doc.secrecy or "", "urgency": doc.urgency or ""}
                for _, doc in plan.notices] or [
        {"organs": organs, "mark": mark, "number": f"{issuer.code}〔2020〕1号", "signer": "", "copy_number": "",
         "secrecy": "", "urgency": ""}]
    name = template.name
    for context in contexts:
        try:
            rendered = DocxTemplate(str(template))
            rendered.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
        except TemplateError as exc:
            return [_at(index, loc, f"head template {name}: {exc}",
                        "a head template may use {{ organs }} {{ mark }} {{ number }} {{ signer }} "
                        "{{ copy_number }} {{ secrecy }} {{ urgency }}")]
        except Exception as exc:  # a damaged package python-docx cannot open
            return [_at(index, loc, f"head template '{written}' cannot be read: {exc}", TEMPLATE_HINT)]
        refs = (qn("r:embed"), qn("r:id"), qn("r:link"))
        for el in rendered.docx.element.body:
            if el.tag != qn("w:sectPr") and any(node.get(attr) for node in el.iter() for attr in refs):
                return [_at(index, loc, f"head template {name} holds pictures or links; fawen copies text, "
                                        "tables and borders only", "draw the red rule as a paragraph border")]
    return []


def _task_ids(plan: Plan, index: Index) -> Iterable[tuple[str, Index, Loc]]:
    for g, group in enumerate(plan.task_groups):
        yield group.id, index, ("task_groups", g, "id")
        for t, task in enumerate(group.tasks):
            yield task.id, index, ("task_groups", g, "tasks", t, "id")
            for m, measure in enumerate(task.measures):
                yield measure.id, index, ("task_groups", g, "tasks", t, "measures", m, "id")


def _placement(plan: Plan, index: Index) -> list[Problem]:
    problems = []
    for what, present in (("tasks", bool(plan.task_groups)), ("phases", bool(plan.phases))):
        places = [i for i, s in enumerate(plan.sections) if s.insert == what]
        if len(places) > 1:
            problems.append(_at(index, ("sections", places[1], "insert"),
                                f"{what} are already inserted in section '{plan.sections[places[0]].id}'",
                                "insert them in one section only"))
        key = "task_groups" if what == "tasks" else "phases"
        if present and not places:
            problems.append(_at(index, (key,), f"{key} are not placed in any section", f"add `insert: {what}` "
                                "to the section that should list them", key=True))
        if places and not present:
            problems.append(_at(index, ("sections", places[0], "insert"),
                                f"section inserts {what} but the plan has no {key}",
                                f"add {key} or remove `insert: {what}`"))
    return problems


def _departments(source: Source) -> list[Problem]:
    if source.registry is None:
        return []
    plan, index = source.plan, source.index
    registry = source.registry
    deps = registry.registry.departments
    names = registry.names()
    ids = set(names)
    by_name = {d.name: d.id for d in deps} | {d.short: d.id for d in deps if d.short}
    problems: list[Problem] = []

    def refs(values: list[str] | None, loc: Loc, role: str, allow_all: bool) -> None:
        for i, dep in enumerate(values or []):
            if dep == "all" and allow_all:
                if len(values or []) > 1:
                    problems.append(_at(index, loc + (i,), "'all' cannot be combined with other departments",
                                        "write `support: all` alone, or list the departments"))
                continue
            if dep in ids:
                continue
            if dep in by_name:
                hint = f"refer to departments by id: write '{by_name[dep]}' ({dep})"
            else:
                close = difflib.get_close_matches(dep, sorted(ids), n=1, cutoff=0.5)
                hint = (f"did you mean '{close[0]}' ({names[close[0]]})?" if close
                        else f"add it to {registry.path}")
            problems.append(_at(index, loc + (i,), f"unknown department id '{clip(dep)}' in {role}", hint))

    for g, group in enumerate(plan.task_groups):
        base: Loc = ("task_groups", g)
        refs(group.lead, base + ("lead",), "lead (牵头单位)", False)
        refs(group.support, base + ("support",), "support (配合单位)", True)
        problems += _overlap(group.lead, group.support, index, base)
        for t, task in enumerate(group.tasks):
            tloc = base + ("tasks", t)
            refs(task.lead, tloc + ("lead",), "lead (牵头单位)", False)
            refs(task.support, tloc + ("support",), "support (配合单位)", True)
            if task.support is not None:  # inherited support simply drops the task's own leads
                problems += _overlap(task.lead or group.lead, task.support, index, tloc)
    return problems


def _overlap(lead: list[str], support: list[str] | None, index: Index, loc: Loc) -> list[Problem]:
    both = [d for d in (support or []) if d in lead]
    if not both or support is None:
        return []
    i = support.index(both[0])
    where = loc + ("support", i)
    return [_at(index, where, f"'{both[0]}' is both lead and supporting department",
                "list it once, under lead")]


def _dates(plan: Plan, index: Index) -> list[Problem]:
    problems: list[Problem] = []
    start, end = plan.period.first_day, plan.period.last_day
    if start > end:
        problems.append(_at(index, ("period", "end"), f"the campaign ends ({end}) before it starts ({start})",
                            "swap period.start and period.end"))
        return problems

    def inside(due: date | None, text: str, loc: Loc) -> None:
        if due is None:
            return
        if due > end:
            problems.append(_at(index, loc, f"deadline '{text}' ({due}) is after the campaign ends ({end})",
                                "move the deadline, or extend period.end"))
        elif due < start:
            problems.append(_at(index, loc, f"deadline '{text}' ({due}) is before the campaign starts ({start})",
                                "move the deadline, or move period.start earlier"))

    for g, group in enumerate(plan.task_groups):
        for t, task in enumerate(group.tasks):
            tloc: Loc = ("task_groups", g, "tasks", t)
            if task.deadline:
                inside(task.deadline.due, task.deadline.text, tloc + ("deadline",))
            for m, measure in enumerate(task.measures):
                if measure.deadline:
                    inside(measure.deadline.due, measure.deadline.text,
                           tloc + ("measures", m, "deadline"))

    previous = None
    for i, phase in enumerate(plan.phases):
        loc: Loc = ("phases", i)
        if phase.first_day > phase.last_day:
            problems.append(_at(index, loc + ("end",), f"phase '{phase.id}' ends before it starts",
                                "swap start and end"))
            continue
        if phase.first_day < start or phase.last_day > end:
            problems.append(_at(index, loc + ("start",),
                                f"phase '{phase.id}' ({phase.first_day} to {phase.last_day}) is outside the "
                                f"campaign period ({start} to {end})", "move the phase or change period"))
        if previous is not None and phase.first_day <= previous.last_day:
            problems.append(_at(index, loc + ("start",),
                                f"phase '{phase.id}' starts on {phase.first_day}, before phase "
                                f"'{previous.id}' ends ({previous.last_day})",
                                "phases run one after another, in order, without overlap"))
        previous = phase

    kinds = {d.id: d.kind for d in plan.documents}
    for i, doc in plan.notices:
        loc = ("documents", i)
        for k, ref in enumerate(doc.append):
            if kinds.get(ref) not in ("task-table", "responsibilities", "roadmap"):
                problems.append(_at(index, loc + ("append", k),
                                    f"'{ref}' is not a task-table, responsibilities or roadmap document of this plan",
                                    _suggest(ref, [d for d, kind in kinds.items() if kind != "notice"])
                                    or "declare it under documents first"))
        if doc.number.year != doc.date.year:
            problems.append(_at(index, loc + ("number",),
                                f"document number year {doc.number.year} differs from the date's year "
                                f"{doc.date.year}", "the year in 〔〕 is the year of the document date (成文日期); "
                                f"did you mean {doc.number.code}〔{doc.date.year}〕{doc.number.seq}号?"))
        if doc.printed_date and doc.printed_date < doc.date:
            problems.append(_at(index, loc + ("printed_date",),
                                f"printed_date {doc.printed_date} is before the document date {doc.date}",
                                "a document is printed on or after the day it is signed"))
    return problems


def _numbers(workspace: Workspace) -> list[Problem]:
    """发文字号 unique across plans and ledger; gaps in a sequence; bulletin series continuity."""
    items = []
    for s in workspace.plans:
        for i, doc in s.plan.notices:
            items.append((str(doc.number), s.index, ("documents", i, "number")))
    problems: list[Problem] = []
    for led in workspace.ledgers:
        for i, entry in enumerate(led.ledger.numbers):
            items.append((str(entry.number), led.index, ("numbers", i, "number")))
            if entry.date and entry.date.year != entry.number.year:
                problems.append(_at(led.index, ("numbers", i, "number"),
                                    f"document number year {entry.number.year} differs from the date's year "
                                    f"{entry.date.year}", "the year in 〔〕 is the year of the document date"))
    problems += _unique(items, "document number",
                        "every document needs a number of its own; `fawen number next` proposes a free one")
    entries = registry(workspace)
    where = {str(value): (index, loc) for value, index, loc in items}
    highest: dict[tuple[str, int], numbering.DocNumber] = {}
    for e in entries:
        key = (e.number.code, e.number.year)
        highest[key] = max(highest.get(key, e.number), e.number)
    for key, missing in numbering.gaps(entries).items():
        code, year = key
        last = str(highest[key])
        index, loc = where[last]
        problems.append(Problem(index.value(loc), f"{code}〔{year}〕 skips {numbering.compact(missing)} before "
                                f"{last}", f"record numbers issued by hand or voided in {load.LEDGER_FILE}",
                                severity="warning"))
    for led in workspace.ledgers:
        for k, series in enumerate(led.ledger.series):
            issues = [numbering.Issue(series.id, item.issue,
                                      f"line {led.index.value(('series', k, 'issues', j)).line}",
                                      item.date.isoformat() if item.date else "")
                      for j, item in enumerate(series.issues)]
            for issue, severity, message in numbering.series_problems(issues):
                j = issues.index(issue)
                problems.append(Problem(led.index.value(("series", k, "issues", j, "issue")),
                                        f"series '{series.id}': {message}",
                                        "keep 第N期 counting within the year and 总第N期 across years",
                                        severity=severity))
    return problems


def registry(workspace: Workspace) -> list[numbering.Entry]:
    """Every number the repository knows: declared by plans and recorded in the ledger."""
    out = []
    for s in workspace.plans:
        for _, doc in s.plan.notices:
            out.append(numbering.Entry(doc.number, "declared", f"{s.plan.id}/{doc.id}",
                                       one_line(doc.title or f"关于印发《{s.plan.title}》的通知"),
                                       doc.date.isoformat()))
    for led in workspace.ledgers:
        for entry in led.ledger.numbers:
            out.append(numbering.Entry(entry.number, entry.status, "ledger", one_line(entry.title or entry.note or ""),
                                       entry.date.isoformat() if entry.date else ""))
    return out
