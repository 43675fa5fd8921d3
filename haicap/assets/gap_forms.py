"""The forms of the gap, norm and allocation pages. They read what was typed; the services
decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.assets.gaps import KindNorm
from haicap.assets.models import AssetKind, EquipmentNorm
from haicap.assets.services.allocation import DECISION_LENGTH, LONGEST_REACH_MINUTES
from haicap.assets.services.norms import MOST_PER_PLACE, NormSpec
from haicap.core.day_input import DayInput
from haicap.core.validators import PlainTextForm
from haicap.units.forms import EMPTY, valid_fields

DEFAULT_REACH_MINUTES = 60


class GapFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Commune or ward"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    lacking_only = forms.BooleanField(label=_("Only communes lacking equipment"), required=False)

    def __init__(self, *args, kinds: list[KindNorm], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EMPTY + [(k.kind.code, k.kind.name) for k in kinds]

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "query": data.get("q") or "",
            "kind_code": data.get("kind") or None,
            "lacking_only": bool(data.get("lacking_only")),
        }


class KindChoice(forms.ModelChoiceField):
    def label_from_instance(self, kind) -> str:
        return kind.name


class NormForm(PlainTextForm, forms.Form):
    kind = KindChoice(label=_("Kind"), queryset=AssetKind.objects.none())
    per = forms.ChoiceField(
        label=_("For each"), choices=EquipmentNorm.Per.choices, widget=forms.RadioSelect
    )
    count = forms.IntegerField(label=_("How many"), min_value=0, max_value=MOST_PER_PLACE)
    note = forms.CharField(
        label=_("Source or note"),
        max_length=300,
        required=False,
        help_text=_("Where the figure comes from: a decision, or that it is illustrative."),
    )

    def __init__(self, *args, kinds, norm: EquipmentNorm | None = None, **kwargs) -> None:
        if norm is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": norm.kind_id,
                "per": norm.per,
                "count": norm.count,
                "note": norm.note,
            }
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds

    def spec(self) -> NormSpec:
        data = self.cleaned_data
        return NormSpec(
            kind=data["kind"],
            per=EquipmentNorm.Per(data["per"]),
            count=data["count"],
            note=data.get("note") or "",
        )


class RunForm(forms.Form):
    max_minutes = forms.IntegerField(
        label=_("Longest travel (minutes)"),
        min_value=0,
        max_value=LONGEST_REACH_MINUTES,
        initial=DEFAULT_REACH_MINUTES,
        help_text=_(
            "Read from the province's table of travel times; a pair not in it is out of reach."
        ),
    )


class ApproveForm(PlainTextForm, forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=DECISION_LENGTH)
    on = forms.DateField(label=_("Dated"), widget=DayInput())


class RejectForm(PlainTextForm, forms.Form):
    reason = forms.CharField(label=_("Why it is turned down"), max_length=DECISION_LENGTH)
