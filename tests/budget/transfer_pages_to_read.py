"""The transfer pages for the test that reads every page in both languages
(``tests/test_translations.py``): the batches, and the former Đô Lương district's transfer with
the road unbalanced (the verdict explains it) and a project waiting for its investor, whose
approval is refused."""

from haicap.budget.models import Level, Plan, Project, Source, TransferBatch
from haicap.budget.services import transfer
from tests.budget import world

PAGES = "/desk/von-dau-tu/chuyen-von/"
SPECIALIST, LEADER = "chuyenvien.vondautu", "lanhdao.vondautu"

NOT_PAGES = {
    "desk:budget:batch_draft": "POST only (its refusal is the list, rendered below)",
    "desk:budget:batch_entry": "POST only (its answer is the batch page, rendered below)",
    "desk:budget:batch_entry_add": "POST only (its answer is the batch page, rendered below)",
    "desk:budget:batch_entry_remove": "POST only (its answer is the batch page, rendered below)",
}
# The records' own text, which reads the same in both languages.
RECORDS = (
    (Plan, ("code", "name")),
    (Project, ("code", "name", "former_investor")),
    (TransferBatch, ("title", "decision_number")),
)


def world_of_pages() -> dict:
    made = world.make()
    batch = transfer.draft_batch(
        made.who.finance, made.plans.y2025, made.district, title="Chuyển vốn huyện Đô Lương"
    )
    road_in = batch.entries.get(project=made.road, source=Source.DISTRICT, level=Level.COMMUNE)
    transfer.set_entry_amount(made.who.finance, road_in, 7_500 * world.MILLION)
    return {"batch": batch.pk}


def pages(made: dict) -> dict[str, tuple]:
    batch = made["batch"]
    return {
        "desk:budget:batches": (SPECIALIST, "get", PAGES, {}),
        "desk:budget:batch": (SPECIALIST, "get", f"{PAGES}{batch}/", {}),
        # refused: the page again, naming the road that does not balance
        "desk:budget:batch_approve": (
            LEADER,
            "post",
            f"{PAGES}{batch}/phe-duyet/",
            {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"},
        ),
    }
