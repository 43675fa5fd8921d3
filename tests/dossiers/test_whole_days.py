"""Same-day procedures (whole working days) through intake, pauses, timeliness and the slip; and
due dates that cross a provisional day off. Worked out by hand on the 2026 calendar."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.calendar import services as calendar_services
from haicap.core import clock
from haicap.dossiers import national_forms
from haicap.dossiers.history import differences
from haicap.dossiers.selectors import provisional_days_of
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act, at, receive, through_to_processing

pytestmark = pytest.mark.django_db

COPY = "X.CT.001"  # certification of a copy: Decree 23/2015 Art. 7(1), 1 whole day, 15:00


def _finish(user, dossier, when: dt.datetime):
    code = dossier.code
    act(user, "chuyenvien.doluong", when, code, "submit")
    return act(user, "lanhdao.doluong", when, code, "approve")


def test_a_copy_received_in_the_morning_is_due_at_the_close_of_that_day(user):
    received = receive(user, at(3, 2, 9), COPY)
    dossier = received.dossier
    assert (dossier.legal_unit, dossier.legal_amount) == ("whole_working_days", 1)
    assert dossier.clock_started_at == at(3, 2, 9)
    assert dossier.due_at == at(3, 2, 17, 30)


def test_a_copy_received_after_15_is_due_at_the_close_of_the_next_working_day(user):
    received = receive(user, at(3, 6, 15, 30), COPY)  # a Friday
    assert received.dossier.clock_started_at == at(3, 9, 7, 30)
    assert received.dossier.due_at == at(3, 9, 17, 30)


def test_finished_by_the_close_is_on_time_and_after_it_late(user):
    on_time = receive(user, at(3, 2, 9), COPY)
    through_to_processing(user, on_time)
    assert _finish(user, on_time.dossier, at(3, 2, 17, 0)).timeliness == "on_time"
    late = receive(user, at(3, 3, 9), COPY)
    through_to_processing(user, late)
    assert _finish(user, late.dossier, at(3, 4, 8, 0)).timeliness == "late"


def test_a_pause_moves_a_same_day_limit_to_the_close_of_the_day_it_lands_on(user):
    # Due Monday 2/3 17:30. Waiting for the fee from 10:00 to 14:00 pauses 2 working hours
    # (10:00–11:30 and 13:30–14:00): 2 hours past Monday's close is Tuesday 09:30, and a
    # whole-day limit ends at that day's close, Tuesday 17:30.
    received = receive(user, at(3, 2, 9), COPY)
    code = received.dossier.code
    through_to_processing(user, received)
    act(user, "chuyenvien.doluong", at(3, 2, 10), code, "request_payment", note="Nộp lệ phí")
    dossier = act(user, "tiepnhan.doluong", at(3, 2, 14), code, "payment_received")
    assert dossier.due_at == at(3, 3, 17, 30)
    assert _finish(user, dossier, at(3, 3, 16, 0)).timeliness == "on_time"


def test_a_due_date_across_culture_day_is_provisional_on_the_desk_and_the_slip(user):
    # Monday 23/11/2026 16:00 is after 15:00; Tuesday 24/11 (Culture Day, a policy not yet in
    # the Labour Code) counts as a day off until the province confirms or removes it, so the
    # clock starts Wednesday 25/11 07:30 and the copy is due Wednesday 17:30.
    received = receive(user, at(11, 23, 16), COPY)
    dossier = received.dossier
    assert dossier.due_at == at(11, 25, 17, 30)
    assert provisional_days_of(dossier) == [dt.date(2026, 11, 24)]
    page = client_for("lanhdao.doluong").get(f"/desk/ho-so/{dossier.code}/").content.decode()
    assert 'data-testid="due-provisional"' in page
    assert "Tạm tính: 24/11/2026" in page
    slip = dict(national_forms.receipt_slip(dossier, "https://example.test/").facts)
    assert slip["Thời gian trả kết quả"] == (
        "17 giờ 30 phút, ngày 25/11/2026 (tạm tính: ngày nghỉ 24/11/2026 chưa được xác nhận)"
    )
    assert slip["Thời hạn giải quyết theo quy định"] == "Trong ngày làm việc"
    with clock.fixed_at(at(11, 23, 17)):
        calendar_services.review_provisional_day(
            user("admin"), dt.date(2026, 11, 24), "confirmed", "Thông báo 1/TB-UBND"
        )
    assert provisional_days_of(dossier) == []
    page = client_for("lanhdao.doluong").get(f"/desk/ho-so/{dossier.code}/").content.decode()
    assert 'data-testid="due-provisional"' not in page


def test_a_dossier_due_on_a_settled_calendar_is_not_provisional(user):
    received = receive(user, at(3, 2, 9), "X.XD.001")  # 15 working days, no holiday between
    assert provisional_days_of(received.dossier) == []
    slip = dict(national_forms.receipt_slip(received.dossier, "https://example.test/").facts)
    assert slip["Thời gian trả kết quả"] == "09 giờ 00 phút, ngày 23/03/2026"
    assert slip["Thời hạn giải quyết theo quy định"] == "15 ngày làm việc"


def test_a_two_day_whole_limit_is_written_with_its_first_day_counted():
    assert national_forms.legal_time(Decimal(2), "whole_working_days") == (
        "2 ngày làm việc (tính cả ngày tiếp nhận)"
    )


def test_rebuilding_a_same_day_dossier_from_its_events_gives_the_same_state(user):
    received = receive(user, at(3, 2, 9), COPY)
    code = received.dossier.code
    through_to_processing(user, received)
    act(user, "chuyenvien.doluong", at(3, 2, 10), code, "request_payment", note="Nộp lệ phí")
    dossier = act(user, "tiepnhan.doluong", at(3, 2, 14), code, "payment_received")
    assert dossier.due_at == at(3, 3, 17, 30)
    assert differences(dossier) == []
