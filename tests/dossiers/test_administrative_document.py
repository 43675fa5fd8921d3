"""The one layout of administrative documents (Decree 30/2020/NĐ-CP): the same lines in the Word
file and the PDF, ruled tables in the body, the parties' signatures side by side."""

import datetime as dt
import subprocess
import unicodedata
from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from haicap.dossiers.administrative_document import (
    AdministrativeDocument,
    Signature,
    date_words,
    items,
    place_and_date,
    recipient_lines,
    texts_of,
    to_docx,
    to_pdf,
    undated,
)
from haicap.dossiers.pdf import Grid, Line

HEADER = ("STT", "Tên", "Số tiền (đồng)")
ROWS = [["1", "Máy quét tài liệu", "15.000.000"], ["2", "Máy in", "4.500.000"]]
TOTAL = ["", "Tổng cộng", "19.500.000"]


def sample(**changes) -> AdministrativeDocument:
    document = AdministrativeDocument(
        issuer_parent="Ủy ban nhân dân tỉnh Nghệ An",
        issuer="Sở Tài chính",
        number="7/BB-STC",
        place_and_date=place_and_date("Nghệ An", dt.date(2025, 7, 15)),
        title="BIÊN BẢN",
        summary="Bàn giao thiết bị",
        body=[
            Line("I. THIẾT BỊ", bold=True),
            Line("Hai bên bàn giao các thiết bị sau:"),
            Grid(HEADER, [*ROWS, TOTAL], (15, 100, 50), bold_rows=1, figures=frozenset({2})),
            Line("Biên bản lập thành hai bản./."),
        ],
        signatures=[Signature("Đại diện bên giao", "Nguyễn Văn A"), Signature("Bên nhận", "B")],
        kept_with_signature=1,
    )
    return AdministrativeDocument(**{**document.__dict__, **changes})


def open_docx(document: AdministrativeDocument) -> docx.document.Document:
    return docx.Document(BytesIO(to_docx(document)))


def docx_lines(word: docx.document.Document) -> list[str]:
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return lines


