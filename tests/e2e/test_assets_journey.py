"""The assets journey in a browser, in Vietnamese.

The Department of Finance's specialist fills the template workbook in with what the former xã
Đà Sơn held (now in the custody of xã Đô Lương's People's Committee) and a scanner Finance
keeps: a workbook with one bad row is refused whole, the corrected one is registered. She opens
Đà Sơn's take-over record and gives every asset but its computer a destination; the leader's
signature is refused, naming the computer; once it has a destination the leader signs, the
record is frozen and prints as Word and PDF. Xã Đô Lương's one-stop desk then holds a computer
and a printer but no scanner: the specialist declares Finance's scanner surplus, the allocation
proposes it to Đô Lương's desk (nearer than Văn Hiến, which lacks one too), the leader approves
it by decision, and the gap is gone.

The norms (one computer, scanner, printer, receipt printer and queue kiosk per one-stop desk)
and the travel times are reference data, set here as the administration would.
"""

import re
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from haicap.assets.models import (
    AllocationProposal,
    Asset,
    AssetKind,
    Category,
    EquipmentNorm,
    Movement,
    TakeoverRecord,
)
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, TravelTime
from tests.e2e.conftest import assert_accessible, screenshot

SPECIALIST, LEADER = "chuyenvien.taisan", "lanhdao.taichinh"  # Department of Finance
FINANCE = "000.04.00.H40"
DO_LUONG, VAN_HIEN = "17662", "17677"
DO_LUONG_PPC, DO_LUONG_DESK = "17662.01.H40", "17662.05.H40"
PPC_NAME = "Ủy ban nhân dân xã Đô Lương"
DESK_NAME = "Trung tâm Phục vụ hành chính công xã Đô Lương"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = (
    ("office", "Trụ sở làm việc", Category.LAND_BUILDING),
    ("computer", "Máy vi tính", Category.EQUIPMENT),
    ("scanner", "Máy quét tài liệu", Category.EQUIPMENT),
    ("printer", "Máy in", Category.EQUIPMENT),
    ("receipt_printer", "Máy in biên nhận", Category.EQUIPMENT),
    ("queue_kiosk", "Ki-ốt lấy số thứ tự", Category.EQUIPMENT),
)
DESK_NORM = ("computer", "scanner", "printer", "receipt_printer", "queue_kiosk")  # one of each


HEADERS = (
    "Loại tài sản",
    "Tên tài sản",
    "Mã cơ quan quản lý",
    "Nguồn gốc",
    "Nguyên giá (đồng)",
    "Giá trị còn lại (đồng)",
    "Năm đưa vào sử dụng",
    "Tình trạng",
)
# The rows as an official fills them in, by the template's column headers. No identifiers:
# haicap gives TS.40.000001, TS.40.000002… in the order of the rows.
DA_SON, DISTRICT = "xã Đà Sơn", "huyện Đô Lương"
ASSETS = [
    dict(zip(HEADERS, row, strict=True))
    for row in (
        ("office", "Trụ sở UBND xã Đà Sơn (cũ)", DO_LUONG_PPC, DA_SON, "2.600.000.000",
         "900.000.000", 2006, "trung bình"),
        ("computer", "Máy vi tính của xã Đà Sơn", DO_LUONG_PPC, DA_SON, "18.000.000", "9.000.000",
         2021, "tốt"),
        ("printer", "Máy in của xã Đà Sơn", DO_LUONG_PPC, DA_SON, "9.000.000", "12.000.000", 2021,
         "tốt"),
        ("scanner", "Máy quét tài liệu của Sở Tài chính", FINANCE, DISTRICT, "25.000.000",
         "12.500.000", 2020, "tốt"),
    )
]  # fmt: skip
ASSETS[0] |= {"Địa chỉ": "Xóm 5, xã Đà Sơn cũ, nay thuộc xã Đô Lương", "Diện tích (m²)": "320,5"}
OFFICE, COMPUTER, PRINTER, SCANNER = (f"TS.40.00000{n}" for n in range(1, 5))
BAD_ROW = 4  # the printer's: the header is row 1, and it is worth more now than it cost
CORRECTED = {"Giá trị còn lại (đồng)": "4.500.000"}
RECORD_NUMBER = "01/BB-STC"
DECISION = "215/QĐ-STC"
LACKING_ONLY = "Chỉ các xã, phường còn thiếu trang thiết bị"


