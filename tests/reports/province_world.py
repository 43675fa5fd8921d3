"""The province's side of the reports tests: a November 2026 of the tests' template filed by the
six communes formed on 1 July 2025 from the former Đô Lương district, each standing otherwise
(the deadlines: due 5 December, late after 7 December; the pages are read on 20 December):

- Đô Lương: submitted 3 December (on time), approved;
- Văn Hiến: submitted 4 December (on time), awaiting the province;
- Thuần Trung: submitted 2 December, returned, submitted again 6 December (on time by its first
  submission; counted by its second);
- Bạch Hà: submitted 9 December (late), returned: not counted;
- Lương Sơn: opened and written, never submitted (missing);
- Bạch Ngọc: never opened (missing).

The figures each commune submits are written here, and the tests add them up by hand.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Max

from haicap.accounts.models import User
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.roles import Role
from haicap.reports import values
from haicap.reports.models import Report, ReportTemplate, Submission
from haicap.reports.services import filing, review
from tests.reports import world

DO_LUONG, VAN_HIEN, BACH_HA = world.DO_LUONG, world.VAN_HIEN, world.BACH_HA
BACH_NGOC, LUONG_SON, THUAN_TRUNG = "17623", "17641", "17689"
SIX = (DO_LUONG, VAN_HIEN, BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG)
TODAY = dt.date(2026, 12, 20)
SOURCED = ("received", "received_online", "resolved")
REASON = "Theo sổ theo dõi của xã, hệ thống chưa cập nhật đủ"


@dataclass(frozen=True)
class Figures:
    received: int
    received_online: int
    resolved: int
    by_field: tuple[tuple[str, int], ...]
    meetings: int
    difficulties: str = "Thiếu máy scan để số hóa hồ sơ."
    proposals: str = "Đề nghị tỉnh cấp bổ sung 02 máy scan."
    extra: dict = field(default_factory=dict)

    def given(self) -> dict:
        return {
            "received": str(self.received),
            "received_online": str(self.received_online),
            "resolved": str(self.resolved),
            "by_field": [{"field": f, "received": str(n)} for f, n in self.by_field],
            "meetings": str(self.meetings),
            "assessment": "Cơ bản thông suốt",
            "difficulties": self.difficulties,
            "proposals": self.proposals,
            **self.extra,
        }


def leader(code: str) -> User:
    """The commune's leader for these tests (writes and submits): Đô Lương's is the demo's."""
    if code == DO_LUONG:
        return User.objects.get(username="lanhdao.doluong")
    return world.staff(f"lanhdao.{code}.baocao", f"{code}.01.H40", Role.LEADER)


def write(code: str, figures: Figures, when: dt.datetime) -> Report:
    """Open (once) and write the commune's November report."""
    user = leader(code)
    report = world.open_november(user, commune=code, when=when)
    with clock.fixed_at(when):
        return filing.save(user, report, figures.given(), {k: REASON for k in SOURCED})


def submit(code: str, figures: Figures, when: dt.datetime) -> Submission:
    report = write(code, figures, when)
    with clock.fixed_at(when):
        return filing.submit(leader(code), report)


def decide(report: Report, when: dt.datetime, note: str = "") -> Report:
    """The province's decision: returned with ``note``, approved without one."""
    reviewer = User.objects.get(username="chuyenvien.sonoivu")
    with clock.fixed_at(when):
        if note:
            return review.return_for_correction(reviewer, report, note)
        return review.approve(reviewer, report)


DO_LUONG_FIGURES = Figures(12, 3, 10, (("Hộ tịch", 7), ("Đất đai", 5)), 4)
VAN_HIEN_FIGURES = Figures(
    20,
    8,
    15,
    (("Hộ tịch", 20),),
    2,
    difficulties="Đường truyền mạng chập chờn.",
    proposals="Đề nghị nâng cấp đường truyền.",
)
THUAN_TRUNG_FIRST = Figures(5, 1, 5, (("Hộ tịch", 5),), 1)
THUAN_TRUNG_SECOND = Figures(6, 2, 6, (("Hộ tịch", 6),), 3, difficulties="Thiếu cán bộ địa chính.")
BACH_HA_FIGURES = Figures(99, 9, 90, (("Hộ tịch", 99),), 9)
LUONG_SON_FIGURES = Figures(40, 4, 40, (("Hộ tịch", 40),), 4)


def november() -> SimpleNamespace:
    people = world.people()
    template = world.publish(filers=SIX)
    do_luong = submit(DO_LUONG, DO_LUONG_FIGURES, world.at(12, 3)).report
    decide(do_luong, world.at(12, 4))
    van_hien = submit(VAN_HIEN, VAN_HIEN_FIGURES, world.at(12, 4)).report
    thuan_trung = submit(THUAN_TRUNG, THUAN_TRUNG_FIRST, world.at(12, 2)).report
    decide(thuan_trung, world.at(12, 3), note="Bổ sung số cuộc họp giao ban")
    submit(THUAN_TRUNG, THUAN_TRUNG_SECOND, world.at(12, 6))
    bach_ha = submit(BACH_HA, BACH_HA_FIGURES, world.at(12, 9)).report
    decide(bach_ha, world.at(12, 10), note="Số liệu chưa khớp sổ theo dõi")
    luong_son = write(LUONG_SON, LUONG_SON_FIGURES, world.at(12, 5))
    return SimpleNamespace(
        people=people,
        template=template,
        reports={
            DO_LUONG: do_luong,
            VAN_HIEN: van_hien,
            THUAN_TRUNG: thuan_trung,
            BACH_HA: bach_ha,
            LUONG_SON: luong_son,
        },
    )


def period_url(start: dt.date = world.NOVEMBER.start, code: str = world.CODE) -> str:
    return f"/desk/bao-cao-dinh-ky/tinh/{code}/{start.isoformat()}/"


def counted_report(
    template: ReportTemplate,
    unit_id: int,
    start: dt.date,
    given: dict,
    *,
    state: str = Report.State.APPROVED,
    when: dt.datetime | None = None,
    end: dt.date | None = None,
) -> Report:
    """A report with a submission of ``given`` values, written straight into the tables: a
    former commune's reports of before the reform, whose officers haicap never had (the
    services write only for a commune's own officers). Another call for the same report adds
    the next submission. A period ends with its month unless ``end`` says otherwise."""
    definition = template.parsed
    entries, errors = values.read_input(definition, {}, given, {})
    assert errors == {}, errors
    end = end or (world.NOVEMBER.end if start == world.NOVEMBER.start else _month_end(start))
    moment = when or dt.datetime.combine(end + dt.timedelta(days=3), dt.time(9), VIETNAM)
    report, _made = Report.objects.get_or_create(
        template_code=template.code,
        unit_id=unit_id,
        period_start=start,
        defaults={
            "template": template,
            "period_end": end,
            "opened_at": moment,
            "first_submitted_at": moment,
        },
    )
    number = (report.submissions.aggregate(last=Max("number"))["last"] or 0) + 1
    Submission.objects.create(
        report=report,
        number=number,
        template=template,
        values=values.to_json(definition, entries),
        submitted_at=moment,
        submitted_by=User.objects.get(username="chuyenvien.sonoivu"),
        signer_name="Người ký",
        signer_title="CHỦ TỊCH",
    )
    report.state, report.last_submitted_at = state, moment
    report.save(update_fields=["state", "last_submitted_at"])
    return report


def _month_end(start: dt.date) -> dt.date:
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
