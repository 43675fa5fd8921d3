"""The calendar's data: declared days off and make-up working days, office hours per unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarChange(models.Model):
    """The province's word on a date: it differs from the national calendar, or it settles a
    provisional day (a package's estimate, or a policy not yet in the Labour Code)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")
        CONFIRMED = "confirmed", _("Provisional day off confirmed")
        REMOVED = "removed", _("Provisional day off removed")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class OfficeHours(models.Model):
    """A unit's office sessions when they differ from the national 07:30–11:30, 13:30–17:30."""

    unit = models.OneToOneField(
        "units.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    # [["07:00", "11:00"], ["13:00", "17:00"]]
    sessions = models.JSONField(_("sessions"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")

    def __str__(self) -> str:
        return f"{self.unit}: " + ", ".join(f"{a}–{b}" for a, b in self.sessions)
