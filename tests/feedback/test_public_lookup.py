"""Following a petition with its code and PIN: the state and the public steps (no officer is
named), the answers and their attachments for the browser that proved the PIN only, and the
sender's word on the answer: accepted, or reopened once; and one rating."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from haicap.core import clock
from haicap.feedback.lifecycle import State
from haicap.feedback.models import PetitionEvent, Rating
from haicap.feedback.services import handling, lookup
from tests.feedback.public_world import LOOKUP_URL, answered, citizen
from tests.feedback.world import CONSTRUCTION, agency, at, file, people
from tests.portal.helpers import PDF, alerts, text

pytestmark = pytest.mark.django_db

RATED = {
    "q_conduct": "satisfied",
    "q_answer": "very_satisfied",
    "q_overall": "satisfied",
    "comment": "Xã xử lý nhanh.",
}


def open_petition(client, code: str, pin: str, when=None):
    """Look the petition up and follow the redirect to its page."""
    with clock.fixed_at(when or at(3, 5, 10)):
        return client.post(LOOKUP_URL, {"code": code, "pin": pin}, follow=True)


def act(client, code: str, action: str, when=None, **fields):
    with clock.fixed_at(when or at(3, 5, 10, 5)):
        return client.post(LOOKUP_URL, {"code": code, "action": action, **fields}, follow=True)


def test_a_sender_follows_the_petition_through_a_transfer_without_seeing_officers():
    p = people()
    filed = file()
    code = filed.petition.code
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, code, p.do_luong)
        handling.transfer(
            p.do_luong, code, agency(CONSTRUCTION), "Công trình do Sở Xây dựng cấp phép."
        )
    client = citizen()
    posted = None
    with clock.fixed_at(at(3, 5, 10)):
        posted = client.post(LOOKUP_URL, {"code": code, "pin": filed.pin})
    assert posted.status_code == 303 and filed.pin not in posted["Location"]
    page = open_petition(client, code, filed.pin)
    shown = text(page)
    assert "Received by Ủy ban nhân dân xã Đô Lương" in shown
    assert "An officer was put in charge of it." in shown
    assert "Transferred to Sở Xây dựng" in shown and "Công trình do Sở Xây dựng cấp phép." in shown
    assert "Received by Sở Xây dựng; an officer will be put in charge of it." in shown
    assert re.search(r'data-testid="deadline">16/03/2026<', page.content.decode())
    for officer in (p.do_luong, p.do_luong_leader):
        assert officer.username not in shown
        assert not officer.full_name or officer.full_name not in shown
    assert 'data-testid="sender-actions"' not in page.content.decode()  # not answered yet


def test_a_wrong_pin_and_a_wrong_code_get_the_same_answer():
    filed = file()
    client = citizen(REMOTE_ADDR="10.7.7.1")
    wrong_pin = open_petition(client, filed.petition.code, "000000")
    wrong_code = open_petition(client, "PA-260302-9999", filed.pin)
    assert wrong_pin.status_code == wrong_code.status_code == 404
    assert alerts(wrong_pin) == alerts(wrong_code) == ["No petition matches this code and PIN."]
    assert filed.petition.sender_name not in wrong_pin.content.decode()


def test_wrong_pins_are_throttled_even_for_the_right_one():
    filed = file()
    client = citizen(REMOTE_ADDR="10.7.7.2")
    for _n in range(lookup.PIN_ATTEMPTS_PER_PETITION):
        open_petition(client, filed.petition.code, "111111")
    right = open_petition(client, filed.petition.code, filed.pin)
    assert right.status_code == 429
    assert alerts(right) == ["Too many wrong attempts. Wait 15 minutes and try again."]
    assert 'data-testid="petition"' not in right.content.decode()


def test_the_pin_never_travels_in_the_address():
    p = people()
    filed = file()
    with clock.fixed_at(at(3, 4, 9)):  # answered, so its page links to an attachment too
        handling.assign(p.do_luong_leader, filed.petition.code, p.do_luong)
        handling.answer(
            p.do_luong,
            filed.petition.code,
            "Đã thu gom rác tại xóm 3, xem biên bản kèm theo.",
            attachments=[SimpleUploadedFile("bien-ban.pdf", PDF)],
        )
    blank = citizen().get(LOOKUP_URL).content.decode()
    form = re.search(r'<form method="post" class="stack narrow".*?</form>', blank, re.S).group(0)
    assert 'name="pin"' in form and 'method="post"' in form
    client = citizen()
    with clock.fixed_at(at(3, 5, 10)):
        looked_up = client.post(LOOKUP_URL, {"code": filed.petition.code, "pin": filed.pin})
        assert looked_up.status_code in (302, 303)
        assert filed.pin not in looked_up["Location"]
        page = client.get(looked_up["Location"])
    html = page.content.decode()
    assert 'data-testid="petition"' in html  # the petition itself, opened by the look-up
    addresses = re.findall(r'(?:href|src|action|hx-get|hx-post|formaction)="([^"]*)"', html)
    assert any("/phan-anh/tra-cuu/tep/" in a for a in addresses), addresses
    assert [a for a in addresses if filed.pin in a] == []
    assert not re.search(rf'<form[^>]*method="get"[^>]*>(?:(?!</form>).)*{filed.pin}', html, re.S)


def test_the_answer_and_its_attachment_only_for_the_browser_that_proved_the_pin():
    p = people()
    filed = file()
    code = filed.petition.code
    with clock.fixed_at(at(3, 4, 9)):
        handling.assign(p.do_luong_leader, code, p.do_luong)
        handling.start(p.do_luong, code)
        handling.answer(
            p.do_luong,
            code,
            "Đã thu gom rác tại xóm 3, xem biên bản kèm theo.",
            attachments=[SimpleUploadedFile("bien-ban.pdf", PDF)],
        )
    client = citizen()
    page = open_petition(client, code, filed.pin)
    assert "Đã thu gom rác tại xóm 3, xem biên bản kèm theo." in text(page)
    link = re.search(r'href="(/phan-anh/tra-cuu/tep/\d+/)"', page.content.decode()).group(1)
    with clock.fixed_at(at(3, 5, 10, 10)):
        download = client.get(link)
        stranger = citizen().get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert stranger.status_code == 302 and stranger["Location"] == LOOKUP_URL
    with clock.fixed_at(at(3, 5, 11)):  # the look-up's window has closed
        assert client.get(link).status_code == 302


def test_the_sender_reopens_once_and_then_the_second_answer_is_final():
    p = people()
    petition, pin = answered()
    client = citizen()
    page = open_petition(client, petition.code, pin)
    assert 'value="reopen"' in page.content.decode() and 'value="accept"' in page.content.decode()
    short = act(client, petition.code, "reopen", reason="Chưa")
    assert short.status_code == 422
    assert any("at least" in a for a in alerts(short))
    reopened = act(client, petition.code, "reopen", reason="Rác vẫn còn ở đầu xóm 3.")
    assert "The agency has been told that the answer did not resolve it" in text(reopened)
    assert "You said the answer did not resolve it: Rác vẫn còn ở đầu xóm 3." in text(reopened)
    petition.refresh_from_db()
    assert petition.state == State.IN_PROGRESS and petition.reopened
    assert PetitionEvent.objects.filter(petition=petition, kind="reopened").count() == 1
    with clock.fixed_at(at(3, 6, 9)):
        handling.answer(p.do_luong, petition.code, "Đã thu gom nốt rác ở đầu xóm 3.")
    again = open_petition(client, petition.code, pin, when=at(3, 6, 10))
    assert 'value="reopen"' not in again.content.decode()
    assert "Closed: the answer is final." in text(again)
    refused = act(client, petition.code, "reopen", when=at(3, 6, 10, 5), reason="Vẫn chưa ổn.")
    assert refused.status_code == 409
    assert PetitionEvent.objects.filter(petition=petition, kind="reopened").count() == 1


def test_the_sender_reads_back_what_she_wrote_and_each_answer_numbered():
    p = people()
    petition, pin = answered(text="Rác đổ trộm ở xóm 3, gần nhà tôi (0912345678).")
    with clock.fixed_at(at(3, 5, 9)):
        handling.reopen(petition.code, "Rác vẫn còn ở đầu xóm 3.")
    with clock.fixed_at(at(3, 6, 9)):
        handling.answer(p.do_luong, petition.code, "Đã thu gom nốt rác ở đầu xóm 3.")
    page = open_petition(citizen("vi"), petition.code, pin, when=at(3, 6, 10))
    html = page.content.decode()
    # her own words, whole: she proved the PIN
    assert 'data-testid="petition-text">Rác đổ trộm ở xóm 3, gần nhà tôi (0912345678).<' in html
    assert "Nội dung bạn đã gửi" in html and "Cơ quan giải quyết" in html
    headers = [
        h.split("<span", 1)[0].strip() for h in html.split('data-testid="answer-header">')[1:]
    ]
    assert headers == [
        "Trả lời lần 1 của Ủy ban nhân dân xã Đô Lương, ngày 04/03/2026",
        "Trả lời lần 2 (cuối cùng) của Ủy ban nhân dân xã Đô Lương, ngày 06/03/2026",
    ]


def test_the_sender_accepts_the_answer():
    petition, pin = answered()
    client = citizen()
    open_petition(client, petition.code, pin)
    page = act(client, petition.code, "accept")
    assert "Thank you: the petition is closed as resolved." in text(page)
    petition.refresh_from_db()
    assert petition.state == State.CLOSED and petition.closed_at is not None


def test_an_action_needs_the_pin_proved_in_this_browser():
    petition, _pin = answered()
    response = act(citizen(), petition.code, "accept")
    assert response.status_code == 403
    assert alerts(response) == ["For your safety, enter the petition's code and PIN again."]
    petition.refresh_from_db()
    assert petition.state == State.ANSWERED


def test_the_sender_rates_once():
    petition, pin = answered()
    client = citizen("vi")
    page = open_petition(client, petition.code, pin)
    shown = text(page)
    with translation.override("vi"):
        question = gettext("How satisfied are you with how the officers served you?")
    assert question in shown and "Rất hài lòng" in shown
    missing = act(client, petition.code, "rate", q_conduct="satisfied")
    assert missing.status_code == 422
    assert "Vui lòng chọn một câu trả lời." in alerts(missing)
    rated = act(client, petition.code, "rate", **RATED)
    assert "Cảm ơn ông/bà đã đánh giá." in text(rated)
    assert "Ông/bà đã đánh giá phản ánh, kiến nghị này; xin cảm ơn." in text(rated)
    rating = Rating.objects.get(petition=petition)
    assert rating.satisfied and rating.comment == "Xã xử lý nhanh."
    assert rating.answers == {
        "conduct": "satisfied",
        "answer": "very_satisfied",
        "overall": "satisfied",
    }
    twice = act(client, petition.code, "rate", **RATED)
    assert twice.status_code == 409
    assert Rating.objects.count() == 1


def test_an_unanswered_petition_offers_no_rating():
    filed = file()
    page = open_petition(citizen(), filed.petition.code, filed.pin)
    assert 'data-testid="rating"' not in page.content.decode()
