"""Admin pages that load the catalogue from files: procedures from a spreadsheet, and a new
version of a process template from its JSON definition. Both are all or nothing."""

import json
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.catalog import procedure_sheet
from haicap.catalog.services import import_procedures, publish_template
from haicap.core.errors import DomainError
from haicap.core.sheet_import import NothingImported, import_sheet

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def procedure_import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, updated = import_sheet(
                upload.name,
                upload.read(),
                procedure_sheet.parse_rows,
                partial(import_procedures, request.user),
            )
        except NothingImported as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("%(created)d procedures created, %(updated)d updated.")
                % {"created": created, "updated": updated},
            )
            return redirect("admin:catalog_procedure_changelist")
    return import_page(
        model_admin, request, form, problems, _("Import procedures from a spreadsheet")
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


def import_page(model_admin, request, form, problems, title) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "problems": problems,
    }
    status = 422 if problems else 200
    return TemplateResponse(request, "admin/catalog/import.html", context, status=status)
