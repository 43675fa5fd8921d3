"""Which officers to second where, so the communes shortest of specialised officers are covered.

Pure: no Django. The result is a proposal for the Department of Home Affairs to weigh; nothing
here moves anyone.

The plan is a mixed-integer programme solved by HiGHS (``highspy``):

- A *host* is a cell (a body's standing in one field) with a gap (norm above filled). An officer
  may go to a host if qualified for its field, working for another body, and within the travel
  limit of it (a pair of places missing from the travel table is unreachable).
- The k-th officer sent to a host of gap g and weight w is worth w·(g − k + 1): a unit of a large
  gap beats a unit of a small one, and the plan covers the largest weighted gaps first. The
  per-k terms are continuous variables with decreasing values, which an optimal solution fills
  in order; the sum of the moves into a host is an integer, so the value is exact.
- Tie-breakers, together worth less than half a unit of the main term in any plan: less travel,
  then (a minute of travel outweighs any difference of experience) more experience.
- Each officer moves at most once; a donor keeps at least its norm in the field of each officer
  it gives (no cell for that field, or none to spare, gives nobody); at most ``max_per_agency``
  officers from one agency; at most its gap to a host.

Officers of one body, agency, place, position field and qualifications (for the fields short
somewhere) are interchangeable but for experience: they are one *group* in the model, an integer
count per host, capped at what their donor cell can spare and the agency limit. The group's most
experienced are named first (then the lowest id), and its k-th officer's experience is a per-k
term like the hosts'.

Termination: the main term is integral, the tie-breakers of any plan lie in (−0.5, 0.5), and
two plans of the same main term differ by a whole number of tie-breaker steps; the solver stops
when its bound is within half a step of its plan, which is then optimal, tie-breakers included.
Stopped by the time limit, the plan is the best found, with the solver's bound and gap.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING

# HiGHS and numpy are imported where the plan is solved: a web worker that never plans does
# not carry them.
if TYPE_CHECKING:
    import highspy

OPTIMAL, TIME_LIMIT, NO_PLAN = "optimal", "time_limit", "no_plan"

# All tie-breakers of a plan together stay below this fraction of one unit of the main term.
_TIE_SHARE = 0.5
# The solver sees the objective scaled up so that its smallest tie-breaker step (a year of
# experience: ~1e-9 of a unit of the main term for a province) is at least this: well clear of
# its tolerances (1e-7 on reduced costs).
_SMALLEST_STEP = 1e-4


@dataclass(frozen=True)
class Candidate:
    """An officer who could be seconded.

    The caller has already left out anyone seconded now or in an approved plan.
    """

    officer_id: int
    body: str  # "unit:<id>" for a commune (its agencies act as one), "agency:<id>" for a province's
    agency_id: int  # for the per-agency limit
    location: str  # unit code where they work (for travel)
    position_field: str  # the field of their position: the donor loses one in it
    qualifications: frozenset[str]  # the fields they are qualified for
    experience_years: int = 0


@dataclass(frozen=True)
class Cell:
    """A body's standing in one field."""

    body: str
    field: str
    norm: int  # officers the body needs in the field
    filled: int  # officers it has now (secondments in effect included)
    weight: int = 1  # how much covering a unit of this cell's gap counts (>= 1)
    location: str = ""  # unit code of the body (for travel); "" is nowhere reachable

    @property
    def gap(self) -> int:
        return max(0, self.norm - self.filled)

    @property
    def surplus(self) -> int:
        return max(0, self.filled - self.norm)


@dataclass(frozen=True)
class PlanRules:
    max_travel_minutes: int
    max_per_agency: int  # no more than this many officers taken from one agency
    time_limit_seconds: float = 5.0


class Travel:
    """Minutes between unit codes, the same both ways; a place to itself is 0 minutes."""

    def __init__(self, minutes: dict[tuple[str, str], int]) -> None:
        self._minutes = minutes

    def minutes(self, origin: str, destination: str) -> int | None:
        """The travel time, or None when the pair is unreachable (not in the table)."""
        if not origin or not destination:
            return None
        if origin == destination:
            return 0
        return self._minutes.get(_pair(origin, destination))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def travel_table(rows: Iterable[tuple[str, str, int]]) -> Travel:
    """A travel table from (unit code, unit code, minutes) rows, either way round.

    A pair given twice must have the same minutes; minutes are not negative.
    """
    minutes: dict[tuple[str, str], int] = {}
    for origin, destination, value in rows:
        if value < 0:
            raise ValueError(f"negative travel time {origin}–{destination}: {value}")
        if origin == destination:
            continue
        key = _pair(origin, destination)
        if minutes.setdefault(key, value) != value:
            raise ValueError(f"two travel times for {origin}–{destination}")
    return Travel(minutes)


