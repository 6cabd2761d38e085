"""版头 (GB/T 9704 7.2): 份号, 密级, 紧急程度, the red 发文机关标志 (one organ, or several
stacked for a joint issuance), 发文字号 and 签发人, and the red rule; or an office's own red
head from a docxtpl template."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ..errors import RenderError
from ..layout import FANG, HEI, KAI, XBS, Head
from .page import (
    BODY_W_PT,
    CHAR,
    LINE,
    MARK_TOP_MM,
    RED,
    _add_run,
    _align,
    _el,
    _indent,
    _new_paragraph,
    _ppr,
    _set,
    _spacing,
    _table_layout,
    _tabs,
)

JOINT_NAME_SHARE = 0.78  # joint issuance: organ names left, 文件 in the remaining column


def mark_size(organs: tuple[str, ...], suffix: str) -> float:
    """Largest size (≤ 52 pt) at which the longest line of the organ mark fits the 版心."""
    if len(organs) == 1:
        return float(min(52, int(BODY_W_PT * 0.96 / max(len(organs[0]) + len(suffix), 1))))
    room = BODY_W_PT * (JOINT_NAME_SHARE if suffix else 1.0)
    return float(min(52, int(room * 0.96 / max(len(o) for o in organs))))

def _head(doc: DocxDocument, head: Head) -> None:
    used = 0
    for text, face in ((head.copy_number, FANG), (head.secrecy, HEI), (head.urgency, HEI)):
        if text:
            p = _new_paragraph(doc)
            _indent(p)
            _align(p, "left")
            _add_run(p, text, face)
            used += LINE
    size = mark_size(head.organs, head.mark_suffix)
    line = int(size * 20 * 1.15)
    # LibreOffice sets the glyphs' top edge about 0.42 em below the top of an exact
    # line of 1.15 em (measured: 4.4 mm at 30 pt)
    before = max(0, int(MARK_TOP_MM / 25.4 * 1440) - used - int(size * 20 * 0.42))
    if head.variant != "file":  # off the grid the glyphs' top edge is the line's (measured at 25 pt)
        before = max(0, int(MARK_TOP_MM / 25.4 * 1440) - used + 20)
    if len(head.organs) == 1:
        p = _new_paragraph(doc)
        if head.variant != "file":  # a long 纪要 mark is set smaller than a grid line: off the grid
            _set(_ppr(p), _el("w:snapToGrid", val="0"))
        _spacing(p, line=line, before=before)
        _align(p, "center")
        _add_run(p, head.organs[0] + head.mark_suffix, XBS, size, RED, spacing=None)
    else:
        _joint_mark(doc, head, size, line, before)
    for _ in range(2):
        _new_paragraph(doc)
    p = _new_paragraph(doc)
    if head.signer:
        _align(p, "left")
        _indent(p, left=CHAR, right=CHAR)
        _set(_ppr(p), _tabs(int(BODY_W_PT * 20) - CHAR))
        _add_run(p, head.number + "\t签发人：")
        _add_run(p, head.signer, KAI)
    else:
        _align(p, "center")
        _add_run(p, head.number)
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_el("w:bottom", val="single", sz="12", space="4", color=RED))
    _set(_ppr(p), pbdr)
    for _ in range(2):
        _new_paragraph(doc)

# 信函格式 (GB/T 9704 10.1): the organ mark 30 mm from the top edge of the page, a red double
# rule (thick over thin) 4 mm under it and another (thin over thick) 20 mm above the bottom
# edge, both 170 mm long and centred; the 发文字号 at the right under the first rule; no page
# number on page 1. The mark and the rules are frames anchored to the page in the first
# page's header, so they stand where the standard puts them whatever the 版心 holds.
LETTER_MARK_TOP_MM, LETTER_RULE_GAP_MM, LETTER_RULE_WIDTH_MM, LETTER_BOTTOM_RULE_MM = 30, 4, 170, 20
LETTER_MARK_PT = 30  # at most: a letter's mark is the organ's name alone
FRAME_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
               "w:pBdr", "w:tabs", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:autoSpaceDE",
               "w:autoSpaceDN", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")


def _tw(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def letter_mark_size(organs: tuple[str, ...]) -> float:
    return min(float(LETTER_MARK_PT), mark_size(organs[:1], ""))


def letter_rule_mm(organs: tuple[str, ...]) -> float:
    """Where the upper double rule stands, from the top edge of the page."""
    size = letter_mark_size(organs)
    return LETTER_MARK_TOP_MM + size / 72 * 25.4 + LETTER_RULE_GAP_MM


def _frame(p: Paragraph, y_mm: float, h_mm: float) -> None:
    left = (210 - LETTER_RULE_WIDTH_MM) / 2
    _set(_ppr(p), _el("w:framePr", w=_tw(LETTER_RULE_WIDTH_MM), h=_tw(h_mm), hRule="exact", hSpace="0",
                      wrap="notBeside", vAnchor="page", hAnchor="page", x=_tw(left), y=_tw(y_mm)), FRAME_ORDER)
    _set(_ppr(p), _el("w:snapToGrid", val="0"), FRAME_ORDER)


def _letter_head(doc: DocxDocument, head: Head) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    size = letter_mark_size(head.organs)
    line = int(size * 20 * 1.15)
    mark = header.paragraphs[0]
    rule_mm = letter_rule_mm(head.organs)
    _frame(mark, LETTER_MARK_TOP_MM, rule_mm - LETTER_MARK_TOP_MM)  # the rule is drawn at the frame's foot
    border = OxmlElement("w:pBdr")
    border.append(_el("w:bottom", val="thickThinSmallGap", sz="24", space="2", color=RED))
    _set(_ppr(mark), border, FRAME_ORDER)
    _spacing(mark, line=line)
    _align(mark, "center")
    _add_run(mark, head.organs[0] + head.mark_suffix, XBS, size, RED, spacing=None)
    _spacing(header.add_paragraph(), line=20)  # a frame needs a paragraph to anchor it
    # page 1 carries no page number: its footer holds the lower double rule only
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    bottom = footer.paragraphs[0]
    _frame(bottom, 297 - LETTER_BOTTOM_RULE_MM, 3)
    border = OxmlElement("w:pBdr")
    border.append(_el("w:top", val="thickThinSmallGap", sz="24", space="0", color=RED))  # thin over thick
    _set(_ppr(bottom), border, FRAME_ORDER)
    _spacing(bottom, line=40)
    _spacing(footer.add_paragraph(), line=20)
    # the 发文字号 at the right edge of the 版心, just under the upper rule
    p = _new_paragraph(doc)
    _set(_ppr(p), _el("w:snapToGrid", val="0"))
    _spacing(p, before=max(0, int((rule_mm + 3 - 37) / 25.4 * 1440)))
    _align(p, "right")
    _indent(p)
    _add_run(p, head.number)
    _new_paragraph(doc)


def _template_head(doc: DocxDocument, head: Head) -> None:
    """An office's own red head: a docxtpl template rendered in a sandbox, its body copied
    in front of the document. Text, tables and borders are copied; pictures are refused
    because their relationships would not come along."""
    import copy

    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    assert head.template is not None
    name = head.template.name
    try:
        template = DocxTemplate(str(head.template))
        template.render({
            "organs": list(head.organs), "mark": head.organs[0] + head.mark_suffix, "number": head.number,
            "signer": head.signer or "", "copy_number": head.copy_number or "", "secrecy": head.secrecy or "",
            "urgency": head.urgency or "",
        }, jinja_env=SandboxedEnvironment(undefined=StrictUndefined, autoescape=True))
    except TemplateError as exc:
        raise RenderError(f"head template {name}: {exc}") from None
    except Exception as exc:  # a damaged or non-DOCX file
        raise RenderError(f"head template {name} cannot be read: {exc}") from None
    elements = [el for el in template.docx.element.body if el.tag != qn("w:sectPr")]
    for el in elements:
        for attr in (qn("r:embed"), qn("r:id"), qn("r:link")):
            if any(node.get(attr) for node in el.iter()):
                raise RenderError(f"head template {name} holds pictures or links; fawen copies text, "
                                  "tables and borders only (draw the red rule as a paragraph border)")
    end = doc.element.body.find(qn("w:sectPr"))
    for el in elements:
        end.addprevious(copy.deepcopy(el))
    for _ in range(2):  # the title stands two lines below the red rule (7.3.1)
        _new_paragraph(doc)

def _joint_mark(doc: DocxDocument, head: Head, size: float, line: int, before: int) -> None:
    """Joint issuance: organs stacked (lead organ first), 文件 centred to their right."""
    spacer = _new_paragraph(doc)
    _spacing(spacer, line=max(before, 20))
    table = doc.add_table(rows=len(head.organs), cols=2 if head.mark_suffix else 1)
    names_w = int(BODY_W_PT * 20 * JOINT_NAME_SHARE)
    _table_layout(table, [names_w, int(BODY_W_PT * 20) - names_w] if head.mark_suffix
                  else [int(BODY_W_PT * 20)])
    for i, organ in enumerate(head.organs):
        cell = table.cell(i, 0)
        p = cell.paragraphs[0]
        _spacing(p, line=line)
        _align(p, "distribute")
        _add_run(p, organ, XBS, size, RED, spacing=None)
    if head.mark_suffix:
        merged = table.cell(0, 1).merge(table.cell(len(head.organs) - 1, 1))
        tc_pr = merged._tc.get_or_add_tcPr()
        tc_pr.append(_el("w:vAlign", val="center"))
        p = merged.paragraphs[0]
        _spacing(p, line=line)
        _align(p, "center")
        _add_run(p, head.mark_suffix, XBS, size, RED, spacing=None)
