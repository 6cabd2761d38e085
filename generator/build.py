"""The whole pipeline on one screen: plans → layouts → DOCX → PDF → output/.

For each declared document: lay it out, render DOCX with the 版记 placed by counting grid
lines, convert it in a pool of LibreOffice workers, check the placement on the PDF (and
correct it once if the count was wrong), finish and audit. A document whose inputs did not
change since the last build is not converted again (output/.fawen-manifest.json). Files
appear atomically in output/<plan>/<doc>.<ext>.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import bulletins, check, convert, fidelity, finish, layout, layout_progress, ooxml, pdfread, validate
from .errors import ConvertError, FawenError, OutputError, RenderError
from .files import atomic_write, prepare_output
from .load import Source, Workspace
from .manifest import MANIFEST, cache_key, code_fingerprint, read_manifest, sha
from .model import Duties, Notice, Plan, Roadmap, TaskTable, Tongbao
from .model.documents import Duban, Jianbao, ProgressTable
from .model.ledger import Series
from .model.registry import Registry
from .numbering import IssueNumber
from .placement import content_end, end_filler, estimate_placement, estimate_signature_alone
from .progress import Progress, Turns
from .render import docx as docx_render
from .render import table_docx
from .render.colophon import place_colophon
from .tables import Row, rows


@dataclass
class Job:
    plan_id: str
    doc_id: str
    layout: layout.Layout
    table: tuple[list[Row], dict[str, str], str, list[str]] | None = None  # a 任务分解表's rows and columns
    chart: Plan | None = None  # a 路线图: the plan whose roadmap is drawn
    names: dict[str, str] = field(default_factory=dict)  # a 路线图's department names (a phase's lead units)
    progress: layout_progress.Progress | None = None  # a 统计表's or 督办清单's grid, a 简报's chart

    @property
    def name(self) -> str:
        return f"{self.plan_id}/{self.doc_id}"


@dataclass
class Report:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # tasks.xlsx and summary.md files written
    conversions: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [f"warning: {w}" for w in sorted(self.warnings)] + [f"error: {f}" for f in sorted(self.failed)]
        out.append(f"{len(self.built)} built, {len(self.skipped)} up to date, {len(self.failed)} failed "
                   f"({self.conversions} PDF conversions) in {self.seconds:.1f} s")
        return out


def jobs(workspace: Workspace) -> list[Job]:
    out = []
    refs = validate.references(workspace)[0]  # what each 《@…》 cross-reference stands for
    issues = bulletins.issue_for(workspace)  # each 简报's issue line, taken from its series
    for source in sorted(workspace.plans, key=lambda s: s.plan.id):
        series = {d.id: bulletins.series_for(source, d.series, workspace)
                  for d in source.plan.documents if isinstance(d, Jianbao)}
        out += jobs_for(source, refs.get(source.plan.id), issues, series)
    return out


def jobs_for(source: Source, refs: dict[str, str] | None = None,
             issues: dict[tuple[str, str], IssueNumber] | None = None,
             series: dict[str, Series | None] | None = None) -> list[Job]:
    """The jobs of one plan; a 简报's issue (`issues`, from the whole workspace in jobs()) is
    taken from this plan and its ledgers alone when not given."""
    if issues is None or series is None:
        alone = Workspace([source], [], ledgers=list(source.ledgers))
        issues = bulletins.issue_for(alone) if issues is None else issues
        series = {d.id: bulletins.series_for(source, d.series, alone)
                  for d in source.plan.documents if isinstance(d, Jianbao)} if series is None else series
    names = source.registry.names() if source.registry else {}
    order = layout.departments_in(source.plan, list(names))
    plan = source.plan
    base = Path(source.path).parent
    plain = layout.one_line(plan.title)  # a title written with chosen breaks, inside a longer one
    out = []
    for doc in plan.documents:
        if isinstance(doc, Notice):
            out.append(Job(plan.id, doc.id, layout.notice(plan, doc, names, base, refs=refs)))
        elif isinstance(doc, TaskTable):
            title = doc.title or f"{plain}任务分解表"
            lay = replace(layout.duties(plan, title, names, []), blocks=[])
            out.append(Job(plan.id, doc.id, lay, (rows(plan, doc.measures), names, plan.all_support,
                                                    list(doc.columns))))
        elif isinstance(doc, Roadmap):
            title = doc.title or f"{plain}重点任务推进路线图"
            lay = layout.Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=plan.title,
                                date=layout.duties(plan, title, names, []).date, head=None,
                                blocks=[layout.Block("title", lines=layout.title_lines(title, terms=names.values())),
                                        layout.block("blank")])
            out.append(Job(plan.id, doc.id, lay, chart=plan, names=names))
        elif isinstance(doc, Jianbao | ProgressTable | Duban):
            out.append(progress_job(source, doc, names, issues, series))
        elif isinstance(doc, Tongbao) and doc.period:  # its figures name departments by 全称 or 简称
            named = layout_progress.Named(names, Registry(departments=source.registry.departments)
                                          if source.registry else None)
            out.append(Job(plan.id, doc.id, layout.document(plan, doc, named, base, refs)))
        elif not isinstance(doc, Duties):  # 通知, 通报, 请示, 报告, the 方案 on its own
            out.append(Job(plan.id, doc.id, layout.document(plan, doc, names, base, refs)))
        else:
            out.append(Job(plan.id, doc.id, layout.duties(plan, doc.title or f"{plain}责任清单", names, order)))
            if doc.per_department:  # one more file per department: only its own tasks
                # titled 单位名称 + the document's `title` (on one line) when it has one, else the
                # campaign (the plan title without 实施方案/工作方案/方案) + 责任清单（单位名称）: a
                # plan title starts with its issuer, which a unit's name must not run into
                campaign = re.sub(r"(实施|工作)?方案$", "", plain)
                for dep in order:
                    title = (f"{names.get(dep, dep)}{layout.one_line(doc.title)}" if doc.title
                             else f"{campaign}责任清单（{names.get(dep, dep)}）")
                    lay = layout.duties(plan, title, names, [dep])
                    if len(lay.blocks) > 2:
                        out.append(Job(plan.id, f"{doc.id}-{dep}", lay))
    return out


def progress_job(source: Source, doc: Jianbao | ProgressTable | Duban, names: dict[str, str],
                 issues: dict[tuple[str, str], IssueNumber], series: dict[str, Series | None]) -> Job:
    """A 简报 (its issue from bulletins.assign), 进展情况统计表 or 督办清单 (layout_progress)."""
    registry = Registry(departments=source.registry.departments) if source.registry else None
    lay, progress = layout_progress.progress_layout(source.plan, doc, layout_progress.Named(names, registry),
                                                    issues.get((source.plan.id, doc.id)), series.get(doc.id))
    return Job(source.plan.id, doc.id, lay, progress=progress)


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
        end = next((b for b in lay.blocks if b.role == "bulletin-end"), None)
        if end is not None and end.rows and (filler := end_filler(pdfread.read(pdf), end.rows[0][0])):
            # a 简报's 报/送/发 lines go to the foot of its last page, measured on this PDF
            docx = docx_render.render(lay, filler, picture=_picture(job, pool.fonts))
            pdf = pool.convert(docx, job.name)
            conversions += 1
        return docx, finish.finish(pdf, lay), conversions, pdfread.read(pdf)
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

# ---------------------------------------------------------------- incremental, parallel builds

def shard_of(jobs: list[Job], shard: tuple[int, int] | None) -> list[Job]:
    """--shard I/N: every N-th document by name, starting with the I-th (1-based)."""
    if shard is None:
        return jobs
    i, n = shard
    return [job for k, job in enumerate(sorted(jobs, key=lambda j: j.name)) if k % n == i - 1]


def build(workspace: Workspace, out_dir: Path, pdf: bool = True, fonts_dir: Path | None = None,
          workers: int | None = None, shard: tuple[int, int] | None = None, bar: bool = False,
          pool: convert.Pool | None = None) -> Report:
    """Render every document; convert only those whose inputs changed since the last build.
    A `pool` given by the caller (a watch loop, the preview) stays warm: the build uses it
    and leaves it open; otherwise the build starts its own and closes it."""
    report = Report()
    start = time.monotonic()
    todo = shard_of(jobs(workspace), shard)
    prepare_output(out_dir)
    manifest_path = out_dir / MANIFEST
    manifest = read_manifest(manifest_path)
    code = code_fingerprint()
    dirty = False  # the manifest changed and needs writing
    environment = (f"{code}|pdf|{convert.libreoffice_version()}|{convert.fonts_fingerprint(fonts_dir)}"
                   if pdf else f"{code}|docx")
    lock = threading.Lock()
    saved_at = 0.0  # when the manifest was last written
    progress = Progress(len(todo), bar=bar)
    turns = Turns()

    def up_to_date(job: Job, key: str) -> bool:
        entry = manifest.get(job.name)
        if not entry or entry.get("key") != key:
            return False
        target = out_dir / job.plan_id / job.doc_id
        for ext in ("docx", "pdf") if pdf else ("docx",):
            path = target.with_suffix(f".{ext}")
            if not path.is_file() or sha(path.read_bytes()) != entry.get(ext):
                return False
        return True

    def one(job: Job, pool: convert.Pool | None, turn: int) -> None:
        try:
            turns.wait(turn)
            _one(job, pool, turn)
        finally:
            turns.done(turn)

    def _one(job: Job, pool: convert.Pool | None, turn: int) -> None:
        target = out_dir / job.plan_id / job.doc_id
        checks: dict[bytes, Future[list[str]]] = {}

        def rendered(docx: bytes) -> None:
            """The next document may render; this one is checked against the schemas while it converts."""
            turns.done(turn)
            checks[docx] = schema_checker.submit(ooxml.validate_docx, docx)

        # a 统计表's grid and a 简报's chart come from the progress data, not from the layout alone
        key = cache_key(job, environment + (repr(job.progress) if job.progress else ""))
        if up_to_date(job, key):
            write_beside(job, target)
            with lock:
                report.skipped.append(job.name)
            progress.done(job.name, "up to date")
            return
        try:
            if pool is not None:
                pool.warm()  # LibreOffice starts while this document renders
                glyphs = glyph_warnings(job, fonts_dir)
                report.warnings.extend(glyphs)
                docx_bytes, pdf_bytes, n, pages = render_pdf(job, pool, rendered)
                lost = fidelity.losses(docx_bytes, pages)
                if lost:
                    # a character without a glyph also garbles LibreOffice's text layer near it
                    cause = " (a character has no glyph in the fonts: see the warning)" if glyphs else ""
                    raise ConvertError(f"{job.name}: the PDF lost {len(lost)} piece(s) of the DOCX's text{cause}: "
                                       + "; ".join(map(str, lost[:5])) + ("; …" if len(lost) > 5 else ""))
                findings = check.audit_pages(pages, official=job.layout.head is not None)
                with lock:
                    report.conversions += n
                    report.warnings.extend(f"{job.name}.pdf: {f}" for f in findings)
            elif job.layout.head is None:
                docx_bytes, pdf_bytes = _docx_of(job, fonts_dir), b""
            else:
                placement = estimate_placement(job.layout) if job.layout.colophon else None
                docx_bytes = docx_render.render(job.layout, placement, picture=_picture(job, fonts_dir))
                pdf_bytes = b""
            invalid = checks[docx_bytes].result() if docx_bytes in checks else ooxml.validate_docx(docx_bytes)
            if invalid:  # a fawen bug, never the user's: fail loudly rather than ship it
                raise RenderError(f"{job.name}: the DOCX breaks the ISO/IEC 29500 schemas (Word would repair it): "
                                  + "; ".join(invalid[:3]))
        except FawenError as exc:
            message = str(exc) if str(exc).startswith(job.name) else f"{job.name}: {exc}"
            for ext in ("docx", "pdf"):  # no stale file passes for this build's result
                with contextlib.suppress(OSError):
                    target.with_suffix(f".{ext}").unlink(missing_ok=True)
            with lock:
                report.failed.append(message)
                manifest.pop(job.name, None)
            progress.done(job.name, "failed")
            return
        entry = {"key": key, "docx": sha(docx_bytes)}
        try:
            atomic_write(target.with_suffix(".docx"), docx_bytes)
            if pool is not None:
                atomic_write(target.with_suffix(".pdf"), pdf_bytes)
                entry["pdf"] = sha(pdf_bytes)
        except OutputError:
            with contextlib.suppress(OSError):  # a document's files come as a pair or not at all
                target.with_suffix(".docx").unlink(missing_ok=True)
            raise
        write_beside(job, target)
        with lock:
            manifest[job.name] = entry
            report.built.append(job.name)
            if time.monotonic() - saved_at > 0.5:  # often enough that an interrupted build loses little
                save_manifest()
        progress.done(job.name, "built")

    def write_beside(job: Job, target: Path) -> None:
        """The XLSX (and chart) next to a 统计表 or 督办清单, rewritten only when they changed."""
        for name, data in beside(job, fonts_dir).items():
            path = target.with_name(name)
            if not (path.is_file() and path.read_bytes() == data):
                atomic_write(path, data)
                with lock:
                    report.tables.append(f"{job.plan_id}/{name}")

    def save_manifest() -> None:
        nonlocal saved_at
        atomic_write(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1,
                                               sort_keys=True).encode("utf-8"))
        saved_at = time.monotonic()

    ledgers = workspace.plans if shard is None or shard[0] == 1 else []
    if pdf and todo:
        report.warnings += font_warnings(fonts_dir)
    size = max(1, workers or os.cpu_count() or 1)
    own_pool = pdf and pool is None  # a pool the caller gave stays open for the caller
    if own_pool:
        pool = convert.Pool(size, fonts_dir)
    elif not pdf:
        pool = None
    schema_checker = ThreadPoolExecutor(max_workers=1)
    try:
        # more documents in flight than workers, so that the workers convert while Python
        # renders or reads; the longest first, so that no worker is left with one at the end
        with ThreadPoolExecutor(max_workers=2 * size + 1) as executor:
            documents = [executor.submit(one, job, pool, turn)
                         for turn, job in enumerate(sorted(todo, key=_cost, reverse=True))]
            # the ledgers after the documents: LibreOffice converts while they are written
            written = [executor.submit(_tables, source, out_dir, report, manifest, code, lock) for source in ledgers]
            for future in documents:
                future.result()
            dirty = any(future.result() for future in written)
    finally:
        if report.built or dirty:
            with lock:
                save_manifest()
        if own_pool and pool is not None:
            pool.close()
        schema_checker.shutdown()
        progress.close()
    report.seconds = time.monotonic() - start
    return report


def _cost(job: Job) -> int:
    """A rough measure of a document's conversion time: its paragraphs and table rows."""
    rows = sum(len(a.table[0]) for a in job.layout.appendices if a.table is not None)
    if job.table is not None:
        rows += len(job.table[0])
    return len(job.layout.blocks) + 2 * rows + (300 if job.chart is not None else 0)


