"""The demo's reports tell the story the README gives, through the services: the monthly
template in two versions, a history whose series runs across the reform without a break, and
November 2026 filed by four of the six Đô Lương communes on time, one late, and Đô Lương, the
demo accounts' commune, not yet: a demo user opens it pre-filled and submits it."""

import datetime as dt
from decimal import Decimal

import pytest

from haicap.accounts.demo import DEMO_ACCOUNTS
from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.reports import lineage, schedule, selectors, values
from haicap.reports.demo import NOVEMBER, load_demo_reports
from haicap.reports.models import Report, ReportEvent, ReportNotice, ReportTemplate, Submission
from haicap.reports.reminders import run_reminders
from haicap.reports.schedule import PeriodKind, Standing
from haicap.reports.services import filing
from haicap.reports.standard_templates import CODE
from haicap.units.kinds import Duty
from haicap.units.models import AdministrativeUnit, AgencyDuty, UnitLineage
from tests.reports.world import at

pytestmark = pytest.mark.django_db
DO_LUONG, BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG, VAN_HIEN = (
    "17662",
    "17707",
    "17623",
    "17641",
    "17689",
    "17677",
)
SIX = (DO_LUONG, BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG, VAN_HIEN)
REFORM = dt.date(2025, 7, 1)


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, valid_to__isnull=True)


def november(code: str) -> Report | None:
    return Report.objects.filter(
        template_code=CODE, unit__code=code, period_start=NOVEMBER.start
    ).first()


def standings_on(day: dt.date) -> dict[str, Standing]:
    template = selectors.template_in_force(CODE, NOVEMBER.start)
    return {s.unit.code: s.standing for s in selectors.standings(template, NOVEMBER, day)}


def test_november_four_on_time_one_late_and_do_luong_left_for_the_demo_accounts():
    loaded = load_demo_reports()
    # the day after the late-after day (Sat 5 December): Đô Lương's is missing
    assert standings_on(dt.date(2026, 12, 6)) == {
        BACH_HA: Standing.ON_TIME,
        VAN_HIEN: Standing.ON_TIME,
        BACH_NGOC: Standing.ON_TIME,
        THUAN_TRUNG: Standing.ON_TIME,
        LUONG_SON: Standing.LATE,
        DO_LUONG: Standing.MISSING,
    }
    assert loaded.november == {Standing.ON_TIME: 4, Standing.LATE: 1, Standing.MISSING: 1}
    states = {code: november(code).state for code in SIX if code != DO_LUONG}
    assert states == {
        BACH_HA: Report.State.APPROVED,
        VAN_HIEN: Report.State.RETURNED,
        BACH_NGOC: Report.State.SUBMITTED,
        THUAN_TRUNG: Report.State.SUBMITTED,
        LUONG_SON: Report.State.SUBMITTED,
    }
    returned = november(VAN_HIEN).events.get(kind=ReportEvent.Kind.RETURNED)
    assert returned.note and returned.actor.username == "chuyenvien.sonoivu"
    assert november(BACH_HA).events.get(kind="approved").actor.username == "lanhdao.sonoivu"
    # Văn Hiến's demo account writes its reports: told of the return, so it can correct it
    assert ReportNotice.objects.filter(
        recipient__username="tiepnhan.vanhien", report=november(VAN_HIEN), kind="returned"
    ).exists()
    # Thuần Trung counted one petition haicap does not hold, and says why
    override = filing.entries_of(november(THUAN_TRUNG))["petitions_received"]
    assert override.difference == 1 and "tiếp xúc cử tri" in override.reason
    # every filed November report keeps the rules and names a difficulty and a proposal
    for code in (BACH_HA, VAN_HIEN, BACH_NGOC, THUAN_TRUNG, LUONG_SON):
        report = november(code)
        submission = report.submissions.get()
        entries = values.from_json(report.template.parsed, submission.values)
        assert values.issues(report.template.parsed, entries) == []
        assert entries["difficulties"].value and entries["proposals"].value
        assert submission.submitted_by.memberships.get().role == Role.LEADER

    # Đô Lương's is not even opened: the demo's specialist opens it pre-filled, its leader
    # submits it, on the last day of grace
    assert november(DO_LUONG) is None
    specialist = User.objects.get(username="chuyenvien.doluong")
    with clock.fixed_at(at(12, 5, 9)):
        report = filing.open_report(specialist, CODE, unit(DO_LUONG).pk, NOVEMBER.start)
    received = filing.entries_of(report)["received"].reading
    assert received.key == "kpi.received" and received.read_at == at(12, 5, 9)
    with clock.fixed_at(at(12, 5, 10)):
        filing.save(
            specialist,
            report,
            {
                "assessment": "Cơ bản thông suốt",
                "difficulties": "Thiếu công chức xây dựng.",
                "proposals": "Đề nghị biệt phái 01 công chức xây dựng.",
            },
        )
        filing.submit(User.objects.get(username="lanhdao.doluong"), report)
    assert standings_on(dt.date(2026, 12, 8))[DO_LUONG] == Standing.ON_TIME


