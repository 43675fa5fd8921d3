"""The feedback app's reads for pages: each starts from ``Model.objects.restrict(user)``."""

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haicap.catalog.models import Field, Procedure
from haicap.core.collation import vietnamese_key
from haicap.core.restricted import Viewer
from haicap.dossiers.models import Dossier
from haicap.feedback import tallies
from haicap.feedback.figures import PetitionCounts, SatisfactionCounts
from haicap.feedback.models import Category, Petition, Rating
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency

# --- satisfaction with dossiers -----------------------------------------------------------------


def dossier_rated(dossier: Dossier) -> bool:
    """Whether the dossier's applicant has rated it (asked once its PIN or token is proved)."""
    return Rating.objects.filter(dossier=dossier).exists()


# --- the figures page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of the figures: what it is about (a name, and a key to tell rows apart) and its
    counts."""

    key: Hashable
    name: str
    counts: PetitionCounts | SatisfactionCounts


@dataclass(frozen=True)
class SatisfactionFigures:
    by_agency: list[Line]
    by_unit: list[Line]
    by_field: list[Line]
    by_procedure: list[Line]
    total: SatisfactionCounts


@dataclass(frozen=True)
class PetitionFigures:
    by_place: list[Line]  # a commune (its bodies together) or a provincial agency
    by_category: list[Line]
    total: PetitionCounts


def _lines(counts: Mapping[Hashable, object], names: Mapping[Hashable, str]) -> list[Line]:
    lines = [Line(key, names.get(key, ""), found) for key, found in counts.items()]
    return sorted(lines, key=lambda line: vietnamese_key(line.name))


def _unit_names(ids: set) -> dict[int, str]:
    return {u.pk: u.full_name for u in AdministrativeUnit.objects.filter(pk__in=ids)}


def satisfaction_figures(user: Viewer, first: dt.date, last: dt.date) -> SatisfactionFigures | None:
    """The ratings the user may read, given from ``first`` to ``last`` (up to now), by agency,
    unit, field and procedure: four queries, and three for the names. ``None`` before the
    period begins."""
    moments = tallies.moments(first, last)
    if moments is None:
        return None
    ratings = Rating.objects.restrict(user)
    by_agency = tallies.count_ratings(ratings, *moments, "agency_id")
    by_unit = tallies.count_ratings(ratings, *moments, "unit_id")
    by_field = tallies.count_ratings(ratings, *moments, "field_code")
    by_procedure = tallies.count_ratings(ratings, *moments, "procedure_id")
    petitions = _("Answered petitions")  # a petition's rating has no field nor procedure
    agencies = dict(Agency.objects.filter(pk__in=set(by_agency)).values_list("pk", "name"))
    fields = dict(Field.objects.filter(code__in=set(by_field)).values_list("code", "name"))
    procedures = {
        pk: f"{name} ({code})"
        for pk, name, code in Procedure.objects.filter(pk__in=set(by_procedure)).values_list(
            "pk", "name", "national_code"
        )
    }
    return SatisfactionFigures(
        by_agency=_lines(by_agency, agencies),
        by_unit=_lines(by_unit, _unit_names(set(by_unit))),
        by_field=_lines(by_field, {**fields, "": petitions}),
        by_procedure=_lines(by_procedure, {**procedures, None: petitions}),
        total=sum(by_agency.values(), SatisfactionCounts()),
    )


def petition_figures(user: Viewer, first: dt.date, last: dt.date) -> PetitionFigures | None:
    """The petitions the user may read, counted for ``first`` to ``last`` (up to now), by the
    body holding them (a commune's bodies together, as they act as one; a provincial agency on
    its own) and by category: two queries, and three for the names. ``None`` before the period
    begins."""
    moments = tallies.moments(first, last)
    if moments is None:
        return None
    petitions = Petition.objects.restrict(user)
    by_agency = tallies.count_petitions(petitions, *moments, "agency_id")
    by_category = tallies.count_petitions(petitions, *moments, "category_id")
    agencies = Agency.objects.filter(pk__in=set(by_agency)).select_related("unit")
    places: dict[tuple[str, int], PetitionCounts] = {}
    names: dict[tuple[str, int], str] = {}
    for agency in agencies:
        if agency.unit.tier == Tier.COMMUNE:
            place = ("unit", agency.unit_id)
            names[place] = agency.unit.full_name
        else:
            place = ("agency", agency.pk)
            names[place] = agency.name
        places[place] = places.get(place, PetitionCounts()) + by_agency[agency.pk]
    categories = dict(Category.objects.filter(pk__in=set(by_category)).values_list("pk", "name"))
    return PetitionFigures(
        by_place=_lines({k: c for k, c in places.items() if not c.empty}, names),
        by_category=_lines({k: c for k, c in by_category.items() if not c.empty}, categories),
        total=sum(by_category.values(), PetitionCounts()),
    )
