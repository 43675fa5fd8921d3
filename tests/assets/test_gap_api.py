"""``/api/v1/assets``: the gap table and the norms, and the allocation proposals run (once per
``Idempotency-Key``), approved and turned down, for the callers who may."""

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.accounts.models import User
from haicap.assets.models import AllocationProposal, Asset
from haicap.units.models import AdministrativeUnit
from tests.assets import gap_world
from tests.assets.gap_world import (
    BACH_HA,
    COMMUNE_LEADER,
    DO_LUONG,
    FINANCE,
    ILLUSTRATIVE,
    LEADER,
    SPECIALIST,
    VAN_HIEN,
    today,
)

world = gap_world.world

pytestmark = pytest.mark.django_db
API = "/api/v1/assets"


def bearer(username: str) -> Client:
    user = User.objects.get(username=username)
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"})


def run(client: Client, minutes: int, key: str = "") -> object:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"{API}/proposals",
        {"max_minutes": minutes},
        content_type="application/json",
        headers=headers,
    )


def test_the_gap_table_for_each_commune_and_kind(world):
    answer = bearer(SPECIALIST).get(f"{API}/gaps").json()
    communes = AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()
    assert len(answer["items"]) == communes * 3
    printers = next(
        i for i in answer["items"] if (i["unit_code"], i["kind_code"]) == (DO_LUONG, "printer")
    )
    assert printers == {
        "unit_id": world.communes.do_luong.pk,
        "unit_code": DO_LUONG,
        "commune": "xã Đô Lương",
        "kind_code": "printer",
        "kind": "Máy in",
        "desks": 1,
        "offices": 5,
        "per_desk": 0,
        "per_office": 1,
        "needed": 5,
        "held": 4,
        "gap": 1,
        "beyond": 0,
    }


def test_the_gap_table_filters_and_is_scoped(world):
    mine = bearer(COMMUNE_LEADER).get(f"{API}/gaps", {"kind": "scanner"}).json()["items"]
    assert [(i["unit_code"], i["kind_code"], i["gap"]) for i in mine] == [(DO_LUONG, "scanner", 0)]
    lacking = bearer(SPECIALIST).get(f"{API}/gaps", {"kind": "scanner", "lacking_only": True})
    assert DO_LUONG not in {i["unit_code"] for i in lacking.json()["items"]}
    unknown = bearer(SPECIALIST).get(f"{API}/gaps", {"kind": "office"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_input")


def test_the_norms(world):
    norms = bearer(COMMUNE_LEADER).get(f"{API}/norms").json()
    assert [(n["kind_code"], n["per"], n["count"], n["note"]) for n in norms] == [
        ("printer", "office", 1, ILLUSTRATIVE),
        ("scanner", "desk", 1, ILLUSTRATIVE),
        ("computer", "desk", 2, ILLUSTRATIVE),
        ("computer", "office", 1, ILLUSTRATIVE),
    ]


def test_finance_runs_the_allocation_once_per_key(world):
    finance = bearer(SPECIALIST)
    first = run(finance, 120, "run-a")
    assert first.status_code == 201
    made = first.json()["items"]
    assert [
        (p["asset_id"], p["from_agency"], p["to_agency"], p["travel_minutes"]) for p in made
    ] == [
        (world.s2.pk, f"{DO_LUONG}.05.H40", f"{BACH_HA}.05.H40", 20),
        (world.p1.pk, FINANCE, f"{DO_LUONG}.01.H40", 45),
        (world.s1.pk, FINANCE, f"{VAN_HIEN}.05.H40", 90),
    ]
    assert [(p["gap_before"], p["gap_after"], p["status"]) for p in made] == [
        (1, 0, "proposed"),
        (1, 0, "proposed"),
        (1, 0, "proposed"),
    ]
    again = run(finance, 120, "run-a")
    assert (again.status_code, again.json()["items"]) == (201, made)
    reused = run(finance, 60, "run-a")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert AllocationProposal.objects.count() == 3
    page = finance.get(f"{API}/proposals", {"status": "proposed", "limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]


def test_a_leader_approves_and_another_turns_down(world):
    made = run(bearer(SPECIALIST), 120).json()["items"]
    leader = bearer(LEADER)
    approved = leader.post(
        f"{API}/proposals/{made[0]['id']}/approve",
        {"decision": "15/QĐ-STC", "on": today().isoformat()},
        content_type="application/json",
    )
    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["decision"], body["gap_after"]) == ("approved", "15/QĐ-STC", 0)
    assert body["movement_id"] and body["from_agency"] == f"{DO_LUONG}.05.H40"
    assert Asset.objects.get(pk=world.s2.pk).holder.code == f"{BACH_HA}.05.H40"
    again = leader.post(
        f"{API}/proposals/{made[0]['id']}/approve",
        {"decision": "15/QĐ-STC", "on": today().isoformat()},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    turned = leader.post(
        f"{API}/proposals/{made[1]['id']}/reject",
        {"reason": "Không phù hợp"},
        content_type="application/json",
    )
    assert (turned.status_code, turned.json()["status"]) == (200, "rejected")


def test_who_may_not_is_refused(world):
    made = run(bearer(SPECIALIST), 120).json()["items"]
    refused = bearer(SPECIALIST).post(
        f"{API}/proposals/{made[0]['id']}/approve",
        {"decision": "15/QĐ-STC", "on": today().isoformat()},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    commune = bearer(COMMUNE_LEADER)
    assert run(commune, 60).status_code == 403
    # a proposal into Văn Hiến is not Đô Lương's to see
    assert (
        commune.post(
            f"{API}/proposals/{made[2]['id']}/reject",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    seen = {p["asset_id"] for p in commune.get(f"{API}/proposals").json()["items"]}
    assert seen == {world.s2.pk, world.p1.pk}
