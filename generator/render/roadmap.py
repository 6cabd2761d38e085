"""A plan → its 重点任务推进路线图 as a PNG chart (matplotlib), Chinese labels in the
project's CJK fonts: the phases as bars, dated targets as milestones on a month axis
(a week axis for a campaign shorter than two months), ticks labelled in Chinese."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from ..convert import DEFAULT_FONTS
from ..model import Phase, Plan, Roadmap
from ..tables import Row, deadlines_of, rows
from ..titles import one_line, title_lines

FONT_FILES = ("FandolHei-Regular.ttf", "FandolSong-Regular.ttf")


def _font(fonts: Path | None) -> str:
    """Register the CJK faces with matplotlib and return the family to use."""
    from matplotlib import font_manager
    for folder in (fonts, DEFAULT_FONTS):
        if folder is None:
            continue
        for name in FONT_FILES:
            path = folder / name
            if path.is_file():
                font_manager.fontManager.addfont(str(path))
                return font_manager.FontProperties(fname=str(path)).get_name()
    return "sans-serif"


WEEKLY_BELOW_DAYS = 62  # a campaign shorter than about two months: a tick each Monday
MAX_MONTH_TICKS = 12    # longer ones: a tick every 1, 2, 3, 6 or 12 months, no more than this many


def heading(plan: Plan) -> str:
    """The chart's title: the plan's roadmap document's own `title` (its chosen breaks kept) when
    it has one, otherwise the plan title on one line + 重点任务推进路线图."""
    for doc in plan.documents:
        if isinstance(doc, Roadmap) and doc.title:
            return doc.title
    return f"{one_line(plan.title)}重点任务推进路线图"


def ticks(first: date, last: date) -> list[tuple[date, str]]:
    """The axis ticks between `first` and `last` (the visible range) with their Chinese labels:
    each month's first day (2020年6月, then 7月 … and the year again each January) spaced so no
    more than MAX_MONTH_TICKS show; each Monday (6月8日) when the range is shorter than two months."""
    out: list[tuple[date, str]] = []
    if (last - first).days < WEEKLY_BELOW_DAYS + 30:  # the range holds 15 days of margin each side
        day = first + timedelta(days=(7 - first.weekday()) % 7)
        while day <= last:
            year = f"{day.year}年" if not out or (day.month == 1 and day.day <= 7) else ""
            out.append((day, f"{year}{day.month}月{day.day}日"))
            day += timedelta(days=7)
        return out
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((n for n in (1, 2, 3, 6) if months / n <= MAX_MONTH_TICKS), 12)
    y, m = first.year, first.month
    while date(y, m, 1) <= last:
        if date(y, m, 1) >= first and (m - 1) % step == 0:
            out.append((date(y, m, 1), f"{y}年{m}月" if not out or m == 1 else f"{m}月"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def chart(plan: Plan, fonts: Path | None = None, names: dict[str, str] | None = None) -> bytes:
    """The PNG bytes (pyplot keeps global state: one chart at a time, like DOCX rendering);
    `names` (department id → name) lets a phase's bar name its lead units."""
    from .page import RENDER_LOCK
    with RENDER_LOCK:
        return _chart(plan, fonts, names or {})


MAX_LEADS_SHOWN = 2  # a bar's label names at most two lead units, then 等


def phase_label(phase: Phase, names: dict[str, str]) -> str:
    """A phase bar's label: its name, and its lead units when it has them and they can be
    named (动员部署（县应急管理局牵头）); the name alone otherwise, never a bare id."""
    if not phase.lead or not all(d in names for d in phase.lead):
        return phase.name
    shown = "、".join(names[d] for d in phase.lead[:MAX_LEADS_SHOWN])
    return f"{phase.name}（{shown}{'等' if len(phase.lead) > MAX_LEADS_SHOWN else ''}牵头）"


def task_marks(plan: Plan, dated: list[Row]) -> list[tuple[str, tuple[date, ...], bool]]:
    """Each dated task's row of the chart: its label, the days it falls due, and whether it
    recurs (每月5日前: a tick on each day, the deadline as written in the label) or falls due once
    (a diamond on its day)."""
    deadlines = deadlines_of(plan)
    out = []
    for r in dated:
        assert r.due is not None
        deadline = deadlines.get((r.task_id, ""))
        if deadline is not None and deadline.kind == "recurring":
            out.append((f"{r.number}. {r.title}（{deadline.display}）", deadline.days, True))
        else:
            out.append((f"{r.number}. {r.title}", (r.due,), False))
    return out


def _chart(plan: Plan, fonts: Path | None, names: dict[str, str]) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    family = _font(fonts)
    dated = sorted((r for r in rows(plan, with_measures=False) if r.due), key=lambda r: (r.due, int(r.number)))
    height = 1.2 + 0.45 * (len(plan.phases) + min(len(dated), 40))
    fig, ax = plt.subplots(figsize=(10, height), dpi=150)
    labels: list[str] = []
    y = 0
    for phase in plan.phases:
        start, end = phase.first_day, phase.last_day + timedelta(days=1)
        ax.barh(y, (end - start).days, left=mdates.date2num(start), height=0.6, color="#c00000", alpha=0.8)
        labels.append(phase_label(phase, names))
        y += 1
    for label, days, recurring in task_marks(plan, dated[:40]):
        if recurring:  # every day it falls due: a tick each
            ax.plot([mdates.date2num(day) for day in days], [y] * len(days), linestyle="none",
                    marker="|", color="#1f4e79", markersize=9, markeredgewidth=1.5)
        else:
            ax.plot(mdates.date2num(days[0]), y, marker="D", color="#1f4e79", markersize=6)
        labels.append(label)
        y += 1
    ax.set_yticks(range(len(labels)), labels, fontfamily=family, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis_date()
    first, last = plan.period.first_day - timedelta(days=15), plan.period.last_day + timedelta(days=15)
    marks = ticks(first, last)
    ax.set_xticks([mdates.date2num(day) for day, _ in marks], [label for _, label in marks],
                  fontfamily=family, fontsize=9)
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
    ax.grid(axis="x", color="#dddddd")
    # the plan title on one line, then broken like any title, for the figure's width at 12 pt
    lines = title_lines(heading(plan), int(fig.get_figwidth() * 72 / 12) - 4)
    ax.set_title("\n".join(lines), fontfamily=family, fontsize=12)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    # margins from the labels' own width (CJK one em, ASCII half) instead of tight_layout,
    # which measured every label twice and took a third of the chart's time
    from ..chinese import text_width
    label_in = max((text_width(label) for label in labels), default=0) * 9 / 72 + 0.25
    fig.subplots_adjust(left=min(0.6, label_in / 10), right=0.97, top=1 - 0.55 / height, bottom=0.45 / height)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return out.getvalue()


