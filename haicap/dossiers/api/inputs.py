"""What several of the dossier operations take: the applicant, a PIN, an Idempotency-Key, an
agency, unit or procedure named by its code."""

from django.utils.translation import gettext as _
from ninja import Field, Header, Schema

from haicap.catalog import selectors as catalog
from haicap.catalog.models import Procedure
from haicap.core.api import SingleLine
from haicap.core.errors import InvalidInput
from haicap.core.restricted import Viewer
from haicap.units import selectors as units
from haicap.units.models import AdministrativeUnit, Agency

IdempotencyKey = Header(
    None, alias="Idempotency-Key", max_length=100, description="retries with it are applied once"
)


class ApplicantIn(Schema):
    name: SingleLine = Field(max_length=200)
    id_number: SingleLine = Field("", max_length=12)
    phone: SingleLine = Field("", max_length=15)
    email: SingleLine = Field("", max_length=254)
    address: SingleLine = Field("", max_length=300)
    business_code: SingleLine = Field("", max_length=14)


def current_unit(code: str | None) -> AdministrativeUnit | None:
    """The current administrative unit a body names by its code; none when it names none."""
    if not code:
        return None
    unit = units.current_unit(code)
    if unit is None:
        raise InvalidInput(_("No current unit has the code %(code)s.") % {"code": code})
    return unit


def agency_by_code(user: Viewer, code: str | None) -> Agency | None:
    """The agency a body names by its code, among those the caller may see; none when it names
    none."""
    if not code:
        return None
    agency = units.agency_by_code(user, code)
    if agency is None:
        raise InvalidInput(_("No agency has the code %(code)s.") % {"code": code})
    return agency


def procedure_by_code(code: str) -> Procedure:
    procedure = catalog.procedure_by_code(code)
    if procedure is None:
        raise InvalidInput(_("No procedure has the code %(code)s.") % {"code": code})
    return procedure


class PinIn(Schema):
    pin: str = Field(min_length=1, max_length=12, description="the look-up PIN printed on the slip")
