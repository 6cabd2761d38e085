"""Audit a rendered document against GB/T 9704-2012 and name the clause each deviation breaks.

PDF: page size, 版心 position, 22 lines a full page, 28 characters a full line, fonts
(no Latin or unknown fallback faces), page numbers (text, size, side, 7 mm below the
版心), the red organ mark, and the 版记 at the bottom of an even last page.
DOCX: page setup, line grid, East Asian fonts on every run, odd/even page-number footers.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path

from lxml import etree

from . import fidelity
from .check_bulletin import bulletin_findings, is_bulletin
from .errors import ConvertError, UsageError
from .pdfread import (
    BODY_BOTTOM_MM,
    BODY_W_MM,
    CELL_PT,
    LEFT_MM,
    LINE_PT,
    MM,
    PAGE_H_MM,
    PAGE_W_MM,
    TOP_MM,
    Char,
    Line,
    Page,
    read,
)
from .render.page import NO_START

TOL_MM = 1.0
ALLOWED_FACES = ("Fandol", "NotoSerifCJK", "FangSong", "仿宋", "SimHei", "黑体", "KaiTi", "楷体", "SimSun",
                 "宋体", "FZXiaoBiaoSong", "方正小标宋")
NO_LINE_START = NO_START | {"—"}  # the line breaker's set, and a dash never begins a line either


def _near(value: float, target: float, tol: float = TOL_MM) -> bool:
    return abs(value - target) <= tol


def hanging(line: Line, right_pt: float) -> bool:
    """A closing mark set past the right edge (标点溢出, as Word and WPS also do) is not
    one of the line's 28 characters."""
    last = line.chars[-1]
    return last.text in NO_LINE_START and last.x0 >= right_pt - 2


# what may start a line that the line breaker could not split: a number or Latin word,
# possibly behind an opening mark, and its unit
_UNIT = re.compile(r"[（《“‘]?[0-9A-Za-z.+%/-]+[年月日号期个项条%]?|[（《“‘][^（《“‘]")
_NUMBER = re.compile(r"[0-9A-Za-z.+%/-]+")


def leading_unit(line: Line) -> list[Char]:
    """What the line breaker had to move as one piece to the next line: a number or
    Latin word (with an opening mark and unit), or a character with the closing marks
    that may not start a line (避头尾) and a number that follows them."""
    text = line.text
    if text[1:2] in NO_LINE_START:
        end = 2
        while end < len(text) and text[end] in NO_LINE_START:
            end += 1
        m = _NUMBER.match(text, end)  # a number right after a closing mark stays with it
        return line.chars[: m.end() if m else end]
    m = _UNIT.match(text)
    end = len(m.group()) if m else 1
    while end < len(text) and text[end] in NO_LINE_START:  # and the closing marks after it
        end += 1
    return line.chars[:end]


def _landscape(page: Page) -> bool:
    return page.width > page.height


def _turned_number(page: Page) -> Line | None:
    """A landscape page's number: turned text along the left edge (clause 8)."""
    chars = sorted((c for ln in page.lines for c in ln.chars if not c.upright and c.x0 < 40 * MM),
                   key=lambda c: c.top)
    return Line(chars) if chars else None


def _page_number(page: Page) -> tuple[int, Line] | None:
    if _landscape(page):
        turned = _turned_number(page)
        lines = [turned] if turned else []
    else:
        lines = page.footer_lines
    for ln in lines:
        m = re.fullmatch(r"—(\d+)—", re.sub(r"\s+", "", ln.text))
        if m:
            return int(m.group(1)), ln
    return None


def audit_pdf(pdf: bytes) -> list[str]:
    return audit_pages(read(pdf))


