"""The national forms of a dossier (Circular 03/2025 numbering; 2018 numbering before 1/7/2025).

Numbers and titles follow the list of Circular 03/2025 Annex I as published with the circular's
forms (thuviennhadat.vn, "biểu mẫu Thông tư 03/2025/TT-VPCP", read December 2026; the annex
itself was not found): 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, 02 Phiếu yêu cầu bổ sung,
hoàn thiện hồ sơ, 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ, 04 Văn bản xin lỗi và đề nghị
gia hạn thời gian giải quyết, 05 Thông báo dừng giải quyết hồ sơ, 06 Phiếu kiểm soát quá
trình giải quyết hồ sơ, 07 Sổ theo dõi hồ sơ. Where sources disagree (domain.md 7: one ministry
numbers the control sheet 05 and the log book 06) this list and the provincial centres' use of
06 and 07 are followed; the ministry's numbering is Circular 01/2018's (``NUMBER_IN_2018``).

Form 03 is the desk's refusal to receive a dossier at intake, signed by the applicant and the
receiving officer (provincial 2025 procedures quoting Circular 03/2025; domain.md 7). It is
printed from a ``DeskRecord``, as is form 02 when the desk guides an applicant to complete a
dossier it does not receive. A dossier refused after appraisal gets the competent agency's
written answer with reasons (``refusal_answer``), not form 03.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.core.errors import NotFound
from haicap.core.masking import mask_citizen_id, mask_phone
from haicap.dossiers import handovers
from haicap.dossiers.models import ApologyDraft, DeskRecord, Dossier, DossierAccess, DossierEvent
from haicap.dossiers.pdf import (
    ADMINISTRATIVE,
    RECIPIENTS_HEADING,
    REGISTER,
    FormDocument,
    Line,
)
from haicap.dossiers.selectors import (
    LogBookEntry,
    late_clock_start,
    provisional_days_of,
    template_of,
)
from haicap.dossiers.services.moves import SUPPLEMENT_LAPSED
from haicap.units.models import Agency
from haicap.workflow.engine import StepKind, Template, UnknownStep

CIRCULAR_03_IN_FORCE = dt.datetime(2025, 7, 1, tzinfo=VIETNAM)
TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "07": "SỔ THEO DÕI HỒ SƠ",
}
# Circular 01/2018's title where it differs, printed for dossiers received before 1/7/2025.
TITLES_IN_2018 = {"04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"}
# Circular 01/2018 numbered the control sheet 05 and the log book 06, and had no stop notice.
NUMBER_IN_2018 = {"01": "01", "02": "02", "03": "03", "04": "04", "06": "05", "07": "06"}
UNITS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
    "whole_working_days": "ngày làm việc (tính cả ngày tiếp nhận)",
}
DOCUMENT_FORMS = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "either": "Bản chính hoặc bản sao",
    "shown": "Xuất trình",
}
# Events that no template action names: the receipt and what the deadline worker records.
EVENT_NAMES = {
    "receive": "Tiếp nhận hồ sơ",
    "warned_due_soon": "Cảnh báo hồ sơ sắp đến hạn",
    "marked_overdue": "Hồ sơ quá hạn giải quyết",
    SUPPLEMENT_LAPSED: "Dừng xử lý do không bổ sung hồ sơ trong thời hạn",
    "digitise_paper": "Số hóa giấy tờ",
    "reuse_paper": "Tái sử dụng giấy tờ đã số hóa",
}
SYSTEM = "Hệ thống"
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def when(moment: dt.datetime | None) -> str:
    """``08 giờ 30 phút, ngày 02/03/2026``, as the forms write a time."""
    if moment is None:
        return ""
    local = moment.astimezone(VIETNAM)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _signer(officer: User | None) -> str:
    return officer.full_name if officer else ""


def _day(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y}"


def legal_time(amount: Decimal, unit: str) -> str:
    if unit == "whole_working_days" and amount == 1:
        return "Trong ngày làm việc"  # Decree 23/2015 Art. 7(1): "ngay trong ngày"
    number = f"{amount.normalize():f}".replace(".", ",")
    return f"{number} {UNITS.get(unit, unit)}"


def form_number(form: str, received_at: dt.datetime) -> str:
    if received_at < CIRCULAR_03_IN_FORCE and form in NUMBER_IN_2018:
        return NUMBER_IN_2018[form]
    return form


def form_title(form: str, received_at: dt.datetime) -> str:
    if received_at < CIRCULAR_03_IN_FORCE and form in TITLES_IN_2018:
        return TITLES_IN_2018[form]
    return TITLES[form]


def _issuer(agency: Agency) -> tuple[str, str]:
    unit = agency.unit
    parent = f"Ủy ban nhân dân {unit.full_name}"
    return parent, agency.name.replace(f" {unit.full_name}", "").replace(f" tỉnh {unit.name}", "")


def _place_and_date(agency: Agency, moment: dt.datetime) -> str:
    local = moment.astimezone(VIETNAM)
    return f"{agency.unit.name}, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def _base(
    dossier: Dossier, form: str, agency: Agency, moment: dt.datetime, **content
) -> FormDocument:
    parent, issuer = _issuer(agency)
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number=form_number(form, dossier.received_at),
        title=form_title(form, dossier.received_at),
        reference=f"Mã hồ sơ: {dossier.code}",
        place_and_date=_place_and_date(agency, moment),
        **content,
    )


def _last_event(dossier: Dossier, action: str) -> DossierEvent:
    event = dossier.events.filter(action=action).order_by("-seq").first()
    if event is None:
        raise NotFound(_("This dossier has no such form."))
    return event


def receipt_slip(
    dossier: Dossier, lookup_url: str, pin: str = "", masked: bool = False
) -> FormDocument:
    """Form 01. ``masked`` hides the ID, phone, address and e-mail (a supervisor's copy)."""
    officer = dossier.events.order_by("seq").first()
    id_number, phone = dossier.applicant_id_number, dossier.applicant_phone
    address, email = dossier.applicant_address, dossier.applicant_email
    if masked:
        id_number, phone = mask_citizen_id(id_number), mask_phone(phone)
        address, email = "", ""  # nothing to mask them with: left out
    rows = [
        [str(i), d["name"], DOCUMENT_FORMS.get(d.get("form", ""), ""), str(d.get("quantity", 1))]
        for i, d in enumerate(dossier.procedure.documents, start=1)
    ]
    return _base(
        dossier,
        "01",
        dossier.receiving_agency,
        dossier.received_at,
        paragraphs=[f"{dossier.receiving_agency} đã tiếp nhận hồ sơ của:"],
        facts=[
            ("Ông/Bà", dossier.applicant_name),
            ("Số định danh cá nhân", id_number or "—"),
            ("Địa chỉ", address or "—"),
            ("Số điện thoại", phone or "—"),
            ("Thư điện tử", email or "—"),
            ("Nội dung yêu cầu giải quyết", dossier.procedure.name),
            (
                "Thời hạn giải quyết theo quy định",
                legal_time(dossier.legal_amount, dossier.legal_unit),
            ),
            ("Thời gian nhận hồ sơ", when(dossier.received_at)),
            *_clock_start_fact(dossier),
            ("Thời gian trả kết quả", when(dossier.due_at) + _provisional_note(dossier)),
            ("Số bộ hồ sơ", str(dossier.result_sets)),
            ("Hình thức nhận kết quả", _delivery_line(dossier, masked)),
            *_authorised_fact(dossier, masked),
            ("Vào sổ theo dõi hồ sơ, số", _log_number(dossier)),
            ("Mã tra cứu", pin or "đã cấp khi tiếp nhận"),
        ],
        table_header=["STT", "Tên giấy tờ", "Hình thức", "Số lượng"],
        table_rows=rows,
        closing=["Khi đến nhận kết quả, ông/bà mang theo giấy tiếp nhận này."],
        signatures=[
            ("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", _signer(officer.actor if officer else None)),
        ],
        qr_url=lookup_url,
        qr_caption=RATING_CAPTION,
    )


# Where the applicant rates the service once the result is returned: the look-up page, with the
# slip's code and PIN (the survey is the feedback app's, offered there).
RATING_CAPTION = (
    "Tra cứu tình trạng hồ sơ; sau khi nhận kết quả, ông/bà có thể đánh giá mức độ hài lòng "
    "bằng mã hồ sơ và mã tra cứu"
)

DELIVERY = {
    "desk": "Nhận trực tiếp tại",
    "post": "Nhận qua dịch vụ bưu chính tại địa chỉ",
    "electronic": "Nhận bản điện tử qua tài khoản trên Cổng Dịch vụ công",
}


def _delivery_line(dossier: Dossier, masked: bool) -> str:
    """Form 01's "where the result is collected", as the applicant chose it (Decree 118/2025;
    domain.md 7 duty 4). The result returns to the place of receipt (domain.md 1.5)."""
    way = dossier.result_delivery
    if way == "post":
        return f"{DELIVERY[way]}: {'(đã ghi)' if masked else dossier.applicant_address}"
    if way == "electronic":
        email = dossier.applicant_email
        return f"{DELIVERY[way]}{'' if masked or not email else f' hoặc thư điện tử {email}'}"
    return f"{DELIVERY['desk']} {dossier.receiving_agency.name}"


def _authorised_fact(dossier: Dossier, masked: bool) -> list[tuple[str, str]]:
    if not dossier.authorised_name:
        return []
    number = dossier.authorised_id_number
    shown = mask_citizen_id(number) if masked else number
    return [
        ("Người được ủy quyền nhận kết quả", f"{dossier.authorised_name}, số định danh {shown}")
    ]


def _log_number(dossier: Dossier) -> str:
    return f"{dossier.log_number}/{dossier.log_year}" if dossier.log_number else "—"


def _clock_start_fact(dossier: Dossier) -> list[tuple[str, str]]:
    """A receipt out of office hours tells the applicant when the legal time starts."""
    late = late_clock_start(dossier)
    if late is None:
        return []
    why = "sau giờ tiếp nhận trong ngày" if late.after_cutoff else "ngoài giờ làm việc"
    return [("Thời hạn giải quyết được tính từ", f"{when(late.at)} (nhận hồ sơ {why})")]


def _provisional_note(dossier: Dossier) -> str:
    """A due date that counts a provisional day off is "tạm tính" (it may still move)."""
    days = provisional_days_of(dossier)
    if not days:
        return ""
    listed = ", ".join(f"{day:%d/%m/%Y}" for day in days)
    return f" (tạm tính: ngày nghỉ {listed} chưa được xác nhận)"


def supplement_request(dossier: Dossier, lookup_url: str) -> FormDocument:
    event = _last_event(dossier, "request_supplement")
    return _base(
        dossier,
        "02",
        dossier.competent_agency,
        event.at,
        paragraphs=[
            f"Ngày {_day(dossier.received_at)}, {dossier.receiving_agency} "
            f"tiếp nhận hồ sơ của ông/bà {dossier.applicant_name} đề nghị giải quyết thủ tục "
            f"{dossier.procedure}.",
            "Sau khi xem xét, hồ sơ cần bổ sung, hoàn thiện các nội dung sau:",
            event.note,
            "Thời hạn giải quyết được tính lại từ đầu khi cơ quan nhận đủ hồ sơ bổ sung. "
            "Việc yêu cầu bổ sung chỉ thực hiện một lần.",
        ],
        signatures=[("NGƯỜI HƯỚNG DẪN", _signer(event.actor))],
        qr_url=lookup_url,
    )


def refusal_answer(dossier: Dossier, lookup_url: str) -> FormDocument:
    """A refusal after appraisal: the competent agency's written answer with its reasons, in the
    layout of an administrative document (Decree 118/2025 as restated by provincial 2025
    procedures, domain.md 7: this is not form 03, which is the desk's refusal to receive)."""
    event = _last_event(dossier, "refuse")
    agency = dossier.competent_agency
    parent, issuer = _issuer(agency)
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number="",
        title="VĂN BẢN TRẢ LỜI",
        summary=f"V/v từ chối giải quyết hồ sơ {dossier.code}",
        number=f"      /{agency.code}",
        place_and_date=_place_and_date(agency, event.at),
        paragraphs=[
            Line(f"Kính gửi: Ông/Bà {dossier.applicant_name}"),
            Line(
                f"Ngày {_day(dossier.received_at)}, {dossier.receiving_agency} tiếp nhận hồ sơ "
                f"mã số {dossier.code} đề nghị giải quyết thủ tục {dossier.procedure}."
            ),
            Line(f"Sau khi thẩm định, {agency} không giải quyết hồ sơ nêu trên với lý do sau:"),
            *[Line(reason) for reason in event.note.splitlines() if reason.strip()],
            Line(
                "Nếu không đồng ý với nội dung trả lời này, ông/bà có quyền khiếu nại theo quy "
                "định của Luật Khiếu nại."
            ),
        ],
        recipients=[
            RECIPIENTS_HEADING,
            "- Như trên;",
            f"- {dossier.receiving_agency} (để trả kết quả);",
            "- Lưu: VT.",
        ],
        signatures=[("THỦ TRƯỞNG CƠ QUAN", _signer(event.actor))],
        qr_url=lookup_url,
        layout=ADMINISTRATIVE,
    )


