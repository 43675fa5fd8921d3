from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haicap.catalog.models import Field, Procedure, ProcessTemplate
from haicap.core.admin import AuditedModelAdmin
from haicap.core.text import search_key


@admin.register(Field)
class FieldAdmin(AuditedModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Procedure)
class ProcedureAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "national_code",
        "field",
        "tier",
        "legal_amount",
        "legal_unit",
        "online_level",
        "is_active",
    )
    list_filter = ("tier", "field", "online_level", "legal_unit", "is_active")
    search_fields = ("search_name", "national_code")
    autocomplete_fields = ("provincial_agency",)

    def prepare(self, obj: Any) -> None:
        obj.search_name = search_key(obj.name)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Published versions are read only: publish a new version with the import command."""

    list_display = ("code", "version", "name", "published_at")
    readonly_fields = ("code", "version", "name", "definition", "published_at", "published_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
