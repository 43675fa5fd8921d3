"""The forms of the staff pages: filtering officers, an officer, a position, a norm, and the
files to import. They read what was typed; the services decide (``officer_problems`` is the one
rule the form and the service share)."""

from collections.abc import Sequence

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.accounts.selectors import active_officer
from haicap.core import clock
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.day_input import DayInput
from haicap.core.ordering import in_vietnamese_order
from haicap.core.restricted import Viewer
from haicap.core.validators import PlainTextForm
from haicap.staffing import selectors, services
from haicap.staffing.models import NormRule, Officer, Position, StaffField
from haicap.staffing.norms import Basis
from haicap.units.forms import EMPTY, valid_fields
from haicap.units.models import AdministrativeUnit, Agency

MAX_IMPORT_FILES = 4
# A count's refusals in the project's own words: one sentence each (Django's Vietnamese ones
# leave a space before the full stop).
WHOLE_NUMBER = {
    "invalid": _("Give a whole number."),
    "min_value": _("Give a whole number of %(limit_value)s or more."),
    "max_value": _("Give a whole number of %(limit_value)s or less."),
}


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit.full_name


class FieldChoice(forms.ModelChoiceField):
    def label_from_instance(self, field) -> str:
        return field.name


class FieldsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, field) -> str:
        return field.name


class PositionChoice(forms.ModelChoiceField):
    def label_from_instance(self, position) -> str:
        return f"{position.field.name} · {position.grade}"


