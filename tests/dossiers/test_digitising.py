"""Digitised papers (Decree 118 Art. 17(1)(c); Circular 01/2023 Art. 8): one PDF per paper, one
image per page, the page count checked, kept in the applicant's store and reused."""

import datetime as dt
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from haicap.calendar.workdays import VIETNAM
from haicap.core.errors import InvalidInput, NotFound, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.dossiers import selectors, services
from haicap.dossiers.history import differences
from haicap.dossiers.models import (
    ApplicantPaper,
    DigitisedPaper,
    Dossier,
    DossierDigitisation,
    DossierDocument,
    DossierEvent,
)
from haicap.dossiers.scans import scan_pages
from tests.dossiers.test_scenarios import CITIZEN, VAN_HIEN_DESK, act, at, receive

pytestmark = pytest.mark.django_db

LAND_CERTIFICATE = "Giấy chứng nhận quyền sử dụng đất"  # asked by X.DD.003 and X.DD.004
REQUEST = "Đơn xin chuyển mục đích sử dụng đất"  # X.DD.003 only


def page_image(color: tuple[int, int, int] = (200, 200, 200), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), color).save(out, kind)
    return out.getvalue()


def pages(*contents: bytes) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"trang-{i}.bin", c) for i, c in enumerate(contents, start=1)]


def digitise(user, code, paper, contents, counted, when=None, username="tiepnhan.doluong"):
    from haicap.core import clock

    with clock.fixed_at(when or at(3, 2, 9, 15)):
        return services.digitise_paper(user(username), code, paper, pages(*contents), counted)


def test_three_page_images_make_one_pdf_of_three_image_pages(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    scanned = [page_image((255, 0, 0)), page_image((0, 255, 0), "JPEG"), page_image((0, 0, 255))]
    digitised = digitise(user, code, LAND_CERTIFICATE, scanned, 3)

    assert (digitised.paper, digitised.pages, digitised.reused_from) == (LAND_CERTIFICATE, 3, None)
    pdf = digitised.document.file.read()
    assert pdf.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 3
        images = [list(page.get_images().values()) for page in document.pages]
        assert [len(i) for i in images] == [1, 1, 1]
        # lossless: the JPEG page is the uploaded JPEG itself, not a re-encoding of it
        assert images[1][0].read_raw_bytes() == scanned[1]
    assert (digitised.document.content_type, digitised.document.name) == (
        "application/pdf",
        LAND_CERTIFICATE,
    )
    # kept in the applicant's store, keyed by their citizen ID number
    stored = ApplicantPaper.objects.get(document=digitised.document)
    assert (stored.holder, stored.paper, stored.pages) == ("040195012345", LAND_CERTIFICATE, 3)
    assert (stored.dossier.code, stored.stored_by.username) == (code, "tiepnhan.doluong")
    assert stored.stored_at == at(3, 2, 9, 15)
    # recorded in the dossier's events, without moving its state
    event = DossierEvent.objects.get(dossier__code=code, action="digitise_paper")
    assert (event.from_step, event.to_step, event.data["pages"]) == ("received", "received", 3)
    # not a loose paper that an action (submitting the draft result) could claim
    assert digitised.document.event == event
    act(user, "tiepnhan.doluong", at(3, 2, 9, 20), code, "forward")
    with pytest.raises(InvalidInput):
        act(
            user,
            "chuyenvien.doluong",
            at(3, 2, 9, 25),
            code,
            "submit",
            document_ids=[digitised.document.pk],
        )
    assert differences(Dossier.objects.get(code=code)) == []
    # X.DD.003 asks for two papers: one of two digitised
    tally = DossierDigitisation.objects.get(dossier__code=code)
    assert (tally.papers_asked, tally.papers_digitised, tally.papers_reused) == (2, 1, 0)
    assert not tally.complete
    # the audit log names the store's owner masked
    audit = AuditRecord.objects.filter(action="dossier.paper_digitised").latest("id")
    assert audit.after["stored_for"] == "040******345"
    assert "040195012345" not in str(audit.after)


def test_a_scanned_pdf_and_images_are_merged_in_order(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    # a first scan, read back, is a two-page scanned PDF to merge with one more page image
    first = digitise(user, code, REQUEST, [page_image(), page_image()], 2)
    scanned_pdf = first.document.file.read()
    merged = digitise(user, code, LAND_CERTIFICATE, [scanned_pdf, page_image()], 3)
    assert scan_pages(merged.document.file.read()) == [1, 1, 1]
    tally = DossierDigitisation.objects.get(dossier__code=code)
    assert (tally.papers_digitised, tally.complete) == (2, True)


def test_a_count_that_differs_refuses_and_keeps_nothing(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    before = (DossierDocument.objects.count(), DossierEvent.objects.count())
    with pytest.raises(InvalidInput) as refused:
        digitise(user, code, LAND_CERTIFICATE, [page_image(), page_image(), page_image()], 4)
    assert refused.value.detail == (
        "Bản quét có 3 trang nhưng anh/chị đếm được 4 trang: hãy kiểm tra lại giấy tờ và quét "
        "lại. Chưa có gì được lưu."
    )
    assert (DossierDocument.objects.count(), DossierEvent.objects.count()) == before
    assert not ApplicantPaper.objects.exists()
    assert not DossierDigitisation.objects.filter(dossier__code=code).exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not an image at all", "không phải PDF, PNG hay JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "không đọc được"),
        (b"", "trống"),
    ],
)
def test_what_is_not_a_page_image_is_refused(user, content, words):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    with pytest.raises(InvalidInput) as refused:
        digitise(user, code, LAND_CERTIFICATE, [page_image(), content], 2)
    assert words in refused.value.detail
    assert "trang-2.bin" in refused.value.detail
    assert not DigitisedPaper.objects.exists()


