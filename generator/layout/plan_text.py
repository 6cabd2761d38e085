"""The plan's own text: task groups with their responsibility lines, phases, sections, and
the structured body (headings 一、（一）1.（1）, checklists, tables) every document shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .. import chinese
from ..model import (
    Checklist,
    Entry,
    Item,
    Phase,
    Plan,
    effective,
)
from .blocks import (
    FANG,
    HEI,
    KAI,
    Block,
    Run,
    block,
)

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
        from ..model import first_day, last_day
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
