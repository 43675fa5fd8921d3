"""The span of moments and days the API reads, and how it writes a moment (RFC 3339).

Far enough either side of any real dossier, yet clear of the ends of Python's ``datetime``: a
moment near year 1 or 9999 overflows when it moves between time zones (as the database, the
calendar and the JSON writer make it do). Before 1911 Vietnam's clocks ran on local mean time,
whose offset (+07:06:30 in the time zone database) has seconds RFC 3339 cannot write.
"""

import datetime as dt

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


class OutOfRange(ValueError):
    """A moment or day outside ``EARLIEST``..``LATEST``, or a moment without an offset."""


def check_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` itself if it has an offset and lies in the span, else ``OutOfRange``."""
    if moment.utcoffset() is None:
        raise OutOfRange("a moment needs an offset")
    try:
        utc = moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise OutOfRange("the moment overflows in UTC") from error
    if not EARLIEST <= utc < LATEST:
        raise OutOfRange("the moment is outside the span")
    return moment


def check_day(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfRange("the day is outside the span")
    return day


def writable(moment: dt.datetime) -> dt.datetime:
    """``moment``, or the same instant in UTC when its offset has seconds RFC 3339 cannot write."""
    offset = moment.utcoffset()
    if offset is not None and (offset.seconds % 60 or offset.microseconds):
        return moment.astimezone(dt.UTC)
    return moment
