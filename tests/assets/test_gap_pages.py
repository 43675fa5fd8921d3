"""The equipment gap pages: the table coloured by gap with the gap in words, its legend,
filters, totals, Excel file and scoping; a cell's items linked to the asset's page."""

import io
import re

import pytest
from django.conf import settings
from openpyxl import load_workbook

from haicap.assets.gap_views import shade
from haicap.assets.models import EquipmentNorm
from haicap.assets.needs import Need
from haicap.core.exports import XLSX_CONTENT_TYPE
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    BACH_NGOC,
    COMMUNE_LEADER,
    DO_LUONG,
    SPECIALIST,
    SUPERVISOR,
    VAN_HIEN,
    commune,
)
from tests.conftest import client_for
from tests.staffing.page_parts import part, parts

world, asset_pages = gap_world.world, gap_world.asset_pages

pytestmark = pytest.mark.django_db
TABLE = "/desk/tai-san/thieu-hut/"


def page(username: str, url: str, language: str = "en", **params) -> str:
    client = client_for(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_codes(html: str) -> list[str]:
    return re.findall(r'data-testid="row-(\d+)"', html)


def cell_of(code: str, kind_id: int) -> str:
    return f"{TABLE}{commune(code).pk}/{kind_id}/"


@pytest.mark.parametrize(
    "needed, held, shaded",
    [
        (5, 5, "gap-0"),
        (5, 4, "gap-1"),
        (5, 3, "gap-2"),
        (5, 2, "gap-3"),
        (9, 0, "gap-3"),
        (1, 3, "gap-surplus"),
        (0, 0, "gap-0"),
    ],
)
def test_a_cells_shade_grows_with_its_gap_and_items_beyond_have_their_own(needed, held, shaded):
    assert shade(Need(needed, held)) == shaded


def test_each_cell_shows_held_against_needed_the_gap_in_words_and_its_shade(world):
    html = page(SPECIALIST, TABLE)
    expected = {
        (DO_LUONG, "scanner"): ("gap-0", "1 of 1 enough", "0"),
        (DO_LUONG, "computer"): ("gap-surplus", "8 of 7 1 beyond", "0"),
        (DO_LUONG, "printer"): ("gap-1", "4 of 5 lacks 1", "1"),
        (BACH_HA, "computer"): ("gap-3", "0 of 7 lacks 7", "7"),
        (VAN_HIEN, "scanner"): ("gap-1", "0 of 1 lacks 1", "1"),
    }
    for (code, kind), (shaded, text, gap) in expected.items():
        found = part(html, f"cell-{code}-{kind}")
        assert (found.attrs["class"], found.text, found.attrs["data-gap"]) == (shaded, text, gap)
    # the total counts held within each kind's need: the spare computer fills no printer
    assert part(html, f"row-total-{DO_LUONG}").text == "12 of 13 lacks 1 · 1 beyond"


def test_the_columns_are_the_kinds_with_a_norm_by_name_and_a_cell_opens_its_items(world):
    html = page(SPECIALIST, TABLE, q="Đô Lương")
    assert row_codes(html) == [DO_LUONG]
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headings == ["Commune or ward", "Máy in", "Máy quét", "Máy tính", "All kinds"]
    assert part(html, f"cell-{DO_LUONG}-scanner").links == [
        cell_of(DO_LUONG, world.kinds.scanner.pk)
    ]
    assert parts(html, f"cell-{DO_LUONG}-office") == []  # offices have no equipment norm


def test_the_legend_says_what_each_colour_means_and_the_norms_say_where_they_come_from(world):
    html = page(SPECIALIST, TABLE, language="vi")
    legend = part(html, "legend")
    assert legend.text == "đủ: bằng định mức thiếu 1 thiếu 2 thiếu từ 3 trở lên nhiều hơn định mức"
    assert [p.attrs["class"] for p in parts(html, f"cell-{DO_LUONG}-computer")] == ["gap-surplus"]
    assert part(html, f"cell-{DO_LUONG}-computer").text == "8/7 thừa 1"
    assert part(html, f"row-total-{DO_LUONG}").text == "12/13 thiếu 1 · thừa 1"
    assert gap_world.ILLUSTRATIVE in part(html, "norms-in-force").text


def test_the_filters_narrow_the_rows_and_columns(world):
    html = page(SPECIALIST, TABLE, q="bach")
    assert row_codes(html) == [BACH_HA, BACH_NGOC]  # Vietnamese order: Hà before Ngọc
    html = page(SPECIALIST, TABLE, kind="scanner", lacking_only="on", q="o")
    codes = row_codes(html)
    assert DO_LUONG not in codes and VAN_HIEN not in codes  # Văn Hiến has no "o"
    assert parts(html, f"cell-{BACH_NGOC}-printer") == []
    assert part(html, f"cell-{BACH_NGOC}-scanner").text == "0 of 1 lacks 1"
    html = page(SPECIALIST, TABLE, q="zzz")
    assert "No commune you may see matches." in part(html, "no-communes").text


def test_the_totals_add_up_the_rows_shown(world):
    html = page(SPECIALIST, TABLE, q="Văn Hiến")
    # Văn Hiến: printers 0 of 5, scanners 0 of 1, computers 7 of 7
    assert [part(html, f"column-total-{n}").text for n in (1, 2, 3)] == [
        "0 of 5 lacks 5",
        "0 of 1 lacks 1",
        "7 of 7 enough",
    ]
    assert part(html, "grand-total").text == "7 of 13 lacks 6"


def test_the_excel_file_has_the_figures_of_the_page(world):
    client = client_for(SPECIALIST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(TABLE, {"q": "Đô Lương", "export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(response.content))
    table, details = book.worksheets
    assert [table.cell(2, c).value for c in range(1, 5)] == [
        "Commune or ward",
        "One-stop desks",
        "Offices",
        "Máy in",
    ]
    assert [table.cell(3, c).value for c in range(4, 8)] == [
        "Needed",
        "Held",
        "Lacking",
        "Beyond the need",
    ]
    row = [table.cell(4, c).value for c in range(1, 20)]
    # printers 5/4/1/0, scanners 1/1/0/0, computers 7/8/0/1, every kind 13/12/1/1 (held
    # within each kind's need, the spare computer said apart)
    assert row == ["xã Đô Lương", 1, 5, 5, 4, 1, 0, 1, 1, 0, 0, 7, 8, 0, 1, 13, 12, 1, 1]
    assert [table.cell(5, c).value for c in (1, 16, 17, 18, 19)] == ["Total", 13, 12, 1, 1]
    assert [details.cell(2, c).value for c in (1, 3, 9, 10, 11, 12)] == [
        "Commune or ward",
        "Kind",
        "Needed",
        "Held",
        "Lacking",
        "Beyond the need",
    ]
    computers = [details.cell(5, c).value for c in range(1, 13)]
    assert computers == ["xã Đô Lương", DO_LUONG, "Máy tính", "computer", 1, 5, 2, 1, 7, 8, 0, 1]


def test_a_commune_sees_its_own_row_finance_and_supervisors_the_province(world):
    assert row_codes(page(COMMUNE_LEADER, TABLE)) == [DO_LUONG]
    everyone = row_codes(page(SUPERVISOR, TABLE))
    assert len(everyone) > 100 and {DO_LUONG, BACH_HA, VAN_HIEN} <= set(everyone)
    client = client_for(COMMUNE_LEADER)
    assert client.get(cell_of(BACH_HA, world.kinds.scanner.pk)).status_code == 404


def test_a_cell_lists_the_communes_items_linked_to_their_page(world, asset_pages):
    html = page(COMMUNE_LEADER, cell_of(DO_LUONG, world.kinds.scanner.pk))
    assert (part(html, "needed").text, part(html, "held").text, part(html, "gap").text) == (
        "1",
        "1",
        "enough",
    )
    assert part(html, "norm").text == "1 per one-stop desk, 0 per office"
    items = part(html, "items")
    assert items.links == [
        f"/desk/tai-san/{a.pk}/"
        for a in sorted(
            (world.held_scanner, world.s2, world.broken_scanner), key=lambda a: a.identifier
        )
    ]
    assert part(html, f"item-{world.broken_scanner.pk}").text.endswith(
        "Unusable In use no: unusable"
    )
    assert part(html, f"item-{world.s2.pk}").text.endswith(
        "Good Surplus, to be arranged no: not in use"
    )
    held = part(html, f"item-{world.held_scanner.pk}").text
    assert world.held_scanner.identifier in held and held.endswith("Good In use yes")


def test_without_norms_the_page_says_so(world):
    EquipmentNorm.objects.all().delete()
    html = page(SPECIALIST, TABLE)
    assert "No equipment norm is set yet." in part(html, "no-norms").text
    assert parts(html, "gaps") == []
