"""A name in any script prints on the receipt slip, and reads back from the PDF."""

import io
import logging
import unicodedata

import pytest
from pypdf import PdfReader

from haicap.dossiers.applicant import Applicant
from tests.api.test_dossiers_api import bearer
from tests.dossiers.test_forms import fonts
from tests.dossiers.test_scenarios import at, receive

pytestmark = pytest.mark.django_db

PRIMARY = ("Times", "Liberation", "DejaVu")


def slip_for(user, name: str):
    applicant = Applicant(name=name, id_number="040195012345", phone="0912345678")
    received = receive(user, at(3, 2, 9), "X.HT.007", applicant=applicant)
    response = bearer("tiepnhan.doluong").get(f"/api/v1/dossiers/{received.dossier.code}/forms/01")
    assert response.status_code == 200, response.content[:300]
    return response


def read_back(response) -> str:
    """The slip's text as pypdf reads it, in NFKC.

    Arabic letters are printed in their contextual forms (U+FE8D ... "ARABIC LETTER ALEF FINAL
    FORM" and so on), which is what the PDF's text layer then holds; NFKC folds each back to its
    plain letter, so the comparison is letter by letter with the name as typed. pypdf itself turns
    the right-to-left runs back into reading order. For the other scripts NFKC changes nothing.
    """
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("name", "font", "bold"),
    [
        ("Nguyễn Thị Mai", None, None),  # the serif font alone, as before
        ("王小明", "UMing", None),  # no bold face: the regular one stands in
        ("محمد رضایی", "NotoNaskhArabic", "NotoNaskhArabic-Bold"),
        ("សុខ ចាន់", "NotoSerifKhmer", "NotoSerifKhmer-Bold"),
        # no font named for Thai: the first installed Noto font that has it, a serif one
        ("สมชาย ใจดี", "NotoSerifThai", "NotoSerifThai-Bold"),
    ],
)
def test_the_applicants_name_prints_in_a_font_that_draws_it(user, name, font, bold):
    response = slip_for(user, name)
    lines = read_back(response).splitlines()
    # the name after "Ông/Bà:" and again under the applicant's signature
    assert f"Ông/Bà: {name}" in lines
    assert sum(line.strip() == name for line in lines) == 1
    embedded = fonts(response)
    assert any(primary in f for f in embedded for primary in PRIMARY)
    if font is None:
        assert not any("Noto" in f or "UMing" in f for f in embedded)
    else:
        assert any(font in f for f in embedded)
    if bold:  # "Ông/Bà: <b>name</b>" keeps its bold in the fallback font
        assert any(bold in f for f in embedded)


def test_a_character_no_font_draws_prints_as_a_replacement_and_is_logged_alone(user, caplog):
    # U+0378 is unassigned: no font has a glyph for it.
    with caplog.at_level(logging.WARNING, logger="haicap.dossiers.pdf"):
        response = slip_for(user, "Lê Văn \u0378An")
    assert "Ông/Bà: Lê Văn \ufffdAn" in read_back(response).splitlines()
    warnings = [r.getMessage() for r in caplog.records if r.name == "haicap.dossiers.pdf"]
    assert warnings
    assert all("U+0378" in message for message in warnings)
    assert not any("Lê" in message or "Văn" in message for message in warnings)
