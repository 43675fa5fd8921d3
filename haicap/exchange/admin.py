from functools import partial

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _

from haicap.catalog.admin_imports import ImportForm, import_page
from haicap.core.admin import AuditedModelAdmin
from haicap.core.sheet_import import NothingImported, import_sheet
from haicap.exchange import mapping_sheet
from haicap.exchange.mapping import release_held
from haicap.exchange.models import CodeMapping
from haicap.exchange.services import import_mappings


@admin.register(CodeMapping)
class CodeMappingAdmin(AuditedModelAdmin):
    list_display = ("local_code", "national_code", "kind", "target", "note")
    list_filter = ("target", "kind")
    search_fields = ("local_code", "national_code", "note")
    change_list_template = "admin/exchange/codemapping_changelist.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="exchange_codemapping_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created, updated, released = import_sheet(
                    upload.name,
                    upload.read(),
                    mapping_sheet.parse_rows,
                    partial(import_mappings, request.user),
                )
            except NothingImported as refused:
                problems = refused.problems
            else:
                messages.success(
                    request,
                    _("%(created)d created, %(updated)d updated; %(released)d held ones go out.")
                    % {"created": created, "updated": updated, "released": released},
                )
                return redirect("admin:exchange_codemapping_changelist")
        return import_page(self, request, form, problems, _("Import code mappings"))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        release_held(obj.target)  # a message waiting for this code can go now
