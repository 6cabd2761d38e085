"""Page numbers (GB/T 9704 7.5): “— N —” in 4号 宋体, odd pages right and even pages left,
one character in, 7 mm below the 版心: a footer for odd pages and one for even pages."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph

from ..layout import SONG
from .page import FOOTER_PT, _add_run, _align, _el, _indent, _rpr, _spacing


def _footer_paragraph(p: Paragraph, odd: bool) -> None:
    _spacing(p, line=int(FOOTER_PT * 20 * 1.2))
    if odd:
        _align(p, "right")
        _indent(p, right=FOOTER_PT * 20)
    else:
        _align(p, "left")
        _indent(p, left=FOOTER_PT * 20)
    _add_run(p, "— ", SONG, FOOTER_PT, spacing=None)
    for kind in ("begin", None, "separate", "1", "end"):
        r = OxmlElement("w:r")
        r.append(_rpr(SONG, FOOTER_PT, spacing=None))
        if kind in ("begin", "separate", "end"):
            r.append(_el("w:fldChar", fldCharType=kind))
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = kind
            r.append(t)
        p._p.append(r)
    _add_run(p, " —", SONG, FOOTER_PT, spacing=None)

def _page_numbers(section) -> None:  # type: ignore[no-untyped-def]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _footer_paragraph(section.footer.paragraphs[0], odd=True)
    _footer_paragraph(section.even_page_footer.paragraphs[0], odd=False)
