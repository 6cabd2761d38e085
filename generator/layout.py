"""Plan → what each document shows: blocks of text in reading order, with their roles.

No file format here. A block says what it is (title, heading, body paragraph, signature
…) and which typeface each run wants; render/docx.py turns roles into GB/T 9704 layout.
Standard sentences come from Jinja2 fragments in templates/text/ so offices can edit them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from . import chinese, titles
from .model import OFFICIAL_KINDS, Checklist, Entry, Item, Jiyao, Notice, Official, Phase, Plan, PlanDocument, effective
from .model.registry import KINDS, Names
from .tables import Row, responsibilities

TEMPLATES = Path(os.environ.get("FAWEN_TEMPLATES", Path(__file__).resolve().parent.parent / "templates"))

# Typefaces by role; render maps them to font names (仿宋_GB2312 …).
FANG, HEI, KAI, SONG, XBS = "fang", "hei", "kai", "song", "xbs"


@dataclass(frozen=True)
class Run:
    text: str
    face: str = FANG
    change: str | None = None  # "ins" or "del": a tracked change (redline documents)


@dataclass(frozen=True)
class Block:
    """One paragraph of a document. `role` decides its layout (see render/docx.py)."""

    role: str
    runs: tuple[Run, ...] = ()
    lines: tuple[str, ...] = ()  # for titles: the chosen line breaks
    change: str | None = None  # "ins"/"del": the whole paragraph was inserted or deleted
    rows: tuple[tuple[str, ...], ...] = ()  # role "table": its cells, row by row
    header: bool = False  # role "table": the first row is the head row

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs) or "\n".join(self.lines)


def block(role: str, *runs: Run | str) -> Block:
    return Block(role, tuple(Run(r) if isinstance(r, str) else r for r in runs))


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送 and 印发机关/印发日期 (and 主送 moved here when it is too long)."""

    cc: tuple[str, ...]
    printed_by: str
    printed_date: str
    to: tuple[str, ...] = ()  # 主送机关, when too many to let the body start on page 1


@dataclass(frozen=True)
class Head:
    """版头: optional 份号/密级/紧急程度, the red organ mark, the number and the 签发人."""

    organs: tuple[str, ...]
    mark_suffix: str
    number: str
    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    signer: str | None = None
    template: Path | None = None  # an office's own red head (docxtpl), instead of the built-in one
    variant: str = "file"  # GB/T 9704 10: "file" 文件格式, "minutes" 纪要格式, "letter" 信函格式


@dataclass(frozen=True)
class Appendix:
    """A further attachment bound with a notice (附件2 …): a list, a table or a chart."""

    label: str
    title: str  # as displayed: its lines (title_lines) joined by newlines
    blocks: tuple[Block, ...] = ()
    table: tuple[Any, ...] | None = None   # 任务分解表: (rows, department names, “all” text, columns)
    chart: Any = None                      # 路线图: the Plan whose roadmap is drawn
    names: dict[str, str] = field(default_factory=dict)  # 路线图: department names (a phase's leads)


@dataclass
class Layout:
    """A whole document: head, body blocks in order, and the colophon.

    `title` and `subject` are the document's metadata, on one line; `heading` is the title as
    written (a YAML block scalar's newlines are the user's line breaks) and `terms` are the words
    its lines must not split (department names), for a renderer that breaks the title itself."""

    doc_id: str
    title: str
    author: str
    subject: str
    date: str
    head: Head | None
    blocks: list[Block] = field(default_factory=list)
    colophon: Colophon | None = None
    first_part_pitch: int | None = None  # other lines for the notice itself (see signature_fits)
    revision: tuple[str, str] | None = None  # (author, ISO time) of tracked changes in the blocks
    appendices: list[Appendix] = field(default_factory=list)
    heading: str = ""
    terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.heading = self.heading or self.title
        self.title, self.subject = titles.one_line(self.title), titles.one_line(self.subject)


# ---------------------------------------------------------------- text fragments

def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "text")),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
    )


def fragment(name: str, **values: object) -> str:
    return _env().get_template(name).render(**values).strip()


# ---------------------------------------------------------------- titles

