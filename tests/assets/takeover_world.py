"""The Department of Finance charged with assets, its officers, and assets that came from the
former Đô Lương district and from a commune merged into xã Đô Lương (shared by the take-over and
disposal tests).

The demo province is loaded once per session (``tests/conftest.py``); these rows are added in each
test's rolled-back transaction. Assets are made with the models directly: the register's services
are another part of the app."""

import datetime as dt
from itertools import count
from types import SimpleNamespace

from haicap.accounts.models import Membership, User
from haicap.assets.models import Asset, AssetKind, Category, Condition, Movement
from haicap.core.roles import Role
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

FINANCE = "000.04.00.H40"
HEALTH = "000.11.00.H40"
DO_LUONG, BACH_NGOC, VAN_HIEN = "17662", "17623", "17677"
DO_LUONG_PPC, BACH_NGOC_PPC, VAN_HIEN_PPC = (f"{c}.01.H40" for c in (DO_LUONG, BACH_NGOC, VAN_HIEN))
DO_LUONG_DESK = f"{DO_LUONG}.05.H40"
SPECIALIST, LEADER = "chuyenvien.sotaichinh", "lanhdao.sotaichinh"
KINDS = (
    ("TRUSO", "Trụ sở làm việc", Category.LAND_BUILDING),
    ("OTO", "Xe ô tô", Category.VEHICLE),
    ("MAYTINH", "Máy tính để bàn", Category.EQUIPMENT),
    ("MAYQUET", "Máy quét tài liệu", Category.EQUIPMENT),
)
_numbers = count(1)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    user, _made = User.objects.get_or_create(
        username=username, defaults={"full_name": username.replace(".", " ").title()}
    )
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def former_district() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(tier=Tier.DISTRICT, name="Đô Lương")


def merged_commune() -> AdministrativeUnit:
    """Xã Bắc Sơn of the former Đô Lương district, merged into xã Đô Lương."""
    return AdministrativeUnit.objects.get(
        tier=Tier.COMMUNE, name="Bắc Sơn", parent=former_district(), valid_to__isnull=False
    )


def kinds() -> dict[str, AssetKind]:
    return {
        code: AssetKind.objects.get_or_create(
            code=code, defaults={"name": name, "category": category}
        )[0]
        for code, name, category in KINDS
    }


def make_asset(
    kind: AssetKind,
    name: str,
    *,
    origin: AdministrativeUnit | None,
    holder: Agency,
    original: int,
    remaining: int,
    status: str = Asset.Status.IN_USE,
    condition: str = Condition.GOOD,
    address: str = "",
    area_m2: str | None = None,
) -> Asset:
    """An asset as the register keeps it, with the movement that entered it."""
    asset = Asset.objects.create(
        identifier=f"TS-{next(_numbers):05d}",
        kind=kind,
        name=name,
        holder=holder,
        origin=origin,
        address=address,
        area_m2=area_m2,
        original_value=original,
        remaining_value=remaining,
        acquired_year=2015,
        condition=condition,
        status=status,
    )
    Movement.objects.create(
        asset=asset, kind=Movement.Kind.REGISTERED, to_agency=holder, on=dt.date(2025, 7, 1)
    )
    return asset


def finance_world() -> SimpleNamespace:
    """Finance charged with assets, its specialist and leader, a supervisor, and officers of
    xã Đô Lương, xã Bạch Ngọc and the Department of Health."""
    AgencyDuty.objects.get_or_create(agency=agency(FINANCE), duty=Duty.ASSETS)
    return SimpleNamespace(
        specialist=staff(SPECIALIST, FINANCE),
        leader=staff(LEADER, FINANCE, Role.LEADER),
        supervisor=User.objects.get(username="giamsat"),
        do_luong=User.objects.get(username="lanhdao.doluong"),
        bach_ngoc=staff("lanhdao.bachngoc", BACH_NGOC_PPC, Role.LEADER),
        van_hien=staff("lanhdao.vanhien", VAN_HIEN_PPC, Role.LEADER),
        health=staff("chuyenvien.soyte", HEALTH),
    )


def district_assets() -> SimpleNamespace:
    """What the former Đô Lương district held, kept meanwhile by xã Đô Lương's People's
    Committee: its office, a car, a computer and a scanner."""
    made = kinds()
    district, keeper = former_district(), agency(DO_LUONG_PPC)
    return SimpleNamespace(
        office=make_asset(
            made["TRUSO"],
            "Trụ sở UBND huyện Đô Lương",
            origin=district,
            holder=keeper,
            original=12_500_000_000,
            remaining=3_200_000_000,
            address="Khối 4, xã Đô Lương",
            area_m2="1850.0",
        ),
        car=make_asset(
            made["OTO"],
            "Xe ô tô Toyota Innova 37A-001.23",
            origin=district,
            holder=keeper,
            original=780_000_000,
            remaining=156_000_000,
            condition=Condition.FAIR,
        ),
        computer=make_asset(
            made["MAYTINH"],
            "Máy tính Dell OptiPlex phòng Tài chính - Kế hoạch",
            origin=district,
            holder=keeper,
            original=18_500_000,
            remaining=3_700_000,
        ),
        scanner=make_asset(
            made["MAYQUET"],
            "Máy quét Fujitsu fi-7160",
            origin=district,
            holder=keeper,
            original=32_000_000,
            remaining=9_600_000,
            condition=Condition.UNUSABLE,
        ),
    )
