"""What each document shows, as blocks of text in reading order with their roles, and the
pieces every layout shares: typefaces, text fragments (templates/text/), title lines.

No file format here. A block says what it is (title, heading, body paragraph, signature
…) and which typeface each run wants; render/docx.py turns roles into GB/T 9704 layout.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .. import titles

TEMPLATES = Path(os.environ.get("FAWEN_TEMPLATES", Path(__file__).resolve().parents[2] / "templates"))

# Typefaces by role; render maps them to font names (仿宋_GB2312 …).
FANG, HEI, KAI, SONG, XBS = "fang", "hei", "kai", "song", "xbs"


@dataclass(frozen=True)
class Run:
    text: str
    face: str = FANG
    change: str | None = None  # "ins" or "del": a tracked change (redline documents)


@dataclass(frozen=True)
class Block:
    """One paragraph of a document. `role` decides its layout (see render/docx.py)."""

    role: str
    runs: tuple[Run, ...] = ()
    lines: tuple[str, ...] = ()  # for titles: the chosen line breaks
    change: str | None = None  # "ins"/"del": the whole paragraph was inserted or deleted
    rows: tuple[tuple[str, ...], ...] = ()  # role "table": its cells, row by row
    header: bool = False  # role "table": the first row is the head row

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs) or "\n".join(self.lines)


def block(role: str, *runs: Run | str) -> Block:
    return Block(role, tuple(Run(r) if isinstance(r, str) else r for r in runs))


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送 and 印发机关/印发日期 (and 主送 moved here when it is too long)."""

    cc: tuple[str, ...]
    printed_by: str
    printed_date: str
    to: tuple[str, ...] = ()  # 主送机关, when too many to let the body start on page 1


@dataclass(frozen=True)
class Head:
    """版头: optional 份号/密级/紧急程度, the red organ mark, the number and the 签发人."""

    organs: tuple[str, ...]
    mark_suffix: str
    number: str
    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    signer: str | None = None
    template: Path | None = None  # an office's own red head (docxtpl), instead of the built-in one
    variant: str = "file"  # GB/T 9704 10: "file" 文件格式, "minutes" 纪要格式, "letter" 信函格式


@dataclass(frozen=True)
class Appendix:
    """A further attachment bound with a notice (附件2 …): a list, a table or a chart."""

    label: str
    title: str  # as displayed: its lines (title_lines) joined by newlines
    blocks: tuple[Block, ...] = ()
    table: tuple[Any, ...] | None = None   # 任务分解表: (rows, department names, “all” text, columns)
    chart: Any = None                      # 路线图: the Plan whose roadmap is drawn
    names: dict[str, str] = field(default_factory=dict)  # 路线图: department names (a phase's leads)


@dataclass
class Layout:
    """A whole document: head, body blocks in order, and the colophon.

    `title` and `subject` are the document's metadata, on one line; `heading` is the title as
    written (a YAML block scalar's newlines are the user's line breaks) and `terms` are the words
    its lines must not split (department names), for a renderer that breaks the title itself."""

    doc_id: str
    title: str
    author: str
    subject: str
    date: str
    head: Head | None
    blocks: list[Block] = field(default_factory=list)
    colophon: Colophon | None = None
    first_part_pitch: int | None = None  # other lines for the notice itself (see signature_fits)
    revision: tuple[str, str] | None = None  # (author, ISO time) of tracked changes in the blocks
    appendices: list[Appendix] = field(default_factory=list)
    heading: str = ""
    terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.heading = self.heading or self.title
        self.title, self.subject = titles.one_line(self.title), titles.one_line(self.subject)


# ---------------------------------------------------------------- text fragments

def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "text")),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
    )


def fragment(name: str, **values: object) -> str:
    return _env().get_template(name).render(**values).strip()


# ---------------------------------------------------------------- titles

APPENDED_NAMES = {"task-table": "任务分解表", "responsibilities": "责任清单", "roadmap": "重点任务推进路线图"}
MAX_TITLE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm 版心
LANDSCAPE_TITLE_CHARS = 28  # and in the 225 mm of a turned one (任务分解表)
# GB/T 9704 7.3.2: a 主送 list so long that the body could not start on page 1 moves into the
# 版记; after the 版头 and a two-line title, four lines of 主送 still leave room for the body.
MAX_TO_CHARS = 4 * 28


def title_lines(title: str, width: int = MAX_TITLE_CHARS, terms: Iterable[str] = ()) -> tuple[str, ...]:
    """A title's lines (GB/T 9704 7.3.1): words, `terms` (department names), numbers and 《…》 kept
    whole, lines balanced in a 梯形 or 菱形; a title written with line breaks keeps them.
    See titles.py."""
    return titles.title_lines(title, width, terms)


def one_line(text: str) -> str:
    """A title where it is not displayed as a title (a sentence, 附件说明, metadata): one line."""
    return titles.one_line(text)


def _terms(names: dict[str, str], terms: Iterable[str]) -> tuple[str, ...]:
    """The words a title of this plan must not split: its departments' names (全称, and 简称 when given)."""
    return tuple(dict.fromkeys([*names.values(), *terms]))
