"""The desk's intake records (guidance, form 02; refusal to receive, form 03), the online
filing's review time limit and the closing of a dossier whose supplement never came, worked by
hand on the national calendar of 2026."""

import datetime as dt
import subprocess
import unicodedata
from decimal import Decimal

import pytest

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.errors import InvalidInput, NotFound, PermissionDenied
from haicap.core.measures import measures
from haicap.core.models import AuditRecord
from haicap.dossiers import national_forms, pdf, selectors, services
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.history import differences
from haicap.dossiers.models import DeskRecord, Dossier, Notification, OnlineSubmission
from haicap.units.models import AdministrativeUnit, Agency
from tests.dossiers.test_scenarios import CITIZEN, DO_LUONG_DESK, VAN_HIEN_DESK, act, at, receive

pytestmark = pytest.mark.django_db


def give(
    user,
    when,
    kind,
    content="Thiếu bản sao giấy chứng nhận",
    username="tiepnhan.doluong",
    desk=DO_LUONG_DESK,
    **kw,
) -> DeskRecord:
    with clock.fixed_at(when):
        return services.record_at_intake(
            user(username),
            kind=kind,
            desk=Agency.objects.get(code=desk),
            applicant=kw.pop("applicant", CITIZEN),
            content=content,
            procedure=kw.pop("procedure", Procedure.objects.get(national_code="X.XD.001")),
            **kw,
        )


def test_guidance_and_refusals_are_numbered_by_desk_kind_and_year_and_are_no_dossiers(user):
    dossiers = Dossier.objects.count()
    first = give(user, at(3, 2, 9), "guidance")
    second = give(user, at(3, 2, 10), "guidance")
    refusal = give(user, at(3, 2, 11), "refusal", content="Không thuộc thẩm quyền của xã")
    elsewhere = give(
        user, at(3, 2, 11), "guidance", username="tiepnhan.vanhien", desk=VAN_HIEN_DESK
    )
    next_year = give(user, at(1, 5, 9, year=2027), "guidance")
    assert [first.number, second.number, refusal.number, elsewhere.number] == [1, 2, 1, 1]
    assert (next_year.number, next_year.at_year) == (1, 2027)
    assert Dossier.objects.count() == dossiers  # not in the "received" figures
    audit = AuditRecord.objects.filter(action="intake.refused").get()
    assert audit.after["id_number"] == "040******345"  # masked in the log
    assert audit.after["content"] == "Không thuộc thẩm quyền của xã"


def test_a_record_is_the_receiving_agencys_and_only_its_intake_officers_give_one(user):
    record = give(user, at(3, 2, 9), "refusal", content="Hồ sơ giả mạo")
    assert selectors.get_desk_record(user("tiepnhan.doluong"), record.pk) == record
    with pytest.raises(NotFound):
        selectors.get_desk_record(user("tiepnhan.vanhien"), record.pk)
    with pytest.raises(PermissionDenied):
        give(user, at(3, 2, 9), "refusal", username="tiepnhan.vanhien")  # not their desk
    with pytest.raises(InvalidInput):
        give(user, at(3, 2, 9), "guidance", content="   ")
    with pytest.raises(InvalidInput):
        give(user, at(3, 2, 9), "guidance", procedure=None)  # neither procedure nor request
    assert DeskRecord.objects.count() == 1


def test_a_resent_form_gives_back_the_same_record(user):
    one = give(user, at(3, 2, 9), "guidance", idempotency_key="k-1")
    again = give(user, at(3, 2, 9, 1), "guidance", idempotency_key="k-1")
    assert again.pk == one.pk and DeskRecord.objects.count() == 1


def test_the_counts_per_unit_and_period_are_measures(user):
    give(user, at(3, 2, 9), "guidance")
    give(user, at(3, 31, 16), "guidance")
    give(user, at(4, 1, 9), "guidance")  # April: outside March
    give(user, at(3, 10, 9), "refusal")
    give(user, at(3, 10, 9), "refusal", username="tiepnhan.vanhien", desk=VAN_HIEN_DESK)
    do_luong = AdministrativeUnit.objects.get(code="17662", valid_to=None).pk
    guidance, refusals = (
        measures.get("dossiers.intake_guidance"),
        measures.get("dossiers.intake_refusals"),
    )
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with clock.fixed_at(at(4, 15)):
        assert guidance.value(do_luong, None, *march) == Decimal(2)
        assert refusals.value(do_luong, None, *march) == Decimal(1)
        assert refusals.value(None, None, *march) == Decimal(2)  # the province: both desks
        assert guidance.value(do_luong, "no-such-field", *march) == Decimal(0)
        assert guidance.value(do_luong, None, dt.date(2026, 5, 1), dt.date(2026, 5, 31)) is None
        counts = selectors.desk_record_counts(user("tiepnhan.doluong"), *march)
    assert [(c.guidance, c.refusals) for c in counts] == [(2, 1)]  # their own desk only


