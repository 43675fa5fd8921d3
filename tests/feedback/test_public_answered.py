"""The answered petitions, public: only those whose senders agreed, once answered; their text
and answer without personal data; filtered by category and commune; latest first."""

import pytest

from haicap.core import clock
from haicap.feedback.models import Petition
from haicap.feedback.services import filing, handling
from tests.feedback.public_world import answered, citizen
from tests.feedback.world import SENDER, VAN_HIEN, at, file, people
from tests.portal.helpers import text

pytestmark = pytest.mark.django_db

LIST_URL = "/phan-anh/"
ABOUT_HIM = (
    "Ông Nguyễn Văn Dân, số 0912345678, email dan@example.vn, báo rác đổ trộm ở xóm 3 "
    "gần nhà số 7; CCCD 040190012345."
)


def test_only_consented_answered_petitions_are_listed_without_personal_data():
    shown, _pin = answered(text=ABOUT_HIM)
    withheld, _pin = answered(publish=False, text="Không đồng ý công khai: cống tắc ở xóm 5.")
    pending = file(text="Chưa trả lời: đèn đường hỏng ở xóm 6 đã lâu.").petition
    page = citizen().get(LIST_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/phan-anh/{shown.code}/" in html
    assert withheld.code not in html and pending.code not in html
    assert "Không đồng ý công khai" not in html and "Chưa trả lời" not in html
    for private in (SENDER.name, SENDER.phone, SENDER.email, "040190012345"):
        assert private not in html
    shown_text = text(page)
    assert "báo rác đổ trộm ở xóm 3" in shown_text and "UBND xã đã cho thu gom rác" in shown_text
    assert "Ủy ban nhân dân xã Đô Lương" in shown_text and "on time" in shown_text
    assert "1 answered petition" in shown_text


def test_the_detail_page_shows_the_redacted_petition_and_the_published_answer():
    petition, _pin = answered(text=ABOUT_HIM)
    page = citizen("vi").get(f"/phan-anh/{petition.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    for private in (SENDER.name, SENDER.phone, SENDER.email, "040190012345"):
        assert private not in html
    assert "***" in html and "Môi trường, rác thải" in html and "xã Đô Lương" in html
    assert "đúng hạn" in text(page) and "Trả lời của Ủy ban nhân dân xã Đô Lương" in text(page)
    assert 'data-testid="attachment"' not in html and "<img" not in html


def test_a_petition_answered_twice_numbers_its_answers_and_both_pages_say_date_received():
    p = people()
    petition, _pin = answered()
    with clock.fixed_at(at(3, 5, 9)):
        handling.reopen(petition.code, "Rác vẫn còn ở đầu xóm 3.")
    with clock.fixed_at(at(3, 6, 9)):
        handling.answer(p.do_luong, petition.code, "Đã thu gom nốt rác ở đầu xóm 3.")
    page = citizen("vi").get(f"/phan-anh/{petition.code}/").content.decode()
    headers = [
        h.split("<span", 1)[0].strip() for h in page.split('data-testid="answer-header">')[1:]
    ]
    assert headers == [
        "Trả lời lần 1 của Ủy ban nhân dân xã Đô Lương, ngày 04/03/2026",
        "Trả lời lần 2 (cuối cùng) của Ủy ban nhân dân xã Đô Lương, ngày 06/03/2026",
    ]
    assert "<dt>Ngày tiếp nhận</dt><dd>02/03/2026</dd>" in page
    listed = citizen("vi").get(LIST_URL).content.decode()
    assert "Ngày tiếp nhận: 02/03/2026" in listed
    assert "Trả lời lần 2 (cuối cùng) của Ủy ban nhân dân xã Đô Lương" in listed  # the latest


def test_a_petition_not_published_has_no_public_page():
    withheld, _pin = answered(publish=False)
    pending = file().petition
    for petition in (withheld, pending):
        assert citizen().get(f"/phan-anh/{petition.code}/").status_code == 404


def test_a_reopened_petition_leaves_the_list_until_it_is_answered_again():
    petition, _pin = answered()
    with clock.fixed_at(at(3, 5, 9)):
        handling.reopen(petition.code, "Rác vẫn còn ở đầu xóm 3.")
    assert petition.code not in citizen().get(LIST_URL).content.decode()


def test_the_list_filters_by_category_and_commune_latest_first():
    p = people()
    do_luong, _pin = answered()
    van_hien = file(
        at(3, 3, 9), commune=VAN_HIEN, category_code="ha-tang", text="Đường vào bản bị sạt lở."
    ).petition
    with clock.fixed_at(at(3, 9, 9)):
        handling.assign(p.van_hien_officer, van_hien.code, p.van_hien_officer)
        handling.answer(p.van_hien_officer, van_hien.code, "Xã đã san gạt đoạn đường sạt lở.")
    listed = citizen().get(LIST_URL).content.decode()
    assert listed.index(van_hien.code) < listed.index(do_luong.code)  # the latest answer first
    by_commune = citizen().get(LIST_URL, {"commune": VAN_HIEN}).content.decode()
    assert van_hien.code in by_commune and do_luong.code not in by_commune
    by_category = citizen().get(LIST_URL, {"category": "moi-truong"}).content.decode()
    assert do_luong.code in by_category and van_hien.code not in by_category
    unknown = citizen().get(LIST_URL, {"category": "khong-co"}).content.decode()
    assert do_luong.code in unknown and van_hien.code in unknown  # an unknown filter is ignored


def test_the_list_is_paginated():
    for n in range(21):
        file(
            at(3, 2, 9, n),
            text=f"Phản ánh số {n:02d} về rác thải ở xóm 3.",
            sender=filing.Sender(name=f"Người gửi {n}", email=f"n{n}@example.vn"),
        )
    p = people()
    with clock.fixed_at(at(3, 4, 9)):
        for petition in Petition.objects.all():
            handling.assign(p.do_luong_leader, petition.code, p.do_luong)
            handling.answer(p.do_luong, petition.code, "Đã thu gom rác tại xóm 3.")
    first = citizen().get(LIST_URL)
    second = citizen().get(LIST_URL, {"page": 2})
    assert first.content.decode().count("/phan-anh/PA-") == 20
    assert second.content.decode().count("/phan-anh/PA-") == 1
    assert "Page 1 of 2" in text(first)
