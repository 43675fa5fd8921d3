"""The public feedback API: a citizen files a petition (its code and PIN once; a repeat with its
key answers the same petition; throttled per address and per contact) and rates a returned
dossier or an answered petition with its code and PIN."""

import pytest
from django.test import Client

from haicap.core import clock
from haicap.dossiers.codes import pin_digest
from haicap.dossiers.models import Dossier
from haicap.dossiers.services.pins import pin_key
from haicap.feedback.models import Petition, Rating
from haicap.feedback.services import filing, handling, lookup
from tests.dossiers.test_scenarios import act as act_on_dossier
from tests.dossiers.test_scenarios import result_ready
from tests.feedback.test_api import post, problem
from tests.feedback.world import DO_LUONG_PPC, at, file, former, people

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/feedback/petitions"
RATINGS = "/api/v1/public/feedback/ratings"
FILING = {
    "category_code": "ha-tang",
    "text": "Đèn đường trục chính xóm 7 hỏng cả tuần, buổi tối rất tối và nguy hiểm.",
    "sender": {"name": "Lê Văn Cường", "phone": "0934567890"},
    "former_commune_id": None,
}
DOSSIER_ANSWERS = {
    "guidance": "satisfied",
    "on_time": "very_satisfied",
    "conduct": "satisfied",
    "overall": "satisfied",
}
PETITION_ANSWERS = {"conduct": "satisfied", "answer": "dissatisfied", "overall": "dissatisfied"}


