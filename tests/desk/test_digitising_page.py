"""The dossier page's digitised papers: the desk scans a paper, sees a refusal in Vietnamese
when its count differs, and takes a stored copy for a later dossier of the same person."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.dossiers.models import ApplicantPaper, DigitisedPaper
from tests.conftest import client_for
from tests.dossiers.test_digitising import LAND_CERTIFICATE, page_image
from tests.dossiers.test_scenarios import at, receive

pytestmark = pytest.mark.django_db


def post_scan(client, code: str, counted: str, n_pages: int = 2):
    return client.post(
        f"/desk/ho-so/{code}/so-hoa/",
        {
            "paper": LAND_CERTIFICATE,
            "counted_pages": counted,
            "pages": [SimpleUploadedFile(f"trang-{i}.jpg", page_image()) for i in range(n_pages)],
        },
    )


def test_the_desk_digitises_a_paper_from_the_dossier_page(user):
    code = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    desk = client_for("tiepnhan.doluong")
    page = desk.get(f"/desk/ho-so/{code}/").content.decode()
    assert 'data-testid="digitise-form"' in page
    assert "chưa số hóa" in page

    refused = post_scan(desk, code, "3")
    assert refused.status_code == 422
    assert "Bản quét có 2 trang nhưng anh/chị đếm được 3 trang" in refused.content.decode()
    # the error sits in the digitising form, by what was entered, not at the top of the page
    body = refused.content.decode()
    assert 'data-testid="action-error"' not in body
    form = body[body.index('data-testid="digitise-form"') :].split("</form>")[0]
    assert 'data-testid="digitise-error"' in form
    assert "Bản quét có 2 trang nhưng anh/chị đếm được 3 trang" in form
    assert 'value="3" aria-invalid="true"' in form
    assert f'<option value="{LAND_CERTIFICATE}" selected>' in form
    missing = post_scan(desk, code, "")
    assert "Hãy nhập số trang anh/chị đếm được trên giấy tờ." in missing.content.decode()
    assert not DigitisedPaper.objects.exists()

    done = post_scan(desk, code, "2")
    assert done.status_code == 200
    assert "2 trang" in done.content.decode()
    assert DigitisedPaper.objects.get().pages == 2


def test_a_later_dossier_page_offers_and_takes_the_stored_copy(user):
    first = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    desk = client_for("tiepnhan.doluong")
    post_scan(desk, first, "2")
    later = receive(user, at(3, 9, 9), "X.DD.004").dossier.code
    page = desk.get(f"/desk/ho-so/{later}/").content.decode()
    assert f"số hóa cho hồ sơ {first}" in page
    stored = ApplicantPaper.objects.get()
    taken = desk.post(f"/desk/ho-so/{later}/so-hoa/dung-lai/", {"stored": str(stored.pk)})
    assert f"tái sử dụng từ hồ sơ {first}" in taken.content.decode()
    reused = DigitisedPaper.objects.get(dossier__code=later)
    assert reused.reused_from == stored
    # the later dossier's link serves the stored scan itself
    served = desk.get(f"/api/v1/dossiers/{later}/documents/{reused.document_id}")
    with stored.document.file.open("rb") as kept:
        assert b"".join(served.streaming_content) == kept.read()
    # a stored copy that is not there (or not the officer's to see) is not found
    assert desk.post(f"/desk/ho-so/{later}/so-hoa/dung-lai/", {"stored": "x"}).status_code == 404


def test_who_does_not_digitise_sees_no_form_and_no_offer(user):
    first = receive(user, at(3, 2, 9), "X.DD.003").dossier.code
    post_scan(client_for("tiepnhan.doluong"), first, "2")
    later = receive(user, at(3, 9, 9), "X.DD.004").dossier.code
    for username in ("lanhdao.doluong", "giamsat"):
        page = client_for(username).get(f"/desk/ho-so/{later}/").content.decode()
        assert 'data-testid="digitise-form"' not in page
        assert "Dùng lại bản đã lưu" not in page
    leader = client_for("lanhdao.doluong")
    refused = post_scan(leader, later, "2")
    assert refused.status_code == 403
    assert "Chỉ bộ phận một cửa đã tiếp nhận hồ sơ mới số hóa" in refused.content.decode()
    # no digitising form on their page: the error stays at the top, where it can be seen
    assert 'data-testid="action-error"' in refused.content.decode()