def assets_ready() -> None:
    """Finance administers assets; the kinds, the desk norms and the travel times from the
    province to xã Đô Lương (105 minutes) and xã Văn Hiến (150) are reference data."""
    AgencyDuty.objects.create(agency=Agency.objects.get(code=FINANCE), duty=Duty.ASSETS)
    kinds = {
        code: AssetKind.objects.create(code=code, name=name, category=category)
        for code, name, category in KINDS
    }
    for code in DESK_NORM:
        EquipmentNorm.objects.create(
            kind=kinds[code], per=EquipmentNorm.Per.DESK, count=1, note="Định mức minh họa"
        )
    province = AdministrativeUnit.objects.get(tier=Tier.PROVINCE, valid_to=None)
    for code, minutes in ((DO_LUONG, 105), (VAN_HIEN, 150)):
        one, other = sorted(
            (province, AdministrativeUnit.objects.get(code=code)), key=lambda u: u.pk
        )
        TravelTime.objects.create(one=one, other=other, minutes=minutes)


def filled_in(template: Path, rows: list[dict]) -> bytes:
    """The template workbook with the rows written under the assets sheet's headers."""
    workbook = load_workbook(template)
    sheet = workbook["Tài sản"]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        assert set(row) <= set(headers), set(row) - set(headers)
        sheet.append([row.get(header) for header in headers])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page: Page, content: bytes) -> None:
    page.get_by_label("Bảng tính", exact=True).set_input_files(
        {"name": "tai-san.xlsx", "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Nhập", exact=True).click()


def import_the_register(page: Page, tmp_path: Path) -> None:
    page.get_by_test_id("menu-assets").click()
    page.get_by_test_id("assets-nav").get_by_role("link", name="Nhập sổ tài sản").click()
    expect(page).to_have_url(re.compile(r"/desk/tai-san/nhap/$"))
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    listed = load_workbook(template)["Loại tài sản"]
    assert {row[0] for row in listed.iter_rows(min_row=2, values_only=True)} == {
        code for code, _name, _category in KINDS
    }

    upload(page, filled_in(template, ASSETS))
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("Không nhập gì: có 1 lỗi cần sửa.")
    expect(problems.get_by_role("listitem")).to_have_text(
        [
            f"Trang “Tài sản”, dòng {BAD_ROW}, cột “Giá trị còn lại (đồng)”: giá trị còn lại "
            "lớn hơn nguyên giá"
        ]
    )
    assert_accessible(page)
    assert not Asset.objects.exists()  # all or nothing: not even the good rows
    assert not Movement.objects.exists()

    corrected = [
        {**row, **CORRECTED} if n == BAD_ROW else row for n, row in enumerate(ASSETS, start=2)
    ]
    upload(page, filled_in(template, corrected))
    expect(page.get_by_test_id("import-done").get_by_role("listitem")).to_have_text(
        [
            f"Đã ghi 4 tài sản vào sổ: {OFFICE}, {COMPUTER}, {PRINTER}, {SCANNER}.",
            "Đã cập nhật 0 tài sản.",
            "0 tài sản đã đúng như bảng tính.",
        ]
    )
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    office = Asset.objects.get(identifier=OFFICE)
    assert (office.origin.full_name, office.holder.code) == ("xã Đà Sơn", DO_LUONG_PPC)
    assert str(office.area_m2) == "320.5"
    assert Asset.objects.get(identifier=PRINTER).remaining_value == 4_500_000
    assert Asset.objects.get(identifier=SCANNER).holder.code == FINANCE


def destination(page: Page, identifier: str, label: str) -> None:
    """Choose where the record's asset goes, and save that line."""
    line = page.locator(f"[data-testid=line][data-asset='{identifier}']")
    line.get_by_label(f"Nơi nhận của {identifier}").select_option(label=label)
    line.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text(f"Đã lưu nơi nhận của {identifier}.")).to_be_visible()


