"""The forms of the project pages: filtering the list, an adjustment of a plan, the reversal of
an entry, and the workbook to import. They read what was typed; the services decide
(``services.ledger``, ``services.imports``)."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from haicap.budget import money
from haicap.budget.models import InvestmentField, LedgerEntry, Level, Plan, Source
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.day_input import DayInput
from haicap.core.validators import PlainTextForm
from haicap.units.forms import EMPTY, valid_fields

# The words of the pure rule (``money``), so that the catalogue holds them.
MONEY_WORDS = (
    gettext_noop("not a whole number of đồng: write it like 8.000.000.000 or 8000000000"),
    gettext_noop("more than %(max)s đồng"),
)


class MoneyField(forms.CharField):
    """Whole đồng, typed as offices write them (8.000.000.000, 8 000 000 000 or digits alone),
    a minus sign before for a decrease."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        return money.format_vnd(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return money.parse_vnd(text)
        except money.NotAnAmount as error:
            raise forms.ValidationError(
                capfirst(gettext(error.message) % error.params) + "."
            ) from None


# --- the list -----------------------------------------------------------------------------------


class ProjectFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Code or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[*EMPTY, *InvestmentField.choices]
    )
    investor = forms.TypedChoiceField(
        label=_("Investor"), required=False, coerce=int, empty_value=None
    )
    location = forms.TypedChoiceField(
        label=_("Commune or ward"), required=False, coerce=int, empty_value=None
    )
    former_district = forms.TypedChoiceField(
        label=_("Former district"), required=False, coerce=int, empty_value=None
    )
    plan = forms.ChoiceField(
        label=_("Capital plan"),
        required=False,
        help_text=_("Its amounts are shown by budget level; a project with nothing in it shows —."),
    )

    def __init__(
        self,
        *args: Any,
        plans: list[Plan],
        choices: dict[str, list[tuple[int, str]]],
        default: Plan | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {plan.code: plan for plan in plans}
        self.default = default
        self.fields["plan"].choices = [("", _("No plan's amounts"))] + [
            (plan.code, plan.name) for plan in plans
        ]
        self.fields["plan"].initial = default.code if default else ""
        for name in ("investor", "location", "former_district"):
            self.fields[name].choices = EMPTY + [(str(pk), label) for pk, label in choices[name]]

    def chosen_plan(self) -> Plan | None:
        """The chosen plan: the default until one is chosen, or none ("" chosen)."""
        if not self.is_bound or "plan" not in self.data:
            return self.default
        return self.plans.get(valid_fields(self).get("plan") or "")

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "field": data.get("field") or "",
            "investor_id": data.get("investor"),
            "location_id": data.get("location"),
            "former_district_id": data.get("former_district"),
            "plan": self.chosen_plan(),
        }


# --- the ledger ---------------------------------------------------------------------------------


class DecisionFields(PlainTextForm, forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        help_text=_("The decision that makes the change, e.g. 125/QĐ-UBND."),
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DayInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AdjustmentForm(DecisionFields):
    plan = forms.ChoiceField(label=_("Capital plan"))
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    level = forms.ChoiceField(label=_("Budget level"), choices=Level.choices)
    amount = MoneyField(
        label=_("Amount (VND)"),
        help_text=_("Whole đồng: an increase as 500.000.000, a decrease as -500.000.000."),
    )
    field_order = ["plan", "source", "level", "amount", "decision_number", "decision_date"]

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {plan.code: plan for plan in plans}
        self.fields["plan"].choices = [(plan.code, plan.name) for plan in plans]

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(
                gettext("The amount is not 0: an increase is positive, a decrease negative.")
            )
        return amount

    def change(self) -> dict:
        """The service's arguments (``services.ledger.adjust``)."""
        data = self.cleaned_data
        return {
            "plan": self.plans[data["plan"]],
            "source": data["source"],
            "level": data["level"],
            "amount": data["amount"],
            "decision_number": data["decision_number"],
            "decision_date": data["decision_date"],
            "reason": data["reason"],
        }


class ReversalForm(DecisionFields):
    def __init__(self, *args: Any, entry: LedgerEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a plan in force on a day sums the entries decided by then: a reversal dated today
        # leaves an earlier year's plan as it was, so the reader is told which day to give
        self.fields["decision_date"].help_text = gettext(
            "The reversal takes effect from its decision date: the plan in force before that "
            "day keeps the entry. To correct a plan of an earlier year, give a decision date "
            "within that year. The entry reversed was decided on %(day)s."
        ) % {"day": entry.decision_date.strftime("%d/%m/%Y")}

    def decision(self) -> dict:
        data = self.cleaned_data
        return {
            "decision_number": data["decision_number"],
            "decision_date": data["decision_date"],
            "reason": data["reason"],
        }


# --- the import ---------------------------------------------------------------------------------


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("The template workbook filled in (.xlsx), or one of its sheets as .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB."))
        return upload
