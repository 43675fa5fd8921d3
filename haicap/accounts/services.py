"""Writes about staff: accounts, memberships, API tokens and sign-in throttling.

Each function validates, writes and records the change in the audit log in one transaction.
"""

import datetime as dt
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from haicap.accounts import throttle, tokens
from haicap.accounts.models import ApiToken, LoginThrottle, Membership, User
from haicap.accounts.selectors import signed_in_lately_from
from haicap.core import clock
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.roles import MEMBERSHIP_MANAGER_ROLES, RESERVED_ROLES, Role
from haicap.core.scoping import scope_of
from haicap.core.validators import check_text
from haicap.units.models import Agency


def require_writable(actor: User) -> None:
    """Refuse any change by someone whose roles only let them read (a province supervisor)."""
    if scope_of(actor).read_only:
        raise PermissionDenied(_("Province supervisors can see everything but change nothing."))


def _require_can_manage(actor: User, agency: Agency, role: Role) -> None:
    require_writable(actor)
    scope = scope_of(actor)
    if scope.is_system_admin:
        return
    if role in RESERVED_ROLES:
        raise PermissionDenied(_("Only a system administrator may grant this role."))
    if not scope.roles_in(agency.pk) & MEMBERSHIP_MANAGER_ROLES:
        raise PermissionDenied(_("You may only manage the staff of an agency you administer."))


def create_staff_user(
    actor: User | None,
    *,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    superuser: bool = False,
) -> User:
    """A new staff account. ``actor`` is ``None`` only for set-up commands.

    ``superuser`` makes a system administrator who may also use the administration pages.
    """
    if actor is not None and not scope_of(actor).is_system_admin:
        raise PermissionDenied(_("Only a system administrator may create accounts."))
    username = username.strip()
    if not username:
        raise InvalidInput(_("A username is required."))
    for label, text in (("username", username), ("full_name", full_name), ("email", email)):
        check_text(label, text)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        is_staff=superuser,
        is_superuser=superuser,
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    user.set_password(password)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(_("The username %(username)s is taken.") % {"username": username})
        user.save()
        record_change("account.created", user, actor=actor, after=snapshot(user))
    return user


def grant_membership(actor: User | None, user: User, agency: Agency, role: Role) -> Membership:
    """Give ``user`` a ``role`` in ``agency``; granting one already held changes nothing."""
    if actor is not None:
        _require_can_manage(actor, agency, role)
    with transaction.atomic():
        existing = Membership.objects.filter(user=user, agency=agency, role=role).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, agency=agency, role=role)
        except IntegrityError as error:  # a concurrent grant of the same role won
            raise Conflict(_("This membership already exists.")) from error
        record_change("membership.granted", membership, actor=actor, after=snapshot(membership))
    user.forget_scope()
    return membership


def revoke_membership(actor: User | None, membership: Membership) -> None:
    """Take ``membership`` back. ``actor`` is ``None`` only for haicap's own jobs (the worker
    taking back the role a secondment gave), audited under the job's name."""
    if actor is not None:
        _require_can_manage(actor, membership.agency, Role(membership.role))
    with transaction.atomic():
        before = snapshot(membership)
        target = ("accounts.membership", str(membership.pk))
        membership.delete()
        record_change("membership.revoked", target, actor=actor, before=before)
    membership.user.forget_scope()


def issue_api_token(actor: User, owner: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``owner``; returns the row and the plaintext, which is never stored."""
    if actor.pk != owner.pk and not scope_of(actor).is_system_admin:
        raise PermissionDenied(_("You may only create tokens for your own account."))
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the token a name that says which client uses it."))
    check_text("name", name)
    new = tokens.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=owner, name=name, prefix=new.prefix, digest=new.digest)
        record_change(
            "api_token.issued",
            token,
            actor=actor,
            after=snapshot(token, ["user", "name", "prefix"]),
        )
    return token, new.plaintext


def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None or (token.user_id != actor.pk and not scope_of(actor).is_system_admin):
            raise NotFound(_("No such token."))
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            record_change(
                "api_token.revoked", token, actor=actor, after=snapshot(token, ["revoked_at"])
            )
    return token


def authenticate_token(plaintext: str) -> User | None:
    """The active user behind a bearer token, or ``None``. Marks the token as used."""
    if not tokens.looks_like_token(plaintext):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=tokens.digest_of(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    # Recording every use would make each API call a write; once a minute is enough to audit.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- sign-in throttling -------------------------------------------------------------------


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def locked_counter(key: str, window: timedelta, now: dt.datetime) -> LoginThrottle:
    """The attempt counter ``key``, locked until the transaction ends, restarted once its window
    has passed. Sign-ins, PIN look-ups and public filings all count this way."""
    counter, _created = LoginThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"failures": 0, "window_started_at": now}
    )
    if now - counter.window_started_at > window:
        counter.failures, counter.window_started_at = 0, now
    return counter


def _limits() -> throttle.Limits:
    return throttle.Limits.from_base(
        settings.LOGIN_THROTTLE_MAX_FAILURES, settings.LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES
    )


def begin_sign_in(username: str, ip: str | None) -> bool:
    """Count an attempt before the password is checked; ``False`` when it must be refused.

    Counting first, under a row lock, means parallel guesses cannot all slip past the limit
    while the slow password hash runs. A successful sign-in gives the attempt back.
    """
    now = clock.now()
    usual = signed_in_lately_from(username, ip, now)
    with transaction.atomic():
        rows = {
            counter: locked_counter(key, _window(), now)
            for counter, key in throttle.counter_keys(username, ip).items()
        }
        failures = {counter: row.failures for counter, row in rows.items()}
        if throttle.refused(failures, _limits(), usual_address=usual):
            return False
        for row in rows.values():
            row.failures += 1
            row.save(update_fields=["failures", "window_started_at"])
    return True


def sign_in_failed(username: str, ip: str | None) -> None:
    """Audit a failed sign-in. What was typed is not kept: it may be a password or an ID number."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    target = user if user is not None else ("auth.unknown_account", "-")
    with transaction.atomic():
        record_change("auth.sign_in_failed", target, after={"ip": ip})


def sign_in_succeeded(user: User, ip: str | None) -> None:
    with transaction.atomic():
        keys = throttle.counter_keys(user.get_username(), ip)
        # Proven good at this address: its own counter starts afresh. The wider counters only
        # get this attempt back, so that a success does not wipe out someone else's failures.
        LoginThrottle.objects.filter(key=keys.pop(throttle.Counter.ACCOUNT_AT_ADDRESS)).delete()
        LoginThrottle.objects.filter(key__in=keys.values(), failures__gt=0).update(
            failures=F("failures") - 1
        )
        record_change("auth.signed_in", user, actor=user, after={"ip": ip})
