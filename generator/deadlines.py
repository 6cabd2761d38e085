"""Deadlines as plans write them, understood as the days they fall on.

Offices write deadlines the way they think of them: a date (2020年6月30日前), a part of a
month (11月初, 2020年11月下旬), a quarter (第四季度), a rhythm (每月5日前, 每半个月, 每季度末,
每周五, 每月最后一个工作日, also over a span: 2020年10月至2021年3月每月5日前) or a count of
days from a document (收到通知后5个工作日内, 收到通知后3日内). Documents print them as
written (less a trailing 完成, which the documents add themselves); ledgers, summaries and
calendars need the days. Some forms need the plan around them — the campaign period (a
recurring deadline runs through it) and the dates of its documents (a count of days, 月底前
and a month without a year such as 11月初 are read from the issuing notice) — so the plan
model sets a `Setting` for the time its deadlines are read (see `reading`). Working days
come from workdays.py (the State Council's calendar). What cannot be read is refused,
never guessed. The shared types live in deadline_base.py and the recurring forms in
recurring.py; this module re-exports what the rest of fawen imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from .deadline_base import DEADLINE_FORMS as DEADLINE_FORMS
from .deadline_base import MAX_WORKDAYS as MAX_WORKDAYS
from .deadline_base import ONGOING_WORDS as ONGOING_WORDS
from .deadline_base import PART_DAY as PART_DAY
from .deadline_base import QUARTERS as QUARTERS
from .deadline_base import SETTING as SETTING
from .deadline_base import WEEKDAYS as WEEKDAYS
from .deadline_base import Deadline as Deadline
from .deadline_base import DeadlineError as DeadlineError
from .deadline_base import Setting as Setting
from .deadline_base import date_text, iso, make_date, month_number, part_of_month
from .deadline_base import month_end as month_end
from .deadline_base import notice_date as notice_date
from .deadline_base import reading as reading
from .deadline_base import setting_from as setting_from
from .recurring import SPAN, last_of_span, recurring, rule_of, span_bounds, span_text
from .recurring import Rule as Rule
from .recurring import occurrences as occurrences
from .workdays import OutOfCalendar, add_days, add_workdays

# ---------------------------------------------------------------- reading

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_YEAR = re.compile(r"(\d{4})")
_CN = re.compile(
    r"(?:到|至)?(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?"
    r"(底|年底|末|年末|上半年|下半年)?(前|以前|之前)?"
)
_BEFORE = r"(?:前|以前|之前)?"
_PART = r"(初|上旬|中旬|下旬|底|末)"
_MONTH_PART = re.compile(rf"(?:到|至)?(?:(\d{{4}})年)?(\d{{1,2}})月{_PART}{_BEFORE}")
_MONTH_DAY = re.compile(rf"(?:到|至)?(\d{{1,2}})月(\d{{1,2}})[日号]{_BEFORE}")  # no year: 10月15日前
_QUARTER = re.compile(rf"(?:到|至)?(?:(\d{{4}})年)?第?([一二三四1-4])季度(?:末|底)?{_BEFORE}")
_THIS_MONTH = re.compile(rf"(?:本月|当月|月){_PART}{_BEFORE}")
_HANZI_COUNT = "一二三四五六七八九十两"
# what a count of days starts from, as notices write it: 收到通知后, 印发之日起, 本通知下发后 …
_FROM_DOCUMENT = (r"(?:自|从)?(?:收到(?:本)?通知|(?:本)?通知(?:印发|下发)|(?:本通知)?(?:印发|下发)|发文)"
                  r"(?:之日)?(?:后|起|以后|之后)?")
_COUNT = rf"(\d{{1,3}}|[{_HANZI_COUNT}]{{1,3}})"
_WORKDAYS = re.compile(rf"(?:{_FROM_DOCUMENT})?{_COUNT}个?工作日(?:内|以内|之内)?")
_DAYS = re.compile(rf"(?:{_FROM_DOCUMENT})?{_COUNT}(?:日|天|个自然日|自然日)(?:内|以内|之内)")
_RELATIVE = re.compile(r"(次月|下月|当年|次年|节后|节前|年后)")  # relative to what? refused with a hint
_DONE = "完成"


def forms(setting: Setting | None = None) -> str:
    """The accepted forms, for a hint, with examples from the plan's own period."""
    s = setting or SETTING.get() or Setting()
    if s.start is None:
        return DEADLINE_FORMS
    y = s.start.year
    return (f"{s.example(1, 30)}, {s.example(3)}, {y}年底前, {y}年下半年, 11月上旬, 10月15日前, 第四季度, "
            "每月5日前, 每周五, 每月最后一个工作日, 收到通知后5个工作日内, 收到通知后3日内 or 长期坚持")


