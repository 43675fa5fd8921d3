"""The capital tests' world: the Department of Finance charged with capital plans, its
specialist and leader, officers of two communes, the three plans (2021–2025, 2025, 2026) and four
projects of the former Đô Lương district with their 2025 allocation at the district level.

The demo province (its units, agencies and accounts) is loaded once per session by
``tests/conftest.py``; these rows are added in each test's rolled-back transaction."""

import datetime as dt
from types import SimpleNamespace

from django.test import Client

from haicap.accounts.models import Membership, User
from haicap.budget.models import Funding, LedgerEntry, Level, Plan, Project, Source
from haicap.core.roles import Role
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

FINANCE = "000.04.00.H40"
CONSTRUCTION = "000.08.00.H40"  # the Department of Construction: a provincial investor
DO_LUONG, BACH_HA, VAN_HIEN = "17662", "17707", "17677"
DO_LUONG_PPC, BACH_HA_PPC, VAN_HIEN_PPC = (f"{c}.01.H40" for c in (DO_LUONG, BACH_HA, VAN_HIEN))
ALLOCATED = dt.date(2025, 1, 10)
CODES = {
    "road": "DL-GT-01",
    "school": "DL-GD-02",
    "bridge": "DL-GT-03",
    "orphan": "DL-VH-04",
}  # the 2025 plan's decision
MILLION = 1_000_000


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def do_luong_district() -> AdministrativeUnit:
    """The abolished Đô Lương district, whose budget allocated the projects' 2025 capital."""
    return AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")


def staff(username: str, agency_code: str, role: Role) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def signed_in(user: User, language: str = "en") -> Client:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def people() -> SimpleNamespace:
    AgencyDuty.objects.get_or_create(agency=agency(FINANCE), duty=Duty.CAPITAL)
    return SimpleNamespace(
        finance=staff("chuyenvien.vondautu", FINANCE, Role.SPECIALIST),
        finance_leader=staff("lanhdao.vondautu", FINANCE, Role.LEADER),
        supervisor=User.objects.get(username="giamsat"),
        admin=User.objects.get(username="admin"),
        do_luong=User.objects.get(username="chuyenvien.doluong"),  # Economic Office
        do_luong_leader=User.objects.get(username="lanhdao.doluong"),
        bach_ha=staff("quantri.bachha.von", BACH_HA_PPC, Role.AGENCY_ADMIN),
        van_hien=User.objects.get(username="tiepnhan.vanhien"),  # an intake officer: reads only
    )


def plans() -> SimpleNamespace:
    def plan(code: str, name: str, kind: str, first: int, last: int) -> Plan:
        return Plan.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "first_year": first, "last_year": last},
        )[0]

    return SimpleNamespace(
        medium=plan("2021-2025", "Kế hoạch trung hạn 2021–2025", Plan.Kind.MEDIUM_TERM, 2021, 2025),
        y2025=plan("2025", "Kế hoạch năm 2025", Plan.Kind.ANNUAL, 2025, 2025),
        y2026=plan("2026", "Kế hoạch năm 2026", Plan.Kind.ANNUAL, 2026, 2026),
    )


def make() -> SimpleNamespace:
    """People, plans and four projects of the former Đô Lương district, each allocated in the
    2025 plan at the district level (entered by Finance's specialist):

    - ``road``: a road invested in now by xã Đô Lương, 8,000 million from the district budget
      and 2,000 million of central support;
    - ``school``: a school invested in now by xã Bạch Hà, 5,000 million district budget;
    - ``bridge``: a bridge now invested in by a provincial department, 12,000 million;
    - ``orphan``: a project whose investor is not decided yet, 1,000 million.
    """
    who = people()
    plan = plans()
    district = AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")
    if Project.objects.filter(code="DL-GT-01").exists():
        # made already in this transaction (the test reading every page builds several worlds
        # on this one): the same world, not a second copy of it
        found = {p.code: p for p in Project.objects.filter(code__in=CODES.values())}
        return SimpleNamespace(
            who=who, plans=plan, district=district, **{n: found[c] for n, c in CODES.items()}
        )

    def project(code, name, field, location, investor, total, allocations) -> Project:
        made = Project.objects.create(
            code=code,
            name=name,
            field=field,
            location=unit(location) if location else None,
            investor=agency(investor) if investor else None,
            former_investor="UBND huyện Đô Lương",
            former_district=district,
            total_investment=total,
        )
        for source, amount in allocations:
            Funding.objects.create(project=made, source=source, amount=amount * 2)
            LedgerEntry.objects.create(
                plan=plan.y2025,
                project=made,
                source=source,
                level=Level.DISTRICT,
                amount=amount,
                kind=LedgerEntry.Kind.ALLOCATION,
                decision_number="15/QĐ-UBND",
                decision_date=ALLOCATED,
                reason="Giao kế hoạch vốn năm 2025",
                recorded_by=who.finance,
            )
        return made

    road = project(
        "DL-GT-01",
        "Đường giao thông liên xã Đô Lương – Bạch Ngọc",
        "transport",
        DO_LUONG,
        DO_LUONG_PPC,
        20_000 * MILLION,
        [(Source.DISTRICT, 8_000 * MILLION), (Source.CENTRAL, 2_000 * MILLION)],
    )
    school = project(
        "DL-GD-02",
        "Trường tiểu học Bạch Hà",
        "education",
        BACH_HA,
        BACH_HA_PPC,
        10_000 * MILLION,
        [(Source.DISTRICT, 5_000 * MILLION)],
    )
    bridge = project(
        "DL-GT-03",
        "Cầu Đô Lương mới",
        "transport",
        DO_LUONG,
        CONSTRUCTION,
        24_000 * MILLION,
        [(Source.DISTRICT, 12_000 * MILLION)],
    )
    orphan = project(
        "DL-VH-04",
        "Nhà văn hóa trung tâm",
        "culture",
        VAN_HIEN,
        None,
        2_000 * MILLION,
        [(Source.DISTRICT, 1_000 * MILLION)],
    )
    return SimpleNamespace(
        who=who,
        plans=plan,
        district=district,
        road=road,
        school=school,
        bridge=bridge,
        orphan=orphan,
    )
