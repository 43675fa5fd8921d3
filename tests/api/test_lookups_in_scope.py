"""What a request names by code or id is looked up within what its caller may see: an agency,
an officer or a desk out of reach is as unknown as one that does not exist."""

import pytest
from django.test import Client

from haicap.accounts.models import User
from haicap.accounts.selectors import active_officer
from tests.api.test_dossiers_api import NEW_DOSSIER, bearer, post
from tests.api.test_submissions_api import FILING

pytestmark = pytest.mark.django_db

VAN_HIEN_DESK = "17677.05.H40"
DO_LUONG_ECONOMIC_OFFICE = "17662.03.H40"


def detail(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["detail"]


def test_another_communes_desk_is_as_unknown_as_no_desk_at_all():
    client = bearer("tiepnhan.doluong")
    elsewhere = post(
        client, "/api/v1/dossiers", {**NEW_DOSSIER, "receiving_agency_code": VAN_HIEN_DESK}
    )
    nowhere = post(
        client, "/api/v1/dossiers", {**NEW_DOSSIER, "receiving_agency_code": "99999.05.H40"}
    )
    assert detail(elsewhere).replace(VAN_HIEN_DESK, "?") == detail(nowhere).replace(
        "99999.05.H40", "?"
    )


def test_staff_see_the_officers_of_the_agencies_they_see_and_no_one_else():
    commune_leader = User.objects.get(username="lanhdao.doluong")
    seen = set(User.objects.restrict(commune_leader).values_list("username", flat=True))
    assert {"chuyenvien.doluong", "tiepnhan.doluong", "lanhdao.doluong"} <= seen
    assert {"tiepnhan.tinh", "chuyenvien.sotuphap"} <= seen  # the province, above the commune
    assert "tiepnhan.vanhien" not in seen  # a sibling commune
    everyone = set(User.objects.values_list("username", flat=True))
    supervisor = User.objects.get(username="giamsat")
    assert set(User.objects.restrict(supervisor).values_list("username", flat=True)) == everyone
    assert not User.objects.restrict(None).exists()
    # One row per officer, however many memberships they hold.
    rows = list(User.objects.restrict(commune_leader).values_list("pk", flat=True))
    assert len(rows) == len(set(rows))


def test_an_officer_is_assigned_only_from_those_the_assigner_sees():
    leader = User.objects.get(username="lanhdao.doluong")
    assert active_officer(leader, username="chuyenvien.doluong").username == "chuyenvien.doluong"
    assert active_officer(leader, username="tiepnhan.vanhien") is None
    colleague = User.objects.get(username="chuyenvien.doluong")
    colleague.is_active = False
    colleague.save()
    assert active_officer(leader, pk=colleague.pk) is None
    assert active_officer(leader) is None


def test_a_citizen_files_only_at_a_one_stop_desk():
    not_a_desk = post(
        Client(), "/api/v1/public/submissions", {**FILING, "desk_code": DO_LUONG_ECONOMIC_OFFICE}
    )
    assert detail(not_a_desk) == "Hãy chọn một bộ phận một cửa trong tỉnh."  # in Vietnamese
    unknown = post(Client(), "/api/v1/public/submissions", {**FILING, "desk_code": "99999.05.H40"})
    assert detail(unknown) == detail(not_a_desk)
