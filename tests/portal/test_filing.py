"""Filing online: the papers are judged by their content, kept with the submission, and handed
to the dossier when the desk accepts it."""

import hashlib

import pytest
from django.test import Client
from django.utils import translation

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import DossierDocument, OnlineSubmission, SubmissionDocument
from haicap.units.models import Agency
from tests.api.test_dossiers_api import bearer
from tests.dossiers.test_scenarios import at
from tests.portal.helpers import (
    PDF,
    PNG,
    alerts,
    file_online,
    paper,
    reference_and_pin,
    stored_files,
    text,
    visitor,
)

pytestmark = pytest.mark.django_db


def test_filing_online_keeps_the_submission_and_its_papers_and_shows_the_pin_once(settings):
    response = file_online(visitor())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    reference, pin = reference_and_pin(response)
    page = text(response)
    assert "Write down the reference and the PIN now." in page
    assert "Trung tâm Phục vụ hành chính công xã Đô Lương" in page
    assert f'href="/tra-cuu-ho-so/?ma={reference}"' in response.content.decode()
    submission = OnlineSubmission.objects.get(reference=reference)
    assert (submission.applicant_name, submission.applicant_id_number) == (
        "Hồ Văn Sơn",
        "040190054321",
    )
    assert (submission.procedure.national_code, submission.desk.code) == (
        "X.HT.007",
        "17662.05.H40",
    )
    assert submission.submitted_at == at(3, 2, 21, 30)
    assert pin not in submission.pin_hash  # kept only as a digest
    papers = list(submission.documents.order_by("pk"))
    assert [(p.name, p.content_type, p.size) for p in papers] == [
        ("to-khai.pdf", "application/pdf", len(PDF)),
        ("anh-cccd.png", "image/png", len(PNG)),
    ]
    assert [p.sha256 for p in papers] == [hashlib.sha256(c).hexdigest() for c in (PDF, PNG)]
    assert papers[0].file.read() == PDF
    assert len(stored_files(settings)) == 2


def test_a_commune_procedure_filed_at_the_provincial_centre_names_its_commune():
    client = visitor()
    centre = "000.02.00.H40"
    missing = file_online(client, desk=centre)
    assert any("Choose the commune" in a for a in alerts(missing))
    assert not OnlineSubmission.objects.exists()
    filed = file_online(client, desk=centre, commune="17662")
    reference, _pin = reference_and_pin(filed)
    submission = OnlineSubmission.objects.get(reference=reference)
    assert submission.competent_unit.code == "17662" and submission.desk.code == centre


@pytest.mark.parametrize(
    ("papers", "expected"),
    [
        (
            [paper("to-khai.pdf", PDF), paper("ghi-chu.pdf", b"just some text, renamed")],
            "“ghi-chu.pdf” is not a PDF, PNG or JPEG file",
        ),
        ([paper("trong.pdf", b"")], "“trong.pdf” is empty."),
    ],
)
def test_a_refused_paper_is_named_and_nothing_is_saved(settings, papers, expected):
    response = file_online(visitor(), papers=papers)
    assert response.status_code == 200
    assert any(expected in a for a in alerts(response)), alerts(response)
    assert not OnlineSubmission.objects.exists()
    assert not SubmissionDocument.objects.exists()
    assert stored_files(settings) == []
    assert 'value="Hồ Văn Sơn"' in response.content.decode()  # what was typed stays


def test_a_paper_too_big_is_refused(settings, monkeypatch):
    monkeypatch.setattr("haicap.dossiers.uploads.MAX_UPLOAD_BYTES", 40)
    response = file_online(visitor(), papers=[paper("ban-ve.pdf", PDF)])  # 60-odd bytes
    assert any("“ban-ve.pdf” is larger than 40" in a for a in alerts(response)), alerts(response)
    assert not OnlineSubmission.objects.exists() and stored_files(settings) == []


def test_too_many_papers_or_none_are_refused():
    client = visitor()
    eleven = [paper(f"trang-{i}.pdf", PDF) for i in range(11)]
    assert any("Send at most 10 files." in a for a in alerts(file_online(client, papers=eleven)))
    assert any("required" in a for a in alerts(file_online(client, papers=[])))
    assert not OnlineSubmission.objects.exists()


def test_the_applicant_is_checked_by_the_desk_rules():
    response = file_online(visitor(), id_number="123", phone="12345")
    messages = " ".join(alerts(response))
    assert "A citizen ID number has 12 digits" in messages
    assert "A Vietnamese phone number has 10 digits" in messages
    neither = file_online(visitor(), id_number="")
    assert any("citizen ID number or an enterprise code is needed" in a for a in alerts(neither))
    assert not OnlineSubmission.objects.exists()


def test_a_procedure_not_offered_online_has_no_filing_form(settings):
    client = visitor()
    page = client.get("/thu-tuc/X.CT.002/nop-truc-tuyen/")
    assert page.status_code == 404
    assert "This procedure cannot be filed online" in text(page)
    assert 'name="papers"' not in page.content.decode()
    posted = file_online(client, national_code="X.CT.002")
    assert posted.status_code == 404
    assert not OnlineSubmission.objects.exists() and stored_files(settings) == []


