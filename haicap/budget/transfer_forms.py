"""The forms of the transfer pages: drafting a batch, an entry's amount, a new entry, the
approval."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy, pgettext_lazy

from haicap.budget.models import Level, Plan, Project, Source
from haicap.budget.money import NotAnAmount, format_vnd, parse_vnd
from haicap.core.validators import PlainTextForm
from haicap.units.models import AdministrativeUnit


# Signed đồng as offices write them: "-8.000.000.000", "7 500 000 000 đ", or digits alone.
class SignedMoneyField(forms.CharField):
    """Signed đồng: a decrease is negative."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": gettext_lazy("Give whole đồng, such as -8.000.000.000 or 7.500.000.000."),
    }

    def prepare_value(self, value: Any) -> Any:
        return format_vnd(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        try:  # the one reading of đồng: no comma, no fraction (``money.parse_vnd``)
            return parse_vnd(text)
        except NotAnAmount as refused:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from refused


class PlanChoice(forms.ModelChoiceField):
    def label_from_instance(self, plan: Plan) -> str:
        return plan.name


class DistrictChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit: AdministrativeUnit) -> str:
        return unit.full_name


class DraftForm(PlainTextForm, forms.Form):
    plan = PlanChoice(
        label=gettext_lazy("Capital plan"),
        queryset=Plan.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("Choose the capital plan"),
    )
    district = DistrictChoice(
        label=gettext_lazy("Former district"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every former district"),
    )
    title = forms.CharField(label=pgettext_lazy("transfer batch", "Title"), max_length=300)

    def __init__(
        self,
        *args: Any,
        plans: QuerySet[Plan],
        districts: QuerySet[AdministrativeUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["district"].queryset = districts


class AmountForm(forms.Form):
    amount = SignedMoneyField(label=gettext_lazy("Amount (VND)"))


class EntryForm(forms.Form):
    project = forms.ChoiceField(label=gettext_lazy("Project"))
    source = forms.ChoiceField(label=gettext_lazy("Source of capital"), choices=Source.choices)
    level = forms.ChoiceField(label=gettext_lazy("Budget level"), choices=Level.choices)
    amount = SignedMoneyField(
        label=gettext_lazy("Amount (VND)"),
        help_text=gettext_lazy("A decrease is negative: -8.000.000.000."),
    )

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.code, f"{p.code} {p.name}") for p in projects]


class ApprovalForm(PlainTextForm, forms.Form):
    decision_number = forms.CharField(
        label=gettext_lazy("Approving decision number"), max_length=60
    )
    decision_date = forms.DateField(
        label=gettext_lazy("Approving decision date"),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
