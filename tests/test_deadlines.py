"""Deadlines as offices write them (issue 15): parts of a month, recurring deadlines and
working-day counts — each parsed, expanded to its days, checked against the State Council's
holiday calendar, and printed as written in the documents while ledgers show the dates."""

from __future__ import annotations

import itertools
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator import build, deadlines, load, workdays, yamlio
from generator.deadlines import Deadline, DeadlineError, Setting, parse_deadline, read_deadline
from generator.model import Plan

# a campaign of a year and a half, issued by a notice of Friday 2020-09-25 (before 国庆)
SETTING = Setting(date(2020, 6, 1), date(2021, 12, 31), {"notice": date(2020, 9, 25), "plan": None}, "notice")


def read(value: str | dict[str, str | None], setting: Setting = SETTING) -> Deadline:
    with deadlines.reading(setting):
        return read_deadline(value)


# ------------------------------------------------------------------ parts of a month

@pytest.mark.parametrize(("text", "due"), [
    ("2020年11月初", date(2020, 11, 5)),
    ("2020年11月上旬", date(2020, 11, 10)),
    ("2020年11月中旬前", date(2020, 11, 20)),
    ("2020年11月下旬", date(2020, 11, 30)),
    ("2021年2月下旬", date(2021, 2, 28)),
    ("2020年2月底前", date(2020, 2, 29)),    # a leap year's February
    ("2020年11月末", date(2020, 11, 30)),
    ("11月初", date(2020, 11, 5)),           # no year: the next November from the notice
    ("11月底前", date(2020, 11, 30)),
    ("8月上旬", date(2021, 8, 10)),          # August has passed when the notice is issued: the next one
    ("9月中旬", date(2021, 9, 20)),          # passed on the notice's day (9-25): the next one
    ("9月下旬", date(2020, 9, 30)),          # the notice's own month, still ahead
    ("10月15日前", date(2020, 10, 15)),      # a day without a year: the next one from the notice
    ("9月1日前", date(2021, 9, 1)),
    ("第四季度", date(2020, 12, 31)),        # a quarter without a year: the next quarter end
    ("三季度末", date(2020, 9, 30)),
    ("第二季度", date(2021, 6, 30)),
    ("2021年第一季度", date(2021, 3, 31)),
    ("月底前", date(2020, 9, 30)),           # the month of the notice
    ("本月中旬前", date(2020, 9, 20)),
])
def test_parts_of_a_month_stand_for_a_day(text: str, due: date) -> None:
    deadline = read(text)
    assert (deadline.due, deadline.days, deadline.display, deadline.kind) == (due, (due,), text, "date")


def test_a_month_without_a_year_counts_from_the_period_when_there_is_no_notice() -> None:
    plain = Setting(date(2020, 6, 1), date(2021, 12, 31))
    assert read("3月底前", plain).due == date(2021, 3, 31)
    assert read("6月上旬", plain).due == date(2020, 6, 10)
    assert read({"text": "3月底前", "anchor": "2021-04-01"}, plain).due == date(2022, 3, 31)


def test_a_month_without_a_year_needs_something_to_take_it_from() -> None:
    with pytest.raises(DeadlineError, match="has no year") as info:
        read("11月初", Setting())
    assert "2020年11月初" in info.value.hint


def test_the_old_forms_read_as_before() -> None:
    assert parse_deadline("2020-06-30") == Deadline("2020-06-30", "2020年6月30日前", date(2020, 6, 30),
                                                    (date(2020, 6, 30),))
    assert parse_deadline("2020-12").display == "2020年12月底前"
    assert parse_deadline("2022年上半年").due == date(2022, 6, 30)
    assert parse_deadline("长期坚持").due is None and parse_deadline("长期坚持").days == ()
    with pytest.raises(DeadlineError, match="month 13 does not exist"):
        parse_deadline("2020年13月初")


# ------------------------------------------------------------------ recurring deadlines

