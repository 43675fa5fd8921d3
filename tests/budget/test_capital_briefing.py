"""The briefing pack's capital section: each visited commune's projects with the plan in force
and what they disbursed, the capital moved to it from the abolished district, and its rate
against the province's, from a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.budget.briefing_sections import CAPITAL, build_capital
from haicap.budget.models import LedgerEntry, Level, Project, Source
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.briefing import Period, pack_sections
from tests.budget import open_data_world, world
from tests.budget.world import BACH_HA, DO_LUONG, MILLION, VAN_HIEN, unit

pytestmark = pytest.mark.django_db
NINE_MONTHS = Period(dt.date(2025, 1, 1), dt.date(2025, 9, 30))
ON = dt.datetime(2025, 10, 5, 9, tzinfo=VIETNAM)
BACH_NGOC, THUAN_TRUNG, LUONG_SON = "17623", "17689", "17641"


@pytest.fixture
def made(db):
    with clock.fixed_at(ON):
        yield open_data_world.make()


def tables_of(code: str, built) -> tuple:
    return built[unit(code).pk]


def built_for(*codes: str, period: Period = NINE_MONTHS, language: str = "en"):
    with translation.override(language):
        return build_capital(None, tuple(unit(c).pk for c in codes), period)


def test_the_section_is_in_the_pack():
    assert CAPITAL in pack_sections.sections()
    assert CAPITAL.key == "budget.capital"


def test_each_commune_has_the_projects_it_invests_in_with_plan_and_disbursement(made):
    built = built_for(DO_LUONG, BACH_HA)
    projects, _moved, _rate = tables_of(DO_LUONG, built)
    assert projects.title == "Projects it invests in, 2025 plan"
    assert projects.header == (
        "Project code",
        "Project",
        "Field",
        "Plan in force at the end of month 09/2025 (VND)",
        "Disbursed through 09/2025 (VND)",
        "Share disbursed (%)",
    )
    # 100 + 250 + 50 + 600 million of 10,000 million through September
    assert projects.rows == (
        (
            "DL-GT-01",
            "Đường giao thông liên xã Đô Lương – Bạch Ngọc",
            "Transport",
            10_000 * MILLION,
            1_000 * MILLION,
            Decimal("10.00"),
        ),
    )
    school = tables_of(BACH_HA, built)[0].rows
    assert school == (
        (
            "DL-GD-02",
            "Trường tiểu học Bạch Hà",
            "Education and training",
            5_000 * MILLION,
            1_500 * MILLION,
            Decimal("30.00"),
        ),
    )


def test_the_capital_moved_to_it_is_the_approved_transfer_per_project_and_in_total(made):
    _projects, moved, _rate = tables_of(DO_LUONG, built_for(DO_LUONG))
    assert moved.header == ("Project code", "Project", "Capital plan", "Amount moved (VND)")
    road = "Đường giao thông liên xã Đô Lương – Bạch Ngọc"
    # the district budget's 8,000 million and the central support's 2,000 million
    assert moved.rows == (
        ("DL-GT-01", road, "Kế hoạch năm 2025", 10_000 * MILLION),
        ("", "Total", "Kế hoạch năm 2025", 10_000 * MILLION),
    )


def test_a_reversed_transfer_is_no_longer_counted_as_moved(made):
    plus = LedgerEntry.objects.get(
        project=made.road, kind="transfer", level=Level.COMMUNE, source=Source.CENTRAL
    )
    LedgerEntry.objects.create(
        plan=plus.plan,
        project=made.road,
        source=plus.source,
        level=plus.level,
        amount=-plus.amount,
        kind=LedgerEntry.Kind.REVERSAL,
        reverses=plus,
        decision_number="2210/QĐ-UBND",
        decision_date=dt.date(2025, 8, 20),
        reason="Đảo bút toán chuyển nhầm",
        recorded_by=made.who.finance_leader,
    )
    moved = tables_of(DO_LUONG, built_for(DO_LUONG))[1]
    assert [row[-1] for row in moved.rows] == [8_000 * MILLION, 8_000 * MILLION]


def test_the_rate_stands_against_the_provinces(made):
    with translation.override("vi"):
        rate = tables_of(DO_LUONG, built_for(DO_LUONG, language="vi"))[2]
    assert rate.title == "Tỷ lệ giải ngân đến hết tháng 09/2025, so với toàn tỉnh"
    assert rate.header[1] == "Kế hoạch vốn còn hiệu lực đến cuối tháng 09/2025 (đồng)"
    # the province: 28,000 million planned, 1,000 + 1,500 + 3,000 million disbursed
    assert rate.rows == (
        ("xã Đô Lương", 10_000 * MILLION, 1_000 * MILLION, Decimal("10.00")),
        ("tỉnh Nghệ An", 28_000 * MILLION, 5_500 * MILLION, Decimal("19.64")),
    )


def test_the_pack_reads_as_it_stood_on_its_last_day(made):
    """A pack ending in July: the transfer of 15 August is not there yet, and the figures run
    through July."""
    built = built_for(DO_LUONG, period=Period(dt.date(2025, 1, 1), dt.date(2025, 7, 31)))
    projects, moved, rate = tables_of(DO_LUONG, built)
    assert projects.rows[0][3:] == (10_000 * MILLION, 400 * MILLION, Decimal("4.00"))
    assert moved.rows == ()
    assert rate.title == "Disbursement rate through 07/2025, against the province's"


def test_before_a_month_of_the_year_is_over_nothing_is_disbursed_yet(made):
    with clock.fixed_at(dt.datetime(2026, 1, 20, 9, tzinfo=VIETNAM)):
        built = built_for(DO_LUONG, period=Period(dt.date(2026, 1, 1), dt.date(2026, 1, 19)))
    projects, _moved, rate = tables_of(DO_LUONG, built)
    assert projects.title == "Projects it invests in, 2026 plan"
    assert projects.header[4] == "Disbursed (VND)"
    assert projects.rows[0][3:] == (0, None, None)  # nothing allocated in 2026 yet
    assert rate.title == "Disbursement rate against the province's: no month is over yet"


def test_a_commune_that_invests_in_nothing_is_left_out(made):
    # the orphan is built in Văn Hiến, but Văn Hiến is not its investor
    assert set(built_for(DO_LUONG, VAN_HIEN)) == {unit(DO_LUONG).pk}


def test_the_queries_do_not_grow_with_the_communes(made):
    for code in (BACH_NGOC, THUAN_TRUNG, LUONG_SON, VAN_HIEN):
        project = Project.objects.create(
            code=f"X-{code}",
            name=f"Dự án của xã {code}",
            field="health",
            investor=world.agency(f"{code}.01.H40"),
            total_investment=MILLION,
        )
        LedgerEntry.objects.create(
            plan=made.plans.y2025,
            project=project,
            source=Source.COMMUNE,
            level=Level.COMMUNE,
            amount=MILLION,
            kind=LedgerEntry.Kind.ALLOCATION,
            decision_number="1/QĐ-UBND",
            decision_date=world.ALLOCATED,
            reason="Giao vốn",
            recorded_by=made.who.finance,
        )
    one = (DO_LUONG,)
    six = (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)
    counted = []
    for codes in (one, six):
        ids = tuple(unit(c).pk for c in codes)
        with CaptureQueriesContext(connection) as queries:
            built = build_capital(None, ids, NINE_MONTHS)
        counted.append(len(queries))
    assert len(built) == 6
    assert counted[0] == counted[1], counted


def test_an_inspections_pack_shows_the_capital_of_the_communes_visited(made):
    from haicap.oversight import services
    from haicap.oversight.pack_files import pack_document, pack_workbook, printed
    from haicap.oversight.selectors import briefing_pack
    from tests.oversight.conftest import group_spec, staff

    secretary = staff("thuky.vpubnd", "000.01.00.H40")
    with clock.fixed_at(dt.datetime(2025, 9, 20, 9, tzinfo=VIETNAM)):
        group = services.save_group(secretary, group_spec())
        visit = services.plan_inspection(
            secretary, group, held_on=dt.date(2025, 10, 1), communes=[unit(DO_LUONG), unit(BACH_HA)]
        )
    with translation.override("vi"):
        pack = briefing_pack(secretary, visit)
        sheet = pack_workbook(pack)["xã Bạch Hà"]
        document = pack_document(pack)
    by_commune = {c.commune.code: {p.section.key: p.tables for p in c.parts} for c in pack.communes}
    projects, _moved, rate = by_commune[BACH_HA]["budget.capital"]
    assert projects.rows[0][0] == "DL-GD-02"
    assert rate.rows[0][-1] == Decimal("30.00")
    values = [c.value for row in sheet.iter_rows() for c in row if c.value not in (None, "")]
    assert "Vốn đầu tư công" in values  # the section's title
    school = values.index("DL-GD-02")
    assert values[school + 1 : school + 6] == [
        "Trường tiểu học Bạch Hà",
        "Giáo dục và đào tạo",
        5_000 * MILLION,
        1_500 * MILLION,
        30.0,
    ]
    # every capital share with its two decimals, alike in the page, the PDF and the sheet
    with translation.override("vi"):
        commune_share, province_share = (printed(row[-1]) for row in rate.rows)
        assert commune_share == "30,00" and re.fullmatch(r"[0-9]+,[0-9]{2}", province_share)
        assert printed(projects.rows[0][-1]) == "30,00"
    printed_rows = [row for block in document.blocks for row in block.rows]
    assert ["xã Bạch Hà", "5.000.000.000", "1.500.000.000", "30,00"] in printed_rows
    shares = [c for row in sheet.iter_rows() for c in row if c.value == 30.0]
    assert shares and all(c.number_format == "#,##0.00" for c in shares)
