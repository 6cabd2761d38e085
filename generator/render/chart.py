"""Rates by department → a bar chart (PNG, matplotlib) in the project's CJK fonts.

One bar per department or town, highest rate first, its value printed on it with the same
rounding as the documents' text (the caller passes the formatted labels); a dashed line at
the overall rate. Bars under the overall rate are drawn in red: behind the average.
"""

from __future__ import annotations

import io
from pathlib import Path

from .roadmap import _font

RED, BLUE, GREY = "#c00000", "#1f4e79", "#7f7f7f"


def rates(title: str, bars: list[tuple[str, float, str]], overall: tuple[float, str] | None,
          fonts: Path | None = None) -> bytes:
    """PNG bytes of the chart: `bars` are (department name, rate in %, its label), `overall`
    the whole campaign's rate and label. pyplot keeps global state: one chart at a time."""
    from .page import RENDER_LOCK
    with RENDER_LOCK:
        return _rates(title, bars, overall, fonts)


def _rates(title: str, bars: list[tuple[str, float, str]], overall: tuple[float, str] | None,
           fonts: Path | None) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = _font(fonts)
    ordered = sorted(bars, key=lambda b: -b[1])  # stable: ties keep the order given (the ranking's: registry order)
    height = 1.3 + 0.34 * max(len(ordered), 1)
    fig, ax = plt.subplots(figsize=(8, height), dpi=150)
    ys = list(range(len(ordered)))
    below = [overall is not None and value < overall[0] for _, value, _ in ordered]
    ax.barh(ys, [v for _, v, _ in ordered], height=0.6, color=[RED if b else BLUE for b in below])
    for y, (_, value, label) in zip(ys, ordered, strict=True):
        ax.text(value + 1, y, label, va="center", fontfamily=family, fontsize=9)
    ax.set_yticks(ys, [name for name, _, _ in ordered], fontfamily=family, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20%", "40%", "60%", "80%", "100%"], fontsize=9)
    if overall is not None:
        ax.axvline(overall[0], color=GREY, linestyle="--", linewidth=1)
        ax.text(overall[0], -0.9, f"全区 {overall[1]}", ha="center", fontfamily=family, fontsize=9, color=GREY)
    if overall is not None and any(below):  # what red means, where the bars leave room (bottom right)
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(color=RED, label=f"低于全区（{overall[1]}）"),
                           Patch(color=BLUE, label="不低于全区")],
                  loc="lower right", prop={"family": family, "size": 8}, frameon=False)
    ax.set_title(title, fontfamily=family, fontsize=12, pad=18)
    ax.grid(axis="x", color="#e5e5e5")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from ..chinese import text_width
    label_in = max((text_width(name) for name, _, _ in ordered), default=0) * 10 / 72 + 0.3
    fig.subplots_adjust(left=min(0.5, label_in / 8), right=0.95, top=1 - 0.75 / height, bottom=0.5 / height)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return out.getvalue()
