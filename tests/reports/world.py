"""The reports tests' world: the demo province (loaded once per session by
``tests/conftest.py``), its officers, the Department of Home Affairs charged with the communes'
reports, and a monthly template of the tests' own (its code is not the demo's, so the demo's
reports never meet the tests'). Rows added here live in each test's rolled-back transaction.

Đô Lương (17662) and Văn Hiến (17677) are two of the six communes formed on 1 July 2025 from
the former Đô Lương district.
"""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.test import Client

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.periods import Period
from haicap.core.roles import Role
from haicap.reports.models import Report, ReportTemplate
from haicap.reports.services import filing, templates
from haicap.units.kinds import Duty
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

DO_LUONG, VAN_HIEN, BACH_HA = "17662", "17677", "17707"
DO_LUONG_PPC, VAN_HIEN_PPC = "17662.01.H40", "17677.01.H40"
HOME_AFFAIRS = "000.03.00.H40"
CODE = "kiem-thu-thang"
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))

DEFINITION = {
    "sections": [
        {
            "key": "tthc",
            "title": "Kết quả giải quyết thủ tục hành chính",
            "cells": [
                {
                    "key": "received",
                    "label": "Số hồ sơ tiếp nhận",
                    "kind": "number",
                    "unit": "hồ sơ",
                    "source": {"key": "kpi.received", "params": {}},
                },
                {
                    "key": "received_online",
                    "label": "Trong đó tiếp nhận trực tuyến",
                    "kind": "number",
                    "unit": "hồ sơ",
                    "source": {"key": "kpi.received_online", "params": {}},
                },
                {
                    "key": "resolved",
                    "label": "Số hồ sơ đã giải quyết",
                    "kind": "number",
                    "unit": "hồ sơ",
                    "source": {"key": "kpi.resolved", "params": {}},
                },
                {
                    "key": "by_field",
                    "label": "Hồ sơ tiếp nhận theo lĩnh vực",
                    "kind": "table",
                    "columns": [
                        {"key": "field", "label": "Lĩnh vực", "kind": "text"},
                        {"key": "received", "label": "Tiếp nhận", "kind": "number"},
                    ],
                },
                {"key": "meetings", "label": "Số cuộc họp giao ban", "kind": "number"},
            ],
        },
        {
            "key": "chung",
            "title": "Đánh giá chung",
            "cells": [
                {
                    "key": "assessment",
                    "label": "Mức độ vận hành",
                    "kind": "choice",
                    "choices": ["Thông suốt", "Cơ bản thông suốt", "Còn vướng mắc"],
                    "required": True,
                },
                {
                    "key": "difficulties",
                    "label": "Khó khăn, vướng mắc",
                    "kind": "text",
                    "required": True,
                    "highlight": True,
                },
                {
                    "key": "proposals",
                    "label": "Kiến nghị, đề xuất",
                    "kind": "text",
                    "highlight": True,
                },
            ],
        },
    ],
    "rules": [
        {
            "key": "online_within_received",
            "left": ["received_online"],
            "op": "<=",
            "right": ["received"],
            "message": "Số hồ sơ trực tuyến không lớn hơn tổng số hồ sơ tiếp nhận",
        },
        {
            "key": "fields_add_up",
            "left": ["by_field.received"],
            "op": "=",
            "right": ["received"],
            "message": "Tổng các lĩnh vực phải bằng số hồ sơ tiếp nhận",
        },
    ],
}


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, valid_to__isnull=True)


def former(name: str, parent_name: str = "Đô Lương") -> AdministrativeUnit:
    """A unit abolished on 1 July 2025, found by its name (and its former district's)."""
    return AdministrativeUnit.objects.get(
        name=name, valid_to__isnull=False, parent__name=parent_name
    )


def staff(username: str, agency_code: str, role: Role) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def charge_home_affairs() -> None:
    """Home Affairs receives and approves the communes' reports (the demo says so too)."""
    AgencyDuty.objects.get_or_create(agency=agency(HOME_AFFAIRS), duty=Duty.REPORTS)


def people() -> SimpleNamespace:
    charge_home_affairs()
    return SimpleNamespace(
        do_luong=User.objects.get(username="chuyenvien.doluong"),  # Economic Office, specialist
        do_luong_leader=User.objects.get(username="lanhdao.doluong"),
        do_luong_desk=User.objects.get(username="tiepnhan.doluong"),
        van_hien=User.objects.get(username="tiepnhan.vanhien"),
        van_hien_leader=staff("lanhdao.vanhien.baocao", VAN_HIEN_PPC, Role.LEADER),
        reviewer=User.objects.get(username="chuyenvien.sonoivu"),
        reviewer_leader=User.objects.get(username="lanhdao.sonoivu"),
        supervisor=User.objects.get(username="giamsat"),
        finance=User.objects.get(username="chuyenvien.taisan"),  # no duty for reports
    )


def publish(
    definition: dict | None = None,
    *,
    code: str = CODE,
    in_force_from: dt.date = dt.date(2025, 7, 1),
    filers: tuple[str, ...] = (DO_LUONG, VAN_HIEN, BACH_HA),
    due_days: int = 5,
    late_after_days: int = 7,
    period_kind: str = "month",
    name: str = "Báo cáo kiểm thử hằng tháng",
) -> ReportTemplate:
    return templates.publish(
        None,
        code=code,
        name=name,
        period_kind=period_kind,
        due_days=due_days,
        late_after_days=late_after_days,
        definition=definition or DEFINITION,
        in_force_from=in_force_from,
        filers=templates.communes_coded(filers),
    )


def open_november(user: User, commune: str = DO_LUONG, when: dt.datetime | None = None) -> Report:
    """The commune's November 2026 report, opened on 1 December (or ``when``)."""
    with clock.fixed_at(when or at(12, 1)):
        return filing.open_report(user, CODE, unit(commune).pk, NOVEMBER.start)


def fill(report: Report, user: User, when: dt.datetime | None = None, **given: object) -> Report:
    """Save the text and choice cells a submission needs (and ``given``)."""
    values = {
        "assessment": "Cơ bản thông suốt",
        "difficulties": "Thiếu máy scan để số hóa hồ sơ.",
        "proposals": "Đề nghị tỉnh cấp bổ sung 02 máy scan.",
        **given,
    }
    with clock.fixed_at(when or at(12, 2)):
        return filing.save(user, report, values)


def signed_in(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
