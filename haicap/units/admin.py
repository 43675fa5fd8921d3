from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haicap.core.admin import AuditedModelAdmin
from haicap.core.text import search_key
from haicap.units import services
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, UnitLineage


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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Through the registry's service, so a move's effect on the figures exists once."""
        services.save_agency(obj, actor=request.user, created=not change)


@admin.register(AgencyDuty)
class AgencyDutyAdmin(AuditedModelAdmin):
    list_display = ("agency", "duty")
    list_filter = ("duty",)
    autocomplete_fields = ("agency",)
