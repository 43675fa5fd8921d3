from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.units.kinds import AgencyKind, Tier, UnitKind

EMPTY = [("", _("All"))]


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("current", _("Current (from 1 July 2025)")),
            ("former", _("Former (merged or abolished)")),
            ("all", _("All")),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=EMPTY + UnitKind.choices)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "current",
            "kind": data.get("kind") or None,
        }


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[*EMPTY, (Tier.PROVINCE, Tier.PROVINCE.label), (Tier.COMMUNE, Tier.COMMUNE.label)],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=EMPTY + AgencyKind.choices)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q") or "",
            "tier": data.get("tier") or None,
            "kind": data.get("kind") or None,
        }
