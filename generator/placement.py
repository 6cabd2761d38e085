"""Where things fall on the pages, counted before LibreOffice lays a document out and read
off its PDF after: whether 署名 and 成文日期 would stand alone (7.3.5), where the 版记 goes
(7.4), and where a PDF's own text ends.

The counts follow the layout render/ makes (22 grid lines of 28 characters, headings kept
with what follows, table rows as table_docx counts them); the PDF has the last word, and a
wrong count costs one more conversion, never a wrong page.
"""

from __future__ import annotations

import math

from . import layout, pdfread
from .render.body import KEPT_WITH_NEXT
from .render.colophon import Placement, place_colophon
from .render.page import BODY_H_PT, LINE, lines_needed

HEAD_LINES = 11  # grid lines the 版头 takes on page 1 (measured: the title starts on line 12)
SIGNATURE_ROLES = ("seal-space", "signature", "signature-seal", "date", "date-seal", "annotation")


def _lines(b: layout.Block) -> int:
    if b.role == "title":
        return len(b.lines)
    if b.role == "table":  # rows of 小四 (about 0.55 of a grid line each) and the rules
        return math.ceil(len(b.rows) * 0.6) + 1
    indent = 2 if b.role in ("body", "h1", "h2", "annotation", "attachment-note", "attendance") else 0
    return lines_needed(b.text, indent)


def estimate_signature_alone(lay: layout.Layout) -> bool:
    """Would 署名 and 成文日期 (kept together with the seal room and 附注) be pushed onto a
    page without body text? Counted in the notice's own line pitch."""
    pitch = lay.first_part_pitch or LINE
    capacity = int(BODY_H_PT * 20 // pitch)
    used = HEAD_LINES * LINE / pitch if lay.head else 0.0
    group = 0
    for b in lay.blocks:
        if b.role == "page-break":
            break
        if b.role in SIGNATURE_ROLES:
            group += _lines(b)
        else:
            used += _lines(b)
    on_page = used - capacity * math.floor(max(used - 0.01, 0) / capacity)
    return on_page + group > capacity


def estimate_placement(lay: layout.Layout) -> Placement:
    """Count grid lines (and table rows) to guess the last page's room; the PDF checks it."""
    done, lines = 0, HEAD_LINES if lay.head else 0  # pages filled before the current run; its lines
    landscape = False
    first = True
    kept = 0  # lines of headings waiting for the paragraph they are kept with
    for b in lay.blocks:
        if b.role == "page-break":
            lines += kept
            kept = 0
            if first and lay.first_part_pitch:  # the notice itself, 版头 too, in its tighter lines
                done += math.ceil(lines / int(BODY_H_PT * 20 // lay.first_part_pitch))
            else:
                done += math.ceil(lines / 22) if lines else 1
            first = False
            lines = 0
            continue
        if b.role in KEPT_WITH_NEXT:
            kept += _lines(b)
            continue
        if kept:  # headings never end a page: with no room for a line after them, they move down
            on_page = lines % 22
            if on_page and on_page + kept + 1 > 22:
                lines += 22 - on_page
            lines += kept
            kept = 0
        lines += _lines(b)
    lines += kept
    for appendix in lay.appendices:  # each on a page of its own
        done += math.ceil(lines / 22) if lines else 0
        lines = 0
        if appendix.table is not None:
            from .render import table_docx
            rows, names, all_text, columns = appendix.table
            done += table_docx.pages_needed(rows, names, all_text, columns,
                                            table_docx.used_above(appendix.title, label=True))
            landscape = True
            continue
        landscape = False
        lines = 2 + len(layout.title_lines(appendix.title)) + 1 + sum(_lines(b) for b in appendix.blocks)
        if appendix.chart is not None:
            lines += 22  # a chart fills its page
    assert lay.colophon is not None
    if landscape:  # the 版记 needs a portrait page after the table's last
        return place_colophon(done, 0, lay.colophon)
    pages = done + 1 + (lines - 1) // 22
    used = lines - 22 * ((lines - 1) // 22)
    return place_colophon(pages, 22 - used, lay.colophon)


def content_end(pages: list[pdfread.Page]) -> tuple[int, int]:
    """The page where the document's own text ends and the grid lines left below it.

    Read from a PDF that may already hold a 版记 (4号 lines) and filler lines: only text of
    3号 and larger counts, so a wrong first guess can be corrected from its own PDF.
    """
    for page in reversed(pages):
        if page.width > page.height:
            # a landscape table page (12 pt cells; 版记 lines are 14 pt, turned page numbers not
            # upright): the 版记 will need a portrait page of its own after it
            if any(c.upright and not 13 < c.size < 15 for ln in page.lines for c in ln.chars):
                return page.number, 0
            continue
        lines = [ln for ln in page.body_lines if ln.size > 15]
        if lines:
            return page.number, pdfread.free_lines(page, lines)
    return 1, 22


def end_filler(pages: list[pdfread.Page], first: str) -> Placement | None:
    """Grid lines to set before a 简报's 报/送/发 lines so that they stand at the foot of the
    last page (as a 版记 does): the room under them, read off the PDF, in whole lines, with
    the few points LibreOffice leaves unused at the bottom of a page kept free. The filler is
    kept with them (render/docx.py), so it moves with them to the page they stand on. None
    when nothing is to move."""
    lines = pages[-1].body_lines
    start = next((i for i, ln in enumerate(lines) if ln.text.startswith(first[:4])), None)
    if start is None:
        return None
    room = pdfread.BODY_BOTTOM_MM * pdfread.MM - END_GAP_PT - lines[-1].bottom
    filler = math.floor(room / pdfread.LINE_PT)
    return Placement(filler) if filler > 0 else None


END_GAP_PT = 6.0  # LibreOffice stops filling a page about 4 pt above the 版心's foot