def test_too_heavy_a_scan_is_refused_with_the_limit(user, monkeypatch):
    monkeypatch.setattr("haicap.dossiers.scans.MAX_SCAN_BYTES", 1024)
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    with pytest.raises(InvalidInput) as refused:
        digitise(user, code, LAND_CERTIFICATE, [page_image()] * 20, 20)
    assert refused.value.detail == "Các trang quét của một giấy tờ cộng lại lớn hơn 1,0\xa0KB."


def test_a_pdf_of_typed_text_is_not_a_scan(user):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    typed = canvas.Canvas(out)
    typed.drawString(100, 700, "typed, not scanned")
    typed.save()
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    with pytest.raises(InvalidInput) as refused:
        digitise(user, code, LAND_CERTIFICATE, [out.getvalue()], 1)
    assert "không phải ảnh quét" in refused.value.detail


def test_only_the_papers_of_the_list_are_digitised_once_and_not_those_only_shown(user):
    # X.HT.001: the ID paper is only shown at the desk (Circular 03/2025 Art. 5)
    birth = receive(user, at(3, 2, 9), "X.HT.001").dossier
    assert selectors.papers_to_digitise(birth.procedure) == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    with pytest.raises(InvalidInput):
        digitise(user, birth.code, "Giấy tờ tùy thân của người đi đăng ký", [page_image()], 1)
    digitise(user, birth.code, "Giấy chứng sinh", [page_image()], 1)
    with pytest.raises(InvalidInput) as again:
        digitise(user, birth.code, "Giấy chứng sinh", [page_image()], 1)
    assert "đã được số hóa" in again.value.detail
    with pytest.raises(InvalidInput):
        digitise(user, birth.code, "Giấy chứng sinh", [page_image()], 0)  # no count entered


def test_a_paper_of_an_online_dossier_brought_on_paper_is_digitised(user):
    # Decree 118/2025 Art. 17(1)(c): the exemption is per paper, not per dossier. The applicant
    # uploaded the request online and brings the land certificate to the desk on paper.
    online = receive(user, at(3, 2, 9), "X.DD.003", channel=Dossier.Channel.ONLINE).dossier
    assert services.may_digitise(user("tiepnhan.doluong"), online)
    brought = digitise(user, online.code, LAND_CERTIFICATE, [page_image(), page_image()], 2)
    assert (brought.dossier.code, brought.paper, brought.pages) == (
        online.code,
        LAND_CERTIFICATE,
        2,
    )
    # one of the list's two papers received on paper so far
    tally = DossierDigitisation.objects.get(dossier=online)
    assert (tally.papers_asked, tally.papers_digitised) == (2, 1)


