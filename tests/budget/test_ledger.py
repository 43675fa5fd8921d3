"""The ledger's arithmetic, property by property: the district transfer drafted from any balances
passes its own check, and any batch either keeps every rule or is refused naming exactly the
projects that break one (the rules are restated here, not read from the code)."""

from collections import defaultdict

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from haicap.budget import ledger
from haicap.budget.ledger import DISTRICT, Entry, Problem

PROJECTS = ("P1", "P2", "P3", "P4", "P5")
SOURCES = ("provincial", "district", "commune", "central", "other")
LEVELS = ("province", DISTRICT, "commune")
# After the reform an investor is a provincial agency or a commune, or not decided yet.
INVESTOR_LEVELS = (None, "province", "commune")

# Pure arithmetic, but the machine may be busy: a slow draw is not a failure.
patient = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
amounts = st.integers(1, 10**13)  # up to ten thousand billion đồng
keys = st.tuples(st.sampled_from(PROJECTS), st.sampled_from(SOURCES), st.sampled_from(LEVELS))
# What a plan holds: positive balances (a ledger leaves zero ones out).
helds = st.dictionaries(keys, amounts, max_size=12)
destinations = st.fixed_dictionaries({p: st.sampled_from(INVESTOR_LEVELS) for p in PROJECTS})
entries = st.builds(
    Entry,
    st.sampled_from(PROJECTS),
    st.sampled_from(SOURCES),
    st.sampled_from(LEVELS),
    st.integers(-(10**13), 10**13),
)


def after(held, batch) -> dict:
    result = defaultdict(int, held)
    for entry in batch:
        result[(entry.project, entry.source, entry.level)] += entry.amount
    return result


def breaking(held, batch, destination) -> set[str]:
    """The projects that break a rule, straight from the rules."""
    broken = set()
    moved = defaultdict(int)  # per project and per (project, source): the sum of its entries
    for entry in batch:
        if not entry.amount:
            continue  # a zero entry moves nothing
        moved[entry.project] += entry.amount
        moved[(entry.project, entry.source)] += entry.amount
        to = destination[entry.project]
        if entry.amount < 0 and entry.level != DISTRICT:
            broken.add(entry.project)  # capital is taken from the district level only
        if to is None:
            broken.add(entry.project)  # nothing moves before the investor is known
        elif entry.amount > 0 and entry.level != to:
            broken.add(entry.project)  # capital goes to the investor's level only
    broken |= {key if isinstance(key, str) else key[0] for key, total in moved.items() if total}
    for (project, _source, level), amount in after(held, batch).items():
        if amount < 0:
            broken.add(project)  # nothing is taken that is not there
        if level == DISTRICT and amount and destination[project] is not None:
            broken.add(project)  # no district capital remains once the investor is known
    return broken


@patient
@given(helds, destinations)
def test_the_district_transfer_always_passes_its_check(held, destination):
    batch = ledger.district_transfer(held, destination)
    check = ledger.check_transfer(held, batch, destination)
    assert check.differences == ()
    assert check.approvable
    assert check.total_before == check.total_after == sum(held.values())
    left = ledger.balances([Entry(*key, amount) for key, amount in held.items()] + batch)
    for (project, _source, level), amount in left.items():
        if destination[project] is not None:
            assert level != DISTRICT, (project, amount)
        assert amount > 0
    # every district balance of a project without an investor stays where it was
    for (project, source, level), amount in held.items():
        if level == DISTRICT and destination[project] is None:
            assert left[(project, source, level)] == amount


@patient
@given(helds, destinations)
def test_the_district_transfer_moves_pairs_within_a_project_and_a_source(held, destination):
    batch = ledger.district_transfer(held, destination)
    assert len(batch) % 2 == 0
    for decrease, increase in zip(batch[::2], batch[1::2], strict=True):
        assert (decrease.project, decrease.source) == (increase.project, increase.source)
        assert decrease.amount == -increase.amount < 0
        assert decrease.level == DISTRICT
        assert increase.level == destination[increase.project]


def random_batches():
    """A batch anywhere from well drafted to arbitrary: the district transfer with random
    entries added, or random entries alone."""
    drafted = st.builds(
        lambda held, destination, extra: (
            held,
            destination,
            ledger.district_transfer(held, destination) + extra,
        ),
        helds,
        destinations,
        st.lists(entries, max_size=3),
    )
    arbitrary = st.tuples(helds, destinations, st.lists(entries, max_size=10))
    return st.one_of(drafted, arbitrary)


