"""Compare two versions of a plan by stable ids: what a reviewer needs to know.

Tasks, measures, groups, phases, documents and departments are matched by id, so a
renamed department is one change, a task that moved to another group is a move, and a
reordered list is reported as moves rather than as removals and additions.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypeVar

from .chinese import Deadline
from .load import Source, Workspace
from .model import Entry, Item, Plan, Section, Task, TaskGroup
from .titles import one_line


@dataclass(frozen=True)
class Change:
    """One typed change. `kind` names it (task-added, lead-changed, deadline-moved …)."""

    kind: str
    plan: str
    subject: str                       # the id of what changed (task, group, phase, document …)
    summary: str                       # one line for a reader, in Chinese
    old: str = ""
    new: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


CATEGORY = {
    "plan": "方案", "section": "章节", "group": "任务分组", "task": "任务", "measure": "具体措施",
    "phase": "进度安排", "document": "发文", "department": "部门", "body": "正文", "progress": "进展",
}


def category(kind: str) -> str:
    return CATEGORY.get(kind.split("-")[0], "其他")


def word_diff(old: str, new: str) -> str:
    """The changed words marked inline: [-removed-]{+added+} (characters for Chinese)."""
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(old[a0:a1])
            continue
        if a1 > a0:
            out.append(f"[-{old[a0:a1]}-]")
        if b1 > b0:
            out.append(f"{{+{new[b0:b1]}+}}")
    return "".join(out)


T = TypeVar("T")


def match(old: list[T], new: list[T], key: Callable[[T], str]) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """Items only in `new` (added), only in `old` (removed), and in both, matched by id,
    each in the order of the version it comes from."""
    a = {key(x): x for x in old}
    b = {key(x): x for x in new}
    return ([x for x in new if key(x) not in a], [x for x in old if key(x) not in b],
            [(a[key(x)], x) for x in new if key(x) in a])


def _names(source: Source | None) -> dict[str, str]:
    return source.registry.names() if source and source.registry else {}


def _deps(ids: list[str] | None, names: dict[str, str]) -> str:
    if ids == ["all"]:
        return "各有关部门"
    return "、".join(names.get(i, i) for i in ids or []) or "（无）"


def _deadline_shift(old: Deadline | None, new: Deadline | None) -> tuple[str, dict[str, Any]]:
    if old is None or new is None or old.due is None or new.due is None:
        return "", {}
    days = (new.due - old.due).days
    direction = "推迟" if days > 0 else "提前"
    return f"（{direction}{abs(days)}天）", {"shift_days": days}


class _Differ:
    def __init__(self, plan_id: str, old: Source | None, new: Source | None):
        self.plan = plan_id
        self.old, self.new = old, new
        self.names = {**_names(old), **_names(new)}
        self.changes: list[Change] = []

    def add(self, kind: str, subject: str, summary: str, old: Any = "", new: Any = "", **details: Any) -> None:
        self.changes.append(Change(kind, self.plan, subject, summary, str(old), str(new), details))

    def run(self) -> list[Change]:
        if self.old is None and self.new is not None:
            self.add("plan-added", self.plan, f"新增方案《{one_line(self.new.plan.title)}》", new=self.new.plan.title)
            return self.changes
        if self.new is None and self.old is not None:
            self.add("plan-removed", self.plan, f"删除方案《{one_line(self.old.plan.title)}》", old=self.old.plan.title)
            return self.changes
        assert self.old is not None and self.new is not None
        a, b = self.old.plan, self.new.plan
        self.plan_fields(a, b)
        self.sections(a, b)
        self.groups(a, b)
        self.tasks(a, b)
        self.phases(a, b)
        self.documents(a, b)
        from .diff_progress import compare as progress
        progress(a, b, self.names, self.add)
        return self.changes

    def plan_fields(self, a: Plan, b: Plan) -> None:
        if a.title != b.title:
            self.add("plan-title-changed", self.plan, f"方案标题：{word_diff(a.title, b.title)}", a.title, b.title)
        if (a.period.first_day, a.period.last_day) != (b.period.first_day, b.period.last_day):
            self.add("plan-period-changed", self.plan,
                     f"行动期限：{a.period.start}至{a.period.end} → {b.period.start}至{b.period.end}",
                     f"{a.period.start}/{a.period.end}", f"{b.period.start}/{b.period.end}")
        if a.issuer != b.issuer:
            self.add("plan-issuer-changed", self.plan, f"发文机关：{a.issuer.name} → {b.issuer.name}",
                     a.issuer.name, b.issuer.name)
        if a.preamble != b.preamble:
            self.add("section-text-changed", "preamble",
                     f"开头段落：{word_diff(''.join(a.preamble), ''.join(b.preamble))}",
                     "\n".join(a.preamble), "\n".join(b.preamble))

    def sections(self, a: Plan, b: Plan) -> None:
        added, removed, common = match(a.sections, b.sections, lambda x: x.id)
        for t in added:
            self.add("section-added", t.id, f"新增章节“{t.title}”", new=t.title)
        for s in removed:
            self.add("section-removed", s.id, f"删除章节“{s.title}”", old=s.title)
        for s, t in common:
            sid = t.id
            if s.title != t.title:
                self.add("section-renamed", sid, f"章节标题：{s.title} → {t.title}", s.title, t.title)
            text_a, text_b = _section_text(s), _section_text(t)
            if text_a != text_b:
                self.add("section-text-changed", sid, f"“{t.title}”文字：{word_diff(text_a, text_b)}", text_a, text_b)

    def groups(self, a: Plan, b: Plan) -> None:
        added, removed, common = match(a.task_groups, b.task_groups, lambda x: x.id)
        for h in added:
            self.add("group-added", h.id, f"新增{h.kind}“{h.title}”", new=h.title)
        for g in removed:
            self.add("group-removed", g.id, f"删除{g.kind}“{g.title}”", old=g.title)
        for g, h in common:
            gid = h.id
            if g.title != h.title:
                self.add("group-renamed", gid, f"分组名称：{word_diff(g.title, h.title)}", g.title, h.title)
            if g.kind != h.kind:
                self.add("group-kind-changed", gid, f"“{h.title}”类别：{g.kind or '（无）'} → {h.kind or '（无）'}",
                         g.kind, h.kind)
            self.responsibility("group", gid, f"“{h.title}”", g.lead, h.lead, g.support, h.support)
        self.moves("group", [g.id for g in a.task_groups], [g.id for g in b.task_groups])

    def responsibility(self, what: str, subject: str, label: str, lead_a: list[str] | None,
                       lead_b: list[str] | None, sup_a: list[str] | None, sup_b: list[str] | None) -> None:
        for role, name, x, y in (("lead", "牵头单位", lead_a, lead_b), ("support", "配合单位", sup_a, sup_b)):
            if (x or []) == (y or []):
                continue
            added = [d for d in (y or []) if d not in (x or [])]
            removed = [d for d in (x or []) if d not in (y or [])]
            parts = []
            if removed:
                parts.append(f"删除 {_deps(removed, self.names)}")
            if added:
                parts.append(f"增加 {_deps(added, self.names)}")
            if not parts:
                parts.append("调整顺序")
            self.add(f"{what}-{role}-changed", subject, f"{label}{name}：{'，'.join(parts)}",
                     _deps(x, self.names), _deps(y, self.names), added=added, removed=removed)

    def tasks(self, a: Plan, b: Plan) -> None:
        def index(plan: Plan) -> dict[str, tuple[TaskGroup, Task]]:
            return {t.id: (g, t) for g in plan.task_groups for t in g.tasks}

        old, new = index(a), index(b)
        order_b = [t.id for g in b.task_groups for t in g.tasks]
        for tid in [t for t in order_b if t not in old]:
            g, t = new[tid]
            self.add("task-added", tid, f"新增任务 {tid}（{g.title}）：{t.title or t.text[:30]}", new=t.text)
        for tid in [t.id for g in a.task_groups for t in g.tasks if t.id not in new]:
            g, t = old[tid]
            self.add("task-removed", tid, f"删除任务 {tid}（{g.title}）：{t.title or t.text[:30]}", old=t.text)
        for tid in [t for t in order_b if t in old]:
            (ga, ta), (gb, tb) = old[tid], new[tid]
            label = f"任务 {tid}"
            if ga.id != gb.id:
                self.add("task-moved-group", tid, f"{label} 从“{ga.title}”移至“{gb.title}”", ga.id, gb.id)
            if ta.title != tb.title:
                self.add("task-title-changed", tid, f"{label} 名称：{word_diff(ta.title or '', tb.title or '')}",
                         ta.title or "", tb.title or "")
            if ta.text != tb.text:
                self.add("task-text-changed", tid, f"{label} 内容：{word_diff(ta.text, tb.text)}", ta.text, tb.text)
            self.responsibility("task", tid, label + " ", ta.lead, tb.lead, ta.support, tb.support)
            self.deadline("task", tid, label, ta.deadline, tb.deadline)
            self.measures(tid, ta, tb)
        # order within each group that survived, ignoring tasks that came, went or changed group
        for g in b.task_groups:
            before = [t.id for gg in a.task_groups if gg.id == g.id for t in gg.tasks]
            after = [t.id for t in g.tasks]
            common = [t for t in after if t in before]
            self.moves("task", [t for t in before if t in common], common)

    def deadline(self, what: str, subject: str, label: str, a: Deadline | None, b: Deadline | None) -> None:
        # the days too: a recurring deadline's `from`/`to`, or the notice a working-day count
        # starts from, move its days without changing its words
        if (a.text if a else None) == (b.text if b else None) and (a.days if a else ()) == (b.days if b else ()):
            return
        shift, details = _deadline_shift(a, b)
        if a is not None and b is not None and a.days == b.days:
            kind, verb = f"{what}-deadline-reworded", "完成时限写法"
        else:
            kind, verb = f"{what}-deadline-moved", "完成时限"
        before, after = (a.display if a else "（无）"), (b.display if b else "（无）")
        self.add(kind, subject, f"{label} {verb}：{before} → {after}{shift}",
                 a.text if a else "", b.text if b else "", **details)

    def measures(self, tid: str, a: Task, b: Task) -> None:
        added, removed, common = match(a.measures, b.measures, lambda x: x.id)
        for y in added:
            self.add("measure-added", y.id, f"任务 {tid} 新增措施 {y.id}：{y.text}", new=y.text)
        for x in removed:
            self.add("measure-removed", x.id, f"任务 {tid} 删除措施 {x.id}：{x.text}", old=x.text)
        for x, y in common:
            mid = y.id
            if x.text != y.text:
                self.add("measure-text-changed", mid, f"措施 {mid} 内容：{word_diff(x.text, y.text)}", x.text, y.text)
            self.deadline("measure", mid, f"措施 {mid}", x.deadline, y.deadline)

    def moves(self, what: str, before: list[str], after: list[str]) -> None:
        """Items whose relative order changed: those outside the longest kept sequence."""
        if before == after:
            return
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        kept = {x for block in matcher.get_matching_blocks() for x in before[block.a:block.a + block.size]}
        for item in after:
            if item in kept or item not in before:
                continue
            self.add(f"{what}-moved", item, f"{CATEGORY[what]} {item} 调整了位置（第{before.index(item) + 1}项 → "
                     f"第{after.index(item) + 1}项）", str(before.index(item) + 1), str(after.index(item) + 1))

    def phases(self, a: Plan, b: Plan) -> None:
        added, removed, common = match(a.phases, b.phases, lambda x: x.id)
        for y in added:
            self.add("phase-added", y.id, f"新增阶段“{y.name}”（{y.start}至{y.end}）", new=f"{y.start}/{y.end}")
        for x in removed:
            self.add("phase-removed", x.id, f"删除阶段“{x.name}”", old=f"{x.start}/{x.end}")
        for x, y in common:
            pid = y.id
            if (x.start, x.end) != (y.start, y.end):
                days = (y.last_day - x.last_day).days
                shift = f"（结束{'推迟' if days > 0 else '提前'}{abs(days)}天）" if days else ""
                self.add("phase-redated", pid, f"阶段“{y.name}”：{x.start}至{x.end} → {y.start}至{y.end}{shift}",
                         f"{x.start}/{x.end}", f"{y.start}/{y.end}", shift_days=days)
            if x.name != y.name:
                self.add("phase-renamed", pid, f"阶段名称：{x.name} → {y.name}", x.name, y.name)
            if x.text != y.text:
                self.add("phase-text-changed", pid, f"阶段“{y.name}”内容：{word_diff(x.text or '', y.text or '')}",
                         x.text or "", y.text or "")
            self.responsibility("phase", pid, f"阶段“{y.name}”", x.lead, y.lead, x.support, y.support)
            self.body(f"phase/{pid}", x.items, y.items, f"阶段“{y.name}”")

    def documents(self, a: Plan, b: Plan) -> None:
        added, removed, common = match([d for _, d in a.numbered], [d for _, d in b.numbered], lambda x: x.id)
        for y in added:
            self.add("document-added", y.id, f"新增发文 {y.id}：{y.number}", new=str(y.number))
        for x in removed:
            self.add("document-removed", x.id, f"删除发文 {x.id}：{x.number}", old=str(x.number))
        for x, y in common:
            did = y.id
            if x.number != y.number:
                self.add("document-number-changed", did, f"发文 {did} 发文字号：{x.number} → {y.number}",
                         str(x.number), str(y.number))
            if x.date != y.date:
                days = (y.date - x.date).days
                self.add("document-date-changed", did, f"发文 {did} 成文日期：{_cn(x.date)} → {_cn(y.date)}",
                         x.date.isoformat(), y.date.isoformat(), shift_days=days)
            if list(x.to) != list(y.to):
                self.add("document-to-changed", did, f"发文 {did} 主送机关：{'、'.join(x.to)} → {'、'.join(y.to)}",
                         "、".join(x.to), "、".join(y.to))
        _, _, same = match(list(a.documents), list(b.documents), lambda d: d.id)
        for old, new in same:
            self.body(new.id, getattr(old, "body", None) or [], getattr(new, "body", None) or [])

    def body(self, did: str, a: list[Entry], b: list[Entry], label: str = "") -> None:
        """A structured body (a document's, or a phase's items): items with an `id` matched by it
        (added, removed, reworded); the rest of the text compared as a whole."""
        label = label or f"发文 {did}"
        items_a, items_b = dict(_items(a)), dict(_items(b))
        for iid, text in items_b.items():
            if iid not in items_a:
                self.add("body-item-added", f"{did}/{iid}", f"{label} 新增正文条目 {iid}：{text}", new=text)
            elif items_a[iid] != text:
                self.add("body-item-reworded", f"{did}/{iid}",
                         f"{label} 正文条目 {iid}：{word_diff(items_a[iid], text)}", items_a[iid], text)
        for iid, text in items_a.items():
            if iid not in items_b:
                self.add("body-item-removed", f"{did}/{iid}", f"{label} 删除正文条目 {iid}：{text}", old=text)
        rest_a, rest_b = _untracked(a), _untracked(b)
        if rest_a != rest_b:
            self.add("body-text-changed", did, f"{label} 正文：{word_diff(rest_a, rest_b)}", rest_a, rest_b)


def _item_text(item: Item) -> str:
    """An item's own words: heading, text, checklist entries, table cells (not its sub-items)."""
    cells = [c for row in item.table or [] for c in row]
    parts = [item.heading or "", item.text or "", *(item.checklist or []), *cells]
    if item.use:
        parts.append(f"《清单 {item.use}》")
    return "".join(parts)