APPENDED_NAMES = {"task-table": "任务分解表", "responsibilities": "责任清单", "roadmap": "重点任务推进路线图"}
MAX_TITLE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm 版心
LANDSCAPE_TITLE_CHARS = 28  # and in the 225 mm of a turned one (任务分解表)
# GB/T 9704 7.3.2: a 主送 list so long that the body could not start on page 1 moves into the
# 版记; after the 版头 and a two-line title, four lines of 主送 still leave room for the body.
MAX_TO_CHARS = 4 * 28


def title_lines(title: str, width: int = MAX_TITLE_CHARS, terms: Iterable[str] = ()) -> tuple[str, ...]:
    """A title's lines (GB/T 9704 7.3.1): words, `terms` (department names), numbers and 《…》 kept
    whole, lines balanced in a 梯形 or 菱形; a title written with line breaks keeps them.
    See titles.py."""
    return titles.title_lines(title, width, terms)


def one_line(text: str) -> str:
    """A title where it is not displayed as a title (a sentence, 附件说明, metadata): one line."""
    return titles.one_line(text)


def _terms(names: dict[str, str], terms: Iterable[str]) -> tuple[str, ...]:
    """The words a title of this plan must not split: its departments' names (全称, and 简称 when given)."""
    return tuple(dict.fromkeys([*names.values(), *terms]))


# ---------------------------------------------------------------- plan body

def responsibility(lead: list[str], support: list[str] | None, names: dict[str, str],
                   all_support: str, note: str | None) -> str:
    """（区应急管理局牵头，区经济发展局、区公安分局按职责分工负责）; without a lead (a group with
    `lead: none`) only what is left, and "" when nothing is: never an empty “（牵头负责）”."""
    leads = chinese.join_names([names.get(d, d) for d in lead])
    supports = all_support if support == ["all"] else chinese.join_names([names.get(d, d) for d in support or []])
    parts = []
    if lead and supports:
        parts.append(f"{leads}牵头，{supports}按职责分工负责")
    elif lead:
        parts.append(f"{leads}牵头负责")
    elif supports:
        parts.append(f"{supports}按职责分工负责")
    if note:
        parts.append(note)
    return "（" + "，".join(parts) + "）" if parts else ""


def _deadline_suffix(text: str) -> str:
    return f"（{text}）" if text in chinese.ONGOING_WORDS else f"（{text}完成）"


def _ensure_stop(text: str) -> str:
    return text if text[-1] in "。！？；" else text + "。"


def _task_blocks(plan: Plan, names: dict[str, str], first: int = 1) -> list[Block]:
    """The task groups, numbered （一）（二）… from `first` (after the section's own （一）s)."""
    blocks: list[Block] = []
    for g, group in enumerate(plan.task_groups, first):
        blocks.append(block("h2", Run(chinese.heading_number(2, g) + group.title, KAI)))
        if group.intro:
            blocks.append(block("body", group.intro))
        for t, task in enumerate(group.tasks, 1):
            head = chinese.heading_number(3, t) + (f"{task.title}。" if task.title else "")
            text = _ensure_stop(task.text)
            if task.deadline:
                text = text[:-1] + _deadline_suffix(task.deadline.display) + text[-1]
            lead, support = effective(task, group)
            if task.lead is not None or task.support is not None:
                text += responsibility(lead, support, names, plan.all_support, None)
            blocks.append(block("body", head + text))
            for m, measure in enumerate(task.measures, 1):
                mtext = _ensure_stop(measure.text)
                if measure.deadline:
                    mtext = mtext[:-1] + _deadline_suffix(measure.deadline.display) + mtext[-1]
                blocks.append(block("body", chinese.heading_number(4, m) + mtext))
        # a group with `lead: none` lends its support to the tasks that name a lead: its own line
        # holds only the note, if any
        closing = responsibility(group.lead, group.support if group.lead else None, names, plan.all_support,
                                 group.note)
        if closing:
            blocks.append(block("body", closing))
    return blocks


