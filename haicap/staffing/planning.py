"""The shell around the secondment solver (``secondment_plan``): what it is asked, from the
database, and what its answers mean on a plan's page.

What the solver is given, for a plan whose secondments start on ``starts_on``:

- *cells*, one per body and field. A commune's agencies act as one body (``unit:<id>``): its
  cell in each field the province sets a norm for is its standing (``standings``): the norm
  from the recent workload, the officers in its own posts, plus those seconded in and less
  those seconded out on ``starts_on``. A provincial agency (``agency:<id>``) has a cell only
  in a field where a ``NormRule`` names it: the norm is that rule's count, the officers are
  its own in posts of the field (less those seconded out). An agency with no rule in a field
  gives nobody of it; a provincial agency is never a host (only its surplus is offered).
- the *weight* of a cell, how much covering one officer of its gap counts:
  ``StaffField.weight × (1 + overdue dossiers open in the field, at most OVERDUE_WEIGHT_CAP)``,
  so a commune whose dossiers of a field run late is helped first, and a handful of late
  dossiers counts fully while a backlog cannot drown every other field.
- *candidates*: every officer of a commune or a provincial agency, except one already in a
  secondment of an approved plan that ends on or after ``starts_on`` (nobody moves twice) —
  the plan's own earlier versions aside, which this one replaces.
- *travel*: the province's table of travel times, by unit code. A provincial agency sits at
  the province's own unit.

A plan's figures (gap before and after, the donor's count before and after) are the standing
the proposal was made against, less what the plan's current secondments take or bring, so they
stay true while a draft is edited by hand.
"""

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haicap.staffing.explain import in_sentence
from haicap.staffing.models import (
    NormRule,
    Officer,
    Secondment,
    SecondmentPlan,
    StaffField,
)
from haicap.staffing.secondment_plan import (
    Candidate,
    Cell,
    PlanRules,
    Solution,
    Travel,
    solve_plan,
    travel_table,
)
from haicap.staffing.standings import body_name, in_effect, province_standings, today
from haicap.units.kinds import AgencyKind, Tier
from haicap.units.models import AdministrativeUnit, Agency, TravelTime

# Overdue dossiers of a field beyond this add nothing more to its gaps' weight.
OVERDUE_WEIGHT_CAP = 4


def commune_body(unit_id: int) -> str:
    return f"unit:{unit_id}"


def agency_body(agency_id: int) -> str:
    return f"agency:{agency_id}"


def body_of(agency: Agency) -> str:
    """The body an agency's officers belong to: its commune, or the agency itself."""
    if agency.unit.tier == Tier.COMMUNE:
        return commune_body(agency.unit_id)
    return agency_body(agency.pk)


def unit_of_body(body: str) -> int | None:
    """The commune's unit id of a ``unit:<id>`` body (None for an agency)."""
    kind, _sep, number = body.partition(":")
    return int(number) if kind == "unit" else None


def host_weight(field_weight: int, overdue_open: int) -> int:
    """How much one officer of a commune's gap counts (the module's documented rule)."""
    return max(1, field_weight) * (1 + min(max(0, overdue_open), OVERDUE_WEIGHT_CAP))


