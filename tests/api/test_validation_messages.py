"""The API's validation problems speak the request's language (Vietnamese unless the client
asks otherwise) and still say which field is wrong."""

import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.validation_messages import MESSAGES, message
from tests.api.test_dossiers_api import NEW_DOSSIER, bearer, post

pytestmark = pytest.mark.django_db

TOO_LONG = {**NEW_DOSSIER, "applicant": {**NEW_DOSSIER["applicant"], "name": "A" * 201}}
NO_PROCEDURE = {k: v for k, v in NEW_DOSSIER.items() if k != "procedure_code"}


def problem(body: dict, **headers) -> dict:
    response = post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", body, **headers)
    assert response.status_code == 422, response.content
    return response.json()


def test_a_missing_field_is_named_in_vietnamese_by_default():
    body = problem(NO_PROCEDURE)
    [error] = body["errors"]
    assert error["loc"] == ["body", "procedure_code"] and error["type"] == "missing"
    assert error["msg"] == "Trường này là bắt buộc."
    assert "body.procedure_code: Trường này là bắt buộc." in body["detail"]
    assert "body.body" not in body["detail"]
    assert body["title"] == "Dữ liệu nhập không hợp lệ"


def test_a_missing_field_is_named_in_english_when_the_client_asks_for_it():
    body = problem(NO_PROCEDURE, **{"Accept-Language": "en-GB,en;q=0.8"})
    [error] = body["errors"]
    assert error["msg"] == "This field is required."
    assert "procedure_code: This field is required." in body["detail"]


@pytest.mark.parametrize(
    "language,expected",
    [("vi", "Nhập tối đa 200 ký tự."), ("en", "Enter at most 200 characters.")],
)
def test_a_limit_is_told_with_its_number_in_each_language(language, expected):
    [error] = problem(TOO_LONG, **{"Accept-Language": language})["errors"]
    assert error["loc"] == ["body", "applicant", "name"] and error["msg"] == expected


def test_a_query_parameter_out_of_its_choices_lists_them_in_vietnamese():
    response = bearer("tiepnhan.doluong").get("/api/v1/units", {"status": "sometimes"})
    [error] = response.json()["errors"]
    assert error["loc"][-1] == "status" and error["msg"].startswith("Chọn một trong các giá trị: ")
    assert " or " not in error["msg"]


def test_a_body_that_is_not_json_is_told_in_the_requests_language():
    answers = {
        "vi": "Hãy gửi JSON (hoặc biểu mẫu multipart khi kèm tệp) theo đúng mô tả của thao tác.",
        "en": "Send JSON (or a multipart form for a file) in the form the operation describes.",
    }
    for language, expected in answers.items():
        response = bearer("tiepnhan.doluong").post(
            "/api/v1/dossiers",
            "{not json",
            content_type="application/json",
            headers={"Accept-Language": language},
        )
        problem = json.loads(response.content)
        assert (response.status_code, problem["code"]) == (400, "malformed_body")
        assert problem["detail"] == expected


@given(
    kind=st.sampled_from([*sorted(MESSAGES), "some_new_type"]),
    ctx=st.dictionaries(
        st.sampled_from(["min_length", "max_length", "ge", "gt", "le", "lt", "expected"]),
        st.integers() | st.sampled_from(["", "'a' or 'b'", "%s", "x"]),
    ),
)
@settings(deadline=None)
def test_every_error_gets_a_message_in_the_language_never_an_exception(kind, ctx):
    with translation.override("vi"):
        text = message({"type": kind, "loc": ("body", "x"), "msg": "English", "ctx": ctx})
    assert text and text != "English"
