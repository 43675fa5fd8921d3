"""Whether a stated time of receipt can be believed (pure: no Django).

A dossier's time of receipt starts its legal clock and decides the month whose official figures
count it, so a time given from outside (a desk entering a paper receipt late, an API client, a
national-portal filing, a desk accepting an online filing) is bounded on every side:

- it has a time zone, and it is not in the future;
- it is at most ``max_back`` before now (paper taken while the system was down is entered
  within that many days; an online filing is accepted or returned within it);
- the receiving desk existed then (its administrative unit's ``valid_from``);
- the procedure had a process-template version in force then (the one the dossier pins).

The order of the checks is the order of the answer: the first bound broken is the one named.
"""

import datetime as dt
import enum


class Problem(enum.Enum):
    NO_TIME_ZONE = "no_time_zone"
    IN_THE_FUTURE = "in_the_future"
    TOO_FAR_BACK = "too_far_back"
    BEFORE_THE_DESK = "before_the_desk"
    BEFORE_THE_PROCEDURE = "before_the_procedure"


def problem(
    received_at: dt.datetime,
    now: dt.datetime,
    *,
    max_back: dt.timedelta,
    desk_since: dt.datetime | None,
    procedure_since: dt.datetime | None,
) -> Problem | None:
    """The first bound ``received_at`` breaks, or ``None`` when it can be taken.

    ``desk_since`` is ``None`` for a desk with no founding date on record (a province's centre
    that outlived the reform); ``procedure_since`` is ``None`` when no version of the procedure's
    process was in force at ``received_at``, which is itself a problem.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        return Problem.NO_TIME_ZONE
    if received_at > now:
        return Problem.IN_THE_FUTURE
    if now - received_at > max_back:
        return Problem.TOO_FAR_BACK
    if desk_since is not None and received_at < desk_since:
        return Problem.BEFORE_THE_DESK
    if procedure_since is None or received_at < procedure_since:
        return Problem.BEFORE_THE_PROCEDURE
    return None
