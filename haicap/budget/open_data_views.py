"""Capital pages: the plans and their changes as open data (a Fiscal Data Package).

What a reader exports is what they read: Finance and the supervisors the province, an investor
its own projects (``open_data``)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.budget import fiscal_package, open_data, selectors
from haicap.budget.open_data_forms import PlanChoiceForm
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock


def _chosen(request: HttpRequest) -> tuple[PlanChoiceForm, list]:
    plans = open_data.offered_plans(request.user)
    form = PlanChoiceForm(request.GET or None, plans=plans)
    return form, open_data.chosen_plans(request.user, form.codes(), plans)


@login_required
def open_data_page(request: HttpRequest) -> HttpResponse:
    form, plans = _chosen(request)
    return render(
        request,
        "budget/open_data.html",
        {
            "form": form,
            "plans": plans,
            "has_projects": selectors.visible_projects(request.user).exists(),
            "province_wide": selectors.reads_province(request.user),
            "illustrative": bool(open_data.note_for(request.user)),
            "query": urlencode({"plan": [p.code for p in plans]}, doseq=True),
        },
    )


@login_required
def open_data_zip(request: HttpRequest) -> FileResponse:
    _form, plans = _chosen(request)
    on = clock.now().astimezone(VIETNAM).date()
    return FileResponse(
        open_data.package_file(request.user, plans),
        as_attachment=True,
        filename=open_data.file_name(on),
        content_type="application/zip",
    )


@login_required
def open_data_descriptor(request: HttpRequest) -> HttpResponse:
    _form, plans = _chosen(request)
    described = open_data.descriptor(request.user, plans)
    response = HttpResponse(
        fiscal_package.descriptor_json(described), content_type="application/json"
    )
    # inline: a browser shows it; the page's download link saves it under its name
    response["Content-Disposition"] = f'inline; filename="{fiscal_package.DESCRIPTOR}"'
    return response
