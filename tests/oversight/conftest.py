"""Working group no. 4 of Nghệ An, its people, and an inspection of xã Đô Lương and Văn Hiến
concluded with two directives (shared by the oversight tests)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.measures import Comparison
from haicap.core.roles import Role
from haicap.oversight import services
from haicap.oversight.models import Finding
from haicap.units.models import AdministrativeUnit, Agency

PPC_OFFICE = "000.01.00.H40"
SERVICE_CENTER = "000.02.00.H40"
HOME_AFFAIRS = "000.03.00.H40"
FINANCE = "000.04.00.H40"
JUSTICE = "000.05.00.H40"
INDUSTRY_TRADE = "000.06.00.H40"
AGRICULTURE_ENVIRONMENT = "000.07.00.H40"
ETHNIC_RELIGIONS = "000.09.00.H40"
HEALTH = "000.11.00.H40"
# The six communes formed from the former Đô Lương district.
DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON = (
    "17662",
    "17623",
    "17677",
    "17707",
    "17689",
    "17641",
)
GROUP_COMMUNES = (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)
OUTSIDE_COMMUNE = "17713"  # xã Đại Đồng: not covered by the group


@pytest.fixture(autouse=True)
def in_english():
    """The tests read the services' refusals in English (the site's default is Vietnamese)."""
    with translation.override("en"):
        yield


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=VIETNAM)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def staff(username: str, agency_code: str, role: Role = Role.SPECIALIST) -> User:
    """A staff member (no password: these tests never sign in with one)."""
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


@pytest.fixture
def people(db) -> SimpleNamespace:
    return SimpleNamespace(
        secretary=staff("thuky.vpubnd", PPC_OFFICE),
        home_affairs=staff("chuyenvien.noivu", HOME_AFFAIRS),
        finance=staff("chuyenvien.sotaichinh", FINANCE),
        health=staff("chuyenvien.soyte", HEALTH),  # a department outside the group
        do_luong=User.objects.get(username="chuyenvien.doluong"),
        van_hien=User.objects.get(username="tiepnhan.vanhien"),
        bach_ha=staff("chuyenvien.bachha", f"{BACH_HA}.03.H40"),  # a sibling commune
        outside=staff("chuyenvien.daidong", f"{OUTSIDE_COMMUNE}.03.H40"),
        supervisor=User.objects.get(username="giamsat"),
        admin=User.objects.get(username="admin"),
    )


def group_spec(**changes) -> services.GroupSpec:
    fields = {
        "number": "4",
        "name": "Tổ công tác số 4",
        "term_start": dt.date(2025, 7, 1),
        "leader_title": "Phó Chủ tịch UBND tỉnh",
        "member_agencies": [
            agency(code)
            for code in (
                INDUSTRY_TRADE,
                FINANCE,
                HOME_AFFAIRS,
                JUSTICE,
                AGRICULTURE_ENVIRONMENT,
                ETHNIC_RELIGIONS,
                PPC_OFFICE,
            )
        ],
        "secretariat_agency": agency(PPC_OFFICE),
        "communes": [commune(code) for code in GROUP_COMMUNES],
    }
    return services.GroupSpec(**(fields | changes))


@pytest.fixture
def group(people):
    return services.save_group(people.secretary, group_spec())


@pytest.fixture
def visit(group, people) -> SimpleNamespace:
    """The inspection of 10 March 2026 at xã Đô Lương and Văn Hiến, with its findings, concluded
    on 12 March; one directive to Home Affairs with a sub-task, one to Văn Hiến with a target."""
    secretary = people.secretary
    with clock.fixed_at(at(3, 2)):
        inspection = services.plan_inspection(
            secretary,
            group,
            held_on=dt.date(2026, 3, 10),
            communes=[commune(DO_LUONG), commune(VAN_HIEN)],
            participants=[people.home_affairs, people.finance],
            agenda="Nghe báo cáo tình hình vận hành chính quyền hai cấp",
        )
    with clock.fixed_at(at(3, 10)):
        services.start_inspection(secretary, inspection)
        staff_shortage = services.record_finding(
            secretary,
            inspection,
            services.FindingSpec(
                commune=commune(DO_LUONG),
                category=Finding.Category.STAFF_SHORTAGE,
                field=Field.objects.get(code="DATDAI"),
                text="Thiếu công chức chuyên môn lĩnh vực đất đai",
                agency_to_act=agency(HOME_AFFAIRS),
                links=[("/desk/ho-so/?unit=17662&overdue=1", "Hồ sơ quá hạn")],
            ),
        )
        low_online = services.record_finding(
            secretary,
            inspection,
            services.FindingSpec(
                commune=commune(VAN_HIEN),
                category=Finding.Category.LOW_ONLINE_INTAKE,
                text="Tỷ lệ tiếp nhận trực tuyến thấp",
                agency_to_act=agency(f"{VAN_HIEN}.01.H40"),
            ),
        )
    with clock.fixed_at(at(3, 12)):
        services.conclude_inspection(
            secretary,
            inspection,
            number="125/TB-UBND",
            date=dt.date(2026, 3, 12),
            summary="Kết luận của Tổ công tác số 4",
            text="Các xã vận hành ổn định; còn thiếu công chức chuyên môn.",
        )
        inspection.refresh_from_db()
        staffing = services.issue_directive(
            secretary,
            inspection,
            services.DirectiveSpec(
                title="Biệt phái công chức cho các xã thiếu",
                lead_agency=agency(HOME_AFFAIRS),
                supporting_agencies=[agency(FINANCE)],
                deadline=dt.date(2026, 6, 30),
                expected_result="Mỗi xã đủ công chức đất đai",
                findings=[staff_shortage],
                subtasks=[
                    services.DirectiveSpec(
                        title="Rà soát nhu cầu",
                        lead_agency=agency(HOME_AFFAIRS),
                        deadline=dt.date(2026, 4, 15),
                    )
                ],
            ),
        )
        online = services.issue_directive(
            secretary,
            inspection,
            services.DirectiveSpec(
                title="Nâng tỷ lệ tiếp nhận trực tuyến",
                lead_agency=agency(f"{VAN_HIEN}.01.H40"),
                deadline=dt.date(2026, 6, 30),
                findings=[low_online],
                target=services.TargetSpec(
                    measure_key="kpi.online_intake_rate",
                    unit=commune(VAN_HIEN),
                    period_start=dt.date(2026, 4, 1),
                    period_end=dt.date(2026, 6, 30),
                    comparison=Comparison.AT_LEAST,
                    threshold=Decimal(40),
                ),
            ),
        )
    return SimpleNamespace(
        inspection=inspection,
        staff_shortage=staff_shortage,
        low_online=low_online,
        staffing=staffing,
        subtask=staffing.subtasks.get(),
        online=online,
    )
