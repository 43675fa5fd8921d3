"""Working groups, their inspections, the findings and the directives followed to the end.

Each kind states its one scoping rule beside it (``visible_to``): the province's supervisors and
system administrators see everything; the group's people (leader, members, secretariat, and the
staff of its member and secretariat agencies) see their group's; an agency's staff see the
directives it leads or supports; a commune's staff see what concerns their commune.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicap.core.measures import Comparison
from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.scoping import Scope
from haicap.core.task_status import Outcome, Status
from haicap.dossiers.models import StoredPaper

STATUS_LABELS = {
    Status.IN_PROGRESS: _("In progress, within the deadline"),
    Status.OVERDUE: _("In progress, overdue"),
    Status.DONE_ON_TIME: _("Done on time"),
    Status.DONE_LATE: _("Done late"),
    Status.NOT_ACHIEVED: _("Not achieved (closed)"),
}


def _agency_worked_for(scope: Scope, path: str) -> Q:
    """The agency reached through ``path`` is one the user works for (``Scope.bodies``): any
    agency of their commune, or their provincial agency itself."""
    return Q(**{f"{path}__unit_id__in": sorted(scope.communes)}) | Q(
        **{f"{path}__in": sorted(scope.provincial_agencies)}
    )


def _group_people(scope: Scope) -> Q:
    """On a working group: the user is its leader, a member or in its secretariat, in person or
    through an agency."""
    uid = scope.user_id
    return (
        Q(leader_id=uid)
        | Q(member_people=uid)
        | Q(secretariat_people=uid)
        | _agency_worked_for(scope, "member_agencies")
        | _agency_worked_for(scope, "secretariat_agency")
    )


def _groups_of(scope: Scope) -> models.QuerySet:
    return WorkingGroup.objects.filter(_group_people(scope)).values("pk")


class WorkingGroupQuerySet(RestrictedQuerySet):
    def worked_in_by(self, scope: Scope) -> "WorkingGroupQuerySet":
        """The groups whose leader, members or secretariat the user is (in person or through
        their agency): they read the whole of their groups' work, every commune of it."""
        return self.filter(pk__in=_groups_of(scope))

    def visible_to(self, scope: Scope) -> Q:
        """The group's people, and the staff of the communes it covers."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        mine = _group_people(scope) | Q(communes__in=sorted(scope.communes))
        return Q(pk__in=WorkingGroup.objects.filter(mine).values("pk"))


class WorkingGroup(models.Model):
    """A provincial working group ("tổ công tác") that inspects communes and directs agencies."""

    number = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_title = models.CharField(
        _("leader's title"), max_length=200, blank=True, help_text=_("for example the office held")
    )
    member_agencies = models.ManyToManyField(
        "units.Agency", verbose_name=_("member agencies"), blank=True, related_name="+"
    )
    member_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="+"
    )
    secretariat_agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("secretariat agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretariat_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat members"),
        blank=True,
        related_name="+",
    )
    communes = models.ManyToManyField(
        "units.AdministrativeUnit",
        verbose_name=_("communes covered"),
        blank=True,
        related_name="+",
        limit_choices_to={"tier": "commune", "valid_to": None},
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "term_start"], name="unique_working_group_number"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="working_group_term_in_order",
            ),
        ]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class InspectionQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The group's people, and the staff of the communes visited."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        mine = Q(group__in=_groups_of(scope)) | Q(communes__in=sorted(scope.communes))
        return Q(pk__in=Inspection.objects.filter(mine).values("pk"))


class Inspection(models.Model):
    """A visit of a working group to communes ("đoàn kiểm tra"), ending in a conclusion."""

    # Their own context: a dossier "in progress" is "đang giải quyết", an inspection is not.
    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("inspection status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("inspection status", "In progress")
        CONCLUDED = "concluded", pgettext_lazy("inspection status", "Concluded")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    held_on = models.DateField(_("date"))
    communes = models.ManyToManyField(
        "units.AdministrativeUnit", verbose_name=_("communes visited"), related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="+"
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("people without an account, one a line")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.PLANNED
    )
    conclusion_number = models.CharField(_("conclusion number"), max_length=40, blank=True)
    conclusion_date = models.DateField(_("conclusion date"), null=True, blank=True)
    conclusion_summary = models.TextField(_("conclusion"), blank=True)  # the notice's title line
    conclusion_text = models.TextField(_("conclusions"), blank=True)  # the group's assessment
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            # A concluded inspection has its conclusion's number and date; another has none.
            models.CheckConstraint(
                condition=(
                    Q(state="concluded", conclusion_date__isnull=False) & ~Q(conclusion_number="")
                )
                | (~Q(state="concluded") & Q(conclusion_date__isnull=True, conclusion_number="")),
                name="inspection_conclusion_when_concluded",
            ),
        ]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.group} · {self.held_on:%d/%m/%Y}"


class FindingQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The group's people; the commune's staff (their own commune's findings only); the
        staff of the provincial agency that must act or that leads or supports a directive
        answering it.

        Issue 15's rule: "An agency sees the directives it leads or supports. A commune sees
        its own." A commune's agency leading or supporting a directive that answers several
        communes' findings reads that directive, but not its neighbours' findings."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        provincial = sorted(scope.provincial_agencies)
        mine = (
            Q(inspection__group__in=_groups_of(scope))
            | Q(commune_id__in=sorted(scope.communes))
            | Q(agency_to_act__in=provincial)
            | Q(directives__lead_agency__in=provincial)
            | Q(directives__supporting_agencies__in=provincial)
        )
        return Q(pk__in=Finding.objects.filter(mine).values("pk"))


class Finding(models.Model):
    """A difficulty a commune raised or the group found, and the agency that must act on it."""

    class Category(models.TextChoices):
        STAFF_SHORTAGE = "staff_shortage", _("Too few specialised staff in a field")
        LOW_ONLINE_INTAKE = "low_online_intake", _("Low online intake")
        IT_SYSTEM = "it_system", _("IT system errors or unsynchronised connections")
        OFFICES_EQUIPMENT = "offices_equipment", _("Offices and equipment")
        BUDGET_CAPITAL = "budget_capital", _("Budget and capital")
        LAND_ENVIRONMENT = "land_environment", _("Land and environment")
        OTHER = "other", _("Other")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    commune = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    # The field short of staff: one of the catalogue's, or named in words (IT is none of them).
    field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field_text = models.CharField(_("field (in words)"), max_length=120, blank=True)
    text = models.TextField(_("finding"))
    agency_to_act = models.ForeignKey(
        "units.Agency",
        verbose_name=_("agency that must act"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "commune", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.commune}"


class FindingLink(models.Model):
    """Evidence that is a page of haicap itself, such as a filtered dossier list."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="links")
    url = models.CharField(_("link"), max_length=500)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return self.label or self.url


