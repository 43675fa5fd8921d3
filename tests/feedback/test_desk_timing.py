"""How the desk says a petition's distance to its legal deadline, and a sender's contact as a
reader who does not handle the petition sees it (pure)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.feedback.contact import shown_contact
from haicap.feedback.timing import Left, left_of


@pytest.mark.parametrize(
    ("working_days", "past_due", "said"),
    [
        (Decimal("8"), False, Left(False, 8)),
        (Decimal("1.99"), False, Left(False, 1)),  # never a day that is not there
        (Decimal("0.5"), False, Left(False, 0)),  # less than a working day left
        (Decimal("-2.5"), True, Left(True, 2)),
        (Decimal("-0.25"), True, Left(True, 0)),  # overdue by less than a day
        (Decimal("0"), True, Left(True, 0)),  # a Saturday after a Friday deadline: late already
    ],
)
def test_whole_working_days_rounded_down(working_days, past_due, said):
    assert left_of(working_days, past_due) == said


@given(st.decimals(min_value=-400, max_value=400, places=4), st.booleans())
def test_the_days_said_are_never_more_than_the_time_there_is(working_days, past_due):
    left = left_of(working_days, past_due)
    assert left.overdue is past_due
    assert 0 <= left.days <= abs(working_days) < left.days + 1


def test_a_contact_is_masked_for_a_reader_and_whole_for_the_officer():
    masked = shown_contact("0912345678", "dan@example.vn", "Xóm 3", whole=False)
    assert (masked.phone, masked.email, masked.address) == ("091****678", "d***@example.vn", "")
    assert shown_contact("", "dan@example.vn", "", whole=False).phone == ""
    whole = shown_contact("0912345678", "dan@example.vn", "Xóm 3", whole=True)
    assert (whole.phone, whole.email, whole.address, whole.whole) == (
        "0912345678",
        "dan@example.vn",
        "Xóm 3",
        True,
    )
