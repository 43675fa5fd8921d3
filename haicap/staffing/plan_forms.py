"""The forms of the plan pages: asking for a plan under its rules, editing a draft's
secondments, adding one by hand. They read what was typed; the services decide."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haicap.core.day_input import DayInput
from haicap.core.validators import PlainTextForm
from haicap.staffing.forms import WHOLE_NUMBER
from haicap.staffing.services.plans import LONGEST_TERM_MONTHS, SecondmentChange


class PlanRequestForm(PlainTextForm, forms.Form):
    """The rules a plan is solved under."""

    title = forms.CharField(label=_("Plan title"), max_length=200)
    starts_on = forms.DateField(label=_("Secondments start on"), widget=DayInput())
    months = forms.IntegerField(
        label=_("For how many months"),
        min_value=1,
        max_value=LONGEST_TERM_MONTHS,
        initial=6,
        error_messages=WHOLE_NUMBER,
    )
    max_travel_minutes = forms.IntegerField(
        label=_("Longest travel between units (minutes)"),
        min_value=1,
        max_value=24 * 60,
        initial=60,
        error_messages=WHOLE_NUMBER,
        help_text=_(
            "Read from the province's table of travel times; a pair not in it is out of reach."
        ),
    )
    max_per_agency = forms.IntegerField(
        label=_("Most officers taken from one agency"),
        min_value=1,
        max_value=50,
        initial=2,
        error_messages=WHOLE_NUMBER,
    )


class SecondmentRowForm(PlainTextForm, forms.Form):
    """One secondment's dates and decision number, in the draft's table."""

    start_date = forms.DateField(label=_("Start date"), widget=DayInput())
    end_date = forms.DateField(label=_("End date"), widget=DayInput())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)

    def change(self) -> SecondmentChange:
        data = self.cleaned_data
        return SecondmentChange(
            start_date=data["start_date"],
            end_date=data["end_date"],
            decision_number=data.get("decision_number", ""),
        )


def row_forms(data, secondments) -> list[tuple[object, SecondmentRowForm]]:
    """A form per secondment (its prefix its id), filled from ``data`` or the secondment."""
    return [
        (
            s,
            SecondmentRowForm(
                data,
                prefix=f"s{s.pk}",
                initial={
                    "start_date": s.start_date,
                    "end_date": s.end_date,
                    "decision_number": s.decision_number,
                },
            ),
        )
        for s in secondments
    ]


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit.full_name


class AdditionForm(PlainTextForm, forms.Form):
    """An officer added to a draft by hand, by staff number."""

    staff_number = forms.CharField(label=_("Officer's staff number"), max_length=30)
    commune = CommuneChoice(label=_("To the commune or ward"), queryset=None)
    field = forms.ModelChoiceField(label=_("For the field"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DayInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DayInput())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)

    def __init__(self, *args, communes: QuerySet, fields: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["field"].queryset = fields
