"""The sweep at scale: a dossier looked at with nothing to do is not looked at again before
something could be due for it, unless its due moment moved; a sweep with nothing to do costs
the same whatever the number of open dossiers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given, settings
from hypothesis import strategies as st

from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.core import clock
from haicap.dossiers import deadlines
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.models import ApologyDraft, Dossier
from haicap.dossiers.outlook import (
    DRAFT_APOLOGY_WITHIN,
    WARN_WITHIN,
    outlook,
    since_left,
)
from tests.dossiers.test_scenarios import act, at, receive

CALENDAR = WorkCalendar.national()
MICRO = dt.timedelta(microseconds=1)


@pytest.fixture
def locked(monkeypatch) -> list[int]:
    """The dossiers the sweep locks, in order."""
    seen: list[int] = []
    lock = deadlines._lock

    def spy(pk: int):
        seen.append(pk)
        return lock(pk)

    monkeypatch.setattr(deadlines, "_lock", spy)
    return seen


def copies(dossier: Dossier, count: int) -> None:
    """More open dossiers like ``dossier`` (only the sweep reads them)."""
    Dossier.objects.bulk_create(
        Dossier(**{**row, "id": None, "code": f"{dossier.code}-{n}", "log_number": None})
        for n, row in enumerate([Dossier.objects.filter(pk=dossier.pk).values()[0]] * count)
    )


# --- the pure part -------------------------------------------------------------------------

due_moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 5), max_value=dt.datetime(2027, 12, 20)
).map(lambda moment: moment.replace(tzinfo=VIETNAM))


@settings(max_examples=200, deadline=None)
@given(due_moments, st.sampled_from([WARN_WITHIN, DRAFT_APOLOGY_WITHIN, Decimal("0.5")]))
def test_since_left_is_the_first_moment_with_that_little_time_left(due_at, days):
    moment = since_left(CALENDAR, due_at, days)
    assert CALENDAR.elapsed(moment, due_at) <= days
    assert CALENDAR.elapsed(moment - MICRO, due_at) > days


@settings(max_examples=150, deadline=None)
@given(
    due_moments,
    st.integers(0, 14 * 24 * 60),
    st.booleans(),
    st.booleans(),
    st.lists(st.floats(0, 1), min_size=1, max_size=5),
)
@example(  # the sweep at the due moment itself, warned, nothing left to draft
    dt.datetime(2026, 1, 5, tzinfo=VIETNAM), 0, True, False, [0.5]
)
def test_nothing_falls_due_before_the_moment_to_look_again(
    due_at, minutes_before, warned, may_draft, fractions
):
    now = due_at - dt.timedelta(minutes=minutes_before)
    seen = outlook(CALENDAR, now, due_at, warned=warned, may_draft=may_draft)
    if seen.warn or seen.draft:
        return
    assert seen.look_again_at is not None and now <= seen.look_again_at <= due_at
    # only at the due moment itself is the moment to look again now (then it becomes overdue)
    assert now < seen.look_again_at or seen.look_again_at == due_at
    # a sweep at any moment before then has nothing to do either ...
    for fraction in fractions:
        between = now + (seen.look_again_at - now) * fraction
        if between < seen.look_again_at:
            later = outlook(CALENDAR, between, due_at, warned=warned, may_draft=may_draft)
            assert not (later.warn or later.draft)
    # ... and at that moment, something is due or the due moment has come
    then = outlook(CALENDAR, seen.look_again_at, due_at, warned=warned, may_draft=may_draft)
    assert then.warn or then.draft or seen.look_again_at == due_at


@pytest.mark.parametrize(
    ("now", "warned", "may_draft", "expected"),
    [
        # due Monday 23/3 09:00 (2026); the draft window opens Thursday 19/3 09:00, the
        # warning Friday 20/3 09:00, the draft window closes Friday 20/3 at the close
        (at(3, 10, 9), False, True, (False, False, at(3, 19, 9))),
        (at(3, 19, 9), False, True, (False, True, at(3, 20, 9))),
        (at(3, 19, 9), False, False, (False, False, at(3, 20, 9))),
        (at(3, 20, 9), True, True, (False, True, at(3, 23, 9))),
        (at(3, 20, 17, 31), False, True, (True, False, at(3, 23, 9))),
        (at(3, 23, 9, 1), False, True, (False, False, None)),
    ],
)
def test_what_is_due_and_when_to_look_again(now, warned, may_draft, expected):
    seen = outlook(CALENDAR, now, at(3, 23, 9), warned=warned, may_draft=may_draft)
    assert (seen.warn, seen.draft, seen.look_again_at) == expected


# --- the sweep -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dossier_with_nothing_to_do_is_not_locked_again_until_its_moment(user, locked):
    received = receive(user, at(3, 2, 9), "X.XD.001")  # 15 working days: due 23/3 09:00
    pk = received.dossier.pk
    sweep(at(3, 2, 10))
    sweep(at(3, 12, 9))  # within the look-ahead: worked out, not locked
    dossier = Dossier.objects.get(pk=pk)
    assert (dossier.look_again_at, dossier.looked_for_due_at) == (at(3, 19, 9), at(3, 23, 9))
    report = sweep(at(3, 19, 8, 59))
    assert (report.apologies_drafted, locked) == (0, [])
    assert sweep(at(3, 19, 9)).apologies_drafted == 1
    assert locked == [pk]
    assert sweep(at(3, 20, 8, 59)).warned == 0
    assert sweep(at(3, 20, 9)).warned == 1
    assert locked == [pk, pk]
    assert (sweep(at(3, 20, 10)).warned, locked) == (0, [pk, pk])
    assert sweep(at(3, 23, 9, 1)).marked_overdue == 1
    assert ApologyDraft.objects.filter(dossier_id=pk).count() == 1


@pytest.mark.django_db
def test_a_moved_due_moment_is_looked_at_again(user, locked):
    received = receive(user, at(3, 2, 9), "X.XD.001")  # due 23/3 09:00
    code, pk = received.dossier.code, received.dossier.pk
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), code, "forward")
    sweep(at(3, 2, 10))
    assert Dossier.objects.get(pk=pk).look_again_at == at(3, 9, 9)  # 14 days before it
    # paused, then the complete dossier restarts the clock: 15 working days from 5/3
    act(user, "chuyenvien.doluong", at(3, 4, 9), code, "request_supplement", note="Thiếu giấy")
    act(user, "tiepnhan.doluong", at(3, 5, 9), code, "supplement_received")
    moved = Dossier.objects.get(pk=pk)
    assert (moved.due_at, moved.looked_for_due_at) == (at(3, 26, 9), at(3, 23, 9))
    sweep(at(3, 9, 9))  # the old moment to look again: the new due moment is still far
    again = Dossier.objects.get(pk=pk)
    assert (again.look_again_at, again.looked_for_due_at) == (at(3, 12, 9), at(3, 26, 9))
    assert sweep(at(3, 20, 9)).apologies_drafted == 0  # 23/3 no longer counts
    assert sweep(at(3, 24, 9)).apologies_drafted == 1  # 26/3 does
    assert locked == [pk]
    # a due moment moved by hand (an extension) is looked at afresh, and acted on at once
    Dossier.objects.filter(pk=pk).update(due_at=at(3, 25, 9), warned_at=None)
    assert sweep(at(3, 24, 10)).warned == 1
    assert locked == [pk, pk]


@pytest.mark.django_db
def test_a_new_appointment_leaves_nothing_to_draft(user, locked):
    received = receive(user, at(3, 2, 9), "X.XD.001")
    code, pk = received.dossier.code, received.dossier.pk
    act(user, "tiepnhan.doluong", at(3, 2, 9, 5), code, "forward")
    sweep(at(3, 12, 9))
    act(
        user,
        "lanhdao.doluong",
        at(3, 12, 10),
        code,
        "new_appointment",
        note="Cần xác minh",
        new_due_at=at(3, 30, 9),
    )
    assert sweep(at(3, 19, 9)).apologies_drafted == 0
    assert not ApologyDraft.objects.filter(dossier_id=pk).exists()
    assert locked == []  # looked at (the draft's moment came), nothing to lock for
    assert Dossier.objects.get(pk=pk).look_again_at == at(3, 20, 9)  # the warning's


@pytest.mark.django_db
def test_a_sweep_with_nothing_to_do_costs_the_same_for_5_and_50_open_dossiers(user, locked):
    counts = []
    for extra in (4, 45):
        first = receive(user, at(3, 2, 9), "X.XD.001")
        copies(first.dossier, extra)
        far = receive(user, at(3, 12, 9), "X.XD.001")  # due 2/4: beyond the look-ahead
        copies(far.dossier, extra)
        sweep(at(3, 12, 10))
        with CaptureQueriesContext(connection) as queries:
            report = sweep(at(3, 12, 10, 1))
        counts.append(len(queries))
        assert report == deadlines.SweepReport()
        assert locked == []
        assert not [q for q in queries if "FOR UPDATE" in q["sql"]]
        Dossier.objects.filter(code__startswith=first.dossier.code[:4]).update(
            finished_at=at(3, 2, 10)
        )
    assert counts[0] == counts[1]
    assert Dossier.objects.filter(finished_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_sweep_still_works_out_a_dossier_it_never_saw_under_any_clock(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")  # due Thursday 5/3 09:00
    with clock.fixed_at(at(3, 4, 9, 30)):
        assert sweep().warned == 1
    assert Dossier.objects.get(pk=received.dossier.pk).look_again_at == at(3, 5, 9)


@pytest.mark.django_db
def test_a_calendar_change_makes_every_running_dossier_looked_at_afresh(user, locked):
    from haicap.calendar import services as calendar_services

    received = receive(user, at(3, 2, 9), "X.XD.001")  # 15 working days: due 23/3 09:00
    pk = received.dossier.pk
    sweep(at(3, 12, 9))
    assert Dossier.objects.get(pk=pk).look_again_at == at(3, 19, 9)
    # Friday 20/3 declared a day off: the last two working days before Monday 23/3 09:00 now
    # begin on Wednesday 18/3, earlier than the moment kept, which the sweep must not wait for
    calendar_services.declare_calendar_change(
        user("admin"), dt.date(2026, 3, 20), "day_off", "QĐ 12/UBND"
    )
    assert Dossier.objects.get(pk=pk).looked_for_due_at is None
    assert sweep(at(3, 18, 15)).apologies_drafted == 1
    assert locked == [pk]
