"""Plan → what each document shows: blocks of text in reading order, with their roles.

No file format here. A block says what it is (title, heading, body paragraph, signature
…) and which typeface each run wants; render/docx.py turns roles into GB/T 9704 layout.
Standard sentences come from Jinja2 fragments in templates/text/ so offices can edit them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from . import chinese, titles
from .model import Notice, Plan, effective
from .numbering import DocNumber
from .tables import responsibilities

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


@dataclass(frozen=True)
class Appendix:
    """A further attachment bound with a notice (附件2 …): a list, a table or a chart."""

    label: str
    title: str  # as displayed: its lines (title_lines) joined by newlines
    blocks: tuple[Block, ...] = ()
    table: tuple[Any, ...] | None = None   # 任务分解表: (rows, department names, “all” text, columns)
    chart: Any = None                      # 路线图: the Plan whose roadmap is drawn


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
    """（区应急管理局牵头，区经济发展局、区公安分局按职责分工负责）"""
    leads = chinese.join_names([names.get(d, d) for d in lead])
    parts = []
    if support and support != ["all"]:
        parts.append(f"{leads}牵头，{chinese.join_names([names.get(d, d) for d in support])}按职责分工负责")
    elif support == ["all"]:
        parts.append(f"{leads}牵头，{all_support}按职责分工负责")
    else:
        parts.append(f"{leads}牵头负责")
    if note:
        parts.append(note)
    return "（" + "，".join(parts) + "）"


def _deadline_suffix(text: str) -> str:
    return f"（{text}）" if text in chinese.ONGOING_WORDS else f"（{text}完成）"


def _ensure_stop(text: str) -> str:
    return text if text[-1] in "。！？；" else text + "。"


def _task_blocks(plan: Plan, names: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    for g, group in enumerate(plan.task_groups, 1):
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
        blocks.append(block("body", responsibility(group.lead, group.support, names, plan.all_support,
                                                   group.note)))
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


def _phase_blocks(plan: Plan) -> list[Block]:
    out = []
    for i, phase in enumerate(plan.phases, 1):
        label = phase.label or phase_label(phase.start, phase.end)
        out.append(block("body", Run(f"{chinese.heading_number(2, i)}{phase.name}（{label}）。", KAI),
                         Run(phase.text)))
    return out


def plan_blocks(plan: Plan, names: dict[str, str]) -> list[Block]:
    """The plan's own content: preamble, then 一、二、… sections with tasks and phases."""
    blocks = [block("body", p) for p in plan.preamble]
    for s, section in enumerate(plan.sections, 1):
        blocks.append(block("h1", Run(chinese.heading_number(1, s) + section.title, HEI)))
        blocks += [block("body", p) for p in section.paragraphs]
        for k, sub in enumerate(section.subsections, 1):
            first, *rest = sub.paragraphs or [""]
            blocks.append(block("body", Run(f"{chinese.heading_number(2, k)}{_ensure_stop(sub.title)}", KAI),
                                Run(first)))
            blocks += [block("body", p) for p in rest]
        if section.insert == "tasks":
            blocks += _task_blocks(plan, names)
        elif section.insert == "phases":
            blocks += _phase_blocks(plan)
        blocks += [block("body", p) for p in section.closing]
    return blocks


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
    sig = next(i for i, b in enumerate(blocks) if b.role.startswith("signature"))
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
    """责任清单: a part per department (一、…) with the tasks it leads and those it supports."""
    words = _terms(names, terms)
    blocks = [Block("title", lines=title_lines(title, terms=words)), block("blank")]
    for d, duty in enumerate(responsibilities(plan, order), 1):
        blocks.append(block("h1", Run(chinese.heading_number(1, d) + names.get(duty.department, duty.department),
                                      HEI)))
        for k, (label, rows_) in enumerate((("牵头任务", duty.leads), ("配合任务", duty.supports)), 1):
            if not rows_:
                continue
            blocks.append(block("h2", Run(f"{chinese.heading_number(2, k)}{label}（{len(rows_)}项）", KAI)))
            for i, r in enumerate(rows_, 1):
                blocks.append(block("body", f"{chinese.heading_number(3, i)}{r.title}（{r.group}，"
                                            f"{r.deadline or '未定时限'}）"))
    notices = plan.notices
    return Layout(doc_id=title, title=title, author=plan.issuer.name, subject=plan.title,
                  date=chinese.format_date(notices[0][1].date) if notices else "2000年1月1日", head=None,
                  blocks=blocks, terms=words)


def departments_in(plan: Plan, registry_order: list[str]) -> list[str]:
    """The registry's departments that this plan names (in registry order): `support: all`
    means these, not every department of every organ in a shared registry."""
    named = {d for g in plan.task_groups for d in [*g.lead, *(g.support or [])]}
    named |= {d for g in plan.task_groups for t in g.tasks for d in [*(t.lead or []), *(t.support or [])]}
    return [d for d in registry_order if d in named]


