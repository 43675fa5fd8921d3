"""The capital journey in a browser, in Vietnamese.

The Department of Finance's specialist fills the plan template in with three projects of the
former Đô Lương district (a road now invested in by xã Đô Lương's People's Committee, an
irrigation canal by the Department of Agriculture and Environment, a health station by xã Văn
Hiến's) and their 2025 allocations at the district level: a workbook whose irrigation row's
sources do not add up to its total is refused whole, naming the row; the corrected one is
imported. She drafts the transfer of the 2025 plan for huyện Đô Lương, which balances; she
lowers one of the road's increases by 50.000 đ and the verdict names the road and the
difference. The Finance leader's approval is refused, naming the road; she puts the amount back,
the leader approves by decision and the transfer is frozen; the road's ledger holds the transfer
at the commune level and its plan nothing at the district level any more. Xã Đô Lương's officer
enters September's disbursement of the road, and the overview shows its share and its chart.

The projects, codes and amounts are the test's own (the amounts uneven, so that a difference of
a few đồng would show); whatever else the 2025 plan holds is left out of what is checked.
"""

import re
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from haicap.budget.models import Disbursement, LedgerEntry, Project, TransferBatch
from haicap.units.kinds import Duty
from haicap.units.models import Agency, AgencyDuty
from tests.e2e.conftest import assert_accessible, screenshot

SPECIALIST, LEADER = "chuyenvien.dautu", "lanhdao.taichinh"  # Department of Finance
COMMUNE_OFFICER = "chuyenvien.doluong"  # xã Đô Lương's Economic Office: acts for its committee
FINANCE = "000.04.00.H40"
AGRICULTURE = "000.07.00.H40"  # Sở Nông nghiệp và Môi trường: a provincial investor
DO_LUONG_PPC, VAN_HIEN_PPC = "17662.01.H40", "17677.01.H40"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE = {"width": 390, "height": 844}

ROAD, CANAL, CLINIC = "DLC-GT-21", "DLC-TL-22", "DLC-YT-23"
ROAD_NAME = "Đường giao thông xóm Tân Hòa đi xóm Yên Thịnh, xã Đô Lương"
PLAN_2025 = "Kế hoạch đầu tư công năm 2025"
FORMER = "Ủy ban nhân dân huyện Đô Lương"

PROJECT_HEADERS = (
    "Mã dự án",
    "Tên dự án",
    "Lĩnh vực",
    "Địa điểm (xã, phường)",
    "Mã chủ đầu tư",
    "Chủ đầu tư trước sắp xếp",
    "Huyện cũ",
    "Tổng mức đầu tư (đồng)",
    "Ngân sách tỉnh (đồng)",
    "Ngân sách huyện (đồng)",
    "Ngân sách trung ương hỗ trợ (đồng)",
)
PROJECTS = [
    dict(zip(PROJECT_HEADERS, row, strict=True))
    for row in (
        (ROAD, ROAD_NAME, "Giao thông", "xã Đô Lương", DO_LUONG_PPC, FORMER, "huyện Đô Lương",
         "12.500.000.000", "", "9.300.000.000", "3.200.000.000"),
        (CANAL, "Kênh tưới trạm bơm Tràng Sơn", "Nông nghiệp, thủy lợi", "xã Đô Lương",
         AGRICULTURE, FORMER, "huyện Đô Lương", "8.400.000.000", "2.000.000.000",
         "6.000.000.000", ""),
        (CLINIC, "Trạm y tế xã Văn Hiến", "Y tế", "xã Văn Hiến", VAN_HIEN_PPC, FORMER,
         "huyện Đô Lương", "5.000.000.000", "", "5.000.000.000", ""),
    )
]  # fmt: skip
BAD_ROW = 3  # the canal's (the header is row 1): its sources add up to 8.000.000.000 only
CORRECTED = {"Ngân sách tỉnh (đồng)": "2.400.000.000"}

