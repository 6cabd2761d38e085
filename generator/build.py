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
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import check, convert, fidelity, layout, ooxml
from .document_pdf import _docx_of, _picture, beside, font_warnings, glyph_warnings, render_pdf
from .errors import ConvertError, FawenError, OutputError, RenderError
from .files import atomic_write, prepare_output
from .jobs import Job, jobs, jobs_for, progress_job
from .load import Source, Workspace
from .manifest import MANIFEST, cache_key, code_fingerprint, read_manifest, sha
from .placement import estimate_placement
from .progress import Progress, Turns
from .render import docx as docx_render

__all__ = ["MANIFEST", "Job", "Report", "_docx_of", "beside", "build", "font_warnings", "glyph_warnings", "jobs",
           "jobs_for", "progress_job", "render_pdf", "shard_of"]


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
    ooxml.warm()  # before any thread (see ooxml.warm)
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
