"""``/api/v1/budget``: the plans, the projects in the caller's scope (filters, keyset pages, a
plan's amounts), a project with its balances and ledger, adjusting and reversing once per
Idempotency-Key, the plan import as a multipart upload, and refusals as problem+json."""

import datetime as dt
import io
import json

import pytest
from django.test import Client
from openpyxl import Workbook

from haicap.accounts import services as account_services
from haicap.budget.models import LedgerEntry, Project
from haicap.budget.plan_columns import COLUMNS, TITLES, Kind
from haicap.core import clock
from tests.budget import world

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"
PROBLEM = "application/problem+json"
M = world.MILLION


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with clock.fixed_at(dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def made():
    return world.make()


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}"})


def codes(client: Client, **query) -> list[str]:
    answer = client.get(f"{API}/projects", query)
    assert answer.status_code == 200, answer.content
    return [item["code"] for item in answer.json()["items"]]


def post(client: Client, path: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"{API}{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_plans_are_listed(made):
    answer = bearer(made.who.finance).get(f"{API}/plans")
    assert [(p["code"], p["kind"]) for p in answer.json()] == [
        ("2025", "annual"),
        ("2026", "annual"),
        ("2021-2025", "medium_term"),
    ]
    assert Client().get(f"{API}/plans").status_code == 401


def test_the_caller_lists_the_projects_of_their_scope(made):
    assert codes(bearer(made.who.finance)) == ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]
    assert codes(bearer(made.who.bach_ha)) == ["DL-GD-02"]
    assert codes(bearer(made.who.van_hien)) == []
    other = bearer(made.who.bach_ha).get(f"{API}/projects/{made.road.pk}")
    assert other.status_code == 404
    assert other["Content-Type"] == PROBLEM
    assert other.json()["code"] == "not_found"


def test_the_list_filters_pages_by_keyset_and_gives_a_plans_amounts(made):
    finance = bearer(made.who.finance)
    assert codes(finance, field="transport") == ["DL-GT-01", "DL-GT-03"]
    assert codes(finance, investor=world.CONSTRUCTION) == ["DL-GT-03"]
    assert codes(finance, q="truong") == ["DL-GD-02"]
    assert codes(finance, plan="2026") == []
    first = finance.get(f"{API}/projects", {"limit": 2, "plan": "2025"}).json()
    assert [p["code"] for p in first["items"]] == ["DL-GD-02", "DL-GT-01"]
    assert first["items"][1]["in_plan"] == {"district": 10_000 * M}
    assert first["items"][1]["investor_level"] == "commune"
    rest = finance.get(f"{API}/projects", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["code"] for p in rest["items"]] == ["DL-GT-03", "DL-VH-04"]
    assert rest["items"][0]["in_plan"] is None  # no plan asked for
    assert rest["next_cursor"] is None
    assert finance.get(f"{API}/projects", {"plan": "2099"}).status_code == 404
    unknown = finance.get(f"{API}/projects", {"investor": "nope"})
    assert (unknown.status_code, unknown["Content-Type"]) == (422, PROBLEM)


def test_a_project_comes_with_its_sources_balances_and_ledger(made):
    answer = bearer(made.who.do_luong).get(f"{API}/projects/{made.road.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["fundings"] == {"district": 16_000 * M, "central": 4_000 * M}
    assert body["plans"] == [
        {
            "plan": "2025",
            "total": 10_000 * M,
            "balances": [
                {"source": "district", "level": "district", "amount": 8_000 * M},
                {"source": "central", "level": "district", "amount": 2_000 * M},
            ],
        }
    ]
    assert [(e["kind"], e["amount"], e["recorded_by"]) for e in body["entries"]] == [
        ("allocation", 8_000 * M, "chuyenvien.vondautu"),
        ("allocation", 2_000 * M, "chuyenvien.vondautu"),
    ]


ADJUSTMENT = {
    "plan": "2025",
    "source": "district",
    "level": "district",
    "amount": -1_000 * M,
    "decision_number": "210/QĐ-UBND",
    "decision_date": "2025-08-20",
    "reason": "Điều chỉnh giảm",
}


def test_finance_adjusts_once_per_idempotency_key(made):
    finance = bearer(made.who.finance)
    path = f"/projects/{made.road.pk}/entries"
    first = post(finance, path, ADJUSTMENT, key="adj-1")
    assert first.status_code == 201, first.content
    assert (first.json()["kind"], first.json()["amount"]) == ("adjustment", -1_000 * M)
    again = post(finance, path, ADJUSTMENT, key="adj-1")
    assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
    assert LedgerEntry.objects.filter(kind="adjustment").count() == 1
    reused = post(finance, path, ADJUSTMENT | {"amount": -5}, key="adj-1")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"amount": 0}, 422, "invalid_input"),
        ({"amount": -9_000 * M}, 422, "invalid_input"),
        ({"decision_date": "2025-12-01"}, 422, "invalid_input"),
        ({"plan": "2099"}, 404, "not_found"),
        ({"level": "ward"}, 422, "validation_error"),
        ({"reason": ""}, 422, "validation_error"),
    ],
)
def test_an_adjustment_refused_is_problem_json_and_writes_nothing(made, changes, status, code):
    answer = post(
        bearer(made.who.finance), f"/projects/{made.road.pk}/entries", ADJUSTMENT | changes
    )
    assert (answer.status_code, answer["Content-Type"], answer.json()["code"]) == (
        status,
        PROBLEM,
        code,
    )
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


