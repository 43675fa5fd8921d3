"""The report's core services: publish, open pre-filled, save, override, submit, decide."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from haicap.core import clock
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.reports import selectors
from haicap.reports.models import Report, ReportEvent, ReportNotice, Submission
from haicap.reports.schedule import Standing
from haicap.reports.services import filing, review
from tests.reports import world

pytestmark = pytest.mark.django_db


def test_a_template_is_published_in_versions_and_a_report_keeps_its_version():
    first = world.publish()
    report = world.open_november(world.people().do_luong)
    second = world.publish(in_force_from=dt.date(2026, 12, 1))
    assert (first.version, second.version) == (1, 2)
    assert report.template == first
    with clock.fixed_at(world.at(12, 30)):
        assert selectors.template_in_force(world.CODE, dt.date(2026, 12, 1)) == second
    assert selectors.template_in_force(world.CODE, dt.date(2026, 11, 1)) == first


def test_a_template_naming_an_unknown_source_or_cell_is_refused_whole():
    broken = {
        "sections": [
            {
                "key": "a",
                "title": "A",
                "cells": [
                    {"key": "x", "label": "X", "kind": "number", "source": {"key": "no.such"}},
                    {"key": "x", "label": "X again", "kind": "text"},
                ],
            }
        ],
        "rules": [{"key": "r", "left": ["x"], "op": "<=", "right": ["y"], "message": "m"}],
    }
    with pytest.raises(InvalidInput) as refused:
        world.publish(broken)
    problems = refused.value.extra["problems"]
    assert any("no.such" in p for p in problems)
    assert any("used twice" in p for p in problems)
    assert any("'y'" in p for p in problems)


def test_opening_prefills_the_sourced_cells_with_where_they_came_from():
    world.publish()
    report = world.open_november(world.people().do_luong)
    entries = filing.entries_of(report)
    reading = entries["received"].reading
    assert reading.key == "kpi.received"
    assert reading.read_at == world.at(12, 1)
    assert reading.value == Decimal(0)  # the tests' province has no dossiers
    assert "/desk/ho-so/?unit=17662" in reading.records
    assert "received_from=2026-11-01" in reading.records
    assert entries["received"].value == Decimal(0)
    assert "meetings" not in entries  # written by the commune
    assert report.events.get().kind == ReportEvent.Kind.OPENED


def test_an_override_needs_a_reason_and_shows_its_difference():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    report = world.fill(report, people.do_luong, received="12", received_online="3")
    entries = filing.entries_of(report)
    assert entries["received"].overridden
    assert entries["received"].difference == Decimal(12)
    with clock.fixed_at(world.at(12, 3)), pytest.raises(InvalidInput) as refused:
        filing.submit(people.do_luong_leader, report)
    kinds = {(i["kind"], i["where"]) for i in refused.value.extra["issues"]}
    assert ("reason", "received") in kinds
    report = filing.save(
        people.do_luong,
        report,
        {},
        {"received": "Có 12 hồ sơ giấy chưa nhập hệ thống", "received_online": "Như trên"},
    )
    with clock.fixed_at(world.at(12, 3)):
        submission = filing.submit(people.do_luong_leader, report)
    assert submission.values["received"]["reason"] == "Có 12 hồ sơ giấy chưa nhập hệ thống"
    assert submission.values["received"]["source"]["value"] == "0"


def test_a_broken_rule_stops_the_submission_with_the_templates_words():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    report = world.fill(
        report,
        people.do_luong,
        by_field=[{"field": "Hộ tịch", "received": "5"}],
    )
    with clock.fixed_at(world.at(12, 3)), pytest.raises(InvalidInput) as refused:
        filing.submit(people.do_luong_leader, report)
    assert {i["message"] for i in refused.value.extra["issues"]} == {
        "Tổng các lĩnh vực phải bằng số hồ sơ tiếp nhận"
    }


def test_unreadable_input_is_refused_and_nothing_saved():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    report = world.fill(report, people.do_luong, meetings="4")
    with pytest.raises(InvalidInput) as refused:
        filing.save(people.do_luong, report, {"meetings": "bốn", "assessment": "Tuyệt vời"})
    assert refused.value.extra["errors"] == {
        "meetings": "not_a_number",
        "assessment": "not_offered",
    }
    assert filing.entries_of(Report.objects.get(pk=report.pk))["meetings"].value == Decimal(4)


def test_only_the_leader_submits_and_a_submission_never_changes():
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with pytest.raises(PermissionDenied):
        filing.submit(people.do_luong, report)
    with clock.fixed_at(world.at(12, 3)):
        submission = filing.submit(people.do_luong_leader, report)
    assert submission.signer_name == "Đặng Văn Lương"
    with pytest.raises(Conflict):
        filing.save(people.do_luong, report, {"meetings": "2"})
    with pytest.raises(DatabaseError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(values={})
    assert ReportNotice.objects.filter(
        recipient=people.reviewer, kind="submitted", report=report
    ).exists()


def test_returned_corrected_approved_each_step_recorded():
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    with pytest.raises(InvalidInput):
        review.return_for_correction(people.reviewer, report, "  ")
    with pytest.raises(PermissionDenied):
        review.approve(people.finance, report)
    with clock.fixed_at(world.at(12, 4)):
        review.return_for_correction(people.reviewer, report, "Bổ sung số cuộc họp giao ban")
    report = world.fill(report, people.do_luong, when=world.at(12, 5), meetings="3")
    with clock.fixed_at(world.at(12, 5, 10)):
        second = filing.submit(people.do_luong_leader, report)
        review.approve(people.reviewer_leader, report)
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED
    assert second.number == 2
    assert report.first_submitted_at == world.at(12, 3)
    assert list(report.events.values_list("kind", flat=True)) == [
        "opened",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert ReportNotice.objects.filter(recipient=people.do_luong, kind="returned").exists()


def test_another_communes_officer_cannot_open_or_see_the_report():
    people = world.people()
    world.publish()
    report = world.open_november(people.do_luong)
    with pytest.raises(PermissionDenied):
        world.open_november(people.van_hien, commune=world.DO_LUONG)
    with pytest.raises(NotFound):
        selectors.get_report(people.van_hien, report.pk)
    assert selectors.get_report(people.reviewer, report.pk) == report
    assert selectors.get_report(people.supervisor, report.pk) == report
    with pytest.raises(NotFound):
        selectors.get_report(people.finance, report.pk)


def test_standings_tell_filed_on_time_late_and_missing():
    people = world.people()
    world.publish()
    report = world.fill(world.open_november(people.do_luong), people.do_luong)
    with clock.fixed_at(world.at(12, 3)):
        filing.submit(people.do_luong_leader, report)
    template = selectors.template_in_force(world.CODE, world.NOVEMBER.start)
    found = {
        s.unit.code: s.standing
        for s in selectors.standings(template, world.NOVEMBER, dt.date(2026, 12, 9))
    }
    assert found == {
        world.DO_LUONG: Standing.ON_TIME,
        world.VAN_HIEN: Standing.MISSING,
        world.BACH_HA: Standing.MISSING,
    }


def test_a_cell_prefilled_with_a_share_must_say_it_is_one():
    unmarked = {
        "sections": [
            {
                "key": "a",
                "title": "A",
                "cells": [
                    {
                        "key": "on_time",
                        "label": "Tỷ lệ đúng hạn",
                        "kind": "number",
                        "source": {"key": "kpi.on_time_rate"},
                    }
                ],
            }
        ]
    }
    with pytest.raises(InvalidInput) as refused:
        world.publish(unmarked)
    assert refused.value.extra["problems"] == [
        "on_time: the source 'kpi.on_time_rate' gives a share: set the cell's unit to %"
    ]
    unmarked["sections"][0]["cells"][0]["unit"] = "%"
    assert world.publish(unmarked).version == 1
