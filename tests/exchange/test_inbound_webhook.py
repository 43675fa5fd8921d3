"""The national portal's signed webhook: each filing received once into the dossier engine."""

import datetime as dt
import itertools
import json

import pytest
from django.test import Client
from django.urls import reverse

from haicap.accounts.models import Membership, User
from haicap.accounts.services import grant_membership
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.dossiers.models import Dossier
from haicap.exchange.inbound import parsing as inbound
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import CodeMapping, InboundDossier, InboundRepeat
from haicap.units.models import Agency
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/national/dossiers"
SECRET = "test-webhook-secret"
PROBLEM = "application/problem+json"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def shared_secret(settings, monkeypatch):
    monkeypatch.delenv("HAICAP_NATIONAL_WEBHOOK_SECRET", raising=False)
    settings.HAICAP_NATIONAL_WEBHOOK_SECRET = SECRET


def filed(hours_ago: float = 2) -> str:
    moment = clock.now().replace(microsecond=0) - dt.timedelta(hours=hours_ago)
    return moment.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()


def filing(**changes: object) -> dict:
    message = {
        "national_id": f"G22.99-TEST-{next(_numbers):06d}",
        "procedure_code": "X.HT.007",
        "agency_code": "17662.05.H40",
        "applicant": {
            "name": "Lê Thị Hương",
            "id_number": "040195012345",
            "phone": "0912345678",
            "email": "huong@example.vn",
            "address": "Xóm 3, xã Đô Lương",
        },
        "submitted_at": filed(),
        "documents": [{"name": "Tờ khai", "url": "https://dichvucong.gov.vn/files/1.pdf"}],
    }
    message.update(changes)
    return message


def deliver(
    message: object = None,
    *,
    raw: bytes | None = None,
    secret: str = SECRET,
    timestamp: str | None = None,
    headers: dict | None = None,
    client: Client | None = None,
):
    body = raw if raw is not None else json.dumps(message).encode("utf-8")
    stamp = timestamp if timestamp is not None else str(int(clock.now().timestamp()))
    sent = {"X-Signature": inbound.signature(secret.encode(), stamp, body), "X-Timestamp": stamp}
    if headers is not None:
        sent = headers
    return (client or Client()).post(URL, body, content_type="application/json", headers=sent)


def nothing_saved() -> bool:
    return not InboundDossier.objects.exists() and not Dossier.objects.exists()


def test_a_signed_filing_becomes_an_online_dossier_received_when_it_was_filed():
    message = filing()
    response = deliver(message)
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.select_related("competent_agency", "receiving_agency").get()
    assert body["national_id"] == message["national_id"]
    assert body["status"] == "received"
    assert body["dossier_code"] == dossier.code
    assert dossier.channel == Dossier.Channel.ONLINE
    assert dossier.received_at == dt.datetime.fromisoformat(message["submitted_at"])
    assert dt.datetime.fromisoformat(body["received_at"]) == dossier.received_at
    assert dt.datetime.fromisoformat(body["due_at"]) == dossier.due_at
    assert dossier.receiving_agency.code == "17662.05.H40"
    # A commune civil-status procedure is decided by the commune's council-and-committee office.
    assert dossier.competent_agency.code == "17662.02.H40"
    assert (dossier.applicant_name, dossier.applicant_id_number) == (
        "Lê Thị Hương",
        "040195012345",
    )
    record = InboundDossier.objects.get()
    assert (record.source, record.national_id, record.status) == (
        NATIONAL_PORTAL,
        message["national_id"],
        "received",
    )
    assert record.dossier == dossier
    assert record.payload["documents"] == message["documents"]
    receipt = dossier.events.get(seq=1)
    assert receipt.actor.username == "dvcqg"
    assert receipt.data["backdate_reason"] == f"nộp qua Cổng DVCQG {message['national_id']}"
    assert dossier.receiving_agency.memberships.filter(
        user__username="dvcqg", role=Role.INTAKE_OFFICER
    ).exists()
    assert AuditRecord.objects.filter(action="inbound.received", object_id=str(record.pk)).exists()
    assert AuditRecord.objects.filter(action="membership.granted").exists()


