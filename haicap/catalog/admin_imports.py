"""Admin pages that load the catalogue from files: procedures from a spreadsheet, and a new
version of a process template from its JSON definition. Both are all or nothing."""

import json

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from haicap.catalog import procedure_sheet
from haicap.catalog.services import import_procedures, publish_template
from haicap.core.admin_uploads import ImportForm, import_page, sheet_import_view
from haicap.core.errors import DomainError


def procedure_import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    return sheet_import_view(
        model_admin,
        request,
        parse=procedure_sheet.parse_rows,
        apply=import_procedures,
        done=lambda counts: (
            _("%(created)d procedures created, %(updated)d updated.")
            % {"created": counts[0], "updated": counts[1]}
        ),
        changelist="admin:catalog_procedure_changelist",
        title=_("Import procedures from a spreadsheet"),
    )


def template_publish_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError
            published = publish_template(
                request.user, str(data.get("code", "")), str(data.get("name", "")), data
            )
        except (UnicodeDecodeError, ValueError):
            problems = [_("The file is not a JSON process template.")]
        except DomainError as error:
            problems = [error.detail]
        else:
            messages.success(
                request,
                _("Template %(code)s is at version %(version)d.")
                % {"code": published.code, "version": published.version},
            )
            return redirect("admin:catalog_processtemplate_changelist")
    return import_page(
        model_admin, request, form, problems, _("Publish a process template version")
    )
