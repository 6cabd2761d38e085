"""Read a rendered PDF back as a reader sees it: pages, text lines, rules, fonts.

The build uses it to find how much room the last page has (to place the 版记); the
audit (check.py) uses it to measure margins, grid, fonts and page numbers.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import ConvertError

MM = 72 / 25.4
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
TOP_MM, LEFT_MM, BODY_W_MM, BODY_H_MM = 37.0, 28.0, 156.0, 225.0
BODY_BOTTOM_MM = TOP_MM + BODY_H_MM          # 262 mm from the top edge
LINE_PT = 579 / 20                           # 28.95 pt
CELL_PT = BODY_W_MM * MM / 28                # 15.79 pt


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    color: tuple[float, ...] | None
    upright: bool = True


@dataclass
class Line:
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


@dataclass
class Rule:
    x0: float
    x1: float
    y: float
    width: float
    color: tuple[float, ...] | None


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    parsed: bool = True

    @property
    def body_lines(self) -> list[Line]:
        """Lines inside the 版心 (not the page number below it)."""
        limit = BODY_BOTTOM_MM * MM + 2
        return [ln for ln in self.lines if ln.top < limit]

    @property
    def footer_lines(self) -> list[Line]:
        limit = BODY_BOTTOM_MM * MM + 2
        return [ln for ln in self.lines if ln.top >= limit]


def _font(name: str) -> str:
    return name.split("+", 1)[-1]


# PDFium (the engine of Chrome's PDF viewer, through pypdfium2) reads a page in C, about
# eight times faster than a pure-Python parser; it is not thread-safe, hence one lock.
_PDFIUM = threading.Lock()


def _matrix(obj: Any) -> tuple[float, float, float, float, float, float]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return m.a, m.b, m.c, m.d, m.e, m.f


def _color(getter: Any, obj: Any) -> tuple[float, ...]:
    rgba = [ctypes.c_uint() for _ in range(4)]
    getter(obj, *rgba)
    return tuple(c.value / 255 for c in rgba[:3])


Style = tuple[str, float, tuple[float, float, float, float] | None, tuple[float, ...]]


def _text_style(obj: Any, fonts: dict[int, str]) -> Style:
    """Font, size on the page, direction (None: upright; else the unit vectors along and
    across the line) and fill colour of one text object."""
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    key = ctypes.addressof(font.contents)
    if key not in fonts:
        length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        name = ctypes.create_string_buffer(max(length, 1))
        pdfium_c.FPDFFont_GetBaseFontName(font, name, length)
        fonts[key] = _font(name.value.decode("utf-8", "replace"))
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(obj, size)
    a, b, c, d, _, _ = _matrix(obj)
    along, across = math.hypot(a, b) or 1.0, math.hypot(c, d) or 1.0
    upright = abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0
    turn = None if upright else (a / along, b / along, c / across, d / across)
    return fonts[key], size.value * across, turn, \
        _color(pdfium_c.FPDFPageObj_GetFillColor, obj)


def _chars(page: Any, height: float) -> list[Char]:
    """Every visible character, its box from the baseline up by the font size (as a
    typesetter sees the em box) and from its origin across its advance."""
    text_page = pdfium_c.FPDFText_LoadPage(page)
    try:
        count = pdfium_c.FPDFText_CountChars(text_page)
        buffer = (ctypes.c_ushort * (count + 1))()
        pdfium_c.FPDFText_GetText(text_page, 0, count, buffer)
        text = bytes(buffer)[: 2 * count].decode("utf-16-le", "replace")
        styles: dict[int, Style] = {}
        fonts: dict[int, str] = {}  # font handle → name, shared by many text objects
        x, y = ctypes.c_double(), ctypes.c_double()
        box = pdfium_c.FS_RECTF()
        out = []
        for i, ch in enumerate(text):
            if not ch.strip():
                continue
            obj = pdfium_c.FPDFText_GetTextObject(text_page, i)
            if not obj:
                continue
            key = ctypes.addressof(obj.contents)
            style = styles.get(key)
            if style is None:
                style = styles[key] = _text_style(obj, fonts)
            font, size, turn, color = style
            pdfium_c.FPDFText_GetCharOrigin(text_page, i, x, y)
            x0, base = x.value, height - y.value
            if turn is None and ord(ch) >= 0x2E80:  # an ideograph or CJK mark: one em wide
                out.append(Char(ch, x0, x0 + size, base - size, base, size, font, color))
                continue
            pdfium_c.FPDFText_GetLooseCharBox(text_page, i, box)
            if turn is None:
                out.append(Char(ch, x0, box.right, base - size, base, size, font, color))
                continue
            # turned text: the em box (advance × size) turned with the text; PDFium's box
            # gives the advance, measured along the line
            a, b, c, d = turn
            advance = abs(a) * (box.right - box.left) + abs(b) * (box.top - box.bottom)
            xs = [x.value + u * advance * a + v * size * c for u in (0, 1) for v in (0, 1)]
            ys = [y.value + u * advance * b + v * size * d for u in (0, 1) for v in (0, 1)]
            out.append(Char(ch, min(xs), max(xs), height - max(ys), height - min(ys), size, font, color,
                            upright=False))
        return out
    finally:
        pdfium_c.FPDFText_ClosePage(text_page)


def _rules(container: Any, count: int, get: Any, height: float,
           outer: tuple[float, ...] = (1, 0, 0, 1, 0, 0)) -> list[Rule]:
    """Horizontal strokes and thin filled bars wider than 50 pt: the red rule under the
    版头 and the lines of the 版记."""
    out = []
    for k in range(count):
        obj = get(container, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue  # text and images: most objects of a page
        m = _compose(_matrix(obj), outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            out += _rules(obj, pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject, height, m)
            continue
        xs, ys = [], []
        px, py = ctypes.c_float(), ctypes.c_float()
        for s in range(pdfium_c.FPDFPath_CountSegments(obj)):
            pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFPath_GetPathSegment(obj, s), px, py)
            xs.append(m[0] * px.value + m[2] * py.value + m[4])
            ys.append(m[1] * px.value + m[3] * py.value + m[5])
        if not xs or max(xs) - min(xs) <= 50 or max(ys) - min(ys) >= 5:
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        line_width = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetStrokeWidth(obj, line_width)
        thickness = max(max(ys) - min(ys), line_width.value if stroke.value else 0.0)
        color = _color(pdfium_c.FPDFPageObj_GetStrokeColor if stroke.value else pdfium_c.FPDFPageObj_GetFillColor, obj)
        out.append(Rule(min(xs), max(xs), height - (max(ys) + min(ys)) / 2, thickness, color))
    return out


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _parse(i: int, page: Any) -> Page:
    width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    out = Page(i, width, height)
    rows: dict[float, list[Char]] = {}
    last: float | None = None
    for ch in sorted(_chars(page, height), key=lambda c: (round(c.bottom, 0), c.x0)):
        # a line: characters whose baselines are within 3 pt of its first one
        if last is not None and abs(last - ch.bottom) < 3:
            key = last
        else:
            key = next((k for k in rows if abs(k - ch.bottom) < 3), ch.bottom)
        rows.setdefault(key, []).append(ch)
        last = key
    out.lines = [Line(sorted(cs, key=lambda c: c.x0)) for _, cs in sorted(rows.items())]
    out.rules = _rules(page, pdfium_c.FPDFPage_CountObjects(page), pdfium_c.FPDFPage_GetObject, height)
    return out


def read(pdf: bytes, only: Callable[[int, int], bool] | None = None,
         known: list[Page] | None = None) -> list[Page]:
    """Every page, or only those `only(index, count)` selects (the others come back empty,
    `parsed` False); pages already in `known` are not parsed again."""
    pages: list[Page] = []
    with _PDFIUM:
        try:
            doc = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ConvertError(f"the PDF cannot be read: {exc}") from None
        try:
            count = len(doc)
            for i in range(count):
                if known is not None and known[i].parsed:
                    pages.append(known[i])
                    continue
                page = doc[i]
                try:
                    if only is None or only(i, count):
                        pages.append(_parse(i + 1, page.raw))
                    else:
                        pages.append(Page(i + 1, page.get_width(), page.get_height(), parsed=False))
                finally:
                    page.close()
        finally:
            doc.close()
    return pages


def free_lines(page: Page, body: list[Line] | None = None) -> int:
    """Whole grid lines left between the last text line (of `body`, by default every line
    inside the 版心) and the bottom of the 版心."""
    body = page.body_lines if body is None else body
    if not body:
        return 22
    room = BODY_BOTTOM_MM * MM - body[-1].bottom
    # the glyphs of a 3号 line end about 5 pt above the bottom of their 28.95 pt line
    return max(0, int((room + 0.5) // LINE_PT))
