"""The shortage pages: the province's table coloured by gap, its filters, Excel file and
scoping, and a commune's standing in a field with the officers and dossiers behind it."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from haicap.core.exports import XLSX_CONTENT_TYPE
from haicap.staffing.gap_views import shade
from haicap.staffing.norms import Basis, Standing
from tests.conftest import client_for
from tests.staffing import gap_world
from tests.staffing.gap_world import BACH_HA, BACH_NGOC, DO_LUONG, VAN_HIEN
from tests.staffing.page_parts import Part, part, parts

staff_world, world, on_the_day = gap_world.staff_world, gap_world.world, gap_world.on_the_day
officer_pages = gap_world.officer_pages

pytestmark = pytest.mark.django_db
TABLE = "/desk/nhan-su/thieu-hut/"
AUTHORITY = "chuyenvien.sonoivu"


def page(username: str, url: str, language: str = "vi", **params) -> str:
    client = client_for(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_codes(html: str) -> list[str]:
    """The communes (their codes) of the table's rows, in order."""
    return re.findall(r'data-testid="row-(\d+)"', html)


def cell(html: str, code: str, field: str):
    return part(html, f"cell-{code}-{field}")


@pytest.mark.parametrize(
    "gap, surplus, shaded",
    [
        (0, 0, "gap-0"),
        (1, 0, "gap-1"),
        (2, 0, "gap-2"),
        (3, 0, "gap-3"),
        (7, 0, "gap-3"),
        (0, 2, "gap-surplus"),
    ],
)
def test_a_cells_shade_grows_with_its_gap_and_a_surplus_has_its_own(gap, surplus, shaded):
    norm = 5
    standing = Standing(norm, norm - gap + surplus, 0, 0, Basis.FIXED)
    assert (standing.gap, standing.surplus) == (gap, surplus)
    assert shade(standing) == shaded


def test_each_cell_shows_officers_against_the_norm_the_gap_in_words_and_its_shade(world):
    html = page(AUTHORITY, TABLE)
    expected = {
        (DO_LUONG, "DATDAI"): ("gap-1 seconded-out", "1/2 thiếu 1 · 1 biệt phái đi"),
        (DO_LUONG, "CNTT"): ("gap-surplus", "2/1 thừa 1"),
        # covered only thanks to an officer seconded in: not like a commune's own
        (BACH_HA, "DATDAI"): ("gap-0 seconded-in", "1/1 đủ · 1 biệt phái đến"),
        (BACH_NGOC, "CNTT"): ("gap-0 seconded-in", "1/1 đủ · 1 biệt phái đến"),
        (BACH_HA, "CNTT"): ("gap-2", "0/2 thiếu 2"),
        (BACH_NGOC, "DATDAI"): ("gap-3", "1/4 thiếu 3"),
        (VAN_HIEN, "CNTT"): ("gap-1", "0/1 thiếu 1"),
    }
    for (code, field), (shaded, text) in expected.items():
        found = cell(html, code, field)
        assert (found.attrs["class"], found.text) == (shaded, text), (code, field)
    assert parts(html, f"cell-{VAN_HIEN}-YTE") == []  # health: no norm
    assert "chưa có định mức" in part(html, f"row-{VAN_HIEN}").text


def test_the_legend_says_what_each_colour_means(world):
    legend = part(page(AUTHORITY, TABLE), "legend")
    assert legend.text == (
        "đủ: số công chức bằng định mức thiếu 1 người thiếu 2 người thiếu từ 3 người trở lên "
        "nhiều hơn định mức có công chức biệt phái đến (đã tính vào số hiện có) có công chức "
        "của xã đang biệt phái đi (không tính)"
    )


def test_in_english(world):
    html = page(AUTHORITY, TABLE, "en")
    assert cell(html, DO_LUONG, "DATDAI").text == "1 of 2 short 1 · 1 seconded out"
    assert cell(html, DO_LUONG, "CNTT").text == "2 of 1 1 over"
    assert cell(html, BACH_HA, "DATDAI").text == "1 of 1 enough · 1 seconded in"


def test_each_cell_opens_the_communes_standing_in_the_field(world):
    html = page(AUTHORITY, TABLE)
    do_luong = world.communes.do_luong.pk
    assert cell(html, DO_LUONG, "DATDAI").links == [f"/desk/nhan-su/thieu-hut/{do_luong}/DATDAI/"]


