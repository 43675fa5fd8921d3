"""The filing services' guards: a new version never rewrites a filed period nor changes a
template's period; a leader of the commune's People's Committee submits, not an office's; a
template's texts hold no character that cannot be stored."""

import copy
import datetime as dt

import pytest

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.roles import Role
from haicap.reports import permissions
from haicap.reports.demo import LEADERS
from haicap.reports.models import Report, ReportTemplate
from haicap.reports.services import filing
from haicap.units.kinds import AgencyKind
from haicap.units.models import Agency
from tests.reports import world

pytestmark = pytest.mark.django_db

ECONOMIC_OFFICE = "17662.03.H40"  # Đô Lương's Economic Office, not its People's Committee


def current(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# --- the version a report is written on -----------------------------------------------------------


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


def test_the_demos_leaders_lead_their_communes_peoples_committees():
    """The demo makes each commune's leader a leader of ``<code>.01.H40`` (test_demo loads it
    and submits through the services): that agency is the commune's People's Committee."""
    for code in LEADERS:
        agency = Agency.objects.get(code=f"{code}.01.H40")
        assert agency.kind == AgencyKind.COMMUNE_PEOPLES_COMMITTEE, code
    leader = User.objects.get(username=LEADERS[world.DO_LUONG][0])  # a demo account
    membership = permissions.signing_membership(leader, world.unit(world.DO_LUONG).pk)
    assert membership.agency.code == world.DO_LUONG_PPC


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