@patient
@given(random_batches())
def test_a_batch_keeps_every_rule_or_is_refused_naming_who_breaks_one(case):
    held, destination, batch = case
    check = ledger.check_transfer(held, batch, destination)
    expected = breaking(held, batch, destination)
    assert set(check.projects) == expected
    assert check.approvable == (not expected)
    if check.approvable:
        by_project, by_source = defaultdict(int), defaultdict(int)
        for entry in batch:
            by_project[entry.project] += entry.amount
            by_source[(entry.project, entry.source)] += entry.amount
        assert not any(by_project.values()) and not any(by_source.values())
        result = after(held, batch)
        assert all(amount >= 0 for amount in result.values())
        assert not [
            key
            for key, amount in result.items()
            if key[2] == DISTRICT and amount and destination[key[0]] is not None
        ]
        assert check.total_before == check.total_after


@patient
@given(helds, destinations, st.data())
def test_changing_one_entry_of_a_good_batch_names_its_project(held, destination, data):
    batch = ledger.district_transfer(held, destination)
    assume(batch)
    index = data.draw(st.integers(0, len(batch) - 1))
    entry = batch[index]
    change = data.draw(st.sampled_from(["amount", "source", "level", "drop"]))
    if change == "amount":
        delta = data.draw(st.integers(-(10**12), 10**12).filter(bool))
        changed = [Entry(entry.project, entry.source, entry.level, entry.amount + delta)]
    elif change == "source":
        source = data.draw(st.sampled_from([s for s in SOURCES if s != entry.source]))
        changed = [Entry(entry.project, source, entry.level, entry.amount)]
    elif change == "level":
        level = data.draw(st.sampled_from([v for v in LEVELS if v != entry.level]))
        changed = [Entry(entry.project, entry.source, level, entry.amount)]
    else:
        changed = []
    perturbed = batch[:index] + changed + batch[index + 1 :]
    check = ledger.check_transfer(held, perturbed, destination)
    assert not check.approvable
    assert entry.project in check.projects


def test_a_difference_says_what_is_wrong():
    """The road: 8,000 million district budget moved but 7,500 million received; the school:
    300 million left at the district level; the bridge sent to a commune though a provincial
    department invests in it."""
    million = 1_000_000
    held = {
        ("ROAD", "district", DISTRICT): 8_000 * million,
        ("SCHOOL", "district", DISTRICT): 5_000 * million,
        ("BRIDGE", "district", DISTRICT): 1_000 * million,
    }
    destination = {"ROAD": "commune", "SCHOOL": "commune", "BRIDGE": "province"}
    batch = [
        Entry("ROAD", "district", DISTRICT, -8_000 * million),
        Entry("ROAD", "district", "commune", 7_500 * million),
        Entry("SCHOOL", "district", DISTRICT, -4_700 * million),
        Entry("SCHOOL", "district", "commune", 4_700 * million),
        Entry("BRIDGE", "district", DISTRICT, -1_000 * million),
        Entry("BRIDGE", "district", "commune", 1_000 * million),
    ]
    check = ledger.check_transfer(held, batch, destination)
    assert check.projects == ("BRIDGE", "ROAD", "SCHOOL")
    by_project = {d.project: d for d in check.differences}
    road = by_project["ROAD"]
    assert (road.problem, road.decreases, road.increases, road.gap) == (
        Problem.UNBALANCED,
        8_000 * million,
        7_500 * million,
        -500 * million,
    )
    school = by_project["SCHOOL"]
    assert (school.problem, school.level, school.amount) == (
        Problem.DISTRICT_LEFT,
        DISTRICT,
        300 * million,
    )
    bridge = by_project["BRIDGE"]
    assert (bridge.problem, bridge.level, bridge.amount) == (
        Problem.WRONG_LEVEL,
        "commune",
        1_000 * million,
    )
    # the batch moves as much as it takes, so the province's total is the same only if each
    # project balances: the road's missing 500 million is missing from the total too
    assert check.total_before - check.total_after == 500 * million


def test_capital_is_taken_from_the_district_level_only():
    """−500 at the commune level and +500 at the province: balanced, but not a transfer."""
    held = {("ROAD", "district", "commune"): 800}
    batch = [Entry("ROAD", "district", "commune", -500), Entry("ROAD", "district", "province", 500)]
    check = ledger.check_transfer(held, batch, {"ROAD": "province"})
    assert not check.approvable
    assert [(d.problem, d.level, d.amount) for d in check.differences] == [
        (Problem.NOT_FROM_DISTRICT, "commune", 500)
    ]


def test_a_zero_entry_moves_nothing():
    held = {("ORPHAN", "district", DISTRICT): 100}
    check = ledger.check_transfer(held, [Entry("ORPHAN", "district", "commune", 0)], {})
    assert check.approvable
