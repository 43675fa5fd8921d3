"""The take-over record pages for the test that reads every page in both languages
(``tests/test_translations.py``): the records, and the former Đô Lương district's record with
one asset without destination, whose signature is refused."""

from haicap.assets.models import Asset, AssetKind, TakeoverRecord
from haicap.assets.services import takeover
from tests.assets.takeover_world import (
    HEALTH,
    LEADER,
    SPECIALIST,
    agency,
    district_assets,
    finance_world,
    former_district,
)

RECORDS_PAGE = "/desk/tai-san/ban-giao/"

NOT_PAGES = {
    "desk:assets:takeover_open": "POST only (its answer is the record page, rendered below)",
    "desk:assets:takeover_parties": "POST only (its answer is the record page, rendered below)",
    "desk:assets:takeover_line": "POST only (its answer is the record page, rendered below)",
    "desk:assets:takeover_docx": "a Word file (an administrative document, in Vietnamese)",
    "desk:assets:takeover_pdf": "a PDF (an administrative document, in Vietnamese)",
}
# The records' own text, which reads the same in both languages.
RECORDS = (
    (AssetKind, ("name",)),
    (Asset, ("identifier", "name", "address")),
    (TakeoverRecord, ("number", "handed_by", "received_by")),
)


def world() -> dict:
    people = finance_world()
    assets = district_assets()
    record = takeover.open_record(people.specialist, former_district())
    takeover.set_destination(
        people.specialist, record.lines.get(asset=assets.car), destination=agency(HEALTH)
    )
    takeover.describe_parties(
        people.specialist, record, handed_by="Ông Nguyễn Văn Hùng", received_by=""
    )
    return {"record": record.pk}


def pages(world: dict) -> dict[str, tuple]:
    record = world["record"]
    return {
        "desk:assets:takeovers": (SPECIALIST, "get", RECORDS_PAGE, {}),
        "desk:assets:takeover": (SPECIALIST, "get", f"{RECORDS_PAGE}{record}/", {}),
        # refused: the page again, naming the assets without destination
        "desk:assets:takeover_sign": (
            LEADER,
            "post",
            f"{RECORDS_PAGE}{record}/ky/",
            {"on": "2025-07-15", "number": "15/BB-STC"},
        ),
    }
