"""Writing groups, inspections, findings and directives: who may, what is refused, what is
audited; a directive's updates are append-only; closing follows the stated result and target."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import DatabaseError, transaction

from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidInput,
    PermissionDenied,
)
from haicap.core.measures import Comparison, Measure, Unit, measures
from haicap.core.models import AuditRecord
from haicap.core.task_status import Outcome, Status
from haicap.oversight import selectors, services
from haicap.oversight.models import Directive, DirectiveUpdate, Finding, Inspection
from tests.dossiers.office_files import xlsx_bytes
from tests.oversight.conftest import (
    BACH_HA,
    DO_LUONG,
    FINANCE,
    HOME_AFFAIRS,
    OUTSIDE_COMMUNE,
    VAN_HIEN,
    agency,
    at,
    commune,
    group_spec,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def audited(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


# --- groups -----------------------------------------------------------------------------------


def test_the_ppc_office_sets_up_a_group_and_it_is_audited(people, group):
    assert group.secretariat_agency.code == "000.01.00.H40"
    assert group.communes.count() == 6
    record = AuditRecord.objects.get(action="workinggroup.created", object_id=str(group.pk))
    assert record.actor == people.secretary
    assert len(record.after["member_agencies"]) == 7


@pytest.mark.parametrize("who", ["home_affairs", "do_luong", "supervisor"])
def test_departments_communes_and_supervisors_do_not_set_up_groups(people, who):
    with pytest.raises(PermissionDenied):
        services.save_group(getattr(people, who), group_spec())


def test_a_system_administrator_sets_up_a_group(people):
    assert services.save_group(people.admin, group_spec(number="5")).number == "5"


def test_a_group_needs_a_secretariat_and_current_communes(people):
    with pytest.raises(InvalidInput, match="secretariat"):
        services.save_group(people.secretary, group_spec(secretariat_agency=None))
    with pytest.raises(InvalidInput) as refused:
        services.save_group(
            people.secretary, group_spec(communes=[agency(HOME_AFFAIRS).unit])
        )  # the province is not a commune
    assert str(refused.value.detail).startswith("Tỉnh Nghệ An ")  # a sentence, capitalised
    with pytest.raises(InvalidInput):
        services.save_group(people.secretary, group_spec(name="Tổ\x00"))


def test_the_same_number_in_the_same_term_is_a_conflict(people, group):
    with pytest.raises(Conflict):
        services.save_group(people.admin, group_spec())


def test_a_change_records_what_changed(people, group):
    services.save_group(people.secretary, group_spec(communes=[commune(DO_LUONG)]), group)
    record = AuditRecord.objects.get(action="workinggroup.updated", object_id=str(group.pk))
    assert record.after == {"communes": [commune(DO_LUONG).pk]}


# --- inspections and findings ------------------------------------------------------------------


def test_an_inspection_goes_from_planned_to_concluded(visit):
    inspection = Inspection.objects.get(pk=visit.inspection.pk)
    assert inspection.state == Inspection.State.CONCLUDED
    assert inspection.conclusion_number == "125/TB-UBND"
    for action in ("inspection.planned", "inspection.started", "inspection.concluded"):
        assert audited(action) == 1


def test_only_the_secretariat_or_leader_writes_inspections(people, group):
    with pytest.raises(PermissionDenied):
        services.plan_inspection(
            people.home_affairs, group, held_on=dt.date(2026, 5, 5), communes=[commune(DO_LUONG)]
        )


def test_an_inspection_visits_communes_the_group_covers(people, group):
    with pytest.raises(InvalidInput):
        services.plan_inspection(
            people.secretary,
            group,
            held_on=dt.date(2026, 5, 5),
            communes=[commune(OUTSIDE_COMMUNE)],
        )


def test_an_inspection_cannot_be_concluded_before_it_starts(people, group):
    inspection = services.plan_inspection(
        people.secretary, group, held_on=dt.date(2026, 5, 5), communes=[commune(DO_LUONG)]
    )
    with pytest.raises(Conflict):
        services.conclude_inspection(
            people.secretary,
            inspection,
            number="1",
            date=dt.date(2026, 5, 6),
            summary="",
            text="Kết luận",
        )


@pytest.fixture
def started(people, group) -> Inspection:
    inspection = services.plan_inspection(
        people.secretary, group, held_on=dt.date(2026, 5, 5), communes=[commune(DO_LUONG)]
    )
    return services.start_inspection(people.secretary, inspection)


def finding(**changes) -> services.FindingSpec:
    fields = {
        "commune": commune(DO_LUONG),
        "category": Finding.Category.OFFICES_EQUIPMENT,
        "text": "Thiếu máy scan",
        "agency_to_act": agency(FINANCE),
    }
    return services.FindingSpec(**(fields | changes))


def test_a_finding_keeps_its_evidence(people, started):
    recorded = services.record_finding(
        people.secretary,
        started,
        finding(
            links=[("/desk/ho-so/?overdue=1", "Quá hạn")],
            papers=[SimpleUploadedFile("bien-ban.pdf", PDF)],
        ),
    )
    assert [link.url for link in recorded.links.all()] == ["/desk/ho-so/?overdue=1"]
    paper = recorded.papers.get()
    assert paper.content_type == "application/pdf" and paper.size == len(PDF)
    assert audited("finding.recorded") == 1


def test_a_large_upload_kept_on_disk_is_judged_like_one_in_memory(people, started):
    # Django keeps uploads over 2.5 MB in a temporary file; the package is read from there
    content = xlsx_bytes()
    upload = TemporaryUploadedFile("so-lieu.xlsx", "application/octet-stream", len(content), None)
    upload.write(content)
    upload.seek(0)
    recorded = services.record_finding(people.secretary, started, finding(papers=[upload]))
    upload.close()  # as Django does after a request: the storage moved the file away
    paper = recorded.papers.get()
    assert (paper.content_type, paper.extension, paper.sha256) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        hashlib.sha256(content).hexdigest(),
    )
    assert paper.file.read() == content


@pytest.mark.parametrize(
    "link", ["https://example.org/x", "//example.org/", "javascript:alert(1)", "/no/such/page/"]
)
def test_a_link_elsewhere_or_to_no_page_is_refused(people, started, link):
    with pytest.raises(InvalidInput):
        services.record_finding(people.secretary, started, finding(links=[(link, "")]))


def test_a_file_that_is_not_a_paper_is_refused(people, started):
    with pytest.raises(InvalidInput):
        services.record_finding(
            people.secretary,
            started,
            finding(papers=[SimpleUploadedFile("x.exe", b"MZ\x90\x00")]),
        )


def test_a_staff_shortage_names_its_field(people, started):
    with pytest.raises(InvalidInput, match="field"):
        services.record_finding(
            people.secretary, started, finding(category=Finding.Category.STAFF_SHORTAGE)
        )
    named = services.record_finding(
        people.secretary,
        started,
        finding(category=Finding.Category.STAFF_SHORTAGE, field_text="Công nghệ thông tin"),
    )
    assert named.field_text == "Công nghệ thông tin"


def test_a_finding_is_in_a_commune_visited(people, started):
    with pytest.raises(InvalidInput):
        services.record_finding(people.secretary, started, finding(commune=commune(VAN_HIEN)))


# --- directives -------------------------------------------------------------------------------


def test_directives_are_issued_under_the_conclusion(visit):
    assert visit.staffing.findings.get() == visit.staff_shortage
    assert visit.subtask.parent == visit.staffing
    assert visit.online.target.measure_key == "kpi.online_intake_rate"
    assert audited("directive.issued") == 3


def spec(**changes) -> services.DirectiveSpec:
    fields = {
        "title": "Bố trí trụ sở",
        "lead_agency": agency(FINANCE),
        "deadline": dt.date(2026, 9, 30),
    }
    return services.DirectiveSpec(**(fields | changes))


def test_a_directive_needs_a_concluded_inspection(people, started):
    with pytest.raises(Conflict):
        services.issue_directive(people.secretary, started, spec())


def test_sub_tasks_go_one_level_deep_and_not_past_their_directive(people, visit):
    with clock.fixed_at(at(3, 20)):  # after the conclusion, before the deadlines
        _sub_tasks_go_one_level_deep(people, visit)


def test_a_deadline_already_passed_is_refused(people, visit):
    with clock.fixed_at(at(6, 1)), pytest.raises(InvalidInput, match="passed"):
        services.issue_directive(
            people.secretary, visit.inspection, spec(deadline=dt.date(2026, 5, 31))
        )


def _sub_tasks_go_one_level_deep(people, visit) -> None:
    with pytest.raises(InvalidInput):
        services.issue_directive(people.secretary, visit.inspection, spec(), parent=visit.subtask)
    with pytest.raises(InvalidInput):
        services.issue_directive(
            people.secretary,
            visit.inspection,
            spec(deadline=dt.date(2026, 7, 31)),
            parent=visit.staffing,
        )
    added = services.issue_directive(
        people.secretary,
        visit.inspection,
        spec(deadline=dt.date(2026, 5, 31)),
        parent=visit.staffing,
    )
    assert added.parent == visit.staffing


def test_a_target_names_a_measure_that_exists(people, visit):
    target = services.TargetSpec(
        measure_key="no.such",
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
        comparison=Comparison.AT_LEAST,
        threshold=Decimal(1),
    )
    with pytest.raises(InvalidInput):
        services.issue_directive(people.secretary, visit.inspection, spec(target=target))


def test_the_lead_agency_is_not_also_supporting(people, visit):
    with pytest.raises(InvalidInput):
        services.issue_directive(
            people.secretary,
            visit.inspection,
            spec(supporting_agencies=[agency(FINANCE)]),
        )


# --- updates ----------------------------------------------------------------------------------


def test_the_lead_and_supporting_agencies_post_updates(people, visit):
    lead = services.post_update(people.home_affairs, visit.staffing, text="Đã rà soát", percent=30)
    support = services.post_update(
        people.finance,
        visit.staffing,
        text="Đã bố trí kinh phí",
        papers=[SimpleUploadedFile("cv.pdf", PDF)],
    )
    assert lead.agency.code == HOME_AFFAIRS and support.agency.code == FINANCE
    assert support.papers.count() == 1
    assert audited("directive.update_posted") == 2


def test_a_commune_led_directive_takes_updates_from_any_of_the_communes_bodies(people, visit):
    # tiepnhan.vanhien works at the commune's service center; the People's Committee leads.
    update = services.post_update(people.van_hien, visit.online, text="Đã hướng dẫn người dân")
    assert update.agency == visit.online.lead_agency


@pytest.mark.parametrize("who", ["health", "bach_ha", "do_luong", "secretary", "supervisor"])
def test_nobody_else_posts_updates(people, visit, who):
    with pytest.raises(PermissionDenied):
        services.post_update(getattr(people, who), visit.staffing, text="…")


def test_a_retry_with_its_key_makes_one_update(people, visit):
    first = services.post_update(
        people.home_affairs, visit.staffing, text="Đã rà soát", idempotency_key="k-1"
    )
    again = services.post_update(
        people.home_affairs, visit.staffing, text="Đã rà soát", idempotency_key="k-1"
    )
    assert again == first
    assert DirectiveUpdate.objects.filter(directive=visit.staffing).count() == 1
    with pytest.raises(IdempotencyKeyReused):
        services.post_update(
            people.home_affairs, visit.staffing, text="Khác", idempotency_key="k-1"
        )


def test_the_database_refuses_to_change_or_remove_an_update(people, visit):
    update = services.post_update(people.home_affairs, visit.staffing, text="Đã rà soát")
    with pytest.raises(DatabaseError), transaction.atomic():
        DirectiveUpdate.objects.filter(pk=update.pk).update(text="sửa lại")
    with pytest.raises(DatabaseError), transaction.atomic():
        DirectiveUpdate.objects.filter(pk=update.pk).delete()
    assert DirectiveUpdate.objects.get(pk=update.pk).text == "Đã rà soát"


# --- closing ----------------------------------------------------------------------------------


def close(people, directive, outcome=Outcome.ACHIEVED, who="secretary", **kw):
    return services.close_directive(
        getattr(people, who), directive, outcome=outcome, result=kw.pop("result", "Xong"), **kw
    )


@pytest.mark.parametrize("who", ["home_affairs", "finance", "van_hien", "supervisor"])
def test_only_the_secretariat_closes(people, visit, who):
    with pytest.raises(PermissionDenied):
        close(people, visit.subtask, who=who)


def test_a_directive_is_closed_after_its_sub_tasks(people, visit):
    with pytest.raises(Conflict, match="sub-tasks"):
        close(people, visit.staffing)
    with clock.fixed_at(at(4, 10)):
        close(people, visit.subtask)
    with clock.fixed_at(at(7, 2)):
        closed = close(people, visit.staffing)
    assert selectors.directive_status(closed) == Status.DONE_LATE
    assert selectors.directive_status(Directive.objects.get(pk=visit.subtask.pk)) == (
        Status.DONE_ON_TIME
    )
    assert selectors.subtask_progress(closed).percent == 100
    assert audited("directive.closed") == 2


def test_not_achieved_needs_a_reason(people, visit):
    with pytest.raises(InvalidInput):
        close(people, visit.subtask, Outcome.NOT_ACHIEVED)
    closed = close(people, visit.subtask, Outcome.NOT_ACHIEVED, reason="Chưa đủ biên chế")
    assert selectors.directive_status(closed) == Status.NOT_ACHIEVED


def test_a_closed_directive_takes_no_update_and_no_second_close(people, visit):
    close(people, visit.subtask)
    with pytest.raises(Conflict):
        services.post_update(people.home_affairs, visit.subtask, text="Thêm")
    with pytest.raises(Conflict):
        close(people, visit.subtask)


@pytest.fixture
def fixed_measure():
    """A measure whose value the test sets."""
    value = {"now": Decimal(35)}
    measure = Measure("test.share", "Share", Unit.PERCENT, True, lambda *args: value["now"])
    measures.register(measure)
    yield value
    measures.forget(measure)


def test_an_unmet_target_closes_only_as_not_achieved(people, visit, fixed_measure):
    target = services.TargetSpec(
        measure_key="test.share",
        unit=commune(BACH_HA),
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
        comparison=Comparison.AT_LEAST,
        threshold=Decimal(40),
    )
    with clock.fixed_at(at(3, 20)):
        directive = services.issue_directive(
            people.secretary, visit.inspection, spec(target=target)
        )
    with pytest.raises(Conflict, match="target"):
        close(people, directive)
    fixed_measure["now"] = Decimal(41)
    assert selectors.read_target(directive.target).met
    closed = close(people, directive)
    assert closed.close_outcome == Outcome.ACHIEVED
    assert AuditRecord.objects.get(action="directive.closed").after["target_value"] == "41.00"


@pytest.fixture
def yearly_measure():
    """A measure read by no field and within one calendar year, as the capital's is."""
    measure = Measure(
        "test.yearly",
        "Yearly share",
        Unit.PERCENT,
        True,
        lambda *args: Decimal(50),
        reads_field=False,
        within_one_year=True,
    )
    measures.register(measure)
    yield measure
    measures.forget(measure)


