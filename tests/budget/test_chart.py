"""The disbursement chart: a standalone SVG (no script, nothing fetched from elsewhere) with its
three series named, the disbursement drawn through the month reported on only, amounts in
billions of đồng with the reader's decimal mark."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.budget import chart

SVG = "{http://www.w3.org/2000/svg}"
BILLION = 10**9
TEXT = chart.ChartText(
    title="Giải ngân vốn đầu tư công năm 2025",
    months=[f"T{m}" for m in range(1, 13)],
    disbursed="Đã giải ngân từ đầu năm",
    plan="Kế hoạch vốn còn hiệu lực",
    expected="Tiến độ yêu cầu",
    unit="tỷ đồng",
    decimal_mark=",",
)


def drawn(disbursed, plan=None, expected=None) -> ElementTree.Element:
    plan = plan or [10 * BILLION] * 12
    expected = expected or [BILLION * m for m in range(1, 13)]
    svg = chart.render(TEXT, plan, disbursed, expected)
    assert svg.startswith(b"<?xml")
    return ElementTree.fromstring(svg)  # noqa: S314  (haicap's own chart)


def test_the_svg_names_its_series_and_runs_no_script():
    root = drawn([BILLION // 2 * m if m <= 6 else None for m in range(1, 13)])
    assert root.tag == f"{SVG}svg"
    assert root.findall(f".//{SVG}script") == []
    texts = " ".join(root.itertext())
    for words in (TEXT.title, TEXT.disbursed, TEXT.plan, TEXT.expected, TEXT.unit, "T1", "T12"):
        assert words in texts
    # no address outside the SVG itself: no stylesheet, script or font fetched
    links = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
    assert all(link.startswith("#") for link in links), links


def test_the_disbursement_is_drawn_through_the_month_reported_on_in_billions():
    cumulative = [500_000_000, 500_000_000, 2_000_000_000, 2_000_000_000, 3_250_000_000]
    root = drawn(cumulative + [None] * 7)
    groups = [g for g in root.iter(f"{SVG}g") if "serie-0" in g.get("class", "").split()]
    values = [d.text for g in groups for d in g.iter(f"{SVG}desc") if d.get("class") == "value"]
    assert values == ["0,5", "0,5", "2", "2", "3,3"]  # 3.25 rounds half up to 3,3


def test_the_expected_pace_is_dashed():
    root = drawn([BILLION] + [None] * 11)
    styles = " ".join(s.text or "" for s in root.iter(f"{SVG}style"))
    assert re.search(r"serie-2[^}]*stroke-dasharray:\s*8,\s*6", styles)


@given(st.integers(0, 10**15))
def test_billions_are_written_with_the_readers_marks(amount):
    vietnamese = chart.billions_text(chart.billions(amount), ",")
    english = chart.billions_text(chart.billions(amount), ".")
    assert abs(float(english.replace(",", "")) * 10**9 - amount) <= 0.05 * 10**9 + 1
    assert float(vietnamese.replace(" ", "").replace(",", ".")) == float(english.replace(",", ""))
    assert "." not in vietnamese


@pytest.mark.parametrize(
    "amount, vietnamese, english",
    [(12_500_000_000, "12,5", "12.5"), (1_234_000_000_000, "1 234", "1,234"), (0, "0", "0")],
)
def test_billions_text(amount, vietnamese, english):
    assert chart.billions_text(chart.billions(amount), ",") == vietnamese
    assert chart.billions_text(chart.billions(amount), ".") == english
