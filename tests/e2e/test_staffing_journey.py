"""The staffing journey in a browser, in Vietnamese.

The Department of Home Affairs fills the template workbook in and imports who works where (a
workbook with one bad row is refused whole, the corrected one is taken); reads xã Đô Lương's
shortage of land officers, why, and the table in Excel; asks for a secondment plan, gives it its
decision numbers and dates, and has its leader approve it. On the start date the worker gives the
seconded land officer of the Department of Agriculture and Environment, who has a haicap
account, the role at the host commune: from that day, not the day before, the officer sees and
opens the host's dossier.

The live server reads the real clock, so the plan starts today and the worker is run for
yesterday first (nothing is granted) and then for today.
"""

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from haicap.accounts.models import Membership, User
from haicap.catalog.models import Field, Procedure
from haicap.core.context import acting_as
from haicap.core.roles import Role
from haicap.dossiers import services as dossiers
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.staffing.effect import apply_secondments
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    SecondmentGrant,
    SecondmentPlan,
    StaffField,
)
from haicap.staffing.standings import today
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import Agency, AgencyDuty, TravelTime
from tests.e2e.conftest import assert_accessible, screenshot

SPECIALIST, LEADER = "chuyenvien.sonoivu", "lanhdao.sonoivu"  # Department of Home Affairs
SECONDED = "canbo.diachinh"  # a land officer of the Department of Agriculture and Environment
DESK_OFFICER = "tiepnhan.doluong"  # xã Đô Lương's one-stop desk
HOME_AFFAIRS, AGRICULTURE = "000.03.00.H40", "000.07.00.H40"
DO_LUONG, BACH_NGOC, PROVINCE = "17662", "17623", "40"
DO_LUONG_ECONOMIC, DO_LUONG_DESK = "17662.03.H40", "17662.05.H40"
BACH_NGOC_ECONOMIC = "17623.03.H40"
LAND_USE_CHANGE = "X.DD.003"  # a commune's land procedure with no fee: forwarded to its specialists
DAY = dt.timedelta(days=1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The sheets as an official fills them in, by the template's column headers.
POSITIONS = [
    {
        "Mã cơ quan": DO_LUONG_ECONOMIC,
        "Mã lĩnh vực": "DATDAI",
        "Ngạch": "Chuyên viên",
        "Số biên chế được giao": 3,
    },
    {
        "Mã cơ quan": BACH_NGOC_ECONOMIC,
        "Mã lĩnh vực": "DATDAI",
        "Ngạch": "Chuyên viên",
        "Số biên chế được giao": 2,
    },
    {
        "Mã cơ quan": AGRICULTURE,
        "Mã lĩnh vực": "DATDAI",
        "Ngạch": "Chuyên viên chính",
        "Số biên chế được giao": 2,
    },
]


def officer_row(
    number: str, name: str, agency: str, grade: str, years: int, since: str, account: str = ""
) -> dict:
    return {
        "Số hiệu cán bộ": number,
        "Họ và tên": name,
        "Mã cơ quan": agency,
        "Lĩnh vực vị trí": "DATDAI",
        "Ngạch vị trí": grade,
        "Lĩnh vực chuyên môn": "DATDAI",
        "Ngạch": grade,
        "Số năm kinh nghiệm": years,
        "Giữ vị trí từ ngày": since,
        "Tài khoản haicap": account,
    }


# Đô Lương has one land officer of the three it needs; Bạch Ngọc two where it needs one; the
# Department of Agriculture and Environment two where it keeps one. The most experienced of
# each donor is the one to go: Trần Văn Bình (9 years) and Lê Thị Địa (12 years).
OFFICERS = [
    officer_row("NA-1001", "Hồ Thị Lan", DO_LUONG_ECONOMIC, "Chuyên viên", 6, "01/07/2025"),
    officer_row("NA-1002", "Trần Văn Bình", BACH_NGOC_ECONOMIC, "Chuyên viên", 9, "01/07/2025"),
    officer_row("NA-1003", "Lê Thị Cúc", BACH_NGOC_ECONOMIC, "Chuyên viên", 4, "31/02/2024"),
    officer_row(
        "NA-1004", "Lê Thị Địa", AGRICULTURE, "Chuyên viên chính", 12, "15/03/2018", SECONDED
    ),
    officer_row("NA-1005", "Phạm Thị Hoa", AGRICULTURE, "Chuyên viên chính", 3, "01/09/2023"),
]
BAD_ROW = 4  # Lê Thị Cúc's row: the header is row 1, and 31 February is no day
CORRECTED = {"Giữ vị trí từ ngày": "28/02/2024"}


def norm_row(field: str, applies_to: str, count: int) -> dict:
    return {
        "Mã lĩnh vực": field,
        "Áp dụng cho": applies_to,
        "Căn cứ": "cố định",
        "Số cán bộ": count,
        "Ghi chú": "Định mức minh họa",
    }


NORMS = [
    norm_row("DATDAI", DO_LUONG, 3),
    norm_row("DATDAI", BACH_NGOC, 1),
    norm_row("XAYDUNG", DO_LUONG, 1),
    norm_row("XAYDUNG", BACH_NGOC, 1),
    norm_row("DATDAI", AGRICULTURE, 1),
]
TRAVEL = [
    {"Mã đơn vị thứ nhất": DO_LUONG, "Mã đơn vị thứ hai": BACH_NGOC, "Số phút": 20},
    {"Mã đơn vị thứ nhất": DO_LUONG, "Mã đơn vị thứ hai": PROVINCE, "Số phút": 105},
]


def staffing_ready() -> str:
    """Home Affairs administers staffing; the province has its land and construction fields
    (reference data set in the administration); a land dossier waits at xã Đô Lương's
    specialists. Its code."""
    AgencyDuty.objects.create(agency=Agency.objects.get(code=HOME_AFFAIRS), duty=Duty.STAFFING)
    for code, name in (("DATDAI", "Đất đai"), ("XAYDUNG", "Xây dựng")):
        StaffField.objects.create(
            code=code,
            name=name,
            catalog_field=Field.objects.get(code=code),
            host_agency_kind=AgencyKind.ECONOMIC_OFFICE,
            weight=2,
        )
    desk = User.objects.get(username=DESK_OFFICER)
    code = dossiers.receive(
        desk,
        procedure=Procedure.objects.get(national_code=LAND_USE_CHANGE),
        receiving_agency=Agency.objects.get(code=DO_LUONG_DESK),
        applicant=Applicant(name="Nguyễn Văn Thửa", id_number="040195012345"),
    ).dossier.code
    dossiers.act(desk, code, "forward")
    return code


def filled_in(template: Path, officers: list[dict]) -> bytes:
    """The template workbook with the rows written under its headers."""
    workbook = load_workbook(template)
    sheets = {
        "Vị trí việc làm": POSITIONS,
        "Cán bộ": officers,
        "Định mức": NORMS,
        "Thời gian di chuyển": TRAVEL,
    }
    for title, rows in sheets.items():
        sheet = workbook[title]
        headers = [cell.value for cell in sheet[1]]
        for row in rows:
            assert set(row) <= set(headers), set(row) - set(headers)
            sheet.append([row.get(header) for header in headers])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page: Page, content: bytes) -> None:
    page.get_by_label("Bảng tính hoặc các tệp").set_input_files(
        {"name": "nhan-su.xlsx", "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Nhập", exact=True).click()


def import_staff(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("menu-staffing").click()
    page.get_by_role("link", name="Nhập từ Excel").click()
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    upload(page, filled_in(template, OFFICERS))
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("Không nhập gì: có 1 lỗi cần sửa.")
    expect(problems.get_by_role("listitem")).to_have_text(
        [
            f"Trang “Cán bộ”, dòng {BAD_ROW}, cột “Giữ vị trí từ ngày”: Không phải ngày viết "
            "theo dạng dd/mm/yyyy."
        ]
    )
    assert_accessible(page)
    # all or nothing: not even the sheets before the officers' were saved
    assert not Position.objects.exists()
    assert not Officer.objects.exists()
    assert not NormRule.objects.exists()
    assert not TravelTime.objects.exists()

    corrected = [
        {**row, **CORRECTED} if n == BAD_ROW else row for n, row in enumerate(OFFICERS, start=2)
    ]
    upload(page, filled_in(template, corrected))
    expect(page.get_by_test_id("import-done").get_by_role("listitem")).to_have_text(
        [
            "Vị trí việc làm (trang “Vị trí việc làm”): tạo mới 3, cập nhật 0, không đổi 0.",
            "Cán bộ (trang “Cán bộ”): tạo mới 5, cập nhật 0, không đổi 0.",
            "Định mức (trang “Định mức”): tạo mới 5, cập nhật 0, không đổi 0.",
            "Thời gian di chuyển (trang “Thời gian di chuyển”): tạo mới 2, cập nhật 0, "
            "không đổi 0.",
        ]
    )
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    assert Officer.objects.get(staff_number="NA-1004").user.username == SECONDED
    assert Officer.objects.get(staff_number="NA-1003").in_post_since == dt.date(2024, 2, 28)


def read_the_gaps(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("menu-staffing").click()
    land = page.get_by_test_id(f"cell-{DO_LUONG}-DATDAI")
    expect(land).to_have_attribute("data-gap", "2")
    expect(land).to_have_text("1/3 thiếu 2")
    expect(page.get_by_test_id(f"cell-{BACH_NGOC}-DATDAI")).to_have_text("2/1 thừa 1")

    page.get_by_label("Chỉ các xã thiếu công chức").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("gaps").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id(f"row-total-{DO_LUONG}")).to_have_text(
        re.compile(r"^\s*1/4\s*thiếu 3\s*$")
    )
    assert_accessible(page)
    screenshot(page, "staffing-gaps")

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    exported = tmp_path / "thieu-hut.xlsx"
    download.value.save_as(exported)
    workbook = load_workbook(exported)
    table, details = workbook.worksheets
    assert (table.title, details.title) == ("Thiếu hụt theo xã", "Chi tiết")
    rows = {row[0]: row[1:] for row in table.iter_rows(min_row=4, values_only=True)}
    # norm, officers, gap: land, construction (the fields in Vietnamese order), all fields
    assert rows["xã Đô Lương"] == (3, 1, 2, 1, 0, 1, 4, 1, 3)
    assert rows["xã Bạch Ngọc"] == (1, 2, 0, 1, 0, 1, 2, 2, 1)
    why_rows = {(row[1], row[2]): row for row in details.iter_rows(min_row=3, values_only=True)}
    land_row = why_rows[(DO_LUONG, "Đất đai")]
    assert land_row[9] == 2  # the gap
    assert land_row[13] == (
        "Xã Đô Lương cần 3 công chức đất đai (định mức cố định của tỉnh) nhưng chỉ có 1."
    )

    page.get_by_test_id(f"cell-{DO_LUONG}-DATDAI").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đất đai tại xã Đô Lương")
    expect(page.get_by_test_id("why")).to_have_text(
        "Xã Đô Lương cần 3 công chức đất đai (định mức cố định của tỉnh) nhưng chỉ có 1."
    )
    expect(page.get_by_test_id("gap")).to_have_text("thiếu 2")
    expect(page.get_by_test_id("own-officers")).to_contain_text("Hồ Thị Lan")
    assert_accessible(page)


def ask_for_a_plan(page: Page, start: dt.date, end: dt.date) -> str:
    """The specialist asks for a plan and gives it decision numbers and dates; its address."""
    page.get_by_test_id("menu-staffing").click()
    page.get_by_test_id("staffing-nav").get_by_role("link", name="Phương án biệt phái").click()
    page.get_by_test_id("request-plan").click()
    form = page.get_by_test_id("plan-request-form")
    form.get_by_label("Tên phương án").fill("Biệt phái công chức đất đai hỗ trợ xã Đô Lương")
    form.get_by_label("Ngày bắt đầu biệt phái").fill(start.isoformat())
    form.get_by_label("Thời hạn (tháng)").fill("6")
    form.get_by_label("Thời gian di chuyển tối đa giữa các đơn vị (phút)").fill("120")
    form.get_by_label("Số công chức tối đa điều từ một cơ quan").fill("2")
    assert_accessible(page)
    page.get_by_role("button", name="Lập phương án").click()
    page.wait_for_url(re.compile(r"/ke-hoach/\d+/$"))  # the solve may take a few seconds

    expect(page.get_by_test_id("plan-status").first).to_have_text("Dự thảo")
    expect(page.get_by_test_id("solver-status")).to_have_text(
        "Tối ưu: không có phương án nào tốt hơn theo các điều kiện này"
    )
    expect(page.get_by_test_id("mip-gap")).to_have_text("0,00 %")
    expect(page.get_by_test_id("secondment")).to_have_count(2)
    from_commune = page.locator("[data-officer=NA-1002]")
    from_department = page.locator("[data-officer=NA-1004]")
    expect(from_commune).to_contain_text("Trần Văn Bình")
    expect(from_commune).to_contain_text("xã Bạch Ngọc")
    expect(from_department).to_contain_text("Lê Thị Địa")
    expect(from_department).to_contain_text("Sở Nông nghiệp và Môi trường")
    for row in (from_commune, from_department):
        expect(row.get_by_test_id("host-gap")).to_have_text("2 → 0")
        expect(row.get_by_test_id("donor-count")).to_have_text("2 → 1")
    # each proposal's reason row follows it; the officers are in the order of their names
    expect(page.get_by_test_id("reason")).to_have_text(
        [
            "Xã Đô Lương thiếu 2 công chức lĩnh vực đất đai; Sở Nông nghiệp và Môi trường có 2 "
            "công chức lĩnh vực đất đai so với định mức 1, nên có thể cử công chức này.",
            "Xã Đô Lương thiếu 2 công chức lĩnh vực đất đai; xã Bạch Ngọc có 2 công chức lĩnh vực "
            "đất đai so với định mức 1, nên có thể cử công chức này.",
        ]
    )
    # nobody in the province may give a construction officer: both communes stay short
    expect(page.get_by_test_id("uncovered").locator("tbody tr")).to_have_count(2)

    for number, row in (("215/QĐ-SNV", from_commune), ("216/QĐ-SNV", from_department)):
        row.get_by_label("Ngày bắt đầu").fill(start.isoformat())
        row.get_by_label("Ngày kết thúc").fill(end.isoformat())
        row.get_by_label("Số quyết định").fill(number)
    page.get_by_test_id("save-rows").click()
    expect(from_department.get_by_test_id("decision-number")).to_have_value("216/QĐ-SNV")
    expect(from_department.get_by_label("Ngày kết thúc")).to_have_value(end.isoformat())

    # the specialist drafts; only a leader approves: no button, and a forged request is refused
    expect(page.get_by_test_id("approve")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    refused = page.request.post(
        page.url + "phe-duyet/",
        form={"csrfmiddlewaretoken": token, "confirm": "yes"},
        headers={"Referer": page.url},
    )
    assert refused.status == 403
    assert SecondmentPlan.objects.get().status == SecondmentPlan.Status.DRAFT
    assert_accessible(page)
    return page.url


def test_home_affairs_imports_plans_and_a_seconded_officer_works_at_the_host(officer, tmp_path):
    dossier_code = staffing_ready()
    start = today()
    end = start + dt.timedelta(days=181)
    specialist = officer(SPECIALIST)
    import_staff(specialist, tmp_path)
    read_the_gaps(specialist, tmp_path)
    plan_url = ask_for_a_plan(specialist, start, end)

    leader = officer(LEADER)
    leader.goto(plan_url)
    leader.get_by_test_id("ask-approve").click()  # approving asks first
    leader.get_by_test_id("approve").click()
    expect(leader.get_by_test_id("plan-status").first).to_have_text("Đã phê duyệt")
    expect(leader.get_by_test_id("approved")).to_contain_text("Phan Đình Nội")
    expect(leader.locator("[data-officer=NA-1004]").get_by_test_id("decision-number")).to_have_text(
        "216/QĐ-SNV"
    )
    expect(leader.locator("[data-officer=NA-1004]")).to_contain_text(end.strftime("%d/%m/%Y"))
    assert_accessible(leader)
    screenshot(leader, "staffing-plan")

    # The day before the start date the worker grants nothing: the officer, a specialist of
    # the Department of Agriculture and Environment, has no way into xã Đô Lương's dossiers.
    with acting_as("worker"):
        assert apply_secondments(on=start - DAY).granted == []
    seconded = officer(SECONDED)
    expect(seconded.get_by_test_id("count-unassigned").locator("strong")).to_have_text("0")
    expect(seconded.get_by_role("link", name=dossier_code)).to_have_count(0)
    seconded.get_by_role("link", name="Hồ sơ", exact=True).click()
    expect(seconded.get_by_test_id("result-count")).to_have_text("0 hồ sơ")
    assert seconded.request.get(f"/desk/ho-so/{dossier_code}/").status == 404

    # On the start date the worker gives the officer the specialist's role at the host's
    # Economic Office, where land dossiers are appraised; their queue now holds the dossier.
    with acting_as("worker"):
        granted = apply_secondments(on=start).granted
    assert [(g.user.username, g.agency.code, g.role) for g in granted] == [
        (SECONDED, DO_LUONG_ECONOMIC, Role.SPECIALIST)
    ]
    assert Membership.objects.filter(
        user__username=SECONDED, agency__code=DO_LUONG_ECONOMIC, role=Role.SPECIALIST
    ).exists()
    seconded.get_by_role("link", name="Việc của tôi").click()
    expect(seconded.get_by_test_id("count-unassigned").locator("strong")).to_have_text("1")
    seconded.get_by_role("link", name=dossier_code).first.click()
    expect(seconded.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier_code}")
    # and acts on it as one of the host's specialists: takes it up
    seconded.get_by_label("Phân công cho").select_option(label="Lê Thị Địa")
    seconded.get_by_role("button", name="Phân công xử lý").click()
    assigned = seconded.locator("dt", has_text="Người được phân công").locator("+ dd")
    expect(assigned).to_have_text("Lê Thị Địa")
    assert Dossier.objects.get(code=dossier_code).assignee.username == SECONDED
    seconded.get_by_role("link", name="Hồ sơ", exact=True).click()
    expect(seconded.get_by_test_id("result-count")).to_have_text("1 hồ sơ")

    # Home Affairs sees both secondments in effect, and the role granted on the start date;
    # xã Đô Lương's land officers count them from today.
    specialist.get_by_test_id("menu-staffing").click()
    covered = re.compile(r"^\s*3/3\s+đủ · 2 biệt phái đến\s*$")
    expect(specialist.get_by_test_id(f"cell-{DO_LUONG}-DATDAI")).to_have_text(covered)
    specialist.get_by_test_id("staffing-nav").get_by_role(
        "link", name="Biệt phái đang thực hiện"
    ).click()
    running = specialist.get_by_test_id("secondments-running").get_by_test_id("secondment")
    expect(running).to_have_count(2)
    expect(running.filter(has_text="Lê Thị Địa").get_by_test_id("grants")).to_have_text(
        f"Chuyên viên: cấp ngày {start:%d/%m/%Y}"
    )
    expect(running.filter(has_text="Trần Văn Bình").get_by_test_id("grants")).to_have_text(
        "Chưa có tài khoản haicap: không có vai trò để cấp"
    )
    assert SecondmentGrant.objects.get().granted_on == start
    assert_accessible(specialist)
    screenshot(specialist, "staffing-in-effect")
