"""What a watched build published: its documents and pages, and the PDFs kept by content hash.

A `Snapshot` is immutable; the preview serves only the PDFs one lists, from the `Store` (a
content-addressed copy no later build can overwrite or delete), so a broken save keeps the
last good pages and no half-written file is ever served.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .diff import Change
from .errors import Problem

KINDS = {"notice": "印发通知", "task-table": "任务分解表", "responsibilities": "责任清单", "roadmap": "路线图"}


@dataclass(frozen=True)
class Page:
    width: float  # PDF points
    height: float


@dataclass(frozen=True)
class Document:
    plan: str
    doc: str
    kind: str  # as declared: notice, tongzhi, task-table …
    label: str  # what the list shows: 印发通知, 任务分解表, 责任清单（应急管理局）…
    title: str  # the document's own title, when the plan gives one
    sha: str  # of the PDF ("" when built without PDF)
    pages: tuple[Page, ...] = ()
    stale: bool = False  # its last build failed: these are the pages of an earlier one

    @property
    def name(self) -> str:
        return f"{self.plan}/{self.doc}"


@dataclass(frozen=True)
class Snapshot:
    """One published state: the problems of the latest save and the last good documents."""

    generation: int
    problems: tuple[Problem, ...] = ()  # errors and warnings of the latest save
    documents: tuple[Document, ...] = ()
    failures: tuple[str, ...] = ()  # documents whose build failed (their earlier pages are kept)
    warnings: tuple[str, ...] = ()  # the build's warnings (fonts, GB/T audit findings)
    summary: str = ""  # the build's last report line
    stale: bool = False  # the latest save did not build: documents are from an earlier save
    built_at: float = 0.0  # time.time() of the build the documents come from
    checked_at: float = 0.0  # time.time() of the latest save's check
    titles: tuple[str, ...] = ()
    changes: tuple[Change, ...] | None = None  # against --against, when asked for and valid
    sources: dict[str, str] = field(default_factory=dict)  # allowed problem paths → absolute paths

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def same(self, other: Snapshot) -> bool:
        """Nothing a reader would see differs (a save that changed no document, no problem)."""
        fields = ("problems", "documents", "failures", "warnings", "stale", "changes")
        return all(getattr(self, f) == getattr(other, f) for f in fields)

    def document(self, name: str | None) -> Document | None:
        found = [d for d in self.documents if d.name == name]
        if found:
            return found[0]
        notices = [d for d in self.documents if d.kind == "notice"]
        first = notices or list(self.documents)
        return first[0] if first else None


class Store:
    """PDFs by their SHA-256 in `<out>/.fawen-preview/`: a published snapshot's files, which a
    later build (writing, failing, deleting) cannot touch. Hard links where possible."""

    def __init__(self, out_dir: Path):
        self.dir = out_dir / ".fawen-preview"

    def path(self, sha: str) -> Path:
        return self.dir / f"{sha}.pdf"

    def keep(self, source: Path) -> tuple[str, bytes]:
        data = source.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.is_file():
            self.dir.mkdir(parents=True, exist_ok=True)
            part = self.dir / f".{sha}.{os.getpid()}.part"
            part.unlink(missing_ok=True)
            try:
                os.link(source, part)  # build.py writes by rename, never in place: the inode stays
                if hashlib.sha256(part.read_bytes()).hexdigest() != sha:  # replaced since we read it
                    part.unlink()
                    part.write_bytes(data)
            except OSError:
                part.write_bytes(data)
            os.replace(part, target)
        return sha, data

    def read(self, sha: str) -> bytes | None:
        """The PDF, if it is a regular file inside the store whose bytes still have this hash."""
        path = self.path(sha)
        try:
            if self.dir.is_symlink() or path.is_symlink() or not path.is_file():
                return None
            data = path.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha else None

    def prune(self, keep: set[str]) -> None:
        if not self.dir.is_dir():
            return
        for path in self.dir.iterdir():  # (a .part left by an interrupted copy too)
            if path.suffix == ".part" or (path.suffix == ".pdf" and path.stem not in keep):
                path.unlink(missing_ok=True)


def kind_name(declared: object) -> str:
    """通知, 通报, 任务分解表 …: from the model's own description of the kind ("tongbao：通报")."""
    kind = str(getattr(declared, "kind", ""))
    if kind in KINDS:
        return KINDS[kind]
    fields = getattr(type(declared), "model_fields", {})
    description = getattr(fields.get("kind"), "description", None) or ""
    return description.partition("：")[2] or kind


def page_sizes(pdf: bytes) -> tuple[Page, ...]:
    import pypdfium2 as pdfium

    from .pdfread import _PDFIUM  # PDFium is not thread-safe: one lock for the whole process

    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            return tuple(Page(*doc.get_page_size(i)) for i in range(len(doc)))
        finally:
            doc.close()
