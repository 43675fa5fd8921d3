"""Reads about staff: the acting user's scope, memberships and tokens."""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from haicap.accounts.models import ApiToken, Membership, User
from haicap.core.models import AuditRecord
from haicap.core.restricted import Viewer


def active_officer(
    viewer: Viewer, *, pk: int | None = None, username: str | None = None
) -> User | None:
    """An active staff member ``viewer`` may see, by id (the desk) or user name (the API)."""
    if pk is None and not username:
        return None
    officers = User.objects.restrict(viewer).filter(is_active=True)
    return officers.filter(Q(pk=pk) if pk is not None else Q(username=username)).first()


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("agency", "agency__unit")
        .order_by("agency__name", "role")
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def signed_in_lately_from(username: str, ip: str | None, now: dt.datetime) -> bool:
    """Whether the account signed in successfully from ``ip`` lately (the officer's own desk),
    as the audit log recorded it."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None or not ip:
        return False
    since = now - dt.timedelta(days=settings.LOGIN_USUAL_ADDRESS_DAYS)
    return AuditRecord.objects.filter(
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        action="auth.signed_in",
        ip=ip,
        occurred_at__gte=since,
    ).exists()
