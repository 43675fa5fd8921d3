"""Public assets (offices, vehicles, equipment), where each came from and every move it made,
the take-over records of the abolished units, surplus offices' disposal plans, equipment norms
and the proposals that move surplus equipment to the communes lacking it.

Scoping (each kind's one rule, ``visible_to``): the agencies charged with assets for the
province (``Duty.ASSETS``: the Department of Finance), supervisors and system administrators
see the province; anyone else sees what the bodies they work for hold (a commune's agencies
act as one), the take-over records that hand something to them, and the proposals that would.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.core.task_status import Outcome
from haicap.units.kinds import Duty
from haicap.units.models import reads_duty


def administers_assets(scope: Scope) -> bool:
    """Whether the user reads the province's assets: a supervisor or system administrator, or a
    member of an agency charged with them (the Department of Finance)."""
    return reads_duty(scope, Duty.ASSETS)


def _worked_for(scope: Scope, path: str) -> Q:
    """The agency reached through ``path`` is one of the bodies the user works for."""
    return Q(**{f"{path}__unit_id__in": sorted(scope.communes)}) | Q(
        **{f"{path}__in": sorted(scope.provincial_agencies)}
    )


class ReferenceQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Reference data: every signed-in officer reads it."""
        return NOTHING if scope.user_id is None else Q()


class Category(models.TextChoices):
    LAND_BUILDING = "land_building", _("Land and buildings")
    VEHICLE = "vehicle", _("Vehicle")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor, needs repair")
    UNUSABLE = "unusable", _("Unusable")


USABLE = (Condition.GOOD, Condition.FAIR, Condition.POOR)


class AssetKind(models.Model):
    """A kind of asset the province counts: an office, a car, a computer, a queue kiosk."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("asset kind")
        verbose_name_plural = _("asset kinds")

    def __str__(self) -> str:
        return self.name


class AssetQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Finance sees every asset; a commune or an agency, those it holds."""
        if scope.user_id is None:
            return NOTHING
        if administers_assets(scope):
            return Q()
        return _worked_for(scope, "holder")


class Asset(models.Model):
    """A public asset. Its identifier never changes; where it is and has been is its movements
    (``Movement``), of which ``holder`` is the latest's destination."""

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        SURPLUS = "surplus", _("Surplus, to be arranged")
        DISPOSED = "disposed", _("Disposed of")

    identifier = models.CharField(_("identifier"), max_length=30, unique=True, editable=False)
    kind = models.ForeignKey(
        AssetKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="assets"
    )
    name = models.CharField(_("name"), max_length=200)
    holder = models.ForeignKey(
        "units.Agency",
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("came from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The former unit that held it before the 2025 arrangement."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    original_value = models.PositiveBigIntegerField(_("original value (VND)"))
    remaining_value = models.PositiveBigIntegerField(_("remaining value (VND)"))
    acquired_year = models.PositiveSmallIntegerField(_("year acquired"))
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_USE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining_value__lte=models.F("original_value")),
                name="remaining_within_original",
            ),
            models.CheckConstraint(
                condition=Q(status="disposed") | Q(holder__isnull=False),
                name="held_unless_disposed",
            ),
        ]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"


class MovementQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The moves of the assets the user sees, and those into or out of their bodies."""
        if scope.user_id is None:
            return NOTHING
        if administers_assets(scope):
            return Q()
        return (
            _worked_for(scope, "asset__holder")
            | _worked_for(scope, "from_agency")
            | _worked_for(scope, "to_agency")
        )


class Movement(models.Model):
    """One move of an asset: from whom, to whom, when, by which decision, recorded by whom.
    Append-only (``history``): a movement never edits an earlier one."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Entered in the register")
        TAKEN_OVER = "taken_over", _("Handed over with an abolished unit")
        TRANSFERRED = "transferred", _("Transferred")
        ALLOCATED = "allocated", _("Allocated to meet a norm")
        DISPOSED = "disposed", _("Disposed of")

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    from_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("date"))
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["asset", "on", "pk"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind} {self.on}"


class TakeoverQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Finance sees every record; a commune or agency, those handing something to it."""
        if scope.user_id is None:
            return NOTHING
        if administers_assets(scope):
            return Q()
        lines = TakeoverLine.objects.filter(_worked_for(scope, "destination")).values("record")
        return Q(pk__in=lines)


class TakeoverRecord(models.Model):
    """The take-over record ("biên bản bàn giao") of an abolished unit: every asset it held and
    where each goes. It cannot be signed while an asset has no destination; once signed, it is
    frozen and its moves are recorded."""

    former_unit = models.OneToOneField(
        "units.AdministrativeUnit",
        verbose_name=_("abolished unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    handed_by = models.CharField(_("handed over by"), max_length=200, blank=True)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TakeoverQuerySet.as_manager()

    class Meta:
        ordering = ["former_unit__name"]
        verbose_name = _("take-over record")
        verbose_name_plural = _("take-over records")

    def __str__(self) -> str:
        return str(self.former_unit)

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


class Disposal(models.TextChoices):
    """Where an asset goes when no agency takes it over, and what a surplus office becomes."""

    REUSE = "reuse", _("Reuse for another public purpose")
    TRANSFER = "transfer", _("Transfer")
    SALE = "sale", _("Sale")
    DEMOLITION = "demolition", _("Demolition")
    LIQUIDATION = "liquidation", _("Liquidation")


class TakeoverLine(models.Model):
    """An asset of the record and its destination: an agency (a new commune's, the province's),
    or a way of disposing of it. Neither: it has no destination yet."""

    record = models.ForeignKey(TakeoverRecord, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT)
    destination = models.ForeignKey(
        "units.Agency",
        verbose_name=_("goes to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disposal = models.CharField(
        _("or is disposed of by"), max_length=12, choices=Disposal.choices, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "asset"], name="asset_once_per_record"),
            models.CheckConstraint(
                condition=Q(destination__isnull=True) | Q(disposal=""),
                name="one_destination",
            ),
        ]
        ordering = ["record", "asset__identifier"]
        verbose_name = _("take-over line")
        verbose_name_plural = _("take-over lines")

    def __str__(self) -> str:
        return f"{self.record} · {self.asset}"


class DisposalPlanQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Finance sees every plan; a commune or agency, those of offices it holds or is
        responsible for."""
        if scope.user_id is None:
            return NOTHING
        if administers_assets(scope):
            return Q()
        return _worked_for(scope, "office__holder") | _worked_for(scope, "responsible")


class DisposalPlan(models.Model):
    """What a surplus office ("trụ sở dôi dư") becomes, by when, who does it; followed as a
    directive is (``haicap.core.task_status``), since provinces report on them."""

    office = models.OneToOneField(
        Asset, verbose_name=_("office"), on_delete=models.PROTECT, related_name="disposal_plan"
    )
    method = models.CharField(_("what it becomes"), max_length=12, choices=Disposal.choices)
    deadline = models.DateField(_("deadline"))
    responsible = models.ForeignKey(
        "units.Agency", verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=[(Outcome.ACHIEVED.value, _("Done")), (Outcome.NOT_ACHIEVED.value, _("Not done"))],
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisposalPlanQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("disposal plan")
        verbose_name_plural = _("disposal plans")

    def __str__(self) -> str:
        return f"{self.office} → {self.get_method_display()}"


class DisposalUpdate(models.Model):
    """Progress on a disposal plan, as its responsible agency reports it. Append-only."""

    plan = models.ForeignKey(DisposalPlan, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField(_("progress"))
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "recorded_at", "pk"]
        verbose_name = _("disposal progress")
        verbose_name_plural = _("disposal progress")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.on}"


class EquipmentNorm(models.Model):
    """How many of a kind each one-stop desk, or each office (agency) of a commune, should
    have. Data the province sets; the demo's are illustrative."""

    class Per(models.TextChoices):
        DESK = "desk", _("Per one-stop desk")
        OFFICE = "office", _("Per office of a commune")

    kind = models.ForeignKey(
        AssetKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="norms"
    )
    per = models.CharField(_("for each"), max_length=8, choices=Per.choices)
    count = models.PositiveSmallIntegerField(_("how many"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "per"], name="one_norm_per_kind")]
        ordering = ["kind__code", "per"]
        verbose_name = _("equipment norm")
        verbose_name_plural = _("equipment norms")

    def __str__(self) -> str:
        return f"{self.kind}: {self.count} {self.get_per_display()}"


class ProposalQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Finance sees every proposal; a commune or agency, those that would move something
        out of or into it."""
        if scope.user_id is None:
            return NOTHING
        if administers_assets(scope):
            return Q()
        return _worked_for(scope, "asset__holder") | _worked_for(scope, "to_agency")


class AllocationProposal(models.Model):
    """A proposal to move a surplus asset to an agency of a commune lacking its kind. Finance
    approves it (the move is then recorded) or turns it down."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Turned down")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="proposals"
    )
    to_agency = models.ForeignKey(
        "units.Agency", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    travel_minutes = models.PositiveIntegerField(_("travel (minutes)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    movement = models.OneToOneField(
        Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        constraints = [
            # an asset is proposed to one place at a time
            models.UniqueConstraint(
                fields=["asset"], condition=Q(status="proposed"), name="one_open_proposal"
            )
        ]
        ordering = ["-proposed_at", "pk"]
        verbose_name = _("allocation proposal")
        verbose_name_plural = _("allocation proposals")

    def __str__(self) -> str:
        return f"{self.asset} → {self.to_agency}"