def yearly_target(**changes) -> services.TargetSpec:
    fields = {
        "measure_key": "test.yearly",
        "period_start": dt.date(2026, 4, 1),
        "period_end": dt.date(2026, 6, 30),
        "comparison": Comparison.AT_LEAST,
        "threshold": Decimal(40),
    }
    return services.TargetSpec(**(fields | changes))


def test_a_field_is_refused_for_a_measure_read_by_none(people, visit, yearly_measure):
    land = Field.objects.get(code="DATDAI")
    with clock.fixed_at(at(3, 20)), pytest.raises(InvalidInput, match="not measured by field"):
        services.issue_directive(
            people.secretary, visit.inspection, spec(target=yearly_target(field=land))
        )
    assert not Directive.objects.filter(target__measure_key="test.yearly").exists()
    with clock.fixed_at(at(3, 20)):
        issued = services.issue_directive(
            people.secretary, visit.inspection, spec(target=yearly_target())
        )
    assert issued.target.field is None


def test_a_period_across_years_is_refused_where_one_year_is_required(
    people, visit, yearly_measure, fixed_measure
):
    across = {"period_start": dt.date(2025, 7, 1), "period_end": dt.date(2026, 6, 30)}
    with clock.fixed_at(at(3, 20)), pytest.raises(InvalidInput, match="same year"):
        services.issue_directive(
            people.secretary, visit.inspection, spec(target=yearly_target(**across))
        )
    # a measure that does not ask for one year takes the same period, and a field
    land = Field.objects.get(code="DATDAI")
    with clock.fixed_at(at(3, 20)):
        issued = services.issue_directive(
            people.secretary,
            visit.inspection,
            spec(target=yearly_target(measure_key="test.share", field=land, **across)),
        )
    assert issued.target.field == land
