"""Admin pages that load a file, all or nothing: the upload form, the page that lists what was
wrong, and the whole flow for a spreadsheet (``sheet_import_view``)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.sheet_import import NothingImported, Parse, import_sheet

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def import_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    form: ImportForm,
    problems: list[str],
    title: str,
) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "problems": problems,
    }
    status = 422 if problems else 200
    return TemplateResponse(request, "admin/file_import.html", context, status=status)


def sheet_import_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    parse: Parse[Any],
    apply: Callable[[Any, Any], Any],
    done: Callable[[Any], str],
    changelist: str,
    title: str,
) -> HttpResponse:
    """Upload a sheet, import it with ``apply(user, parsed)`` (a service), and go back to the
    ``changelist`` saying ``done(result)``; or show the page again with every problem."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_sheet(
                upload.name, upload.read(), parse, lambda parsed: apply(request.user, parsed)
            )
        except NothingImported as refused:
            problems = refused.problems
        else:
            messages.success(request, done(result))
            return redirect(changelist)
    return import_page(model_admin, request, form, problems, title)
