"""Reads of the working groups, inspections, findings and directives, scoped to the reader.

Every read starts from ``Model.objects.restrict(user)`` (the one rule of each kind, in
``models.py``). A directive's status is never stored: it is worked out from its deadline, when
and how it was closed, and today (``status.status_of``); a target's value is read live from the
measure it is bound to (``haicap.core.measures``).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.briefing import PackSection, Period, Table, pack_sections
from haicap.core.collation import vietnamese_key
from haicap.core.errors import InvalidInput, NotFound
from haicap.core.measures import Comparison, Measure, measures, met
from haicap.core.ordering import in_vietnamese_order
from haicap.core.restricted import Viewer
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.core.task_status import Outcome, Progress, Status, rolled_up, status_of
from haicap.oversight.models import (
    Directive,
    DirectiveNotification,
    DirectiveTarget,
    DirectiveUpdate,
    Finding,
    FindingPaper,
    Inspection,
    UpdatePaper,
    WorkingGroup,
)
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency


def today() -> dt.date:
    """Today in Vietnam: the day deadlines are counted in."""
    return clock.now().astimezone(VIETNAM).date()


def closed_on(directive: Directive) -> dt.date | None:
    return directive.closed_at.astimezone(VIETNAM).date() if directive.closed_at else None


def directive_status(directive: Directive, on: dt.date | None = None) -> Status:
    return status_of(
        directive.deadline,
        closed_on(directive),
        Outcome(directive.close_outcome) if directive.close_outcome else None,
        on or today(),
    )


# --- groups, inspections, findings ------------------------------------------------------------


def visible_groups(user: Viewer) -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.restrict(user).select_related("leader", "secretariat_agency")


def get_group(user: Viewer, group_id: int) -> WorkingGroup:
    group = visible_groups(user).filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    return group


def visible_inspections(user: Viewer, group_id: int | None = None) -> QuerySet[Inspection]:
    inspections = Inspection.objects.restrict(user).select_related("group")
    if group_id is not None:
        inspections = inspections.filter(group_id=group_id)
    return inspections


def get_inspection(user: Viewer, inspection_id: int) -> Inspection:
    inspection = visible_inspections(user).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound()
    return inspection


def visible_findings(
    user: Viewer, inspection_id: int | None = None, commune_id: int | None = None
) -> QuerySet[Finding]:
    findings = Finding.objects.restrict(user).select_related(
        "inspection", "commune", "field", "agency_to_act"
    )
    if inspection_id is not None:
        findings = findings.filter(inspection_id=inspection_id)
    if commune_id is not None:
        findings = findings.filter(commune_id=commune_id)
    return findings


def field_by_code(code: str) -> Field | None:
    """A field of the catalogue (public facts), as a finding or a target names it."""
    return Field.objects.filter(code=code).first()


def get_finding(user: Viewer, finding_id: int) -> Finding:
    finding = visible_findings(user).filter(pk=finding_id).first()
    if finding is None:
        raise NotFound()
    return finding


# --- names in Vietnamese order ----------------------------------------------------------------


def communes_in_order(inspection_id: int) -> QuerySet[AdministrativeUnit]:
    """The communes an inspection visits, in Vietnamese alphabetical order."""
    visited = Inspection.communes.through.objects.filter(inspection_id=inspection_id)
    return in_vietnamese_order(
        AdministrativeUnit.objects.filter(pk__in=visited.values("administrativeunit_id")), "name"
    )


# --- directives -------------------------------------------------------------------------------


def concerns_commune(commune_id: int) -> Q:
    """A directive concerns a commune when one of the commune's agencies leads it, when it
    answers a finding in the commune, or when its target is measured there."""
    return (
        Q(lead_agency__unit_id=commune_id)
        | Q(findings__commune_id=commune_id)
        | Q(target__unit_id=commune_id)
    )


def status_condition(status: Status, on: dt.date) -> Q:
    """``status_of`` as a condition on directives annotated with ``closed_on`` (their closing
    day in Vietnam, ``with_closed_on``): the same rule, for filtering a list in the database."""
    open_ = Q(closed_at__isnull=True)
    achieved = Q(close_outcome=Outcome.ACHIEVED)
    return {
        Status.IN_PROGRESS: open_ & Q(deadline__gte=on),
        Status.OVERDUE: open_ & Q(deadline__lt=on),
        Status.DONE_ON_TIME: achieved & Q(closed_on__lte=F("deadline")),
        Status.DONE_LATE: achieved & Q(closed_on__gt=F("deadline")),
        Status.NOT_ACHIEVED: Q(close_outcome=Outcome.NOT_ACHIEVED),
    }[status]


def with_closed_on(directives: QuerySet[Directive]) -> QuerySet[Directive]:
    return directives.annotate(closed_on=TruncDate("closed_at", tzinfo=VIETNAM))


def visible_directives(
    user: Viewer,
    *,
    group_id: int | None = None,
    inspection_id: int | None = None,
    lead_agency_id: int | None = None,
    commune_id: int | None = None,
    status: Status | None = None,
    top_level: bool = False,
) -> QuerySet[Directive]:
    directives = Directive.objects.restrict(user).select_related(
        "inspection__group", "lead_agency", "target", "closed_by", "parent"
    )
    if group_id is not None:
        directives = directives.filter(inspection__group_id=group_id)
    if inspection_id is not None:
        directives = directives.filter(inspection_id=inspection_id)
    if lead_agency_id is not None:
        directives = directives.filter(lead_agency_id=lead_agency_id)
    if commune_id is not None:
        concerning = Directive.objects.filter(concerns_commune(commune_id)).values("pk")
        directives = directives.filter(pk__in=concerning)
    if top_level:
        # A sub-task whose directive the user does not see stands on its own (issue 15).
        hidden_parent = ~Q(parent__in=Directive.objects.restrict(user).values("pk"))
        directives = directives.filter(Q(parent__isnull=True) | hidden_parent)
    if status is not None:
        directives = with_closed_on(directives).filter(status_condition(status, today()))
    return directives


def parent_seen(user: Viewer, directive: Directive) -> bool:
    """Whether the user sees the directive that ``directive`` is a sub-task of (False for a
    directive of the conclusion itself)."""
    if directive.parent_id is None:
        return False
    return Directive.objects.restrict(user).filter(pk=directive.parent_id).exists()


def get_directive(user: Viewer, directive_id: int) -> Directive:
    directive = visible_directives(user).filter(pk=directive_id).first()
    if directive is None:
        raise NotFound()
    return directive


def updates_of(user: Viewer, directive: Directive) -> QuerySet[DirectiveUpdate]:
    return (
        DirectiveUpdate.objects.restrict(user)
        .filter(directive=directive)
        .select_related("by", "agency")
        .prefetch_related("papers")
    )


def update_paper(user: Viewer, directive_id: int, paper_id: int) -> UpdatePaper:
    """A file attached to one of the directive's updates, for whoever sees the directive."""
    paper = (
        UpdatePaper.objects.filter(
            pk=paper_id,
            update__directive_id=directive_id,
            update__in=DirectiveUpdate.objects.restrict(user).values("pk"),
        )
        .select_related("update")
        .first()
    )
    if paper is None:
        raise NotFound()
    return paper


