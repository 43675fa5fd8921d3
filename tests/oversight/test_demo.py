"""The demo's working group no. 4 and its inspection: what is loaded, loaded once, every write
audited, the targets read live, and, loaded with a history, findings and targets that agree with
the figures the briefing pack shows."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.errors import Conflict
from haicap.core.models import AuditRecord
from haicap.core.task_status import Outcome, Status
from haicap.dossiers.models import Dossier
from haicap.oversight import selectors, services
from haicap.oversight.demo import COMMUNES, MEMBER_AGENCIES, load_demo_inspection
from haicap.oversight.models import (
    Directive,
    DirectiveNotification,
    DirectiveUpdate,
    Finding,
    Inspection,
    WorkingGroup,
)
from tests.conftest import client_for
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
    assert len(set(Finding.objects.values_list("commune", flat=True))) == 6  # without figures
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


def test_without_figures_the_targets_go_to_van_hien_and_bach_ha_and_read_live(loaded, user):
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


# --- the demo as load_demo_province loads it: the findings and targets agree with the figures --

HISTORY = 1500  # dossiers: a small province, enough for each of the six communes to have figures


@pytest.fixture
def demo_province() -> str:
    """The demo province loaded by the command, with a small history; what it printed."""
    printed = StringIO()
    with clock.fixed_at(NOW):
        call_command(
            "load_demo_province", "--history", str(HISTORY), "--quiet-accounts", stdout=printed
        )
    return printed.getvalue()


def pack_figures(viewer) -> dict[str, dict]:
    """What the briefing pack shows each commune: its online rate and the province's, and the
    overdue dossiers by field name."""
    pack = selectors.briefing_pack(viewer, Inspection.objects.get())
    shown = {}
    for commune in pack.communes:
        part = next(p for p in commune.parts if p.section.key == "oversight.indicators")
        against, by_field = part.tables[0], part.tables[1]
        online = next(row for row in against.rows if row[0] == "Online intake rate (%)")
        shown[commune.commune.code] = {
            "online": online[1],
            "province_online": online[2],
            "overdue": {name: overdue for name, _open, overdue in by_field.rows},
        }
    return shown


def test_the_findings_name_the_communes_the_pack_shows_weak(demo_province, user):
    shown = pack_figures(user("lanhdao.tinh"))
    online = Finding.objects.get(category="low_online_intake").commune.code
    rates = {code: f["online"] for code, f in shown.items() if f["online"] is not None}
    assert rates[online] < shown[online]["province_online"]  # low: below the province's
    assert rates[online] == min(rates.values())  # the lowest of the six visited
    land = Finding.objects.get(category="staff_shortage", field__code="DATDAI").commune.code
    assert shown[land]["overdue"][Field.objects.get(code="DATDAI").name] >= 1


def test_the_land_target_is_unmet_and_its_finding_lists_the_overdue_dossiers(demo_province, user):
    finding = Finding.objects.get(category="staff_shortage", field__code="DATDAI")
    directive = Directive.objects.get(target__measure_key="kpi.overdue_open")
    assert directive.target.unit == finding.commune
    with clock.fixed_at(NOW):
        reading = selectors.read_target(directive.target)
        listed = client_for("giamsat").get(finding.links.get().url)
        # the group's leader and secretariat follow the link to the same dossiers
        for member in ("lanhdao.tinh", "chuyenvien.vpubnd"):
            seen = client_for(member).get(finding.links.get().url).context["page"].paginator
            assert seen.count == listed.context["page"].paginator.count
        with pytest.raises(Conflict):  # not met: it cannot be closed as achieved
            services.close_directive(
                user("chuyenvien.vpubnd"), directive, outcome=Outcome.ACHIEVED, result="Xong"
            )
    assert reading.value >= 1 and not reading.met
    # the list the finding links to and the figures count the same dossiers
    assert listed.context["page"].paginator.count == reading.value
    for dossier in listed.context["page"].object_list:
        assert dossier.competent_agency.unit == finding.commune
        assert dossier.procedure.field.code == "DATDAI" and dossier.due_at < NOW


def test_the_online_findings_link_lists_the_online_dossiers_of_the_packs_period(demo_province):
    finding = Finding.objects.get(category="low_online_intake")
    link = finding.links.get().url
    # the visit was 70 days before 20 May 2026: 11 March; the pack runs 1 January to 10 March
    assert "received_from=2026-01-01" in link and "received_to=2026-03-10" in link
    with clock.fixed_at(NOW):
        listed = client_for("giamsat").get(link).context["page"].paginator
        everything = client_for("giamsat").get(link.split("&received_from")[0]).context["page"]
    first, last = dt.datetime(2026, 1, 1, tzinfo=VIETNAM), dt.datetime(2026, 3, 11, tzinfo=VIETNAM)
    # exactly the commune's online dossiers of the pack's period (the lowest rate may be none
    # at all), and fewer than all of time
    in_period = Dossier.objects.filter(
        competent_agency__unit=finding.commune,
        channel="online",
        received_at__gte=first,
        received_at__lt=last,
    ).count()
    assert listed.count == in_period < everything.paginator.count
    for page in listed.page_range:
        for dossier in listed.page(page).object_list:
            assert dossier.channel == "online" and first <= dossier.received_at < last


def test_the_online_target_is_the_provinces_rate_and_reads_as_the_demo_says(demo_province, user):
    directive = Directive.objects.get(target__measure_key="kpi.online_intake_rate")
    finding = Finding.objects.get(category="low_online_intake")
    assert directive.target.unit == finding.commune and directive.findings.get() == finding
    province = pack_figures(user("lanhdao.tinh"))[finding.commune.code]["province_online"]
    threshold = directive.target.threshold
    assert province <= threshold < province + 1  # the province's rate, up to a whole percent
    assert f"từ {int(threshold)} % trở lên" in directive.expected_result
    with clock.fixed_at(NOW):
        reading = selectors.read_target(directive.target)
    assert reading.met == (reading.value is not None and reading.value >= threshold)


def test_loading_sends_the_directive_warnings_once(demo_province):
    overdue = Directive.objects.get(lead_agency__code="000.04.00.H40", parent=None)
    warned = set(
        DirectiveNotification.objects.filter(directive=overdue, kind="overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"lanhdao.tinh", "chuyenvien.vpubnd"} <= warned  # the leader, the secretariat
    sent = DirectiveNotification.objects.count()
    said = re.search(
        r"directive warnings: (\d+) of directives due soon, (\d+) of overdue", demo_province
    )
    assert said and int(said[1]) + int(said[2]) == sent > 0
    again = StringIO()
    with clock.fixed_at(NOW):
        call_command("load_demo_province", "--quiet-accounts", stdout=again)
    assert "directive warnings: 0 of directives due soon, 0 of overdue ones sent" in (
        again.getvalue()
    )
    assert DirectiveNotification.objects.count() == sent


def test_the_finance_directive_asks_for_the_medium_term_transfer(loaded):
    directive = Directive.objects.get(lead_agency__code="000.04.00.H40", parent__isnull=True)
    assert "trung hạn 2021–2025" in directive.title
    assert "năm 2025" not in directive.title + directive.expected_result