def phase_label(start: str, end: str) -> str:
    """2020-06..2020-06 → 2020年6月; 2021-01..2021-12 → 2021年; 2020-07..2020-12 → 2020年7月至12月."""
    y1, m1, y2, m2 = int(start[:4]), int(start[5:7]), int(end[:4]), int(end[5:7])
    if len(start) > 7 or len(end) > 7:
        from .model import first_day, last_day
        a, b = first_day(start), last_day(end)
        tail = chinese.format_date(b) if a.year != b.year else (
            f"{b.month}月{b.day}日" if a.month != b.month else f"{b.day}日")
        return f"{chinese.format_date(a)}至{tail}"
    if y1 == y2 and m1 == 1 and m2 == 12:
        return f"{y1}年"
    if (y1, m1) == (y2, m2):
        return chinese.format_month(y1, m1)
    if y1 == y2:
        return f"{y1}年{m1}月至{m2}月"
    return f"{chinese.format_month(y1, m1)}至{chinese.format_month(y2, m2)}"


def join_lines(text: str) -> str:
    """A paragraph written over several lines, joined as Chinese text is: the line breaks (a
    block scalar's newlines, or the spaces YAML folds them into) and any other ASCII spaces
    vanish beside a CJK character or full-width punctuation, and stay one space only between
    two Latin or digit words (ISO 9001). Full-width spaces (U+3000) are the writer's own."""
    return _GAP.sub(lambda m: m[1] if _wide(m[1]) or _wide(m[2]) else m[1] + " ", text)


_GAP = re.compile(r"(\S)[ \t\n]+(?=(\S))")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _phase_blocks(plan: Plan, first: int = 1, names: dict[str, str] | None = None,
                  refs: dict[str, str] | None = None) -> list[Block]:
    """The phases, numbered （一）（二）… from `first` (after the section's own （一）s): the name
    and time, the text run on after them, then the phase's items (1. 2. …) and its lead and
    supporting units as a task group's: “（…牵头，…按职责分工负责）” after its work."""
    out = []
    for i, phase in enumerate(plan.phases, first):
        head = f"{chinese.heading_number(2, i)}{phase.name}（{phase_period(phase)}）"
        units = responsibility(phase.lead, phase.support, names or {}, plan.all_support, None) if phase.lead else ""
        text = cite(join_lines(phase.text), refs) if phase.text else ""
        if not phase.items:  # one paragraph: the units close it, as a task's own
            out.append(block("body", Run(head + "。", KAI), Run(text + units)))
            continue
        # a heading with text runs on after its full stop; alone on its line it takes none
        out.append(block("body", Run(head + "。", KAI), Run(text)) if text else block("h2", Run(head, KAI)))
        out += body_blocks(phase.items, plan.checklists, refs)
        if units:
            out.append(block("body", units))
    return out


def phase_period(phase: Phase) -> str:
    """The phase's time as the plan writes it: its own `label`, else from its start and end."""
    return phase.label or phase_label(phase.start, phase.end)


def plan_blocks(plan: Plan, names: dict[str, str], refs: dict[str, str] | None = None) -> list[Block]:
    """The plan's own content: preamble, then 一、二、… sections with tasks and phases. In a
    section, the （一）（二）… run on through its subsections, the headings of its items, and the
    task groups or phases it inserts: none starts again from （一）."""
    blocks = [block("body", p) for p in plan.preamble]
    for s, section in enumerate(plan.sections, 1):
        blocks.append(block("h1", Run(chinese.heading_number(1, s) + section.title, HEI)))
        blocks += [block("body", p) for p in section.paragraphs]
        for k, sub in enumerate(section.subsections, 1):
            first, *rest = sub.paragraphs or [""]
            blocks.append(block("body", Run(f"{chinese.heading_number(2, k)}{_ensure_stop(sub.title)}", KAI),
                                Run(first)))
            blocks += [block("body", p) for p in rest]
        after = len(section.subsections)
        blocks += body_blocks(section.items, plan.checklists, refs, first=after + 1)
        after += sum(1 for e in section.items if not isinstance(e, str) and e.heading is not None)
        if section.insert == "tasks":
            blocks += _task_blocks(plan, names, after + 1)
        elif section.insert == "phases":
            blocks += _phase_blocks(plan, after + 1, names, refs)
        blocks += [block("body", p) for p in section.closing]
    return blocks


# ---------------------------------------------------------------- structured body

HEADING_FACES = {1: HEI, 2: KAI, 3: FANG, 4: FANG}  # GB/T 9704 7.3.3: 一、黑体 （一）楷体 1. （1）仿宋


