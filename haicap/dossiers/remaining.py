"""Remaining working time as an officer reads it: whole days and hours, or how late (pure).

"còn 1 ngày 3 giờ", "quá hạn 2 ngày": a fraction of a working day is shown as the whole office
hours it covers, rounded down, so the queue never promises an hour that is not there.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

HOURS_PER_WORKING_DAY = 8  # office hours per unit always total eight (OfficeHours checks it)


@dataclass(frozen=True)
class Remaining:
    overdue: bool
    days: int
    hours: int

    @property
    def under_an_hour(self) -> bool:
        return self.days == 0 and self.hours == 0


def remaining(working_days: Decimal, hours_per_day: int = HOURS_PER_WORKING_DAY) -> Remaining:
    """Split signed working days (negative once the due moment has passed) into days and hours."""
    overdue = working_days < 0
    hours = (abs(working_days) * hours_per_day).to_integral_value(rounding=ROUND_FLOOR)
    days, rest = divmod(int(hours), hours_per_day)
    return Remaining(overdue, days, rest)
