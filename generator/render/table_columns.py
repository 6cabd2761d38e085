"""The 任务分解表's column widths, sized from what the columns hold.

Fixed widths let a long 牵头单位 wrap into letter-spaced lines while an empty 配合单位 stayed
wide. Here every column gets at least its head and its longest piece that should not break (a
department name, a deadline such as 2021年底前), and the rest of the turned 版心 (225 mm, filled
exactly) goes where it saves the most table height: each character of width goes to the column
whose wider cells shorten the rows most, so the text columns take what the short ones do not
need. Department lists are packed a whole name at a time, with a line break where the next name
does not fit, so a name never breaks across lines.

Widths are whole half-characters of the 12 pt cell text plus a quarter character: a cell's text
(made of 1 and ½ character pieces) is then never within a hair of its width, where LibreOffice
and the page count (table_docx.plan_pages) might break a line differently.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

from ..chinese import text_width
from ..tables import Row
from .page import _units

HEADERS = {"number": "序号", "title": "重点任务", "text": "具体措施", "lead": "牵头单位", "support": "配合单位",
           "deadline": "完成时限"}

TOTAL = round(225 / 25.4 * 1440)  # twips: the width of the turned 版心
CHAR = 240                        # twips: one 12 pt (小四) character of the cells
MARGIN = 160                      # twips: the cell margins, 4 pt each side (table_docx._borders)
PACKED = {"lead": "", "support": "", "deadline": ""}  # columns of whole pieces, and what joins them
LISTED = ("lead", "support")  # department lists: each name but the last carries its 、, at a line's end too
MAX_UNIT = {"lead": 12, "support": 12, "deadline": 6, "number": 6}  # characters kept unbroken at most
SHORT_DEADLINE = 5  # characters: 2021年底前 and 长期坚持 stay whole, longer deadlines are cut between words:
# after a year (2021年 | 6月30日前), after 至 (2020年7月至 | 2021年12月), before a rhythm (… | 每月5日前) and
# before a count of days (收到通知后 | 5个工作日内), so that no number is parted from its measure word
DEADLINE_CUTS = re.compile(r"(?<=\d年)(?=.)|(?<=至)(?=.)|(?<=.)(?=每)|(?<=[后起])(?=\d)")
SAMPLE = 240   # task rows the widths are decided on (a long table: spread evenly through it)
LOOKAHEAD = 8  # characters a column may need before its next line is saved

Piece = tuple[float, tuple[float, ...]]  # a piece's whole width, and the widths of its unbreakable units
Cell = tuple[str | None, tuple[Piece, ...]]  # joined by this separator while they fit, or each on its own


def piece(text: str) -> Piece:
    units = tuple(text_width(u) for u in _units(text))
    return sum(units), units


def pieces(key: str, texts: Sequence[str]) -> list[str]:
    """What a cell is packed from: department names, a deadline (a long one cut after its year:
    2021年 | 6月30日前), or the text's own lines."""
    if key == "deadline":
        return [part for text in texts for part in ([text] if text_width(text) <= SHORT_DEADLINE else
                                                    DEADLINE_CUTS.split(text))]
    if key in LISTED:
        return [f"{text}、" for text in texts[:-1]] + list(texts[-1:])
    if key in PACKED:
        return list(texts)
    return [line for text in texts for line in text.split("\n")]


def cell(key: str, texts: Sequence[str]) -> Cell:
    return PACKED.get(key), tuple(piece(p) for p in pieces(key, texts))


def _fit(units: Sequence[float], cap: float) -> int:
    """Lines of a text in `cap` characters, as page.lines_needed breaks it."""
    lines, used = 1, 0.0
    for w in units:
        if used + w <= cap:
            used += w
        else:
            lines += 1
            used = w
    return lines


def pack(key: str, texts: Sequence[str], cap: float) -> str:
    """A cell's text for `cap` characters: in a department list as many whole names as fit on a
    line, each but the last followed by its 、 (where a line ends too: a line break stands
    after it); a deadline on
    one line, or broken after its year; a piece longer than a line stands on lines of its own."""
    sep = PACKED.get(key)
    parts = pieces(key, texts)
    if sep is None:
        return "\n".join(parts)
    lines: list[str] = []
    used = math.inf
    for part in parts:
        width = text_width(part)
        if lines and used + text_width(sep) + width <= cap:
            lines[-1] += sep + part
            used += text_width(sep) + width
        else:
            lines.append(part)
            used = width if width <= cap else math.inf
    return "\n".join(lines)


def cell_lines(cell: Cell, cap: float) -> int:
    """Lines a cell takes in `cap` characters, packed as pack() packs it and each line broken
    as LibreOffice breaks it."""
    sep, parts = cell
    if sep is None:
        return sum(_fit(units, cap) for _, units in parts)
    gap = text_width(sep)
    lines, used = 0, math.inf
    for whole, units in parts:
        if used + gap + whole <= cap:
            used += gap + whole
        elif whole <= cap:
            lines += 1
            used = whole
        else:
            lines += _fit(units, cap)
            used = math.inf
    return lines


def _least(header: str, cells: Sequence[Cell], key: str) -> float:
    """The narrowest a column may be: its head, and its longest piece that should not break
    (a department name, the parts of a deadline, a 序号) if at most MAX_UNIT characters; a
    longer one breaks anyway, as the text columns do, so only its longest unit counts."""
    limit = MAX_UNIT.get(key, 0)
    least = text_width(header)
    for _, parts in cells:
        for whole, units in parts:
            least = max(least, whole if whole <= limit else max(units, default=0.0))
    return least


