"""A small world of equipment for the gap and allocation tests, worked out by hand.

Every commune of the demo province has five agencies (.01 People's Committee … .05 its
service centre, the one-stop desk): 1 desk, 5 offices. Norms: a scanner per desk; 2 computers
per desk and 1 per office; a printer per office. So every commune needs 1 scanner, 7 computers
and 5 printers.

    commune    kind      items                                           held  gap
    Đô Lương   scanner   1 good at the desk; 1 surplus (S2); 1 unusable    1    0
    Đô Lương   computer  8 in use (good, fair, poor)                        8    0 (1 beyond)
    Đô Lương   printer   3 good, 1 poor; 1 disposed of                      4    1
    Bạch Hà    (none)                                                       0    1, 7, 5
    Văn Hiến   scanner   1 unusable                                         0    1
    Văn Hiến   computer  7 good                                             7    0
    Văn Hiến   printer   none                                               0    5

Every other commune holds nothing: it lacks 1 + 7 + 5 = 13 items. The Department of Finance
(the province's unit) holds a surplus scanner S1 and a surplus printer P1.

Travel (minutes): province–Đô Lương 45, province–Bạch Hà 60, province–Văn Hiến 90,
Đô Lương–Bạch Hà 20, Đô Lương–Văn Hiến 30, Bạch Hà–Văn Hiến 15; no other pair.
Nearest first within 120 minutes: S2 → Bạch Hà (20), P1 → Đô Lương (45), S1 → Văn Hiến (90:
Bạch Hà, nearer, has S2 by then).
"""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch, reverse

from haicap.accounts.models import Membership, User
from haicap.assets.models import Asset, AssetKind, Category, Condition, EquipmentNorm
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.roles import Role
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty, TravelTime

DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON = (
    "17662",
    "17623",
    "17677",
    "17707",
    "17689",
    "17641",
)
FINANCE = "000.04.00.H40"
SPECIALIST, LEADER = "chuyenvien.sotaichinh", "lanhdao.sotaichinh"
COMMUNE_LEADER = "lanhdao.doluong"  # the People's Committee of xã Đô Lương
SUPERVISOR = "giamsat"
ILLUSTRATIVE = "Minh họa, không phải định mức chính thức"
_numbers = itertools.count(1)


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


def kind(code: str, name: str, category: str = Category.EQUIPMENT) -> AssetKind:
    found, _made = AssetKind.objects.get_or_create(
        code=code, defaults={"name": name, "category": category}
    )
    return found


def item(
    of: AssetKind,
    holder: str | None,
    condition: str = Condition.GOOD,
    status: str = Asset.Status.IN_USE,
    name: str = "",
    **more,
) -> Asset:
    number = next(_numbers)
    return Asset.objects.create(
        identifier=f"TS-{of.code.upper()}-{number:04d}",
        kind=of,
        name=name or f"{of.name} số {number}",
        holder=agency(holder) if holder else None,
        original_value=20_000_000,
        remaining_value=10_000_000,
        acquired_year=2021,
        condition=condition,
        status=status,
        **more,
    )


def travel(one: AdministrativeUnit, other: AdministrativeUnit, minutes: int) -> None:
    first, second = sorted((one, other), key=lambda u: u.pk)
    TravelTime.objects.update_or_create(one=first, other=second, defaults={"minutes": minutes})


def build_world() -> SimpleNamespace:
    AgencyDuty.objects.get_or_create(agency=agency(FINANCE), duty=Duty.ASSETS)
    specialist = staff(SPECIALIST, FINANCE)
    leader = staff(LEADER, FINANCE, Role.LEADER)
    scanner = kind("scanner", "Máy quét")
    computer = kind("computer", "Máy tính")
    printer = kind("printer", "Máy in")
    office = kind("office", "Trụ sở làm việc", Category.LAND_BUILDING)
    for of, per, count in (
        (scanner, EquipmentNorm.Per.DESK, 1),
        (computer, EquipmentNorm.Per.DESK, 2),
        (computer, EquipmentNorm.Per.OFFICE, 1),
        (printer, EquipmentNorm.Per.OFFICE, 1),
    ):
        EquipmentNorm.objects.get_or_create(
            kind=of, per=per, defaults={"count": count, "note": ILLUSTRATIVE}
        )
    do_luong = f"{DO_LUONG}.{{}}.H40".format
    van_hien = f"{VAN_HIEN}.{{}}.H40".format
    held_scanner = item(scanner, do_luong("05"))
    s2 = item(scanner, do_luong("05"), status=Asset.Status.SURPLUS, name="Máy quét dôi dư")
    broken = item(scanner, do_luong("01"), condition=Condition.UNUSABLE)
    for n, condition in enumerate([Condition.GOOD] * 4 + [Condition.FAIR] * 3 + [Condition.POOR]):
        item(computer, do_luong(f"0{n % 5 + 1}"), condition=condition)
    for n, condition in enumerate([Condition.GOOD] * 3 + [Condition.POOR]):
        item(printer, do_luong(f"0{n + 1}"), condition=condition)
    item(printer, do_luong("03"), status=Asset.Status.DISPOSED)
    item(scanner, van_hien("05"), condition=Condition.UNUSABLE)
    for n in range(7):
        item(computer, van_hien(f"0{n % 5 + 1}"))
    s1 = item(scanner, FINANCE, status=Asset.Status.SURPLUS, name="Máy quét của Sở")
    p1 = item(printer, FINANCE, status=Asset.Status.SURPLUS, name="Máy in của Sở")
    places = {
        "province": province(),
        "do_luong": commune(DO_LUONG),
        "bach_ha": commune(BACH_HA),
        "van_hien": commune(VAN_HIEN),
    }
    for one, other, minutes in (
        ("province", "do_luong", 45),
        ("province", "bach_ha", 60),
        ("province", "van_hien", 90),
        ("do_luong", "bach_ha", 20),
        ("do_luong", "van_hien", 30),
        ("bach_ha", "van_hien", 15),
    ):
        travel(places[one], places[other], minutes)
    return SimpleNamespace(
        specialist=specialist,
        leader=leader,
        kinds=SimpleNamespace(scanner=scanner, computer=computer, printer=printer, office=office),
        held_scanner=held_scanner,
        broken_scanner=broken,
        s1=s1,
        s2=s2,
        p1=p1,
        communes=SimpleNamespace(
            do_luong=places["do_luong"], bach_ha=places["bach_ha"], van_hien=places["van_hien"]
        ),
    )


@pytest.fixture
def world(db) -> SimpleNamespace:
    return build_world()


@pytest.fixture
def asset_pages(settings) -> None:
    """The asset's page resolves: the real one, or else a stand-in at its address."""
    try:
        reverse("desk:assets:asset", kwargs={"asset_id": 1})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.assets.asset_page_urls"


def today() -> dt.date:
    return clock.now().astimezone(VIETNAM).date()
