"""The control sheet's hand-overs and their results: the pure rule."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM
from haicap.dossiers.handovers import (
    FROM_APPLICANT,
    KINDS,
    MOVE,
    RECEIPT,
    RESULT_RETURNED,
    TO_APPLICANT,
    WITHIN_STEP,
    Handing,
    rows,
    step_result,
)
from haicap.dossiers.timeliness import Timeliness


def at(day, hour, minute=0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VIETNAM)


def test_a_step_handed_on_before_its_budget_day_is_early_on_it_on_time_after_it_late():
    due = at(4, 7, 54)  # Wednesday 07:54, the processing step's budget in the scenario below
    assert step_result(at(3, 10), due, VIETNAM) is Timeliness.EARLY  # Tuesday
    assert step_result(at(4, 7, 30), due, VIETNAM) is Timeliness.ON_TIME
    assert step_result(at(4, 7, 54), due, VIETNAM) is Timeliness.ON_TIME  # at the moment itself
    assert step_result(at(4, 7, 55), due, VIETNAM) is Timeliness.LATE


def test_each_officer_hands_the_dossier_to_whoever_acts_next_and_the_desk_hands_the_result_back():
    handings = [
        Handing(at(2, 9), "Cán bộ tiếp nhận", "Tiếp nhận hồ sơ", RECEIPT),
        Handing(at(2, 9, 10), "Cán bộ tiếp nhận", "Số hóa giấy tờ", WITHIN_STEP),
        Handing(at(2, 9, 30), "Cán bộ tiếp nhận", "Chuyển xử lý", step_result="on_time"),
        Handing(at(3, 8), None, "Cảnh báo hồ sơ sắp đến hạn", WITHIN_STEP),
        Handing(at(3, 10), "Chuyên viên", "Trình lãnh đạo", step_result="early"),
        Handing(at(4, 9), None, "Hồ sơ quá hạn giải quyết", WITHIN_STEP),
        Handing(at(5, 8), "Lãnh đạo", "Phê duyệt", step_result="late"),
        Handing(at(6, 8), "Cán bộ tiếp nhận", "Trả kết quả", RESULT_RETURNED, receiver="Lê Nam"),
    ]
    table = [(r.giver, r.taker, r.action, r.result) for r in rows(handings, "Nguyễn Thị Mai")]
    # the worker's notices and work within a step hand the dossier to no one: no rows
    assert table == [
        ("Nguyễn Thị Mai", "Cán bộ tiếp nhận", "Tiếp nhận hồ sơ", None),
        ("Cán bộ tiếp nhận", "Chuyên viên", "Chuyển xử lý", Timeliness.ON_TIME),
        ("Chuyên viên", "Lãnh đạo", "Trình lãnh đạo", Timeliness.EARLY),
        ("Lãnh đạo", "Cán bộ tiếp nhận", "Phê duyệt", Timeliness.LATE),
        ("Cán bộ tiếp nhận", "Lê Nam", "Trả kết quả", None),  # the receiver takes
    ]


def test_the_applicant_takes_the_dossier_to_complete_it_and_an_open_one_is_with_its_body():
    handings = [
        Handing(at(2, 9), "Cán bộ", "Tiếp nhận hồ sơ", RECEIPT),
        Handing(at(2, 10), "Cán bộ", "Chuyển xử lý", holder="Phòng Kinh tế"),
        Handing(at(3, 10), "Chuyên viên", "Yêu cầu bổ sung hồ sơ", TO_APPLICANT),
        Handing(at(9, 10), "Cán bộ", "Đã nhận đủ hồ sơ bổ sung", FROM_APPLICANT),
        Handing(at(9, 11), "Cán bộ", "Chuyển xử lý", holder="Phòng Kinh tế"),
    ]
    table = [(r.giver, r.taker) for r in rows(handings, "Mai")]
    assert table == [
        ("Mai", "Cán bộ"),
        ("Cán bộ", "Chuyên viên"),
        ("Chuyên viên", "Mai"),
        ("Mai", "Cán bộ"),
        ("Cán bộ", "Phòng Kinh tế"),  # nobody has acted on it since: the body holds it
    ]


def test_an_officer_moving_the_dossier_on_to_their_own_next_step_is_marked_as_such():
    handings = [
        Handing(at(2, 9), "Cán bộ", "Tiếp nhận hồ sơ", RECEIPT),
        Handing(at(2, 10), "Cán bộ", "Chuyển xử lý", step_result="on_time"),
        Handing(at(3, 9), "Chuyên viên", "Phân công xử lý"),  # takes it up themselves
        Handing(at(3, 10), "Chuyên viên", "Trình lãnh đạo", step_result="early"),
    ]
    marked = [(r.giver, r.taker, r.own_next_step) for r in rows(handings, "Mai")]
    assert marked == [
        ("Mai", "Cán bộ", False),
        ("Cán bộ", "Chuyên viên", False),
        ("Chuyên viên", "Chuyên viên", True),
        ("Chuyên viên", "—", False),  # no body named: nobody known holds it
    ]


people = st.one_of(st.none(), st.sampled_from(["A", "B", "C"]))
handing = st.builds(
    Handing,
    at=st.just(at(2, 9)),
    actor=people,
    action=st.just("x"),
    kind=st.sampled_from(KINDS),
    step_result=st.sampled_from(["", "early", "on_time", "late"]),
    holder=st.sampled_from(["", "Body"]),
)


@given(st.lists(handing, max_size=12))
def test_every_hand_over_by_a_person_is_a_row_given_by_them_or_the_applicant(handings):
    handovers = [h for h in handings if h.actor is not None and h.kind != WITHIN_STEP]
    table = rows(handings, "applicant")
    assert len(table) == len(handovers)
    for index, (handing_, row) in enumerate(zip(handovers, table, strict=True)):
        assert row.action == handing_.action and row.at == handing_.at
        assert row.result == (Timeliness(handing_.step_result) if handing_.step_result else None)
        if handing_.kind in (RECEIPT, FROM_APPLICANT):
            assert (row.giver, row.taker) == ("applicant", handing_.actor)
        else:
            assert row.giver == handing_.actor
        if handing_.kind == MOVE:
            following = handovers[index + 1] if index + 1 < len(handovers) else None
            if following is not None and following.kind != FROM_APPLICANT:
                assert row.taker == following.actor  # whoever acts next takes it
            else:
                assert row.taker == (handing_.holder or "—")
        assert row.own_next_step == (handing_.kind == MOVE and row.giver == row.taker)