def test_totals_for_each_row_and_column(world):
    html = page(AUTHORITY, TABLE, q="Bạch")
    assert row_codes(html) == [BACH_HA, BACH_NGOC]
    assert part(html, f"row-total-{BACH_HA}").text == "1/3 thiếu 2"
    assert part(html, f"row-total-{BACH_NGOC}").text == "2/5 thiếu 3"
    # columns: CNTT, DATDAI, YTE (no norm)
    assert part(html, "column-total-1").text == "1/3 thiếu 2"
    assert part(html, "column-total-2").text == "2/5 thiếu 3"
    assert part(html, "column-total-3").text == "0/0 đủ"
    assert part(html, "grand-total").text == "3/8 thiếu 5"


def test_filters_by_field_by_shortage_and_by_name(world):
    html = page(AUTHORITY, TABLE, field="CNTT", short_only="on", q="bach")
    assert row_codes(html) == [BACH_HA]  # Bạch Ngọc has its IT officer, seconded in
    assert parts(html, f"cell-{BACH_HA}-DATDAI") == []
    assert cell(html, BACH_HA, "CNTT").text == "0/2 thiếu 2"
    nothing = page(AUTHORITY, TABLE, q="không có xã này")
    assert part(nothing, "no-communes")


def test_a_commune_sees_its_own_row_and_not_anothers_cell(world):
    html = page("chuyenvien.doluong", TABLE)
    assert row_codes(html) == [DO_LUONG]
    assert len(row_codes(page(AUTHORITY, TABLE))) > 100  # the province
    client = client_for("chuyenvien.doluong")
    bach_ha = world.communes.bach_ha.pk
    assert client.get(f"/desk/nhan-su/thieu-hut/{bach_ha}/DATDAI/").status_code == 404


def test_signing_in_comes_first():
    response = Client().get(TABLE)
    assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_the_menu_leads_to_the_table(world):
    html = page("chuyenvien.doluong", "/desk/")
    menu = part(html, "menu-staffing")
    assert (menu.text, menu.attrs["href"]) == ("Nhân sự", TABLE)


