"""The public site's petition pages: file a petition (with photos), its confirmation, follow it
with its code and PIN (and say whether the answer resolved it, and rate it), and the answered
petitions whose senders agreed to publication. Nobody signs in here.

There is no map: the site has no offline map tiles, so a sender says where with an address and
the commune or ward (current, or the one they have always known).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from haicap.core.errors import DomainError, NotFound, Throttled
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.middleware import client_ip
from haicap.dossiers.downloads import paper_response
from haicap.feedback import filing_tokens, opened, receipts, redaction, selectors
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Petition, PetitionEvent
from haicap.feedback.public_forms import (
    PetitionForm,
    PetitionLookupForm,
    RatingForm,
    ReopenForm,
    unit_options,
)
from haicap.feedback.services import filing, handling, lookup, ratings
from haicap.units import selectors as units

PETITIONS_PER_PAGE = 20


# --- filing ------------------------------------------------------------------------------


def _petition_form(*args: object, **kwargs: object) -> PetitionForm:
    return PetitionForm(
        *args,
        categories=list(selectors.offered_categories()),
        communes=list(units.public_communes()),
        **kwargs,
    )


def _filing_page(
    request: HttpRequest,
    form: PetitionForm | None = None,
    *,
    initial: dict | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    form = form or _petition_form(initial=initial or {"filing_token": filing_tokens.issue()})
    if not form.is_bound and not form.options and (typed := (initial or {}).get("unit_search")):
        form.options = unit_options(typed, (initial or {}).get("unit", ""))
    context = {"form": form, "error": error, "options": form.options}
    return render(request, "feedback/public/file.html", context, status=status)


def file_petition(request: HttpRequest) -> HttpResponse:
    """A citizen files a petition, then is sent (303) to its confirmation.

    Each POST counts against the filing throttle first, whatever it holds. A form whose one-time
    token already filed a petition files nothing and leads to that one's confirmation. A body
    larger than ``settings.REQUEST_BODY_LIMITS`` allows never gets here (it is refused unread by
    ``core.middleware.BodySizeLimitMiddleware``).
    """
    if request.method != "POST":
        return _filing_page(request)
    ip = client_ip(request)
    data = request.POST.copy()
    try:
        filing.count_attempt(ip, data.get("phone", "")[:20], data.get("email", "")[:254])
    except Throttled as refusal:  # what was typed is shown again, unjudged
        return _filing_page(request, initial=data.dict(), error=refusal.detail, status=429)
    nonce = filing_tokens.nonce_of(data.get("filing_token", ""))
    if nonce is None:
        data["filing_token"] = filing_tokens.issue()
    elif earlier := selectors.petition_filed_with(nonce):
        return _to_confirmation(earlier)  # sent again (reload, back button, second click)
    form = _petition_form(data, request.FILES)
    if not form.is_valid():
        return _filing_page(request, form)
    if nonce is None:
        error = _(
            "This form was out of date and nothing was sent. Check it, choose your photos "
            "again and send it."
        )
        return _filing_page(request, form, error=error)
    where = form.where
    try:
        filed = filing.file_petition(
            category=form.cleaned_data["category"],
            text=form.cleaned_data["text"],
            sender=form.sender(),
            channel=Petition.Channel.WEB,
            place=form.cleaned_data["place"],
            commune=where.commune,
            named_unit=where.named,
            village=form.cleaned_data["village"],
            dossier_code=form.cleaned_data["dossier_code"],
            publish_consent=form.cleaned_data["publish_consent"],
            photos_sent=form.photos_sent(),
            filing_token=nonce,
        )
    except filing.AlreadyFiled as already:  # the same form, sent twice at once
        return _to_confirmation(already.petition)
    except DomainError as failure:
        return _filing_page(request, form, error=failure.detail, status=failure.status)
    receipts.remember(request.session, filed.petition.code, filed.pin)
    return _to_confirmation(filed.petition)


@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """The communes and wards, current and former, named like what was typed: the choices for
    htmx, or the form with them for a browser that opened the address itself."""
    query = (request.GET.get("unit_search") or "").strip()[:100]
    if not wants_fragment(request):
        initial = {"filing_token": filing_tokens.issue(), "unit_search": query}
        return varies_with_htmx(_filing_page(request, initial=initial))
    context = {"options": unit_options(query) if query else [], "query": query}
    return varies_with_htmx(render(request, "feedback/public/_unit_choices.html", context))


def _to_confirmation(petition: Petition) -> HttpResponse:
    response = HttpResponseRedirect(reverse("feedback_public:filed", args=[petition.code]))
    response.status_code = 303  # See Other: the browser GETs it, and a reload repeats the GET
    return response


def filed(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation, for the browser that filed it: the code, the PIN the first time only,
    who answers and by when, and where a former commune's petition went."""
    petition = selectors.filed_petition(code) if receipts.may_show(request.session, code) else None
    if petition is None:
        raise NotFound(
            _(
                "This confirmation is shown only in the browser that sent the petition. "
                "Follow your petition with its code and PIN."
            )
        )
    context = {"petition": petition, "pin": receipts.take_pin(request.session, code)}
    # The page shows the PIN: NoStoreMiddleware keeps it out of every cache.
    return render(request, "feedback/public/filed.html", context)


