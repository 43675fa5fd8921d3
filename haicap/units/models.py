"""Administrative units (the province and its communes, current and former) and agencies."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.units import kinds


class UnitQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Units are public facts: every signed-in staff member reads them all."""
        return NOTHING if scope.user_id is None else Q()


class AgencyQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The tree: an agency in the member's own unit or under it, or in a unit above it."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None or not scope.memberships:
            return NOTHING
        condition = Q(unit_id__in=scope.ancestor_unit_ids)
        for path in scope.own_unit_paths:
            condition |= Q(unit__path__startswith=path)
        return condition


class AdministrativeUnit(models.Model):
    """A unit of the administrative tree. Abolished units stay, with ``valid_to`` set.

    ``path`` is the chain of ids from the root (``/1/57/``), so "this unit and everything
    under it" is a prefix match.
    """

    code = models.CharField(_("official code"), max_length=10, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(max_length=160, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=kinds.UnitKind.choices)
    tier = models.CharField(_("tier"), max_length=12, choices=kinds.Tier.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    import_key = models.CharField(max_length=255, unique=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "name"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{kinds.UNIT_KIND_PREFIX[self.kind]} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitLineage(models.Model):
    """``predecessor`` was merged (in whole) into ``successor`` on ``effective_date``."""

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="predecessor_links"
    )
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_lineage_link")
        ]
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Agency(models.Model):
    """A body that receives or decides dossiers: a People's Committee, a department, an office."""

    code = models.CharField(_("agency code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=240, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=kinds.AgencyKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    is_one_stop_desk = models.BooleanField(_("one-stop desk"), default=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> str:
        return self.unit.tier


class AgencyDuty(models.Model):
    """``agency`` holds ``duty`` for the province (Home Affairs arranges staff, Finance the
    public assets): data the province sets, read by the app of that duty."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="duties"
    )
    duty = models.CharField(_("duty"), max_length=20, choices=kinds.Duty.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "duty"], name="unique_agency_duty")
        ]
        verbose_name = _("agency duty")
        verbose_name_plural = _("agency duties")

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_duty_display()}"


def duty_roles(scope: Scope, duty: str) -> frozenset:
    """The roles ``scope`` holds in the agencies charged with ``duty``."""
    if not scope.agency_ids:
        return frozenset()
    holders = set(
        AgencyDuty.objects.filter(duty=duty, agency_id__in=sorted(scope.agency_ids)).values_list(
            "agency_id", flat=True
        )
    )
    return frozenset(m.role for m in scope.memberships if m.agency_id in holders)


def reads_duty(scope: Scope, duty: str) -> bool:
    """Reads the province's records of ``duty``: a supervisor or system administrator, or any
    member of an agency charged with it."""
    return scope.province_wide or bool(duty_roles(scope, duty))


class TravelTime(models.Model):
    """Minutes between two units (either way), from the province's table of distances or travel
    times: which officers may be seconded where, which commune's surplus equipment goes nearest."""

    one = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))

    objects = UnitQuerySet.as_manager()  # public facts, as the units are

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["one", "other"], name="unique_travel_time_pair"),
            # each pair once: the smaller id first
            models.CheckConstraint(
                condition=Q(one__lt=models.F("other")), name="travel_time_ordered"
            ),
        ]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")

    def __str__(self) -> str:
        return f"{self.one_id}–{self.other_id}: {self.minutes} min"
