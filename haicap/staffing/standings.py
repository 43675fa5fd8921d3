"""Each commune's standing in each field on a day: norm, officers, gap, and the workload behind
it, computed from a fixed number of queries for the whole province (never one per commune).

Read by the gap table, the briefing pack's section, the directive measure and the plan solver.
Who may read which communes is the caller's business (``selectors``); this module computes.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.workload import workload
from haicap.staffing.explain import NO_MOVES, Move, Moves
from haicap.staffing.models import (
    NormRule,
    Officer,
    Secondment,
    SecondmentPlan,
    StaffField,
)
from haicap.staffing.norms import Basis, Rule, Standing, norm_of, per_month
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, Agency


def today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()


def workload_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose dossiers make a commune's workload on ``on``: the
    ``HAICAP_STAFFING_WORKLOAD_DAYS`` days (90 by haicap's convention) up to the day before."""
    end = on - dt.timedelta(days=1)
    return end - dt.timedelta(days=settings.STAFFING_WORKLOAD_DAYS - 1), end


def in_effect(on: dt.date) -> Q:
    """Secondments of an approved plan that run on ``on``."""
    return Q(plan__status=SecondmentPlan.Status.APPROVED, start_date__lte=on, end_date__gte=on)


@dataclass
class ProvinceStandings:
    """Standings of communes (by unit id) and fields (by code), and what they rest on."""

    on: dt.date
    window: tuple[dt.date, dt.date]
    communes: list[AdministrativeUnit]
    fields: list[StaffField]
    cells: dict[tuple[int, str], Standing] = field(default_factory=dict)
    # The rule each cell's norm comes from (what one officer handles, the minimum), for saying
    # why a commune is short.
    rules: dict[tuple[int, str], Rule] = field(default_factory=dict)
    # Where the officers seconded into and out of each cell came from or went, until when.
    moves: dict[tuple[int, str], Moves] = field(default_factory=dict)

    def of(self, unit_id: int, field_code: str) -> Standing | None:
        return self.cells.get((unit_id, field_code))

    def rule_of(self, unit_id: int, field_code: str) -> Rule | None:
        return self.rules.get((unit_id, field_code))

    def moves_of(self, unit_id: int, field_code: str) -> Moves:
        return self.moves.get((unit_id, field_code), NO_MOVES)

    def total_gap(self, unit_id: int | None = None) -> int:
        return sum(s.gap for (u, _f), s in self.cells.items() if unit_id in (None, u))


def _rules() -> tuple[dict[str, Rule], dict[tuple[int, str], Rule]]:
    """The rule for every commune by field, and each commune's own by (unit, field)."""
    every, own = {}, {}
    for row in NormRule.objects.filter(agency=None).select_related("field"):
        rule = Rule(Basis(row.basis), row.count, row.dossiers_per_officer_month, row.minimum)
        if row.unit_id is None:
            every[row.field.code] = rule
        else:
            own[(row.unit_id, row.field.code)] = rule
    return every, own


def current_communes(unit_ids: list[int] | None = None) -> list[AdministrativeUnit]:
    units = AdministrativeUnit.objects.filter(tier=Tier.COMMUNE, valid_to=None)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return list(units.order_by("code"))


def own_officers_by_commune() -> Counter:
    """Officers in each commune's own posts, by (unit id, field code)."""
    rows = (
        Officer.objects.filter(agency__unit__tier=Tier.COMMUNE)
        .values_list("agency__unit_id", "position__field__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({(unit, code): n for unit, code, n in rows})


def body_name(agency: Agency) -> str:
    """The body an officer is seconded from or to, as people name it: a commune's agencies act
    as one, so the commune ("xã Bích Hào"); a provincial agency by its own name."""
    return agency.unit.full_name if agency.unit.tier == Tier.COMMUNE else agency.name


@dataclass
class Running:
    """The secondments running on a day, by (unit id, field code): how many officers are
    seconded into and out of each commune, and where each came from or went, until when."""

    into: Counter = field(default_factory=Counter)
    out: Counter = field(default_factory=Counter)
    arrivals: dict[tuple[int, str], list[Move]] = field(default_factory=dict)
    departures: dict[tuple[int, str], list[Move]] = field(default_factory=dict)

    def moves(self, key: tuple[int, str]) -> Moves:
        return Moves(tuple(self.arrivals.get(key, ())), tuple(self.departures.get(key, ())))


def seconded_on(on: dt.date) -> Running:
    """Officers seconded into and out of each commune on ``on``, by (unit id, field code): in
    by the field they are seconded for, out by the post they leave, where they count as the
    commune's own (their agency now: one moved since the secondment began is taken from the
    commune that counts them, never from one that no longer does)."""
    running = (
        Secondment.objects.filter(in_effect(on))
        .select_related(
            "to_agency__unit",
            "from_agency__unit",
            "officer__agency__unit",
            "officer__position__field",
            "field",
        )
        .order_by("end_date", "pk")
    )
    found = Running()
    for secondment in running:
        host = secondment.to_agency.unit
        if host.tier == Tier.COMMUNE:
            key = (host.pk, secondment.field.code)
            found.into[key] += 1
            found.arrivals.setdefault(key, []).append(
                Move(body_name(secondment.from_agency), secondment.end_date)
            )
        home = secondment.officer.agency.unit
        if home.tier == Tier.COMMUNE:
            key = (home.pk, secondment.officer.position.field.code)
            found.out[key] += 1
            found.departures.setdefault(key, []).append(
                Move(body_name(secondment.to_agency), secondment.end_date)
            )
    return found


def province_standings(
    on: dt.date | None = None, unit_ids: list[int] | None = None
) -> ProvinceStandings:
    """The standing of each commune (of ``unit_ids``, or all) in each field the province has
    a norm for, on ``on`` (today)."""
    on = on or today()
    window = workload_window(on)
    fields = list(StaffField.objects.select_related("catalog_field"))
    found = ProvinceStandings(on, window, current_communes(unit_ids), fields)
    every, own_rules = _rules()
    loads = workload.by_unit_and_field(*window)
    days = (window[1] - window[0]).days + 1
    own = own_officers_by_commune()
    running = seconded_on(on)
    for unit in found.communes:
        for staff_field in found.fields:
            code = staff_field.code
            rule = own_rules.get((unit.pk, code)) or every.get(code)
            if rule is None:
                continue  # the province asks nothing of communes in this field
            load = (
                loads.get((unit.pk, staff_field.catalog_field.code))
                if (staff_field.catalog_field_id)
                else None
            )
            monthly = per_month(load.received, days) if load else Decimal(0)
            found.rules[(unit.pk, code)] = rule
            found.moves[(unit.pk, code)] = running.moves((unit.pk, code))
            found.cells[(unit.pk, code)] = Standing(
                norm=norm_of(rule, monthly),
                own=own[(unit.pk, code)],
                seconded_in=running.into[(unit.pk, code)],
                seconded_out=running.out[(unit.pk, code)],
                basis=rule.basis,
                dossiers_per_month=monthly,
                overdue_open=load.overdue_open if load else 0,
            )
    return found