def _items(entries: list[Entry]) -> list[tuple[str, str]]:
    """(id, words) of every item that has an id, at any depth."""
    out: list[tuple[str, str]] = []
    for entry in entries:
        if isinstance(entry, Item):
            if entry.id:
                out.append((entry.id, _item_text(entry)))
            out += _items(entry.items)
    return out


def _untracked(entries: list[Entry]) -> str:
    """The words of a body outside items with ids, in order."""
    out = []
    for entry in entries:
        if isinstance(entry, str):
            out.append(entry)
        else:
            if not entry.id:
                out.append(_item_text(entry))
            out.append(_untracked(entry.items))
    return "\n".join(t for t in out if t)


def _section_text(section: Section) -> str:
    return "\n".join([*section.paragraphs, *(x.title + "。" + "".join(x.paragraphs) for x in section.subsections),
                      *([_untracked(section.items)] if section.items else []), *section.closing])


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def departments(old: Workspace, new: Workspace) -> list[Change]:
    """Registry changes: a rename keeps its id, so it is one change, not a removal and an addition."""
    a = {d.id: d for r in old.registries for d in r.registry.departments}
    b = {d.id: d for r in new.registries for d in r.registry.departments}
    out = []
    for did in sorted(b.keys() - a.keys()):
        out.append(Change("department-added", "", did, f"新增部门 {did}：{b[did].name}", new=b[did].name))
    for did in sorted(a.keys() - b.keys()):
        out.append(Change("department-removed", "", did, f"删除部门 {did}：{a[did].name}", old=a[did].name))
    for did in sorted(a.keys() & b.keys()):
        if a[did].name != b[did].name:
            out.append(Change("department-renamed", "", did, f"部门更名：{a[did].name} → {b[did].name}",
                              a[did].name, b[did].name))
    return out