def test_every_month_on_a_day_between_from_and_to() -> None:
    deadline = read({"text": "每月5日前", "from": "2020-07", "to": "2020-12"})
    assert deadline.kind == "recurring" and deadline.display == "2020年7月至12月每月5日前"  # the range printed
    assert deadline.days == tuple(date(2020, m, 5) for m in range(7, 13))
    assert deadline.due == date(2020, 12, 5) and deadline.first == date(2020, 7, 5)  # due: the last


def test_a_recurring_deadline_runs_through_the_period_by_default() -> None:
    deadline = read("每月10日前", Setting(date(2020, 6, 1), date(2021, 12, 31)))
    assert deadline.days[0] == date(2020, 6, 10) and deadline.days[-1] == date(2021, 12, 10)
    assert len(deadline.days) == 19 and deadline.display == "每月10日前"


def test_a_recurring_deadline_starts_at_the_notice_not_before_it() -> None:
    """Nothing falls due before the notice that sets it (notice 2020-09-25, period from June)."""
    assert read("每月10日前").days[0] == date(2020, 10, 10)
    assert read("每月底前").days[0] == date(2020, 9, 30)
    assert read("每周五").days[0] == date(2020, 9, 25)  # the notice's own day counts
    assert read({"text": "每月10日前", "from": "2020-07"}).days[0] == date(2020, 7, 10)  # from: as written


def test_a_day_past_a_short_month_falls_on_its_last_day() -> None:
    days = read({"text": "每月31日", "from": "2021-01", "to": "2021-04"}).days
    assert days == (date(2021, 1, 31), date(2021, 2, 28), date(2021, 3, 31), date(2021, 4, 30))


def test_every_half_month_is_the_15th_and_the_month_end() -> None:
    days = read({"text": "每半个月", "from": "2020-01", "to": "2020-03"}, Setting()).days
    assert days == (date(2020, 1, 15), date(2020, 1, 31), date(2020, 2, 15), date(2020, 2, 29),
                    date(2020, 3, 15), date(2020, 3, 31))


def test_every_quarter_end() -> None:
    days = read("每季度末", Setting(date(2020, 6, 1), date(2021, 12, 31))).days
    assert days == (date(2020, 6, 30), date(2020, 9, 30), date(2020, 12, 31), date(2021, 3, 31),
                    date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31))


def test_every_friday_and_every_sunday() -> None:
    fridays = read({"text": "每周五", "from": "2020-07-01", "to": "2020-07-31"}).days
    assert fridays == (date(2020, 7, 3), date(2020, 7, 10), date(2020, 7, 17), date(2020, 7, 24), date(2020, 7, 31))
    sundays = read("每星期日", Setting(date(2020, 6, 1), date(2021, 12, 31))).days
    assert all(d.weekday() == 6 for d in sundays)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(sundays))
    assert sundays[0] == date(2020, 6, 7) and sundays[-1] == date(2021, 12, 26)