def read_deadline(value: Any) -> Deadline:
    """A deadline written as text, or as a mapping {text, from, to, anchor}."""
    setting = SETTING.get() or Setting()
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ("text", "from", "to", "anchor")]
        if unknown:
            meant = {"start": "from", "since": "from", "form": "from", "end": "to", "until": "to",
                     "txt": "text", "date": "text", "anchors": "anchor"}.get(str(unknown[0]))
            raise DeadlineError(f"unknown key '{unknown[0]}' in a deadline",
                                (f"did you mean '{meant}'? " if meant else "")
                                + "a deadline mapping has text, and from/to (recurring) or anchor (counted days)",
                                key=str(unknown[0]))
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DeadlineError("a deadline mapping needs its text",
                                f"write e.g. {{text: 每月5日前, from: {setting.example(1)}, to: {setting.example(6)}}}",
                                key="text" if "text" in value else None)
        extra: dict[str, str | None] = {}
        for key in ("from", "to", "anchor"):
            given = value.get(key)
            example = (f"a date ({setting.example(0, 10)}) or a document id" if key == "anchor"
                       else f"a month or a date ({setting.example(1)} or {setting.example(1, 10)})")
            if key in value and (given is None or (isinstance(given, str) and not given.strip())):
                raise DeadlineError(f"`{key}:` of deadline '{text.strip()}' is empty",
                                    f"write {example}, or remove `{key}:`", key=key)
            if given is not None and not isinstance(given, str):
                raise DeadlineError(f"`{key}` of a deadline must be a single value", f"write {example}", key=key)
            extra[key] = given.strip() if isinstance(given, str) else None
        return parse_deadline(text, first=extra["from"], last=extra["to"], anchor=extra["anchor"])
    if not isinstance(value, str):
        raise DeadlineError("expected a deadline", f"write {forms(setting)}")
    return parse_deadline(value)


