"""The demo province's history: plausible, consistent with its events and figures, loaded once."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Q
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.accounts.models import User
from haicap.assets.demo import load_demo_assets
from haicap.budget.demo import load_demo_capital
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.context import acting_as
from haicap.core.models import AuditRecord
from haicap.desk.selectors import home_queues
from haicap.dossiers import services
from haicap.dossiers.demo_history import NO_PIN, Desk, daily_counts
from haicap.dossiers.demo_queues import DO_LUONG_DESK
from haicap.dossiers.models import (
    DailySequence,
    Dossier,
    DossierAccess,
    DossierEvent,
    OnlineSubmission,
)
from haicap.feedback.demo import load_demo_feedback
from haicap.operations.demo import load_demo_history
from haicap.reports.demo import load_demo_reports
from haicap.staffing.demo import load_demo_plan, load_demo_staff
from haicap.units.models import Agency
from tests.dossiers.test_scenarios import CITIZEN
from tests.kpi.test_figures import stored

SIZE = 1500
DEMO_OFFICERS = (
    "tiepnhan.doluong",
    "chuyenvien.doluong",
    "lanhdao.doluong",
    "tiepnhan.vanhien",
    "tiepnhan.tinh",
    "chuyenvien.sotuphap",
)


@pytest.fixture
def history(db):
    loaded = load_demo_history(SIZE)
    assert loaded is not None
    return loaded


def test_the_history_has_the_mix_of_a_real_province(history):
    dossiers = Dossier.objects.all()
    total = dossiers.count()
    assert SIZE <= total <= SIZE + 200  # rounding by desk and day, and the waiting dossiers
    channels = Counter(dossiers.values_list("channel", flat=True))
    assert 0.3 < channels["online"] / total < 0.7
    assert 0.3 < channels["desk"] / total < 0.7
    steps = Counter(dossiers.values_list("step", flat=True))
    assert steps["returned"] > 0.8 * total
    for step in ("refused", "withdrawn", "result_ready", "processing", "approval", "received"):
        assert steps[step] > 0, step
    assert dossiers.filter(timeliness="late").count() > 0.01 * total
    # some are running past their due moment (marked by the history where it ran past it, or
    # left for the worker's first sweep in the queues it fills)
    assert dossiers.filter(finished_at=None, paused_at=None, due_at__lt=clock.now()).exists()
    made = DossierEvent.objects.filter(dossier__pin_hash=NO_PIN)  # the history's, not the desks'
    actions = Counter(made.values_list("action", flat=True))
    for action in ("request_supplement", "supplement_received", "request_payment", "transfer"):
        assert actions[action] > 3, action
    transferred = DossierAccess.objects.values("dossier").annotate(n=Count("pk")).filter(n=3)
    assert transferred.count() == actions["transfer"] + 1  # and one sent on at Đô Lương's desk
    # Every desk of the 130 communes and wards and the provincial centre received some.
    desks = Agency.objects.filter(kind__in=["commune_service_center", "provincial_service_center"])
    assert set(dossiers.values_list("receiving_agency", flat=True)) == set(
        desks.filter(unit__valid_to=None).values_list("pk", flat=True)
    )
    yesterday = clock.now().astimezone(VIETNAM).date() - dt.timedelta(days=1)
    first = dossiers.order_by("received_at").first().received_at.astimezone(VIETNAM).date()
    assert (yesterday - first).days >= 300


def test_communes_file_online_in_different_shares(history):
    """The desks' online shares spread well beyond what chance alone gives (a binomial spread
    around the province's share, about twice it given the mix of procedures): a propensity of
    their own, so the communes' online rankings differ."""
    shares = []
    for desk, channel in Dossier.objects.filter(pin_hash=NO_PIN).values_list(
        "receiving_agency", "channel"
    ):
        shares.append((desk, channel == "online"))
    by_desk: dict[int, list[bool]] = {}
    for desk, online in shares:
        by_desk.setdefault(desk, []).append(online)
    sizable = [(sum(v) / len(v), len(v)) for v in by_desk.values() if len(v) >= 15]
    mean = sum(share * n for share, n in sizable) / sum(n for _share, n in sizable)
    seen = sum((share - mean) ** 2 for share, _n in sizable) / len(sizable)
    by_chance = sum(mean * (1 - mean) / n for _share, n in sizable) / len(sizable)
    assert seen > 2.8 * by_chance


def test_every_dossier_is_what_its_events_replay_to(history):
    call_command("rebuild_dossiers")  # raises CommandError when one differs


def test_the_figures_are_those_a_rebuild_gives(history):
    loaded = stored()
    assert loaded  # the dashboards have something to read
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == loaded


