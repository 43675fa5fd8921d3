"""Commune reports: templates as versioned data, each commune's report for a period, its
submissions (never changed once made) and its history.

Scoping (``visible_to``, the one rule per kind): the province's supervisors and system
administrators, and the staff of the agencies charged with the communes' reports
(``Duty.REPORTS``), see every report; a commune's staff see their commune's. Templates are read
by every staff member: they are the province's forms.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.reports import definition as template_definition
from haicap.reports.schedule import PeriodKind, Reminder
from haicap.units.kinds import Duty
from haicap.units.models import reads_duty

PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _("Monthly"),
    PeriodKind.QUARTER: _("Quarterly"),
    PeriodKind.HALF_YEAR: _("Half-yearly"),
    PeriodKind.YEAR: _("Yearly"),
}


def reads_all_reports(scope: Scope) -> bool:
    """Reads every commune's reports: a supervisor, a system administrator, or the staff of an
    agency charged with them."""
    return reads_duty(scope, Duty.REPORTS)


class TemplateQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        return Q() if scope.province_wide or scope.memberships else NOTHING

    def latest_versions(self) -> "TemplateQuerySet":
        """The newest version of each template."""
        newer = ReportTemplate.objects.filter(
            code=models.OuterRef("code"), version__gt=models.OuterRef("version")
        )
        return self.exclude(models.Exists(newer))


class ReportTemplate(models.Model):
    """One published version of a report template. Versions are never edited: a change is a
    new version, and a report keeps the version it was opened against."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=300)
    period_kind = models.CharField(
        _("period"), max_length=10, choices=[(k.value, PERIOD_KIND_LABELS[k]) for k in PeriodKind]
    )
    due_days = models.PositiveSmallIntegerField(_("due (days after the period ends)"))
    late_after_days = models.PositiveSmallIntegerField(_("late after (days after the period ends)"))
    # The communes that must file (a former commune has no code, so they are rows); none: every
    # commune in force. Set when the version is published, never changed.
    filers = models.ManyToManyField(
        "units.AdministrativeUnit",
        verbose_name=_("communes that file"),
        blank=True,
        related_name="+",
    )
    definition = models.JSONField(_("definition"))
    # In force from this day: periods starting on or after it are reported on this version
    # (or a later one).
    in_force_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="unique_report_template_version"
            ),
            models.CheckConstraint(
                condition=Q(due_days__lte=models.F("late_after_days")),
                name="report_template_due_before_late",
            ),
        ]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def parsed(self) -> template_definition.Definition:
        """The definition as values (checked when the version was published)."""
        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = template_definition.parse(self.definition)
        return cached

    @property
    def kind(self) -> PeriodKind:
        return PeriodKind(self.period_kind)


class ReportQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        if reads_all_reports(scope):
            return Q()
        if scope.user_id is None:
            return NOTHING
        return Q(unit_id__in=sorted(scope.communes))


class Report(models.Model):
    """A commune's report for one period of one template: its draft while the commune writes
    it, then its submissions. Made when the commune opens it or when the worker first reminds
    the commune of it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being written")
        SUBMITTED = "submitted", _("Submitted, awaiting the province")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    template_code = models.SlugField(_("template"), max_length=60)
    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("template version"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Goes up with every change of the report: a form or an API call that saw an older one is
    # refused, so that nobody overwrites what another officer saved meanwhile.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The entries being written (``values.to_json``); frozen into a submission when submitted.
    draft = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    saved_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "template_code", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_code", "unit", "period_start"], name="unique_commune_report"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["template_code", "period_start", "state"])]
        verbose_name = _("commune report")
        verbose_name_plural = _("commune reports")

    def __str__(self) -> str:
        return f"{self.template_code} {self.unit_id} {self.period_start:%Y-%m}"


class Submission(models.Model):
    """What the commune's leader submitted, as it was: never changed (the database refuses);
    a correction is the next submission."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission"))
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.PROTECT, related_name="+"
    )  # the version it was filed against
    values = models.JSONField()
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=120)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_submission")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class ReportEvent(models.Model):
    """One step of a report's history: opened, submitted, returned with a note, approved.
    Append-only (the database refuses a change)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened, cells pre-filled")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        REMINDED = "reminded", _("Reminder sent")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class ReportNotice(models.Model):
    """A notice to an officer about a report: a reminder before or after the due day (to the
    commune's staff), returned or approved (to the commune), submitted (to the province's
    reviewers). Unique per recipient, report, kind and round, so however often the worker
    runs a reminder is sent once."""

    class Kind(models.TextChoices):
        BEFORE_DUE = Reminder.BEFORE_DUE.value, _("Report due soon")
        OVERDUE = Reminder.OVERDUE.value, _("Report past its due day")
        SUBMITTED = "submitted", _("Report submitted for approval")
        RETURNED = "returned", _("Report returned for correction")
        APPROVED = "approved", _("Report approved")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # the submission it is about; 1 for a reminder (each kind is sent once per report)
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "report", "kind", "round"], name="unique_report_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.report_id} {self.kind}"
