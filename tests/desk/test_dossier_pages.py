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
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db

DESK = "17662.05.H40"
BIRTH = "X.HT.001"  # Đăng ký khai sinh: within the day (after 15:00, the next), at the commune
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
    slip_url = reverse("desk:dossier_form", args=[dossier.code, "01"])
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        page = desk.get(response["Location"]).content.decode()
        assert "Hồ sơ đã được tiếp nhận" in page
        text = pdf_text(desk.get(slip_url))
    pin = text.split("Mã tra cứu: ")[1][:6]
    assert dossier.code in text and services.pin_matches(dossier, pin)
    # The session keeps it sealed, not in plain text, and the slip shows it only for a while.
    assert pin not in str(dict(desk.session.items()))
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=31)):
        assert pin not in pdf_text(desk.get(slip_url))
    # another officer printing the slip gets it without the PIN
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        assert pin not in pdf_text(client_for("tiepnhan.doluong").get(slip_url))


def test_a_reprinted_slip_carries_a_new_pin_and_the_old_one_stops_working():
    desk = client_for("tiepnhan.doluong")
    with clock.fixed_at(MONDAY):
        desk.post(reverse("desk:intake"), intake_form())
    dossier = Dossier.objects.get(applicant_name="Nguyễn Thị Mai")
    slip_url = reverse("desk:dossier_form", args=[dossier.code, "01"])
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=1)):
        first = pdf_text(desk.get(slip_url)).split("Mã tra cứu: ")[1][:6]
    with clock.fixed_at(MONDAY + dt.timedelta(days=2)):
        other = client_for("tiepnhan.doluong")
        page = other.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
        assert 'data-testid="reprint-slip"' in page
        assert 'data-testid="confirm-reprint"' not in page
        # the first press only warns: nothing changes until the officer confirms
        asked = other.post(reverse("desk:reprint_slip", args=[dossier.code]))
        assert asked.status_code == 302
        dossier.refresh_from_db()
        assert services.pin_matches(dossier, first)
        warning = other.get(asked["Location"]).content.decode()
        confirm = warning[warning.index('data-testid="confirm-reprint"') :].split("</form>")[0]
        assert "In lại giấy tiếp nhận sẽ cấp mã tra cứu (PIN) mới." in confirm
        assert "đang giữ hết hiệu lực ngay" in confirm and 'name="confirm"' in confirm
        reprinted = other.post(
            reverse("desk:reprint_slip", args=[dossier.code]), {"confirm": "yes"}
        )
        assert reprinted.status_code == 302
        second = pdf_text(other.get(slip_url)).split("Mã tra cứu: ")[1][:6]
    dossier.refresh_from_db()
    assert services.pin_matches(dossier, second) and not services.pin_matches(dossier, first)
    # the first officer's session no longer prints the PIN the reprint replaced
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=2)):
        assert first not in pdf_text(desk.get(slip_url))
    # a supervisor reads the dossier but cannot reprint it
    supervisor = client_for("giamsat")
    page = supervisor.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert 'data-testid="reprint-slip"' not in page
    refused = supervisor.post(reverse("desk:reprint_slip", args=[dossier.code]), {"confirm": "yes"})
    assert refused.status_code == 403
    unconfirmed = supervisor.post(reverse("desk:reprint_slip", args=[dossier.code]))
    assert unconfirmed.status_code == 403
    dossier.refresh_from_db()
    assert services.pin_matches(dossier, second)


def pdf_text(response) -> str:
    return "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)


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


def test_the_procedure_named_comes_before_the_bundles_that_mention_it():
    page = client_for("tiepnhan.doluong").get(
        reverse("desk:procedure_matches"), {"procedure_search": "khai tu"}
    )
    body = page.content.decode()
    assert body.index("Đăng ký khai tử") < body.index("Liên thông đăng ký khai tử")


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
    # due at Monday's close: seen at 10:00, 1.5 + 4 working hours are left, shown as 5
    assert "còn 5 giờ" in page
    with clock.fixed_at(MONDAY + dt.timedelta(days=3)):
        late = desk.get(reverse("desk:home")).content.decode()
    assert "quá hạn 2 ngày 1 giờ" in late  # Tuesday, Wednesday and 07:30–09:00 Thursday


