"""The chart of a commune's series across the reform (pure: no Django): one figure of its
reports, period by period, drawn by pygal as a standalone SVG.

Before 1 July 2025 a point is the sum of the former communes' figures (``lineage``); a point
that leaves some out (one filed nothing, or was divided between several communes) is marked
with a second, unjoined series, so a partial sum is never read as a whole one. As in the budget
chart, pygal's scripts are left out: the desk's Content-Security-Policy runs none, and the
chart is shown in an ``<img>``. Floats only draw, never count.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from haicap.core.svg_chart import house_style, without_scripts

# Told apart by more than colour: the series is a line with dots, a partial point also a
# larger red dot, unjoined, over it.
COLORS = ("#0b4f94", "#b3261e")
HEADROOM = 1.1  # the highest point kept below the chart's top edge


@dataclass(frozen=True)
class TrendText:
    """The chart's words, in the reader's language."""

    title: str
    periods: Sequence[str]  # the x axis: each period's name
    series: str  # the figure's label
    partial: str  # the marker of a partial sum
    unit: str  # the y axis ("hồ sơ", "%"), or ""
    decimal_mark: str = ","


def number_text(value: float | None, decimal_mark: str) -> str:
    """1234.5 → "1 234,5" (Vietnamese marks), "1,234.5" (English); up to two decimals."""
    if value is None:
        return ""
    number = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    if decimal_mark == ",":
        text = text.replace(",", " ").replace(".", ",")
    return text


def render(text: TrendText, values: Sequence[Decimal | None], partial: Sequence[bool]) -> bytes:
    """The SVG document (UTF-8): ``values`` by period (None: no figure), ``partial`` marking
    the points that leave former communes out."""
    drawn = [float(v) if v is not None else None for v in values]
    highest = max((abs(v) for v in drawn if v is not None), default=0.0)
    lowest = min((v for v in drawn if v is not None), default=0.0)
    import pygal  # here, not at the top: a worker that draws no chart does not load it

    chart = pygal.Line(
        js=[],
        style=house_style(COLORS),
        width=800,
        height=420,
        title=text.title,
        y_title=text.unit or None,
        x_labels=list(text.periods),
        x_label_rotation=-45 if len(text.periods) > 12 else 0,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        show_minor_x_labels=True,
        dots_size=3,
        include_x_axis=True,
        allow_interruptions=True,
        range=(min(lowest * HEADROOM, 0.0), max(highest * HEADROOM, 1.0)),
        value_formatter=lambda value: number_text(value, text.decimal_mark),
    )
    chart.add_xml_filter(without_scripts)
    chart.add(text.series, drawn)
    marked = [v if flag else None for v, flag in zip(drawn, partial, strict=True)]
    chart.add(text.partial, marked, stroke=False, dots_size=7)
    return chart.render()
