"""The forms of the register's pages: filtering the list, an asset, its condition, a move, and
the workbook to import. They read what was typed; the services decide (``asset_problems`` and
``movement_problems`` are the rules the forms and the services share)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haicap.assets import asset_sheet, selectors
from haicap.assets.models import Asset, AssetKind, Category, Condition, Disposal, Movement
from haicap.assets.services import register
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.day_input import DayInput
from haicap.core.restricted import Viewer
from haicap.core.validators import PlainTextForm
from haicap.units.forms import EMPTY, valid_fields
from haicap.units.models import AdministrativeUnit, Agency


class KindChoice(forms.ModelChoiceField):
    def label_from_instance(self, kind: AssetKind) -> str:
        return f"{kind.name} ({kind.code})"


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


def former_unit_label(unit: AdministrativeUnit) -> str:
    """A former unit and what it became, so that two of one name are told apart."""
    became = ", ".join(u.full_name for u in getattr(unit, "became", []))
    if not became or unit.tier == "district":
        return register.origin_label(unit)
    return gettext("%(former)s (now %(current)s)") % {
        "former": register.origin_label(unit),
        "current": became,
    }


class MoneyField(forms.CharField):
    """Đồng, typed as offices write them (1.250.000.000) or as digits alone."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        return asset_sheet.money_text(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        amount = asset_sheet.money_of(text)
        if amount is None:
            raise forms.ValidationError(
                capfirst(gettext(asset_sheet.NOT_VALUE))
                % {"max": asset_sheet.money_text(asset_sheet.MAX_VALUE)}
            )
        return amount


class AreaField(forms.CharField):
    """Square metres with at most one decimal (450,5)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        return asset_sheet.area_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if not text:
            return None
        area = asset_sheet.area_of(text)
        if area is None:
            raise forms.ValidationError(capfirst(gettext(asset_sheet.NOT_AREA)))
        return area


# --- the list ---------------------------------------------------------------------------------

SORT_CHOICES = [
    ("identifier", _("Identifier")),
    ("name", _("Name")),
    ("kind", _("Kind")),
    ("holder", _("Holder")),
    ("-original_value", _("Highest original value first")),
    ("-remaining_value", _("Highest remaining value first")),
    ("acquired_year", _("Oldest first")),
    ("-acquired_year", _("Newest first")),
]


class AssetFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Identifier or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[*EMPTY, *Category.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    commune = forms.ChoiceField(label=_("Commune or ward"), required=False)
    holder = forms.ChoiceField(label=_("Holder"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[*EMPTY, *Asset.Status.choices]
    )
    condition = forms.ChoiceField(
        label=_("Condition"), required=False, choices=[*EMPTY, *Condition.choices]
    )
    origin = forms.ChoiceField(label=_("Came from"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assets = selectors.visible_assets(user)
        self.fields["kind"].choices = EMPTY + [(str(k.pk), k.name) for k in selectors.asset_kinds()]
        units = AdministrativeUnit.objects.restrict(user).filter(
            pk__in=assets.values("holder__unit_id")
        )
        self.fields["commune"].choices = EMPTY + [
            (str(u.pk), u.full_name) for u in units.order_by("-tier", "search_name")
        ]
        holders = (
            Agency.objects.restrict(user)
            .filter(pk__in=assets.values("holder_id"))
            .order_by("-unit__tier", "unit__search_name", "code")
        )
        self.fields["holder"].choices = EMPTY + [(str(a.pk), a.name) for a in holders]
        origins = (
            AdministrativeUnit.objects.restrict(user)
            .filter(pk__in=assets.values("origin_id"))
            .select_related("parent")
            .order_by("tier", "search_name")
        )
        self.fields["origin"].choices = EMPTY + [
            (str(u.pk), register.origin_label(u)) for u in origins
        ]

    def filters(self) -> dict:
        data = valid_fields(self)

        def number(name: str) -> int | None:
            return int(data[name]) if data.get(name) else None

        return {
            "query": data.get("q") or "",
            "category": data.get("category") or None,
            "kind_id": number("kind"),
            "commune_id": number("commune"),
            "holder_id": number("holder"),
            "status": data.get("status") or None,
            "condition": data.get("condition") or None,
            "origin_id": number("origin"),
        }

    def ordering(self) -> str:
        return valid_fields(self).get("sort") or "identifier"


# --- an asset ---------------------------------------------------------------------------------


class AssetForm(PlainTextForm, forms.Form):
    """Finance enters an asset (who holds it, where it came from) or corrects one (the rest)."""

    kind = KindChoice(label=_("Kind"), queryset=AssetKind.objects.none())
    name = forms.CharField(label=_("Name"), max_length=asset_sheet.MAX_LENGTHS["name"])
    holder = AgencyChoice(
        label=_("Held by"),
        queryset=Agency.objects.none(),
        help_text=_("Who holds it changes afterwards only by a recorded move."),
    )
    origin = forms.TypedChoiceField(
        label=_("Came from"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "The former unit that held it before 1 July 2025; empty for an asset bought since."
        ),
    )
    address = forms.CharField(
        label=_("Address or place"), required=False, max_length=asset_sheet.MAX_LENGTHS["address"]
    )
    area_m2 = AreaField(
        label=_("Floor area (m²)"), required=False, help_text=_("Land and buildings only.")
    )
    original_value = MoneyField(label=_("Original value (VND)"))
    remaining_value = MoneyField(
        label=_("Remaining value (VND)"), help_text=_("No more than the original value.")
    )
    acquired_year = forms.IntegerField(label=_("Year put in use"), min_value=0, max_value=9999)
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)

    def __init__(self, *args: Any, user: Viewer, asset: Asset | None = None, **kwargs: Any):
        if asset is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(asset, name) for name in (*register.EDITABLE, "holder", "origin")
            } | {"kind": asset.kind_id, "holder": asset.holder_id, "origin": asset.origin_id}
        super().__init__(*args, **kwargs)
        self.asset = asset
        self.fields["kind"].queryset = selectors.asset_kinds()
        if asset is None:
            self.fields["holder"].queryset = selectors.current_agencies(user)
            self.former = {u.pk: u for u in selectors.former_units()}
            self.fields["origin"].choices = [("", "—")] + [
                (u.pk, former_unit_label(u)) for u in self.former.values()
            ]
        else:
            # Who holds it and where it came from are not corrected here.
            del self.fields["holder"], self.fields["origin"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors:
            for name, problem in register.asset_problems(self.details()).items():
                self.add_error(name if name in self.fields else None, problem)
        return cleaned

    def details(self) -> register.AssetDetails:
        data = self.cleaned_data
        return register.AssetDetails(
            kind=data["kind"],
            name=data["name"].strip(),
            original_value=data["original_value"],
            remaining_value=data["remaining_value"],
            acquired_year=data["acquired_year"],
            condition=data["condition"],
            address=(data.get("address") or "").strip(),
            area_m2=data.get("area_m2"),
        )

    def new_asset(self) -> register.NewAsset:
        origin = self.cleaned_data.get("origin")
        return register.NewAsset(
            self.details(),
            holder=self.cleaned_data["holder"],
            origin=self.former.get(origin) if origin is not None else None,
        )


class ConditionForm(forms.Form):
    """The holder's administrator or leader says what state the asset is in."""

    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)