@dataclass(frozen=True)
class Proposal:
    officer_id: int
    from_body: str
    to_body: str
    field: str
    travel_minutes: int
    host_gap_before: int
    host_gap_after: int  # after the whole plan
    donor_field: str
    donor_norm: int
    donor_filled_before: int
    donor_filled_after: int  # after the whole plan
    host_weight: int = 1
    experience_years: int = 0


@dataclass(frozen=True)
class ModelSize:
    candidates: int = 0  # officers in the model: those who cannot help are left out
    groups: int = 0  # interchangeable officers counted together
    host_cells: int = 0  # cells short of officers
    arcs: int = 0  # (group, host) pairs allowed
    variables: int = 0
    integer_variables: int = 0
    constraints: int = 0


@dataclass(frozen=True)
class Solution:
    proposals: tuple[Proposal, ...]  # largest weighted host gap first, then host, then officer id
    # "optimal"; "time_limit" (the best plan found, not proven optimal); "no_plan" (proven:
    # nothing can be covered)
    status: str
    objective: float  # the solver's objective, tie-breakers included
    bound: float  # the solver's dual bound on it
    mip_gap: float  # relative gap as the solver reports it (inf when it has no plan)
    seconds: float  # the whole call, model building included
    # (body, field, gap left) of each host still short, the largest weighted gap left first
    uncovered: tuple[tuple[str, str, int], ...]
    main_objective: int = 0  # Σ w·(g − k + 1) over the proposals: the main term, exactly
    solver_seconds: float = 0.0  # of ``seconds``, in HiGHS (the rest: checking, pruning, building)
    size: ModelSize = dataclass_field(default_factory=ModelSize)


@dataclass
class _Group:
    body: str
    agency_id: int
    location: str
    position_field: str
    qualifications: frozenset[str]
    officers: list[Candidate]  # most experienced first, then lowest id
    cap: int = 0  # the most of them that can ever move

    @property
    def experiences(self) -> list[int]:
        return [officer.experience_years for officer in self.officers[: self.cap]]


