"""The sentence saying why a commune stands where it does in a field, one per reason, in
Vietnamese and in English, with the plural forms."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from haicap.staffing.explain import NO_MOVES, Move, Moves, about, in_sentence, why
from haicap.staffing.norms import Basis, Reason, Rule, Standing

BACH_HA, LAND, IT = "xã Bạch Hà", "Đất đai", "Công nghệ thông tin"
BY_WORKLOAD = Rule(Basis.WORKLOAD, dossiers_per_officer_month=40, minimum=1)
FIXED = Rule(Basis.FIXED, count=2)


def workload(norm, own, monthly, overdue=0, seconded_in=0, seconded_out=0) -> Standing:
    return Standing(
        norm=norm,
        own=own,
        seconded_in=seconded_in,
        seconded_out=seconded_out,
        basis=Basis.WORKLOAD,
        dossiers_per_month=Decimal(monthly),
        overdue_open=overdue,
    )


def fixed(norm, own, seconded_in=0, seconded_out=0) -> Standing:
    return Standing(norm, own, seconded_in, seconded_out, Basis.FIXED)


def said(
    language: str, standing: Standing, rule: Rule, field: str = LAND, moves: Moves = NO_MOVES
) -> str:
    with translation.override(language):
        return why(BACH_HA, field, standing, rule, moves)


UNTIL = dt.date(2027, 5, 29)
FROM_BICH_HAO = Move("xã Bích Hào", UNTIL)
TO_DO_LUONG = Move("xã Đô Lương", UNTIL)


def test_short_for_its_workload():
    standing = workload(norm=3, own=1, monthly="95.0", overdue=12)
    assert standing.reason == Reason.WORKLOAD
    assert said("vi", standing, BY_WORKLOAD) == (
        "Xã Bạch Hà cần 3 công chức đất đai cho khoảng 95 hồ sơ/tháng (định mức 1 người/40 hồ "
        "sơ/tháng) nhưng chỉ có 1; 12 hồ sơ đất đai đang quá hạn."
    )
    assert said("en", standing, BY_WORKLOAD) == (
        "Xã Bạch Hà needs 3 officers in đất đai for about 95 dossiers a month (norm: 1 officer "
        "per 40 dossiers a month) but has only 1; 12 dossiers in đất đai are overdue."
    )


def test_one_overdue_dossier_is_said_in_the_singular():
    standing = workload(norm=3, own=1, monthly="95.0", overdue=1)
    assert said("en", standing, BY_WORKLOAD).endswith("; 1 dossier in đất đai is overdue.")
    assert said("vi", standing, BY_WORKLOAD).endswith("; 1 hồ sơ đất đai đang quá hạn.")


def test_nothing_overdue_is_not_mentioned():
    standing = workload(norm=3, own=1, monthly="95.0")
    assert said("vi", standing, BY_WORKLOAD).endswith("nhưng chỉ có 1.")


def test_no_officer_for_the_workload_in_the_singular_and_the_plural():
    one = workload(norm=1, own=0, monthly="12.0")
    assert one.reason == Reason.NO_OFFICER
    assert said("en", one, BY_WORKLOAD) == (
        "Xã Bạch Hà needs 1 officer in đất đai for about 12 dossiers a month (norm: 1 officer "
        "per 40 dossiers a month) but has none."
    )
    assert said("vi", one, BY_WORKLOAD) == (
        "Xã Bạch Hà cần 1 công chức đất đai cho khoảng 12 hồ sơ/tháng (định mức 1 người/40 hồ "
        "sơ/tháng) nhưng không có người nào."
    )
    two = workload(norm=2, own=0, monthly="41.0")
    assert said("en", two, BY_WORKLOAD).startswith("Xã Bạch Hà needs 2 officers in đất đai")


def test_short_of_the_provinces_minimum_when_the_workload_asks_for_less():
    rule = Rule(Basis.WORKLOAD, dossiers_per_officer_month=40, minimum=2)
    some = workload(norm=2, own=1, monthly="2.5")
    assert said("vi", some, rule) == (
        "Xã Bạch Hà cần tối thiểu 2 công chức đất đai (mức tối thiểu của tỉnh; khoảng 2,5 hồ "
        "sơ/tháng) nhưng chỉ có 1."
    )
    assert said("en", some, rule) == (
        "Xã Bạch Hà needs at least 2 officers in đất đai (the province's minimum; about 2.5 "
        "dossiers a month) but has only 1."
    )
    none = workload(norm=2, own=0, monthly="0")
    assert said("vi", none, rule) == (
        "Xã Bạch Hà cần tối thiểu 2 công chức đất đai (mức tối thiểu của tỉnh; khoảng 0 hồ "
        "sơ/tháng) nhưng không có người nào."
    )


def test_short_of_a_fixed_norm():
    some = fixed(norm=3, own=1)
    assert some.reason == Reason.FIXED
    assert said("vi", some, FIXED, IT) == (
        "Xã Bạch Hà cần 3 công chức công nghệ thông tin (định mức cố định của tỉnh) nhưng chỉ có 1."
    )
    assert said("en", some, FIXED, IT) == (
        "Xã Bạch Hà needs 3 officers in công nghệ thông tin (the province's fixed norm) but has "
        "only 1."
    )
    none = fixed(norm=1, own=0)
    assert said("en", none, FIXED, IT) == (
        "Xã Bạch Hà needs 1 officer in công nghệ thông tin (the province's fixed norm) but has "
        "none."
    )
    assert said("vi", none, FIXED, IT) == (
        "Xã Bạch Hà cần 1 công chức công nghệ thông tin (định mức cố định của tỉnh) nhưng không "
        "có người nào."
    )


def test_short_because_of_its_own_officers_seconded_out():
    one = fixed(norm=2, own=2, seconded_out=1)
    assert one.reason == Reason.SECONDED_OUT
    assert said("vi", one, FIXED) == (
        "Xã Bạch Hà đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người đang được "
        "biệt phái đi nơi khác, chỉ còn 1."
    )
    assert said("en", one, FIXED) == (
        "Xã Bạch Hà would have enough officers in đất đai (2 needed), but 1 of its own is "
        "seconded elsewhere, leaving 1."
    )
    two = fixed(norm=2, own=2, seconded_out=2)
    assert "but 2 of its own are seconded elsewhere, leaving 0" in said("en", two, FIXED)


def test_a_commune_whose_officers_are_all_seconded_out_is_short_because_of_the_secondment():
    # it has no officer left, but what makes it short is the secondment
    assert fixed(norm=1, own=1, seconded_out=1).reason == Reason.SECONDED_OUT
    # an officer seconded in, too, counts towards what it would have
    assert fixed(norm=2, own=1, seconded_in=1, seconded_out=1).reason == Reason.SECONDED_OUT
    assert fixed(norm=2, own=1, seconded_out=1).reason == Reason.NO_OFFICER


def test_covered():
    standing = workload(norm=2, own=1, seconded_in=1, monthly="60.0", overdue=3)
    assert standing.reason == Reason.COVERED
    assert (
        said("vi", standing, BY_WORKLOAD) == "Xã Bạch Hà có đủ 2 công chức đất đai theo định mức."
    )
    assert said("en", standing, BY_WORKLOAD) == "Xã Bạch Hà has the 2 officers in đất đai it needs."
    assert said("en", fixed(norm=1, own=1), FIXED) == (
        "Xã Bạch Hà has the 1 officer in đất đai it needs."
    )
    nothing = Rule(Basis.FIXED, count=0)
    assert said("vi", fixed(norm=0, own=0), nothing) == (
        "Xã Bạch Hà không cần công chức đất đai theo định mức."
    )


def test_covered_thanks_to_an_officer_seconded_in_says_from_where_and_until_when():
    standing = workload(norm=2, own=1, seconded_in=1, monthly="60.0", overdue=3)
    moves = Moves(into=(FROM_BICH_HAO,))
    assert said("vi", standing, BY_WORKLOAD, moves=moves) == (
        "Xã Bạch Hà có đủ 2 công chức đất đai theo định mức, trong đó 1 người biệt phái đến từ "
        "xã Bích Hào đến 29/05/2027."
    )
    assert said("en", standing, BY_WORKLOAD, moves=moves) == (
        "Xã Bạch Hà has the 2 officers in đất đai it needs, 1 of them seconded in from xã Bích "
        "Hào until 29/05/2027."
    )


def test_officers_seconded_in_from_several_places_are_each_counted():
    standing = fixed(norm=3, own=0, seconded_in=3)
    later = Move("Sở Y tế", dt.date(2027, 6, 30))
    moves = Moves(into=(later, FROM_BICH_HAO, FROM_BICH_HAO))
    assert said("vi", standing, FIXED, moves=moves) == (
        "Xã Bạch Hà có đủ 3 công chức đất đai theo định mức, trong đó 3 người biệt phái đến: 2 "
        "người từ xã Bích Hào đến 29/05/2027 và 1 người từ Sở Y tế đến 30/06/2027."
    )


def test_covered_after_officers_seconded_out_says_where_they_went():
    standing = fixed(norm=2, own=3, seconded_out=1)
    assert standing.reason == Reason.COVERED
    assert said("vi", standing, FIXED, moves=Moves(out=(TO_DO_LUONG,))) == (
        "Xã Bạch Hà có đủ 2 công chức đất đai theo định mức, không kể 1 người của xã đang biệt "
        "phái sang xã Đô Lương đến 29/05/2027."
    )
    assert said("en", standing, FIXED, moves=Moves(out=(TO_DO_LUONG,))) == (
        "Xã Bạch Hà has the 2 officers in đất đai it needs, not counting 1 of its own seconded "
        "to xã Đô Lương until 29/05/2027."
    )


def test_short_because_of_a_secondment_says_where_the_officer_went():
    standing = fixed(norm=2, own=2, seconded_out=1)
    assert said("vi", standing, FIXED, moves=Moves(out=(TO_DO_LUONG,))) == (
        "Xã Bạch Hà đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người đang được "
        "biệt phái sang xã Đô Lương đến 29/05/2027, chỉ còn 1."
    )


def test_short_in_spite_of_an_officer_seconded_in_says_so_before_the_overdue_dossiers():
    standing = workload(norm=3, own=1, seconded_in=1, monthly="95.0", overdue=12)
    assert said("vi", standing, BY_WORKLOAD, moves=Moves(into=(FROM_BICH_HAO,))) == (
        "Xã Bạch Hà cần 3 công chức đất đai cho khoảng 95 hồ sơ/tháng (định mức 1 người/40 hồ "
        "sơ/tháng) nhưng chỉ có 2, trong đó 1 người biệt phái đến từ xã Bích Hào đến "
        "29/05/2027; 12 hồ sơ đất đai đang quá hạn."
    )


def test_surplus():
    standing = fixed(norm=1, own=3)
    assert standing.reason == Reason.SURPLUS
    assert said("vi", standing, FIXED, IT) == (
        "Xã Bạch Hà có 3 công chức công nghệ thông tin, thừa 2 người so với định mức 1 người."
    )
    assert said("en", standing, FIXED, IT) == (
        "Xã Bạch Hà has 3 officers in công nghệ thông tin, 2 more than the 1 it needs."
    )
    assert said("en", fixed(norm=0, own=1), FIXED, IT) == (
        "Xã Bạch Hà has 1 officer in công nghệ thông tin, 1 more than the 0 it needs."
    )


@pytest.mark.parametrize(
    "monthly, vi, en",
    [
        ("95.0", "95", "95"),
        ("94.5", "95", "95"),  # whole from 10 on, half up
        ("10.0", "10", "10"),
        ("9.96", "10", "10"),
        ("2.5", "2,5", "2.5"),
        ("4.0", "4", "4"),
        ("0", "0", "0"),
    ],
)
def test_dossiers_a_month_are_said_about_right(monthly, vi, en):
    with translation.override("vi"):
        assert about(Decimal(monthly)) == vi
    with translation.override("en"):
        assert about(Decimal(monthly)) == en


@pytest.mark.parametrize(
    "name, inside",
    [("Đất đai", "đất đai"), ("CNTT", "CNTT"), ("Y tế", "y tế"), ("UBND xã", "UBND xã")],
)
def test_a_fields_name_inside_a_sentence(name, inside):
    assert in_sentence(name) == inside


counts = st.integers(min_value=0, max_value=30)


@given(
    norm=counts,
    own=counts,
    seconded_in=counts,
    seconded_out=counts,
    basis=st.sampled_from(Basis),
    monthly=st.decimals(min_value=0, max_value=2000, places=1),
    overdue=counts,
)
def test_every_standing_has_a_vietnamese_sentence_that_says_its_figures(
    norm, own, seconded_in, seconded_out, basis, monthly, overdue
):
    seconded_out = min(seconded_out, own)  # an officer seconded out holds a post of the commune
    standing = Standing(norm, own, seconded_in, seconded_out, basis, monthly, overdue)
    rule = Rule(basis, count=norm, dossiers_per_officer_month=5, minimum=0)
    vietnamese, english = said("vi", standing, rule), said("en", standing, rule)
    assert vietnamese != english
    assert vietnamese.startswith("Xã Bạch Hà ") and vietnamese.endswith(".")
    assert not {"needs", "has", "officer", "dossier"} & set(vietnamese.split())
    assert (
        re.search(rf"(?<![\d,]){standing.norm}(?![\d,])", vietnamese) or "không cần" in vietnamese
    )
    if standing.gap and overdue:
        assert vietnamese.endswith(f"; {overdue} hồ sơ đất đai đang quá hạn.")


places = st.sampled_from(["xã Bích Hào", "xã Tam Đồng", "Sở Y tế"])
moves = st.lists(
    st.builds(Move, places, st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))), max_size=4
)


@given(norm=counts, own=counts, arrivals=moves, departures=moves, basis=st.sampled_from(Basis))
def test_every_officer_seconded_in_or_out_is_said_with_the_other_end_and_the_last_day(
    norm, own, arrivals, departures, basis
):
    own = max(own, len(departures))  # an officer seconded out holds a post of the commune
    standing = Standing(norm, own, len(arrivals), len(departures), basis, Decimal(4))
    rule = Rule(basis, count=norm, dossiers_per_officer_month=5, minimum=0)
    sentence = said("vi", standing, rule, moves=Moves(tuple(arrivals), tuple(departures)))
    assert sentence.startswith("Xã Bạch Hà ") and sentence.endswith(".")
    for move in arrivals:
        assert f"từ {move.other_end} đến {move.until:%d/%m/%Y}" in sentence
    for move in departures:
        assert f"sang {move.other_end} đến {move.until:%d/%m/%Y}" in sentence
    if arrivals:
        assert "biệt phái đến" in sentence
