"""A stated time of receipt is bounded on every side, whatever way the dossier comes in."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.dossiers import receipt_time, services
from haicap.dossiers.models import Dossier
from haicap.dossiers.receipt_time import Problem
from haicap.units.models import Agency
from tests.api.test_dossiers_api import NEW_DOSSIER, bearer, post
from tests.conftest import client_for
from tests.desk.test_dossier_pages import intake_form
from tests.dossiers.test_scenarios import CITIZEN, at, receive

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=VIETNAM)
MONTH = dt.timedelta(days=30)
moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2027, 12, 31),
    timezones=st.just(VIETNAM),
)


@given(received=moments, desk=st.none() | moments, procedure=st.none() | moments)
def test_a_time_is_taken_exactly_when_it_breaks_no_bound(received, desk, procedure):
    found = receipt_time.problem(
        received, NOW, max_back=MONTH, desk_since=desk, procedure_since=procedure
    )
    within = (
        NOW - MONTH <= received <= NOW
        and (desk is None or received >= desk)
        and procedure is not None
        and received >= procedure
    )
    assert (found is None) == within
    if received > NOW:
        assert found is Problem.IN_THE_FUTURE
    elif NOW - received > MONTH:
        assert found is Problem.TOO_FAR_BACK


def test_a_time_without_its_zone_is_refused_first():
    naive = dt.datetime(2026, 3, 9, 9, 0)
    assert (
        receipt_time.problem(naive, NOW, max_back=MONTH, desk_since=None, procedure_since=None)
        is Problem.NO_TIME_ZONE
    )


pytestmark = pytest.mark.django_db
API_CHANNELS = ["desk", "online", "post"]


def api_intake(received_at: str, channel: str = "online", when: dt.datetime = NOW):
    body = {**NEW_DOSSIER, "channel": channel, "received_at": received_at}
    body["backdate_reason"] = "nhập lại hồ sơ giấy"
    with clock.fixed_at(when):
        return post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", body)


@pytest.mark.parametrize("channel", API_CHANNELS)
@pytest.mark.parametrize(
    ("received_at", "why"),
    [
        ("2021-05-04T09:00:00+07:00", "30"),  # years back, counted in a closed month's figures
        ("2026-02-01T09:00:00+07:00", "30"),  # just past the limit
        ("2026-03-10T11:00:00+07:00", "tương lai"),  # an hour ahead of now
    ],
)
def test_the_api_refuses_a_time_of_receipt_out_of_bounds_on_every_channel(
    channel, received_at, why
):
    response = api_intake(received_at, channel)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "receipt_time_refused"
    assert why in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_a_paper_receipt_entered_a_few_days_late_is_taken():
    response = api_intake("2026-03-05T09:00:00+07:00", "desk")
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().received_at == at(3, 5, 9)


def test_no_dossier_is_dated_before_its_desk_existed():
    # Ten days after the reform, a receipt dated before the commune's desk was set up.
    response = api_intake("2025-06-28T09:00:00+07:00", "desk", when=at(7, 8, 10, year=2025))
    assert response.status_code == 422, response.content
    assert "01/07/2025" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_no_dossier_is_dated_before_its_procedure_had_a_process_in_force():
    procedure = Procedure.objects.get(national_code=NEW_DOSSIER["procedure_code"])
    ProcessTemplate.objects.filter(code=procedure.template_code).update(
        published_at=at(7, 5, 0, year=2025)
    )
    response = api_intake("2025-07-03T09:00:00+07:00", "desk", when=at(7, 8, 10, year=2025))
    assert response.status_code == 422, response.content
    assert procedure.national_code in response.json()["detail"]


def test_a_back_dated_dossier_pins_the_version_in_force_when_it_was_received(user):
    procedure = Procedure.objects.get(national_code="X.HT.007")
    first = ProcessTemplate.objects.filter(code=procedure.template_code).latest("version")
    newer = ProcessTemplate.objects.create(
        code=first.code,
        version=first.version + 1,
        name=first.name,
        definition=first.definition,
        published_at=at(3, 6, 0),
    )
    earlier = receive(
        user, NOW, "X.HT.007", received_at=at(3, 5, 9), backdate_reason="giấy nhận hôm trước"
    )
    later = receive(user, NOW, "X.HT.007")
    assert earlier.dossier.template == first and later.dossier.template == newer


def test_the_desk_form_refuses_a_time_of_receipt_years_back_in_the_users_language():
    form = intake_form(received_at="2021-05-04T09:00", backdate_reason="nhập lại")
    with clock.fixed_at(NOW):
        response = client_for("tiepnhan.doluong").post(reverse("desk:intake"), form)
    assert response.status_code == 422
    assert "tối đa 30 ngày" in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_online_filing_left_waiting_past_the_limit_cannot_be_accepted_into_old_figures(user):
    with clock.fixed_at(at(1, 5, 9)):
        submitted = services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.007"),
            desk=Agency.objects.get(code="17662.05.H40"),
            applicant=CITIZEN,
            uploads=[SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
    with clock.fixed_at(NOW), pytest.raises(InvalidInput) as refused:
        services.accept_submission(user("tiepnhan.doluong"), submitted.submission.pk)
    assert refused.value.code == "receipt_time_refused"
    assert not Dossier.objects.exists()
