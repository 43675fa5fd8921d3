"""Filings online by one applicant for one procedure within minutes are each kept, the later
ones flagged as possible repeats of the one before; the desk's queue shows the flag."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import OnlineSubmission
from haicap.units.models import AdministrativeUnit, Agency
from tests.api.test_dossiers_api import bearer
from tests.conftest import client_for
from tests.portal.helpers import DO_LUONG_DESK, FILED_AT

pytestmark = pytest.mark.django_db

SON = Applicant(name="Hồ Văn Sơn", id_number="040190054321", phone="0987654321")
CENTRE = "000.02.00.H40"  # the provincial centre: another desk
VAN_HIEN_DESK = "17677.05.H40"


def file(
    minutes: float,
    procedure: str = "X.HT.007",
    applicant: Applicant = SON,
    desk: str = DO_LUONG_DESK,
) -> OnlineSubmission:
    """``applicant`` files ``procedure`` online ``minutes`` after the first filing."""
    with clock.fixed_at(FILED_AT + dt.timedelta(minutes=minutes)):
        return services.submit_online(
            procedure=Procedure.objects.get(national_code=procedure),
            desk=Agency.objects.get(code=desk),
            applicant=applicant,
            competent_unit=AdministrativeUnit.objects.get(code="17662"),
        ).submission


@pytest.fixture(autouse=True)
def ten_minutes(settings) -> None:
    settings.ONLINE_REPEAT_WINDOW_MINUTES = 10


def test_a_filing_within_the_window_is_kept_and_flagged_as_a_repeat_of_the_latest():
    first = file(0)
    second = file(4)
    third = file(13.5)  # 9.5 minutes after the second, 13.5 after the first
    assert OnlineSubmission.objects.count() == 3
    assert first.repeat_of is None
    assert second.repeat_of == first
    assert third.repeat_of == second


def test_the_window_ends_after_the_setting_s_minutes(settings):
    first = file(0)
    assert file(10).repeat_of == first  # exactly ten minutes: still within
    settings.ONLINE_REPEAT_WINDOW_MINUTES = 3
    later = file(13 + 1 / 60)  # three minutes and a second after the one before
    assert later.repeat_of is None


def test_another_procedure_or_another_applicant_is_no_repeat():
    file(0)
    assert file(1, procedure="X.HT.001").repeat_of is None
    other = Applicant(name="Phan Thị Ngọc", id_number="040195012345", phone="0912345678")
    assert file(2, applicant=other).repeat_of is None
    renamed = Applicant(name="Hồ Sơn", id_number=SON.id_number, phone="0911111111")
    assert file(3, applicant=renamed).repeat_of is not None  # the ID number decides, not the name


def test_an_enterprise_without_an_id_number_is_recognised_by_its_code():
    firm = Applicant(name="Công ty TNHH Sơn Hà", business_code="2901234567", phone="0987654321")
    first = file(0, applicant=firm)
    assert file(5, applicant=firm).repeat_of == first
    other_firm = Applicant(name="Công ty Khác", business_code="2907654321", phone="0987654321")
    assert file(6, applicant=other_firm).repeat_of is None


def test_a_filing_at_another_desk_is_not_flagged_with_a_reference_that_desk_may_not_see():
    file(0)
    elsewhere = file(2, desk=VAN_HIEN_DESK)
    assert elsewhere.repeat_of is None
    page = client_for("tiepnhan.vanhien").get(reverse("desk:submissions")).content.decode()
    assert 'data-testid="possible-repeat"' not in page
    assert file(3, desk=CENTRE).repeat_of is None


def row_of(page: str, submission: OnlineSubmission) -> str:
    start = page.index(f'id="submission-{submission.pk}"')
    return page[start : page.index("</tr>", start)]


def test_the_desk_queue_shows_the_flag_and_links_to_the_earlier_filing(user):
    first = file(0)
    second = file(3)
    desk = client_for("tiepnhan.doluong")
    page = desk.get(reverse("desk:submissions")).content.decode()
    assert 'data-testid="possible-repeat"' not in row_of(page, first)
    flagged = row_of(page, second)
    assert "Có thể nộp trùng với" in flagged
    assert f'<a href="#submission-{first.pk}">{first.reference}</a>' in flagged
    assert "nộp lúc 21:30 02/03/2026, Chờ bộ phận một cửa" in " ".join(flagged.split())

    with clock.fixed_at(FILED_AT + dt.timedelta(hours=11)):
        dossier = services.accept_submission(user("tiepnhan.doluong"), first.pk)
    page = desk.get(reverse("desk:submissions")).content.decode()
    dossier_url = reverse("desk:dossier", args=[dossier.code])
    assert f'<a href="{dossier_url}">{first.reference}</a>' in row_of(page, second)


def test_an_earlier_filing_returned_is_named_without_a_link(user):
    first = file(0)
    second = file(3)
    with clock.fixed_at(FILED_AT + dt.timedelta(hours=11)):
        services.return_submission(user("tiepnhan.doluong"), first.pk, "Thiếu tờ khai")
    page = client_for("tiepnhan.doluong").get(reverse("desk:submissions")).content.decode()
    flagged = " ".join(row_of(page, second).split())
    assert first.reference in flagged and "Trả lại để hoàn thiện" in flagged
    assert not re.search(rf"<a [^>]*>{first.reference}</a>", flagged)


def test_the_api_s_pending_list_names_the_earlier_filing():
    first = file(0)
    second = file(3)
    waiting = bearer("tiepnhan.doluong").get("/api/v1/submissions").json()
    assert [(w["reference"], w["repeat_of"]) for w in waiting] == [
        (first.reference, None),
        (second.reference, first.reference),
    ]
