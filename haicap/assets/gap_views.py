"""The pages of what each commune lacks: the gap table of communes by kinds, coloured by gap
and exported to Excel; one cell's items; the equipment norms; and the allocation proposals,
run by Finance's officers and approved or turned down by its leaders.

What a reader sees is what ``selectors`` lets them read: Finance and the supervisors the
province, a commune its own row, and the proposals moving something into or out of it.
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from haicap.assets import selectors
from haicap.assets.gap_export import gap_workbook, title_of
from haicap.assets.gap_forms import ApproveForm, GapFilterForm, NormForm, RejectForm, RunForm
from haicap.assets.models import AllocationProposal, AssetKind
from haicap.assets.needs import Need
from haicap.assets.permissions import arranges_assets, decides_assets
from haicap.assets.services import allocation
from haicap.assets.services import norms as norm_services
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import DomainError, IdempotencyKeyReused, PermissionDenied
from haicap.core.exports import workbook_response
from haicap.core.restricted import Viewer

DARKEST = 3  # a gap of 3 or more takes the darkest shade
PAGE_SIZE = 50
Status = AllocationProposal.Status


def shade(need: Need) -> str:
    """The cell's class (the staffing gap table's): neutral when met, darker as the gap grows,
    its own when the commune holds more than it needs."""
    if need.gap:
        return f"gap-{min(need.gap, DARKEST)}"
    return "gap-surplus" if need.beyond else "gap-0"


@dataclass(frozen=True)
class ShownCell:
    """A cell as the page draws it, and the address of its items."""

    need: Need
    kind_code: str
    url: str

    @property
    def shade(self) -> str:
        return shade(self.need)


# --- the gap table and a cell's items --------------------------------------------------------


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    kinds = selectors.norm_kinds(request.user)
    form = GapFilterForm(request.GET or None, kinds=kinds)
    table = selectors.gap_table(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        day = clock.now().astimezone(VIETNAM).date()
        return workbook_response(f"thieu-hut-thiet-bi-{day:%Y%m%d}.xlsx", gap_workbook(table))
    rows = [
        (
            commune,
            [
                ShownCell(
                    table.cell(commune.pk, k.kind.code),
                    k.kind.code,
                    reverse(
                        "desk:assets:gap_items",
                        kwargs={"unit_id": commune.pk, "kind_id": k.kind.pk},
                    ),
                )
                for k in table.kinds
            ],
            table.row_total(commune.pk),
        )
        for commune in table.communes
    ]
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "form": form,
        "table": table,
        "title": title_of(),
        "rows": rows,
        "column_totals": [table.column_total(k.kind.code) for k in table.kinds],
        "total": table.total(),
        "query_string": query.urlencode(),
        "has_norms": bool(kinds),
    }
    return render(request, "assets/gaps.html", context)


@login_required
def gap_items(request: HttpRequest, unit_id: int, kind_id: int) -> HttpResponse:
    found = selectors.gap_items(request.user, unit_id, kind_id)
    context = {
        "found": found,
        "need": found.need,
        "shade": shade(found.need),
        "title": _("%(kind)s in %(commune)s")
        % {"kind": found.kind.kind.name, "commune": found.commune.full_name},
    }
    return render(request, "assets/gaps_items.html", context)


# --- the norms --------------------------------------------------------------------------------


def _require_arranger(user: Viewer) -> None:
    if not arranges_assets(user):
        raise PermissionDenied(_("Only Finance's officers change the equipment norms."))


@login_required
def norm_list(request: HttpRequest) -> HttpResponse:
    context = {
        "norms": selectors.equipment_norms(request.user),
        "arranges": arranges_assets(request.user),
    }
    return render(request, "assets/norms.html", context)


@login_required
def norm_new(request: HttpRequest) -> HttpResponse:
    return _norm_form(request, None)


@login_required
def norm_edit(request: HttpRequest, norm_id: int) -> HttpResponse:
    return _norm_form(request, selectors.get_norm(request.user, norm_id))


def _norm_form(request: HttpRequest, norm) -> HttpResponse:
    user = request.user
    _require_arranger(user)
    kinds = AssetKind.objects.restrict(user).order_by("category", "name")
    form = NormForm(request.POST or None, kinds=kinds, norm=norm)
    if request.method == "POST" and form.is_valid():
        try:
            norm_services.save_norm(user, form.spec(), norm)
        except DomainError as failure:
            form.add_error(None, failure.detail)
        else:
            messages.success(request, _("The norm was saved."))
            return redirect("desk:assets:norms")
    status = 422 if request.method == "POST" else 200
    return render(request, "assets/norms_form.html", {"form": form, "norm": norm}, status=status)


@login_required
@require_POST
def norm_remove(request: HttpRequest, norm_id: int) -> HttpResponse:
    norm = selectors.get_norm(request.user, norm_id)
    norm_services.remove_norm(request.user, norm)
    messages.success(request, _("The norm was removed."))
    return redirect("desk:assets:norms")


# --- allocation proposals ---------------------------------------------------------------------

STATUS_FILTERS = {"open": (Status.PROPOSED,), "decided": (Status.APPROVED, Status.REJECTED)}


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    user = request.user
    shown = request.GET.get("status", "open")
    shown = shown if shown in (*STATUS_FILTERS, "all") else "open"
    found = selectors.visible_proposals(user).select_related("movement__from_agency")
    if shown != "all":
        found = found.filter(status__in=STATUS_FILTERS[shown])
    page = Paginator(found.order_by("-proposed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = clock.now().astimezone(VIETNAM).date()
    context = {
        "page": page,
        "rows": selectors.proposal_rows(user, list(page.object_list)),
        "shown": shown,
        "may_run": arranges_assets(user),
        "may_decide": decides_assets(user),
        "run_form": RunForm(),
        "approve_form": ApproveForm(initial={"on": today}),
        "reject_form": RejectForm(),
        "idempotency_key": uuid.uuid4().hex,
        "query_string": f"status={shown}",
    }
    return render(request, "assets/allocation.html", context)


@login_required
@require_POST
def proposals_run(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("desk:assets:proposals")
    try:
        made = allocation.propose(
            request.user,
            form.cleaned_data["max_minutes"],
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except IdempotencyKeyReused:
        messages.error(request, _("The form was sent before with other figures: send it again."))
        return redirect("desk:assets:proposals")
    except DomainError as failure:
        if failure.status == 403:
            raise
        messages.error(request, failure.detail)
        return redirect("desk:assets:proposals")
    if made:
        messages.success(
            request,
            _("%(count)d proposals were made, the nearest first.") % {"count": len(made)},
        )
    else:
        messages.info(request, _nothing_proposed(form.cleaned_data["max_minutes"]))
    return redirect("desk:assets:proposals")


@login_required
@require_POST
def proposal_approve(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, proposal_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("desk:assets:proposals")
    try:
        allocation.approve(
            request.user, proposal, form.cleaned_data["decision"], form.cleaned_data["on"]
        )
    except DomainError as failure:
        if failure.status == 403:
            raise
        messages.error(request, failure.detail)
        return redirect("desk:assets:proposals")
    messages.success(
        request,
        _("Approved: %(asset)s moves to %(agency)s.")
        % {"asset": proposal.asset.name, "agency": proposal.to_agency.name},
    )
    return redirect("desk:assets:proposals")


@login_required
@require_POST
def proposal_reject(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, proposal_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("desk:assets:proposals")
    try:
        allocation.reject(request.user, proposal, form.cleaned_data["reason"])
    except DomainError as failure:
        if failure.status == 403:
            raise
        messages.error(request, failure.detail)
        return redirect("desk:assets:proposals")
    messages.success(request, _("The proposal was turned down."))
    return redirect("desk:assets:proposals")


def _nothing_proposed(max_minutes: int) -> str:
    """Why a run proposed nothing: the travel allowed, and the items a commune turned down."""
    said = _(
        "No surplus item can go to a commune lacking its kind within %(minutes)d minutes of travel."
    ) % {"minutes": max_minutes}
    refused = allocation.turned_down_still_lacking()
    if refused:
        said += " " + ngettext(
            "%(count)d surplus item was left out: the commune lacking its kind turned a "
            "proposal of it down, and it is not proposed there again.",
            "%(count)d surplus items were left out: the commune lacking their kind turned a "
            "proposal of them down, and they are not proposed there again.",
            refused,
        ) % {"count": refused}
    return said
