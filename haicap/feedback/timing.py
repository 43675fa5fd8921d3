"""How far a petition is from its legal deadline, as the queue says it (pure).

"còn 3 ngày làm việc", "quá hạn 2 ngày": whole working days, rounded down, so the queue never
promises a day that is not there, nor calls a petition later than it is. Less than a whole day
either way is said so ("less than a working day left", "overdue by less than a day").
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class Left:
    overdue: bool
    days: int  # whole working days left, or (overdue) whole working days since the deadline


def left_of(working_days: Decimal, past_due: bool) -> Left:
    """``working_days``: the working time from now to the deadline (negative once passed);
    ``past_due``: whether the deadline has passed. It is not read from the sign: at night or
    on a weekend after the deadline, no working time has passed yet, yet it is late."""
    whole = int(abs(working_days).to_integral_value(rounding=ROUND_FLOOR))
    return Left(past_due, whole)
