"""The whole pipeline on one screen: plans → layouts → DOCX → PDF → output/.

For each declared document: lay it out, render DOCX without the 版记 and convert it to
measure the last page, then render again with the 版记 placed (bottom of an even last
page), convert, finish and audit. Files appear atomically in output/<plan>/<doc>.<ext>.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import check, convert, finish, layout, pdfread
from .errors import ConvertError, FawenError
from .files import atomic_write
from .load import Source, Workspace, display
from .render import docx as docx_render


@dataclass
class Job:
    plan_id: str
    doc_id: str
    layout: layout.Layout

    @property
    def name(self) -> str:
        return f"{self.plan_id}/{self.doc_id}"


@dataclass
class Report:
    built: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [f"warning: {w}" for w in self.warnings] + [f"error: {f}" for f in self.failed]
        out.append(f"{len(self.built)} built, {len(self.failed)} failed in {self.seconds:.1f} s")
        return out


def jobs(workspace: Workspace) -> list[Job]:
    out = []
    for source in sorted(workspace.plans, key=lambda s: s.plan.id):
        out += jobs_for(source)
    return out


def jobs_for(source: Source) -> list[Job]:
    names = source.registry.names() if source.registry else {}
    plan = source.plan
    base = Path(source.path).parent
    return [Job(plan.id, doc.id, layout.notice(plan, doc, names, base)) for doc in plan.documents]


def estimate_placement(lay: layout.Layout) -> docx_render.Placement:
    """Without LibreOffice (DOCX only): count grid lines to guess the last page's room."""
    lines, pages = 11 if lay.head else 0, 1
    for b in lay.blocks:
        if b.role == "page-break":
            pages += math.ceil(lines / 22) if lines else 1
            lines = 0
            continue
        if b.role == "title":
            n = len(b.lines)
        else:
            indent = 2 if b.role in ("body", "h1", "h2", "annotation", "attachment-note") else 0
            n = max(1, math.ceil((indent + docx_render.text_width(b.text)) / 28))
        lines += n
    pages += (lines - 1) // 22
    used = lines - 22 * ((lines - 1) // 22)
    assert lay.colophon is not None
    return docx_render.place_colophon(pages, 22 - used, lay.colophon)


def glyph_warnings(job: Job, fonts: Path | None) -> list[str]:
    """Characters that no font on this machine can show, by the face that asks for them."""
    from .render.docx import FONT_NAMES
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


def render_pdf(job: Job, fonts: Path | None) -> tuple[bytes, bytes]:
    """DOCX and PDF bytes of one document.

    A first pass without the 版记 is measured: if 署名 and 成文日期 were left alone on a
    page, milder to stronger remedies are tried (layout.signature_fits); the last page's
    room then decides where the 版记 goes.
    """
    lay = job.layout
    placement = None
    colophon = lay.colophon
    if colophon is not None:
        pages = pdfread.read(convert.to_pdf(docx_render.render(lay, None), job.name, fonts))
        options = layout.signature_fits(lay) if check.signature_alone(pages) is not None else []
        for option in options:
            pages = pdfread.read(convert.to_pdf(docx_render.render(option, None), job.name, fonts))
            lay = option
            if check.signature_alone(pages) is None:
                break
        placement = docx_render.place_colophon(len(pages), pdfread.free_lines(pages[-1]), colophon)
    docx = docx_render.render(lay, placement)
    pdf = finish.finish(convert.to_pdf(docx, job.name, fonts), lay)
    return docx, pdf


def build(workspace: Workspace, out_dir: Path, pdf: bool = True, fonts_dir: Path | None = None) -> Report:
    report = Report()
    start = time.monotonic()
    for job in jobs(workspace):
        target = out_dir / job.plan_id / job.doc_id
        try:
            if pdf:
                report.warnings += glyph_warnings(job, fonts_dir)
                docx_bytes, pdf_bytes = render_pdf(job, fonts_dir)
                findings = check.audit_pdf(pdf_bytes)
                report.warnings += [f"{job.name}.pdf: {f}" for f in findings]
            else:
                placement = estimate_placement(job.layout) if job.layout.colophon else None
                docx_bytes, pdf_bytes = docx_render.render(job.layout, placement), b""
        except (ConvertError, FawenError) as exc:
            report.failed.append(str(exc))
            continue
        atomic_write(target.with_suffix(".docx"), docx_bytes)
        written = [display(target.with_suffix(".docx"))]
        if pdf:
            atomic_write(target.with_suffix(".pdf"), pdf_bytes)
            written.append(display(target.with_suffix(".pdf")))
        report.built.append(job.name)
        print(f"built {', '.join(written)}", flush=True)
    report.seconds = time.monotonic() - start
    return report
