"""A small province picture for the plan tests, built by hand.

Land (DATDAI, weight 2) has a norm set commune by commune:

- xã Đô Lương: norm 2, three land officers (10, 5 and 2 years' experience): one to spare;
- xã Bạch Hà: norm 2, none: short by two;
- xã Văn Hiến: norm 1, one: covered, nobody to spare;
- the Department of Agriculture and Environment keeps 2 (a rule names it) and has four, one
  of them seconded to xã Đại Đồng by an approved plan all year: one to spare;
- the Department of Finance has a land officer and no rule: it gives nobody.

Travel: Đô Lương–Bạch Hà 25 minutes, Văn Hiến–Bạch Hà 30, the province's seat–Bạch Hà 70,
the seat–Đô Lương 60. The Department of Home Affairs administers staffing.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core.roles import Role
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    Secondment,
    SecondmentPlan,
    StaffField,
)
from haicap.units.kinds import AgencyKind, Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, TravelTime

HOME_AFFAIRS = "000.03.00.H40"
FINANCE = "000.04.00.H40"
AGRICULTURE = "000.07.00.H40"
DO_LUONG, BACH_HA, VAN_HIEN, DAI_DONG = "17662", "17707", "17677", "17713"
START = dt.date(2026, 5, 1)
BEFORE_START = dt.datetime(2026, 4, 20, 9, tzinfo=VIETNAM)


def in_english() -> translation.override:
    """The tests read the services' refusals in English (the site's default is Vietnamese)."""
    return translation.override("en")


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def province() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tier=Tier.PROVINCE, valid_to=None)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def officer(
    number: str, name: str, agency_code: str, field: StaffField, years: int = 5, **qualified
) -> Officer:
    position, _made = Position.objects.get_or_create(
        agency=agency(agency_code), field=field, grade="Chuyên viên", defaults={"approved": 5}
    )
    made = Officer.objects.create(
        staff_number=number,
        full_name=name,
        agency=position.agency,
        position=position,
        grade="Chuyên viên",
        experience_years=years,
        in_post_since=dt.date(2020, 1, 1),
    )
    made.qualifications.set(qualified.get("fields", [field]))
    return made


def travel(one: AdministrativeUnit, other: AdministrativeUnit, minutes: int) -> None:
    first, second = sorted([one, other], key=lambda u: u.pk)
    TravelTime.objects.update_or_create(one=first, other=second, defaults={"minutes": minutes})


def plan_world() -> SimpleNamespace:
    AgencyDuty.objects.get_or_create(agency=agency(HOME_AFFAIRS), duty=Duty.STAFFING)
    # (update_or_create: another page world read in the same test may hold these rows too)
    land, _made = StaffField.objects.update_or_create(
        code="DATDAI",
        defaults={
            "name": "Đất đai",
            "catalog_field": Field.objects.get(code="DATDAI"),
            "weight": 2,
            "host_agency_kind": AgencyKind.ECONOMIC_OFFICE,
        },
    )
    health, _made = StaffField.objects.update_or_create(
        code="YTE",
        defaults={
            "name": "Y tế",
            "catalog_field": Field.objects.get(code="YTE"),
            "host_agency_kind": AgencyKind.CULTURE_SOCIAL_OFFICE,
        },
    )
    for code, count in ((DO_LUONG, 2), (BACH_HA, 2), (VAN_HIEN, 1)):
        NormRule.objects.update_or_create(
            field=land, unit=commune(code), agency=None, defaults={"basis": "fixed", "count": count}
        )
    NormRule.objects.update_or_create(
        field=land, unit=None, agency=agency(AGRICULTURE), defaults={"basis": "fixed", "count": 2}
    )
    do_luong = [
        officer("DL-1", "Nguyễn Văn An", f"{DO_LUONG}.03.H40", land, years=10),
        officer("DL-2", "Trần Văn Bình", f"{DO_LUONG}.03.H40", land, years=5),
        officer("DL-3", "Lê Thị Cúc", f"{DO_LUONG}.01.H40", land, years=2),
    ]
    van_hien = officer("VH-1", "Phạm Văn Dũng", f"{VAN_HIEN}.03.H40", land, years=8)
    department = [
        officer(f"NN-{n}", name, AGRICULTURE, land, years=years)
        for n, (name, years) in enumerate(
            [
                ("Hoàng Văn Em", 20),
                ("Vũ Thị Giang", 12),
                ("Đỗ Văn Hải", 6),
                ("Bùi Thị Hoa", 3),
            ],
            start=1,
        )
    ]
    finance = officer("TC-1", "Ngô Văn Khánh", FINANCE, land, years=15)
    nurse = officer("YT-1", "Đinh Thị Lan", f"{DO_LUONG}.04.H40", health, years=4)
    # Hoàng Văn Em is seconded to xã Đại Đồng all year by an approved plan.
    earlier = SecondmentPlan.objects.create(
        title="Biệt phái năm 2026",
        status=SecondmentPlan.Status.APPROVED,
        max_travel_minutes=120,
        max_per_agency=3,
        months=12,
        starts_on=dt.date(2026, 1, 1),
    )
    seconded = Secondment.objects.create(
        plan=earlier,
        officer=department[0],
        from_agency=department[0].agency,
        to_agency=agency(f"{DAI_DONG}.03.H40"),
        field=land,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        decision_number="12/QĐ-SNV",
    )
    seat = province()
    travel(commune(DO_LUONG), commune(BACH_HA), 25)
    travel(commune(VAN_HIEN), commune(BACH_HA), 30)
    travel(seat, commune(BACH_HA), 70)
    travel(seat, commune(DO_LUONG), 60)
    return SimpleNamespace(
        land=land,
        health=health,
        do_luong=do_luong,
        van_hien=van_hien,
        department=department,
        finance=finance,
        nurse=nurse,
        earlier=earlier,
        seconded=seconded,
        arranger=staff("chuyenvien.sonoivu", HOME_AFFAIRS),
        leader=staff("giamdoc.sonoivu", HOME_AFFAIRS, Role.LEADER),
        supervisor=User.objects.get(username="giamsat"),
        commune_officer=User.objects.get(username="chuyenvien.doluong"),
        other_department=User.objects.get(username="chuyenvien.sotuphap"),
    )
