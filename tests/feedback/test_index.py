"""The satisfaction group (MDHL) of the Decision 766 index, against the March worked out by hand
in ``figures_world``."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.core import clock
from haicap.core.service_index import index_inputs
from haicap.feedback.index import INPUTS, PETITIONS_HANDLED, RATINGS, petitions_handled, ratings
from haicap.feedback.services import ratings as rating_services
from haicap.kpi.index import INDICATORS, not_computed, scores
from tests.feedback import figures_world
from tests.feedback.figures_world import APRIL_FIRST, MARCH, SATISFIED
from tests.feedback.world import CONSTRUCTION, DO_LUONG, VAN_HIEN, agency, at, unit
from tests.kpi.test_index import row
from tests.kpi.test_pages import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user):
    return figures_world.make(user)


def ids() -> tuple[int, int]:
    return unit(DO_LUONG).pk, unit(VAN_HIEN).pk


def test_both_inputs_are_registered_under_the_keys_the_dashboard_waits_for():
    assert set(INPUTS) <= set(index_inputs.all())
    assert {i.key for i in INPUTS} == {key for key, _label in INDICATORS["MDHL"]}
    assert not_computed("MDHL", index_inputs.all()) == []
    for index_input in INPUTS:
        assert index_input.group == "MDHL"
        assert "/" in str(index_input.formula) and "766" in str(index_input.source)


def test_the_deadline_source_names_no_province_s_rule_as_the_reader_s():
    # read on any province's dashboard: the time is each category's, Ninh Bình's only the demo's
    for language, each_category, demo in (
        ("en", "each petition category sets", "the demo sets 10 working days"),
        ("vi", "do từng loại phản ánh, kiến nghị quy định", "dữ liệu mẫu đặt 10 ngày làm việc"),
    ):
        with translation.override(language):
            source = str(PETITIONS_HANDLED.source)
        assert each_category in source and demo in source
        assert "(Ninh Bình: 10" not in source


def test_the_ratios_by_unit_and_for_the_province(world):
    do_luong, van_hien = ids()
    construction = agency(CONSTRUCTION).unit_id
    with clock.fixed_at(APRIL_FIRST):
        assert ratings((do_luong, van_hien), *MARCH) == {do_luong: (1, 2), van_hien: (1, 1)}
        assert ratings(None, *MARCH) == {None: (2, 3)}
        assert petitions_handled((do_luong, van_hien, construction), *MARCH) == {
            do_luong: (1, 3),  # P1 on time; P2 late; P3 never answered
            van_hien: (1, 1),
            construction: (1, 1),  # P6: the department held it when it fell due
        }
        assert petitions_handled(None, *MARCH) == {None: (3, 5)}
        # February: nothing rated, nothing due
        assert ratings(None, at(2, 1).date(), at(2, 28).date()) == {}
        assert petitions_handled(None, at(2, 1).date(), at(2, 28).date()) == {}


def test_a_deadline_not_yet_come_is_not_counted(world):
    do_luong, _van_hien = ids()
    # on 16 March at 09:30 only P1's deadline (09:00) has passed: answered by it
    with clock.fixed_at(at(3, 16, 9, 30)):
        assert petitions_handled((do_luong,), *MARCH) == {do_luong: (1, 1)}
    with clock.fixed_at(at(3, 16, 12)):  # P2's and P3's have passed too
        assert petitions_handled((do_luong,), *MARCH) == {do_luong: (1, 3)}


def test_each_input_reads_once_for_all_the_units(world):
    units = ids()
    with clock.fixed_at(APRIL_FIRST):
        for compute in (ratings, petitions_handled):
            with CaptureQueriesContext(connection) as queries:
                compute(units, *MARCH)
            assert len(queries) == 1, compute.__name__


def test_the_group_has_points_and_moves_when_a_rating_is_added(world, user):
    do_luong, van_hien = ids()
    with clock.fixed_at(APRIL_FIRST):
        by_unit, _inputs = scores((do_luong, van_hien), *MARCH)
        province, _inputs = scores(None, *MARCH)

    def mdhl(score):
        return next(g for g in score.groups if g.group.code == "MDHL")

    assert mdhl(by_unit[do_luong]).points == Decimal("7.50")
    assert dict(mdhl(by_unit[do_luong]).ratios) == {
        RATINGS.key: Decimal("0.5000"),
        PETITIONS_HANDLED.key: Decimal("0.3333"),
    }
    assert mdhl(by_unit[van_hien]).points == Decimal("18.00")
    assert mdhl(province[None]).points == Decimal("11.40")

    c, _pin = figures_world.returned(user, day=9)
    with clock.fixed_at(at(3, 16, 9)):
        rating_services.rate_dossier(c, SATISFIED)
    with clock.fixed_at(APRIL_FIRST):
        by_unit, _inputs = scores((do_luong,), *MARCH)
    # ratings 2 / 3 = 0.6667: (0.6667 + 0.3333) / 2 × 18 = 9
    assert mdhl(by_unit[do_luong]).points == Decimal("9.00")


def test_the_dashboard_shows_the_groups_points_with_its_formulas(world):
    province = dashboard("giamsat")
    satisfaction = row(province, "MDHL")
    assert "<strong>11,40</strong>" in satisfaction
    assert "Mức độ hài lòng của người dân</strong>: 66,7 %" in satisfaction
    assert "Phản ánh, kiến nghị được trả lời đúng hạn</strong>: 60,0 %" in satisfaction
    assert "chưa thể tính" not in satisfaction and "Chưa tính:" not in satisfaction
    own = dashboard("lanhdao.doluong")
    assert "<strong>7,50</strong>" in row(own, "MDHL")