# --- following a petition -------------------------------------------------------------------


def _state_in_words(petition: Petition) -> str:
    agency = petition.agency.name
    if petition.state == State.RECEIVED:
        return _("Received by %(agency)s; an officer will be put in charge of it.") % {
            "agency": agency
        }
    if petition.state in (State.ASSIGNED, State.IN_PROGRESS):
        return _("Being handled by %(agency)s.") % {"agency": agency}
    if petition.state == State.ANSWERED:
        return _("Answered. Tell us below whether the answer resolved it.")
    return _("Closed: the answer is final.")


def _step_in_words(event: PetitionEvent) -> str:
    kind, to = event.kind, event.to_agency.name if event.to_agency else ""
    if kind == PetitionEvent.Kind.RECEIVED:
        return _("Received by %(agency)s.") % {"agency": to} if to else _("Received.")
    if kind == PetitionEvent.Kind.TRANSFERRED:
        return _("Transferred to %(agency)s, the agency competent for it. Reason: %(reason)s") % {
            "agency": to,
            "reason": event.note,
        }
    if kind == PetitionEvent.Kind.REOPENED and event.note:  # what the sender said, shown back
        return _("You said the answer did not resolve it: %(reason)s") % {"reason": event.note}
    return {
        PetitionEvent.Kind.ASSIGNED: _("An officer was put in charge of it."),
        PetitionEvent.Kind.STARTED: _("Work on it began."),
        PetitionEvent.Kind.ANSWERED: _("Answered."),
        PetitionEvent.Kind.REOPENED: _("You said the answer did not resolve it."),
        PetitionEvent.Kind.ACCEPTED: _("You said the answer resolved it."),
        PetitionEvent.Kind.CLOSED: _("Closed."),
    }.get(kind, "")


def _lookup_page(
    request: HttpRequest,
    form: PetitionLookupForm | None = None,
    *,
    petition: Petition | None = None,
    error: str = "",
    status: int = 200,
    reopen_form: ReopenForm | None = None,
    rating_form: RatingForm | None = None,
) -> HttpResponse:
    context: dict = {"form": form or PetitionLookupForm(), "error": error, "petition": petition}
    if petition is not None:
        answered = petition.state == State.ANSWERED
        rateable = petition.state in (State.ANSWERED, State.CLOSED) and petition.answered_at
        context |= {
            "state_in_words": _state_in_words(petition),
            "steps": [(e, _step_in_words(e)) for e in selectors.public_steps(petition)],
            "answers": selectors.answers_of(petition),
            "may_accept": answered,
            "may_reopen": answered and not petition.reopened,
            "reopen_form": reopen_form or ReopenForm(),
            "rated": selectors.is_rated(petition),
            "may_rate": bool(rateable),
            "rating_form": rating_form or RatingForm(),
        }
    return render(request, "feedback/public/look_up.html", context, status=status)


def _back_to_petition() -> HttpResponse:
    response = HttpResponseRedirect(reverse("feedback_public:look_up"))
    response.status_code = 303
    return response