def compare(old: Workspace, new: Workspace) -> list[Change]:
    """Every change between two loaded plan trees, plans matched by id."""
    a = {s.plan.id: s for s in old.plans}
    b = {s.plan.id: s for s in new.plans}
    changes = departments(old, new)
    for plan_id in sorted(a.keys() | b.keys()):
        changes += _Differ(plan_id, a.get(plan_id), b.get(plan_id)).run()
    return changes + bulletin_issues(old, new)


def bulletin_issues(old: Workspace, new: Workspace) -> list[Change]:
    """简报 added or removed, and a 简报 whose issue line moved (an earlier-dated one put before
    it takes its number): a reviewer must see that, as a published 期号 must not change."""
    from . import bulletins
    a, b = bulletins.issue_for(old), bulletins.issue_for(new)
    out = []
    for plan_id, doc_id in sorted(a.keys() | b.keys()):
        was, now = a.get((plan_id, doc_id)), b.get((plan_id, doc_id))
        if was is None and now is not None:
            out.append(Change("document-added", plan_id, doc_id, f"新增简报 {doc_id}：{now}", new=str(now)))
        elif now is None and was is not None:
            out.append(Change("document-removed", plan_id, doc_id, f"删除简报 {doc_id}：{was}", old=str(was)))
        elif was != now:
            out.append(Change("document-issue-changed", plan_id, doc_id,
                              f"简报 {doc_id} 期号：{was} → {now}（已印发的简报请在 issue: 中写明期号）",
                              str(was), str(now)))
    return out
