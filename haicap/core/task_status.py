"""A task's status by its deadline, and the progress of its sub-tasks (pure: no Django): a
working group's directive, a surplus office's disposal plan, anything followed to a deadline.

The statuses are those Vietnamese task-tracking systems count assigned tasks by: in progress
within the deadline, in progress overdue, done on time, done late, and closed not achieved.

The deadline is a day, in Vietnam time: a task due on 30 June may be done at any moment
of 30 June. It is overdue from 1 July, the day after. The shell turns moments (when it was
closed, now) into Vietnam days before asking.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Outcome(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"


class Status(StrEnum):
    IN_PROGRESS = "in_progress"  # within the deadline
    OVERDUE = "overdue"  # in progress, past the deadline
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    NOT_ACHIEVED = "not_achieved"  # closed, the expected result not achieved


OPEN = frozenset({Status.IN_PROGRESS, Status.OVERDUE})
DONE = frozenset({Status.DONE_ON_TIME, Status.DONE_LATE})


def status_of(
    deadline: dt.date, closed_on: dt.date | None, outcome: Outcome | None, today: dt.date
) -> Status:
    """The status of a directive due on ``deadline``, closed on ``closed_on`` (a Vietnam day)
    with ``outcome``, or still open (``closed_on`` None), as seen on ``today``."""
    if closed_on is None:
        return Status.IN_PROGRESS if today <= deadline else Status.OVERDUE
    if outcome == Outcome.NOT_ACHIEVED:
        return Status.NOT_ACHIEVED
    return Status.DONE_ON_TIME if closed_on <= deadline else Status.DONE_LATE


@dataclass(frozen=True)
class Progress:
    """How far a directive with sub-tasks has come: the share of them done."""

    done: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        """From 0 to 100, whole; None for a directive without sub-tasks."""
        if not self.total:
            return None
        return (Decimal(100 * self.done) / self.total).quantize(Decimal(1), ROUND_HALF_UP)


def rolled_up(subtasks: Iterable[Status]) -> Progress:
    """The progress the sub-tasks' statuses add up to: a sub-task counts once it is done (on
    time or late); one closed without achieving its result is not done."""
    statuses = list(subtasks)
    return Progress(done=sum(s in DONE for s in statuses), total=len(statuses))