ALLOCATION_HEADERS = (
    "Mã dự án",
    "Kế hoạch",
    "Nguồn vốn",
    "Cấp ngân sách",
    "Số vốn (đồng)",
    "Số quyết định",
    "Ngày quyết định",
    "Nội dung",
)
ALLOCATED = ("4125/QĐ-UBND", "25/12/2024", "Giao kế hoạch vốn năm 2025")
ALLOCATIONS = [
    dict(zip(ALLOCATION_HEADERS, (code, "2025", source, "huyện", amount, *ALLOCATED), strict=True))
    for code, source, amount in (
        (ROAD, "Ngân sách huyện", "4.512.350.000"),
        (ROAD, "Ngân sách trung ương hỗ trợ", "1.200.000.000"),
        (CANAL, "Ngân sách huyện", "2.748.900.000"),
        (CLINIC, "Ngân sách huyện", "1.850.000.000"),
    )
]
TRANSFER_TITLE = "Điều chuyển vốn năm 2025 của huyện Đô Lương cũ"
DECISION, DECISION_DAY = "2190/QĐ-UBND", "2025-08-20"
TRANSFER_WORDS = "Điều chuyển vốn của cấp huyện đã kết thúc hoạt động"
DISTRICT_LEVEL, COMMUNE_LEVEL = "Huyện (đã kết thúc hoạt động)", "Xã"
# September 2025: the road disburses 30 % of its 2025 plan (5.712.350.000 đ)
SEPTEMBER = {"Năm": "2025", "Tháng": "9"}
DISBURSED = "1.713.705.000"


def lines_of(cell) -> int:
    """How many lines the cell's text takes on the screen."""
    return cell.evaluate(
        "el => { const range = document.createRange(); range.selectNodeContents(el);"
        " return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"
    )


def capital_ready() -> None:
    """Finance is the agency charged with the capital plans (reference data)."""
    AgencyDuty.objects.get_or_create(agency=Agency.objects.get(code=FINANCE), duty=Duty.CAPITAL)


