"""A small world of staff for the shortage tests, worked out by hand, on 1 April 2026.

The workload window is the 90 days from 1 January to 31 March 2026. Norms: land (DATDAI) by
workload, 1 officer per 2 dossiers a month, at least 1; IT (CNTT) a fixed 1 for every commune,
2 for xã Bạch Hà; xã Bạch Ngọc a fixed 4 land officers; health (YTE) has no norm at all.

    commune      field   dossiers  own  in  out  officers  norm  gap          why
    Đô Lương     DATDAI  12 (9 ov.) 2    0   1    1         2     1            seconded out
    Đô Lương     CNTT    -          2    0   0    2         1     0 (+1)       surplus
    Bạch Hà      DATDAI  0          0    1   0    1         1     0            covered
    Bạch Hà      CNTT    -          0    0   0    0         2     2            no officer
    Bạch Ngọc    DATDAI  0          1    0   0    1         4     3            fixed
    Bạch Ngọc    CNTT    -          0    1   0    1         1     0            covered
    Văn Hiến     DATDAI  0          0    0   0    0         1     1            no officer
    Văn Hiến     CNTT    -          0    0   0    0         1     1            no officer

Đô Lương's 12 land dossiers of the window make 12 × 30 / 90 = 4.0 a month, so 2 officers; the
9 received on 2 March (due in 7 working days) are overdue on 31 March, the 3 of 30 March not.
Every other commune of the province has the "every commune" norms and no officer: land 1 (the
minimum), IT 1, both short by 1.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch, reverse

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.roles import Role
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    Secondment,
    SecondmentPlan,
    StaffField,
)
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON = (
    "17662",
    "17623",
    "17677",
    "17707",
    "17689",
    "17641",
)
HOME_AFFAIRS = "000.03.00.H40"
ON = dt.date(2026, 4, 1)
LAND_PROCEDURE = "X.DD.004"  # 7 working days, handled by the commune's Economic Office


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VIETNAM)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def officer(number: str, name: str, agency_code: str, field: StaffField) -> Officer:
    post, _made = Position.objects.get_or_create(
        agency=agency(agency_code), field=field, grade="Chuyên viên", defaults={"approved": 5}
    )
    found = Officer.objects.create(
        staff_number=number,
        full_name=name,
        agency=post.agency,
        position=post,
        grade="Chuyên viên",
        experience_years=6,
        in_post_since=dt.date(2020, 3, 1),
        citizen_id="040190001234",
        phone="0912345678",
    )
    found.qualifications.add(field)
    return found


def receive_land_dossiers() -> None:
    """Đô Lương's 12 land dossiers: 9 on 2 March, 3 on 30 March, none decided."""
    from tests.dossiers.test_scenarios import receive

    def user(username: str) -> User:
        return User.objects.get(username=username)

    for when, count in ((at(3, 2), 9), (at(3, 30), 3)):
        for _ in range(count):
            receive(user, when, LAND_PROCEDURE, desk=f"{DO_LUONG}.05.H40")


