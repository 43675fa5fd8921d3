"""The take-over record pages: the records, opening one for an abolished unit, one record with
a destination for each asset, its parties and its signature, and the record as Word and PDF.

What a reader sees is what ``selectors`` lets them read: Finance and supervisors every record, a
commune or agency the records handing something to it (404 for the others). Finance's officers
set the destinations, its leaders sign; a signed record is frozen.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haicap.assets import selectors, takeover_document
from haicap.assets.models import Disposal, TakeoverRecord
from haicap.assets.permissions import arranges_assets, decides_assets
from haicap.assets.services import takeover as services
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import DomainError, InvalidInput
from haicap.core.restricted import Viewer
from haicap.core.validators import PlainTextForm
from haicap.units.forms import valid_fields
from haicap.units.models import Agency

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AGENCY, DISPOSAL = "agency:", "disposal:"


class TakeoverFilterForm(PlainTextForm, forms.Form):
    signed = forms.ChoiceField(
        label=gettext_lazy("Signature"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("no", gettext_lazy("Not signed yet")),
            ("yes", gettext_lazy("Signed")),
        ],
    )

    def signed_only(self) -> bool | None:
        return {"yes": True, "no": False}.get(valid_fields(self).get("signed") or "")


class PartiesForm(PlainTextForm, forms.Form):
    handed_by = forms.CharField(
        label=gettext_lazy("Representing the unit handing over"), max_length=200, required=False
    )
    received_by = forms.CharField(
        label=gettext_lazy("Representing the receiving side"), max_length=200, required=False
    )


class SignForm(PlainTextForm, forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Signed on"),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    number = forms.CharField(label=gettext_lazy("Record number"), max_length=60)


def _today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def destination_choices(user: Viewer, record: TakeoverRecord) -> list[tuple[str, list]]:
    """What a line may be set to, grouped: the agencies of the communes the unit became, the
    province's agencies, and the ways of disposing of an asset."""
    communes, provincial = selectors.record_destinations(user, record)
    return [
        (
            _("Communes formed from it"),
            [(f"{AGENCY}{a.code}", _agency_label(a)) for a in communes],
        ),
        (_("The province"), [(f"{AGENCY}{a.code}", a.name) for a in provincial]),
        (
            _("Disposed of"),
            [(f"{DISPOSAL}{m.value}", m.label) for m in services.DISPOSALS_ON_RECORD],
        ),
    ]


def _agency_label(agency: Agency) -> str:
    return agency.name  # its full name ("Ủy ban nhân dân xã Đô Lương"): the page abbreviates none


def _page(
    request: HttpRequest,
    record_id: int,
    *,
    error: str = "",
    sign_form: SignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    record = selectors.get_takeover(user, record_id)
    editing = not record.signed and arranges_assets(user)
    choices = destination_choices(user, record) if editing else []
    offered = {value for _group, options in choices for value, _label in options}
    lines = []
    for line in selectors.takeover_lines(record):
        value = _line_value(line)
        # an agency set elsewhere (the API takes any receiving agency): offered as it is
        shown = value.startswith(AGENCY) and value not in offered
        other = _agency_label(line.destination) if shown else ""
        lines.append((line, value, other))
    context = {
        "record": record,
        "lines": lines,
        "editing": editing,
        "signing": not record.signed and decides_assets(user),
        "choices": choices,
        "parties_form": PartiesForm(
            initial={"handed_by": record.handed_by, "received_by": record.received_by}
        ),
        "sign_form": sign_form or SignForm(initial={"on": _today()}),
        "error": error,
    }
    return render(request, "assets/takeover_detail.html", context, status=status)


def _line_value(line) -> str:
    if line.destination_id:
        return f"{AGENCY}{line.destination.code}"
    return f"{DISPOSAL}{line.disposal}" if line.disposal else ""


@login_required
def takeover_list(request: HttpRequest) -> HttpResponse:
    form = TakeoverFilterForm(request.GET or None)
    records = selectors.visible_takeovers(request.user, signed=form.signed_only())
    context = {
        "form": form,
        "records": records,
        "opening": arranges_assets(request.user),
        "units": selectors.abolished_units_without_record(request.user),
    }
    return render(request, "assets/takeover_list.html", context)


@login_required
@require_POST
def takeover_open(request: HttpRequest) -> HttpResponse:
    given = request.POST.get("unit", "")
    unit = selectors.get_abolished_unit(request.user, int(given) if given.isdigit() else 0)
    record = services.open_record(request.user, unit)
    messages.success(request, _("The record lists every asset that came from the unit."))
    return redirect("desk:assets:takeover", record_id=record.pk)


@login_required
def takeover_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    return _page(request, record_id)


@login_required
@require_POST
def takeover_line(request: HttpRequest, record_id: int, line_id: int) -> HttpResponse:
    user = request.user
    line = selectors.get_takeover_line(user, record_id, line_id)
    value = request.POST.get("destination", "")
    try:
        destination, disposal = None, ""
        if value.startswith(AGENCY):
            destination = selectors.get_receiving_agency(user, value.removeprefix(AGENCY))
        elif value.startswith(DISPOSAL):
            disposal = value.removeprefix(DISPOSAL)
            if disposal not in Disposal.values:
                raise InvalidInput(_("Choose where the asset goes."))
        elif value:
            raise InvalidInput(_("Choose where the asset goes."))
        services.set_destination(user, line, destination=destination, disposal=disposal)
    except DomainError as failure:
        return _page(request, record_id, error=failure.detail, status=failure.status)
    messages.success(
        request,
        _("Saved where %(asset)s goes.") % {"asset": line.asset.identifier},
    )
    page = reverse("desk:assets:takeover", kwargs={"record_id": record_id})
    return redirect(f"{page}#line-{line.pk}")


@login_required
@require_POST
def takeover_parties(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.get_takeover(request.user, record_id)
    form = PartiesForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Correct the parties' names."))
        services.describe_parties(request.user, record, **form.cleaned_data)
    except DomainError as failure:
        return _page(request, record_id, error=failure.detail, status=failure.status)
    messages.success(request, _("The parties were saved."))
    return redirect("desk:assets:takeover", record_id=record.pk)


@login_required
@require_POST
def takeover_sign(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.get_takeover(request.user, record_id)
    form = SignForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Give the day it is signed and the record's number."))
        services.sign(request.user, record, **form.cleaned_data)
    except DomainError as failure:
        return _page(
            request, record_id, error=failure.detail, sign_form=form, status=failure.status
        )
    messages.success(request, _("The record was signed: every asset moved to its destination."))
    return redirect("desk:assets:takeover", record_id=record.pk)


def _download(content: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
def takeover_docx(request: HttpRequest, record_id: int) -> HttpResponse:
    content = takeover_document.to_docx(selectors.takeover_paper(request.user, record_id))
    return _download(content, DOCX_CONTENT_TYPE, f"bien-ban-ban-giao-{record_id}.docx", False)


@login_required
def takeover_pdf(request: HttpRequest, record_id: int) -> HttpResponse:
    content = takeover_document.to_pdf(selectors.takeover_paper(request.user, record_id))
    return _download(content, "application/pdf", f"bien-ban-ban-giao-{record_id}.pdf", True)
