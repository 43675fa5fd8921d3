"""The pages of who works where: officers (list, page, form), positions per agency with what is
filled and vacant, the norms, and importing all of them from spreadsheets.

A reader sees the officers their scope lets them (``selectors``): an officer out of it is a 404,
as everywhere in haicap; one in it that the reader may not change is a 403 on its form.
Citizen ID and phone numbers are masked in lists and exports unless the reader arranges staff,
and on an officer's page unless the reader may edit the officer.
"""

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from haicap.accounts.models import RoleChoices
from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.exports import workbook_response, xlsx_response
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.core.restricted import Viewer
from haicap.core.sheet_import import NothingImported
from haicap.staffing import selectors, services
from haicap.staffing.forms import (
    ImportForm,
    NormForm,
    OfficerFilterForm,
    OfficerForm,
    PositionFilterForm,
    PositionForm,
)
from haicap.staffing.models import Officer
from haicap.staffing.norms import Basis
from haicap.staffing.permissions import arranges_staff
from haicap.staffing.staff_import import TEMPLATE_FILENAME, import_files, summary, template_workbook
from haicap.staffing.staff_sheet import COLUMNS, ORDER, TITLES
from haicap.units.models import Agency

PAGE_SIZE = 25
ROLE_LABELS = dict(RoleChoices.choices)
EXPORT_CHUNK = 500
# Removing a record cannot be undone: the first press shows what follows and asks again
# (``?xac-nhan=xoa``); only a form sent with ``confirm=yes`` removes.
CONFIRM_REMOVE = "xac-nhan=xoa"


def _confirming(request: HttpRequest) -> bool:
    return request.GET.get("xac-nhan") == "xoa"


def _to_confirm(url: str) -> HttpResponse:
    return redirect(f"{url}?{CONFIRM_REMOVE}#remove")


def shown(value: str, personal: bool, mask) -> str:
    return value if personal or not value else mask(value)


# --- officers ---------------------------------------------------------------------------------


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = OfficerFilterForm(request.GET or None, user=user)
    filters = form.filters()
    officers = selectors.filter_officers(user, **filters)
    ids = selectors.officer_ids_in_order(officers, form.ordering(), filters["query"])
    personal = selectors.sees_personal_data_in_lists(user)
    if request.GET.get("export") == "xlsx":
        return _export_officers(user, ids, personal)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (
            officer,
            shown(officer.citizen_id, personal, mask_citizen_id),
            shown(officer.phone, personal, mask_phone),
        )
        for officer in selectors.officers_by_id(user, page.object_list)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query_string": query.urlencode(),
        "may_add": selectors.editable_agencies(user).exists(),
        "arranges": arranges_staff(user),
    }
    fragment = wants_fragment(request)
    template = "staffing/officer_rows.html" if fragment else "staffing/officer_list.html"
    return varies_with_htmx(render(request, template, context))


def _in_chunks(user: Viewer, ids: list[int]) -> Iterator[Officer]:
    for start in range(0, len(ids), EXPORT_CHUNK):
        yield from selectors.officers_by_id(user, ids[start : start + EXPORT_CHUNK])


def _export_officers(user: Viewer, ids: list[int], personal: bool) -> HttpResponse:
    return xlsx_response(
        "can-bo.xlsx",
        pgettext("the list of officers", "Officers"),
        [
            _("Staff number"),
            _("Full name"),
            _("Agency"),
            _("Commune or ward"),
            _("Field of the post"),
            _("Grade of the post"),
            _("Fields of qualification"),
            _("Grade"),
            _("Years of experience"),
            _("In post since"),
            _("One-stop desk posting from"),
            _("One-stop desk posting until"),
            capfirst(_("haicap account")),
            _("Citizen ID number"),
            _("Phone"),
        ],
        (
            [
                o.staff_number,
                o.full_name,
                o.agency.name,
                o.agency.unit.full_name,
                o.position.field.name,
                o.position.grade,
                ", ".join(f.name for f in o.qualifications.all()),
                o.grade,
                o.experience_years,
                o.in_post_since,
                o.desk_posting_from,
                o.desk_posting_until,
                o.user.get_username() if o.user else "",
                shown(o.citizen_id, personal, mask_citizen_id),
                shown(o.phone, personal, mask_phone),
            ]
            for o in _in_chunks(user, ids)
        ),
    )