def solve_plan(
    cells: Sequence[Cell], candidates: Sequence[Candidate], travel: Travel, rules: PlanRules
) -> Solution:
    """The best secondment plan for these cells and candidates under ``rules``."""
    started = time.perf_counter()
    _check(cells, candidates, rules)
    by_key = {(cell.body, cell.field): cell for cell in cells}
    hosts = sorted((cell for cell in cells if cell.gap > 0), key=lambda c: (c.body, c.field))
    groups = _groups(candidates, by_key, {host.field for host in hosts}, rules)

    hosts_in: dict[str, list[int]] = defaultdict(list)
    for h, host in enumerate(hosts):
        hosts_in[host.field].append(h)
    arcs: list[tuple[int, int, int]] = []  # (group index, host index, minutes)
    for g, group in enumerate(groups):
        for h in sorted(h for field in group.qualifications for h in hosts_in[field]):
            host = hosts[h]
            if host.body == group.body:
                continue
            minutes = travel.minutes(group.location, host.location)
            if minutes is not None and minutes <= rules.max_travel_minutes:
                arcs.append((g, h, minutes))
    used = sorted({g for g, _, _ in arcs})
    groups = [groups[g] for g in used]
    renumber = {old: new for new, old in enumerate(used)}
    arcs = [(renumber[g], h, minutes) for g, h, minutes in arcs]

    if not arcs:
        return Solution(
            proposals=(),
            status=NO_PLAN,
            objective=0.0,
            bound=0.0,
            mip_gap=0.0,
            seconds=time.perf_counter() - started,
            uncovered=_uncovered(hosts, defaultdict(int)),
            size=ModelSize(host_cells=len(hosts)),
        )

    import highspy

    model = _Model(hosts, groups, arcs, by_key, rules)

    # The solver class itself, not highspy.Highs: that wrapper registers a callback as it is
    # made, and HiGHS prints its banner on stdout then, before output can be turned off.
    highs = highspy._Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(rules.time_limit_seconds))
    highs.setOptionValue("mip_rel_gap", 0.0)
    # Two plans of the same main term differ by a whole number of tie-breaker steps: a bound
    # closer than half a step proves the tie-breakers optimal as well.
    highs.setOptionValue("mip_abs_gap", model.step * model.scale / 2)
    highs.setOptionValue("random_seed", 0)
    # The model comes pruned and its relaxation is nearly integral (an assignment with side
    # limits): on a province's 40,000 arcs HiGHS's presolve took ~5 s and its feasibility jump
    # ~2 s, then the root LP found the optimum at once.
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    model.load(highs)
    solving = time.perf_counter()
    highs.run()
    solving = time.perf_counter() - solving
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = OPTIMAL
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = TIME_LIMIT
    else:
        raise RuntimeError(f"HiGHS stopped: {highs.modelStatusToString(model_status)}")
    has_plan = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    counts = model.counts(highs.getSolution().col_value) if has_plan else {}
    proposals, into = _proposals(counts, hosts, groups, arcs, by_key)
    if status == OPTIMAL and not proposals:
        status = NO_PLAN
    mip_gap = float(info.mip_gap) if has_plan else math.inf
    return Solution(
        proposals=proposals,
        status=status,
        objective=float(info.objective_function_value) / model.scale if has_plan else 0.0,
        bound=float(info.mip_dual_bound) / model.scale,
        mip_gap=mip_gap,
        seconds=time.perf_counter() - started,
        uncovered=_uncovered(hosts, into),
        main_objective=main_objective(proposals),
        solver_seconds=solving,
        size=ModelSize(
            candidates=sum(min(len(group.officers), group.cap) for group in groups),
            groups=len(groups),
            host_cells=len(hosts),
            arcs=len(arcs),
            variables=model.num_variables,
            integer_variables=len(arcs),
            constraints=model.num_constraints,
        ),
    )


def main_objective(proposals: Iterable[Proposal]) -> int:
    """The main term of a plan: the k-th officer into a host of gap g, weight w, is w·(g − k + 1).

    Proposals name their host's gap before the plan; each host's k-th is counted in their order.
    """
    into: dict[tuple[str, str], int] = defaultdict(int)
    total = 0
    for proposal in proposals:
        into[(proposal.to_body, proposal.field)] += 1
        k = into[(proposal.to_body, proposal.field)]
        total += proposal.host_weight * (proposal.host_gap_before - k + 1)
    return total


def _check(cells: Sequence[Cell], candidates: Sequence[Candidate], rules: PlanRules) -> None:
    if rules.max_travel_minutes < 0 or rules.max_per_agency < 0:
        raise ValueError("the travel and per-agency limits cannot be negative")
    if not rules.time_limit_seconds > 0:
        raise ValueError("the time limit must be positive")
    seen_cells: set[tuple[str, str]] = set()
    for cell in cells:
        if cell.norm < 0 or cell.filled < 0 or cell.weight < 1:
            raise ValueError(f"cell {cell.body}/{cell.field}: negative figures or weight < 1")
        if (cell.body, cell.field) in seen_cells:
            raise ValueError(f"cell {cell.body}/{cell.field} given twice")
        seen_cells.add((cell.body, cell.field))
    seen_officers: set[int] = set()
    for candidate in candidates:
        if candidate.experience_years < 0:
            raise ValueError(f"officer {candidate.officer_id}: negative experience")
        if candidate.officer_id in seen_officers:
            raise ValueError(f"officer {candidate.officer_id} given twice")
        seen_officers.add(candidate.officer_id)


