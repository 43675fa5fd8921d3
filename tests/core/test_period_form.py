"""The one choice of period (``core.period_form``) that the indicator dashboard and the feedback
figures page both use: its default shown in the fields, its checks, and the period it gives."""

import datetime as dt

import pytest

from haicap.core.period_form import PeriodForm
from haicap.core.periods import Period
from haicap.feedback.figures_forms import FiguresForm
from haicap.kpi.forms import DashboardForm

TODAY = dt.date(2026, 12, 7)


def test_both_pages_choose_their_period_with_the_same_form():
    assert issubclass(FiguresForm, PeriodForm) and issubclass(DashboardForm, PeriodForm)
    period_fields = ["kind", "year", "number", "start", "end"]
    assert list(FiguresForm(today=TODAY).fields) == period_fields
    assert list(PeriodForm.base_fields) == period_fields


def test_a_first_visit_shows_this_month_in_the_fields():
    form = PeriodForm(today=TODAY)
    assert [form[name].value() for name in ("kind", "year", "number")] == ["month", 2026, 12]
    assert form.whole() == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert form.so_far() == Period(dt.date(2026, 12, 1), TODAY)


def test_the_dashboard_reads_the_whole_period_and_the_figures_page_the_days_so_far():
    query = {"kind": "quarter", "year": "2026", "number": "4"}
    assert PeriodForm(query, today=TODAY).period() == Period(
        dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    )
    assert FiguresForm(query, today=TODAY).period() == Period(dt.date(2026, 10, 1), TODAY)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"kind": "month", "year": "2026", "number": "13"}, "number"),
        ({"kind": "quarter", "year": "2026", "number": "5"}, "number"),
        ({"kind": "range", "start": "2026-03-01"}, "start"),
        ({"kind": "range", "start": "2026-03-02", "end": "2026-03-01"}, "end"),
        ({"kind": "range", "start": "2010-01-01", "end": "2010-02-01"}, "start"),
        ({"kind": "year", "year": "2027"}, "__all__"),
    ],
)
def test_a_choice_that_gives_no_figures_is_an_error(query, field):
    form = PeriodForm(query, today=TODAY)
    assert not form.is_valid() and field in form.errors
    assert form.whole() == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
