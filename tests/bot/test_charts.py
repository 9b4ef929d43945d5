"""bot.charts: the digest's picture is a PNG a phone shows at full width, whatever the data."""

from __future__ import annotations

from bot.charts import CHART_HEIGHT_PX, WIDTH_PX, draw_png
from core.messages import ChartSpec, Image
from tests.png_support import png_size

WEEKS = ChartSpec(
    title="Interviews per week",
    labels=tuple(f"W{n}" for n in range(40, 48)),
    series=(("Interviews", (0, 3, 5, 2, 0, 7, 9, 4)),),
    target=5,
)
LONG = "Our receptionists re-book every cancelled appointment by hand on the phone " * 5
PAINS = ChartSpec(
    title="Top pains",
    labels=("NEW · " + LONG, "No-shows", "Late payments"),
    series=(("Interviewees", (12, 9, 4)),),
    chart="hbar",
    shades=(1.0, 0.5, 0.0),
)


def test_two_charts_one_under_another_at_phone_width() -> None:
    png = draw_png(Image(charts=(WEEKS, PAINS), alt="weeks and pains"))
    assert png_size(png) == (WIDTH_PX, 2 * CHART_HEIGHT_PX) == (1080, 1440)
    assert png.endswith(b"IEND\xaeB`\x82")


def test_a_long_label_still_fits_the_width() -> None:
    assert png_size(draw_png(Image(charts=(PAINS,), alt="pains"))) == (1080, 720)


def test_empty_data_draws_an_empty_chart() -> None:
    empty = ChartSpec(title="Interviews per week", labels=(), series=())
    assert png_size(draw_png(Image(charts=(empty,), alt="nothing yet"))) == (1080, 720)
    assert png_size(draw_png(Image(charts=(), alt="nothing yet"))) == (1080, 720)
    zeros = ChartSpec(title="Weeks", labels=("W1", "W2"), series=(("Interviews", (0, 0)),), target=0)
    assert png_size(draw_png(Image(charts=(zeros,), alt="zeros"))) == (1080, 720)
