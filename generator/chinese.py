"""Chinese text conventions of official documents: ordinals, dates, deadline phrases.

GB/T 9704 wants Arabic-numeral dates without zero padding (2020年6月23日) and heading
numbers 一、（一）1.（1）. Deadlines are written the way plans write them (2021年底前,
长期坚持, 每月5日前); deadlines.py understands them, and its names are re-exported here.
"""

from __future__ import annotations

from datetime import date

# Deadline phrases live in deadlines.py; these names stay importable from here.
from .deadlines import DEADLINE_FORMS as DEADLINE_FORMS
from .deadlines import ONGOING_WORDS as ONGOING_WORDS
from .deadlines import Deadline as Deadline
from .deadlines import DeadlineError as DeadlineError
from .deadlines import month_end as month_end
from .deadlines import parse_deadline as parse_deadline

_DIGITS = "零一二三四五六七八九"


def hanzi_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一, 100 → 一百 (1..999)."""
    if not 1 <= n <= 999:
        raise ValueError(f"ordinal out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def heading_number(level: int, n: int) -> str:
    """The GB/T 9704 heading numbers: level 1 一、 level 2 （一） level 3 1. level 4 （1）."""
    if level == 1:
        return f"{hanzi_number(n)}、"
    if level == 2:
        return f"（{hanzi_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level {level} does not exist (1..4)")


def format_date(d: date) -> str:
    """2020-06-23 → 2020年6月23日 (year in full, no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


def join_names(names: list[str]) -> str:
    """Departments in a list are joined with the enumeration comma 、."""
    return "、".join(names)


def ellipsis(text: str, width: int) -> str:
    """The first `width` characters, with …… (the Chinese ellipsis) when cut."""
    return text if len(text) <= width else text[:width] + "……"


# Advance widths (in em) of the printable ASCII characters that are not ½ em in FandolFang,
# the body face of the build's stand-in fonts (read from its hmtx table with fontTools): “+”
# and “%” are wider than a digit, so “1+2+17” or “86.2%” take more of a line than ½ a cell
# each. A GB2312 face (仿宋_GB2312) sets all ASCII at ½ em; there a count is a little high,
# and the PDF check corrects any placement it gets wrong.
_ASCII_EM = {
    **dict.fromkeys(" -", 0.333), **dict.fromkeys("!',.:;[]|", 0.278), **dict.fromkeys("#%", 0.833),
    "&": 0.781, **dict.fromkeys("()t", 0.389), **dict.fromkeys("+<=>@OQ_", 0.778), "?": 0.472,
    **dict.fromkeys("AHNUVXY", 0.739), "B": 0.703, **dict.fromkeys("CT", 0.722), "D": 0.758,
    **dict.fromkeys("EP", 0.675), "F": 0.647, "G": 0.782, "I": 0.35, "J": 0.508, "K": 0.767, "L": 0.619,
    "M": 0.906, "R": 0.731, "S": 0.556, "W": 1.017, **dict.fromkeys("Z^~", 0.611), "a": 0.489,
    **dict.fromkeys("bdhnpu", 0.561), **dict.fromkeys("ce", 0.444), "f": 0.306, **dict.fromkeys("il", 0.283),
    "j": 0.311, **dict.fromkeys("kqvxy", 0.533), "m": 0.839, "r": 0.392, "s": 0.394, "w": 0.728, "z": 0.446,
}


def text_width(text: str) -> float:
    """Width in characters of the text's size: CJK and full-width 1, ASCII as the body face
    sets it (digits ½, “%” and “+” wider), other narrow characters ½."""
    return sum(_ASCII_EM.get(ch, 0.5) if ord(ch) < 0x2000 and ch not in "—“”‘’…" else 1.0 for ch in text)
