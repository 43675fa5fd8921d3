"""The span of moments the API reads, and RFC 3339 for every moment it writes."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core import moments

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# RFC 3339's date-time: an offset is Z or ±hh:mm, never with seconds.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
any_zone = st.one_of(offsets, st.just(VIETNAM), st.just(dt.UTC))


@given(st.datetimes(timezones=any_zone))
def test_a_moment_is_in_the_span_or_out_of_range_never_an_overflow(moment):
    try:
        checked = moments.check_moment(moment)
    except moments.OutOfRange:
        assert not moments.EARLIEST <= moment < moments.LATEST
        return
    assert checked is moment
    # what the database and the JSON writer do with it cannot overflow
    assert moments.EARLIEST <= moment.astimezone(dt.UTC) < moments.LATEST
    assert RFC3339.match(moments.writable(moment.astimezone(VIETNAM)).isoformat())


@given(st.datetimes())
def test_a_moment_without_an_offset_is_refused(moment):
    with pytest.raises(moments.OutOfRange):
        moments.check_moment(moment)


@given(st.dates())
def test_a_day_is_checked_against_the_same_span(day):
    inside = moments.FIRST_DAY <= day <= moments.LAST_DAY
    if inside:
        assert moments.check_day(day) is day
    else:
        with pytest.raises(moments.OutOfRange):
            moments.check_day(day)


@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)))
def test_every_vietnam_moment_is_written_in_rfc_3339_as_the_same_instant(naive):
    local = naive.replace(tzinfo=VIETNAM)
    written = moments.writable(local)
    assert RFC3339.match(written.isoformat()), written.isoformat()
    assert written == local


def test_local_mean_time_before_1911_is_written_in_utc():
    moment = dt.datetime(1900, 1, 1, 12, tzinfo=VIETNAM)
    assert moment.utcoffset() % dt.timedelta(minutes=1)  # +07:06:30: seconds in the offset
    assert moments.writable(moment).isoformat() == "1900-01-01T04:53:30+00:00"
    today = dt.datetime(2025, 7, 1, 8, tzinfo=VIETNAM)
    assert moments.writable(today) is today
