"""What a progress document carries besides its DOCX: the chart a 简报 embeds, and the files
written next to a 统计表 or 督办清单 — its XLSX (render/stats_xlsx.py) and the chart as PNG."""

from __future__ import annotations

from pathlib import Path

from ..layout import Layout
from ..layout_progress import Progress
from . import chart, stats_xlsx


def picture(progress: Progress, fonts: Path | None) -> bytes | None:
    """The chart a 简报 embeds (rates by department), as PNG; none for a table."""
    c = progress.chart
    if c is None or progress.grid is not None:
        return None
    return chart.rates(c.title, list(c.bars), c.overall, fonts)


def beside(doc_id: str, layout: Layout, progress: Progress, fonts: Path | None) -> dict[str, bytes]:
    """File name → bytes of what goes next to a table document: `<id>.xlsx`, `<id>-chart.png`."""
    if progress.grid is None:
        return {}
    out = {f"{doc_id}.xlsx": stats_xlsx.workbook(layout, progress.sheets)}
    if (c := progress.chart) is not None:
        out[f"{doc_id}-chart.png"] = chart.rates(c.title, list(c.bars), c.overall, fonts)
    return out
