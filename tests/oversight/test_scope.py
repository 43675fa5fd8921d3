"""One scoping rule per record: who sees which groups, inspections, findings, directives and
updates."""

import pytest

from haicap.oversight import selectors, services
from haicap.oversight.models import (
    Directive,
    DirectiveUpdate,
    Finding,
    Inspection,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


def seen(user, visit) -> dict[str, set]:
    return {
        "groups": set(WorkingGroup.objects.restrict(user).values_list("pk", flat=True)),
        "inspections": set(Inspection.objects.restrict(user).values_list("pk", flat=True)),
        "findings": set(Finding.objects.restrict(user).values_list("pk", flat=True)),
        "directives": set(Directive.objects.restrict(user).values_list("pk", flat=True)),
        "updates": set(DirectiveUpdate.objects.restrict(user).values_list("pk", flat=True)),
    }


@pytest.fixture
def updated(people, visit):
    """Each directive with one update."""
    return {
        "staffing": services.post_update(people.home_affairs, visit.staffing, text="Đã rà soát"),
        "online": services.post_update(people.van_hien, visit.online, text="Đã tuyên truyền"),
    }


def everything(visit, updated) -> dict[str, set]:
    return {
        "groups": {visit.inspection.group_id},
        "inspections": {visit.inspection.pk},
        "findings": {visit.staff_shortage.pk, visit.low_online.pk},
        "directives": {visit.staffing.pk, visit.subtask.pk, visit.online.pk},
        "updates": {u.pk for u in updated.values()},
    }


@pytest.mark.parametrize("who", ["supervisor", "admin", "secretary"])
def test_province_wide_readers_and_the_secretariat_see_everything(people, visit, updated, who):
    assert seen(getattr(people, who), visit) == everything(visit, updated)


def test_a_member_agency_sees_its_groups_records(people, visit, updated):
    assert seen(people.finance, visit) == everything(visit, updated)


def test_an_agency_outside_the_group_sees_what_it_leads_or_supports_only(people, visit, updated):
    assert seen(people.health, visit) == {k: set() for k in everything(visit, updated)}
    # The health department supports the online directive: it sees it and its update.
    visit.online.supporting_agencies.add(people.health.memberships.get().agency)
    health = seen(people.health, visit)
    assert health["directives"] == {visit.online.pk}
    assert health["updates"] == {updated["online"].pk}
    assert health["findings"] == {visit.low_online.pk}  # the finding the directive answers
    assert health["groups"] == set() and health["inspections"] == set()


def test_a_commune_sees_what_concerns_it(people, visit, updated):
    van_hien = seen(people.van_hien, visit)
    assert van_hien == {
        "groups": {visit.inspection.group_id},  # the group covers it
        "inspections": {visit.inspection.pk},  # and visited it
        "findings": {visit.low_online.pk},
        "directives": {visit.online.pk},
        "updates": {updated["online"].pk},
    }
    do_luong = seen(people.do_luong, visit)
    assert do_luong["findings"] == {visit.staff_shortage.pk}
    # the directive answers the commune's finding; its sub-task, Home Affairs' own work that
    # concerns no commune, is for those who work on the directive
    assert do_luong["directives"] == {visit.staffing.pk}
    assert do_luong["updates"] == {updated["staffing"].pk}


def test_a_sibling_commune_sees_none_of_it(people, visit, updated):
    bach_ha = seen(people.bach_ha, visit)
    assert bach_ha["inspections"] == set()
    assert bach_ha["findings"] == set()
    assert bach_ha["directives"] == set()
    assert bach_ha["updates"] == set()
    assert bach_ha["groups"] == {visit.inspection.group_id}  # the group covers Bạch Hà too
    assert seen(people.outside, visit) == {k: set() for k in everything(visit, updated)}


def test_the_selectors_answer_not_found_outside_the_scope(people, visit):
    from haicap.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.get_directive(people.bach_ha, visit.staffing.pk)
    with pytest.raises(NotFound):
        selectors.get_inspection(people.outside, visit.inspection.pk)
    assert selectors.get_directive(people.do_luong, visit.staffing.pk) == visit.staffing


def test_nobody_signed_out_sees_anything(visit):
    assert seen(None, visit) == {
        "groups": set(),
        "inspections": set(),
        "findings": set(),
        "directives": set(),
        "updates": set(),
    }
