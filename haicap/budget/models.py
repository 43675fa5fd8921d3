"""Public-investment capital: projects, the capital plans (the medium-term 2021–2025 allocation
and the annual plans), the append-only ledger every change to a plan is written to, the
transfer batches that move the abolished districts' capital to the province or the communes,
and the monthly disbursement followed against the plan in force.

Amounts are whole Vietnamese đồng (``BigIntegerField``), never floats: the ledger must add up to
the last đồng.

Scoping (each kind's one rule, ``visible_to``): the agencies charged with capital plans
(``Duty.CAPITAL``: the Department of Finance), supervisors and system administrators see the
province; anyone else sees the projects the bodies they work for invest in (a commune's agencies
act as one), and those projects' entries and disbursement. Transfer batches and the pace the
province expects are the province's: only its readers see them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.core.text import search_key
from haicap.units.kinds import Duty
from haicap.units.models import reads_duty


def reads_capital(scope: Scope) -> bool:
    """Whether the user reads the province's capital plans: a supervisor or system
    administrator, or a member of an agency charged with them (the Department of Finance)."""
    return reads_duty(scope, Duty.CAPITAL)


def _invested_by_own_body(scope: Scope, path: str) -> Q:
    """The project reached through ``path`` is invested in by a body the user works for."""
    investor = f"{path}investor"
    return Q(**{f"{investor}__unit_id__in": sorted(scope.communes)}) | Q(
        **{f"{investor}__in": sorted(scope.provincial_agencies)}
    )


class ProjectScoped(RestrictedQuerySet):
    """Records of a project, reached through ``project_path`` ("" for the project itself)."""

    project_path = "project__"

    def visible_to(self, scope: Scope) -> Q:
        if scope.user_id is None:
            return NOTHING
        if reads_capital(scope):
            return Q()
        return _invested_by_own_body(scope, self.project_path)


class ProjectQuerySet(ProjectScoped):
    project_path = ""


class ProvinceOnly(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        return Q() if scope.user_id is not None and reads_capital(scope) else NOTHING


class Source(models.TextChoices):
    """Where the money comes from (nguồn vốn)."""

    PROVINCIAL = "provincial", _("Provincial budget")
    DISTRICT = "district", _("District budget")
    COMMUNE = "commune", _("Commune budget")
    CENTRAL = "central", _("Central budget support")
    OTHER = "other", _("Other sources")


class Level(models.TextChoices):
    """The budget level that holds and manages the allocation (cấp ngân sách)."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (abolished)")
    COMMUNE = "commune", _("Commune")


class InvestmentField(models.TextChoices):
    """The sector a project invests in (lĩnh vực đầu tư)."""

    TRANSPORT = "transport", _("Transport")
    AGRICULTURE = "agriculture", _("Agriculture and irrigation")
    EDUCATION = "education", _("Education and training")
    HEALTH = "health", _("Health")
    CULTURE = "culture", _("Culture and sport")
    STATE_OFFICES = "state_offices", _("State management offices")
    URBAN = "urban", _("Urban infrastructure")
    ENVIRONMENT = "environment", _("Natural resources and environment")
    DIGITAL = "digital", _("Information technology")
    OTHER = "other", _("Other")


class Plan(models.Model):
    """A capital plan: the medium-term allocation for 2021–2025, or one year's annual plan."""

    class Kind(models.TextChoices):
        MEDIUM_TERM = "medium_term", _("Medium-term plan")
        ANNUAL = "annual", _("Annual plan")

    code = models.CharField(_("code"), max_length=20, unique=True)  # "2025", "2021-2025"
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    objects = ProvinceOnly.as_manager()

    class Meta:
        ordering = ["kind", "first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")), name="plan_years_ordered"
            ),
            # an annual plan is one year's
            models.CheckConstraint(
                condition=~Q(kind="annual") | Q(first_year=models.F("last_year")),
                name="annual_plan_one_year",
            ),
        ]
        verbose_name = _("capital plan")
        verbose_name_plural = _("capital plans")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A public-investment project. Its plan amounts are not stored on it: they are the sums of
    its ledger entries (``LedgerEntry``)."""

    code = models.CharField(_("project code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    search_name = models.CharField(max_length=360, db_index=True, editable=False)
    field = models.CharField(_("field"), max_length=16, choices=InvestmentField.choices)
    location = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune the project is built in; empty when it spans several."),
    )
    investor = models.ForeignKey(
        "units.Agency",
        verbose_name=_("investor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("After the reform: a provincial agency or a commune's People's Committee."),
    )
    former_investor = models.CharField(_("investor before the reform"), max_length=200, blank=True)
    former_district = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("former district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The abolished district whose budget allocated capital to it."),
    )
    total_investment = models.BigIntegerField(_("total investment (VND)"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gt=0), name="project_total_investment_positive"
            )
        ]
        verbose_name = _("public-investment project")
        verbose_name_plural = _("public-investment projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.search_name = search_key(f"{self.code} {self.name}")
        super().save(*args, **kwargs)


class Funding(models.Model):
    """How much of a project's total investment comes from a source (cơ cấu nguồn vốn)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    amount = models.BigIntegerField(_("amount (VND)"))

    objects = ProjectScoped.as_manager()

    class Meta:
        ordering = ["project", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="unique_funding_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
        ]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}: {self.amount}"