def test_only_the_receiving_desk_digitises(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    assert services.may_digitise(user("tiepnhan.doluong"), Dossier.objects.get(code=code))
    with pytest.raises(PermissionDenied):
        digitise(user, code, REQUEST, [page_image()], 1, username="chuyenvien.doluong")
    with pytest.raises(NotFound):  # another commune does not even see the dossier
        digitise(user, code, REQUEST, [page_image()], 1, username="tiepnhan.vanhien")


def test_a_later_dossier_of_the_same_person_reuses_the_stored_copy(user):
    first = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    original = digitise(user, first, LAND_CERTIFICATE, [page_image(), page_image()], 2)
    later = receive(user, at(3, 9, 10), "X.DD.004").dossier
    desk = user("tiepnhan.doluong")

    offered = selectors.stored_copies_offered(desk, later)
    assert [(c.paper, c.pages, c.dossier.code) for c in offered] == [(LAND_CERTIFICATE, 2, first)]
    from haicap.core import clock

    with clock.fixed_at(at(3, 9, 10, 5)):
        reused = services.reuse_stored_paper(desk, later.code, offered[0].pk)

    assert (reused.dossier, reused.paper, reused.pages) == (later, LAND_CERTIFICATE, 2)
    assert reused.reused_from == offered[0]
    # the later dossier's paper points at the stored file: no byte copied
    assert reused.document.file.name == original.document.file.name
    assert reused.document.sha256 == original.document.sha256
    assert reused.document.pk != original.document.pk
    event = DossierEvent.objects.get(dossier=later, action="reuse_paper")
    assert (event.data["from_dossier"], event.actor.username) == (first, "tiepnhan.doluong")
    tally = DossierDigitisation.objects.get(dossier=later)
    assert (tally.papers_asked, tally.papers_digitised, tally.papers_reused) == (2, 1, 1)
    # taken once; the store still holds one copy (a reuse adds none)
    assert selectors.stored_copies_offered(desk, later) == []
    with pytest.raises(InvalidInput):
        services.reuse_stored_paper(desk, later.code, offered[0].pk)
    assert ApplicantPaper.objects.count() == 1


def test_the_store_is_seen_only_while_handling_a_dossier_of_that_person(user):
    first = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    digitise(user, first, LAND_CERTIFICATE, [page_image()], 1)
    holder = CITIZEN.id_number
    assert selectors.applicant_store(user("tiepnhan.doluong"), holder).count() == 1
    # another commune's officer holds no dossier of hers: her store is not theirs to see
    van_hien = user("tiepnhan.vanhien")
    assert selectors.applicant_store(van_hien, holder).count() == 0
    # nor does a province-wide supervisor, who sees figures, not people
    assert selectors.applicant_store(user("giamsat"), holder).count() == 0
    # once she files at Văn Hiến (receipt regardless of boundaries), that desk may reuse it
    there = receive(
        user, at(3, 9, 10), "X.DD.004", desk=VAN_HIEN_DESK, username="tiepnhan.vanhien"
    ).dossier
    stored = selectors.stored_copies_offered(van_hien, there)
    assert [c.dossier.code for c in stored] == [first]
    # the reuse of another person's copy is refused as if it did not exist
    stranger = receive(
        user,
        at(3, 9, 11),
        "X.DD.004",
        applicant=CITIZEN.__class__(name="Lê Văn Nam", id_number="040090011122"),
    ).dossier
    with pytest.raises(NotFound):
        services.reuse_stored_paper(user("tiepnhan.doluong"), stranger.code, stored[0].pk)


def test_the_store_closes_when_the_officers_dossiers_of_that_person_are_finished(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    digitise(user, code, LAND_CERTIFICATE, [page_image()], 1)
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "withdraw", note="Công dân rút hồ sơ")
    assert not Dossier.objects.get(code=code).is_open
    assert selectors.applicant_store(user("tiepnhan.doluong"), CITIZEN.id_number).count() == 0


def test_the_share_of_paper_dossiers_fully_digitised_in_a_period(user):
    # March 2026 at Đô Lương: A (X.DD.003) both papers digitised; B (X.DD.004) one of two,
    # reused from A; C online (exempt); D (X.DD.003) nothing digitised; E received in April.
    a = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    digitise(user, a, REQUEST, [page_image()], 1)
    digitise(user, a, LAND_CERTIFICATE, [page_image(), page_image()], 2)
    b = receive(user, at(3, 3, 9), "X.DD.004").dossier
    desk = user("tiepnhan.doluong")
    services.reuse_stored_paper(desk, b.code, selectors.stored_copies_offered(desk, b)[0].pk)
    receive(user, at(3, 4, 9), "X.DD.003", channel=Dossier.Channel.ONLINE)
    receive(user, at(3, 5, 9), "X.DD.003")
    e = receive(user, at(4, 1, 9), "X.DD.003").dossier.code
    digitise(user, e, REQUEST, [page_image()], 1, when=at(4, 1, 9, 30))

    march = selectors.digitisation_share(
        desk,
        dt.datetime(2026, 3, 1, tzinfo=VIETNAM),
        dt.datetime(2026, 4, 1, tzinfo=VIETNAM),
    )
    assert (
        march.paper_dossiers,
        march.fully_digitised,
        march.papers_digitised,
        march.papers_reused,
    ) == (3, 1, 3, 1)
    assert march.share == pytest.approx(1 / 3)
    # another commune's officer counts none of them
    assert selectors.digitisation_share(
        user("tiepnhan.vanhien"),
        dt.datetime(2026, 3, 1, tzinfo=VIETNAM),
        dt.datetime(2026, 4, 1, tzinfo=VIETNAM),
    ).paper_dossiers == (0)