def test_home_affairs_decides_and_the_communes_leaders_cannot_sign_in():
    load_demo_reports()
    assert AgencyDuty.objects.filter(agency__code="000.03.00.H40", duty=Duty.REPORTS).exists()
    demo = {account.username for account in DEMO_ACCOUNTS}
    for code in (BACH_HA, BACH_NGOC, LUONG_SON, THUAN_TRUNG, VAN_HIEN):
        leader = november(code).submissions.first().submitted_by
        assert leader.username not in demo
        assert not leader.has_usable_password()
        membership = leader.memberships.get()
        assert (membership.agency.code, membership.role) == (f"{code}.01.H40", Role.LEADER)


def former_sums(key: str, code: str) -> list[lineage.Point]:
    """The series of ``key`` for the commune ``code``, its former communes' sum before the
    reform (``lineage``), from the approved submissions."""
    commune = unit(code)
    formers = [
        lineage.Former(link.predecessor_id, 1)
        for link in UnitLineage.objects.filter(successor=commune, predecessor__tier="commune")
    ]
    found: dict[tuple[int, dt.date], Decimal | None] = {}
    for submission in Submission.objects.filter(report__state="approved").select_related(
        "report", "template"
    ):
        entries = values.from_json(submission.template.parsed, submission.values)
        figure = values.numbers(submission.template.parsed, entries).get(key)
        found[(submission.report.unit_id, submission.report.period_start)] = figure
    months = [dt.date(2025, month, 1) for month in range(1, 13)] + [
        dt.date(2026, month, 1) for month in range(1, 11)
    ]
    periods = [schedule.period_of(PeriodKind.MONTH, start) for start in months]
    return lineage.series(commune.pk, formers, found, periods, REFORM)


def test_the_history_runs_across_the_reform_and_loading_again_changes_nothing():
    loaded = load_demo_reports()
    before, since = (ReportTemplate.objects.get(code=CODE, version=v) for v in (1, 2))
    assert before.in_force_from == dt.date(2025, 1, 1) and since.in_force_from == REFORM
    assert "chính quyền cơ sở" in before.name and "hai cấp" in since.name
    formers = AdministrativeUnit.objects.filter(
        parent__name="Đô Lương", parent__tier="district", valid_to__isnull=False
    )
    assert set(before.filers.all()) == set(formers) and formers.count() == 32
    assert {u.code for u in since.filers.all()} == set(SIX)
    # the cells that existed before the reform keep their keys
    assert set(before.parsed.number_keys) <= set(since.parsed.number_keys)

    history = Report.objects.filter(period_start__lt=NOVEMBER.start)
    assert loaded.archived == history.filter(template=before).count() == 32 * 6
    assert loaded.filed == history.filter(template=since).count() == 6 * 16
    assert set(history.values_list("state", flat=True)) == {Report.State.APPROVED}
    for report in history.filter(template=before)[:20]:
        assert report.unit.valid_to == dt.date(2025, 6, 30)
        assert "báo cáo giấy" in report.events.get(kind="submitted").note
    for submission in Submission.objects.select_related("template"):
        entries = values.from_json(submission.template.parsed, submission.values)
        assert values.issues(submission.template.parsed, entries) == [], submission
    # the history's notices were read long ago: none waits unread
    assert not ReportNotice.objects.filter(
        report__period_start__lt=NOVEMBER.start, read_at=None
    ).exists()

    for code in SIX:
        for key in ("received", "officers"):
            points = former_sums(key, code)
            june, july = points[5], points[6]
            assert june.from_units and not june.partial  # every former commune filed
            assert july.from_units == (unit(code).pk,)
            # no break at the merger: July within a third of the former communes' June
            assert Decimal("0.67") * june.value <= july.value <= Decimal("1.5") * june.value, (
                code,
                key,
                june.value,
                july.value,
            )

    counted = [
        model.objects.count()
        for model in (ReportTemplate, Report, Submission, ReportEvent, ReportNotice, User)
    ] + [AuditRecord.objects.count()]
    assert load_demo_reports() is None
    assert [
        model.objects.count()
        for model in (ReportTemplate, Report, Submission, ReportEvent, ReportNotice, User)
    ] + [AuditRecord.objects.count()] == counted


def test_nothing_is_loaded_without_home_affairs_demo_accounts():
    User.objects.filter(username="lanhdao.sonoivu").update(is_active=False)
    assert load_demo_reports() is None
    assert not ReportTemplate.objects.filter(code=CODE).exists()
    assert not User.objects.filter(username="lanhdao.bachha").exists()


def test_the_demo_reminds_do_luong_its_november_report_is_past_its_due_day():
    load_demo_reports()
    with clock.fixed_at(at(12, 7, 9)):
        counts = run_reminders()
    assert (counts.before_due, counts.overdue) == (0, 1)  # the others have submitted
    report = Report.objects.get(
        template_code=CODE, unit=unit(DO_LUONG), period_start=NOVEMBER.start
    )
    specialist = User.objects.get(username="chuyenvien.doluong")
    assert ReportNotice.objects.filter(recipient=specialist, report=report, kind="overdue").exists()
    assert report.opened_at is None  # its cells are read when the commune opens it
