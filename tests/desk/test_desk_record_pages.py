"""The desk's pages for guidance (form 02) and refusals (form 03) at intake."""

import pytest
from django.urls import reverse

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
