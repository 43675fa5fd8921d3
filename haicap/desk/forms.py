"""The desk's forms: dossier filters, intake and the fields an action asks for."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field, Procedure
from haicap.catalog.paper_forms import PAPER_FORMS
from haicap.core import clock
from haicap.core.day_input import DayInput
from haicap.core.validators import PlainTextForm
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.applicant_forms import add_applicant_errors, applicant_from
from haicap.dossiers.delivery import MAX_SETS, Choice, choice_problems
from haicap.dossiers.models import Dossier
from haicap.units.forms import EMPTY, valid_fields
from haicap.units.models import AdministrativeUnit

DELIVERY_FIELDS = {"result_delivery", "result_sets", "authorised_name", "authorised_id_number"}
DELIVERY_FIELDS_BY_RULE = {
    "way": "result_delivery",
    "sets": "result_sets",
    "authorised_name": "authorised_name",
    "authorised_id_number": "authorised_id_number",
}
DATE_FILTERS = ("received_from", "received_to", "finished_from", "finished_to")
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # keeps date sums in range
SORTS = {
    "-received": ("-received_at", "-pk"),
    "received": ("received_at", "pk"),
    "due": ("due_at", "pk"),
    "-due": ("-due_at", "-pk"),
}


class DossierFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Applicant or code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    step = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    unit = forms.ChoiceField(label=_("Commune or ward"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=EMPTY + Dossier.Channel.choices
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[*EMPTY, ("yes", _("Overdue only")), ("no", _("Not overdue"))],
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DayInput)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DayInput)
    finished_from = forms.DateField(label=_("Decided from"), required=False, widget=DayInput)
    finished_to = forms.DateField(label=_("Decided until"), required=False, widget=DayInput)
    timeliness = forms.ChoiceField(
        label=_("Timeliness"),
        required=False,
        choices=[
            *EMPTY,
            ("early", _("finished early")),
            ("on_time", _("finished on time")),
            ("late", _("finished late")),
        ],
    )
    agency = forms.CharField(
        label=_("Agency"), widget=forms.HiddenInput, required=False, max_length=40
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-received", _("Newest received first")),
            ("received", _("Oldest received first")),
            ("due", _("Soonest due first")),
            ("-due", _("Latest due first")),
        ],
    )

    def __init__(self, *args, steps: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = EMPTY + steps
        self.fields["procedure"].choices = EMPTY + [
            (p.national_code, f"{p.national_code} · {p.name}")
            for p in Procedure.objects.only("national_code", "name").order_by("national_code")
        ]
        self.fields["field"].choices = EMPTY + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]
        self.fields["unit"].choices = EMPTY + [
            (u.code, u.full_name)
            for u in AdministrativeUnit.objects.filter(valid_to=None, tier="commune").order_by(
                "search_name"
            )
        ]

    def _clean_day(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in DATE_FILTERS:
            if name in cleaned and name not in self.errors:
                try:
                    cleaned[name] = self._clean_day(name)
                except forms.ValidationError as error:
                    self.add_error(name, error)
                    cleaned.pop(name, None)
        return cleaned

    def filters(self) -> dict:
        data = valid_fields(self)
        day = dt.timedelta(days=1)
        received_to, finished_to = data.get("received_to"), data.get("finished_to")
        return {
            "query": data.get("q") or "",
            "step": data.get("step") or None,
            "procedure_code": data.get("procedure") or None,
            "field_code": data.get("field") or None,
            "unit_code": data.get("unit") or None,
            "channel": data.get("channel") or None,
            "overdue": {"yes": True, "no": False}.get(data.get("overdue") or ""),
            "received_from": _start_of(data.get("received_from")),
            "received_to": _start_of(received_to + day) if received_to else None,
            "finished_from": _start_of(data.get("finished_from")),
            "finished_to": _start_of(finished_to + day) if finished_to else None,
            "timeliness": data.get("timeliness") or None,
            "agency_code": data.get("agency") or None,
        }

    def ordering(self) -> tuple[str, str]:
        return SORTS[valid_fields(self).get("sort") or "-received"]


def paper_label(paper: dict) -> str:
    form = PAPER_FORMS.get(paper.get("form") or "")
    return f"{paper.get('name', '')} ({form})" if form else paper.get("name", "")


def _start_of(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM) if day else None


class ApplicantFields(PlainTextForm, forms.Form):
    """The applicant as the officer types it, checked by the same rules as the API."""

    name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    business_code = forms.CharField(
        label=_("Enterprise code"), required=False, max_length=14, help_text=_("For a business.")
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=20, widget=forms.TextInput({"type": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def applicant(self) -> Applicant:
        return applicant_from(self.cleaned_data)

    def clean(self) -> dict:
        cleaned = super().clean()
        add_applicant_errors(self, self.applicant(), clock.now().date())
        return cleaned


class IntakeForm(ApplicantFields):
    procedure = forms.CharField(widget=forms.HiddenInput)
    desk = forms.ChoiceField(label=_("Receiving desk"))
    commune = forms.ChoiceField(label=_("Commune whose People's Committee decides"), required=False)
    received_at = forms.DateTimeField(
        label=_("Time of receipt, if earlier than now"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    backdate_reason = forms.CharField(
        label=_("Why the receipt is entered late"), required=False, max_length=300
    )
    documents = forms.MultipleChoiceField(
        label=_("Papers checked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Not required: a form sent without them (an older page still open) means the desk, 1 set.
    result_delivery = forms.ChoiceField(
        label=_("The applicant receives the result"),
        choices=Dossier.Delivery.choices,
        initial=Dossier.Delivery.DESK,
        required=False,
        widget=forms.RadioSelect,
    )
    result_sets = forms.IntegerField(
        label=_("Number of sets"), min_value=1, max_value=MAX_SETS, initial=1, required=False
    )
    authorised_name = forms.CharField(
        label=_("Person authorised to collect the result (full name)"),
        required=False,
        max_length=200,
    )
    authorised_id_number = forms.CharField(
        label=_("Authorised person's ID card number"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, desks: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = desks
        self.fields["commune"].choices = [("", _("The desk's own commune"))] + [
            (u.code, u.full_name)
            for u in AdministrativeUnit.objects.filter(valid_to=None, tier="commune").order_by(
                "search_name"
            )
        ]
        self.procedure_obj: Procedure | None = None
        code = self.data.get("procedure") if self.is_bound else None
        if code:
            active = Procedure.objects.filter(is_active=True)
            self.procedure_obj = active.filter(national_code=code).first()
        if self.procedure_obj is not None:
            papers = self.procedure_obj.documents or []
            self.fields["documents"].choices = [
                (str(i), paper_label(paper)) for i, paper in enumerate(papers)
            ]

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ApplicantFields.base_fields]

    def delivery_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("result_sets", "authorised_name", "authorised_id_number")]

    def delivery(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            data.get("result_delivery") or Dossier.Delivery.DESK,
            data.get("result_sets") or 1,
            data.get("authorised_name", ""),
            data.get("authorised_id_number", ""),
        )

    def check_as_typed(self, url: str) -> None:
        """Each applicant field asks the server for its problems as the officer types."""
        for name in ("name", "id_number", "business_code", "phone"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": url,
                    "hx-trigger": "input changed delay:400ms, blur",
                    "hx-target": f"#check-{name}",
                    "hx-include": "closest fieldset",
                    "hx-vals": f'{{"field": "{name}"}}',
                }
            )

    def clean_procedure(self) -> Procedure:
        if self.procedure_obj is None:
            raise forms.ValidationError(_("Choose the procedure from the list."))
        return self.procedure_obj

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.procedure_obj is not None:
            needed = {str(i) for i in range(len(self.procedure_obj.documents or []))}
            if needed - set(cleaned.get("documents") or []):
                self.add_error(
                    "documents",
                    _("Every required paper must be checked before the dossier is received."),
                )
        if cleaned.get("received_at") and not (cleaned.get("backdate_reason") or "").strip():
            self.add_error("backdate_reason", _("Say why the time of receipt is earlier than now."))
        if not self.errors.keys() & DELIVERY_FIELDS:
            self._check_delivery()
        return cleaned

    def _check_delivery(self) -> None:
        """The same rules as on saving (``dossiers.delivery``), each beside its field."""
        applicant = self.applicant()
        problems = choice_problems(
            self.delivery(),
            applicant.address,
            applicant.email,
            applicant.id_number,
            clock.now().date(),
        )
        for field, problem in problems.items():
            self.add_error(DELIVERY_FIELDS_BY_RULE[field], _(problem))


class DeskRecordForm(ApplicantFields):
    """Guidance to complete a dossier (form 02) or a refusal to receive it (form 03), at intake."""

    procedure = forms.CharField(widget=forms.HiddenInput, required=False)
    request = forms.CharField(
        label=_("What the applicant asked for, if no procedure fits"),
        required=False,
        max_length=300,
    )
    desk = forms.ChoiceField(label=_("Receiving desk"))
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)

    def __init__(self, *args, desks: list[tuple[int, str]], kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = desks
        self.fields["content"].label = (
            _("Everything the applicant must complete (given once)")
            if kind == "guidance"
            else _("Reasons for refusing to receive the dossier")
        )
        self.procedure_obj: Procedure | None = None
        code = self.data.get("procedure") if self.is_bound else None
        if code:
            active = Procedure.objects.filter(is_active=True)
            self.procedure_obj = active.filter(national_code=code).first()

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ApplicantFields.base_fields]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data.get("procedure") and self.procedure_obj is None:
            self.add_error("procedure", _("Choose the procedure from the list."))
        elif self.procedure_obj is None and not (cleaned.get("request") or "").strip():
            self.add_error(
                "request", _("Choose the procedure, or say what the applicant asked for.")
            )
        return cleaned


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DayInput)
    until = forms.DateField(label=_("Until"), required=False, widget=DayInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EMPTY + kinds

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The chosen days, by default this month so far; a wrong or reversed pair falls back."""
        data = valid_fields(self)
        since = data.get("since") or today.replace(day=1)
        until = data.get("until") or today
        if not FIRST_DAY <= since <= until <= LAST_DAY:
            return today.replace(day=1), today
        return since, until