def parse_deadline(text: str, first: str | None = None, last: str | None = None,
                   anchor: str | None = None) -> Deadline:
    """Understand the deadline forms plans use (see DEADLINE_FORMS); forms that need the plan
    (the campaign period, a document's date) read it from the current `Setting`."""
    raw = text.strip()
    if not raw:
        raise DeadlineError("deadline is empty", f"write {forms()}")
    setting = SETTING.get() or Setting()
    # 完成 at the end is how the sentence goes on, not part of the deadline: the documents add it
    core = raw[:-len(_DONE)].strip() if raw.endswith(_DONE) and len(raw) > len(_DONE) else raw
    span = SPAN.match(core)
    rule_text = core[span.end():] if span else core
    rule = rule_of(rule_text)
    if span is not None:
        if rule is None:
            raise DeadlineError(f"'{raw}' names a span ({span.group(0)}) but no recurring deadline within it",
                                f"write e.g. {span.group(0)}每月5日前, or the last day alone ({last_of_span(span)}前)")
        if first or last:
            raise DeadlineError(f"'{raw}' gives its span in the text and again in from/to",
                                "give the span once: remove from/to, or write the text without it",
                                key="from" if first else "to")
        first, last = span_bounds(span, raw)
        if (iso(last, True) or date.max) < (iso(first) or date.min):
            raise DeadlineError(f"the span of '{raw}' ends before it starts",
                                f"write the end's year too, e.g. {int(first[:4])}年{int(first[5:7])}月至"
                                f"{int(first[:4]) + 1}年{int(last[5:7])}月{core[span.end():]}")
    if (first or last) and rule is None:
        raise DeadlineError(f"from/to limit a recurring deadline (每月5日前, 每周五 …), and '{raw}' falls due once",
                            "remove from/to, or write a recurring deadline such as 每月5日前",
                            key="from" if first else "to")
    if rule is not None:
        if anchor is not None:
            raise DeadlineError(f"anchor applies to a count of days from a document, not to the recurring deadline "
                                f"'{raw}'", "remove anchor; to limit the days it runs between, write from/to "
                                f"({{text: {core}, from: {setting.example(1)}, to: {setting.example(6)}}})",
                                key="anchor")
        deadline = recurring(raw, rule, first, last, setting)
        shown = core if span else span_text(first, last) + core
        return Deadline(raw, shown, deadline.due, deadline.dates, "recurring", start=first, end=last,
                        spanned=span is not None)
    found = _counted(raw, core, anchor, setting) or _yearless(raw, core, anchor, setting)
    if found is not None:
        return found
    if anchor is not None:
        raise DeadlineError(f"anchor applies to deadlines counted from a document, not to '{raw}'",
                            "remove anchor, or write e.g. 收到通知后5个工作日内", key="anchor")
    fixed = _fixed(core)
    if fixed is None:
        raise DeadlineError(f"cannot read deadline '{raw}'", _unread_hint(core, setting))
    return Deadline(raw, fixed.display, fixed.due, fixed.dates, fixed.kind)


def _unread_hint(core: str, setting: Setting) -> str:
    """How to write what was meant, as near to the mistake as can be told."""
    if "工作日" in core:
        return (f"working days count from a document: write 收到通知后5个工作日内 or 印发之日起10个工作日内 "
                f"(from the issuing notice, or from `anchor:`), or 每月最后一个工作日; accepted: {forms(setting)}")
    if m := _RELATIVE.search(core):
        return (f"'{m.group(1)}' is relative to a day the plan does not name: write the date itself "
                f"({setting.example(1, 5)} or {int(setting.example(1)[:4])}年{int(setting.example(1)[5:7])}月5日前), "
                f"or a recurring deadline (每月5日前); accepted: {forms(setting)}")
    return f"write {forms(setting)}"


def _counted(raw: str, core: str, anchor: str | None, setting: Setting) -> Deadline | None:
    """A count of working days (收到通知后5个工作日内) or of days (收到通知后3日内) from a document."""
    workdays = _WORKDAYS.fullmatch(core)
    days = _DAYS.fullmatch(core)
    if not (workdays or days):
        return None
    n = _count((workdays or days).group(1), raw, "working days" if workdays else "days")  # type: ignore[union-attr]
    start = _anchor_date(raw, anchor, setting)
    try:
        due = add_workdays(start, n) if workdays else add_days(start, n)
    except OutOfCalendar as exc:
        raise DeadlineError(f"'{raw}': {exc}", exc.hint) from None
    return Deadline(raw, core, due, (due,), "workdays" if workdays else "days", anchor=anchor)


