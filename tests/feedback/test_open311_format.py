"""Open311's records, W3C datetimes and attribute fields, without Django."""

import datetime as dt

import pytest

from haicap.calendar.workdays import VIETNAM
from haicap.feedback import open311_format as fmt


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2010-01-01T00:00:00Z", dt.datetime(2010, 1, 1, tzinfo=dt.UTC)),
        ("1994-11-05T08:15:30-05:00", dt.datetime(1994, 11, 5, 13, 15, 30, tzinfo=dt.UTC)),
        ("2026-03-02T09:00+07:00", dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)),
        ("2026-03-02T09:00:00.5 07:00", dt.datetime(2026, 3, 2, 2, 0, 0, 500000, tzinfo=dt.UTC)),
        ("2026-03-02", dt.datetime(2026, 3, 2, tzinfo=VIETNAM)),
        ("2026-03", dt.datetime(2026, 3, 1, tzinfo=VIETNAM)),
        ("2026", dt.datetime(2026, 1, 1, tzinfo=VIETNAM)),
    ],
)
def test_a_w3c_datetime_is_read(text, moment):
    assert fmt.parse_w3c(text) == moment


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "2026-03-02T09:00:00", "2026-03-02 09:00:00Z", "2026-W10", "2026-02-30"],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        fmt.parse_w3c(text)


def test_a_moment_is_written_in_vietnams_offset_to_the_second():
    assert fmt.w3c(dt.datetime(2026, 3, 2, 2, 0, 0, 123, tzinfo=dt.UTC)) == (
        "2026-03-02T09:00:00+07:00"
    )
    assert fmt.w3c(None) is None


def test_the_lifecycle_maps_to_open_and_closed():
    assert [fmt.status_of(s) for s in ("received", "assigned", "in_progress")] == ["open"] * 3
    assert [fmt.status_of(s) for s in ("answered", "closed")] == ["closed"] * 2
    assert fmt.states_of("closed") == {"answered", "closed"}
    assert fmt.states_of("open") == {"received", "assigned", "in_progress"}
    assert fmt.states_of("pending") is None


def test_attribute_fields_are_read_by_code():
    fields = [
        ("attribute[commune]", ["17662"]),
        ("attribute[kinds][]", ["a", "b"]),
        ("attribute[]", ["x"]),
        ("attributes[village]", ["y"]),
        ("description", ["z"]),
    ]
    assert fmt.attributes(fields) == {"commune": ["17662"], "kinds": ["a", "b"]}


def test_xml_follows_the_spark_convention():
    data = fmt.definition(
        "dat-dai",
        [
            fmt.Attribute(
                "publish", fmt.SINGLE_VALUE_LIST, False, "Publish?", values=(("yes", "Có"),)
            )
        ],
    )
    written = fmt.to_xml("service_definition", data).decode()
    assert written == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<service_definition><service_code>dat-dai</service_code><attributes><attribute>"
        "<variable>true</variable><code>publish</code><datatype>singlevaluelist</datatype>"
        "<required>false</required><datatype_description /><order>1</order>"
        "<description>Publish?</description><values><value><key>yes</key><name>Có</name>"
        "</value></values></attribute></attributes></service_definition>"
    )
    errors = fmt.to_xml("errors", fmt.errors(400, "a < b & c")).decode()
    assert "<errors><error><code>400</code><description>a &lt; b &amp; c</description>" in errors
