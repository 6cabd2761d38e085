"""Two versions of a plan → one DOCX with Word tracked changes (w:ins / w:del).

Paragraphs are aligned by their text; a changed paragraph gets character-level changes
(Chinese has no spaces to split words on), a new or dropped paragraph is inserted or
deleted whole, paragraph mark included, so that accepting every change in Word, WPS or
LibreOffice gives exactly the new document and rejecting them gives the old one.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from ..layout import Block, Layout, Run
from .docx import render


def _chars(b: Block) -> list[tuple[str, str]]:
    if b.runs:
        return [(ch, r.face) for r in b.runs for ch in r.text]
    return [(ch, "xbs") for ch in "\n".join(b.lines)]


def _runs(pieces: list[tuple[str, str, str | None]]) -> tuple[Run, ...]:
    """(char, face, change) → runs that merge neighbours of the same face and change."""
    runs: list[Run] = []
    for ch, face, change in pieces:
        if runs and runs[-1].face == face and runs[-1].change == change:
            runs[-1] = Run(runs[-1].text + ch, face, change)
        else:
            runs.append(Run(ch, face, change))
    return tuple(runs)


def _whole(b: Block, change: str) -> Block:
    return Block(b.role, _runs([(ch, face, change) for ch, face in _chars(b)]), change=change)


def _changed(old: Block, new: Block) -> Block:
    a, b = _chars(old), _chars(new)
    matcher = difflib.SequenceMatcher(a=[c for c, _ in a], b=[c for c, _ in b], autojunk=False)
    pieces: list[tuple[str, str, str | None]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces += [(ch, face, None) for ch, face in b[b0:b1]]
            continue
        pieces += [(ch, face, "del") for ch, face in a[a0:a1]]
        pieces += [(ch, face, "ins") for ch, face in b[b0:b1]]
    return Block(new.role, _runs(pieces))


def _similar(a: Block, b: Block) -> bool:
    return a.role == b.role and difflib.SequenceMatcher(a=a.text, b=b.text, autojunk=False).ratio() > 0.4


def merge(old: list[Block], new: list[Block]) -> list[Block]:
    """One block list holding both versions, differences marked as tracked changes."""
    out: list[Block] = []
    matcher = difflib.SequenceMatcher(a=[(b.role, b.text) for b in old], b=[(b.role, b.text) for b in new],
                                      autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out += new[b0:b1]
            continue
        olds, news = old[a0:a1], new[b0:b1]
        i = j = 0
        while i < len(olds) or j < len(news):
            if i < len(olds) and j < len(news) and _similar(olds[i], news[j]):
                out.append(_changed(olds[i], news[j]))
                i, j = i + 1, j + 1
            elif i < len(olds) and (j >= len(news) or not any(_similar(olds[i], n) for n in news[j:])):
                out.append(_whole(olds[i], "del"))
                i += 1
            else:
                out.append(_whole(news[j], "ins"))
                j += 1
    return out


def redline(old: Layout, new: Layout, author: str = "fawen", when: str | None = None) -> bytes:
    """The new document with every difference from the old one as a tracked change."""
    stamp = when or "2000-01-01T00:00:00Z"
    merged = replace(new, blocks=merge(old.blocks, new.blocks), revision=(author, stamp), colophon=None)
    return render(merged, None)
