"""A working group set up in the admin goes through the service: its checks and its audit."""

import pytest

from haicap.core.models import AuditRecord
from haicap.oversight.models import WorkingGroup
from tests.conftest import client_for
from tests.oversight.conftest import DO_LUONG, PPC_OFFICE, agency, commune

pytestmark = pytest.mark.django_db
ADD = "/desk/admin/oversight/workinggroup/add/"


def form(**changes) -> dict:
    return {
        "number": "4",
        "name": "Tổ công tác số 4",
        "term_start": "2025-07-01",
        "leader_title": "Phó Chủ tịch UBND tỉnh",
        "member_agencies": [agency(PPC_OFFICE).pk],
        "secretariat_agency": agency(PPC_OFFICE).pk,
        "communes": [commune(DO_LUONG).pk],
    } | changes


def test_a_group_added_in_the_admin_is_saved_by_the_service():
    admin = client_for("admin")
    assert admin.get(ADD).status_code == 200
    answer = admin.post(ADD, form())
    assert answer.status_code == 302, answer.content.decode()[:2000]
    group = WorkingGroup.objects.get(number="4")
    assert list(group.communes.all()) == [commune(DO_LUONG)]
    assert AuditRecord.objects.filter(
        action="workinggroup.created", object_id=str(group.pk)
    ).exists()
    changed = admin.post(
        f"/desk/admin/oversight/workinggroup/{group.pk}/change/", form(name="Tổ 4")
    )
    assert changed.status_code == 302
    group.refresh_from_db()
    assert group.name == "Tổ 4"
    assert AuditRecord.objects.filter(action="workinggroup.updated").count() == 1
