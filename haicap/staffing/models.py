"""Who works where, how many each commune needs, and the secondments that close the gaps.

Scoping (each kind's one rule, ``visible_to``): the agencies charged with staffing for the
province (``Duty.STAFFING``: the Department of Home Affairs), supervisors and system
administrators see the province; anyone else sees the staff of the bodies they work for (a
commune's agencies act as one), the officers seconded into their commune, and the approved
secondments into or out of it. Fields, norms and travel times are reference data every
signed-in officer reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.staffing.norms import Basis
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import reads_duty


def administers_staffing(scope: Scope) -> bool:
    """Whether the user reads the province's staff: a supervisor or system administrator, or a
    member of an agency charged with staffing (``Duty.STAFFING``: Home Affairs)."""
    return reads_duty(scope, Duty.STAFFING)


def _worked_for(scope: Scope, path: str) -> Q:
    """The agency reached through ``path`` is one of the bodies the user works for."""
    return Q(**{f"{path}__unit_id__in": sorted(scope.communes)}) | Q(
        **{f"{path}__in": sorted(scope.provincial_agencies)}
    )


class ReferenceQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Reference data: every signed-in officer reads it."""
        return NOTHING if scope.user_id is None else Q()


class StaffField(models.Model):
    """A field of specialisation officers qualify in and communes need (land, health, IT).

    It may be one of the catalogue's fields, whose dossiers are its workload; a field with no
    dossiers (IT) takes a fixed norm. A secondment in it lands in the commune's agency of
    ``host_agency_kind`` (land in the Economic Office, health in Culture and Social Affairs).
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    catalog_field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("catalogue field (its dossiers are the workload)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.PositiveSmallIntegerField(
        _("priority weight"),
        default=1,
        help_text=_("How much a gap in this field counts when a plan is solved (1 or more)."),
    )
    host_agency_kind = models.CharField(
        _("host office in a commune"),
        max_length=40,
        choices=AgencyKind.choices,
        default=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("staff field")
        verbose_name_plural = _("staff fields")

    def __str__(self) -> str:
        return self.name


class StaffQuerySet(RestrictedQuerySet):
    """Positions and officers: by the agency they belong to."""

    def visible_to(self, scope: Scope) -> Q:
        if scope.user_id is None:
            return NOTHING
        if administers_staffing(scope):
            return Q()
        return _worked_for(scope, "agency")


class Position(models.Model):
    """Posts of one field and grade in an agency: the approved count (the staffing quota)."""

    agency = models.ForeignKey(
        "units.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        StaffField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="positions"
    )
    grade = models.CharField(_("grade"), max_length=60)
    approved = models.PositiveSmallIntegerField(_("approved (quota)"))

    objects = StaffQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "field", "grade"], name="unique_position")
        ]
        ordering = ["agency__code", "field__code", "grade"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.field} · {self.grade} · {self.agency}"


class OfficerQuerySet(StaffQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Their agency's staff, and the host commune's staff while seconded there."""
        if scope.user_id is None:
            return NOTHING
        if administers_staffing(scope):
            return Q()
        hosted = Secondment.objects.filter(
            Q(to_agency__unit_id__in=sorted(scope.communes))
            | Q(to_agency__in=sorted(scope.provincial_agencies)),
            plan__status=SecondmentPlan.Status.APPROVED,
        ).values("officer_id")
        return _worked_for(scope, "agency") | Q(pk__in=hosted)


