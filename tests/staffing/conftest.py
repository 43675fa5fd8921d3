"""The Department of Home Affairs as the staffing authority, the five staff fields, and a few
officers of xã Đô Lương and xã Bạch Hà (shared by the staffing tests).

The demo province (its units, agencies and accounts) is loaded once per session by
``tests/conftest.py``; these rows are added in each test's rolled-back transaction."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from haicap.accounts.models import Membership, User
from haicap.catalog.models import Field
from haicap.core.roles import Role
from haicap.staffing import services
from haicap.staffing.models import StaffField
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

HOME_AFFAIRS = "000.03.00.H40"
HEALTH_DEPARTMENT = "000.11.00.H40"
DO_LUONG, BACH_HA, VAN_HIEN = "17662", "17707", "17677"
# A commune's offices: 01 People's Committee, 03 Economic Office, 05 its one-stop desk.
DO_LUONG_PPC, DO_LUONG_ECONOMIC, DO_LUONG_DESK = (f"{DO_LUONG}.{n}.H40" for n in ("01", "03", "05"))
BACH_HA_PPC, BACH_HA_ECONOMIC = f"{BACH_HA}.01.H40", f"{BACH_HA}.03.H40"
# The staff fields: four of the catalogue's, and IT, which has no dossiers of its own.
FIELDS = (
    ("DATDAI", "Đất đai", "DATDAI", AgencyKind.ECONOMIC_OFFICE),
    ("XAYDUNG", "Xây dựng", "XAYDUNG", AgencyKind.ECONOMIC_OFFICE),
    ("YTE", "Y tế", "YTE", AgencyKind.CULTURE_SOCIAL_OFFICE),
    ("GIAODUC", "Giáo dục", "GIAODUC", AgencyKind.CULTURE_SOCIAL_OFFICE),
    ("CNTT", "Công nghệ thông tin", None, AgencyKind.COMMUNE_PEOPLES_COMMITTEE),
)
CITIZEN_ID = "040195012345"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def in_english():
    """The tests read the services' refusals in English unless they say otherwise."""
    with translation.override("en"):
        yield


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


@pytest.fixture
def fields(db) -> dict[str, StaffField]:
    made = {}
    for code, name, catalog_code, host in FIELDS:
        catalog_field = Field.objects.get(code=catalog_code) if catalog_code else None
        made[code], _new = StaffField.objects.get_or_create(
            code=code,
            defaults={"name": name, "catalog_field": catalog_field, "host_agency_kind": host},
        )
    return made


@pytest.fixture
def authority(db) -> AgencyDuty:
    return AgencyDuty.objects.get_or_create(agency=agency(HOME_AFFAIRS), duty=Duty.STAFFING)[0]


@pytest.fixture
def people(authority) -> SimpleNamespace:
    return SimpleNamespace(
        home_affairs=staff("chuyenvien.sonoivu", HOME_AFFAIRS),
        health=staff("chuyenvien.soyte", HEALTH_DEPARTMENT),
        supervisor=User.objects.get(username="giamsat"),
        admin=User.objects.get(username="admin"),
        # xã Đô Lương: its administrator and a specialist who is no administrator
        do_luong_admin=User.objects.get(username="quantri.doluong"),
        do_luong=User.objects.get(username="chuyenvien.doluong"),
        bach_ha_admin=staff("quantri.bachha", BACH_HA_PPC, Role.AGENCY_ADMIN),
    )


def officer_spec(position, **changes) -> services.OfficerSpec:
    values = {
        "staff_number": "NA-0001",
        "full_name": "Nguyễn Văn An",
        "position": position,
        "grade": "Chuyên viên",
        "in_post_since": dt.date(2025, 7, 1),
        "experience_years": 5,
        "citizen_id": CITIZEN_ID,
        "phone": PHONE,
    }
    return services.OfficerSpec(**(values | changes))


@pytest.fixture
def staffed(fields, people) -> SimpleNamespace:
    """Two land positions and a desk post in Đô Lương, one land position in Bạch Hà; an
    officer in each of Đô Lương's, and one in Bạch Hà."""
    arranger = people.home_affairs

    def position(code: str, field: str, approved: int):
        spec = services.PositionSpec(agency(code), fields[field], "Chuyên viên", approved)
        return services.save_position(arranger, spec)

    do_luong_land = position(DO_LUONG_ECONOMIC, "DATDAI", 2)
    do_luong_desk = position(DO_LUONG_DESK, "CNTT", 1)
    bach_ha_land = position(BACH_HA_ECONOMIC, "DATDAI", 1)
    an = services.save_officer(
        arranger,
        officer_spec(do_luong_land, qualifications=[fields["DATDAI"], fields["XAYDUNG"]]),
    )
    binh = services.save_officer(
        arranger,
        officer_spec(
            do_luong_desk,
            staff_number="NA-0002",
            full_name="Trần Thị Bình",
            qualifications=[fields["CNTT"]],
            desk_posting_from=dt.date(2025, 7, 1),
            desk_posting_until=dt.date(2027, 6, 30),
            citizen_id="040196054321",
            phone="0987654321",
        ),
    )
    cuong = services.save_officer(
        arranger,
        officer_spec(
            bach_ha_land,
            staff_number="NA-0003",
            full_name="Lê Văn Cường",
            qualifications=[fields["DATDAI"]],
            citizen_id="040188011111",
            phone="0911111111",
        ),
    )
    return SimpleNamespace(
        do_luong_land=do_luong_land,
        do_luong_desk=do_luong_desk,
        bach_ha_land=bach_ha_land,
        an=an,
        binh=binh,
        cuong=cuong,
    )
