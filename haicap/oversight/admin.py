from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haicap.core.admin import AuditedModelAdmin
from haicap.oversight import services
from haicap.oversight.models import WorkingGroup

SPEC_FIELDS = (
    "number",
    "name",
    "term_start",
    "term_end",
    "leader",
    "leader_title",
    "member_agencies",
    "member_people",
    "secretariat_agency",
    "secretariat_people",
    "communes",
)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(AuditedModelAdmin):
    list_display = ("number", "name", "leader_title", "secretariat_agency", "term_start")
    search_fields = ("number", "name")
    autocomplete_fields = (
        "leader",
        "member_agencies",
        "member_people",
        "secretariat_agency",
        "secretariat_people",
        "communes",
    )
    fields = SPEC_FIELDS

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Saved with its members in ``save_related``, through the service (its checks, its
        audit entry), not here."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = form.cleaned_data
        spec = services.GroupSpec(**{name: data.get(name) for name in SPEC_FIELDS if name in data})
        saved = services.save_group(request.user, spec, form.instance if change else None)
        form.instance.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a group's inspections and directives keep it
