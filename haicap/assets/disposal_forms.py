"""The forms of the surplus offices' pages: the list's filters, a new plan, progress, closing."""

from django import forms
from django.utils.translation import gettext_lazy

from haicap.assets.models import Asset
from haicap.assets.selectors import PLAN_STATUS_LABELS
from haicap.assets.services.disposal import OFFICE_METHODS
from haicap.core.task_status import Outcome, Status
from haicap.core.validators import PlainTextForm
from haicap.units.forms import EMPTY, valid_fields
from haicap.units.models import Agency

METHODS = [(m.value, m.label) for m in OFFICE_METHODS]
OUTCOMES = [
    (Outcome.ACHIEVED.value, gettext_lazy("Done")),
    (Outcome.NOT_ACHIEVED.value, gettext_lazy("Not done")),
]


class PlanFilterForm(PlainTextForm, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=EMPTY + [(s.value, label) for s, label in PLAN_STATUS_LABELS.items()],
    )
    commune = forms.TypedChoiceField(
        label=gettext_lazy("Commune or ward"), required=False, coerce=int
    )

    def __init__(self, *args, communes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = EMPTY + [(c.pk, c.full_name) for c in communes]

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "status": Status(data["status"]) if data.get("status") else None,
            "commune_id": data.get("commune") or None,
        }


class PlanForm(PlainTextForm, forms.Form):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Surplus office"), queryset=Asset.objects.none()
    )
    method = forms.ChoiceField(label=gettext_lazy("What it becomes"), choices=METHODS)
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("Responsible agency"), queryset=Agency.objects.none()
    )
    decision = forms.CharField(label=gettext_lazy("Decision"), max_length=120, required=False)

    def __init__(self, *args, offices, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["office"].label_from_instance = lambda a: f"{a.identifier} {a.name}"
        self.fields["responsible"].queryset = agencies


class ProgressForm(PlainTextForm, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Progress"), widget=forms.Textarea({"rows": 3}), max_length=4000
    )
    on = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )


class CloseForm(PlainTextForm, forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=OUTCOMES)
    on = forms.DateField(
        label=gettext_lazy("Closed on"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