def end_of_term(start: dt.date, months: int) -> dt.date:
    """The last day of a secondment of ``months`` months from ``start``: the day before the
    same day ``months`` later (the month's last day when it has no such day)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def lineage(plan: SecondmentPlan | None) -> list[int]:
    """The plan and the versions it revises, newest first."""
    found: list[int] = []
    while plan is not None:
        found.append(plan.pk)
        plan = plan.revises
    return found


def blocked_officers(starts_on: dt.date, excluded_plans: Iterable[int] = ()) -> set[int]:
    """Officers in a secondment of an approved plan that ends on or after ``starts_on``."""
    return set(
        Secondment.objects.filter(
            plan__status=SecondmentPlan.Status.APPROVED, end_date__gte=starts_on
        )
        .exclude(plan_id__in=list(excluded_plans))
        .values_list("officer_id", flat=True)
    )


def _seconded(on: dt.date, excluded_plans: list[int]) -> tuple[Counter, Counter]:
    """Officers seconded into and out of each body on ``on`` (by body and field: in by the
    field seconded for, out by the field of the post left), the excluded plans aside."""
    running = Secondment.objects.filter(in_effect(on)).exclude(plan_id__in=excluded_plans)
    into: Counter = Counter()
    out: Counter = Counter()
    for row in running.values(
        "to_agency_id",
        "to_agency__unit_id",
        "to_agency__unit__tier",
        "field__code",
        "from_agency_id",
        "from_agency__unit_id",
        "from_agency__unit__tier",
        "officer__position__field__code",
    ):
        into[(_body(row, "to_agency"), row["field__code"])] += 1
        out[(_body(row, "from_agency"), row["officer__position__field__code"])] += 1
    return into, out


def _body(row: dict, agency: str) -> str:
    if row[f"{agency}__unit__tier"] == Tier.COMMUNE:
        return commune_body(row[f"{agency}__unit_id"])
    return agency_body(row[f"{agency}_id"])


@dataclass(frozen=True)
class PlanInputs:
    """What a plan starting on ``starts_on`` is solved from, and checked against by hand."""

    starts_on: dt.date
    cells: dict[tuple[str, str], Cell]  # (body, field code): every body's standing
    candidates: dict[int, Candidate]  # by officer id
    travel: Travel
    fields: dict[str, StaffField]  # by code
    communes: dict[int, AdministrativeUnit]  # current communes, by id

    def solver_cells(self) -> list[Cell]:
        """The communes' cells, and the provincial agencies' that have officers to spare
        (an agency short of its own norm is no host: it simply gives nobody)."""
        return [
            cell
            for (body, _f), cell in sorted(self.cells.items())
            if unit_of_body(body) is not None or cell.surplus > 0
        ]


def plan_inputs(starts_on: dt.date, plan: SecondmentPlan | None = None) -> PlanInputs:
    """The cells, candidates and travel times for a plan starting on ``starts_on``; for a
    version of an existing plan, its own versions' secondments are left out of the picture
    (it replaces them)."""
    excluded = lineage(plan)
    into, out = _seconded(starts_on, excluded)
    standings = province_standings(on=today())
    fields = {f.code: f for f in standings.fields}
    communes = {unit.pk: unit for unit in standings.communes}
    cells: dict[tuple[str, str], Cell] = {}
    for (unit_id, code), standing in standings.cells.items():
        body = commune_body(unit_id)
        filled = standing.own + into[(body, code)] - out[(body, code)]
        cells[(body, code)] = Cell(
            body=body,
            field=code,
            norm=standing.norm,
            filled=max(0, filled),
            weight=host_weight(fields[code].weight, standing.overdue_open),
            location=communes[unit_id].code or "",
        )
    cells |= _agency_cells(into, out)
    blocked = blocked_officers(starts_on, excluded)
    return PlanInputs(
        starts_on=starts_on,
        cells=cells,
        candidates=_candidates(blocked),
        travel=province_travel(),
        fields=fields,
        communes=communes,
    )


def _agency_cells(into: Counter, out: Counter) -> dict[tuple[str, str], Cell]:
    rules = (
        NormRule.objects.filter(agency__isnull=False, unit=None)
        .exclude(agency__unit__tier=Tier.COMMUNE)
        .select_related("agency__unit", "field")
    )
    own = Counter(
        {
            (agency_id, code): n
            for agency_id, code, n in Officer.objects.filter(
                agency_id__in=[r.agency_id for r in rules]
            )
            .values_list("agency_id", "position__field__code")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    cells = {}
    for rule in rules:
        body, code = agency_body(rule.agency_id), rule.field.code
        filled = own[(rule.agency_id, code)] + into[(body, code)] - out[(body, code)]
        cells[(body, code)] = Cell(
            body=body,
            field=code,
            norm=rule.count,
            filled=max(0, filled),
            location=rule.agency.unit.code or "",
        )
    return cells


def _candidates(blocked: set[int]) -> dict[int, Candidate]:
    qualified: dict[int, set[str]] = defaultdict(set)
    for officer_id, code in Officer.qualifications.through.objects.values_list(
        "officer_id", "stafffield__code"
    ):
        qualified[officer_id].add(code)
    officers = (
        Officer.objects.filter(agency__unit__tier__in=[Tier.COMMUNE, Tier.PROVINCE])
        .exclude(pk__in=blocked)
        .values_list(
            "pk",
            "agency_id",
            "agency__unit_id",
            "agency__unit__tier",
            "agency__unit__code",
            "position__field__code",
            "experience_years",
        )
    )
    found = {}
    for pk, agency_id, unit_id, tier, code, field_code, years in officers:
        body = commune_body(unit_id) if tier == Tier.COMMUNE else agency_body(agency_id)
        found[pk] = Candidate(
            officer_id=pk,
            body=body,
            agency_id=agency_id,
            location=code or "",
            position_field=field_code,
            qualifications=frozenset(qualified[pk]),
            experience_years=years,
        )
    return found


def province_travel() -> Travel:
    """The province's travel table by unit code (pairs of units without a code are left out:
    the solver cannot place them)."""
    rows = TravelTime.objects.filter(one__code__isnull=False, other__code__isnull=False)
    return travel_table(rows.values_list("one__code", "other__code", "minutes"))


def solve(inputs: PlanInputs, max_travel_minutes: int, max_per_agency: int) -> Solution:
    return solve_plan(
        inputs.solver_cells(),
        list(inputs.candidates.values()),
        inputs.travel,
        PlanRules(max_travel_minutes=max_travel_minutes, max_per_agency=max_per_agency),
    )


def host_agency(unit_id: int, staff_field: StaffField) -> Agency | None:
    """The commune's office a secondment in ``staff_field`` lands in: the field's host office,
    else the commune's People's Committee, else its first agency."""
    agencies = list(Agency.objects.filter(unit_id=unit_id).select_related("unit").order_by("code"))
    for kind in (staff_field.host_agency_kind, AgencyKind.COMMUNE_PEOPLES_COMMITTEE):
        for agency in agencies:
            if agency.kind == kind:
                return agency
    return agencies[0] if agencies else None


# --- a plan's figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One secondment of a plan with the figures that explain it."""

    secondment: Secondment
    host_gap_before: int
    host_gap_after: int  # with every secondment of the plan into the same commune and field
    donor_norm: int
    donor_filled_before: int
    donor_filled_after: int  # with every secondment of the plan out of the same body and field
    # The host still lacks the officer once the plan's earlier secondments into the same
    # commune and field are counted; the donor keeps its norm with the earlier ones out of it.
    # Both hold for a proposal; a revision's copy may have lost either (``revision_figures``).
    host_needs: bool = True
    donor_spares: bool = True

    @property
    def needed(self) -> bool:
        return self.host_needs and self.donor_spares

    @property
    def reason(self) -> str:
        return reason_text(self)


