"""How the applicant receives the result, worked by hand: the choice on form 01, the log-book
number, the return at the desk or by post, the log book and the control sheet."""

import pytest

from haicap.core.errors import InvalidInput
from haicap.core.models import AuditRecord
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.delivery import Choice
from haicap.dossiers.models import Dossier
from haicap.dossiers.selectors import log_book
from haicap.units.models import Agency
from tests.api.test_dossiers_api import bearer
from tests.dossiers.test_forms import pdf_text
from tests.dossiers.test_scenarios import CITIZEN, act, at, receive

pytestmark = pytest.mark.django_db

NAM = Applicant(name="Lê Văn Nam", id_number="040090001234")
WITH_NAM = Choice("desk", 2, "Lê Văn Nam", "040090001234")


def decided(user, code: str) -> None:
    """Forwarded Monday 09:30, submitted Tuesday 10:00, approved Thursday 08:00."""
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "submit")
    act(user, "lanhdao.doluong", at(3, 5, 8), code, "approve")


def test_the_desk_numbers_its_log_book_in_the_year_and_form_01_prints_the_choice(user):
    first = receive(user, at(3, 2, 9), "X.HT.007", delivery=WITH_NAM).dossier
    second = receive(user, at(3, 2, 10), "X.HT.007").dossier
    other_desk = receive(
        user, at(3, 2, 9), "X.HT.007", desk="17677.05.H40", username="tiepnhan.vanhien"
    ).dossier
    next_year = receive(user, at(1, 4, 9, year=2027), "X.HT.007").dossier
    numbers = [(d.log_number, d.log_year) for d in (first, second, other_desk, next_year)]
    assert numbers == [(1, 2026), (2, 2026), (1, 2026), (1, 2027)]
    assert (first.result_delivery, first.result_sets) == ("desk", 2)
    assert (second.result_delivery, second.result_sets, second.authorised_name) == ("desk", 1, "")
    slip = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{first.code}/forms/01"))
    for expected in (
        "Số bộ hồ sơ: 2",
        "Hình thức nhận kết quả: Nhận trực tiếp tại Trung tâm Phục vụ hành chính công xã Đô Lương",
        "Người được ủy quyền nhận kết quả: Lê Văn Nam, số định danh 040090001234",
        "Vào sổ theo dõi hồ sơ, số: 1/2026",
    ):
        assert expected in slip, expected
    audit = AuditRecord.objects.filter(action="dossier.received").order_by("id").first()
    assert audit.after["authorised_id_number"] == "040******234"
    assert audit.after["log_number"] == "1/2026"


def test_a_choice_that_cannot_be_kept_is_refused_before_anything_is_written(user):
    cases = [
        (Choice("post"), "địa chỉ"),  # Mai gave no address
        (Choice("desk", 0), "từ 1 đến 20 bộ"),
        (Choice("desk", 1, "Lê Văn Nam", ""), "họ tên và số định danh"),
        (Choice("desk", 1, "Lê Văn Nam", "0401"), "12 chữ số"),
    ]
    for choice, message in cases:
        with pytest.raises(InvalidInput, match=message):
            receive(user, at(3, 2, 9), "X.HT.007", delivery=choice)
    assert not Dossier.objects.exists()
    by_post = Applicant(**{**CITIZEN.__dict__, "address": "Xóm 3, xã Đô Lương"})
    dossier = receive(
        user, at(3, 2, 9), "X.HT.007", applicant=by_post, delivery=Choice("post")
    ).dossier
    assert dossier.log_number == 1  # the refused attempts took no number
    slip = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{dossier.code}/forms/01"))
    assert "Nhận qua dịch vụ bưu chính tại địa chỉ: Xóm 3, xã Đô Lương" in slip


