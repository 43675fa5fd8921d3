"""The pure core of inbound filings: signatures, the replay window, reading a message."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.exchange.inbound import parsing as inbound

SECRET = b"shared-secret"
NOW = dt.datetime(2025, 9, 10, 3, 0, tzinfo=dt.UTC)
TS = str(int(NOW.timestamp()))
TODAY = dt.date(2025, 9, 10)

GOOD = {
    "national_id": "G22.99-250910-000001",
    "procedure_code": "X.HT.007",
    "agency_code": "17662.05.H40",
    "unit_code": "17662",
    "applicant": {"name": "Lê Thị Hương", "id_number": "040195012345", "phone": "0912345678"},
    "submitted_at": "2025-09-10T09:30:00+07:00",
    "documents": [{"name": "Tờ khai", "url": "https://dichvucong.gov.vn/f/1.pdf"}],
}


def check(signature: str | None, timestamp: str | None, body: bytes = b"{}") -> None:
    inbound.check_signature(SECRET, signature, timestamp, body, NOW)


def test_a_delivery_signed_with_the_secret_within_the_window_passes():
    check(inbound.signature(SECRET, TS, b"{}"), TS)
    late = str(int(NOW.timestamp()) - 300)
    check(inbound.signature(SECRET, late, b"{}"), late)
    early = str(int(NOW.timestamp()) + 300)
    check(inbound.signature(SECRET, early, b"{}"), early)


@pytest.mark.parametrize(
    ("signature", "timestamp", "why"),
    [
        (None, TS, "required"),
        ("sha256=00", None, "required"),
        ("", TS, "required"),
        (inbound.signature(SECRET, TS, b"{}")[7:], TS, "sha256="),
        (inbound.signature(b"other", TS, b"{}"), TS, "does not match"),
        (inbound.signature(SECRET, TS, b"{}"), str(int(TS) + 1), "does not match"),
        ("sha256=ÿ", TS, "does not match"),
        ("sha256=00", "yesterday", "Unix seconds"),
        ("sha256=00", "-5", "Unix seconds"),
        ("sha256=00", "9" * 40, "Unix seconds"),
    ],
)
def test_deliveries_that_cannot_be_shown_to_come_from_the_portal_are_rejected(
    signature, timestamp, why
):
    with pytest.raises(inbound.SignatureRejected, match=why):
        check(signature, timestamp)


def test_an_old_or_future_timestamp_is_outside_the_window_even_if_signed():
    for offset in (-301, 301, -86400):
        moment = str(int(NOW.timestamp()) + offset)
        with pytest.raises(inbound.SignatureRejected, match="window"):
            check(inbound.signature(SECRET, moment, b"{}"), moment)


@given(st.binary(max_size=300), st.binary(min_size=1, max_size=8))
def test_any_change_to_a_signed_body_breaks_the_signature(body, extra):
    signed = inbound.signature(SECRET, TS, body)
    check(signed, TS, body)
    with pytest.raises(inbound.SignatureRejected):
        check(signed, TS, body + extra)


def test_a_good_message_reads_into_a_filing():
    reading = inbound.read_filing(GOOD, TODAY)
    assert reading.problems == {}
    filing = reading.filing
    assert filing is not None
    assert (filing.national_id, filing.procedure_code, filing.agency_code, filing.unit_code) == (
        "G22.99-250910-000001",
        "X.HT.007",
        "17662.05.H40",
        "17662",
    )
    assert filing.applicant.id_number == "040195012345"
    assert filing.submitted_at == dt.datetime(2025, 9, 10, 2, 30, tzinfo=dt.UTC)
    assert filing.documents == (inbound.Document("Tờ khai", "https://dichvucong.gov.vn/f/1.pdf"),)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure_code": ""}, "procedure_code"),
        ({"procedure_code": 7}, "procedure_code"),
        ({"agency_code": "a b"}, "agency_code"),
        ({"unit_code": "17662\n"}, None),  # surrounding blanks are trimmed
        ({"unit_code": "x" * 41}, "unit_code"),
        ({"applicant": None}, "applicant"),
        ({"applicant": {"name": ""}}, "applicant.name"),
        ({"applicant": {"name": "A", "id_number": "12"}}, "applicant.id_number"),
        (
            {"applicant": {"name": "A", "id_number": "040195012345", "phone": "1"}},
            "applicant.phone",
        ),
        ({"applicant": {"name": "A", "business_code": "12"}}, "applicant.business_code"),
        ({"applicant": {"name": "A" * 201, "id_number": "040195012345"}}, "applicant.name"),
        ({"submitted_at": "2025-09-10T09:30:00"}, "submitted_at"),
        ({"submitted_at": "10/09/2025"}, "submitted_at"),
        ({"submitted_at": None}, "submitted_at"),
        ({"documents": "paper"}, "documents"),
        ({"documents": [{"url": "https://x"}]}, "documents[0].name"),
        ({"documents": [{"name": "A", "url": "file:///etc/passwd"}]}, "documents[0].url"),
        ({"documents": [3]}, "documents[0]"),
    ],
)
def test_what_is_wrong_with_a_message_is_named_by_field(change, field):
    reading = inbound.read_filing({**GOOD, **change}, TODAY)
    assert reading.national_id == GOOD["national_id"]
    if field is None:
        assert reading.problems == {}
    else:
        assert field in reading.problems, reading.problems
        assert reading.filing is None


def test_an_applicant_with_only_an_enterprise_code_is_enough():
    applicant = {"name": "Công ty TNHH Hoa Sen", "business_code": "2900123456-001"}
    reading = inbound.read_filing({**GOOD, "applicant": applicant}, TODAY)
    assert reading.problems == {}


@pytest.mark.parametrize(
    "message",
    [
        [],
        "text",
        {},
        {"national_id": ""},
        {"national_id": 12},
        {"national_id": "a/b"},
        {"national_id": "id\n"},
        {"national_id": "x" * 81},
    ],
)
def test_a_message_without_a_usable_national_id_cannot_be_recorded(message):
    with pytest.raises(inbound.Unreadable):
        inbound.read_filing(message, TODAY)


def test_a_filing_counts_from_its_recorded_time_and_a_small_clock_skew_from_now():
    earlier = NOW - dt.timedelta(days=60)
    assert inbound.time_of_receipt(earlier, NOW) == earlier
    assert inbound.time_of_receipt(NOW + dt.timedelta(seconds=200), NOW) == NOW
    assert inbound.time_of_receipt(NOW + dt.timedelta(hours=1), NOW) is None


def test_problems_are_described_in_a_stable_order():
    assert inbound.describe({"b": "two", "a": "one"}) == "a: one; b: two"