def _groups(
    candidates: Sequence[Candidate],
    by_key: dict[tuple[str, str], Cell],
    short_fields: set[str],
    rules: PlanRules,
) -> list[_Group]:
    """Interchangeable officers together, in a fixed order; those whose donor can spare nobody,
    or who are qualified for no field short anywhere, or who can go nowhere as the agency limit
    stands, are left out. Only qualifications for a field short somewhere tell officers apart."""
    together: dict[tuple, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        donor = by_key.get((candidate.body, candidate.position_field))
        useful = candidate.qualifications & short_fields
        if donor is None or donor.surplus == 0 or not useful or rules.max_per_agency == 0:
            continue
        key = (
            candidate.body,
            candidate.agency_id,
            candidate.location,
            candidate.position_field,
            tuple(sorted(useful)),
        )
        together[key].append(candidate)
    groups = []
    for key in sorted(together):
        body, agency_id, location, position_field, qualifications = key
        officers = sorted(together[key], key=lambda o: (-o.experience_years, o.officer_id))
        spare = by_key[(body, position_field)].surplus
        groups.append(
            _Group(
                body=body,
                agency_id=agency_id,
                location=location,
                position_field=position_field,
                qualifications=frozenset(qualifications),
                officers=officers,
                cap=min(len(officers), spare, rules.max_per_agency),
            )
        )
    return groups


class _Model:
    """The programme's columns and rows, built as arrays for HiGHS."""

    def __init__(
        self,
        hosts: list[Cell],
        groups: list[_Group],
        arcs: list[tuple[int, int, int]],
        by_key: dict[tuple[str, str], Cell],
        rules: PlanRules,
    ) -> None:
        self.arcs = arcs
        # Tie-breaker units: a minute of travel outweighs any difference of experience between
        # two plans, and the largest plan's tie-breakers stay below _TIE_SHARE.
        most_moves = min(sum(h.gap for h in hosts), sum(g.cap for g in groups))
        most_experience = max(max(g.experiences) for g in groups) * most_moves
        most_minutes = max(minutes for _, _, minutes in arcs) * most_moves
        ties = most_minutes * (most_experience + 1) + most_experience
        self.experience_unit = _TIE_SHARE / (ties + 1)
        self.minute_unit = (most_experience + 1) * self.experience_unit
        self.step = self.experience_unit
        self.scale = max(1.0, _SMALLEST_STEP / self.step)

        costs: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        rows: list[tuple[dict[int, float], float, float]] = []  # (coefficients, lower, upper)
        into_host: dict[int, dict[int, float]] = defaultdict(dict)
        out_of_group: dict[int, dict[int, float]] = defaultdict(dict)
        # Experience is a per-k term where the group's movable officers differ in it; else a
        # constant on its arcs.
        per_k_experience = [len(set(group.experiences)) > 1 for group in groups]
        for column, (g, h, minutes) in enumerate(arcs):
            host, group = hosts[h], groups[g]
            cost = -self.minute_unit * minutes
            if host.gap == 1:
                cost += host.weight
            if not per_k_experience[g]:
                cost += self.experience_unit * group.experiences[0]
            costs.append(cost)
            lower.append(0.0)
            upper.append(float(min(group.cap, host.gap)))
            into_host[h][column] = 1.0
            out_of_group[g][column] = 1.0

        # A host's k-th officer: w·(g − k + 1), decreasing in k, filled in order.
        for h, coefficients in sorted(into_host.items()):
            host = hosts[h]
            reachable = int(sum(upper[column] for column in coefficients))
            if host.gap == 1:
                if reachable > 1:
                    rows.append((dict(coefficients), -math.inf, 1.0))
                continue
            row = dict(coefficients)
            for k in range(1, min(host.gap, reachable) + 1):
                row[len(costs)] = -1.0
                costs.append(float(host.weight * (host.gap - k + 1)))
                lower.append(0.0)
                upper.append(1.0)
            rows.append((row, 0.0, 0.0))

        # Each officer once: a group moves at most its cap; the k-th of it brings its experience.
        for g, coefficients in sorted(out_of_group.items()):
            group = groups[g]
            if per_k_experience[g]:
                row = dict(coefficients)
                for experience in group.experiences:
                    row[len(costs)] = -1.0
                    costs.append(self.experience_unit * experience)
                    lower.append(0.0)
                    upper.append(1.0)
                rows.append((row, 0.0, 0.0))
            elif sum(upper[column] for column in coefficients) > group.cap:
                rows.append((dict(coefficients), -math.inf, float(group.cap)))

        # A donor keeps its norm; an agency gives at most max_per_agency.
        for limits, key_of in (
            (
                lambda key: by_key[key].surplus,
                lambda group: (group.body, group.position_field),
            ),
            (lambda key: rules.max_per_agency, lambda group: group.agency_id),
        ):
            members: dict[object, list[int]] = defaultdict(list)
            for g, group in enumerate(groups):
                members[key_of(group)].append(g)
            for key, member_groups in sorted(members.items(), key=lambda item: str(item[0])):
                limit = limits(key)
                if sum(groups[g].cap for g in member_groups) <= limit:
                    continue
                row = {}
                for g in member_groups:
                    row.update(out_of_group[g])
                rows.append((row, -math.inf, float(limit)))

        import numpy as np

        self.costs = np.array(costs, dtype=np.float64) * self.scale
        self.lower = np.array(lower, dtype=np.float64)
        self.upper = np.array(upper, dtype=np.float64)
        self.rows = rows
        self.num_variables = len(costs)
        self.num_constraints = len(rows)

    def load(self, highs: highspy._Highs) -> None:
        import highspy
        import numpy as np

        n = self.num_variables
        highs.addVars(n, self.lower, self.upper)
        columns = np.arange(n, dtype=np.int32)
        highs.changeColsCost(n, columns, self.costs)
        arcs = np.arange(len(self.arcs), dtype=np.int32)
        integer = np.full(len(self.arcs), highspy.HighsVarType.kInteger.value, dtype=np.uint8)
        highs.changeColsIntegrality(len(self.arcs), arcs, integer)
        starts, indices, values = [], [], []
        for coefficients, _, _ in self.rows:
            starts.append(len(indices))
            for column, value in sorted(coefficients.items()):
                indices.append(column)
                values.append(value)
        highs.addRows(
            len(self.rows),
            np.array([low for _, low, _ in self.rows], dtype=np.float64),
            np.array([high for _, _, high in self.rows], dtype=np.float64),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=np.float64),
        )
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def counts(self, values: Sequence[float]) -> dict[int, int]:
        """Officers moved along each arc, by arc index."""
        moved = {}
        for column in range(len(self.arcs)):
            count = round(values[column])
            if count > 0:
                moved[column] = count
        return moved


