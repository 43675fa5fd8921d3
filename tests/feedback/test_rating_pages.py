"""A citizen rates a returned dossier: on the look-up page once its PIN is given (the survey
carries a signed, short-lived token, never the PIN), or on the rating page alone with the code
and PIN; once per dossier; never before the result is returned."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import signing
from django.utils import translation

from haicap.core import clock
from haicap.dossiers import services as dossier_services
from haicap.feedback import questions, rating_tokens
from haicap.feedback.models import Rating
from haicap.feedback.rating_forms import DossierRatingForm
from tests.api.test_dossiers_api import bearer
from tests.dossiers.test_forms import pdf_text
from tests.dossiers.test_scenarios import receive
from tests.feedback.figures_world import returned
from tests.feedback.world import at
from tests.portal.helpers import alerts, text, visitor
from tests.test_translations import untranslated

pytestmark = pytest.mark.django_db

RATE = "/danh-gia/ho-so/"
ANSWERS = {
    "guidance": "very_satisfied",
    "on_time": "satisfied",
    "conduct": "satisfied",
    "overall": "dissatisfied",
}


def look_up(client, code: str, pin: str):
    return client.post("/tra-cuu-ho-so/", {"code": code, "pin": pin})


def token_in(response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "no survey on the page"
    return found.group(1)


def test_the_look_up_of_a_returned_dossier_offers_the_survey_and_it_is_rated_once(user):
    dossier, pin = returned(user)
    client = visitor()
    page = look_up(client, dossier.code, pin)
    assert page.status_code == 200
    shown = text(page)
    assert "How satisfied are you with the service?" in shown
    for question in questions.questions_for("dossier"):
        assert question.text in shown
    assert "Very satisfied" in shown and "Dissatisfied" in shown
    assert f'action="{RATE}"' in page.content.decode()
    token = token_in(page)
    payload = signing.loads(token, salt=rating_tokens.SALT)
    assert payload["c"] == dossier.code and pin not in token and pin not in payload.values()

    sent = client.post(RATE, {"token": token, **ANSWERS, "comment": "Phải chờ hơi lâu."})
    assert sent.status_code == 200
    assert "Your rating has been recorded" in text(sent)
    rating = Rating.objects.get(dossier=dossier)
    assert rating.satisfied is False  # the overall answer decides
    assert rating.answers == ANSWERS and rating.comment == "Phải chờ hơi lâu."
    assert rating.agency_id == dossier.competent_agency_id

    again = client.post(RATE, {"token": token, **ANSWERS})
    assert again.status_code == 409
    assert "This has already been rated; thank you." in text(again)
    assert Rating.objects.filter(dossier=dossier).count() == 1
    later = look_up(client, dossier.code, pin)
    assert "This dossier has already been rated. Thank you." in text(later)
    assert 'name="token"' not in later.content.decode()


def test_a_dossier_not_yet_returned_offers_no_survey(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    page = look_up(visitor(), received.dossier.code, received.pin)
    assert page.status_code == 200 and received.dossier.code in text(page)
    assert "How satisfied are you" not in text(page)
    assert 'name="token"' not in page.content.decode()
    # nor will the rating page alone rate it
    alone = visitor().post(RATE, {"code": received.dossier.code, "pin": received.pin})
    assert alone.status_code == 200
    assert "A dossier is rated once its result has been returned." in text(alone)
    assert 'name="token"' not in alone.content.decode()


def test_a_token_forged_expired_or_from_a_reissued_pin_rates_nothing(user):
    dossier, pin = returned(user)
    client = visitor()
    now = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)
    with clock.fixed_at(now):
        token = token_in(look_up(client, dossier.code, pin))
    forged = signing.dumps({"c": dossier.code, "p": "0" * 16, "t": now.isoformat()}, salt="other")
    with clock.fixed_at(now + dt.timedelta(minutes=5)):
        refused = client.post(RATE, {"token": forged, **ANSWERS})
    assert refused.status_code == 422
    assert alerts(refused) == [
        "This form has expired. Look the dossier up again with its code and PIN."
    ]
    with clock.fixed_at(now + dt.timedelta(minutes=31)):
        assert client.post(RATE, {"token": token, **ANSWERS}).status_code == 422
    with clock.fixed_at(now + dt.timedelta(minutes=5)):
        dossier_services.reissue_pin(user("tiepnhan.doluong"), dossier.code)
        assert client.post(RATE, {"token": token, **ANSWERS}).status_code == 422
    assert not Rating.objects.exists()


def test_every_question_must_be_answered(user):
    dossier, pin = returned(user)
    client = visitor()
    token = token_in(look_up(client, dossier.code, pin))
    partial = client.post(RATE, {"token": token, **{**ANSWERS, "overall": ""}})
    assert partial.status_code == 422
    assert "Choose one answer." in alerts(partial)
    assert token_in(partial) == token  # the survey is shown again, the token kept
    assert not Rating.objects.exists()


def test_the_rating_page_alone_asks_for_the_code_and_pin_and_is_throttled(user):
    dossier, pin = returned(user)
    client = visitor(REMOTE_ADDR="10.9.9.9")
    page = client.get(RATE, {"ma": dossier.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{dossier.code}"' in html and 'name="pin"' in html
    assert "How satisfied" not in text(page)
    wrong = "000000" if pin != "000000" else "111111"
    for _attempt in range(5):
        refused = client.post(RATE, {"code": dossier.code, "pin": wrong})
        assert refused.status_code == 404
        assert alerts(refused) == ["No dossier matches this code and PIN."]
    blocked = client.post(RATE, {"code": dossier.code, "pin": pin})
    assert blocked.status_code == 429 and 'name="token"' not in blocked.content.decode()


def test_the_rating_page_alone_rates_with_the_code_and_pin(user):
    dossier, pin = returned(user)
    client = visitor()
    survey = client.post(RATE, {"code": dossier.code, "pin": pin})
    assert survey.status_code == 200 and dossier.procedure.name in text(survey)
    sent = client.post(RATE, {"token": token_in(survey), **ANSWERS, "overall": "satisfied"})
    assert "Your rating has been recorded" in text(sent)
    assert Rating.objects.get(dossier=dossier).satisfied is True


def test_the_slip_tells_where_to_rate_the_service(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    printed = pdf_text(bearer("tiepnhan.doluong").post(f"/api/v1/dossiers/{code}/slip"))
    assert (
        "sau khi nhận kết quả, ông/bà có thể đánh giá mức độ hài lòng bằng mã hồ sơ và mã tra "
        f"cứu (mã QR ở trên): http://testserver/tra-cuu-ho-so/?ma={code}"
    ) in printed


def test_the_survey_asks_its_questions_in_the_readers_language():
    with translation.override("vi"):
        form = DossierRatingForm()
        assert str(form.fields["overall"].label) == "Nhìn chung, ông/bà hài lòng ở mức nào?"
    with translation.override("en"):
        assert str(DossierRatingForm().fields["overall"].label) == "Overall, how satisfied are you?"


def test_the_pages_the_translation_check_does_not_reach_are_in_the_readers_language(user):
    """The rating page asking for the code and PIN, and the thank-you page (the check of every
    page reads the survey itself: ``figures_pages_to_read``)."""
    dossier, pin = returned(user)
    data = re.compile("|".join(re.escape(v) for v in (dossier.code, dossier.procedure.name)))
    shown = {}
    for language in ("vi", "en"):
        client = visitor()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        prove = client.get(RATE, {"ma": dossier.code}).content.decode()
        token = token_in(client.post(RATE, {"code": dossier.code, "pin": pin}))
        thanks = client.post(RATE, {"token": token, **ANSWERS}).content.decode()
        again = client.post(RATE, {"token": token, **ANSWERS}).content.decode()
        shown[language] = (prove, thanks, again)
        Rating.objects.filter(dossier=dossier).delete()
    for vietnamese, english in zip(shown["vi"], shown["en"], strict=True):
        assert 'lang="vi"' in vietnamese
        assert untranslated(vietnamese, english, data) == []
    assert "Đánh giá của ông/bà đã được ghi nhận" in shown["vi"][1]
