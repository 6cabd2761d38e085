"""Chinese text conventions of official documents: ordinals, dates, deadline phrases.

GB/T 9704 wants Arabic-numeral dates without zero padding (2020年6月23日) and heading
numbers 一、（一）1.（1）. Deadlines are written the way plans write them (2021年底前,
长期坚持) and understood as a date for sorting and range checks.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

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


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


ONGOING_WORDS = ("长期坚持", "持续推进", "长期", "持续", "常态化")


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, with the last day it allows (None when ongoing)."""

    text: str          # as written in the YAML
    display: str       # as printed in documents
    due: date | None   # the real last day, for sorting and checks

    @property
    def sort_key(self) -> tuple[int, date]:
        return (1, date.max) if self.due is None else (0, self.due)


class DeadlineError(ValueError):
    """A deadline text fawen cannot read."""


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_YEAR = re.compile(r"(\d{4})")
_CN = re.compile(
    r"(?:到|至)?(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?"
    r"(底|年底|末|年末|上半年|下半年)?(前|以前|之前)?"
)


def parse_deadline(text: str) -> Deadline:
    """Understand the deadline forms plans use.

    ISO forms (2020-06-30, 2020-12, 2022) and written forms (2020年6月30日前,
    2020年底前, 2021年底, 2022年上半年, 到2022年) and ongoing phrases (长期坚持).
    """
    raw = text.strip()
    if not raw:
        raise DeadlineError("deadline is empty")
    if raw in ONGOING_WORDS:
        return Deadline(raw, raw, None)
    if m := _ISO_DAY.fullmatch(raw):
        y, mo, d = (int(g) for g in m.groups())
        due = _make_date(y, mo, d)
        return Deadline(raw, f"{format_date(due)}前", due)
    if m := _ISO_MONTH.fullmatch(raw):
        y, mo = int(m.group(1)), int(m.group(2))
        due = _make_date(y, mo, None)
        return Deadline(raw, f"{y}年{mo}月底前", due)
    if m := _ISO_YEAR.fullmatch(raw):
        y = int(raw)
        return Deadline(raw, f"{y}年底前", date(y, 12, 31))
    if m := _CN.fullmatch(raw):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is None:
            due = date(year, 6, 30) if m.group(4) == "上半年" else date(year, 12, 31)
        else:
            due = _make_date(year, month, day)
        return Deadline(raw, raw, due)
    raise DeadlineError(
        f"cannot read deadline '{raw}'"
    )


DEADLINE_FORMS = "2020-06-30, 2020-12, 2021, 2021年底前, 2020年6月30日前, 2022年上半年 or 长期坚持"


def _make_date(y: int, mo: int, d: int | None) -> date:
    if not 1 <= mo <= 12:
        raise DeadlineError(f"month {mo} does not exist")
    if d is None:
        return month_end(y, mo)
    try:
        return date(y, mo, d)
    except ValueError:
        raise DeadlineError(f"{y}-{mo:02d}-{d:02d} is not a real date "
                            f"({format_month(y, mo)} has {calendar.monthrange(y, mo)[1]} days)") from None


def join_names(names: list[str]) -> str:
    """Departments in a list are joined with the enumeration comma 、."""
    return "、".join(names)


def ellipsis(text: str, width: int) -> str:
    """The first `width` characters, with …… (the Chinese ellipsis) when cut."""
    return text if len(text) <= width else text[:width] + "……"


def text_width(text: str) -> float:
    """Width in characters of the text's size: CJK and full-width 1, ASCII (digits, Latin) ½."""
    return sum(0.5 if ord(ch) < 0x2000 and ch not in "—“”‘’…" else 1.0 for ch in text)
