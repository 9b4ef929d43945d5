"""Charts drawn as PNG for the platforms that send pictures (matplotlib's object API: no pyplot, no global state)."""

from __future__ import annotations

import asyncio
import io
import logging
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.messages import ChartSpec, Image, shorten

log = logging.getLogger(__name__)

WIDTH_PX = 1080
DPI = 150
CHART_HEIGHT_PX = 720
"""Each chart is 1080 × 720 px: a phone's width, a readable height; an image of two charts is 1080 × 1440."""
LABEL_WIDTH = 28
"""A long label (a pain's text) wraps at this many characters, over at most two lines."""
BAR = "#4C72B0"
TARGET = "#C44E52"
EMPTY = "#9A9A9A"


def draw_png(image: Image) -> bytes:
    """Every chart of the image, one under another, as one PNG 1080 px wide and 720 px high per chart."""
    charts = image.charts or (ChartSpec(title=image.alt, labels=(), series=()),)
    figure = Figure(figsize=(WIDTH_PX / DPI, CHART_HEIGHT_PX * len(charts) / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(charts), 1, squeeze=False)
    for row, chart in enumerate(charts):
        _draw(axes[row][0], chart)
    figure.tight_layout(pad=1.2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _label(text: str) -> str:
    """A label wrapped to at most two short lines, cut with an ellipsis when longer."""
    lines = textwrap.wrap(text, LABEL_WIDTH) or [""]
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), LABEL_WIDTH)]
    return "\n".join(lines)


def _colors(chart: ChartSpec, count: int) -> list[tuple[float, float, float, float]] | str:
    """The bars' colours: tinted by `shades` (light to dark red) when given, else one blue."""
    if len(chart.shades) != count:
        return BAR
    return [(0.75 - 0.55 * s, 0.35 - 0.3 * s, 0.3 - 0.25 * s, 0.35 + 0.65 * s) for s in chart.shades]


def _draw(axes: object, chart: ChartSpec) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.set_title(chart.title, fontsize=13, loc="left", fontweight="bold")
    values = chart.series[0][1] if chart.series else ()
    if not chart.labels or not values:
        axes.text(0.5, 0.5, "—", ha="center", va="center", fontsize=28, color=EMPTY, transform=axes.transAxes)
        axes.set_axis_off()
        return
    labels = [_label(label) for label in chart.labels]
    positions = list(range(len(labels)))
    if chart.chart == "hbar":
        bars = axes.barh(positions, values, color=_colors(chart, len(values)))
        axes.set_yticks(positions, labels, fontsize=10)
        axes.invert_yaxis()  # the first (largest) at the top
        axes.bar_label(bars, labels=[f"{value:g}" for value in values], padding=3, fontsize=10)
        axes.margins(x=0.15)
        if chart.target is not None:
            axes.axvline(chart.target, color=TARGET, linestyle="--", linewidth=1.5)
    else:
        if chart.chart == "line":
            axes.plot(positions, values, marker="o", color=BAR)
        else:
            bars = axes.bar(positions, values, color=_colors(chart, len(values)))
            axes.bar_label(bars, labels=[f"{value:g}" for value in values], padding=2, fontsize=10)
        axes.set_xticks(positions, labels, fontsize=10)
        if chart.target is not None:
            axes.axhline(chart.target, color=TARGET, linestyle="--", linewidth=1.5)
            axes.annotate(
                f"{chart.target:g}", (1, chart.target), xycoords=("axes fraction", "data"), xytext=(2, 0),
                textcoords="offset points", color=TARGET, fontsize=10, va="center",
            )  # fmt: skip
        axes.margins(y=0.15)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=10)


async def drawn(image: Image) -> bytes | None:
    """The chart drawn as a PNG in a worker thread; None (the failure logged) when it cannot be drawn: a chart must
    never hold up the message it belongs to."""
    try:
        return await asyncio.to_thread(draw_png, image)
    except Exception:
        log.exception("a chart could not be drawn")
        return None