def _desk_base(record: DeskRecord, form: str, **content) -> FormDocument:
    parent, issuer = _issuer(record.desk)
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number=form,
        title=TITLES[form],
        reference=f"Số: {record.number}/{record.at_year}",
        place_and_date=_place_and_date(record.desk, record.at),
        **content,
    )


def _desk_facts(record: DeskRecord, masked: bool) -> list[tuple[str, str]]:
    """The applicant as form 01 prints them (the forms' templates have the address too)."""
    id_number, phone = record.applicant_id_number, record.applicant_phone
    address = record.applicant_address
    if masked:
        id_number, phone = mask_citizen_id(id_number), mask_phone(phone)
        address = ""  # nothing to mask it with: left out
    return [
        ("Ông/Bà", record.applicant_name),
        ("Số định danh cá nhân", id_number or "—"),
        ("Địa chỉ", address or "—"),
        ("Số điện thoại", phone or "—"),
        ("Nội dung yêu cầu giải quyết", record.request),
    ]


def intake_guidance(record: DeskRecord, masked: bool = False) -> FormDocument:
    """Form 02 as the desk uses it: one written guidance listing everything the applicant must
    complete, given once (Decree 118/2025 Art. 11), for a dossier the desk does not receive."""
    return _desk_base(
        record,
        "02",
        paragraphs=[
            f"Ngày {_day(record.at)}, {record.desk} nhận được hồ sơ của:",
        ],
        facts=_desk_facts(record, masked),
        closing=[
            "Sau khi kiểm tra, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị ông/bà bổ sung, hoàn thiện "
            "hồ sơ gồm những nội dung sau:",
            record.content,
            "Khi hoàn thiện, ông/bà nộp lại hồ sơ tại bộ phận một cửa hoặc trên Cổng Dịch vụ "
            "công. Mọi nội dung cần bổ sung đã được hướng dẫn một lần trong phiếu này.",
        ],
        signatures=[("NGƯỜI HƯỚNG DẪN", _signer(record.officer))],
    )


