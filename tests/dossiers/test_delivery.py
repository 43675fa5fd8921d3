"""How the applicant receives the result and who may take it back: the pure rules."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haicap.dossiers.delivery import (
    MAX_SETS,
    Choice,
    Receiver,
    Way,
    choice_problems,
    receiver_of,
    tracking_problem,
)

TODAY = dt.date(2026, 12, 6)
MAI = "040195012345"  # born 1995 in Nghệ An, a woman
NAM = "040090001234"


def problems(choice: Choice, address="Xóm 3, xã Đô Lương", email="", id_number=MAI):
    return choice_problems(choice, address, email, id_number, TODAY)


def test_the_desk_with_one_set_and_nobody_authorised_is_a_complete_choice():
    assert problems(Choice()) == {}
    assert problems(Choice(Way.DESK, 3, "Lê Văn Nam", NAM)) == {}


def test_post_needs_an_address_and_electronic_an_email_or_an_id_number():
    assert "way" in problems(Choice(Way.POST), address="  ")
    assert problems(Choice(Way.POST)) == {}
    assert "way" in problems(Choice(Way.ELECTRONIC), id_number="")
    assert problems(Choice(Way.ELECTRONIC), id_number="", email="mai@example.vn") == {}
    assert problems(Choice("pigeon"))["way"].startswith("choose the desk")


def test_an_authorised_person_is_named_with_a_plausible_citizen_id_number():
    assert "authorised_id_number" in problems(Choice(authorised_name="Lê Văn Nam"))
    assert "authorised_name" in problems(Choice(authorised_id_number=NAM))
    assert problems(Choice(authorised_name="Lê Văn Nam", authorised_id_number="0401"))[
        "authorised_id_number"
    ] == ("a citizen ID number has 12 digits")
    # 2 = a man born in the 2000s; 2030 is after today
    assert (
        "future"
        in problems(Choice(authorised_name="X", authorised_id_number="040230001234"))[
            "authorised_id_number"
        ]
    )
    assert "authorised_name" in problems(
        Choice(authorised_name="Lê\x01Nam", authorised_id_number=NAM)
    )


@given(st.integers(min_value=-5, max_value=MAX_SETS + 5))
def test_the_number_of_sets_is_from_one_to_the_most_a_desk_takes(sets):
    assert ("sets" in problems(Choice(sets=sets))) == (not 1 <= sets <= MAX_SETS)


def test_the_applicant_or_the_authorised_person_collects_by_their_id_number():
    who = {
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id": MAI,
        "authorised_name": "Lê Văn Nam",
        "authorised_id": NAM,
    }
    assert receiver_of("Nguyễn Thị Mai", MAI, **who) is Receiver.APPLICANT
    assert receiver_of("Lê Văn Nam", NAM, **who) is Receiver.AUTHORISED
    # the ID decides, not the name typed beside it
    assert receiver_of("Lê Văn Nam", MAI, **who) is Receiver.APPLICANT
    assert receiver_of("Nguyễn Thị Mai", "040190004321", **who) is None
    nobody_authorised = {**who, "authorised_name": "", "authorised_id": ""}
    assert receiver_of("Lê Văn Nam", NAM, **nobody_authorised) is None


def test_without_an_id_number_on_file_the_applicant_is_recognised_by_name():
    business = {
        "applicant_name": "Nguyễn  Thị Mai",
        "applicant_id": "",
        "authorised_name": "",
        "authorised_id": "",
    }
    assert receiver_of("nguyễn thị mai ", MAI, **business) is Receiver.APPLICANT
    assert receiver_of("Nguyễn Thị Mại", MAI, **business) is None
    assert receiver_of("   ", MAI, **{**business, "applicant_name": ""}) is None


@given(st.text(max_size=12), st.sampled_from(["", MAI, NAM]))
def test_nobody_else_is_ever_taken_for_the_applicant_or_their_authorised_person(name, number):
    who = receiver_of(
        name,
        number,
        applicant_name="Nguyễn Thị Mai",
        applicant_id=MAI,
        authorised_name="Lê Văn Nam",
        authorised_id=NAM,
    )
    assert who == {MAI: Receiver.APPLICANT, NAM: Receiver.AUTHORISED}.get(number)


def test_a_postal_tracking_number_is_letters_and_digits():
    assert tracking_problem("EB123456789VN") is None
    assert tracking_problem(" eb123456789vn ") is None  # typed in small letters
    for wrong in ("", "EB12", "EB 123 456", "EB-123456789", "X" * 31):
        assert tracking_problem(wrong) is not None
