"""Time left in words for the queues: the pure split and the dossier's own due moment."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.dossiers.remaining import remaining

CAL = WorkCalendar.national()
FRIDAY_CLOSE = dt.datetime(2026, 3, 6, 17, 30, tzinfo=VIETNAM)
moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),
    max_value=dt.datetime(2026, 12, 31),
    timezones=st.just(VIETNAM),
)


@given(moments, moments)
def test_the_words_match_the_working_hours_between_now_and_the_due_moment(now, due):
    worked = CAL.elapsed(now, due)
    left = remaining(worked, past_due=due < now)
    said = Decimal(left.days * 8 + left.hours) / 8  # in working days
    # never more than the calendar gives, never short by a whole hour
    assert said <= abs(worked) < said + Decimal(1) / 8
    assert 0 <= left.hours < 8


@given(moments, moments)
def test_a_dossier_is_overdue_exactly_when_its_due_moment_has_passed(now, due):
    assert remaining(CAL.elapsed(now, due), past_due=due < now).overdue == (due < now)


def test_late_at_night_after_a_due_moment_reads_as_overdue_not_as_time_left():
    for now in (
        FRIDAY_CLOSE + dt.timedelta(hours=3),  # Friday 20:30
        FRIDAY_CLOSE + dt.timedelta(days=1),  # Saturday
        dt.datetime(2026, 3, 9, 7, 0, tzinfo=VIETNAM),  # Monday before the office opens
    ):
        left = remaining(CAL.elapsed(now, FRIDAY_CLOSE), past_due=now > FRIDAY_CLOSE)
        assert left.overdue and left.under_an_hour


def test_examples_from_the_desk():
    assert (remaining(Decimal("1.375"), False).days, remaining(Decimal("1.375"), False).hours) == (
        1,
        3,
    )
    late = remaining(Decimal("-2"), True)
    assert late.overdue and (late.days, late.hours) == (2, 0)
