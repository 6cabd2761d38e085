"""`fawen calendar`: every deadline as an iCalendar file, read back with the library."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from test_deadlines import write_plan

from generator import load

from conftest import PLANS

MEASURES = """\
        measures:
          - {id: m-own, text: 报送名单。, deadline: 2020年10月底前}
          - {id: m-inherit, text: 跟踪整改。}
"""


def _plan(folder: Path) -> Path:
    """The plan of every deadline form, with a measure of its own deadline, one without, and
    an ongoing task."""
    folder.mkdir()
    write_plan(folder)
    path = folder / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("documents:\n",
                        "      - {id: t-ongoing, title: 长效机制, text: 建立长效机制。, deadline: 长期坚持}\n"
                        "      - id: t-measures\n        title: 名单报送\n        text: 报送名单并跟踪整改。\n"
                        "        lead: [xfjy]\n        deadline: 2021年3月底前\n" + MEASURES + "documents:\n", 1)
    path.write_text(text, encoding="utf-8")
    return folder


def _events(path: Path) -> list[tuple[str, date, str]]:
    cal = Calendar.from_ical(path.read_bytes())
    return [(str(e["uid"]), e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")]


def test_every_day_of_every_deadline_is_an_all_day_event(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = _plan(tmp_path / "plan")
    status, _out, err = run_cli("calendar", str(folder), "-o", str(tmp_path / "forms.ics"))
    assert status == 0, err
    events = _events(tmp_path / "forms.ics")
    by_task: dict[str, list[date]] = {}
    for uid, day, _summary in events:
        by_task.setdefault(uid.split("/")[1] + ("/" + uid.split("/")[2] if uid.count("/") == 3 else ""), []).append(day)
    assert by_task["t-monthly"] == [date(2020, m, 5) for m in (10, 11, 12)] + [date(2021, m, 5) for m in (1, 2, 3)]
    assert by_task["t-weekly"] == [date(2020, 10, d) for d in (2, 9, 16, 23, 30)]
    assert by_task["t-workdays"] == [date(2020, 10, 9)]
    assert by_task["t-part"] == [date(2020, 11, 5)] and by_task["t-month-end"] == [date(2020, 9, 30)]
    assert len(by_task["t-half"]) == 19 and len(by_task["t-quarter"]) == 4  # from the notice (2020-09-25) on
    assert by_task["t-days"] == [date(2020, 9, 28)] and len(by_task["t-span"]) == 3
    assert by_task["t-measures"] == [date(2021, 3, 31)] and by_task["t-measures/m-own"] == [date(2020, 10, 31)]
    assert "t-ongoing" not in by_task and "t-measures/m-inherit" not in by_task  # no day, or the task's day
    expected = 1 + 6 + 19 + 4 + 5 + 1 + 1 + 1 + 1 + 3 + 2  # part, monthly, half, quarter, weekly, … two measures
    assert len(events) == expected and f"{expected} events from 1 plan" in err
    assert len({uid for uid, _d, _s in events}) == len(events)
    assert ("forms/t-monthly/2@fawen", date(2020, 11, 5), "任务4（应急管理局牵头）") in events  # the 2nd time
    assert ("forms/t-measures/1@fawen", date(2021, 3, 31), "名单报送（消防救援大队牵头）") in events

    cal = Calendar.from_ical((tmp_path / "forms.ics").read_bytes())
    event = cal.walk("VEVENT")[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert not isinstance(start, datetime) and (end - start).days == 1  # an all-day event
    assert event.decoded("dtstamp") == datetime(2020, 9, 1, tzinfo=UTC)  # the period's first day
    assert "DTSTART;VALUE=DATE:" in (tmp_path / "forms.ics").read_text(encoding="utf-8")
    monthly = [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("forms/t-monthly/")]
    assert "完成时限：2020年10月至2021年3月每月5日前（第2次，共6次）" in str(monthly[1]["description"])


def test_the_file_is_the_same_bytes_and_takes_source_date_epoch(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _plan(tmp_path / "plan")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert run_cli("calendar", str(folder), "-o", str(tmp_path / "a.ics"))[0] == 0
    assert run_cli("calendar", str(folder), "-o", str(tmp_path / "b.ics"))[0] == 0
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
    stamps = {e.decoded("dtstamp") for e in Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT")}
    assert stamps == {datetime.fromtimestamp(1600000000, UTC)}


def test_the_repository_plans_export_every_dated_deadline(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    status, _out, err = run_cli("calendar", str(PLANS), "-o", str(tmp_path / "all.ics"))
    assert status == 0, err
    workspace, _problems = load.load([PLANS])
    expected = 0
    for source in workspace.plans:
        for group in source.plan.task_groups:
            for task in group.tasks:
                expected += sum(len(x.deadline.days) for x in (task, *task.measures) if x.deadline)
    events = _events(tmp_path / "all.ics")
    assert len(events) == expected
    hazchem = sorted(day for uid, day, _s in events if uid.startswith("zaozhuang-gxq-2020-hazchem/hz-monitor-dispatch/"
                                                                       "hz-dispatch-monthly/"))
    assert hazchem == [date(2020 + (m > 6), (m + 6) % 12 or 12, 5) for m in range(1, 19)]  # 2020-07 … 2021-12


def test_a_broken_plan_writes_no_calendar(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = Path(__file__).parent / "broken" / "88-unknown-weekday"
    status, _out, err = run_cli("calendar", str(folder), "-o", str(tmp_path / "x.ics"))
    assert status == 1 and "unknown day of the week '八'" in err and "Traceback" not in err
    assert not (tmp_path / "x.ics").exists()


def test_an_output_in_the_way_is_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _plan(tmp_path / "plan")
    (tmp_path / "taken.ics").mkdir()
    status, _out, err = run_cli("calendar", str(folder), "-o", str(tmp_path / "taken.ics"))
    assert status == 1 and "cannot write" in err and "Traceback" not in err


def test_plans_without_a_dated_deadline_give_no_empty_calendar(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _plan(tmp_path / "plan")
    path = folder / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    # every task ongoing; the measures go too
    lines = [ln for ln in text.splitlines() if "measures:" not in ln and "m-own" not in ln and "m-inherit" not in ln]
    text = "\n".join(ln.split(", deadline:")[0] + ", deadline: 长期坚持}" if ", deadline:" in ln else
                     ln.replace("deadline: 2021年3月底前", "deadline: 长期坚持") for ln in lines) + "\n"
    path.write_text(text, encoding="utf-8")
    status, _out, err = run_cli("calendar", str(folder), "-o", str(tmp_path / "none.ics"))
    assert status == 2 and "the calendar would be empty" in err and not (tmp_path / "none.ics").exists()


def test_moving_a_date_keeps_the_uids_so_a_new_import_updates(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """UIDs name plan, task, measure and occurrence, not the day: a later notice moves the
    working-day and month-end events to new days under the same UIDs, and a later build
    (SOURCE_DATE_EPOCH) carries a higher SEQUENCE, so calendar apps take it as the newer revision."""
    folder = _plan(tmp_path / "plan")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert run_cli("calendar", str(folder), "-o", str(tmp_path / "before.ics"))[0] == 0
    path = folder / "plan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2020-09-25", "date: 2020-09-28"),
                    encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600300000")
    assert run_cli("calendar", str(folder), "-o", str(tmp_path / "after.ics"))[0] == 0
    before = {uid: day for uid, day, _s in _events(tmp_path / "before.ics")}
    after = {uid: day for uid, day, _s in _events(tmp_path / "after.ics")}
    assert set(before) == set(after)
    assert before["forms/t-workdays/1@fawen"] == date(2020, 10, 9)
    assert after["forms/t-workdays/1@fawen"] == date(2020, 10, 12)  # 29, 30日, 国庆, 10月9, 10 (调休), 12日
    assert before["forms/t-days/1@fawen"] == date(2020, 9, 28) and after["forms/t-days/1@fawen"] == date(2020, 10, 9)
    seq = [{int(str(e["sequence"])) for e in Calendar.from_ical((tmp_path / f"{n}.ics").read_bytes()).walk("VEVENT")}
           for n in ("before", "after")]
    assert len(seq[0]) == len(seq[1]) == 1 and min(seq[1]) > min(seq[0])
