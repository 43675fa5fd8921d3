"""The allocation proposals page: Finance's officers run the allocation, each proposal shows
the item, from → to, the travel and the commune's gap before → after; Finance's leaders approve
(the move is recorded and the gap table changes) or turn each down; a commune sees those
concerning it."""

import pytest
from django.conf import settings

from haicap.assets.models import AllocationProposal, Asset, Movement
from haicap.assets.services import allocation
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    COMMUNE_LEADER,
    DO_LUONG,
    LEADER,
    SPECIALIST,
    VAN_HIEN,
    today,
)
from tests.conftest import client_for
from tests.staffing.page_parts import part, parts

world, asset_pages = gap_world.world, gap_world.asset_pages

pytestmark = pytest.mark.django_db
PROPOSALS = "/desk/tai-san/de-xuat/"
Status = AllocationProposal.Status


def english(username: str):
    client = client_for(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_finance_runs_the_allocation_and_reads_each_proposal(world, asset_pages):
    client = english(SPECIALIST)
    page = client.get(PROPOSALS).content.decode()
    assert "No proposal here." in part(page, "no-proposals").text
    response = client.post(
        f"{PROPOSALS}chay/", {"max_minutes": 120, "idempotency_key": "k-1"}, follow=True
    )
    html = response.content.decode()
    assert "3 proposals were made, the nearest first." in html
    to_bach_ha = AllocationProposal.objects.get(asset=world.s2)
    row = part(html, f"proposal-{to_bach_ha.pk}")
    assert row.links == [f"/desk/tai-san/{world.s2.pk}/"]
    assert (
        part(row_html(html, to_bach_ha), "from").text,
        part(row_html(html, to_bach_ha), "minutes").text,
        part(row_html(html, to_bach_ha), "gap").text,
    ) == (_agency_name(f"{DO_LUONG}.05.H40"), "20", "lacks 1 → 0")
    assert part(row_html(html, to_bach_ha), "to").text == _agency_name(f"{BACH_HA}.05.H40")
    # the officer who runs it does not decide
    assert parts(html, f"approve-{to_bach_ha.pk}") == []
    assert "Waiting for Finance's leaders" in row.text
    # a retry of the same form makes nothing more
    client.post(f"{PROPOSALS}chay/", {"max_minutes": 120, "idempotency_key": "k-1"})
    assert AllocationProposal.objects.count() == 3


def row_html(html: str, proposal) -> str:
    """The row's own markup, to read its cells by their test ids."""
    start = html.index(f'data-testid="proposal-{proposal.pk}"')
    return html[start : html.index("</tr>", start)]


def _agency_name(code: str) -> str:
    return gap_world.agency(code).name


def test_two_proposals_to_one_commune_show_the_gap_falling_one_by_one(world):
    gap_world.item(world.kinds.printer, f"{DO_LUONG}.05.H40")  # Đô Lương lacks none now
    gap_world.item(world.kinds.printer, f"{DO_LUONG}.02.H40", status=Asset.Status.SURPLUS)
    # Bạch Hà lacks 5 printers: Đô Lương's surplus one (20 min) and the province's (60 min)
    allocation.propose(world.specialist, 60)
    html = english(SPECIALIST).get(PROPOSALS).content.decode()
    to_bach_ha = AllocationProposal.objects.filter(to_agency__code=f"{BACH_HA}.01.H40").order_by(
        "pk"
    )
    assert [part(row_html(html, p), "gap").text for p in to_bach_ha] == [
        "lacks 5 → 4",
        "lacks 4 → 3",
    ]


def test_a_leader_approves_and_the_gap_table_changes(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    leader = english(LEADER)
    html = leader.get(PROPOSALS).content.decode()
    assert parts(html, f"approve-{proposal.pk}") and parts(html, f"reject-{proposal.pk}")
    response = leader.post(
        f"{PROPOSALS}{proposal.pk}/duyet/",
        {"decision": "15/QĐ-STC", "on": today().isoformat()},
        follow=True,
    )
    assert "Approved: Máy quét dôi dư moves to" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert Movement.objects.get(asset=world.s2).to_agency.code == f"{BACH_HA}.05.H40"
    table = leader.get("/desk/tai-san/thieu-hut/", {"q": "Bạch Hà"}).content.decode()
    assert part(table, f"cell-{BACH_HA}-scanner").text == "1 of 1 enough"
    decided = leader.get(PROPOSALS, {"status": "decided"}).content.decode()
    row = row_html(decided, proposal)
    assert part(row, "from").text == _agency_name(f"{DO_LUONG}.05.H40")
    assert part(row, "gap").text == "lacks 0 now"
    assert part(row, "decision").text.startswith("15/QĐ-STC ·")


def test_a_leader_turns_one_down_with_a_reason(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    leader = english(LEADER)
    refused = leader.post(f"{PROPOSALS}{proposal.pk}/tu-choi/", {"reason": ""}, follow=True)
    assert "This field is required." in refused.content.decode()
    leader.post(f"{PROPOSALS}{proposal.pk}/tu-choi/", {"reason": "Xã đã tự trang bị"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision) == (Status.REJECTED, "Xã đã tự trang bị")
    assert Asset.objects.get(pk=world.s2.pk).status == Asset.Status.SURPLUS


def test_an_officer_who_is_no_leader_cannot_approve(world):
    proposal = allocation.propose(world.specialist, 20)[0]
    response = english(SPECIALIST).post(
        f"{PROPOSALS}{proposal.pk}/duyet/", {"decision": "15/QĐ-STC", "on": today().isoformat()}
    )
    assert response.status_code == 403
    assert AllocationProposal.objects.get(pk=proposal.pk).status == Status.PROPOSED


def test_a_commune_sees_the_proposals_concerning_it_and_runs_nothing(world):
    allocation.propose(world.specialist, 120)
    commune = english(COMMUNE_LEADER)
    html = commune.get(PROPOSALS).content.decode()
    assert parts(html, "run-form") == []
    shown = {
        p.asset_id for p in AllocationProposal.objects.all() if parts(html, f"proposal-{p.pk}")
    }
    # Đô Lương's own scanner going out, and the province's printer coming in; not Văn Hiến's
    assert shown == {world.s2.pk, world.p1.pk}
    assert commune.post(f"{PROPOSALS}chay/", {"max_minutes": 60}).status_code == 403
    to_van_hien = AllocationProposal.objects.get(to_agency__code=f"{VAN_HIEN}.05.H40")
    assert (
        commune.post(
            f"{PROPOSALS}{to_van_hien.pk}/duyet/", {"decision": "x", "on": today().isoformat()}
        ).status_code
        == 404
    )


def test_the_from_and_to_columns_are_headed_as_agencies_in_vietnamese(world):
    allocation.propose(world.specialist, 120)
    html = client_for(SPECIALIST).get(PROPOSALS).content.decode()
    table_head = html[html.index("<thead>") : html.index("</thead>")]
    assert "Đơn vị giao" in table_head and "Đơn vị nhận" in table_head
    assert "Từ ngày" not in table_head and "Đến ngày" not in table_head


def test_a_run_making_nothing_says_the_travel_used_and_the_items_turned_down(world):
    proposals = allocation.propose(world.specialist, 20)
    assert [p.asset_id for p in proposals] == [world.s2.pk]
    allocation.reject(world.leader, proposals[0], "Xã đã tự trang bị")
    response = client_for(SPECIALIST).post(
        f"{PROPOSALS}chay/", {"max_minutes": 20, "idempotency_key": "k-2"}, follow=True
    )
    html = response.content.decode()
    assert "đến xã, phường còn thiếu loại đó trong phạm vi 20 phút đi lại." in html
    assert "1 tài sản dôi dư không được đề xuất: xã, phường còn thiếu loại đó đã từ chối" in html