def test_a_commune_may_not_adjust_its_own_project(made):
    answer = post(bearer(made.who.do_luong), f"/projects/{made.road.pk}/entries", ADJUSTMENT)
    assert (answer.status_code, answer.json()["code"]) == (403, "permission_denied")


def test_a_leader_reverses_an_entry_once(made):
    entry = LedgerEntry.objects.get(project=made.school)
    body = {"decision_number": "300/QĐ-UBND", "decision_date": "2025-09-01", "reason": "Trùng"}
    leader = bearer(made.who.finance_leader)
    first = post(leader, f"/entries/{entry.pk}/reversal", body, key="rev-1")
    assert first.status_code == 201, first.content
    assert (first.json()["reverses"], first.json()["amount"]) == (entry.pk, -5_000 * M)
    assert post(leader, f"/entries/{entry.pk}/reversal", body, key="rev-1").json() == first.json()
    twice = post(leader, f"/entries/{entry.pk}/reversal", body)
    assert (twice.status_code, twice.json()["code"]) == (409, "conflict")
    reversal = first.json()["id"]
    again = post(leader, f"/entries/{reversal}/reversal", body)
    assert (again.status_code, again.json()["code"]) == (422, "invalid_input")
    specialist = post(bearer(made.who.finance), f"/entries/{entry.pk}/reversal", body)
    assert specialist.status_code == 403
    hidden = post(bearer(made.who.do_luong), f"/entries/{entry.pk}/reversal", body)
    assert hidden.status_code == 404


def _upload(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    book.active.title = TITLES[Kind.PROJECTS]
    book.active.append([c.header for c in COLUMNS[Kind.PROJECTS]])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "du-an.xlsx"
    return buffer


MARKET = ["DL-HT-06", "Chợ trung tâm", "urban", "17662", world.CONSTRUCTION, "", "",
          "3.000.000.000", "3.000.000.000", "", "", "", ""]  # fmt: skip


def test_finance_imports_a_workbook_once_per_idempotency_key(made):
    finance = bearer(made.who.finance)
    headers = {"Idempotency-Key": "imp-1"}
    # the very same bytes sent again (openpyxl stamps the moment a workbook is saved)
    sent = _upload([MARKET]).getvalue()

    def same_file() -> io.BytesIO:
        again = io.BytesIO(sent)
        again.name = "du-an.xlsx"
        return again

    first = finance.post(f"{API}/imports", {"file": same_file()}, headers=headers)
    assert first.status_code == 201, first.content
    assert first.json() == {
        "rows": [{"sheet": "Dự án", "row": 2, "subject": "DL-HT-06", "outcome": "created"}]
    }
    again = finance.post(f"{API}/imports", {"file": same_file()}, headers=headers)
    assert again.json() == first.json()
    assert Project.objects.filter(code="DL-HT-06").count() == 1
    plain = finance.post(f"{API}/imports", {"file": _upload([MARKET])})
    assert plain.json()["rows"][0]["outcome"] == "unchanged"


def test_a_refused_import_names_each_row_and_writes_nothing(made):
    bad = [MARKET[:], MARKET[:]]
    bad[0][7] = "3,5"
    before = Project.objects.count()
    finance = bearer(made.who.finance)
    english = {"Accept-Language": "en"}
    answer = finance.post(f"{API}/imports", {"file": _upload(bad)}, headers=english)
    assert (answer.status_code, answer["Content-Type"]) == (422, PROBLEM)
    body = answer.json()
    assert body["code"] == "import_refused"
    assert [(e["sheet"], e["row"], e["column"]) for e in body["errors"]] == [
        ("Dự án", 2, "Tổng mức đầu tư (đồng)"),
        ("Dự án", 3, "Mã dự án"),
    ]
    assert body["errors"][1]["detail"].endswith("DL-HT-06 is already on row 2.")
    assert Project.objects.count() == before
    vietnamese = finance.post(f"{API}/imports", {"file": _upload(bad)})
    assert vietnamese.json()["errors"][1]["detail"].endswith("DL-HT-06 đã có ở dòng 2.")
    unreadable = io.BytesIO(b"nope")
    unreadable.name = "x.xlsx"
    answer = finance.post(f"{API}/imports", {"file": unreadable}, headers=english)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"detail": "File “x.xlsx”: the file is not a readable .xlsx workbook"}
    ]


