"""The feedback tests' world: the demo province (loaded once per session by
``tests/conftest.py``), the categories its migration seeds, its officers, and helpers to file a
petition and to return a dossier. Rows added here live in each test's rolled-back transaction.

Đô Lương (17662) was formed on 1 July 2025 from Đô Lương town and the communes Bắc Sơn, Nam
Sơn, Đà Sơn and others (domain.md section 4): a sender who names "Nam Sơn" is routed to it.
"""

import datetime as dt
from types import SimpleNamespace

from django.test import Client

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.roles import Role
from haicap.feedback.models import Category, Petition
from haicap.feedback.services import filing
from haicap.units.models import AdministrativeUnit, Agency

DO_LUONG, VAN_HIEN, BACH_HA = "17662", "17677", "17707"
DO_LUONG_PPC, VAN_HIEN_PPC = "17662.01.H40", "17677.01.H40"
CONSTRUCTION = "000.08.00.H40"  # Sở Xây dựng
PPC_OFFICE = "000.01.00.H40"
SENDER = filing.Sender(name="Nguyễn Văn Dân", phone="0912345678", email="dan@example.vn")


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


def category(code: str = "moi-truong") -> Category:
    return Category.objects.get(code=code)


def staff(username: str, agency_code: str, role: Role) -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, agency=agency(agency_code), role=role)
    user.forget_scope()
    return user


def people() -> SimpleNamespace:
    return SimpleNamespace(
        do_luong=User.objects.get(username="chuyenvien.doluong"),  # Economic Office, specialist
        do_luong_leader=User.objects.get(username="lanhdao.doluong"),
        do_luong_desk=User.objects.get(username="tiepnhan.doluong"),
        van_hien=User.objects.get(username="tiepnhan.vanhien"),
        van_hien_officer=staff("chuyenvien.vanhien.pakn", VAN_HIEN_PPC, Role.SPECIALIST),
        construction=staff("chuyenvien.soxaydung", CONSTRUCTION, Role.SPECIALIST),
        construction_leader=staff("lanhdao.soxaydung", CONSTRUCTION, Role.LEADER),
        supervisor=User.objects.get(username="giamsat"),
    )


def file(
    when: dt.datetime | None = None,
    *,
    category_code: str = "moi-truong",
    commune: str | None = DO_LUONG,
    named: AdministrativeUnit | None = None,
    text: str = "Rác thải đổ trộm bên đường liên xóm 3 đã hơn một tuần chưa được thu gom.",
    publish: bool = True,
    channel: str = Petition.Channel.WEB,
    **kw: object,
) -> filing.Filed:
    with clock.fixed_at(when or at(3, 2, 9)):
        return filing.file_petition(
            category=category(category_code),
            text=text,
            sender=kw.pop("sender", SENDER),
            channel=channel,
            commune=unit(commune) if commune else None,
            named_unit=named,
            publish_consent=publish,
            **kw,
        )


def signed_in(user: User, language: str = "en") -> Client:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
