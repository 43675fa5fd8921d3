"""The national forms as PDF, and the public look-up page their QR code leads to."""

import datetime as dt
import io
import subprocess
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from haicap.core.models import AuditRecord
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.delivery import Choice
from haicap.dossiers.models import Dossier, LogBookSequence
from haicap.dossiers.national_forms import forms_of
from haicap.units.models import Agency
from tests.api.test_dossiers_api import bearer
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act, at, receive

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def fonts(response) -> set[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_the_receipt_slip_is_the_national_form_with_the_pin_and_a_lookup_link(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    desk = bearer("tiepnhan.doluong")
    response = desk.post(f"/api/v1/dossiers/{code}/slip")
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    text = pdf_text(response)
    new_pin = text.split("Mã tra cứu: ")[1][:6]
    assert new_pin.isdigit() and new_pin != received.pin
    for expected in (
        "Mẫu số 01",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {code}",
        "Nguyễn Thị Mai",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "3 ngày làm việc",
        "09 giờ 00 phút, ngày 02/03/2026",
        "09 giờ 00 phút, ngày 05/03/2026",
        f"/tra-cuu-ho-so/?ma={code}",
        "Phạm Thị Lan",
    ):
        assert expected in text, expected
    assert any("Liberation" in f or "DejaVu" in f or "Times" in f for f in fonts(response))
    # The reprint's PIN opens the dossier; the intake's no longer does.
    assert services.pin_matches(Dossier.objects.get(code=code), new_pin)
    assert not services.pin_matches(Dossier.objects.get(code=code), received.pin)
    # Reading the form prints no PIN, whatever the address says: no PIN can be tried through it.
    plain = pdf_text(desk.get(f"/api/v1/dossiers/{code}/forms/01", {"pin": new_pin}))
    assert new_pin not in plain and "Mã tra cứu: đã cấp khi tiếp nhận" in plain


def test_a_slip_is_reprinted_only_by_the_receiving_desk_and_the_reprint_is_audited(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    for outsider in ("giamsat", "chuyenvien.doluong"):
        assert bearer(outsider).post(f"/api/v1/dossiers/{code}/slip").status_code in (403, 404)
    assert bearer("tiepnhan.doluong").post(f"/api/v1/dossiers/{code}/slip").status_code == 200
    entry = AuditRecord.objects.filter(action="dossier.pin_reissued").latest("pk")
    assert entry.actor.username == "tiepnhan.doluong"
    assert set(entry.after) == {"code"}  # the PIN itself is in no log


def test_a_slip_received_out_of_hours_says_when_the_legal_time_starts(user):
    desk = bearer("tiepnhan.doluong")
    evening = receive(user, at(3, 6, 18, 20), "X.HT.007")  # Friday evening
    text = pdf_text(desk.get(f"/api/v1/dossiers/{evening.dossier.code}/forms/01"))
    assert (
        "Thời hạn giải quyết được tính từ: 07 giờ 30 phút, ngày 09/03/2026 "
        "(nhận hồ sơ ngoài giờ làm việc)"
    ) in text
    late_in_day = receive(user, at(3, 2, 15, 30), "X.HT.001")  # in hours, after 15:00
    text = pdf_text(desk.get(f"/api/v1/dossiers/{late_in_day.dossier.code}/forms/01"))
    assert "07 giờ 30 phút, ngày 03/03/2026 (nhận hồ sơ sau giờ tiếp nhận trong ngày)" in text
    in_hours = receive(user, at(3, 2, 9), "X.HT.007")
    text = pdf_text(desk.get(f"/api/v1/dossiers/{in_hours.dossier.code}/forms/01"))
    assert "được tính từ" not in text


def test_each_form_exists_once_its_event_has_happened(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code = received.dossier.code
    desk = bearer("tiepnhan.doluong")
    assert desk.get(f"/api/v1/dossiers/{code}/forms/02").status_code == 404
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
    act(
        user,
        "chuyenvien.doluong",
        at(3, 3, 10),
        code,
        "request_supplement",
        note="Thiếu bản vẽ mặt bằng",
    )
    text = pdf_text(desk.get(f"/api/v1/dossiers/{code}/forms/02"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Thiếu bản vẽ mặt bằng" in text
    act(user, "tiepnhan.doluong", at(3, 4, 10), code, "withdraw", note="Công dân xin rút hồ sơ")
    text = pdf_text(desk.get(f"/api/v1/dossiers/{code}/forms/05"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Công dân xin rút hồ sơ" in text
    sheet = pdf_text(desk.get(f"/api/v1/dossiers/{code}/forms/06"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in sheet
    assert "Yêu cầu bổ sung hồ sơ" in sheet and "Hoàng Văn Kinh" in sheet
    assert desk.get(f"/api/v1/dossiers/{code}/forms/07").status_code == 422


def test_the_control_sheet_names_actions_and_people_as_the_form_does(user):
    code = receive(user, at(3, 2, 9), "X.XD.001").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    sheet = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}/forms/06"))
    for expected in (
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Trình lãnh đạo",
        "Phạm Thị Lan (Trung tâm Phục vụ hành chính công xã Đô Lương)",
        "Hoàng Văn Kinh (Phòng Kinh tế xã Đô Lương)",
    ):
        assert expected in sheet, expected
    for raw in ("forward", "submit", "receive", "tiepnhan.doluong", "chuyenvien.doluong"):
        assert raw not in sheet, raw


def test_the_control_sheet_lists_hand_overs_between_people_not_the_workers_notices(user):
    # the trial's sheet: a warning and the overdue marking, a forward by the desk officer and a
    # specialist who takes the dossier up and submits it
    received = receive(user, at(3, 2, 9), "X.XD.001").dossier
    code, due = received.code, received.due_at
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
    sweep(due - dt.timedelta(hours=2))  # the worker warns it is due soon
    sweep(due + dt.timedelta(hours=2))  # and marks it overdue
    kinh = user("chuyenvien.doluong")
    later = due + dt.timedelta(days=1)
    act(user, "chuyenvien.doluong", later, code, "assign", assignee=kinh)
    act(user, "chuyenvien.doluong", later + dt.timedelta(hours=1), code, "submit")
    events = Dossier.objects.get(code=code).events.values_list("action", flat=True)
    assert {"warned_due_soon", "marked_overdue"} <= set(events)
    sheet = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}/forms/06"))
    rows = sheet.split("Ghi chú", 1)[1]
    lan = "Phạm Thị Lan (Trung tâm Phục vụ hành chính công xã Đô Lương)"
    kinh_named = "Hoàng Văn Kinh (Phòng Kinh tế xã Đô Lương)"
    for absent in ("Hệ thống", "Cảnh báo", "quá hạn giải quyết"):
        assert absent not in rows, absent
    assert f"{lan} {kinh_named} Chuyển xử lý" in rows  # the desk hands it to the specialist
    assert f"{kinh_named} Chuyển bước (cùng người xử lý) Phân công xử lý" in rows
    assert f"{lan} {lan}" not in rows
    # nobody has acted on the submission yet: the agency in charge holds it
    assert f"{kinh_named} Phòng Kinh tế xã Đô Lương Trình lãnh đạo Quá hạn" in rows


def test_refusal_and_apology_letters(user):
    refused = receive(user, at(3, 2, 9), "X.XD.001").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), refused, "forward")
    act(
        user, "lanhdao.doluong", at(3, 3, 10), refused, "refuse", note="Đất không phù hợp quy hoạch"
    )
    desk = bearer("tiepnhan.doluong")
    # A refusal after appraisal is the competent agency's written answer, not form 03.
    text = pdf_text(desk.get(f"/api/v1/dossiers/{refused}/forms/tra-loi"))
    for expected in (
        "VĂN BẢN TRẢ LỜI",
        f"V/v từ chối giải quyết hồ sơ {refused}",
        "Kính gửi: Ông/Bà",
        "Đất không phù hợp quy hoạch",
        "ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG",
        "THỦ TRƯỞNG CƠ QUAN",
        "Đặng Văn Lương",
        "Luật Khiếu nại",
    ):
        assert expected in text, expected
    assert "Mẫu số 03" not in text and "PHIẾU TỪ CHỐI" not in text
    assert desk.get(f"/api/v1/dossiers/{refused}/forms/03").status_code == 422
    late = receive(user, at(3, 2, 9), "X.XD.001").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), late, "forward")
    sweep(at(3, 19, 9))  # the worker drafts the apology two working days ahead
    draft = pdf_text(desk.get(f"/api/v1/dossiers/{late}/forms/04"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in draft
    assert "25/03/2026" in draft
    act(
        user,
        "lanhdao.doluong",
        at(3, 19, 10),
        late,
        "new_appointment",
        note="Cần xác minh thực địa",
        new_due_at=at(3, 27, 9),
    )
    signed = pdf_text(desk.get(f"/api/v1/dossiers/{late}/forms/04"))
    assert (
        "Cần xác minh thực địa" in signed and "27/03/2026" in signed and "Đặng Văn Lương" in signed
    )


def test_a_dossier_received_before_july_2025_uses_the_2018_numbering(user):
    # Such records come from the former system's data: no desk of today can receive them.
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    Dossier.objects.filter(code=code).update(received_at=at(6, 20, 9, year=2025))
    text = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}/forms/06"))
    assert "Mẫu số 05" in text


def test_the_log_book_lists_what_the_desk_received_in_the_period(user):
    first = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    receive(user, at(3, 9, 9), "X.HT.007")
    desk_agency = Agency.objects.get(code="17662.05.H40")
    desk = bearer("tiepnhan.doluong")
    text = pdf_text(
        desk.get(
            f"/api/v1/agencies/{desk_agency.pk}/log-book",
            {"since": "2026-03-01", "until": "2026-03-06"},
        )
    )
    assert "SỔ THEO DÕI HỒ SƠ" in text and first in text
    assert "260309" not in text
    bad = desk.get(
        f"/api/v1/agencies/{desk_agency.pk}/log-book",
        {"since": "2026-03-06", "until": "2026-03-01"},
    )
    assert bad.status_code == 422
    other = bearer("tiepnhan.vanhien").get(
        f"/api/v1/agencies/{desk_agency.pk}/log-book",
        {"since": "2026-03-01", "until": "2026-03-06"},
    )
    assert other.status_code == 404


def test_the_qr_code_leads_to_a_lookup_page_that_asks_for_the_pin(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    public = Client()
    page = public.get("/tra-cuu-ho-so/", {"ma": code}).content.decode()
    assert f'value="{code}"' in page
    found = public.post("/tra-cuu-ho-so/", {"code": code, "pin": received.pin}).content.decode()
    assert "Đã tiếp nhận, chờ chuyển xử lý" in found
    assert "040195012345" not in found and "Nguyễn Thị Mai" not in found
    wrong = public.post("/tra-cuu-ho-so/", {"code": code, "pin": "000000"}).content.decode()
    assert "Không có hồ sơ nào khớp" in wrong


def test_the_slips_qr_code_scans_to_the_lookup_page(user, tmp_path):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    response = bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}/forms/01")
    (tmp_path / "slip.pdf").write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "slip.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert scanned == f"http://testserver/tra-cuu-ho-so/?ma={code}"


def test_the_lookup_page_holds_back_guessing(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    public = Client(REMOTE_ADDR="10.9.1.1")
    for _ in range(5):
        assert (
            public.post(
                "/tra-cuu-ho-so/", {"code": received.dossier.code, "pin": "111111"}
            ).status_code
            == 404
        )
    blocked = public.post("/tra-cuu-ho-so/", {"code": received.dossier.code, "pin": received.pin})
    assert blocked.status_code == 429
    assert "Nhập sai quá nhiều lần" in blocked.content.decode()


def test_every_dossier_has_its_slip_and_control_sheet_and_the_others_follow_their_action():
    assert forms_of([]) == ["01", "06"]
    assert forms_of(["receive", "forward", "submit", "approve"]) == ["01", "06"]
    assert forms_of(["receive", "request_supplement", "supplement_received"]) == ["01", "02", "06"]
    taken = ["receive", "withdraw", "new_appointment", "refuse", "request_supplement"]
    assert forms_of(taken) == ["01", "02", "04", "05", "06", "tra-loi"]
    assert forms_of(iter(["refuse", "refuse"])) == ["01", "06", "tra-loi"]
    assert forms_of(["receive", "request_supplement", "closed_unsupplemented"]) == [
        "01",
        "02",
        "05",
        "06",
    ]


def test_a_slip_with_an_authorised_person_and_an_after_hours_note_fits_one_page(user):
    # the trial's slips: received after 15:00 (the legal time starts the next day), the result
    # collected by someone the applicant authorises, every contact filled in; a certification
    # whose name takes two lines, and a birth registration with three papers
    applicant = Applicant(
        name="Võ Thị Sen",
        id_number="040190007777",
        phone="0903123456",
        address="Xóm 5, xã Đô Lương, tỉnh Nghệ An",
        email="vothisen@example.vn",
    )
    authorised = Choice("desk", 1, "Nguyễn Văn Nam", "040090001234")
    desk = bearer("tiepnhan.doluong")
    for procedure in ("X.CT.001", "X.HT.001"):
        code = receive(
            user, at(12, 4, 15, 30), procedure, applicant=applicant, delivery=authorised
        ).dossier.code
        for response in (
            desk.post(f"/api/v1/dossiers/{code}/slip"),
            desk.get(f"/api/v1/dossiers/{code}/forms/01"),
        ):
            text = pdf_text(response)
            for line in (
                "(nhận hồ sơ sau giờ tiếp nhận trong ngày)",
                "Người được ủy quyền nhận kết quả: Nguyễn Văn Nam",
                f"/tra-cuu-ho-so/?ma={code}",
            ):
                assert line in text, line
            assert len(PdfReader(io.BytesIO(response.content)).pages) == 1, procedure


def test_the_printed_log_book_numbers_rows_as_the_screen_does(user):
    desk_agency = Agency.objects.get(code="17662.05.H40")
    unnumbered = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    # a dossier received before the book was numbered has no number, on screen or on paper
    Dossier.objects.filter(code=unnumbered).update(log_number=None, log_year=None)
    LogBookSequence.objects.filter(agency=desk_agency, year=2026).update(last=12344)
    numbered = receive(user, at(3, 2, 10), "X.HT.007").dossier.code
    query = {"desk": desk_agency.pk, "since": "2026-03-01", "until": "2026-03-06"}
    desk = client_for("tiepnhan.doluong")
    page = desk.get(reverse("desk:log_book"), query).content.decode()
    assert f'<td>—</td><td><a href="/desk/ho-so/{unnumbered}/">' in page
    text = pdf_text(desk.get(reverse("desk:log_book"), {**query, "format": "pdf"}))
    assert f"— {unnumbered}" in text  # not the row's place, "1"
    assert f"12345/2026 {numbered}" in text  # on one line, not "12345/202" over "6"
