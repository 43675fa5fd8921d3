from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from haicap.core.admin import AuditedModelAdmin
from haicap.core.admin_uploads import sheet_import_view
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
        return sheet_import_view(
            self,
            request,
            parse=mapping_sheet.parse_rows,
            apply=import_mappings,
            done=lambda counts: (
                _("%(created)d created, %(updated)d updated; %(released)d held ones go out.")
                % {"created": counts[0], "updated": counts[1], "released": counts[2]}
            ),
            changelist="admin:exchange_codemapping_changelist",
            title=_("Import code mappings"),
        )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        release_held(obj.target)  # a message waiting for this code can go now
