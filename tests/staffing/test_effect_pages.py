"""The page of secondments in effect, starting and ended, with the role each was granted at the
host and when it was taken back; scoped by ``Secondment``'s rule."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from haicap.core import clock
from haicap.core.roles import Role
from haicap.staffing.effect import apply_secondments
from tests.conftest import client_for
from tests.staffing.effect_world import (
    BACH_HA_PPC,
    END,
    START,
    at,
    make_world,
    officer,
    plan,
    second,
    staff,
)
from tests.visible_text import header_rows

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
URL = "/desk/nhan-su/biet-phai/"


@pytest.fixture
def world(db, settings):
    settings.STAFFING_WARNING_DAYS = 30
    found = make_world()
    staff("quantri.bachha", BACH_HA_PPC, Role.AGENCY_ADMIN)
    # Văn Hiến seconds its own officer to Lương Sơn: none of Bạch Hà's business
    found.van_hien = second(
        plan(), officer("NA-0009", "Hồ Sĩ Hiến", "17677.03.H40"), to="17641.03.H40"
    )
    return found


def page(username: str, day: dt.date) -> str:
    with clock.fixed_at(at(day, hour=10)):
        response = client_for(username).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """One section's table ('' when it lists nothing)."""
    marker = f'data-testid="secondments-{key}"'
    return html.split(marker, 1)[1].split("</table>", 1)[0] if marker in html else ""


def test_the_address_is_the_desks(world):
    assert reverse("desk:staffing:secondments_in_effect") == URL


def test_the_role_granted_on_the_start_date_and_taken_back_after_the_end_are_shown(world):
    starting = section(page("chuyenvien.sonoivu", START - 10 * DAY), "starting")
    assert "Nguyễn Văn Đạt" in starting and "Sẽ được cấp vào ngày bắt đầu" in starting
    assert "Chưa có tài khoản haicap" in starting  # Trần Thị Thửa
    with clock.fixed_at(at(START, hour=2)):
        apply_secondments()
    running = section(page("chuyenvien.sonoivu", START), "running")
    assert "Chuyên viên: cấp ngày 01/04/2026" in running
    assert "thu hồi" not in running
    with clock.fixed_at(at(END + DAY, hour=2)):
        apply_secondments()
    ended = section(page("chuyenvien.sonoivu", END + DAY), "ended")
    assert "Chuyên viên: cấp ngày 01/04/2026, thu hồi ngày 01/10/2026" in ended


def test_home_affairs_sees_every_secondment_a_commune_those_into_or_out_of_it(world):
    everyone = section(page("chuyenvien.sonoivu", START), "running")
    assert "Nguyễn Văn Đạt" in everyone and "Hồ Sĩ Hiến" in everyone
    host = section(page("quantri.bachha", START), "running")
    donor = section(page("quantri.doluong", START), "running")
    for seen in (host, donor):
        assert "Nguyễn Văn Đạt" in seen and "Trần Thị Thửa" in seen
        assert "Hồ Sĩ Hiến" not in seen  # commune A does not see B's
    van_hien = section(page("tiepnhan.vanhien", START), "running")
    assert "Hồ Sĩ Hiến" in van_hien and "Nguyễn Văn Đạt" not in van_hien


def test_a_draft_plans_secondments_are_not_in_effect(world):
    draft = plan(status="draft")
    second(draft, officer("NA-0010", "Đinh Văn Nháp", "17662.03.H40"))
    assert "Đinh Văn Nháp" not in page("chuyenvien.sonoivu", START)


def test_the_list_exports_to_excel_with_the_roles(world):
    with clock.fixed_at(at(START, hour=2)):
        apply_secondments()
    with clock.fixed_at(at(START, hour=10)):
        response = client_for("quantri.bachha").get(URL + "?export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][0]
        == "Biệt phái đang thực hiện, sắp bắt đầu và vừa kết thúc tính đến ngày 01/04/2026"
    )
    assert sheet.freeze_panes == "A3"
    assert sheet.cell(row=3, column=6).number_format == "DD/MM/YYYY"  # the start date
    by_name = {row[1]: row for row in rows[2:]}
    assert set(by_name) == {"Nguyễn Văn Đạt", "Trần Thị Thửa"}
    assert by_name["Nguyễn Văn Đạt"][8].endswith("01/04/2026")
    assert by_name["Trần Thị Thửa"][8] in ("", None)


def test_the_officers_page_heads_each_column_of_the_secondments_over_its_values(world):
    url = reverse("desk:staffing:officer", args=[world.officer.pk])
    with clock.fixed_at(at(START, hour=10)):
        html = client_for("chuyenvien.sonoivu").get(url).content.decode()
    table = html[html.index('data-testid="secondments"') :]
    table = table[: table.index("</table>")]
    header = header_rows(table)[0]
    cells = re.findall(r"<td>(.*?)</td>", table.split("<tbody>")[1], re.S)
    by_heading = dict(zip(header, (" ".join(c.split()) for c in cells), strict=False))
    assert by_heading["Cơ quan cử biệt phái"] == "Phòng Kinh tế xã Đô Lương"
    assert by_heading["Nơi biệt phái đến"] == "Phòng Kinh tế xã Bạch Hà"
    assert by_heading["Ngày bắt đầu"] == "01/04/2026"
    assert by_heading["Ngày kết thúc"] == "30/09/2026"
    assert len(header) == len(cells)
