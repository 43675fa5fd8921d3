"""The catalogue: fields, administrative procedures and versioned process templates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haicap.units.kinds import AgencyKind, Tier


class Field(models.Model):
    """A sector of administrative procedures (civil status, land, construction, ...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class ProcessTemplate(models.Model):
    """One published version of a process template. Versions are never edited: a change is a
    new version, and a dossier keeps the version it started with."""

    code = models.CharField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.JSONField(_("definition"))
    # In force from this moment: dossiers received since pin this version (or a later one).
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_template_version")
        ]
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Procedure(models.Model):
    """An administrative procedure as the province publishes it."""

    class LegalUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        WORKING_HOURS = "working_hours", _("working hours")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        # The close of the n-th working day, day 1 being the day the clock starts: "within the
        # day, or the next working day if received after 15:00" (Decree 23/2015 Art. 7(1); Law on
        # Civil Status 2014; domain.md section 7, convention 1).
        WHOLE_WORKING_DAYS = "whole_working_days", _("whole working days")

    class OnlineLevel(models.TextChoices):
        NONE = "none", _("Not online")
        PARTIAL = "partial", _("Partly online")
        FULL = "full", _("Fully online")

    national_code = models.CharField(_("national code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=400)
    search_name = models.CharField(max_length=400, db_index=True, editable=False)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    tier = models.CharField(
        _("competent tier"),
        max_length=12,
        choices=[(Tier.PROVINCE, Tier.PROVINCE.label), (Tier.COMMUNE, Tier.COMMUNE.label)],
    )
    agency_kind = models.CharField(
        _("competent agency kind"), max_length=40, choices=AgencyKind.choices
    )
    provincial_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("competent provincial agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
        help_text=_("For provincial procedures: the department that decides."),
    )
    legal_amount = models.DecimalField(_("legal processing time"), max_digits=7, decimal_places=2)
    legal_unit = models.CharField(_("unit of time"), max_length=20, choices=LegalUnit.choices)
    legal_source = models.CharField(
        _("legal source of the time limit"),
        max_length=300,
        blank=True,
        help_text=_("The article that sets the processing time, e.g. Decree 23/2015, Art. 7."),
    )
    result_name = models.CharField(
        _("name of the result"),
        max_length=200,
        blank=True,
        help_text=_("The paper the procedure gives, e.g. Giấy khai sinh."),
    )
    cutoff = models.TimeField(
        _("cut-off time"),
        null=True,
        blank=True,
        help_text=_("Dossiers received after it count from the next working day."),
    )
    fee_vnd = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    fee_note = models.CharField(_("about the fee"), max_length=300, blank=True)
    online_level = models.CharField(
        _("online service"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    # [{"name": "...", "form": "original|copy|either", "quantity": 1}]
    documents = models.JSONField(_("required documents"), default=list)
    template_code = models.CharField(_("process template"), max_length=60)
    decision = models.CharField(_("published by decision"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["field__name", "name"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.name
