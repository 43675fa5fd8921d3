"""The desk's log book (form 07, "sổ theo dõi hồ sơ"): on the page, as PDF and as Excel, with
the columns the law lists (domain.md 7, "Log book")."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.day_input import DayInput
from haicap.core.exports import xlsx_response
from haicap.core.masking import mask_phone
from haicap.core.scoping import scope_of
from haicap.desk.dossier_views import local
from haicap.desk.forms import FIRST_DAY, LAST_DAY
from haicap.desk.templatetags.desk import timeliness as timeliness_label
from haicap.dossiers import national_forms, selectors
from haicap.dossiers.models import Dossier
from haicap.dossiers.printing import pdf_response
from haicap.units.models import Agency
from haicap.units.selectors import get_agency

MAX_DAYS = 366
WAYS = dict(Dossier.Delivery.choices)


class LogBookForm(forms.Form):
    desk = forms.ChoiceField(label=gettext_lazy("One-stop desk"))
    since = forms.DateField(label=gettext_lazy("From"), widget=DayInput)
    until = forms.DateField(label=gettext_lazy("Until"), widget=DayInput)

    def __init__(self, *args, desks: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = desks

    def clean(self) -> dict:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until:
            if not FIRST_DAY <= since <= until <= LAST_DAY:
                raise forms.ValidationError(_("Choose a period whose end is after its start."))
            if (until - since).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return cleaned


def _desks(request: HttpRequest) -> list[tuple[int, str]]:
    """The desks whose book the user may read, their own first: the one-stop desks they work
    at, in the order they joined them, then the others by name (a commune officer also sees
    the provincial centre's book, but opens on their own)."""
    desks = Agency.objects.restrict(request.user).filter(is_one_stop_desk=True, unit__valid_to=None)
    joined = [m.agency_id for m in scope_of(request.user).memberships]
    first = {agency_id: order for order, agency_id in reversed(list(enumerate(joined)))}
    ordered = sorted(desks, key=lambda a: (first.get(a.pk, len(joined)), a.name))
    return [(a.pk, a.name) for a in ordered]


@login_required
def log_book(request: HttpRequest) -> HttpResponse:
    desks = _desks(request)
    today = clock.now().astimezone(VIETNAM).date()
    initial = {"desk": desks[0][0] if desks else None, "since": today.replace(day=1)}
    # this month at the user's own desk unless the query says otherwise
    data = {**initial, "until": today, **request.GET.dict()}
    form = LogBookForm(data, desks=desks)
    if not desks or not form.is_valid():
        status = 403 if not desks else 422
        return render(
            request, "desk/log_book.html", {"form": form, "no_desk": not desks}, status=status
        )
    agency = get_agency(request.user, int(form.cleaned_data["desk"]))
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    entries = selectors.log_book(request.user, agency, since, until)
    name = f"so-theo-doi-{agency.code}-{since:%Y%m%d}"
    if request.GET.get("format") == "pdf":
        document = national_forms.log_book(agency, entries, since, until)
        return pdf_response(document, f"{name}.pdf")
    if request.GET.get("export") == "xlsx":
        return _export(entries, f"{name}.xlsx")
    return render(
        request,
        "desk/log_book.html",
        {
            "form": form,
            "agency": agency,
            "rows": [(e, mask_phone(e.phone)) for e in entries],  # a list: masked
            "ways": WAYS,
            "electronic_receiver": selectors.ELECTRONIC_RECEIVER,
            "query": _query(form),
            "since": since,
            "until": until,
        },
    )


def _query(form: LogBookForm) -> str:
    data = form.cleaned_data
    return urlencode({"desk": data["desk"], "since": data["since"], "until": data["until"]})


def _export(entries: list[selectors.LogBookEntry], filename: str) -> HttpResponse:
    return xlsx_response(
        filename,
        _("Log book"),
        [
            _("Log-book number"),
            _("Dossier code"),
            _("Procedure"),
            _("Number of sets"),
            _("Applicant"),
            _("Address"),
            _("Phone"),
            _("Agency in charge"),
            _("Received at"),
            _("Due at"),
            _("Result signed at"),
            _("Timeliness"),
            _("Result returned at"),
            _("How it was received"),
            _("Received by, or postal tracking number"),
            _("Their citizen ID number"),
            _("Signature"),
        ],
        (
            [
                e.number,
                e.code,
                e.procedure,
                e.sets,
                e.applicant,
                e.address,
                e.phone,
                e.agency_in_charge,
                local(e.received_at),
                local(e.due_at),
                local(e.finished_at),
                timeliness_label(e.timeliness),
                local(e.returned_at),
                str(WAYS.get(e.returned_via, "")),
                str(selectors.ELECTRONIC_RECEIVER)
                if e.returned_via == "electronic"
                else e.receiver,
                e.receiver_id_number,
                "",
            ]
            for e in entries
        ),
    )