def hand_over_all_but_the_computer(page: Page) -> str:
    """The specialist opens Đà Sơn's record and gives two of its three assets a destination;
    the record's address."""
    page.get_by_test_id("menu-assets").click()
    page.get_by_test_id("assets-nav").get_by_role("link", name="Biên bản bàn giao").click()
    expect(page.get_by_test_id("no-records")).to_be_visible()
    page.get_by_label("Đơn vị chưa có biên bản").select_option(label="xã Đà Sơn (huyện Đô Lương)")
    page.get_by_role("button", name="Lập biên bản bàn giao").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Biên bản bàn giao của xã Đà Sơn")
    expect(page.get_by_test_id("record-status")).to_have_text("Chưa ký")
    # it lists what came from Đà Sơn, not Finance's scanner
    expect(page.get_by_test_id("line")).to_have_count(3)
    listed = [line.get_attribute("data-asset") for line in page.get_by_test_id("line").all()]
    assert listed == [OFFICE, COMPUTER, PRINTER]

    destination(page, OFFICE, PPC_NAME)
    destination(page, PRINTER, DESK_NAME)
    page.get_by_label("Đại diện bên giao").fill(
        "Ông Nguyễn Văn Sơn, nguyên Chủ tịch UBND xã Đà Sơn"
    )
    page.get_by_label("Đại diện bên nhận").fill("Ông Đặng Văn Lương, Chủ tịch UBND xã Đô Lương")
    page.get_by_role("button", name="Lưu đại diện các bên").click()
    expect(page.get_by_text("Đã lưu đại diện các bên.")).to_be_visible()
    # the specialist drafts; only a leader signs
    expect(page.get_by_test_id("sign-form")).to_have_count(0)
    assert_accessible(page)
    return page.url