def audit_pages(pages: list[Page], official: bool = True) -> list[str]:
    """All PDF rules, on pages already read. `official` False: a list or table without
    版头 and 版记 (only page, fonts and page numbers are checked)."""
    findings: list[str] = []
    if not pages:
        return ["the PDF has no pages"]
    left_pt, right_pt = LEFT_MM * MM, (LEFT_MM + BODY_W_MM) * MM
    for page in pages:
        n = page.number
        size = sorted((page.width / MM, page.height / MM))
        if not (_near(size[0], PAGE_W_MM) and _near(size[1], PAGE_H_MM)):
            findings.append(f"page {n}: size {page.width / MM:.0f}×{page.height / MM:.0f} mm is not A4 (5.2.1)")
        if _landscape(page):  # a table page turned sideways (clause 8): fonts only
            findings += _fonts(page)
            continue
        body = page.body_lines
        for ln in body:
            chars = ln.chars[:-1] if hanging(ln, right_pt) else ln.chars
            if not chars:
                continue
            if ln.x0 < left_pt - TOL_MM * MM:
                findings.append(f"page {n}: text starts {ln.x0 / MM:.1f} mm from the left edge, outside the "
                                f"版心 at {LEFT_MM:.0f} mm (5.2.2)")
                break
            last = chars[-1]
            # a CJK punctuation mark inks only the left half of its em box
            edge = (last.x0 + last.x1) / 2 if last.text in NO_LINE_START else last.x1
            if edge > right_pt + TOL_MM * MM:
                findings.append(f"page {n}: text reaches {edge / MM:.1f} mm, outside the 版心 right edge "
                                f"at {(LEFT_MM + BODY_W_MM):.0f} mm (5.2.2)")
                break
        if body and body[-1].bottom > BODY_BOTTOM_MM * MM + TOL_MM * MM:
            findings.append(f"page {n}: text ends {body[-1].bottom / MM:.1f} mm from the top, below the 版心 "
                            f"({BODY_BOTTOM_MM:.0f} mm) (5.2.2)")
        findings += _fonts(page)
        findings += _grid(page, pages, left_pt, right_pt)
    letter = official and is_letter(pages[0])
    numbers = _page_numbers(pages)
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
    if not _near(mark.top / MM, LETTER_MARK_MM, 1.5):
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
        if not (_near(x0 / MM, (210 - LETTER_RULE_MM) / 2, 1.5) and _near((x1 - x0) / MM, LETTER_RULE_MM, 2)):
            findings.append(f"page 1: the {name} double rule is {(x1 - x0) / MM:.0f} mm long, not a centred "
                            f"{LETTER_RULE_MM} mm (10.1)")
        if (w_top > w_bottom) != (order == "thick over thin"):
            findings.append(f"page 1: the {name} double rule is not {order} (10.1)")
    number = next((ln for ln in first.body_lines if re.search(r"〔\d{4}〕\d+号$", ln.text)), None)
    if number is None or not _near(number.x1 / MM, LEFT_MM + BODY_W_MM, 2):
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


def _fonts(page: Page) -> list[str]:
    bad: dict[str, set[str]] = {}
    for ln in page.lines:
        for c in ln.chars:
            if not any(face.lower() in c.font.lower() for face in ALLOWED_FACES):
                bad.setdefault(c.font, set()).add(c.text)
    return [f"page {page.number}: characters {''.join(sorted(chars))[:20]} set in fallback font {font} "
            f"(missing glyphs or a Latin face; 5.2.3)" for font, chars in sorted(bad.items())]


CELL_SIZE = 12  # pt: the 小四 of a table in the body (render/table_docx.py CELL_PT)


def _is_body(ln: Line) -> bool:
    return abs(ln.size - 16) < 0.5


def is_full_page(page: Page, pages: list[Page], right_pt: float) -> bool:
    """A body page whose last paragraph goes on at the top of the next page (last line to
    the right edge, next page starting without the paragraph indent): every grid line of
    it must be used."""
    body = page.body_lines
    if not (1 < page.number < len(pages) and body and all(_is_body(ln) for ln in body)):
        return False
    following = pages[page.number].body_lines  # pages are numbered from 1
    continues = bool(following) and following[0].x0 < LEFT_MM * MM + CELL_PT / 2
    return body[-1].x1 >= right_pt - CELL_PT and continues