@pytest.mark.parametrize(("value", "message"), [
    ("每周八", "unknown day of the week '八'"),
    ("每月32日前", "day 32 in '每月32日前' does not exist"),
    ({"text": "每月5日前", "from": "2020-07-06", "to": "2020-07-20"}, "falls on no day"),
    ({"text": "每月5日前", "from": "2020-12", "to": "2020-07"}, "ends (2020-07-31) before it starts"),
    ({"text": "每月5日前", "from": "July"}, "`from: July` is not a month or a date"),
    ({"text": "2021年底前", "from": "2020-07"}, "from/to limit a recurring deadline"),
    ({"text": "每月5日前", "anchor": "notice"}, "anchor applies to a count of days from a document, not to the "
                                               "recurring deadline"),
    ({"text": "每月5日前", "anchor": ""}, "`anchor:` of deadline '每月5日前' is empty"),
    ({"text": "收到通知后5个工作日内", "anchor": None}, "`anchor:` of deadline '收到通知后5个工作日内' is empty"),
    ({"text": "2020年10月至2021年3月每月5日前", "from": "2020-10"}, "gives its span in the text and again"),
    ("2020年10月至2021年3月", "names a span (2020年10月至2021年3月) but no recurring deadline"),
    ("2020年12月至3月每月5日前", "the span of '2020年12月至3月每月5日前' ends before it starts"),
    ({"text": "每月5日前", "start": "2020-07"}, "unknown key 'start'"),
])
def test_recurring_mistakes_are_refused(value: str | dict[str, str | None], message: str) -> None:
    with pytest.raises(DeadlineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(value)


def test_a_recurring_deadline_needs_days_to_run_between() -> None:
    with pytest.raises(DeadlineError, match="needs the days it runs between") as info:
        read("每月5日前", Setting())
    assert "from: 2020-02" in info.value.hint


# ------------------------------------------------------------------ working days

# The State Council's notices (国办发明电): 2020 国庆节、中秋节 10月1日至8日放假, 9月27日（周日）、
# 10月10日（周六）上班; 2021 春节 2月11日至17日放假, 2月7日（周日）、2月20日（周六）上班;
# 2020 劳动节 5月1日至5日放假, 4月26日（周日）、5月9日（周六）上班; 2020 春节 extended to 2月2日.
OFF = [date(2020, 10, d) for d in range(1, 9)] + [date(2021, 2, d) for d in range(11, 18)] + [
    date(2020, 5, d) for d in range(1, 6)] + [date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 2)]
MAKE_UP = [date(2020, 9, 27), date(2020, 10, 10), date(2021, 2, 7), date(2021, 2, 20),
           date(2020, 4, 26), date(2020, 5, 9)]


def test_the_calendar_knows_the_published_holidays_and_make_up_days() -> None:
    assert [d for d in OFF if workdays.is_workday(d)] == []
    assert all(d.weekday() < 5 for d in OFF[:2])  # 10月1日, 2日 are weekdays, off all the same
    assert [d for d in MAKE_UP if not workdays.is_workday(d)] == []
    assert all(d.weekday() >= 5 for d in MAKE_UP)  # make-up days are weekends, worked all the same
    assert workdays.is_workday(date(2020, 10, 9)) and not workdays.is_workday(date(2020, 10, 11))
    assert workdays.is_workday(date(2021, 2, 18)) and not workdays.is_workday(date(2021, 2, 21))


@pytest.mark.parametrize(("start", "n", "due"), [
    (date(2020, 9, 25), 1, date(2020, 9, 27)),    # Sunday 9月27日 is a working day
    (date(2020, 9, 25), 5, date(2020, 10, 9)),    # 27, 28, 29, 30, then 国庆 to the 8th, then the 9th
    (date(2020, 9, 30), 2, date(2020, 10, 10)),   # 9日, then Saturday 10日 (make-up)
    (date(2021, 2, 10), 1, date(2021, 2, 18)),    # 春节 11–17日 off
    (date(2021, 2, 10), 3, date(2021, 2, 20)),    # 18, 19, then Saturday 20日 (make-up)
    (date(2021, 2, 5), 1, date(2021, 2, 7)),      # Sunday 2月7日 (make-up)
    (date(2020, 6, 29), 5, date(2020, 7, 6)),     # an ordinary week: the anchor day is not counted
])
def test_working_days_are_counted_after_the_anchor(start: date, n: int, due: date) -> None:
    assert workdays.add_workdays(start, n) == due


def test_working_day_deadlines_count_from_the_issuing_notice() -> None:
    deadline = read("收到通知后5个工作日内")
    assert (deadline.kind, deadline.due, deadline.display) == ("workdays", date(2020, 10, 9), "收到通知后5个工作日内")
    # 27, 28, 29, 30日, 国庆, 10月9日, Saturday 10日 (make-up), 12, 13, 14, 15日
    assert read("印发之日起10个工作日内").due == date(2020, 10, 15)
    assert read("十个工作日内").due == date(2020, 10, 15)
    assert read("收到通知后两个工作日内").due == date(2020, 9, 28)


