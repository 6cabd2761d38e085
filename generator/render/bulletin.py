"""简报 head and end (not in GB/T 9704; as bulletins are conventionally set on its page grid).

Head: the bulletin name in large red 小标宋 centred near the top of the 版心, the issue line
(2021年第9期（总第41期）) centred under it in 3号仿宋. Then blocks with roles of their own:
`bulletin-special` (a 专刊 name, 楷体, centred), `bulletin-byline` (编印单位 flush left and
the date flush right on one line, over a red rule the width of the 版心), `bulletin-note`
(编者按, 黑体 label and 楷体 text), `bulletin-title`/`bulletin-subtitle` (each article's
title, 小标宋 2号, and subtitle, 楷体), and `bulletin-end`: the 报/送/发 lines and the 印数
between black rules (thick, thin between, thick), 4号仿宋.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement

from ..layout import FANG, HEI, KAI, XBS, Block, Head
from .page import (
    BODY_W_PT,
    CHAR,
    FOOTER_PT,
    LINE,
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

NAME_MAX_PT = 36  # the bulletin name: as large as fits the 版心, at most 小初 (36 pt)
NAME_TOP = 2 * LINE  # room above the name: two grid lines from the top of the 版心
RULE_SZ = "18"  # the red rule under the byline: 2.25 pt (eighths of a point)


def name_size(name: str) -> float:
    """The largest size (≤ NAME_MAX_PT) at which the bulletin name fits one line of the 版心."""
    return float(min(NAME_MAX_PT, int(BODY_W_PT * 0.96 / max(len(name), 1))))


def head(doc: DocxDocument, h: Head) -> None:
    """The red bulletin name (h.organs[0]) and the issue line (h.number) under it."""
    size = name_size(h.organs[0])
    p = _new_paragraph(doc)
    _set(_ppr(p), _el("w:snapToGrid", val="0"))
    _spacing(p, line=int(size * 20 * 1.3), before=NAME_TOP)
    _align(p, "center")
    _indent(p)
    _add_run(p, h.organs[0], XBS, size, RED, spacing=None)
    _new_paragraph(doc)
    p = _new_paragraph(doc)
    _align(p, "center")
    _indent(p)
    _add_run(p, h.number)


def paragraph(doc: DocxDocument, b: Block) -> None:
    """One of the 简报's own blocks (see the module's docstring)."""
    if b.role == "bulletin-end":
        _end(doc, b)
        return
    p = _new_paragraph(doc)
    if b.role in ("bulletin-special", "bulletin-subtitle"):
        _align(p, "center")
        _indent(p)
        for run in b.runs:
            _add_run(p, run.text, KAI)
    elif b.role == "bulletin-title":
        _set(_ppr(p), _el("w:snapToGrid", val="0"))
        _align(p, "center")
        _indent(p)
        _set(_ppr(p), _el("w:keepNext"))
        _add_run(p, "\n".join(b.lines), XBS, 22, spacing=None)
    elif b.role == "bulletin-byline":
        editor, date = (r.text for r in b.runs)
        _align(p, "left")
        _indent(p)  # the rule under it spans the paragraph: the whole 版心
        _set(_ppr(p), _tabs(int(BODY_W_PT * 20)))
        border = OxmlElement("w:pBdr")
        border.append(_el("w:bottom", val="single", sz=RULE_SZ, space="4", color=RED))
        _set(_ppr(p), border)
        _add_run(p, editor)
        _add_run(p, "\t" + date)
    elif b.role == "bulletin-note":
        _indent(p, first=2 * CHAR)
        label, *rest = b.runs
        _add_run(p, label.text, HEI)
        for run in rest:
            _add_run(p, run.text, KAI)
    else:
        raise ValueError(f"no bulletin block {b.role}")


def _end(doc: DocxDocument, b: Block) -> None:
    """报/送/发 (and 印数) between rules: thick over the first, thin between, thick under the last."""
    width = int(BODY_W_PT * 20)
    lines = [row[0] for row in b.rows]
    table = doc.add_table(rows=len(lines), cols=1)
    _table_layout(table, [width])
    thick, thin = "8", "6"
    for r, text in enumerate(lines):
        cell = table.cell(r, 0)
        tc_pr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        borders.append(_el("w:top", val="single", sz=thick if r == 0 else thin, space="0", color="000000"))
        borders.append(_el("w:left", val="nil"))
        last = r == len(lines) - 1
        borders.append(_el("w:bottom", val="single", sz=thick if last else thin, space="0", color="000000"))
        borders.append(_el("w:right", val="nil"))
        tc_pr.append(borders)
        p = cell.paragraphs[0]
        _spacing(p, line=int(FOOTER_PT * 20 * 1.5))
        copies = text.startswith("（共印")
        _align(p, "right" if copies else "left")
        # a long list hangs under the text after its label (“报：”)
        _indent(p, left=int(FOOTER_PT * 20 * 3), right=int(FOOTER_PT * 20), hanging=int(FOOTER_PT * 20 * 2))
        if copies:
            _indent(p, right=int(FOOTER_PT * 20))
        _add_run(p, text, FANG, FOOTER_PT, spacing=None)
        if not last:  # the lines stay together on one page
            _set(_ppr(p), _el("w:keepNext"))
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))
