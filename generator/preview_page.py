"""What the preview page shows: problems with editor links and the lines around them,
changes grouped as the review report groups them, and the state the page polls as JSON."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import review
from .diff import Change, category
from .errors import Problem, printable
from .snapshot import Snapshot

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "preview"
SCALE = 2.0  # pixels per PDF point: an A4 page is 1191 × 1684, sharp on a high-density screen
EDITOR = "vscode://file{path}:{line}:{column}"


@dataclass
class Shown:
    """A problem as the page shows it: where (linked), what, and the lines around it."""

    where: str
    link: str
    severity: str
    message: str
    hint: str
    excerpt: list[tuple[int, str, bool]]  # (line number, text, is the line)
    column: int


def shown(problems: tuple[Problem, ...], sources: dict[str, str], editor: str) -> list[Shown]:
    lines: dict[str, list[str]] = {}
    out = []
    for p in problems:
        pos = p.position
        absolute = sources.get(pos.path)
        excerpt: list[tuple[int, str, bool]] = []
        if absolute is not None:
            if absolute not in lines:
                try:
                    raw = Path(absolute).read_bytes()[: 2**20]
                    lines[absolute] = raw.decode("utf-8", "replace").splitlines()
                except OSError:
                    lines[absolute] = []
            text = lines[absolute]
            excerpt = [(n, text[n - 1], n == pos.line) for n in range(max(1, pos.line - 1), pos.line + 2)
                       if 0 < n <= len(text)]
        path = absolute or os.path.abspath(pos.path)
        link = editor.format(path=quote(path), line=pos.line, column=pos.column)
        out.append(Shown(str(pos), link, p.severity, p.message, p.hint, excerpt, pos.column))
    return out


def _diff_markup(summary: str) -> Any:
    """[-removed-]{+added+} as <del>/<ins>, everything else escaped."""
    from markupsafe import Markup, escape

    text = str(escape(printable(summary)))
    text = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", text)
    return Markup(re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", text))


def _finalize(value: Any) -> Any:
    """Every value written into the page: control characters and bidi overrides escaped."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


def environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, finalize=_finalize,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["diff"] = _diff_markup
    env.filters["clock"] = lambda t: time.strftime("%H:%M:%S", time.localtime(t)) if t else "—"
    return env


def _groups(changes: tuple[Change, ...]) -> list[tuple[str, list[Change]]]:
    by: dict[str, list[Change]] = {}
    for c in changes:
        by.setdefault(category(c.kind), []).append(c)
    return [(name, by[name]) for name in review.ORDER if name in by]


def context(snap: Snapshot, name: str | None, editor: str, against: str | None) -> dict[str, Any]:
    doc = snap.document(name)
    return {
        "snap": snap, "doc": doc, "problems": shown(snap.problems, snap.sources, editor),
        "errors": len(snap.errors), "against": against, "scale": SCALE,
        "diff_counts": review.counts(list(snap.changes)) if snap.changes is not None else None,
        "diff_groups": _groups(snap.changes) if snap.changes is not None else [],
        "sign": lambda kind: "+" if kind.endswith("-added") else "−" if kind.endswith("-removed") else "~",
    }


def state_json(snap: Snapshot) -> dict[str, Any]:
    return {
        "generation": snap.generation, "stale": snap.stale, "built_at": snap.built_at,
        "summary": snap.summary, "failures": list(snap.failures),
        "problems": [{"path": p.position.path, "line": p.position.line, "column": p.position.column,
                      "severity": p.severity, "message": p.message, "hint": p.hint} for p in snap.problems],
        "documents": [{"name": d.name, "label": d.label, "sha": d.sha, "stale": d.stale or snap.stale,
                       "pdf": f"/pdf/{d.sha}.pdf" if d.sha else None,
                       "pages": [f"/page/{d.sha}/{i + 1}.png" for i in range(len(d.pages))]}
                      for d in snap.documents],
        "changes": None if snap.changes is None else [c.to_json() for c in snap.changes],
    }