def build_world() -> SimpleNamespace:
    # get_or_create: another world of the page-reading test may hold the same reference data
    land, _made = StaffField.objects.get_or_create(
        code="DATDAI",
        defaults={
            "name": "Đất đai",
            "catalog_field": Field.objects.get(code="DATDAI"),
            "weight": 3,
            "host_agency_kind": AgencyKind.ECONOMIC_OFFICE,
        },
    )
    it, _made = StaffField.objects.get_or_create(
        code="CNTT", defaults={"name": "Công nghệ thông tin", "weight": 1}
    )
    health, _made = StaffField.objects.get_or_create(
        code="YTE", defaults={"name": "Y tế", "catalog_field": Field.objects.get(code="YTE")}
    )
    for field, unit, rule in (
        (land, None, {"basis": "workload", "dossiers_per_officer_month": 2, "minimum": 1}),
        (land, commune(BACH_NGOC), {"basis": "fixed", "count": 4}),
        (it, None, {"basis": "fixed", "count": 1}),
        (it, commune(BACH_HA), {"basis": "fixed", "count": 2}),
    ):
        NormRule.objects.get_or_create(field=field, unit=unit, agency=None, defaults=rule)
    AgencyDuty.objects.get_or_create(agency=agency(HOME_AFFAIRS), duty=Duty.STAFFING)
    authority = staff("chuyenvien.sonoivu", HOME_AFFAIRS)

    an = officer("GAP-001", "Nguyễn Văn An", f"{DO_LUONG}.03.H40", land)
    binh = officer("GAP-002", "Trần Văn Bình", f"{DO_LUONG}.03.H40", land)
    cuc = officer("GAP-003", "Lê Thị Cúc", f"{DO_LUONG}.01.H40", it)
    dung = officer("GAP-004", "Phạm Văn Dũng", f"{DO_LUONG}.01.H40", it)
    giang = officer("GAP-005", "Hồ Thị Giang", f"{BACH_NGOC}.03.H40", land)
    hung = officer("GAP-006", "Đặng Văn Hùng", HOME_AFFAIRS, it)
    khoa = officer("GAP-007", "Võ Văn Khoa", f"{VAN_HIEN}.03.H40", health)

    def plan(status: str) -> SecondmentPlan:
        return SecondmentPlan.objects.create(
            title="Phương án biệt phái quý II",
            status=status,
            max_travel_minutes=60,
            max_per_agency=2,
            months=6,
            starts_on=dt.date(2026, 3, 15),
            created_by=authority,
        )

    approved, draft = plan(SecondmentPlan.Status.APPROVED), plan(SecondmentPlan.Status.DRAFT)

    def second(plan, who, to_code, field, start, end, number="") -> Secondment:
        return Secondment.objects.create(
            plan=plan,
            officer=who,
            from_agency=who.agency,
            to_agency=agency(to_code),
            field=field,
            start_date=start,
            end_date=end,
            decision_number=number,
        )

    binh_to_bach_ha = second(
        approved,
        binh,
        f"{BACH_HA}.03.H40",
        land,
        dt.date(2026, 3, 15),
        dt.date(2026, 9, 14),
        "125/QĐ-UBND",
    )
    hung_to_bach_ngoc = second(
        approved,
        hung,
        f"{BACH_NGOC}.01.H40",
        it,
        dt.date(2026, 3, 20),
        dt.date(2026, 6, 30),
        "126/QĐ-UBND",
    )
    # a secondment that has ended and one only proposed: neither counts on 1 April
    second(approved, giang, f"{VAN_HIEN}.03.H40", land, dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    second(draft, an, f"{VAN_HIEN}.03.H40", land, dt.date(2026, 3, 15), dt.date(2026, 9, 14))
    return SimpleNamespace(
        land=land,
        it=it,
        health=health,
        authority=authority,
        officers=SimpleNamespace(
            an=an, binh=binh, cuc=cuc, dung=dung, giang=giang, hung=hung, khoa=khoa
        ),
        binh_to_bach_ha=binh_to_bach_ha,
        hung_to_bach_ngoc=hung_to_bach_ngoc,
        communes=SimpleNamespace(
            do_luong=commune(DO_LUONG),
            bach_ha=commune(BACH_HA),
            bach_ngoc=commune(BACH_NGOC),
            van_hien=commune(VAN_HIEN),
        ),
    )


@pytest.fixture
def staff_world(db) -> SimpleNamespace:
    """The staff of the table above (no dossiers: every workload is 0)."""
    return build_world()


@pytest.fixture
def world(staff_world) -> SimpleNamespace:
    """The staff and Đô Lương's 12 land dossiers, read on 1 April 2026."""
    receive_land_dossiers()
    with clock.fixed_at(at(4, 1)):
        yield staff_world


@pytest.fixture
def on_the_day(staff_world) -> SimpleNamespace:
    """The staff alone (no dossiers), read on 1 April 2026."""
    with clock.fixed_at(at(4, 1)):
        yield staff_world


@pytest.fixture
def officer_pages(settings) -> None:
    """The officer's page resolves: the real one, or else a stand-in at its address."""
    try:
        reverse("desk:staffing:officer", kwargs={"officer_id": 1})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.staffing.officer_page_urls"
