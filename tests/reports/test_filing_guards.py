"""The filing services' guards: a report is opened on the version in force; a new version never
rewrites a filed period nor changes a template's period; nothing is submitted before its period
has ended; a leader of the commune's People's Committee submits and signs, not an office's; a
save or a submission from a version already changed is refused and overwrites nothing; the
typed values and the submission are one step; locks take the report's row alone and sources are
read before the lock; a template's texts hold no character that cannot be stored."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haicap.accounts.models import Membership, Position, User
from haicap.core import clock
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.measures import Unit
from haicap.core.report_sources import ReportSource, report_sources
from haicap.core.roles import Role
from haicap.reports import permissions
from haicap.reports.demo import LEADERS
from haicap.reports.models import Report, ReportTemplate, Submission
from haicap.reports.services import filing, review
from haicap.units.kinds import AgencyKind
from haicap.units.models import Agency
from tests.reports import world

pytestmark = pytest.mark.django_db

ECONOMIC_OFFICE = "17662.03.H40"  # Đô Lương's Economic Office, not its People's Committee


def current(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def meetings(report: Report) -> Decimal | None:
    return filing.entries_of(current(report))["meetings"].value


# --- the version a report is written on -----------------------------------------------------------


def test_a_report_made_by_a_reminder_is_opened_on_the_version_in_force_then():
    people = world.people()
    first = world.publish()
    made = filing.ensure_report(world.CODE, world.unit(world.DO_LUONG), world.NOVEMBER)
    assert made.template == first
    second = world.publish(in_force_from=world.NOVEMBER.start, name="Báo cáo kiểm thử, sửa đổi")
    report = world.open_november(people.do_luong)
    assert report.pk == made.pk
    assert current(report).template == second
    # once opened, it keeps the version it was opened on
    world.publish(in_force_from=world.NOVEMBER.start, name="Báo cáo kiểm thử, lần ba")
    assert current(world.open_november(people.do_luong)).template == second


def test_a_new_version_never_comes_into_force_over_a_period_already_filed():
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    for day in (world.NOVEMBER.start, dt.date(2026, 6, 1)):
        with pytest.raises(InvalidInput) as refused:
            world.publish(in_force_from=day)
        assert refused.value.extra["problems"] == [
            "in force from: the report of the period starting 2026-11-01 has been submitted "
            "already; a new version comes into force after the last period filed"
        ]
    assert ReportTemplate.objects.filter(code=world.CODE).count() == 1
    assert world.publish(in_force_from=dt.date(2026, 12, 1)).version == 2


def test_a_report_opened_but_not_submitted_does_not_hold_a_new_version_back():
    people = world.people()
    world.publish()
    world.fill(world.open_november(people.do_luong), people.do_luong)
    assert world.publish(in_force_from=world.NOVEMBER.start).version == 2


def test_a_template_keeps_its_period_kind_another_kind_is_another_code():
    world.publish()
    with pytest.raises(InvalidInput) as refused:
        world.publish(period_kind="quarter", in_force_from=dt.date(2027, 1, 1))
    assert refused.value.extra["problems"] == [
        "period: kiem-thu-thang reports by month; a template by another period needs a new code"
    ]
    assert world.publish(code="kiem-thu-quy", period_kind="quarter").version == 1


# --- when it may be submitted ---------------------------------------------------------------------


def test_nothing_is_submitted_before_the_period_has_ended_and_what_was_typed_stays_saved():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong, when=world.at(11, 21))
    report = world.fill(report, people.do_luong, when=world.at(11, 21, 10))
    with clock.fixed_at(world.at(11, 30, 23, 30)), pytest.raises(InvalidInput) as refused:
        filing.submit(people.do_luong_leader, report, given={"meetings": "4"})
    assert refused.value.extra == {"submit_from": "2026-12-01"}
    assert "30/11/2026" in refused.value.detail and "01/12/2026" in refused.value.detail
    assert current(report).state == Report.State.DRAFT
    assert not Submission.objects.filter(report=report).exists()
    assert meetings(report) == Decimal(4)
    with clock.fixed_at(world.at(12, 1, 0, 5)):
        assert filing.submit(people.do_luong_leader, report).number == 1


# --- who submits and signs ------------------------------------------------------------------------


def test_a_leader_of_a_communes_office_does_not_submit():
    people = world.people()
    world.publish()
    office_leader = world.staff("lanhdao.kinhte.doluong", ECONOMIC_OFFICE, Role.LEADER)
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    assert permissions.may_write(office_leader, report)
    assert not permissions.may_submit(office_leader, report)
    with clock.fixed_at(world.at(12, 3)), pytest.raises(PermissionDenied):
        filing.submit(office_leader, report)
    assert permissions.may_submit(people.do_luong_leader, report)


def test_the_signer_signs_in_the_capacity_held_in_the_peoples_committee():
    """The commune's Chairman, who also sits as a deputy in one of its offices, signs as the
    Chairman: the office's position is not the Committee's."""
    people = world.people()
    world.publish()
    chairman = world.staff("chutich.doluong", world.DO_LUONG_PPC, Role.LEADER)
    Membership.objects.filter(user=chairman).update(position=Position.HEAD)
    chairman = world.staff("chutich.doluong", ECONOMIC_OFFICE, Role.LEADER)  # a deputy there
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with clock.fixed_at(world.at(12, 3)):
        submission = filing.submit(chairman, report)
    assert submission.signer_title == "CHỦ TỊCH"


def test_the_demos_leaders_lead_their_communes_peoples_committees():
    """The demo makes each commune's leader a leader of ``<code>.01.H40`` (test_demo loads it
    and submits through the services): that agency is the commune's People's Committee."""
    for code in LEADERS:
        agency = Agency.objects.get(code=f"{code}.01.H40")
        assert agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE, code
    leader = User.objects.get(username=LEADERS[world.DO_LUONG][0])  # a demo account
    membership = permissions.signing_membership(leader, world.unit(world.DO_LUONG).pk)
    assert membership.agency.code == world.DO_LUONG_PPC


# --- versions: nobody overwrites another's save ---------------------------------------------------


def test_a_save_from_a_version_changed_since_is_refused_and_overwrites_nothing():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    seen = current(report).version
    filing.save(people.do_luong_desk, report, {"meetings": "5"}, expected_version=seen)
    with pytest.raises(Conflict) as refused:
        filing.save(people.do_luong, report, {"meetings": "3"}, expected_version=seen)
    assert refused.value.extra == {"current_version": seen + 1}
    assert meetings(report) == Decimal(5)
    filing.save(people.do_luong, report, {"meetings": "3"}, expected_version=seen + 1)
    assert meetings(report) == Decimal(3)


def test_every_change_raises_the_version_and_a_save_that_changes_nothing_does_not():
    people = world.people()
    world.publish()
    made = filing.ensure_report(world.CODE, world.unit(world.DO_LUONG), world.NOVEMBER)
    seen = [made.version]
    steps = [
        lambda r: world.open_november(people.do_luong),
        lambda r: world.fill(r, people.do_luong),
        lambda r: filing.refresh(people.do_luong, r),
        lambda r: filing.submit(people.do_luong_leader, r),
        lambda r: review.return_for_correction(people.reviewer, r, "Bổ sung"),
    ]
    report = made
    with clock.fixed_at(world.at(12, 3)):
        for step in steps:
            step(report)
            seen.append(current(report).version)
    assert seen == sorted(set(seen)), seen  # each step raised it
    unchanged = current(report).saved_at
    world.fill(report, people.do_luong, when=world.at(12, 4))  # the same values again
    assert current(report).version == seen[-1]
    assert current(report).saved_at == unchanged


def test_a_submission_from_a_version_changed_since_submits_nothing():
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    seen = current(report).version
    filing.save(people.do_luong, report, {"meetings": "9"})  # another officer, meanwhile
    with clock.fixed_at(world.at(12, 3)), pytest.raises(Conflict):
        filing.submit(
            people.do_luong_leader, report, given={"meetings": "2"}, expected_version=seen
        )
    assert not Submission.objects.filter(report=report).exists()
    assert meetings(report) == Decimal(9)
    with clock.fixed_at(world.at(12, 3)):
        submission = filing.submit(
            people.do_luong_leader,
            report,
            given={"meetings": "2"},
            expected_version=current(report).version,
        )
    assert submission.values["meetings"]["value"] == "2"
    assert meetings(report) == Decimal(2)


def test_what_stops_a_submission_keeps_what_was_typed_and_what_cannot_be_read_saves_nothing():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    leader = people.do_luong_leader
    with clock.fixed_at(world.at(12, 3)), pytest.raises(InvalidInput) as unreadable:
        filing.submit(leader, report, given={"meetings": "bốn", "assessment": "Thông suốt"})
    assert unreadable.value.extra == {"errors": {"meetings": "not_a_number"}}
    assert "assessment" not in filing.entries_of(current(report))
    with clock.fixed_at(world.at(12, 3)), pytest.raises(InvalidInput) as stopped:
        filing.submit(leader, report, given={"meetings": "2", "assessment": "Thông suốt"})
    assert {(i["kind"], i["where"]) for i in stopped.value.extra["issues"]} == {
        ("required", "difficulties")
    }
    saved = filing.entries_of(current(report))
    assert (saved["meetings"].value, saved["assessment"].value) == (Decimal(2), "Thông suốt")
    assert not Submission.objects.filter(report=report).exists()


# --- locks ----------------------------------------------------------------------------------------


def test_a_change_locks_the_reports_row_not_its_template_shared_by_every_commune():
    if not connection.features.has_select_for_update_of:
        pytest.skip("the database takes no row locks (SQLite locks the whole database)")
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with CaptureQueriesContext(connection) as seen:
        filing.save(people.do_luong, report, {"meetings": "1"})
        filing.refresh(people.do_luong, report)
        with clock.fixed_at(world.at(12, 3)):
            filing.submit(people.do_luong_leader, report, idempotency_key="k")
            review.approve(people.reviewer, report)
    locks = [
        q["sql"]
        for q in seen.captured_queries
        if "FOR UPDATE" in q["sql"] and 'FROM "reports_report"' in q["sql"]
    ]
    assert len(locks) >= 5  # the save, reading again, the retry check, submitting, approving
    assert all(sql.endswith('FOR UPDATE OF "reports_report"') for sql in locks), locks


READ: list[str] = []


@pytest.fixture
def watched_source():
    """A source that notes when it is read."""

    def read(unit_id, params, start, end):
        READ.append("read")
        return Decimal(7)

    source = report_sources.register(
        ReportSource(
            key="kiem_thu.watched",
            label="Watched by the test",
            unit=Unit.COUNT,
            read=read,
            records=lambda unit_id, params, start, end: "",
        )
    )
    READ.clear()
    yield
    report_sources.forget(source)


def test_reading_again_reads_the_sources_before_taking_the_lock(watched_source, monkeypatch):
    people = world.people()
    world.publish(
        {
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "cells": [
                        {
                            "key": "figure",
                            "label": "Figure",
                            "kind": "number",
                            "source": {"key": "kiem_thu.watched"},
                        }
                    ],
                }
            ]
        }
    )
    report = world.open_november(people.do_luong)
    READ.clear()
    locking = filing._editable

    def noted(*args, **kwargs):
        READ.append("lock")
        return locking(*args, **kwargs)

    monkeypatch.setattr(filing, "_editable", noted)
    filing.refresh(people.do_luong, report)
    assert READ == ["read", "lock"]
    assert filing.entries_of(current(report))["figure"].value == Decimal(7)


def test_reading_again_reads_nothing_for_a_report_not_the_readers_to_write(watched_source):
    people = world.people()
    world.publish(
        {"sections": [{"key": "a", "title": "A", "cells": [
            {"key": "figure", "label": "Figure", "kind": "number",
             "source": {"key": "kiem_thu.watched"}}]}]}
    )  # fmt: skip
    report = world.open_november(people.do_luong)
    READ.clear()
    with pytest.raises(PermissionDenied):
        filing.refresh(people.van_hien, report)
    assert READ == []


# --- opening --------------------------------------------------------------------------------------


def test_each_refusal_to_open_says_why():
    people = world.people()
    world.publish(filers=(world.VAN_HIEN,))
    unit = world.unit(world.DO_LUONG).pk
    with clock.fixed_at(world.at(12, 1)):
        with pytest.raises(NotFound) as not_filed:
            filing.open_report(people.do_luong, world.CODE, unit, world.NOVEMBER.start)
        with pytest.raises(NotFound) as no_version:
            filing.open_report(people.do_luong, "khong-co", unit, world.NOVEMBER.start)
        with pytest.raises(NotFound) as mid_month:
            filing.open_report(people.do_luong, world.CODE, unit, dt.date(2026, 11, 2))
        with pytest.raises(InvalidInput) as far:
            filing.open_report(people.do_luong, world.CODE, unit, dt.date(9999, 12, 1))
        with pytest.raises(InvalidInput) as early:
            filing.open_report(people.do_luong, world.CODE, unit, dt.date(2026, 12, 1))
    details = [e.value.detail for e in (not_filed, no_version, mid_month, far, early)]
    assert len(set(details)) == 4  # a day that starts no period is said alike, near or far
    assert far.value.detail == mid_month.value.detail
    assert "21/12/2026" in early.value.detail


# --- texts a template holds -----------------------------------------------------------------------


def test_a_template_whose_texts_hold_a_control_character_is_refused_on_every_database():
    broken = copy.deepcopy(world.DEFINITION)
    broken["sections"][0]["title"] = "Thủ tục\x00 hành chính"
    broken["sections"][1]["cells"][0]["choices"][2] = "Còn\x1b vướng mắc"
    with pytest.raises(InvalidInput) as refused:
        world.publish(broken, name="Báo cáo\x07 tháng")
    assert refused.value.extra["problems"] == [
        "sections[0].title: a control character (U+0000) at position 8 is not allowed here",
        "sections[1].cells[0].choices[2]: a control character (U+001B) at position 4 is not "
        "allowed here",
        "name: a control character (U+0007) at position 8 is not allowed here",
    ]
    with pytest.raises(InvalidInput) as bad_code:
        world.publish(code="kiem-thu\x00")
    assert bad_code.value.extra["problems"] == ["code: 1 to 60 letters, digits, - or _"]
    assert not ReportTemplate.objects.filter(code__startswith="kiem-thu").exists()
