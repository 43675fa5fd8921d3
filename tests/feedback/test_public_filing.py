"""Filing a petition on the public site: the form, its refusals in the reader's language, the
commune named as the sender has always known it, photos without their location unless asked,
one petition however often the form is sent, the throttle, and the confirmation."""

import datetime as dt
import re

import pytest

from haicap.core import clock
from haicap.feedback import filing_tokens, receipts
from haicap.feedback.models import Petition, PetitionPhoto
from haicap.feedback.services import filing, lookup
from haicap.units.models import AdministrativeUnit, UnitLineage
from tests.dossiers.test_scenarios import receive
from tests.feedback.public_world import (
    EMAIL,
    FILE_URL,
    FILED_AT,
    GPS,
    NAME,
    PHONE,
    WHAT,
    citizen,
    code_and_pin,
    form_token,
    gps_of,
    jpeg,
    make_of,
    petition_data,
    send,
)
from tests.feedback.world import DO_LUONG, DO_LUONG_PPC, VAN_HIEN, at, former, unit
from tests.portal.helpers import alerts, text

pytestmark = pytest.mark.django_db


def later(client, url: str):
    with clock.fixed_at(FILED_AT + dt.timedelta(minutes=1)):
        return client.get(url)


def test_the_form_offers_the_active_categories_and_the_current_communes():
    page = citizen("vi").get(FILE_URL).content.decode()
    assert "Hạ tầng" in page and "Môi trường, rác thải" in page  # the categories' own names
    assert f'value="{DO_LUONG}"' in page and ">xã Đô Lương<" in page
    assert 'name="keep_location"' in page and 'name="keep_location" checked' not in page
    assert 'name="publish_consent"' in page and 'name="publish_consent" checked' not in page
    assert "Gửi phản ánh, kiến nghị" in page  # the portal's navigation leads here


def test_a_petition_is_filed_and_its_confirmation_gives_the_code_pin_agency_and_deadline():
    client = citizen()
    posted = send(client, follow=False)
    petition = Petition.objects.get()
    assert posted.status_code == 303
    assert posted["Location"] == f"/phan-anh/da-gui/{petition.code}/"
    assert petition.channel == Petition.Channel.WEB and petition.publish_consent
    assert petition.agency.code == DO_LUONG_PPC and petition.village == "Xóm 3"
    assert (petition.sender_name, petition.sender_phone) == (NAME, PHONE)

    page = later(client, posted["Location"])
    code, pin = code_and_pin(page)
    assert code == petition.code
    assert lookup.look_up(code, pin, None) == petition
    assert "no-store" in page["Cache-Control"]
    shown = text(page)
    assert "Ủy ban nhân dân xã Đô Lương" in shown
    due = petition.legal_due_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert re.search(rf'data-testid="deadline">{due:%d/%m/%Y}<', page.content.decode())
    assert "(former)" not in shown  # a current commune was chosen: nothing was rerouted
    # the PIN is shown once
    again = later(client, posted["Location"])
    assert (
        pin not in again.content.decode()
        and 'data-testid="pin-already-shown"' in again.content.decode()
    )


def test_the_confirmation_names_the_agency_as_the_look_up_does():
    client = citizen("vi")
    page = send(client).content.decode()
    assert '<dt>Cơ quan giải quyết</dt><dd data-testid="agency">' in page
    assert "<dt>Cơ quan trả lời</dt>" not in page


def test_the_confirmation_is_shown_only_in_the_browser_that_filed():
    posted = send(citizen(), follow=False)
    assert later(citizen(), posted["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": ""}, "Trường này là bắt buộc."),
        ({"category": "khong-co"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"text": "Rác"}, "Hãy viết ít nhất 10 ký tự về sự việc."),
        ({"commune": ""}, "Hãy chọn xã, phường, từ danh sách hoặc theo tên."),
        ({"name": "  "}, "Trường này là bắt buộc."),
        ({"phone": "12ab"}, "Số điện thoại gồm 10 chữ số, ví dụ 0912345678."),
        ({"email": "khong-phai-email"}, "Nhập địa chỉ email."),
        ({"phone": "", "email": ""}, "Hãy cho số điện thoại hoặc email để nhận được câu trả lời."),
        ({"dossier_code": "000.00.00.H40-999999-9999"}, "Không có hồ sơ nào mã"),
        (
            {"unit_search": "Nam Sơn", "commune": ""},
            "Hãy chọn xã, phường của bạn trong các đơn vị tìm thấy.",
        ),
        ({"unit_search": "Không Có Xã Này", "commune": ""}, "Không có xã, phường nào tên"),
    ],
)
def test_each_bad_field_is_refused_with_its_message_in_vietnamese(fields, message):
    client = citizen("vi")
    response = send(client, **fields)
    assert response.status_code == 200
    assert any(message in alert for alert in alerts(response)), alerts(response)
    assert Petition.objects.count() == 0
    assert WHAT in response.content.decode() or "text" in fields  # what was typed stays


