"""A plan → its 重点任务推进路线图 as a PNG chart (matplotlib), Chinese labels in the
project's CJK fonts: the phases as bars, dated targets as milestones on a month axis."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from ..convert import DEFAULT_FONTS
from ..model import Plan
from ..tables import rows
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


def chart(plan: Plan, fonts: Path | None = None) -> bytes:
    """The PNG bytes (pyplot keeps global state: one chart at a time, like DOCX rendering)."""
    from .page import RENDER_LOCK
    with RENDER_LOCK:
        return _chart(plan, fonts)


def _chart(plan: Plan, fonts: Path | None) -> bytes:
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
        labels.append(f"{phase.name}")
        y += 1
    for r in dated[:40]:
        assert r.due is not None
        ax.plot(mdates.date2num(r.due), y, marker="D", color="#1f4e79", markersize=6)
        labels.append(f"{r.number}. {r.title}")
        y += 1
    ax.set_yticks(range(len(labels)), labels, fontfamily=family, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    first, last = plan.period.first_day, plan.period.last_day
    ax.set_xlim(mdates.date2num(first - timedelta(days=15)), mdates.date2num(last + timedelta(days=15)))
    ax.grid(axis="x", color="#dddddd")
    # the plan title on one line, then broken like any title, for the figure's width at 12 pt
    heading = title_lines(f"{one_line(plan.title)}重点任务推进路线图", int(fig.get_figwidth() * 72 / 12) - 4)
    ax.set_title("\n".join(heading), fontfamily=family, fontsize=12)
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


