"""Time the secondment plan (`haicap.staffing.secondment_plan`) on a province-sized instance.

    .venv/bin/python bench/staffing_plan.py --seeds 1 2 3

A generated province, the same for the same seed: 130 communes at random points of a
130 × 100 km rectangle, each a body ("unit:<n>") of four agencies; 20 provincial agencies
("agency:<n>") in the capital commune; 18 fields. Officers hold a position in one field and
are qualified for it and, one in two, for a second field (one in two of those a field in short
supply). A commune needs 1–3 officers in each of five fields, where most communes are short (by
1–3), and 0–1 in each of the others, where it has what it needs or one or two more. The
provincial agencies hold 3–5 fields each, with up to three to spare. Spare officers are then
added to, or taken from, the communes' other fields until the province has exactly
``--officers``. Travel: 1.3 minutes a straight-line km plus 5, between every two communes.
Rules: 90 minutes at most, 3 officers at most from one agency. A short cell's weight is 1, 2 or
3 (as if from its overdue dossiers).

No database and no Django: the pure core alone, as the staffing service calls it.
"""

import argparse
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haicap.staffing.secondment_plan import (
    Candidate,
    Cell,
    PlanRules,
    solve_plan,
    travel_table,
)

FIELDS = [
    "land",
    "construction",
    "digital",
    "finance",
    "justice",  # the five in short supply
    "civil_status",
    "business",
    "social_affairs",
    "health",
    "education",
    "culture",
    "agriculture",
    "environment",
    "planning",
    "transport",
    "labour",
    "ethnic_affairs",
    "internal_affairs",
]
SHORT = FIELDS[:5]
AGENCIES_PER_COMMUNE = 4


def province(seed: int, communes: int, agencies: int, officers: int):
    """Cells, candidates and the travel rows of a generated province of ``officers`` officers."""
    rng = random.Random(seed)
    places = {f"U{n:03d}": (rng.uniform(0, 130), rng.uniform(0, 100)) for n in range(communes)}
    codes = sorted(places)
    roads = [
        (a, b, round(5 + 1.3 * math.dist(places[a], places[b])))
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
    ]
    capital = min(codes, key=lambda code: math.dist(places[code], (65, 50)))

    # [body, agency id (None for a commune: drawn per officer), place, field, norm, filled]
    standing = []
    for n, code in enumerate(codes):
        for field in FIELDS:
            if field in SHORT:
                norm = rng.choice([1, 1, 2, 2, 3])
                filled = max(0, norm - rng.choice([0, 1, 1, 2, 2, 3]))
            else:
                norm = rng.choice([0, 1, 1, 1])
                filled = norm + rng.choice([0, 0, 0, 1, 1, 2])
            standing.append([f"unit:{n}", None, code, field, norm, filled])
    for a in range(agencies):
        for field in rng.sample(FIELDS, rng.randint(3, 5)):
            norm = rng.randint(3, 8)
            standing.append(
                [f"agency:{a}", a, capital, field, norm, norm + rng.choice([0, 1, 2, 3])]
            )
    # To the size asked: officers added to, or taken from, the communes' other fields (taken
    # only where one is to spare, so the shortages stay those drawn above).
    communes_other = [row for row in standing if row[1] is None and row[3] not in SHORT]
    missing = officers - sum(row[5] for row in standing)
    if missing < -sum(row[5] - row[4] for row in communes_other):
        raise SystemExit(f"cannot make a province of {officers} officers from these draws")
    while missing:
        row = rng.choice(communes_other)
        if missing > 0:
            row[5] += 1
            missing -= 1
        elif row[5] > row[4]:
            row[5] -= 1
            missing += 1

    cells, candidates = [], []
    for body, agency, code, field, norm, filled in standing:
        weight = rng.choice([1, 1, 2, 3]) if filled < norm else 1
        cells.append(Cell(body, field, norm, filled, weight, code))
        for _ in range(filled):
            qualified = {field}
            if rng.random() < 0.5:
                qualified.add(rng.choice(SHORT) if rng.random() < 0.5 else rng.choice(FIELDS))
            if agency is None:  # a commune's four agencies act as one body
                n = int(body.removeprefix("unit:"))
                agency_id = 1000 + n * AGENCIES_PER_COMMUNE + rng.randrange(AGENCIES_PER_COMMUNE)
            else:
                agency_id = agency
            candidates.append(
                Candidate(
                    officer_id=len(candidates) + 1,
                    body=body,
                    agency_id=agency_id,
                    location=code,
                    position_field=field,
                    qualifications=frozenset(qualified),
                    experience_years=rng.randint(0, 30),
                )
            )
    return cells, candidates, roads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--communes", type=int, default=130)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--officers", type=int, default=3000)
    parser.add_argument("--max-travel", type=int, default=90)
    parser.add_argument("--max-per-agency", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=5.0)
    arguments = parser.parse_args()
    rules = PlanRules(arguments.max_travel, arguments.max_per_agency, arguments.time_limit)
    for seed in arguments.seeds:
        made = time.perf_counter()
        cells, candidates, roads = province(
            seed, arguments.communes, arguments.agencies, arguments.officers
        )
        travel = travel_table(roads)
        made = time.perf_counter() - made
        solution = solve_plan(cells, candidates, travel, rules)
        hosts = [cell for cell in cells if cell.gap > 0]
        size = solution.size
        print(f"seed {seed} (generated in {made:.2f} s)")
        print(
            f"  instance: {len(candidates)} officers, {len(cells)} cells, {len(hosts)} host cells "
            f"(gap {sum(c.gap for c in hosts)}), {len(roads)} travel pairs"
        )
        print(
            f"  model: {size.candidates} officers in {size.groups} groups, "
            f"{size.arcs} arcs, {size.variables} variables ({size.integer_variables} integer), "
            f"{size.constraints} constraints"
        )
        print(
            f"  solved in {solution.seconds:.2f} s ({solution.solver_seconds:.2f} in HiGHS): "
            f"{solution.status}, objective "
            f"{solution.objective:.4f}, bound {solution.bound:.4f}, MIP gap {solution.mip_gap:.2e}"
        )
        print(
            f"  main term {solution.main_objective}, {len(solution.proposals)} proposals, "
            f"travel {sum(p.travel_minutes for p in solution.proposals)} min, uncovered gap "
            f"{sum(left for _, _, left in solution.uncovered)} in {len(solution.uncovered)} cells"
        )


if __name__ == "__main__":
    main()
