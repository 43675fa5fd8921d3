"""The province's figures: counters per day, dekad, month and year, and the stocks at each month's
end.

Read models: written only by ``kpi.services`` in the transaction of each dossier change, and
rebuilt from the dossiers by ``rebuild_kpi``. ``figures.py`` says what each counter counts.

Two grains of the same counts: by agency, procedure and channel (every slice can be read from
them), and by agency and field (the procedure's; with the agency's unit), eight times fewer rows,
which serve every slice that names no procedure and no channel. The month-end balances hold what
was open and overdue at the end of each month the worker has closed (``BalanceState``), so a
stock is one month's balance and a few days, not every figure since the first dossier.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counts(models.Model):
    period = models.DateField(_("period"))  # the day, or the first day of the dekad, month, year
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_full_online = models.IntegerField(default=0)
    online_of_full_online = models.IntegerField(default=0)
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


class Figures(Counts):
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.period:%d/%m/%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"


def _unit() -> models.ForeignKey:
    """The agency's unit, kept with its figures by field: a province read by commune adds them
    up with no join. It follows the agency when the agency moves (``services.on_agency_moved``)."""
    return models.ForeignKey(
        "units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )


class FieldFigures(Counts):
    field = models.ForeignKey("catalog.Field", on_delete=models.PROTECT, related_name="+")
    unit = _unit()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.period:%d/%m/%Y} {self.agency_id}/{self.field_id}"


def _fine(name: str) -> tuple[list, list]:
    """The constraints and indexes of a table keyed by agency, procedure and channel."""
    constraints = [
        models.UniqueConstraint(
            fields=["period", "agency", "procedure", "channel"], name=f"unique_{name}"
        )
    ]
    # By agency for a commune's slice; by agency and procedure for one procedure's.
    indexes = [
        models.Index(fields=["agency", "period"], name=f"{name}_agency"),
        models.Index(fields=["agency", "procedure", "period"], name=f"{name}_procedure"),
    ]
    return constraints, indexes


def _coarse(name: str) -> tuple[list, list]:
    """The constraints and indexes of a table keyed by agency and field."""
    constraints = [
        models.UniqueConstraint(fields=["period", "agency", "field"], name=f"unique_{name}")
    ]
    return constraints, [models.Index(fields=["agency", "period"], name=f"{name}_agency")]


class DailyFigures(Figures):
    class Meta:
        constraints, indexes = _fine("daily_figures")
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")


class DekadFigures(Figures):
    class Meta:
        constraints, indexes = _fine("dekad_figures")
        verbose_name = _("figures by dekad")
        verbose_name_plural = _("figures by dekad")


class MonthlyFigures(Figures):
    class Meta:
        constraints, indexes = _fine("monthly_figures")
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")


class YearlyFigures(Figures):
    class Meta:
        constraints, indexes = _fine("yearly_figures")
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")


class FieldDailyFigures(FieldFigures):
    class Meta:
        constraints, indexes = _coarse("field_daily")
        verbose_name = _("daily figures by field")
        verbose_name_plural = _("daily figures by field")


class FieldDekadFigures(FieldFigures):
    class Meta:
        constraints, indexes = _coarse("field_dekad")
        verbose_name = _("figures by dekad and field")
        verbose_name_plural = _("figures by dekad and field")


class FieldMonthlyFigures(FieldFigures):
    class Meta:
        constraints, indexes = _coarse("field_monthly")
        verbose_name = _("monthly figures by field")
        verbose_name_plural = _("monthly figures by field")


class FieldYearlyFigures(FieldFigures):
    class Meta:
        constraints, indexes = _coarse("field_yearly")
        verbose_name = _("yearly figures by field")
        verbose_name_plural = _("yearly figures by field")


class Balance(models.Model):
    """Open and overdue at the end of the month whose first day is ``period``."""

    period = models.DateField(_("month"))
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8)
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints, indexes = _fine("balance")
        verbose_name = _("month-end balance")
        verbose_name_plural = _("month-end balances")

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"


class FieldBalance(models.Model):
    period = models.DateField(_("month"))
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("catalog.Field", on_delete=models.PROTECT, related_name="+")
    unit = _unit()
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints, indexes = _coarse("field_balance")
        verbose_name = _("month-end balance by field")
        verbose_name_plural = _("month-end balances by field")

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} {self.agency_id}/{self.field_id}"


class BalanceState(models.Model):
    """One row: the last month whose end balances are written (``None``: none yet)."""

    balanced_through = models.DateField(_("balanced through"), null=True)

    class Meta:
        verbose_name = _("balance state")
        verbose_name_plural = _("balance state")

    def __str__(self) -> str:
        return f"{self.balanced_through or '—'}"
