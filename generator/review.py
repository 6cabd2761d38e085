"""Typed changes → what a reviewer reads: terminal text, Markdown for a pull request,
a self-contained HTML page, or JSON for machines."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

from .diff import Change, category

ORDER = ["部门", "方案", "章节", "任务分组", "任务", "具体措施", "进度安排", "发文", "正文", "进展", "其他"]


def _groups(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    by: dict[str, list[Change]] = {}
    for c in changes:
        by.setdefault(category(c.kind), []).append(c)
    return [(name, by[name]) for name in ORDER if name in by]


def _sign(kind: str) -> str:
    if kind.endswith("-added"):
        return "+"
    if kind.endswith("-removed"):
        return "-"
    return "~"


def counts(changes: list[Change]) -> dict[str, int]:
    c = Counter(_sign(x.kind) for x in changes)
    return {"added": c["+"], "removed": c["-"], "changed": c["~"], "total": len(changes)}


def text(changes: list[Change], color: bool = False) -> str:
    if not changes:
        return "no changes\n"
    paint = {"+": "\033[32m", "-": "\033[31m", "~": "\033[33m"}
    out = []
    n = counts(changes)
    noun = "change" if n["total"] == 1 else "changes"
    out.append(f"{n['total']} {noun}: {n['added']} added, {n['removed']} removed, {n['changed']} changed")
    for name, items in _groups(changes):
        out.append(f"\n{name}")
        for c in items:
            line = f"  {_sign(c.kind)} [{c.plan or '名录'}] {c.summary}"
            if color:
                summary = re.sub(r"\[-(.*?)-\]", "\033[31;9m\\1\033[0m", c.summary)
                summary = re.sub(r"\{\+(.*?)\+\}", "\033[32;4m\\1\033[0m", summary)
                line = f"  {paint[_sign(c.kind)]}{_sign(c.kind)}\033[0m [{c.plan or '名录'}] {summary}"
            out.append(line)
    return "\n".join(out) + "\n"


def _md_inline(summary: str) -> str:
    escaped = summary.replace("|", "\\|")
    escaped = re.sub(r"\[-(.*?)-\]", r"~~\1~~", escaped)
    return re.sub(r"\{\+(.*?)\+\}", r"**\1**", escaped)


def markdown(changes: list[Change]) -> str:
    n = counts(changes)
    out = ["## 方案变更（fawen diff）", ""]
    if not changes:
        return "\n".join([*out, "没有变更。", ""])
    out += ["| 新增 | 删除 | 修改 | 合计 |", "|---:|---:|---:|---:|",
            f"| {n['added']} | {n['removed']} | {n['changed']} | {n['total']} |", ""]
    for name, items in _groups(changes):
        out.append(f"### {name}（{len(items)}）")
        out.append("")
        out += [f"- `{_sign(c.kind)}` **{c.plan or '部门名录'}** {_md_inline(c.summary)}" for c in items]
        out.append("")
    return "\n".join(out)


def _html_inline(summary: str) -> str:
    escaped = html.escape(summary)
    escaped = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", escaped)
    return re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", escaped)


def html_page(changes: list[Change], title: str = "方案变更") -> str:
    n = counts(changes)
    rows = []
    for name, items in _groups(changes):
        rows.append(f"<h2>{html.escape(name)}（{len(items)}）</h2><ul>")
        rows += [f'<li class="k{"arc"["+-~".index(_sign(c.kind))]}"><code>{html.escape(c.kind)}</code> '
                 f"<b>{html.escape(c.plan or '部门名录')}</b> {_html_inline(c.summary)}</li>" for c in items]
        rows.append("</ul>")
    body = "\n".join(rows) if changes else "<p>没有变更。</p>"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60em;margin:2em auto;line-height:1.6}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .8em;text-align:right}}
ins{{background:#d4f7d4;text-decoration:none}}del{{background:#f7d4d4}}
li.ka{{list-style:"+ "}}li.kr{{list-style:"− "}}li.kc{{list-style:"~ "}}code{{color:#666;font-size:.8em}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<table><tr><th>新增</th><th>删除</th><th>修改</th><th>合计</th></tr>
<tr><td>{n['added']}</td><td>{n['removed']}</td><td>{n['changed']}</td><td>{n['total']}</td></tr></table>
{body}
</body></html>
"""


def as_json(changes: list[Change]) -> str:
    return json.dumps({"counts": counts(changes), "changes": [c.to_json() for c in changes]},
                      ensure_ascii=False, indent=2) + "\n"
