"""Rules across fields and files, checked on loaded models before anything is written.

Departments must exist, ids must be unique, deadlines and phases must fall inside the
campaign, phases must follow each other, document numbers must be unique and match
their year. Each problem points at the YAML that causes it.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import load, numbering, validate_documents, validate_progress
from .deadlines import Deadline, notice_date
from .errors import Problem
from .load import Index, Loc, RegistrySource, Source, Workspace
from .model import OFFICIAL_KINDS, Entry, Jiyao, Notice, Official, Plan, clip, effective
from .model.tasks import MAX_KIND
from .titles import one_line

REFERENCE = re.compile(r"《@([^《》\s]{1,80})》")


def check(workspace: Workspace) -> list[Problem]:
    problems: list[Problem] = []
    for reg in workspace.registries:
        problems += _registry(reg)
    problems += _unique(
        ((s.plan.id, s.index, ("id",)) for s in workspace.plans), "plan id")
    plan_ids = {s.plan.id for s in workspace.plans}
    for source in workspace.plans:
        problems += _plan(source)
        problems += validate_progress.check(source)
        parent = source.plan.parent
        if parent == source.plan.id:
            problems.append(_at(source.index, ("parent",), f"plan '{parent}' names itself as its parent",
                                "name the master plan (总方案) this plan belongs to, or remove `parent:`"))
        elif workspace.complete and parent is not None and parent not in plan_ids:
            problems.append(_at(source.index, ("parent",), f"parent plan '{parent}' does not exist",
                                _suggest(parent, sorted(plan_ids))))
    problems += _parent_loops(workspace.plans)
    problems += _numbers(workspace)
    problems += validate_documents.check(workspace)  # 简报 issues, progress documents
    problems += _references(workspace)
    return problems


# ---------------------------------------------------------------- cross-references

def body_texts(entries: list[Entry], loc: Loc) -> Iterator[tuple[str, Loc]]:
    """Every text of a structured body, with where it was written."""
    for k, entry in enumerate(entries):
        here = loc + (k,)
        if isinstance(entry, str):
            yield entry, here
            continue
        for key in ("h1", "h2", "h3", "h4", "text"):
            if (value := getattr(entry, key)) is not None:
                yield value, here + (key,)
        for j, item in enumerate(entry.checklist or []):
            yield item, here + ("checklist", j)
        for r, row in enumerate(entry.table or []):
            for c, cell in enumerate(row):
                yield cell, here + ("table", r, c)
        yield from body_texts(entry.items, here + ("items",))


def _plan_texts(plan: Plan) -> Iterator[tuple[str, Loc]]:
    for i, doc in enumerate(plan.documents):
        body = getattr(doc, "body", None)
        if body:
            yield from body_texts(body, ("documents", i, "body"))
    for k, section in enumerate(plan.sections):
        yield from body_texts(section.items, ("sections", k, "items"))
    for p, phase in enumerate(plan.phases):
        if phase.text is not None:
            yield phase.text, ("phases", p, "text")
        yield from body_texts(phase.items, ("phases", p, "items"))
    for c, checklist in enumerate(plan.checklists):
        for j, item in enumerate(checklist.items):
            yield item, ("checklists", c, "items", j)


def _resolve(token: str, plan_id: str, entries: list[numbering.Entry],
             documents: dict[str, Any]) -> tuple[str | None, str, str]:
    """《@token》 → (《title》（number）, "", "") or (None, message, hint). A token is a 发文字号,
    a document id of the same plan, or plan-id/document-id."""
    if "〔" in token or "[" in token or "（" in token:
        try:
            number = numbering.parse_doc_number(token)
        except numbering.NumberFormatError as exc:
            return None, f"reference 《@{token}》: {exc}", exc.hint or f"write it as {exc.suggestion}"
        known = [e for e in entries if e.number == number]
        usable = [e for e in known if e.status in ("declared", "issued")]
        if not usable:
            if known:
                return None, (f"reference 《@{token}》: document number {number} is {known[0].status} in "
                              f"{load.LEDGER_FILE}, so no document bears it"), (
                    "refer to the document by the number it was issued under (`fawen number list "
                    f"{number.code}` lists the known ones)")
            return None, (f"reference 《@{token}》: document number {number} exists nowhere (declared by no plan, "
                          f"not recorded in {load.LEDGER_FILE})"), (
                "check the number (`fawen number list " + number.code + "` lists the known ones), or record a "
                f"number issued by hand in {load.LEDGER_FILE} with its title")
        entry = usable[0]
        if not entry.title:
            return None, f"reference 《@{token}》: {number} has no title in {load.LEDGER_FILE}", (
                "add `title:` to its entry, so the reference can name the document")
        return _cited(entry.title, str(number)), "", ""
    where = token if "/" in token else f"{plan_id}/{token}"
    doc = documents.get(where)
    if doc is None:
        near = _suggest(where, list(documents))
        return None, f"reference 《@{token}》: no document '{where}' in the repository", (
            near or "refer to a document by its id (or plan-id/document-id), or by its 发文字号")
    found = next((e for e in entries if e.where == where), None)
    if found is None:
        return None, f"reference 《@{token}》: document '{where}' has no 发文字号", (
            "a reference names a numbered document (通知, 通报, 请示, 报告, 函, or a 纪要 with `number:`); "
            "for any other, write its title in 《》 without @")
    return _cited(found.title, str(found.number)), "", ""


def _cited(title: str, number: str) -> str:
    """《关于印发〈…〉的通知》（平安委发〔2020〕3号）: a 书名号 inside another becomes 〈〉."""
    return f"《{one_line(title).replace('《', '〈').replace('》', '〉')}》（{number}）"


def references(workspace: Workspace) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """For each plan, what each 《@…》 in its bodies stands for; and the references that
    resolve to nothing, each at the text that holds it."""
    documents = {f"{s.plan.id}/{d.id}": d for s in workspace.plans for d in s.plan.documents}
    out: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for s in workspace.plans:
        entries = registry(workspace, s)
        table = out.setdefault(s.plan.id, {})
        for text, loc in _plan_texts(s.plan):
            for token in REFERENCE.findall(text):
                shown, message, hint = _resolve(token, s.plan.id, entries, documents)
                if shown is None:
                    problems.append(_at(s.index, loc, message, hint))
                else:
                    table[f"《@{token}》"] = shown
    return out, problems


def _references(workspace: Workspace) -> list[Problem]:
    return references(workspace)[1]



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
                        "department name", DUPLICATE_NAME_HINT)
    # tables, charts and figures name a unit by its 简称: two units with one would read as one
    problems += _unique(((d.short, reg.index, ("departments", i, "short")) for i, d in enumerate(deps) if d.short),
                        "department short name (简称)", "give each unit its own `short`, or remove it (the full "
                        "name is used)")
    return problems


# the ids differ already: the names must tell the units apart within one registry
DUPLICATE_NAME_HINT = ("names must differ within one departments.yaml: for two units of one organ, write "
                       "each one's full name (its `short` does not count); for units of two organs (two counties' "
                       "县公安局), move one organ's departments into a departments.yaml in that organ's own plan "
                       "directory")


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
    problems += _groups(plan, index)
    problems += _departments(source)
    problems += _dates(plan, index)
    problems += _unique(((c.id, index, ("checklists", i, "id")) for i, c in enumerate(plan.checklists)),
                        "checklist id")
    problems += _kinds(plan, index)
    return problems


HEADING_SHOWN = {1: "h1 (一、)", 2: "h2 (（一）)", 3: "h3 (1.)", 4: "h4 (（1）)"}


def _body(entries: list[Entry], loc: Loc, index: Index, checklists: list[str], top: int = 0) -> list[Problem]:
    """Headings nest one level at a time (一、 → （一） → 1. → （1））; checklists used exist."""
    problems: list[Problem] = []

    def walk(entries: list[Entry], loc: Loc, parent: int) -> None:
        for k, entry in enumerate(entries):
            if isinstance(entry, str):
                continue
            here = loc + (k,)
            level = entry.level
            if level:
                key = HEADING_SHOWN[level].split()[0]
                if level > parent + 1:
                    where = (f"directly under {HEADING_SHOWN[parent]}" if parent and (loc[0] != "sections"
                             or len(here) > 4) else "at the top of a body" if not parent else
                             "at the top of a section (the section is the 一、)")
                    problems.append(_at(index, here + (key,), f"heading level skipped: {HEADING_SHOWN[level]} "
                                        f"{where}", f"make it an h{parent + 1}, or nest it in the items of an "
                                        f"h{parent + 1} ({HEADING_SHOWN[parent + 1].split()[1][1:-1]})", key=True))
                elif level <= parent:
                    problems.append(_at(index, here + (key,), f"{HEADING_SHOWN[level]} inside the items of "
                                        f"{HEADING_SHOWN[parent]}", f"make it an h{parent + 1}, or move it out of "
                                        "`items:` to the level of the heading above", key=True))
                walk(entry.items, here + ("items",), level)
            if entry.use is not None and entry.use not in checklists:
                problems.append(_at(index, here + ("use",), f"checklist '{entry.use}' does not exist",
                                    _suggest(entry.use, checklists)
                                    or "define it under `checklists:` of the plan (id, items)"))

    walk(entries, loc, top)
    return problems


def _kinds(plan: Plan, index: Index) -> list[Problem]:
    """Each kind's own rules: bodies well formed; a 请示 or 报告 has one 主送机关, a 请示 its
    contact; a 印发通知 that issues nothing does not print the 印发 sentence unawares."""
    problems: list[Problem] = []
    checklists = [c.id for c in plan.checklists]
    for s, section in enumerate(plan.sections):  # a section is the 一、: its items start at （一）
        problems += _body(section.items, ("sections", s, "items"), index, checklists, top=1)
    for p, phase in enumerate(plan.phases):  # a phase is a （一）: its items start at 1. (h3)
        problems += _body(phase.items, ("phases", p, "items"), index, checklists, top=2)
    for i, doc in enumerate(plan.documents):
        loc: Loc = ("documents", i)
        body = getattr(doc, "body", None)
        if body:
            problems += _body(body, loc + ("body",), index, checklists)
        kind = getattr(doc, "kind", "")
        if isinstance(doc, Jiyao) and doc.number is not None and doc.number.year != doc.date.year:
            problems.append(_at(index, loc + ("number",), f"document number year {doc.number.year} differs from "
                                f"the date's year {doc.date.year}",
                                "the year in 〔〕 is the year of the document date (成文日期); "
                                f"did you mean {doc.number.code}〔{doc.date.year}〕{doc.number.seq}号?"))
        if kind in ("qingshi", "baogao") and isinstance(doc, Official):
            name = OFFICIAL_KINDS[kind]
            if len(doc.to) != 1:
                problems.append(_at(index, loc + ("to", 1) if doc.to else loc + ("to",),
                                    f"a {name} has exactly one 主送机关, found {len(doc.to)}",
                                    "send it to the one organ above that decides it; name the others under "
                                    "`cc` (抄送)"))
            if kind == "qingshi" and doc.contact is None:
                problems.append(_at(index, loc + ("kind",), "a 请示 must name its contact person and phone "
                                    "(附注, GB/T 9704 7.3.6)", "add `contact: {name: …, phone: …}` to this document"))
        if isinstance(doc, Notice) and doc.plan == "none" and not doc.body:
            problems.append(Problem(index.value(loc + ("plan",)), f"notice '{doc.id}' has `plan: none` but still "
                                    "prints the stock sentence 现将《…》印发给你们",
                                    "write its own `body`, or make it `kind: tongzhi` with a title as written",
                                    severity="warning"))
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
    contexts = [{"organs": organs, "mark": mark, "number": str(doc.number), "signer": getattr(doc, "signer", "") or "",
                 "copy_number": doc.copy_number or "", "secrecy": doc.secrecy or "", "urgency": doc.urgency or ""}
                for _, doc in plan.numbered] or [
        {"organs": organs, "mark": mark, "number": f"{issuer.code or '某'}〔2020〕1号", "signer": "", "copy_number": "",
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


def _groups(plan: Plan, index: Index) -> list[Problem]:
    """Group kinds are labels the plan declares (专题, 行业领域 unless it says otherwise),
    given to every group or to none; a group with `lead: none` lends its 配合单位 only to
    tasks that name their own lead (配合 supports a 牵头)."""
    problems: list[Problem] = []
    declared = plan.group_kinds
    written = "group_kinds" in plan.model_fields_set
    if not declared:
        problems.append(_at(index, ("group_kinds",), "group_kinds declares no kind",
                            "list the labels of the plan's groups (group_kinds: [工作措施, 保障措施]), "
                            "or remove it to use 专题 and 行业领域"))
    problems += _unique(((k, index, ("group_kinds", i)) for i, k in enumerate(declared)), "group kind",
                        "list each label once")
    for i, label in enumerate(declared):
        if len(label) > MAX_KIND or any(ch in label for ch in "（）()"):
            problems.append(_at(index, ("group_kinds", i), f"group kind '{clip(label)}' cannot stand in “名称（类别）”",
                                f"write a short label of at most {MAX_KIND} characters without brackets"))
    labelled = next((g for g in plan.task_groups if g.kind), None)
    for g, group in enumerate(plan.task_groups):
        base: Loc = ("task_groups", g)
        if not group.kind and labelled is not None:
            problems.append(_at(index, base, f"task group '{group.id}' has no kind (类别) while "
                                f"'{labelled.id}' is {labelled.kind}",
                                f"give every group its kind (kind: {labelled.kind}), "
                                "or none of them to print no label"))
        elif group.kind and declared and group.kind not in declared:
            shown = "、".join(declared)
            near = difflib.get_close_matches(group.kind, declared, n=1, cutoff=0.5)
            hint = (f"did you mean '{near[0]}'? " if near else "") + (
                f"use one of them, or add '{group.kind}' to `group_kinds` "
                f"(line {index.value(('group_kinds',)).line})" if written else
                f"use one of them, or declare the plan's kinds: "
                f"`group_kinds: [{', '.join([*declared, group.kind])}]`")
            problems.append(_at(index, base + ("kind",), f"group kind '{clip(group.kind)}' is not declared "
                                f"(declared: {shown})", hint))
        inheriting = []
        for t, task in enumerate(group.tasks):
            lead, support = effective(task, group)
            if lead or not support:
                continue
            if task.support is None:  # the group's: said once, at the group's `support`
                inheriting.append(task.id)
                continue
            problems.append(_at(index, base + ("tasks", t, "support"),
                                f"task '{task.id}' has supporting departments (配合单位) but no lead (牵头单位): "
                                "its group has `lead: none`",
                                "name the task's lead (lead: [id]), or write the duty as the group's `note`"))
        if inheriting:
            problems.append(_at(index, base + ("support",),
                                f"task group '{group.id}' has `lead: none` but supporting departments (配合单位), "
                                f"which its tasks without a lead of their own would support: {', '.join(inheriting)}",
                                "name those tasks' leads (lead: [id]), or move the group's `support` to the tasks "
                                "that name a lead"))
    return problems


def _departments(source: Source) -> list[Problem]:
    if source.registry is None:
        return []
    plan, index = source.plan, source.index
    registry = source.registry
    deps = registry.departments  # every registry up the tree, the nearest winning on an id
    names = registry.names()
    ids = set(names)
    by_name = {d.name: d.id for d in deps} | {d.short: d.id for d in deps if d.short}
    called: dict[str, str] = {}  # name → the first id the plan names by it
    problems: list[Problem] = []

    def refs(values: list[str] | None, loc: Loc, role: str, allow_all: bool) -> None:
        for i, dep in enumerate(values or []):
            if dep == "all" and allow_all:
                if len(values or []) > 1:
                    problems.append(_at(index, loc + (i,), "'all' cannot be combined with other departments",
                                        "write `support: all` alone, or list the departments"))
                continue
            if dep in ids:
                named_as = called.setdefault(names[dep], dep)
                if named_as != dep:  # a unit of the organ's registry and one of the shared one, say
                    problems.append(_at(index, loc + (i,), f"'{dep}' and '{named_as}' are both called "
                                        f"{names[dep]} ({registry.defining(dep).path}, "
                                        f"{registry.defining(named_as).path}): the documents could not tell "
                                        "them apart", "the plan sees the registries up its tree: name only one "
                                        "of them, or give one a distinct name (e.g. with its organ's name)"))
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
    for p, phase in enumerate(plan.phases):  # a phase's own units, checked as a task's
        ploc: Loc = ("phases", p)
        refs(phase.lead, ploc + ("lead",), "lead (牵头单位)", False)
        refs(phase.support, ploc + ("support",), "support (配合单位)", True)
        if phase.lead is not None:
            problems += _overlap(phase.lead, phase.support, index, ploc)
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

    def inside(deadline: Deadline, loc: Loc) -> None:
        due, first, text = deadline.due, deadline.first, deadline.text
        if due is None or first is None:
            return
        if deadline.kind == "recurring":  # its days run through the period unless from/to say otherwise
            if first < start:
                problems.append(_at(index, loc + ("from",), f"recurring deadline '{text}' starts on {first}, before "
                                    f"the campaign starts ({start})", f"start its span in {start:%Y-%m} or later"
                                    if deadline.spanned else f"move `from` to {start:%Y-%m} or later, or remove it: "
                                    "a recurring deadline runs from the campaign's start (or the notice) by default"))
            if due > end:
                problems.append(_at(index, loc + ("to",), f"recurring deadline '{text}' last falls due on {due}, "
                                    f"after the campaign ends ({end})", f"end its span in {end:%Y-%m} or earlier"
                                    if deadline.spanned else f"move `to` to {end:%Y-%m} or earlier, or "
                                    "remove it: a recurring deadline runs to the end of period by default"))
        elif due > end:
            problems.append(_at(index, loc, f"deadline '{text}' ({due}) is after the campaign ends ({end})",
                                "move the deadline, or extend period.end"))
        elif due < start:
            problems.append(_at(index, loc, f"deadline '{text}' ({due}) is before the campaign starts ({start})",
                                "move the deadline, or move period.start earlier"))
        if issued is None or min(first, due) < start:
            return
        if deadline.kind == "recurring" and first < issued[1]:  # only an explicit from/span starts earlier
            at = loc if deadline.spanned else loc + ("from",)
            problems.append(Problem(index.value(at), f"recurring deadline '{text}' first falls due on {first}, "
                                    f"before the issuing notice '{issued[0]}' is dated ({issued[1]})",
                                    f"start it on {issued[1]:%Y-%m} or later, or remove `from`: without it a "
                                    "recurring deadline starts at the notice", severity="warning"))
        elif deadline.kind != "recurring" and due < issued[1]:
            problems.append(Problem(index.value(loc), f"deadline '{text}' ({due}) is before the issuing notice "
                                    f"'{issued[0]}' is dated ({issued[1]}): it has passed when the notice arrives",
                                    f"move it to {issued[1]} or later, or check the notice's date",
                                    severity="warning"))

    issued = notice_date(plan.documents)
    for g, group in enumerate(plan.task_groups):
        for t, task in enumerate(group.tasks):
            tloc: Loc = ("task_groups", g, "tasks", t)
            if task.deadline:
                inside(task.deadline, tloc + ("deadline",))
            for m, measure in enumerate(task.measures):
                if measure.deadline:
                    inside(measure.deadline, tloc + ("measures", m, "deadline"))

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
    for i, doc in plan.numbered:
        loc = ("documents", i)
        for k, ref in enumerate(doc.append):
            if kinds.get(ref) not in ("task-table", "responsibilities", "roadmap"):
                problems.append(_at(index, loc + ("append", k),
                                    f"'{ref}' is not a task-table, responsibilities or roadmap document of this plan",
                                    _suggest(ref, [d for d, kind in kinds.items()
                                               if kind in ("task-table", "responsibilities", "roadmap")])
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
        for i, number in _numbers_of(s.plan):
            items.append((str(number), s.index, ("documents", i, "number")))
    problems: list[Problem] = []
    for led in workspace.ledgers:
        for i, entry in enumerate(led.ledger.numbers):
            if entry.date and entry.date.year != entry.number.year:
                problems.append(_at(led.index, ("numbers", i, "number"),
                                    f"document number year {entry.number.year} differs from the date's year "
                                    f"{entry.date.year}", "the year in 〔〕 is the year of the document date"))
    problems += _scoped_duplicates(workspace, items)
    items += [(str(e.number), led.index, ("numbers", i, "number"))
              for led in workspace.ledgers for i, e in enumerate(led.ledger.numbers)]
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


def _scoped_duplicates(workspace: Workspace, declared: Iterable[tuple[str, Index, Loc]]) -> list[Problem]:
    """A number declared by a plan is unique in the repository (a 《@number》 names one
    document); a ledger's numbers are checked against the plans and the other ledgers on the
    same way up the tree (an organ's ledger beside its plans, the shared one above), never
    against another organ's ledger."""
    declared = list(declared)
    chains = {tuple(led.path for led in s.ledgers): s.ledgers for s in workspace.plans}
    found: list[Problem] = []
    for chain in chains.values() or [[]]:
        items = [*declared, *((str(e.number), led.index, ("numbers", i, "number"))
                              for led in reversed(chain) for i, e in enumerate(led.ledger.numbers))]
        found += _unique(items, "document number",
                         "every document needs a number of its own; `fawen number next` proposes a free one")
    return list(dict.fromkeys(found))


def _numbers_of(plan: Plan) -> list[tuple[int, numbering.DocNumber]]:
    """The 发文字号 a plan declares, with the index of the document: a 纪要's only when it has one."""
    out = [(i, doc.number) for i, doc in plan.numbered]
    out += [(i, doc.number) for i, doc in plan.minutes if doc.number is not None]
    return sorted(out, key=lambda x: x[0])


def registry(workspace: Workspace, source: Source | None = None) -> list[numbering.Entry]:
    """Every number the repository knows: declared by plans and recorded in the ledgers (for
    `source`, only the ledgers on its way up the tree: those its references may cite)."""
    out = []
    for s in workspace.plans:
        for _, doc in s.plan.numbered:
            out.append(numbering.Entry(doc.number, "declared", f"{s.plan.id}/{doc.id}",
                                       one_line(doc.title or f"关于印发《{s.plan.title}》的通知"),
                                       doc.date.isoformat()))
        for _, minutes in s.plan.minutes:
            if minutes.number is not None:
                out.append(numbering.Entry(minutes.number, "declared", f"{s.plan.id}/{minutes.id}",
                                           one_line(minutes.title or minutes.mark), minutes.date.isoformat()))
    for led in workspace.ledgers if source is None else source.ledgers:
        for entry in led.ledger.numbers:
            out.append(numbering.Entry(entry.number, entry.status, "ledger", one_line(entry.title or entry.note or ""),
                                       entry.date.isoformat() if entry.date else ""))
    return out