def width(halves: int) -> int:
    """Twips of a column holding `halves` half-characters (and a quarter to spare)."""
    return MARGIN + halves * CHAR // 2 + CHAR // 4


def widths(columns: Sequence[str], headers: dict[str, str], rows: Sequence[dict[str, Cell]],
           prefer: str = "text") -> list[int]:
    """Column widths in twips that add up to the turned 版心 (TOTAL): each column at least its
    _least, the rest given a character at a time where it saves the most table height (then
    cell lines); width no cell can use goes to `prefer` (the 具体措施), or else the widest."""
    n = len(columns)
    sample = rows[::max(1, math.ceil(len(rows) / SAMPLE))]
    halves = [math.ceil(2 * _least(headers[k], [r[k] for r in rows], k)) for k in columns]
    while sum(width(h) for h in halves) > TOTAL and max(halves) > 4:  # an extreme registry: names break
        halves[halves.index(max(halves))] -= 1
    cache: dict[tuple[int, int], list[int]] = {}

    def lines(c: int, h: int) -> list[int]:
        if (c, h) not in cache:
            key, cap = columns[c], (width(h) - MARGIN) / CHAR
            cache[c, h] = [cell_lines(r[key], cap) for r in sample]
        return cache[c, h]

    spare = TOTAL - sum(width(h) for h in halves)
    while spare >= CHAR and sample:
        now = [lines(c, h) for c, h in enumerate(halves)]
        height = [max(col) for col in zip(*now, strict=True)]
        total_height = sum(height)
        best: tuple[float, float, int, int] | None = None  # per character: height saved, lines saved
        for c in range(n):
            others = [max((now[o][r] for o in range(n) if o != c), default=0) for r in range(len(sample))]
            for j in range(1, min(LOOKAHEAD, spare // CHAR) + 1):
                wider = lines(c, halves[c] + 2 * j)
                saved = (total_height - sum(map(max, others, wider)), sum(now[c]) - sum(wider))
                if saved > (0, 0):
                    gain = (saved[0] / j, saved[1] / j, -c, j)
                    best = gain if best is None or gain > best else best
                    break
        if best is None:
            break
        c, j = -best[2], best[3]
        halves[c] += 2 * j
        spare -= j * CHAR
    target = columns.index(prefer) if prefer in columns else max(range(n), key=lambda c: halves[c])
    halves[target] += 2 * (spare // CHAR)
    return _spread([width(h) for h in halves], spare % CHAR, target)


def _spread(out: list[int], spare: int, target: int) -> list[int]:
    """The last fraction of a character: shared so that no column's room comes within 0.1
    character of a whole half-character (see the module's docstring); a single column takes
    what is left."""
    n, room = len(out), 3 * CHAR // 20  # a column may take up to 0.15 character more or less
    if spare >= CHAR // 2:
        out[target] += CHAR // 2
        spare -= CHAR // 2
    if spare > n * room:  # too much to share: one more half-character, the rest taken back
        out[target] += CHAR // 2
        spare -= CHAR // 2
    share, extra = divmod(abs(spare), n)
    sign = 1 if spare >= 0 else -1
    for c in range(n):
        out[c] += sign * (share + (1 if c < extra else 0))
    return out


# ---------------------------------------------------------------- the table's cells

def group_label(row: Row) -> str:
    """A group's row: its name, and its kind in brackets when it has one (危险化学品（行业领域）)."""
    return f"{row.group}（{row.group_kind}）" if row.group_kind else row.group


def _content(rows: tuple[Row, ...], registry: dict[str, str], all_text: str,
             ) -> list[tuple[str, dict[str, list[str]]]]:
    """The rows below the head, in order: ("group", {"text": [heading]}) spanning the table, or
    ("task", its cells by column key): the departments as a list of names, other cells one text."""
    def depts(ids: tuple[str, ...]) -> list[str]:  # none (a group with `lead: none`) shows a dash
        return [all_text] if ids == ("all",) else [registry.get(i, i) for i in ids] or ["—"]

    out: list[tuple[str, dict[str, list[str]]]] = []
    group = None
    for row in rows:
        if row.group_id != group:
            group = row.group_id
            out.append(("group", {"text": [group_label(row)]}))
        out.append(("task", {
            "number": [row.number], "title": [row.title if not row.measure_id else ""], "text": [row.text],
            "lead": depts(row.lead), "support": depts(row.support), "deadline": [row.deadline or "—"],
        }))
    return out


@functools.lru_cache(maxsize=8)
def _sized(rows: tuple[Row, ...], registry: tuple[tuple[str, str], ...], all_text: str,
           columns: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[tuple[str, dict[str, str]], ...]]:
    """The column widths (twips, filling the turned 版心) and the rows' cell texts, department
    lists packed whole names to a line, deadlines broken after the year (pack)."""
    content = _content(rows, dict(registry), all_text)
    cells = [{k: cell(k, values[k]) for k in columns}
             for kind, values in content if kind == "task"]
    sizes = widths(columns, HEADERS, cells)
    caps = {k: (w - MARGIN) / CHAR for k, w in zip(columns, sizes, strict=True)}
    specs: list[tuple[str, dict[str, str]]] = []
    for kind, values in content:
        if kind == "group":
            specs.append((kind, {"text": values["text"][0]}))
            continue
        specs.append((kind, {k: pack(k, values[k], caps[k]) for k in columns}))
    return tuple(sizes), tuple(specs)


def sized(rows: list[Row], registry: dict[str, str], all_text: str,
          columns: list[str]) -> tuple[tuple[int, ...], tuple[tuple[str, dict[str, str]], ...]]:
    """See _sized: computed once for the page count and the rendering."""
    return _sized(tuple(rows), tuple(registry.items()), all_text, tuple(columns))