def citizen(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def public_file(client: Client | None = None, body: dict | None = None, **headers):
    body = body or {**FILING, "former_commune_id": former("Nam Sơn").pk}
    with clock.fixed_at(at(3, 2, 20)):
        return post(client or citizen(), PUBLIC, body, **headers)


def test_the_categories_are_public():
    listed = Client().get("/api/v1/public/feedback/categories")
    assert listed.status_code == 200
    assert "ha-tang" in [c["code"] for c in listed.json()]


def test_a_citizen_files_a_petition_and_follows_it_with_its_code_and_pin():
    response = public_file()
    assert response.status_code == 201, response.content
    filed = response.json()
    assert filed["agency_name"] == "Ủy ban nhân dân xã Đô Lương"
    assert filed["routed_from"] == "xã Nam Sơn" and filed["commune_name"] == "xã Đô Lương"
    assert filed["received_at"] == "2026-03-02T20:00:00+07:00"
    assert filed["legal_due_at"] == "2026-03-16T17:30:00+07:00"
    petition = lookup.look_up(filed["code"], filed["pin"], "203.0.113.7")
    assert petition.agency.code == DO_LUONG_PPC
    assert petition.channel == Petition.Channel.API and petition.filed_by is None
    assert petition.publish_consent is False  # unless the sender says so


@pytest.mark.parametrize("how", ["header", "client_token"])
def test_a_repeat_with_its_key_answers_the_same_petition_without_the_pin(how):
    def send(body: dict):
        if how == "header":
            return public_file(body=body, **{"Idempotency-Key": "app-42"})
        return public_file(body={**body, "client_token": "app-42"})

    body = {**FILING, "commune_code": "17662"}
    first, again = send(body), send(body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert first.json()["pin"] and again.json()["pin"] is None
    assert Petition.objects.count() == 1
    changed = {**body, "text": "Một chuyện khác hẳn: ổ gà lớn giữa đường liên xã."}
    problem(send(changed), 422, "idempotency_key_reused")
    # another sender's key is theirs alone
    someone_else = {**body, "sender": {"name": "Phan Thị Hoa", "email": "hoa@example.vn"}}
    assert send(someone_else).status_code == 201
    assert Petition.objects.count() == 2


def test_filings_are_throttled_per_address_and_every_attempt_counts():
    client = citizen("198.51.100.9")
    for n in range(filing.PETITIONS_PER_ADDRESS_PER_HOUR):
        sender = {"name": "Người gửi", "phone": f"09120000{n:02d}"}
        if n % 2:  # a malformed body counts as much as a good one
            with clock.fixed_at(at(3, 2, 20)):
                response = client.post(PUBLIC, "{", content_type="application/json")
            assert response.status_code == 400
        else:
            assert public_file(client, {**FILING, "sender": sender}).status_code == 201
    refused = public_file(client, {**FILING, "sender": {"name": "A", "phone": "0911111111"}})
    problem(refused, 429, "throttled")
    assert Petition.objects.count() == filing.PETITIONS_PER_ADDRESS_PER_HOUR // 2
    assert public_file(citizen("198.51.100.10")).status_code == 201  # another address files


def test_filings_are_throttled_per_contact_whatever_the_address():
    for n in range(filing.PETITIONS_PER_CONTACT_PER_DAY):
        body = {**FILING, "text": f"{FILING['text']} Lần {n}."}
        assert public_file(citizen(f"192.0.2.{n + 1}"), body).status_code == 201
    problem(public_file(citizen("192.0.2.99")), 429, "throttled")


def test_a_refused_public_filing_says_why_in_the_citizens_language():
    body = {**FILING, "category_code": "khong-co"}
    refused = problem(public_file(body=body), 422, "invalid_input")
    assert refused["detail"].startswith("Danh mục:")
    english = problem(public_file(body=body, **{"Accept-Language": "en"}), 422, "invalid_input")
    assert english["detail"].startswith("Category:")
    problem(public_file(body={**FILING, "sender": {"name": "Lê"}}), 422, "invalid_input")


def test_the_survey_is_asked_in_the_citizens_language():
    dossier = Client().get("/api/v1/public/feedback/survey", {"subject": "dossier"}).json()
    assert [q["code"] for q in dossier] == ["guidance", "on_time", "conduct", "overall"]
    assert dossier[-1]["text"] == "Nhìn chung, ông/bà hài lòng ở mức nào?"
    assert [level["code"] for level in dossier[0]["levels"]] == [
        "very_satisfied",
        "satisfied",
        "dissatisfied",
    ]
    english = Client().get(
        "/api/v1/public/feedback/survey", {"subject": "petition"}, headers={"Accept-Language": "en"}
    )
    assert [q["text"] for q in english.json()][-1] == "Overall, how satisfied are you?"
    problem(
        Client().get("/api/v1/public/feedback/survey", {"subject": "x"}), 422, "validation_error"
    )


def test_a_returned_dossier_is_rated_once_with_its_code_and_pin(user):
    code = result_ready(user)
    Dossier.objects.filter(code=code).update(pin_hash=pin_digest(pin_key(), "246810"))
    rating = {"code": code, "pin": "246810", "answers": DOSSIER_ANSWERS}
    problem(post(citizen(), RATINGS, rating), 409, "conflict")  # not returned yet
    act_on_dossier(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result")
    problem(post(citizen(), RATINGS, {**rating, "pin": "000000"}), 404, "not_found")
    problem(
        post(citizen(), RATINGS, {**rating, "answers": {"overall": "ok"}}), 422, "invalid_input"
    )
    given = post(citizen(), RATINGS, {**rating, "comment": "Cán bộ hướng dẫn tận tình."})
    assert given.status_code == 201, given.content
    assert given.json()["satisfied"] is True
    problem(post(citizen(), RATINGS, rating), 409, "conflict")
    assert Rating.objects.get().comment == "Cán bộ hướng dẫn tận tình."


def test_an_answered_petition_is_rated_with_its_code_and_pin():
    p = people()
    filed = file()
    rating = {"code": filed.petition.code, "pin": filed.pin, "answers": PETITION_ANSWERS}
    problem(post(citizen(), RATINGS, rating), 409, "conflict")  # not answered yet
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, filed.petition.code, p.do_luong)
        handling.answer(p.do_luong, filed.petition.code, "Đã thay bóng đèn mới ngày 3/3.")
    given = post(citizen(), RATINGS, rating)
    assert given.status_code == 201, given.content
    assert given.json()["satisfied"] is False
    assert Rating.objects.get().petition_id == filed.petition.pk


def test_wrong_pins_are_throttled():
    filed = file()
    wrong = {"code": filed.petition.code, "pin": "000000", "answers": PETITION_ANSWERS}
    for _attempt in range(lookup.PIN_ATTEMPTS_PER_PETITION):
        problem(post(citizen(), RATINGS, wrong), 404, "not_found")
    problem(post(citizen(), RATINGS, {**wrong, "pin": filed.pin}), 429, "throttled")
