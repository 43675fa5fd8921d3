"""The choice of a reporting period (``core.periods``: a month, a quarter, a year or any days),
as the indicator dashboard and the other apps' figures pages offer it: its fields, their checks
and the period they give. By default, and shown so in the fields, this month."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core import periods
from haicap.core.day_input import DayInput
from haicap.core.periods import Period

FIRST_YEAR, LAST_YEAR = 2020, 2100
MOST_DAYS = 3660  # ten years


class PeriodForm(forms.Form):
    """Read with ``whole()`` (the period chosen) or ``so_far()`` (its days up to today);
    ``period()`` is the one the page reads (the whole, unless a subclass says otherwise). A
    subclass adds its own fields after these."""

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
    start = forms.DateField(label=_("From"), required=False, widget=DayInput())
    end = forms.DateField(label=_("To"), required=False, widget=DayInput())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # a first visit shows this month in the fields, as the heading does, not blank fields
        self.initial = {"kind": "month", "year": today.year, "number": today.month, **self.initial}

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

    def whole(self) -> Period:
        """The chosen period, whole; this month when nothing (or nothing valid) is chosen."""
        return self._chosen(self.cleaned_data if self.is_bound and self.is_valid() else {})

    def so_far(self) -> Period:
        """The chosen period's days up to today (a valid choice has begun)."""
        return periods.so_far(self.whole(), self.today) or Period(
            self.today.replace(day=1), self.today
        )

    def period(self) -> Period:
        """The period the page reads: the whole period; a subclass may read it so far."""
        return self.whole()

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
