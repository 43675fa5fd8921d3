"""The staffing tables in the admin: listed for system administrators, and an officer, a position
or a norm saved there goes through the services (their checks, their audit with personal numbers
masked)."""

import pytest

from haicap.core.models import AuditRecord
from haicap.staffing.models import NormRule, Officer, Position
from tests.conftest import client_for
from tests.staffing.conftest import BACH_HA_ECONOMIC, agency

pytestmark = pytest.mark.django_db
ADMIN = "/desk/admin"


@pytest.mark.parametrize(
    "model",
    [
        "staffing/stafffield",
        "staffing/position",
        "staffing/officer",
        "staffing/normrule",
        "units/traveltime",
    ],
)
def test_each_table_is_listed_and_offers_its_form(staffed, model):
    admin = client_for("admin")
    assert admin.get(f"{ADMIN}/{model}/").status_code == 200
    assert admin.get(f"{ADMIN}/{model}/add/").status_code == 200


def test_an_officer_saved_in_the_admin_goes_through_the_service(staffed, fields):
    admin = client_for("admin")
    form = {
        "staff_number": "NA-0400",
        "full_name": "Cao Văn Hải",
        "agency": agency(BACH_HA_ECONOMIC).pk,
        "position": staffed.bach_ha_land.pk,
        "qualifications": [fields["DATDAI"].pk],
        "grade": "Chuyên viên",
        "experience_years": 1,
        "in_post_since": "2025-07-01",
        "citizen_id": "040195077777",
        "phone": "0944444444",
    }
    answer = admin.post(f"{ADMIN}/staffing/officer/add/", form)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    hai = Officer.objects.get(staff_number="NA-0400")
    record = AuditRecord.objects.get(action="officer.created", object_id=str(hai.pk))
    assert (record.after["citizen_id"], record.after["phone"]) == ("040******777", "094****444")
    assert record.actor.username == "admin"
    admin.post(f"{ADMIN}/staffing/officer/{hai.pk}/change/", form | {"experience_years": 3})
    assert Officer.objects.get(pk=hai.pk).experience_years == 3
    admin.post(f"{ADMIN}/staffing/officer/{hai.pk}/delete/", {"post": "yes"})
    assert not Officer.objects.filter(pk=hai.pk).exists()
    assert AuditRecord.objects.filter(action="officer.removed", object_id=str(hai.pk)).exists()


def test_a_position_and_a_norm_saved_in_the_admin_are_audited(staffed, fields):
    admin = client_for("admin")
    admin.post(
        f"{ADMIN}/staffing/position/add/",
        {
            "agency": agency(BACH_HA_ECONOMIC).pk,
            "field": fields["XAYDUNG"].pk,
            "grade": "Chuyên viên",
            "approved": 1,
        },
    )
    position = Position.objects.get(field=fields["XAYDUNG"])
    created = AuditRecord.objects.filter(action="position.created", object_id=str(position.pk))
    assert created.exists()
    admin.post(
        f"{ADMIN}/staffing/normrule/add/",
        {
            "field": fields["CNTT"].pk,
            "basis": "fixed",
            "count": 1,
            "minimum": 0,
            "dossiers_per_officer_month": 0,
        },
    )
    norm = NormRule.objects.get(field=fields["CNTT"])
    assert AuditRecord.objects.filter(action="normrule.created", object_id=str(norm.pk)).exists()