def test_an_explicit_anchor_is_a_date_or_a_document() -> None:
    # Sunday 2月7日 (make-up), 8, 9, 10日, 春节 11–17日, 18日
    assert read({"text": "5个工作日内", "anchor": "2021-02-05"}).due == date(2021, 2, 18)
    assert read({"text": "5个工作日内", "anchor": "notice"}).due == date(2020, 10, 9)
    with pytest.raises(DeadlineError, match=r"anchor document 'plan' .* has no date"):
        read({"text": "5个工作日内", "anchor": "plan"})
    with pytest.raises(DeadlineError, match="neither a date nor a document") as info:
        read({"text": "5个工作日内", "anchor": "notise"})
    assert "notice" in info.value.hint
    with pytest.raises(DeadlineError, match="anchor applies to deadlines counted from a document"):
        read({"text": "2020年底前", "anchor": "notice"})


def test_a_working_day_deadline_without_an_anchor_is_refused() -> None:
    with pytest.raises(DeadlineError, match="no issuing notice") as info:
        read("收到通知后5个工作日内", Setting(date(2020, 6, 1), date(2021, 12, 31)))
    assert "anchor: 2020-06-10" in info.value.hint  # an example from the plan's own period


def test_a_year_beyond_the_calendar_is_a_clear_error() -> None:
    low, high = workdays.calendar_years()
    assert low == 2004 and high >= 2026
    with pytest.raises(DeadlineError, match=f"working days of {high + 1} cannot be counted") as info:
        read({"text": "5个工作日内", "anchor": f"{high}-12-30"}, Setting())
    assert "pip install --upgrade chinese-calendar" in info.value.hint
    with pytest.raises(DeadlineError, match="working days of 2003 cannot be counted: the holiday calendar begins"):
        read({"text": "5个工作日内", "anchor": "2003-12-30"}, Setting())


# ------------------------------------------------------------------ in a plan, in the documents

REGISTRY = """\
departments:
  - {id: yjglj, name: 应急管理局, short: 应急局}
  - {id: xfjy, name: 消防救援大队, short: 消防大队}
"""
FORMS = {  # task id → deadline as written in the YAML, as printed, and its first and last days
    "t-part": ("2020年11月初", "2020年11月初", date(2020, 11, 5), date(2020, 11, 5)),
    "t-yearless": ("12月中旬", "12月中旬", date(2020, 12, 20), date(2020, 12, 20)),
    "t-month-end": ("月底前", "月底前", date(2020, 9, 30), date(2020, 9, 30)),
    "t-monthly": ("{text: 每月5日前, from: 2020-10, to: 2021-03}", "2020年10月至2021年3月每月5日前",
                  date(2020, 10, 5), date(2021, 3, 5)),   # from/to printed before the rhythm
    "t-half": ("每半个月", "每半个月", date(2020, 9, 30), date(2021, 6, 30)),  # from the notice (9-25) on
    "t-quarter": ("每季度末", "每季度末", date(2020, 9, 30), date(2021, 6, 30)),
    "t-weekly": ("{text: 每周五, from: 2020-10, to: 2020-10}", "2020年10月每周五", date(2020, 10, 2),
                 date(2020, 10, 30)),
    "t-workdays": ("收到通知后5个工作日内", "收到通知后5个工作日内", date(2020, 10, 9), date(2020, 10, 9)),
    "t-days": ("收到通知后3日内完成", "收到通知后3日内", date(2020, 9, 28), date(2020, 9, 28)),  # 完成: printed once
    "t-span": ("2020年10月至12月每月底前", "2020年10月至12月每月底前", date(2020, 10, 31), date(2020, 12, 31)),
}