@login_required
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    user = request.user
    officer = selectors.get_officer(user, officer_id)
    personal = selectors.sees_personal_data(user, officer)
    context = {
        "officer": officer,
        "qualifications": list(officer.qualifications.all()),
        "citizen_id": shown(officer.citizen_id, personal, mask_citizen_id),
        "phone": shown(officer.phone, personal, mask_phone),
        "may_edit": selectors.may_edit(user, officer),
        "confirm_remove": _confirming(request),
        "secondments": [
            (s, [(g, str(ROLE_LABELS.get(g.role, g.role))) for g in s.grants.all()])
            for s in selectors.officer_secondments(user, officer)
        ],
    }
    return render(request, "staffing/officer_detail.html", context)


def _officer_form_page(
    request: HttpRequest, form: OfficerForm, officer: Officer | None
) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "officer": officer}
    return render(request, "staffing/officer_form.html", context, status=status)


@login_required
def officer_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.editable_agencies(user).exists():
        raise PermissionDenied(_("You may not change staffing records."))
    form = OfficerForm(request.POST or None, user=user, initial=_initial_agency(request))
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.save_officer(user, form.spec())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The officer was added."))
            return redirect("desk:staffing:officer", officer.pk)
    return _officer_form_page(request, form, None)


def _initial_agency(request: HttpRequest) -> dict:
    agency = request.GET.get("agency", "")
    return {"agency": int(agency)} if agency.isascii() and agency.isdigit() else {}


@login_required
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    user = request.user
    officer = selectors.get_officer(user, officer_id)
    if not selectors.may_edit(user, officer):
        raise PermissionDenied(_("You may not change staffing records."))
    form = OfficerForm(request.POST or None, user=user, officer=officer)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_officer(user, form.spec(), officer)
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The officer's record was saved."))
            return redirect("desk:staffing:officer", officer.pk)
    return _officer_form_page(request, form, officer)


@login_required
def officer_positions(request: HttpRequest) -> HttpResponse:
    """The options of the officer form's position list for the agency chosen (htmx)."""
    form = OfficerForm(None, user=request.user, initial=_initial_agency(request))
    return render(request, "staffing/officer_position_options.html", {"field": form["position"]})


@login_required
@require_POST
def officer_remove(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.get_officer(request.user, officer_id)
    if not selectors.may_edit(request.user, officer):
        raise PermissionDenied(_("You may not change staffing records."))
    if request.POST.get("confirm") != "yes":
        return _to_confirm(reverse("desk:staffing:officer", args=[officer.pk]))
    try:
        services.remove_officer(request.user, officer)
    except DomainError as failure:
        messages.error(request, failure.detail)
        return redirect("desk:staffing:officer", officer.pk)
    messages.success(request, _("%(name)s's record was removed.") % {"name": officer.full_name})
    return redirect("desk:staffing:officers")


# --- positions --------------------------------------------------------------------------------


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    positions = selectors.positions_filled(user)
    agencies = Agency.objects.restrict(user).filter(pk__in=positions.values("agency_id"))
    form = PositionFilterForm(request.GET or None, agencies=agencies)
    if (agency_id := form.agency_id()) is not None:
        positions = positions.filter(agency_id=agency_id)
    positions = positions.order_by(
        "-agency__unit__tier", "agency__unit__name", "agency__name", "field__code", "grade", "pk"
    ).select_related("agency__unit", "field")
    if request.GET.get("export") == "xlsx":
        return _export_positions(positions)
    page = Paginator(positions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (p, max(0, p.approved - p.filled), max(0, p.filled - p.approved))
            for p in page.object_list
        ],
        "query_string": query.urlencode(),
        "arranges": arranges_staff(user),
    }
    return render(request, "staffing/position_list.html", context)


def _export_positions(positions) -> HttpResponse:
    return xlsx_response(
        "vi-tri-viec-lam.xlsx",
        _("Positions"),
        [
            _("Agency"),
            _("Commune or ward"),
            _("Field"),
            _("Grade"),
            _("Approved (quota)"),
            _("Filled"),
            _("Vacant"),
            _("Over the quota"),
        ],
        (
            [
                p.agency.name,
                p.agency.unit.full_name,
                p.field.name,
                p.grade,
                p.approved,
                p.filled,
                max(0, p.approved - p.filled),
                max(0, p.filled - p.approved),
            ]
            for p in positions.iterator(chunk_size=1000)
        ),
    )


