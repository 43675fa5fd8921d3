"""The reporting periods shared by kpi's dashboard and the feedback figures."""

import datetime as dt

from haicap.core.periods import Period, month, months_back, quarter, so_far, year


def test_the_periods_and_what_of_them_is_over():
    assert month(2026, 2) == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert quarter(2026, 4) == Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert year(2026) == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    today = dt.date(2026, 3, 18)
    assert so_far(month(2026, 3), today) == Period(dt.date(2026, 3, 1), today)
    assert so_far(month(2026, 2), today) == month(2026, 2)
    assert so_far(month(2026, 4), today) is None
    assert so_far(Period(dt.date(2026, 3, 5), dt.date(2026, 3, 1)), today) is None
    assert months_back(dt.date(2026, 3, 18), 3) == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert month(2026, 3).days == 31
