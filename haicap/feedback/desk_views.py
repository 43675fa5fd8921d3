"""The petition desk: the queue, one petition with its history and the actions open to the
reader, its photos and the files sent with its answers, and filing on a sender's behalf.

Every read starts from the reader's scope (``selectors``): a petition out of it is a 404, as one
that does not exist. Every action is a POST carrying the petition's ``version``: a form sent from
a page someone else has since changed is refused with a conflict, and comes back with what was
typed in it, on the petition as it now is.
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for, calendars_for_units
from haicap.calendar.workdays import WorkCalendar
from haicap.core import clock
from haicap.core.converters import record_id
from haicap.core.errors import DomainError, PermissionDenied
from haicap.core.masking import mask_phone
from haicap.core.scoping import scope_of
from haicap.dossiers.downloads import paper_response
from haicap.feedback import lifecycle, permissions, photos, selectors
from haicap.feedback.contact import shown_contact
from haicap.feedback.desk_forms import (
    AnswerForm,
    AssignForm,
    FilingForm,
    QueueFilterForm,
    StepDeadlineForm,
    TransferForm,
)
from haicap.feedback.lifecycle import Action, State
from haicap.feedback.models import STATE_LABELS, Petition, PetitionEvent
from haicap.feedback.redaction import redact
from haicap.feedback.services import filing, handling
from haicap.feedback.timing import left_of
from haicap.units.models import AdministrativeUnit
from haicap.units.selectors import public_communes

PAGE_SIZE = 25

# What the services and the worker write as an event's note, in the reader's language.
EVENT_NOTES = {
    "final answer": gettext_lazy("the second answer is final"),
    "unchallenged": gettext_lazy(
        "the sender neither accepted nor challenged the answer in the time given"
    ),
}
ACTOR_LABELS = {
    "sender": gettext_lazy("the sender"),
    "worker": gettext_lazy("haicap, automatically"),
}

# --- the queue ----------------------------------------------------------------------------------


def deadline_words(petition: Petition, calendar: WorkCalendar, now: dt.datetime) -> str:
    """How far an open petition is from its legal deadline ("3 working days left", "overdue
    by 2 days"); for an answered one, whether its first answer came in time."""
    if petition.state in (State.ANSWERED, State.CLOSED):
        first = petition.first_answered_at
        if first is None:
            return ""
        return _("answered on time") if first <= petition.legal_due_at else _("answered late")
    left = left_of(calendar.elapsed(now, petition.legal_due_at), petition.legal_due_at < now)
    if left.overdue:
        if not left.days:
            return _("overdue by less than a day")
        return ngettext("overdue by %(n)d day", "overdue by %(n)d days", left.days) % {
            "n": left.days
        }
    if not left.days:
        return _("less than a working day left")
    return ngettext("%(n)d working day left", "%(n)d working days left", left.days) % {
        "n": left.days
    }


def _queue_communes(user: User) -> list[AdministrativeUnit] | None:
    """The commune filter, for those who read more than their own commune's petitions."""
    scope = scope_of(user)
    if scope.province_wide or scope.provincial_agencies:
        return list(public_communes())
    return None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    province_wide = scope_of(user).province_wide
    form = QueueFilterForm(
        request.GET or None,
        categories=list(selectors.categories()),
        communes=_queue_communes(user),
        transfers=not province_wide,
    )
    now = clock.now()
    filters = selectors.QueueFilters(**form.filters())
    rows = selectors.petition_queue(user, filters, now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    calendars = calendars_for_units({p.agency.unit_id for p in page.object_list})
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [
            {
                "petition": p,
                "state": STATE_LABELS[State(p.state)],
                "overdue": p.is_open and p.legal_due_at < now,
                "left": deadline_words(p, calendars.get(p.agency.unit_id) or calendars[None], now),
                "phone": mask_phone(p.sender_phone) if p.sender_phone else "",
            }
            for p in page.object_list
        ],
        "query_string": query.urlencode(),
        "may_file": permissions.may_file_for_sender(user),
        # where each is now, when the list may hold what other bodies handle
        "shows_agency": province_wide or filters.transferred,
    }
    return render(request, "feedback/desk/queue.html", context)


# --- one petition -------------------------------------------------------------------------------


def _event_rows(petition: Petition, shown: Callable[[str], str]) -> list[dict]:
    """The history; ``shown`` words a free-text note for the reader (``_shown_texts``)."""
    rows = []
    for event in selectors.history(petition):
        note = event.note
        if event.kind == PetitionEvent.Kind.STEP_DEADLINE:
            note = ""  # the moment is shown as the event's own
        rows.append(
            {
                "event": event,
                "kind": event.get_kind_display(),
                "actor": (
                    str(event.actor)
                    if event.actor
                    else ACTOR_LABELS.get(event.actor_label, event.actor_label)
                ),
                "note": EVENT_NOTES.get(note) or shown(note),
                "step_due": _step_due_of(event),
                "state": STATE_LABELS.get(event.state_after, event.state_after),
            }
        )
    return rows


def _step_due_of(event: PetitionEvent) -> dt.datetime | None:
    """The step deadline an event set (its note holds the moment, as the service wrote it)."""
    if event.kind != PetitionEvent.Kind.STEP_DEADLINE:
        return None
    try:
        return dt.datetime.fromisoformat(event.note)
    except ValueError:
        return None


def _shown_texts(petition: Petition, whole: bool) -> Callable[[str], str]:
    """How the page shows a text typed about the petition (its own, an answer, a note): as it
    is to those who may handle it; to other readers (a supervisor, a body it was transferred
    away from) without the sender's details, as the contact above is masked for them."""
    if whole:
        return lambda text: text
    return lambda text: redact(text, petition.sender_details)


def _offered(user: User, petition: Petition) -> dict:
    """The actions open to ``user`` on the petition now."""
    allowed = lifecycle.allowed(State(petition.state), reopened=petition.reopened)
    handles = permissions.may_handle(user, petition)
    assigns = permissions.may_assign(user, petition)
    answers = permissions.may_answer(user, petition)
    return {
        "assign": Action.ASSIGN in allowed and assigns,
        "take": Action.ASSIGN in allowed
        and handles
        and not assigns
        and petition.handler_id != user.pk,
        "start": Action.START in allowed and petition.handler_id == user.pk,
        "step_deadline": petition.is_open and answers,
        "transfer": Action.TRANSFER in allowed and handles,
        "answer": Action.ANSWER in allowed and answers,
    }


def _page(
    request: HttpRequest,
    petition: Petition,
    *,
    sent: str = "",
    form=None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The petition's page. ``sent``: the action whose ``form`` came back (with its refusal,
    ``error``), shown even to one it is no longer offered to, so nothing typed is lost."""
    user = request.user
    now = clock.now()
    calendar = calendar_for(petition.agency.unit)
    offered = _offered(user, petition)
    publishes = petition.publish_consent

    def form_for(action: str, make):
        if sent == action:
            return form
        return make() if offered[action] else None

    officers = selectors.officers_of(petition) if offered["assign"] or sent == "assign" else []
    targets = (
        selectors.transfer_targets(petition) if offered["transfer"] or sent == "transfer" else []
    )
    whole = permissions.may_handle(user, petition)
    shown = _shown_texts(petition, whole)
    answers = selectors.answers_of(petition)
    for reply in answers:
        reply.shown_text = shown(reply.text)
    context = {
        "petition": petition,
        "state": STATE_LABELS[State(petition.state)],
        "left": deadline_words(petition, calendar, now),
        "overdue": petition.is_open and petition.legal_due_at < now,
        "contact": shown_contact(
            petition.sender_phone,
            petition.sender_email,
            petition.sender_address,
            whole,
        ),
        "text": shown(petition.text),
        "photos": list(petition.photos.order_by("pk")),
        "routing_note": selectors.routing_note(petition) if petition.named_unit_id else "",
        "dossier_seen": selectors.sees_dossier(user, petition.dossier_id),
        "events": _event_rows(petition, shown),
        "answers": answers,
        "offered": offered,
        "take": offered["take"],
        "start": offered["start"],
        "assign_form": form_for(
            "assign",
            lambda: AssignForm(
                officers=officers, roles=selectors.officer_roles(petition, officers)
            ),
        ),
        "step_form": form_for("step_deadline", StepDeadlineForm),
        "transfer_form": form_for("transfer", lambda: TransferForm(targets=targets)),
        "answer_form": form_for("answer", lambda: AnswerForm(publishes=publishes)),
        "sent": sent,
        "error": error,
        "read_only": not any(offered.values()),
    }
    return render(request, "feedback/desk/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, selectors.petition_of(request.user, code))


def _version(request: HttpRequest) -> int:
    """The version the form was drawn from; a form without one is as stale as an old one."""
    return record_id(request.POST.get("version")) or 0


def _done(request: HttpRequest, petition: Petition, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("desk:feedback:detail", code=petition.code)


def _refused(
    request: HttpRequest, code: str, sent: str, form, failure: DomainError
) -> HttpResponse:
    """The page as it now is, with the form sent back and why it was refused."""
    petition = selectors.petition_of(request.user, code)
    return _page(
        request, petition, sent=sent, form=form, error=failure.detail, status=failure.status
    )


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    petition = selectors.petition_of(user, code)
    officers = selectors.officers_of(petition)
    form = AssignForm(
        request.POST, officers=officers, roles=selectors.officer_roles(petition, officers)
    )
    if not form.is_valid():
        return _page(request, petition, sent="assign", form=form, status=422)
    officer = form.cleaned_data["officer"]
    try:
        handling.assign(user, code, officer, version=_version(request))
    except DomainError as failure:
        return _refused(request, code, "assign", form, failure)
    if officer.pk == user.pk:
        return _done(request, petition, _("You are now in charge of this petition."))
    name = str(officer)
    return _done(request, petition, _("%(name)s is now in charge of it.") % {"name": name})


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    petition = selectors.petition_of(request.user, code)
    try:
        handling.start(request.user, code, version=_version(request))
    except DomainError as failure:
        return _refused(request, code, "", None, failure)
    return _done(request, petition, _("Work on the petition has begun."))


@login_required
@require_POST
def step_deadline(request: HttpRequest, code: str) -> HttpResponse:
    petition = selectors.petition_of(request.user, code)
    form = StepDeadlineForm(request.POST)
    if not form.is_valid():
        return _page(request, petition, sent="step_deadline", form=form, status=422)
    try:
        handling.set_step_deadline(
            request.user, code, form.cleaned_data["due"], version=_version(request)
        )
    except DomainError as failure:
        return _refused(request, code, "step_deadline", form, failure)
    return _done(request, petition, _("The step deadline was set."))


@login_required
@require_POST
def transfer(request: HttpRequest, code: str) -> HttpResponse:
    petition = selectors.petition_of(request.user, code)
    form = TransferForm(request.POST, targets=selectors.transfer_targets(petition))
    if not form.is_valid():
        return _page(request, petition, sent="transfer", form=form, status=422)
    to = form.cleaned_data["agency"]
    try:
        handling.transfer(
            request.user, code, to, form.cleaned_data["reason"], version=_version(request)
        )
    except DomainError as failure:
        return _refused(request, code, "transfer", form, failure)
    messages.success(request, _("The petition was sent to %(agency)s.") % {"agency": to.name})
    # the body that held it keeps reading it
    return redirect("desk:feedback:detail", code=petition.code)


@login_required
@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """Send the answer; or, asked for a preview, fill the published text with the answer
    stripped of personal data, for the officer to read and edit before sending."""
    petition = selectors.petition_of(request.user, code)
    publishes = petition.publish_consent
    if request.POST.get("preview") and publishes:
        data = request.POST.copy()
        data["public_text"] = redact(data.get("text", ""), petition.sender_details)
        form = AnswerForm(data, publishes=True)
        form.is_valid()  # shows what is still missing, as a send would
        return _page(request, petition, sent="answer", form=form)
    form = AnswerForm(request.POST, request.FILES, publishes=publishes)
    if not form.is_valid():
        return _page(request, petition, sent="answer", form=form, status=422)
    data = form.cleaned_data
    try:
        handling.answer(
            request.user,
            code,
            data["text"],
            public_text=data.get("public_text") if publishes else None,
            attachments=data["attachments"],
            version=_version(request),
        )
    except DomainError as failure:
        return _refused(request, code, "answer", form, failure)
    return _done(request, petition, _("The answer was sent to the sender."))


@login_required
def photo(request: HttpRequest, code: str, photo_id: int) -> FileResponse:
    """A photo of the petition, shown in the browser with the type it was stored as."""
    return paper_response(selectors.photo_of(request.user, code, photo_id))


@login_required
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    return paper_response(selectors.attachment_of(request.user, code, attachment_id))


# --- filing on a sender's behalf ----------------------------------------------------------------


def _filing_form(user: User, data=None, files=None) -> FilingForm:
    initial = {"filing_token": uuid.uuid4().hex}
    communes = scope_of(user).communes
    if len(communes) == 1:  # a commune's desk mostly hears of its own commune
        initial["commune"] = str(next(iter(communes)))
    return FilingForm(
        data,
        files,
        categories=list(selectors.offered_categories()),
        communes=list(public_communes()),
        former=selectors.former_communes(),
        initial=initial,
    )


def _uploaded_photos(request: HttpRequest, keep_location: bool) -> list[filing.Photo]:
    # one byte past the limit is enough for the service to refuse a photo as too large
    return [
        filing.Photo(upload.name or "", upload.read(photos.MAX_PHOTO_BYTES + 1), keep_location)
        for upload in request.FILES.getlist("photos")
    ]


@login_required
def file_for_sender(request: HttpRequest) -> HttpResponse:
    """A sender at the desk (or on the phone): the officer types the petition in, and hands the
    sender its code and PIN, shown once."""
    user = request.user
    if not permissions.may_file_for_sender(user):
        raise PermissionDenied(_("Only an agency's officers file petitions for senders."))
    if request.method != "POST":
        return render(request, "feedback/desk/file.html", {"form": _filing_form(user)})
    form = _filing_form(user, request.POST, request.FILES)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        chosen = form.chosen()
        try:
            filed = filing.file_petition(
                category=chosen["category"],
                text=data["text"],
                sender=filing.Sender(
                    name=data["sender_name"],
                    phone=data["sender_phone"],
                    email=data["sender_email"],
                    address=data["sender_address"],
                ),
                channel=Petition.Channel.DESK,
                place=data["place"],
                commune=chosen["commune"],
                named_unit=chosen["named_unit"],
                village=data["village"],
                dossier_code=data["dossier_code"],
                publish_consent=data["publish_consent"],
                photos_sent=_uploaded_photos(request, data["keep_location"]),
                filed_by=user,
                filing_token=data["filing_token"] or None,
            )
        except filing.AlreadyFiled as again:
            # the same form sent twice (a reload, a double click): filed once, PIN shown once
            messages.info(
                request,
                _(
                    "This petition was already filed, as %(code)s; its PIN was shown when it "
                    "was filed."
                )
                % {"code": again.petition.code},
            )
            if _sees(user, again.petition):
                return redirect("desk:feedback:detail", code=again.petition.code)
            return redirect("desk:feedback:file")
        except DomainError as failure:
            error = failure.detail
        else:
            return _filed(request, filed)
    return render(request, "feedback/desk/file.html", {"form": form, "error": error}, status=422)


def _sees(user: User, petition: Petition) -> bool:
    return selectors.visible_petitions(user).filter(pk=petition.pk).exists()


def _filed(request: HttpRequest, filed: filing.Filed) -> HttpResponse:
    """The code and PIN to hand over (this answer only: the PIN is kept nowhere in clear). A
    petition about another commune goes there, and its page is then not this officer's."""
    context = {
        "petition": filed.petition,
        "pin": filed.pin,
        "named": filed.named,
        "look_up_url": request.build_absolute_uri(reverse("feedback_public:look_up")),
        "sees_it": _sees(request.user, filed.petition),
    }
    return render(request, "feedback/desk/filed.html", context)
