"""版头 (GB/T 9704 7.2): 份号, 密级, 紧急程度, the red 发文机关标志 (one organ, or several
stacked for a joint issuance), 发文字号 and 签发人, and the red rule; or an office's own red
head from a docxtpl template."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

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
    if len(head.organs) == 1:
        p = _new_paragraph(doc)
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