def cite(text: str, refs: dict[str, str] | None) -> str:
    """Each 《@…》 in `text` as the document it names: 《title》（发文字号） (validate.references)."""
    if refs and "《@" in text:
        for token, shown in refs.items():
            text = text.replace(token, shown)
    return text


def body_blocks(entries: Iterable[Entry], checklists: Iterable[Checklist] = (),
                refs: dict[str, str] | None = None, first: int = 1) -> list[Block]:
    """A structured body → blocks: headings numbered by level (一、（一）1.（1）) in their faces,
    an h2–h4 heading's text run on after it, checklists numbered 1. or （一）, tables. A plain
    string is a body paragraph, as before. `refs` says what each 《@…》 reference stands for;
    the headings at the top are numbered from `first` (after a plan section's subsections)."""
    lists = {c.id: c for c in checklists}
    out: list[Block] = []

    def walk(entries: Iterable[Entry], count: int = 0) -> None:
        for entry in entries:
            if isinstance(entry, str):
                out.append(block("body", cite(entry, refs)))
                continue
            level, heading = entry.level, entry.heading
            if heading is not None:
                count += 1
                number = chinese.heading_number(level, count)
                face = HEADING_FACES[level]
                heading = cite(heading, refs)
                if level == 1:
                    out.append(block("h1", Run(number + heading, face)))
                elif entry.text:
                    out.append(block("body", Run(number + _ensure_stop(heading), face),
                                     Run(cite(entry.text, refs))))
                else:
                    out.append(block("h2", Run(number + heading, face)))
                walk(entry.items)
            elif entry.text is not None:
                out.append(block("body", cite(entry.text, refs)))
            elif entry.checklist is not None or entry.use is not None:
                out.extend(checklist_blocks(entry, lists, refs))
            elif entry.table is not None:
                out.append(Block("table", rows=tuple(tuple(cite(c, refs) for c in row) for row in entry.table),
                                 header=entry.header))

    walk(entries, first - 1)
    return out


def checklist_blocks(entry: Item, lists: dict[str, Checklist], refs: dict[str, str] | None = None) -> list[Block]:
    """A checklist's items, each a body paragraph numbered 1. 2. … or （一）（二）…"""
    used = lists.get(entry.use) if entry.use else None
    items = entry.checklist if entry.checklist is not None else (used.items if used else [])
    style = entry.style or (used.style if used else "1.")
    level = 3 if style == "1." else 2
    return [block("body", chinese.heading_number(level, k) + cite(item, refs)) for k, item in enumerate(items, 1)]


def signature_fits(layout: Layout) -> list[Layout]:
    """Ways to keep 署名 and 成文日期 on a page with body text, mildest first.

    GB/T 9704 7.3.5: they never stand on a page of their own (no “此页无正文”); the
    standard's remedy is to adjust spacing. fawen tries, in order: less room above the
    署名 for the seal, then taking the last body paragraph over to the next page (when
    the body keeps a paragraph on the first page), then tighter lines in the notice, then
    looser ones: the 版头 keeps its place, so when tighter lines cannot bring the 署名 up,
    looser lines take the last lines of the body over to the 署名's page.
    """
    options = []
    blocks = list(layout.blocks)
    while (i := next((k for k, b in enumerate(blocks) if b.role == "seal-space"), None)) is not None:
        blocks = blocks[:i] + blocks[i + 1:]
        options.append(replace(layout, blocks=list(blocks)))
    sig = next((i for i, b in enumerate(blocks) if b.role.startswith("signature")), None)
    if sig is None:  # a 纪要: no 署名 to keep company
        return options
    bodies = [i for i, b in enumerate(blocks[:sig]) if b.role == "body"]
    if len(bodies) >= 2:
        moved = blocks[:bodies[-1]] + [block("page-break")] + blocks[bodies[-1]:]
        options.append(replace(layout, blocks=moved))
    for pitch in (540, 500, 620, 680):  # 27 pt, 25 pt, 31 pt and 34 pt lines in the notice part only
        options.append(replace(layout, blocks=list(blocks), first_part_pitch=pitch))
    return options


