"""The pages of secondments in effect and of staffing's warnings, for the test that reads every
page in both languages (``tests/test_translations.py``). The pages show the day they are read,
so the world is set around today: a secondment running and ending soon with its role granted,
one starting soon, and a desk posting past its rotation limit."""

import datetime as dt

from haicap.staffing.effect import apply_secondments
from haicap.staffing.models import Officer, Secondment, StaffField
from haicap.staffing.standings import today
from tests.staffing.effect_world import make_world, officer, plan, second

NOT_PAGES: dict[str, str] = {}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (Officer, ("full_name", "grade")),
    (StaffField, ("name",)),
    (Secondment, ("decision_number",)),
)


def world() -> dict:
    on = today()
    found = make_world()
    running = plan()
    second(running, found.officer, start=on - dt.timedelta(days=10), end=on + dt.timedelta(days=9))
    later = officer("NA-0101", "Lê Văn Sau", "17662.03.H40")
    second(running, later, start=on + dt.timedelta(days=5), end=on + dt.timedelta(days=200))
    found.no_account.desk_posting_from = on - dt.timedelta(days=40 * 31)  # past 36 months
    found.no_account.save()
    apply_secondments(on)
    return {"day": on}


READER = "chuyenvien.sonoivu"  # Home Affairs: sees every secondment


def pages(world: dict) -> dict[str, tuple]:
    return {
        "desk:staffing:secondments_in_effect": (READER, "get", "/desk/nhan-su/biet-phai/", {}),
        "desk:staffing:staff_warnings": (READER, "get", "/desk/nhan-su/canh-bao/", {}),
    }
