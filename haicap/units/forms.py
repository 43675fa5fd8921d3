from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core.validators import PlainTextForm
from haicap.units.kinds import AgencyKind, Tier, UnitKind

EMPTY = [("", _("All"))]


def valid_fields(form: forms.Form) -> dict:
    """The filters that validated: one bad field is shown as an error, the others still apply."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


class UnitFilterForm(PlainTextForm, forms.Form):
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
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "current",
            "kind": data.get("kind") or None,
        }


class AgencyFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[*EMPTY, (Tier.PROVINCE, Tier.PROVINCE.label), (Tier.COMMUNE, Tier.COMMUNE.label)],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=EMPTY + AgencyKind.choices)

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "tier": data.get("tier") or None,
            "kind": data.get("kind") or None,
        }
