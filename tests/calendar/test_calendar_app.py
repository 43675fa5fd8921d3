"""The calendar in the database and on the public API: declared changes, office hours, due dates."""

import datetime as dt

import pytest
from django.test import Client

from haicap.calendar import services
from haicap.calendar.models import CalendarChange
from haicap.calendar.selectors import calendar_for
from haicap.calendar.sessions import SessionsError, parse_sessions
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.units.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
DUE = "/api/v1/calendar/due"


def test_anybody_can_ask_for_a_due_date_without_signing_in():
    response = Client().get(DUE, {"start": "2026-03-02T10:00:00+07:00", "amount": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-03-05T10:00:00+07:00"
    assert body["clock_start"] == "2026-03-02T10:00:00+07:00"


def test_a_start_without_an_offset_is_read_as_vietnam_time():
    body = Client().get(DUE, {"start": "2026-03-02T22:00:00", "amount": 1}).json()
    assert body["clock_start"] == "2026-03-03T07:30:00+07:00"
    assert body["due_at"] == "2026-03-03T17:30:00+07:00"


def test_the_cut_off_and_hours_and_calendar_days_are_honoured():
    client = Client()
    after_cutoff = client.get(
        DUE,
        {
            "start": "2026-03-02T15:30:00+07:00",
            "amount": 4,
            "unit": "working_hours",
            "cutoff": "15:00",
        },
    ).json()
    assert after_cutoff["due_at"] == "2026-03-03T11:30:00+07:00"
    calendar_days = client.get(
        DUE, {"start": "2026-07-01T09:00:00+07:00", "amount": 105, "unit": "calendar_days"}
    ).json()
    assert calendar_days["due_at"] == "2026-10-14T17:30:00+07:00"


def test_a_declared_day_off_moves_the_due_date(user):
    services.declare_calendar_change(user("admin"), dt.date(2026, 3, 3), "day_off", "QĐ 12/UBND")
    body = Client().get(DUE, {"start": "2026-03-02T10:00:00+07:00", "amount": 3}).json()
    assert body["due_at"] == "2026-03-06T10:00:00+07:00"
    assert AuditRecord.objects.filter(action="calendar.changed", actor_label="admin").exists()
    services.withdraw_calendar_change(user("admin"), dt.date(2026, 3, 3))
    assert calendar_for().is_working_day(dt.date(2026, 3, 3))


def test_a_declared_make_up_saturday_is_worked(user):
    services.declare_calendar_change(
        user("admin"), dt.date(2026, 3, 7), "working_day", "làm bù cho ngày 3/3"
    )
    assert calendar_for().is_working_day(dt.date(2026, 3, 7))


def test_a_units_own_office_hours_are_used_when_its_code_is_given(user):
    mountain = AdministrativeUnit.objects.get(code="16822")  # xã Keng Đu
    services.set_office_hours(user("admin"), mountain, [["07:00", "11:00"], ["13:00", "17:00"]])
    body = (
        Client()
        .get(
            DUE,
            {
                "start": "2026-03-02T16:30:00+07:00",
                "amount": 1,
                "unit": "working_hours",
                "unit_code": "16822",
            },
        )
        .json()
    )
    assert body["due_at"] == "2026-03-03T07:30:00+07:00"


def test_unknown_units_and_bad_amounts_are_clear_errors():
    client = Client()
    missing = client.get(DUE, {"start": "2026-03-02T10:00:00", "amount": 1, "unit_code": "99999"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    for params in (
        {"start": "2026-03-02T10:00:00", "amount": -1},
        {"start": "2026-03-02T10:00:00", "amount": 1, "unit": "fortnights"},
        {"start": "not a date", "amount": 1},
        {"start": "2026-03-02T10:00:00", "amount": "1.5", "unit": "calendar_days"},
    ):
        response = client.get(DUE, params)
        assert response.status_code == 422, params
        assert response["Content-Type"] == "application/problem+json"


def test_only_a_system_administrator_changes_the_calendar(user):
    for username in ("giamsat", "quantri.doluong"):
        with pytest.raises(PermissionDenied):
            services.declare_calendar_change(user(username), dt.date(2026, 3, 3), "day_off", "x")
    with pytest.raises(InvalidInput):
        services.declare_calendar_change(user("admin"), dt.date(2026, 3, 3), "day_off", "  ")
    assert not CalendarChange.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "list of"),
        ([["07:30"]], "pair"),
        ([["7h30", "11:30"]], "HH:MM"),
        ([["11:30", "07:30"]], "ends before it starts"),
        ([["07:30", "12:00"], ["11:00", "17:00"]], "overlap"),
    ],
)
def test_bad_office_hours_are_refused(raw, message):
    with pytest.raises(SessionsError, match=message):
        parse_sessions(raw)


def test_office_hours_must_make_an_eight_hour_day():
    with pytest.raises(SessionsError, match="8 working hours, these sessions make 9"):
        parse_sessions([["07:00", "11:30"], ["13:00", "17:30"]])
    assert len(parse_sessions([["07:00", "11:00"], ["13:00", "17:00"]])) == 2


def test_a_date_beyond_the_calendar_is_a_422_not_a_crash():
    response = Client().get(DUE, {"start": "9999-12-31T10:00:00+07:00", "amount": 5})
    assert response.status_code == 422


# --- whole working days and provisional days ------------------------------------------------


def test_the_api_counts_whole_working_days_and_names_provisional_days():
    client = Client()
    same_day = client.get(
        DUE,
        {
            "start": "2026-03-02T09:00:00+07:00",
            "amount": 1,
            "unit": "whole_working_days",
            "cutoff": "15:00",
        },
    ).json()
    assert same_day["due_at"] == "2026-03-02T17:30:00+07:00"
    assert same_day["provisional_days"] == []
    across_culture_day = client.get(
        DUE,
        {"start": "2026-11-23T09:00:00+07:00", "amount": 2, "unit": "whole_working_days"},
    ).json()
    assert across_culture_day["due_at"] == "2026-11-25T17:30:00+07:00"
    assert across_culture_day["provisional_days"] == ["2026-11-24"]
    half = client.get(
        DUE,
        {"start": "2026-03-02T09:00:00+07:00", "amount": "1.5", "unit": "whole_working_days"},
    )
    assert half.status_code == 422
    assert half["Content-Type"].startswith("application/problem+json")


def test_an_administrator_confirms_or_removes_a_provisional_day(user):
    culture_day = dt.date(2026, 11, 24)
    admin = user("admin")
    services.review_provisional_day(admin, culture_day, "removed", "Chưa có văn bản của Chính phủ")
    assert calendar_for().is_working_day(culture_day)
    record = AuditRecord.objects.get(action="calendar.reviewed")
    assert record.actor_label == "admin"
    services.review_provisional_day(admin, culture_day, "confirmed", "Thông báo 123/TB-UBND")
    assert not calendar_for().is_working_day(culture_day)
    assert calendar_for().provisional_days_off(culture_day, culture_day) == []
    assert AuditRecord.objects.filter(action="calendar.reviewed").count() == 2


def test_only_a_provisional_day_is_confirmed_or_removed(user):
    with pytest.raises(InvalidInput, match="không phải ngày nghỉ tạm tính"):
        services.review_provisional_day(user("admin"), dt.date(2026, 9, 2), "removed", "x")
    with pytest.raises(InvalidInput, match="Chọn xác nhận hay bỏ"):
        services.review_provisional_day(user("admin"), dt.date(2026, 11, 24), "day_off", "x")
    with pytest.raises(InvalidInput):
        services.declare_calendar_change(user("admin"), dt.date(2026, 11, 24), "confirmed", "x")
    assert not CalendarChange.objects.exists()


def test_the_admin_page_shows_where_each_day_off_comes_from_and_settles_one(user):
    admin = user("admin")
    client = Client()
    client.force_login(admin)
    page = client.get("/desk/admin/workcalendar/calendarchange/days/", {"year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-date="2026-11-24"' in text
    rows = {row.split('data-date="')[1][:10]: row for row in text.split('<tr class="day-')[1:]}
    assert "80-NQ/TW" in rows["2026-11-24"]
    assert rows["2026-11-24"].startswith("provisional")
    assert rows["2026-08-31"].startswith("in_force")
    assert 'value="confirmed"' not in rows["2026-09-02"]  # the Labour Code's days are not settled
    response = client.post(
        "/desk/admin/workcalendar/calendarchange/days/?year=2026",
        {"date": "2026-11-24", "decision": "confirmed", "reason": "Thông báo 12/TB-UBND"},
    )
    assert response.status_code == 302
    change = CalendarChange.objects.get(date=dt.date(2026, 11, 24))
    assert (change.kind, change.reason) == ("confirmed", "Thông báo 12/TB-UBND")
    days = "/desk/admin/workcalendar/calendarchange/days/"
    again = client.get(days, {"year": 2026}).content.decode()
    assert 'class="day-confirmed" data-date="2026-11-24"' in again
    refused = client.post(
        "/desk/admin/workcalendar/calendarchange/days/?year=2026",
        {"date": "2026-09-02", "decision": "removed", "reason": "x"},
        follow=True,
    )
    assert "không phải ngày nghỉ tạm tính" in refused.content.decode()
    assert not CalendarChange.objects.filter(date=dt.date(2026, 9, 2)).exists()
