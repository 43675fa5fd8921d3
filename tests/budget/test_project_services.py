"""Creating and correcting a project through its service: the structure of sources adds up to
the total, the location is a current commune, the investor a provincial or current commune's
agency, the former district an abolished one; only Finance writes, and each write is audited
with what changed."""

import pytest
from django.utils import translation

from haicap.budget.models import Funding, Project
from haicap.budget.services import projects
from haicap.budget.services.projects import ProjectDetails
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.units.models import Agency
from tests.budget import world

pytestmark = pytest.mark.django_db
M = world.MILLION


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def details(**changes) -> ProjectDetails:
    values = {
        "name": "Nhà văn hóa xã Bạch Hà",
        "field": "culture",
        "total_investment": 3_000 * M,
        "fundings": {"commune": 1_000 * M, "provincial": 2_000 * M},
        "location": world.unit(world.BACH_HA),
        "investor": world.agency(world.BACH_HA_PPC),
        "former_investor": "UBND huyện Đô Lương",
        "former_district": world.do_luong_district(),
    }
    return ProjectDetails(**(values | changes))


def test_finance_creates_a_project_with_its_sources_audited():
    finance = world.people().finance
    project = projects.create_project(finance, " dl-vh-09 ", details())
    assert project.code == "DL-VH-09"
    assert dict(project.fundings.values_list("source", "amount")) == {
        "commune": 1_000 * M,
        "provincial": 2_000 * M,
    }
    record = AuditRecord.objects.get(action="project.created", object_id=str(project.pk))
    assert record.actor == finance
    assert record.after["fundings"] == {"commune": 1_000 * M, "provincial": 2_000 * M}
    with pytest.raises(Conflict):
        projects.create_project(finance, "DL-VH-09", details())


@pytest.mark.parametrize(
    "changes, fields",
    [
        ({"fundings": {"commune": 1_000 * M}}, {"fundings"}),
        ({"fundings": {"commune": 3_000 * M, "provincial": 0}}, {"fundings"}),
        ({"total_investment": 0}, {"total_investment", "fundings"}),
        ({"field": "mining"}, {"field"}),
        ({"name": " "}, {"name"}),
        ({"location": "district"}, {"location"}),
        ({"former_district": "commune"}, {"former_district"}),
    ],
)
def test_a_project_that_does_not_add_up_is_refused_and_nothing_written(changes, fields):
    finance = world.people().finance
    if changes.get("location") == "district":
        changes["location"] = world.do_luong_district()
    if changes.get("former_district") == "commune":
        changes["former_district"] = world.unit(world.DO_LUONG)
    with pytest.raises(InvalidInput) as refused:
        projects.create_project(finance, "DL-XX-01", details(**changes))
    assert set(refused.value.extra["fields"]) == fields
    assert not Project.objects.filter(code="DL-XX-01").exists()


def test_a_former_districts_agency_invests_in_nothing_now():
    finance = world.people().finance
    office = Agency.objects.create(
        code="DL.BQLDA", name="Ban Quản lý dự án huyện", kind="department",
        unit=world.do_luong_district(),
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="provincial agency or a current commune's"):
        projects.create_project(finance, "DL-XX-02", details(investor=office))


def test_a_correction_records_only_what_changed():
    made = world.make()
    finance = made.who.finance
    same = projects.details_of(made.school)
    before = AuditRecord.objects.count()
    projects.update_project(finance, made.school, same)
    assert AuditRecord.objects.count() == before  # nothing changed, nothing recorded
    construction = world.agency(world.CONSTRUCTION)
    split = {"district": 6_000 * M, "provincial": 4_000 * M}
    moved = ProjectDetails(**{**vars(same), "investor": construction, "fundings": split})
    projects.update_project(finance, made.school, moved)
    record = AuditRecord.objects.get(action="project.updated", object_id=str(made.school.pk))
    assert record.after == {"investor_id": construction.pk, "fundings": split}
    assert record.before == {
        "investor_id": made.school.investor_id,
        "fundings": {"district": 10_000 * M},
    }


def test_only_finance_writes_projects():
    who = world.people()
    for reader in (who.do_luong, who.supervisor, who.bach_ha):
        with pytest.raises(PermissionDenied):
            projects.create_project(reader, "DL-XX-03", details())
    assert not Funding.objects.filter(project__code="DL-XX-03").exists()