def plan_document(plan: Plan, names: dict[str, str], terms: Iterable[str] = ()) -> Layout:
    """The plan on its own (title and body), as attached to its notice: what a redline shows."""
    words = _terms(names, terms)
    blocks = [Block("title", lines=title_lines(plan.title, terms=words)), block("blank"), *plan_blocks(plan, names)]
    return Layout(doc_id=plan.id, title=plan.title, author=plan.issuer.name, subject=plan.title,
                  date=chinese.format_date(plan.notices[0][1].date) if plan.notices else "2000年1月1日",
                  head=None, blocks=blocks, terms=words)


def duties(plan: Plan, title: str, names: dict[str, str], order: list[str], terms: Iterable[str] = ()) -> Layout:
    """责任清单: a part per department (一、…) with the tasks it leads and supports and the phases
    whose work it leads or supports. Departments of several kinds stand in one 部分 per kind
    (第一部分　有关部门 …, each numbering its departments from 一、), in KINDS order: the
    issuer's own offices, the departments (行业监管), the towns and streets (属地管理), then the
    enterprises (主体责任), the order in which a campaign assigns responsibility."""
    words = _terms(names, terms)
    blocks = [Block("title", lines=title_lines(title, terms=words)), block("blank")]
    kinds = names.kinds if isinstance(names, Names) else {}
    groups: dict[str, list[_DutyPart]] = {}
    for part in sorted(_duty_parts(plan, order), key=lambda p: KINDS.index(kinds.get(p[0], "部门"))):
        groups.setdefault(kinds.get(part[0], "部门"), []).append(part)
    for k, (kind, members) in enumerate(groups.items(), 1):
        if len(groups) > 1:
            blocks.append(block("h1", Run(f"第{chinese.hanzi_number(k)}部分\u3000{KIND_HEADINGS[kind]}", HEI)))
        for d, part in enumerate(members, 1):
            blocks += _duty_blocks(part, names, d)
    notices = plan.notices
    return Layout(doc_id=title, title=title, author=plan.issuer.name, subject=plan.title,
                  date=chinese.format_date(notices[0][1].date) if notices else "2000年1月1日", head=None,
                  blocks=blocks, terms=words)


# how a 责任清单 names the 部分 of each kind of unit
KIND_HEADINGS = {"内设机构": "内设机构", "部门": "有关部门", "乡镇": "乡镇", "街道": "街道", "企业": "有关企业",
                 "其他": "其他单位"}

# a department, the tasks it leads, those it supports, and its phases (each with 牵头 or 配合)
_DutyPart = tuple[str, tuple[Row, ...], tuple[Row, ...], tuple[tuple[Phase, str], ...]]


def _duty_parts(plan: Plan, order: list[str]) -> list[_DutyPart]:
    """Per department of `order` (in that order), what it has to do; a department with
    nothing is left out. `support: all` on a phase means every department but its leads."""
    tasks = {d.department: d for d in responsibilities(plan, order)}
    out = []
    for dep in order:
        phases = tuple((p, "牵头" if dep in (p.lead or []) else "配合") for p in plan.phases
                       if dep in (p.lead or []) or (p.lead and (dep in (p.support or []) or p.support == ["all"])))
        duty = tasks.get(dep)
        if duty or phases:
            out.append((dep, duty.leads if duty else (), duty.supports if duty else (), phases))
    return out


def _duty_blocks(part: _DutyPart, names: dict[str, str], number: int) -> list[Block]:
    """One department's part: 一、its name, then （一）牵头任务, 配合任务 and 阶段工作 (only those
    it has, numbered without gaps), their entries 1. 2. … below."""
    dep, leads, supports, phases = part
    out = [block("h1", Run(chinese.heading_number(1, number) + names.get(dep, dep), HEI))]
    entries = [("牵头任务", [f"{r.title}（{r.group}，{r.deadline or '未定时限'}）" for r in leads]),
               ("配合任务", [f"{r.title}（{r.group}，{r.deadline or '未定时限'}）" for r in supports]),
               ("阶段工作", [f"{p.name}（{phase_period(p)}，{role}）" for p, role in phases])]
    for k, (label, lines) in enumerate(((label, lines) for label, lines in entries if lines), 1):
        out.append(block("h2", Run(f"{chinese.heading_number(2, k)}{label}（{len(lines)}项）", KAI)))
        out += [block("body", chinese.heading_number(3, i) + line) for i, line in enumerate(lines, 1)]
    return out


