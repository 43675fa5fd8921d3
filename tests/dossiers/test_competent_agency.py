"""Which agency decides a dossier: a commune without an office of the procedure's kind is
refused in a sentence that names the commune, capitalised as a sentence begins."""

import pytest
from django.utils import translation

from haicap.catalog.models import Procedure
from haicap.core.errors import InvalidInput
from haicap.dossiers.services.intake import competent_agency
from haicap.units.kinds import AgencyKind
from haicap.units.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db


def test_a_commune_without_the_deciding_office_is_named_at_the_start_of_the_refusal():
    do_luong = AdministrativeUnit.objects.get(code="17662")
    desk = Agency.objects.get(code="17662.05.H40")
    # no commune has a provincial service centre of its own
    procedure = Procedure(tier="commune", agency_kind=AgencyKind.PROVINCIAL_SERVICE_CENTER)
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        competent_agency(procedure, desk, do_luong)
    assert refused.value.detail == "Xã Đô Lương không có cơ quan giải quyết thủ tục này."