def _proposals(
    counts: dict[int, int],
    hosts: list[Cell],
    groups: list[_Group],
    arcs: list[tuple[int, int, int]],
    by_key: dict[tuple[str, str], Cell],
) -> tuple[tuple[Proposal, ...], dict[int, int]]:
    """Named officers for the counts: a group's most experienced go first, to its hosts of the
    largest weighted gap first."""
    into: dict[int, int] = defaultdict(int)
    out_of: dict[tuple[str, str], int] = defaultdict(int)
    by_group: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for column, count in counts.items():
        g, h, minutes = arcs[column]
        by_group[g].append((h, minutes, count))
        into[h] += count
        out_of[(groups[g].body, groups[g].position_field)] += count

    proposals = []
    for g, moves in sorted(by_group.items()):
        group = groups[g]
        moves.sort(key=lambda move: _host_order(hosts[move[0]]))
        officers = iter(group.officers)
        donor = by_key[(group.body, group.position_field)]
        for h, minutes, count in moves:
            host = hosts[h]
            for _ in range(count):
                officer = next(officers)
                proposals.append(
                    Proposal(
                        officer_id=officer.officer_id,
                        from_body=group.body,
                        to_body=host.body,
                        field=host.field,
                        travel_minutes=minutes,
                        host_gap_before=host.gap,
                        host_gap_after=host.gap - into[h],
                        donor_field=group.position_field,
                        donor_norm=donor.norm,
                        donor_filled_before=donor.filled,
                        donor_filled_after=donor.filled - out_of[(donor.body, donor.field)],
                        host_weight=host.weight,
                        experience_years=officer.experience_years,
                    )
                )
    proposals.sort(
        key=lambda p: (-p.host_weight * p.host_gap_before, p.to_body, p.field, p.officer_id)
    )
    return tuple(proposals), into


def _host_order(host: Cell) -> tuple[int, str, str]:
    return (-host.weight * host.gap, host.body, host.field)


def _uncovered(hosts: list[Cell], into: dict[int, int]) -> tuple[tuple[str, str, int], ...]:
    short = [(host, host.gap - into[h]) for h, host in enumerate(hosts) if host.gap > into[h]]
    short.sort(key=lambda item: (-item[0].weight * item[1], item[0].body, item[0].field))
    return tuple((host.body, host.field, left) for host, left in short)