def look_up(request: HttpRequest) -> HttpResponse:
    """A sender follows a petition with its code and PIN, posted (never in the address) and
    throttled. The browser that proved the PIN sees the petition here for a while, downloads
    the answer's attachments, and says whether the answer resolved it."""
    if request.method != "POST":
        code = opened.latest_code(request.session)
        petition = selectors.filed_petition(code) if code else None
        if petition is not None and not opened.is_open(request.session, petition):
            petition = None
        initial = {"code": request.GET.get("ma", "")[:40]}
        return _lookup_page(request, PetitionLookupForm(initial=initial), petition=petition)
    action = request.POST.get("action", "")
    if action in SENDER_ACTIONS:
        return SENDER_ACTIONS[action](request)
    form = PetitionLookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, form)
    try:
        petition = lookup.look_up(
            form.cleaned_data["code"], form.cleaned_data["pin"], client_ip(request)
        )
    except DomainError as failure:
        return _lookup_page(request, form, error=failure.detail, status=failure.status)
    opened.remember(request.session, petition)
    return _back_to_petition()  # the PIN is not posted again by a reload


def _opened_petition(request: HttpRequest) -> Petition | None:
    code = (request.POST.get("code") or "").strip()[:40]
    petition = selectors.filed_petition(code) if code else None
    if petition is None or not opened.is_open(request.session, petition):
        return None
    return petition


def _again(request: HttpRequest) -> HttpResponse:
    error = _("For your safety, enter the petition's code and PIN again.")
    return _lookup_page(request, error=error, status=403)


def _accept(request: HttpRequest) -> HttpResponse:
    petition = _opened_petition(request)
    if petition is None:
        return _again(request)
    try:
        handling.accept(petition.code)
    except DomainError as failure:
        return _lookup_page(request, petition=petition, error=failure.detail, status=failure.status)
    messages.success(request, _("Thank you: the petition is closed as resolved."))
    return _back_to_petition()


def _reopen(request: HttpRequest) -> HttpResponse:
    petition = _opened_petition(request)
    if petition is None:
        return _again(request)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, petition=petition, reopen_form=form, status=422)
    try:
        handling.reopen(petition.code, form.cleaned_data["reason"])
    except DomainError as failure:
        return _lookup_page(
            request,
            petition=petition,
            reopen_form=form,
            error=failure.detail,
            status=failure.status,
        )
    messages.success(
        request, _("The agency has been told that the answer did not resolve it; it answers again.")
    )
    return _back_to_petition()


def _rate(request: HttpRequest) -> HttpResponse:
    petition = _opened_petition(request)
    if petition is None:
        return _again(request)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, petition=petition, rating_form=form, status=422)
    try:
        ratings.rate_petition(petition, form.answers(), form.cleaned_data["comment"])
    except DomainError as failure:
        return _lookup_page(
            request,
            petition=petition,
            rating_form=form,
            error=failure.detail,
            status=failure.status,
        )
    messages.success(request, _("Thank you for your rating."))
    return _back_to_petition()


SENDER_ACTIONS = {"accept": _accept, "reopen": _reopen, "rate": _rate}


@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """An answer's attachment, for the browser that proved the petition's PIN; others go to
    the look-up."""
    paper = selectors.answer_attachment(attachment_id)
    if paper is None or not opened.is_open(request.session, paper.answer.petition):
        return HttpResponseRedirect(reverse("feedback_public:look_up"))
    return paper_response(paper)


# --- answered petitions, public -------------------------------------------------------------


def _published_text(petition: Petition) -> str:
    """The petition's text without its sender's personal data."""
    return redaction.redact(petition.text, petition.sender_details)


@require_GET
def answered_list(request: HttpRequest) -> HttpResponse:
    categories = list(selectors.categories())
    communes = list(units.public_communes())
    category = request.GET.get("category", "")
    commune = request.GET.get("commune", "")
    category = category if category in {c.code for c in categories} else ""
    commune = commune if commune in {u.code for u in communes} else ""
    petitions = selectors.published_list(category, commune)
    page = Paginator(petitions, PETITIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(p, _published_text(p)) for p in page.object_list],
        "categories": categories,
        "communes": communes,
        "category": category,
        "commune": commune,
    }
    return render(request, "feedback/public/answered_list.html", context)


@require_GET
def answered_detail(request: HttpRequest, code: str) -> HttpResponse:
    petition = selectors.published_petition(code)
    if petition is None:
        raise NotFound(_("No answered petition is published under this code."))
    context = {"petition": petition, "text": _published_text(petition)}
    return render(request, "feedback/public/answered_detail.html", context)
