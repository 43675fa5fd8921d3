"""The assets tables in the admin, for system administrators. Finance works in the desk
(``/desk/tai-san/``); here the kinds of asset are set up, and the register is corrected through
the same services as the desk (their checks, their audit). An asset is never deleted, nor its
identifier, holder or origin changed here; its movements are read only (they are history)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from haicap.assets.models import Asset, AssetKind, Movement
from haicap.assets.services import register
from haicap.core.admin import AuditedModelAdmin, ReadOnlyModelAdmin


@admin.register(AssetKind)
class AssetKindAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "category")
    list_filter = ("category",)
    search_fields = ("code", "name")


class MovementInline(admin.TabularInline):
    model = Movement
    fields = ("on", "kind", "from_agency", "to_agency", "decision", "note", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("on", "pk")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssetAdminForm(forms.ModelForm):
    """Says what the service would refuse, on the form (the rules the desk's form uses)."""

    class Meta:
        model = Asset
        fields = ("holder", "origin", *register.EDITABLE)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            values = {name: cleaned.get(name) for name in register.EDITABLE}
            details = register.AssetDetails(**values)
            for name, problem in register.asset_problems(details).items():
                self.add_error(name if name in self.fields else None, problem)
        return cleaned


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Entered with its first movement (``register_asset``) and corrected (``update_asset``):
    the identifier is given by the service, and the holder and origin are set once."""

    form = AssetAdminForm
    list_display = ("identifier", "name", "kind", "holder", "origin", "status", "condition")
    list_filter = ("kind__category", "status", "condition")
    search_fields = ("identifier", "name", "holder__code", "holder__name")
    autocomplete_fields = ("holder",)
    raw_id_fields = ("origin",)
    readonly_fields = ("identifier", "status")
    inlines = (MovementInline,)
    DETAILS = (
        "kind",
        "name",
        "address",
        "area_m2",
        "original_value",
        "remaining_value",
        "acquired_year",
        "condition",
    )

    def get_fields(self, request: HttpRequest, obj: Asset | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("holder", "origin", *self.DETAILS)
        return ("identifier", "status", *self.DETAILS)

    def get_readonly_fields(self, request: HttpRequest, obj: Asset | None = None) -> tuple:
        return ("identifier", "status") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Asset, form: Any, change: bool) -> None:
        data = form.cleaned_data
        details = register.AssetDetails(
            **{name: data.get(name) for name in register.EDITABLE if name in data}
        )
        if change:
            saved = register.update_asset(request.user, Asset.objects.get(pk=obj.pk), details)
        else:
            new = register.NewAsset(details, holder=data["holder"], origin=data.get("origin"))
            saved = register.register_asset(request.user, new)
        obj.pk, obj.identifier = saved.pk, saved.identifier

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the asset and its first movement; movements are read only here."""
        for formset in formsets:  # nothing of theirs is saved (the change message asks)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Movement)
class MovementAdmin(ReadOnlyModelAdmin):
    list_display = ("asset", "kind", "on", "from_agency", "to_agency", "decision", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("asset__identifier", "decision")
