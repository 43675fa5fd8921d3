"""Receiving a dossier at the desk: find the procedure, check the papers, print the slip."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from haicap.catalog.selectors import procedure_by_code, procedures_matching
from haicap.core.errors import DomainError
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.desk.dossier_views import remember_pin
from haicap.desk.forms import ApplicantFields, IntakeForm, paper_label
from haicap.dossiers import services
from haicap.units.models import Agency
from haicap.units.selectors import current_unit

PROCEDURE_MATCHES = 12


def intake_desks(request: HttpRequest) -> list[tuple[int, str]]:
    """The one-stop desks where the user is an intake officer, as (id, name) choices."""
    scope = scope_of(request.user)
    ids = scope.agencies_where(Role.INTAKE_OFFICER)
    desks = Agency.objects.restrict(request.user).filter(pk__in=ids).order_by("name")
    return [(a.pk, a.name) for a in desks]


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    desks = intake_desks(request)
    if not desks:
        return render(request, "desk/intake.html", {"no_desk": True}, status=403)
    form = IntakeForm(request.POST or None, desks=desks)
    form.check_as_typed(reverse("desk:check_applicant"))
    # One key per filled-in form: a double click or a resent form gives back the same dossier.
    idempotency_key = request.POST.get("idempotency_key", "")[:100] or uuid.uuid4().hex
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = data.get("received_at")
        try:
            received = services.receive(
                request.user,
                procedure=data["procedure"],
                receiving_agency=Agency.objects.restrict(request.user)
                .select_related("unit")
                .get(pk=data["desk"]),
                applicant=form.applicant(),
                competent_unit=current_unit(data.get("commune")),
                received_at=received_at,  # the form reads it on the office's clock, with its zone
                backdate_reason=data.get("backdate_reason", ""),
                idempotency_key=idempotency_key,
                delivery=form.delivery(),
            )
        except DomainError as failure:
            error = failure.detail
        else:
            if received.pin:
                remember_pin(request, received.dossier.code, received.pin)
            return redirect(reverse("desk:dossier", args=[received.dossier.code]) + "?moi=1")
    return render(
        request,
        "desk/intake.html",
        {
            "form": form,
            "error": error,
            "idempotency_key": idempotency_key,
            "procedure": form.procedure_obj,
            "papers": form.fields["documents"].choices,
            "checked": request.POST.getlist("documents"),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def procedure_matches(request: HttpRequest) -> HttpResponse:
    """Procedures whose name has every typed word, with or without diacritics."""
    query = request.GET.get("procedure_search", "")[:100]
    matches = procedures_matching(query, PROCEDURE_MATCHES)
    return render(
        request,
        "desk/_procedure_matches.html",
        {"matches": matches, "listing": _papers_listed(request)},
    )


def _papers_listed(request: HttpRequest) -> bool:
    """Guidance and refusals at intake (forms 02, 03) show the procedure's papers as a list to
    read: they receive nothing, so there is no checklist of papers received to tick."""
    return request.GET.get("papers") == "list"


@login_required
def procedure_papers(request: HttpRequest) -> HttpResponse:
    """The chosen procedure's checklist of papers (or list, ``papers=list``) and its legal
    time."""
    procedure = procedure_by_code(request.GET.get("procedure"), active=True)
    papers = (
        [(str(i), paper_label(p)) for i, p in enumerate(procedure.documents or [])]
        if procedure
        else []
    )
    return render(
        request,
        "desk/_procedure_papers.html",
        {
            "procedure": procedure,
            "papers": papers,
            "checked": [],
            "listing": _papers_listed(request),
        },
    )


@login_required
def check_applicant(request: HttpRequest) -> HttpResponse:
    """One applicant field checked as the officer types (the same rules as on saving)."""
    field = request.GET.get("field", "")
    form = ApplicantFields(request.GET)
    form.is_valid()
    errors = form.errors.get(field) if field in form.fields else None
    # The name and the ID are needed together; while typing one, do not scold about the other.
    if field == "id_number" and not request.GET.get("id_number"):
        errors = None
    return render(request, "desk/_field_error.html", {"errors": errors, "field": field})
