"""The desk's pages for guidance (form 02) and refusals (form 03) at intake."""

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from haicap.core import clock
from haicap.dossiers.models import DeskRecord, Dossier
from haicap.units.models import Agency
from tests.conftest import client_for
from tests.dossiers.test_forms import pdf_text
from tests.dossiers.test_scenarios import DO_LUONG_DESK, at

pytestmark = pytest.mark.django_db


def fill(**changes) -> dict:
    return {
        "procedure": "X.XD.001",
        "name": "Nguyễn Thị Mai",
        "id_number": "040195012345",
        "phone": "0912345678",
        "desk": str(Agency.objects.get(code=DO_LUONG_DESK).pk),
        "content": "Không thuộc thẩm quyền giải quyết của xã",
        "idempotency_key": "form-1",
        **changes,
    }


def test_an_officer_refuses_to_receive_and_prints_form_03_with_two_signatures():
    officer = client_for("tiepnhan.doluong")
    dossiers = Dossier.objects.count()
    with clock.fixed_at(at(3, 2, 9)):
        saved = officer.post(reverse("desk:desk_record_new", args=["tu-choi"]), fill())
        again = officer.post(reverse("desk:desk_record_new", args=["tu-choi"]), fill())
    record = DeskRecord.objects.get()
    assert saved.status_code == 302 and again["Location"] == saved["Location"]
    assert (record.kind, record.number, Dossier.objects.count()) == ("refusal", 1, dossiers)
    page = officer.get(saved["Location"]).content.decode()
    assert "Từ chối tiếp nhận hồ sơ (mẫu 03)" in page and "Số 1/2026" in page
    text = pdf_text(officer.get(reverse("desk:desk_record_pdf", args=[record.pk])))
    for expected in (
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Không thuộc thẩm quyền giải quyết của xã",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Phạm Thị Lan",
        "040195012345",
    ):
        assert expected in text, expected
    listed = officer.get(reverse("desk:desk_records"), {"since": "2026-03-01"}).content.decode()
    assert "040******345" in listed and "040195012345" not in listed  # a list: masked


def test_guidance_without_what_to_complete_is_a_form_error_in_vietnamese_and_saves_nothing():
    officer = client_for("tiepnhan.doluong")
    answer = officer.post(
        reverse("desk:desk_record_new", args=["huong-dan"]), fill(content="", procedure="")
    )
    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Chọn thủ tục, hoặc ghi nội dung người nộp yêu cầu." in page
    assert 'value="Nguyễn Thị Mai"' in page  # nothing typed is lost
    assert DeskRecord.objects.count() == 0


def test_another_communes_officer_neither_sees_nor_prints_the_record():
    with clock.fixed_at(at(3, 2, 9)):
        client_for("tiepnhan.doluong").post(
            reverse("desk:desk_record_new", args=["huong-dan"]), fill()
        )
    record = DeskRecord.objects.get()
    other = client_for("tiepnhan.vanhien")
    assert other.get(reverse("desk:desk_record", args=[record.pk])).status_code == 404
    assert other.get(reverse("desk:desk_record_pdf", args=[record.pk])).status_code == 404
    listed = other.get(reverse("desk:desk_records"), {"since": "2026-03-01"}).content.decode()
    assert "Nguyễn Thị Mai" not in listed
    leader = client_for("lanhdao.doluong")  # no intake officer: may read, not give
    page = leader.get(reverse("desk:desk_record_new", args=["tu-choi"]))
    assert page.status_code == 403


GUIDANCE = (
    "1. Bổ sung Giấy xác nhận tình trạng hôn nhân (bản chính, còn thời hạn 6 tháng).\r\n"
    "2. Tờ khai đăng ký kết hôn: cả hai bên cùng ký vào tờ khai."
)


def pdf_lines(response) -> list[str]:
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines()]


@pytest.mark.parametrize("kind", ["huong-dan", "tu-choi"])
def test_forms_02_and_03_keep_the_officers_line_breaks_and_print_the_address(kind):
    officer = client_for("tiepnhan.doluong")
    with clock.fixed_at(at(3, 2, 9)):
        saved = officer.post(
            reverse("desk:desk_record_new", args=[kind]),
            fill(content=GUIDANCE, address="Xóm 5, xã Đô Lương"),
        )
    record = DeskRecord.objects.get()
    page = officer.get(saved["Location"]).content.decode()
    assert "còn thời hạn 6 tháng).<br>2. Tờ khai" in page
    assert "Xóm 5, xã Đô Lương" in page
    printed = officer.get(reverse("desk:desk_record_pdf", args=[record.pk]))
    lines = pdf_lines(printed)
    assert "Địa chỉ: Xóm 5, xã Đô Lương" in lines
    assert any(line.startswith("2. Tờ khai đăng ký kết hôn") for line in lines), lines
    # a reader who does not see personal data gets no address on paper
    masked = pdf_text(client_for("giamsat").get(reverse("desk:desk_record_pdf", args=[record.pk])))
    assert "Xóm 5" not in masked and "Địa chỉ: —" in masked


def test_guidance_and_refusal_list_the_procedures_papers_with_nothing_to_tick():
    officer = client_for("tiepnhan.doluong")
    page = officer.get(reverse("desk:desk_record_new", args=["huong-dan"])).content.decode()
    assert "thu-tuc/?papers=list" in page
    matches = officer.get(
        reverse("desk:procedure_matches"), {"procedure_search": "dang ky ket hon", "papers": "list"}
    ).content.decode()
    assert "giay-to/?procedure=X.HT.003&amp;papers=list" in matches
    papers = officer.get(
        reverse("desk:procedure_papers"), {"procedure": "X.HT.003", "papers": "list"}
    ).content.decode()
    assert 'data-testid="procedure-paper-list"' in papers and "Tờ khai" in papers
    assert 'type="checkbox"' not in papers and "Giấy tờ đã kiểm tra" not in papers
    # at intake the papers received are still ticked one by one
    checklist = officer.get(reverse("desk:procedure_papers"), {"procedure": "X.HT.003"})
    assert 'type="checkbox"' in checklist.content.decode()
