"""Admin for the audit log (read-only) and the base class that audits admin edits."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from haicap.core.audit import record_change, record_save, snapshot
from haicap.core.models import AuditAnchor, AuditRecord
from haicap.core.validators import PlainTextForm


class AuditedModelAdmin(admin.ModelAdmin):
    """Records every add, change and delete made in the admin, in the same transaction; its text
    fields refuse control characters like every other form (``PlainTextForm``)."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (PlainTextForm, form), {})

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            self.prepare(obj)
            super().save_model(request, obj, form, change)
            record_save(obj, before, actor=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many changes (a user's groups and permissions) are saved here, not earlier."""
        instance = form.instance
        fields = [f for f in instance._meta.many_to_many if f.name in form.cleaned_data]
        before = {f.name: _related_ids(instance, f.name) for f in fields}
        super().save_related(request, form, formsets, change)
        after = {f.name: _related_ids(instance, f.name) for f in fields}
        diff = {name: ids for name, ids in after.items() if ids != before[name]}
        if diff:
            record_change(
                f"{instance._meta.model_name}.relations_changed",
                instance,
                actor=request.user,
                before={name: before[name] for name in diff},
                after=diff,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            target = (obj._meta.label_lower, str(obj.pk))
            super().delete_model(request, obj)
            record_change(
                f"{obj._meta.model_name}.deleted", target, actor=request.user, before=before
            )

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def prepare(self, obj: models.Model) -> None:
        """Fill derived fields before saving (subclasses override)."""


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Rows that are read, never added, changed or deleted here (the audit log; a published
    template, which changes by publishing a new version)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _related_ids(instance: models.Model, name: str) -> list[Any]:
    return sorted(getattr(instance, name).values_list("pk", flat=True))


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyModelAdmin):
    list_display = (
        "id",
        "chain",
        "seq",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "ip",
    )
    list_filter = ("action", "object_type")
    ordering = ("-id",)  # newest first across the chains
    search_fields = ("actor_label", "object_id", "request_id")
    date_hierarchy = "occurred_at"


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyModelAdmin):
    list_display = ("seq", "made_at", "hash")
    ordering = ("-seq",)
