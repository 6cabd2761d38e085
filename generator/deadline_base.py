"""What every deadline module shares: the `Deadline` a plan's text is read into, the
`Setting` it is read against (the campaign period and the dates of the plan's documents), and
the few date helpers both the one-off forms (deadlines.py) and the recurring ones
(recurring.py) use. Everything here is re-exported by deadlines.py, the module others import.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

ONGOING_WORDS = ("长期坚持", "持续推进", "长期", "持续", "常态化")
DEADLINE_FORMS = ("2020-06-30, 2020-12, 2021年底前, 2022年上半年, 11月上旬, 10月15日前, 第四季度, 每月5日前, "
                  "每周五, 每月最后一个工作日, 收到通知后5个工作日内, 收到通知后3日内 or 长期坚持")

# the day a part of a month stands for: 上旬 is days 1–10, 中旬 11–20, 下旬 21 to the end;
# 初 (the first days) is earlier than the end of 上旬: the 5th, the usual day of 每月初 reports
PART_DAY: dict[str, int | None] = {"初": 5, "上旬": 10, "中旬": 20, "下旬": None, "底": None, "末": None}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
MAX_WORKDAYS = 250  # about a year of working days: a longer count is a date, not a 时限
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


class DeadlineError(ValueError):
    """A deadline fawen cannot read or place; `hint` says how to write it."""

    def __init__(self, message: str, hint: str = "", key: str | None = None):
        super().__init__(message)
        self.hint = hint
        self.key = key  # the key of a deadline mapping the mistake is at (None: the deadline itself)


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, with the days it falls on."""

    text: str          # as written in the YAML
    display: str       # as printed in documents (without a trailing 完成: the documents add it)
    due: date | None   # the last day it allows (a recurring one: its last occurrence); None when ongoing
    dates: tuple[date, ...] = ()  # every day it falls due, in order (a recurring one has several)
    kind: str = "date"            # date, ongoing, recurring, workdays or days (calendar days)
    start: str | None = None      # `from:` of a recurring deadline (YYYY-MM[-DD]), or the start of its span
    end: str | None = None        # `to:`, or the end of the span written in the text
    spanned: bool = False         # the span is written in the text (2020年10月至2021年3月每月5日前), not as from/to
    anchor: str | None = None     # `anchor:` of a working-day deadline: a date or a document id

    @property
    def sort_key(self) -> tuple[int, date]:
        return (1, date.max) if self.due is None else (0, self.due)

    @property
    def first(self) -> date | None:
        """The first day it falls due (for a recurring deadline, its first occurrence)."""
        return self.dates[0] if self.dates else self.due

    @property
    def days(self) -> tuple[date, ...]:
        """Every day it falls due: its occurrences, or its one day (none when ongoing)."""
        return self.dates or ((self.due,) if self.due else ())

    def latest_by(self, day: date) -> date | None:
        """The last day it fell due on or before `day` (None: not yet): for a recurring
        deadline, the occurrence a report as of `day` answers to."""
        return next((d for d in reversed(self.days) if d <= day), None)

    def next_from(self, day: date) -> date | None:
        """The first day it falls due on or after `day` (None: no more)."""
        return next((d for d in self.days if d >= day), None)


@dataclass(frozen=True)
class Setting:
    """What a plan's deadlines are read against: its period and its documents' dates."""

    start: date | None = None
    end: date | None = None
    documents: dict[str, date | None] = field(default_factory=dict)  # id → date (None: none, or unreadable)
    notice: str | None = None  # the first `kind: notice` document: the default anchor

    @property
    def issued(self) -> date | None:
        """The issuing notice's date: deadlines count from it, and recurring ones start there."""
        return self.documents.get(self.notice) if self.notice else None

    def example(self, months: int = 0, day: int | None = None) -> str:
        """A month (or a day) of this plan's own period for a hint, `months` after its start."""
        base = self.start or self.issued or date(2020, 1, 1)
        y, m = divmod(base.month - 1 + months, 12)
        month = date(base.year + y, m + 1, 1)
        if self.end is not None and month > self.end:
            month = self.end.replace(day=1)
        if day:  # a day the month has (no 2026-02-30 in a hint)
            day = min(day, calendar.monthrange(month.year, month.month)[1])
        return f"{month:%Y-%m}" + (f"-{day:02d}" if day else "")


SETTING: ContextVar[Setting | None] = ContextVar("fawen_deadline_setting", default=None)


@contextmanager
def reading(setting: Setting) -> Iterator[None]:
    """Deadlines read inside this block see `setting` (the plan model validates within it)."""
    token = SETTING.set(setting)
    try:
        yield
    finally:
        SETTING.reset(token)


_YMD = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def iso(text: Any, last: bool = False) -> date | None:
    """YYYY-MM-DD, or YYYY-MM (its first day, or its last with `last`); None if not one."""
    if not isinstance(text, str) or not (m := _YMD.fullmatch(text.strip())):
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    try:
        if m.group(3):
            return date(y, mo, int(m.group(3)))
        return month_end(y, mo) if last else date(y, mo, 1)
    except ValueError:
        return None


def setting_from(data: Any) -> Setting:
    """The setting of a plan, from its data before validation (what cannot be read is left out:
    the model reports it at its own place)."""
    if not isinstance(data, dict):
        return Setting()
    period = data.get("period")
    start = iso(period.get("start")) if isinstance(period, dict) else None
    end = iso(period.get("end"), last=True) if isinstance(period, dict) else None
    documents: dict[str, date | None] = {}
    notice = None
    for doc in data.get("documents") or []:
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            documents.setdefault(doc["id"], iso(doc.get("date")))
            if doc.get("kind") == "notice" and notice is None:
                notice = doc["id"]
    return Setting(start, end, documents, notice)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_number(text: str) -> int:
    if not 1 <= (month := int(text)) <= 12:
        raise DeadlineError(f"month {month} does not exist", "months run from 1 to 12")
    return month


def make_date(y: int, mo: int, d: int | None) -> date:
    if not 1 <= mo <= 12:
        raise DeadlineError(f"month {mo} does not exist", "months run from 1 to 12")
    if d is None:
        return month_end(y, mo)
    try:
        return date(y, mo, d)
    except ValueError:
        raise DeadlineError(f"{y}-{mo:02d}-{d:02d} is not a real date "
                            f"({y}年{mo}月 has {calendar.monthrange(y, mo)[1]} days)",
                            "check the month and day") from None


def part_of_month(year: int, month: int, part: str) -> date:
    day = PART_DAY[part]
    return month_end(year, month) if day is None else date(year, month, day)


def notice_date(documents: Iterable[Any]) -> tuple[str, date] | None:
    """The id and date of a plan's issuing notice (its first `kind: notice` document), if dated:
    what a deadline falling before it is warned against."""
    for doc in documents:
        if getattr(doc, "kind", None) == "notice":
            day = iso(str(getattr(doc, "date", "") or ""))
            return (str(doc.id), day) if day else None
    return None
