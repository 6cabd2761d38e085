"""Recurring deadlines: the rhythm (每月5日前, 每半个月, 每季度末, 每周五, 每月最后一个工作日),
the span it runs over (from/to, or written before it: 2020年10月至2021年3月每月5日前) and every
day it falls due. Without a span it runs from the later of the campaign's start and the issuing
notice's date — nothing falls due before the notice that sets it — to the campaign's end.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta

from .deadline_base import PART_DAY, WEEKDAYS, Deadline, DeadlineError, Setting, iso, make_date, month_number
from .workdays import OutOfCalendar, last_workday

_BEFORE = r"(?:前|以前|之前)?"
_PART = r"(初|上旬|中旬|下旬|底|末)"
_EVERY_MONTH_DAY = re.compile(rf"每月(\d{{1,2}})[日号]{_BEFORE}")
_EVERY_MONTH_PART = re.compile(rf"每月{_PART}{_BEFORE}")
_EVERY_MONTH_WORKDAY = re.compile(rf"每月(?:的)?最后一个工作日{_BEFORE}")
_HALF_MONTH = re.compile(r"每半个?月")
_QUARTER_END = re.compile(rf"每季度?(?:末|底){_BEFORE}")
_WEEKLY = re.compile(rf"每(?:周|星期)(.?){_BEFORE}")
SPAN = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号])?(?:至|到|—|－|~|～)"
                  r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?")

# ("month", day; 0 for month end), ("workday", 0: the month's last working day), ("half-month", 0),
# ("quarter", 0), ("week", weekday)
Rule = tuple[str, int]


def rule_of(raw: str) -> Rule | None:
    """The rhythm of a recurring deadline (None: not one); an impossible one is an error."""
    if m := _EVERY_MONTH_DAY.fullmatch(raw):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise DeadlineError(f"day {day} in '{raw}' does not exist", "days of a month run from 1 to 31")
        return ("month", day)
    if m := _EVERY_MONTH_PART.fullmatch(raw):
        return ("month", PART_DAY[m.group(1)] or 0)
    if _EVERY_MONTH_WORKDAY.fullmatch(raw):
        return ("workday", 0)
    if _HALF_MONTH.fullmatch(raw):
        return ("half-month", 0)
    if _QUARTER_END.fullmatch(raw):
        return ("quarter", 0)
    if m := _WEEKLY.fullmatch(raw):
        if m.group(1) not in WEEKDAYS:
            raise DeadlineError(f"unknown day of the week '{m.group(1)}' in '{raw}'",
                                "write 每周一, 每周二, 每周三, 每周四, 每周五, 每周六 or 每周日")
        return ("week", WEEKDAYS[m.group(1)])
    return None


def span_bounds(span: re.Match[str], raw: str) -> tuple[str, str]:
    """2020年10月至2021年3月 → ('2020-10', '2021-03'); the end's year defaults to the start's."""
    y1, m1, d1, y2, m2, d2 = span.groups()
    y2 = y2 or y1
    bounds = []
    for y, m, d in ((y1, m1, d1), (y2, m2, d2)):
        month = month_number(m)
        if d is not None:
            make_date(int(y), month, int(d))
        bounds.append(f"{int(y):04d}-{month:02d}" + (f"-{int(d):02d}" if d else ""))
    return bounds[0], bounds[1]


def last_of_span(span: re.Match[str]) -> str:
    y1, _m1, _d1, y2, m2, d2 = span.groups()
    return f"{y2 or y1}年{int(m2)}月" + (f"{int(d2)}日" if d2 else "底")


def span_text(first: str | None, last: str | None) -> str:
    """from/to as the documents print them before the rhythm: 2020年10月至2021年3月 (每月5日前)."""
    def cn(iso: str, year: bool = True) -> str:
        y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10]) if len(iso) > 7 else None
        return (f"{y}年" if year else "") + f"{m}月" + (f"{d}日" if d else "")
    if first and last:
        if len(first) == len(last) == 7 and first == last:  # one month: 2020年10月每周五
            return cn(first)
        return f"{cn(first)}至{cn(last, last[:4] != first[:4])}"
    if first:
        return f"自{cn(first)}起"
    return f"至{cn(last)}" if last else ""


def recurring(raw: str, rule: Rule, first: str | None, last: str | None, setting: Setting) -> Deadline:
    """A recurring deadline with every day it falls due between from/to (or its default span)."""
    # by default from the later of the campaign's start and the issuing notice: nothing falls due before
    # the notice that sets it
    start = _bound(first, "from", False, setting) if first else max(
        (d for d in (setting.start, setting.issued) if d is not None), default=None)
    end = _bound(last, "to", True, setting) if last else setting.end
    if start is None or end is None:
        raise DeadlineError(f"recurring deadline '{raw}' needs the days it runs between",
                            "give the campaign a period, or write "
                            f"{{text: {raw}, from: {setting.example(1)}, to: {setting.example(6)}}}")
    if start > end:
        raise DeadlineError(f"recurring deadline '{raw}' ends ({end}) before it starts ({start})",
                            "swap from and to" if first and last else
                            "move from/to: without them it runs from the issuing notice to the end of the campaign")
    try:
        days = tuple(occurrences(rule, start, end))
    except OutOfCalendar as exc:
        raise DeadlineError(f"'{raw}': {exc}", exc.hint) from None
    if not days:
        raise DeadlineError(f"recurring deadline '{raw}' falls on no day between {start} and {end}",
                            "widen from/to so that it falls due at least once")
    return Deadline(raw, raw, days[-1], days, "recurring", start=first, end=last)


def _bound(text: str, key: str, last: bool, setting: Setting) -> date:
    found = iso(text, last)
    if found is None:
        raise DeadlineError(f"`{key}: {text}` is not a month or a date",
                            f"write e.g. {setting.example(1)} or {setting.example(1, 10)}", key=key)
    return found


def occurrences(rule: Rule, start: date, end: date) -> Iterator[date]:
    """Every day a recurring rule falls due between start and end (both included)."""
    kind, value = rule
    if kind == "week":
        day = start + timedelta(days=(value - start.weekday()) % 7)
        while day <= end:
            yield day
            day += timedelta(days=7)
        return
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        last = calendar.monthrange(year, month)[1]
        if kind == "month":
            days = [min(value, last) if value else last]  # 每月31日前 in a short month: its last day
        elif kind == "workday":
            days = [last_workday(year, month).day]
        elif kind == "half-month":
            days = [15, last]
        else:
            days = [last] if month % 3 == 0 else []
        for d in days:
            if start <= (day := date(year, month, d)) <= end:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