def plan_rows(secondments: Iterable[Secondment]) -> list[PlanRow]:
    """The plan's secondments (from_agency, to_agency, their units, the fields and the officer
    loaded) with their figures, in the order given. Those into one commune and field beyond its
    gap, or out of one body and field below its norm, are not needed: the later ones (by when
    they were added) are the ones marked."""
    rows = list(secondments)
    into: Counter = Counter()
    out: Counter = Counter()
    host_rank: dict[int, int] = {}
    donor_rank: dict[int, int] = {}
    for s in sorted(rows, key=lambda s: s.pk or 0):
        into[(s.to_agency.unit_id, s.field_id)] += 1
        out[(body_of(s.from_agency), s.donor_field_id)] += 1
        host_rank[id(s)] = into[(s.to_agency.unit_id, s.field_id)]
        donor_rank[id(s)] = out[(body_of(s.from_agency), s.donor_field_id)]
    return [
        PlanRow(
            secondment=s,
            host_gap_before=s.host_gap_before,
            host_gap_after=max(0, s.host_gap_before - into[(s.to_agency.unit_id, s.field_id)]),
            donor_norm=s.donor_norm,
            donor_filled_before=s.donor_filled_before,
            donor_filled_after=max(
                0, s.donor_filled_before - out[(body_of(s.from_agency), s.donor_field_id)]
            ),
            host_needs=host_rank[id(s)] <= s.host_gap_before,
            donor_spares=s.donor_field_id is None
            or s.donor_filled_before - donor_rank[id(s)] >= s.donor_norm,
        )
        for s in rows
    ]


def revision_figures(secondments: Iterable[Secondment], inputs: PlanInputs) -> list[Secondment]:
    """``secondments`` (copied into a revision) with their figures taken again from
    ``inputs``, the standings on the revision's start without its own versions: the host's gap
    before the plan, the donor's norm and count. (``plan_rows`` then says which are no longer
    needed.) A donor whose norm is no longer set keeps the figures it had."""
    changed = []
    for s in secondments:
        host = inputs.cells.get((commune_body(s.to_agency.unit_id), s.field.code))
        s.host_gap_before = host.gap if host is not None else 0
        if s.donor_field is not None:
            donor = inputs.cells.get((body_of(s.from_agency), s.donor_field.code))
            if donor is not None:
                s.donor_norm, s.donor_filled_before = donor.norm, donor.filled
        changed.append(s)
    return changed


