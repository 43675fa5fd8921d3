"""Text stored before input refused control characters still exports, prints and renders.

The rows are written through the ORM, past every input check, as older data was."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.api.test_dossiers_api import bearer
from tests.conftest import client_for
from tests.desk.test_dossier_pages import DESK, received

pytestmark = pytest.mark.django_db

STORED = "Trần Văn\x07 Bình\x1b\ufffe"  # as an old import left it
SHOWN = "Trần Văn\ufffd Bình\ufffd\ufffd"  # what an export shows in its place


@pytest.fixture
def dossier(user) -> Dossier:
    dossier = received(user)[0]
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name=STORED, applicant_address="Xóm 3\x0b Đô Lương"
    )
    dossier.refresh_from_db()
    assert dossier.applicant_name == STORED
    return dossier


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_desk_list_exports_to_excel_with_the_rest_of_the_name(dossier):
    response = client_for("tiepnhan.doluong").get(reverse("desk:dossier_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == [SHOWN]


def test_the_dossier_page_and_the_list_render(dossier):
    desk = client_for("tiepnhan.doluong")
    for url in (reverse("desk:dossier", args=[dossier.code]), reverse("desk:dossier_list")):
        response = desk.get(url)
        assert response.status_code == 200
        assert "Trần Văn" in response.content.decode() and "Bình" in response.content.decode()


@pytest.mark.parametrize("form", ["01", "06"])  # the slip, the control sheet: any step
def test_the_forms_print_with_the_rest_of_the_name(dossier, form):
    # reportlab draws the character's blank box either way; the form must still come out
    response = client_for("tiepnhan.doluong").get(
        reverse("desk:dossier_form", args=[dossier.code, form])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert dossier.code in text and "Trần Văn" in text and "Bình" in text


def test_the_log_book_prints_with_the_rest_of_the_name(dossier):
    agency = Agency.objects.get(code=DESK)
    day = f"{dossier.received_at:%Y-%m-%d}"
    response = bearer("tiepnhan.doluong").get(
        f"/api/v1/agencies/{agency.pk}/log-book", {"since": day, "until": day}
    )
    assert response.status_code == 200
    assert "Bình" in pdf_text(response.content)


def test_the_api_answers_with_the_name_as_stored(dossier):
    api = bearer("tiepnhan.doluong")
    listed = api.get("/api/v1/dossiers")
    assert listed.status_code == 200
    assert [item["applicant_name"] for item in listed.json()["items"]] == [STORED]
    detail = api.get(f"/api/v1/dossiers/{dossier.code}")
    assert (detail.status_code, detail.json()["applicant_name"]) == (200, STORED)


def test_a_unit_with_a_control_character_in_its_name_still_exports(dossier):
    agency = Agency.objects.get(code=DESK)
    Agency.objects.filter(pk=agency.pk).update(name=agency.name + "\x01")
    response = client_for("admin").get(reverse("desk:agency_list"), {"export": "xlsx"})
    assert response.status_code == 200
    names = [
        row[1]
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert agency.name + "\ufffd" in names
