"""The province's figures: counters per day and per month, per agency, procedure and channel.

Read models: written only by ``kpi.services`` in the transaction of each dossier change, and
rebuilt from the dossiers by ``rebuild_kpi``. ``figures.py`` says what each counter counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Figures(models.Model):
    period = models.DateField(_("period"))
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8)
    received = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    overdue_from = models.IntegerField(default=0)
    overdue_until = models.IntegerField(default=0)
    worked_days = models.DecimalField(max_digits=14, decimal_places=3, default=0)

    class Meta:
        abstract = True


class DailyFigures(Figures):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "agency", "procedure", "channel"], name="unique_daily_figures"
            )
        ]
        indexes = [models.Index(fields=["agency", "period"], name="daily_figures_agency")]
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")

    def __str__(self) -> str:
        return f"{self.period:%d/%m/%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"


class MonthlyFigures(Figures):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "agency", "procedure", "channel"], name="unique_monthly_figures"
            )
        ]
        indexes = [models.Index(fields=["agency", "period"], name="monthly_figures_agency")]
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"
