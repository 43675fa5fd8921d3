"""The briefing pack's feedback section, against the March worked out by hand in
``figures_world``: each commune's petitions and satisfaction against the province's, and its
petitions open past the legal deadline, with nothing about who sent them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haicap.calendar.selectors import calendar_for
from haicap.core import clock
from haicap.core.briefing import Period, pack_sections
from haicap.feedback.briefing_sections import FEEDBACK, build_feedback
from haicap.feedback.desk_views import deadline_words
from haicap.feedback.models import Petition
from tests.feedback import figures_world
from tests.feedback.figures_world import APRIL_FIRST
from tests.feedback.world import BACH_HA, DO_LUONG, SENDER, VAN_HIEN, at, unit

pytestmark = pytest.mark.django_db
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def world(user):
    return figures_world.make(user)


def built(*codes: str, period: Period = MARCH, language: str = "en"):
    return built_for(tuple(unit(c).pk for c in codes), period, language)


def built_for(ids: tuple[int, ...], period: Period = MARCH, language: str = "en"):
    with translation.override(language), clock.fixed_at(APRIL_FIRST):
        return build_feedback(None, ids, period)


def test_the_section_is_in_the_pack():
    assert FEEDBACK in pack_sections.sections()
    assert FEEDBACK.key == "feedback.petitions"


def test_each_commune_against_the_province(world):
    found = built(DO_LUONG, VAN_HIEN)
    figures, _overdue = found[unit(DO_LUONG).pk]
    assert figures.header == ("Indicator", "Commune", "Province")
    assert figures.rows == (
        ("Petitions received", 5, 6),  # P6 too: received here, then transferred
        ("Answered on time", 1, 3),
        ("Answered late", 1, 1),
        ("Open past the legal deadline at the end", 1, 1),
        ("Open within the legal deadline at the end", 1, 1),
        ("Falling due in the period", 3, 5),
        ("Of them, answered by the legal deadline", 1, 3),
        (
            "Answered by the legal deadline, of those falling due (%)",
            Decimal("33.3"),
            Decimal("60.0"),
        ),
        ("Ratings given", 2, 3),
        ("Satisfaction rate (%)", Decimal("50.0"), Decimal("66.7")),
    )
    van_hien, nothing_overdue = found[unit(VAN_HIEN).pk]
    assert [row[1] for row in van_hien.rows] == [
        1,
        1,
        0,
        0,
        0,
        1,
        1,
        Decimal("100.0"),
        1,
        Decimal("100.0"),
    ]
    assert nothing_overdue.rows == ()


def test_the_petitions_past_their_deadline_name_no_sender(world):
    _figures, overdue = built(DO_LUONG)[unit(DO_LUONG).pk]
    assert overdue.header == (
        "Petition code",
        "Petition category",
        "Received on",
        "Working days overdue",
    )
    # P3: due Mon 16 March 11:00, still open at the end of Tue 31 March: 11 whole working days
    # overdue (17-20, 23-27, 30-31 March, and the afternoon of the 16th), as the desk counts
    assert overdue.rows == ((world.p3.code, "Môi trường, rác thải", dt.date(2026, 3, 2), 11),)
    p3 = Petition.objects.get(pk=world.p3.pk)
    with translation.override("en"):
        desk_says = deadline_words(p3, calendar_for(unit(DO_LUONG)), at(4, 1, 0))
    assert desk_says == "overdue by 11 days"  # the queue's count, at the pack's end
    said = " ".join(
        str(v) for table in built(DO_LUONG)[unit(DO_LUONG).pk] for r in table.rows for v in r
    )
    for private in (SENDER.name, SENDER.phone, SENDER.email):
        assert private not in said


def test_a_commune_with_nothing_shows_zeros_and_the_tables_are_in_vietnamese(world):
    figures, overdue = built(BACH_HA, language="vi")[unit(BACH_HA).pk]
    assert figures.title == "Phản ánh, kiến nghị và mức độ hài lòng, so với toàn tỉnh"
    assert [row[1] for row in figures.rows] == [0, 0, 0, 0, 0, 0, 0, None, 0, None]
    assert overdue.header[0] == "Mã phản ánh" and overdue.rows == ()
    assert overdue.header[3] == "Số ngày làm việc quá hạn"
    assert figures.rows[5][0] == "Số phản ánh đến hạn trong kỳ"


def test_the_queries_do_not_grow_with_the_communes(world):
    ids = tuple(unit(code).pk for code in (DO_LUONG, VAN_HIEN, BACH_HA))
    with CaptureQueriesContext(connection) as one:
        built_for(ids[:1])
    with CaptureQueriesContext(connection) as three:
        built_for(ids)
    assert len(one) == len(three) == 10


def test_a_period_not_begun_has_nothing(world):
    with clock.fixed_at(at(3, 20)):
        assert (
            build_feedback(
                None, (unit(DO_LUONG).pk,), Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
            )
            == {}
        )
