"""The pages of what each commune lacks, for the test that reads every page in both languages
(``tests/test_translations.py``): the gap table, a cell's items, the norms and a norm's form,
and the proposals with one approved and two waiting (read by a leader, who may decide)."""

from haicap.assets.models import AllocationProposal, Asset, AssetKind, EquipmentNorm
from haicap.assets.services import allocation
from tests.assets.gap_world import DO_LUONG, LEADER, SPECIALIST, build_world, commune, today

ROOT = "/desk/tai-san/"

NOT_PAGES = {
    "desk:assets:norm_remove": "POST only (its answer is the norms page, rendered below)",
    "desk:assets:proposals_run": "POST only (its answer is the proposals page, rendered below)",
    "desk:assets:proposal_approve": "POST only (its answer is the proposals page, rendered below)",
    "desk:assets:proposal_reject": "POST only (its answer is the proposals page, rendered below)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (AssetKind, ("name",)),
    (Asset, ("identifier", "name", "address")),
    (EquipmentNorm, ("note",)),
    (AllocationProposal, ("decision",)),
)


def world() -> dict:
    made = build_world()
    first, *_others = allocation.propose(made.specialist, 120)
    allocation.approve(made.leader, first, "15/QĐ-STC", today())
    return {
        "commune": commune(DO_LUONG).pk,
        "scanner": made.kinds.scanner.pk,
        "norm": EquipmentNorm.objects.get(kind=made.kinds.scanner).pk,
    }


def pages(world: dict) -> dict[str, tuple]:
    return {
        "desk:assets:gaps": (SPECIALIST, "get", f"{ROOT}thieu-hut/", {"q": "Đô Lương"}),
        "desk:assets:gap_items": (
            SPECIALIST,
            "get",
            f"{ROOT}thieu-hut/{world['commune']}/{world['scanner']}/",
            {},
        ),
        "desk:assets:norms": (SPECIALIST, "get", f"{ROOT}dinh-muc/", {}),
        "desk:assets:norm_new": (SPECIALIST, "get", f"{ROOT}dinh-muc/moi/", {}),
        "desk:assets:norm_edit": (SPECIALIST, "get", f"{ROOT}dinh-muc/{world['norm']}/sua/", {}),
        "desk:assets:proposals": (LEADER, "get", f"{ROOT}de-xuat/", {"status": "all"}),
    }