def test_codes_are_unique_and_a_later_intake_continues_the_numbering(history, user):
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    # the dossiers the demo officers received are in each desk's log book in order of receipt
    numbered = Dossier.objects.filter(log_number__isnull=False).order_by("received_at", "pk")
    books: dict[tuple[int, int], list[int]] = {}
    for desk_id, year, number in numbered.values_list(
        "receiving_agency_id", "log_year", "log_number"
    ):
        books.setdefault((desk_id, year), []).append(number)
    assert len(books) >= 3  # Đô Lương's, Văn Hiến's and the provincial centre's
    for numbers in books.values():
        assert numbers == list(range(1, len(numbers) + 1))
    for sequence in DailySequence.objects.all():
        numbers = [
            int(code.rsplit("-", 1)[1])
            for code in Dossier.objects.filter(
                receiving_agency=sequence.agency, code__contains=f"-{sequence.day:%y%m%d}-"
            ).values_list("code", flat=True)
        ]
        assert sorted(numbers) == list(range(1, sequence.last + 1))
    desk = Agency.objects.get(code=DO_LUONG_DESK)
    busiest = DailySequence.objects.filter(agency=desk).aggregate(Max("last"))["last__max"]
    day = DailySequence.objects.filter(agency=desk, last=busiest).first().day
    with clock.fixed_at(dt.datetime.combine(day, dt.time(16, 0), VIETNAM)):
        later = services.receive(
            user("tiepnhan.doluong"),
            procedure=Procedure.objects.get(national_code="X.HT.007"),
            receiving_agency=desk,
            applicant=CITIZEN,
        ).dossier
    assert later.code == f"{DO_LUONG_DESK}-{day:%y%m%d}-{busiest + 1:04d}"


def test_loading_again_changes_nothing(history):
    # The staff and their plan, which the command loads after a history, loaded first here so
    # that what the command does below is its own.
    with acting_as("test"):
        load_demo_staff()
        load_demo_plan()
        load_demo_assets()
        load_demo_capital()
        load_demo_feedback()
        load_demo_reports()
    counted = (Dossier, DossierEvent, DailySequence, OnlineSubmission, AuditRecord)
    before = [model.objects.count() for model in counted]
    figures = stored()
    assert load_demo_history(SIZE) is None
    call_command("load_demo_province", "--quiet-accounts", "--history", str(SIZE))
    # the command sends the first round of directive and petition warnings and report reminders
    # (the history loaded above did not), and makes nothing else
    assert [model.objects.count() for model in counted[:-1]] == before[:-1]
    worker_rounds = AuditRecord.objects.filter(
        Q(action__startswith="directive.warned_")
        | Q(action__in=["petition.warned", "petition.escalated", "petition.closed"])
        | Q(action="report.reminded")
    )
    assert AuditRecord.objects.count() - worker_rounds.count() == before[-1]
    assert stored() == figures
    after = [model.objects.count() for model in counted]
    call_command("load_demo_province", "--quiet-accounts", "--history", str(SIZE))
    assert [model.objects.count() for model in counted] == after


def test_work_waits_in_every_demo_officers_queues(history):
    now = clock.now()
    for username in DEMO_OFFICERS:
        counts, _rows, pending = home_queues(User.objects.get(username=username), now)
        assert sum(counts.values()) + pending > 0, username
    counts = {
        username: home_queues(User.objects.get(username=username), now)[0]
        for username in ("chuyenvien.doluong", "lanhdao.doluong", "chuyenvien.sotuphap")
    }
    mine = counts["chuyenvien.doluong"]
    assert mine["assigned"] > 0 and mine["approaching"] > 0 and mine["overdue"] > 0
    assert counts["lanhdao.doluong"]["approval"] > 0
    assert counts["chuyenvien.sotuphap"]["unassigned"] > 0
    for username in ("tiepnhan.doluong", "tiepnhan.vanhien", "tiepnhan.tinh"):
        assert home_queues(User.objects.get(username=username), now)[2] > 0, username


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.01, 5), min_size=1, max_size=12),
    st.integers(0, 5000),
    st.dates(dt.date(2025, 7, 1), dt.date(2027, 6, 1)),
    st.integers(1, 400),
)
def test_the_day_counts_share_the_size_among_the_desks(weights, size, first, length):
    desks = [Desk(agency=None, weight=w, online=1.0, intake=None) for w in weights]
    days = [first + dt.timedelta(n) for n in range(length)]
    counts = daily_counts(desks, days, size, seed=1)
    assert all(n >= 0 for row in counts for n in row)
    assert abs(sum(map(sum, counts)) - size) <= len(desks)  # each desk rounds once
    for row, desk in zip(counts, desks, strict=True):
        assert abs(sum(row) - size * desk.weight / sum(weights)) <= 1
    calendar = WorkCalendar.national()
    working = [d for d in days if calendar.is_working_day(d)]
    if working and size >= 100 * len(days):  # enough for the noise to average out
        total = [sum(row[i] for row in counts) for i in range(len(days))]
        at_work = sum(n for n, d in zip(total, days, strict=True) if d in working)
        assert at_work > 0.8 * sum(total)


@pytest.mark.django_db
def test_a_negative_history_size_is_refused_before_anything_is_loaded():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("load_demo_province", "--quiet-accounts", "--history", "-5")
    assert not Dossier.objects.exists()
