"""Filing online files once: a redirect to a confirmation page after the POST, and a one-time
form token, so a reload, the back button, a double click or two tabs file one submission."""

import datetime as dt
import re

import pytest
from django.core import signing
from hypothesis import assume, given
from hypothesis import strategies as st

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import OnlineSubmission, SubmissionDocument
from haicap.portal import filing_tokens, receipts
from haicap.units.models import Agency
from tests.portal.helpers import (
    FILED_AT,
    PDF,
    alerts,
    file_online,
    filing,
    filing_url,
    form_token,
    paper,
    stored_files,
    text,
    visitor,
)

pytestmark = pytest.mark.django_db


def confirmation(client, location: str):
    """The confirmation page, opened a minute after the filing (FILED_AT), as a visitor would."""
    with clock.fixed_at(FILED_AT + dt.timedelta(minutes=1)):
        return client.get(location)


def pin_on(response) -> str | None:
    found = re.search(r'data-testid="pin">(\d{6})<', response.content.decode())
    return found.group(1) if found else None


def test_a_filing_answers_see_other_and_the_confirmation_shows_the_pin_once():
    client = visitor()
    posted = file_online(client, follow=False)
    assert posted.status_code == 303 and posted.content == b""
    submission = OnlineSubmission.objects.get()
    assert posted["Location"] == f"/nop-truc-tuyen/{submission.reference}/"
    waiting = client.session[receipts.SESSION_KEY][submission.reference]
    assert waiting and not re.search(r"\b\d{6}\b", waiting)  # sealed, not the PIN itself

    first = confirmation(client, posted["Location"])
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    pin = pin_on(first)
    assert pin is not None and pin not in posted["Location"]
    assert services.look_up_submission(submission.reference, pin, None) == submission
    assert "Write down the reference and the PIN now." in text(first)

    reloaded = confirmation(client, posted["Location"])
    assert reloaded.status_code == 200 and "no-store" in reloaded["Cache-Control"]
    assert submission.reference in text(reloaded)
    assert pin_on(reloaded) is None and pin not in reloaded.content.decode()
    assert "files nothing more" in text(reloaded)
    assert client.session[receipts.SESSION_KEY] == {submission.reference: ""}  # PIN forgotten
    assert OnlineSubmission.objects.count() == 1


def test_the_same_form_sent_again_files_nothing_and_leads_to_its_confirmation(settings):
    client = visitor()
    token = form_token(client)
    first = file_online(client, token=token, follow=False)
    shown = confirmation(client, first["Location"])
    # The back button brings the form back with its token, but the browser drops the files.
    again = file_online(client, token=token, follow=False, papers=[])
    assert again.status_code == 303 and again["Location"] == first["Location"]
    followed = confirmation(client, again["Location"])
    assert pin_on(followed) is None and pin_on(shown) not in followed.content.decode()
    changed = file_online(client, token=token, follow=False, name="Hồ Văn Sơn Đổi")
    assert changed["Location"] == first["Location"]
    assert OnlineSubmission.objects.count() == 1
    assert SubmissionDocument.objects.count() == 2 and len(stored_files(settings)) == 2


def test_a_second_click_before_the_first_answer_still_gets_the_pin_once():
    client = visitor()
    token = form_token(client)
    first = file_online(client, token=token, follow=False)
    second = file_online(client, token=token, follow=False)  # the browser follows this one
    assert second["Location"] == first["Location"]
    assert pin_on(confirmation(client, second["Location"])) is not None
    assert pin_on(confirmation(client, second["Location"])) is None


def test_two_requests_with_one_token_racing_past_the_check_file_one_submission(settings):
    """Both passed the view's look-up before either wrote: the unique token decides."""
    nonce = "a" * 32
    kwargs = {
        "procedure": Procedure.objects.get(national_code="X.HT.007"),
        "desk": Agency.objects.get(code="17662.05.H40"),
        "applicant": Applicant(name="Hồ Văn Sơn", id_number="040190054321"),
        "filing_token": nonce,
    }
    with clock.fixed_at(FILED_AT):
        filed = services.submit_online(**kwargs, uploads=[paper("a.pdf", PDF)])
        with pytest.raises(services.AlreadyFiled) as already:
            services.submit_online(**kwargs, uploads=[paper("b.pdf", PDF)])
    assert already.value.submission == filed.submission
    assert OnlineSubmission.objects.count() == 1
    assert len(stored_files(settings)) == 1  # the loser's paper did not stay on disk


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "tampered", "for-another-procedure"],
)
def test_a_missing_altered_or_foreign_token_files_nothing_and_the_form_comes_back(token):
    client = visitor()
    good = form_token(client)
    sent = {
        "tampered": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "for-another-procedure": filing_tokens.issue("X.HT.001"),
    }.get(token, token)
    refused = file_online(client, token=sent, follow=False)
    assert refused.status_code == 200
    assert any("This form was out of date and nothing was filed" in a for a in alerts(refused))
    assert not OnlineSubmission.objects.exists()
    page = refused.content.decode()
    assert 'value="Hồ Văn Sơn"' in page  # what was typed stays
    fresh = re.search(r'name="filing_token" value="([^"]+)"', page).group(1)
    assert filing_tokens.nonce_of(fresh, "X.HT.007") is not None
    assert file_online(client, token=fresh, follow=False).status_code == 303
    assert OnlineSubmission.objects.count() == 1