def subtask_progress(directive: Directive, on: dt.date | None = None) -> Progress:
    """How far the directive's sub-tasks have come (none: ``Progress(0, 0)``)."""
    on = on or today()
    return rolled_up(directive_status(s, on) for s in directive.subtasks.all())


# --- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetReading:
    """A target's value (read live while its directive is open, as stored when it was closed)
    and whether it meets the threshold."""

    target: DirectiveTarget
    measure: Measure | None  # None: the measure is no longer registered
    value: Decimal | None
    met: bool


def read_target(target: DirectiveTarget) -> TargetReading:
    """The target's value now; once its directive is closed, the value it was closed on."""
    measure = measures.get(target.measure_key)
    if target.directive.closed_at is not None:
        value = target.value_at_close
        return TargetReading(
            target, measure, value, met(value, Comparison(target.comparison), target.threshold)
        )
    if measure is None:
        return TargetReading(target, None, None, False)
    value = measure.value(
        target.unit_id,
        target.field.code if target.field_id else None,
        target.period_start,
        target.period_end,
    )
    return TargetReading(
        target, measure, value, met(value, Comparison(target.comparison), target.threshold)
    )


def target_of(directive: Directive) -> DirectiveTarget | None:
    try:
        return directive.target
    except DirectiveTarget.DoesNotExist:
        return None


