"""The figures page's choice of period: a month, a quarter, a year or any days, as the indicator
dashboard offers them (``core.period_form``); by default this month so far."""

from haicap.core.period_form import PeriodForm
from haicap.core.periods import Period


class FiguresForm(PeriodForm):
    def period(self) -> Period:
        """The chosen period up to today: the figures count what has happened."""
        return self.so_far()