def _require_arranger(user: Viewer) -> None:
    if not arranges_staff(user):
        raise PermissionDenied(_("Only the staffing authority changes positions and norms."))


@login_required
def position_new(request: HttpRequest) -> HttpResponse:
    return _position_form(request, None)


@login_required
def position_edit(request: HttpRequest, position_id: int) -> HttpResponse:
    return _position_form(request, selectors.get_position(request.user, position_id))


def _position_form(request: HttpRequest, position) -> HttpResponse:
    user = request.user
    _require_arranger(user)
    form = PositionForm(request.POST or None, user=user, position=position)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_position(user, form.spec(), position)
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The position was saved."))
            return redirect(f"{_url('positions')}?agency={saved.agency_id}")
    filled = position.officers.count() if position else 0
    context = {
        "form": form,
        "position": position,
        "filled": filled,
        "confirm_remove": _confirming(request),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "staffing/position_form.html", context, status=status)


@login_required
@require_POST
def position_remove(request: HttpRequest, position_id: int) -> HttpResponse:
    position = selectors.get_position(request.user, position_id)
    if request.POST.get("confirm") != "yes" and arranges_staff(request.user):
        return _to_confirm(reverse("desk:staffing:position_edit", args=[position.pk]))
    try:
        services.remove_position(request.user, position)
    except DomainError as failure:
        messages.error(request, failure.detail)
        return redirect("desk:staffing:position_edit", position.pk)
    messages.success(request, _("The position was removed."))
    return redirect(f"{_url('positions')}?agency={position.agency_id}")


def _url(name: str) -> str:
    return reverse(f"desk:staffing:{name}")


# --- norms ------------------------------------------------------------------------------------


@login_required
def norm_list(request: HttpRequest) -> HttpResponse:
    norms = selectors.visible_norms(request.user).order_by(
        "field__code", "-agency", "unit__search_name", "agency__name", "pk"
    )
    context = {
        "norms": list(norms),
        "arranges": arranges_staff(request.user),
        "workload": Basis.WORKLOAD.value,
    }
    return render(request, "staffing/norm_list.html", context)


@login_required
def norm_new(request: HttpRequest) -> HttpResponse:
    return _norm_form(request, None)


@login_required
def norm_edit(request: HttpRequest, norm_id: int) -> HttpResponse:
    return _norm_form(request, selectors.get_norm(request.user, norm_id))


def _norm_form(request: HttpRequest, norm) -> HttpResponse:
    user = request.user
    _require_arranger(user)
    form = NormForm(request.POST or None, user=user, norm=norm)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_norm(user, form.spec(), norm)
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The norm was saved."))
            return redirect("desk:staffing:norms")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "norm": norm, "confirm_remove": _confirming(request)}
    return render(request, "staffing/norm_form.html", context, status=status)


@login_required
@require_POST
def norm_remove(request: HttpRequest, norm_id: int) -> HttpResponse:
    norm = selectors.get_norm(request.user, norm_id)
    if request.POST.get("confirm") != "yes" and arranges_staff(request.user):
        return _to_confirm(reverse("desk:staffing:norm_edit", args=[norm.pk]))
    services.remove_norm(request.user, norm)
    messages.success(request, _("The norm was removed."))
    return redirect("desk:staffing:norms")


# --- importing --------------------------------------------------------------------------------


@login_required
def import_staff(request: HttpRequest) -> HttpResponse:
    """Upload the workbook (or a file a sheet); the page shows every problem, or what was
    created and updated per sheet."""
    user = request.user
    if not arranges_staff(user):
        raise PermissionDenied(_("Only the staffing authority imports staff."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    done: list[str] = []
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            done = summary(import_files(user, files))
        except NothingImported as refused:
            problems = refused.problems
    context = {
        "form": form,
        "problems": problems,
        "done": done,
        "sheets": [(TITLES[kind], COLUMNS[kind]) for kind in ORDER],
    }
    status = 422 if problems or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "staffing/import.html", context, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The workbook to fill in, with the headers the import reads."""
    return workbook_response(TEMPLATE_FILENAME, template_workbook(request.user))
