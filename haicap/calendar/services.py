"""Writes to the calendar: declared days off, make-up working days, a unit's office hours."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.sessions import parse_sessions
from haicap.calendar.workdays import vietnam_public_holidays
from haicap.core.audit import record_change, snapshot
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.scoping import scope_of
from haicap.core.validators import check_text
from haicap.units.models import AdministrativeUnit


def _require_system_admin(actor: User) -> None:
    require_writable(actor)
    if not scope_of(actor).is_system_admin:
        raise PermissionDenied(_("Only a system administrator may change the working calendar."))


def declare_calendar_change(actor: User, date: dt.date, kind: str, reason: str) -> CalendarChange:
    """Declare ``date`` an extra day off or a make-up working day (replacing an earlier word)."""
    _require_system_admin(actor)
    if kind not in (CalendarChange.Kind.DAY_OFF, CalendarChange.Kind.WORKING_DAY):
        raise InvalidInput(_("Choose an extra day off or a make-up working day."))
    return _save_change(actor, date, kind, reason)


def review_provisional_day(
    actor: User, date: dt.date, decision: str, reason: str
) -> CalendarChange:
    """Confirm or remove a provisional day off: a package's estimate for a year the Government
    has not announced yet, or a policy not yet in the Labour Code (24/11, Resolution 80-NQ/TW;
    ``domain.md`` section 7). A removed day is worked if it is a weekday."""
    _require_system_admin(actor)
    if decision not in (CalendarChange.Kind.CONFIRMED, CalendarChange.Kind.REMOVED):
        raise InvalidInput(_("Choose whether the day off is confirmed or removed."))
    check_review(date, decision)
    return _save_change(actor, date, decision, reason, action="calendar.reviewed")


def check_review(date: dt.date, kind: str) -> None:
    """Only a provisional day off may be confirmed or removed (the admin form asks this too)."""
    if kind not in (CalendarChange.Kind.CONFIRMED, CalendarChange.Kind.REMOVED):
        return
    if date not in vietnam_public_holidays(date.year).provisional:
        raise InvalidInput(
            _(
                "%(date)s is not a provisional day off: only a day off estimated for a year "
                "not yet announced, or a policy day, is confirmed or removed."
            )
            % {"date": f"{date:%d/%m/%Y}"}
        )


def _save_change(
    actor: User, date: dt.date, kind: str, reason: str, action: str = "calendar.changed"
) -> CalendarChange:
    reason = reason.strip()
    check_text("reason", reason)
    if not reason:
        raise InvalidInput(_("Say why, e.g. the decision that declares it."))
    with transaction.atomic():
        change = CalendarChange.objects.select_for_update().filter(date=date).first()
        before = snapshot(change) if change else None
        if change is None:
            change = CalendarChange(date=date)
        change.kind, change.reason = kind, reason
        change.save()
        record_change(action, change, actor=actor, before=before, after=snapshot(change))
    return change


def withdraw_calendar_change(actor: User, date: dt.date) -> None:
    _require_system_admin(actor)
    with transaction.atomic():
        change = CalendarChange.objects.select_for_update().filter(date=date).first()
        if change is None:
            return
        before = snapshot(change)
        change.delete()
        record_change(
            "calendar.withdrawn",
            ("workcalendar.calendarchange", str(date)),
            actor=actor,
            before=before,
        )


def set_office_hours(
    actor: User, unit: AdministrativeUnit, sessions: list[list[str]]
) -> OfficeHours:
    _require_system_admin(actor)
    parse_sessions(sessions)  # refuses overlapping or backwards sessions with a clear message
    with transaction.atomic():
        hours, _created = OfficeHours.objects.select_for_update().get_or_create(
            unit=unit, defaults={"sessions": sessions}
        )
        before = snapshot(hours)
        hours.sessions = sessions
        hours.save()
        record_change(
            "calendar.office_hours_set", hours, actor=actor, before=before, after=snapshot(hours)
        )
    return hours