def filled_in(template: Path, projects: list[dict], allocations: list[dict]) -> bytes:
    """The template with the rows written under each sheet's headers."""
    workbook = load_workbook(template)
    for title, rows in (("Dự án", projects), ("Kế hoạch vốn", allocations)):
        sheet = workbook[title]
        headers = [cell.value for cell in sheet[1]]
        for row in rows:
            assert set(row) <= set(headers), set(row) - set(headers)
            sheet.append([row.get(header) for header in headers])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page: Page, content: bytes) -> None:
    page.get_by_label("Bảng tính", exact=True).set_input_files(
        {"name": "ke-hoach-von-2025.xlsx", "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Nhập", exact=True).click()


def import_the_plan(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("menu-budget").click()
    page.get_by_test_id("plan-import").click()
    expect(page).to_have_url(re.compile(r"/desk/von-dau-tu/nhap/$"))
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    upload(page, filled_in(template, PROJECTS, ALLOCATIONS))
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("Không nhập gì: có 1 lỗi cần sửa.")
    expect(problems.get_by_role("listitem")).to_have_text(
        [
            f"Trang “Dự án”, dòng {BAD_ROW}, cột “Tổng mức đầu tư (đồng)”: Các nguồn vốn cộng "
            "lại được 8.000.000.000 đồng, không bằng tổng mức đầu tư 8.400.000.000 đồng."
        ]
    )
    assert_accessible(page)
    mine = (ROAD, CANAL, CLINIC)
    assert not Project.objects.filter(code__in=mine).exists()  # not even the good rows
    assert not LedgerEntry.objects.filter(project__code__in=mine).exists()

    corrected = [
        {**row, **CORRECTED} if n == BAD_ROW else row for n, row in enumerate(PROJECTS, start=2)
    ]
    upload(page, filled_in(template, corrected, ALLOCATIONS))
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    expect(page.get_by_test_id("import-done").get_by_role("listitem")).to_have_text(
        [
            "Dự án: tạo mới 3, cập nhật 0, giữ nguyên 0.",
            "Kế hoạch vốn: tạo mới 4, cập nhật 0, giữ nguyên 0.",
        ]
    )
    rows = page.get_by_test_id("import-row")
    expect(rows).to_have_count(7)
    expect(rows.first.locator("td")).to_have_text(["Dự án", "2", ROAD, "tạo mới"])
    expect(rows.nth(3).locator("td")).to_have_text(
        ["Kế hoạch vốn", "2", re.compile(rf"^{ROAD} · 2025 · "), "tạo mới"]
    )
    assert_accessible(page)


def the_projects_are_listed(page: Page) -> None:
    page.get_by_test_id("budget-nav").get_by_role("link", name="Dự án").click()
    page.get_by_label("Mã hoặc tên").fill("DLC-")
    page.get_by_label("Kế hoạch vốn").select_option(label=PLAN_2025)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state("networkidle")  # the list answers typing too: the last answer in
    expect(page.get_by_test_id("result-count")).to_contain_text("3 dự án")
    rows = page.get_by_test_id("project-row")
    expect(rows.locator("td:first-child")).to_have_text([ROAD, CANAL, CLINIC])
    # a code is not broken at its hyphens
    assert [lines_of(cell) for cell in rows.locator("td:first-child").all()] == [1, 1, 1]
    road = rows.filter(has_text=ROAD)
    expect(road.get_by_test_id("amount-district")).to_have_text("5.712.350.000")
    expect(road.get_by_test_id("amount-commune")).to_have_text("—")
    expect(page.get_by_test_id("total-district")).to_have_text("10.311.250.000")
    expect(page.get_by_test_id("total-investment")).to_have_text("25.900.000.000")
    assert_accessible(page)
    screenshot(page, "capital-projects")


def entry(page: Page, project: str, source: str, level: str):
    return page.locator(
        f"[data-testid=entry][data-project='{project}'][data-source='{source}']"
        f"[data-level='{level}']"
    )


def set_amount(page: Page, project: str, source: str, level: str, amount: str) -> None:
    row = entry(page, project, source, level)
    row.get_by_test_id("entry-amount").fill(amount)
    row.get_by_test_id("entry-save").click()
    expect(page.get_by_test_id("batch-done")).to_have_text(
        f"Đã sửa một bút toán của dự án {project} thành {amount} đ."
    )


def draft_the_transfer(page: Page) -> str:
    """The specialist drafts the 2025 transfer of huyện Đô Lương; the batch page's address."""
    page.get_by_test_id("budget-nav").get_by_role("link", name="Điều chuyển vốn").click()
    form = page.get_by_test_id("draft-form")
    form.get_by_label("Kế hoạch vốn").select_option(label=PLAN_2025)
    form.get_by_label("Huyện cũ").select_option(label="huyện Đô Lương")
    form.get_by_label("Tiêu đề").fill(TRANSFER_TITLE)
    form.get_by_role("button", name="Lập dự thảo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TRANSFER_TITLE)
    expect(page.get_by_test_id("batch-status")).to_have_text("Dự thảo")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-approvable", "true")
    expect(verdict).to_have_text("Đã cân đối: có thể phê duyệt đợt điều chuyển.")
    # each source moves from the district to its investor's level: the commune's or the
    # province's for the canal
    for code, source, amount, level in (
        (ROAD, "district", "4.512.350.000", "commune"),
        (ROAD, "central", "1.200.000.000", "commune"),
        (CANAL, "district", "2.748.900.000", "province"),
        (CLINIC, "district", "1.850.000.000", "commune"),
    ):
        expect(entry(page, code, source, "district").locator("td.number")).to_have_text(
            [amount, ""]
        )
        expect(entry(page, code, source, level).locator("td.number")).to_have_text(["", amount])
    for code in (ROAD, CANAL, CLINIC):
        expect(page.locator(f"[data-testid=entry][data-project='{code}']")).to_have_count(
            4 if code == ROAD else 2
        )
    expect(page.get_by_test_id("province-after")).to_have_text(
        page.get_by_test_id("province-before").inner_text()
    )
    # a specialist drafts and corrects; only a leader approves
    expect(page.get_by_test_id("approve-form")).to_have_count(0)
    assert_accessible(page)

    set_amount(page, ROAD, "district", "commune", "4.512.300.000")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-approvable", "false")
    expect(verdict.get_by_test_id("difference")).to_have_text(
        [
            f"{ROAD} {ROAD_NAME}: giảm 5.712.350.000 đ nhưng tăng 5.712.300.000 đ, "
            "chênh lệch 50.000 đ"
        ]
    )
    expect(page.locator(f"[data-testid=project][data-project='{ROAD}']")).to_have_attribute(
        "data-balanced", "false"
    )
    expect(page.locator(f"[data-testid=subtotal][data-project='{ROAD}']")).to_contain_text(
        "chênh lệch 50.000"
    )
    for code in (CANAL, CLINIC):
        expect(page.locator(f"[data-testid=project][data-project='{code}']")).to_have_attribute(
            "data-balanced", "true"
        )
    assert_accessible(page)
    return page.url.split("#")[0]


def approval(page: Page) -> None:
    form = page.get_by_test_id("approve-form")
    form.get_by_label("Số quyết định phê duyệt").fill(DECISION)
    form.get_by_label("Ngày ký quyết định phê duyệt").fill(DECISION_DAY)
    form.get_by_role("button", name="Phê duyệt").click()


def refused_fixed_and_approved(leader: Page, specialist: Page, batch_url: str) -> None:
    leader.goto(batch_url)
    approval(leader)
    # the refusal names the project; the verdict above gives the difference, once
    expect(leader.get_by_test_id("batch-error")).to_have_text(
        f"Đợt điều chuyển chưa được phê duyệt: {ROAD} chưa cân đối, như kết quả kiểm tra nêu ở "
        "trên."
    )
    expect(leader.get_by_test_id("difference")).to_have_text(
        f"{ROAD} {ROAD_NAME}: giảm 5.712.350.000 đ nhưng tăng 5.712.300.000 đ, chênh lệch 50.000 đ"
    )
    expect(leader.get_by_test_id("batch-status")).to_have_text("Dự thảo")
    batch = TransferBatch.objects.get(title=TRANSFER_TITLE)
    assert batch.is_draft and not batch.ledger_entries.exists()
    assert_accessible(leader)
    screenshot(leader, "capital-transfer-refused")

    specialist.goto(batch_url)
    set_amount(specialist, ROAD, "district", "commune", "4.512.350.000")
    expect(specialist.get_by_test_id("verdict")).to_have_attribute("data-approvable", "true")

    leader.goto(batch_url)
    approval(leader)
    expect(
        leader.get_by_text("Đã phê duyệt đợt điều chuyển và ghi vào sổ kế hoạch vốn.")
    ).to_be_visible()
    expect(leader.get_by_test_id("batch-status")).to_have_text("Đã phê duyệt")
    expect(leader.get_by_test_id("decision")).to_have_text(
        f"theo Quyết định số {DECISION} ngày 20/08/2025"
    )
    expect(leader.get_by_test_id("verdict")).to_have_text(
        "Đã cân đối: đợt điều chuyển đã được phê duyệt và ghi vào sổ kế hoạch vốn, "
        "không thể thay đổi nữa."
    )
    # read-only, for the leader and the specialist alike
    for frozen in (leader, specialist):
        frozen.goto(batch_url)
        for form in ("entry-form", "add-entry-form", "approve-form"):
            expect(frozen.get_by_test_id(form)).to_have_count(0)
    batch.refresh_from_db()
    assert batch.status == TransferBatch.Status.APPROVED
    assert batch.decision_number == DECISION
    assert_accessible(leader)
    screenshot(leader, "capital-transfer")


def the_road_is_at_the_commune_level(page: Page) -> None:
    page.get_by_test_id("budget-nav").get_by_role("link", name="Dự án").click()
    page.get_by_role("link", name=ROAD, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ROAD_NAME)
    plan = page.get_by_test_id("plan-2025")
    for source, amount in (("district", "4.512.350.000"), ("central", "1.200.000.000")):
        # emptied by the transfer (a level that never held any shows "—")
        expect(plan.get_by_test_id(f"balance-{source}-district")).to_have_text("0")
        expect(plan.get_by_test_id(f"balance-{source}-commune")).to_have_text(amount)
        expect(plan.get_by_test_id(f"balance-{source}-province")).to_have_text("—")
    expect(plan.get_by_test_id("plan-total")).to_have_text("5.712.350.000")
    moved = page.get_by_test_id("entry").filter(has_text=TRANSFER_WORDS)
    expect(moved).to_have_count(4)
    # decision, level, amount of each transfer entry: the district gives, the commune takes
    levels_and_amounts = [
        [cell.inner_text() for cell in row.locator("td").all()[4:7]] for row in moved.all()
    ]
    assert sorted(levels_and_amounts) == sorted(
        [
            ["Ngân sách huyện", DISTRICT_LEVEL, "-4.512.350.000"],
            ["Ngân sách huyện", COMMUNE_LEVEL, "+4.512.350.000"],
            ["Ngân sách trung ương hỗ trợ", DISTRICT_LEVEL, "-1.200.000.000"],
            ["Ngân sách trung ương hỗ trợ", COMMUNE_LEVEL, "+1.200.000.000"],
        ]
    )
    expect(moved.locator("td:nth-child(2)")).to_have_text([DECISION] * 4)
    assert {lines_of(cell) for cell in moved.locator("td:nth-child(2)").all()} == {1}
    assert_accessible(page)


def choose_month(page: Page, form_id: str) -> None:
    form = page.get_by_test_id(form_id)
    for label, value in SEPTEMBER.items():
        form.get_by_label(label, exact=True).select_option(value)
    form.get_by_role("button", name="Xem").click()


def enter_september(page: Page) -> None:
    """Xã Đô Lương's officer enters what the road disbursed in September 2025."""
    page.get_by_test_id("menu-budget").click()
    page.get_by_test_id("budget-nav").get_by_role("link", name="Giải ngân").click()
    page.get_by_test_id("enter-month").click()
    choose_month(page, "entry-filters")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giải ngân trong tháng 9/2025")
    # the commune enters its own projects only
    expect(page.get_by_test_id(f"entry-{ROAD}")).to_have_count(1)
    expect(page.get_by_test_id(f"entry-{CANAL}")).to_have_count(0)
    expect(page.get_by_test_id(f"entry-{CLINIC}")).to_have_count(0)
    expect(page.get_by_test_id(f"entry-{ROAD}").locator("td.number")).to_have_text(
        ["5.712.350.000 đ", "0 đ", "—"]
    )
    page.get_by_label(f"{ROAD} {ROAD_NAME}").fill(DISBURSED)
    assert_accessible(page)
    page.get_by_role("button", name="Lưu số liệu tháng").click()
    expect(page.get_by_text("Đã lưu số liệu giải ngân tháng 9/2025.")).to_be_visible()
    expect(page.get_by_test_id(f"entry-{ROAD}").locator("td.number")).to_have_text(
        ["5.712.350.000 đ", f"{DISBURSED} đ", f"{DISBURSED} đ"]
    )
    saved = Disbursement.objects.get(project__code=ROAD)
    assert (saved.year, saved.month, saved.amount) == (2025, 9, 1_713_705_000)
    assert saved.entered_by.username == COMMUNE_OFFICER


def chart_loaded(page: Page) -> None:
    chart = page.get_by_test_id("chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=chart]');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    assert chart.evaluate("img => img.naturalWidth") > 0


def by_project(page: Page) -> None:
    form = page.get_by_test_id("month-form")
    form.get_by_label("Tổng hợp theo").select_option(label="Dự án")
    form.get_by_role("button", name="Xem").click()


def project_group(page: Page, code: str):
    return page.get_by_test_id(f"group-{Project.objects.get(code=code).pk}")


def the_overview_shows_the_share(commune: Page, specialist: Page) -> str:
    """The commune's overview, then Finance's, project by project; the overview's address."""
    commune.get_by_role("link", name="Quay lại trang giải ngân").click()
    expect(commune.get_by_role("heading", level=1)).to_have_text("Giải ngân đến hết tháng 9/2025")
    by_project(commune)
    row = project_group(commune, ROAD)
    expect(row.locator("th")).to_have_text(f"{ROAD} {ROAD_NAME}")
    # investor, commune, plan in force, disbursed, share, expected (no pace set)
    expect(row.locator("td")).to_have_text(
        [
            "Ủy ban nhân dân xã Đô Lương",
            "xã Đô Lương",
            "5.712.350.000\u00a0đ",
            f"{DISBURSED}\u00a0đ",
            "30,00\u00a0%",
            "—",
        ]
    )
    for other in (CANAL, CLINIC):  # not the commune's
        expect(project_group(commune, other)).to_have_count(0)
    chart_loaded(commune)
    assert_accessible(commune)

    specialist.goto(commune.url)
    expect(project_group(specialist, ROAD).locator("td:nth-child(6)")).to_have_text("30,00 %")
    # a figure keeps its unit on its line, however narrow the column
    figures = project_group(specialist, ROAD).locator("td.number").all()
    assert figures and {lines_of(cell) for cell in figures} == {1}
    for other, investor, commune, plan in (
        (CANAL, "Sở Nông nghiệp và Môi trường", "xã Đô Lương", "2.748.900.000 đ"),
        (CLINIC, "Ủy ban nhân dân xã Văn Hiến", "xã Văn Hiến", "1.850.000.000 đ"),
    ):
        expect(project_group(specialist, other).locator("td")).to_have_text(
            [investor, commune, plan, "0 đ", "0,00 %", "—"]
        )
    chart_loaded(specialist)
    assert_accessible(specialist)
    screenshot(specialist, "capital-disbursement")
    return specialist.url


# Elements drawn past the screen's right edge that no scroll container holds.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter(el => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1 && !scrolls(el);
    })
    .map(el => el.tagName.toLowerCase() + (el.dataset.testid ? `[${el.dataset.testid}]` : '')
      + (el.className ? `.${el.className}` : ''));
}"""


def fits_a_phone(page: Page, url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_finance_imports_transfers_and_a_commune_reports_disbursement(officer, tmp_path):
    capital_ready()
    specialist = officer(SPECIALIST)
    import_the_plan(specialist, tmp_path)
    the_projects_are_listed(specialist)
    batch_url = draft_the_transfer(specialist)
    leader = officer(LEADER)
    refused_fixed_and_approved(leader, specialist, batch_url)
    the_road_is_at_the_commune_level(specialist)

    commune = officer(COMMUNE_OFFICER)
    enter_september(commune)
    overview_url = the_overview_shows_the_share(commune, specialist)

    fits_a_phone(leader, batch_url)
    fits_a_phone(specialist, overview_url)
