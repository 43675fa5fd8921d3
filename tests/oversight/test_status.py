"""A directive's status, its sub-tasks' roll-up, links to haicap's pages, targets met (pure)."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.measures import Comparison, Measure, MeasureRegistry, Unit, met
from haicap.core.task_status import DONE, Outcome, Status, rolled_up, status_of
from haicap.oversight.links import MAX_LENGTH, NotALink, dossier_list_link, relative_link

days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31))
outcomes = st.sampled_from(list(Outcome))


@given(deadline=days, today=days)
def test_an_open_directive_is_in_progress_up_to_its_deadline_and_overdue_after(deadline, today):
    status = status_of(deadline, None, None, today)
    assert status == (Status.IN_PROGRESS if today <= deadline else Status.OVERDUE)


def test_overdue_from_the_day_after_the_deadline():
    deadline = dt.date(2026, 6, 30)
    assert status_of(deadline, None, None, deadline) == Status.IN_PROGRESS
    assert status_of(deadline, None, None, deadline + dt.timedelta(days=1)) == Status.OVERDUE


@given(deadline=days, closed=days, today=days)
def test_an_achieved_directive_is_done_on_time_or_late_whatever_the_day(deadline, closed, today):
    status = status_of(deadline, closed, Outcome.ACHIEVED, today)
    assert status == (Status.DONE_ON_TIME if closed <= deadline else Status.DONE_LATE)


@given(deadline=days, closed=days, today=days)
def test_a_directive_closed_not_achieved_stays_so(deadline, closed, today):
    assert status_of(deadline, closed, Outcome.NOT_ACHIEVED, today) == Status.NOT_ACHIEVED


@given(deadline=days, closed=st.none() | days, outcome=outcomes, today=days)
def test_a_closed_directive_never_counts_as_in_progress(deadline, closed, outcome, today):
    status = status_of(deadline, closed, outcome if closed else None, today)
    assert (status in {Status.IN_PROGRESS, Status.OVERDUE}) == (closed is None)


@given(st.lists(st.sampled_from(list(Status))))
def test_the_roll_up_is_the_share_of_sub_tasks_done(statuses):
    progress = rolled_up(statuses)
    assert progress.total == len(statuses)
    assert progress.done == sum(s in DONE for s in statuses)
    if not statuses:
        assert progress.percent is None
        return
    assert Decimal(0) <= progress.percent <= Decimal(100)
    assert (progress.percent == 100) == all(s in DONE for s in statuses)
    more = rolled_up([*statuses, Status.DONE_LATE])
    assert more.percent >= progress.percent  # finishing a sub-task never sets it back


def test_a_sub_task_closed_not_achieved_is_not_done():
    assert rolled_up([Status.NOT_ACHIEVED, Status.DONE_ON_TIME]).percent == 50


@pytest.mark.parametrize(
    "link",
    [
        "/desk/ho-so/?unit=17662&overdue=1",
        "/desk/ho-so/",
        "/api/v1/oversight/directives/3#updates",
    ],
)
def test_links_within_haicap_are_kept(link):
    assert relative_link(f"  {link} ") == link


@pytest.mark.parametrize(
    "link",
    [
        "",
        "https://example.org/desk/",
        "//example.org/desk/",
        "javascript:alert(1)",
        "desk/ho-so/",
        "/\\example.org",
        "/desk/ho so/",
        "/desk/\x00",
        "/" + "a" * 600,
    ],
)
def test_anything_else_is_refused(link):
    with pytest.raises(NotALink):
        relative_link(link)


@given(st.text(max_size=80))
def test_what_is_accepted_is_a_path_on_this_site(text):
    try:
        link = relative_link(text)
    except NotALink:
        return
    assert link.startswith("/") and not link.startswith("//")
    assert urlsplit(link).scheme == "" and urlsplit(link).netloc == ""


values = st.decimals(min_value=-1000, max_value=1000, places=2)


@given(value=values, threshold=values)
def test_met_compares_as_the_target_says(value, threshold):
    assert met(value, Comparison.AT_LEAST, threshold) == (value >= threshold)
    assert met(value, Comparison.AT_MOST, threshold) == (value <= threshold)
    assert met(value, Comparison.EQUAL, threshold) == (value == threshold)


@given(threshold=values, comparison=st.sampled_from(list(Comparison)))
def test_nothing_to_measure_meets_no_target(threshold, comparison):
    assert not met(None, comparison, threshold)


def test_a_key_keeps_its_measure():
    registry = MeasureRegistry()
    first = Measure("x.rate", "Rate", Unit.PERCENT, True, lambda *args: Decimal(1))
    registry.register(first)
    registry.register(first)  # again: no change
    assert registry.all() == (first,)
    other = Measure("x.rate", "Another", Unit.COUNT, False, lambda *args: None)
    with pytest.raises(ValueError, match=r"x\.rate"):
        registry.register(other)
    registry.forget(first)
    assert registry.get("x.rate") is None


def test_a_dossier_list_link_carries_the_inspections_period():
    link = dossier_list_link(
        {"unit": "17662", "channel": "online"}, (dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    )
    assert link == (
        "/desk/ho-so/?unit=17662&channel=online&received_from=2026-01-01&received_to=2026-03-10"
    )
    assert dossier_list_link({"unit": "17662"}) == "/desk/ho-so/?unit=17662"


@given(
    filters=st.dictionaries(
        st.sampled_from(["unit", "channel", "field", "overdue"]), st.text(max_size=20)
    ),
    start=st.dates(),
    days=st.integers(min_value=0, max_value=400),
)
def test_a_dossier_list_link_is_a_link_within_haicap_that_reads_back(filters, start, days):
    end = start + dt.timedelta(days=min(days, (dt.date.max - start).days))
    period = {"received_from": start.isoformat(), "received_to": end.isoformat()}
    encoded = f"/desk/ho-so/?{urlencode(filters | period)}"
    if len(encoded) > MAX_LENGTH:
        with pytest.raises(NotALink, match="too_long"):
            dossier_list_link(filters, (start, end))
        return
    link = dossier_list_link(filters, (start, end))
    assert relative_link(link) == link and urlsplit(link).path == "/desk/ho-so/"
    query = parse_qs(urlsplit(link).query, keep_blank_values=True)
    assert query.pop("received_from") == [start.isoformat()]
    assert query.pop("received_to") == [end.isoformat()]
    assert query == {key: [value] for key, value in filters.items()}