def departments_in(plan: Plan, registry_order: list[str]) -> list[str]:
    """The registry's departments that this plan names (in registry order): `support: all`
    means these, not every department of every organ in a shared registry."""
    named = {d for g in plan.task_groups for d in [*g.lead, *(g.support or [])]}
    named |= {d for g in plan.task_groups for t in g.tasks for d in [*(t.lead or []), *(t.support or [])]}
    named |= {d for p in plan.phases for d in [*(p.lead or []), *(p.support or [])]}
    return [d for d in registry_order if d in named]


# ---------------------------------------------------------------- the notice

def notice_title(plan: Plan, doc: Notice) -> str:
    """The notice's own title, or 关于印发《…》的通知 with the plan title on one line (broken afresh)."""
    return doc.title or fragment("notice_title.j2", plan_title=one_line(plan.title))


def appended_title(plan: Plan, doc: Any) -> str:
    """A document bound with a notice (附件2 …): its own title, or the plan title on one line + its kind."""
    return doc.title or f"{one_line(plan.title)}{APPENDED_NAMES[doc.kind]}"


def _head(plan: Plan, doc: Notice | Official, base: Path | None, signer: str | None) -> Head:
    """The 版头 of a numbered document: the issuer's red mark (or its own template), the number."""
    return Head(organs=(plan.issuer.mark_text.removesuffix("文件"), *plan.issuer.joint),
                mark_suffix="文件" if plan.issuer.mark_text.endswith("文件") else "",
                number=str(doc.number), copy_number=doc.copy_number, secrecy=doc.secrecy,
                urgency=doc.urgency, signer=signer,
                template=(base / plan.issuer.head_template) if base and plan.issuer.head_template else None)


def _opening(b: list[Block], title: str, to: list[str], words: tuple[str, ...]) -> bool:
    """Title, a blank line and the 主送机关; True when 主送 is too long and moves into the 版记."""
    b.append(Block("title", lines=title_lines(title, terms=words)))
    b.append(block("blank"))
    to_text = "，".join(to) + "："
    moved_to = len(to_text) > MAX_TO_CHARS
    if not moved_to:
        b.append(block("to", to_text))
    return moved_to


def _attachment_note(b: list[Block], attachments: list[str]) -> None:
    """附件说明 (7.3.4): one line below the body; several numbered, names aligned."""
    if not attachments:
        return
    b.append(block("blank"))
    if len(attachments) == 1:
        b.append(block("attachment-note", f"附件：{attachments[0]}"))
    else:
        for i, name in enumerate(attachments, 1):
            b.append(block("attachment-note" if i == 1 else "attachment-more",
                           f"{'附件：' if i == 1 else ''}{i}.\t{name}"))


def _signature(b: list[Block], signature: str, seal: bool, date: str) -> None:
    """署名 and 成文日期 (7.3.5), with room for the seal above them (one line without a seal)."""
    b += [block("seal-space") for _ in range(2 if seal else 1)]
    b.append(block("signature-seal" if seal else "signature", signature))
    b.append(block("date-seal" if seal else "date", date))


def _appended(plan: Plan, doc: Notice | Official) -> tuple[list[Any], list[str]]:
    appended = [next(d for d in plan.documents if d.id == ref) for ref in doc.append]
    return appended, [appended_title(plan, d) for d in appended]


def _appendices(layout: Layout, plan: Plan, appended: list[Any], appended_titles: list[str], first: int,
                several: bool, names: dict[str, str], terms: Iterable[str]) -> None:
    """Documents of the plan bound as further attachments (附件2 …), page numbers going on."""
    for k, (d, title) in enumerate(zip(appended, appended_titles, strict=True), first):
        label = f"附件{k}" if several else "附件"
        # the appendix title carries its chosen breaks as newlines: every later title_lines keeps them
        width = LANDSCAPE_TITLE_CHARS if d.kind == "task-table" else MAX_TITLE_CHARS
        shown = "\n".join(title_lines(title, width, layout.terms))
        if d.kind == "task-table":
            from .tables import rows
            layout.appendices.append(Appendix(label, shown, table=(
                rows(plan, d.measures), names, plan.all_support, list(d.columns))))
        elif d.kind == "responsibilities":
            order = departments_in(plan, list(names))
            layout.appendices.append(Appendix(label, shown, blocks=tuple(
                duties(plan, title, names, order, terms).blocks[2:])))
        else:
            layout.appendices.append(Appendix(label, shown, chart=plan, names=names))