def _tables(source: Source, out_dir: Path, report: Report, manifest: dict[str, dict[str, str]],
            code: str, lock: threading.Lock) -> bool:
    """The plan's ledger (tasks.xlsx) and review summary (summary.md, with the roadmap),
    made again only when the plan, its departments or fawen changed. True if written. Runs
    beside the documents' threads."""
    from .render import markdown, xlsx
    plan = source.plan
    if not plan.task_groups:
        return False
    names = source.registry.names() if source.registry else {}
    order = layout.departments_in(plan, list(names))
    key = hashlib.sha256("|".join([code, plan.model_dump_json(), json.dumps(names, sort_keys=True),
                                   *order]).encode()).hexdigest()
    makers: dict[str, Callable[[], bytes]] = {"tasks.xlsx": lambda: xlsx.workbook(plan, names, order),
                                              "summary.md": lambda: markdown.summary(plan, names).encode("utf-8")}
    written = False
    for name, make in makers.items():
        target = out_dir / plan.id / name
        with lock:  # the documents' threads write the manifest too
            entry = manifest.get(f"{plan.id}/{name}", {})
        if entry.get("key") == key and target.is_file() and sha(target.read_bytes()) == entry.get("sha"):
            continue
        data = make()
        if not (target.is_file() and target.read_bytes() == data):
            atomic_write(target, data)
            with lock:
                report.tables.append(f"{plan.id}/{name}")
        with lock:
            manifest[f"{plan.id}/{name}"] = {"key": key, "sha": sha(data)}
        written = True
    return written
