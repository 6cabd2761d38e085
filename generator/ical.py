"""Plans → one iCalendar file of every deadline, for the staff's own calendars.

Each task's and each measure's deadline becomes all-day events: one for a dated deadline,
one per occurrence for a recurring one (每月5日前 → the 5th of every month of its range),
the computed day for a working-day one (收到通知后5个工作日内). Ongoing tasks (长期坚持)
have no day and no event. The file is the same bytes for the same plans. UIDs come from
plan, task, measure and the occurrence's number (ids never hold a /), never from the day: when a
deadline moves, importing the file again moves the event instead of adding one. DTSTAMP and
LAST-MODIFIED come from SOURCE_DATE_EPOCH or else the plan's first day, and SEQUENCE counts the
minutes from 2000 to that stamp, so a file built later (SOURCE_DATE_EPOCH = the commit's time)
is a newer revision of the same events to the calendar apps that compare them.
Before it is written the file is read back with the library and held against what was
meant to be in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from .chinese import ellipsis
from .deadlines import Deadline
from .errors import RenderError, UsageError
from .load import Source, Workspace
from .model import effective
from .titles import one_line

PRODID = "-//fawen//fawen calendar//ZH"
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    """One event: a day a task or measure falls due."""

    uid: str
    day: date
    summary: str
    description: str
    category: str


def _stamp(source: Source, epoch: int | None) -> datetime:
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC)
    first = source.plan.period.first_day
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def entries(source: Source) -> list[Entry]:
    """Every day a deadline of this plan falls due, in the plan's order, then by day."""
    plan = source.plan
    names = source.registry.names() if source.registry else {}
    out: list[Entry] = []
    for group in plan.task_groups:
        for task in group.tasks:
            lead, _support = effective(task, group)
            leads = "、".join(names.get(d, d) for d in lead)
            title = task.title or ellipsis(task.text, 16)
            items: list[tuple[str, str, str, Deadline | None]] = [(task.id, title, task.text, task.deadline)]
            items += [(f"{task.id}/{m.id}", f"{title}：{ellipsis(m.text, 20)}", m.text, m.deadline)
                      for m in task.measures]
            for key, name, text, deadline in items:
                if deadline is None:
                    continue
                days = deadline.days
                for k, day in enumerate(days, 1):
                    count = f"（第{k}次，共{len(days)}次）" if len(days) > 1 else ""
                    out.append(Entry(
                        uid=f"{plan.id}/{key}/{k}@fawen",
                        day=day,
                        summary=f"{name}（{leads}牵头）" if leads else name,
                        description=f"{text}\n完成时限：{deadline.display}{count}\n{one_line(plan.title)}",
                        category=group.title))
    return out


def calendar(workspace: Workspace, epoch: int | None = None) -> tuple[bytes, int]:
    """The iCalendar file of every plan's deadlines, and how many events it holds."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    plans = sorted(workspace.plans, key=lambda s: s.plan.id)
    name = one_line(plans[0].plan.title) if len(plans) == 1 else "完成时限"
    cal.add("x-wr-calname", f"{name}（完成时限）" if len(plans) == 1 else name)
    meant: list[Entry] = []
    for source in plans:
        stamp = _stamp(source, epoch)
        sequence = max(0, int((stamp - SEQUENCE_EPOCH).total_seconds()) // 60)
        for entry in sorted(entries(source), key=lambda e: e.day):  # stable: plan order within a day
            event = Event()
            event.add("uid", entry.uid)
            event.add("dtstamp", stamp)
            event.add("last-modified", stamp)
            event.add("sequence", sequence)
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + timedelta(days=1))
            event.add("summary", entry.summary)
            event.add("description", entry.description)
            event.add("categories", [entry.category])
            event.add("transp", "TRANSPARENT")  # a deadline does not make the day busy
            cal.add_component(event)
            meant.append(entry)
    if not meant:  # RFC 5545 wants at least one component; an empty file would import as nothing
        raise UsageError("no task or measure of these plans has a deadline with a day (长期坚持 has none); "
                         "the calendar would be empty, so nothing was written")
    data = cal.to_ical()
    _check(data, meant)
    return data, len(meant)


def _check(data: bytes, meant: list[Entry]) -> None:
    """Read the file back with the library: every event there, on its day, once."""
    try:
        back = Calendar.from_ical(data)
    except ValueError as exc:
        raise RenderError(f"the calendar file does not read back: {exc}") from None
    found: list[tuple[str, date, str]] = []
    for event in back.walk("VEVENT"):
        start = event.decoded("dtstart")
        end = event.decoded("dtend")
        if not isinstance(start, date) or isinstance(start, datetime) or end != start + timedelta(days=1):
            raise RenderError(f"calendar event {event.get('uid')} is not an all-day event")
        found.append((str(event.get("uid")), start, str(event.get("summary"))))
    expected = [(e.uid, e.day, e.summary) for e in meant]
    if found != expected:
        raise RenderError(f"the calendar file reads back as {len(found)} events, not the {len(expected)} written")
    if len({uid for uid, _day, _summary in found}) != len(found):
        raise RenderError("two calendar events share a UID")
