"""A land officer of xã Đô Lương seconded to xã Bạch Hà from 1 April to 30 September 2026 by
an approved plan, with a haicap account; a colleague seconded with no account; Home Affairs as
the staffing authority (shared by the tests of secondments in effect and of the warnings,
each of which makes it its ``world`` fixture).

The plans are made directly as rows: drafting and approving them is another part's work."""

import datetime as dt
from types import SimpleNamespace

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
from haicap.units.kinds import AgencyKind, Duty
from haicap.units.models import Agency, AgencyDuty

HOME_AFFAIRS = "000.03.00.H40"
DO_LUONG_ECONOMY = "17662.03.H40"  # the donor: xã Đô Lương's Economic Office
BACH_HA_ECONOMY = "17707.03.H40"  # the host: xã Bạch Hà's Economic Office
BACH_HA_PPC = "17707.01.H40"
BACH_HA_DESK = "17707.05.H40"
VAN_HIEN_PPC = "17677.01.H40"
START, END = dt.date(2026, 4, 1), dt.date(2026, 9, 30)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VIETNAM)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def land_field() -> StaffField:
    field, _made = StaffField.objects.get_or_create(
        code="DATDAI",
        defaults={
            "name": "Đất đai",
            "catalog_field": Field.objects.get(code="DATDAI"),
            "host_agency_kind": AgencyKind.ECONOMIC_OFFICE,
            "weight": 3,
        },
    )
    return field


def officer(staff_number: str, name: str, at_agency: str, user: User | None = None) -> Officer:
    field = land_field()
    position, _made = Position.objects.get_or_create(
        agency=agency(at_agency), field=field, grade="Chuyên viên", defaults={"approved": 3}
    )
    found = Officer.objects.create(
        staff_number=staff_number,
        full_name=name,
        agency=position.agency,
        position=position,
        grade="Chuyên viên",
        experience_years=6,
        in_post_since=dt.date(2020, 1, 1),
        user=user,
    )
    found.qualifications.add(field)
    return found


def plan(status: str = SecondmentPlan.Status.APPROVED, revises=None, version: int = 1):
    return SecondmentPlan.objects.create(
        title="Biệt phái cán bộ địa chính cụm Đô Lương",
        version=version,
        revises=revises,
        status=status,
        max_travel_minutes=60,
        max_per_agency=2,
        months=6,
        starts_on=START,
    )


def second(in_plan, who: Officer, to: str = BACH_HA_ECONOMY, **dates) -> Secondment:
    return Secondment.objects.create(
        plan=in_plan,
        officer=who,
        from_agency=who.agency,
        to_agency=agency(to),
        field=land_field(),
        start_date=dates.get("start", START),
        end_date=dates.get("end", END),
        decision_number="125/QĐ-SNV",
    )


def make_world() -> SimpleNamespace:
    AgencyDuty.objects.get_or_create(agency=agency(HOME_AFFAIRS), duty=Duty.STAFFING)
    account = staff("canbo.dat", DO_LUONG_ECONOMY)  # works at home as a specialist
    seconded = officer("NA-0001", "Nguyễn Văn Đạt", DO_LUONG_ECONOMY, user=account)
    no_account = officer("NA-0002", "Trần Thị Thửa", DO_LUONG_ECONOMY)
    approved = plan()
    return SimpleNamespace(
        account=account,
        officer=seconded,
        no_account=no_account,
        plan=approved,
        secondment=second(approved, seconded),
        other=second(approved, no_account),
        home_affairs=staff("chuyenvien.sonoivu", HOME_AFFAIRS),
    )


def land_norm() -> NormRule:
    """Two land officers in every commune (a fixed, illustrative norm)."""
    return NormRule.objects.create(field=land_field(), basis="fixed", count=2)
