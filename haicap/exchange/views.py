"""The operators' page of the exchange: the outbox by state, failures explained, retries, and
the reconciliation with each national system."""

import datetime as dt

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.converters import record_id
from haicap.core.errors import DomainError
from haicap.core.masking import mask_text
from haicap.exchange import selectors, services
from haicap.exchange.inbound import parsing
from haicap.exchange.inbound import services as inbound_services
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import OutboxMessage

PAGE_SIZE = 50


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    status = status if status in OutboxMessage.Status.values else ""
    kind = (request.GET.get("kind") or "")[:60]
    query = (request.GET.get("q") or "")[:80]
    rows = selectors.outbox(request.user, status or None, kind or None, query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "messages_shown": [(m, mask_text(m.last_error)) for m in page.object_list],
        "counts": selectors.counts_by_status(request.user),
        "statuses": OutboxMessage.Status.choices,
        "kinds": selectors.kinds(request.user),
        "status": status,
        "kind": kind,
        "query": query,
        "query_string": params.urlencode(),
        "reconciliations": selectors.latest_reconciliations(request.user),
        "held": [
            (r, parsing.differing_fields(r.first.payload, r.payload))
            for r in selectors.held_repeats(request.user)[:PAGE_SIZE]
        ],
        "yesterday": (clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)),
    }
    return render(request, "exchange/outbox.html", context)


@login_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    chosen = selectors.outbox(request.user, OutboxMessage.Status.DEAD)
    if request.POST.get("message"):
        chosen = chosen.filter(pk=record_id(request.POST["message"]) or 0)
    elif request.POST.get("kind"):
        chosen = chosen.filter(kind=request.POST["kind"][:60])
    try:
        count = services.retry(request.user, chosen)
    except DomainError as failure:
        flash.error(request, failure.detail)
    else:
        flash.success(request, _("%(n)d messages go out again.") % {"n": count})
    return redirect("desk:outbox")


@login_required
@require_POST
def run_reconciliation(request: HttpRequest) -> HttpResponse:
    selectors.require_exchange_reader(request.user)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        flash.error(request, _("Choose the day to reconcile."))
        return redirect("desk:outbox")
    try:
        result = services.reconcile_now(request.user, NATIONAL_PORTAL, day)
    except DomainError as failure:
        flash.error(request, failure.detail)
        return redirect("desk:outbox")
    if result.error:
        flash.error(
            request, _("The national system could not be reached: %(e)s") % {"e": result.error}
        )
    else:
        flash.success(
            request,
            _("%(day)s: %(n)d differences, %(resent)d messages sent again.")
            % {
                "day": day.strftime("%d/%m/%Y"),
                "n": len(result.differences),
                "resent": result.resent,
            },
        )
    return redirect("desk:outbox")


@login_required
@require_POST
def settle_repeat(request: HttpRequest) -> HttpResponse:
    repeat = (
        selectors.held_repeats(request.user)
        .filter(pk=record_id(request.POST.get("repeat")) or 0)
        .first()
    )
    try:
        if repeat is None:
            raise DomainError(_("This filing is no longer held."))
        inbound_services.settle_repeat(request.user, repeat, request.POST.get("settlement", ""))
    except DomainError as failure:
        flash.error(request, failure.detail)
    else:
        flash.success(request, _("The filing %(id)s is settled.") % {"id": repeat.national_id})
    return redirect("desk:outbox")
