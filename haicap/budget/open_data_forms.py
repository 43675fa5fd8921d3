"""The open-data page's choice of plans."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.budget.models import Plan


class PlanChoiceForm(forms.Form):
    plan = forms.MultipleChoiceField(
        label=_("Plans to include"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every plan."),
    )

    def __init__(self, *args, plans: list[Plan], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, p.name) for p in plans]

    def codes(self) -> list[str]:
        """The plans ticked (none: every plan); what is not a plan offered reads as none."""
        if not self.is_valid():
            return []
        return list(self.cleaned_data["plan"])