def _grid(page: Page, pages: list[Page], left_pt: float, right_pt: float) -> list[str]:
    """22 lines on a full page; 28 characters on a full line (5.2.3)."""
    findings = []
    body = [ln for ln in page.body_lines if _is_body(ln)]
    # a table's rows (小四, CELL_SIZE) are not lines of the grid
    gridded = [ln for ln in page.body_lines if abs(ln.size - CELL_SIZE) >= 0.5]
    if len(gridded) > 22:
        findings.append(f"page {page.number}: {len(gridded)} lines, more than 22 (5.2.3)")
    full_page = is_full_page(page, pages, right_pt)
    if full_page and len(body) != 22:
        findings.append(f"page {page.number}: a full page with {len(body)} lines, not 22 (5.2.3)")
    if full_page and len(body) > 1:
        pitch = (body[-1].bottom - body[0].bottom) / (len(body) - 1)
        if abs(pitch - LINE_PT) > 0.3:
            findings.append(f"page {page.number}: line pitch {pitch:.2f} pt, not {LINE_PT:.2f} pt (5.2.3)")
    for i, ln in enumerate(body[:-1]):
        if ln.x1 < right_pt - CELL_PT:  # last line of a paragraph, or not justified
            continue
        if ln.x0 > left_pt + 2.5 * CELL_PT:  # a list line set deeper than the paragraph indent
            continue
        if "签发人" in ln.text or _tabbed(ln):  # two parts of one line (发文字号 and 签发人, 7.2.5;
            continue                             # a 简报's 编印单位 and date), not a full line
        chars = ln.chars[:-1] if hanging(ln, right_pt) else ln.chars
        # natural advances (justification moves glyphs, it does not widen them), with the
        # −0.25 pt spacing every character carries
        used = (chars[0].x0 - left_pt) + sum(c.x1 - c.x0 - 0.25 for c in chars) + _tab_gaps(chars)
        room = (right_pt - left_pt) - used
        nxt = body[i + 1]
        unit = leading_unit(nxt)
        # 1.5 pt: LibreOffice lays out in twips, rounding adds up along a line
        if room >= sum(c.x1 - c.x0 - 0.25 for c in unit) + 1.5:
            total = round((used / CELL_PT) * 2) / 2
            findings.append(f"page {page.number}: line “{ln.text[:10]}…” ends after {total:g} of 28 characters "
                            f"although “{''.join(c.text for c in unit)}” would fit (5.2.3)")
    return findings


def _tab_gaps(chars: list[Char]) -> float:
    """Room a tab takes inside a line (附件说明: “1.” then a tab to the name's column): gaps
    of more than half a character, which justification never opens between two glyphs."""
    return sum(gap for a, b in itertools.pairwise(chars) if (gap := b.x0 - a.x1) > CELL_PT / 2)


def _tabbed(ln: Line) -> bool:
    """A line whose parts stand apart (set with a tab): a gap wider than two characters."""
    return any(b.x0 - a.x1 > 2 * CELL_PT for a, b in zip(ln.chars, ln.chars[1:], strict=False))


def _page_numbers(pages: list[Page]) -> list[str]:
    """— N — in 4号, 7 mm below the 版心, odd right / even left one character in (7.5)."""
    findings = []
    unnumbered_tail = 0
    for page in pages:
        found = _page_number(page)
        if found is None:
            if page.number >= len(pages) - 1:
                unnumbered_tail += 1
                continue
            findings.append(f"page {page.number}: no page number “— {page.number} —” (7.5)")
            continue
        value, ln = found
        if _landscape(page):  # clause 8: where a portrait page has it, turned with the page
            if value != page.number:
                findings.append(f"page {page.number}: page number reads {value} (7.5)")
            one = 14 / MM
            across = (ln.x0 / MM, ln.x1 / MM)
            if not (20 <= across[0] and across[1] <= 30):
                findings.append(f"page {page.number}: turned page number not 7 mm beyond the 版心 (8)")
            if page.number % 2 and not _near(ln.bottom / MM, LEFT_MM + BODY_W_MM - one, 2):
                findings.append(f"page {page.number}: turned odd page number not one character in (8)")
            if not page.number % 2 and not _near(ln.top / MM, LEFT_MM + one, 2):
                findings.append(f"page {page.number}: turned even page number not one character in (8)")
            continue
        if value != page.number:
            findings.append(f"page {page.number}: page number reads {value} (7.5)")
        if abs(ln.size - 14) > 0.5:
            findings.append(f"page {page.number}: page number in {ln.size:.0f} pt, not 4号 14 pt (7.5)")
        below = ln.top / MM - BODY_BOTTOM_MM
        if not 5.5 <= below <= 8.5:
            findings.append(f"page {page.number}: page number {below:.1f} mm below the 版心, not 7 mm (7.5)")
        one = 14 / MM
        if page.number % 2:
            if not _near(ln.x1 / MM, LEFT_MM + BODY_W_MM - one, 1.5):
                findings.append(f"page {page.number}: odd page number not right-aligned one character in (7.5)")
        elif not _near(ln.x0 / MM, LEFT_MM + one, 1.5):
            findings.append(f"page {page.number}: even page number not left-aligned one character in (7.5)")
    if unnumbered_tail == 1 and len(pages) > 1 and _page_number(pages[-2]) is not None \
            and _page_number(pages[-1]) is None and not _has_colophon(pages[-1]):
        findings.append(f"page {len(pages)}: no page number (7.5)")
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