def test_an_invalid_form_keeps_its_token_so_the_corrected_one_files_once():
    client = visitor()
    token = form_token(client)
    invalid = file_online(client, token=token, follow=False, phone="12345")
    assert invalid.status_code == 200 and f'value="{token}"' in invalid.content.decode()
    assert file_online(client, token=token, follow=False).status_code == 303
    assert file_online(client, token=token, follow=False).status_code == 303
    assert OnlineSubmission.objects.count() == 1


def test_the_confirmation_is_shown_only_to_the_browser_that_filed():
    filer = visitor()
    location = file_online(filer, follow=False)["Location"]
    stranger = visitor()
    refused = stranger.get(location)
    assert refused.status_code == 404
    assert "shown only in the browser that filed" in text(refused)
    assert filer.get(location).status_code == 200


def test_a_replayed_form_from_another_browser_files_nothing():
    filer = visitor()
    token = form_token(filer)
    location = file_online(filer, token=token, follow=False)["Location"]
    replayed = file_online(visitor(), token=token, follow=False)
    assert replayed["Location"] == location
    assert OnlineSubmission.objects.count() == 1


def test_the_session_keeps_only_the_latest_confirmations(monkeypatch):
    monkeypatch.setattr(receipts.FILINGS, "kept", 2)
    client = visitor()
    references = []
    for number in ("040190054321", "040195012345", "001090012345"):
        file_online(client, follow=False, id_number=number)
        references.append(OnlineSubmission.objects.latest("pk").reference)
    assert list(client.session[receipts.SESSION_KEY]) == references[1:]
    assert client.get(f"/nop-truc-tuyen/{references[0]}/").status_code == 404


def test_the_filing_url_without_a_token_field_is_still_refused():
    """A script posting the fields it guessed, without ever showing the form, files nothing."""
    client = visitor()
    with clock.fixed_at(FILED_AT):
        response = client.post(filing_url(), filing())
    assert any("out of date" in a for a in alerts(response))
    assert not OnlineSubmission.objects.exists()


CODES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.", min_size=1, max_size=20)


@given(code=CODES)
def test_an_issued_token_gives_its_nonce_for_its_procedure_only(code):
    token = filing_tokens.issue(code)
    nonce = filing_tokens.nonce_of(token, code)
    assert nonce is not None and len(nonce) == 32
    assert filing_tokens.nonce_of(token, code + "X") is None
    assert filing_tokens.nonce_of(filing_tokens.issue(code), code) != nonce  # one per form


@given(code=CODES, position=st.integers(min_value=0), replacement=st.characters())
def test_any_altered_token_is_refused(code, position, replacement):
    token = filing_tokens.issue(code)
    position %= len(token)
    assume(token[position] != replacement)
    altered = token[:position] + replacement + token[position + 1 :]
    assert filing_tokens.nonce_of(altered, code) is None


def test_a_signed_payload_of_another_shape_is_refused():
    for payload in ([1, 2], {"procedure": "X.HT.007"}, {"procedure": "X.HT.007", "nonce": 5}):
        token = signing.dumps(payload, salt=filing_tokens.SALT)
        assert filing_tokens.nonce_of(token, "X.HT.007") is None


def test_a_confirmation_opened_after_half_an_hour_no_longer_shows_the_pin():
    client = visitor()
    with clock.fixed_at(FILED_AT):
        posted = file_online(client, follow=False)
    with clock.fixed_at(FILED_AT + dt.timedelta(minutes=31)):
        late = client.get(posted["Location"])
    assert late.status_code == 200 and pin_on(late) is None
