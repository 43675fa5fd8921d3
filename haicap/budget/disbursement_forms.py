"""The forms of the disbursement pages: the month shown, a month's amounts per project, the
workbook to import and the pace. They read what was typed; the services decide."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haicap.budget import disbursement_sheet, rates
from haicap.budget.models import Project
from haicap.budget.money import format_vnd
from haicap.budget.services.disbursement import today
from haicap.core.admin_uploads import MAX_IMPORT_BYTES
from haicap.core.validators import PlainTextForm
from haicap.units.forms import EMPTY, valid_fields

MONTH_CHOICES = [(m, str(m)) for m in range(1, 13)]


def dimension_choices() -> list[tuple[str, Any]]:
    # the default first: a browser shows it when the value asked for is no choice
    return [
        (rates.INVESTOR, _("Investor")),
        (rates.PROJECT, _("Project")),
        (rates.COMMUNE, _("Investing commune")),
        (rates.LOCATION, _("Commune where built")),
        (rates.FIELD, _("Field")),
        (rates.LEVEL, _("Investor's level")),
    ]


class MonthForm(PlainTextForm, forms.Form):
    """The month a page shows: a year with an annual plan and a month; a bad choice falls back
    to the default month (shown as an error)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTH_CHOICES)

    def __init__(self, *args: Any, years: Sequence[int], default: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default
        self.fields["year"].choices = [(y, str(y)) for y in years] or [
            (default[0], str(default[0]))
        ]
        self.fields["year"].initial, self.fields["month"].initial = default

    def clean(self) -> dict:
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("month")
        now = today()
        if year and month and (year, month) > (now.year, now.month):
            # nothing is disbursed in a month that has not begun: every project would read behind
            self.add_error(
                "month",
                gettext("Month %(month)d/%(year)d has not begun yet.")
                % {"month": month, "year": year},
            )
        return cleaned

    def chosen(self) -> tuple[int, int]:
        """The year and month asked for; what is missing or wrong is the default's (a year
        without its month: its last month, or the default month in the default year)."""
        data = valid_fields(self)
        default_year, default_month = self.default
        year = data.get("year") or default_year
        month = data.get("month")
        if not month:
            month = default_month if year == default_year else 12 if year < default_year else 1
        return year, month


class OverviewForm(MonthForm):
    by = forms.ChoiceField(label=_("Group by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = dimension_choices()
        self.fields["by"].initial = rates.INVESTOR
        if self.is_bound and not self.data.get("by"):
            # the select shows the grouping the table is shown by, not the first choice
            self.data = self.data.copy()
            self.data["by"] = rates.INVESTOR

    def dimension(self) -> str:
        return valid_fields(self).get("by") or rates.INVESTOR


class EntryFilterForm(MonthForm):
    """The month to enter, and for Finance which investor's or commune's projects."""

    investor = forms.TypedChoiceField(label=_("Investor"), coerce=int, required=False)
    commune = forms.TypedChoiceField(label=_("Investing commune"), coerce=int, required=False)

    def __init__(self, *args: Any, investors=(), communes=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investor"].choices = EMPTY + [(a.pk, a.name) for a in investors]
        self.fields["commune"].choices = EMPTY + [(u.pk, u.full_name) for u in communes]
        if not investors:
            del self.fields["investor"]
        if not communes:
            del self.fields["commune"]

    def narrowed(self) -> dict[str, int | None]:
        data = valid_fields(self)
        return {"investor_id": data.get("investor") or None, "unit_id": data.get("commune") or None}


class AmountField(forms.CharField):
    """Đồng, typed as offices write them (1.250.000.000) or as digits alone."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 16})

    def prepare_value(self, value: Any) -> Any:
        return format_vnd(value) if isinstance(value, int) else value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        amount = disbursement_sheet.amount_of(text)
        if amount is None:
            raise forms.ValidationError(
                capfirst(gettext(disbursement_sheet.NOT_AMOUNT))
                % {"max": format_vnd(disbursement_sheet.MAX_AMOUNT)}
            )
        return amount


def amount_name(project: Project) -> str:
    return f"amount_{project.pk}"


class MonthAmountsForm(forms.Form):
    """An amount per project for the month; a blank one is left as it is."""

    def __init__(self, *args: Any, projects: Sequence[Project], entered: dict[int, int], **kw):
        super().__init__(*args, **kw)
        self.projects = list(projects)
        self.entered = entered
        for project in self.projects:
            self.fields[amount_name(project)] = AmountField(
                label=f"{project.code} {project.name}",
                required=False,
                initial=entered.get(project.pk),
            )

    def changed_amounts(self) -> dict[Project, int]:
        """The projects whose typed amount differs from what is entered."""
        changed = {}
        for project in self.projects:
            amount = self.cleaned_data.get(amount_name(project))
            if amount is not None and amount != self.entered.get(project.pk):
                changed[project] = amount
        return changed


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("The template workbook filled in (.xlsx), or its first sheet as .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB."))
        return upload


def share_name(month: int) -> str:
    return f"share_{month}"


class PaceForm(forms.Form):
    """The share of the plan expected disbursed by the end of each month; blank: not set."""

    def __init__(self, *args: Any, shares: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            self.fields[share_name(month)] = forms.DecimalField(
                label=gettext("By the end of month %(month)d") % {"month": month},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=shares.get(month),
                localize=True,
            )

    def shares(self) -> dict[int, Decimal | None]:
        return {m: self.cleaned_data.get(share_name(m)) for m in range(1, 13)}
