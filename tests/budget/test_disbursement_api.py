"""``/api/v1/budget``: a month's rates by dimension, a project's month entered (403, 404 and 422
as problem+json), a workbook imported all or nothing, and the pace read and set."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook

from haicap.accounts import services as account_services
from haicap.budget.disbursement_sheet import COLUMNS, TITLE
from haicap.budget.models import Disbursement, PaceTarget
from tests.budget import disbursement_world, world

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"
M = world.MILLION
PROBLEM = "application/problem+json"


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"})


def test_a_months_rates_by_a_dimension_with_those_behind():
    made = disbursement_world.make()
    answer = bearer(made.who.finance).get(
        f"{API}/disbursement", {"year": 2025, "month": 6, "by": "level"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["plan"], body["expected"], body["by"]) == ("2025", "45.00", "level")
    assert body["total"]["plan"] == 28_000 * M and body["total"]["disbursed"] == 8_500 * M
    assert body["total"]["share"] == "30.36" and body["total"]["behind"] is True
    levels = {g["key"]: (g["plan"], g["disbursed"], g["projects"]) for g in body["groups"]}
    assert levels == {
        "province": (12_000 * M, 3_000 * M, 1),
        "commune": (15_000 * M, 5_500 * M, 2),
        "-": (1_000 * M, 0, 1),
    }
    labels = {g["key"]: g["label"] for g in body["groups"]}
    assert labels == {"province": "Province", "commune": "Commune", "-": "No investor"}
    assert [p["code"] for p in body["behind"]] == ["DL-VH-04", "DL-GT-03", "DL-GT-01"]


def test_the_rates_are_scoped_and_their_query_checked():
    made = disbursement_world.make()
    mine = bearer(made.who.do_luong).get(f"{API}/disbursement", {"year": 2025, "month": 6})
    assert [g["label"] for g in mine.json()["groups"]] == ["Ủy ban nhân dân xã Đô Lương"]
    assert mine.json()["total"]["plan"] == 10_000 * M
    for query in (
        {"year": 2025, "month": 13},
        {"year": 2025},
        {"year": 2025, "month": 6, "by": "x"},
    ):
        bad = bearer(made.who.finance).get(f"{API}/disbursement", query)
        assert bad.status_code == 422 and bad["Content-Type"] == PROBLEM


def put(client, project, month, amount, year=2025):
    return client.put(
        f"{API}/projects/{project.pk}/disbursement/{year}/{month}",
        {"amount": amount},
        content_type="application/json",
    )


def test_an_investor_enters_its_projects_month_and_replaces_it():
    made = disbursement_world.make()
    client = bearer(made.who.do_luong)
    answer = put(client, made.road, 6, 1_200 * M)
    assert answer.status_code == 200
    assert answer.json()["amount"] == 1_200 * M and answer.json()["project"] == "DL-GT-01"
    assert answer.json()["entered_by"] == "chuyenvien.doluong"
    assert put(client, made.road, 6, 800 * M).status_code == 200
    assert Disbursement.objects.get(project=made.road, year=2025, month=6).amount == 800 * M


def test_refusals_are_problems_with_their_status():
    made = disbursement_world.make()
    commune = bearer(made.who.do_luong)
    hidden = put(commune, made.school, 6, 1)  # Bạch Hà's project: not even seen
    assert (hidden.status_code, hidden["Content-Type"]) == (404, PROBLEM)
    forbidden = put(bearer(made.who.supervisor), made.road, 6, 1)
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    over = put(commune, made.road, 6, 7_001 * M)
    assert (over.status_code, over.json()["code"]) == (422, "invalid_input")
    assert "10.000.000.000" in over.json()["detail"]  # the plan in force, named
    negative = put(commune, made.road, 6, -1)
    assert (negative.status_code, negative.json()["code"]) == (422, "validation_error")
    bad_month = commune.put(
        f"{API}/projects/{made.road.pk}/disbursement/2025/13",
        {"amount": 1},
        content_type="application/json",
    )
    assert bad_month.status_code == 422
    assert not Disbursement.objects.filter(project=made.road, month=6).exists()


def workbook(*lines) -> bytes:
    book = Workbook()
    book.active.title = TITLE
    book.active.append([c.header for c in COLUMNS])
    for line in lines:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes):
    file = io.BytesIO(content)
    file.name = "giai-ngan.xlsx"
    return client.post(f"{API}/disbursement/imports", {"file": file})


def test_a_workbook_is_imported_all_or_nothing():
    made = disbursement_world.make()
    client = bearer(made.who.finance)
    refused = upload(client, workbook(["DL-GT-01", 2025, 7, 1], ["DL-GT-03", 2025, 7, 99_999 * M]))
    assert (refused.status_code, refused.json()["code"]) == (422, "nothing_imported")
    assert [e["message"][:6] for e in refused.json()["errors"]] == ["Row 3:"]
    assert not Disbursement.objects.filter(month=7).exists()
    done = upload(client, workbook(["DL-GT-01", 2025, 7, 1], ["DL-GT-01", 2025, 5, 1_000 * M]))
    assert done.status_code == 200
    assert done.json() == {"created": 1, "replaced": 0, "unchanged": 1}
    nobody = upload(bearer(made.who.van_hien), workbook(["DL-GT-01", 2025, 7, 1]))
    assert nobody.status_code == 403


def test_the_pace_is_read_and_set_by_finance_only():
    made = disbursement_world.make()
    read = bearer(made.who.do_luong).get(f"{API}/plans/2025/pace")
    assert read.status_code == 200
    months = read.json()["months"]
    assert [m["month"] for m in months] == list(range(1, 13))
    assert {m["month"]: m["share"] for m in months if m["share"]} == {
        3: "20.00",
        6: "45.00",
        9: "70.00",
        12: "100.00",
    }
    body = {"months": [{"month": 6, "share": 50}, {"month": 12, "share": 100}]}
    denied = bearer(made.who.do_luong).put(f"{API}/plans/2025/pace", body, "application/json")
    assert denied.status_code == 403
    finance = bearer(made.who.finance)
    answer = finance.put(f"{API}/plans/2025/pace", body, "application/json")
    assert answer.status_code == 200
    assert dict(PaceTarget.objects.values_list("month", "share")) == {6: 50, 12: 100}
    falling = {"months": [{"month": 6, "share": 50}, {"month": 7, "share": 40}]}
    refused = finance.put(f"{API}/plans/2025/pace", falling, "application/json")
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_input")
    twice = {"months": [{"month": 6, "share": 50}, {"month": 6, "share": 60}]}
    assert finance.put(f"{API}/plans/2025/pace", twice, "application/json").status_code == 422
    assert finance.get(f"{API}/plans/1999/pace").status_code == 404


@pytest.mark.parametrize("amount", ['"1.000"', "true", "1e3", "1000.0"])
def test_a_months_amount_is_a_whole_json_number(amount):
    made = disbursement_world.make()
    answer = bearer(made.who.do_luong).put(
        f"{API}/projects/{made.road.pk}/disbursement/2025/6",
        f'{{"amount": {amount}}}',
        content_type="application/json",
    )
    assert (answer.status_code, answer["Content-Type"]) == (422, PROBLEM)
    assert not Disbursement.objects.filter(project=made.road, month=6).exists()


@pytest.mark.parametrize(
    "month",
    [
        '{"month": "6", "share": 50}',
        '{"month": 6, "share": "50"}',
        '{"month": true, "share": 50}',
        '{"month": 6.0, "share": 50}',
        '{"month": 6, "share": true}',
    ],
)
def test_a_pace_month_and_share_are_json_numbers(month):
    made = disbursement_world.make()
    before = list(PaceTarget.objects.values_list("month", "share"))
    answer = bearer(made.who.finance).put(
        f"{API}/plans/2025/pace", f'{{"months": [{month}]}}', content_type="application/json"
    )
    assert (answer.status_code, answer["Content-Type"]) == (422, PROBLEM)
    assert list(PaceTarget.objects.values_list("month", "share")) == before