class TransferBatch(models.Model):
    """The transfer of the abolished districts' capital in a plan, as paired entries drafted in
    ``BatchEntry``. Approval writes them to the ledger with the approving decision; an
    approved batch never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="batches"
    )
    title = models.CharField(_("title"), max_length=300)
    district = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("former district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every abolished district's capital in the plan."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decision_number = models.CharField(_("approving decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("approving decision date"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ProvinceOnly.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    ~Q(decision_number="")
                    & Q(decision_date__isnull=False)
                    & Q(approved_by__isnull=False)
                    & Q(approved_at__isnull=False)
                ),
                name="approved_batch_has_decision",
            )
        ]
        verbose_name = _("capital transfer batch")
        verbose_name_plural = _("capital transfer batches")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class BatchEntry(models.Model):
    """One drafted entry of a transfer batch: minus on the district level, or plus on the level
    the project's investor now belongs to."""

    batch = models.ForeignKey(TransferBatch, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    level = models.CharField(_("budget level"), max_length=10, choices=Level.choices)
    amount = models.BigIntegerField(_("amount (VND)"))

    objects = ProjectScoped.as_manager()

    class Meta:
        ordering = ["project__code", "source", "amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "project", "source", "level"], name="unique_batch_entry"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="batch_entry_not_zero"),
        ]
        verbose_name = _("transfer entry")
        verbose_name_plural = _("transfer entries")

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}/{self.level} {self.amount:+d}"


class LedgerEntry(models.Model):
    """A change to a plan: an allocation, an adjustment, one side of a transfer, or the reversal
    of an earlier entry. Append-only (``haicap.budget.history``): a correction is a reversing
    entry, never an edit."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Allocation")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER = "transfer", _("Transfer of the abolished districts' capital")
        REVERSAL = "reversal", _("Reversal")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="entries"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="entries"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    level = models.CharField(_("budget level"), max_length=10, choices=Level.choices)
    amount = models.BigIntegerField(_("amount (VND)"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    reason = models.CharField(_("reason"), max_length=300)
    batch = models.ForeignKey(
        TransferBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectScoped.as_manager()

    class Meta:
        ordering = ["decision_date", "id"]
        indexes = [models.Index(fields=["plan", "project"], name="budget_entry_plan_project")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="reversal_names_its_entry",
            ),
            models.CheckConstraint(
                condition=Q(kind="transfer", batch__isnull=False)
                | (~Q(kind="transfer") & Q(batch__isnull=True)),
                name="transfer_entry_in_a_batch",
            ),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.project_id} {self.source}/{self.level} {self.amount:+d}"


class Disbursement(models.Model):
    """What a project disbursed in one month (not cumulative), as the investor or the treasury
    reports it. Entering a month again replaces its figure (audited, before and after)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="disbursements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = models.BigIntegerField(_("disbursed in the month (VND)"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    objects = ProjectScoped.as_manager()

    class Meta:
        ordering = ["project", "year", "month"]
        indexes = [models.Index(fields=["year", "month"], name="budget_disbursement_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="unique_disbursement_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="disbursement_not_negative"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="disbursement_month_valid"
            ),
        ]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:02d}/{self.year}: {self.amount}"


class PaceTarget(models.Model):
    """The share of an annual plan the province expects disbursed by the end of a month
    (cumulative): projects below it at the month's end are listed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pace")
    month = models.PositiveSmallIntegerField(_("month"))
    share = models.DecimalField(_("expected share disbursed (%)"), max_digits=5, decimal_places=2)

    objects = ProvinceOnly.as_manager()

    class Meta:
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="unique_pace_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="pace_month_valid"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=100), name="pace_share_is_percent"
            ),
        ]
        verbose_name = _("expected disbursement pace")
        verbose_name_plural = _("expected disbursement pace")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.month:02d}: {self.share}%"