def test_the_dossier_page_says_when_the_clock_starts_for_a_receipt_out_of_hours(user):
    (evening,) = received(user, when=MONDAY.replace(hour=17, minute=45))
    (morning,) = received(user)
    desk = client_for("tiepnhan.doluong")
    page = desk.get(reverse("desk:dossier", args=[evening.code])).content.decode()
    assert "Nhận ngoài giờ làm việc: thời hạn giải quyết được tính từ 03/03/2026 07:30." in page
    assert (
        'data-testid="clock-start"'
        not in desk.get(reverse("desk:dossier", args=[morning.code])).content.decode()
    )


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


def at_approval(user, dossier: Dossier) -> str:
    """Forwarded, assigned and submitted with a draft: waiting for the leader's signature."""
    code = dossier.code
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        services.act(user("tiepnhan.doluong"), code, "forward")
        services.act(user("lanhdao.doluong"), code, "assign", assignee=user("chuyenvien.doluong"))
    act(user, "chuyenvien.doluong", MONDAY + dt.timedelta(minutes=10), code, "submit")
    return code


def queue_codes(username: str, when: dt.datetime) -> dict[str, str]:
    """Each queue's count and rows as the home page shows them."""
    with clock.fixed_at(when):
        page = client_for(username).get(reverse("desk:home")).content.decode()
    queues = {}
    for name in ("assigned", "unassigned", "approaching", "overdue", "ready", "approval"):
        section = page[page.index(f'id="queue-{name}"') :]
        queues[name] = section[: section.index("</section>")]
    return queues


def test_each_officer_finds_the_dossier_in_the_right_queue_as_it_moves(user):
    (dossier,) = received(user)
    code, soon = dossier.code, MONDAY + dt.timedelta(minutes=30)
    desk = queue_codes("tiepnhan.doluong", soon)
    assert code in desk["unassigned"] and code in desk["approaching"]
    assert code not in desk["assigned"] + desk["approval"] + desk["ready"]
    assert code not in "".join(queue_codes("chuyenvien.doluong", soon).values())

    at_approval(user, dossier)
    specialist = queue_codes("chuyenvien.doluong", soon)
    assert code not in "".join(specialist.values())  # it is the leader's now, not the assignee's
    leader = queue_codes("lanhdao.doluong", soon)
    assert code in leader["approval"]

    with clock.fixed_at(soon):
        services.act(user("lanhdao.doluong"), code, "approve")
    desk = queue_codes("tiepnhan.doluong", soon)
    assert code in desk["ready"]  # the result waits at the desk to be handed back, in its queue
    assert code not in desk["unassigned"] + desk["assigned"]  # not work to take up
    assert code not in desk["overdue"]  # its clock has stopped
    with clock.fixed_at(soon):
        home = client_for("tiepnhan.doluong").get(reverse("desk:home")).content.decode()
    assert "Kết quả chờ trả" in home and 'data-testid="count-ready"><strong>1<' in home
    assert code not in "".join(queue_codes("lanhdao.doluong", soon).values())


def test_the_leader_approves_from_the_approval_queue(user):
    code = at_approval(user, received(user)[0])
    leader = client_for("lanhdao.doluong")
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        assert code in leader.get(reverse("desk:approvals")).content.decode()
        response = leader.post(
            reverse("desk:approval_decide", args=[code]),
            {"decision": "approve", "version": Dossier.objects.get(code=code).version},
            headers={"HX-Request": "true"},
        )
    assert "Đã phê duyệt" in response.content.decode()
    assert Dossier.objects.get(code=code).step == "result_ready"


