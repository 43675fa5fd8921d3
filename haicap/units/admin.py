from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from haicap.core.admin import AuditedModelAdmin
from haicap.core.text import search_key
from haicap.kpi.services import agency_moved
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedModelAdmin):
    list_display = ("full_name", "code", "kind", "tier", "parent", "valid_from", "valid_to")
    list_filter = ("tier", "kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("search_name", "code")
    readonly_fields = ("kind", "tier", "parent", "path")
    fields = ("code", "name", "kind", "tier", "parent", "postcode", "valid_from", "valid_to")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the import command, which keeps tree paths and lineage whole

    def prepare(self, obj: Any) -> None:
        obj.search_name = search_key(obj.full_name)


@admin.register(UnitLineage)
class UnitLineageAdmin(AuditedModelAdmin):
    list_display = ("predecessor", "successor", "effective_date", "legal_basis")
    search_fields = ("predecessor__search_name", "successor__search_name")
    autocomplete_fields = ("predecessor", "successor")


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "unit", "is_one_stop_desk")
    list_filter = ("kind", "unit__tier", "is_one_stop_desk")
    search_fields = ("search_name", "code")
    autocomplete_fields = ("unit",)
    fields = ("code", "name", "kind", "unit", "is_one_stop_desk")

    def prepare(self, obj: Any) -> None:
        obj.search_name = search_key(obj.name)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """An agency moved to another unit takes its figures with it, in the same transaction."""
        with transaction.atomic():
            # Locked: a second editor waits, then sees this one's unit as the one it moves from.
            agency = Agency.objects.select_for_update().filter(pk=obj.pk)
            before = agency.values_list("unit_id", flat=True).first()
            super().save_model(request, obj, form, change)
            if change and before != obj.unit_id:
                agency_moved(obj.pk, obj.unit_id)
