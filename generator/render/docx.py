"""Layout → DOCX laid out to GB/T 9704-2012: the document assembled from its parts.

page.py the grid and XML, package.py the DOCX package, head.py the 版头, body.py the
blocks, colophon.py the 版记, page_numbers.py the footers; table_docx.py the 任务分解表.
"""

from __future__ import annotations

import itertools

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from ..layout import HEI, Block, Layout, title_lines
from . import bulletin
from .body import _paragraph, _picture, _table
from .colophon import Placement, _colophon
from .head import _head, _letter_head, _template_head
from .package import _fix_last_paragraph, _setup, new_document, package_bytes
from .page import _REVISION, RENDER_LOCK, _add_run, _el, _indent, _new_paragraph, _page, _ppr, _set, _spacing
from .page_numbers import _page_numbers


def render(layout: Layout, placement: Placement | None, picture: bytes | None = None) -> bytes:
    """The DOCX bytes; with `placement` None the 版记 is left out (for measuring).
    A `picture` (PNG) is set after the blocks (or where a block of role "picture" stands),
    as wide as the 版心 and never taller."""
    with RENDER_LOCK:
        return _render(layout, placement, picture)

def _render(layout: Layout, placement: Placement | None, picture: bytes | None) -> bytes:
    if layout.revision:
        _REVISION.state = (*layout.revision, itertools.count(1))
    doc = new_document()
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    _setup(doc, layout)
    _page_numbers(doc.sections[0])
    if layout.head and layout.head.template:
        _template_head(doc, layout.head)
    elif layout.head and layout.head.variant == "letter":
        _letter_head(doc, layout.head)
    elif layout.head and layout.head.variant == "bulletin":
        bulletin.head(doc, layout.head)
    elif layout.head:
        _head(doc, layout.head)
    page_break = False
    first_part = True
    for b in layout.blocks:
        if b.role == "page-break":
            page_break, first_part = True, False
            continue
        if b.role == "table":
            _table(doc, b)
            continue
        if b.role == "picture":  # where the picture goes when not after the blocks (a 简报's chart)
            if picture is not None:
                _picture(doc, picture)
                picture = None
            continue
        if b.role.startswith("bulletin-"):
            if b.role == "bulletin-end" and placement is not None and not layout.colophon:
                for _ in range(placement.filler):  # down to the foot of its page (build.render_pdf),
                    p = _new_paragraph(doc)         # kept with it: where it goes, the filler goes
                    _set(_ppr(p), _el("w:keepNext"))
            bulletin.paragraph(doc, b)
            page_break = False
            continue
        p = _paragraph(doc, b, page_break, layout)
        if first_part and layout.first_part_pitch:
            _set(_ppr(p), _el("w:snapToGrid", val="0"))  # off the 579-twip grid, or it snaps back
            _spacing(p, line=layout.first_part_pitch)
        page_break = False
    if picture is not None:
        _picture(doc, picture)
    turned = _appendices(doc, layout)
    if layout.colophon and placement is not None:
        if turned and placement.new_page and not placement.blank_page:
            # after landscape table pages the 版记 page is a portrait page of its own section
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(new)
            _page_numbers(new)
            placement = Placement(placement.filler)
        if placement.blank_page:
            # a section of its own, without page numbers: the blank page and the 版记 page
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            new.footer.is_linked_to_previous = False
            new.even_page_footer.is_linked_to_previous = False
            _page(new)
            _new_paragraph(doc)  # the blank page's only (empty) line
        for i in range(max(placement.filler, 1 if placement.new_page else 0)):
            p = _new_paragraph(doc)
            if i == 0 and placement.new_page:
                _set(_ppr(p), _el("w:pageBreakBefore"))
        _colophon(doc, layout.colophon)
    _fix_last_paragraph(doc)
    return package_bytes(doc)

def _appendices(doc: DocxDocument, layout: Layout) -> bool:
    """Further attachments bound with the notice: each on a new page, 附件N on line 1, its
    title on line 3; a 任务分解表 on landscape pages of its own section. True when the
    document now ends on landscape pages."""
    from . import table_docx

    landscape = False
    for appendix in layout.appendices:
        if appendix.table is not None or landscape:
            new = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(new)
            if appendix.table is not None:
                table_docx.landscape(new)
            else:
                _page_numbers(new)
            first_break = False
        else:
            first_break = True
        label = _new_paragraph(doc)
        if first_break:
            _set(_ppr(label), _el("w:pageBreakBefore"))
        _indent(label)
        _add_run(label, appendix.label, HEI)
        _new_paragraph(doc)
        if appendix.table is not None:
            table_docx.title(doc, appendix.title)
            rows, names, all_text, columns = appendix.table
            table_docx.add_table(doc, rows, names, all_text, columns,
                                 table_docx.used_above(appendix.title, label=True))
            landscape = True
            continue
        landscape = False
        _paragraph(doc, Block("title", lines=title_lines(appendix.title)), False, layout)
        _new_paragraph(doc)
        for b in appendix.blocks:
            _paragraph(doc, b, False, layout)
        if appendix.chart is not None:
            from . import roadmap
            _picture(doc, roadmap.chart(appendix.chart, names=appendix.names))
    return landscape
