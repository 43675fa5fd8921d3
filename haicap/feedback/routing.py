"""Where a petition goes: the commune that now answers for the place the sender named, and the
competent agency for its category there.

After the 2025 merger many senders name the commune or ward they have always lived in. A
former unit is followed along the units' lineage to the current commune that replaced it
(``units.selectors.current_successors``); a former unit split between several asks the sender
to choose among them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from haicap.core.errors import InvalidInput
from haicap.dossiers.models import Dossier
from haicap.feedback.models import Category
from haicap.units import selectors as units
from haicap.units.kinds import AgencyKind, Tier
from haicap.units.models import AdministrativeUnit, Agency


@dataclass(frozen=True)
class Place:
    commune: AdministrativeUnit | None  # the current commune, or None: the province at large
    named: AdministrativeUnit | None  # what the sender named, when it is a former unit

    @property
    def rerouted(self) -> bool:
        return self.named is not None and self.commune is not None


def place_of(commune: AdministrativeUnit | None, named: AdministrativeUnit | None) -> Place:
    """The current commune for what the sender gave: a current commune as it is; a former unit
    through its lineage (and ``commune``, if also given, must be one of its successors)."""
    if named is not None and named.is_current:
        commune, named = commune or named, None
    if named is not None:
        now = [u for u in units.current_successors(named) if u.tier == Tier.COMMUNE]
        if not now:
            raise InvalidInput(
                _("%(unit)s has no commune in force after it; choose the commune.")
                % {"unit": named.full_name}
            )
        if commune is None and len(now) > 1:
            raise InvalidInput(
                _("%(unit)s was divided between %(communes)s; choose which one.")
                % {"unit": named.full_name, "communes": ", ".join(u.full_name for u in now)}
            )
        if commune is not None and commune.pk not in {u.pk for u in now}:
            raise InvalidInput(
                _("%(unit)s is not part of %(commune)s.")
                % {"unit": named.full_name, "commune": commune.full_name}
            )
        commune = commune or now[0]
    if commune is not None and (commune.tier != Tier.COMMUNE or not commune.is_current):
        raise InvalidInput(_("Choose a commune or ward in force."))
    return Place(commune, named)


def provincial_answerer(category: Category) -> Agency:
    """The category's provincial agency, or the Office of the provincial People's Committee."""
    if category.provincial_agency_id is not None:
        return category.provincial_agency
    office = (
        Agency.objects.filter(kind=AgencyKind.PPC_OFFICE, unit__valid_to__isnull=True)
        .select_related("unit")
        .first()
    )
    if office is None:
        raise InvalidInput(_("No agency answers petitions yet: the registry is not loaded."))
    return office


def commune_committee(commune: AdministrativeUnit) -> Agency | None:
    """The commune's People's Committee, which answers for it (its offices act as one)."""
    agencies = Agency.objects.filter(unit=commune).select_related("unit")
    return (
        agencies.filter(kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE).first()
        or agencies.order_by("code").first()
    )


def competent_agency(category: Category, place: Place, dossier: Dossier | None = None) -> Agency:
    """Who answers: the agency handling the dossier a procedure petition names; the category's
    provincial agency when it goes there, or when no commune is named; else the commune's
    People's Committee."""
    if dossier is not None and category.about_dossiers:
        return dossier.competent_agency
    if category.routes_to == Category.RoutesTo.AGENCY or place.commune is None:
        return provincial_answerer(category)
    return commune_committee(place.commune) or provincial_answerer(category)
