"""The forms of the directive pages: issuing one (with its target and sub-tasks), reporting
progress, closing it, and filtering the list. They read what was typed; the services decide."""

from collections.abc import Sequence

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haicap.core.day_input import DayInput
from haicap.core.measures import Comparison, Unit, measures
from haicap.core.task_status import Outcome, Status
from haicap.core.validators import PlainTextForm
from haicap.oversight import selectors
from haicap.oversight.forms import MultipleFileField
from haicap.oversight.models import STATUS_LABELS
from haicap.oversight.services import DirectiveSpec, TargetSpec
from haicap.units.forms import EMPTY, valid_fields

COMPARISONS = [
    (Comparison.AT_LEAST.value, _("at least (≥)")),
    (Comparison.AT_MOST.value, _("at most (≤)")),
    (Comparison.EQUAL.value, _("exactly (=)")),
]
SUBTASK_ROWS = 3
TARGET_FIELDS = ("period_start", "period_end", "comparison", "threshold")


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


class AgenciesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


class FindingsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, finding) -> str:
        return f"{finding.commune.full_name} · {finding.get_category_display()}: {finding.text}"


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit.full_name


class DirectiveForm(PlainTextForm, forms.Form):
    """A directive of an inspection's conclusion, with an optional measurable target."""

    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_agency = AgencyChoice(
        label=_("Lead agency"), queryset=None, empty_label=_("Choose the lead agency")
    )
    supporting_agencies = AgenciesChoice(
        label=_("Supporting agencies"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DayInput())
    expected_result = forms.CharField(
        label=_("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = FindingsChoice(
        label=_("Findings answered"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    target_commune = CommuneChoice(
        label=_("Where"), queryset=None, required=False, empty_label=_("The whole province")
    )
    target_field = forms.ModelChoiceField(
        label=_("Field"), queryset=None, required=False, empty_label=_("All fields")
    )
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DayInput())
    period_end = forms.DateField(label=_("Period until"), required=False, widget=DayInput())
    comparison = forms.ChoiceField(label=_("Comparison"), required=False, choices=COMPARISONS)
    threshold = forms.DecimalField(
        label=_("Threshold"), required=False, max_digits=14, decimal_places=2
    )

    def __init__(
        self,
        *args,
        agencies: QuerySet,
        findings: QuerySet,
        communes: QuerySet,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        self.fields["findings"].queryset = findings
        self.fields["target_commune"].queryset = communes
        self.fields["target_field"].queryset = selectors.staffed_fields()
        by_field = [m.label for m in measures.all() if m.reads_field]
        self.fields["target_field"].help_text = _(
            "Only these measures are read by field: %(measures)s."
        ) % {"measures": "; ".join(str(label) for label in by_field)}
        self.fields["measure"].choices = [("", _("No target"))] + [
            (m.key, f"{m.label} (%)" if m.unit == Unit.PERCENT else m.label) for m in measures.all()
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("measure"):
            for name in TARGET_FIELDS:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("A target needs this."))
        return cleaned

    def target(self) -> TargetSpec | None:
        data = self.cleaned_data
        if not data.get("measure"):
            return None
        return TargetSpec(
            measure_key=data["measure"],
            unit=data.get("target_commune"),
            field=data.get("target_field"),
            period_start=data["period_start"],
            period_end=data["period_end"],
            comparison=Comparison(data["comparison"]),
            threshold=data["threshold"],
        )

    def spec(self, subtasks: Sequence[DirectiveSpec] = ()) -> DirectiveSpec:
        data = self.cleaned_data
        return DirectiveSpec(
            title=data["title"],
            text=data.get("text", ""),
            lead_agency=data["lead_agency"],
            supporting_agencies=list(data.get("supporting_agencies") or ()),
            deadline=data["deadline"],
            expected_result=data.get("expected_result", ""),
            findings=list(data.get("findings") or ()),
            target=self.target(),
            subtasks=tuple(subtasks),
        )


class SubtaskForm(PlainTextForm, forms.Form):
    """One optional sub-task row: left empty, it is no sub-task."""

    title = forms.CharField(label=_("Sub-task"), max_length=300, required=False)
    lead_agency = AgencyChoice(
        label=_("Lead agency"),
        queryset=None,
        required=False,
        empty_label=_("Choose the lead agency"),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DayInput())

    def __init__(self, *args, agencies: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agencies

    def clean(self) -> dict:
        cleaned = super().clean()
        if any(cleaned.get(name) for name in ("title", "lead_agency", "deadline")):
            for name in ("title", "lead_agency", "deadline"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("A sub-task needs this."))
        return cleaned

    def spec(self) -> DirectiveSpec | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return DirectiveSpec(
            title=data["title"], lead_agency=data["lead_agency"], deadline=data["deadline"]
        )


def subtask_forms(data, agencies: QuerySet) -> list[SubtaskForm]:
    return [
        SubtaskForm(data, prefix=f"subtask-{n}", agencies=agencies) for n in range(SUBTASK_ROWS)
    ]


class UpdateForm(PlainTextForm, forms.Form):
    """Progress reported by the lead or a supporting agency."""

    text = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(
        label=_("Progress (%)"), required=False, min_value=0, max_value=100
    )
    papers = MultipleFileField(label=_("Attachments"), required=False)


class CloseForm(PlainTextForm, forms.Form):
    """The secretariat's closing of a directive, on its stated result."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.ACHIEVED.value, _("Achieved")),
            (Outcome.NOT_ACHIEVED.value, _("Not achieved")),
        ],
    )
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(
        label=_("Why not achieved"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.NOT_ACHIEVED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the expected result was not achieved."))
        return cleaned


class DirectiveFilterForm(PlainTextForm, forms.Form):
    """The directive list's filters: the follow-up view's counts link here."""

    group = forms.TypedChoiceField(label=_("Working group"), required=False, coerce=int)
    lead_agency = forms.TypedChoiceField(label=_("Lead agency"), required=False, coerce=int)
    commune = forms.TypedChoiceField(label=_("Commune or ward"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=EMPTY + [(s.value, STATUS_LABELS[s]) for s in Status],
    )

    def __init__(
        self, *args, groups: QuerySet, agencies: QuerySet, communes: QuerySet, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = EMPTY + [(g.pk, g.name) for g in groups]
        self.fields["lead_agency"].choices = EMPTY + [(a.pk, a.name) for a in agencies]
        self.fields["commune"].choices = EMPTY + [(u.pk, u.full_name) for u in communes]

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "group_id": data.get("group") or None,
            "lead_agency_id": data.get("lead_agency") or None,
            "commune_id": data.get("commune") or None,
            "status": Status(data["status"]) if data.get("status") else None,
        }
