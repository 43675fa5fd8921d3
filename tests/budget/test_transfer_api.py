"""``/api/v1/budget/batches``: drafting once per Idempotency-Key, the check explained project by
project, correcting a draft, an approval refused with every difference listed, then approved;
an approved batch frozen; who may see and do what; problem+json errors."""

import datetime as dt
import json

import pytest
from django.test import Client

from haicap.accounts import services as account_services
from haicap.budget.models import LedgerEntry, TransferBatch
from haicap.core import clock
from tests.budget import world

pytestmark = pytest.mark.django_db
API = "/api/v1/budget/batches"
PROBLEM = "application/problem+json"
M = world.MILLION
# Noon in Vietnam: a moment read as "now" late in a UTC evening is already the next day there.
JULY_20_NOON = dt.datetime(2025, 7, 20, 5, tzinfo=dt.UTC)


@pytest.fixture
def made():
    return world.make()


def bearer(user, language: str = "en") -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": language})


def send(client: Client, method: str, path: str, body: dict | None = None, key: str = ""):
    headers = {"Idempotency-Key": key} if key else {}
    return getattr(client, method)(
        path, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def drafted(made, client: Client | None = None, key: str = "") -> dict:
    body = {"plan": "2025", "district_id": made.district.pk, "title": "Chuyển vốn Đô Lương"}
    answer = send(client or bearer(made.who.finance), "post", API, body, key)
    assert answer.status_code == 201, answer.content
    return answer.json()


def entry_of(batch: dict, code: str, level: str, source: str = "district") -> dict:
    return next(
        e
        for e in batch["entries"]
        if (e["project_code"], e["level"], e["source"]) == (code, level, source)
    )


def test_a_draft_lists_its_pairs_the_check_and_the_waiting_project(made):
    batch = drafted(made)
    assert batch["status"] == "draft" and batch["plan"] == "2025"
    assert batch["district"] == "huyện Đô Lương"
    assert batch["entry_count"] == 8 and batch["moved"] == 27_000 * M
    assert {(e["project_code"], e["level"], e["amount"]) for e in batch["entries"]} == {
        ("DL-GT-01", "district", -8_000 * M),
        ("DL-GT-01", "commune", 8_000 * M),
        ("DL-GT-01", "district", -2_000 * M),
        ("DL-GT-01", "commune", 2_000 * M),
        ("DL-GD-02", "district", -5_000 * M),
        ("DL-GD-02", "commune", 5_000 * M),
        ("DL-GT-03", "district", -12_000 * M),
        ("DL-GT-03", "province", 12_000 * M),
    }
    check = batch["check"]
    assert check["approvable"] is True and check["differences"] == []
    assert check["province_total_before"] == check["province_total_after"] == 28_000 * M
    assert check["waiting_for_investor"] == [
        {
            "project_code": "DL-VH-04",
            "project": "Nhà văn hóa trung tâm",
            "district_capital": 1_000 * M,
        }
    ]
    listed = bearer(made.who.supervisor).get(API).json()["items"]
    assert [item["id"] for item in listed] == [batch["id"]]


def test_a_draft_sent_twice_with_its_key_is_made_once(made):
    first = drafted(made, key="once")
    again = drafted(made, key="once")
    assert again["id"] == first["id"] and TransferBatch.objects.count() == 1


def test_an_unbalanced_project_is_refused_naming_it_then_fixed_and_approved(made):
    finance, leader = bearer(made.who.finance), bearer(made.who.finance_leader, "vi")
    batch = drafted(made, finance)
    road_in = entry_of(batch, "DL-GT-01", "commune")
    path = f"{API}/{batch['id']}"
    changed = send(finance, "patch", f"{path}/entries/{road_in['id']}", {"amount": 7_500 * M})
    assert changed.status_code == 200, changed.content
    check = changed.json()["check"]
    assert check["approvable"] is False
    assert [(d["project_code"], d["problem"]) for d in check["differences"]] == [
        ("DL-GT-01", "unbalanced")
    ]
    assert check["differences"][0]["decreases"] == 10_000 * M
    assert check["differences"][0]["increases"] == 9_500 * M
    decision = {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"}
    with clock.fixed_at(JULY_20_NOON):
        refused = send(leader, "post", f"{path}/approval", decision)
    assert refused.status_code == 409
    assert refused["Content-Type"] == PROBLEM
    problem = refused.json()
    assert problem["code"] == "transfer_not_balanced"
    assert [e["project_code"] for e in problem["errors"]] == ["DL-GT-01"]
    assert "chênh lệch 500.000.000 đ" in problem["errors"][0]["text"]
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TRANSFER).exists()
    send(finance, "patch", f"{path}/entries/{road_in['id']}", {"amount": 8_000 * M})
    with clock.fixed_at(JULY_20_NOON):
        approved = send(leader, "post", f"{path}/approval", decision)
    assert approved.status_code == 200, approved.content
    answer = approved.json()
    assert answer["status"] == "approved" and answer["decision_number"] == "1234/QĐ-UBND"
    assert answer["approved_by"] == "lanhdao.vondautu"
    assert LedgerEntry.objects.filter(batch_id=batch["id"]).count() == 8


def test_entries_are_added_and_removed_in_a_draft(made):
    finance = bearer(made.who.finance)
    batch = drafted(made, finance)
    path = f"{API}/{batch['id']}/entries"
    body = {"project_code": "DL-GT-03", "source": "other", "level": "province", "amount": 5 * M}
    added = send(finance, "post", path, body)
    assert added.status_code == 201, added.content
    problems = {(d["project_code"], d["problem"]) for d in added.json()["check"]["differences"]}
    assert problems == {("DL-GT-03", "unbalanced")}
    new = entry_of(added.json(), "DL-GT-03", "province", "other")
    assert send(finance, "post", path, body).json()["code"] == "conflict"
    zero = send(finance, "post", path, body | {"level": "commune", "amount": 0})
    assert zero.status_code == 422 and zero["Content-Type"] == PROBLEM
    unknown = send(finance, "post", path, body | {"project_code": "KHONG-CO"})
    assert unknown.status_code == 404
    assert finance.delete(f"{path}/{new['id']}").status_code == 204
    assert finance.get(f"{API}/{batch['id']}").json()["check"]["approvable"] is True


def test_an_approved_batch_answers_every_change_with_409(made):
    batch = drafted(made)
    path = f"{API}/{batch['id']}"
    leader = bearer(made.who.finance_leader)
    decision = {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"}
    with clock.fixed_at(JULY_20_NOON):
        assert send(leader, "post", f"{path}/approval", decision).status_code == 200
        again = send(leader, "post", f"{path}/approval", decision)
    assert (again.status_code, again.json()["code"]) == (409, "transfer_approved")
    finance = bearer(made.who.finance)
    entry = batch["entries"][0]
    for answer in (
        send(finance, "patch", f"{path}/entries/{entry['id']}", {"amount": 1}),
        finance.delete(f"{path}/entries/{entry['id']}"),
        send(
            finance,
            "post",
            f"{path}/entries",
            {"project_code": "DL-GT-01", "source": "other", "level": "commune", "amount": 1},
        ),
    ):
        assert answer.status_code == 409 and answer.json()["code"] == "transfer_approved"
    assert bearer(made.who.supervisor).get(path).json()["check"]["approvable"] is True


def test_who_may_see_and_do_what(made):
    batch = drafted(made)
    path = f"{API}/{batch['id']}"
    # a commune reads its own projects but no batch
    commune = bearer(made.who.do_luong)
    assert commune.get(API).json()["items"] == []
    hidden = commune.get(path)
    assert hidden.status_code == 404 and hidden["Content-Type"] == PROBLEM
    # a specialist drafts and corrects but does not approve; a supervisor only reads
    decision = {"decision_number": "1234/QĐ-UBND", "decision_date": "2025-07-15"}
    specialist = send(bearer(made.who.finance), "post", f"{path}/approval", decision)
    assert specialist.status_code == 403 and specialist["Content-Type"] == PROBLEM
    supervisor = bearer(made.who.supervisor)
    entry = batch["entries"][0]
    answer = send(supervisor, "patch", f"{path}/entries/{entry['id']}", {"amount": 1})
    assert answer.status_code == 403
    drafting = {"plan": "2025", "title": "X"}
    assert send(supervisor, "post", API, drafting).status_code == 403
    assert Client().get(API).status_code == 401


def test_bad_input_is_refused_with_a_reason(made):
    finance = bearer(made.who.finance)
    unknown_plan = send(finance, "post", API, {"plan": "1999", "title": "X"})
    assert unknown_plan.status_code == 404
    no_title = send(finance, "post", API, {"plan": "2025", "title": " "})
    assert no_title.status_code == 422 and no_title.json()["code"] == "invalid_input"
    commune = world.unit(world.BACH_HA)
    not_district = send(
        finance, "post", API, {"plan": "2025", "district_id": commune.pk, "title": "X"}
    )
    assert not_district.status_code == 404
    batch = drafted(made, finance)
    leader = bearer(made.who.finance_leader)
    path = f"{API}/{batch['id']}/approval"
    with clock.fixed_at(JULY_20_NOON):
        future = send(leader, "post", path, {"decision_number": "1", "decision_date": "2025-07-21"})
        early = send(leader, "post", path, {"decision_number": "1", "decision_date": "2024-12-31"})
    assert future.status_code == early.status_code == 422
    assert TransferBatch.objects.get(pk=batch["id"]).is_draft


@pytest.mark.parametrize("amount", ['"5.000.000"', "true", "5e6", "5000000.0"])
def test_an_entrys_amount_is_a_whole_json_number(made, amount):
    finance = bearer(made.who.finance)
    batch = drafted(made, finance)
    path = f"{API}/{batch['id']}/entries"
    body = '{"project_code": "DL-GT-03", "source": "other", "level": "province", "amount": %s}'
    added = finance.post(path, body % amount, content_type="application/json")
    assert (added.status_code, added["Content-Type"]) == (422, PROBLEM)
    entry = batch["entries"][0]
    changed = finance.patch(
        f"{path}/{entry['id']}", f'{{"amount": {amount}}}', content_type="application/json"
    )
    assert (changed.status_code, changed["Content-Type"]) == (422, PROBLEM)
    assert finance.get(f"{API}/{batch['id']}").json()["entries"] == batch["entries"]