def _finding_paper_path(paper: "FindingPaper", filename: str) -> str:
    return f"oversight/findings/{paper.finding_id}/{paper.token}{paper.extension}"


class FindingPaper(StoredPaper):
    """Evidence that is a file: a photo, a scanned report."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="papers")
    file = models.FileField(upload_to=_finding_paper_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(StoredPaper.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


class DirectiveQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The group's people; the staff of the agencies that lead or support it; a commune's
        staff when it concerns their commune (led or supported by its agencies, answering its
        findings, or its target measured there). Whoever works on a directive (the group, its
        lead and supporting agencies) sees its sub-tasks; a commune it only concerns sees the
        sub-tasks that concern the commune too, not another commune's."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        works_on = (
            Q(inspection__group__in=_groups_of(scope))
            | _agency_worked_for(scope, "lead_agency")
            | _agency_worked_for(scope, "supporting_agencies")
        )
        concerns = Q(findings__commune_id__in=sorted(scope.communes)) | Q(
            target__unit_id__in=sorted(scope.communes)
        )
        worked = Directive.objects.filter(works_on).values("pk")
        seen = Directive.objects.filter(works_on | concerns | Q(parent__in=worked))
        return Q(pk__in=seen.values("pk"))


class Directive(models.Model):
    """A task of an inspection's conclusion, followed until the secretariat closes it."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtasks",
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("content"), blank=True)
    lead_agency = models.ForeignKey(
        "units.Agency", verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="+"
    )
    supporting_agencies = models.ManyToManyField(
        "units.Agency", verbose_name=_("supporting agencies"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"), blank=True)
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings answered"), blank=True, related_name="directives"
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_outcome = models.CharField(
        _("outcome"),
        max_length=16,
        blank=True,
        choices=[
            (Outcome.ACHIEVED.value, _("Achieved")),
            (Outcome.NOT_ACHIEVED.value, _("Not achieved")),
        ],
    )
    close_result = models.TextField(_("result"), blank=True)
    close_reason = models.TextField(_("why not achieved"), blank=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            # Closed means closed with an outcome; open means neither.
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(close_outcome=""))
                | (Q(closed_at__isnull=False) & ~Q(close_outcome="")),
                name="directive_outcome_when_closed",
            ),
        ]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self) -> str:
        return self.title


