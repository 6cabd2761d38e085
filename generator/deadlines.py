"""Deadlines as plans write them, understood as the days they fall on.

Offices write deadlines the way they think of them: a date (2020年6月30日前), a part of a
month (11月初, 2020年11月下旬), a rhythm (每月5日前, 每半个月, 每季度末, 每周五) or a count
of working days from a document (收到通知后5个工作日内). Documents print them as written;
ledgers, summaries and calendars need the days. Some forms need the plan around them —
the campaign period (a recurring deadline runs through it) and the dates of its documents
(a working-day count, 月底前 and a month without a year such as 11月初 are read from the
issuing notice) — so the plan model sets a `Setting` for the time its deadlines are read
(see `reading`). Working days come from workdays.py (the State Council's calendar).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .workdays import OutOfCalendar, add_workdays

ONGOING_WORDS = ("长期坚持", "持续推进", "长期", "持续", "常态化")
DEADLINE_FORMS = ("2020-06-30, 2020-12, 2021年底前, 2022年上半年, 11月上旬, 每月5日前, 每周五, "
                  "收到通知后5个工作日内 or 长期坚持")

# the day a part of a month stands for: 上旬 is days 1–10, 中旬 11–20, 下旬 21 to the end;
# 初 (the first days) is earlier than the end of 上旬: the 5th, the usual day of 每月初 reports
PART_DAY: dict[str, int | None] = {"初": 5, "上旬": 10, "中旬": 20, "下旬": None, "底": None, "末": None}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
MAX_WORKDAYS = 250  # about a year of working days: a longer count is a date, not a 时限


class DeadlineError(ValueError):
    """A deadline fawen cannot read or place; `hint` says how to write it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, with the days it falls on."""

    text: str          # as written in the YAML
    display: str       # as printed in documents
    due: date | None   # the last day it allows (a recurring one: its last occurrence); None when ongoing
    dates: tuple[date, ...] = ()  # every day it falls due, in order (a recurring one has several)
    kind: str = "date"            # date, ongoing, recurring or workdays
    start: str | None = None      # `from:` of a recurring deadline, as written
    end: str | None = None        # `to:`
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


def _iso(text: Any, last: bool = False) -> date | None:
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
    start = _iso(period.get("start")) if isinstance(period, dict) else None
    end = _iso(period.get("end"), last=True) if isinstance(period, dict) else None
    documents: dict[str, date | None] = {}
    notice = None
    for doc in data.get("documents") or []:
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            documents.setdefault(doc["id"], _iso(doc.get("date")))
            if doc.get("kind") == "notice" and notice is None:
                notice = doc["id"]
    return Setting(start, end, documents, notice)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- reading

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_YEAR = re.compile(r"(\d{4})")
_CN = re.compile(
    r"(?:到|至)?(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?"
    r"(底|年底|末|年末|上半年|下半年)?(前|以前|之前)?"
)
_BEFORE = r"(?:前|以前|之前)?"
_PART = r"(初|上旬|中旬|下旬|底|末)"
_MONTH_PART = re.compile(rf"(?:到|至)?(?:(\d{{4}})年)?(\d{{1,2}})月{_PART}{_BEFORE}")
_THIS_MONTH = re.compile(rf"(?:本月|当月|月){_PART}{_BEFORE}")
_EVERY_MONTH_DAY = re.compile(rf"每月(\d{{1,2}})[日号]{_BEFORE}")
_EVERY_MONTH_PART = re.compile(rf"每月{_PART}{_BEFORE}")
_HALF_MONTH = re.compile(r"每半个?月")
_QUARTER_END = re.compile(rf"每季度?(?:末|底){_BEFORE}")
_WEEKLY = re.compile(rf"每(?:周|星期)(.?){_BEFORE}")
_HANZI_COUNT = "一二三四五六七八九十两"
_WORKDAYS = re.compile(rf"(.{{0,30}}?)(\d{{1,3}}|[{_HANZI_COUNT}]{{1,3}})个?工作日(?:内|以内|之内)?(?:完成)?")


def read_deadline(value: Any) -> Deadline:
    """A deadline written as text, or as a mapping {text, from, to, anchor}."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ("text", "from", "to", "anchor")]
        if unknown:
            meant = {"start": "from", "since": "from", "end": "to", "until": "to"}.get(str(unknown[0]))
            raise DeadlineError(f"unknown key '{unknown[0]}' in a deadline",
                                (f"did you mean '{meant}'? " if meant else "")
                                + "a deadline mapping has text, and from/to (recurring) or anchor (working days)")
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DeadlineError("a deadline mapping needs its text",
                                "write e.g. {text: 每月5日前, from: 2020-07, to: 2020-12}")
        extra = {k: value.get(k) for k in ("from", "to", "anchor")}
        for key, given in extra.items():
            if given is not None and not isinstance(given, str):
                raise DeadlineError(f"`{key}` of a deadline must be a single value",
                                    "write a date (2020-07 or 2020-07-10)" if key != "anchor"
                                    else "write a date (2020-07-10) or a document id")
        return parse_deadline(text, first=extra["from"], last=extra["to"], anchor=extra["anchor"])
    if not isinstance(value, str):
        raise DeadlineError("expected a deadline", f"write {DEADLINE_FORMS}")
    return parse_deadline(value)