def test_the_result_goes_to_the_applicant_or_the_person_form_01_authorises(user):
    code = receive(user, at(3, 2, 9), "X.HT.007", delivery=WITH_NAM).dossier.code
    decided(user, code)
    stranger = Applicant(name="Trần Thị Hoa", id_number="040190004321")
    with pytest.raises(InvalidInput, match="người được ủy quyền ghi trên giấy tiếp nhận"):
        act(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result", collected_by=stranger)
    assert Dossier.objects.get(code=code).step == "result_ready"
    act(user, "tiepnhan.doluong", at(3, 6, 8, 15), code, "return_result", collected_by=NAM)
    event = Dossier.objects.get(code=code).events.get(action="return_result")
    assert event.data == {
        "returned_via": "desk",
        "collected_by": {"name": "Lê Văn Nam", "id_number": "040090001234"},
        "receiver": "authorised",
    }
    audit = AuditRecord.objects.filter(action="dossier.return_result").latest("id")
    assert audit.after["collected_by"]["id_number"] == "040******234"


def test_a_result_sent_by_post_records_its_tracking_number(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    decided(user, code)
    with pytest.raises(InvalidInput, match="Số hiệu bưu gửi gồm"):
        act(user, "tiepnhan.doluong", at(3, 5, 9), code, "return_result", returned_via="post")
    with pytest.raises(InvalidInput, match="bưu chính hoặc bản điện tử"):
        act(user, "tiepnhan.doluong", at(3, 5, 9), code, "return_result", returned_via="fax")
    act(
        user,
        "tiepnhan.doluong",
        at(3, 5, 9),
        code,
        "return_result",
        returned_via="post",
        tracking_number="eb123456789vn",
    )
    event = Dossier.objects.get(code=code).events.get(action="return_result")
    assert event.data == {"returned_via": "post", "tracking_number": "EB123456789VN"}


def test_the_log_book_has_the_columns_the_law_lists(user):
    with_phone = Applicant(**{**CITIZEN.__dict__, "address": "Xóm 3, xã Đô Lương"})
    returned = receive(
        user, at(3, 2, 9), "X.HT.007", applicant=with_phone, delivery=WITH_NAM
    ).dossier.code
    decided(user, returned)
    act(user, "tiepnhan.doluong", at(3, 6, 8, 15), returned, "return_result", collected_by=NAM)
    waiting = receive(user, at(3, 3, 14), "X.HT.007").dossier.code
    desk = Agency.objects.get(code="17662.05.H40")
    first, second = log_book(user("tiepnhan.doluong"), desk, at(3, 1).date(), at(3, 31).date())
    assert (first.number, first.code, first.sets) == ("1/2026", returned, 2)
    assert (first.address, first.phone) == ("Xóm 3, xã Đô Lương", "0912345678")
    handling = Dossier.objects.select_related("competent_agency").get(code=returned)
    assert first.agency_in_charge == handling.competent_agency.name
    assert handling.competent_agency.unit.name == "Đô Lương"  # the commune's own office
    assert first.returned_at == at(3, 6, 8, 15)
    assert (first.returned_via, first.receiver, first.receiver_id_number) == (
        "desk",
        "Lê Văn Nam",
        "040******234",
    )
    assert (second.number, second.code, second.returned_at, second.returned_via) == (
        "2/2026",
        waiting,
        None,
        "",
    )
    # a supervisor sees the book without the applicants' phones and addresses
    (seen,) = log_book(user("giamsat"), desk, at(3, 2).date(), at(3, 2).date())
    assert (seen.address, seen.phone) == ("", "091****678")
    text = pdf_text(
        bearer("tiepnhan.doluong").get(
            f"/api/v1/agencies/{desk.pk}/log-book", {"since": "2026-03-01", "until": "2026-03-31"}
        )
    )
    for expected in (
        "Mẫu số 07",
        "SỔ THEO DÕI HỒ SƠ",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Ngày trả kết quả",
        "Hình thức nhận",
        "Người nhận (ký, ghi rõ họ tên)",
        "06/03/2026",
        "Trực tiếp",
    ):
        assert expected in text, expected


def test_the_control_sheet_gives_each_hand_over_its_result_against_the_step_budget(user):
    # X.HT.007: 3 working days from Monday 2 March 09:00. Budgets (shares 0.1/0.6/0.3):
    # receipt 2.4 h → Monday 11:24, forwarded 09:30 the same day: on time;
    # processing 14.4 h from Monday 09:30 → Wednesday 07:54, submitted Tuesday: early;
    # approval 2.4 h from Tuesday 10:00 → Tuesday 14:24, approved Thursday 08:00: late.
    code = receive(user, at(3, 2, 9), "X.HT.007", delivery=WITH_NAM).dossier.code
    decided(user, code)
    act(user, "tiepnhan.doluong", at(3, 6, 8, 15), code, "return_result", collected_by=NAM)
    sheet = pdf_text(bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{code}/forms/06"))
    assert "Kết quả (trước hạn, đúng hạn, quá hạn)" in sheet
    assert "Kết quả: Đúng hạn" in sheet  # decided Thursday 08:00, due Thursday 09:00
    rows = sheet.split("Ghi chú", 1)[1]
    order = [rows.index(word) for word in ("Đúng hạn", "Trước hạn", "Quá hạn")]
    assert order == sorted(order)  # forward, then submit, then approve
    assert "Lê Văn Nam (được ủy quyền)" in rows
    events = Dossier.objects.get(code=code).events.order_by("seq")
    assert [e.data.get("step_timeliness") for e in events] == [
        None,
        "on_time",
        "early",
        "late",
        None,
    ]
