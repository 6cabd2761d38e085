"""Prove that nothing was lost between a DOCX and its PDF.

Every character of the DOCX's text (body, tables, 版头 and 版记; not the page-number
fields of the footers) must reach the PDF's text layer. LibreOffice has dropped characters
before (hanging punctuation after a full line): the build reads every PDF back anyway, so
it checks this for every document and fails naming the page and the context.

The proof counts: each character must be printed at least as often as the DOCX has it.
Counting is exact whatever order the PDF reads in, which matters for tables (the cells of
one row are read line by line across the row). Only when something is missing is the text
aligned in reading order, to say where: the first places in the flow where the missing
characters should stand, table cells last.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from .pdfread import Page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTEXT = 6  # characters shown each side of a lost one


@dataclass(frozen=True)
class Loss:
    """Characters of the DOCX missing from the PDF, where the PDF would have them."""

    page: int
    text: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"page {self.page}: “{self.text}” is missing: …{self.before}[{self.text}]{self.after}…"


def docx_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """The text of each paragraph a reader of the DOCX sees in the body, in document order,
    without white space, and whether it stands in a table cell.

    Deleted text of tracked changes (w:delText) and field codes (w:instrText) are not text;
    the footers (page numbers) are not read at all.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        text = "".join("".join((t.text or "").split()) for t in p.iter(f"{W}t"))
        if text:
            out.append((text, any(a.tag == f"{W}tc" for a in p.iterancestors())))
    return out


def _pdf_chars(pages: list[Page]) -> list[tuple[str, int]]:
    """Each character of the PDF's text layer inside the 版心 with its page number, in
    reading order; page numbers (below the 版心, or turned on landscape pages) left out."""
    out = []
    for page in pages:
        for line in page.body_lines:
            out += [(c.text, page.number) for c in line.chars if c.upright and not c.text.isspace()]
    return out


def losses(docx: bytes, pages: list[Page]) -> list[Loss]:
    """What the DOCX says that the PDF does not: empty when nothing was lost."""
    paragraphs = docx_paragraphs(docx)
    source = "".join(text for text, _ in paragraphs)
    chars = _pdf_chars(pages)
    printed = "".join(ch for ch, _ in chars)
    deficit = Counter(source) - Counter(printed)
    if not deficit:
        return []
    in_table = [cell for text, cell in paragraphs for _ in text]
    where: dict[int, int] = {}  # index in the source → index in the PDF where it would stand
    matcher = difflib.SequenceMatcher(None, source, printed, autojunk=False)
    for op, i1, i2, j1, _ in matcher.get_opcodes():
        if op in ("delete", "replace"):
            where.update((k, j1) for k in range(i1, i2))
    lost: list[int] = []
    for ch, count in deficit.items():
        candidates = sorted((k for k in where if source[k] == ch), key=lambda k: (in_table[k], k))
        lost += candidates[:count]
    found = []
    for start, end in _runs(sorted(lost)):
        page = chars[min(where[start], len(chars) - 1)][1] if chars else 1
        found.append(Loss(page, source[start:end], source[max(0, start - CONTEXT):start],
                          source[end:end + CONTEXT]))
    return found


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive indices as (start, end) ranges."""
    out: list[tuple[int, int]] = []
    for k in indices:
        if out and out[-1][1] == k:
            out[-1] = (out[-1][0], k + 1)
        else:
            out.append((k, k + 1))
    return out