def test_the_excel_file_holds_the_tables_figures(world):
    client = client_for(AUTHORITY)
    response = client.get(TABLE, {"q": "Bạch", "export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "thieu-hut-nhan-su-20260401.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    table, details = book.worksheets
    rows = [list(r) for r in table.iter_rows(values_only=True)]
    assert rows[0][0] == "Công chức theo xã và lĩnh vực ngày 01/04/2026"
    assert [v for v in rows[1] if v] == [
        "Xã, phường",
        "Công nghệ thông tin",
        "Đất đai",
        "Y tế",
        "Mọi lĩnh vực",
    ]
    assert rows[2][1:4] == ["Định mức", "Công chức hiện có", "Thiếu"]
    no = None  # no norm in health: an empty cell
    # norm, officers, gap:   CNTT     DATDAI   YTE         all fields
    assert rows[3] == ["xã Bạch Hà", 2, 0, 2, 1, 1, 0, no, no, no, 3, 1, 2]
    assert rows[4] == ["xã Bạch Ngọc", 1, 1, 0, 4, 1, 3, no, no, no, 5, 2, 3]
    assert rows[5] == [
        "Tổng số",
        3,
        1,
        2,
        5,
        2,
        3,
        0,
        0,
        0,
        8,
        3,
        5,
    ]
    assert len(rows) == 6
    lines = [list(r) for r in details.iter_rows(values_only=True)]
    assert lines[0][0] == "Công chức theo xã và lĩnh vực ngày 01/04/2026"
    assert lines[2][:13] == [
        "xã Bạch Hà",
        BACH_HA,
        "Công nghệ thông tin",
        "Số cố định của tỉnh",
        2,
        0,
        0,
        0,
        0,
        2,
        0,
        0,
        0,
    ]
    assert lines[2][13] == (
        "Xã Bạch Hà cần 2 công chức công nghệ thông tin (định mức cố định của tỉnh) nhưng không "
        "có người nào."
    )
    assert lines[3][:13] == [
        "xã Bạch Hà",
        BACH_HA,
        "Đất đai",
        "Theo khối lượng công việc",
        1,
        0,
        1,
        0,
        1,
        0,
        0,
        0,
        0,
    ]
    assert lines[3][13] == (  # covered thanks to the officer seconded in, and it says so
        "Xã Bạch Hà có đủ 1 công chức đất đai theo định mức, trong đó 1 người biệt phái đến từ "
        "xã Đô Lương đến 14/09/2026."
    )
    assert len(lines) == 6  # the title, the headings, two communes by two fields


def test_the_standing_page_explains_and_lists_the_officers_and_the_dossiers(world, officer_pages):
    do_luong = world.communes.do_luong
    url = f"/desk/nhan-su/thieu-hut/{do_luong.pk}/DATDAI/"
    html = page(AUTHORITY, url)
    assert part(html, "why").text == (
        "Xã Đô Lương đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người đang được "
        "biệt phái sang xã Bạch Hà đến 14/09/2026, chỉ còn 1; 9 hồ sơ đất đai đang quá hạn."
    )
    figures = {
        name: part(html, name).text
        for name in ("own", "seconded-in", "seconded-out", "filled", "overdue")
    }
    assert figures == {
        "own": "2",
        "seconded-in": "0",
        "seconded-out": "1",
        "filled": "1",
        "overdue": "9",  # Home Affairs does not read the dossiers themselves: no link
    }
    assert part(html, "norm").text.startswith("2 (theo khối lượng công việc: 1 người/2 hồ sơ/tháng")
    assert part(html, "monthly").text.startswith("4,0 (tiếp nhận từ 01/01/2026 đến 31/03/2026)")
    people = world.officers
    own = part(html, "own-officers")
    assert own.links == [
        f"/desk/nhan-su/can-bo/{people.an.pk}/",
        f"/desk/nhan-su/can-bo/{people.binh.pk}/",
    ]
    assert "đang biệt phái tại Phòng Kinh tế xã Bạch Hà đến hết ngày 14/09/2026" in own.text
    out = part(html, "seconded-out-list")
    assert out.links == [f"/desk/nhan-su/can-bo/{people.binh.pk}/"]
    assert "125/QĐ-UBND" in out.text and "15/03/2026" in out.text
    assert parts(html, "seconded-in-list") == []
    assert people.an.citizen_id not in html and people.an.phone not in html


def dossier_links(html: str) -> list[Part]:
    return parts(html, "dossiers") + parts(html, "overdue-dossiers")


def test_the_dossiers_behind_the_figures_are_linked_for_readers_who_see_them(world):
    url = f"/desk/nhan-su/thieu-hut/{world.communes.do_luong.pk}/DATDAI/"
    # Home Affairs reads the commune's staff, not its dossiers: its list would be empty
    home_affairs = page(AUTHORITY, url)
    assert dossier_links(home_affairs) == []
    assert part(home_affairs, "monthly").text.startswith("4,0 ")
    assert part(home_affairs, "overdue").text == "9"
    assert part(home_affairs, "dossiers-hidden").text == (
        "Bạn không xem được các hồ sơ này: hồ sơ của xã do cán bộ của xã và người giám sát của "
        "tỉnh xem."
    )
    # the supervisor and the commune's own staff read them, and open them from here
    for reader in ("giamsat", "chuyenvien.doluong"):
        html = page(reader, url)
        assert parts(html, "dossiers-hidden") == [], reader
        dossiers = part(html, "dossiers").attrs["href"]
        overdue = part(html, "overdue-dossiers").attrs["href"]
        assert dossiers == f"/desk/ho-so/?unit={DO_LUONG}&field=DATDAI"
        assert overdue == f"/desk/ho-so/?unit={DO_LUONG}&field=DATDAI&overdue=yes"
        # the desk's list, filtered by these links, shows the dossiers the figures count
        assert part(page(reader, dossiers), "result-count").text == "12 hồ sơ", reader
        assert part(page(reader, overdue), "result-count").text == "9 hồ sơ", reader


def test_the_host_communes_page_lists_the_officer_seconded_in(world, officer_pages):
    bach_ha = world.communes.bach_ha
    html = page(AUTHORITY, f"/desk/nhan-su/thieu-hut/{bach_ha.pk}/DATDAI/")
    into = part(html, "seconded-in-list")
    assert into.links == [f"/desk/nhan-su/can-bo/{world.officers.binh.pk}/"]
    assert "Phòng Kinh tế xã Đô Lương" in into.text
    assert part(html, "no-own")
    # covered only thanks to the secondment, and the page says so
    assert part(html, "why").text == (
        "Xã Bạch Hà có đủ 1 công chức đất đai theo định mức, trong đó 1 người biệt phái đến từ "
        "xã Đô Lương đến 14/09/2026."
    )
    assert part(html, "gap").text == "đủ · 1 biệt phái đến"


def test_a_field_without_dossiers_of_its_own_says_so(world):
    html = page(AUTHORITY, f"/desk/nhan-su/thieu-hut/{world.communes.bach_ha.pk}/CNTT/")
    assert parts(html, "dossiers") == [] and parts(html, "monthly") == []
    assert "Lĩnh vực này không có hồ sơ riêng" in html


def test_a_commune_reads_its_own_standing(world):
    html = page(
        "chuyenvien.doluong", f"/desk/nhan-su/thieu-hut/{world.communes.do_luong.pk}/DATDAI/"
    )
    assert part(html, "filled").text == "1"
