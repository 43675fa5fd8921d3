import xml.etree.ElementTree as ElementTree

from hypothesis import given
from hypothesis import strategies as st

from haicap.core.characters import (
    CONTROL,
    NONCHARACTER,
    REPLACEMENT,
    SURROGATE,
    first_unacceptable,
    is_noncharacter,
    kind_of,
    printable,
    text_problem,
)

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
]
bad_char = st.sampled_from(CONTROLS + NONCHARACTERS) | st.characters(
    min_codepoint=0xD800, max_codepoint=0xDFFF
)
bad_in_multiline = bad_char.filter(lambda c: c not in "\t\n\r")
vietnamese = st.text(alphabet="Nguyễn Văn Đạt Thị Hoà ƯỚỜ-'.,0123")


def test_the_message_says_which_character_and_where():
    assert text_problem("Nguyễn\x07Văn") == (
        "a control character (U+0007) at position 7 is not allowed here"
    )
    assert text_problem("ab\ufffe") == "a noncharacter (U+FFFE) at position 3 is not allowed here"
    assert (
        text_problem("a\ud800")
        == "an unpaired surrogate (U+D800) at position 2 is not allowed here"
    )
    assert text_problem("Nguyễn Văn Đạt") is None


def test_line_breaks_and_tab_only_in_multiline_text():
    for char in "\t\n\r":
        assert kind_of(char, multiline=False) == CONTROL
        assert kind_of(char, multiline=True) is None
    assert text_problem("line one\r\nline\ttwo", multiline=True) is None
    assert text_problem("line one\nline two") is not None


def test_every_c0_and_c1_control_and_del_is_refused():
    assert all(kind_of(c) == CONTROL for c in CONTROLS)
    assert kind_of("\x85", multiline=True) == CONTROL  # NEL is C1, not an allowed line break


def test_noncharacters_of_every_plane():
    assert all(kind_of(c) == NONCHARACTER for c in NONCHARACTERS)
    assert (
        not is_noncharacter(0xFFFD) and not is_noncharacter(0xFDCF) and not is_noncharacter(0xFDF0)
    )
    assert kind_of("\ud83d") == SURROGATE


@given(vietnamese)
def test_ordinary_text_is_accepted_and_printed_unchanged(text):
    assert first_unacceptable(text) is None
    assert printable(text) == text


@given(vietnamese, bad_char, vietnamese, st.booleans())
def test_the_first_bad_character_is_found_where_it_is(before, bad, after, multiline):
    if multiline and bad in "\t\n\r":
        return
    found = first_unacceptable(before + bad + after, multiline)
    assert found is not None
    assert found.position == len(before) + 1
    assert found.code_point == ord(bad)
    assert f"U+{ord(bad):04X}" in str(found) and f"position {len(before) + 1} " in str(found)


@given(st.text())
def test_printable_text_is_accepted_as_multiline_and_keeps_its_length(text):
    cleaned = printable(text)
    assert first_unacceptable(cleaned, multiline=True) is None
    assert len(cleaned) == len(text)
    assert printable(cleaned) == cleaned


@given(vietnamese, bad_in_multiline, vietnamese)
def test_printable_replaces_only_the_bad_character(before, bad, after):
    assert printable(before + bad + after) == before + REPLACEMENT + after


@given(st.text())
def test_printable_text_is_valid_xml(text):
    cleaned = printable(text)
    # the text is the test's own, so the standard parser is safe here
    element = ElementTree.fromstring(  # noqa: S314
        "<t>" + cleaned.replace("&", "&amp;").replace("<", "&lt;") + "</t>"
    )
    # XML parsers normalise a carriage return to a line feed; everything else survives.
    expected = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    assert (element.text or "") == expected