def test_only_finance_imports(made):
    answer = bearer(made.who.do_luong).post(f"{API}/imports", {"file": _upload([MARKET])})
    assert (answer.status_code, answer["Content-Type"]) == (403, PROBLEM)
    assert not Project.objects.filter(code="DL-HT-06").exists()


BUDGET_OPERATIONS = {
    "GET /api/v1/budget/plans": "list_plans",
    "GET /api/v1/budget/projects": "list_projects",
    "GET /api/v1/budget/projects/{project_id}": "get_project",
    "POST /api/v1/budget/projects/{project_id}/entries": "adjust_plan",
    "POST /api/v1/budget/entries/{entry_id}/reversal": "reverse_entry",
    "POST /api/v1/budget/imports": "import_plan",
}


def test_the_project_operations_keep_their_ids():
    schema = Client().get("/api/v1/openapi.json").json()
    ids = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert {name: ids.get(name) for name in BUDGET_OPERATIONS} == {
        name: f"haicap_budget_api_{op}" for name, op in BUDGET_OPERATIONS.items()
    }


@pytest.mark.parametrize("amount", ['"1.000"', '"-1000"', "true", "-1e3", "-1000.0", "null"])
def test_an_amount_is_a_whole_json_number_never_text_a_boolean_or_a_float(made, amount):
    text = json.dumps(ADJUSTMENT).replace(str(-1_000 * M), amount)
    assert amount in text
    answer = bearer(made.who.finance).post(
        f"{API}/projects/{made.road.pk}/entries", text, content_type="application/json"
    )
    assert (answer.status_code, answer["Content-Type"]) == (422, PROBLEM)
    assert answer.json()["code"] == "validation_error"
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


@pytest.mark.parametrize("amount", [10**19, 9_223_372_036_854_000_000, -(10**16)])
def test_an_amount_beyond_any_plan_is_refused_and_the_sums_still_read(made, amount):
    finance = bearer(made.who.finance)
    body = {
        "plan": "2025",
        "source": "district",
        "level": "district",
        "amount": amount,
        "decision_number": "9/QĐ-UBND",
        "decision_date": "2025-06-01",
        "reason": "Điều chỉnh",
    }
    answer = finance.post(
        f"{API}/projects/{made.road.pk}/entries", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 422
    assert not LedgerEntry.objects.filter(project=made.road, kind="adjustment").exists()
    assert finance.get(f"{API}/projects/{made.road.pk}").status_code == 200


def test_the_service_refuses_an_amount_beyond_any_plan_too(made):
    from django.utils import translation

    from haicap.budget.services import ledger
    from haicap.core.errors import InvalidInput

    refused = pytest.raises(InvalidInput, match=r"at most 1\.000\.000\.000\.000\.000 ")
    with translation.override("en"), refused:
        ledger.adjust(
            made.who.finance,
            made.plans.y2025,
            made.road,
            source="district",
            level="district",
            amount=10**15 + 1,
            decision_number="9/QĐ-UBND",
            decision_date=dt.date(2025, 6, 1),
            reason="Điều chỉnh",
        )