def test_submit_says_before_the_click_that_it_needs_the_draft_result(user):
    (dossier,) = received(user)
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=5)):
        services.act(user("tiepnhan.doluong"), dossier.code, "forward")
    specialist = client_for("chuyenvien.doluong")
    page = specialist.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    submit = page[: page.index(">Trình lãnh đạo</button>")]
    submit = submit[submit.rindex('<form class="action"') :]
    assert 'data-testid="needs-document"' in submit and "cần dự thảo kết quả" in submit
    assert "disabled" in submit[submit.rindex("<button") :]
    services.attach_document(
        user("chuyenvien.doluong"),
        dossier.code,
        "Dự thảo giấy khai sinh",
        SimpleUploadedFile("du-thao.pdf", PDF),
    )
    page = specialist.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    submit = page[: page.index(">Trình lãnh đạo</button>")]
    submit = submit[submit.rindex('<form class="action"') :]
    assert "Dự thảo giấy khai sinh" in submit and 'data-testid="needs-document"' not in submit
    assert "disabled" not in submit[submit.rindex("<button") :]


def test_the_leader_sees_the_draft_in_the_approval_queue(user):
    code = at_approval(user, received(user)[0])
    draft = Dossier.objects.get(code=code).documents.get()
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        page = client_for("lanhdao.doluong").get(reverse("desk:approvals")).content.decode()
    row = page[page.index(f">{code}<") :]
    cell = row[row.index('data-testid="draft"') : row.index("</tr>")]
    assert f"/api/v1/dossiers/{code}/documents/{draft.pk}" in cell and draft.name in cell


def test_returning_the_result_at_the_desk_records_who_collected_it(user):
    code = at_approval(user, received(user)[0])
    # the applicant authorised Lê Văn Nam on form 01
    Dossier.objects.filter(code=code).update(
        authorised_name="Lê Văn Nam", authorised_id_number="040090001234"
    )
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        services.act(user("lanhdao.doluong"), code, "approve")
    desk = client_for("tiepnhan.doluong")
    version = Dossier.objects.get(code=code).version
    with clock.fixed_at(MONDAY + dt.timedelta(hours=2)):
        page = desk.get(reverse("desk:dossier", args=[code])).content.decode()
        assert 'name="collector_name"' in page and 'name="collector_id_number"' in page
        refused = desk.post(
            reverse("desk:dossier_act", args=[code]),
            {"action": "return_result", "version": version, "collector_name": "Lê Văn Nam"},
        )
        assert refused.status_code == 422 and "họ tên và số định danh" in refused.content.decode()
        assert Dossier.objects.get(code=code).step == "result_ready"
        done = desk.post(
            reverse("desk:dossier_act", args=[code]),
            {
                "action": "return_result",
                "version": version,
                "collector_name": "Lê Văn Nam",
                "collector_id_number": "040090001234",
            },
        )
    body = done.content.decode()
    collected = body[body.index('data-testid="collected"') :].split("</dd>", 1)[0]
    assert "Lê Văn Nam (được ủy quyền)" in collected
    assert "040090001234" in collected and "02/03/2026 11:00" in collected
    supervisor = client_for("giamsat").get(reverse("desk:dossier", args=[code])).content.decode()
    assert "040090001234" not in supervisor and "Lê Văn Nam" in supervisor  # masked for them