def parse_deadline(text: str, first: str | None = None, last: str | None = None,
                   anchor: str | None = None) -> Deadline:
    """Understand the deadline forms plans use (see DEADLINE_FORMS); forms that need the plan
    (the campaign period, a document's date) read it from the current `Setting`."""
    raw = text.strip()
    if not raw:
        raise DeadlineError("deadline is empty", f"write {DEADLINE_FORMS}")
    setting = SETTING.get() or Setting()
    recurring = _recurring_rule(raw)
    if (first or last) and recurring is None:
        raise DeadlineError(f"from/to apply to recurring deadlines only, not to '{raw}'",
                            "remove from/to, or write a recurring deadline such as 每月5日前")
    if recurring is not None:
        return _recurring(raw, recurring, first, last, setting)
    workdays = _WORKDAYS.fullmatch(raw)
    this_month = _THIS_MONTH.fullmatch(raw)
    part = _MONTH_PART.fullmatch(raw)
    yearless = part if part and not part.group(1) else None
    if anchor is not None and not (workdays or this_month or yearless):
        raise DeadlineError(f"anchor applies to deadlines counted from a document, not to '{raw}'",
                            "remove anchor, or write e.g. 收到通知后5个工作日内")
    if workdays:
        n = _count(workdays.group(2), raw)
        start = _anchor_date(raw, anchor, setting)
        try:
            due = add_workdays(start, n)
        except OutOfCalendar as exc:
            raise DeadlineError(f"'{raw}': {exc}", exc.hint) from None
        return Deadline(raw, raw, due, (due,), "workdays", anchor=anchor)
    if this_month:
        start = _anchor_date(raw, anchor, setting)
        due = _part_of_month(start.year, start.month, this_month.group(1))
        return Deadline(raw, raw, due, (due,), anchor=anchor)
    if yearless:
        month = _month(yearless.group(2))
        ref = _reference(raw, anchor, setting)
        year = ref.year if month >= ref.month else ref.year + 1  # the next such month from the document
        due = _part_of_month(year, month, yearless.group(3))
        return Deadline(raw, raw, due, (due,), anchor=anchor)
    deadline = _fixed(raw)
    if deadline is None:
        raise DeadlineError(f"cannot read deadline '{raw}'", f"write {DEADLINE_FORMS}")
    return deadline


def _month(text: str) -> int:
    if not 1 <= (month := int(text)) <= 12:
        raise DeadlineError(f"month {month} does not exist", "months run from 1 to 12")
    return month


def _reference(raw: str, anchor: str | None, setting: Setting) -> date:
    """What a month without a year is read from: the anchor, else the issuing notice's date,
    else the campaign's start (11月初 is the next November from there)."""
    if anchor is not None or (setting.notice and setting.documents.get(setting.notice)):
        return _anchor_date(raw, anchor, setting)
    if setting.start is None:
        raise DeadlineError(f"'{raw}' has no year, and neither a notice nor a campaign period to take it from",
                            f"write the year, e.g. 2020年{raw}")
    return setting.start


def _fixed(raw: str) -> Deadline | None:
    """The forms that name their day by themselves."""
    if raw in ONGOING_WORDS:
        return Deadline(raw, raw, None, (), "ongoing")
    if m := _ISO_DAY.fullmatch(raw):
        y, mo, d = (int(g) for g in m.groups())
        due = _make_date(y, mo, d)
        return Deadline(raw, f"{_date_text(due)}前", due, (due,))
    if m := _ISO_MONTH.fullmatch(raw):
        y, mo = int(m.group(1)), int(m.group(2))
        due = _make_date(y, mo, None)
        return Deadline(raw, f"{y}年{mo}月底前", due, (due,))
    if _ISO_YEAR.fullmatch(raw):
        due = date(int(raw), 12, 31)
        return Deadline(raw, f"{raw}年底前", due, (due,))
    if m := _MONTH_PART.fullmatch(raw):  # with its year: 2020年11月上旬
        due = _part_of_month(int(m.group(1)), _month(m.group(2)), m.group(3))
        return Deadline(raw, raw, due, (due,))
    if m := _CN.fullmatch(raw):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is None:
            due = date(year, 6, 30) if m.group(4) == "上半年" else date(year, 12, 31)
        else:
            due = _make_date(year, month, day)
        return Deadline(raw, raw, due, (due,))
    return None


