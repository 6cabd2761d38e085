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


def read(value: str | dict[str, str], setting: Setting = SETTING) -> Deadline:
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
    ("9月中旬", date(2020, 9, 20)),          # the notice's own month
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
    assert deadline.kind == "recurring" and deadline.display == "每月5日前"
    assert deadline.days == tuple(date(2020, m, 5) for m in range(7, 13))
    assert deadline.due == date(2020, 12, 5) and deadline.first == date(2020, 7, 5)  # due: the last


def test_a_recurring_deadline_runs_through_the_period_by_default() -> None:
    deadline = read("每月10日前")
    assert deadline.days[0] == date(2020, 6, 10) and deadline.days[-1] == date(2021, 12, 10)
    assert len(deadline.days) == 19


def test_a_day_past_a_short_month_falls_on_its_last_day() -> None:
    days = read({"text": "每月31日", "from": "2021-01", "to": "2021-04"}).days
    assert days == (date(2021, 1, 31), date(2021, 2, 28), date(2021, 3, 31), date(2021, 4, 30))


def test_every_half_month_is_the_15th_and_the_month_end() -> None:
    days = read({"text": "每半个月", "from": "2020-01", "to": "2020-03"}, Setting()).days
    assert days == (date(2020, 1, 15), date(2020, 1, 31), date(2020, 2, 15), date(2020, 2, 29),
                    date(2020, 3, 15), date(2020, 3, 31))


def test_every_quarter_end() -> None:
    days = read("每季度末").days
    assert days == (date(2020, 6, 30), date(2020, 9, 30), date(2020, 12, 31), date(2021, 3, 31),
                    date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31))


def test_every_friday_and_every_sunday() -> None:
    fridays = read({"text": "每周五", "from": "2020-07-01", "to": "2020-07-31"}).days
    assert fridays == (date(2020, 7, 3), date(2020, 7, 10), date(2020, 7, 17), date(2020, 7, 24), date(2020, 7, 31))
    sundays = read("每星期日").days
    assert all(d.weekday() == 6 for d in sundays)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(sundays))
    assert sundays[0] == date(2020, 6, 7) and sundays[-1] == date(2021, 12, 26)


@pytest.mark.parametrize(("value", "message"), [
    ("每周八", "unknown day of the week '八'"),
    ("每月32日前", "day 32 in '每月32日前' does not exist"),
    ({"text": "每月5日前", "from": "2020-07-06", "to": "2020-07-20"}, "falls on no day"),
    ({"text": "每月5日前", "from": "2020-12", "to": "2020-07"}, "ends (2020-07-31) before it starts"),
    ({"text": "每月5日前", "from": "July"}, "`from: July` is not a month or a date"),
    ({"text": "2021年底前", "from": "2020-07"}, "from/to apply to recurring deadlines only"),
    ({"text": "每月5日前", "start": "2020-07"}, "unknown key 'start'"),
])
def test_recurring_mistakes_are_refused(value: str | dict[str, str], message: str) -> None:
    with pytest.raises(DeadlineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(value)


def test_a_recurring_deadline_needs_days_to_run_between() -> None:
    with pytest.raises(DeadlineError, match="needs the days it runs between") as info:
        read("每月5日前", Setting())
    assert "from: 2020-07" in info.value.hint


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
    assert "anchor: 2020-07-10" in info.value.hint


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
    "t-monthly": ("{text: 每月5日前, from: 2020-10, to: 2021-03}", "每月5日前", date(2020, 10, 5), date(2021, 3, 5)),
    "t-half": ("每半个月", "每半个月", date(2020, 9, 15), date(2021, 6, 30)),
    "t-quarter": ("每季度末", "每季度末", date(2020, 9, 30), date(2021, 6, 30)),
    "t-weekly": ("{text: 每周五, from: 2020-10, to: 2020-10}", "每周五", date(2020, 10, 2), date(2020, 10, 30)),
    "t-workdays": ("收到通知后5个工作日内", "收到通知后5个工作日内", date(2020, 10, 9), date(2020, 10, 9)),
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
    for text in (notice, table, duties):
        assert "2020-10-05" not in text and "2021年3月5日" not in text  # no expanded dates in documents


def test_tasks_xlsx_shows_the_days(built: tuple[load.Source, Path]) -> None:
    wb = load_workbook(built[1] / "tasks.xlsx")
    ledger = {row[2]: row for row in wb["任务分解表"].iter_rows(min_row=2, values_only=True)}
    assert ledger["t-monthly"][7] == "每月5日前" and ledger["t-monthly"][8].date() == date(2021, 3, 5)
    assert ledger["t-workdays"][8].date() == date(2020, 10, 9)
    days = [row for row in wb["日期安排"].iter_rows(min_row=2, values_only=True)]
    monthly = [(r[0].date(), r[6]) for r in days if r[2] == "t-monthly"]
    assert monthly == [(date(2020, 10, 5), "1/6"), (date(2020, 11, 5), "2/6"), (date(2020, 12, 5), "3/6"),
                       (date(2021, 1, 5), "4/6"), (date(2021, 2, 5), "5/6"), (date(2021, 3, 5), "6/6")]
    assert [r[0].date() for r in days if r[2] == "t-weekly"] == [date(2020, 10, d) for d in (2, 9, 16, 23, 30)]
    assert len([r for r in days if r[2] == "t-half"]) == 20   # 2020-09 … 2021-06: ten months, two a month
    assert [r[0] for r in days] == sorted(r[0] for r in days)  # in date order


def test_summary_shows_dates_in_date_order(built: tuple[load.Source, Path]) -> None:
    import re
    text = (built[1] / "summary.md").read_text(encoding="utf-8")
    table = text.split("## 完成时限（按日期）")[1]
    rows = re.findall(r"^\| (\d+) \| .+? \| .+? \| (\d{4}-\d{2}-\d{2})(?: 至 (\S+)，(\d+)次)? \| (.+?) \|$",
                      table, flags=re.M)
    firsts = [date.fromisoformat(r[1]) for r in rows]
    assert firsts == sorted(firsts) and len(rows) == len(FORMS)
    monthly = next(r for r in rows if r[4] == "每月5日前")
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