def test_the_service_account_cannot_sign_in_and_is_granted_each_desk_once():
    assert deliver(filing()).status_code == 201
    assert deliver(filing()).status_code == 201
    account = User.objects.get(username="dvcqg")
    assert not account.has_usable_password()
    assert Membership.objects.filter(user=account).count() == 1
    provincial = filing(procedure_code="T.TP.001", agency_code="000.02.00.H40")
    assert deliver(provincial).status_code == 201
    assert Membership.objects.filter(user=account).count() == 2


def test_a_provincial_procedure_goes_to_its_department():
    response = deliver(filing(procedure_code="T.TP.001", agency_code="000.02.00.H40"))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["dossier_code"])
    assert dossier.competent_agency.code == "000.05.00.H40"  # Sở Tư pháp


def test_a_commune_procedure_filed_at_the_province_desk_goes_to_the_named_commune():
    response = deliver(filing(agency_code="000.02.00.H40", unit_code="17662"))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["dossier_code"])
    assert dossier.competent_agency.code == "17662.02.H40"


def remap(kind: str, local: str, national: str) -> None:
    CodeMapping.objects.update_or_create(
        target=NATIONAL_PORTAL,
        kind=kind,
        local_code=local,
        defaults={"national_code": national},
    )


def test_national_codes_are_read_through_the_provinces_mappings():
    remap("agency", "17662.05.H40", "G22.DL")
    remap("procedure", "X.HT.007", "1.001193")
    response = deliver(filing(agency_code="G22.DL", procedure_code="1.001193"))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["dossier_code"])
    assert (dossier.receiving_agency.code, dossier.procedure.national_code) == (
        "17662.05.H40",
        "X.HT.007",
    )


def test_an_ambiguous_mapping_is_refused_not_guessed():
    for local in ("17662.05.H40", "17677.05.H40"):
        remap("agency", local, "G22.X")
    response = deliver(filing(agency_code="G22.X"))
    assert response.status_code == 422
    assert "agency_code" in response.json()["detail"]


def test_a_filing_from_weeks_ago_keeps_its_recorded_time():
    message = filing(submitted_at=filed(hours_ago=24 * 29))
    response = deliver(message)
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().received_at == dt.datetime.fromisoformat(message["submitted_at"])


def test_a_filing_older_than_the_back_dating_limit_is_refused_and_counted_nowhere():
    # It would land in a month whose figures are already reported: refused, with why.
    response = deliver(filing(submitted_at=filed(hours_ago=24 * 45)))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "filing_refused"
    assert "30" in response.json()["detail"]
    assert not Dossier.objects.exists()
    assert InboundDossier.objects.get().status == InboundDossier.Status.REFUSED


def test_a_national_id_sent_again_with_another_applicant_is_held_not_merged():
    message = filing()
    first = deliver(message)
    dossier = Dossier.objects.get()
    changed = {**message, "applicant": {**message["applicant"], "name": "Trần Văn Bình"}}
    held = deliver(changed)
    assert (held.status_code, held["Content-Type"]) == (409, PROBLEM)
    assert held.json()["code"] == "filing_held"
    assert deliver(changed).status_code == 409  # sent again: still one hold
    repeat = InboundRepeat.objects.get()
    assert (repeat.national_id, repeat.first.dossier) == (message["national_id"], dossier)
    assert inbound.differing_fields(repeat.first.payload, repeat.payload) == ["applicant.name"]
    # the first dossier is untouched and no second one exists
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().applicant_name == message["applicant"]["name"]
    # the original message still gets its first answer
    assert deliver(message).json() == first.json()


