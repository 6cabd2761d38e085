"""Audit a rendered document against GB/T 9704-2012 and name the clause each deviation breaks.

PDF: the rules of every page (check_page.py: page size, 版心 position, 22 lines a full
page, 28 characters a full line, fonts, page numbers), then the parts of a 公文 here: the
red organ mark, 信函格式, 纪要, 上行文, 署名 and 成文日期, and the 版记 at the bottom of an
even last page (a 简报's own head and end: check_bulletin.py).
DOCX: page setup, line grid, East Asian fonts on every run, odd/even page-number footers
(check_docx.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from . import fidelity
from .check_bulletin import bulletin_findings, is_bulletin
from .check_docx import audit_docx
from .check_page import (
    ALLOWED_FACES,
    CELL_SIZE,
    NO_LINE_START,
    TOL_MM,
    hanging,
    has_colophon,
    is_full_page,
    leading_unit,
    near,
    page_findings,
    page_numbers,
)
from .check_page import page_number as _page_number
from .check_page import turned_number as _turned_number
from .errors import ConvertError, UsageError
from .pdfread import BODY_BOTTOM_MM, BODY_W_MM, LEFT_MM, MM, TOP_MM, Line, Page, read

__all__ = [  # what callers have always imported from here
    "ALLOWED_FACES",
    "CELL_SIZE",
    "DATE_LINE",
    "NO_LINE_START",
    "TOL_MM",
    "_page_number",
    "_turned_number",
    "audit",
    "audit_docx",
    "audit_pages",
    "audit_pdf",
    "audit_report",
    "hanging",
    "is_bulletin",
    "is_full_page",
    "is_letter",
    "leading_unit",
    "signature_alone",
]


def audit_pdf(pdf: bytes) -> list[str]:
    return audit_pages(read(pdf))


def audit_pages(pages: list[Page], official: bool = True) -> list[str]:
    """All PDF rules, on pages already read. `official` False: a list or table without
    版头 and 版记 (only page, fonts and page numbers are checked)."""
    if not pages:
        return ["the PDF has no pages"]
    findings = page_findings(pages)
    letter = official and is_letter(pages[0])
    numbers = page_numbers(pages)
    if letter:  # 信函格式: page 1 carries no page number (10.1)
        numbers = [f for f in numbers if not f.startswith("page 1: ")]
    findings += numbers
    if not official:
        return findings
    if is_bulletin(pages[0]):  # 简报: its own head and end, no 版头, 署名 or 版记
        return findings + bulletin_findings(pages)
    if letter:
        findings += _letter(pages)
    else:
        findings += _mark(pages[0])
    alone = signature_alone(pages)
    if alone is not None:
        findings.append(f"page {alone}: 署名 and 成文日期 stand on a page without body text (7.3.5)")
    if not letter:  # a letter's 版记 has no 印发机关, 印发日期 or rules (10.1)
        findings += _colophon(pages)
    findings += _upward(pages)
    findings += _minutes(pages)
    return findings


LETTER_MARK_MM, LETTER_RULE_MM, LETTER_BOTTOM_MM = 30, 170, 297 - 20


def is_letter(first: Page) -> bool:
    """信函格式: the red organ mark stands above the 版心, 30 mm from the top edge of the page."""
    red = [ln for ln in first.lines if _red(ln)]
    return bool(red) and red[0].top / MM < TOP_MM - 2


def _letter(pages: list[Page]) -> list[str]:
    """信函格式 (10.1): the mark 30 mm from the top edge; red double rules 170 mm long, centred,
    thick over thin under the mark and thin over thick 20 mm above the bottom edge; the 发文字号
    at the right edge of the 版心 under the upper rule; no page number on page 1."""
    first = pages[0]
    findings = []
    mark = next(ln for ln in first.lines if _red(ln))
    if not near(mark.top / MM, LETTER_MARK_MM, 1.5):
        findings.append(f"page 1: 发文机关标志 top edge {mark.top / MM:.1f} mm from the top of the page, not "
                        f"{LETTER_MARK_MM} mm (10.1)")
    red = [r for r in first.rules if r.color and r.color[0] > 0.8 and r.color[1] < 0.2]
    for name, where, order in (("upper", (mark.bottom / MM, mark.bottom / MM + 12), "thick over thin"),
                               ("lower", (LETTER_BOTTOM_MM - 2, LETTER_BOTTOM_MM + 2), "thin over thick")):
        pair = sorted({(round(r.y, 1), r.width, r.x0, r.x1) for r in red if where[0] <= r.y / MM <= where[1]})
        if len(pair) < 2:
            findings.append(f"page 1: no red double rule at the {name} edge (10.1)")
            continue
        (_, w_top, x0, x1), (_, w_bottom, _, _) = pair[0], pair[-1]
        if not (near(x0 / MM, (210 - LETTER_RULE_MM) / 2, 1.5) and near((x1 - x0) / MM, LETTER_RULE_MM, 2)):
            findings.append(f"page 1: the {name} double rule is {(x1 - x0) / MM:.0f} mm long, not a centred "
                            f"{LETTER_RULE_MM} mm (10.1)")
        if (w_top > w_bottom) != (order == "thick over thin"):
            findings.append(f"page 1: the {name} double rule is not {order} (10.1)")
    number = next((ln for ln in first.body_lines if re.search(r"〔\d{4}〕\d+号$", ln.text)), None)
    if number is None or not near(number.x1 / MM, LEFT_MM + BODY_W_MM, 2):
        findings.append("page 1: the 发文字号 does not stand at the right edge of the 版心 (10.1)")
    if _page_number(first) is not None:
        findings.append("page 1: a letter carries no page number on its first page (10.1)")
    return findings


ATTENDANCE = re.compile(r"(出席|请假|列席)：")


def _minutes(pages: list[Page]) -> list[str]:
    """纪要 (10.3): a red mark ending in 纪要; 出席/请假/列席 with the label in 黑体, the names in 仿宋."""
    red = [ln for ln in pages[0].lines if _red(ln)]
    if not red or not red[0].text.endswith("纪要"):
        return []
    findings = []
    for page in pages:
        for ln in page.body_lines:
            if not (m := ATTENDANCE.match(ln.text)):
                continue
            label, names = ln.chars[:2], ln.chars[3:]
            if not all("hei" in c.font.lower() for c in label):
                findings.append(f"page {page.number}: “{m.group(1)}” not in 黑体 (10.3)")
            if names and not all("fang" in c.font.lower() for c in names):
                findings.append(f"page {page.number}: the names after “{m.group(1)}：” not in 仿宋 (10.3)")
    return findings


def _red(ln: Line) -> bool:
    color = ln.chars[0].color
    return bool(color and len(color) >= 3 and color[0] > 0.8 and color[1] < 0.2 and color[2] < 0.2)


def _upward(pages: list[Page]) -> list[str]:
    """上行文 (a title ending 的请示 or 的报告): 签发人 in the 版头 (7.2.5); a 请示 names its contact
    person and phone in the 附注 below the 成文日期 (7.3.6)."""
    first = pages[0].body_lines
    title = "".join(ln.text for ln in first if abs(ln.size - 22) < 0.5)
    kind = "请示" if title.endswith("的请示") else "报告" if title.endswith("的报告") else None
    if kind is None:
        return []
    findings = []
    if not any("签发人：" in ln.text for ln in first):
        findings.append(f"page 1: a {kind} (上行文) without 签发人 in the 版头 (7.2.5)")
    if kind == "请示":
        lines = [ln.text for p in pages for ln in p.body_lines]
        dated = next((i for i, t in enumerate(lines) if DATE_LINE.fullmatch(t)), None)
        after = "".join(lines[dated + 1:]) if dated is not None else ""
        if not re.search(r"（[^）]*联系人：[^）]*联系电话：", after):
            findings.append("a 请示 without its contact person and phone in the 附注 below the 成文日期 (7.3.6)")
    return findings


def _mark(first: Page) -> list[str]:
    red = [ln for ln in first.lines if ln.chars[0].color and len(ln.chars[0].color) >= 3
           and ln.chars[0].color[0] > 0.8 and ln.chars[0].color[1] < 0.2 and ln.chars[0].color[2] < 0.2]
    if not red:
        return ["page 1: no red 发文机关标志 (7.2.4)"]
    top = red[0].top / MM - TOP_MM
    findings = []
    if not 33 <= top <= 37:
        findings.append(f"page 1: 发文机关标志 top edge {top:.1f} mm below the 版心 top, not 35 mm (7.2.4)")
    if not any(r.color and r.color[0] > 0.8 and r.color[1] < 0.2 for r in first.rules):
        findings.append("page 1: no red separator rule under the 发文字号 (7.2.6)")
    return findings


DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def signature_alone(pages: list[Page]) -> int | None:
    """The page on which 成文日期 (with its 署名) stands without body text above it, if any."""
    for page in pages:
        body = page.body_lines
        for i, ln in enumerate(body):
            if DATE_LINE.fullmatch(ln.text) and ln.x1 > (LEFT_MM + BODY_W_MM / 2) * MM:
                return page.number if i <= 1 else None  # nothing, or only the 署名, above it
    return None


def _colophon(pages: list[Page]) -> list[str]:
    """版记 on the last page, an even page, its last rule on the bottom of the 版心 (7.4)."""
    holder = [p for p in pages if has_colophon(p)]
    if not holder:
        return ["no 版记 (印发机关 and 印发日期) found (7.4)"]
    page = holder[-1]
    findings = []
    if page.number != len(pages):
        findings.append(f"版记 on page {page.number}, not on the last page {len(pages)} (7.4)")
    if len(pages) % 2:
        findings.append(f"the last page ({len(pages)}) is odd; the 版记 page must be even (7.4)")
    rules = sorted(page.rules, key=lambda r: r.y)
    if not rules:
        findings.append(f"page {page.number}: 版记 has no rules (7.4.1)")
    elif not near(rules[-1].y / MM, BODY_BOTTOM_MM, 3):
        findings.append(f"page {page.number}: the last 版记 rule is at {rules[-1].y / MM:.1f} mm, not on the "
                        f"bottom of the 版心 ({BODY_BOTTOM_MM:.0f} mm) (7.4.1)")
    return findings


def _lost_text(docx: Path, pages: list[Page]) -> list[str]:
    """With the DOCX beside the PDF: each piece of its text the PDF does not carry."""
    try:
        data = docx.read_bytes()
        lost = fidelity.losses(data, pages)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []  # no DOCX beside it (or not one fawen can read): nothing to compare
    return [f"{loss} — text of {docx.name} missing from the PDF (every character must reach the page)"
            for loss in lost]


def audit(path: Path, official: bool = True) -> list[str]:
    return audit_report(path, official)[0]


DOCX_CHECKED = ("page set-up, line grid, East Asian fonts, page-number footers, "
                "ISO/IEC 29500 schemas and package (opens in Word without repair)")


def audit_report(path: Path, official: bool = True) -> tuple[list[str], str]:
    """The findings on a PDF or DOCX, and what was checked (for `fawen check` to say when there
    are none): a 简报 is audited as one, the PDF against the DOCX beside it when there is one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF"):
            return ["not a PDF file"], ""
        try:
            pages = read(data)
        except ConvertError as exc:
            return [str(exc)], ""
        docx = path.with_suffix(".docx")
        checked = "page, grid, fonts, page numbers" + (
            "" if not official else ", 简报 name, issue line, red rule, 报/送/发 lines" if is_bulletin(pages[0])
            else ", 版头, 署名, 版记")
        if docx.is_file():
            checked += f", every character of {docx.name}"
        return _lost_text(docx, pages) + audit_pages(pages, official), checked
    if path.suffix.lower() == ".docx":
        return audit_docx(data), DOCX_CHECKED
    raise UsageError(f"{path}: fawen check reads .pdf and .docx files")