def _make_date(y: int, mo: int, d: int | None) -> date:
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


def _part_of_month(year: int, month: int, part: str) -> date:
    day = PART_DAY[part]
    return month_end(year, month) if day is None else date(year, month, day)


# ---------------------------------------------------------------- recurring deadlines

Rule = tuple[str, int]  # ("month", day; 0 for month end), ("half-month", 0), ("quarter", 0), ("week", weekday)


def _recurring_rule(raw: str) -> Rule | None:
    if m := _EVERY_MONTH_DAY.fullmatch(raw):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise DeadlineError(f"day {day} in '{raw}' does not exist", "days of a month run from 1 to 31")
        return ("month", day)
    if m := _EVERY_MONTH_PART.fullmatch(raw):
        return ("month", PART_DAY[m.group(1)] or 0)
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


def _recurring(raw: str, rule: Rule, first: str | None, last: str | None, setting: Setting) -> Deadline:
    start = _bound(first, "from", False) if first else setting.start
    end = _bound(last, "to", True) if last else setting.end
    if start is None or end is None:
        raise DeadlineError(f"recurring deadline '{raw}' needs the days it runs between",
                            f"give the campaign a period, or write {{text: {raw}, from: 2020-07, to: 2020-12}}")
    if start > end:
        raise DeadlineError(f"recurring deadline '{raw}' ends ({end}) before it starts ({start})",
                            "swap from and to")
    days = tuple(occurrences(rule, start, end))
    if not days:
        raise DeadlineError(f"recurring deadline '{raw}' falls on no day between {start} and {end}",
                            "widen from/to so that it falls due at least once")
    return Deadline(raw, raw, days[-1], days, "recurring", start=first, end=last)


def _bound(text: str, key: str, last: bool) -> date:
    found = _iso(text, last)
    if found is None:
        raise DeadlineError(f"`{key}: {text}` is not a month or a date", "write e.g. 2020-07 or 2020-07-10")
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
        elif kind == "half-month":
            days = [15, last]
        else:
            days = [last] if month % 3 == 0 else []
        for d in days:
            if start <= (day := date(year, month, d)) <= end:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# ---------------------------------------------------------------- working days

def _count(text: str, raw: str) -> int:
    if text.isdigit():
        n = int(text)
    else:
        digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
        tens, _, ones = text.partition("十")
        if "十" not in text:
            n = digits.get(text, -1) if len(text) == 1 else -1
        else:
            n = (digits.get(tens, -100) if tens else 1) * 10 + (digits.get(ones, -100) if ones else 0)
    if not 1 <= n <= MAX_WORKDAYS:
        raise DeadlineError(f"'{text}' in '{raw}' is not a count of working days from 1 to {MAX_WORKDAYS}",
                            "write the number of working days, e.g. 5个工作日内")
    return n


def _anchor_date(raw: str, anchor: str | None, setting: Setting) -> date:
    """The date a working-day count (or 月底前) starts from: `anchor`, else the issuing notice's."""
    if anchor is not None:
        if (day := _iso(anchor)) is not None and len(anchor.strip()) == 10:
            return day
        if anchor not in setting.documents:
            known = ", ".join(sorted(setting.documents)) or "none declared"
            raise DeadlineError(f"anchor '{anchor}' of '{raw}' is neither a date nor a document of this plan",
                                f"write a date (2020-07-10) or a document id ({known})")
        found = setting.documents[anchor]
        if found is None:
            raise DeadlineError(f"anchor document '{anchor}' of '{raw}' has no date to count from",
                                "give that document a date, or write the anchor as a date (2020-07-10)")
        return found
    if setting.notice is None:
        raise DeadlineError(f"'{raw}' counts from a document, but the plan has no issuing notice (kind: notice) "
                            "to count from", f"write {{text: {raw}, anchor: 2020-07-10}} (a date or a document id)")
    found = setting.documents.get(setting.notice)
    if found is None:
        raise DeadlineError(f"'{raw}' counts from the issuing notice '{setting.notice}', which has no valid date",
                            f"give the notice its date (2020-07-10), or write {{text: {raw}, anchor: 2020-07-10}}")
    return found
