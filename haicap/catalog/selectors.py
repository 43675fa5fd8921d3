"""Reads of the catalogue for the public site: procedures are published facts, open to all."""

from django.db.models import Q, QuerySet

from haicap.catalog.models import Field, Procedure
from haicap.core.errors import NotFound
from haicap.core.text import search_key


def public_procedures(
    *, query: str = "", field_code: str = "", tier: str = "", online_only: bool = False
) -> QuerySet[Procedure]:
    """Active procedures narrowed by the catalogue's filters.

    Every word typed must appear in the name (without diacritics, so "cap giay phep" finds
    "Cấp giấy phép…") or in the national code.
    """
    procedures = Procedure.objects.filter(is_active=True).select_related("field")
    if field_code:
        procedures = procedures.filter(field__code=field_code)
    if tier:
        procedures = procedures.filter(tier=tier)
    if online_only:
        procedures = procedures.exclude(online_level=Procedure.OnlineLevel.NONE)
    for word in search_key(query).split():
        procedures = procedures.filter(
            Q(search_name__contains=word) | Q(national_code__icontains=word)
        )
    return procedures.order_by("search_name", "pk")  # alphabetical, diacritics aside


def public_fields() -> list[Field]:
    """The fields that have a procedure in use, for the catalogue's filter."""
    fields = Field.objects.filter(procedures__is_active=True).distinct()
    return sorted(fields, key=lambda f: search_key(f.name))


def public_procedure(national_code: str) -> Procedure:
    procedure = (
        Procedure.objects.select_related("field", "provincial_agency")
        .filter(national_code=national_code, is_active=True)
        .first()
    )
    if procedure is None:
        raise NotFound()
    return procedure


def can_be_filed_online(procedure: Procedure) -> bool:
    return procedure.is_active and procedure.online_level != Procedure.OnlineLevel.NONE
