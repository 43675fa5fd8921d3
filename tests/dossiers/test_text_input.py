"""Every way text comes in refuses control characters, unpaired surrogates and noncharacters,
says which character and where, and saves nothing (the rule: ``haicap.core.characters``)."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from haicap.accounts.models import User
from haicap.catalog import procedure_sheet
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.core.sheets import read_rows
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier, OnlineSubmission
from haicap.exchange import mapping_sheet
from haicap.exchange.inbound import parsing as inbound
from haicap.units import unit_list
from haicap.units.models import Agency
from tests.api.test_dossiers_api import NEW_DOSSIER, PROBLEM, bearer, create, post
from tests.catalog.test_catalogue import GOOD_ROW
from tests.catalog.test_catalogue import HEADER as PROCEDURE_HEADER
from tests.conftest import client_for
from tests.desk.test_dossier_pages import BIRTH, DESK, MONDAY, intake_form
from tests.exchange.test_inbound_core import GOOD, TODAY
from tests.portal.helpers import alerts, file_online, visitor
from tests.units.test_unit_list import parse as parse_unit_list

BAD_NAME = "Nguyễn\x07Thị Mai"  # a bell at position 7
SAID = "a control character (U+0007) at position 7 is not allowed here"
SAID_IN_VIETNAMESE = "Không được nhập ký tự điều khiển (U+0007) ở vị trí thứ 7"


def with_name(body: dict, name: str) -> dict:
    return {**body, "applicant": {**body["applicant"], "name": name}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,code",
    [
        (BAD_NAME, "U+0007"),
        ("Nguyễn Thị\nMai", "U+000A"),  # a name is one line
        ("Nguyễn\x85Thị", "U+0085"),  # C1
        ("Nguyễn\ufdd0Thị", "U+FDD0"),
        ("Nguyễn\U0010ffff", "U+10FFFF"),
    ],
)
def test_the_api_refuses_such_a_name_with_a_problem_naming_the_field(name, code):
    response = post(bearer("tiepnhan.doluong"), "/api/v1/dossiers", with_name(NEW_DOSSIER, name))
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    [error] = response.json()["errors"]
    assert error["loc"][-1] == "name" and code in error["msg"]
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_a_control_character_in_a_note_but_keeps_its_line_breaks():
    code = create()["code"]
    desk = bearer("tiepnhan.doluong")
    url = f"/api/v1/dossiers/{code}/actions"
    refused = post(desk, url, {"action": "forward", "expected_version": 1, "note": "a\x1bb"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"][-1] == "note"
    kept = post(desk, url, {"action": "forward", "expected_version": 1, "note": "one\r\n\ttwo"})
    assert kept.status_code == 200, kept.content
    assert Dossier.objects.get(code=code).events.order_by("-pk")[0].note == "one\r\n\ttwo"


@pytest.mark.django_db
def test_the_api_refuses_such_a_name_for_an_online_filing_and_for_a_paper():
    body = {"procedure_code": "X.HT.007", "desk_code": DESK, "applicant": NEW_DOSSIER["applicant"]}
    response = post(
        bearer("tiepnhan.doluong"), "/api/v1/public/submissions", with_name(body, BAD_NAME)
    )
    assert response.status_code == 422 and not OnlineSubmission.objects.exists()
    code = create()["code"]
    upload = bearer("tiepnhan.doluong").post(
        f"/api/v1/dossiers/{code}/documents",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), "name": "Tờ\x00khai"},
    )
    assert upload.status_code == 422 and upload.json()["errors"][0]["loc"][-1] == "name"


@pytest.mark.django_db
def test_the_desk_intake_form_refuses_such_a_name_in_vietnamese_and_saves_nothing():
    with clock.fixed_at(MONDAY):
        response = client_for("tiepnhan.doluong").post(
            reverse("desk:intake"), intake_form(name=BAD_NAME)
        )
    assert response.status_code == 422
    assert SAID_IN_VIETNAMESE in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_the_desk_refuses_such_a_note_on_an_action_and_a_token_name():
    code = create()["code"]
    desk = client_for("tiepnhan.doluong")
    response = desk.post(
        reverse("desk:dossier_act", args=[code]),
        {"action": "forward", "version": "1", "note": "xin\x07chào"},
    )
    assert response.status_code == 422 and "U+0007" in response.content.decode()
    assert Dossier.objects.get(code=code).step == "received"
    token = desk.post(reverse("desk:issue_token"), {"name": "kho\x07dữ liệu"})
    assert token.status_code == 422 and SAID_IN_VIETNAMESE[:40] in token.content.decode()


@pytest.mark.django_db
def test_the_portal_filing_form_refuses_such_a_name_and_keeps_nothing():
    response = file_online(visitor(), name=BAD_NAME)
    assert response.status_code == 200  # the portal's forms answer with their errors shown
    assert any(SAID[0].upper() + SAID[1:] in alert for alert in alerts(response)), alerts(response)
    assert not OnlineSubmission.objects.exists()


@pytest.mark.django_db
def test_the_admin_forms_refuse_such_text():
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    agency_admin = admin.site._registry[Agency]
    form_class = agency_admin.get_form(request, Agency.objects.get(code=DESK), change=True)
    with pytest.raises(ValidationError, match=re.escape("(U+0007) ở vị trí thứ 4")):
        form_class().fields["name"].clean("Một\x07")


@pytest.mark.django_db
def test_the_service_refuses_such_a_name_whatever_calls_it(user):
    with clock.fixed_at(MONDAY), pytest.raises(InvalidInput, match=re.escape(f"name: {SAID}")):
        services.receive(
            user("tiepnhan.doluong"),
            procedure=Procedure.objects.get(national_code=BIRTH),
            receiving_agency=Agency.objects.get(code=DESK),
            applicant=Applicant(name=BAD_NAME, id_number="040195012345"),
        )
    assert not Dossier.objects.exists()


def test_an_inbound_national_filing_is_refused_with_the_reason():
    applicant = {**GOOD["applicant"], "name": "Lê\x1fThị Hương"}
    documents = [{"name": "Tờ\x0bkhai", "url": "https://dichvucong.gov.vn/f/1.pdf"}]
    reading = inbound.read_filing({**GOOD, "applicant": applicant, "documents": documents}, TODAY)
    assert reading.filing is None
    assert reading.problems == {
        "applicant.name": "a control character (U+001F) at position 3 is not allowed here",
        "documents[0].name": "a control character (U+000B) at position 3 is not allowed here",
    }


def test_a_procedure_sheet_row_is_refused_with_its_line():
    bad_row = GOOD_ROW.replace("Thủ tục thử", "Thủ\x07tục")
    header, rows = read_rows("x.csv", f"{PROCEDURE_HEADER}\n{bad_row}\n".encode())
    with pytest.raises(procedure_sheet.SheetError) as caught:
        procedure_sheet.parse_rows(rows, header)
    assert caught.value.problems == [
        "line 2: name: a control character (U+0007) at position 4 is not allowed here"
    ]


def test_a_code_mapping_row_is_refused_with_its_line():
    header = ["target", "kind", "local_code", "national_code", "note"]
    rows = [
        {"target": "dvcqg", "kind": "status", "local_code": "received", "national_code": "01"},
        {"target": "dvcqg", "kind": "status", "local_code": "done", "national_code": "0\ufffe"},
    ]
    with pytest.raises(mapping_sheet.SheetError) as caught:
        mapping_sheet.parse_rows(rows, header)
    assert caught.value.problems == [
        "line 3: national_code: a noncharacter (U+FFFE) at position 2 is not allowed here"
    ]


def test_a_unit_list_row_is_refused_with_its_line():
    with pytest.raises(unit_list.UnitListError) as caught:
        parse_unit_list("1,xã,Một\x00,xã A; xã B,2\n")
    assert caught.value.problems == [
        "line 2: name: a control character (U+0000) at position 4 is not allowed here"
    ]
