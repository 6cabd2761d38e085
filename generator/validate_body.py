"""Rules of what a document holds: structured bodies, each kind's own rules, the red head, placement.

Headings nest one level at a time and name checklists that exist; a 请示 or 报告 has one
主送机关 (a 请示 its contact); an office's own red head renders as the build will; tasks and
phases are inserted in exactly one section.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import Problem
from .load import Index, Loc, Source
from .model import OFFICIAL_KINDS, Entry, Jiyao, Notice, Official, Plan
from .validate_common import at, suggest

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
                    problems.append(at(index, here + (key,), f"heading level skipped: {HEADING_SHOWN[level]} "
                                       f"{where}", f"make it an h{parent + 1}, or nest it in the items of an "
                                       f"h{parent + 1} ({HEADING_SHOWN[parent + 1].split()[1][1:-1]})", key=True))
                elif level <= parent:
                    problems.append(at(index, here + (key,), f"{HEADING_SHOWN[level]} inside the items of "
                                       f"{HEADING_SHOWN[parent]}", f"make it an h{parent + 1}, or move it out of "
                                       "`items:` to the level of the heading above", key=True))
                walk(entry.items, here + ("items",), level)
            if entry.use is not None and entry.use not in checklists:
                problems.append(at(index, here + ("use",), f"checklist '{entry.use}' does not exist",
                                   suggest(entry.use, checklists)
                                   or "define it under `checklists:` of the plan (id, items)"))

    walk(entries, loc, top)
    return problems


def kinds(plan: Plan, index: Index) -> list[Problem]:
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
            problems.append(at(index, loc + ("number",), f"document number year {doc.number.year} differs from "
                               f"the date's year {doc.date.year}",
                               "the year in 〔〕 is the year of the document date (成文日期); "
                               f"did you mean {doc.number.code}〔{doc.date.year}〕{doc.number.seq}号?"))
        if kind in ("qingshi", "baogao") and isinstance(doc, Official):
            name = OFFICIAL_KINDS[kind]
            if len(doc.to) != 1:
                problems.append(at(index, loc + ("to", 1) if doc.to else loc + ("to",),
                                   f"a {name} has exactly one 主送机关, found {len(doc.to)}",
                                   "send it to the one organ above that decides it; name the others under "
                                   "`cc` (抄送)"))
            if kind == "qingshi" and doc.contact is None:
                problems.append(at(index, loc + ("kind",), "a 请示 must name its contact person and phone "
                                   "(附注, GB/T 9704 7.3.6)", "add `contact: {name: …, phone: …}` to this document"))
        if isinstance(doc, Notice) and doc.plan == "none" and not doc.body:
            problems.append(Problem(index.value(loc + ("plan",)), f"notice '{doc.id}' has `plan: none` but still "
                                    "prints the stock sentence 现将《…》印发给你们",
                                    "write its own `body`, or make it `kind: tongzhi` with a title as written",
                                    severity="warning"))
    return problems


MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # unpacked; a red head is a few kilobytes
TEMPLATE_HINT = "save the red head from Word or WPS as a Word document (.docx)"


def head_template(source: Source) -> list[Problem]:
    """An office's own red head: a DOCX that docxtpl renders for each notice, as the build
    will (sandbox, undefined names refused), its body free of pictures and links."""
    plan, index = source.plan, source.index
    written = plan.issuer.head_template
    if not written:
        return []
    loc: Loc = ("issuer", "head_template")
    template = Path(source.path).parent / written
    if template.suffix.lower() != ".docx" or not template.is_file():
        return [at(index, loc, f"head template '{written}' is not a DOCX file here",
                   "give the path of a .docx file, relative to this plan file")]
    try:
        with zipfile.ZipFile(template) as package:
            if "word/document.xml" not in package.namelist():
                return [at(index, loc, f"head template '{written}' is a zip file without word/document.xml, "
                                        "not a Word document", TEMPLATE_HINT)]
            if sum(info.file_size for info in package.infolist()) > MAX_TEMPLATE_BYTES:
                return [at(index, loc, f"head template '{written}' unpacks to more than "
                                        f"{MAX_TEMPLATE_BYTES // 2**20} MB", "a red head needs text and borders only")]
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile):
        return [at(index, loc, f"head template '{written}' is not a DOCX file (not a zip package)", TEMPLATE_HINT)]

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
            return [at(index, loc, f"head template {name}: {exc}",
                       "a head template may use {{ organs }} {{ mark }} {{ number }} {{ signer }} "
                       "{{ copy_number }} {{ secrecy }} {{ urgency }}")]
        except Exception as exc:  # a damaged package python-docx cannot open
            return [at(index, loc, f"head template '{written}' cannot be read: {exc}", TEMPLATE_HINT)]
        refs = (qn("r:embed"), qn("r:id"), qn("r:link"))
        for el in rendered.docx.element.body:
            if el.tag != qn("w:sectPr") and any(node.get(attr) for node in el.iter() for attr in refs):
                return [at(index, loc, f"head template {name} holds pictures or links; fawen copies text, "
                                        "tables and borders only", "draw the red rule as a paragraph border")]
    return []


def placement(plan: Plan, index: Index) -> list[Problem]:
    """Task groups and phases print where a section says `insert:`, in one section only."""
    problems = []
    for what, present in (("tasks", bool(plan.task_groups)), ("phases", bool(plan.phases))):
        places = [i for i, s in enumerate(plan.sections) if s.insert == what]
        if len(places) > 1:
            problems.append(at(index, ("sections", places[1], "insert"),
                               f"{what} are already inserted in section '{plan.sections[places[0]].id}'",
                               "insert them in one section only"))
        key = "task_groups" if what == "tasks" else "phases"
        if present and not places:
            problems.append(at(index, (key,), f"{key} are not placed in any section", f"add `insert: {what}` "
                               "to the section that should list them", key=True))
        if places and not present:
            problems.append(at(index, ("sections", places[0], "insert"),
                               f"section inserts {what} but the plan has no {key}",
                               f"add {key} or remove `insert: {what}`"))
    # a plan kept only for its follow-up documents has no text: a notice cannot issue it
    if not plan.sections and not plan.preamble:
        for i, doc in plan.notices:
            if doc.plan != "none":
                given = "plan" in doc.model_fields_set
                problems.append(at(index, ("documents", i, "plan") if given else ("documents", i),
                                   f"notice '{doc.id}' issues the plan (plan: {doc.plan}), which has no text",
                                   "write the plan's `sections` (and `preamble`), or give the notice `plan: none`"))
    return problems
