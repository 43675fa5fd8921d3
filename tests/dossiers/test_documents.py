"""Papers of a dossier: accepted by their content, kept with a checksum, needed by some actions."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.core.errors import InvalidInput
from haicap.dossiers import services
from haicap.dossiers.models import DossierDocument
from tests.api.test_dossiers_api import bearer
from tests.dossiers.office_files import docx_bytes
from tests.dossiers.test_scenarios import act, at, receive

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, code: str, name: str, content: bytes, filename: str = "giay-to.pdf"):
    return client.post(
        f"/api/v1/dossiers/{code}/documents",
        {"name": name, "file": SimpleUploadedFile(filename, content)},
    )


def test_submitting_for_approval_needs_the_draft_result(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    with pytest.raises(InvalidInput):
        services.act(user("chuyenvien.doluong"), code, "submit")  # no paper named
    specialist = bearer("chuyenvien.doluong")
    response = upload(specialist, code, "Dự thảo giấy xác nhận", PDF)
    assert response.status_code == 201
    body = response.json()
    assert (body["content_type"], body["size"]) == ("application/pdf", len(PDF))
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    dossier = act(
        user, "chuyenvien.doluong", at(3, 2, 10), code, "submit", document_ids=[body["id"]]
    )
    assert dossier.step == "approval"
    assert DossierDocument.objects.get(pk=body["id"]).event.action == "submit"
    # a paper already used cannot be claimed again
    with pytest.raises(InvalidInput):
        services.act(user("lanhdao.doluong"), code, "approve", document_ids=[body["id"]])
    downloaded = specialist.get(f"/api/v1/dossiers/{code}/documents/{body['id']}")
    assert b"".join(downloaded.streaming_content) == PDF
    assert downloaded["Content-Disposition"] == (
        "inline; filename*=utf-8''"
        "D%E1%BB%B1%20th%E1%BA%A3o%20gi%E1%BA%A5y%20x%C3%A1c%20nh%E1%BA%ADn.pdf"
    )


def test_a_paper_named_by_its_file_downloads_under_that_name_once(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    desk = bearer("tiepnhan.doluong")
    body = upload(desk, code, "", PDF, filename="to-khai.pdf").json()
    assert body["name"] == "to-khai.pdf"
    downloaded = desk.get(f"/api/v1/dossiers/{code}/documents/{body['id']}")
    assert downloaded["Content-Disposition"] == 'inline; filename="to-khai.pdf"'
    assert downloaded["Content-Type"] == "application/pdf"


def test_a_word_file_is_not_a_dossiers_paper(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    refused = upload(bearer("tiepnhan.doluong"), code, "Tờ khai", docx_bytes(), "to-khai.docx")
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_input")
    assert "PDF, PNG" in refused.json()["detail"]


def test_a_file_is_judged_by_its_content_not_its_name(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    desk = bearer("tiepnhan.doluong")
    disguised = upload(desk, code, "Tờ khai", b"MZ\x90\x00 not a pdf", filename="to-khai.pdf")
    assert (disguised.status_code, disguised.json()["code"]) == (422, "invalid_input")
    assert "PDF, PNG" in disguised.json()["detail"]
    empty = upload(desk, code, "Trống", b"")
    assert empty.status_code == 422
    png = upload(desk, code, "Ảnh chụp", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, filename="anh.bin")
    assert png.json()["content_type"] == "image/png"


def test_too_large_a_file_is_refused(user, monkeypatch):
    from haicap.dossiers import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 64)
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    response = upload(bearer("tiepnhan.doluong"), code, "Lớn", PDF + b" " * 100)
    # in the request's language (Vietnamese by default), with the limit
    assert (response.status_code, "lớn hơn 64" in response.json()["detail"]) == (422, True)


def test_another_commune_can_neither_add_nor_read_papers(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    document = upload(bearer("tiepnhan.doluong"), code, "Tờ khai", PDF).json()
    other = bearer("tiepnhan.vanhien")
    assert upload(other, code, "Lạ", PDF).status_code == 404
    assert other.get(f"/api/v1/dossiers/{code}/documents/{document['id']}").status_code == 404
    assert (
        bearer("giamsat").get(f"/api/v1/dossiers/{code}/documents/{document['id']}").status_code
        == 200
    )
