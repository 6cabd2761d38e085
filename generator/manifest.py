"""Incremental builds: what a document's bytes depend on, and the record of the last build.

output/.fawen-manifest.json maps each document to a hash of its inputs (its layout, an office
head template, fawen's code and templates, LibreOffice and the fonts) and of the files it
wrote: a rebuild converts only what changed, and a damaged or foreign record costs a full
rebuild, never a wrong file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, layout

if TYPE_CHECKING:
    from .jobs import Job


MANIFEST = ".fawen-manifest.json"


def code_fingerprint() -> str:
    """fawen's own code and templates: a change to either rebuilds everything."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *layout.TEMPLATES.rglob("*")]):
        if path.is_file():
            h.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cache_key(job: Job, environment: str) -> str:
    """What decides a document's bytes: its layout (everything taken from the plan, the
    departments and the text fragments), an office head template, fawen's code,
    LibreOffice and the fonts (in `environment`)."""
    h = hashlib.sha256(environment.encode() + b"\0" + repr(job.layout).encode() + repr(job.table).encode()
                       + (job.chart.model_dump_json().encode() + repr(job.names).encode() if job.chart else b""))
    template = job.layout.head.template if job.layout.head else None
    if template is not None and template.is_file():
        h.update(template.read_bytes())
    return h.hexdigest()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """The last build's record, or nothing when it is missing or not one (a damaged or
    foreign file only costs a full rebuild)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: entry for name, entry in data.items()
            if isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())}