def test_the_commune_is_marked_required_or_found_by_name():
    page = citizen("vi").get(FILE_URL).content.decode()
    label = page.split('<label for="id_commune">', 1)[1].split("</label>", 1)[0]
    assert "Xã, phường (hiện nay)" in label and "(bắt buộc)" in label
    assert "Hoặc tìm ở ô bên dưới theo tên bạn quen gọi, kể cả tên xã cũ." in page


def test_a_refused_form_opens_on_a_focused_summary_linking_to_each_bad_field():
    response = send(citizen("vi"), commune="", phone="12ab")
    page = response.content.decode()
    assert Petition.objects.count() == 0
    summary = page.split('data-testid="error-summary">', 1)[1].split("</div>", 1)[0]
    opening = page.split('data-testid="error-summary"', 1)[0].rsplit("<div", 1)[1]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert page.index('data-testid="error-summary"') < page.index('name="category"')  # on top
    assert "Phản ánh chưa được gửi. Hãy sửa các mục sau:" in summary
    links = re.findall(r'<a href="#(id_\w+)">([^<]*)</a>', summary)
    assert [target for target, _words in links] == ["id_commune", "id_phone"]
    assert links[0][1].startswith("Xã, phường (hiện nay): Hãy chọn xã, phường")
    assert 'id="id_commune"' in page and 'id="id_phone"' in page  # the links lead somewhere
    # a unit not found by name: the link leads to the search field
    unfound = send(citizen(), commune="", unit_search="Không Có Xã Này").content.decode()
    assert '<a href="#id_unit_search">' in unfound


def test_a_former_commune_is_routed_and_the_confirmation_says_so():
    nam_son = former("Nam Sơn")
    client = citizen("vi")
    found = client.get("/phan-anh/gui/don-vi/", {"unit_search": "Nam Sơn"}, HTTP_HX_REQUEST="true")
    assert "<html" not in found.content.decode()  # htmx gets the choices alone
    choices = found.content.decode()
    assert f'value="{nam_son.pk}"' in choices and "xã Đô Lương" in choices
    assert "huyện Quỳ Hợp" in choices  # the other Nam Sơn, told apart by its former district
    response = send(client, commune="", unit_search="Nam Sơn", unit=str(nam_son.pk))
    petition = Petition.objects.get()
    assert petition.named_unit == nam_son and petition.commune.code == DO_LUONG
    assert petition.agency.code == DO_LUONG_PPC
    said = " ".join(response.content.decode().split())
    assert (
        "Xã Nam Sơn (cũ) nay thuộc xã Đô Lương; phản ánh được chuyển đến "
        "Ủy ban nhân dân xã Đô Lương." in said
    )


def test_a_petition_about_a_dossier_goes_to_the_agency_handling_it(user):
    dossier = receive(user, at(3, 2, 9), "X.HT.007").dossier
    send(
        citizen(),
        category="thu-tuc-hanh-chinh",
        commune=VAN_HIEN,
        dossier_code=dossier.code,
        text="Hồ sơ đăng ký khai sinh của con tôi đã quá hẹn mà chưa có kết quả.",
    )
    petition = Petition.objects.get()
    assert petition.dossier == dossier
    assert petition.agency == dossier.competent_agency
    assert petition.agency.unit.code == DO_LUONG and petition.commune.code == VAN_HIEN