class DirectiveTarget(models.Model):
    """A measurable target that binds a directive to one of haicap's figures (a ``Measure``)."""

    directive = models.OneToOneField(Directive, on_delete=models.PROTECT, related_name="target")
    measure_key = models.CharField(_("measure"), max_length=60)
    unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("empty: the whole province"),
    )
    field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    comparison = models.CharField(
        _("comparison"), max_length=2, choices=[(c.value, c.value) for c in Comparison]
    )
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2)
    # The measure's value when the directive was closed: a closed directive is judged on what
    # it stood at then, not on figures that go on moving (empty: nothing to measure then).
    value_at_close = models.DecimalField(
        _("value at closing"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="directive_target_period_in_order",
            )
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.measure_key} {self.comparison} {self.threshold}"


class DirectiveUpdateQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Whoever sees the directive sees its updates."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        directives = Directive.objects.filter(Directive.objects.visible_to(scope))
        return Q(directive__in=directives.values("pk"))


class DirectiveUpdate(models.Model):
    """Progress reported on a directive. Append-only: the database refuses UPDATE and DELETE
    (``haicap.oversight.history``), so a later update never edits an earlier one."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "units.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)

    objects = DirectiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="directive_update_percent_at_most_100",
            ),
            models.UniqueConstraint(
                fields=["directive", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_directive_update_idempotency_key",
            ),
        ]
        verbose_name = _("directive update")
        verbose_name_plural = _("directive updates")

    def __str__(self) -> str:
        return f"{self.directive_id} · {self.at:%d/%m/%Y}"


def _update_paper_path(paper: "UpdatePaper", filename: str) -> str:
    return f"oversight/updates/{paper.update_id}/{paper.token}{paper.extension}"


class UpdatePaper(StoredPaper):
    """A file attached to a progress update."""

    update = models.ForeignKey(DirectiveUpdate, on_delete=models.PROTECT, related_name="papers")
    file = models.FileField(upload_to=_update_paper_path)

    class Meta(StoredPaper.Meta):
        verbose_name = _("update attachment")
        verbose_name_plural = _("update attachments")


class DirectiveNotification(models.Model):
    """A warning the worker sent about a directive's deadline: one row per recipient and kind,
    so a warning is sent once, however often the worker runs."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Directive due soon")
        OVERDUE = "overdue", _("Directive overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directive_notifications"
    )
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "directive", "kind"], name="unique_directive_notification"
            )
        ]
        verbose_name = _("directive notification")
        verbose_name_plural = _("directive notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.directive_id}"


class CreationRequest(models.Model):
    """An ``Idempotency-Key`` already used to create a working group, an inspection, a finding
    or a directive: a retry by the same user gets the same record."""

    class Kind(models.TextChoices):
        GROUP = "group", _("working group")
        INSPECTION = "inspection", _("inspection")
        FINDING = "finding", _("finding")
        DIRECTIVE = "directive", _("directive")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField()
    # What the request asked for: the same key with another body is refused, never answered
    # with this record.
    request_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_oversight_creation_key")
        ]

    def __str__(self) -> str:
        return self.key
