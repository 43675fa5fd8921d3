"""Open311 GeoReport v2 at /open311/v2/, checked against the spec's own field names and types
(http://wiki.open311.org/GeoReport_v2), written out below from the spec rather than from what
haicap answers: services, a service definition, service requests (only the answered ones whose
sender agreed to publication, never the sender), filing one, and the errors."""

import datetime as dt
import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from haicap.core import clock
from haicap.feedback.models import Category, Petition
from haicap.feedback.services import filing, handling, lookup
from tests.feedback.world import DO_LUONG, DO_LUONG_PPC, SENDER, at, file, former, people

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
NULL = type(None)
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")

# --- the spec's records (GeoReport v2, "Response" tables), by field: the types allowed ----------

SERVICE = {
    "service_code": (str,),
    "service_name": (str,),
    "description": (str,),
    "metadata": (bool,),
    "type": (str,),
    "keywords": (str,),
    "group": (str,),
}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
DEFINITION = {"service_code": (str,), "attributes": (list,)}
ATTRIBUTE = {
    "variable": (bool,),
    "code": (str,),
    "datatype": (str,),
    "required": (bool,),
    "datatype_description": (str, NULL),
    "order": (int,),
    "description": (str,),
    "values": (list,),
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
VALUE = {"key": (str, int), "name": (str,)}
REQUEST = {
    "service_request_id": (str,),
    "status": (str,),
    "status_notes": (str, NULL),
    "service_name": (str,),
    "service_code": (str,),
    "description": (str, NULL),
    "agency_responsible": (str, NULL),
    "service_notice": (str, NULL),
    "requested_datetime": (str,),
    "updated_datetime": (str,),
    "expected_datetime": (str, NULL),
    "address": (str, NULL),
    "address_id": (str, NULL),
    "zipcode": (str, NULL),
    "lat": (float, int, NULL),
    "long": (float, int, NULL),
    "media_url": (str, NULL),
}
POSTED = {"service_request_id": (str,), "service_notice": (str, NULL), "account_id": (str, NULL)}
ERROR = {"code": (int,), "description": (str,)}


def conforms(record: dict, fields: dict) -> None:
    assert set(record) == set(fields), set(record) ^ set(fields)
    for name, types in fields.items():
        assert type(record[name]) in types, (name, record[name])


def conforming_requests(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    found = response.json()
    assert isinstance(found, list)  # an array at the top level
    for record in found:
        conforms(record, REQUEST)
        assert record["status"] in {"open", "closed"}
        for moment in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert W3C.match(record[moment]), record[moment]
    return found


def spec_error(response, status: int) -> str:
    assert response.status_code == status, response.content
    [error] = response.json()
    conforms(error, ERROR)
    assert error["code"] == status
    return error["description"]


def get(path: str, query: dict | None = None, when=None, **headers):
    with clock.fixed_at(when or at(3, 20, 9)):
        return Client().get(f"{BASE}/{path}", query or {}, headers=headers)


def open311_post(fields: dict, address: str = "203.0.113.50", when=None, **headers):
    with clock.fixed_at(when or at(3, 2, 9)):
        return Client(REMOTE_ADDR=address).post(f"{BASE}/requests.json", fields, headers=headers)


POSTED_FIELDS = {
    "service_code": "moi-truong",
    "address_string": "Đường liên xóm 3",
    "first_name": "Văn Dân",
    "last_name": "Nguyễn",
    "phone": "0912345678",
    "email": "dan@example.vn",
    "description": "Rác thải đổ trộm bên đường liên xóm 3 đã hơn một tuần chưa được thu gom.",
    "device_id": "tt222111",
    "account_id": "123456",
    "media_url": "http://example.com/photo.jpg",
    "api_key": "anything",
    "attribute[commune]": DO_LUONG,
    "attribute[village]": "Xóm 3",
    "attribute[publish]": "yes",
}


# --- services ------------------------------------------------------------------------------


def test_each_offered_category_is_a_service():
    Category.objects.filter(code="khac").update(active=False)
    response = get("services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    found = response.json()
    for service in found:
        conforms(service, SERVICE)
        assert service["type"] in SERVICE_TYPES and service["metadata"] is True
    codes = [s["service_code"] for s in found]
    assert codes == list(
        Category.objects.filter(active=True)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )
    environment = next(s for s in found if s["service_code"] == "moi-truong")
    assert environment["service_name"] == "Môi trường, rác thải"
    assert environment["keywords"] == "rác, ô nhiễm, nước thải"
    english = get("services.json", **{"Accept-Language": "en"}).json()
    assert next(s for s in english if s["service_code"] == "moi-truong")["service_name"] == (
        "Environment and waste"
    )


def test_a_service_definition_asks_where_the_village_the_dossier_and_the_consent():
    response = get("services/thu-tuc-hanh-chinh.json")
    assert response.status_code == 200
    definition = response.json()
    conforms(definition, DEFINITION)
    assert definition["service_code"] == "thu-tuc-hanh-chinh"
    for attribute in definition["attributes"]:
        conforms(attribute, ATTRIBUTE)
        assert attribute["datatype"] in DATATYPES
        for value in attribute["values"]:
            conforms(value, VALUE)
        if attribute["datatype"] in ("singlevaluelist", "multivaluelist"):
            assert attribute["values"]
    orders = [a["order"] for a in definition["attributes"]]
    assert orders == list(range(1, len(orders) + 1))  # positive, each used once
    by_code = {a["code"]: a for a in definition["attributes"]}
    assert list(by_code) == ["commune", "former_commune", "village", "dossier_code", "publish"]
    assert (DO_LUONG, "xã Đô Lương") in {
        (v["key"], v["name"]) for v in by_code["commune"]["values"]
    }
    nam_son = former("Nam Sơn")
    assert (str(nam_son.pk), "xã Nam Sơn (huyện Đô Lương)") in {
        (v["key"], v["name"]) for v in by_code["former_commune"]["values"]
    }
    assert [v["key"] for v in by_code["publish"]["values"]] == ["yes", "no"]
    assert not any(a["required"] for a in definition["attributes"])
    # only a petition about a procedure names a dossier
    other = get("services/moi-truong.json").json()
    assert "dossier_code" not in [a["code"] for a in other["attributes"]]


def test_an_unknown_service_is_a_404_in_the_specs_form():
    assert "khong-co" in spec_error(get("services/khong-co.json"), 404)
    Category.objects.filter(code="khac").update(active=False)
    spec_error(get("services/khac.json"), 404)


# --- service requests ----------------------------------------------------------------------


def answered(filed: filing.Filed, text: str, when=None) -> None:
    p = people()
    with clock.fixed_at(when or at(3, 4, 9)):
        handling.assign(p.do_luong, filed.petition.code, p.do_luong)
        handling.answer(p.do_luong, filed.petition.code, text)


def test_requests_lists_only_what_senders_agreed_to_publish_and_nothing_of_them():
    sender = filing.Sender(
        name="Nguyễn Văn Dân", phone="0912345678", email="dan@example.vn", address="Số 12 Lê Lợi"
    )
    text = "Ông Nguyễn Văn Dân (0912345678, dan@example.vn) báo: rác đổ trộm ở xóm 3."
    published = file(at(3, 2, 9), text=text, sender=sender, village="Xóm 3")
    answered(file(at(3, 2, 10), publish=False), "Đã thu gom rác tại xóm 4 sáng nay.")
    file(at(3, 2, 11))  # agreed, but not answered yet: nothing to publish
    answered(published, "Đã thu gom xong; đã báo ông Nguyễn Văn Dân qua số 0912345678.")
    found = conforming_requests(get("requests.json"))
    assert [r["service_request_id"] for r in found] == [published.petition.code]
    [record] = found
    assert record["status"] == "closed"  # answered: resolved, for Open311
    assert record["status_notes"] == "Đã thu gom xong; đã báo ông *** qua số ***."
    assert record["description"] == "Ông *** (***, ***) báo: rác đổ trộm ở xóm 3."
    assert record["service_code"] == "moi-truong"
    assert record["service_name"] == "Môi trường, rác thải"
    assert record["agency_responsible"] == published.petition.agency.name
    assert record["requested_datetime"] == "2026-03-02T09:00:00+07:00"
    assert record["updated_datetime"] == "2026-03-04T09:00:00+07:00"
    assert record["expected_datetime"] == "2026-03-16T09:00:00+07:00"  # the legal deadline
    assert record["address"] == "Xóm 3, xã Đô Lương"  # the village, never the sender's address
    assert record["address_id"] == DO_LUONG
    assert (record["lat"], record["long"], record["media_url"]) == (None, None, None)
    body = get("requests.json").content.decode()
    for personal in ("Nguyễn Văn Dân", "0912345678", "dan@example.vn", "Lê Lợi"):
        assert personal not in body


def test_a_petition_is_listed_once_answered_and_not_while_reopened():
    filed = file(at(3, 2, 9), village="Xóm 7")
    code = filed.petition.code
    assert conforming_requests(get("requests.json")) == []
    spec_error(get(f"requests/{code}.json"), 404)  # the same rule for one as for the list
    answered(filed, "Đã cử người đến dọn dẹp khu vực xóm 7.")
    [record] = conforming_requests(get("requests.json"))
    assert (record["status"], record["status_notes"]) == (
        "closed",
        "Đã cử người đến dọn dẹp khu vực xóm 7.",
    )
    assert record["address"] == "Xóm 7, xã Đô Lương"
    assert record["updated_datetime"] == "2026-03-04T09:00:00+07:00"
    with clock.fixed_at(at(3, 5, 9)):
        handling.reopen(code, "Rác vẫn còn nguyên, chưa ai đến dọn.")
    assert conforming_requests(get("requests.json")) == []
    # the public pages follow the same rule
    assert Client().get(reverse("feedback_public:answered_detail", args=[code])).status_code == 404


def test_requests_are_filtered_as_the_spec_says():
    filed = [file(at(3, 2, 9)), file(at(3, 3, 9), category_code="ha-tang")]
    filed.append(file(at(12, 1, 9, year=2025)))
    for one in filed:
        answered(one, "Đã kiểm tra và xử lý xong vụ việc nêu trong phản ánh.")
    first, second, old = (one.petition.code for one in filed)

    def ids(query: dict) -> list[str]:
        return [r["service_request_id"] for r in conforming_requests(get("requests.json", query))]

    assert ids({}) == [second, first]  # the last 90 days, newest first
    assert ids({"service_code": "ha-tang"}) == [second]
    assert ids({"service_code": "ha-tang,moi-truong"}) == [second, first]
    assert ids({"status": "closed"}) == [second, first]  # answered: resolved, for Open311
    assert ids({"status": "open"}) == []
    assert ids({"start_date": "2026-03-03T00:00:00+07:00"}) == [second]
    assert ids({"end_date": "2026-03-02T23:59:59Z"}) == [first]
    assert ids({"start_date": "2025-11-15", "end_date": "2025-12-15"}) == [old]
    # a "+" a client forgot to escape arrives as a space
    assert ids({"start_date": "2026-03-03T00:00:00 07:00"}) == [second]
    # service_request_id overrides every other argument
    assert ids({"service_request_id": f"{old},{first}", "service_code": "ha-tang"}) == [
        first,
        old,
    ]


def test_a_query_the_spec_does_not_allow_is_a_400_in_its_form():
    spec_error(get("requests.json", {"status": "pending"}), 400)
    spec_error(get("requests.json", {"start_date": "yesterday"}), 400)
    spec_error(get("requests.json", {"start_date": "2026-13-01"}), 400)
    spec_error(get("requests.json", {"start_date": "2026-03-02", "end_date": "2026-03-01"}), 400)
    too_long = {"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}
    assert "90" in spec_error(get("requests.json", too_long), 400)


def test_one_request_is_an_array_of_one_and_an_unpublished_one_is_unknown():
    published_one = file(at(3, 2, 9))
    answered(published_one, "Đã kiểm tra và xử lý xong vụ việc nêu trong phản ánh.")
    published = published_one.petition.code
    private = file(at(3, 2, 10), publish=False).petition.code
    [record] = conforming_requests(get(f"requests/{published}.json"))
    assert record["service_request_id"] == published
    spec_error(get(f"requests/{private}.json"), 404)
    spec_error(get("requests/PA-260302-9999.json"), 404)


# --- posting a request ---------------------------------------------------------------------


def test_anyone_posts_a_request_and_its_notice_holds_the_pin():
    response = open311_post(POSTED_FIELDS)
    assert response.status_code == 201, response.content
    [posted] = response.json()
    conforms(posted, POSTED)
    assert "token" not in posted and posted["account_id"] is None
    petition = Petition.objects.get(code=posted["service_request_id"])
    assert petition.channel == Petition.Channel.OPEN311
    assert petition.sender_name == "Nguyễn Văn Dân" and petition.publish_consent
    assert (petition.commune.code, petition.village, petition.place) == (
        DO_LUONG,
        "Xóm 3",
        "Đường liên xóm 3",
    )
    assert petition.agency.code == DO_LUONG_PPC
    pin = re.search(r"PIN\D*(\d{6})", posted["service_notice"]).group(1)
    assert lookup.look_up(petition.code, pin, None).pk == petition.pk
    assert "16/03/2026" in posted["service_notice"]
    # the sender agreed to publish its answer: nothing is listed until there is one
    assert conforming_requests(get("requests.json", when=at(3, 2, 10))) == []


def test_a_former_commune_and_a_position_are_taken():
    nam_son = former("Nam Sơn")
    fields = {
        **{k: v for k, v in POSTED_FIELDS.items() if not k.startswith("attribute")},
        "attribute[former_commune]": str(nam_son.pk),
        "lat": "18.9",
        "long": "105.3",
    }
    del fields["address_string"]
    [posted] = open311_post(fields).json()
    petition = Petition.objects.get(code=posted["service_request_id"])
    assert (petition.named_unit, petition.commune.code) == (nam_son, DO_LUONG)
    assert (float(petition.latitude), float(petition.longitude)) == (18.9, 105.3)
    assert not petition.publish_consent  # not asked: not given


def test_a_repeat_with_its_idempotency_key_answers_the_same_request():
    first = open311_post(POSTED_FIELDS, **{"Idempotency-Key": "k-1"})
    again = open311_post(POSTED_FIELDS, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert not re.search(r"PIN\D*\d{6}", again.json()[0]["service_notice"])
    assert Petition.objects.count() == 1


def test_a_refused_post_is_an_error_in_the_specs_form():
    senders = iter(range(10))

    def refused(status: int, leave_out: tuple = (), **changes) -> str:
        # each from its own phone: a contact may file five a day, refused or not
        fields = {**POSTED_FIELDS, "phone": f"09140000{next(senders):02d}", "email": ""}
        fields = {k: v for k, v in {**fields, **changes}.items() if k not in leave_out}
        return spec_error(open311_post(fields), status)

    assert "service_code" in refused(400, leave_out=("service_code",))
    refused(404, service_code="khong-co")
    refused(400, leave_out=("address_string", "attribute[commune]"))
    refused(400, lat="north", long="1")
    refused(400, **{"attribute[commune]": "00000"})
    refused(400, **{"attribute[former_commune]": "x"})
    no_contact = {**POSTED_FIELDS, "phone": "", "email": ""}
    assert "điện thoại" in spec_error(open311_post(no_contact), 400)
    english = open311_post(no_contact, **{"Accept-Language": "en"})
    assert "phone number" in spec_error(english, 400)
    assert not Petition.objects.exists()


def test_posts_are_throttled_per_address():
    for n in range(filing.PETITIONS_PER_ADDRESS_PER_HOUR):
        fields = {**POSTED_FIELDS, "phone": f"09130000{n:02d}", "email": ""}
        assert open311_post(fields, address="198.51.100.77").status_code == 201
    assert spec_error(open311_post(POSTED_FIELDS, address="198.51.100.77"), 429)


def test_another_method_is_refused_in_the_specs_form():
    with clock.fixed_at(at(3, 2, 9)):
        response = Client().put(f"{BASE}/requests.json")
    spec_error(response, 405)
    assert response["Allow"] == "GET, POST, HEAD"
    with clock.fixed_at(at(3, 2, 9)):
        spec_error(Client().post(f"{BASE}/services.json"), 405)
        assert Client().head(f"{BASE}/services.json").status_code == 200


# --- XML -----------------------------------------------------------------------------------


def xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314  (haicap's own answer)


def test_every_resource_is_also_served_as_the_specs_xml():
    answered(file(at(3, 2, 9)), "Đã kiểm tra và xử lý xong vụ việc nêu trong phản ánh.")
    services = get("services.xml")
    assert services["Content-Type"] == "text/xml; charset=utf-8"
    assert services.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = xml(services.content)
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    assert {field.tag for field in root[0]} == set(SERVICE)
    assert root[0].find("metadata").text == "true"
    definition = xml(get("services/moi-truong.xml").content)
    assert definition.tag == "service_definition"
    attribute = definition.find("attributes/attribute")
    assert {field.tag for field in attribute} == set(ATTRIBUTE)
    assert attribute.find("values/value/key") is not None
    requests = xml(get("requests.xml").content)
    assert requests.tag == "service_requests"
    [record] = requests.findall("request")
    assert {field.tag for field in record} == set(REQUEST)
    assert W3C.match(record.find("requested_datetime").text)
    error = get("services/khong-co.xml")
    assert error.status_code == 404
    assert xml(error.content).find("error/code").text == "404"
    with clock.fixed_at(at(3, 3, 9)):
        sent = Client().post(f"{BASE}/requests.xml", POSTED_FIELDS)
    assert sent.status_code == 201
    [posted] = xml(sent.content).findall("request")
    assert {field.tag for field in posted} == set(POSTED)


def test_dates_are_w3c_with_vietnams_offset():
    filed = file(at(3, 2, 9))
    answered(filed, "Đã kiểm tra và xử lý xong vụ việc nêu trong phản ánh.")
    with clock.fixed_at(at(3, 4, 9) + dt.timedelta(hours=1)):
        [record] = conforming_requests(Client().get(f"{BASE}/requests/{filed.petition.code}.json"))
    assert record["requested_datetime"].endswith("+07:00")
    assert SENDER.name not in str(record)