def test_returning_for_rework_without_a_note_is_refused_and_shown(user):
    code = at_approval(user, received(user)[0])
    leader = client_for("lanhdao.doluong")
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        response = leader.post(
            reverse("desk:approval_decide", args=[code]),
            {"decision": "send_back", "note": " "},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422 and 'role="alert"' in response.content.decode()
        plain = leader.post(
            reverse("desk:approval_decide", args=[code]),
            {"decision": "send_back", "note": "Sai họ tên cha"},
            follow=True,
        )
    assert "Đã trả lại để xử lý lại" in plain.content.decode()  # without script: the queue again
    assert Dossier.objects.get(code=code).step == "processing"


def test_a_refused_action_comes_back_with_its_reason_in_the_panel(user):
    (dossier,) = received(user)
    desk = client_for("tiepnhan.doluong")
    services.act(user("tiepnhan.doluong"), dossier.code, "forward")
    stale = desk.post(
        reverse("desk:dossier_act", args=[dossier.code]),
        {"action": "forward", "version": 1},
        headers={"HX-Request": "true"},
    )
    body = stale.content.decode()
    assert stale.status_code == 409 and 'data-testid="action-error"' in body
    assert "<html" not in body  # the panel, which htmx swaps in (see htmx-config in base.html)


def test_a_supervisor_gets_the_slip_with_personal_data_masked(user):
    (dossier,) = received(user)
    slip = client_for("giamsat").get(reverse("desk:dossier_form", args=[dossier.code, "01"]))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(slip.content)).pages)
    assert dossier.code in text and "040195012345" not in text and "040******345" in text
    assert "no-store" in slip["Cache-Control"]
    officer = client_for("tiepnhan.doluong").get(
        reverse("desk:dossier_form", args=[dossier.code, "01"])
    )
    assert "040195012345" in "".join(
        p.extract_text() for p in PdfReader(BytesIO(officer.content)).pages
    )


def test_bad_numbers_and_dates_are_refused_without_a_server_error(user):
    (dossier,) = received(user)
    desk = client_for("tiepnhan.doluong")
    odd = desk.post(
        reverse("desk:dossier_act", args=[dossier.code]),
        {"action": "forward", "version": "²", "documents": ["²", "9" * 30]},
    )
    assert odd.status_code == 200  # a version it cannot read is no version: the move goes on
    far = desk.get(reverse("desk:dossier_list"), {"received_to": "9999-12-31"})
    assert far.status_code == 200 and "2000" in far.content.decode()
    assert desk.get(f"/desk/nop-truc-tuyen/{'9' * 30}/giay-to/1/").status_code == 404


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


@pytest.mark.parametrize(
    "username,page",
    [
        ("tiepnhan.doluong", "desk:home"),
        ("tiepnhan.doluong", "desk:dossier_list"),
        ("lanhdao.doluong", "desk:home"),
        ("lanhdao.doluong", "desk:approvals"),
    ],
)
def test_query_counts_do_not_grow_with_the_rows_shown(user, username, page):
    client = client_for(username)
    first = received(user, 3)
    at_approval(user, first[0])
    client.get(reverse(page))  # warm the session
    with clock.fixed_at(MONDAY + dt.timedelta(hours=1)), CaptureQueriesContext(connection) as few:
        shown_few = client.get(reverse(page)).content.decode().count("/desk/ho-so/17662")
    for dossier in first[1:]:
        at_approval(user, dossier)
    received(user, 4)
    with clock.fixed_at(MONDAY + dt.timedelta(hours=1)), CaptureQueriesContext(connection) as many:
        shown_many = client.get(reverse(page)).content.decode().count("/desk/ho-so/17662")
    assert shown_many > shown_few  # more rows on the page...
    assert len(many) == len(few)  # ...for the same queries


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
            reverse("desk:submission_decide", args=[submission.pk]),
            {"decision": "accept"},
            headers={"HX-Request": "true"},
        )
    dossier = Dossier.objects.get(submission=submission)
    assert dossier.code in accepted.content.decode()
    assert dossier.received_at == MONDAY and dossier.documents.count() == 1
    assert desk.get(url).status_code == 404  # no longer waiting: its papers are the dossier's


