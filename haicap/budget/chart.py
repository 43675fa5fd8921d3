"""The chart of a year's disbursement (pure: no Django): what was disbursed from January against
the plan in force at each month's end and the pace the province expects, drawn by pygal as a
standalone SVG.

The desk's strict Content-Security-Policy allows no script and no outside address, and the
chart is shown in an ``<img>``: pygal's scripts are left out (``js=[]``, and its inline
configuration script removed), its styles are written inside the SVG. Amounts are shown in
billions of đồng (tỷ đồng) with the reader's decimal mark; floats only draw, never count.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from haicap.core.svg_chart import house_style, without_scripts

BILLION = 10**9

# Dark enough to read on white, told apart by more than colour: the disbursement is a solid
# line with dots, the plan a solid line, the pace a dashed one.
COLORS = ("#0b4f94", "#5f6b76", "#b3261e")
HEADROOM = 1.1  # the plan's line kept below the chart's top edge


@dataclass(frozen=True)
class ChartText:
    """The chart's words, in the reader's language."""

    title: str
    months: Sequence[str]  # the twelve months' labels on the x axis
    disbursed: str
    plan: str
    expected: str
    unit: str  # the y axis: "tỷ đồng"
    decimal_mark: str = ","


def billions(amount: int | None) -> float | None:
    return None if amount is None else amount / BILLION


def billions_text(value: float | None, decimal_mark: str) -> str:
    """12.5 → "12,5" (one decimal at most, none when whole)."""
    if value is None:
        return ""
    number = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{number:,.1f}".removesuffix(".0")
    if decimal_mark == ",":
        text = text.replace(",", " ").replace(".", ",")
    return text


def render(
    text: ChartText,
    plan: Sequence[int],
    disbursed: Sequence[int | None],
    expected: Sequence[int | None],
) -> bytes:
    """The SVG document (UTF-8) of twelve months' figures in đồng."""
    highest = max((a for a in (*plan, *disbursed, *expected) if a is not None), default=0)
    import pygal  # here, not at the top: a worker that draws no chart does not load it

    chart = pygal.Line(
        js=[],
        style=house_style(COLORS),
        width=800,
        height=420,
        title=text.title,
        y_title=text.unit,
        x_labels=list(text.months),
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        truncate_legend=-1,
        show_minor_x_labels=True,
        dots_size=3,
        include_x_axis=True,
        allow_interruptions=True,
        range=(0, max(billions(highest) * HEADROOM, 1.0)),
        value_formatter=lambda value: billions_text(value, text.decimal_mark),
    )
    chart.add_xml_filter(without_scripts)
    chart.add(text.disbursed, [billions(a) for a in disbursed])
    chart.add(text.plan, [billions(a) for a in plan], show_dots=False)
    chart.add(
        text.expected,
        [billions(a) for a in expected],
        show_dots=False,
        stroke_style={"dasharray": "8, 6"},
    )
    return chart.render()
