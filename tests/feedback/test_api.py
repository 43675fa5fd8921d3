"""The staff's feedback API: categories, petitions in the caller's scope (the sender masked in
lists, in full only for those who may handle it), filing on a sender's behalf, and the
lifecycle's moves, each with the version the caller saw."""

import base64
import io
import json

import pytest
from django.test import Client
from PIL import Image

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.feedback.models import Category, Petition, PetitionPhoto
from haicap.feedback.services import filing, handling
from tests.api.test_dossiers_api import bearer
from tests.feedback.world import (
    CONSTRUCTION,
    DO_LUONG,
    DO_LUONG_PPC,
    VAN_HIEN,
    VAN_HIEN_PPC,
    agency,
    at,
    file,
    former,
    people,
)

pytestmark = pytest.mark.django_db

PETITIONS = "/api/v1/feedback/petitions"
FILED_SENDER = filing.Sender(
    name="Nguyễn Văn Dân", phone="0912345678", email="dan@example.vn", address="Xóm 3, Đô Lương"
)
FILING = {
    "category_code": "moi-truong",
    "text": "Cống thoát nước xóm 5 bị tắc, nước thải tràn ra đường đã ba ngày.",
    "sender": {"name": "Trần Thị Bình", "phone": "0987654321", "email": "binh@example.vn"},
    "commune_code": DO_LUONG,
    "village": "Xóm 5",
    "publish_consent": True,
}


