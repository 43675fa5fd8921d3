"""Filing a petition at the desk on a sender's behalf: the public form's fields, channel
``desk``, the officer as ``filed_by``; the code and PIN shown once; refusals in Vietnamese."""

import pytest

from haicap.core import clock
from haicap.dossiers import codes
from haicap.dossiers.services.pins import pin_key
from haicap.feedback.models import Petition
from tests.feedback.desk_helpers import QUEUE, png, text, upload, vi
from tests.feedback.world import at, former, people, signed_in, unit

pytestmark = pytest.mark.django_db
FILE = f"{QUEUE}moi/"


def filing_data(**changes) -> dict:
    data = {
        "category": "moi-truong",
        "text": "Rác thải đổ trộm bên đường liên xóm 3 đã hơn một tuần chưa được thu gom.",
        "commune": str(unit("17662").pk),
        "former": "",
        "village": "Xóm 3",
        "place": "Đường liên xóm 3",
        "dossier_code": "",
        "sender_name": "Trần Thị Bích",
        "sender_phone": "0987654321",
        "sender_email": "",
        "sender_address": "Xóm 3, xã Đô Lương",
        "publish_consent": "on",
        "filing_token": "token-1",
    }
    return {**data, **changes}


def send(client, **changes):
    with clock.fixed_at(at(3, 2, 9)):
        return client.post(FILE, filing_data(**changes))


def test_a_petition_filed_at_the_desk_shows_its_code_and_pin_once():
    p = people()
    client = signed_in(p.do_luong_desk)
    form = client.get(FILE).content.decode()
    assert 'name="filing_token"' in form and "Nam Sơn" in form  # the former communes too
    assert f'<option value="{unit("17662").pk}" selected>' in form  # the desk's own commune
    response = send(client, photos=upload("rac.png", png(), "image/png"))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.channel == Petition.Channel.DESK
    assert petition.filed_by == p.do_luong_desk
    assert petition.agency.code == "17662.01.H40" and petition.photos.count() == 1
    assert petition.village == "Xóm 3" and petition.publish_consent
    page = text(response)
    assert petition.code in page
    pin = page.split('data-testid="pin">', 1)[1].split("<", 1)[0]
    assert codes.pin_matches(pin_key(), pin, petition.pin_hash)
    # the same form sent again files nothing and shows no PIN
    again = send(client)
    assert again.status_code == 302 and again["Location"] == f"{QUEUE}{petition.code}/"
    assert Petition.objects.count() == 1
    assert pin not in text(client.get(again["Location"]))


def test_a_former_commune_is_routed_and_said_so():
    p = people()
    response = send(signed_in(p.do_luong_desk), commune="", former=str(former("Nam Sơn").pk))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.commune.code == "17662" and petition.named_unit.name == "Nam Sơn"
    assert "xã Nam Sơn, now part of xã Đô Lương" in text(response)


def test_a_petition_about_another_commune_goes_there_and_its_code_is_still_given():
    p = people()
    response = send(signed_in(p.do_luong_desk), commune=str(unit("17677").pk))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.agency.code == "17677.01.H40"
    page = text(response)
    assert petition.code in page and 'data-testid="pin"' in page
    assert f'href="{QUEUE}{petition.code}/"' not in page  # not this commune's to open


def test_refusals_are_in_vietnamese_and_keep_what_was_typed():
    p = people()
    client = signed_in(p.do_luong_desk, "vi")
    no_contact = send(client, sender_phone="", sender_email="")
    assert no_contact.status_code == 422
    page = text(no_contact)
    assert vi("Contact: give a phone number or an email, so that the answer reaches you.") in page
    assert "Rác thải đổ trộm bên đường liên xóm 3" in page and "Trần Thị Bích" in page
    no_category = send(client, category="")
    assert no_category.status_code == 422
    assert "Hãy chọn lĩnh vực phản ánh." in text(no_category)
    not_a_photo = send(client, photos=upload("rac.png", b"not a photo", "image/png"))
    assert not_a_photo.status_code == 422
    assert "rac.png: " + vi("A file is not a photo (JPEG, PNG or WebP).") in text(not_a_photo)
    assert not Petition.objects.exists()


def test_a_supervisor_files_nothing():
    p = people()
    client = signed_in(p.supervisor)
    assert client.get(FILE).status_code == 403
    assert send(client).status_code == 403
    assert 'data-testid="file-for-sender"' not in client.get(QUEUE).content.decode()
    assert not Petition.objects.exists()
