"""The surplus offices' pages for the test that reads every page in both languages
(``tests/test_translations.py``): a surplus office with a disposal plan and its progress, and
another office still without one."""

import datetime as dt

from haicap.assets.models import Asset, Disposal, DisposalPlan, DisposalUpdate
from haicap.assets.services import disposal
from tests.assets.takeover_world import (
    DO_LUONG_PPC,
    SPECIALIST,
    agency,
    finance_world,
    kinds,
    make_asset,
    merged_commune,
)

PLANS_PAGE = "/desk/tai-san/tru-so-doi-du/"

NOT_PAGES = {
    "desk:assets:disposal_plan_progress": "POST only (its answer is the plan page, rendered below)",
    "desk:assets:disposal_plan_close": "POST only (its answer is the plan page, rendered below)",
}
# The records' own text, which reads the same in both languages.
RECORDS = (
    (DisposalPlan, ("decision",)),
    (DisposalUpdate, ("text",)),
)


def _office(name: str) -> Asset:
    return make_asset(
        kinds()["TRUSO"],
        name,
        origin=merged_commune(),
        holder=agency(DO_LUONG_PPC),
        original=4_200_000_000,
        remaining=1_100_000_000,
        status=Asset.Status.SURPLUS,
        address="Xóm 3, xã Đô Lương",
        area_m2="420.5",
    )


def world() -> dict:
    people = finance_world()
    plan = disposal.create_plan(
        people.specialist,
        _office("Trụ sở UBND xã Bắc Sơn cũ"),
        method=Disposal.SALE,
        deadline=dt.date(2026, 1, 31),
        responsible=agency(DO_LUONG_PPC),
        decision="120/QĐ-UBND",
    )
    disposal.post_progress(people.do_luong, plan, text="Đã định giá tài sản")
    _office("Trụ sở UBND xã Đà Sơn cũ")
    return {"plan": plan.pk}


def pages(world: dict) -> dict[str, tuple]:
    plan = world["plan"]
    return {
        "desk:assets:disposal_plans": (SPECIALIST, "get", PLANS_PAGE, {}),
        "desk:assets:disposal_plan_new": (SPECIALIST, "get", f"{PLANS_PAGE}moi/", {}),
        "desk:assets:disposal_plan": (SPECIALIST, "get", f"{PLANS_PAGE}{plan}/", {}),
    }