def test_an_operator_sees_a_held_filing_and_settles_it():
    message = filing()
    deliver(message)
    deliver({**message, "procedure_code": "X.HT.001"})
    admin = client_for("admin")
    page = admin.get(reverse("desk:outbox")).content.decode()
    assert message["national_id"] in page and "procedure_code" in page
    assert message["applicant"]["name"] not in page.split('data-testid="held-repeats"')[1]
    repeat = InboundRepeat.objects.get()
    # a supervisor who also holds a working role somewhere is still no operator of the exchange
    supervisor = User.objects.get(username="giamsat")
    grant_membership(None, supervisor, Agency.objects.get(code="17662.03.H40"), Role.SPECIALIST)
    refused = client_for("giamsat").post(
        reverse("desk:settle_repeat"), {"repeat": repeat.pk, "settlement": "x"}
    )
    assert refused.status_code == 302 and InboundRepeat.objects.get().settled_at is None
    admin.post(reverse("desk:settle_repeat"), {"repeat": repeat.pk, "settlement": "a\x07b"})
    assert InboundRepeat.objects.get().settled_at is None
    admin.post(
        reverse("desk:settle_repeat"),
        {"repeat": repeat.pk, "settlement": "Cổng xác nhận gửi nhầm thủ tục"},
    )
    settled = InboundRepeat.objects.get()
    assert settled.settled_by.username == "admin" and settled.settled_at is not None
    assert 'data-testid="held-repeats"' not in admin.get(reverse("desk:outbox")).content.decode()
    assert AuditRecord.objects.filter(action="inbound.repeat_settled").exists()


def test_a_second_delivery_gets_the_same_answer_and_no_second_dossier():
    message = filing()
    first = deliver(message)
    again = deliver(message)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1
    assert InboundDossier.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure_code": "X.NO.999"}, "procedure_code"),
        ({"agency_code": "99999.05.H40"}, "agency_code"),
        ({"agency_code": "17662.02.H40"}, "agency_code"),  # an office, not a one-stop desk
        ({"unit_code": "99999"}, "unit_code"),
        ({"applicant": {"name": "A", "id_number": "12"}}, "applicant.id_number"),
        ({"applicant": {"name": ""}}, "applicant.name"),
        ({"submitted_at": "not a time"}, "submitted_at"),
    ],
)
def test_a_filing_that_cannot_be_received_is_refused_once_and_for_all(change, field):
    message = filing(**change)
    first = deliver(message)
    assert (first.status_code, first["Content-Type"]) == (422, PROBLEM)
    problem = first.json()
    assert problem["code"] == "filing_refused"
    assert field in problem["detail"]
    again = deliver(message)
    assert again.status_code == 422
    assert again.json()["detail"] == problem["detail"]
    record = InboundDossier.objects.get()
    assert (record.status, record.dossier) == ("refused", None)
    assert field in record.reason
    assert not Dossier.objects.exists()


def test_a_filing_refused_by_the_dossier_engine_is_recorded_too():
    # A commune procedure at the province desk needs the commune: receive() says so.
    response = deliver(filing(agency_code="000.02.00.H40"))
    assert response.status_code == 422
    record = InboundDossier.objects.get()
    assert record.status == "refused"
    assert record.reason and response.json()["detail"] == record.reason
    assert not Dossier.objects.exists()


def test_a_filing_stamped_in_the_future_is_refused_but_a_small_skew_is_not():
    skewed = (clock.now() + dt.timedelta(seconds=60)).isoformat()
    assert deliver(filing(submitted_at=skewed)).status_code == 201
    future = (clock.now() + dt.timedelta(hours=2)).isoformat()
    response = deliver(filing(submitted_at=future))
    assert response.status_code == 422
    assert "submitted_at" in response.json()["detail"]


@pytest.mark.parametrize(
    "message", [{"procedure_code": "X.HT.007"}, {"national_id": "a b"}, ["not", "an", "object"]]
)
def test_a_message_without_a_national_id_is_refused_without_a_record(message):
    response = deliver(message)
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    assert "national_id" in response.json()["detail"] or "object" in response.json()["detail"]
    assert nothing_saved()


def test_a_signed_body_that_is_not_json_is_refused():
    response = deliver(raw=b"<xml/>")
    assert response.status_code == 422
    assert nothing_saved()


