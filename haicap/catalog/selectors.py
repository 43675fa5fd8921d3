"""Reads of the catalogue for the public site: procedures are published facts, open to all."""

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from haicap.catalog.models import Field, Procedure
from haicap.core.errors import NotFound
from haicap.core.text import match_rank, search_key


def public_procedures(
    *, query: str = "", field_code: str = "", tier: str = "", online_only: bool = False
) -> Sequence[Procedure]:
    """Active procedures narrowed by the catalogue's filters, best match first when searched.

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
    words = search_key(query).split()
    for word in words:
        procedures = procedures.filter(
            Q(search_name__contains=word) | Q(national_code__icontains=word)
        )
    return best_first(procedures, words) if words else procedures.order_by("search_name", "pk")


def best_first(
    procedures: QuerySet[Procedure], words: list[str], limit: int | None = None
) -> list[Procedure]:
    """The procedures ranked by how well their name matches the typed words (``match_rank``):
    the national code typed in full first, then whole words and phrases before words found inside
    others, short names before the bundles that mention them; alphabetical among equals."""
    typed = " ".join(words)
    keys = procedures.values_list("pk", "search_name", "national_code")
    ranked = sorted(
        keys,
        key=lambda row: (
            search_key(row[2]) != typed,
            match_rank(row[1], words),
            row[1],
            row[0],
        ),
    )
    chosen = [pk for pk, _name, _code in ranked[:limit]]
    by_pk = procedures.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def procedures_matching(query: str, limit: int) -> list[Procedure]:
    """The active procedures whose name has every typed word, best match first (the desk's
    procedure picker); none when nothing is typed."""
    words = search_key(query).split()
    if not words:
        return []
    procedures = Procedure.objects.filter(is_active=True)
    for word in words:
        procedures = procedures.filter(search_name__contains=word)
    return best_first(procedures, words, limit)


def fields_by_id() -> dict[int, Field]:
    """Every field, in use or not, to name the rows of figures (public facts)."""
    return {field.pk: field for field in Field.objects.all()}


def public_fields() -> list[Field]:
    """The fields that have a procedure in use, for the catalogue's filter."""
    fields = Field.objects.filter(procedures__is_active=True).distinct()
    return sorted(fields, key=lambda f: search_key(f.name))


def procedure_by_code(national_code: str | None, *, active: bool = False) -> Procedure | None:
    """The procedure with this national code (public facts), with its field and its provincial
    agency's unit (which decides where it is handled); ``active``: only one still in use."""
    procedures = Procedure.objects.select_related("field", "provincial_agency__unit")
    if active:
        procedures = procedures.filter(is_active=True)
    return procedures.filter(national_code=national_code or "").first()


def public_procedure(national_code: str) -> Procedure:
    procedure = procedure_by_code(national_code, active=True)
    if procedure is None:
        raise NotFound()
    return procedure


def can_be_filed_online(procedure: Procedure) -> bool:
    return procedure.is_active and procedure.online_level != Procedure.OnlineLevel.NONE