# ---------------------------------------------------------------- the notice

def notice_title(plan: Plan, doc: Notice) -> str:
    """The notice's own title, or 关于印发《…》的通知 with the plan title on one line (broken afresh)."""
    return doc.title or fragment("notice_title.j2", plan_title=one_line(plan.title))


def appended_title(plan: Plan, doc: Any) -> str:
    """A document bound with a notice (附件2 …): its own title, or the plan title on one line + its kind."""
    return doc.title or f"{one_line(plan.title)}{APPENDED_NAMES[doc.kind]}"


def notice(plan: Plan, doc: Notice, names: dict[str, str], base: Path | None = None,
           terms: Iterable[str] = ()) -> Layout:
    """关于印发《…》的通知, with the plan as its attachment or following its body.

    Titles keep a block scalar's line breaks where they are displayed as titles; the sentence
    印发《…》, the 附件说明 and the metadata have them on one line."""
    number: DocNumber = doc.number
    title = notice_title(plan, doc)
    words = _terms(names, terms)
    layout = Layout(
        doc_id=doc.id, title=title, author=plan.issuer.name, subject=plan.title,
        date=chinese.format_date(doc.date),
        head=Head(organs=(plan.issuer.mark_text.removesuffix("文件"), *plan.issuer.joint),
                  mark_suffix="文件" if plan.issuer.mark_text.endswith("文件") else "",
                  number=str(number), copy_number=doc.copy_number, secrecy=doc.secrecy,
                  urgency=doc.urgency, signer=doc.signer,
                  template=(base / plan.issuer.head_template) if base and plan.issuer.head_template else None),
        terms=words,
    )
    b = layout.blocks
    b.append(Block("title", lines=title_lines(title, terms=words)))
    b.append(block("blank"))
    to_text = "，".join(doc.to) + "："
    moved_to = len(to_text) > MAX_TO_CHARS
    if not moved_to:
        b.append(block("to", to_text))
    body = doc.body or [fragment("notice_body.j2", plan_title=one_line(plan.title))]
    b += [block("body", p) for p in body]
    appended = [next(d for d in plan.documents if d.id == ref) for ref in doc.append]
    appended_titles = [appended_title(plan, d) for d in appended]
    attachments = [one_line(t) for t in ([plan.title] if doc.plan == "attachment" else []) + appended_titles
                   + list(doc.attachments)]
    if attachments:
        b.append(block("blank"))
        if len(attachments) == 1:
            b.append(block("attachment-note", f"附件：{attachments[0]}"))
        else:
            for i, name in enumerate(attachments, 1):
                b.append(block("attachment-note" if i == 1 else "attachment-more",
                               f"{'附件：' if i == 1 else ''}{i}.\t{name}"))
    signature = doc.signature or plan.issuer.name
    # room for the seal above 署名 and 成文日期 (one line without a seal)
    b += [block("seal-space") for _ in range(2 if doc.seal else 1)]
    b.append(block("signature-seal" if doc.seal else "signature", signature))
    b.append(block("date-seal" if doc.seal else "date", layout.date))
    if doc.annotation:
        b.append(block("annotation", f"（{doc.annotation}）"))
    if doc.plan == "body":
        b.append(block("page-break"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names)
    elif doc.plan == "attachment":
        b.append(block("page-break"))
        b.append(block("attachment-label", Run("附件" if len(attachments) == 1 else "附件1", HEI)))
        b.append(block("blank"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names)
    first = 2 if doc.plan == "attachment" else 1
    for k, (d, title) in enumerate(zip(appended, appended_titles, strict=True), first):
        label = f"附件{k}" if len(attachments) > 1 else "附件"
        # the appendix title carries its chosen breaks as newlines: every later title_lines keeps them
        width = LANDSCAPE_TITLE_CHARS if d.kind == "task-table" else MAX_TITLE_CHARS
        shown = "\n".join(title_lines(title, width, words))
        if d.kind == "task-table":
            from .tables import rows
            layout.appendices.append(Appendix(label, shown, table=(
                rows(plan, d.measures), names, plan.all_support, list(d.columns))))
        elif d.kind == "responsibilities":
            order = departments_in(plan, list(names))
            layout.appendices.append(Appendix(label, shown, blocks=tuple(
                duties(plan, title, names, order, terms).blocks[2:])))
        else:
            layout.appendices.append(Appendix(label, shown, chart=plan))
    printed = doc.printed_date or doc.date
    layout.colophon = Colophon(cc=tuple(doc.cc), printed_by=doc.printed_by or plan.issuer.name,
                               printed_date=chinese.format_date(printed), to=tuple(doc.to) if moved_to else ())
    return layout