def test_the_unit_search_opened_as_a_page_shows_the_form_with_the_units_found():
    page = citizen().get("/phan-anh/gui/don-vi/", {"unit_search": "Nam Sơn"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="petition-form"' in html
    assert f'value="{former("Nam Sơn").pk}"' in html and 'name="filing_token" value="' in html
    assert "HX-Request" in page["Vary"]


def test_a_current_commune_found_by_name_is_the_commune():
    do_luong = unit(DO_LUONG)
    send(citizen(), commune="", unit_search="Đô Lương", unit=str(do_luong.pk))
    petition = Petition.objects.get()
    assert petition.commune == do_luong and petition.named_unit is None


def test_the_list_and_the_name_found_must_agree():
    nam_son, do_luong = former("Nam Sơn"), unit(DO_LUONG)
    client = citizen()
    response = send(client, commune=VAN_HIEN, unit_search="Nam Sơn", unit=str(nam_son.pk))
    assert "xã Nam Sơn is not part of xã Văn Hiến." in alerts(response)
    response = send(client, commune=VAN_HIEN, unit_search="Đô Lương", unit=str(do_luong.pk))
    assert any("differ; keep one" in a for a in alerts(response))
    assert Petition.objects.count() == 0


def divided_commune() -> AdministrativeUnit:
    """A former commune divided between Đô Lương and Văn Hiến (not in the demo's lineage)."""
    old = AdministrativeUnit.objects.create(
        name="Chia Đôi",
        search_name="xa chia doi",
        kind="commune",
        tier="commune",
        parent=former("Nam Sơn").parent,
        path="",
        import_key="test:chia-doi",
        valid_to=dt.date(2025, 6, 30),
    )
    for code in (DO_LUONG, VAN_HIEN):
        UnitLineage.objects.create(
            predecessor=old, successor=unit(code), effective_date=dt.date(2025, 7, 1)
        )
    return old


def test_a_divided_former_commune_asks_which_part():
    old = divided_commune()
    client = citizen()
    # named without its part (as a browser without JavaScript may send it): asked to choose
    response = send(client, commune="", unit_search="", unit=str(old.pk))
    assert any("was divided between" in a for a in alerts(response))
    page = response.content.decode()
    van_hien = unit(VAN_HIEN)
    assert (
        f'value="{old.pk}:{van_hien.pk}"' in page
        and f'value="{old.pk}:{unit(DO_LUONG).pk}"' in page
    )
    assert Petition.objects.count() == 0
    send(client, commune="", unit_search="Chia Đôi", unit=f"{old.pk}:{van_hien.pk}")
    petition = Petition.objects.get()
    assert petition.named_unit == old and petition.commune == van_hien


def test_photos_lose_their_location_unless_the_sender_keeps_it():
    client = citizen()
    send(client, photos=[_upload("a.jpg", jpeg(GPS)), _upload("b.jpg", jpeg(GPS))])
    petition = Petition.objects.get()
    stored = list(PetitionPhoto.objects.filter(petition=petition))
    assert len(stored) == 2
    for photo in stored:
        content = photo.file.read()
        assert gps_of(content) == {} and make_of(content) is None and not photo.kept_location
    assert petition.latitude is None and petition.longitude is None


def test_a_photo_keeps_its_location_when_asked_and_places_the_petition():
    send(citizen(), photos=[_upload("a.jpg", jpeg(GPS))], keep_location="on")
    petition = Petition.objects.get()
    photo = PetitionPhoto.objects.get(petition=petition)
    content = photo.file.read()
    assert photo.kept_location and gps_of(content) and make_of(content) is None
    assert (str(petition.latitude), str(petition.longitude)) == ("18.908333", "105.337500")


def test_a_text_file_named_like_a_photo_is_refused():
    response = send(citizen("vi"), photos=[_upload("anh.jpg", b"khong phai anh " * 20)])
    assert response.status_code == 422
    assert any("anh.jpg" in a and "không phải là ảnh" in a for a in alerts(response))
    assert 'data-testid="photos-again"' in response.content.decode()
    assert Petition.objects.count() == 0
    assert WHAT in response.content.decode()


def test_too_many_photos_are_refused():
    sent = [_upload(f"{n}.jpg", jpeg()) for n in range(6)]
    response = send(citizen(), photos=sent)
    assert any("at most 5 photos" in a for a in alerts(response))
    assert Petition.objects.count() == 0


def test_an_oversized_body_is_refused_before_it_is_read():
    client = citizen()
    token = form_token(client)
    with clock.fixed_at(FILED_AT):
        response = client.post(
            FILE_URL,
            petition_data(filing_token=token),
            CONTENT_LENGTH=str(6 * 8 * 1024 * 1024),
        )
    assert response.status_code == 413  # core.middleware.BodySizeLimitMiddleware
    assert "What you sent is larger than 41.0" in text(response)
    assert Petition.objects.count() == 0


def test_the_same_form_sent_twice_files_one_petition_and_leads_to_its_confirmation():
    client = citizen()
    token = form_token(client)
    first = send(client, token=token, follow=False)
    second = send(client, token=token, follow=False)
    assert Petition.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert client.session[receipts.SESSION_KEY]


def test_a_forged_token_files_nothing_and_asks_to_check_the_form():
    response = send(citizen(), token="forged")
    assert any("out of date" in a for a in alerts(response))
    assert Petition.objects.count() == 0
    assert filing_tokens.nonce_of(
        re.search(r'name="filing_token" value="([^"]+)"', response.content.decode()).group(1)
    )


def test_the_throttle_answers_429_and_keeps_what_was_typed():
    client = citizen(REMOTE_ADDR="10.9.9.9")
    for n in range(filing.PETITIONS_PER_ADDRESS_PER_HOUR):
        send(client, text=f"{WHAT} ({n})", phone="", email=f"p{n}@example.vn")
    assert Petition.objects.count() == filing.PETITIONS_PER_ADDRESS_PER_HOUR
    refused = send(
        client,
        text="Một phản ánh nữa, chưa ai xem: cống bị tắc ở xóm 2.",
        phone="",
        email="x@example.vn",
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Một phản ánh nữa, chưa ai xem: cống bị tắc ở xóm 2." in page
    assert 'value="x@example.vn"' in page
    assert any("Too many petitions" in a for a in alerts(refused))
    assert Petition.objects.count() == filing.PETITIONS_PER_ADDRESS_PER_HOUR


def test_the_throttle_counts_per_contact_too():
    for n in range(filing.PETITIONS_PER_CONTACT_PER_DAY):
        send(citizen(REMOTE_ADDR=f"10.9.8.{n}"), text=f"{WHAT} ({n})")
    refused = send(citizen(REMOTE_ADDR="10.9.8.200"))
    assert refused.status_code == 429
    assert EMAIL in refused.content.decode()


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")