def test_form_03_has_the_two_signatures_and_form_02_the_guidance(user):
    refusal = give(user, at(3, 2, 9), "refusal", content="Không thuộc thẩm quyền")
    document = national_forms.intake_refusal(refusal)
    assert (
        document.form_number == "03"
        and document.title == "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    )
    assert [role.split("\n")[0] for role, _name in document.signatures] == [
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ]
    assert document.signatures[0][1] == "Nguyễn Thị Mai"
    assert "Không thuộc thẩm quyền" in document.closing
    guidance = national_forms.intake_guidance(give(user, at(3, 2, 10), "guidance"), masked=True)
    assert guidance.form_number == "02" and "Thiếu bản sao giấy chứng nhận" in guidance.closing
    assert ("Số định danh cá nhân", "040******345") in guidance.facts


def test_form_03_prints_the_signing_hint_once_under_each_signer(user, tmp_path):
    refusal = give(user, at(3, 2, 9), "refusal", content="Không thuộc thẩm quyền")
    (tmp_path / "03.pdf").write_bytes(pdf.render(national_forms.intake_refusal(refusal)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "03.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # two signers, one hint each (the form's layout prints it; the roles must not repeat it)
    assert unicodedata.normalize("NFC", text).count("(Ký, ghi rõ họ tên)") == 2


# --- the online filing's review time limit (8 working hours by default) ----------------------


def file_online(when) -> OnlineSubmission:
    with clock.fixed_at(when):
        return services.submit_online(
            procedure=Procedure.objects.get(national_code="X.HT.007"),
            desk=Agency.objects.get(code=DO_LUONG_DESK),
            applicant=CITIZEN,
        ).submission


def test_a_filing_left_past_one_working_day_is_flagged_once(user, settings):
    settings.ONLINE_REVIEW_LIMIT_WORKING_HOURS = 8
    monday = file_online(at(3, 2, 9))  # limit: Tuesday 3 March 09:00
    friday = file_online(at(3, 6, 16))  # 1.5 h on Friday + 6.5 h on Monday: 9 March 16:00
    assert sweep(at(3, 3, 8, 59)).late_reviews == 0
    assert sweep(at(3, 3, 9, 1)).late_reviews == 1
    monday.refresh_from_db()
    assert monday.review_overdue_since == at(3, 3, 9)
    assert sweep(at(3, 3, 9, 2)).late_reviews == 0  # once
    assert sweep(at(3, 9, 15, 59)).late_reviews == 0
    assert sweep(at(3, 9, 16, 1)).late_reviews == 1
    friday.refresh_from_db()
    assert friday.review_overdue_since == at(3, 9, 16)
    assert AuditRecord.objects.filter(action="submission.review_overdue").count() == 2


def test_a_filing_dealt_with_in_time_is_never_flagged(user, settings):
    settings.ONLINE_REVIEW_LIMIT_WORKING_HOURS = 8
    filing = file_online(at(3, 2, 9))
    with clock.fixed_at(at(3, 2, 15)):
        services.return_submission(user("tiepnhan.doluong"), filing.pk, "Thiếu ảnh")
    assert sweep(at(3, 10, 9)).late_reviews == 0


# --- a dossier whose supplement never came (60 calendar days by default) ---------------------


def awaiting_supplement(user) -> str:
    code = receive(user, at(3, 2, 9), "X.XD.001").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), code, "request_supplement", note="Thiếu bản vẽ")
    return code


def test_a_supplement_never_given_closes_the_dossier_with_a_notice(user, settings):
    settings.SUPPLEMENT_WAIT_LIMIT_DAYS = 60
    code = awaiting_supplement(user)
    # 60 days from 3 March end on Saturday 2 May; the period runs to the close of the next
    # working day, Monday 4 May 17:30 (Civil Code Art. 148; convention 4).
    assert sweep(at(5, 4, 17, 29)).closed_unsupplemented == 0
    assert sweep(at(5, 4, 17, 31)).closed_unsupplemented == 1
    dossier = Dossier.objects.get(code=code)
    assert (dossier.step, dossier.outcome, dossier.timeliness) == ("withdrawn", "withdrawn", "")
    assert dossier.finished_at == at(5, 4, 17, 31) and dossier.paused_at is None
    event = dossier.events.order_by("-seq").first()
    assert (event.action, event.from_step, event.to_step) == (
        "closed_unsupplemented",
        "awaiting_supplement",
        "withdrawn",
    )
    assert event.data["limit_days"] == 60
    told = Notification.objects.filter(dossier=dossier, kind="supplement_lapsed")
    assert {n.recipient.username for n in told} == {"tiepnhan.doluong"}
    assert differences(dossier) == []  # the close replays from the history
    assert national_forms.forms_of(e.action for e in dossier.events.all()) == [
        "01",
        "02",
        "05",
        "06",
    ]
    notice = national_forms.stop_notice(dossier, "https://x")
    text = " ".join(str(p) for p in notice.paragraphs)
    assert "Ngày 03/03/2026" in text and "quá thời hạn 60 ngày" in text
    assert "17 giờ 31 phút, ngày 04/05/2026" in text
    assert sweep(at(5, 5, 9)).closed_unsupplemented == 0  # idempotent
    assert dossier.events.filter(action="closed_unsupplemented").count() == 1


def test_a_dossier_waiting_for_fees_or_completed_in_time_stays_open(user, settings):
    settings.SUPPLEMENT_WAIT_LIMIT_DAYS = 60
    completed = awaiting_supplement(user)
    act(user, "tiepnhan.doluong", at(3, 20, 9), completed, "supplement_received")
    fees = receive(user, at(3, 2, 9), "X.XD.001").dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), fees, "forward")
    act(user, "chuyenvien.doluong", at(3, 3, 10), fees, "request_payment", note="Lệ phí")
    assert sweep(at(6, 1, 9)).closed_unsupplemented == 0
    assert Dossier.objects.get(code=fees).step == "awaiting_payment"
    assert Dossier.objects.get(code=completed).outcome == ""