# --- a move -----------------------------------------------------------------------------------

TRANSFER, DISPOSE = "transfer", "dispose"


class MovementForm(PlainTextForm, forms.Form):
    what = forms.ChoiceField(
        label=_("The move"),
        choices=[
            (TRANSFER, _("Transfer to another agency")),
            (DISPOSE, _("Dispose of it")),
        ],
        widget=forms.RadioSelect,
        initial=TRANSFER,
    )
    to_agency = AgencyChoice(label=_("Goes to"), queryset=Agency.objects.none(), required=False)
    disposal = forms.ChoiceField(
        label=_("Disposed of by"),
        choices=[("", "—"), *Disposal.choices],
        required=False,
    )
    on = forms.DateField(label=_("Date of the move"), widget=DayInput())
    decision = forms.CharField(
        label=_("Decision"),
        max_length=120,
        help_text=_("Number and date of the decision that orders it, e.g. 1234/QĐ-UBND."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, asset: Asset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset = asset
        self.fields["to_agency"].queryset = selectors.current_agencies(user).exclude(
            pk=asset.holder_id
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned["what"] == DISPOSE:
            cleaned["to_agency"] = None
        else:
            cleaned["disposal"] = ""
        problems = register.movement_problems(
            self.asset, self.spec(), register.last_moved_on(self.asset)
        )
        for name, problem in problems.items():
            self.add_error(name if name in self.fields else None, problem)
        return cleaned

    def spec(self) -> register.MovementSpec:
        data = self.cleaned_data
        return register.MovementSpec(
            on=data["on"],
            decision=data["decision"].strip(),
            to_agency=data.get("to_agency"),
            disposal=data.get("disposal") or "",
            note=(data.get("note") or "").strip(),
            kind=Movement.Kind.DISPOSED if data["what"] == DISPOSE else Movement.Kind.TRANSFERRED,
        )


# --- importing --------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("The template workbook filled in (.xlsx), or its assets sheet as .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB."))
        return upload
