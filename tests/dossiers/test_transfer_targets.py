"""One rule for where a dossier may be transferred (``services.transfer_targets``): the desk
offers exactly its agencies, and the service and the API accept no other."""

import pytest
from django.urls import reverse

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.dossiers import services
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.api.test_dossiers_api import PROBLEM, bearer, post
from tests.conftest import client_for
from tests.dossiers.test_scenarios import act, at, receive, through_to_processing

pytestmark = pytest.mark.django_db

SPECIALIST = "chuyenvien.doluong"
NOTE = "Liên thông"  # a transfer says why
OUTSIDE_THE_RULE = {
    "17677.03.H40": "another commune's office, of a kind that does not handle it",
    "17662.03.H40": "an office of its own commune, of a kind that does not handle it",
    "17677.05.H40": "a one-stop desk",
}


def at_processing(user) -> Dossier:
    received = receive(user, at(3, 2, 9), "X.HT.007")  # handled in the commune of Đô Lương
    through_to_processing(user, received)
    return Dossier.objects.get(code=received.dossier.code)


def test_the_desk_offers_exactly_the_agencies_the_rule_allows(user):
    dossier = at_processing(user)
    with clock.fixed_at(at(3, 2, 10)):
        page = client_for(SPECIALIST).get(reverse("desk:dossier", args=[dossier.code]))
    allowed = list(services.transfer_targets(user(SPECIALIST), dossier))
    assert page.context["transfer_targets"] == allowed
    html = page.content.decode()
    assert all(f'<option value="{agency.pk}">' in html for agency in allowed)
    assert Agency.objects.get(name="Sở Tư pháp") in allowed
    assert dossier.competent_agency not in allowed
    assert not any(a.is_one_stop_desk or a.unit.valid_to for a in allowed)
    in_communes = {a.kind for a in allowed if a.unit.tier == "commune"}
    assert in_communes == {dossier.competent_agency.kind}


def test_who_does_not_act_on_the_dossier_may_send_it_nowhere(user):
    dossier = at_processing(user)
    assert not services.transfer_targets(user("giamsat"), dossier).exists()  # reads only
    assert not services.transfer_targets(user("tiepnhan.vanhien"), dossier).exists()


@pytest.mark.parametrize("agency_code", OUTSIDE_THE_RULE)
def test_the_service_refuses_an_agency_the_rule_excludes(user, agency_code):
    dossier = at_processing(user)
    target = Agency.objects.get(code=agency_code)
    assert target not in services.transfer_targets(user(SPECIALIST), dossier)
    with pytest.raises(InvalidInput):
        act(
            user,
            SPECIALIST,
            at(3, 2, 10),
            dossier.code,
            "transfer",
            note=NOTE,
            target_agency=target,
        )
    assert Dossier.objects.get(pk=dossier.pk).competent_agency == dossier.competent_agency


def test_the_api_refuses_it_as_invalid_input_and_takes_an_agency_the_rule_allows(user):
    dossier = at_processing(user)
    client = bearer(SPECIALIST)
    url = f"/api/v1/dossiers/{dossier.code}/actions"
    body = {"action": "transfer", "note": NOTE, "expected_version": dossier.version}
    justice = Agency.objects.get(name="Sở Tư pháp")
    with clock.fixed_at(at(3, 2, 10)):
        refused = post(client, url, {**body, "target_agency_code": "17677.03.H40"})
        taken = post(client, url, {**body, "target_agency_code": justice.code})
    assert (refused.status_code, refused["Content-Type"]) == (422, PROBLEM)
    assert refused.json()["code"] == "invalid_input"
    assert taken.status_code == 200, taken.content
    assert taken.json()["competent_agency_code"] == justice.code
