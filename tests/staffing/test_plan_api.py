"""``/api/v1/staffing/plans``: plans read in the caller's scope, asked for once per key, edited
while drafts, approved and revised, refusals as problem+json."""

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.core import clock
from haicap.staffing.models import SecondmentPlan
from tests.staffing.plan_world import BACH_HA, BEFORE_START, commune, in_english, plan_world

pytestmark = pytest.mark.django_db
API = "/api/v1/staffing/plans"
Status = SecondmentPlan.Status
RULES = {
    "title": "Biệt phái đất đai",
    "starts_on": "2026-05-01",
    "months": 6,
    "max_travel_minutes": 70,
    "max_per_agency": 2,
}


@pytest.fixture(autouse=True)
def english():
    with in_english(), clock.fixed_at(BEFORE_START):
        yield


@pytest.fixture
def world():
    return plan_world()


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"})


def ask(client: Client, key: str = "k-1", **changes) -> object:
    return client.post(
        API, RULES | changes, content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_a_plan_is_asked_for_once_per_key_and_read_with_its_figures(world):
    arranger = bearer(world.arranger)
    answer = ask(arranger)
    assert answer.status_code == 201
    plan = answer.json()
    assert (plan["status"], plan["version"], plan["solver_status"]) == ("draft", 1, "optimal")
    assert plan["uncovered"] == []
    by_name = {s["officer_name"]: s for s in plan["secondments"]}
    assert set(by_name) == {"Nguyễn Văn An", "Vũ Thị Giang"}
    giang = by_name["Vũ Thị Giang"]
    assert (giang["to_unit_id"], giang["field"], giang["travel_minutes"]) == (
        commune(BACH_HA).pk,
        "DATDAI",
        70,
    )
    assert (giang["host_gap_before"], giang["host_gap_after"]) == (2, 0)
    assert (giang["donor_norm"], giang["donor_filled_before"], giang["donor_filled_after"]) == (
        2,
        3,
        2,
    )
    assert giang["reason"].startswith("Xã Bạch Hà lacks 2 officers in đất đai")
    assert ask(arranger).json()["id"] == plan["id"]  # a retry
    reused = ask(arranger, max_travel_minutes=60)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert [p["id"] for p in arranger.get(API, {"status": "draft"}).json()["items"]] == [plan["id"]]
    assert arranger.get(f"{API}/{plan['id']}").json()["secondments"] == plan["secondments"]


@pytest.mark.parametrize("who", ["commune_officer", "other_department"])
def test_outside_the_staffing_authority_there_are_no_plans(world, who):
    plan = ask(bearer(world.arranger)).json()
    outsider = bearer(getattr(world, who))
    assert outsider.get(API).json()["items"] == []
    for answer in (
        outsider.get(f"{API}/{plan['id']}"),
        outsider.post(f"{API}/{plan['id']}/approve"),
        outsider.post(f"{API}/{plan['id']}/discard"),
        outsider.patch(
            f"{API}/{plan['id']}/secondments/{plan['secondments'][0]['id']}",
            {"decision_number": "1"},
            content_type="application/json",
        ),
    ):
        assert answer.status_code == 404
        assert answer["Content-Type"] == "application/problem+json"
    assert ask(outsider, key="k-2").status_code == 403


def test_a_draft_is_numbered_approved_and_revised_through_the_api(world):
    arranger, leader = bearer(world.arranger), bearer(world.leader)
    plan = ask(arranger).json()
    refused = leader.post(f"{API}/{plan['id']}/approve")
    assert refused.status_code == 422
    assert "decision number" in refused.json()["detail"]
    for n, secondment in enumerate(plan["secondments"], start=1):
        answer = arranger.patch(
            f"{API}/{plan['id']}/secondments/{secondment['id']}",
            {"decision_number": f"{n}/QĐ-SNV", "end_date": "2026-09-30"},
            content_type="application/json",
        )
        assert answer.status_code == 200
    assert arranger.post(f"{API}/{plan['id']}/approve").status_code == 403
    submitted = arranger.post(f"{API}/{plan['id']}/submit")
    assert submitted.status_code == 200
    assert (submitted.json()["status"], bool(submitted.json()["submitted_at"])) == ("draft", True)
    assert arranger.post(f"{API}/{plan['id']}/submit").status_code == 409
    approved = leader.post(f"{API}/{plan['id']}/approve").json()
    assert approved["status"] == "approved"
    assert {s["end_date"] for s in approved["secondments"]} == {"2026-09-30"}
    # an approved plan is a record
    changed = arranger.patch(
        f"{API}/{plan['id']}/secondments/{plan['secondments'][0]['id']}",
        {"decision_number": "khác"},
        content_type="application/json",
    )
    assert changed.status_code == 409
    assert (
        arranger.delete(
            f"{API}/{plan['id']}/secondments/{plan['secondments'][0]['id']}"
        ).status_code
        == 409
    )
    revision = arranger.post(f"{API}/{plan['id']}/revise", headers={"Idempotency-Key": "r-1"})
    assert revision.status_code == 201
    revised = revision.json()
    again = arranger.post(f"{API}/{plan['id']}/revise", headers={"Idempotency-Key": "r-1"})
    assert again.json()["id"] == revised["id"]
    assert (revised["version"], revised["revises_id"], revised["status"]) == (
        2,
        plan["id"],
        "draft",
    )
    assert [v["status"] for v in revised["versions"]] == ["approved", "draft"]
    assert all(s["needed"] for s in revised["secondments"])
    leader.post(f"{API}/{revised['id']}/approve")
    assert arranger.get(f"{API}/{plan['id']}").json()["status"] == "superseded"


def test_a_hand_added_secondment_breaking_a_constraint_is_a_problem_naming_it(world):
    arranger = bearer(world.arranger)
    plan = ask(arranger, max_travel_minutes=60).json()
    answer = arranger.post(
        f"{API}/{plan['id']}/secondments",
        {"officer_id": world.do_luong[1].pk, "unit_id": commune(BACH_HA).pk, "field": "DATDAI"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "plan_constraint"
    assert problem["detail"] == "Xã Đô Lương would keep 1 Đất đai officers, below its norm of 2."
    assert len(arranger.get(f"{API}/{plan['id']}").json()["secondments"]) == 1
    removed = arranger.delete(f"{API}/{plan['id']}/secondments/{plan['secondments'][0]['id']}")
    assert removed.json()["secondments"] == []
    added = arranger.post(
        f"{API}/{plan['id']}/secondments",
        {"officer_id": world.do_luong[1].pk, "unit_id": commune(BACH_HA).pk, "field": "DATDAI"},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert [s["officer_name"] for s in added.json()["secondments"]] == ["Trần Văn Bình"]
    assert added.json()["secondments"][0]["added_by_hand"] is True