def test_the_queues_counted_together_count_exactly_what_each_queue_lists(user):
    from haicap.dossiers.selectors import counted_work_queues

    first, second, _untouched = received(user, 3)
    at_approval(user, first)
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        services.act(user("tiepnhan.doluong"), second.code, "forward")
    seen = {}
    for moment in (MONDAY + dt.timedelta(minutes=30), MONDAY + dt.timedelta(days=3)):
        warn_until = moment + dt.timedelta(days=1)
        for username in ("tiepnhan.doluong", "chuyenvien.doluong", "lanhdao.doluong", "giamsat"):
            queues, counts = counted_work_queues(user(username), moment, warn_until)
            assert counts == {name: queue.count() for name, queue in queues.items()}
            seen[username, moment] = counts
    assert seen["lanhdao.doluong", MONDAY + dt.timedelta(minutes=30)]["approval"] == 1
    assert seen["tiepnhan.doluong", MONDAY + dt.timedelta(days=3)]["overdue"] >= 1


def test_the_queues_heads_read_in_one_query_are_each_queues_count_and_first_rows(
    user, django_assert_num_queries
):
    from haicap.desk.selectors import home_queues
    from haicap.dossiers.selectors import QUEUE_ROWS, counted_work_queues, queue_heads

    first, second, *_waiting = received(user, 7)
    received(user, QUEUE_ROWS - 4, MONDAY + dt.timedelta(minutes=5))  # more than a queue shows
    at_approval(user, first)
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        services.act(user("tiepnhan.doluong"), second.code, "forward")
    for moment in (MONDAY + dt.timedelta(minutes=30), MONDAY + dt.timedelta(days=3)):
        warn_until = moment + dt.timedelta(days=1)
        for username in ("tiepnhan.doluong", "chuyenvien.doluong", "lanhdao.doluong", "giamsat"):
            queues, counts = counted_work_queues(user(username), moment, warn_until)
            read_counts, heads = queue_heads(user(username), moment, warn_until)
            assert read_counts == counts
            assert {name: [d.code for d in rows] for name, rows in heads.items()} == {
                name: list(queue.values_list("code", flat=True)[:QUEUE_ROWS])
                for name, queue in queues.items()
            }
    _counts, heads = queue_heads(user("tiepnhan.doluong"), MONDAY, MONDAY + dt.timedelta(days=1))
    assert len(heads["unassigned"]) == QUEUE_ROWS  # cut at what the home shows
    # The whole home, whatever its rows: the scope, the calendar (for "approaching"), the
    # templates' steps, the communes' agencies, the queues, the rows' calendars (two), the
    # pending online submissions.
    for username, queries in (("tiepnhan.doluong", 8), ("chuyenvien.doluong", 7)):
        reader = user(username)
        with clock.fixed_at(MONDAY), django_assert_num_queries(queries):
            counts, rows, _pending = home_queues(reader, MONDAY)
        assert sum(counts.values()) > 0 and any(rows.values())


def test_the_history_names_each_officer_by_full_name_not_login(user):
    (dossier,) = received(user)
    page = client_for("tiepnhan.doluong").get(reverse("desk:dossier", args=[dossier.code]))
    history = page.content.decode().split("<ol", 1)[1]
    assert "<strong>Phạm Thị Lan</strong>" in history
    assert "tiepnhan.doluong" not in history


def test_a_back_dated_receipt_shows_when_it_was_received_and_why_it_was_entered_later():
    form = intake_form(received_at="2026-02-27T09:30", backdate_reason="Mất điện, nhận giấy")
    with clock.fixed_at(MONDAY):
        client_for("tiepnhan.doluong").post(reverse("desk:intake"), form)
    dossier = Dossier.objects.get(applicant_name="Nguyễn Thị Mai")
    with clock.fixed_at(MONDAY):
        page = client_for("tiepnhan.doluong").get(reverse("desk:dossier", args=[dossier.code]))
    note = page.content.decode().split('data-testid="backdate-reason">')[1].split("</span>")[0]
    assert "27/02/2026 09:30" in note and "Mất điện, nhận giấy" in note


