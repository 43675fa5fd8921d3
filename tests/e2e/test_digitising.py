"""The desk digitises a paper in a real browser, and a later dossier reuses the stored copy."""

from playwright.sync_api import Page, expect

from haicap.catalog.models import Procedure
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import DigitisedPaper
from haicap.units.models import Agency
from tests.dossiers.test_digitising import LAND_CERTIFICATE, page_image
from tests.e2e.conftest import assert_accessible

CITIZEN = Applicant(name="Lê Thị Thu", id_number="040195012345", phone="0912345678")


def received(user, national_code: str) -> str:
    return services.receive(
        user("tiepnhan.doluong"),
        procedure=Procedure.objects.get(national_code=national_code),
        receiving_agency=Agency.objects.get(code="17662.05.H40"),
        applicant=CITIZEN,
    ).dossier.code


def test_the_desk_digitises_a_paper_and_a_later_dossier_reuses_it(officer, user):
    first = received(user, "X.DD.003")
    desk: Page = officer("tiepnhan.doluong")
    desk.goto(f"/desk/ho-so/{first}/")
    papers = desk.get_by_test_id("digitised-papers")
    expect(papers.locator("tr", has_text=LAND_CERTIFICATE)).to_contain_text("chưa số hóa")

    desk.get_by_label("Giấy tờ được quét").select_option(LAND_CERTIFICATE)
    scans = [
        {"name": f"trang-{n}.png", "mimeType": "image/png", "buffer": page_image((n * 60, 0, 0))}
        for n in (1, 2)
    ]
    desk.get_by_label("Các trang đã quét").set_input_files(scans)
    # the officer counted three pages; the scan has two: refused, nothing kept
    desk.get_by_label("Số trang anh/chị đếm được trên giấy tờ").fill("3")
    desk.get_by_role("button", name="Số hóa giấy tờ").click()
    # the refusal is shown in the digitising form itself, where the officer pressed the button
    expect(desk.get_by_test_id("digitise-error")).to_contain_text(
        "Bản quét có 2 trang nhưng anh/chị đếm được 3 trang"
    )
    expect(desk.get_by_test_id("digitise-error")).to_be_in_viewport()
    assert not DigitisedPaper.objects.exists()

    desk.get_by_label("Giấy tờ được quét").select_option(LAND_CERTIFICATE)
    desk.get_by_label("Các trang đã quét").set_input_files(scans)
    desk.get_by_label("Số trang anh/chị đếm được trên giấy tờ").fill("2")
    desk.get_by_role("button", name="Số hóa giấy tờ").click()
    row = desk.get_by_test_id("digitised-papers").locator("tr", has_text=LAND_CERTIFICATE)
    expect(row).to_contain_text("2 trang · quét tại bộ phận một cửa")
    expect(desk.get_by_test_id("timeline")).to_contain_text("Đã số hóa giấy tờ")
    assert_accessible(desk)

    later = received(user, "X.DD.004")
    desk.goto(f"/desk/ho-so/{later}/")
    row = desk.get_by_test_id("digitised-papers").locator("tr", has_text=LAND_CERTIFICATE)
    expect(row).to_contain_text(f"số hóa cho hồ sơ {first}")
    assert_accessible(desk)
    row.get_by_role("button", name="Dùng lại bản đã lưu").click()
    row = desk.get_by_test_id("digitised-papers").locator("tr", has_text=LAND_CERTIFICATE)
    expect(row).to_contain_text(f"2 trang · tái sử dụng từ hồ sơ {first}")
    reused = DigitisedPaper.objects.get(dossier__code=later)
    assert (reused.reused_from.dossier.code, reused.pages) == (first, 2)
