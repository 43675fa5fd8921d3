"""The control sheet's hand-overs and their results: the pure rule."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM
from haicap.dossiers.handovers import Handing, rows, step_result
from haicap.dossiers.timeliness import Timeliness


def at(day, hour, minute=0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VIETNAM)


def test_a_step_handed_on_before_its_budget_day_is_early_on_it_on_time_after_it_late():
    due = at(4, 7, 54)  # Wednesday 07:54, the processing step's budget in the scenario below
    assert step_result(at(3, 10), due, VIETNAM) is Timeliness.EARLY  # Tuesday
    assert step_result(at(4, 7, 30), due, VIETNAM) is Timeliness.ON_TIME
    assert step_result(at(4, 7, 54), due, VIETNAM) is Timeliness.ON_TIME  # at the moment itself
    assert step_result(at(4, 7, 55), due, VIETNAM) is Timeliness.LATE


def test_each_actor_hands_the_dossier_to_the_next_and_the_desk_hands_the_result_back():
    handings = [
        Handing(at(2, 9), "Cán bộ tiếp nhận", "Tiếp nhận hồ sơ"),
        Handing(at(2, 9, 30), "Chuyên viên", "Chuyển xử lý", step_result="on_time"),
        Handing(at(3, 8), None, "Cảnh báo hồ sơ sắp đến hạn"),
        Handing(at(3, 10), "Lãnh đạo", "Trình ký", step_result="early"),
        Handing(at(5, 8), "Lãnh đạo", "Phê duyệt", step_result="late"),
        Handing(
            at(6, 8), "Cán bộ tiếp nhận", "Trả kết quả", returns_result=True, receiver="Lê Nam"
        ),
    ]
    table = [(r.giver, r.taker, r.result) for r in rows(handings, "Nguyễn Thị Mai", "Hệ thống")]
    assert table == [
        ("Nguyễn Thị Mai", "Cán bộ tiếp nhận", None),
        ("Cán bộ tiếp nhận", "Chuyên viên", Timeliness.ON_TIME),
        ("Chuyên viên", "Hệ thống", None),  # a warning hands the dossier to no one
        ("Chuyên viên", "Lãnh đạo", Timeliness.EARLY),
        ("Lãnh đạo", "Lãnh đạo", Timeliness.LATE),
        ("Cán bộ tiếp nhận", "Lê Nam", None),  # the desk officer gives; the receiver takes
    ]


people = st.one_of(st.none(), st.sampled_from(["A", "B", "C"]))
handing = st.builds(
    Handing,
    at=st.just(at(2, 9)),
    taker=people,
    action=st.just("x"),
    step_result=st.sampled_from(["", "early", "on_time", "late"]),
)


@given(st.lists(handing, max_size=12))
def test_every_hand_over_is_given_by_whoever_last_took_the_dossier(handings):
    table = rows(handings, "applicant", "system")
    assert len(table) == len(handings)
    holder = "applicant"
    for handing_, row in zip(handings, table, strict=True):
        assert row.giver == holder
        assert row.taker == (handing_.taker or "system")
        assert row.result == (Timeliness(handing_.step_result) if handing_.step_result else None)
        holder = handing_.taker or holder
