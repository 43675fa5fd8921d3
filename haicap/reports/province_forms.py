"""The province's forms: filtering a period's communes, choosing a trend, deciding on a report."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core.day_input import DayInput
from haicap.core.moments import OutOfRange, check_day
from haicap.reports import schedule
from haicap.reports.figures import MOST_PERIODS, NumberKey
from haicap.reports.labels import STANDING_LABELS
from haicap.reports.models import Report
from haicap.reports.schedule import PeriodKind, Standing
from haicap.reports.selectors import CommuneStanding
from haicap.reports.services.review import MAX_NOTE
from haicap.units.models import AdministrativeUnit

NOT_OPENED = "none"  # the state filter's choice for a commune whose report is not there yet
FIRST_DAY = dt.date(2000, 1, 1)
DEFAULT_SPAN = dt.timedelta(days=730)  # a trend shows two years unless told otherwise
MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}


def period_count(kind: PeriodKind, first: dt.date, last: dt.date) -> int:
    """How many periods ``schedule.periods_between`` would give, counted without making them
    (a span of centuries holds too many to walk through before refusing it)."""

    def index(day: dt.date) -> int:
        return (day.year * 12 + day.month - 1) // MONTHS[kind]

    if schedule.period_of(kind, first).start > last:
        return 0
    return index(last) - index(first) + 1


class PeriodFilterForm(forms.Form):
    standing = forms.ChoiceField(
        label=_("Where it stands"),
        required=False,
        choices=[("", _("Any"))] + [(s.value, label) for s, label in STANDING_LABELS.items()],
    )
    state = forms.ChoiceField(
        label=_("State of the report"),
        required=False,
        choices=[("", _("Any")), (NOT_OPENED, _("Not opened yet")), *Report.State.choices],
    )

    def keep(self, rows: Sequence[CommuneStanding]) -> list[CommuneStanding]:
        """The rows the chosen filters keep (all of them with none, or none valid)."""
        if not self.is_bound or not self.is_valid():
            return list(rows)
        standing, state = self.cleaned_data["standing"], self.cleaned_data["state"]
        kept = list(rows)
        if standing:
            kept = [r for r in kept if r.standing == Standing(standing)]
        if state == NOT_OPENED:
            kept = [r for r in kept if r.report is None]
        elif state:
            kept = [r for r in kept if r.state == state]
        return kept


class TrendForm(forms.Form):
    """Which figure, which commune and which periods: by default the first number, the first
    commune, and the two years up to the last ended period."""

    cell = forms.ChoiceField(label=_("Figure"))
    commune = forms.TypedChoiceField(label=_("Commune or ward"), coerce=int)
    first = forms.DateField(label=_("From the period holding"), widget=DayInput())
    last = forms.DateField(label=_("To the period holding"), widget=DayInput())

    def __init__(
        self,
        data: Any,
        *,
        keys: Sequence[NumberKey],
        communes: Sequence[AdministrativeUnit],
        kind: PeriodKind,
        today: dt.date,
    ) -> None:
        self.kind = kind
        last = schedule.last_ended(kind, today).start
        initial = {
            "cell": keys[0].key if keys else "",
            "commune": communes[0].pk if communes else "",
            "first": schedule.period_of(kind, last - DEFAULT_SPAN).start,
            "last": last,
        }
        # a first visit shows the default trend, as if its fields had been sent
        super().__init__(data or initial)
        self.fields["cell"].choices = [
            (k.key, f"{k.label} ({k.unit})" if k.unit else k.label) for k in keys
        ]
        self.fields["commune"].choices = [(u.pk, u.name) for u in communes]

    def _day(self, name: str) -> dt.date:
        day = self.cleaned_data[name]
        try:
            check_day(day)  # beyond its span, periods overflow Python's dates
            if day < FIRST_DAY:
                raise OutOfRange("before the reports' first year")
        except OutOfRange as error:
            raise forms.ValidationError(
                _("Choose a day from the year 2000 to the year 2999.")
            ) from error
        return day

    def clean_first(self) -> dt.date:
        return self._day("first")

    def clean_last(self) -> dt.date:
        return self._day("last")

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The last period comes after the first."))
            elif period_count(self.kind, first, last) > MOST_PERIODS:
                self.add_error(
                    "last",
                    _("A trend shows at most %(most)d periods: choose a shorter span.")
                    % {"most": MOST_PERIODS},
                )
        return data


class DecisionForm(forms.Form):
    """The province's note with its decision: what to correct (required to return a report),
    or a word with the approval."""

    note = forms.CharField(
        label=_("Note to the commune"),
        max_length=MAX_NOTE,
        widget=forms.Textarea({"rows": 4}),
    )

    def __init__(self, *args: Any, note_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].label = _("What the commune should correct")