def _colophon(plan: Plan, doc: Notice | Official, moved_to: bool) -> Colophon:
    printed = doc.printed_date or doc.date
    return Colophon(cc=tuple(doc.cc), printed_by=doc.printed_by or plan.issuer.name,
                    printed_date=chinese.format_date(printed), to=tuple(doc.to) if moved_to else ())


def notice(plan: Plan, doc: Notice, names: dict[str, str], base: Path | None = None,
           terms: Iterable[str] = (), refs: dict[str, str] | None = None) -> Layout:
    """关于印发《…》的通知, with the plan as its attachment or following its body.

    Titles keep a block scalar's line breaks where they are displayed as titles; the sentence
    印发《…》, the 附件说明 and the metadata have them on one line."""
    title = notice_title(plan, doc)
    words = _terms(names, terms)
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=plan.title,
                    date=chinese.format_date(doc.date), head=_head(plan, doc, base, doc.signer), terms=words)
    b = layout.blocks
    moved_to = _opening(b, title, doc.to, words)
    body = doc.body or [fragment("notice_body.j2", plan_title=one_line(plan.title))]
    b += body_blocks(body, plan.checklists, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    appended, appended_titles = _appended(plan, doc)
    attachments = [one_line(t) for t in ([plan.title] if doc.plan == "attachment" else []) + appended_titles
                   + list(doc.attachments)]
    _attachment_note(b, attachments)
    _signature(b, doc.signature or plan.issuer.name, doc.seal, layout.date)
    if doc.annotation:
        b.append(block("annotation", f"（{doc.annotation}）"))
    if doc.plan == "body":
        b.append(block("page-break"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names, refs)
    elif doc.plan == "attachment":
        b.append(block("page-break"))
        b.append(block("attachment-label", Run("附件" if len(attachments) == 1 else "附件1", HEI)))
        b.append(block("blank"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names, refs)
    _appendices(layout, plan, appended, appended_titles, 2 if doc.plan == "attachment" else 1,
                len(attachments) > 1, names, terms)
    layout.colophon = _colophon(plan, doc, moved_to)
    return layout


def official(plan: Plan, doc: Official, names: dict[str, str], base: Path | None = None,
             terms: Iterable[str] = (), refs: dict[str, str] | None = None) -> Layout:
    """通知, 通报, 请示, 报告: the 版头 (with 签发人 for 上行文), the title as written, 主送, the
    structured body, the contact line (in the 附注 of a 请示, after the body otherwise), 附件说明,
    署名 and 成文日期, 附注, attachments bound from the plan, and the 版记."""
    title = doc.title
    words = _terms(names, terms)
    signer = getattr(doc, "signer", None)
    kind = getattr(doc, "kind", "")
    head = _head(plan, doc, base, signer)
    if kind == "han":  # 信函格式: the organ's name as the mark (no 文件), its own head (render/head.py)
        head = replace(head, organs=(plan.issuer.name,), mark_suffix="", template=None, variant="letter")
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=one_line(title),
                    date=chinese.format_date(doc.date), head=head, terms=words)
    b = layout.blocks
    moved_to = _opening(b, title, doc.to, words)
    b += body_blocks(doc.body, plan.checklists, refs)
    if doc.contact and kind != "qingshi":
        b.append(block("body", f"{doc.contact.text}。"))
    appended, appended_titles = _appended(plan, doc)
    attachments = [one_line(t) for t in [*appended_titles, *doc.attachments]]
    _attachment_note(b, attachments)
    _signature(b, doc.signature or plan.issuer.name, doc.seal, layout.date)
    notes = [doc.annotation] if doc.annotation else []
    if doc.contact and kind == "qingshi":  # GB/T 9704 7.3.6: a 请示 names its contact in the 附注
        notes.append(doc.contact.text)
    if notes:
        b.append(block("annotation", f"（{'；'.join(notes)}）"))
    if kind == "han":  # 10.1: no 印发机关, 印发日期 or rules; 抄送 at the end
        if doc.cc:
            b.append(block("cc-line", f"抄送：{'，'.join(doc.cc)}。"))
        _appendices(layout, plan, appended, appended_titles, 1, len(attachments) > 1, names, terms)
        return layout
    _appendices(layout, plan, appended, appended_titles, 1, len(attachments) > 1, names, terms)
    layout.colophon = _colophon(plan, doc, moved_to)
    return layout


def plan_standalone(plan: Plan, doc: PlanDocument, names: dict[str, str], terms: Iterable[str] = (),
                    refs: dict[str, str] | None = None) -> Layout:
    """The 方案 as a document of its own: no 版头, no 发文字号, no 版记; its 署名 and 成文日期
    (when given) centred under the title, or after the body as a document without a seal has them."""
    title = doc.title or plan.title
    words = _terms(names, terms)
    when = doc.date or (plan.notices[0][1].date if plan.notices else None)
    layout = Layout(doc_id=doc.id, title=title, author=doc.signature or plan.issuer.name, subject=plan.title,
                    date=chinese.format_date(when) if when else "2000年1月1日", head=None, terms=words)
    b = layout.blocks
    b.append(Block("title", lines=title_lines(title, terms=words)))
    under = [x for x in (doc.signature, chinese.format_date(doc.date) if doc.date else None) if x]
    if doc.signed == "title" and under:
        b.append(block("byline", Run(f"（{'　'.join(under)}）", KAI)))
    b.append(block("blank"))
    b += plan_blocks(plan, names, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    if doc.signed == "end" and doc.signature:
        b.append(block("seal-space"))
        b.append(block("signature", doc.signature))
        if doc.date:
            b.append(block("date", layout.date))
    return layout


ATTENDANCE = (("present", "出席"), ("absent", "请假"), ("attending", "列席"))


def minutes(plan: Plan, doc: Jiyao, names: dict[str, str], terms: Iterable[str] = (),
            refs: dict[str, str] | None = None) -> Layout:
    """纪要 (GB/T 9704 10.3): the red “×××纪要” mark (a 发文字号 under it only when declared), an
    optional title, the body, then one line below it 出席/请假/列席 (黑体 label, 仿宋 names, a
    continued line under the first name), and the 版记; no 署名."""
    words = _terms(names, terms)
    title = doc.title or doc.mark
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=one_line(title),
                    date=chinese.format_date(doc.date),
                    head=Head(organs=(doc.mark,), mark_suffix="", number=str(doc.number) if doc.number else "",
                              variant="minutes"), terms=words)
    b = layout.blocks
    if doc.title:
        b.append(Block("title", lines=title_lines(doc.title, terms=words)))
        b.append(block("blank"))
    b += body_blocks(doc.body, plan.checklists, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    present = [(label, getattr(doc, key)) for key, label in ATTENDANCE if getattr(doc, key)]
    if present:
        b.append(block("blank"))
    for label, people in present:
        b.append(block("attendance", Run(f"{label}：", HEI), Run("，".join(people))))
    printed = doc.printed_date or doc.date
    layout.colophon = Colophon(cc=tuple(doc.cc), printed_by=doc.printed_by or plan.issuer.name,
                               printed_date=chinese.format_date(printed))
    return layout


def document(plan: Plan, doc: Any, names: dict[str, str], base: Path | None = None,
             refs: dict[str, str] | None = None) -> Layout:
    """The layout of a document of one of the kinds beyond the 印发通知 and the tables;
    `refs` says what each 《@…》 cross-reference stands for (validate.references)."""
    if isinstance(doc, PlanDocument):
        return plan_standalone(plan, doc, names, refs=refs)
    if isinstance(doc, Jiyao):
        return minutes(plan, doc, names, refs=refs)
    if getattr(doc, "period", None) is not None:  # progress documents (layout_progress.py)
        from .layout_progress import document as progress_document
        return progress_document(plan, doc, names, base, refs)
    if doc.kind in OFFICIAL_KINDS:
        return official(plan, doc, names, base, refs=refs)
    raise ValueError(f"no layout for kind {doc.kind}")