def post(client: Client, url: str, body: dict, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def staff_file(client: Client, body: dict | None = None, when=None, **headers):
    with clock.fixed_at(when or at(3, 2, 9)):
        return post(client, PETITIONS, body or FILING, **headers)


def act(client: Client, code: str, action: str, body: dict, when=None):
    with clock.fixed_at(when or at(3, 3, 9)):
        return post(client, f"{PETITIONS}/{code}/{action}", body)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    return body


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return out.getvalue()


# --- categories ----------------------------------------------------------------------------


def test_the_categories_are_listed_in_the_callers_language():
    officer = bearer("chuyenvien.doluong")
    listed = officer.get("/api/v1/feedback/categories").json()
    assert [c["code"] for c in listed] == list(
        Category.objects.filter(active=True)
        .order_by("position", "code")
        .values_list("code", flat=True)
    )
    environment = next(c for c in listed if c["code"] == "moi-truong")
    assert environment["name"] == "Môi trường, rác thải"
    assert environment["legal_working_days"] == 10 and environment["goes_to"] == "commune"
    english = officer.get("/api/v1/feedback/categories", headers={"Accept-Language": "en"})
    assert next(c for c in english.json() if c["code"] == "moi-truong")["name"] == (
        "Environment and waste"
    )


def test_a_category_no_longer_offered_is_not_listed():
    Category.objects.filter(code="khac").update(active=False)
    listed = bearer("chuyenvien.doluong").get("/api/v1/feedback/categories").json()
    assert "khac" not in [c["code"] for c in listed]


def test_the_staff_api_needs_a_token():
    problem(Client().get("/api/v1/feedback/categories"), 401, "not_authenticated")
    problem(Client().get(PETITIONS), 401, "not_authenticated")


# --- lists and scope -----------------------------------------------------------------------


def test_a_commune_sees_its_own_petitions_and_none_of_another_communes():
    mine = file(at(3, 2, 9)).petition
    theirs = file(at(3, 2, 10), commune=VAN_HIEN).petition
    do_luong = bearer("chuyenvien.doluong").get(PETITIONS).json()
    assert [p["code"] for p in do_luong["items"]] == [mine.code]
    van_hien = bearer("tiepnhan.vanhien").get(PETITIONS).json()
    assert [p["code"] for p in van_hien["items"]] == [theirs.code]
    assert theirs.agency.code == VAN_HIEN_PPC
    supervisor = bearer("giamsat").get(PETITIONS).json()
    assert [p["code"] for p in supervisor["items"]] == [theirs.code, mine.code]
    # another commune's petition is as unknown as one that does not exist
    other = bearer("tiepnhan.vanhien")
    problem(other.get(f"{PETITIONS}/{mine.code}"), 404, "not_found")
    problem(act(other, mine.code, "start", {"version": 1}), 404, "not_found")
    problem(other.get(f"{PETITIONS}/PA-000000-0000"), 404, "not_found")


def test_a_list_masks_the_senders_contact_for_everyone():
    file()
    [row] = bearer("chuyenvien.doluong").get(PETITIONS).json()["items"]
    assert row["sender_name"] == "Nguyễn Văn Dân"
    assert row["sender_phone"] == "091****678"
    assert row["sender_email"] == "d***@example.vn"
    assert "0912345678" not in json.dumps(row) and "dan@example.vn" not in json.dumps(row)
    assert row["state"] == "received" and row["state_label"] == "Tiếp nhận"
    assert row["received_at"] == "2026-03-02T09:00:00+07:00"
    assert row["legal_due_at"] == "2026-03-16T09:00:00+07:00"
    assert (row["agency_code"], row["commune_code"], row["version"]) == (DO_LUONG_PPC, DO_LUONG, 1)


def test_the_list_filters_by_state_overdue_category_and_commune():
    p = people()
    early = file(at(3, 2, 9)).petition
    late = file(at(3, 20, 9), category_code="ha-tang").petition
    with clock.fixed_at(at(3, 21, 9)):
        handling.assign(p.do_luong, late.code, p.do_luong)
    officer = bearer("chuyenvien.doluong")

    def codes(**query) -> list[str]:
        with clock.fixed_at(at(3, 23, 9)):  # early's deadline (16 March) has passed
            response = officer.get(PETITIONS, query)
        assert response.status_code == 200, response.content
        return [p["code"] for p in response.json()["items"]]

    assert codes(state="assigned") == [late.code]
    assert codes(state="received") == [early.code]
    assert codes(overdue="true") == [early.code]
    assert codes(overdue="false") == [late.code]
    assert codes(category="ha-tang") == [late.code]
    assert codes(commune=DO_LUONG) == [late.code, early.code]
    assert codes(commune=VAN_HIEN) == []
    problem(officer.get(PETITIONS, {"state": "lost"}), 422, "validation_error")


def test_the_list_is_paged_by_cursor():
    filed = [file(at(3, 2, 9 + hour)).petition.code for hour in range(3)]
    officer = bearer("chuyenvien.doluong")
    first = officer.get(PETITIONS, {"limit": 2}).json()
    assert [p["code"] for p in first["items"]] == filed[:0:-1]
    second = officer.get(PETITIONS, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["code"] for p in second["items"]] == [filed[0]]
    assert second["next_cursor"] is None
    problem(officer.get(PETITIONS, {"cursor": "forged"}), 422, "invalid_input")


# --- one petition --------------------------------------------------------------------------


def test_the_contact_is_shown_whole_only_to_those_who_may_handle_it():
    filed = file(sender=FILED_SENDER).petition
    handler = bearer("chuyenvien.doluong").get(f"{PETITIONS}/{filed.code}").json()
    assert handler["contact_in_full"] is True
    assert (handler["sender_phone"], handler["sender_email"]) == ("0912345678", "dan@example.vn")
    assert handler["sender_address"] == "Xóm 3, Đô Lương"
    assert handler["allowed_actions"] == ["assign", "transfer"]
    supervisor = bearer("giamsat").get(f"{PETITIONS}/{filed.code}").json()
    assert supervisor["contact_in_full"] is False
    assert (supervisor["sender_phone"], supervisor["sender_address"]) == ("091****678", "")
    assert supervisor["allowed_actions"] == []
    assert supervisor["text"] == filed.text  # nothing of the sender's in it


def test_one_who_may_not_handle_it_reads_its_texts_without_the_senders_details():
    sender = filing.Sender("Trần Thị Bình", "0987654321", "binh@example.vn")
    said = "Tôi là Trần Thị Bình, điện thoại 0987654321, email binh@example.vn: cống xóm 5 tắc."
    filed = file(sender=sender, text=said).petition
    officer = people().do_luong
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(officer, filed.code, officer)
        handling.start(officer, filed.code)
        handling.answer(officer, filed.code, "Kính gửi bà Trần Thị Bình (0987654321): đã xong.")
    handler = bearer("chuyenvien.doluong").get(f"{PETITIONS}/{filed.code}").json()
    assert handler["text"] == said
    assert handler["answers"][0]["text"] == "Kính gửi bà Trần Thị Bình (0987654321): đã xong."
    supervisor = bearer("giamsat").get(f"{PETITIONS}/{filed.code}").json()
    assert supervisor["text"] == "Tôi là ***, điện thoại ***, email ***: cống xóm 5 tắc."
    assert supervisor["answers"][0]["text"] == "Kính gửi bà *** (***): đã xong."
    whole = json.dumps(supervisor, ensure_ascii=False)
    assert "0987654321" not in whole and "binh@example.vn" not in whole
    assert "Trần Thị Bình" in supervisor["sender_name"]  # the sender's name stays, as in lists


def test_a_petition_named_by_its_former_commune_shows_both():
    filed = file(commune=None, named=former("Nam Sơn")).petition
    shown = bearer("chuyenvien.doluong").get(f"{PETITIONS}/{filed.code}").json()
    assert shown["commune_code"] == DO_LUONG
    assert shown["named_commune"] == "xã Nam Sơn"
    [received] = shown["events"]
    assert received["kind"] == "received" and received["actor"] == "sender"
    assert "Nam Sơn" in received["note"]


# --- filing on a sender's behalf -----------------------------------------------------------


def test_an_officer_files_a_petition_for_a_sender_and_gets_its_pin_once():
    officer = bearer("tiepnhan.doluong")
    response = staff_file(officer)
    assert response.status_code == 201, response.content
    filed = response.json()
    assert len(filed["pin"]) == 6 and filed["code"].startswith("PA-260302-")
    assert filed["channel"] == "api" and filed["agency_code"] == DO_LUONG_PPC
    assert filed["contact_in_full"] is True and filed["sender_phone"] == "0987654321"
    petition = Petition.objects.get(code=filed["code"])
    assert petition.filed_by.username == "tiepnhan.doluong"
    assert petition.channel == Petition.Channel.API and petition.publish_consent


def test_a_retried_filing_with_its_key_files_once_and_another_request_with_it_is_refused():
    officer = bearer("tiepnhan.doluong")
    first = staff_file(officer, **{"Idempotency-Key": "form-7"})
    again = staff_file(officer, **{"Idempotency-Key": "form-7"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"] and again.json()["pin"] is None
    assert Petition.objects.count() == 1
    other = {**FILING, "text": "Một phản ánh khác hẳn về đèn đường hỏng ở xóm 2."}
    problem(
        staff_file(officer, other, **{"Idempotency-Key": "form-7"}), 422, "idempotency_key_reused"
    )
    # another officer's key is theirs: the same key files anew
    assert (
        staff_file(bearer("chuyenvien.doluong"), **{"Idempotency-Key": "form-7"}).status_code == 201
    )
    assert Petition.objects.count() == 2


def test_a_retry_from_another_commune_later_learns_nothing_the_filing_did_not_say():
    officer = bearer("tiepnhan.vanhien")
    first = staff_file(officer, **{"Idempotency-Key": "form-9"})
    code = first.json()["code"]
    p = people()
    with clock.fixed_at(at(3, 4, 9)):
        handling.assign(p.do_luong, code, p.do_luong)
        handling.answer(p.do_luong, code, "Xã đã nạo vét cống xóm 5 cho ông Bình, 0987654321.")
    again = staff_file(officer, when=at(3, 5, 9), **{"Idempotency-Key": "form-9"})
    assert again.status_code == 200, again.content
    told = again.json()
    assert told["code"] == code and told["agency_code"] == DO_LUONG_PPC and told["pin"] is None
    assert told["legal_due_at"] == first.json()["legal_due_at"]
    assert "answers" not in told and "events" not in told and "text" not in told
    assert "0987654321" not in again.content.decode() and "nạo vét" not in again.content.decode()


def test_an_officer_of_another_commune_files_it_but_does_not_read_it_afterwards():
    response = staff_file(bearer("tiepnhan.vanhien"))
    assert response.status_code == 201
    filed = response.json()
    assert filed["agency_code"] == DO_LUONG_PPC and filed["sender_phone"] == "0987654321"
    problem(bearer("tiepnhan.vanhien").get(f"{PETITIONS}/{filed['code']}"), 404, "not_found")


def test_a_supervisor_files_nothing():
    problem(staff_file(bearer("giamsat")), 403, "permission_denied")
    assert not Petition.objects.exists()


def test_a_refused_filing_is_explained_in_vietnamese_unless_english_is_asked():
    officer = bearer("tiepnhan.doluong")
    unknown = {**FILING, "category_code": "khong-co"}
    vietnamese = problem(staff_file(officer, unknown), 422, "invalid_input")
    assert vietnamese["detail"] == "Danh mục: không có danh mục nào đang nhận có mã khong-co."
    english = problem(
        staff_file(officer, unknown, **{"Accept-Language": "en"}), 422, "invalid_input"
    )
    assert english["detail"] == "Category: no category offered has the code khong-co."
    no_contact = {**FILING, "sender": {"name": "Ẩn danh"}}
    refused = problem(staff_file(officer, no_contact), 422, "invalid_input")
    assert "số điện thoại hoặc email" in refused["detail"]
    problem(staff_file(officer, {**FILING, "commune_code": "99999"}), 422, "invalid_input")
    problem(staff_file(officer, {**FILING, "former_commune_id": 10**9}), 422, "invalid_input")
    problem(staff_file(officer, {**FILING, "text": "ngắn"}), 422, "invalid_input")
    assert not Petition.objects.exists()


def test_photos_may_come_in_base64_and_are_kept_without_metadata():
    photo = {"name": "cong.png", "content_base64": base64.b64encode(png()).decode()}
    response = staff_file(bearer("tiepnhan.doluong"), {**FILING, "photos": [photo]})
    assert response.status_code == 201, response.content
    assert response.json()["photos"] == [
        {
            "name": "cong.png",
            "content_type": "image/png",
            "size": PetitionPhoto.objects.get().size,
            "kept_location": False,
        }
    ]
    broken = {"name": "x.png", "content_base64": "not base64!"}
    refused = problem(
        staff_file(bearer("tiepnhan.doluong"), {**FILING, "photos": [broken]}), 422, "invalid_input"
    )
    assert refused["detail"].startswith("x.png")
    not_a_photo = {"name": "y.png", "content_base64": base64.b64encode(b"plain text").decode()}
    problem(
        staff_file(bearer("tiepnhan.doluong"), {**FILING, "photos": [not_a_photo]}),
        422,
        "invalid_input",
    )
    assert PetitionPhoto.objects.count() == 1


# --- the lifecycle's moves -----------------------------------------------------------------


def test_a_petition_is_assigned_begun_given_a_step_deadline_and_answered():
    filed = file(sender=FILED_SENDER).petition
    leader, officer = bearer("lanhdao.doluong"), bearer("chuyenvien.doluong")
    assigned = act(leader, filed.code, "assign", {"version": 1, "handler": "chuyenvien.doluong"})
    assert assigned.status_code == 200, assigned.content
    assert (assigned.json()["state"], assigned.json()["handler"]) == (
        "assigned",
        "chuyenvien.doluong",
    )
    assert assigned.json()["version"] == 2
    begun = act(officer, filed.code, "start", {"version": 2})
    assert begun.json()["state"] == "in_progress"
    step = act(
        officer, filed.code, "step-deadline", {"version": 3, "due_at": "2026-03-10T17:00:00"}
    )
    assert step.status_code == 200, step.content
    assert step.json()["step_due_at"] == "2026-03-10T17:00:00+07:00"
    assert step.json()["legal_due_at"] == "2026-03-16T09:00:00+07:00"  # never moves
    text = "Đã cử tổ thu gom đến xóm 3; ông Nguyễn Văn Dân (0912345678) đã được báo."
    answered = act(officer, filed.code, "answer", {"version": 4, "text": text}, when=at(3, 5, 9))
    assert answered.status_code == 200, answered.content
    shown = answered.json()
    assert shown["state"] == "answered" and shown["allowed_actions"] == []
    [reply] = shown["answers"]
    assert reply["text"] == text and reply["on_time"] is True
    assert reply["public_text"] == "Đã cử tổ thu gom đến xóm 3; ông *** (***) đã được báo."
    assert [e["kind"] for e in shown["events"]] == [
        "received",
        "assigned",
        "started",
        "step_deadline",
        "answered",
    ]


def test_a_stale_version_is_refused():
    filed = file().petition
    officer = bearer("chuyenvien.doluong")
    assert act(officer, filed.code, "assign", {"version": 1}).status_code == 200
    stale = problem(act(officer, filed.code, "start", {"version": 1}), 409, "conflict")
    assert (
        stale["detail"] == "Có người vừa thay đổi phản ánh này trong lúc bạn đang xem; hãy xem lại."
    )
    problem(act(officer, filed.code, "start", {}), 422, "validation_error")
    assert Petition.objects.get().state == "assigned"


def test_who_may_move_it_is_checked():
    filed = file().petition
    desk, officer = bearer("tiepnhan.doluong"), bearer("chuyenvien.doluong")
    body = {"version": 1, "handler": "chuyenvien.doluong"}
    problem(act(desk, filed.code, "assign", body), 403, "permission_denied")  # not a leader
    problem(act(bearer("giamsat"), filed.code, "assign", {"version": 1}), 403, "permission_denied")
    problem(act(officer, filed.code, "start", {"version": 1}), 403, "permission_denied")
    early = {"version": 1, "text": "Một câu trả lời đủ dài."}
    problem(act(bearer("lanhdao.doluong"), filed.code, "answer", early), 409, "conflict")
    assert act(officer, filed.code, "assign", {"version": 1}).status_code == 200
    problem(act(desk, filed.code, "start", {"version": 2}), 403, "permission_denied")
    problem(
        act(desk, filed.code, "answer", {"version": 2, "text": "Một câu trả lời đủ dài."}),
        403,
        "permission_denied",
    )
    unknown = {"version": 2, "handler": "khong.ai"}
    problem(act(bearer("lanhdao.doluong"), filed.code, "assign", unknown), 422, "invalid_input")
    past = {"version": 2, "due_at": "2026-03-01T09:00:00+07:00"}
    problem(act(officer, filed.code, "step-deadline", past), 422, "invalid_input")


def test_a_petition_is_transferred_to_the_competent_agency_which_then_sees_it():
    filed = file().petition
    officer = bearer("chuyenvien.doluong")
    reason = {"version": 1, "reason": "Công trình do Sở Xây dựng cấp phép."}
    problem(
        act(officer, filed.code, "transfer", {**reason, "agency_code": "nope"}),
        422,
        "invalid_input",
    )
    problem(
        act(officer, filed.code, "transfer", {**reason, "agency_code": DO_LUONG_PPC}),
        422,
        "invalid_input",
    )
    # another commune's office answers through its People's Committee: not a target
    council_office = {**reason, "agency_code": "17677.02.H40"}
    refused = problem(act(officer, filed.code, "transfer", council_office), 422, "invalid_input")
    assert "17677.02.H40" in refused["detail"]
    with pytest.raises(InvalidInput, match="Văn phòng Hội đồng nhân dân"):  # the service's rule
        handling.transfer(people().do_luong, filed.code, agency("17677.02.H40"), reason["reason"])
    moved = act(officer, filed.code, "transfer", {**reason, "agency_code": CONSTRUCTION})
    assert moved.status_code == 200, moved.content
    assert moved.json()["agency_code"] == CONSTRUCTION and moved.json()["allowed_actions"] == []
    assert moved.json()["contact_in_full"] is False  # Đô Lương still reads it, no longer handles it
    people()  # the department's officers
    department = bearer("chuyenvien.soxaydung").get(f"{PETITIONS}/{filed.code}").json()
    assert department["contact_in_full"] is True
    assert department["legal_due_at"] == "2026-03-16T09:00:00+07:00"
    assert department["events"][-1]["note"] == "Công trình do Sở Xây dựng cấp phép."
