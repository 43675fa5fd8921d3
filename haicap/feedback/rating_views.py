"""The public rating of a returned dossier (``/danh-gia/ho-so/``).

Reached from the look-up page, whose survey carries a signed token for the dossier its PIN
opened; or on its own (``?ma=CODE``), where the applicant first gives the code and PIN, as
throttled as on the look-up (``dossiers.services.look_up``). One rating per dossier.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from haicap.core.errors import Conflict, DomainError
from haicap.core.middleware import client_ip
from haicap.dossiers import services as dossier_services
from haicap.feedback import rating_tokens
from haicap.feedback.rating_forms import CodeAndPinForm, DossierRatingForm
from haicap.feedback.services import ratings

PROVE = "feedback/rating/prove.html"
RATE = "feedback/rating/rate.html"
THANKS = "feedback/rating/thanks.html"


@require_http_methods(["GET", "POST"])
def rate_dossier(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "token" in request.POST:
        return _rate(request)
    if request.method == "POST":
        return _prove(request)
    form = CodeAndPinForm(initial={"code": request.GET.get("ma", "")[:60]})
    return render(request, PROVE, {"form": form})


def _prove(request: HttpRequest) -> HttpResponse:
    """The code and PIN given on this page: the dossier's survey, if it may be rated."""
    form = CodeAndPinForm(request.POST)
    if not form.is_valid():
        return render(request, PROVE, {"form": form}, status=422)
    code, pin = form.cleaned_data["code"].strip(), form.cleaned_data["pin"].strip()
    try:
        dossier = dossier_services.look_up(code, pin, client_ip(request))
    except DomainError as failure:
        return render(
            request, PROVE, {"form": form, "error": failure.detail}, status=failure.status
        )
    offer = rating_tokens.offer_for(dossier)
    return render(request, RATE, {"dossier": dossier, "rating": offer})


def _rate(request: HttpRequest) -> HttpResponse:
    form = DossierRatingForm(request.POST)
    try:
        dossier = rating_tokens.dossier_of(request.POST.get("token", ""))
    except DomainError as failure:
        context = {"form": CodeAndPinForm(), "error": failure.detail}
        return render(request, PROVE, context, status=failure.status)
    offer = rating_tokens.Offer(dossier, rated=False, form=form)
    if not form.is_valid():
        return render(request, RATE, {"dossier": dossier, "rating": offer}, status=422)
    try:
        ratings.rate_dossier(dossier, form.answers(), form.cleaned_data["comment"])
    except Conflict as refusal:  # rated already (a second tab, a form sent twice)
        context = {"dossier": dossier, "said": refusal.detail}
        return render(request, THANKS, context, status=refusal.status)
    except DomainError as failure:
        context = {"dossier": dossier, "rating": offer, "error": failure.detail}
        return render(request, RATE, context, status=failure.status)
    return render(request, THANKS, {"dossier": dossier})