def write_plan(folder: Path) -> Path:
    tasks = "\n".join(f"      - {{id: {tid}, title: 任务{i}, text: 完成第{i}项工作。, deadline: {yaml}}}"
                      for i, (tid, (yaml, *_)) in enumerate(FORMS.items(), 1))
    (folder / "departments.yaml").write_text(REGISTRY, encoding="utf-8")
    (folder / "plan.yaml").write_text(f"""\
id: forms
title: 某县时限写法示例专项行动方案
issuer: {{name: 某县安全生产委员会, code: 某安发}}
period: {{start: 2020-09, end: 2021-06}}
sections:
  - {{id: tasks, title: 主要任务, insert: tasks}}
task_groups:
  - id: g
    kind: 专题
    title: 时限示例
    lead: [yjglj]
    support: [xfjy]
    tasks:
{tasks}
documents:
  - {{id: notice, kind: notice, number: 某安发〔2020〕9号, to: [各有关单位], date: 2020-09-25, plan: attachment,
     append: [table]}}
  - {{id: table, kind: task-table}}
  - {{id: duties, kind: responsibilities}}
""", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[load.Source, Path]:
    folder = write_plan(tmp_path_factory.mktemp("forms"))
    workspace, problems = load.load([folder])
    assert [p for p in problems if p.severity == "error"] == []
    out = folder / "out"
    assert build.build(workspace, out, pdf=False).ok
    return workspace.plans[0], out / "forms"


def test_a_plan_reads_each_form_against_its_period_and_notice(built: tuple[load.Source, Path]) -> None:
    plan = built[0].plan
    for task in plan.task_groups[0].tasks:
        _yaml, shown, first, last = FORMS[task.id]
        assert task.deadline is not None
        assert (task.deadline.display, task.deadline.first, task.deadline.due) == (shown, first, last), task.id


def test_the_plan_model_alone_reads_against_its_own_data(tmp_path: Path) -> None:
    """The setting comes from the plan being validated, not from a global left behind."""
    path = write_plan(tmp_path) / "plan.yaml"
    data = load.to_data(yamlio.read(path, "plan.yaml"), load.Index())
    data["documents"][0]["date"] = "2020-09-30"  # five working days from 9月30日: 10月9, 10, 12, 13, 14日
    again = Plan.model_validate(data)
    by_id = {t.id: t.deadline for t in again.task_groups[0].tasks}
    assert by_id["t-workdays"] is not None and by_id["t-workdays"].due == date(2020, 10, 14)
    assert by_id["t-month-end"] is not None and by_id["t-month-end"].due == date(2020, 9, 30)
    assert deadlines.SETTING.get() is None


def _docx_text(path: Path) -> str:
    import re
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_documents_print_each_deadline_as_written(built: tuple[load.Source, Path]) -> None:
    notice, table, duties = (_docx_text(built[1] / f"{name}.docx") for name in ("notice", "table", "duties"))
    for _yaml, shown, *_ in FORMS.values():
        assert f"（{shown}完成）" in notice, shown          # the plan text
        assert shown in table and shown in duties, shown   # the 任务分解表 and the 责任清单
    assert "完成完成" not in notice and "收到通知后3日内完成" not in table  # a written 完成 is not doubled
    for text in (notice, table, duties):
        assert "2020-10-05" not in text and "2021年3月5日" not in text  # no expanded dates in documents


def test_tasks_xlsx_shows_the_days(built: tuple[load.Source, Path]) -> None:
    wb = load_workbook(built[1] / "tasks.xlsx")
    ledger = {row[2]: row for row in wb["任务分解表"].iter_rows(min_row=2, values_only=True)}
    assert ledger["t-monthly"][7] == "2020年10月至2021年3月每月5日前"
    assert ledger["t-monthly"][8].date() == date(2021, 3, 5)
    assert ledger["t-workdays"][8].date() == date(2020, 10, 9)
    days = [row for row in wb["日期安排"].iter_rows(min_row=2, values_only=True)]
    monthly = [(r[0].date(), r[6]) for r in days if r[2] == "t-monthly"]
    assert monthly == [(date(2020, 10, 5), "1/6"), (date(2020, 11, 5), "2/6"), (date(2020, 12, 5), "3/6"),
                       (date(2021, 1, 5), "4/6"), (date(2021, 2, 5), "5/6"), (date(2021, 3, 5), "6/6")]
    assert [r[0].date() for r in days if r[2] == "t-weekly"] == [date(2020, 10, d) for d in (2, 9, 16, 23, 30)]
    assert len([r for r in days if r[2] == "t-half"]) == 19   # 2020-09-30 … 2021-06: the 15th of Sept. is past
    assert [r[0] for r in days] == sorted(r[0] for r in days)  # in date order


def test_summary_shows_dates_in_date_order(built: tuple[load.Source, Path]) -> None:
    import re
    text = (built[1] / "summary.md").read_text(encoding="utf-8")
    table = text.split("## 完成时限（按日期）")[1]
    rows = re.findall(r"^\| (\d+) \| .+? \| .+? \| (\d{4}-\d{2}-\d{2})(?: 至 (\S+)，(\d+)次)? \| (.+?) \|$",
                      table, flags=re.M)
    # sorted by the day each is met in full — a recurring one's last occurrence — as tasks.xlsx's 截止日期
    lasts = [date.fromisoformat(r[2] or r[1]) for r in rows]
    assert lasts == sorted(lasts) and len(rows) == len(FORMS)
    assert [r[1] for r in rows][:2] == ["2020-09-28", "2020-09-30"]  # 3日内, then 月底前
    monthly = next(r for r in rows if r[4] == "2020年10月至2021年3月每月5日前")
    assert monthly[1:4] == ("2020-10-05", "2021-03-05", "6")
    assert "    section 周期性时限" in text and ":r4, 2020-10-05, 2021-03-05" in text


def test_the_schema_takes_a_deadline_as_text_or_as_a_mapping() -> None:
    import json

    import jsonschema

    from generator import schema
    plan_schema = json.loads(schema.schema_text("plan"))
    deadline = plan_schema["definitions"]["Task"]["properties"]["deadline"]
    validator = jsonschema.Draft7Validator({**deadline, "definitions": plan_schema["definitions"]})
    for good in ("每月5日前", {"text": "每月5日前", "from": "2020-07", "to": "2020-12"},
                 {"text": "收到通知后5个工作日内", "anchor": "notice"}):
        assert list(validator.iter_errors(good)) == [], good
    for bad in ({"text": "每月5日前", "start": "2020-07"}, {"from": "2020-07"}, {"text": "每月5日前", "to": "July"}):
        assert list(validator.iter_errors(bad)), bad


def test_a_recurring_deadline_answers_which_occurrence_a_day_falls_under() -> None:
    deadline = read({"text": "每月5日前", "from": "2020-07", "to": "2020-12"})
    assert deadline.latest_by(date(2020, 9, 4)) == date(2020, 8, 5)
    assert deadline.latest_by(date(2020, 9, 5)) == date(2020, 9, 5)
    assert deadline.latest_by(date(2020, 7, 1)) is None
    assert deadline.next_from(date(2020, 9, 6)) == date(2020, 10, 5)
    assert deadline.next_from(date(2020, 12, 6)) is None
    once = read("2020年11月中旬")
    assert once.latest_by(date(2021, 1, 1)) == once.next_from(date(2020, 1, 1)) == date(2020, 11, 20)


# ------------------------------------------------------------------ review fixes: forms, 完成, the notice

@pytest.mark.parametrize(("text", "display", "due"), [
    ("2020年11月底前完成", "2020年11月底前", date(2020, 11, 30)),
    ("11月上旬完成", "11月上旬", date(2020, 11, 10)),
    ("收到通知后5个工作日内完成", "收到通知后5个工作日内", date(2020, 10, 9)),
    ("2020-12完成", "2020年12月底前", date(2020, 12, 31)),
    ("每周五完成", "每周五", date(2021, 12, 31)),
    ("2020年10月至12月每月5日前完成", "2020年10月至12月每月5日前", date(2020, 12, 5)),
])
def test_a_trailing_wancheng_is_read_in_every_form_and_printed_once(text: str, display: str, due: date) -> None:
    """The documents add 完成 after the deadline themselves (…（2020年11月底前完成）)."""
    deadline = read(text)
    assert (deadline.text, deadline.display, deadline.due) == (text, display, due)


def test_the_last_working_day_of_every_month_follows_the_state_council_calendar() -> None:
    deadline = read({"text": "每月最后一个工作日", "from": "2021-12", "to": "2022-02"}, Setting())
    # 2022年1月31日 is 除夕 (a holiday) and Sunday 1月30日 a make-up working day
    assert deadline.kind == "recurring"
    assert deadline.days == (date(2021, 12, 31), date(2022, 1, 30), date(2022, 2, 28))
    assert read("每月最后一个工作日").days[:2] == (date(2020, 9, 30), date(2020, 10, 30))  # Oct. 31: Saturday


@pytest.mark.parametrize("text", ["节后第一个工作日", "每月第一个工作日", "会后5个工作日内", "每月最后一个工作日后3天"])
def test_working_days_are_read_only_after_the_documented_anchors(text: str) -> None:
    with pytest.raises(DeadlineError, match=f"cannot read deadline '{text}'") as info:
        read(text)
    assert "收到通知后5个工作日内" in info.value.hint


def test_calendar_days_count_as_the_civil_code_counts() -> None:
    """From the next day; a period ending on a day off ends on the next working day (Art. 203)."""
    deadline = read("收到通知后3日内")  # Friday 9月25日 + 3 = Monday 28日
    assert (deadline.kind, deadline.due, deadline.display) == ("days", date(2020, 9, 28), "收到通知后3日内")
    assert read({"text": "3日内", "anchor": "2020-09-29"}).due == date(2020, 10, 9)  # 10月2日: 国庆 to the 8th
    assert read("印发之日起十天内").due == date(2020, 10, 9)  # 10月5日, a holiday
    assert read({"text": "收到通知后7日内", "anchor": "2020-09-26"}).due == date(2020, 10, 9)


def test_a_relative_month_is_refused_with_the_accepted_forms() -> None:
    with pytest.raises(DeadlineError, match="cannot read deadline '次月5日前'") as info:
        read("次月5日前")
    assert "'次月' is relative" in info.value.hint and "收到通知后3日内" in info.value.hint


def test_a_span_in_the_text_limits_a_recurring_deadline() -> None:
    deadline = read("2020年10月至2021年3月每月5日前")
    assert (deadline.start, deadline.end, deadline.spanned) == ("2020-10", "2021-03", True)
    assert deadline.days == read({"text": "每月5日前", "from": "2020-10", "to": "2021-03"}).days
    assert deadline.display == "2020年10月至2021年3月每月5日前"
    assert read("2020年10月12日至11月6日每周五").days == tuple(date(2020, m, d) for m, d in
                                                          ((10, 16), (10, 23), (10, 30), (11, 6)))
    assert read({"text": "每周五", "from": "2020-10"}).display == "自2020年10月起每周五"
    assert read({"text": "每周五", "to": "2020-12"}).display == "至2020年12月每周五"


def test_hints_take_their_examples_from_the_plans_own_period() -> None:
    plan_2026 = Setting(date(2026, 9, 1), date(2027, 6, 30), {"notice": None}, "notice")
    values: list[str | dict[str, str | None]] = ["明年春天", {"text": "5个工作日内", "anchor": "x"},
                                                 {"text": "每月5日前", "anchor": "notice"},
                                                 {"text": "5个工作日内", "anchor": ""}]
    for value in values:
        with pytest.raises(DeadlineError) as info:
            read(value, plan_2026)
        assert "2026-" in info.value.hint and "2020" not in info.value.hint, info.value.hint


def test_mistakes_in_a_mapping_name_their_key() -> None:
    cases: list[tuple[dict[str, str | None], str]] = [
        ({"text": "每月5日前", "form": "2020-10"}, "form"), ({"text": "每月5日前", "anchor": "notice"}, "anchor"),
        ({"text": "每月5日前", "to": "2020-13x"}, "to"), ({"text": "x", "anchor": None}, "anchor")]
    for value, key in cases:
        with pytest.raises(DeadlineError) as info:
            read(value)
        assert info.value.key == key, value
    with pytest.raises(DeadlineError) as info:
        read({"text": "每月5日前", "form": "2020-10"})
    assert "did you mean 'from'" in info.value.hint


def test_deadlines_before_the_issuing_notice_are_warned_at_their_place(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_plan(tmp_path)
    path = folder / "plan.yaml"
    text = path.read_text(encoding="utf-8").replace("date: 2020-09-25", "date: 2020-11-20")
    path.write_text(text.replace("deadline: 2020年11月初}", "deadline: 2020年11月初完成}"), encoding="utf-8")
    status, _out, err = run_cli("validate", str(folder))
    assert status == 0 and ": error: " not in err, err
    warnings = [line.split("plan.yaml:", 1)[1] for line in err.splitlines()
                if ": warning: deadline" in line or ": warning: recurring deadline" in line]
    lines = text.splitlines()

    def at(task: str, what: str) -> str:
        row = next(i for i, line in enumerate(lines, 1) if f"id: {task}," in line)
        return f"{row}:{lines[row - 1].index(what) + 1}"
    assert any(w.startswith(at("t-part", "2020年11月初") + ": warning: deadline '2020年11月初完成' (2020-11-05) is "
                            "before the issuing notice 'notice' is dated (2020-11-20)") for w in warnings), warnings
    assert any(w.startswith(at("t-monthly", "2020-10,") + ": warning: recurring deadline '每月5日前' first falls due "
                            "on 2020-10-05") for w in warnings), warnings
    assert any(w.startswith(at("t-span", "2020年10月至12月") + ": warning: recurring deadline") for w in warnings)
    assert len(warnings) == 4 and any("'每周五'" in w for w in warnings), warnings  # 每半个月 etc. start at the notice


def test_ledger_and_summary_use_the_plans_labels_and_a_dash_for_no_lead(tmp_path: Path) -> None:
    folder = write_plan(tmp_path)
    path = folder / "plan.yaml"
    text = path.read_text(encoding="utf-8").replace("    kind: 专题\n", "    kind: 工作措施\n")
    text = text.replace("task_groups:\n", "group_kinds: [工作措施, 保障措施]\ntask_groups:\n", 1).replace(
        "documents:\n", "  - id: care\n    kind: 保障措施\n    title: 加强组织领导\n    lead: none\n    tasks:\n"
        "      - {id: t-care, title: 落实责任, text: 落实主体责任。, deadline: 2020年12月底前}\n" "documents:\n", 1)
    path.write_text(text, encoding="utf-8")
    workspace, problems = load.load([folder])
    assert [p for p in problems if p.severity == "error"] == []
    assert build.build(workspace, folder / "out", pdf=False).ok
    wb = load_workbook(folder / "out" / "forms" / "tasks.xlsx")
    assert [c.value for c in wb["任务分解表"][1]][:3] == ["序号", "工作措施/保障措施", "任务编号"]
    summary = (folder / "out" / "forms" / "summary.md").read_text(encoding="utf-8")
    assert "| 加强组织领导 | 保障措施 | 1 | — |" in summary
    assert any(line.startswith("| ") and "| 落实责任 | — | 2020-12-31 |" in line for line in summary.splitlines())
