"""What the report services share: who is told, and the notices themselves."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from haicap.accounts.models import User
from haicap.core import clock
from haicap.reports.models import Report, ReportNotice
from haicap.reports.permissions import REVIEWERS, WRITERS
from haicap.units.kinds import Duty


def reviewers() -> QuerySet[User]:
    """The province's reviewers: leaders and specialists of the agencies charged with the
    communes' reports."""
    return User.objects.filter(
        is_active=True,
        memberships__role__in=sorted(REVIEWERS),
        memberships__agency__duties__duty=Duty.REPORTS,
    ).distinct()


def commune_staff(unit_id: int) -> QuerySet[User]:
    """The officers who write a commune's reports."""
    return User.objects.filter(
        is_active=True,
        memberships__role__in=sorted(WRITERS),
        memberships__agency__unit_id=unit_id,
    ).distinct()


def notify(
    users: Iterable[User], report: Report, kind: str, round: int = 1, at: dt.datetime | None = None
) -> int:
    """One notice per recipient (the same kind and round is not sent twice, even by two
    workers at once: ``get_or_create`` takes the unique constraint's refusal as found)."""
    sent, now = 0, at or clock.now()
    for user in users:
        _row, made = ReportNotice.objects.get_or_create(
            recipient=user, report=report, kind=kind, round=round, defaults={"created_at": now}
        )
        sent += int(made)
    return sent
