"""The rules a change written to a plan keeps (pure: no Django): an adjustment, or the reversal
of an entry, is a signed amount of whole đồng on one (plan, project, source, level), decided on
a day.

A plan in force on a day is the sum of the entries decided on or before it, so a change decided
on a day counts from that day on: a decrease may not take the balance below zero on that day nor
on any later day, whatever was decided after it (a decision back-dated before a transfer cannot
take away what the transfer already moved).

Nor may a decrease take a project's annual plan in force at the end of a month of its year
below what the project disbursed from January through that month (``below_disbursed``): the
disbursement is measured against that plan, and is refused the other way round.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from haicap.budget import pace
from haicap.budget.ledger import DISTRICT

# The districts stopped operating on 1 July 2025 (Resolution 202/2025/QH15 on the arrangement of
# provinces, Law 72/2025/QH15 on the Organisation of Local Government): from that day the
# district budget level holds no new capital; what it held only leaves it (transfers, decreases).
DISTRICTS_ENDED = dt.date(2025, 7, 1)

# What is wrong with a change, in the words the shell translates.
ZERO = "the amount is not 0: an increase is positive, a decrease negative"
IN_THE_FUTURE = "the decision is dated after today (%(today)s): record it once it is made"
DISTRICT_ENDED = (
    "the district level ended on %(ended)s: capital decided from then on goes to the province "
    "or a commune, and district capital only decreases"
)
BELOW_ZERO = (
    "it would take the balance below zero: %(held)s đồng are held on %(day)s, and %(taken)s "
    "đồng would be taken"
)


def adds_district_capital(level: str, amount: int, day: dt.date) -> bool:
    """Whether a change decided on ``day`` adds capital at the abolished district level after
    it ended (a decrease is how district capital leaves, so it stays allowed)."""
    return level == DISTRICT and amount > 0 and day >= DISTRICTS_ENDED


def lowest_balance_from(dated: Iterable[tuple[dt.date, int]], day: dt.date) -> tuple[int, dt.date]:
    """The smallest balance in force on ``day`` or any later day, and the first day it is
    held, given the (decision day, amount) of every entry of one balance."""
    by_day: dict[dt.date, int] = defaultdict(int)
    for decided, amount in dated:
        by_day[decided] += amount
    running = sum(amount for decided, amount in by_day.items() if decided <= day)
    lowest, when = running, day
    for decided in sorted(d for d in by_day if d > day):
        running += by_day[decided]
        if running < lowest:
            lowest, when = running, decided
    return lowest, when


def change_problem(
    dated: Iterable[tuple[dt.date, int]], day: dt.date, amount: int, today: dt.date
) -> tuple[str, dict[str, object]] | None:
    """What is wrong with writing ``amount`` decided on ``day`` over the entries ``dated``, and
    its parameters (amounts as ints, days as dates: the shell formats them), or None."""
    if amount == 0:
        return ZERO, {}
    if day > today:
        return IN_THE_FUTURE, {"today": today}
    if amount < 0:
        lowest, when = lowest_balance_from(dated, day)
        if lowest + amount < 0:
            return BELOW_ZERO, {"held": lowest, "day": when, "taken": -amount}
    return None


def below_disbursed(
    year: int,
    dated: Iterable[tuple[dt.date, int]],
    day: dt.date,
    amount: int,
    disbursed_by_month: Mapping[int, int],
) -> tuple[int, int, int] | None:
    """The first month of ``year`` from ``day`` on whose plan in force at its end, after
    writing ``amount`` decided on ``day`` over the project's annual-plan entries ``dated`` (all
    its sources and levels), would be below what it disbursed from January through that month
    (``disbursed_by_month``: each month's figure), as (month, plan, disbursed), or None. An
    increase never is."""
    if amount >= 0:
        return None
    plans = pace.in_force_by_month(year, [*dated, (day, amount)])
    totals = pace.cumulative(disbursed_by_month)
    for month, (plan, disbursed) in enumerate(zip(plans, totals, strict=True), start=1):
        if pace.month_end(year, month) >= day and disbursed > plan:
            return month, plan, disbursed
    return None
