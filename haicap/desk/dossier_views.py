"""Desk pages for dossiers: the list, one dossier with its actions, its papers and its slip."""

import datetime as dt

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from haicap.accounts.models import User
from haicap.accounts.selectors import active_officer
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.template_names import translated_name
from haicap.core import clock, sealing
from haicap.core.converters import record_id
from haicap.core.errors import DomainError, InvalidInput, NotFound
from haicap.core.exports import xlsx_response
from haicap.core.htmx import varies_with_htmx, wants_fragment
from haicap.core.masking import mask_citizen_id
from haicap.core.roles import Role
from haicap.desk.forms import DossierFilterForm
from haicap.desk.templatetags.desk import timeliness as timeliness_label
from haicap.desk.timing import remaining_of, timed
from haicap.dossiers import national_forms, selectors, services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.deadlines import handlers_of
from haicap.dossiers.downloads import paper_response
from haicap.dossiers.models import Dossier
from haicap.dossiers.personal_data import shown_id_number, shown_phone
from haicap.dossiers.printing import lookup_url, pdf_response
from haicap.dossiers.services.moves import SUPPLEMENT_LAPSED
from haicap.payments import selectors as payment_selectors

PAGE_SIZE = 25
SLIP_PINS_KEPT = 5  # the last few receipts' PINs, so the officer can reprint a slip at once
SLIP_PIN_PURPOSE = "desk-slip-pin"
SLIP_PIN_SHOWN_FOR = dt.timedelta(minutes=30)  # the slip is printed while the applicant waits
FORM_NAMES = {
    "01": gettext_lazy("Receipt and appointment slip (form 01)"),
    "02": gettext_lazy("Supplement request (form 02)"),
    national_forms.REFUSAL_ANSWER: gettext_lazy(
        "Written answer refusing the dossier, with reasons"
    ),
    "04": gettext_lazy("Apology and new appointment (form 04)"),
    "05": gettext_lazy("Notice of stopping processing (form 05)"),
    "06": gettext_lazy("Control sheet (form 06)"),
}

# Events no template action names: what the desk did to the dossier's papers, and what the
# deadline worker records.
UNNAMED_EVENT_NAMES = {
    "digitise_paper": gettext_lazy("Paper digitised"),
    "reuse_paper": gettext_lazy("Stored paper reused"),
    # what the deadline worker records (no template names them)
    "warned_due_soon": gettext_lazy("Warned: due soon"),
    "marked_overdue": gettext_lazy("Marked overdue"),
    SUPPLEMENT_LAPSED: gettext_lazy("Stopped: the supplement was not handed in on time"),
}


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    form = DossierFilterForm(request.GET or None, steps=selectors.step_names())
    dossiers = (
        selectors.filter_dossiers(request.user, **form.filters())
        .select_related("procedure", "competent_agency", "assignee")
        .order_by(*form.ordering())
    )
    if request.GET.get("export") == "xlsx":
        return _export(request.user, dossiers)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": timed(page.object_list, clock.now()),
        "query_string": query.urlencode(),
    }
    template = "desk/_dossier_rows.html" if wants_fragment(request) else "desk/dossier_list.html"
    return varies_with_htmx(render(request, template, context))


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """Vietnam's wall-clock time, as a spreadsheet cell (Excel has no time zones)."""
    return moment.astimezone(VIETNAM).replace(tzinfo=None) if moment else None


def _export(user: User, dossiers) -> HttpResponse:
    personal = selectors.sees_personal_data(user)
    step_names = dict(selectors.step_names())
    return xlsx_response(
        "ho-so.xlsx",
        _("Dossiers"),
        [
            _("Dossier code"),
            _("Procedure"),
            _("Applicant"),
            _("Citizen ID number"),
            _("Phone"),
            _("Channel"),
            _("Status"),
            _("Received at"),
            _("Due at"),
            _("Finished at"),
            _("Timeliness"),
        ],
        (
            [
                d.code,
                d.procedure.name,
                d.applicant_name,
                shown_id_number(d.applicant_id_number, personal),
                shown_phone(d.applicant_phone, personal),
                d.get_channel_display(),
                step_names.get(d.step, d.step),
                local(d.received_at),
                local(d.due_at),
                local(d.finished_at),
                timeliness_label(d.timeliness),
            ]
            for d in dossiers.iterator(chunk_size=1000)
        ),
    )


# --- one dossier ------------------------------------------------------------------------------


