"""The register's tests' world: the Department of Finance charged with assets, its specialist
and leader, the kinds of asset, and four assets: the old office of xã Đà Sơn and a scanner held
by xã Đô Lương, a computer held by xã Bạch Hà, and a car held by Finance.

The demo province (its units, agencies and accounts) is loaded once per session by
``tests/conftest.py``; these rows are added in each test's rolled-back transaction."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.test import Client

from haicap.accounts.models import Membership, User
from haicap.assets.asset_sheet import UnitName
from haicap.assets.models import AssetKind, Category
from haicap.assets.services import register
from haicap.core.roles import Role
from haicap.units.kinds import Duty
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

FINANCE = "000.04.00.H40"
HOME_AFFAIRS = "000.03.00.H40"
DO_LUONG, BACH_HA = "17662", "17707"
DO_LUONG_PPC, DO_LUONG_ECONOMIC, DO_LUONG_DESK = (f"{DO_LUONG}.{n}.H40" for n in ("01", "03", "05"))
BACH_HA_PPC, BACH_HA_DESK = f"{BACH_HA}.01.H40", f"{BACH_HA}.05.H40"
KINDS = (
    ("TRUSO", "Trụ sở làm việc", Category.LAND_BUILDING),
    ("XEOTO", "Xe ô tô", Category.VEHICLE),
    ("MAYTINH", "Máy vi tính", Category.EQUIPMENT),
    ("MAYSCAN", "Máy quét tài liệu", Category.EQUIPMENT),
    ("KHAC", "Tài sản khác", Category.OTHER),
)
DAY = dt.date(2025, 7, 1)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def former(word: str, name: str, within: str = "") -> AdministrativeUnit:
    """A former unit as the registry has it, found by the import's own rule."""
    unit, message, params = register.FormerUnits().find(
        UnitName(name=name, word=word, within=within)
    )
    assert unit is not None, message % params
    return unit


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


def kinds() -> dict[str, AssetKind]:
    return {
        code: AssetKind.objects.get_or_create(
            code=code, defaults={"name": name, "category": category}
        )[0]
        for code, name, category in KINDS
    }


def people() -> SimpleNamespace:
    AgencyDuty.objects.get_or_create(agency=agency(FINANCE), duty=Duty.ASSETS)
    return SimpleNamespace(
        finance=staff("chuyenvien.sotaichinh", FINANCE, Role.SPECIALIST),
        finance_leader=staff("lanhdao.sotaichinh", FINANCE, Role.LEADER),
        home_affairs=User.objects.get(username="chuyenvien.sonoivu"),
        supervisor=User.objects.get(username="giamsat"),
        admin=User.objects.get(username="admin"),
        do_luong_admin=User.objects.get(username="quantri.doluong"),
        do_luong_leader=User.objects.get(username="lanhdao.doluong"),
        do_luong=User.objects.get(username="chuyenvien.doluong"),
        bach_ha_admin=staff("quantri.bachha", BACH_HA_PPC, Role.AGENCY_ADMIN),
    )


def details(kind: AssetKind, called: str = "Tài sản", **changes) -> register.AssetDetails:
    values = {
        "kind": kind,
        "name": called,
        "original_value": 1_000_000_000,
        "remaining_value": 400_000_000,
        "acquired_year": 2010,
        "condition": "good",
    }
    return register.AssetDetails(**(values | changes))


def make() -> SimpleNamespace:
    """Kinds, people and four assets, entered on 1 July 2025 by Finance's specialist."""
    found = kinds()
    who = people()
    district = former("huyện", "Đô Lương")

    def enter(holder: str, origin, **fields) -> object:
        new = register.NewAsset(details(**fields), holder=agency(holder), origin=origin)
        return register.register_asset(who.finance, new, on=DAY)

    office = enter(
        DO_LUONG_PPC,
        former("xã", "Đà Sơn"),
        kind=found["TRUSO"],
        name="Trụ sở UBND xã Đà Sơn cũ",
        address="Xóm 3, xã Đô Lương",
        area_m2=Decimal("450.5"),
        original_value=3_200_000_000,
        remaining_value=1_250_000_000,
        acquired_year=2008,
        condition="fair",
    )
    scanner = enter(
        DO_LUONG_DESK,
        district,
        kind=found["MAYSCAN"],
        name="Máy quét tài liệu Canon",
        original_value=18_500_000,
        remaining_value=9_000_000,
        acquired_year=2021,
    )
    computer = enter(
        BACH_HA_PPC,
        district,
        kind=found["MAYTINH"],
        name="Máy vi tính để bàn Dell",
        original_value=15_000_000,
        remaining_value=3_000_000,
        acquired_year=2019,
        condition="poor",
    )
    car = enter(
        FINANCE,
        district,
        kind=found["XEOTO"],
        name="Xe ô tô 7 chỗ",
        original_value=900_000_000,
        remaining_value=120_000_000,
        acquired_year=2012,
    )
    return SimpleNamespace(
        kinds=found,
        people=who,
        district=district,
        office=office,
        scanner=scanner,
        computer=computer,
        car=car,
    )