def test_filing_is_throttled_per_address(settings, monkeypatch):
    monkeypatch.setattr(services.online, "SUBMISSIONS_PER_ADDRESS_PER_HOUR", 1)
    client = visitor(REMOTE_ADDR="10.7.7.7")
    reference_and_pin(file_online(client))
    refused = file_online(client)
    assert refused.status_code == 429
    assert any("Too many filings from this address" in a for a in alerts(refused))
    assert OnlineSubmission.objects.count() == 1
    assert len(stored_files(settings)) == 2  # the refused filing's papers did not stay on disk


def test_the_service_refuses_a_bad_paper_before_writing_anything(settings):
    refusal = r"“notes\.pdf” is not a PDF, PNG or JPEG file"
    with translation.override("en"), pytest.raises(InvalidInput, match=refusal):
        services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.007"),
            desk=Agency.objects.get(code="17662.05.H40"),
            applicant=Applicant(name="Hồ Văn Sơn", id_number="040190054321"),
            uploads=[paper("ok.pdf", PDF), paper("notes.pdf", b"plain text")],
        )
    assert not OnlineSubmission.objects.exists() and stored_files(settings) == []


def test_accepting_a_submission_makes_its_papers_the_dossiers(user):
    reference, _pin = reference_and_pin(file_online(visitor()))
    submission = OnlineSubmission.objects.get(reference=reference)
    filed = {p.sha256: p for p in submission.documents.all()}
    with clock.fixed_at(at(3, 3, 8)):
        dossier = services.accept_submission(user("tiepnhan.doluong"), submission.pk)
    documents = list(DossierDocument.objects.filter(dossier=dossier).order_by("pk"))
    assert len(documents) == 2
    for document in documents:
        original = filed[document.sha256]
        assert (document.name, document.content_type, document.size) == (
            original.name,
            original.content_type,
            original.size,
        )
        assert document.file.name == original.file.name  # the same stored file
        assert document.uploaded_by is None and document.uploaded_at == original.uploaded_at
        assert document.event.action == "receive"  # filed with it, not free for a later action
    assert {d.name for d in documents} == {"to-khai.pdf", "anh-cccd.png"}
    desk = bearer("tiepnhan.doluong")
    pdf = next(d for d in documents if d.content_type == "application/pdf")
    downloaded = desk.get(f"/api/v1/dossiers/{dossier.code}/documents/{pdf.pk}")
    assert b"".join(downloaded.streaming_content) == PDF


def test_a_request_larger_than_all_papers_together_is_refused_before_it_is_read(settings):
    settings.REQUEST_BODY_LIMITS = {"/thu-tuc/": 100}  # core.middleware.BodySizeLimitMiddleware
    response = file_online(visitor(), papers=[paper("ho-so.pdf", PDF + b"0" * 200)])
    assert response.status_code == 413
    assert "larger than 100" in text(response), text(response)
    assert not OnlineSubmission.objects.exists() and stored_files(settings) == []


def test_invalid_filings_count_against_the_throttle_too(monkeypatch):
    monkeypatch.setattr(services.online, "SUBMISSIONS_PER_ADDRESS_PER_HOUR", 3)
    client = visitor(REMOTE_ADDR="10.7.7.8")
    assert file_online(client, phone="12345").status_code == 200  # a form error
    assert file_online(client, token="forged").status_code == 200  # a stale form
    assert file_online(client, papers=[paper("x.pdf", b"not a pdf")]).status_code == 200
    refused = file_online(client)  # the first valid one, but the fourth attempt
    assert refused.status_code == 429
    assert any("Too many filings from this address" in a for a in alerts(refused))
    assert 'value="Hồ Văn Sơn"' in refused.content.decode()  # what was typed is shown again
    assert not OnlineSubmission.objects.exists()
    # Another address is not held back, and the page speaks the visitor's language.
    assert file_online(visitor(REMOTE_ADDR="10.7.7.9")).status_code == 200
    vietnamese = Client(REMOTE_ADDR="10.7.7.8")
    page = file_online(vietnamese, phone="12345")
    assert page.status_code == 429
    assert any("Địa chỉ này đã gửi hồ sơ quá nhiều lần" in a for a in alerts(page))


def test_the_citizen_chooses_how_to_receive_the_result_and_the_dossier_keeps_it(user):
    client = visitor()
    no_address = file_online(client, result_delivery="post", address="")
    assert any("needs the applicant's address" in a for a in alerts(no_address))
    assert not OnlineSubmission.objects.exists()
    filed = file_online(client, result_delivery="post", address="Xóm 3, xã Đô Lương")
    reference, _pin = reference_and_pin(filed)
    submission = OnlineSubmission.objects.get(reference=reference)
    assert submission.result_delivery == "post"
    with clock.fixed_at(at(3, 3, 8)):
        dossier = services.accept_submission(user("tiepnhan.doluong"), submission.pk)
    assert (dossier.result_delivery, dossier.result_sets, dossier.log_number) == ("post", 1, 1)