def pdf_words(content: bytes) -> str:
    """The PDF's text as pypdf reads it, cell by cell, its lines joined by single spaces."""
    pages = PdfReader(BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def pdf_text(content: bytes, tmp_path) -> str:
    (tmp_path / "document.pdf").write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "document.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_dates_are_written_as_the_decree_writes_them():
    assert date_words(dt.date(2025, 7, 1)) == "ngày 01 tháng 7 năm 2025"
    assert date_words(dt.date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert place_and_date("Nghệ An", dt.date(2025, 12, 9)) == "Nghệ An, ngày 09 tháng 12 năm 2025"
    assert undated("Nghệ An") == "Nghệ An, ngày ... tháng ... năm ......"


def test_a_list_ends_each_item_with_a_semicolon_and_the_last_with_a_full_stop():
    assert items(["một", "hai;", "ba"]) == ["- một;", "- hai;", "- ba."]
    assert recipient_lines(["Sở Tài chính"], "VT, STC") == ["- Sở Tài chính;", "- Lưu: VT, STC."]


def test_a_table_of_the_body_is_a_ruled_word_table_whose_header_repeats_on_each_page():
    word = open_docx(sample())
    header, grid, _signing = word.tables
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [list(HEADER), *ROWS, TOTAL]
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    borders = grid._tbl.tblPr.find(qn("w:tblBorders"))
    assert {border.get(qn("w:val")) for border in borders} == {"single"}
    assert all(cell.paragraphs[0].runs[0].bold for cell in grid.rows[0].cells)
    # the totals in bold, the rows above them not; the figures set right
    assert grid.rows[-1].cells[1].paragraphs[0].runs[0].bold
    assert not grid.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert grid.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert grid.rows[1].cells[1].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
    assert [round(column.width.mm) for column in grid.columns] == [15, 100, 50]
    # the body's paragraphs around it keep their order
    texts = [p.text for p in word.paragraphs if p.text]
    assert texts.index("Hai bên bàn giao các thiết bị sau:") < texts.index(
        "Biên bản lập thành hai bản./."
    )
    assert header.cell(1, 0).text == "Số: 7/BB-STC"


def test_without_recipients_the_signatures_stand_side_by_side_across_the_page():
    word = open_docx(sample())
    signing = word.tables[-1]
    assert [cell.text for cell in signing.rows[0].cells] == [
        "ĐẠI DIỆN BÊN GIAO\nNguyễn Văn A",
        "BÊN NHẬN\nB",
    ]
    assert "Nơi nhận:" not in docx_lines(word)
    widths = [round(cell.width.mm) for cell in signing.rows[0].cells]
    assert widths[0] == widths[1] and 160 <= sum(widths) <= 170


def test_with_recipients_they_are_on_the_left_and_the_signature_on_the_right():
    recipients = recipient_lines(["Sở Nội vụ"])
    word = open_docx(sample(signatures=[Signature("TM. Sở\nGiám đốc", "C")], recipients=recipients))
    left, right = word.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."]
    assert [p.text for p in right.paragraphs] == ["TM. SỞ", "GIÁM ĐỐC", "C"]


def test_the_word_file_and_the_pdf_hold_the_same_lines():
    document = sample(recipients=recipient_lines(["Sở Nội vụ"]))
    expected = texts_of(document)
    assert "19.500.000" in expected and "Máy quét tài liệu" in expected
    in_word = set(docx_lines(open_docx(document)))
    assert [text for text in expected if text not in in_word] == []
    flat = pdf_words(to_pdf(document))
    assert unicodedata.is_normalized("NFC", flat)
    assert [text for text in expected if " ".join(text.split()) not in flat] == []


def test_a_long_table_runs_over_pages_with_its_header_on_each_and_pages_numbered(tmp_path):
    rows = [[str(n), f"Thiết bị số {n}", "1.000.000"] for n in range(1, 121)]
    # (the signature keeps no body block with it: a table kept with it would start a page)
    document = sample(
        body=[Line("Danh mục:"), Grid(HEADER, rows, (15, 100, 50))], kept_with_signature=0
    )
    pages = pdf_text(to_pdf(document), tmp_path).split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert "Số tiền (đồng)" in flat, number
        assert flat.startswith(f"{number} ") == (number > 1)
    last = " ".join(pages[-1].split())
    assert "Thiết bị số 120" in " ".join(" ".join(p.split()) for p in pages)
    assert "ĐẠI DIỆN BÊN GIAO" in last


# Vietnamese letters: the plain ones and every vowel with each of the five tone marks.
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LETTERS = "bcdđghklmnpqrstvx" + "".join(
    unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in ("", *TONES)
)
VIETNAMESE = st.text(alphabet=LETTERS + LETTERS.upper() + " ", min_size=1, max_size=30).filter(
    str.strip
)


@settings(max_examples=30, deadline=None)
@given(cells=st.lists(VIETNAMESE, min_size=3, max_size=3), line=VIETNAMESE)
def test_any_vietnamese_text_in_a_table_or_a_line_reaches_the_word_file_unchanged(cells, line):
    document = sample(body=[Line(line), Grid(HEADER, [cells], (15, 100, 50))])
    word = open_docx(document)
    assert [cell.text for cell in word.tables[1].rows[1].cells] == cells
    assert line in [p.text for p in word.paragraphs]


def test_signatures_side_by_side_stay_level_when_a_name_is_left_for_the_hand(tmp_path):
    document = sample(signatures=[Signature("Bên giao", "Nguyễn Văn A"), Signature("Bên nhận", "")])
    lines = [" ".join(line.split()) for line in pdf_text(to_pdf(document), tmp_path).splitlines()]
    assert "BÊN GIAO BÊN NHẬN" in lines