# --- follow-up figures ------------------------------------------------------------------------

BY_GROUP, BY_LEAD_AGENCY, BY_COMMUNE = "group", "lead_agency", "commune"
FOLLOW_UP_BY = (BY_GROUP, BY_LEAD_AGENCY, BY_COMMUNE)


@dataclass
class FollowUpRow:
    key: int | None
    name: str
    counts: Counter = field(default_factory=Counter)  # Status → directives

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class FollowUp:
    """The rows, and the "all" row: every directive the rows are drawn from, once each (by
    commune, a directive concerning two communes is in both rows and once in "all")."""

    rows: list[FollowUpRow]
    all: FollowUpRow


def follow_up(user: Viewer, by: str) -> list[FollowUpRow]:
    """How many of the conclusions' directives are in each status, per working group, lead
    agency or commune (``follow_up_table``'s rows)."""
    return follow_up_table(user, by).rows


def follow_up_table(user: Viewer, by: str) -> FollowUp:
    """How many of the conclusions' directives (sub-tasks are parts of them, not counted apart)
    are in each status, per working group, lead agency or commune, and in all: one read of the
    directives the user may see (two by commune: the communes' names), the statuses worked out
    here. Rows are in Vietnamese alphabetical order of their names; a commune is named with its
    kind ("xã Văn Hiến"), as the rest of the desk names it.

    A directive counts once for each commune it concerns (``concerns_commune``)."""
    if by not in FOLLOW_UP_BY:
        raise InvalidInput(_("Count by group, lead agency or commune."))
    on = today()
    directives = Directive.objects.restrict(user).filter(parent__isnull=True).order_by()
    status_columns = ("deadline", "closed_at", "close_outcome")
    rows: dict[int, FollowUpRow] = {}
    everything = FollowUpRow(None, _("All"))
    if by in (BY_GROUP, BY_LEAD_AGENCY):
        key, name = (
            ("inspection__group_id", "inspection__group__name")
            if by == BY_GROUP
            else ("lead_agency_id", "lead_agency__name")
        )
        for group_key, group_name, *state in directives.values_list(key, name, *status_columns):
            row = rows.setdefault(group_key, FollowUpRow(group_key, group_name))
            status = _status_of_row(*state, on)
            row.counts[status] += 1
            everything.counts[status] += 1
        ordered = sorted(rows.values(), key=lambda r: vietnamese_key(r.name))
        return FollowUp(ordered, everything)
    communes: dict[int, set[int]] = {}
    states: dict[int, Status] = {}
    for pk, finding_commune, lead_unit, lead_tier, target_unit, *state in directives.values_list(
        "pk",
        "findings__commune_id",
        "lead_agency__unit_id",
        "lead_agency__unit__tier",
        "target__unit_id",
        *status_columns,
    ):
        mine = communes.setdefault(pk, set())
        mine.update(c for c in (finding_commune, target_unit) if c is not None)
        if lead_tier == Tier.COMMUNE:
            mine.add(lead_unit)
        states[pk] = _status_of_row(*state, on)
    units = {
        unit.pk: unit
        for unit in AdministrativeUnit.objects.filter(
            pk__in={c for cs in communes.values() for c in cs}
        ).only("pk", "name", "kind")
    }
    own = own_communes_only(user)
    for pk, mine in communes.items():
        everything.counts[states[pk]] += 1
        for commune in mine if own is None else mine & own:
            unit = units.get(commune)
            row = rows.setdefault(commune, FollowUpRow(commune, unit.full_name if unit else ""))
            row.counts[states[pk]] += 1

    def by_name(row: FollowUpRow) -> tuple:
        unit = units.get(row.key)  # by the commune's own name, its kind after: "Đô Lương", "xã"
        return vietnamese_key(unit.name if unit else ""), vietnamese_key(row.name)

    return FollowUp(sorted(rows.values(), key=by_name), everything)


