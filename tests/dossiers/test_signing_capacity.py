"""The signer's capacity and the document's number (Decree 30/2020 Art. 13, Appendix I)."""

from hypothesis import given
from hypothesis import strategies as st

from haicap.dossiers.signing_capacity import abbreviation, capacity, document_number


def test_a_deputy_signs_for_the_head_and_the_head_in_his_title():
    assert capacity("Chủ tịch", deputy=True) == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert capacity("Chủ tịch", deputy=False) == "CHỦ TỊCH"
    assert capacity("Giám đốc", deputy=True) == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"


def test_abbreviations_keep_the_stroked_d_and_drop_the_marks():
    assert abbreviation("Ủy ban nhân dân") == "UBND"
    assert abbreviation("Sở Tư pháp") == "STP"
    assert abbreviation("Hội đồng nhân dân") == "HĐND"
    assert document_number(12, "TB", "Ủy ban nhân dân") == "12/TB-UBND"


TITLES = st.text(alphabet="abcdđeêghiklmnoôơpqrstuưvxyáàảãạ ", min_size=1).filter(str.strip)


@given(TITLES)
def test_a_deputys_capacity_is_two_lines_naming_the_head(title):
    head, deputy = capacity(title, deputy=True).split("\n")
    own = capacity(title, deputy=False)
    assert head == f"KT. {own}" and deputy == f"PHÓ {own}" and own == own.upper()


@given(st.lists(TITLES, min_size=1, max_size=6))
def test_an_abbreviation_has_one_letter_a_word(words):
    name = " ".join(words)
    assert len(abbreviation(name)) == len(name.split())
