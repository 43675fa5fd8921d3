"""Following an online submission on the look-up page, with its TT- reference and PIN."""

import pytest

from haicap.core import clock
from haicap.dossiers import services
from haicap.dossiers.models import OnlineSubmission
from tests.dossiers.test_scenarios import at
from tests.portal.helpers import alerts, file_online, reference_and_pin, text, visitor

pytestmark = pytest.mark.django_db


def look_up(client, code: str, pin: str):
    return client.post("/tra-cuu-ho-so/", {"code": code, "pin": pin})


def test_a_submission_is_followed_with_its_reference_and_pin(user):
    client = visitor()
    reference, pin = reference_and_pin(file_online(client))
    waiting = look_up(client, reference, pin)
    assert waiting.status_code == 200
    page = text(waiting)
    assert reference in page and "Waiting for the desk" in page
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in page
    assert "Hồ Văn Sơn" not in page and "040190054321" not in page  # nothing personal
    assert reference in text(look_up(client, reference.lower(), pin))  # typed in lower case

    submission = OnlineSubmission.objects.get(reference=reference)
    with clock.fixed_at(at(3, 3, 8)):
        dossier = services.accept_submission(user("tiepnhan.doluong"), submission.pk)
    accepted = look_up(client, reference, pin)
    assert "Accepted" in text(accepted) and dossier.code in text(accepted)
    assert f"?ma={dossier.code}" in accepted.content.decode()
    # the same PIN now follows the dossier itself
    assert dossier.code in text(look_up(client, dossier.code, pin))


def test_a_returned_submission_says_what_to_complete(user):
    client = visitor()
    reference, pin = reference_and_pin(file_online(client))
    submission = OnlineSubmission.objects.get(reference=reference)
    services.return_submission(user("tiepnhan.doluong"), submission.pk, "Thiếu tờ khai có chữ ký")
    page = text(look_up(client, reference, pin))
    assert "Returned for completion" in page and "Thiếu tờ khai có chữ ký" in page
    assert (
        'href="/thu-tuc/X.HT.007/nop-truc-tuyen/"'
        in look_up(client, reference, pin).content.decode()
    )


def test_a_wrong_pin_does_not_tell_whether_the_reference_exists():
    client = visitor(REMOTE_ADDR="10.8.8.8")
    reference, pin = reference_and_pin(file_online(client))
    wrong_pin = "000000" if pin != "000000" else "111111"
    wrong = look_up(client, reference, wrong_pin)
    unknown = look_up(client, "TT-ABCDEFGHJK", wrong_pin)
    assert wrong.status_code == unknown.status_code == 404
    assert alerts(wrong) == alerts(unknown) == ["No submission matches this reference and PIN."]
    assert "Waiting for the desk" not in text(wrong)


def test_wrong_pins_for_a_submission_are_throttled():
    client = visitor(REMOTE_ADDR="10.8.8.9")
    reference, pin = reference_and_pin(file_online(client))
    wrong_pin = "000000" if pin != "000000" else "111111"
    for _ in range(5):
        assert look_up(client, reference, wrong_pin).status_code == 404
    blocked = look_up(client, reference, pin)
    assert blocked.status_code == 429
    assert "Waiting for the desk" not in text(blocked)
    assert any("Too many wrong attempts" in a for a in alerts(blocked))


def test_the_pin_never_travels_in_the_address():
    page = visitor().get("/tra-cuu-ho-so/", {"ma": "TT-ABCDEFGHJK"}).content.decode()
    assert 'method="post"' in page and 'value="TT-ABCDEFGHJK"' in page
