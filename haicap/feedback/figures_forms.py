"""The figures page's choice of period: a month, a quarter, a year or any days, as the indicator
dashboard offers them; by default this month so far."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core import periods
from haicap.core.periods import Period

FIRST_YEAR, LAST_YEAR = 2020, 2100
MOST_DAYS = 3660  # ten years


class FiguresForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("month", _("Month")),
            ("quarter", _("Quarter")),
            ("year", _("Year")),
            ("range", _("From … to …")),
        ],
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    number = forms.IntegerField(
        label=_("Month or quarter"),
        required=False,
        min_value=1,
        max_value=12,
        error_messages={
            "min_value": _("A year has twelve months, numbered 1 to 12."),
            "max_value": _("A year has twelve months, numbered 1 to 12."),
        },
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind") or "month"
        if kind == "quarter" and (data.get("number") or 1) > 4:
            self.add_error("number", _("A year has four quarters."))
        if kind == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start", _("Give the first and the last day."))
            elif end < start or (end - start).days > MOST_DAYS:
                self.add_error(
                    "end", _("The last day comes after the first, at most ten years on.")
                )
            elif start.year < FIRST_YEAR or end.year > LAST_YEAR:
                self.add_error("start", _("Choose days between 2020 and 2100."))
        if not self.errors and self._chosen(data).start > self.today:
            self.add_error(None, _("This period has not begun yet: there are no figures for it."))
        return data

    def period(self) -> Period:
        """The chosen period up to today; this month so far when nothing is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return periods.so_far(self._chosen(data), self.today) or Period(
            self.today.replace(day=1), self.today
        )

    def _chosen(self, data: dict) -> Period:
        kind = data.get("kind") or "month"
        year = data.get("year") or self.today.year
        if kind == "range":
            return Period(data["start"], data["end"])
        if kind == "year":
            return periods.year(year)
        if kind == "quarter":
            return periods.quarter(year, data.get("number") or (self.today.month - 1) // 3 + 1)
        return periods.month(year, data.get("number") or self.today.month)