def test_the_officer_records_the_choice_at_intake_and_a_result_sent_by_post(user):
    desk = client_for("tiepnhan.doluong")
    form = {
        "procedure": BIRTH,
        "desk": Agency.objects.get(code=DESK).pk,
        "name": "Trần Văn An",
        "id_number": "040195012345",
        "documents": [
            str(i) for i in range(len(Procedure.objects.get(national_code=BIRTH).documents))
        ],
        "result_delivery": "post",
        "result_sets": "2",
        "authorised_name": "Lê Văn Nam",
        "authorised_id_number": "",
    }
    with clock.fixed_at(MONDAY):
        refused = desk.post(reverse("desk:intake"), form)
        body = refused.content.decode()
        assert refused.status_code == 422
        assert "Trả kết quả qua bưu chính cần địa chỉ của người nộp." in body
        assert "Người được ủy quyền phải ghi cả họ tên và số định danh cá nhân." in body
        assert not Dossier.objects.exists()
        form |= {"address": "Xóm 3, xã Đô Lương", "authorised_id_number": "040090001234"}
        done = desk.post(reverse("desk:intake"), form)
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.result_delivery, dossier.result_sets, dossier.log_number) == ("post", 2, 1)
    assert (dossier.authorised_name, dossier.authorised_id_number) == ("Lê Văn Nam", "040090001234")
    page = desk.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    shown = page[page.index('data-testid="delivery"') :].split("</dd>", 1)[0]
    # one dossier's page, yet the authorised person is a third party: masked
    assert "2 bộ" in shown and "1/2026" in shown and "040******234" in shown
    assert "040090001234" not in page
    code = at_approval(user, dossier)
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        services.act(user("lanhdao.doluong"), code, "approve")
    version = Dossier.objects.get(code=code).version
    with clock.fixed_at(MONDAY + dt.timedelta(hours=2)):
        sent = desk.post(
            reverse("desk:dossier_act", args=[code]),
            {
                "action": "return_result",
                "version": version,
                "returned_via": "post",
                "tracking_number": "EB123456789VN",
            },
        )
    body = sent.content.decode()
    collected = body[body.index('data-testid="collected"') :].split("</dd>", 1)[0]
    assert "Gửi qua bưu chính" in collected and "02/03/2026 11:00" in collected
    assert "EB123456789VN" not in collected  # no person: the number has its own label
    assert '<dt>Số hiệu bưu gửi</dt><dd data-testid="tracking-number">EB123456789VN</dd>' in body


