"""The register's pages: the list of assets (filters, sort, pages, Excel export with totals),
an asset with its whole movement history, the forms that enter, correct and move it, and
importing the register from a workbook.

A reader sees the assets their scope lets them (``selectors``): Finance and supervisors the
province, a commune what its agencies hold. One out of scope is a 404, as everywhere in haicap;
one in scope that the reader may not change is a 403 on its form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.assets import selectors
from haicap.assets.asset_import import TEMPLATE_FILENAME, import_file, summary, template_workbook
from haicap.assets.asset_sheet import COLUMNS
from haicap.assets.forms import (
    AssetFilterForm,
    AssetForm,
    ConditionForm,
    ImportForm,
    MovementForm,
)
from haicap.assets.models import Asset
from haicap.assets.permissions import arranges_assets
from haicap.assets.register_export import assets_workbook
from haicap.assets.services import register
from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.exports import workbook_response
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.restricted import Viewer
from haicap.core.sheet_import import NothingImported

PAGE_SIZE = 25


def _require_arranger(user: Viewer) -> None:
    if not arranges_assets(user):
        raise PermissionDenied(_("Only the Department of Finance keeps the register."))


# --- the list ---------------------------------------------------------------------------------


@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AssetFilterForm(request.GET or None, user=user)
    assets = selectors.filter_assets(user, **form.filters())
    ordered = selectors.sorted_assets(assets, form.ordering())
    if request.GET.get("export") == "xlsx":
        return workbook_response("tai-san.xlsx", assets_workbook(ordered))
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "assets": list(page.object_list),
        "totals": selectors.asset_totals(assets),
        "query_string": query.urlencode(),
        "arranges": arranges_assets(user),
    }
    fragment = wants_fragment(request)
    template = "assets/asset_rows.html" if fragment else "assets/asset_list.html"
    return varies_with_htmx(render(request, template, context))


# --- an asset ---------------------------------------------------------------------------------


@login_required
def asset_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    may_edit_condition = selectors.may_edit_condition(user, asset)
    context = {
        "asset": asset,
        "origin": register.origin_label(asset.origin),
        "movements": selectors.asset_movements(user, asset),
        "may_edit": selectors.may_edit_asset(user, asset),
        "may_edit_condition": may_edit_condition,
        "may_move": arranges_assets(user) and asset.status != Asset.Status.DISPOSED,
        "condition_form": ConditionForm(initial={"condition": asset.condition})
        if may_edit_condition
        else None,
    }
    return render(request, "assets/asset_detail.html", context)


def _form_page(request: HttpRequest, form: AssetForm, asset: Asset | None) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "asset": asset}
    return render(request, "assets/asset_form.html", context, status=status)


@login_required
def asset_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_arranger(user)
    form = AssetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            asset = register.register_asset(user, form.new_asset())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(
                request,
                _("The asset was entered in the register as %(identifier)s.")
                % {"identifier": asset.identifier},
            )
            return redirect("desk:assets:asset", asset.pk)
    return _form_page(request, form, None)


@login_required
def asset_edit(request: HttpRequest, asset_id: int) -> HttpResponse:
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    if not selectors.may_edit_asset(user, asset):
        raise PermissionDenied(_("Only the Department of Finance keeps the register."))
    form = AssetForm(request.POST or None, user=user, asset=asset)
    if request.method == "POST" and form.is_valid():
        try:
            register.update_asset(user, asset, form.details())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The asset's record was saved."))
            return redirect("desk:assets:asset", asset.pk)
    return _form_page(request, form, asset)


@login_required
@require_POST
def asset_condition(request: HttpRequest, asset_id: int) -> HttpResponse:
    """The holder's administrator or leader (or Finance) says what state the asset is in."""
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    if not selectors.may_edit_condition(user, asset):
        raise PermissionDenied(_("You may not change asset records."))
    form = ConditionForm(request.POST)
    if form.is_valid():
        details = register.details_of(asset)
        details = register.AssetDetails(
            **{**vars(details), "condition": form.cleaned_data["condition"]}
        )
        try:
            register.update_asset(user, asset, details)
        except DomainError as failure:
            messages.error(request, failure.detail)
        else:
            messages.success(request, _("The asset's condition was saved."))
    else:
        messages.error(request, _("Choose the asset's condition."))
    return redirect("desk:assets:asset", asset.pk)


def _status_change(request: HttpRequest, asset_id: int, change, done: str) -> HttpResponse:
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    if not selectors.may_edit_condition(user, asset):
        raise PermissionDenied(_("You may not change asset records."))
    try:
        change(user, asset)
    except DomainError as failure:
        messages.error(request, failure.detail)
    else:
        messages.success(request, done)
    return redirect("desk:assets:asset", asset.pk)


@login_required
@require_POST
def asset_surplus(request: HttpRequest, asset_id: int) -> HttpResponse:
    return _status_change(
        request, asset_id, register.mark_surplus, _("The asset is declared surplus.")
    )


@login_required
@require_POST
def asset_in_use(request: HttpRequest, asset_id: int) -> HttpResponse:
    return _status_change(request, asset_id, register.back_in_use, _("The asset is in use again."))


@login_required
def asset_move(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Record a move: a transfer to another agency, or a disposal, by decision."""
    user = request.user
    asset = selectors.get_asset(user, asset_id)
    _require_arranger(user)
    if asset.status == Asset.Status.DISPOSED:
        messages.error(
            request,
            _("%(identifier)s was disposed of: it moves no more.")
            % {"identifier": asset.identifier},
        )
        return redirect("desk:assets:asset", asset.pk)
    form = MovementForm(
        request.POST or None,
        user=user,
        asset=asset,
        initial={"on": register.today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            register.record_movement(user, asset, form.spec())
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The move was recorded."))
            return redirect("desk:assets:asset", asset.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "asset": asset}
    return render(request, "assets/asset_move.html", context, status=status)


# --- importing --------------------------------------------------------------------------------


@login_required
def asset_import(request: HttpRequest) -> HttpResponse:
    """Upload the workbook; the page shows every problem of every row, or what was done."""
    user = request.user
    _require_arranger(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    done: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = summary(import_file(user, upload.name, upload.read()))
        except NothingImported as refused:
            problems = refused.problems
    context = {"form": form, "problems": problems, "done": done, "columns": COLUMNS}
    status = 422 if problems or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "assets/import.html", context, status=status)


@login_required
def asset_import_template(request: HttpRequest) -> HttpResponse:
    """The workbook to fill in, with the headers the import reads and the kind codes."""
    return workbook_response(TEMPLATE_FILENAME, template_workbook(selectors.asset_kinds()))