def own_communes_only(user: Viewer, group_id: int | None = None) -> frozenset[int] | None:
    """The communes whose part of a group's work the user reads, when only their own: a
    commune's staff who are not the group's people. None: every commune (province-wide readers,
    and the leader, members and secretariat of the group, or of any group if none is named)."""
    scope = scope_of(user)
    if scope.province_wide:
        return None
    groups = WorkingGroup.objects.worked_in_by(scope)
    if group_id is not None:
        groups = groups.filter(pk=group_id)
    return None if groups.exists() else scope.communes


def _status_of_row(
    deadline: dt.date, closed_at: dt.datetime | None, outcome: str, on: dt.date
) -> Status:
    closed = closed_at.astimezone(VIETNAM).date() if closed_at else None
    return status_of(deadline, closed, Outcome(outcome) if outcome else None, on)


# --- the briefing pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class PackPart:
    section: PackSection
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class CommunePack:
    commune: AdministrativeUnit
    parts: tuple[PackPart, ...]


@dataclass(frozen=True)
class BriefingPack:
    inspection: Inspection
    period: Period
    communes: tuple[CommunePack, ...]


def pack_period(inspection: Inspection, on: dt.date | None = None) -> Period:
    """The figures a pack shows: from the first of the year up to the day before the visit
    (or up to today, when the visit is still ahead)."""
    end = min(inspection.held_on - dt.timedelta(days=1), on or today())
    return Period(start=end.replace(month=1, day=1), end=end)


def briefing_pack(
    user: Viewer, inspection: Inspection, sections: Iterable[PackSection] | None = None
) -> BriefingPack:
    """The pack for each commune the inspection visits, from every registered section (or
    ``sections``), each built once for all the communes."""
    inspection = get_inspection(user, inspection.pk)  # only for those who see the inspection
    period = pack_period(inspection)
    communes = in_vietnamese_order(inspection.communes.all(), "name")
    own = own_communes_only(user, inspection.group_id)
    if own is not None:  # a commune visited reads its own pages of the pack, not its neighbours'
        communes = communes.filter(pk__in=own)
    communes = list(communes)
    ids = tuple(c.pk for c in communes)
    built = [
        (section, section.build(user, ids, period))
        for section in (pack_sections.sections() if sections is None else sections)
    ]
    return BriefingPack(
        inspection=inspection,
        period=period,
        communes=tuple(
            CommunePack(
                commune=commune,
                parts=tuple(
                    PackPart(section, tuple(tables.get(commune.pk, ())))
                    for section, tables in built
                ),
            )
            for commune in communes
        ),
    )


# --- what the pages offer ---------------------------------------------------------------------


_SEES_OVERSIGHT = "_haicap_sees_oversight"


def sees_oversight(user: Viewer) -> bool:
    """Whether the desk's menu offers the working groups: the user sees a group or a directive.

    Asked on every desk page, so it is one query, kept on the user object (the request's own:
    a new request reads the user, and the answer, afresh)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, _SEES_OVERSIGHT, None)
    if known is None:
        known = (
            User.objects.filter(pk=user.pk)
            .annotate(
                sees=Exists(WorkingGroup.objects.restrict(user))
                | Exists(Directive.objects.restrict(user))
            )
            .values_list("sees", flat=True)
            .first()
        )
        known = bool(known)
        setattr(user, _SEES_OVERSIGHT, known)
    return known


def directive_warnings(user: Viewer, limit: int = 10) -> list[DirectiveNotification]:
    """The deadline warnings the worker sent the user about directives still open, newest
    first: what the desk's home shows them (a warning of a directive since closed is done)."""
    if not getattr(user, "is_authenticated", False):
        return []
    warnings = DirectiveNotification.objects.filter(
        recipient_id=user.pk, directive__closed_at__isnull=True
    )
    return list(warnings.select_related("directive__lead_agency").order_by("-created_at")[:limit])