def sign_the_record(leader: Page, specialist: Page, record_url: str, tmp_path: Path) -> None:
    leader.goto(record_url)
    sign = leader.get_by_test_id("sign-form")
    sign.get_by_label("Số biên bản").fill(RECORD_NUMBER)
    sign.get_by_role("button", name="Ký biên bản").click()
    expect(leader.get_by_test_id("record-error")).to_have_text(
        "Chưa thể ký biên bản: các tài sản sau chưa xác định nơi nhận: "
        f"{COMPUTER} Máy vi tính của xã Đà Sơn."
    )
    expect(leader.get_by_test_id("record-status")).to_have_text("Chưa ký")
    assert TakeoverRecord.objects.get().signed_on is None
    assert not Movement.objects.filter(kind=Movement.Kind.TAKEN_OVER).exists()

    specialist.reload()
    destination(specialist, COMPUTER, DESK_NAME)

    leader.goto(record_url)
    sign = leader.get_by_test_id("sign-form")
    sign.get_by_label("Số biên bản").fill(RECORD_NUMBER)
    sign.get_by_role("button", name="Ký biên bản").click()
    expect(
        leader.get_by_text("Đã ký biên bản: mọi tài sản đã được chuyển đến nơi nhận.")
    ).to_be_visible()
    status = leader.get_by_test_id("record-status")
    expect(status).to_contain_text(f"Đã ký: số {RECORD_NUMBER} ngày ")
    # frozen: no destination to choose, no parties to change, nothing to sign
    for frozen in (leader, specialist):
        frozen.goto(record_url)
        expect(frozen.get_by_test_id("destination-select")).to_have_count(0)
        expect(frozen.get_by_test_id("parties-form")).to_have_count(0)
        expect(frozen.get_by_test_id("sign-form")).to_have_count(0)
    lines = leader.get_by_test_id("line")
    expect(lines.get_by_test_id("destination")).to_have_text([PPC_NAME, DESK_NAME, DESK_NAME])
    assert_accessible(leader)
    screenshot(leader, "assets-takeover")

    # the documents: Word (downloaded) and PDF (shown in the browser)
    with leader.expect_download() as download:
        leader.get_by_test_id("record-docx").click()
    docx_path = tmp_path / "bien-ban.docx"
    download.value.save_as(docx_path)
    cells = [
        cell.text
        for table in Document(str(docx_path)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert COMPUTER in cells and "Máy vi tính của xã Đà Sơn" in cells
    assert "UBND xã Đô Lương" in cells  # the office's destination, as a record names it

    pdf_href = leader.get_by_test_id("record-pdf").get_attribute("href")
    response = leader.request.get(pdf_href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf_path = tmp_path / "bien-ban.pdf"
    pdf_path.write_bytes(response.body())
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)
    assert "BIÊN BẢN" in text and "Bàn giao tài sản của" in text
    assert COMPUTER in text and RECORD_NUMBER in text

    # the computer's history: entered, then taken over by the record
    leader.goto("/desk/tai-san/")
    leader.get_by_role("link", name=COMPUTER, exact=True).click()
    expect(leader.get_by_test_id("holder")).to_have_text(f"{DESK_NAME}, xã Đô Lương")
    taken_over = leader.get_by_test_id("movement").filter(has_text="Bàn giao khi sắp xếp đơn vị")
    expect(taken_over.locator("td")).to_have_text(
        [
            re.compile(r"\d\d/\d\d/\d{4}"),
            "Bàn giao khi sắp xếp đơn vị",
            # the giver is the abolished commune; its custodian kept it until the hand-over
            re.compile(rf"^xã Đà Sơn \(cũ\)\s*do {PPC_NAME} quản lý đến khi bàn giao$"),
            DESK_NAME,
            RECORD_NUMBER,
            "—",
            re.compile("^Trương Văn Chính · "),
        ]
    )
    expect(leader.get_by_test_id("movement")).to_have_count(2)


def scanner_lacking_only(page: Page, lacking: bool) -> None:
    """Filter the gap table to the scanner column, and to the communes lacking one or not."""
    page.get_by_label("Loại", exact=True).select_option(label="Máy quét tài liệu")
    page.get_by_role("checkbox", name=LACKING_ONLY).set_checked(lacking)
    page.get_by_role("button", name="Lọc").click()


def do_luong_lacks_a_scanner(page: Page) -> None:
    page.get_by_test_id("menu-assets").click()
    page.get_by_test_id("assets-nav").get_by_role("link", name="Thiếu hụt trang thiết bị").click()
    page.get_by_role("searchbox", name="Xã, phường").fill("Đô Lương")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("gaps").locator("tbody tr")).to_have_count(1)
    scanner = page.get_by_test_id(f"cell-{DO_LUONG}-scanner")
    expect(scanner).to_have_attribute("data-gap", "1")
    expect(scanner).to_have_text("0/1 thiếu 1")
    # what the take-over gave its desk counts: a computer and a printer
    expect(page.get_by_test_id(f"cell-{DO_LUONG}-computer")).to_have_text("1/1 đủ")
    expect(page.get_by_test_id(f"cell-{DO_LUONG}-printer")).to_have_text("1/1 đủ")
    expect(page.get_by_test_id(f"row-total-{DO_LUONG}")).to_have_text(
        re.compile(r"^\s*2/5\s*thiếu 3\s*$")
    )
    assert_accessible(page)
    screenshot(page, "assets-gaps")
    scanner_lacking_only(page, True)
    expect(page.get_by_test_id(f"row-{DO_LUONG}")).to_have_count(1)


def declare_the_scanner_surplus(page: Page) -> None:
    page.get_by_test_id("menu-assets").click()
    page.get_by_role("link", name=SCANNER, exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("Đang sử dụng")
    page.get_by_test_id("asset-surplus").get_by_role("button", name="Xác định dôi dư").click()
    expect(page.get_by_text("Tài sản đã được xác định là dôi dư.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Dôi dư, chờ sắp xếp")


def propose(page: Page) -> AllocationProposal:
    page.goto("/desk/tai-san/thieu-hut/")
    page.get_by_test_id("assets-gaps-nav").get_by_role("link", name="Đề xuất điều chuyển").click()
    expect(page.get_by_test_id("no-proposals")).to_be_visible()
    page.get_by_label("Thời gian di chuyển tối đa (phút)").fill("180")
    page.get_by_role("button", name="Lập đề xuất điều chuyển").click()
    expect(page.get_by_text("Đã lập 1 đề xuất, ưu tiên nơi gần nhất.")).to_be_visible()
    proposal = AllocationProposal.objects.get()
    row = page.get_by_test_id(f"proposal-{proposal.pk}")
    expect(row).to_contain_text(f"{SCANNER} Máy quét tài liệu của Sở Tài chính")
    expect(row.get_by_test_id("from")).to_have_text("Sở Tài chính")
    # Đô Lương (105 minutes) before Văn Hiến (150), which lacks a scanner too
    expect(row.get_by_test_id("to")).to_have_text(DESK_NAME)
    expect(row.get_by_test_id("minutes")).to_have_text("105")
    expect(row.get_by_test_id("gap")).to_have_text("thiếu 1 → 0")
    expect(row.get_by_test_id("status")).to_have_text("Đề xuất")
    expect(row.get_by_test_id("decision")).to_have_text("Chờ lãnh đạo Sở Tài chính")
    assert_accessible(page)
    return proposal


def approve(leader: Page, proposal: AllocationProposal) -> None:
    leader.goto("/desk/tai-san/de-xuat/")
    row = leader.get_by_test_id(f"proposal-{proposal.pk}")
    row.get_by_label("Quyết định", exact=True).fill(DECISION)
    row.get_by_role("button", name="Phê duyệt").click()
    expect(
        leader.get_by_text(
            f"Đã phê duyệt: Máy quét tài liệu của Sở Tài chính được điều chuyển đến {DESK_NAME}."
        )
    ).to_be_visible()
    leader.get_by_test_id("status-filter").get_by_role("link", name="Đã quyết định").click()
    row = leader.get_by_test_id(f"proposal-{proposal.pk}")
    expect(row.get_by_test_id("status")).to_have_text("Đã phê duyệt")
    expect(row.get_by_test_id("gap")).to_have_text("hiện thiếu 0")
    expect(row.get_by_test_id("decision")).to_contain_text(DECISION)
    expect(row.get_by_test_id("decision")).to_contain_text("Trương Văn Chính")
    assert_accessible(leader)


def the_gap_is_gone(page: Page) -> None:
    page.goto("/desk/tai-san/thieu-hut/")
    page.get_by_role("searchbox", name="Xã, phường").fill("Đô Lương")
    scanner_lacking_only(page, True)
    expect(page.get_by_test_id("no-communes")).to_be_visible()
    scanner_lacking_only(page, False)
    scanner = page.get_by_test_id(f"cell-{DO_LUONG}-scanner")
    expect(scanner).to_have_attribute("data-gap", "0")
    expect(scanner).to_have_text("1/1 đủ")

    page.get_by_test_id("menu-assets").click()
    page.get_by_role("link", name=SCANNER, exact=True).click()
    expect(page.get_by_test_id("holder")).to_have_text(f"{DESK_NAME}, xã Đô Lương")
    expect(page.get_by_test_id("status")).to_have_text("Đang sử dụng")
    allocated = page.get_by_test_id("movement").filter(
        has_text="Điều chuyển bù tiêu chuẩn, định mức"
    )
    expect(allocated.locator("td")).to_have_text(
        [
            re.compile(r"\d\d/\d\d/\d{4}"),
            "Điều chuyển bù tiêu chuẩn, định mức",
            "Sở Tài chính",
            DESK_NAME,
            DECISION,
            "—",
            re.compile("^Trương Văn Chính · "),
        ]
    )
    assert_accessible(page)


def test_finance_imports_hands_over_and_allocates_a_scanner(officer, tmp_path):
    assets_ready()
    specialist = officer(SPECIALIST)
    import_the_register(specialist, tmp_path)
    record_url = hand_over_all_but_the_computer(specialist)
    leader = officer(LEADER)
    sign_the_record(leader, specialist, record_url, tmp_path)

    do_luong_lacks_a_scanner(specialist)
    declare_the_scanner_surplus(specialist)
    proposal = propose(specialist)
    approve(leader, proposal)
    the_gap_is_gone(specialist)
