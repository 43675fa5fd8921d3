"""The demo province's commune reports: the monthly report on how the communes' government
operates, its history across the 2025 reform, and November 2026 as the issue tells it.

The Department of Home Affairs receives and approves the communes' reports (``Duty.REPORTS``):
its specialist returns reports, its leader approves them. The template is published in two
versions (``standard_templates``): the former communes' until June 2025, the six new communes'
of the former Đô Lương district since July. Their history (``demo_history``) runs from January
2025 to October 2026, approved. November 2026, filed through the services at fixed moments:

    commune       November 2026 (due Thu 3/12, late after Sat 5/12)
    Bạch Hà       submitted Tue 1/12, approved Wed 2/12
    Văn Hiến      submitted Wed 2/12, returned with a note Thu 3/12 (tiepnhan.vanhien corrects it)
    Bạch Ngọc     submitted Thu 3/12, awaiting the province
    Thuần Trung   submitted Fri 4/12, after the due day but within the grace: on time, awaiting
                  the province (a figure overridden, with its reason)
    Lương Sơn     submitted Mon 7/12, after the late-after day: late, awaiting the province
    Đô Lương      not filed: the demo accounts' commune, so chuyenvien.doluong opens it pre-filled
                  and lanhdao.doluong submits it

The communes other than Đô Lương have a leader account each (a Vice Chairman of the People's
Committee) to submit with; nobody signs in with them (no usable password).

ILLUSTRATIVE: the figures are haicap's where it has them, or seeded; the texts and names are
invented.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction

from haicap.accounts.models import User
from haicap.accounts.services import create_staff_user, grant_membership
from haicap.core import clock
from haicap.core.periods import Period
from haicap.core.roles import Role
from haicap.reports import demo_figures, demo_history, schedule, selectors, values
from haicap.reports import standard_templates as standard
from haicap.reports.demo_figures import Level
from haicap.reports.demo_history import Commune, at, seeded, typed
from haicap.reports.models import ReportTemplate
from haicap.reports.schedule import Standing
from haicap.reports.services import filing, review, templates
from haicap.units.kinds import Duty, Tier
from haicap.units.models import AdministrativeUnit, Agency, AgencyDuty

HOME_AFFAIRS = "000.03.00.H40"
REVIEWER, APPROVER = "chuyenvien.sonoivu", "lanhdao.sonoivu"
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))

# The communes' leaders who submit (the demo's own Đô Lương leader is a sign-in account).
LEADERS = {
    standard.DO_LUONG: ("lanhdao.doluong", ""),
    standard.BACH_HA: ("lanhdao.bachha", "Nguyễn Đình Hải"),
    standard.BACH_NGOC: ("lanhdao.bachngoc", "Trần Thị Ngọc Anh"),
    standard.LUONG_SON: ("lanhdao.luongson", "Lê Văn Sơn"),
    standard.THUAN_TRUNG: ("lanhdao.thuantrung", "Phạm Quang Trung"),
    standard.VAN_HIEN: ("lanhdao.vanhien", "Hồ Sỹ Hiến"),
}
# Who writes the report where the commune has a sign-in account that may (else its leader).
WRITERS = {standard.DO_LUONG: "chuyenvien.doluong", standard.VAN_HIEN: "tiepnhan.vanhien"}


@dataclass(frozen=True)
class Story:
    """What a commune did with its November report."""

    submitted: dt.datetime | None
    decision: str = ""  # "approved", "returned" or "" (awaiting)
    note: str = ""  # the province's, when returned
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    assessment: str = "Cơ bản thông suốt"
    offices: str = "Cơ bản đáp ứng"
    override: tuple[str, int, str] | None = None  # (cell, added to haicap's figure, reason)


def _on(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return at(dt.date(2026, 12, day), hour, minute)


NOVEMBER_STORIES = {
    standard.BACH_HA: Story(
        submitted=_on(1, 15),
        decision="approved",
        results="Hoàn thành số hóa hồ sơ hộ tịch năm 2020–2024; 100% hồ sơ được tiếp nhận, trả "
        "kết quả qua hệ thống.",
        difficulties="Trung tâm Phục vụ hành chính công xã thiếu 01 máy quét, việc số hóa hồ sơ "
        "giấy phải làm ngoài giờ.",
        proposals="Đề nghị Sở Tài chính điều chuyển 01 máy quét dôi dư cho Trung tâm Phục vụ "
        "hành chính công xã.",
        assessment="Thông suốt, hiệu quả",
    ),
    standard.VAN_HIEN: Story(
        submitted=_on(2, 16),
        decision="returned",
        note="Đề nghị xã nêu rõ nguyên nhân các hồ sơ đất đai quá hạn và biện pháp khắc phục, "
        "bổ sung kiến nghị cụ thể.",
        results="Tổ chức đối thoại với Nhân dân về giải quyết thủ tục đất đai tại 3 xóm.",
        difficulties="Hồ sơ đất đai tồn đọng từ trước sắp xếp nhiều; công chức địa chính chỉ có "
        "01 người.",
        proposals="Đề nghị tỉnh hỗ trợ.",
        assessment="Còn vướng mắc, cần tháo gỡ",
        offices="Chưa đáp ứng",
    ),
    standard.BACH_NGOC: Story(
        submitted=_on(3, 14, 30),
        results="Bố trí đủ công chức tại Trung tâm Phục vụ hành chính công xã theo vị trí việc "
        "làm.",
        difficulties="Đường truyền mạng tại điểm tiếp nhận ở Giang Sơn thường xuyên gián đoạn.",
        proposals="Đề nghị tỉnh nâng cấp đường truyền tại điểm tiếp nhận Giang Sơn trong quý "
        "I/2027.",
    ),
    standard.THUAN_TRUNG: Story(
        submitted=_on(4, 10),
        results="Tỷ lệ hồ sơ nộp trực tuyến tăng nhờ tổ công nghệ số cộng đồng hướng dẫn tại "
        "các xóm.",
        difficulties="Người dân ở các xóm vùng cao đi lại làm thủ tục còn xa.",
        proposals="Đề nghị tỉnh bố trí điểm tiếp nhận lưu động định kỳ tại các xóm vùng cao.",
        override=(
            "petitions_received",
            1,
            "01 kiến nghị của cử tri nhận tại hội nghị tiếp xúc cử tri ngày 20/11/2026, chưa nhập "
            "vào hệ thống.",
        ),
    ),
    standard.LUONG_SON: Story(
        submitted=_on(7, 8, 30),  # after Sat 5 December: late
        results="Hoàn thành kiểm kê tài sản nhận bàn giao từ các xã cũ.",
        difficulties="Công chức phụ trách tổng hợp nghỉ ốm dài ngày, báo cáo nộp chậm.",
        proposals="Đề nghị Sở Nội vụ hướng dẫn bố trí công chức thay thế khi nghỉ dài ngày.",
        offices="Đáp ứng yêu cầu",
    ),
    standard.DO_LUONG: Story(submitted=None),  # left for the demo accounts
}


@dataclass(frozen=True)
class LoadedReports:
    versions: int
    archived: int  # the former communes' reports keyed in from paper
    filed: int  # the new communes' reports through the services, before November
    november: dict[Standing, int]  # standings on the late-after day's morrow


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _leader(code: str) -> User:
    """The commune's leader who submits: made once, with no usable password."""
    username, name = LEADERS[code]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_staff_user(
            None, username=username, full_name=name, password=secrets.token_urlsafe(32)
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        grant_membership(None, user, Agency.objects.get(code=f"{code}.01.H40"), Role.LEADER)
    return user


def _communes() -> list[Commune] | None:
    communes = []
    for code in standard.SIX_COMMUNES:
        unit = AdministrativeUnit.objects.get(code=code, valid_to__isnull=True)
        leader = _leader(code) if code != standard.DO_LUONG else _user(LEADERS[code][0])
        writer = _user(WRITERS[code]) if code in WRITERS else leader
        if leader is None or writer is None:
            return None
        communes.append(Commune(unit, writer, leader, demo_history.formers_of(unit)))
    return communes


def _publish(
    approver: User, template: standard.StandardTemplate, filers: list[AdministrativeUnit]
) -> ReportTemplate:
    # published a little before it came into force, as the province does
    with clock.fixed_at(at(template.in_force_from - dt.timedelta(days=10), 9)):
        return templates.publish(
            approver,
            code=template.code,
            name=template.name,
            period_kind=template.period_kind,
            due_days=template.due_days,
            late_after_days=template.late_after_days,
            definition=template.definition,
            in_force_from=template.in_force_from,
            filers=filers,
        )


def _november(commune: Commune, level: Level, reviewer: User, approver: User) -> None:
    story = NOVEMBER_STORIES[commune.unit.code]
    if story.submitted is None:
        return
    opened = _on(1, 8, 10 * standard.SIX_COMMUNES.index(commune.unit.code))
    with clock.fixed_at(opened):
        report = filing.open_report(commune.writer, standard.CODE, commune.unit.pk, NOVEMBER.start)
    entries = filing.entries_of(report)
    rnd = seeded("november", commune.unit.code)
    figures = demo_figures.month(level, rnd)
    with clock.fixed_at(opened):
        table = demo_history.table_for(commune.unit.pk, NOVEMBER, entries, figures, rnd)
    given, reasons = typed(entries, figures, table)
    given.update(
        results=story.results,
        difficulties=story.difficulties,
        proposals=story.proposals,
        assessment=story.assessment,
        offices=story.offices,
    )
    if story.override is not None:
        key, added, reason = story.override
        current = values.parse_number(str(given[key])) if key in given else entries[key].value
        given[key], reasons[key] = values.number_text((current or 0) + added), reason
    with clock.fixed_at(opened + dt.timedelta(hours=1)):
        filing.save(commune.writer, report, given, reasons)
    with clock.fixed_at(story.submitted):
        filing.submit(commune.leader, report)
    decided = story.submitted + dt.timedelta(hours=18)
    with clock.fixed_at(decided):
        if story.decision == "approved":
            review.approve(approver, report)
        elif story.decision == "returned":
            review.return_for_correction(reviewer, report, story.note)


def load_demo_reports() -> LoadedReports | None:
    """Load the demo's reports into a province that has no report template of that code yet
    (None when it has one, or the demo accounts are missing)."""
    if ReportTemplate.objects.filter(code=standard.CODE).exists():
        return None
    reviewer, approver = _user(REVIEWER), _user(APPROVER)
    if reviewer is None or approver is None:
        return None
    with transaction.atomic():
        AgencyDuty.objects.get_or_create(
            agency=Agency.objects.get(code=HOME_AFFAIRS), duty=Duty.REPORTS
        )
        communes = _communes()
        if communes is None:
            transaction.set_rollback(True)
            return None
        district = AdministrativeUnit.objects.get(
            tier=Tier.DISTRICT, name="Đô Lương", valid_to__isnull=False
        )
        formers = AdministrativeUnit.objects.filter(
            parent=district, tier=Tier.COMMUNE, valid_to__isnull=False
        ).order_by("name", "pk")
        before = _publish(approver, standard.V1, list(formers))
        _publish(approver, standard.V2, [c.unit for c in communes])
        levels = demo_history.file_since_reform(standard.CODE, communes, reviewer, approver)
        archived = demo_history.file_before_reform(before, levels, communes, reviewer, approver)
        for commune in communes:
            _november(commune, levels[commune.unit.code], reviewer, approver)
    template = selectors.template_in_force(standard.CODE, NOVEMBER.start)
    found = selectors.standings(template, NOVEMBER, dt.date(2026, 12, 7))
    counts: dict[Standing, int] = {}
    for standing in found:
        counts[standing.standing] = counts.get(standing.standing, 0) + 1
    months = len(schedule.periods_between(schedule.PeriodKind.MONTH, *demo_history.SINCE))
    return LoadedReports(
        versions=2, archived=archived, filed=months * len(communes), november=counts
    )