def group_with_people(user: Viewer, group_id: int) -> WorkingGroup:
    """A group the user sees, with its members, secretariat and communes read at once."""
    group = (
        visible_groups(user)
        .prefetch_related(
            "member_agencies",
            "member_people",
            "secretariat_people",
            Prefetch(
                "communes",
                queryset=in_vietnamese_order(
                    AdministrativeUnit.objects.filter(
                        pk__in=WorkingGroup.communes.through.objects.filter(
                            workinggroup_id=group_id
                        ).values("administrativeunit_id")
                    ),
                    "name",
                ),
            ),
        )
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound()
    return group


def possible_participants(group: WorkingGroup) -> QuerySet[User]:
    """Who may take part in the group's visit: its leader, members and secretariat, and the
    staff of its member and secretariat agencies."""
    agencies = [a.pk for a in group.member_agencies.all()]
    if group.secretariat_agency_id:
        agencies.append(group.secretariat_agency_id)
    # A system administrator's membership runs the installation: it is not a seat in the
    # group's agencies, so it offers no one as a participant (issue 15).
    working = Membership.objects.filter(agency__in=agencies).exclude(role=Role.SYSTEM_ADMIN)
    people = (
        Q(pk=group.leader_id)
        | Q(pk__in=group.member_people.values("pk"))
        | Q(pk__in=group.secretariat_people.values("pk"))
        | Q(pk__in=working.values("user"))
    )
    return in_vietnamese_order(User.objects.filter(people, is_active=True), "full_name")


def staffed_fields() -> QuerySet[Field]:
    """The catalogue's fields, by name: a finding may name the one short of staff."""
    return in_vietnamese_order(Field.objects.all(), "name")


def agencies_to_act(inspection: Inspection) -> QuerySet[Agency]:
    """The agencies a finding may ask to act: the group's member and secretariat agencies, and
    the agencies of the communes visited."""
    group = inspection.group
    agencies = Agency.objects.filter(
        Q(pk__in=group.member_agencies.values("pk"))
        | Q(pk=group.secretariat_agency_id)
        | Q(unit__in=inspection.communes.values("pk"))
    ).select_related("unit")
    return in_vietnamese_order(agencies, "unit__tier", "unit__name", "name")


def inspection_with_findings(user: Viewer, inspection_id: int) -> Inspection:
    """An inspection the user sees, with its communes and participants read at once."""
    inspection = (
        visible_inspections(user)
        .select_related("group__leader")
        .prefetch_related(
            Prefetch("communes", queryset=communes_in_order(inspection_id)),
            Prefetch(
                "participants",
                queryset=in_vietnamese_order(
                    User.objects.filter(
                        pk__in=Inspection.participants.through.objects.filter(
                            inspection_id=inspection_id
                        ).values("user_id")
                    ),
                    "full_name",
                ),
            ),
        )
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise NotFound()
    return inspection


def findings_with_evidence(user: Viewer, inspection_id: int) -> QuerySet[Finding]:
    return visible_findings(user, inspection_id=inspection_id).prefetch_related("links", "papers")


def finding_paper(user: Viewer, inspection_id: int, finding_id: int, paper_id: int) -> FindingPaper:
    """An evidence file of a finding of the inspection, which the user sees."""
    finding = get_finding(user, finding_id)
    paper = finding.papers.filter(pk=paper_id).first()
    if paper is None or finding.inspection_id != inspection_id:
        raise NotFound()
    return paper


def first_agencies(people: Iterable[User]) -> dict[int, Agency]:
    """Each person's agency as a document names it: the one of their first membership (the
    first granted, the one their scope's own slice comes from too)."""
    agencies: dict[int, Agency] = {}
    memberships = (
        Membership.objects.filter(user__in=[person.pk for person in people])
        .select_related("agency__unit")
        .order_by("pk")
    )
    for membership in memberships:
        agencies.setdefault(membership.user_id, membership.agency)
    return agencies