def stamp(seconds_from_now: int = 0) -> str:
    return str(int(clock.now().timestamp()) + seconds_from_now)


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "stale", "future", "no headers", "no signature", "no timestamp", "tampered"],
)
def test_a_delivery_not_signed_by_the_portal_is_401_and_saves_nothing(how):
    message = filing()
    body = json.dumps(message).encode()
    good = {
        "X-Signature": inbound.signature(SECRET.encode(), stamp(), body),
        "X-Timestamp": stamp(),
    }
    if how == "wrong secret":
        response = deliver(message, secret="guessed")
    elif how == "stale":
        response = deliver(message, timestamp=stamp(-301))
    elif how == "future":
        response = deliver(message, timestamp=stamp(+301))
    elif how == "no headers":
        response = deliver(message, headers={})
    elif how == "no signature":
        response = deliver(message, headers={"X-Timestamp": good["X-Timestamp"]})
    elif how == "no timestamp":
        response = deliver(message, headers={"X-Signature": good["X-Signature"]})
    else:
        tampered = json.dumps({**message, "procedure_code": "T.TP.001"}).encode()
        response = deliver(raw=tampered, headers=good)
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response.json()["code"] == "bad_signature"
    assert nothing_saved()
    assert not User.objects.filter(username="dvcqg").exists()


def test_a_stale_delivery_signed_long_ago_cannot_be_replayed():
    message = filing()
    with clock.fixed_at(clock.now() - dt.timedelta(minutes=10)):
        old_stamp = stamp()
    response = deliver(message, timestamp=old_stamp)
    assert response.status_code == 401
    assert nothing_saved()


def test_without_a_shared_secret_the_webhook_says_it_is_not_configured(settings):
    settings.HAICAP_NATIONAL_WEBHOOK_SECRET = None
    response = deliver(filing())
    assert (response.status_code, response["Content-Type"]) == (503, PROBLEM)
    assert response.json()["code"] == "not_configured"
    assert nothing_saved()


def test_the_secret_can_come_from_the_environment(settings, monkeypatch):
    settings.HAICAP_NATIONAL_WEBHOOK_SECRET = None
    monkeypatch.setenv("HAICAP_NATIONAL_WEBHOOK_SECRET", "from-env")
    assert deliver(filing(), secret="from-env").status_code == 201


def test_a_disabled_service_account_stops_intake_with_503():
    assert deliver(filing()).status_code == 201
    User.objects.filter(username="dvcqg").update(is_active=False)
    message = filing()
    response = deliver(message)
    assert response.status_code == 503
    assert not InboundDossier.objects.filter(national_id=message["national_id"]).exists()


def test_the_webhook_needs_no_session_and_ignores_one():
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(User.objects.get(username="tiepnhan.doluong"))
    assert deliver(filing(), client=staff).status_code == 201


def test_an_oversized_delivery_is_413_before_anything_else(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = deliver(filing(applicant={"name": "A" * 300, "id_number": "040195012345"}))
    assert (response.status_code, response["Content-Type"]) == (413, PROBLEM)
    assert nothing_saved()


def test_the_webhook_and_the_lookup_are_documented():
    schema = Client().get("/api/v1/openapi.json").json()
    webhook = schema["paths"]["/api/v1/national/dossiers"]["post"]
    assert webhook["requestBody"]["content"]["application/json"]["schema"]["required"][0] == (
        "national_id"
    )
    assert {"200", "201", "401", "422", "503"} <= set(webhook["responses"])
    assert "/api/v1/businesses/{enterprise_code}" in schema["paths"]


def test_a_differing_repeat_that_loses_the_race_with_the_first_is_held_too(monkeypatch):
    message = filing()
    first = deliver(message)
    assert first.status_code == 201
    # The second delivery looked before the first was committed, found nothing, and then lost
    # the race on the national id's unique constraint.
    from haicap.exchange.inbound import services as inbound_services

    looked = []

    def not_yet(national_id, source=inbound_services.SOURCE):
        looked.append(national_id)
        return (
            None
            if len(looked) == 1
            else InboundDossier.objects.filter(source=source, national_id=national_id)
            .select_related("dossier")
            .first()
        )

    monkeypatch.setattr(inbound_services, "recorded", not_yet)
    changed = {**message, "applicant": {**message["applicant"], "name": "Trần Văn Bình"}}
    held = deliver(changed)
    assert (held.status_code, held.json()["code"]) == (409, "filing_held")
    assert InboundRepeat.objects.get().payload == changed
    assert Dossier.objects.count() == 1