def uncovered_after(inputs: PlanInputs, secondments: Iterable[Secondment]) -> list:
    """The communes' gaps ``secondments`` leave on the standings ``inputs`` hold, stored as a
    plan's ``uncovered``: the largest weighted gap left first."""
    into = Counter((s.to_agency.unit_id, s.field.code) for s in secondments)
    left = []
    for (body, code), cell in inputs.cells.items():
        unit_id = unit_of_body(body)
        if unit_id is None:
            continue
        lacking = cell.gap - into[(unit_id, code)]
        if lacking > 0:
            left.append((cell.weight * lacking, unit_id, code, lacking))
    left.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [[unit_id, code, lacking] for _weight, unit_id, code, lacking in left]


def donor_name(agency: Agency) -> str:
    """A commune's agencies act as one: the donor is the commune; else the agency."""
    return body_name(agency)


def reason_text(row: PlanRow) -> str:
    """Why the proposal is made, in a sentence; or why it is no longer needed."""
    s = row.secondment
    if not row.host_needs:
        names = {"host": s.to_agency.unit.full_name, "field": s.field.name}
        if row.host_gap_before == 0:
            return (
                _(
                    "Not needed: %(host)s no longer lacks officers in %(field)s; remove this "
                    "secondment."
                )
                % names
            )
        return ngettext(
            "Not needed: %(host)s lacks %(gap)d officer in %(field)s, whom the plan's other "
            "secondments cover; remove this one.",
            "Not needed: %(host)s lacks %(gap)d officers in %(field)s, whom the plan's other "
            "secondments cover; remove this one.",
            row.host_gap_before,
        ) % (names | {"gap": row.host_gap_before})
    if not row.donor_spares:
        return _(
            "Not needed: %(donor)s has %(filled)d in %(field)s against its norm of %(norm)d and "
            "cannot spare this officer; remove this secondment."
        ) % {
            "donor": donor_name(s.from_agency),
            "filled": row.donor_filled_before,
            "field": s.donor_field.name,
            "norm": row.donor_norm,
        }
    host = ngettext(
        "%(host)s lacks %(gap)d officer in %(field)s",
        "%(host)s lacks %(gap)d officers in %(field)s",
        row.host_gap_before,
    ) % {
        "host": s.to_agency.unit.full_name,
        "gap": row.host_gap_before,
        "field": in_sentence(s.field.name),
    }
    if s.donor_field_id is None:
        return capfirst(_("%(host)s.") % {"host": host})
    donor = _("%(donor)s has %(filled)d in %(field)s against its norm of %(norm)d") % {
        "donor": donor_name(s.from_agency),
        "filled": row.donor_filled_before,
        "field": in_sentence(s.donor_field.name),
        "norm": row.donor_norm,
    }
    sentence = _("%(host)s; %(donor)s, so it can spare this officer.")
    return capfirst(sentence % {"host": host, "donor": donor})


def uncovered_rows(plan: SecondmentPlan) -> list[tuple[AdministrativeUnit, StaffField, int]]:
    """The gaps the plan leaves: (commune, field, officers still lacking), in the solver's
    order (the largest weighted gap left first)."""
    stored = [(int(u), str(f), int(n)) for u, f, n in plan.uncovered if int(n) > 0]
    units = AdministrativeUnit.objects.in_bulk([u for u, _f, _n in stored])
    fields = {f.code: f for f in StaffField.objects.filter(code__in=[f for _u, f, _n in stored])}
    return [(units[u], fields[f], n) for u, f, n in stored if u in units and f in fields]


def adjusted_uncovered(uncovered: list, unit_id: int, field_code: str, change: int) -> list:
    """The plan's uncovered gaps after one more (``change`` −1) or one fewer (+1) secondment
    into ``unit_id``'s ``field_code``; the solver's order (largest weighted gap left first) is
    kept, a gap opened by hand comes last."""
    found = [[int(u), str(f), int(n)] for u, f, n in uncovered]
    for row in found:
        if (row[0], row[1]) == (unit_id, field_code):
            row[2] = max(0, row[2] + change)
            break
    else:
        found.append([unit_id, field_code, max(0, change)])
    return [row for row in found if row[2] > 0]