def _has_colophon(page: Page) -> bool:
    return any(ln.text.endswith("印发") for ln in page.lines)


def _colophon(pages: list[Page]) -> list[str]:
    """版记 on the last page, an even page, its last rule on the bottom of the 版心 (7.4)."""
    holder = [p for p in pages if _has_colophon(p)]
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
    elif not _near(rules[-1].y / MM, BODY_BOTTOM_MM, 3):
        findings.append(f"page {page.number}: the last 版记 rule is at {rules[-1].y / MM:.1f} mm, not on the "
                        f"bottom of the 版心 ({BODY_BOTTOM_MM:.0f} mm) (7.4.1)")
    return findings


# ---------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _twips_mm(value: str | None) -> float:
    return int(value or 0) / 20 / MM


def audit_docx(data: bytes) -> list[str]:
    findings: list[str] = []
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        document = etree.fromstring(package.read("word/document.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        return [f"not a readable DOCX package: {exc}"]
    for i, sect in enumerate(document.iter(f"{{{W}}}sectPr"), 1):
        size = sect.find("w:pgSz", NS)
        margins = sect.find("w:pgMar", NS)
        if size is None or margins is None:
            findings.append(f"section {i}: no page size or margins (5.2.1)")
            continue
        width, height = _twips_mm(size.get(f"{{{W}}}w")), _twips_mm(size.get(f"{{{W}}}h"))
        if not (_near(min(width, height), 210) and _near(max(width, height), 297)):
            findings.append(f"section {i}: page is not A4 (5.2.1)")
        # a landscape table section has the 版心 turned, the binding side on top (clause 8)
        turned = width > height
        sides = (("top", 28), ("left", 37), ("bottom", 26), ("right", 35)) if turned else (
            ("top", 37), ("left", 28), ("bottom", 35), ("right", 26))
        for side, target in sides:
            value = _twips_mm(margins.get(f"{{{W}}}{side}"))
            if not _near(value, target):
                findings.append(f"section {i}: {side} margin {value:.1f} mm, not {target} mm (5.2.2)")
        grid = sect.find("w:docGrid", NS)
        if grid is None or grid.get(f"{{{W}}}linePitch") != "579":
            findings.append(f"section {i}: no 22-line grid (w:docGrid linePitch 579) (5.2.3)")
    for run in document.iter(f"{{{W}}}r"):
        if run.find("w:t", NS) is None:
            continue
        fonts = run.find("w:rPr/w:rFonts", NS)
        if fonts is None or not fonts.get(f"{{{W}}}eastAsia"):
            text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
            findings.append(f"run “{text[:10]}” has no East Asian font (w:eastAsia) (5.2.3)")
            break
    if settings.find("w:evenAndOddHeaders", NS) is None:
        findings.append("odd and even pages share one footer; page numbers cannot alternate sides (7.5)")
    footers = [n for n in package.namelist() if n.startswith("word/footer")]
    if not any(b"PAGE" in package.read(n) for n in footers):
        findings.append("no page-number field in any footer (7.5)")
    from .ooxml import validate_docx  # Word, unlike LibreOffice, repairs a package the schemas reject
    findings.extend(validate_docx(data))
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF"):
            return ["not a PDF file"]
        try:
            pages = read(data)
        except ConvertError as exc:
            return [str(exc)]
        return _lost_text(path.with_suffix(".docx"), pages) + audit_pages(pages, official)
    if path.suffix.lower() == ".docx":
        return audit_docx(data)
    raise UsageError(f"{path}: fawen check reads .pdf and .docx files")
