import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.logging import MaskPersonalDataFilter
from haicap.core.masking import mask_citizen_id, mask_email, mask_phone, mask_text

citizen_ids = st.from_regex(r"0[0-9]{2}[0-9][0-9]{2}[0-9]{6}", fullmatch=True)
phones = st.from_regex(r"0[35789][0-9]{8}", fullmatch=True)


@given(citizen_ids)
def test_a_citizen_id_keeps_only_its_prefix_and_last_three_digits(number):
    masked = mask_citizen_id(number)
    assert masked == number[:3] + "******" + number[-3:]


@given(phones)
def test_a_phone_number_is_masked_in_the_middle(number):
    masked = mask_phone(number)
    assert masked.startswith(number[:3]) and masked.endswith(number[-3:])
    assert number[3:-3] not in masked


@given(citizen_ids, phones, st.text(alphabet="abc ,.:", max_size=10))
def test_free_text_never_keeps_a_whole_id_or_phone(number, phone, filler):
    text = f"{filler} CCCD {number}{filler} tel {phone}"
    masked = mask_text(text)
    assert number not in masked
    assert phone not in masked


def test_log_messages_are_masked_before_they_are_written(caplog):
    logger = logging.getLogger("haicap.test")
    logger.addFilter(MaskPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="haicap.test"):
        logger.info("applicant %s phone %s", "040195012345", "0912345678")
    assert "040195012345" not in caplog.text
    assert "0912345678" not in caplog.text
    assert "040******345" in caplog.text


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("dan@example.vn", "d***@example.vn"),
        ("nguyenvandan@example.vn", "n***@example.vn"),  # the mailbox's length is not told
        ("d@example.vn", "d***@example.vn"),
        ("not-an-email", "************"),
    ],
)
def test_an_email_keeps_its_first_letter_and_its_domain(email, masked):
    assert mask_email(email) == masked
