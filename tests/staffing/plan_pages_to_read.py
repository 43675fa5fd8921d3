"""The secondment plan pages for the test that reads every page in both languages
(``tests/test_translations.py``): a draft plan with a proposal, a gap it leaves, and a hand
addition refused."""

from haicap.staffing.models import Officer, Secondment, SecondmentPlan, StaffField
from haicap.staffing.services import plans
from tests.staffing.plan_world import BACH_HA, START, commune, plan_world

PLANS = "/desk/nhan-su/ke-hoach/"

NOT_PAGES = {
    "desk:staffing:plan_save": "POST only (its refusal is the plan page, rendered below)",
    "desk:staffing:plan_remove": "POST only (its answer is the plan page, rendered below)",
    "desk:staffing:plan_approve": "POST only (its refusal is the plan page, rendered below)",
    "desk:staffing:plan_submit": "POST only (its refusal is the plan page, rendered below)",
    "desk:staffing:plan_revise": "POST only (its answer is a plan page, rendered below)",
    "desk:staffing:plan_discard": "POST only (its answer is the plan page, rendered below)",
    "desk:staffing:plan_xlsx": "an Excel file of the plan",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (SecondmentPlan, ("title",)),
    (Secondment, ("decision_number",)),
    (Officer, ("full_name", "staff_number")),
    (StaffField, ("name",)),
)


def world() -> dict:
    made = plan_world()
    plan = plans.request_plan(made.arranger, "Biệt phái đất đai quý II", START, 6, 60, 2)
    return {
        "plan": plan.pk,
        "arranger": made.arranger.username,
        "commune": commune(BACH_HA).pk,
        "field": made.land.pk,
        "nurse": made.nurse.staff_number,
    }


def pages(world: dict) -> dict[str, tuple]:
    arranger, plan = world["arranger"], world["plan"]
    return {
        "desk:staffing:plans": (arranger, "get", PLANS, {}),
        "desk:staffing:plan_request": (arranger, "get", f"{PLANS}moi/", {}),
        "desk:staffing:plan": (arranger, "get", f"{PLANS}{plan}/", {}),
        "desk:staffing:plan_add": (
            arranger,
            "post",
            f"{PLANS}{plan}/them/",
            {"staff_number": world["nurse"], "commune": world["commune"], "field": world["field"]},
        ),
        "desk:staffing:plan_decisions": (arranger, "get", f"{PLANS}{plan}/quyet-dinh/", {}),
    }
