"""The follow-up counts per group, lead agency and commune, and the status filter of a list:
both say what ``status_of`` says, from a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haicap.core import clock
from haicap.core.task_status import Outcome, Status
from haicap.oversight import selectors, services
from haicap.oversight.models import Directive
from tests.conftest import client_for
from tests.oversight.conftest import HOME_AFFAIRS, VAN_HIEN, agency, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_states(people, visit):
    """On 1 July 2026 (the directives were due 30 June): one of each status."""
    secretary = people.secretary

    def issued(title: str, deadline: dt.date) -> Directive:
        with clock.fixed_at(at(3, 12)):
            return services.issue_directive(
                secretary,
                visit.inspection,
                services.DirectiveSpec(
                    title=title, lead_agency=agency(HOME_AFFAIRS), deadline=deadline
                ),
            )

    later = issued("Còn hạn", dt.date(2026, 12, 31))
    on_time = issued("Đúng hạn", dt.date(2026, 6, 30))
    late = issued("Quá hạn", dt.date(2026, 6, 15))
    failed = issued("Không đạt", dt.date(2026, 6, 30))
    with clock.fixed_at(at(6, 30, hour=23)):  # late evening of the deadline: still on time
        services.close_directive(secretary, on_time, outcome=Outcome.ACHIEVED, result="Xong")
        services.close_directive(secretary, late, outcome=Outcome.ACHIEVED, result="Xong")
        services.close_directive(
            secretary, failed, outcome=Outcome.NOT_ACHIEVED, result="Chưa", reason="Thiếu vốn"
        )
    # visit.staffing is open and was due 30 June: overdue from 1 July.
    return {
        Status.IN_PROGRESS: later,
        Status.DONE_ON_TIME: on_time,
        Status.DONE_LATE: late,
        Status.NOT_ACHIEVED: failed,
        Status.OVERDUE: visit.staffing,
    }


def test_the_status_filter_agrees_with_status_of(people, five_states):
    with clock.fixed_at(at(7, 1)):
        for status, directive in five_states.items():
            directive.refresh_from_db()
            assert selectors.directive_status(directive) == status
            found = set(
                selectors.visible_directives(people.secretary, status=status).values_list(
                    "pk", flat=True
                )
            )
            expected = {
                d.pk for d in Directive.objects.all() if selectors.directive_status(d) == status
            }
            assert found == expected and directive.pk in found


def test_counts_per_lead_agency_group_and_commune(people, visit, five_states):
    with clock.fixed_at(at(7, 1)):
        by_agency = {r.name: r for r in selectors.follow_up(people.secretary, "lead_agency")}
        by_group = selectors.follow_up(people.secretary, "group")
        by_commune = {r.name: r for r in selectors.follow_up(people.secretary, "commune")}
    home_affairs = by_agency[agency(HOME_AFFAIRS).name]
    assert home_affairs.counts == {
        Status.IN_PROGRESS: 1,
        Status.OVERDUE: 1,
        Status.DONE_ON_TIME: 1,
        Status.DONE_LATE: 1,
        Status.NOT_ACHIEVED: 1,
    }  # the sub-task is part of a directive, not counted apart
    assert by_agency[agency(f"{VAN_HIEN}.01.H40").name].counts == {Status.OVERDUE: 1}
    assert [(r.name, r.total) for r in by_group] == [("Tổ công tác số 4", 6)]
    assert by_commune["xã Đô Lương"].counts == {Status.OVERDUE: 1}  # answers its finding
    assert by_commune["xã Văn Hiến"].counts == {Status.OVERDUE: 1}
    assert list(by_commune) == ["xã Đô Lương", "xã Văn Hiến"]  # Đ before V


def test_a_commune_counts_only_what_it_sees(people, five_states):
    with clock.fixed_at(at(7, 1)):
        rows = selectors.follow_up(people.van_hien, "lead_agency")
    assert [(r.name, dict(r.counts)) for r in rows] == [
        (agency(f"{VAN_HIEN}.01.H40").name, {Status.OVERDUE: 1})
    ]


@pytest.mark.parametrize("by, queries", [("group", 1), ("lead_agency", 1), ("commune", 3)])
def test_the_counts_take_a_fixed_number_of_queries(people, five_states, by, queries):
    people.secretary.scope  # noqa: B018  (the memberships, read once per user)
    with CaptureQueriesContext(connection) as few:
        selectors.follow_up(people.secretary, by)
    for n in range(3):
        with clock.fixed_at(at(3, 12)):
            services.issue_directive(
                people.secretary,
                five_states[Status.OVERDUE].inspection,
                services.DirectiveSpec(
                    title=f"Thêm {n}",
                    lead_agency=agency(f"{VAN_HIEN}.0{n + 2}.H40"),
                    deadline=dt.date(2026, 8, 1),
                ),
            )
    with CaptureQueriesContext(connection) as more:
        selectors.follow_up(people.secretary, by)
    assert len(few) == len(more) == queries


def _cells(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[page.index(">", start) + 1 : page.index("</td>", start)]


def test_the_all_row_gives_the_totals_on_the_page(people, five_states):
    client = client_for(people.secretary.username)
    with clock.fixed_at(at(7, 1)):
        by_group = client.get("/desk/giam-sat/theo-doi/?by=group").content.decode()
        by_commune = client.get("/desk/giam-sat/theo-doi/?by=commune").content.decode()
    # Six directives: one within its deadline, two overdue (the staffing one and Văn Hiến's
    # online intake), one done on time, one done late, one not achieved.
    expected = ["1", "2", "1", "1", "1"]
    for page in (by_group, by_commune):
        totals = [_cells(page, f"total-{n}") for n in range(1, 6)]
        assert [re.sub(r"<[^>]+>", "", t) for t in totals] == expected
        assert re.sub(r"<[^>]+>", "", _cells(page, "grand-total")) == "6"
    assert 'href="/desk/giam-sat/nhiem-vu/"' in _cells(by_group, "grand-total")
    # By commune, "all" is each directive once: the one within its deadline concerns no
    # commune, so no commune's row has it, and it is still in "all".
    assert by_commune.index("xã Đô Lương") < by_commune.index("xã Văn Hiến")


def test_a_directive_of_two_communes_counts_in_both_rows_and_once_in_all(people, visit):
    with clock.fixed_at(at(3, 12)):
        services.issue_directive(
            people.secretary,
            visit.inspection,
            services.DirectiveSpec(
                title="Chung hai xã",
                lead_agency=agency(HOME_AFFAIRS),
                deadline=dt.date(2026, 8, 31),
                findings=[visit.staff_shortage, visit.low_online],
            ),
        )
    with clock.fixed_at(at(7, 1)):
        table = selectors.follow_up_table(people.secretary, "commune")
    assert [(r.name, dict(r.counts)) for r in table.rows] == [
        ("xã Đô Lương", {Status.OVERDUE: 1, Status.IN_PROGRESS: 1}),
        ("xã Văn Hiến", {Status.OVERDUE: 1, Status.IN_PROGRESS: 1}),
    ]
    assert dict(table.all.counts) == {Status.OVERDUE: 2, Status.IN_PROGRESS: 1}
