"""The desk's dossier pages: the work queue, intake, one dossier and its actions, lists."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db

DESK = "17662.05.H40"
BIRTH = "X.HT.001"  # Đăng ký khai sinh: 1 working day, at the commune
NAMES = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long"]
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)


def intake_form(**changes) -> dict:
    procedure = Procedure.objects.get(national_code=BIRTH)
    form = {
        "procedure": BIRTH,
        "desk": str(Agency.objects.get(code=DESK).pk),
        "name": "Nguyễn Thị Mai",
        "id_number": "040195012345",
        "phone": "0912345678",
        "documents": [str(i) for i in range(len(procedure.documents))],
    }
    return {**form, **changes}


def received(user, count: int = 1, when: dt.datetime = MONDAY) -> list[Dossier]:
    with clock.fixed_at(when):
        return [
            services.receive(
                user("tiepnhan.doluong"),
                procedure=Procedure.objects.get(national_code=BIRTH),
                receiving_agency=Agency.objects.get(code=DESK),
                applicant=Applicant(name=f"Trần Văn {NAMES[n]}", id_number="040195012345"),
            ).dossier
            for n in range(count)
        ]


def test_an_officer_receives_a_dossier_and_its_slip_carries_the_pin():
    desk = client_for("tiepnhan.doluong")
    with clock.fixed_at(MONDAY):
        response = desk.post(reverse("desk:intake"), intake_form())
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Nguyễn Thị Mai")
    assert response["Location"].startswith(reverse("desk:dossier", args=[dossier.code]))
    page = desk.get(response["Location"]).content.decode()
    assert "Hồ sơ đã được tiếp nhận" in page
    pin = desk.session["slip_pins"][dossier.code]
    slip = desk.get(reverse("desk:dossier_form", args=[dossier.code, "01"]))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(slip.content)).pages)
    assert dossier.code in text and pin in text
    # another officer reprinting the slip gets it without the PIN
    other = client_for("tiepnhan.doluong").get(
        reverse("desk:dossier_form", args=[dossier.code, "01"])
    )
    reprint = "".join(p.extract_text() for p in PdfReader(BytesIO(other.content)).pages)
    assert pin not in reprint


def test_a_wrong_citizen_id_is_refused_in_vietnamese_and_nothing_is_saved():
    with clock.fixed_at(MONDAY):
        response = client_for("tiepnhan.doluong").post(
            reverse("desk:intake"), intake_form(id_number="04019501234")
        )
    assert response.status_code == 422
    assert "Số định danh cá nhân gồm 12 chữ số" in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Nguyễn Thị Mai").exists()


def test_every_required_paper_must_be_checked():
    with clock.fixed_at(MONDAY):
        response = client_for("tiepnhan.doluong").post(
            reverse("desk:intake"), intake_form(documents=["0"])
        )
    assert response.status_code == 422
    assert "Phải đánh dấu đủ mọi giấy tờ" in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Nguyễn Thị Mai").exists()


def test_a_backdated_receipt_needs_a_reason():
    with clock.fixed_at(MONDAY):
        response = client_for("tiepnhan.doluong").post(
            reverse("desk:intake"), intake_form(received_at="2026-03-02T07:30")
        )
    assert response.status_code == 422
    assert not Dossier.objects.filter(applicant_name="Nguyễn Thị Mai").exists()
    with clock.fixed_at(MONDAY):
        response = client_for("tiepnhan.doluong").post(
            reverse("desk:intake"),
            intake_form(received_at="2026-03-02T07:30", backdate_reason="Mất điện sáng nay"),
        )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Nguyễn Thị Mai")
    assert dossier.received_at == dt.datetime(2026, 3, 2, 7, 30, tzinfo=VIETNAM)


def test_the_procedure_is_found_without_diacritics():
    desk = client_for("tiepnhan.doluong")
    page = desk.get(reverse("desk:procedure_matches"), {"procedure_search": "dang ky khai sinh"})
    assert "Đăng ký khai sinh" in page.content.decode()
    papers = desk.get(reverse("desk:procedure_papers"), {"procedure": BIRTH}).content.decode()
    assert "Giấy chứng sinh" in papers


def test_applicant_fields_are_checked_as_typed():
    desk = client_for("tiepnhan.doluong")
    url = reverse("desk:check_applicant")
    bad = desk.get(url, {"field": "phone", "name": "A", "id_number": "040195012345", "phone": "12"})
    assert "10 chữ số" in bad.content.decode()
    good = desk.get(url, {"field": "phone", "name": "A", "phone": "0912345678"})
    assert "error" not in good.content.decode()


def test_the_work_queue_counts_and_says_the_time_left_in_words(user):
    (dossier,) = received(user)
    desk = client_for("tiepnhan.doluong")
    with clock.fixed_at(MONDAY + dt.timedelta(hours=1)):
        page = desk.get(reverse("desk:home")).content.decode()
    assert dossier.code in page
    assert "còn 7 giờ" in page  # one working day from 09:00 Monday, seen at 10:00
    with clock.fixed_at(MONDAY + dt.timedelta(days=3)):
        late = desk.get(reverse("desk:home")).content.decode()
    assert "quá hạn 2 ngày" in late


def test_forwarding_from_the_dossier_page_moves_it_on_and_shows_in_the_history(user):
    (dossier,) = received(user)
    desk = client_for("tiepnhan.doluong")
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        response = desk.post(
            reverse("desk:dossier_act", args=[dossier.code]),
            {"action": "forward", "version": dossier.version},
            headers={"HX-Request": "true"},
        )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # only the panel is swapped
    assert "Đang thẩm định, xử lý" in body
    dossier.refresh_from_db()
    assert dossier.step == "processing"
    # the same click again, on the page as it was: refused, not applied twice
    again = desk.post(
        reverse("desk:dossier_act", args=[dossier.code]), {"action": "forward", "version": 1}
    )
    assert again.status_code == 409
    assert dossier.events.count() == 2


def test_a_commune_officer_cannot_open_another_communes_dossier(user):
    (dossier,) = received(user)
    other = client_for("tiepnhan.vanhien")
    assert other.get(reverse("desk:dossier", args=[dossier.code])).status_code == 404
    assert (
        other.post(
            reverse("desk:dossier_act", args=[dossier.code]), {"action": "forward", "version": 1}
        ).status_code
        == 404
    )
    assert dossier.code not in other.get(reverse("desk:dossier_list")).content.decode()


def test_the_leader_approves_from_the_approval_queue(user):
    (dossier,) = received(user)
    code = dossier.code
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        services.act(user("tiepnhan.doluong"), code, "forward")
        services.act(
            user("lanhdao.doluong"),
            code,
            "assign",
            assignee=user("chuyenvien.doluong"),
        )
    act(user, "chuyenvien.doluong", MONDAY + dt.timedelta(minutes=10), code, "submit")
    leader = client_for("lanhdao.doluong")
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        queue = leader.get(reverse("desk:approvals")).content.decode()
        assert code in queue
        response = leader.post(
            reverse("desk:approval_decide", args=[code]),
            {"decision": "approve", "version": Dossier.objects.get(code=code).version},
        )
    assert "Đã phê duyệt" in response.content.decode()
    assert Dossier.objects.get(code=code).step == "result_ready"


def test_the_list_filters_and_exports_with_personal_data_masked_for_a_supervisor(user):
    received(user, 2)
    officer = client_for("tiepnhan.doluong").get(
        reverse("desk:dossier_list"), {"q": "tran van binh", "export": "xlsx"}
    )
    rows = list(
        load_workbook(BytesIO(officer.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert len(rows) == 2 and rows[1][2] == "Trần Văn Bình" and rows[1][3] == "040195012345"
    supervisor = client_for("giamsat").get(reverse("desk:dossier_list"), {"export": "xlsx"})
    rows = list(
        load_workbook(BytesIO(supervisor.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 3 and all(
        row[3] != "040195012345" and row[3].endswith("345") for row in rows[1:]
    )


@pytest.mark.parametrize("page", ["desk:home", "desk:dossier_list", "desk:approvals"])
def test_query_counts_do_not_grow_with_the_rows_shown(user, page):
    client = client_for("tiepnhan.doluong")
    received(user, 1)
    client.get(reverse(page))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(page))
    received(user, 6)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(page))
    assert len(many) == len(few)


def test_the_dossier_page_costs_the_same_queries_however_long_its_history(user):
    short, long = received(user, 2)
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        services.act(user("tiepnhan.doluong"), long.code, "forward")
        services.act(user("chuyenvien.doluong"), long.code, "request_payment", note="Lệ phí")
        services.act(user("chuyenvien.doluong"), long.code, "payment_received")
        services.act(user("tiepnhan.doluong"), short.code, "forward")
    client = client_for("chuyenvien.doluong")
    client.get(reverse("desk:dossier", args=[short.code]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("desk:dossier", args=[short.code]))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("desk:dossier", args=[long.code])).content.decode()
    assert "Đã hoàn thành nghĩa vụ tài chính" in page  # the longer history is shown
    assert len(many) == len(few)


def test_the_desk_sees_an_online_submissions_papers_and_accepts_it():
    with clock.fixed_at(MONDAY):
        filed = services.submit_online(
            procedure=Procedure.objects.get(national_code=BIRTH),
            desk=Agency.objects.get(code=DESK),
            applicant=Applicant(name="Võ Thị Hạnh", id_number="040195012345"),
            uploads=[SimpleUploadedFile("to-khai.pdf", PDF)],
        )
    submission = filed.submission
    paper = submission.documents.get()
    desk = client_for("tiepnhan.doluong")
    listing = desk.get(reverse("desk:submissions")).content.decode()
    assert submission.reference in listing and "to-khai" in listing
    url = reverse("desk:submission_document", args=[submission.pk, paper.pk])
    assert b"".join(desk.get(url).streaming_content) == PDF
    assert client_for("tiepnhan.vanhien").get(url).status_code == 404
    with clock.fixed_at(MONDAY + dt.timedelta(hours=1)):
        accepted = desk.post(
            reverse("desk:submission_decide", args=[submission.pk]), {"decision": "accept"}
        )
    dossier = Dossier.objects.get(submission=submission)
    assert dossier.code in accepted.content.decode()
    assert dossier.received_at == MONDAY and dossier.documents.count() == 1
    assert desk.get(url).status_code == 404  # no longer waiting: its papers are the dossier's
