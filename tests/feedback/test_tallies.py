"""Who and what the petitions' figures count, worked out by hand for March 2026 (the moi-truong
category: 10 working days, no holiday): a reopened petition is judged by the answer that stands
at the end of the period, and each count goes to the agency that answers for it (``tallies``).
"""

import datetime as dt

import pytest

from haicap.core import clock
from haicap.core.briefing import Period
from haicap.feedback import tallies
from haicap.feedback.briefing_sections import build_feedback
from haicap.feedback.figures import PetitionCounts
from haicap.feedback.index import petitions_handled
from haicap.feedback.measures import answered_on_time, overdue
from haicap.feedback.models import Petition
from haicap.feedback.services import handling
from tests.feedback.figures_world import APRIL_FIRST, MARCH, answered
from tests.feedback.world import CONSTRUCTION, DO_LUONG, agency, at, file, people, unit

pytestmark = pytest.mark.django_db
REASON = "Rác vẫn còn nguyên, chưa ai đến thu gom."


def counted(first: dt.date, last: dt.date, read_at: dt.datetime = APRIL_FIRST) -> dict:
    with clock.fixed_at(read_at):
        moments = tallies.moments(first, last)
        return tallies.count_petitions(Petition.objects.all(), *moments, tallies.AGENCY)


def test_a_reopened_petition_counts_once_by_the_answer_that_stands():
    p = people()
    # R: received 2/3 09:00, due 16/3 09:00; answered 5/3, reopened 6/3, open on 31/3
    r = answered(p.do_luong, file(at(3, 2, 9)).petition, at(3, 5, 9))
    # S: received 2/3 10:00, due 16/3 10:00; answered 5/3, reopened 6/3, answered 20/3: late
    s = answered(p.do_luong, file(at(3, 2, 10)).petition, at(3, 5, 9, 30))
    for petition in (r, s):
        with clock.fixed_at(at(3, 6, 9)):
            handling.reopen(petition.code, REASON)
    with clock.fixed_at(at(3, 20, 9)):
        handling.answer(p.do_luong, s.code, "Đã bố trí thu gom xong ngày 20/3.")
    here = r.agency_id
    # March: R overdue, not answered; S answered late; neither answered by its deadline
    assert counted(*MARCH) == {
        here: PetitionCounts(
            received=2, answered_on_time=0, answered_late=1, overdue=1, due=2, answered_by_due=0
        )
    }
    # 1-5 March, as it stood then: both answered on time, nothing due yet
    assert counted(dt.date(2026, 3, 1), dt.date(2026, 3, 5)) == {
        here: PetitionCounts(received=2, answered_on_time=2)
    }
    do_luong = unit(DO_LUONG).pk
    with clock.fixed_at(APRIL_FIRST):
        assert petitions_handled((do_luong,), *MARCH) == {do_luong: (0, 2)}
        assert answered_on_time(do_luong, None, *MARCH) == 0
        assert overdue(do_luong, None, *MARCH) == 1


def test_a_transfer_after_the_deadline_leaves_the_delay_where_it_was_caused():
    p = people()
    # T: received at Đô Lương 2/3 11:00, due 16/3 11:00, transferred to Sở Xây dựng on 20/3
    t = file(at(3, 2, 11)).petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, t.code, p.do_luong)
    first, department = t.agency_id, agency(CONSTRUCTION)
    till_18 = (dt.date(2026, 3, 1), dt.date(2026, 3, 18))
    before = counted(*till_18, read_at=at(3, 19, 9))
    assert before == {first: PetitionCounts(received=1, overdue=1, due=1)}
    with clock.fixed_at(at(3, 20, 9)):
        handling.transfer(p.do_luong, t.code, department, "Công trình do Sở cấp phép xây dựng.")
    # a closed period does not change: 1-18 March still counts it at Đô Lương
    assert counted(*till_18) == before
    # March: received and let pass at Đô Lương; held overdue at its end by the department
    assert counted(*MARCH) == {
        first: PetitionCounts(received=1, due=1),
        department.pk: PetitionCounts(overdue=1),
    }
    do_luong = unit(DO_LUONG).pk
    with clock.fixed_at(APRIL_FIRST):
        assert petitions_handled((do_luong,), *MARCH) == {do_luong: (0, 1)}
        assert overdue(do_luong, None, *MARCH) == 0
        assert overdue(do_luong, None, *till_18) == 1
        march = build_feedback(None, (do_luong,), Period(*MARCH))[do_luong][1]
        first_half = build_feedback(None, (do_luong,), Period(*till_18))[do_luong][1]
    assert march.rows == ()  # not Đô Lương's to list any more
    assert [row[0] for row in first_half.rows] == [t.code]
    # April: the department answers it, late, and that answer counts for the department
    with clock.fixed_at(at(4, 2, 9)):
        handling.assign(p.construction, t.code, p.construction)
        handling.answer(p.construction, t.code, "Sở đã kiểm tra và xử lý vi phạm.")
    april = counted(dt.date(2026, 4, 1), dt.date(2026, 4, 30), read_at=at(5, 1, 9))
    assert april == {department.pk: PetitionCounts(answered_late=1)}
