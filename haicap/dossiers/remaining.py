"""Remaining working time as an officer reads it: whole days and hours, or how late (pure).

"còn 1 ngày 3 giờ", "quá hạn 2 ngày": a fraction of a working day is shown as the whole office
hours it covers, rounded down, so the queue never promises an hour that is not there.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from haicap.calendar.sessions import WORKING_DAY_MICROS
from haicap.calendar.workdays import MICROS_PER_HOUR

HOURS_PER_WORKING_DAY = WORKING_DAY_MICROS // MICROS_PER_HOUR


@dataclass(frozen=True)
class Remaining:
    overdue: bool
    days: int
    hours: int

    @property
    def under_an_hour(self) -> bool:
        return self.days == 0 and self.hours == 0


def remaining(
    working_days: Decimal, past_due: bool, hours_per_day: int = HOURS_PER_WORKING_DAY
) -> Remaining:
    """Split the working time between now and the due moment into days and hours.

    ``past_due`` says whether the due moment has passed. It is not read from the sign of the
    working time: at night or on a weekend after a due moment, no working time has passed yet,
    but the dossier is already late.
    """
    hours = (abs(working_days) * hours_per_day).to_integral_value(rounding=ROUND_FLOOR)
    days, rest = divmod(int(hours), hours_per_day)
    return Remaining(past_due, days, rest)
