"""Demo sign-in accounts for the demo province. Never load them into a production database."""

import os
from dataclasses import dataclass

from django.db import transaction

from haicap.accounts.models import User
from haicap.accounts.services import create_staff_user, grant_membership
from haicap.core.roles import Role
from haicap.units.models import Agency

DEMO_PASSWORD = os.environ.get("HAICAP_DEMO_PASSWORD", "demo-haicap-2026")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    agency_code: str
    superuser: bool = False
    # Also reads the whole province (a supervisor's membership beside the working one): the
    # working group's leader and secretariat open the dossier lists a finding links to, in
    # any commune the group covers.
    reads_province: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "000.01.00.H40", superuser=True),
    DemoAccount("giamsat", "Nguyễn Văn Giám", Role.PROVINCE_SUPERVISOR, "000.01.00.H40"),
    DemoAccount("tiepnhan.tinh", "Trần Thị Hoa", Role.INTAKE_OFFICER, "000.02.00.H40"),
    DemoAccount("chuyenvien.sotuphap", "Lê Văn Pháp", Role.SPECIALIST, "000.05.00.H40"),
    DemoAccount("tiepnhan.doluong", "Phạm Thị Lan", Role.INTAKE_OFFICER, "17662.05.H40"),
    DemoAccount("chuyenvien.doluong", "Hoàng Văn Kinh", Role.SPECIALIST, "17662.03.H40"),
    DemoAccount("lanhdao.doluong", "Đặng Văn Lương", Role.LEADER, "17662.01.H40"),
    DemoAccount("quantri.doluong", "Võ Thị Quản", Role.AGENCY_ADMIN, "17662.01.H40"),
    DemoAccount("tiepnhan.vanhien", "Bùi Thị Hiền", Role.INTAKE_OFFICER, "17677.05.H40"),
    # Working group no. 4: its leader, a Vice Chairman of the PPC, and its secretariat officer.
    DemoAccount("lanhdao.tinh", "Hồ Văn Tỉnh", Role.LEADER, "000.00.00.H40", reads_province=True),
    DemoAccount(
        "chuyenvien.vpubnd", "Trần Thị Thư", Role.SPECIALIST, "000.01.00.H40", reads_province=True
    ),
    # The Department of Home Affairs arranges staff (its specialist drafts secondment plans, its
    # leader approves them), and a land officer of Agriculture and Environment is seconded.
    DemoAccount("chuyenvien.sonoivu", "Ngô Thị Vụ", Role.SPECIALIST, "000.03.00.H40"),
    DemoAccount("lanhdao.sonoivu", "Phan Đình Nội", Role.LEADER, "000.03.00.H40"),
    DemoAccount("canbo.diachinh", "Lê Thị Địa", Role.SPECIALIST, "000.07.00.H40"),
    # The Department of Finance arranges offices and public assets: its specialist keeps the
    # register and drafts take-over records, its leader signs them and approves allocations.
    DemoAccount("chuyenvien.taisan", "Đinh Thị Sản", Role.SPECIALIST, "000.04.00.H40"),
    DemoAccount("lanhdao.taichinh", "Trương Văn Chính", Role.LEADER, "000.04.00.H40"),
    # Finance also arranges the public-investment capital plans: its investment specialist
    # imports plans, drafts the transfer of the districts' capital and enters disbursement; the
    # leader above approves transfers.
    DemoAccount("chuyenvien.dautu", "Lý Thị Đầu", Role.SPECIALIST, "000.04.00.H40"),
)


def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the accounts that are missing; existing ones keep their password and roles."""
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = create_staff_user(
                    None,
                    username=account.username,
                    full_name=account.full_name,
                    password=DEMO_PASSWORD,
                    superuser=account.superuser,
                )
            agency = Agency.objects.get(code=account.agency_code)
            grant_membership(None, user, agency, account.role)
            if account.reads_province:
                grant_membership(None, user, agency, Role.PROVINCE_SUPERVISOR)
    return list(DEMO_ACCOUNTS)