def _panel(
    request: HttpRequest,
    dossier: Dossier,
    error: str = "",
    status: int = 200,
    digitise_error: bool = False,
):
    """The dossier page's body: state, timeline, papers and the actions open to the officer.

    ``digitise_error``: the error is the digitising form's, shown in that form (far down the
    page, where the officer is) with what they entered, when the form is on the page.
    """
    now = clock.now()
    calendar = calendar_for(dossier.competent_agency.unit)
    template = selectors.template_of(dossier)
    offered = services.open_actions(request.user, dossier, calendar)
    events = list(dossier.events.select_related("agency", "actor").order_by("seq"))
    taken = {e.action for e in events}
    personal = selectors.sees_personal_data(request.user)
    documents = list(dossier.documents.select_related("event").order_by("pk"))
    signed = selectors.signed_result_for(dossier)
    digitising = _digitising(request.user, dossier)
    in_digitise_form = bool(
        error and digitise_error and digitising["may_digitise"] and digitising["to_scan"]
    )
    context = {
        "dossier": dossier,
        "collected": selectors.collector_of(events, personal),
        "step_name": translated_name(template.step(dossier.step).name),
        "step_names": {s.code: translated_name(s.name) for s in template.steps},
        "remaining": remaining_of(dossier, calendar, now),
        "late_start": selectors.late_clock_start(dossier, calendar),
        "provisional_days": selectors.provisional_days_of(dossier, calendar),
        "events": events,
        "documents": documents,
        "unused_documents": [d for d in documents if d.event_id is None],
        "actions": offered,
        "transfer_targets": list(services.transfer_targets(request.user, dossier))
        if any(a.transfers for a in offered)
        else [],
        "assignees": list(handlers_of(dossier, {Role.SPECIALIST}))
        if any(a.code == "assign" for a in offered)
        else [],
        "action_names": {a.code: translated_name(a.name) for a in template.actions}
        | UNNAMED_EVENT_NAMES,
        "may_reprint_slip": services.may_reissue_pin(request.user, dossier),
        "confirm_reprint": request.GET.get("in-lai") == "1",
        "forms": [(form, FORM_NAMES[form]) for form in national_forms.forms_of(taken)],
        "id_number": shown_id_number(dossier.applicant_id_number, personal),
        "phone": shown_phone(dossier.applicant_phone, personal),
        # the dossier page is one dossier, not a list, yet the authorised person is a third
        # party: masked as in lists
        "authorised_id": mask_citizen_id(dossier.authorised_id_number),
        # electronically only what the applicant can download: a signed result
        "delivery_choices": [
            (way, label) for way, label in Dossier.Delivery.choices if signed or way != "electronic"
        ],
        "error": "" if in_digitise_form else error,
        "just_received": bool(_slip_pin(request, dossier)),
        # The desk layer reads the payments app (above dossiers, which must not import it).
        "payment": payment_selectors.payment_of_dossier(request.user, dossier),
        "digitising": digitising,
        "digitise_error": error if in_digitise_form else "",
        "digitise_entered": request.POST if in_digitise_form else {},
        "signed_result": signed,
        "signature": selectors.result_signature(signed) if signed else None,
    }
    template_name = (
        "desk/_dossier_panel.html" if wants_fragment(request) else "desk/dossier_detail.html"
    )
    return varies_with_htmx(render(request, template_name, context, status=status))


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _panel(request, selectors.get_dossier(request.user, code))


@login_required
@require_POST
def dossier_act(request: HttpRequest, code: str) -> HttpResponse:
    data = request.POST
    try:
        services.act(
            request.user,
            code,
            data.get("action", ""),
            expected_version=record_id(data.get("version")),
            note=data.get("note", ""),
            target_agency=services.transfer_target(
                request.user, code, agency_id=record_id(data.get("target_agency"))
            ),
            assignee=active_officer(request.user, pk=record_id(data.get("assignee"))),
            new_due_at=_local_moment(data.get("new_appointment_at")),
            idempotency_key=data.get("idempotency_key", "")[:100],
            document_ids=[n for v in data.getlist("documents") if (n := record_id(v)) is not None],
            collected_by=Applicant(
                name=data.get("collector_name", "")[:200],
                id_number=data.get("collector_id_number", "")[:20],
            ),
            returned_via=data.get("returned_via", "")[:20],
            tracking_number=data.get("tracking_number", "")[:40],
        )
    except DomainError as failure:
        dossier = selectors.get_dossier(request.user, code)
        return _panel(request, dossier, failure.detail, failure.status)
    return _panel(request, selectors.get_dossier(request.user, code))


def _digitising(user: User, dossier: Dossier) -> dict:
    """The papers of the procedure's list to digitise, each with its digitised copy, or the
    copy the applicant's store offers for reuse (only to the desk that digitises). An online
    dossier's papers are listed too: those its applicant brings on paper are digitised, those
    uploaded are not (Decree 118/2025 Art. 17(1)(c), ``services.digitising``)."""
    done = {d.paper: d for d in selectors.digitised_papers(dossier)}
    may = services.may_digitise(user, dossier)
    offered = {c.paper: c for c in selectors.stored_copies_offered(user, dossier)} if may else {}
    papers = [
        {"name": name, "digitised": done.get(name), "offered": offered.get(name)}
        for name in selectors.papers_to_digitise(dossier.procedure)
    ]
    return {
        "papers": papers,
        "may_digitise": may,
        "to_scan": [p["name"] for p in papers if p["digitised"] is None],
        "filed_online": dossier.channel == Dossier.Channel.ONLINE,
    }