class Officer(models.Model):
    """A civil servant. One-stop desk staff carry their posting's dates (rotated every 12 to 36
    months, Decree 118/2025 Art. 11); one who signs in to haicap is linked to the account."""

    staff_number = models.CharField(_("staff number"), max_length=30, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    agency = models.ForeignKey(
        "units.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    qualifications = models.ManyToManyField(
        StaffField, verbose_name=_("fields of qualification"), related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=60)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    in_post_since = models.DateField(_("in post since"))
    desk_posting_from = models.DateField(_("one-stop desk posting from"), null=True, blank=True)
    desk_posting_until = models.DateField(_("one-stop desk posting until"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("haicap account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    citizen_id = models.CharField(_("citizen ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self) -> str:
        return self.full_name


class NormRule(models.Model):
    """How many officers of ``field`` a body needs.

    For a commune: the rule of that commune, or else the rule for every commune (``unit`` and
    ``agency`` both empty). For a provincial agency: how many of its officers of the field it
    keeps (``agency`` set); an agency with no rule keeps everyone it has.
    """

    field = models.ForeignKey(
        StaffField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="norms"
    )
    unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("provincial agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(
        _("basis"),
        max_length=10,
        choices=[(Basis.FIXED.value, _("Fixed number")), (Basis.WORKLOAD.value, _("Workload"))],
    )
    count = models.PositiveSmallIntegerField(_("officers (fixed)"), default=0)
    dossiers_per_officer_month = models.PositiveIntegerField(
        _("dossiers one officer handles a month"), default=0
    )
    minimum = models.PositiveSmallIntegerField(_("at least"), default=0)
    note = models.CharField(_("source or note"), max_length=300, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["field"],
                condition=Q(unit=None, agency=None),
                name="one_norm_for_every_commune",
            ),
            models.UniqueConstraint(
                fields=["field", "unit"], condition=Q(agency=None), name="one_norm_per_commune"
            ),
            models.UniqueConstraint(
                fields=["field", "agency"], condition=Q(unit=None), name="one_norm_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(unit=None) | Q(agency=None), name="norm_for_a_commune_or_an_agency"
            ),
        ]
        verbose_name = _("norm")
        verbose_name_plural = _("norms")

    def __str__(self) -> str:
        return f"{self.field}: {self.unit or self.agency or _('every commune')}"


class PlanQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Plans are the staffing authority's working papers (and the supervisors')."""
        if scope.user_id is None:
            return NOTHING
        return Q() if administers_staffing(scope) else NOTHING


class SecondmentPlan(models.Model):
    """A version of a secondment plan. A draft is edited; an approved version is a record: a
    change to it is a new version (``revises``), which on approval supersedes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded by a later version")
        DISCARDED = "discarded", _("Discarded")

    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    max_travel_minutes = models.PositiveIntegerField(_("longest travel (minutes)"))
    max_per_agency = models.PositiveSmallIntegerField(_("most officers taken from one agency"))
    months = models.PositiveSmallIntegerField(_("secondment length (months)"))
    starts_on = models.DateField(_("secondments start on"))
    # What the solver reported for the proposals it made.
    solver_status = models.CharField(max_length=20, blank=True)
    mip_gap = models.FloatField(null=True, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    uncovered = models.JSONField(default=list, blank=True)  # [[unit id, field code, gap left]]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A draft handed to the authority's leaders to approve ("trình phê duyệt"): its leaders
    # were told; it stays a draft, and may still be edited, until one approves it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("secondment plan")
        verbose_name_plural = _("secondment plans")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def awaits_approval(self) -> bool:
        """A draft submitted to the leaders and not yet approved."""
        return self.status == self.Status.DRAFT and self.submitted_at is not None


class SecondmentQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The authority sees all; a commune or agency, the approved ones into or out of it."""
        if scope.user_id is None:
            return NOTHING
        if administers_staffing(scope):
            return Q()
        ends = _worked_for(scope, "to_agency") | _worked_for(scope, "from_agency")
        return ends & Q(plan__status=SecondmentPlan.Status.APPROVED)


class Secondment(models.Model):
    """One officer seconded ("biệt phái") from an agency to a commune's for a field."""

    plan = models.ForeignKey(SecondmentPlan, on_delete=models.CASCADE, related_name="secondments")
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="secondments"
    )
    from_agency = models.ForeignKey(
        "units.Agency", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "units.Agency", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        StaffField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    travel_minutes = models.PositiveIntegerField(_("travel (minutes)"), null=True, blank=True)
    # The standing the proposal was made against, for its reason.
    host_gap_before = models.PositiveSmallIntegerField(default=0)
    host_gap_after = models.PositiveSmallIntegerField(default=0)
    donor_field = models.ForeignKey(
        StaffField, null=True, on_delete=models.PROTECT, related_name="+"
    )
    donor_norm = models.PositiveSmallIntegerField(default=0)
    donor_filled_before = models.PositiveSmallIntegerField(default=0)
    added_by_hand = models.BooleanField(default=False)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "officer"], name="once_per_plan"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="secondment_dates"
            ),
        ]
        ordering = ["plan", "to_agency__code", "field__code", "officer__full_name"]
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")

    def __str__(self) -> str:
        return f"{self.officer} → {self.to_agency}"


class SecondmentGrant(models.Model):
    """A role the worker granted a seconded officer's account at the host for the secondment,
    and when it took it back. ``already_held``: the account had the role before, so it keeps
    it when the secondment ends."""

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32)
    already_held = models.BooleanField(default=False)
    granted_on = models.DateField(_("granted on"))
    revoked_on = models.DateField(_("taken back on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["secondment"], condition=Q(revoked_on=None), name="one_open_grant"
            )
        ]
        verbose_name = _("secondment role")
        verbose_name_plural = _("secondment roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.agency}"


class StaffingNotice(models.Model):
    """A warning the worker sent about a secondment ending soon, a seconded officer with no
    haicap account, or a one-stop desk posting near or past its rotation limit, or a plan
    submitted to the leaders for approval: one row per recipient, kind and thing warned about
    (``about``), so each is sent once, however often the worker runs or the plan is submitted."""

    class Kind(models.TextChoices):
        SECONDMENT_ENDING = "secondment_ending", _("Secondment ending soon")
        ROTATION_DUE = "rotation_due", _("Desk posting due for rotation")
        ROTATION_PAST = "rotation_past", _("Desk posting past its rotation limit")
        NO_ACCOUNT = "no_account", _("Seconded officer without a haicap account")
        PLAN_SUBMITTED = "plan_submitted", _("Secondment plan awaiting approval")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staffing_notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # the officer warned about; a plan's notice has none
    officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    secondment = models.ForeignKey(
        Secondment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        SecondmentPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The thing warned about, the same in every version of a plan: "secondment:<officer>:<host
    # agency>:<last day>", "no-account:<officer>:<host agency>:<first day>", or
    # "desk:<officer>:<posting's first day>"; "plan:<plan version>".
    about = models.CharField(max_length=80)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "about"], name="unique_staffing_notice"
            )
        ]
        verbose_name = _("staffing notice")
        verbose_name_plural = _("staffing notices")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.about}"


class PlanRequest(models.Model):
    """An ``Idempotency-Key`` already used to ask for a plan: a retry by the same user gets the
    plan the first request solved, never a second solve."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    plan = models.ForeignKey(SecondmentPlan, on_delete=models.CASCADE, related_name="+")
    # What the request asked for: the same key with other rules is refused, not answered.
    request_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_plan_request_key")
        ]

    def __str__(self) -> str:
        return self.key
