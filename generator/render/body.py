"""Body blocks (GB/T 9704 7.3): each block of a layout as a paragraph on the grid, by its
role (title, heading, body, 附件说明, 署名 and 成文日期 with or without a seal, 附注), and a
picture set as wide as the 版心."""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.shared import Mm
from docx.table import _Row
from docx.text.paragraph import Paragraph
from lxml.etree import _Element as Element

from ..chinese import text_width
from ..layout import FANG, HEI, XBS, Block, Layout, Run
from .page import (
    CHAR,
    _add_run,
    _align,
    _el,
    _indent,
    _mark,
    _new_paragraph,
    _ppr,
    _set,
    _spacing,
    _table_layout,
)

KEPT_WITH_NEXT = ("h1", "h2")  # headings kept with what follows (placement.py counts with it)


def _seal_indents(signature: str, date: str) -> tuple[int, int]:
    """With a seal: date right-indented 4 characters, signature centred over the date."""
    d, s = text_width(date), text_width(signature)
    date_right = 4
    sig_right = max(0.0, date_right + d / 2 - s / 2)
    return int(sig_right * CHAR), date_right * CHAR

def _plain_indents(signature: str, date: str) -> tuple[int, int]:
    """Without a seal: signature right-indented 2; the date starts 2 characters further right."""
    d, s = text_width(date), text_width(signature)
    sig_right = 2.0
    date_right = max(0.0, sig_right + s - 2 - d)
    return int(sig_right * CHAR), int(date_right * CHAR)

def _paragraph(doc: DocxDocument, b: Block, page_break: bool, layout: Layout) -> Paragraph:
    p = _new_paragraph(doc)
    if page_break:
        _set(_ppr(p), _el("w:pageBreakBefore"))
    role = b.role
    runs: tuple[Run, ...] = b.runs
    if b.change:  # the paragraph mark itself is inserted or deleted
        rpr = OxmlElement("w:rPr")
        rpr.append(_mark(f"w:{b.change}"))
        _ppr(p).append(rpr)
    if role == "title":
        # one grid line per title line: the line grid would give a 22 pt line two
        _set(_ppr(p), _el("w:snapToGrid", val="0"))
        _align(p, "center")
        _indent(p)
        if b.runs:
            for run in runs:
                _add_run(p, run.text, XBS, 22, spacing=None, change=run.change)
        else:
            _add_run(p, "\n".join(b.lines), XBS, 22, spacing=None)
        return p
    if role in ("body", "h1", "h2", "annotation"):
        _indent(p, first=2 * CHAR)
    elif role == "attachment-note":
        # GB/T 9704 7.3.4: a long name wraps under its own first character. “附件：” takes 3
        # characters after the 2-character indent; with several, “1.” and a tab 2 more
        numbered = "\t" in b.text
        _indent(p, left=(7 if numbered else 5) * CHAR, hanging=(5 if numbered else 3) * CHAR)
    elif role == "attendance":
        # GB/T 9704 10.3: “出席：” two characters in; a continued line under the first name
        _indent(p, left=5 * CHAR, hanging=3 * CHAR)
    elif role == "attachment-more":
        _indent(p, left=7 * CHAR, hanging=2 * CHAR)  # “2.” under “1.”, the name under the name
    elif role in ("to", "attachment-label", "blank", "seal-space", "cc-line"):
        _indent(p)
    elif role == "byline":  # 署名 and 成文日期 of a 方案 under its title, centred
        _align(p, "center")
        _indent(p)
    if role in KEPT_WITH_NEXT:
        _set(_ppr(p), _el("w:keepNext"))  # a heading never ends a page
        _set(_ppr(p), _el("w:keepLines"))
    if role in ("seal-space", "signature", "signature-seal") or (
            role.startswith("date") and any(x.role == "annotation" for x in layout.blocks)):
        _set(_ppr(p), _el("w:keepNext"))  # seal room, 署名, 成文日期 and 附注 stay together
    if role in ("signature", "date", "signature-seal", "date-seal"):
        signature = next(x.text for x in layout.blocks if x.role.startswith("signature") and x.runs)
        sig, date = (_seal_indents if role.endswith("seal") else _plain_indents)(signature, layout.date)
        _align(p, "right")
        _indent(p, right=sig if role.startswith("signature") else date)
    for run in runs:
        _add_run(p, run.text, run.face, change=run.change)
    return p

def _table(doc: DocxDocument, b: Block) -> None:
    """A simple table of the body: bordered, as wide as the 版心, columns of equal width, 小四
    仿宋 (a table may be set smaller than the body text), the head row in 黑体 and repeated."""
    from . import table_docx

    cols = max(len(row) for row in b.rows)
    width = 156 * 1440 * 10 // 254 // cols  # twips of an equal share of the 156 mm 版心
    table = doc.add_table(rows=len(b.rows), cols=cols)
    _table_layout(table, [width] * cols)
    table_docx._borders(table)
    for r, (row, cells) in enumerate(zip(b.rows, table.rows, strict=True)):
        head = b.header and r == 0
        if head:
            _set(row_pr(cells), _el("w:tblHeader"))
        for c, cell in enumerate(cells.cells):
            table_docx._cell_text(cell, row[c] if c < len(row) else "", HEI if head else FANG, center=head)


def row_pr(row: _Row) -> Element:
    return row._tr.get_or_add_trPr()


def _picture(doc: DocxDocument, png: bytes) -> None:
    from PIL import Image
    width, height = Image.open(io.BytesIO(png)).size
    scale = min(156 / width, 185 / height)  # mm per pixel: fits the 版心 below a two-line title
    p = _new_paragraph(doc)
    _set(_ppr(p), _el("w:snapToGrid", val="0"))
    _spacing(p, line=240, rule="auto")
    _align(p, "center")
    _indent(p)
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width * scale), height=Mm(height * scale))
