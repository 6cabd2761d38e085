"""One document from its Job to DOCX and PDF bytes: the 版记 placed by counting grid lines and
checked on the PDF (corrected once if the count was wrong), 署名 kept off a page of its own,
a 简报's 报/送/发 lines set at the foot of its last page; and the warnings about fonts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import check, convert, finish, layout, pdfread
from .jobs import Job
from .placement import content_end, end_filler, estimate_placement, estimate_signature_alone
from .render import docx as docx_render
from .render import table_docx
from .render.colophon import place_colophon


def _picture(job: Job, fonts: Path | None) -> bytes | None:
    from .render import progress_files
    return progress_files.picture(job.progress, fonts) if job.progress else None


def beside(job: Job, fonts: Path | None) -> dict[str, bytes]:
    """Files written next to a document: a 统计表's or 督办清单's XLSX, a 统计表's chart (PNG)."""
    from .render import progress_files
    return progress_files.beside(job.doc_id, job.layout, job.progress, fonts) if job.progress else {}


def _docx_of(job: Job, fonts: Path | None) -> bytes:
    """DOCX of a document without 版头 or 版记: a table, a list, or a chart."""
    if job.table is not None:
        return table_docx.render(job.layout, *job.table)
    if job.progress is not None and job.progress.grid is not None:
        from .render import stats_docx
        return stats_docx.render(job.layout, job.progress.grid)
    if job.chart is not None:
        from .render import roadmap
        return docx_render.render(job.layout, None, picture=roadmap.chart(job.chart, fonts, job.names))
    return docx_render.render(job.layout, None)


def glyph_warnings(job: Job, fonts: Path | None) -> list[str]:
    """Characters that no font on this machine can show, by the face that asks for them."""
    from .render.page import FONT_NAMES
    by_face: dict[str, str] = {}
    for b in job.layout.blocks:
        for run in b.runs:
            by_face[run.face] = by_face.get(run.face, "") + run.text
        if b.lines:
            by_face["xbs"] = by_face.get("xbs", "") + "".join(b.lines)
    out = []
    for face, text in sorted(by_face.items()):
        family, missing = convert.missing_glyphs(text, FONT_NAMES[face], fonts)
        if missing:
            out.append(f"{job.name}: {FONT_NAMES[face]} (here {family}) has no glyph for {missing}; "
                       "they print as empty boxes: use --fonts with a font that has them, or other characters")
    return out


def font_warnings(fonts: Path | None) -> list[str]:
    """Official faces that resolve neither to themselves (licensed fonts) nor to their stand-in."""
    out = []
    for official in ("仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体"):
        family, _ = convert.coverage(official, fonts)
        stand_in = convert.STAND_INS[official][0]
        if family not in (official, stand_in):
            out.append(f"{official} resolves to {family or 'nothing'}, not to {stand_in}: run `make setup` "
                       "(it installs the stand-in fonts) or give --fonts with the licensed faces")
    return out


def _decisive(pdf: bytes) -> list[pdfread.Page]:
    """Read only what placement decisions need: the first pages (署名 and 成文日期) and the
    last ones (where the text ends); the whole document when the date is not among them."""
    pages = pdfread.read(pdf, lambda i, n: i < 3 or i >= n - 3)
    if len(pages) > 6 and not any(check.DATE_LINE.fullmatch(ln.text) for p in pages[:3] for ln in p.lines):
        pages = pdfread.read(pdf, known=pages)
    return pages


def render_pdf(job: Job, pool: convert.Pool,
               rendered: Callable[[bytes], None] = lambda _: None) -> tuple[bytes, bytes, int, list[pdfread.Page]]:
    """DOCX and PDF bytes of one document, how many conversions it took, and its pages as read;
    `rendered` is called once the first DOCX is made, before LibreOffice gets it.

    The 版记's place is first estimated by counting grid lines and checked on the PDF; a
    wrong guess is corrected from that PDF (a second conversion). If 署名 and 成文日期
    were left alone on a page, milder to stronger remedies are tried (layout.signature_fits).
    """
    lay = job.layout
    if lay.head is None:  # a table, a list or a chart: no 版头, 署名 or 版记 to place
        docx = _docx_of(job, pool.fonts)
        rendered(docx)
        pdf = pool.convert(docx, job.name)
        return docx, finish.finish(pdf, lay), 1, pdfread.read(pdf)
    colophon = lay.colophon
    remedies = layout.signature_fits(lay) if colophon else []
    if remedies and estimate_signature_alone(lay):
        # start from the mildest remedy the count says is enough; the PDF has the last word,
        # and the milder ones stay on the list in case the count was wrong the other way
        enough = next((i for i, r in enumerate(remedies) if not estimate_signature_alone(r)), len(remedies) - 1)
        lay = remedies.pop(enough)
        remedies = remedies[enough:] + remedies[:enough]  # if the PDF disagrees: stronger ones first
    placement = estimate_placement(lay) if colophon else None
    docx = docx_render.render(lay, placement, picture=_picture(job, pool.fonts))
    rendered(docx)
    pdf = pool.convert(docx, job.name)
    conversions = 1
    if colophon is None:
        read = pdfread.read(pdf)
        end = next((b for b in lay.blocks if b.role == "bulletin-end"), None)
        if end is not None and end.rows and (filler := end_filler(read, end.rows[0][0])):
            # a 简报's 报/送/发 lines go to the foot of its last page, measured on this PDF
            docx = docx_render.render(lay, filler, picture=_picture(job, pool.fonts))
            pdf = pool.convert(docx, job.name)
            conversions += 1
            read = pdfread.read(pdf)
        return docx, finish.finish(pdf, lay), conversions, read
    pages = _decisive(pdf)
    if check.signature_alone(pages) is not None:
        for option in remedies:
            lay, placement = option, estimate_placement(option)
            docx = docx_render.render(lay, placement)
            pdf = pool.convert(docx, job.name)
            conversions += 1
            pages = _decisive(pdf)
            if check.signature_alone(pages) is None:
                break
    last, free = content_end(pages)
    right = place_colophon(last, free, colophon)
    if right != placement:
        docx = docx_render.render(lay, right)
        pdf = pool.convert(docx, job.name)
        conversions += 1
        pages = []
    pages = pdfread.read(pdf, known=pages or None)  # the rest, for the audit
    return docx, finish.finish(pdf, lay), conversions, pages
