"""The demo's working group no. 4 and its inspection: what is loaded, loaded once, every write
audited, and the targets read live."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.oversight import selectors
from haicap.oversight.demo import COMMUNES, MEMBER_AGENCIES, load_demo_inspection
from haicap.oversight.models import (
    Directive,
    DirectiveUpdate,
    Finding,
    Inspection,
    WorkingGroup,
)
from haicap.oversight.status import Status
from tests.oversight.test_api import bearer

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 20, 10, tzinfo=VIETNAM)  # the quarter runs 1 April to 30 June


@pytest.fixture
def loaded():
    with clock.fixed_at(NOW):
        yield load_demo_inspection(NOW)


def test_the_group_visits_the_six_communes_and_concludes(loaded):
    assert (loaded.communes, loaded.findings, loaded.directives) == (6, 10, 8)
    assert (loaded.subtasks, loaded.targets, loaded.updates, loaded.closed) == (5, 2, 7, 4)
    group = WorkingGroup.objects.get()
    assert group.number == "4" and group.leader.username == "lanhdao.tinh"
    assert sorted(a.code for a in group.member_agencies.all()) == sorted(MEMBER_AGENCIES)
    assert sorted(u.code for u in group.communes.all()) == sorted(COMMUNES)
    inspection = Inspection.objects.get()
    assert inspection.state == Inspection.State.CONCLUDED
    assert inspection.conclusion_date < NOW.date()
    found = Counter(Finding.objects.values_list("category", flat=True))
    assert set(found) == {"staff_shortage", "low_online_intake", "it_system", "offices_equipment"}
    assert len(set(Finding.objects.values_list("commune", flat=True))) == 6
    shortages = Finding.objects.filter(category="staff_shortage")
    assert {f.field.code if f.field else f.field_text for f in shortages} == {
        "DATDAI",
        "XAYDUNG",
        "YTE",
        "GIAODUC",
        "công nghệ thông tin",
    }


def test_the_directives_are_in_every_status_but_not_achieved(loaded):
    today = NOW.date()
    top = Directive.objects.filter(parent__isnull=True)
    statuses = Counter(selectors.directive_status(d, today) for d in top)
    assert statuses == {
        Status.IN_PROGRESS: 5,
        Status.OVERDUE: 1,
        Status.DONE_ON_TIME: 1,
        Status.DONE_LATE: 1,
    }
    assert selectors.directive_status(top.get(lead_agency__code="000.04.00.H40")) == Status.OVERDUE
    assert selectors.directive_status(top.get(lead_agency__code="000.05.00.H40")) == (
        Status.DONE_LATE
    )
    leads = {d.lead_agency.code for d in top}
    assert {f"000.0{n}.00.H40" for n in range(1, 10) if n != 2} == leads
    assert all(d.expected_result for d in Directive.objects.all())
    assert DirectiveUpdate.objects.count() == 7


def test_every_write_is_audited(loaded):
    actions = Counter(AuditRecord.objects.values_list("action", flat=True))
    assert actions["workinggroup.created"] == 1
    assert actions["inspection.planned"] == actions["inspection.concluded"] == 1
    assert actions["finding.recorded"] == 10
    assert actions["directive.issued"] == 13
    assert actions["directive.update_posted"] == 7
    assert actions["directive.closed"] == 4


def test_loading_again_changes_nothing(loaded):
    counted = (WorkingGroup, Inspection, Finding, Directive, DirectiveUpdate, AuditRecord)
    before = [model.objects.count() for model in counted]
    assert load_demo_inspection(NOW + dt.timedelta(days=30)) is None
    assert [model.objects.count() for model in counted] == before


def test_the_targets_read_live_for_the_commune(loaded, user):
    online = Directive.objects.get(target__measure_key="kpi.online_intake_rate")
    land = Directive.objects.get(target__measure_key="kpi.overdue_open")
    assert (online.target.unit.name, land.target.unit.name) == ("Văn Hiến", "Bạch Hà")
    assert online.target.period_start == dt.date(2026, 4, 1)
    assert online.target.period_end == online.deadline == dt.date(2026, 6, 30)
    with clock.fixed_at(NOW):
        seen = bearer(user("tiepnhan.vanhien")).get(f"/api/v1/oversight/directives/{online.pk}")
        overdue_land = selectors.read_target(land.target)
    target = seen.json()["target"]
    assert (target["comparison"], Decimal(target["threshold"])) == (">=", 40)
    assert target["value"] is None and target["met"] is False  # no dossier received there yet
    assert overdue_land.value == 0 and overdue_land.met  # none overdue in land at Bạch Hà
