"""A month's disbursement: per project against the plan in force at the month's end, the sums by
each dimension (computed here from the rows the world made), the total, the projects behind the
pace, the scope, and a fixed number of queries whatever the number of projects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.budget import rates
from haicap.budget.models import Disbursement, LedgerEntry, Level, Project, Source
from tests.budget import disbursement_world, world

pytestmark = pytest.mark.django_db
M = world.MILLION

# (project, plan in millions, disbursed through June in millions) and what groups it, as the
# world's docstring describes them: investor, investing commune, location, field, level.
ROWS = {
    "road": (10_000, 3_000),
    "school": (5_000, 2_500),
    "bridge": (12_000, 3_000),
    "orphan": (1_000, 0),
}


def expected_groups(made, key_of) -> dict[str, tuple[int, int, int]]:
    groups: dict[str, tuple[int, int, int]] = {}
    for name, (plan, disbursed) in ROWS.items():
        key = key_of(getattr(made, name))
        p, d, n = groups.get(key, (0, 0, 0))
        groups[key] = (p + plan * M, d + disbursed * M, n + 1)
    return groups


def got(month, dimension) -> dict[str, tuple[int, int, int]]:
    return {g.key: (g.plan, g.disbursed, g.projects) for g in month.by(dimension)}


def test_each_project_against_the_plan_in_force_and_the_pace():
    made = disbursement_world.make()
    june = rates.month_rates(made.who.finance, 2025, 6)
    assert june.expected == Decimal(45)
    by_code = {r.project.code: r for r in june.projects}
    assert set(by_code) == {"DL-GT-01", "DL-GD-02", "DL-GT-03", "DL-VH-04"}
    road = by_code["DL-GT-01"]
    assert (road.plan, road.disbursed, road.share) == (10_000 * M, 3_000 * M, Decimal("30.00"))
    assert road.behind and not by_code["DL-GD-02"].behind
    # furthest behind first
    assert [r.project.code for r in june.behind] == ["DL-VH-04", "DL-GT-03", "DL-GT-01"]
    # March: the road reached the 20 % expected exactly, so it is not behind
    march = {r.project.code: r for r in rates.month_rates(made.who.finance, 2025, 3).projects}
    assert march["DL-GT-01"].share == Decimal(20) and not march["DL-GT-01"].behind


def test_the_sums_by_every_dimension_and_the_total():
    made = disbursement_world.make()
    june = rates.month_rates(made.who.finance, 2025, 6)

    def investor(p: Project) -> str:
        return str(p.investor_id) if p.investor_id else rates.NONE_KEY

    def commune(p: Project) -> str:
        if p.investor is None:
            return rates.NONE_KEY
        return str(p.investor.unit_id) if p.investor.unit.tier == "commune" else "province"

    def location(p: Project) -> str:
        return str(p.location_id)

    def level(p: Project) -> str:
        if p.investor is None:
            return rates.NONE_KEY
        return "commune" if p.investor.unit.tier == "commune" else "province"

    assert got(june, rates.INVESTOR) == expected_groups(made, investor)
    assert got(june, rates.COMMUNE) == expected_groups(made, commune)
    assert got(june, rates.LOCATION) == expected_groups(made, location)
    assert got(june, rates.FIELD) == expected_groups(made, lambda p: p.field)
    assert got(june, rates.LEVEL) == expected_groups(made, level)
    assert got(june, rates.PROJECT) == expected_groups(made, lambda p: str(p.pk))
    total = june.total
    assert (total.plan, total.disbursed, total.projects) == (28_000 * M, 8_500 * M, 4)
    assert total.share == Decimal("30.36")  # 8,500 / 28,000
    assert total.behind
    # the groups are labelled plainly: the province's investors together, the orphan apart
    with translation.override("en"):
        communes = june.by(rates.COMMUNE)
    labels = {g.key: g.label for g in communes}
    assert labels["province"] == "The province (provincial investors)"
    assert labels[rates.NONE_KEY] == "No investor yet"
    assert communes[0].key == "province"
    assert communes[1].label == "xã Bạch Hà"  # then the communes in Vietnamese order


def test_the_plan_in_force_is_the_one_at_the_months_end():
    made = disbursement_world.make()
    LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.road,
        source=Source.CENTRAL,
        level=Level.DISTRICT,
        amount=-1_000 * M,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        decision_number="99/QĐ-UBND",
        decision_date=dt.date(2025, 7, 3),
        reason="Điều chỉnh giảm",
        recorded_by=made.who.finance,
    )
    road_in = lambda month: next(  # noqa: E731
        r
        for r in rates.month_rates(made.who.finance, 2025, month).projects
        if r.project == made.road
    )
    assert road_in(6).plan == 10_000 * M
    assert road_in(7).plan == 9_000 * M
    curve = rates.year_curve(2025, 7, Project.objects.filter(pk=made.road.pk))
    assert curve.plan[5:7] == [10_000 * M, 9_000 * M]
    assert curve.disbursed[:7] == [
        500 * M,
        500 * M,
        2_000 * M,
        2_000 * M,
        3_000 * M,
        3_000 * M,
        3_000 * M,
    ]
    assert curve.disbursed[7:] == [None] * 5
    # the pace in đồng: 45 % of June's plan, nothing expected where no pace is set
    assert curve.expected[5] == 4_500 * M and curve.expected[6] is None


def test_an_investor_sees_only_its_own_projects():
    made = disbursement_world.make()
    june = rates.month_rates(made.who.do_luong, 2025, 6)
    assert [r.project.code for r in june.projects] == ["DL-GT-01"]
    assert (june.total.plan, june.total.disbursed) == (10_000 * M, 3_000 * M)
    assert rates.month_rates(made.who.van_hien, 2025, 6).projects == ()


def test_no_pace_set_judges_no_project_and_no_plan_measures_nothing():
    made = disbursement_world.make()
    may = rates.month_rates(made.who.finance, 2025, 5)
    assert may.expected is None and may.behind == []
    assert rates.month_rates(made.who.finance, 2031, 5).projects == ()


def test_rate_for_a_commune_and_for_the_province():
    made = disbursement_world.make()
    do_luong = made.road.investor.unit_id
    assert rates.rate_for(do_luong, 2025, 6) == Decimal("30.00")
    assert rates.rate_for(None, 2025, 6) == Decimal("30.36")
    van_hien = world.unit(world.VAN_HIEN).pk  # invests in nothing
    assert rates.rate_for(van_hien, 2025, 6) is None


def test_the_month_a_page_shows_first():
    assert rates.reported_month(dt.date(2026, 12, 7), [2026, 2025]) == (2026, 11)
    assert rates.reported_month(dt.date(2026, 1, 20), [2026, 2025]) == (2026, 1)
    assert rates.reported_month(dt.date(2027, 3, 1), [2026, 2025]) == (2026, 12)


def _more_projects(made, first: int, count: int) -> None:
    """``count`` more projects, invested in by a commune or by a department in turn, each
    allocated and disbursing in two months."""
    for number in range(first, first + count):
        investor = made.road.investor if number % 2 else made.bridge.investor
        project = Project.objects.create(
            code=f"N-{number:03d}",
            name=f"Dự án {number}",
            field="transport" if number % 3 else "education",
            location=made.school.location,
            investor=investor,
            total_investment=1_000 * M,
        )
        LedgerEntry.objects.create(
            plan=made.plans.y2025,
            project=project,
            source=Source.PROVINCIAL,
            level=Level.PROVINCE,
            amount=500 * M,
            kind=LedgerEntry.Kind.ALLOCATION,
            decision_number="1/QĐ",
            decision_date=world.ALLOCATED,
            reason="Giao vốn",
            recorded_by=made.who.finance,
        )
        for month in (2, 5):
            Disbursement.objects.create(
                project=project, year=2025, month=month, amount=10 * M, entered_by=made.who.finance
            )


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        june = rates.month_rates(user, 2025, 6)
        for dimension in rates.DIMENSIONS:
            june.by(dimension)
        june.total, june.behind  # noqa: B018
        rates.year_curve(2025, 6, Project.objects.restrict(user))
    return len(captured.captured_queries)


def test_a_fixed_number_of_queries_for_3_and_for_30_projects():
    made = disbursement_world.make()
    finance = made.who.finance
    _more_projects(made, 0, 3)
    _queries(finance)  # the user's scope is read once, then kept
    few = _queries(finance)
    _more_projects(made, 3, 27)
    many = _queries(finance)
    assert len(rates.month_rates(finance, 2025, 6).projects) == 4 + 30
    assert few == many
