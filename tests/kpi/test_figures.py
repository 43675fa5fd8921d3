"""The figures kept with each dossier change equal the figures rebuilt from the dossiers."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.core import clock
from haicap.core.errors import DomainError
from haicap.dossiers import services
from haicap.kpi import figures
from haicap.kpi.figures import COUNTERS, WORKED, Facts
from haicap.kpi.models import DailyFigures, MonthlyFigures
from tests.dossiers.test_history import STAFF, steps, take_step
from tests.dossiers.test_scenarios import at, receive

days = st.dates(min_value=dt.date(2025, 7, 1), max_value=dt.date(2027, 12, 31))
facts = st.builds(
    Facts,
    agency_id=st.integers(1, 3),
    procedure_id=st.integers(1, 3),
    channel=st.sampled_from(["desk", "online", "post"]),
    received_on=days,
    due_on=days,
    finished_on=st.none() | days,
    outcome=st.sampled_from(["", "returned", "refused", "withdrawn"]),
    timeliness=st.sampled_from(["", "early", "on_time", "late"]),
    worked_days=st.none() | st.decimals(0, 40, places=3),
    paused=st.booleans(),
)


def plus(figures_: dict, changes: dict) -> dict:
    out = {key: Counter(counts) for key, counts in figures_.items()}
    for key, counts in changes.items():
        out.setdefault(key, Counter()).update(counts)
    return {key: +counts for key, counts in out.items() if +counts}


@given(st.none() | facts, st.none() | facts)
def test_the_difference_takes_the_old_contribution_to_the_new(before, after):
    moved = plus(figures.contribution(before), figures.difference(before, after))
    assert moved == {k: +c for k, c in figures.contribution(after).items() if +c}


@given(facts)
def test_every_count_lands_on_a_day_and_on_its_month(dossier):
    added = figures.contribution(dossier)
    for granularity in ("day", "month"):
        summed = Counter()
        for key, counts in added.items():
            if key.granularity == granularity:
                summed.update(counts)
        assert summed["received"] == 1
    assert all(k.period.day == 1 for k in added if k.granularity == "month")


def stored() -> dict:
    """The figures as they stand, zero rows left out (a rebuild writes none)."""
    out = {}
    for model, granularity in ((DailyFigures, "day"), (MonthlyFigures, "month")):
        for row in model.objects.all():
            counts = {c: getattr(row, c) for c in (*COUNTERS, WORKED) if getattr(row, c)}
            if counts:
                key = (granularity, row.period, row.agency_id, row.procedure_id, row.channel)
                out[key] = {c: Decimal(v) for c, v in counts.items()}
    return out


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(steps, min_size=1, max_size=3), st.integers(0, 40))
def test_the_figures_kept_along_equal_the_figures_rebuilt(user, walks, start_offset):
    moment = at(3, 2, 9) + dt.timedelta(days=start_offset)
    codes = [receive(user, moment, code).dossier.code for code in ("X.HT.007", "X.HT.001")]
    for n, walk in enumerate(walks):
        code = codes[n % len(codes)]
        for who, pick, minutes, _sweeps in walk:
            moment += dt.timedelta(minutes=minutes)
            with clock.fixed_at(moment):
                take_step(code, STAFF[who], pick)
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept


@pytest.mark.django_db
def test_a_refused_change_leaves_the_figures_as_they_were(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    before = stored()
    with clock.fixed_at(at(3, 2, 10)), pytest.raises(DomainError):
        services.act(user("tiepnhan.doluong"), received.dossier.code, "withdraw", note="")
    assert stored() == before
