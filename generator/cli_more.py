"""The `fawen` commands that keep records beside the documents: `calendar` (every deadline
as iCalendar), `number` (the next free 发文字号 or 简报 issue, the number registry) and
`progress` (the Excel 报表 of a period, and importing a filled one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import load, settings, validate
from .cli_common import DEFAULT_PLANS, load_checked
from .errors import UsageError, printable


def cmd_calendar(args: argparse.Namespace) -> int:
    """Every deadline of the plans as an iCalendar file (recurring ones expanded)."""
    from . import ical
    from .files import atomic_write
    workspace = load_checked(args.paths or [DEFAULT_PLANS])
    data, count = ical.calendar(workspace, settings.source_date_epoch())
    atomic_write(Path(args.output), data)
    plans = len(workspace.plans)
    print(f"wrote {printable(args.output)}: {count} events from {plans} plan{'s' if plans != 1 else ''}",
          file=sys.stderr)
    return 0


def cmd_number_next(args: argparse.Namespace) -> int:
    from datetime import date

    from . import numbering
    workspace = load_checked([args.plans])
    year = args.year or date.today().year
    if args.series:
        from . import bulletins  # the ledger's issues and those the plans' 简报 take
        issues = bulletins.issues_of(workspace, args.series)
        known = sorted(bulletins.series_of(workspace))
        if not issues and args.series not in known:
            raise UsageError(f"no bulletin series '{args.series}' in {load.LEDGER_FILE}"
                             + (f" (series: {', '.join(known)})" if known else ""))
        try:
            print(numbering.next_issue(issues, year))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return 0
    if not args.code:
        raise UsageError("give an organ code (机关代字), e.g. `fawen number next 枣高安发`, or --series ID")
    print(numbering.next_number(validate.registry(workspace), args.code, year))
    return 0


def cmd_number_list(args: argparse.Namespace) -> int:
    workspace = load_checked([args.plans])
    entries = sorted((e for e in validate.registry(workspace) if not args.code or e.number.code == args.code),
                     key=lambda e: (e.number.code, e.number.year, e.number.seq))
    rows = [("发文字号", "文件", "来源", "日期", "状态")]
    rows += [(str(e.number), e.title, e.where, e.date, e.status) for e in entries]
    widths = [max(_width(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip())
    # a bulletin series (简报) has no 机关代字 of its own — its 期号 are not 发文字号 — so the
    # series are listed only when no code is given
    from . import bulletins
    taken = bulletins.assign(workspace)[0] if not args.code else []
    for series in bulletins.series_of(workspace).values() if not args.code else ():
        for item in series.issues:
            print(f"{series.title}  {item.issue}  {item.date or ''}".rstrip())
        for a in (a for a in taken if a.series == series.id):  # the plans' 简报, in date order
            print(f"{series.title}  {a.number}  {a.date}  {a.where}  {'declared' if a.declared else 'taken'}")
    return 0


def cmd_progress_template(args: argparse.Namespace) -> int:
    """The Excel 报表 of a reporting period, filled with the latest data (see progress_template)."""
    from . import progress_template, progress_yaml
    from .model import Invalid
    from .model.progress import period_span
    source, _ledgers = progress_yaml.load_plan(Path(args.plan))
    try:
        first, last, _label = period_span(args.period)
    except Invalid as exc:
        raise UsageError(f"--period {args.period}: {exc}; {exc.hint}") from None
    if first < source.plan.period.first_day or last > source.plan.period.last_day:
        raise UsageError(f"--period {args.period} lies outside the campaign "
                         f"{source.plan.period.start}..{source.plan.period.end}")
    progress_template.template(source, args.period, Path(args.output))
    print(f"wrote {load.display(Path(args.output))}", file=sys.stderr)
    return 0


def cmd_progress_import(args: argparse.Namespace) -> int:
    """A filled-in 报表 → progress/<period>.yaml, every cell checked; nothing written on a mistake."""
    from . import progress_yaml
    written = progress_yaml.import_sheet(Path(args.file), Path(args.plan), args.replace)
    print(f"wrote {load.display(written)}", file=sys.stderr)
    return 0


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The subcommands of this module, in their place in `fawen --help` (called from cli.parser)."""
    p = sub.add_parser("calendar", help="every deadline as an iCalendar file (.ics) for staff calendars")
    p.add_argument("paths", nargs="*", type=Path, help="plan directories or files (default: plans/)")
    p.add_argument("-o", "--output", required=True, help="the .ics file to write")
    p.set_defaults(func=cmd_calendar)

    p = sub.add_parser("number", help="发文字号 and 简报 issue numbers: the next free one, the registry")
    numsub = p.add_subparsers(dest="number_command", required=True)
    q = numsub.add_parser("next", help="print the next free number for an organ code (or a bulletin series)")
    q.add_argument("code", nargs="?", help="机关代字, e.g. 枣高安发")
    q.add_argument("--year", type=int, help="year of the number (default: this year)")
    q.add_argument("--series", help="a bulletin series id from numbers.yaml instead of a code")
    q.add_argument("--plans", type=Path, default=DEFAULT_PLANS, help="plans directory (default: plans/)")
    q.set_defaults(func=cmd_number_next)
    q = numsub.add_parser("list", help="print every number the repository knows, as a table")
    q.add_argument("code", nargs="?",
                   help="only this 机关代字 (bulletin series, which have none, are listed without a code)")
    q.add_argument("--plans", type=Path, default=DEFAULT_PLANS, help="plans directory (default: plans/)")
    q.set_defaults(func=cmd_number_list)

    p = sub.add_parser("progress", help="progress 报表 in Excel: write the template of a period, import a filled one")
    progsub = p.add_subparsers(dest="progress_command", required=True)
    q = progsub.add_parser("template", help="write the Excel 报表 of a reporting period for departments to fill in")
    q.add_argument("plan", help="plan directory or plan.yaml")
    q.add_argument("--period", required=True, help="reporting period: 2021-10, 2021-10-H1, 2021-Q4, or a range")
    q.add_argument("-o", "--output", required=True, help="the .xlsx to write")
    q.set_defaults(func=cmd_progress_template)
    q = progsub.add_parser("import", help="read a filled-in 报表 into progress/<period>.yaml (all or nothing)")
    q.add_argument("file", help="the filled-in .xlsx")
    q.add_argument("--plan", required=True, help="plan directory or plan.yaml")
    q.add_argument("--replace", action="store_true",
                   help="re-import a period that has a file already (it is overwritten; its $schema line kept)")
    q.set_defaults(func=cmd_progress_import)
