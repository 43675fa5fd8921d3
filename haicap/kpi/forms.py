"""The dashboard's choice of period and slice."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.catalog.models import Field
from haicap.core.period_form import PeriodForm
from haicap.core.validators import PlainTextForm
from haicap.dossiers.models import Dossier
from haicap.units.forms import EMPTY
from haicap.units.models import AdministrativeUnit


class DashboardForm(PlainTextForm, PeriodForm):
    """The period (``core.period_form``) and the slice."""

    unit = forms.ChoiceField(label=_("Commune or ward"), required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=EMPTY + Dossier.Channel.choices
    )

    def __init__(self, *args: Any, today: dt.date, units: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, today=today, **kwargs)
        self.fields["field"].choices = EMPTY + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]
        if units:
            self.fields["unit"].choices = EMPTY + [
                (u.code, u.full_name)
                for u in AdministrativeUnit.objects.filter(valid_to=None, tier="commune").order_by(
                    "search_name"
                )
            ]
        else:
            del self.fields["unit"]

    def slice_values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "unit_code": data.get("unit") or None,
            "field_code": data.get("field") or None,
            "channel": data.get("channel") or None,
        }
