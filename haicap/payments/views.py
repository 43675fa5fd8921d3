"""The gateway's confirmations (a machine's POST, signed), and the desk's pages: the daily
reconciliation with every difference, and a paid fee's printed receipt."""

import datetime as dt
import json

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.api import domain_problem, problem_response
from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.scoping import scope_of
from haicap.dossiers.printing import pdf_response
from haicap.payments import selectors, services, wire
from haicap.payments.gateway import callback_secret
from haicap.payments.models import Payment
from haicap.payments.receipt import receipt

MAX_CONFIRMATION = 16 * 1024


@csrf_exempt  # a machine's POST, authenticated by its signature, not by a session
@require_POST
def confirmation(request: HttpRequest) -> HttpResponse:
    """The gateway says a payment is made: signed with the shared secret, applied once."""
    body = request.body[: MAX_CONFIRMATION + 1]
    if len(body) > MAX_CONFIRMATION:
        return problem_response(request, 413, "too_large", _("Too large"), _("Too large."))
    if not wire.signature_matches(callback_secret(), body, request.headers.get("X-Signature")):
        return problem_response(
            request,
            401,
            "bad_signature",
            _("Not signed by the gateway"),
            _("The confirmation's signature does not match the shared secret."),
        )
    try:
        found = wire.transaction_from(json.loads(body))
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        return problem_response(
            request, 422, "invalid_input", _("The request is not valid"), str(error)
        )
    try:
        applied = services.confirm(found, "callback")
    except DomainError as error:
        return domain_problem(request, error)
    return JsonResponse(
        {
            "reference": applied.payment.reference,
            "applied": applied.new,
            "duplicate": not applied.new,
        }
    )


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    runs = selectors.reconciliations(request.user)
    day = clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM)
    context = {
        "runs": runs,
        "yesterday": day,
        "paid": selectors.payments_paid_between(request.user, start, start + dt.timedelta(2)),
        "may_run": scope_of(request.user).is_system_admin,
    }
    return render(request, "payments/reconciliation.html", context)


@login_required
@require_POST
def run_reconciliation(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).is_system_admin:
        raise PermissionDenied(_("Only a system administrator runs the reconciliation."))
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        flash.error(request, _("Give the day as YYYY-MM-DD."))
        return redirect("desk:payment_reconciliation")
    run = services.reconcile(day)
    if run.error:
        flash.error(request, run.error)
    else:
        flash.success(
            request,
            _("%(day)s: %(count)d differences.")
            % {"day": day.strftime("%d/%m/%Y"), "count": len(run.differences)},
        )
    return redirect("desk:payment_reconciliation")


@login_required
def receipt_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    payment = selectors.payment_of(request.user, reference)
    if payment.status != Payment.Status.PAID:
        raise PermissionDenied(_("A receipt is printed once the fee is paid."))
    return pdf_response(receipt(payment), f"bien-nhan-{payment.reference}.pdf")
