from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.urls import path

from haicap.catalog.admin_imports import procedure_import_view, template_publish_view
from haicap.catalog.models import Field, Procedure, ProcessTemplate
from haicap.core.admin import AuditedModelAdmin
from haicap.core.text import search_key
from haicap.kpi.services import procedures_changed


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

    change_list_template = "admin/catalog/procedure_changelist.html"

    def prepare(self, obj: Any) -> None:
        obj.search_name = search_key(obj.name)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new field or online level reclassifies the procedure's figures, in the same
        transaction."""
        with transaction.atomic():
            before = (
                Procedure.objects.filter(pk=obj.pk).values("field_id", "online_level").first()
                if change
                else None
            )
            super().save_model(request, obj, form, change)
            if before and (before["field_id"], before["online_level"]) != (
                obj.field_id,
                obj.online_level,
            ):
                procedures_changed({obj.pk: before["field_id"]})

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(lambda request: procedure_import_view(self, request))
        return [path("import/", view, name="catalog_procedure_import"), *super().get_urls()]


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Published versions are read only: a change is published as a new version."""

    list_display = ("code", "version", "name", "published_at")
    change_list_template = "admin/catalog/processtemplate_changelist.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(lambda request: template_publish_view(self, request))
        return [path("publish/", view, name="catalog_processtemplate_publish"), *super().get_urls()]

    readonly_fields = ("code", "version", "name", "definition", "published_at", "published_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
