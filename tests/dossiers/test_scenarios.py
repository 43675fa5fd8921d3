"""Dossiers walked through the rules of domain.md, with the clock set to the dates they name."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from haicap.core.models import AuditRecord
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier
from haicap.dossiers.selectors import get_dossier, visible_dossiers
from haicap.units.models import Agency

pytestmark = pytest.mark.django_db

CAL = WorkCalendar.national()
DO_LUONG_DESK = "17662.05.H40"
VAN_HIEN_DESK = "17677.05.H40"
CITIZEN = Applicant(name="Nguyễn Thị Mai", id_number="040195012345", phone="0912345678")


def at(month, day, hour=9, minute=0, year=2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def receive(user, when, national_code, desk=DO_LUONG_DESK, username="tiepnhan.doluong", **kw):
    with clock.fixed_at(when):
        return services.receive(
            user(username),
            procedure=Procedure.objects.get(national_code=national_code),
            receiving_agency=Agency.objects.get(code=desk),
            applicant=kw.pop("applicant", CITIZEN),
            **kw,
        )


DRAFT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(user, username, when, code, action, **kw) -> Dossier:
    with clock.fixed_at(when):
        if action == "submit" and "document_ids" not in kw:
            # submitting for approval needs the draft result: add one, as the specialist would
            draft = services.attach_document(
                user(username), code, "Dự thảo kết quả", SimpleUploadedFile("du-thao.pdf", DRAFT)
            )
            kw["document_ids"] = [draft.pk]
        if action == "return_result" and "collected_by" not in kw:
            kw["collected_by"] = CITIZEN  # the applicant collects it, as most do
        return services.act(user(username), code, action, **kw)


def result_ready(user) -> str:
    """A dossier received on Monday 2 March, decided and approved: its result waits at the desk."""
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    return code


def through_to_processing(user, received):
    code = received.dossier.code
    return act(user, "tiepnhan.doluong", received.dossier.clock_started_at, code, "forward")


# --- intake -----------------------------------------------------------------------------------


def test_a_dossier_gets_a_national_code_a_pin_and_its_due_moment(user):
    first = receive(user, at(3, 2, 9), "X.HT.007")  # 3 working days, no cut-off
    second = receive(user, at(3, 2, 10), "X.HT.007")
    assert first.dossier.code == "17662.05.H40-260302-0001"
    assert second.dossier.code == "17662.05.H40-260302-0002"
    assert len(first.pin) == 6 and first.pin.isdigit()
    assert first.dossier.due_at == at(3, 5, 9)
    # civil status is prepared by the Office of the People's Council and Committee
    assert first.dossier.competent_agency.code == "17662.02.H40"
    assert first.dossier.step == "received"
    assert [e.action for e in first.dossier.events.all()] == ["receive"]


def test_another_desk_numbers_its_own_dossiers_from_one(user):
    receive(user, at(3, 2, 9), "X.HT.007")
    other = receive(user, at(3, 2, 9), "X.HT.007", desk=VAN_HIEN_DESK, username="tiepnhan.vanhien")
    assert other.dossier.code == "17677.05.H40-260302-0001"


def test_received_after_the_cut_off_counts_from_the_next_working_day(user):
    received = receive(user, at(3, 2, 16), "X.HT.001")  # birth registration: 1 day, 15:00 cut-off
    assert received.dossier.clock_started_at == at(3, 3, 7, 30)
    assert received.dossier.due_at == at(3, 3, 17, 30)


def test_received_at_night_by_post_starts_the_next_morning(user):
    received = receive(user, at(3, 2, 21, 40), "X.HT.007", channel="post")
    assert received.dossier.clock_started_at == at(3, 3, 7, 30)
    assert received.dossier.due_at == at(3, 6, 7, 30) - dt.timedelta(hours=14)  # Thu 17:30


def test_a_period_spanning_tet_skips_the_holidays(user):
    received = receive(user, at(2, 13, 10), "X.HT.007")
    assert received.dossier.due_at == at(2, 25, 10)


def test_a_dossier_filed_today_is_not_overdue(user):
    received = receive(user, at(3, 2, 9), "X.HT.001")
    with clock.fixed_at(at(3, 2, 17)):
        assert (
            not visible_dossiers(user("tiepnhan.doluong"))
            .filter(due_at__lt=clock.now(), finished_at__isnull=True, pk=received.dossier.pk)
            .exists()
        )


def test_a_provincial_procedure_goes_to_its_department_from_any_desk(user):
    received = receive(user, at(3, 2, 9), "T.TP.001")  # criminal record certificate
    assert received.dossier.competent_agency.name == "Sở Tư pháp"
    assert get_dossier(user("chuyenvien.sotuphap"), received.dossier.code)


def test_a_commune_procedure_received_at_the_provincial_centre_names_its_commune(user):
    with pytest.raises(InvalidInput, match="Hãy chọn xã"):
        receive(user, at(3, 2, 9), "X.HT.001", desk="000.02.00.H40", username="tiepnhan.tinh")


def test_only_an_intake_officer_of_that_desk_receives(user):
    with pytest.raises(PermissionDenied):
        receive(user, at(3, 2, 9), "X.HT.001", username="chuyenvien.doluong")
    with pytest.raises(PermissionDenied):
        receive(user, at(3, 2, 9), "X.HT.001", desk=VAN_HIEN_DESK)


def test_bad_applicant_details_are_refused_with_the_field_named(user):
    for applicant, field in (
        (Applicant(name="", id_number="040195012345"), "name"),
        (Applicant(name="A", id_number="04019501234"), "id_number"),
        (Applicant(name="A", id_number="999195012345"), "id_number"),
        (Applicant(name="A", id_number="040195012345", phone="12345"), "phone"),
        (Applicant(name="A", business_code="12345"), "business_code"),
    ):
        with pytest.raises(InvalidInput, match=f"^{field}:"):
            receive(user, at(3, 2, 9), "X.HT.001", applicant=applicant)
    assert not Dossier.objects.exists()


def test_a_back_dated_receipt_needs_a_reason_and_is_audited(user):
    with pytest.raises(InvalidInput):
        receive(user, at(3, 3, 9), "X.HT.007", received_at=at(3, 2, 9))
    with pytest.raises(InvalidInput):
        receive(user, at(3, 3, 9), "X.HT.007", received_at=at(3, 4, 9), backdate_reason="x")
    with pytest.raises(InvalidInput):
        receive(user, at(5, 3, 9), "X.HT.007", received_at=at(3, 2, 9), backdate_reason="x")
    received = receive(
        user, at(3, 3, 9), "X.HT.007", received_at=at(3, 2, 9), backdate_reason="mất điện"
    )
    assert received.dossier.due_at == at(3, 5, 9)
    record = AuditRecord.objects.get(action="dossier.received", object_id=str(received.dossier.pk))
    assert record.after["backdate_reason"] == "mất điện"
    assert CITIZEN.id_number not in str(record.after)


def test_a_retried_intake_with_the_same_key_gives_the_same_dossier(user):
    first = receive(user, at(3, 2, 9), "X.HT.001", idempotency_key="k-1")
    again = receive(user, at(3, 2, 9), "X.HT.001", idempotency_key="k-1")
    assert again.dossier.pk == first.dossier.pk
    assert Dossier.objects.count() == 1


# --- processing --------------------------------------------------------------------------------


def test_the_happy_path_to_a_result_on_time(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    dossier = act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    assert dossier.step == "processing"
    # its own budget, 0.6 of 3 working days = 14.4 h from Monday 09:30: 6 h on Monday,
    # 8 h on Tuesday, the last 24 minutes on Wednesday morning
    assert dossier.step_due_at == at(3, 4, 7, 54)
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    dossier = act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    assert (dossier.step, dossier.timeliness) == ("result_ready", "on_time")
    assert dossier.finished_at == at(3, 5, 8)
    dossier = act(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result")
    assert (dossier.step, dossier.outcome, dossier.timeliness) == (
        "returned",
        "returned",
        "on_time",
    )
    assert [e.action for e in dossier.events.all()] == [
        "receive",
        "forward",
        "submit",
        "approve",
        "return_result",
    ]


def test_handing_the_result_back_records_who_collected_it(user):
    code = result_ready(user)
    for nobody in (None, Applicant(name=" "), Applicant(name="Lê Văn Nam")):
        with pytest.raises(InvalidInput, match="họ tên và số định danh"):
            act(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result", collected_by=nobody)
    with pytest.raises(InvalidInput, match="12 chữ số"):
        act(
            user,
            "tiepnhan.doluong",
            at(3, 6, 8),
            code,
            "return_result",
            collected_by=Applicant(name="Lê Văn Nam", id_number="0401"),
        )
    assert Dossier.objects.get(code=code).step == "result_ready"  # nothing half-done
    # Lê Văn Nam is no one form 01 names: the result is not his to take
    collector = Applicant(name="Lê Văn Nam", id_number="040090001234")
    with pytest.raises(InvalidInput, match="người được ủy quyền"):
        act(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result", collected_by=collector)
    Dossier.objects.filter(code=code).update(
        authorised_name="Lê Văn Nam", authorised_id_number="040090001234"
    )
    act(user, "tiepnhan.doluong", at(3, 6, 8, 15), code, "return_result", collected_by=collector)
    event = Dossier.objects.get(code=code).events.get(action="return_result")
    assert event.data["collected_by"] == {"name": "Lê Văn Nam", "id_number": "040090001234"}
    assert event.at == at(3, 6, 8, 15)
    audit = AuditRecord.objects.filter(action="dossier.return_result").latest("id")
    assert "040090001234" not in str(audit.after)  # the log keeps it masked
    assert audit.after["collected_by"]["name"] == "Lê Văn Nam"


def test_finishing_a_day_early_is_early_and_after_the_due_moment_is_late(user):
    early = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    late = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    for code in (early, late):
        act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
        act(user, "chuyenvien.doluong", at(3, 2, 11), code, "submit")
    assert act(user, "lanhdao.doluong", at(3, 4, 16), early, "approve").timeliness == "early"
    dossier = act(user, "lanhdao.doluong", at(3, 5, 9, 1), late, "approve")
    assert dossier.timeliness == "late"
    assert dossier.late_agency.code == "17662.02.H40"


def test_a_supplement_request_stops_the_clock_and_the_full_time_restarts(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")  # building permit: 15 working days
    code = received.dossier.code
    through_to_processing(user, received)
    dossier = act(
        user, "chuyenvien.doluong", at(3, 4, 10), code, "request_supplement", note="Thiếu bản vẽ"
    )
    assert dossier.paused_at == at(3, 4, 10)
    # while the applicant completes it, the dossier is not running late
    dossier = act(user, "tiepnhan.doluong", at(4, 1, 9), code, "supplement_received")
    assert dossier.paused_at is None
    assert dossier.clock_started_at == at(4, 1, 9)
    assert dossier.due_at == at(4, 22, 9)  # 15 working days from Wednesday 1/4
    with pytest.raises(PermissionDenied):
        act(user, "chuyenvien.doluong", at(4, 2, 9), code, "request_supplement", note="Lần hai")


def test_a_supplement_is_requested_within_three_working_days_of_receipt_or_not_at_all(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code = received.dossier.code
    through_to_processing(user, received)
    with pytest.raises(PermissionDenied):  # Thursday 10:00 is 3 working days and 1 hour later
        act(user, "chuyenvien.doluong", at(3, 5, 10), code, "request_supplement", note="Muộn")
    act(user, "chuyenvien.doluong", at(3, 5, 8), code, "request_supplement", note="Kịp hạn")


def test_a_financial_obligation_pauses_the_clock_and_resumes_where_it_stopped(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code = received.dossier.code
    through_to_processing(user, received)
    before = Dossier.objects.get(code=code)
    assert before.due_at == at(3, 23, 9)  # 15 working days from Monday 2/3 09:00
    act(user, "chuyenvien.doluong", at(3, 6, 10), code, "request_payment", note="Nộp lệ phí")
    dossier = act(user, "tiepnhan.doluong", at(3, 10, 10), code, "payment_received")
    # Friday 10:00 to Tuesday 10:00 is two working days across a weekend: both deadlines move
    # by exactly that, so the step keeps what was left of its own budget too.
    assert dossier.due_at == at(3, 25, 9)
    assert dossier.step_due_at == CAL.advance(before.step_due_at, 2 * CAL.day_micros)


def test_a_pause_taken_after_the_due_moment_keeps_the_dossier_late(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")  # due Thursday 5/3 09:00
    code = received.dossier.code
    through_to_processing(user, received)
    act(user, "chuyenvien.doluong", at(3, 6, 10), code, "request_payment", note="Nộp lệ phí")
    act(user, "tiepnhan.doluong", at(3, 6, 19), code, "payment_received")  # paid in the evening
    dossier = Dossier.objects.get(code=code)
    # Friday 10:00 to the close at 17:30 is 5 h 30 min of paused working time, added to the
    # due moment Thursday 09:00: 2 h 30 min that morning, 3 h that afternoon
    assert dossier.due_at == at(3, 5, 16, 30)
    act(user, "chuyenvien.doluong", at(3, 9, 9), code, "submit")
    assert act(user, "lanhdao.doluong", at(3, 9, 10), code, "approve").timeliness == "late"


def test_each_step_is_judged_against_its_own_budget(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")  # 3 working days: 0.1 / 0.6 / 0.3
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")  # within its 2.4 h
    act(user, "chuyenvien.doluong", at(3, 4, 11), code, "submit")  # after its 14.4 h
    events = dict(Dossier.objects.get(code=code).events.values_list("action", "data"))
    assert events["forward"]["step_timeliness"] == "on_time"
    assert events["submit"]["step_timeliness"] == "late"


def test_an_inter_tier_transfer_hands_the_dossier_to_the_department(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    through_to_processing(user, received)
    justice = Agency.objects.get(name="Sở Tư pháp")
    with pytest.raises(InvalidInput):
        act(user, "chuyenvien.doluong", at(3, 2, 10), code, "transfer", note="Liên thông")
    dossier = act(
        user,
        "chuyenvien.doluong",
        at(3, 2, 10),
        code,
        "transfer",
        note="Liên thông",
        target_agency=justice,
    )
    assert dossier.competent_agency == justice
    assert get_dossier(user("chuyenvien.sotuphap"), code).competent_agency == justice
    assert get_dossier(user("tiepnhan.doluong"), code)  # the desk that received it still follows it
    act(user, "chuyenvien.sotuphap", at(3, 3, 9), code, "submit")
    event = dossier.events.get(action="transfer")
    assert (event.agency, event.note) == (justice, "Liên thông")


def test_an_apology_and_one_new_appointment_before_the_due_moment(user):
    # 15 working days from Monday 2/3/2026 09:00 is Monday 23/3 09:00; form 04 may go out
    # until the close of the last working day before that day: Friday 20/3 17:30.
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code = received.dossier.code
    through_to_processing(user, received)
    legal_due = Dossier.objects.get(code=code).due_at
    assert legal_due == at(3, 23, 9)
    with pytest.raises(InvalidInput, match="17:30 20/03/2026"):
        act(
            user,
            "lanhdao.doluong",
            at(3, 20, 17, 31),  # one minute too late, though a working day remains in hours
            code,
            "new_appointment",
            note="Cần xác minh",
            new_due_at=legal_due + dt.timedelta(days=5),
        )
    dossier = act(
        user,
        "lanhdao.doluong",
        at(3, 20, 17, 30),  # the last moment
        code,
        "new_appointment",
        note="Cần xác minh thực địa",
        new_due_at=legal_due + dt.timedelta(days=5),
    )
    assert dossier.appointment_at == legal_due + dt.timedelta(days=5)
    assert dossier.due_at == legal_due  # the law's deadline does not move
    assert dossier.late_agency.code == "17662.03.H40"  # the Economic Office handles permits
    with pytest.raises(PermissionDenied):  # once only
        act(
            user,
            "lanhdao.doluong",
            at(3, 20, 17, 30),
            code,
            "new_appointment",
            note="Lần nữa",
            new_due_at=legal_due + dt.timedelta(days=9),
        )


def test_no_apology_is_possible_for_a_same_day_procedure_on_its_day(user):
    # Certification of a copy, received Monday 2/3/2026 09:00: due that day at 17:30; the last
    # working day before it is Friday 27/2, already past.
    received = receive(user, at(3, 2, 9), "X.CT.001")
    assert received.dossier.due_at == at(3, 2, 17, 30)
    through_to_processing(user, received)
    with pytest.raises(InvalidInput, match="17:30 27/02/2026"):
        act(
            user,
            "lanhdao.doluong",
            at(3, 2, 10),
            received.dossier.code,
            "new_appointment",
            note="Cần xác minh",
            new_due_at=at(3, 4, 17, 30),
        )


def test_refusal_and_withdrawal_need_reasons_and_close_the_dossier(user):
    refused = receive(user, at(3, 2, 9), "X.HT.007")
    through_to_processing(user, refused)
    with pytest.raises(InvalidInput):
        act(user, "lanhdao.doluong", at(3, 2, 10), refused.dossier.code, "refuse")
    dossier = act(
        user,
        "lanhdao.doluong",
        at(3, 2, 10),
        refused.dossier.code,
        "refuse",
        note="Không đủ điều kiện",
    )
    assert (dossier.outcome, dossier.timeliness) == ("refused", "early")
    withdrawn = receive(user, at(3, 2, 9), "X.HT.007")
    dossier = act(
        user,
        "tiepnhan.doluong",
        at(3, 2, 11),
        withdrawn.dossier.code,
        "withdraw",
        note="Công dân rút hồ sơ",
    )
    assert (dossier.outcome, dossier.timeliness, dossier.finished_at) == (
        "withdrawn",
        "",
        at(3, 2, 11),
    )


def test_officers_act_only_within_their_roles_and_their_commune(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    with pytest.raises(PermissionDenied):
        act(user, "chuyenvien.doluong", at(3, 2, 10), code, "forward")  # not a desk officer
    with pytest.raises(NotFound):
        act(user, "tiepnhan.vanhien", at(3, 2, 10), code, "forward")  # another commune
    with pytest.raises(NotFound):
        get_dossier(user("tiepnhan.vanhien"), code)
    with pytest.raises(PermissionDenied):
        act(user, "giamsat", at(3, 2, 10), code, "forward")  # supervisors only read
    assert get_dossier(user("giamsat"), code)


def test_a_stale_version_is_refused_and_a_retried_action_is_taken_once(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    with pytest.raises(Conflict):
        act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward", expected_version=7)
    first = act(
        user,
        "tiepnhan.doluong",
        at(3, 2, 10),
        code,
        "forward",
        expected_version=1,
        idempotency_key="a-1",
    )
    again = act(
        user,
        "tiepnhan.doluong",
        at(3, 2, 10),
        code,
        "forward",
        expected_version=1,
        idempotency_key="a-1",
    )
    assert first.version == again.version == 2
    assert again.events.filter(action="forward").count() == 1


def test_a_leader_assigns_the_dossier_to_a_specialist_of_the_agency(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    through_to_processing(user, received)
    with pytest.raises(InvalidInput):
        act(
            user, "lanhdao.doluong", at(3, 2, 10), code, "assign", assignee=user("tiepnhan.vanhien")
        )
    dossier = act(
        user, "lanhdao.doluong", at(3, 2, 10), code, "assign", assignee=user("chuyenvien.doluong")
    )
    assert dossier.assignee == user("chuyenvien.doluong")


def test_a_transfer_leaves_the_new_agency_to_assign_its_own_officer(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    through_to_processing(user, received)
    act(user, "lanhdao.doluong", at(3, 2, 10), code, "assign", assignee=user("chuyenvien.doluong"))
    justice = Agency.objects.get(name="Sở Tư pháp")
    dossier = act(
        user,
        "chuyenvien.doluong",
        at(3, 2, 11),
        code,
        "transfer",
        note="Liên thông",
        target_agency=justice,
    )
    assert dossier.assignee is None


def test_a_desk_of_another_commune_receives_but_only_the_deciding_commune_processes(user):
    # receipt regardless of boundaries: Văn Hiến's desk takes a dossier decided in Đô Lương
    from haicap.units.models import AdministrativeUnit

    received = receive(
        user,
        at(3, 2, 9),
        "X.HT.007",
        desk=VAN_HIEN_DESK,
        username="tiepnhan.vanhien",
        competent_unit=AdministrativeUnit.objects.get(code="17662"),
    )
    code = received.dossier.code
    assert received.dossier.competent_agency.code == "17662.02.H40"
    act(user, "tiepnhan.vanhien", at(3, 2, 10), code, "forward")  # the receiving desk hands over
    dossier = act(user, "chuyenvien.doluong", at(3, 3, 9), code, "submit")
    assert dossier.step == "approval"
    with pytest.raises(PermissionDenied):
        act(user, "tiepnhan.vanhien", at(3, 3, 10), code, "approve")


def test_a_time_without_a_zone_is_refused_by_the_service(user):
    with pytest.raises(InvalidInput):
        receive(
            user,
            at(3, 3, 9),
            "X.HT.007",
            received_at=dt.datetime(2026, 3, 2, 9),
            backdate_reason="x",
        )


def test_a_key_sent_again_with_another_assignee_or_collector_is_refused_not_taken(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    specialist = user("chuyenvien.doluong")
    act(
        user,
        "lanhdao.doluong",
        at(3, 2, 10),
        code,
        "assign",
        assignee=specialist,
        idempotency_key="a-1",
    )
    # the same request again is a retry; the same key naming another officer is not
    act(
        user,
        "lanhdao.doluong",
        at(3, 2, 10, 1),
        code,
        "assign",
        assignee=specialist,
        idempotency_key="a-1",
    )
    with pytest.raises(IdempotencyKeyReused):
        act(
            user,
            "lanhdao.doluong",
            at(3, 2, 10, 2),
            code,
            "assign",
            assignee=user("lanhdao.doluong"),
            idempotency_key="a-1",
        )
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")
    first = CITIZEN
    act(
        user,
        "tiepnhan.doluong",
        at(3, 6, 8),
        code,
        "return_result",
        collected_by=first,
        idempotency_key="r-1",
    )
    other = Applicant(name="Trần Thị Hoa", id_number="040190004321")
    with pytest.raises(IdempotencyKeyReused):
        act(
            user,
            "tiepnhan.doluong",
            at(3, 6, 8, 1),
            code,
            "return_result",
            collected_by=other,
            idempotency_key="r-1",
        )
    events = Dossier.objects.get(code=code).events
    assert events.filter(action="assign").count() == 1
    assert events.get(action="return_result").data["collected_by"]["name"] == "Nguyễn Thị Mai"


def test_a_collector_named_with_a_control_character_is_refused(user):
    code = result_ready(user)
    with pytest.raises(InvalidInput, match="collector_name"):
        act(
            user,
            "tiepnhan.doluong",
            at(3, 6, 8),
            code,
            "return_result",
            collected_by=Applicant(name="Lê\x01Văn Nam", id_number="040090001234"),
        )
    assert Dossier.objects.get(code=code).step == "result_ready"