def intake_refusal(record: DeskRecord, masked: bool = False) -> FormDocument:
    """Form 03: the desk refuses to receive the dossier, with reasons; signed by the applicant
    and the receiving officer (Circular 03/2025 Annex I, as provincial 2025 procedures quote it)."""
    return _desk_base(
        record,
        "03",
        paragraphs=[f"Ngày {_day(record.at)}, {record.desk} nhận được hồ sơ của:"],
        facts=_desk_facts(record, masked),
        closing=[
            "Cơ quan tiếp nhận từ chối tiếp nhận hồ sơ với lý do sau:",
            record.content,
            "Xin thông báo để ông/bà biết.",
        ],
        signatures=[
            # the form's layout prints "(Ký, ghi rõ họ tên)" under each signer
            ("NGƯỜI NỘP HỒ SƠ", record.applicant_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", _signer(record.officer)),
        ],
    )


DESK_BUILDERS = {DeskRecord.Kind.GUIDANCE: intake_guidance, DeskRecord.Kind.REFUSAL: intake_refusal}


def apology(dossier: Dossier, lookup_url: str) -> FormDocument:
    event = dossier.events.filter(action="new_appointment").order_by("-seq").first()
    if event is not None:
        new_date, reason, signer, moment = dossier.appointment_at, event.note, event.actor, event.at
    else:
        draft = ApologyDraft.objects.filter(dossier=dossier).first()
        if draft is None:
            raise NotFound(_("This dossier has no such form."))
        new_date, reason, signer, moment = (
            draft.proposed_appointment_at,
            "…",
            None,
            draft.created_at,
        )
    return _base(
        dossier,
        "04",
        dossier.competent_agency,
        moment,
        paragraphs=[
            f"Ngày {_day(dossier.received_at)}, {dossier.receiving_agency} "
            f"tiếp nhận hồ sơ đề nghị {dossier.procedure} của ông/bà {dossier.applicant_name}; "
            f"thời gian hẹn trả kết quả: {when(dossier.due_at)}.",
            f"Tuy nhiên đến nay, {dossier.competent_agency} chưa trả kết quả giải quyết hồ sơ "
            f"đúng hạn. Lý do: {reason}",
            f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {dossier.competent_agency} xin lỗi "
            f"và hẹn lại thời gian trả kết quả: {when(new_date)}.",
        ],
        signatures=[("THỦ TRƯỞNG CƠ QUAN", _signer(signer))],
        qr_url=lookup_url,
    )


def stop_notice(dossier: Dossier, lookup_url: str) -> FormDocument:
    """Form 05: processing stopped at the applicant's request (Decree 118/2025 Art. 21), or by
    the worker when the supplement asked for never came within the limit (haicap's convention,
    ``settings.SUPPLEMENT_WAIT_LIMIT_DAYS``): the notice the applicant is given either way."""
    event = (
        dossier.events.filter(action__in=("withdraw", SUPPLEMENT_LAPSED)).order_by("-seq").first()
    )
    if event is None:
        raise NotFound(_("This dossier has no such form."))
    if event.action == SUPPLEMENT_LAPSED:
        asked = dt.datetime.fromisoformat(event.data["requested_at"])
        paragraphs = [
            f"Ngày {_day(asked)}, cơ quan giải quyết đã yêu cầu ông/bà {dossier.applicant_name} "
            f"bổ sung, hoàn thiện hồ sơ đề nghị {dossier.procedure}.",
            f"Đã quá thời hạn {event.data['limit_days']} ngày mà cơ quan chưa nhận được hồ sơ "
            f"bổ sung, nên hồ sơ đã dừng xử lý từ {when(event.at)}.",
            "Ông/bà có thể nộp hồ sơ mới khi đã hoàn thiện.",
        ]
    else:
        paragraphs = [
            f"Theo đề nghị của ông/bà {dossier.applicant_name}, hồ sơ đề nghị {dossier.procedure} "
            f"đã dừng xử lý từ {when(event.at)}.",
            f"Lý do: {event.note}",
        ]
    return _base(
        dossier,
        "05",
        dossier.receiving_agency,
        event.at,
        paragraphs=paragraphs,
        signatures=[("NGƯỜI TIẾP NHẬN", _signer(event.actor))],
        qr_url=lookup_url,
    )


def _people(dossier: Dossier, events: list[DossierEvent]) -> dict[int, str]:
    """Each actor as the sheet names them: full name and the agency they acted in.

    An officer may belong to several agencies: the one that has held the dossier is theirs here.
    """
    held = set(DossierAccess.objects.filter(dossier=dossier).values_list("agency_id", flat=True))
    held |= {dossier.receiving_agency_id, dossier.competent_agency_id}
    agencies: dict[int, Agency] = {}
    memberships = Membership.objects.filter(user_id__in={e.actor_id for e in events}).order_by("pk")
    for membership in memberships.select_related("agency"):
        current = agencies.get(membership.user_id)
        if current is None or (current.pk not in held and membership.agency_id in held):
            agencies[membership.user_id] = membership.agency
    people = {}
    for event in events:
        if event.actor is None or event.actor_id in people:
            continue
        name = event.actor.full_name or event.actor.get_username()
        agency = agencies.get(event.actor_id)
        people[event.actor_id] = f"{name} ({agency.name})" if agency else name
    return people


def control_sheet(dossier: Dossier, lookup_url: str) -> FormDocument:
    """Form 06: who handed the dossier to whom, when, for what (in the form's words), and each
    hand-over's result, early, on time or late against that step's budget (``handovers``)."""
    events = list(dossier.events.select_related("actor", "agency").order_by("seq"))
    people = _people(dossier, events)
    template = template_of(dossier)
    action_names = {a.code: a.name for a in template.actions} | EVENT_NAMES
    handings = [
        handovers.Handing(
            at=event.at,
            actor=people.get(event.actor_id, SYSTEM) if event.actor_id else None,
            action=action_names.get(event.action, event.action),
            kind=_handing_kind(template, event),
            note=event.note or "",
            step_result=event.data.get("step_timeliness", ""),
            receiver=_receiver(event),
            holder=_holder(dossier, template, event),
        )
        for event in events
    ]
    rows = [
        [
            when(r.at),
            r.giver,
            OWN_NEXT_STEP if r.own_next_step else r.taker,
            r.action,
            TIMELINESS.get(r.result or "", "—"),
            r.note,
        ]
        for r in handovers.rows(handings, dossier.applicant_name)
    ]
    result = TIMELINESS.get(dossier.timeliness, "Đang giải quyết")
    return _base(
        dossier,
        "06",
        dossier.competent_agency,
        dossier.received_at,
        paragraphs=[
            f"Hồ sơ: {dossier.procedure}",
            f"Người nộp: {dossier.applicant_name}",
            f"Hẹn trả kết quả: {when(dossier.due_at)}",
            f"Kết quả: {result}",
        ],
        table_header=[
            "Thời gian giao, nhận",
            "Bên giao",
            "Bên nhận",
            "Nội dung",
            "Kết quả (trước hạn, đúng hạn, quá hạn)",
            "Ghi chú",
        ],
        table_rows=rows,
        table_widths_mm=[28, 32, 32, 30, 26, 32],
        qr_url=lookup_url,
    )


# One officer moving the dossier on to a step that is again their own: a step, not a person,
# changes hands (``handovers``).
OWN_NEXT_STEP = "Chuyển bước (cùng người xử lý)"


def _handing_kind(template: Template, event: DossierEvent) -> str:
    """What the event is to the control sheet (``handovers``'s kinds)."""
    if event.action == "receive":
        return handovers.RECEIPT
    if event.action == "return_result":
        return handovers.RESULT_RETURNED
    source, target = _step_kind(template, event.from_step), _step_kind(template, event.to_step)
    if event.from_step != event.to_step:
        if target == StepKind.WAITING:
            return handovers.TO_APPLICANT
        if source == StepKind.WAITING and target != StepKind.TERMINAL:
            return handovers.FROM_APPLICANT
        return handovers.MOVE
    if event.agency_id is not None or event.action == "assign":
        return handovers.MOVE  # to another body, or to the officer assigned
    return handovers.WITHIN_STEP


def _step_kind(template: Template, code: str) -> StepKind | None:
    try:
        return template.step(code).kind
    except UnknownStep:
        return None


def _holder(dossier: Dossier, template: Template, event: DossierEvent) -> str:
    """The body that holds the dossier after ``event`` while nobody has acted on it since: the
    desk at a desk's step, the agency in charge at the others, the applicant once it is closed."""
    try:
        step = template.step(event.to_step)
    except UnknownStep:
        return ""
    if step.kind == StepKind.TERMINAL:
        return dossier.applicant_name
    if event.agency is not None:
        return event.agency.name
    desk_step = "intake_officer" in step.roles
    return (dossier.receiving_agency if desk_step else dossier.competent_agency).name


RETURN_WAYS = {"desk": "Trực tiếp", "post": "Bưu chính", "electronic": "Điện tử"}
# The log book's receiver of a result handed back electronically: nobody signs for it.
ELECTRONIC_RECEIVER = "Bản điện tử: người nộp tải về qua Cổng Dịch vụ công hoặc trang tra cứu"


def _receiver(event: DossierEvent) -> str:
    """Who took the result back, as the control sheet names them."""
    if event.action != "return_result":
        return ""
    via = event.data.get("returned_via", "desk")
    if via == "post":
        return f"Bưu chính (số hiệu {event.data.get('tracking_number', '')})"
    if via == "electronic":
        return "Tài khoản điện tử của người nộp"
    name = (event.data.get("collected_by") or {}).get("name", "")
    return f"{name} (được ủy quyền)" if event.data.get("receiver") == "authorised" else name


def log_book(
    agency: Agency,
    entries: Iterable[LogBookEntry],
    since: dt.date,
    until: dt.date,
) -> FormDocument:
    """Form 07 with the columns the law lists (domain.md 7, "Log book", M): the applicant's
    address or phone, the agency in charge, the date the result was returned, how it was
    received, and the receiver's signature (left blank for the pen, under their name)."""
    rows = [
        [
            e.number or "—",  # as the screen shows it: a row's place is no number
            e.code,
            f"{e.procedure} ({e.sets} bộ)",
            e.applicant,
            ", ".join(x for x in (e.address, e.phone) if x),
            e.agency_in_charge,
            f"{_day(e.received_at)}, hẹn {_day(e.due_at)}",
            _day(e.returned_at) if e.returned_at else "",
            RETURN_WAYS.get(e.returned_via, ""),
            ELECTRONIC_RECEIVER if e.returned_via == "electronic" else e.receiver,
        ]
        for e in entries
    ]
    parent, issuer = _issuer(agency)
    return FormDocument(
        issuer_parent=parent,
        issuer=issuer,
        form_number="07",
        title=TITLES["07"],
        reference=f"Từ ngày {since:%d/%m/%Y} đến ngày {until:%d/%m/%Y}",
        table_header=LOG_BOOK_COLUMNS,
        table_rows=rows,
        # the number's column holds "99999/2026" on one line (a provincial centre's year)
        table_widths_mm=[20, 42, 32, 26, 29, 28, 22, 20, 19, 29],
        layout=REGISTER,
    )


LOG_BOOK_COLUMNS = [
    "Số sổ",
    "Mã hồ sơ",
    "Thủ tục (số bộ)",
    "Người nộp",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận, hẹn trả",
    "Ngày trả kết quả",
    "Hình thức nhận",
    "Người nhận (ký, ghi rõ họ tên)",
]


# A dossier's refusal after appraisal is no numbered form: its printed answer has this key.
REFUSAL_ANSWER = "tra-loi"
BUILDERS = {
    "01": receipt_slip,
    "02": supplement_request,
    REFUSAL_ANSWER: refusal_answer,
    "04": apology,
    "05": stop_notice,
    "06": control_sheet,
}
# Every dossier has its slip and its control sheet; the other forms, once the action that calls
# for each has been taken.
FORMS_OF_EVERY_DOSSIER = ("01", "06")
FORM_AFTER_ACTION = {
    "request_supplement": "02",
    "refuse": REFUSAL_ANSWER,
    "new_appointment": "04",
    "withdraw": "05",
    SUPPLEMENT_LAPSED: "05",
}


def forms_of(taken_actions: Iterable[str]) -> list[str]:
    """The national forms a dossier whose events took ``taken_actions`` has, in number order."""
    taken = set(taken_actions)
    called_for = {form for action, form in FORM_AFTER_ACTION.items() if action in taken}
    return sorted({*FORMS_OF_EVERY_DOSSIER, *called_for})