def test_the_log_book_page_lists_the_desks_book_and_prints_it(user):
    first, second = received(user, 2)
    desk = client_for("tiepnhan.doluong")
    agency = Agency.objects.get(code=DESK)
    query = {"desk": agency.pk, "since": "2026-03-01", "until": "2026-03-31"}
    page = desk.get(reverse("desk:log_book"), query).content.decode()
    table = page[page.index('data-testid="log-book"') :]
    assert table.index(first.code) < table.index(second.code)
    assert "1/2026" in table and "2/2026" in table
    sheet = desk.get(reverse("desk:log_book"), {**query, "export": "xlsx"})
    rows = list(load_workbook(BytesIO(sheet.content)).active.values)
    assert rows[0][:2] == ("Số sổ", "Mã hồ sơ") and rows[0][-1] == "Ký nhận"
    assert [r[:2] for r in rows[1:]] == [("1/2026", first.code), ("2/2026", second.code)]
    pdf = desk.get(reverse("desk:log_book"), {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    reversed_period = desk.get(reverse("desk:log_book"), {**query, "since": "2026-04-01"})
    assert reversed_period.status_code == 422
    assert "ngày kết thúc sau ngày bắt đầu" in reversed_period.content.decode()
    other = client_for("tiepnhan.vanhien").get(reverse("desk:log_book"), query)
    assert first.code not in other.content.decode()  # another commune's officer reads none


def test_the_log_book_opens_on_the_officers_own_desk_with_its_dates_in_the_date_boxes(user):
    (first,) = received(user, 1, dt.datetime(2026, 12, 3, 9, 0, tzinfo=VIETNAM))
    desk = client_for("tiepnhan.doluong")  # also sees the provincial centre's book
    with clock.fixed_at(dt.datetime(2026, 12, 7, 10, 0, tzinfo=VIETNAM)):
        page = desk.get(reverse("desk:log_book")).content.decode()
    own = Agency.objects.get(code=DESK)
    assert f'<option value="{own.pk}" selected>' in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Nghệ An" in page  # offered, not chosen
    assert first.code in page[page.index('data-testid="log-book"') :]
    # a date box takes its value as yyyy-mm-dd, whatever the language writes
    assert 'type="date" name="since" value="2026-12-01"' in page
    assert 'type="date" name="until" value="2026-12-07"' in page


def test_a_note_keeps_its_line_breaks_in_the_dossiers_history(user):
    (dossier,) = received(user)
    act(user, "tiepnhan.doluong", MONDAY + dt.timedelta(minutes=30), dossier.code, "forward")
    note = "1. Bản vẽ mặt bằng.\r\n2. Giấy tờ về đất."
    act(
        user,
        "chuyenvien.doluong",
        MONDAY + dt.timedelta(hours=1),
        dossier.code,
        "request_supplement",
        note=note,
    )
    page = client_for("tiepnhan.doluong").get(reverse("desk:dossier", args=[dossier.code]))
    assert "1. Bản vẽ mặt bằng.<br>2. Giấy tờ về đất." in page.content.decode()


def test_the_return_form_says_what_is_wrong_in_one_plain_sentence(user):
    code = at_approval(user, received(user)[0])
    with clock.fixed_at(MONDAY + dt.timedelta(minutes=20)):
        services.act(user("lanhdao.doluong"), code, "approve")
    desk = client_for("tiepnhan.doluong")
    version = Dossier.objects.get(code=code).version
    url = reverse("desk:dossier_act", args=[code])
    with clock.fixed_at(MONDAY + dt.timedelta(hours=2)):
        home = desk.get(reverse("desk:home")).content.decode()
        short_id = desk.post(
            url,
            {
                "action": "return_result",
                "version": version,
                "collector_name": "Trần Văn An",
                "collector_id_number": "0401950",
            },
        ).content.decode()
        bad_item = desk.post(
            url,
            {
                "action": "return_result",
                "version": version,
                "returned_via": "post",
                "tracking_number": "EB1",
            },
        ).content.decode()
    # decided within its day: the result waits, decided on time (not "finished": not returned)
    ready = home[home.index(code) :].split("</tr>", 1)[0]
    assert "đã giải quyết đúng hạn" in ready and "đã kết thúc" not in ready
    assert "Số định danh cá nhân của người nhận kết quả phải gồm 12 chữ số." in short_id
    assert "Số hiệu bưu gửi gồm 6 đến 30 chữ cái và chữ số, ví dụ EB123456789VN." in bad_item


def test_the_history_names_the_workers_notices_in_words(user):
    (dossier,) = received(user)
    sweep(dossier.due_at - dt.timedelta(hours=2))  # warned that it is due soon
    sweep(dossier.due_at + dt.timedelta(hours=2))  # marked overdue
    page = client_for("tiepnhan.doluong").get(reverse("desk:dossier", args=[dossier.code]))
    timeline = page.content.decode().split('data-testid="timeline"', 1)[1].split("</ol>")[0]
    assert "<strong>Hệ thống</strong> · Cảnh báo hồ sơ sắp đến hạn" in timeline
    assert "<strong>Hệ thống</strong> · Hồ sơ quá hạn giải quyết" in timeline
    for raw in ("worker", "warned_due_soon", "marked_overdue"):
        assert raw not in timeline, raw
