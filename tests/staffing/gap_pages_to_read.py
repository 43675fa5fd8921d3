"""The shortage pages for the test that reads every page in both languages
(``tests/test_translations.py``): the province's table, and a commune's land officers with one
of them seconded out today."""

import datetime as dt

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.staffing.models import (
    NormRule,
    Officer,
    Position,
    Secondment,
    SecondmentPlan,
    StaffField,
)
from tests.staffing.gap_world import VAN_HIEN, agency, build_world

AUTHORITY = "chuyenvien.sonoivu"  # the Department of Home Affairs
NOT_PAGES: dict[str, str] = {}
# The records' own text, which reads the same in both languages.
RECORDS = (
    (StaffField, ("name",)),
    (Officer, ("full_name", "grade")),
    (Position, ("grade",)),
    (NormRule, ("note",)),
    (SecondmentPlan, ("title",)),
    (Secondment, ("decision_number",)),
)


def world() -> dict:
    built = build_world()
    today = clock.now().astimezone(VIETNAM).date()
    plan = SecondmentPlan.objects.create(
        title="Phương án biệt phái đang thực hiện",
        status=SecondmentPlan.Status.APPROVED,
        max_travel_minutes=60,
        max_per_agency=2,
        months=6,
        starts_on=today - dt.timedelta(days=10),
        created_by=built.authority,
    )
    an = built.officers.an
    Secondment.objects.create(
        plan=plan,
        officer=an,
        from_agency=an.agency,
        to_agency=agency(f"{VAN_HIEN}.03.H40"),
        field=built.land,
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=170),
        decision_number="130/QĐ-UBND",
    )
    return {"do_luong": built.communes.do_luong.pk}


def pages(world: dict) -> dict[str, tuple]:
    return {
        "desk:staffing:gaps": (AUTHORITY, "get", "/desk/nhan-su/thieu-hut/", {}),
        "desk:staffing:commune_standing": (
            AUTHORITY,
            "get",
            f"/desk/nhan-su/thieu-hut/{world['do_luong']}/DATDAI/",
            {},
        ),
    }
