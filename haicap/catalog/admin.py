from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path

from haicap.catalog import services
from haicap.catalog.admin_imports import procedure_import_view, template_publish_view
from haicap.catalog.models import Field, Procedure, ProcessTemplate
from haicap.core.admin import AuditedModelAdmin, ReadOnlyModelAdmin


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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Through the catalogue's service, so a reclassification's effect on the figures
        exists once."""
        services.save_procedure(obj, actor=request.user, created=not change)

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(lambda request: procedure_import_view(self, request))
        return [path("import/", view, name="catalog_procedure_import"), *super().get_urls()]


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(ReadOnlyModelAdmin):
    """Published versions are read only: a change is published as a new version."""

    list_display = ("code", "version", "name", "published_at")
    change_list_template = "admin/catalog/processtemplate_changelist.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(lambda request: template_publish_view(self, request))
        return [path("publish/", view, name="catalog_processtemplate_publish"), *super().get_urls()]

    readonly_fields = ("code", "version", "name", "definition", "published_at", "published_by")
