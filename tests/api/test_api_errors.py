"""Input the API cannot use is a documented 4xx problem with a stable code, never a 500.

One example for each kind the schema fuzzing (test_schema_fuzz.py) looks for at random: empty
and unknown codes, moments outside the range the API reads, forged cursors, oversized and
malformed bodies.
"""

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory

from haicap.accounts.models import User
from haicap.core.pagination import encode_cursor
from haicap.core.views import bad_request
from tests.api.test_dossiers_api import NEW_DOSSIER, bearer, create, post

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def assert_problem(response, status: int, code: str) -> dict:
    assert (response.status_code, response["Content-Type"]) == (status, PROBLEM), response.content
    body = json.loads(response.content)
    assert (body["status"], body["code"]) == (status, code), body
    return body


def test_an_empty_code_in_the_path_is_a_404_problem():
    desk = bearer("tiepnhan.doluong")
    assert_problem(desk.get("/api/v1/dossiers/"), 404, "not_found")
    assert_problem(Client().get("/api/v1/public/dossiers/?pin=123456"), 404, "not_found")
    assert_problem(desk.get("/api/v1/no-such-thing"), 404, "not_found")


def test_an_empty_code_in_a_body_is_a_422_problem():
    desk = bearer("tiepnhan.doluong")
    for field in ("procedure_code", "receiving_agency_code"):
        response = post(desk, "/api/v1/dossiers", {**NEW_DOSSIER, field: ""})
        assert_problem(response, 422, "validation_error")
    submission = {
        "procedure_code": NEW_DOSSIER["procedure_code"],
        "desk_code": "",
        "applicant": NEW_DOSSIER["applicant"],
    }
    assert_problem(
        post(Client(), "/api/v1/public/submissions", submission), 422, "validation_error"
    )


def test_an_empty_code_in_a_query_is_a_422_problem():
    desk = bearer("tiepnhan.doluong")
    assert_problem(desk.get("/api/v1/dossiers", {"agency_code": ""}), 422, "validation_error")
    response = Client().get("/api/v1/calendar/due", {"start": "2025-07-01T08:00", "unit_code": ""})
    assert_problem(response, 422, "validation_error")


def test_an_unknown_code_is_a_404_or_422_problem():
    desk = bearer("tiepnhan.doluong")
    assert_problem(desk.get("/api/v1/dossiers/KHONG-CO"), 404, "not_found")
    response = post(desk, "/api/v1/dossiers", {**NEW_DOSSIER, "receiving_agency_code": "X.0"})
    assert_problem(response, 422, "invalid_input")
    response = Client().get(
        "/api/v1/calendar/due", {"start": "2025-07-01T08:00", "amount": 1, "unit_code": "99999"}
    )
    assert_problem(response, 404, "not_found")


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-12:00"]
)
def test_a_moment_out_of_range_in_a_query_is_a_422_problem(moment):
    desk = bearer("tiepnhan.doluong")
    assert_problem(desk.get("/api/v1/dossiers", {"received_from": moment}), 422, "validation_error")
    response = Client().get("/api/v1/calendar/due", {"start": moment, "amount": 1})
    assert_problem(response, 422, "validation_error")


def test_a_year_past_9999_is_a_422_problem():
    desk = bearer("tiepnhan.doluong")
    response = desk.get("/api/v1/dossiers", {"received_to": "99999-01-01T00:00:00"})
    assert_problem(response, 422, "validation_error")


def test_a_moment_with_an_offset_beyond_what_postgresql_keeps_is_read_as_its_instant():
    desk = bearer("tiepnhan.doluong")
    # ISO 8601 allows -23:25; PostgreSQL keeps offsets up to ±15:59 only
    response = desk.get("/api/v1/dossiers", {"received_to": "2444-05-05T14:29:06.6-23:25"})
    assert response.status_code == 200, response.content


def test_a_moment_out_of_range_in_a_body_is_a_422_problem():
    body = {**NEW_DOSSIER, "received_at": "0001-01-01T00:00:00", "backdate_reason": "giấy tờ cũ"}
    response = post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", body)
    assert_problem(response, 422, "validation_error")


def test_the_last_day_of_year_9999_in_a_log_book_is_a_422_problem():
    desk = bearer("tiepnhan.doluong")
    agency = desk.get("/api/v1/agencies", {"q": "Đô Lương"}).json()["items"][0]["id"]
    response = desk.get(
        f"/api/v1/agencies/{agency}/log-book", {"since": "9999-06-01", "until": "9999-12-31"}
    )
    assert_problem(response, 422, "validation_error")


@pytest.mark.parametrize(
    "values",
    [
        ["0001-01-01T00:00:00", 1],
        ["0001-01-01T00:00:00+07:00", 1],
        ["9999-12-31T23:59:59-12:00", 1],
        ["not a moment", 1],
    ],
)
def test_a_forged_cursor_is_a_422_problem(values):
    desk = bearer("tiepnhan.doluong")
    response = desk.get("/api/v1/dossiers", {"cursor": encode_cursor(values)})
    assert_problem(response, 422, "invalid_input")


def test_garbage_for_a_cursor_is_a_422_problem():
    desk = bearer("tiepnhan.doluong")
    assert_problem(desk.get("/api/v1/units", {"cursor": "%%%"}), 422, "invalid_input")


def test_a_body_that_is_not_json_is_a_400_problem():
    desk = bearer("tiepnhan.doluong")
    response = desk.post("/api/v1/dossiers", b"\x00{", content_type="application/json")
    assert_problem(response, 400, "malformed_body")


def test_an_oversized_body_is_a_413_problem(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    desk = bearer("tiepnhan.doluong")
    body = {**NEW_DOSSIER, "backdate_reason": "x" * 2000}
    response = desk.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    assert_problem(response, 413, "too_large")


def test_an_oversized_form_is_a_413_problem(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    code = create()["code"]
    response = bearer("tiepnhan.doluong").post(
        f"/api/v1/dossiers/{code}/documents",
        "name=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert_problem(response, 413, "too_large")


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",  # no boundary
        "multipart/form-data; boundary=",  # an empty one
        "multipart/form-data; boundary=" + "x" * 300,  # longer than a boundary may be
    ],
)
def test_a_malformed_multipart_body_is_a_400_problem(content_type):
    code = create()["code"]
    response = bearer("tiepnhan.doluong").post(
        f"/api/v1/dossiers/{code}/documents",
        b"--abc\r\nContent-Disposition: form-data; name=\r\n\r\n",
        content_type=content_type,
    )
    assert_problem(response, 400, "malformed_body")


def test_a_signed_in_post_without_its_csrf_token_is_a_403_problem():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="tiepnhan.doluong"))
    response = post(browser, "/api/v1/dossiers", NEW_DOSSIER)
    assert_problem(response, 403, "csrf_failed")


def test_a_request_refused_before_the_api_sees_it_is_a_problem_too():
    response = Client().get("/api/v1/me", headers={"host": "elsewhere.example"})
    assert_problem(response, 400, "bad_request")
    page = Client().get("/", headers={"host": "elsewhere.example"})
    assert (page.status_code, page["Content-Type"]) == (400, "text/html; charset=utf-8")
    # a body a middleware read first is past the size limit before the API's handlers run
    request = RequestFactory().post("/api/v1/dossiers")
    assert_problem(bad_request(request, RequestDataTooBig()), 413, "too_large")
