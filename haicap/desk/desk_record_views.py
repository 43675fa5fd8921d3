"""At intake, instead of receiving: written guidance to complete (form 02) or a refusal to
receive (form 03). Each is the desk's own numbered record, printable, and counted per desk."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import DomainError, NotFound
from haicap.core.masking import mask_citizen_id
from haicap.desk.forms import DeskRecordForm, PeriodForm
from haicap.desk.intake_views import intake_desks
from haicap.dossiers import national_forms, selectors, services
from haicap.dossiers.models import DeskRecord
from haicap.dossiers.personal_data import shown_id_number, shown_phone
from haicap.dossiers.printing import pdf_response
from haicap.units.models import Agency

KINDS = {"huong-dan": DeskRecord.Kind.GUIDANCE, "tu-choi": DeskRecord.Kind.REFUSAL}
PAGE_SIZE = 200  # a desk gives a few a day; the period narrows a longer list


@login_required
def new_record(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = KINDS.get(kind_slug)
    if kind is None:
        raise NotFound()
    desks = intake_desks(request)
    context: dict = {"kind": kind, "kind_label": DeskRecord.Kind(kind).label}
    if not desks:
        return render(
            request, "desk/desk_record_new.html", {**context, "no_desk": True}, status=403
        )
    form = DeskRecordForm(request.POST or None, desks=desks, kind=kind)
    # One key per filled-in form: a double click or a resent form gives back the same record.
    idempotency_key = request.POST.get("idempotency_key", "")[:100] or uuid.uuid4().hex
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_at_intake(
                request.user,
                kind=kind,
                desk=Agency.objects.restrict(request.user).get(pk=data["desk"]),
                applicant=form.applicant(),
                content=data["content"],
                procedure=form.procedure_obj,
                request=data.get("request", ""),
                idempotency_key=idempotency_key,
            )
        except DomainError as failure:
            error = failure.detail
        else:
            return redirect("desk:desk_record", record_id=record.pk)
    context |= {
        "form": form,
        "error": error,
        "idempotency_key": idempotency_key,
        "procedure": form.procedure_obj,
    }
    return render(
        request,
        "desk/desk_record_new.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@login_required
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.get_desk_record(request.user, record_id)
    personal = selectors.sees_personal_data(request.user)
    return render(
        request,
        "desk/desk_record_detail.html",
        {
            "record": record,
            "id_number": shown_id_number(record.applicant_id_number, personal),
            "phone": shown_phone(record.applicant_phone, personal),
            "address": record.applicant_address if personal else "",
            "form_number": "02" if record.kind == DeskRecord.Kind.GUIDANCE else "03",
        },
    )


@login_required
def record_pdf(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.get_desk_record(request.user, record_id)
    masked = not selectors.sees_personal_data(request.user)
    document = national_forms.DESK_BUILDERS[record.kind](record, masked=masked)
    number = "02" if record.kind == DeskRecord.Kind.GUIDANCE else "03"
    return pdf_response(
        document, f"mau-{number}-{record.desk.code}-{record.at_year}-{record.number}.pdf"
    )


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, kinds=DeskRecord.Kind.choices)
    today = clock.now().astimezone(VIETNAM).date()
    since, until = form.period(today)
    kind = (form.cleaned_data.get("kind") if form.is_bound and form.is_valid() else "") or None
    records = list(selectors.desk_records(request.user, since, until, kind)[:PAGE_SIZE])
    rows = [(r, mask_citizen_id(r.applicant_id_number)) for r in records]  # a list: masked
    return render(
        request,
        "desk/desk_records.html",
        {
            "form": form,
            "since": since,
            "until": until,
            "rows": rows,
            "counts": selectors.desk_record_counts(request.user, since, until),
            "may_give": bool(intake_desks(request)),
            "new_urls": {
                kind: reverse("desk:desk_record_new", args=[slug]) for slug, kind in KINDS.items()
            },
        },
    )
