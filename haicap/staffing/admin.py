"""The staffing tables in the admin, for system administrators. The staffing authority works in
the desk (``/desk/nhan-su/``); here the reference data is set up (the authority, the fields), and
officers, positions, norms and travel times are corrected through the same services as the
desk: their checks, and their audit entries with personal numbers masked."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haicap.core.admin import AuditedModelAdmin
from haicap.staffing import services
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    StaffField,
)
from haicap.staffing.norms import Basis
from haicap.units.models import TravelTime


@admin.register(StaffField)
class StaffFieldAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "catalog_field", "weight", "host_agency_kind")
    search_fields = ("code", "name")


class ThroughServiceAdmin(admin.ModelAdmin):
    """Saved and deleted by a service (``save`` and ``remove``), which checks and audits."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.save(request, form.cleaned_data, obj if change else None)
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the relations with the row."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.remove(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.remove(request, obj)

    def save(self, request: HttpRequest, data: dict, current: Any) -> Any:
        raise NotImplementedError

    def remove(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError


@admin.register(Position)
class PositionAdmin(ThroughServiceAdmin):
    list_display = ("agency", "field", "grade", "approved")
    list_filter = ("field",)
    search_fields = ("agency__name", "agency__code", "grade")
    autocomplete_fields = ("agency",)
    fields = ("agency", "field", "grade", "approved")

    def save(self, request: HttpRequest, data: dict, current: Any) -> Position:
        spec = services.PositionSpec(data["agency"], data["field"], data["grade"], data["approved"])
        return services.save_position(request.user, spec, current)

    def remove(self, request: HttpRequest, obj: Position) -> None:
        services.remove_position(request.user, obj)


@admin.register(Officer)
class OfficerAdmin(ThroughServiceAdmin):
    list_display = ("full_name", "staff_number", "agency", "position", "user")
    list_filter = ("position__field",)
    search_fields = ("full_name", "staff_number", "agency__name", "agency__code")
    autocomplete_fields = ("agency", "user")
    raw_id_fields = ("position",)
    filter_horizontal = ("qualifications",)
    fields = (
        "staff_number",
        "full_name",
        "agency",
        "position",
        "qualifications",
        "grade",
        "experience_years",
        "in_post_since",
        "desk_posting_from",
        "desk_posting_until",
        "user",
        "citizen_id",
        "phone",
    )

    def save(self, request: HttpRequest, data: dict, current: Any) -> Officer:
        spec = services.OfficerSpec(
            staff_number=data["staff_number"],
            full_name=data["full_name"],
            position=data["position"],
            grade=data["grade"],
            in_post_since=data["in_post_since"],
            qualifications=list(data.get("qualifications") or []),
            experience_years=data.get("experience_years") or 0,
            desk_posting_from=data.get("desk_posting_from"),
            desk_posting_until=data.get("desk_posting_until"),
            account=data.get("user"),
            citizen_id=data.get("citizen_id") or "",
            phone=data.get("phone") or "",
        )
        return services.save_officer(request.user, spec, current)

    def remove(self, request: HttpRequest, obj: Officer) -> None:
        services.remove_officer(request.user, obj)


@admin.register(NormRule)
class NormRuleAdmin(ThroughServiceAdmin):
    list_display = ("field", "unit", "agency", "basis", "count", "dossiers_per_officer_month")
    list_filter = ("field", "basis")
    autocomplete_fields = ("unit", "agency")
    fields = (
        "field",
        "unit",
        "agency",
        "basis",
        "count",
        "dossiers_per_officer_month",
        "minimum",
        "note",
    )

    def save(self, request: HttpRequest, data: dict, current: Any) -> NormRule:
        spec = services.NormSpec(
            field=data["field"],
            basis=Basis(data["basis"]),
            count=data.get("count") or 0,
            dossiers_per_officer_month=data.get("dossiers_per_officer_month") or 0,
            minimum=data.get("minimum") or 0,
            unit=data.get("unit"),
            agency=data.get("agency"),
            note=data.get("note") or "",
        )
        return services.save_norm(request.user, spec, current)

    def remove(self, request: HttpRequest, obj: NormRule) -> None:
        services.remove_norm(request.user, obj)


@admin.register(TravelTime)
class TravelTimeAdmin(AuditedModelAdmin):
    list_display = ("one", "other", "minutes")
    autocomplete_fields = ("one", "other")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.set_travel_time(request.user, data["one"], data["other"], data["minutes"])
        obj.pk = saved.pk
