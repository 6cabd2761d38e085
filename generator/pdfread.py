"""Read a rendered PDF back as a reader sees it: pages, text lines, rules, fonts.

The build uses it to find how much room the last page has (to place the 版记); the
audit (check.py) uses it to measure margins, grid, fonts and page numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pdfplumber

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


def _parse(i: int, p: Any) -> Page:
    page = Page(i, float(p.width), float(p.height))
    rows: dict[float, list[Char]] = {}
    for c in sorted(p.chars, key=lambda c: (round(c["bottom"], 0), c["x0"])):
        if not c["text"].strip():
            continue
        ch = Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], float(c["size"]),
                  _font(c["fontname"]), c.get("non_stroking_color"), bool(c.get("upright", True)))
        key = next((k for k in rows if abs(k - ch.bottom) < 3), ch.bottom)
        rows.setdefault(key, []).append(ch)
    page.lines = [Line(sorted(cs, key=lambda c: c.x0)) for _, cs in sorted(rows.items())]
    for objects, color_key in ((p.lines, "stroking_color"), (p.rects, "non_stroking_color")):
        for obj in objects:
            height = abs(obj["bottom"] - obj["top"])
            if obj["x1"] - obj["x0"] > 50 and height < 5:
                color = obj.get(color_key)
                page.rules.append(Rule(obj["x0"], obj["x1"], (obj["top"] + obj["bottom"]) / 2,
                                       max(height, float(obj.get("linewidth") or 0)),
                                       tuple(color) if isinstance(color, (list, tuple)) else None))
    return page


def read(pdf: bytes, only: Callable[[int, int], bool] | None = None,
         known: list[Page] | None = None) -> list[Page]:
    """Every page, or only those `only(index, count)` selects (the others come back empty,
    `parsed` False); pages already in `known` are not parsed again."""
    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        count = len(doc.pages)
        for i, p in enumerate(doc.pages):
            if known is not None and known[i].parsed:
                pages.append(known[i])
            elif only is None or only(i, count):
                pages.append(_parse(i + 1, p))
            else:
                pages.append(Page(i + 1, float(p.width), float(p.height), parsed=False))
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
