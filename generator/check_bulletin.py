"""The 简报 audit (`fawen check`): a bulletin is not a 公文 with a 版头 and a 版记, so check.py
hands it here once it recognises one (is_bulletin) and demands none of those.

On the GB/T 9704 page a 简报 is conventionally set with the red bulletin name centred in the
upper part of the 版心 and the issue line centred under it, the 编印单位 flush left and the
date flush right on one line over a red rule across the 版心, and the 报/送/发 lines at the
end between black rules. Page, grid, fonts and page numbers are check.py's, as for any page.
"""

from __future__ import annotations

import re

from .pdfread import BODY_W_MM, LEFT_MM, MM, TOP_MM, Line, Page

DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _near(value: float, target: float, tol: float = 1.0) -> bool:
    return abs(value - target) <= tol


def _red(ln: Line) -> bool:
    color = ln.chars[0].color
    return bool(color and len(color) >= 3 and color[0] > 0.8 and color[1] < 0.2 and color[2] < 0.2)


ISSUE_LINE = re.compile(r"\d{4}年第[1-9]\d*期(（总第[1-9]\d*期）)?")
BULLETIN_END = re.compile(r"(报|送|发)：")


def is_bulletin(first: Page) -> bool:
    """简报: a red name ending in 简报 at the top of page 1, an issue line (2021年第9期) under it."""
    lines = first.body_lines
    red = next((i for i, ln in enumerate(lines) if _red(ln)), None)
    return (red is not None and lines[red].text.endswith("简报") and red + 1 < len(lines)
            and ISSUE_LINE.fullmatch(lines[red + 1].text) is not None)


def _centred(ln: Line) -> bool:
    middle = (ln.x0 + ln.x1) / 2 / MM
    return _near(middle, LEFT_MM + BODY_W_MM / 2, 2.5)


def bulletin_findings(pages: list[Page]) -> list[str]:
    """简报 (conventional, on the GB/T 9704 page): the red name centred in the upper part of the
    版心 with the issue line centred under it; 编印单位 flush left and the date flush right on
    one line over a red rule the width of the 版心; the 报/送/发 lines at the end between
    black rules, inside the 版心 of the last page."""
    first = pages[0]
    lines = first.body_lines
    findings = []
    i = next(k for k, ln in enumerate(lines) if _red(ln))
    name, issue = lines[i], lines[i + 1]
    if name.top / MM - TOP_MM > 60:
        findings.append(f"page 1: the 简报 name stands {name.top / MM - TOP_MM:.1f} mm below the 版心 top, "
                        "not in its upper part")
    if name.size < 22 - 0.5:
        findings.append(f"page 1: the 简报 name in {name.size:.0f} pt, smaller than 2号 (22 pt)")
    for what, ln in (("the 简报 name", name), ("the issue line", issue)):
        if not _centred(ln):
            findings.append(f"page 1: {what} is not centred in the 版心")
    red_rules = sorted((r for r in first.rules if r.color and r.color[0] > 0.8 and r.color[1] < 0.2),
                       key=lambda r: r.y)
    if not red_rules:
        findings.append("page 1: no red rule under the 编印单位 and date")
    else:
        rule = red_rules[0]
        if not (_near(rule.x0 / MM, LEFT_MM, 2) and _near(rule.x1 / MM, LEFT_MM + BODY_W_MM, 2)):
            findings.append(f"page 1: the red rule runs {rule.x0 / MM:.1f}–{rule.x1 / MM:.1f} mm, not across the "
                            f"版心 ({LEFT_MM:.0f}–{LEFT_MM + BODY_W_MM:.0f} mm)")
        above = [ln for ln in lines if ln.bottom <= rule.y and ln.top > issue.bottom - 1]
        byline = above[-1] if above else None
        if byline is None or not DATE_LINE.search(byline.text) or not _near(byline.x1 / MM, LEFT_MM + BODY_W_MM, 6):
            findings.append("page 1: no 编印单位 and date (flush right) on the line over the red rule")
    last = pages[-1]
    ends = [ln for ln in last.body_lines if BULLETIN_END.match(ln.text)]
    elsewhere = [p.number for p in pages[:-1] for ln in p.body_lines if BULLETIN_END.match(ln.text)
                 or ln.text.startswith("（共印")]
    if elsewhere or (ends and not any(ln.text.startswith("（共印") for ln in last.body_lines)
                     and any(ln.text.startswith("（共印") for p in pages for ln in p.body_lines)):
        findings.append(f"page {(elsewhere or [last.number])[0]}: the 报/送/发 lines do not stand together "
                        "on the last page")
    if ends:
        black = [r for r in last.rules if not (r.color and r.color[0] > 0.8 and r.color[1] < 0.2)]
        if not any(r.y < ends[0].top for r in black) or not any(r.y > ends[-1].bottom for r in black):
            findings.append(f"page {last.number}: the 报/送/发 lines are not between rules")
    return findings
