"""The briefing pack: its sections come from the registry, each built once for all the visited
communes, so the number of queries does not grow with them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.core import clock
from haicap.core.briefing import PackSection, Table, pack_sections
from haicap.oversight import services
from haicap.oversight.selectors import briefing_pack, pack_period
from tests.dossiers.test_scenarios import receive
from tests.kpi.conftest import decided
from tests.oversight.conftest import GROUP_COMMUNES, at, commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def february(user):
    """At xã Đô Lương in February 2026: one birth registration decided late, one on time, and
    one still open past its due moment."""
    decided(user, at(2, 2), at(2, 4, 10))  # due 3 February 09:00: late
    decided(user, at(2, 9), at(2, 9, 11))
    receive(user, at(2, 23), "X.HT.001")


def plan(people, group, codes, held_on=dt.date(2026, 4, 20)):
    with clock.fixed_at(at(3, 2)):
        return services.plan_inspection(
            people.secretary, group, held_on=held_on, communes=[commune(c) for c in codes]
        )


def parts(pack, name: str) -> dict[str, tuple[Table, ...]]:
    found = next(c for c in pack.communes if c.commune.name == name)
    return {part.section.key: part.tables for part in found.parts}


def test_the_pack_shows_the_communes_figures_directives_and_findings(
    people, group, visit, february
):
    later = plan(people, group, ["17662", "17677"])
    with clock.fixed_at(at(4, 1)), translation.override("en"):
        pack = briefing_pack(people.secretary, later)
    assert pack.period.start == dt.date(2026, 1, 1) and pack.period.end == dt.date(2026, 4, 1)
    do_luong = parts(pack, "Đô Lương")
    assert list(do_luong) == [
        "oversight.indicators",
        "feedback.petitions",
        "oversight.directives",
        "staffing.gaps",
        "assets.offices_equipment",
        "budget.capital",
        "reports.periodic",
    ]
    figures, by_field, late = do_luong["oversight.indicators"]
    rows = {row[0]: row[1:] for row in figures.rows}
    assert rows["Received"][0] == 3
    assert rows["On-time rate (%)"][0] == 50
    assert rows["Of them overdue"][0] == 1
    assert by_field.rows == (("Hộ tịch", 1, 1),)
    # the month fixture files marriages (a birth is now a same-day procedure)
    assert late.rows == (("Đăng ký kết hôn", 1, 2),)
    directives, findings = do_luong["oversight.directives"]
    assert [row[0] for row in directives.rows] == ["Biệt phái công chức cho các xã thiếu"]
    assert [row[2] for row in findings.rows] == ["Thiếu công chức chuyên môn lĩnh vực đất đai"]
    van_hien_directives, _findings = parts(pack, "Văn Hiến")["oversight.directives"]
    assert [row[0] for row in van_hien_directives.rows] == ["Nâng tỷ lệ tiếp nhận trực tuyến"]


def test_the_period_ends_the_day_before_the_visit_or_today():
    class Visit:
        held_on = dt.date(2026, 3, 10)

    assert pack_period(Visit, on=dt.date(2026, 5, 1)).end == dt.date(2026, 3, 9)
    assert pack_period(Visit, on=dt.date(2026, 2, 20)).end == dt.date(2026, 2, 20)


def test_a_section_another_app_registers_joins_the_pack(people, group, visit):
    def staffing(viewer, commune_ids, period):
        return {
            unit_id: (Table("Biên chế", ("Vị trí", "Thiếu"), (("Đất đai", unit_id),)),)
            for unit_id in commune_ids
        }

    section = PackSection(key="test.staffing", title="Staffing", order=15, build=staffing)
    pack_sections.register(section)
    try:
        with clock.fixed_at(at(4, 1)):
            pack = briefing_pack(people.secretary, visit.inspection)
    finally:
        pack_sections.forget(section)
    do_luong = parts(pack, "Đô Lương")
    assert list(do_luong) == [
        "oversight.indicators",
        "feedback.petitions",
        "test.staffing",
        "oversight.directives",
        "staffing.gaps",
        "assets.offices_equipment",
        "budget.capital",
        "reports.periodic",
    ]
    assert do_luong["test.staffing"][0].rows == (("Đất đai", commune("17662").pk),)


def test_the_queries_do_not_grow_with_the_communes(people, group, visit, february):
    one = plan(people, group, ["17662"])
    six = plan(people, group, GROUP_COMMUNES)
    people.secretary.scope  # noqa: B018  (the memberships, read once per user)
    counted = []
    for inspection in (one, six):
        with clock.fixed_at(at(4, 1)), CaptureQueriesContext(connection) as queries:
            pack = briefing_pack(people.secretary, inspection)
        counted.append(len(queries))
    assert len(pack.communes) == 6
    assert counted[0] == counted[1], counted


def test_a_pack_is_only_for_who_sees_the_inspection(people, visit):
    from haicap.core.errors import NotFound

    with pytest.raises(NotFound):
        briefing_pack(people.outside, visit.inspection)