@login_required
@require_POST
def dossier_digitise(request: HttpRequest, code: str) -> HttpResponse:
    """One paper scanned at the desk: its page images (or scanned PDF) and the officer's count."""
    try:
        services.digitise_paper(
            request.user,
            code,
            request.POST.get("paper", ""),
            request.FILES.getlist("pages"),
            record_id(request.POST.get("counted_pages", "").strip()),
        )
    except DomainError as failure:
        dossier = selectors.get_dossier(request.user, code)
        return _panel(request, dossier, failure.detail, failure.status, digitise_error=True)
    return _panel(request, selectors.get_dossier(request.user, code))


@login_required
@require_POST
def dossier_reuse_paper(request: HttpRequest, code: str) -> HttpResponse:
    """A copy from the applicant's store taken for this dossier."""
    try:
        stored = record_id(request.POST.get("stored"))
        if stored is None:
            raise NotFound()
        services.reuse_stored_paper(request.user, code, stored)
    except DomainError as failure:
        dossier = selectors.get_dossier(request.user, code)
        return _panel(request, dossier, failure.detail, failure.status)
    return _panel(request, selectors.get_dossier(request.user, code))


@login_required
@require_POST
def dossier_upload(request: HttpRequest, code: str) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(_("Choose a file to add."))
        services.attach_document(request.user, code, request.POST.get("name", ""), upload)
    except DomainError as failure:
        dossier = selectors.get_dossier(request.user, code)
        return _panel(request, dossier, failure.detail, failure.status)
    return _panel(request, selectors.get_dossier(request.user, code))


# The dossier page shows the slip in a frame right after the receipt: this page may frame it.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@login_required
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """A national form as PDF; the slip carries the PIN only right after the receipt."""
    dossier = selectors.get_dossier(request.user, code)
    url = lookup_url(request, dossier.code)
    if form == "01":
        document = national_forms.receipt_slip(
            dossier,
            url,
            _slip_pin(request, dossier),
            masked=not selectors.sees_personal_data(request.user),
        )
    elif form in national_forms.BUILDERS:
        document = national_forms.BUILDERS[form](dossier, url)
    else:
        raise NotFound()
    # The slip may carry the PIN: NoStoreMiddleware keeps it out of caches, as every desk page.
    return pdf_response(document, f"mau-{form}-{dossier.code}.pdf")


@login_required
def signed_result(request: HttpRequest, code: str) -> HttpResponse:
    """The electronic result as the agency signed it, byte for byte."""
    return paper_response(selectors.signed_result_of(request.user, code).document)


def remember_pin(request: HttpRequest, code: str, pin: str) -> None:
    """Keep a new receipt's PIN in the officer's session for printing its slip: sealed (the
    session is stored in the database), never in an address or a log, and only for a while."""
    pins = request.session.get("slip_pins", {})
    pins[code] = sealing.seal(SLIP_PIN_PURPOSE, pin)
    request.session["slip_pins"] = dict(list(pins.items())[-SLIP_PINS_KEPT:])


def _slip_pin(request: HttpRequest, dossier: Dossier) -> str:
    """The PIN this session was given for the dossier's slip, while it is recent and still the
    dossier's (another officer's reprint replaces it)."""
    token = request.session.get("slip_pins", {}).get(dossier.code, "")
    pin = sealing.unseal(SLIP_PIN_PURPOSE, token, SLIP_PIN_SHOWN_FOR) or ""
    return pin if pin and services.pin_matches(dossier, pin) else ""


@login_required
@require_POST
def reprint_slip(request: HttpRequest, code: str) -> HttpResponse:
    """A new PIN for a lost or reprinted slip; the slip then opens with it, as after intake.

    Only once the officer has confirmed, having read that the applicant's PIN stops working:
    an unconfirmed request changes nothing and shows that warning."""
    if request.POST.get("confirm") != "yes":
        dossier = selectors.get_dossier(request.user, code)
        if services.may_reissue_pin(request.user, dossier):
            return redirect(reverse("desk:dossier", args=[code]) + "?in-lai=1#reprint-slip")
    try:
        dossier, pin = services.reissue_pin(request.user, code)
    except DomainError as failure:
        dossier = selectors.get_dossier(request.user, code)
        return _panel(request, dossier, failure.detail, failure.status)
    remember_pin(request, dossier.code, pin)
    return redirect(reverse("desk:dossier", args=[dossier.code]) + "?moi=1")


def _local_moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(_("Give the new appointment as a date and time.")) from error
    # the browser's datetime-local field has no zone: it is the office's wall clock
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