def _yearless(raw: str, core: str, anchor: str | None, setting: Setting) -> Deadline | None:
    """The forms read from the issuing notice: this month (月底前), and a month, a day or a
    quarter without a year — the next one on or after the notice's date (11月初, 10月15日前)."""
    if m := _THIS_MONTH.fullmatch(core):
        start = _anchor_date(raw, anchor, setting)
        due = part_of_month(start.year, start.month, m.group(1))
        return Deadline(raw, core, due, (due,), anchor=anchor)
    month_part = _MONTH_PART.fullmatch(core)
    month_day = _MONTH_DAY.fullmatch(core)
    quarter = _QUARTER.fullmatch(core)
    on: Callable[[int], date]
    if month_part and not month_part.group(1):
        month, part = month_number(month_part.group(2)), month_part.group(3)
        on = partial(lambda m, p, year: part_of_month(year, m, p), month, part)
    elif month_day:
        month, day = month_number(month_day.group(1)), int(month_day.group(2))
        make_date(2000, month, day)  # a leap year: 2月29日 exists in some years
        on = partial(lambda m, d, year: make_date(year, m, d), month, day)
    elif quarter and not quarter.group(1):
        on = partial(lambda q, year: month_end(year, 3 * q), QUARTERS[quarter.group(2)])
    else:
        if quarter:  # with its year: 2020年第四季度
            due = month_end(int(quarter.group(1)), 3 * QUARTERS[quarter.group(2)])
            if anchor is None:
                return Deadline(raw, core, due, (due,))
        return None
    ref = _reference(raw, anchor, setting)
    due = on(ref.year)
    if due < ref:  # passed when the notice is issued: the next one
        due = on(ref.year + 1)
    return Deadline(raw, core, due, (due,), anchor=anchor)


def _reference(raw: str, anchor: str | None, setting: Setting) -> date:
    """What a month without a year is read from: the anchor, else the issuing notice's date,
    else the campaign's start (11月初 is the next November from there)."""
    if anchor is not None or setting.issued:
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
        due = make_date(y, mo, d)
        return Deadline(raw, f"{date_text(due)}前", due, (due,))
    if m := _ISO_MONTH.fullmatch(raw):
        y, mo = int(m.group(1)), int(m.group(2))
        due = make_date(y, mo, None)
        return Deadline(raw, f"{y}年{mo}月底前", due, (due,))
    if _ISO_YEAR.fullmatch(raw):
        due = date(int(raw), 12, 31)
        return Deadline(raw, f"{raw}年底前", due, (due,))
    if m := _MONTH_PART.fullmatch(raw):  # with its year: 2020年11月上旬
        due = part_of_month(int(m.group(1)), month_number(m.group(2)), m.group(3))
        return Deadline(raw, raw, due, (due,))
    if m := _CN.fullmatch(raw):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if month is None:
            due = date(year, 6, 30) if m.group(4) == "上半年" else date(year, 12, 31)
        else:
            due = make_date(year, month, day)
        return Deadline(raw, raw, due, (due,))
    return None


# ---------------------------------------------------------------- counted days

def _count(text: str, raw: str, unit: str) -> int:
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
        raise DeadlineError(f"'{text}' in '{raw}' is not a count of {unit} from 1 to {MAX_WORKDAYS}",
                            f"write the number of {unit}, e.g. {'5个工作日内' if unit == 'working days' else '3日内'}")
    return n


def _anchor_date(raw: str, anchor: str | None, setting: Setting) -> date:
    """The date a count of days (or 月底前) starts from: `anchor`, else the issuing notice's."""
    example = setting.example(0, 10)
    if anchor is not None:
        if (day := iso(anchor)) is not None and len(anchor.strip()) == 10:
            return day
        if anchor not in setting.documents:
            known = ", ".join(sorted(setting.documents)) or "none declared"
            raise DeadlineError(f"anchor '{anchor}' of '{raw}' is neither a date nor a document of this plan",
                                f"write a date ({example}) or a document id ({known})", key="anchor")
        found = setting.documents[anchor]
        if found is None:
            raise DeadlineError(f"anchor document '{anchor}' of '{raw}' has no date to count from",
                                f"give that document a date, or write the anchor as a date ({example})",
                                key="anchor")
        return found
    if setting.notice is None:
        raise DeadlineError(f"'{raw}' counts from a document, but the plan has no issuing notice (kind: notice) "
                            "to count from", f"write {{text: {raw}, anchor: {example}}} (a date or a document id)")
    found = setting.documents.get(setting.notice)
    if found is None:
        raise DeadlineError(f"'{raw}' counts from the issuing notice '{setting.notice}', which has no valid date",
                            f"give the notice its date ({example}), or write {{text: {raw}, anchor: {example}}}")
    return found
