"""The disbursement rate a directive's target can be bound to: a commune's (the projects it
invests in) or the province's share of the year's annual plan disbursed, through the last month
over within the period, read live by a directive's target."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.budget.measures import DISBURSEMENT_RATE
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Comparison, Unit, measures
from haicap.oversight.directive_forms import DirectiveForm
from haicap.oversight.models import Finding
from haicap.units.models import AdministrativeUnit, Agency
from tests.budget import open_data_world
from tests.budget.world import BACH_HA, DO_LUONG, VAN_HIEN, unit

pytestmark = pytest.mark.django_db
THIRD_QUARTER = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def on(month: int, day: int, year: int = 2025):
    return clock.fixed_at(dt.datetime(year, month, day, 9, tzinfo=VIETNAM))


@pytest.fixture
def made(db):
    return open_data_world.make()


def rate(code: str | None, period=THIRD_QUARTER) -> Decimal | None:
    return DISBURSEMENT_RATE.value(unit(code).pk if code else None, None, *period)


def test_the_measure_is_registered_with_a_stable_key_and_offered_to_a_target():
    assert measures.get("budget.disbursement_rate") is DISBURSEMENT_RATE
    assert (DISBURSEMENT_RATE.unit, DISBURSEMENT_RATE.higher_is_better) == (Unit.PERCENT, True)
    form = DirectiveForm(
        agencies=Agency.objects.none(),
        findings=Finding.objects.none(),
        communes=AdministrativeUnit.objects.none(),
    )
    assert "budget.disbursement_rate" in {key for key, _label in form.fields["measure"].choices}
    # read by no field, within one calendar year: the form's hint leaves it out of the
    # measures read by field
    assert (DISBURSEMENT_RATE.reads_field, DISBURSEMENT_RATE.within_one_year) == (False, True)
    assert str(DISBURSEMENT_RATE.label) not in str(form.fields["target_field"].help_text)
    online = measures.get("kpi.online_intake_rate")
    assert online.reads_field and str(online.label) in str(form.fields["target_field"].help_text)


def test_a_communes_rate_and_the_provinces_through_the_last_month_over(made):
    with on(10, 5):
        assert rate(DO_LUONG) == Decimal("10.00")  # 1,000 of 10,000 million by September
        assert rate(BACH_HA) == Decimal("30.00")  # 1,500 of 5,000 million
        # every project: 5,500 of 28,000 million (the bridge's and the orphan's too)
        assert rate(None) == Decimal("19.64")


def test_while_the_period_runs_the_rate_reads_through_the_last_month_over(made):
    with on(8, 20):
        assert rate(DO_LUONG) == Decimal("4.00")  # through July: 100 + 250 + 50 million
    with on(9, 30):
        assert rate(DO_LUONG) == Decimal("10.00")  # through August: 30 September not over


def test_nothing_to_measure(made):
    with on(10, 5):
        assert (
            rate(DO_LUONG, (dt.date(2025, 10, 1), dt.date(2025, 12, 31))) is None
        )  # no month over
        assert rate(VAN_HIEN) is None  # it invests in nothing
        assert (
            DISBURSEMENT_RATE.value(unit("40").pk, None, *THIRD_QUARTER) is None
        )  # the province's unit
    with on(3, 5, year=2032):
        assert rate(DO_LUONG, (dt.date(2031, 1, 1), dt.date(2031, 12, 31))) is None  # no 2031 plan


def test_a_field_named_by_the_target_is_ignored(made):
    with on(10, 5):
        commune = unit(BACH_HA).pk
        assert DISBURSEMENT_RATE.value(commune, "DATDAI", *YEAR) == rate(BACH_HA, YEAR)


def test_a_directive_target_bound_to_it_reads_the_rate_live(made):
    from haicap.oversight import selectors, services
    from tests.oversight.conftest import FINANCE, agency, group_spec, staff

    secretary = staff("thuky.vpubnd", "000.01.00.H40")
    with on(9, 2):
        group = services.save_group(secretary, group_spec())
        inspection = services.plan_inspection(
            secretary, group, held_on=dt.date(2025, 9, 10), communes=[unit(BACH_HA)]
        )
    with on(9, 10):
        services.start_inspection(secretary, inspection)
    with on(9, 12):
        services.conclude_inspection(
            secretary,
            inspection,
            number="210/TB-UBND",
            date=dt.date(2025, 9, 12),
            summary="Kết luận kiểm tra giải ngân vốn đầu tư công",
            text="Xã Bạch Hà giải ngân chậm.",
        )
        inspection.refresh_from_db()
        directive = services.issue_directive(
            secretary,
            inspection,
            services.DirectiveSpec(
                title="Đẩy nhanh giải ngân vốn đầu tư công",
                lead_agency=agency(f"{BACH_HA}.01.H40"),
                supporting_agencies=[agency(FINANCE)],
                deadline=dt.date(2025, 12, 31),
                target=services.TargetSpec(
                    measure_key="budget.disbursement_rate",
                    unit=unit(BACH_HA),
                    period_start=dt.date(2025, 1, 1),
                    period_end=dt.date(2025, 12, 31),
                    comparison=Comparison.AT_LEAST,
                    threshold=Decimal(60),
                ),
            ),
        )
    with on(10, 5):
        reading = selectors.read_target(directive.target)
        assert (reading.value, reading.met) == (Decimal("30.00"), False)
    open_data_world.disburse(made, {"school": {10: 1_500}})  # 3,000 of 5,000 million
    with on(10, 31):
        assert selectors.read_target(directive.target).value == Decimal("30.00")  # October runs
    with on(11, 1):
        reading = selectors.read_target(directive.target)
        assert (reading.value, reading.met) == (Decimal("60.00"), True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"field": "DATDAI"}, "không tính theo lĩnh vực"),
        (
            {"period_start": dt.date(2025, 7, 1), "period_end": dt.date(2026, 6, 30)},
            "cùng một năm",
        ),
    ],
)
def test_a_target_with_a_field_or_across_years_is_refused(made, changes, message):
    from haicap.catalog.models import Field
    from haicap.core.errors import InvalidInput
    from haicap.oversight import services
    from haicap.oversight.models import Directive
    from tests.oversight.conftest import agency, group_spec, staff

    secretary = staff("thuky.vpubnd", "000.01.00.H40")
    with on(9, 2):
        group = services.save_group(secretary, group_spec())
        inspection = services.plan_inspection(
            secretary, group, held_on=dt.date(2025, 9, 10), communes=[unit(BACH_HA)]
        )
    with on(9, 10):
        services.start_inspection(secretary, inspection)
    with on(9, 12):
        services.conclude_inspection(
            secretary,
            inspection,
            number="210/TB-UBND",
            date=dt.date(2025, 9, 12),
            summary="Kết luận kiểm tra giải ngân vốn đầu tư công",
            text="Xã Bạch Hà giải ngân chậm.",
        )
        inspection.refresh_from_db()
        if "field" in changes:
            changes = changes | {"field": Field.objects.get(code=changes["field"])}
        target = {
            "measure_key": "budget.disbursement_rate",
            "unit": unit(BACH_HA),
            "period_start": dt.date(2025, 1, 1),
            "period_end": dt.date(2025, 12, 31),
            "comparison": Comparison.AT_LEAST,
            "threshold": Decimal(60),
        } | changes
        with pytest.raises(InvalidInput, match=message):
            services.issue_directive(
                secretary,
                inspection,
                services.DirectiveSpec(
                    title="Đẩy nhanh giải ngân vốn đầu tư công",
                    lead_agency=agency(f"{BACH_HA}.01.H40"),
                    deadline=dt.date(2025, 12, 31),
                    target=services.TargetSpec(**target),
                ),
            )
    assert not Directive.objects.filter(title="Đẩy nhanh giải ngân vốn đầu tư công").exists()
