"""The report templates in the administration, read only: a published version is never edited
(a change is the next version, published with ``manage.py publish_report_template``)."""

from django.contrib import admin

from haicap.core.admin import ReadOnlyModelAdmin
from haicap.reports.models import ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "version", "name", "period_kind", "in_force_from", "published_at")
    list_filter = ("period_kind",)
    search_fields = ("code", "name")
    readonly_fields = (
        "code",
        "version",
        "name",
        "period_kind",
        "due_days",
        "late_after_days",
        "in_force_from",
        "filers",
        "definition",
        "published_at",
        "published_by",
    )
