"""Working days by the State Council's calendar: weekends and public holidays off, the
make-up working days (调休上班) on.

The calendar is the one the `chinese_calendar` package keeps from the State Council's yearly
notice on holiday arrangements (国务院办公厅关于…部分节假日安排的通知, published late in the
year before). A newer year arrives with a newer package version: `pip install --upgrade
chinese-calendar`. A day outside the years it covers is an error, never a guess.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class OutOfCalendar(ValueError):
    """A day outside the years the installed calendar covers; `hint` says what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed holiday calendar covers."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def is_workday(day: date) -> bool:
    """A working day: Monday to Friday unless a holiday, and the make-up days on weekends."""
    low, high = calendar_years()
    if day.year < low:
        raise OutOfCalendar(f"working days of {day.year} cannot be counted: the holiday calendar begins in {low}",
                            "write the date itself")
    if day.year > high:
        version = getattr(chinese_calendar, "__version__", "?")
        raise OutOfCalendar(
            f"working days of {day.year} cannot be counted: the holiday calendar (chinese_calendar {version}) "
            f"ends with {high}",
            "the State Council publishes a year's holidays late in the year before; once it has, "
            "upgrade the calendar (.venv/bin/pip install --upgrade chinese-calendar), or write the date itself")
    return bool(chinese_calendar.is_workday(day))


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after `start`. The day of the document itself is not counted,
    as the Civil Code counts periods (期间开始的当日，不计入期间)."""
    day = start
    while n:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def add_days(start: date, n: int) -> date:
    """The end of a period of n days from `start`, as the Civil Code counts it: the day itself
    is not counted (Art. 201), and a period whose last day is a day off ends on the next
    working day (Art. 203: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日)."""
    day = start + timedelta(days=n)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def last_workday(year: int, month: int) -> date:
    """The last working day of a month (每月最后一个工作日): its last day, or the working day before."""
    day = date(year, month, 1) + timedelta(days=32)
    day = day.replace(day=1) - timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day
