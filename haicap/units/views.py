"""Desk pages for browsing the registry: units with their lineage, and agencies."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haicap.core.exports import xlsx_response
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.units import selectors
from haicap.units.forms import AgencyFilterForm, UnitFilterForm

PAGE_SIZE = 50


def _list_page(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """The whole page, or only the results table when htmx asks after a filter change."""
    paginator = Paginator(context.pop("rows"), PAGE_SIZE)
    context["page"] = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context["query_string"] = query.urlencode()
    return varies_with_htmx(
        render(request, partial if wants_fragment(request) else template, context)
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    units = selectors.list_units(request.user, **form.filters()).select_related("parent")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "don-vi-hanh-chinh.xlsx",
            _("Administrative units"),
            [
                _("Code"),
                _("Name"),
                _("Kind"),
                _("Parent unit"),
                _("Postcode"),
                _("Valid from"),
                _("Valid until"),
            ],
            (
                [
                    u.code,
                    u.full_name,
                    u.get_kind_display(),
                    u.parent.full_name if u.parent else "",
                    u.postcode,
                    u.valid_from,
                    u.valid_to,
                ]
                for u in units.iterator(chunk_size=1000)
            ),
        )
    return _list_page(
        request,
        "units/unit_list.html",
        "units/_unit_rows.html",
        {"form": form, "rows": units},
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.get_unit(request.user, unit_id)
    children = selectors.list_units(request.user, status="all", parent_id=unit.pk)
    current_children = children.filter(valid_to__isnull=True)
    context = {
        "unit": unit,
        "current_successors": selectors.current_successors(unit) if not unit.is_current else [],
        "predecessors": selectors.predecessors(unit),
        "agencies": selectors.list_agencies(request.user, unit_id=unit.pk),
        # The province lists its current communes; a former district, the units it had.
        "children": current_children if current_children.exists() else children,
        "former_children": children.filter(valid_to__isnull=False).count()
        if current_children.exists()
        else 0,
    }
    return render(request, "units/unit_detail.html", context)


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    form = AgencyFilterForm(request.GET or None)
    agencies = selectors.list_agencies(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "co-quan.xlsx",
            _("Agencies"),
            [_("Agency code"), _("Name"), _("Kind"), _("Administrative unit"), _("One-stop desk")],
            (
                [
                    a.code,
                    a.name,
                    a.get_kind_display(),
                    a.unit.full_name,
                    _("Yes") if a.is_one_stop_desk else _("No"),
                ]
                for a in agencies.iterator(chunk_size=1000)
            ),
        )
    return _list_page(
        request,
        "units/agency_list.html",
        "units/_agency_rows.html",
        {"form": form, "rows": agencies},
    )
