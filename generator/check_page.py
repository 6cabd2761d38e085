"""The rules every page of a rendered PDF is audited for, 公文 or table: A4, the 版心, fonts
(no Latin or unknown fallback faces), the 22-line grid with 28 characters a full line, and
page numbers (text, size, side, 7 mm below the 版心; turned along the edge of a landscape
page). The parts of a 公文 (版头, 署名, 版记) are check.py's.
"""

from __future__ import annotations

import itertools
import re

from .pdfread import (
    BODY_BOTTOM_MM,
    BODY_W_MM,
    CELL_PT,
    LEFT_MM,
    LINE_PT,
    MM,
    PAGE_H_MM,
    PAGE_W_MM,
    Char,
    Line,
    Page,
)
from .render.page import NO_START

TOL_MM = 1.0
ALLOWED_FACES = ("Fandol", "NotoSerifCJK", "FangSong", "仿宋", "SimHei", "黑体", "KaiTi", "楷体", "SimSun",
                 "宋体", "FZXiaoBiaoSong", "方正小标宋")
NO_LINE_START = NO_START | {"—"}  # the line breaker's set, and a dash never begins a line either


def near(value: float, target: float, tol: float = TOL_MM) -> bool:
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


def landscape(page: Page) -> bool:
    return page.width > page.height


def turned_number(page: Page) -> Line | None:
    """A landscape page's number: turned text along the left edge (clause 8)."""
    chars = sorted((c for ln in page.lines for c in ln.chars if not c.upright and c.x0 < 40 * MM),
                   key=lambda c: c.top)
    return Line(chars) if chars else None


def page_number(page: Page) -> tuple[int, Line] | None:
    if landscape(page):
        turned = turned_number(page)
        lines = [turned] if turned else []
    else:
        lines = page.footer_lines
    for ln in lines:
        m = re.fullmatch(r"—(\d+)—", re.sub(r"\s+", "", ln.text))
        if m:
            return int(m.group(1)), ln
    return None


def page_findings(pages: list[Page]) -> list[str]:
    """Size, 版心, fonts and grid of every page: what any page is checked for, a table's too."""
    findings: list[str] = []
    left_pt, right_pt = LEFT_MM * MM, (LEFT_MM + BODY_W_MM) * MM
    for page in pages:
        n = page.number
        size = sorted((page.width / MM, page.height / MM))
        if not (near(size[0], PAGE_W_MM) and near(size[1], PAGE_H_MM)):
            findings.append(f"page {n}: size {page.width / MM:.0f}×{page.height / MM:.0f} mm is not A4 (5.2.1)")
        if landscape(page):  # a table page turned sideways (clause 8): fonts only
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


def has_colophon(page: Page) -> bool:
    return any(ln.text.endswith("印发") for ln in page.lines)


def page_numbers(pages: list[Page]) -> list[str]:
    """— N — in 4号, 7 mm below the 版心, odd right / even left one character in (7.5)."""
    findings = []
    unnumbered_tail = 0
    for page in pages:
        found = page_number(page)
        if found is None:
            if page.number >= len(pages) - 1:
                unnumbered_tail += 1
                continue
            findings.append(f"page {page.number}: no page number “— {page.number} —” (7.5)")
            continue
        value, ln = found
        if landscape(page):  # clause 8: where a portrait page has it, turned with the page
            if value != page.number:
                findings.append(f"page {page.number}: page number reads {value} (7.5)")
            one = 14 / MM
            across = (ln.x0 / MM, ln.x1 / MM)
            if not (20 <= across[0] and across[1] <= 30):
                findings.append(f"page {page.number}: turned page number not 7 mm beyond the 版心 (8)")
            if page.number % 2 and not near(ln.bottom / MM, LEFT_MM + BODY_W_MM - one, 2):
                findings.append(f"page {page.number}: turned odd page number not one character in (8)")
            if not page.number % 2 and not near(ln.top / MM, LEFT_MM + one, 2):
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
            if not near(ln.x1 / MM, LEFT_MM + BODY_W_MM - one, 1.5):
                findings.append(f"page {page.number}: odd page number not right-aligned one character in (7.5)")
        elif not near(ln.x0 / MM, LEFT_MM + one, 1.5):
            findings.append(f"page {page.number}: even page number not left-aligned one character in (7.5)")
    if unnumbered_tail == 1 and len(pages) > 1 and page_number(pages[-2]) is not None \
            and page_number(pages[-1]) is None and not has_colophon(pages[-1]):
        findings.append(f"page {len(pages)}: no page number (7.5)")
    return findings