def in_order(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """The province's agencies first, then each commune's, in Vietnamese alphabetical order
    (Bạch Hà, Bắc Lý, Bích Hào, Bình Chuẩn; Đô Lương after every D)."""
    return in_vietnamese_order(agencies, "-unit__tier", "unit__name", "name")


def _agency_choices(agencies: QuerySet[Agency]) -> list[tuple[str, str]]:
    return [(str(a.pk), a.name) for a in in_order(agencies)]


# --- the officers' list -----------------------------------------------------------------------

SORT_CHOICES = [
    ("name", _("Name (by given name)")),
    ("-name", _("Name, Z to A")),
    ("staff_number", _("Staff number")),
    ("agency", _("Agency")),
    ("in_post_since", _("Longest in post first")),
    ("-in_post_since", _("Newest in post first")),
    ("-experience", _("Most experienced first")),
]


class OfficerFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Name or staff number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    commune = forms.ChoiceField(label=_("Commune or ward"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    field = forms.ChoiceField(label=_("Field of the post"), required=False)
    qualification = forms.ChoiceField(label=_("Qualified in"), required=False)
    desk = forms.ChoiceField(
        label=_("One-stop desk"),
        required=False,
        choices=[
            *EMPTY,
            (selectors.DESK_ON, _("On a one-stop desk")),
            (selectors.DESK_OFF, _("Not on a desk")),
        ],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user: Viewer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        officers = selectors.visible_officers(user)
        communes = AdministrativeUnit.objects.restrict(user).filter(
            pk__in=officers.values("agency__unit_id")
        )
        self.fields["commune"].choices = EMPTY + [
            (str(u.pk), u.full_name) for u in in_vietnamese_order(communes, "-tier", "name")
        ]
        agencies = Agency.objects.restrict(user).filter(pk__in=officers.values("agency_id"))
        self.fields["agency"].choices = EMPTY + _agency_choices(agencies)
        fields = [(f.code, f.name) for f in selectors.visible_fields()]
        self.fields["field"].choices = EMPTY + fields
        self.fields["qualification"].choices = EMPTY + fields

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "commune_id": int(data["commune"]) if data.get("commune") else None,
            "agency_id": int(data["agency"]) if data.get("agency") else None,
            "field_code": data.get("field") or None,
            "qualification_code": data.get("qualification") or None,
            "on_desk": data.get("desk") or None,
        }

    def ordering(self) -> str:
        """The sort chosen; with none, the best match for what was typed, or by name."""
        data = valid_fields(self)
        if data.get("sort"):
            return data["sort"]
        return selectors.BEST_MATCH if (data.get("q") or "").strip() else "name"


# --- an officer -------------------------------------------------------------------------------


class OfficerForm(PlainTextForm, forms.Form):
    staff_number = forms.CharField(label=_("Staff number"), max_length=30)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    agency = AgencyChoice(label=_("Agency"), queryset=Agency.objects.none())
    position = PositionChoice(
        label=_("Position"),
        queryset=Position.objects.none(),
        help_text=_("A post of the agency: its field and grade."),
    )
    qualifications = FieldsChoice(
        label=_("Fields of qualification"),
        queryset=StaffField.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade = forms.CharField(label=_("Grade"), max_length=60)
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=services.MAX_EXPERIENCE_YEARS,
        error_messages=WHOLE_NUMBER,
    )
    in_post_since = forms.DateField(label=_("In post since"), widget=DayInput())
    desk_posting_from = forms.DateField(
        label=_("One-stop desk posting from"),
        required=False,
        widget=DayInput(),
        help_text=_("Only for an officer of a one-stop desk (rotated every 12 to 36 months)."),
    )
    desk_posting_until = forms.DateField(
        label=_("One-stop desk posting until"), required=False, widget=DayInput()
    )
    account = forms.CharField(
        label=_("haicap account (user name)"),
        required=False,
        max_length=150,
        help_text=_("Leave empty if the officer does not sign in to haicap."),
    )
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=20, widget=forms.TextInput({"type": "tel"})
    )

    def __init__(self, *args, user: Viewer, officer: Officer | None = None, **kwargs) -> None:
        if officer is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(officer)
        super().__init__(*args, **kwargs)
        self.user, self.officer = user, officer
        agencies = selectors.editable_agencies(user)
        self.fields["agency"].queryset = in_order(agencies)
        # Choosing an agency offers its positions (htmx asks for them; without it the form
        # says so when it is sent).
        self.fields["agency"].widget.attrs.update(
            {
                "hx-get": reverse("desk:staffing:officer_positions"),
                "hx-target": f"#{self['position'].id_for_label}",
                "hx-trigger": "change",
            }
        )
        positions = selectors.visible_positions(user).filter(agency__in=agencies)
        chosen = self._chosen_agency()
        if chosen is not None:
            positions = positions.filter(agency_id=chosen)
        self.fields["position"].queryset = positions.order_by("field__code", "grade")
        self.fields["qualifications"].queryset = selectors.visible_fields()
        # the day in post has come: the browser's date picker offers none later
        self.fields["in_post_since"].widget.attrs["max"] = clock.now().date().isoformat()

    def _chosen_agency(self) -> int | None:
        """The agency picked (or the officer's): its positions are the ones offered."""
        value = self.data.get("agency") if self.is_bound else self.initial.get("agency")
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None

    def clean_account(self):
        username = self.cleaned_data["account"].strip()
        if not username:
            return None
        account = active_officer(self.user, username=username)
        if account is None:
            raise forms.ValidationError(_("No active account has that user name."))
        return account

    def clean(self) -> dict:
        cleaned = super().clean()
        agency, position = cleaned.get("agency"), cleaned.get("position")
        if agency and position and position.agency_id != agency.pk:
            self.add_error("position", _("Choose one of the agency's positions."))
        if not self.errors:
            for name, problem in services.officer_problems(self.spec(), clock.now().date()).items():
                self.add_error(name if name in self.fields else None, problem)
        return cleaned

    def spec(self) -> services.OfficerSpec:
        data = self.cleaned_data
        return services.OfficerSpec(
            staff_number=data["staff_number"].strip(),
            full_name=data["full_name"].strip(),
            position=data["position"],
            grade=data["grade"].strip(),
            in_post_since=data["in_post_since"],
            qualifications=list(data.get("qualifications") or []),
            experience_years=data["experience_years"],
            desk_posting_from=data.get("desk_posting_from"),
            desk_posting_until=data.get("desk_posting_until"),
            account=data.get("account"),
            citizen_id=(data.get("citizen_id") or "").strip(),
            phone=(data.get("phone") or "").strip(),
        )


def initial_of(officer: Officer) -> dict:
    return {
        "staff_number": officer.staff_number,
        "full_name": officer.full_name,
        "agency": officer.agency_id,
        "position": officer.position_id,
        "qualifications": [f.pk for f in officer.qualifications.all()],
        "grade": officer.grade,
        "experience_years": officer.experience_years,
        "in_post_since": officer.in_post_since,
        "desk_posting_from": officer.desk_posting_from,
        "desk_posting_until": officer.desk_posting_until,
        "account": officer.user.get_username() if officer.user else "",
        "citizen_id": officer.citizen_id,
        "phone": officer.phone,
    }


# --- positions --------------------------------------------------------------------------------


class PositionFilterForm(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = EMPTY + _agency_choices(agencies)

    def agency_id(self) -> int | None:
        value = valid_fields(self).get("agency")
        return int(value) if value else None


class PositionForm(PlainTextForm, forms.Form):
    agency = AgencyChoice(label=_("Agency"), queryset=Agency.objects.none())
    field = FieldChoice(label=_("Field"), queryset=StaffField.objects.none())
    grade = forms.CharField(label=_("Grade"), max_length=60)
    approved = forms.IntegerField(
        label=_("Approved (quota)"),
        min_value=0,
        max_value=services.MAX_APPROVED,
        error_messages=WHOLE_NUMBER,
        help_text=_("It may be fewer than the officers in the post: the list then shows it."),
    )

    def __init__(self, *args, user: Viewer, position: Position | None = None, **kwargs) -> None:
        if position is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "agency": position.agency_id,
                "field": position.field_id,
                "grade": position.grade,
                "approved": position.approved,
            }
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.restrict(user).filter(unit__valid_to=None)
        self.fields["agency"].queryset = in_order(agencies)
        self.fields["field"].queryset = selectors.visible_fields()

    def spec(self) -> services.PositionSpec:
        data = self.cleaned_data
        return services.PositionSpec(data["agency"], data["field"], data["grade"], data["approved"])


# --- norms ------------------------------------------------------------------------------------

BASIS_CHOICES = [(Basis.FIXED.value, _("Fixed number")), (Basis.WORKLOAD.value, _("Workload"))]


class NormForm(PlainTextForm, forms.Form):
    field = FieldChoice(label=_("Field"), queryset=StaffField.objects.none())
    commune = UnitChoice(
        label=_("Commune"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=_("Empty, with no agency either: the norm of every commune."),
    )
    agency = AgencyChoice(
        label=_("Provincial agency"), queryset=Agency.objects.none(), required=False
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=BASIS_CHOICES, widget=forms.RadioSelect)
    count = forms.IntegerField(
        label=_("Officers (fixed)"),
        min_value=0,
        max_value=services.MAX_APPROVED,
        required=False,
        error_messages=WHOLE_NUMBER,
    )
    dossiers_per_officer_month = forms.IntegerField(
        label=_("Dossiers one officer handles a month"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        error_messages=WHOLE_NUMBER,
    )
    minimum = forms.IntegerField(
        label=_("At least (workload)"),
        min_value=0,
        max_value=services.MAX_APPROVED,
        required=False,
        error_messages=WHOLE_NUMBER,
    )
    note = forms.CharField(label=_("Source or note"), max_length=300, required=False)

    def __init__(self, *args, user: Viewer, norm: NormRule | None = None, **kwargs) -> None:
        if norm is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "field": norm.field_id,
                "commune": norm.unit_id,
                "agency": norm.agency_id,
                "basis": norm.basis,
                "count": norm.count,
                "dossiers_per_officer_month": norm.dossiers_per_officer_month,
                "minimum": norm.minimum,
                "note": norm.note,
            }
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = selectors.visible_fields()
        units = AdministrativeUnit.objects.restrict(user)
        self.fields["commune"].queryset = in_vietnamese_order(
            units.filter(tier="commune", valid_to=None), "name"
        )
        agencies = Agency.objects.restrict(user).filter(unit__tier="province")
        self.fields["agency"].queryset = in_vietnamese_order(agencies, "name")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("commune") and cleaned.get("agency"):
            self.add_error("agency", _("Choose a commune or a provincial agency, not both."))
        basis = cleaned.get("basis")
        # a number refused already is said once, in its own words
        if basis == Basis.FIXED and cleaned.get("count") is None and "count" not in self.errors:
            self.add_error("count", _("A fixed norm says how many officers."))
        per_officer = "dossiers_per_officer_month"
        if (
            basis == Basis.WORKLOAD
            and not cleaned.get(per_officer)
            and per_officer not in self.errors
        ):
            self.add_error(
                "dossiers_per_officer_month",
                _("A workload norm needs the dossiers one officer handles a month (1 or more)."),
            )
        return cleaned

    def spec(self) -> services.NormSpec:
        data = self.cleaned_data
        return services.NormSpec(
            field=data["field"],
            basis=Basis(data["basis"]),
            count=data.get("count") or 0,
            dossiers_per_officer_month=data.get("dossiers_per_officer_month") or 0,
            minimum=data.get("minimum") or 0,
            unit=data.get("commune"),
            agency=data.get("agency"),
            note=data.get("note") or "",
        )


# --- importing --------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImportFilesField(forms.FileField):
    """One workbook, or up to four files (one a sheet)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> Sequence:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data] or [single(None, initial)]
        else:
            files = [single(data, initial)]
        if len(files) > MAX_IMPORT_FILES:
            raise forms.ValidationError(
                _("Send at most %(count)d files.") % {"count": MAX_IMPORT_FILES}
            )
        if any(f.size > MAX_IMPORT_BYTES for f in files):
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return files


class ImportForm(forms.Form):
    files = ImportFilesField(
        label=_("Workbook or files"),
        help_text=_(
            "One .xlsx workbook with the four sheets, or one .csv or .xlsx file for each sheet."
        ),
    )
