"""Reading every sheet of a workbook, or the one sheet of a CSV file (``read_sheets``)."""

import io

import pytest
from openpyxl import Workbook

from haicap.core.sheets import Sheet, UnreadableSheet, read_rows, read_sheets


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_sheet_of_a_workbook_is_read_in_order_with_its_title():
    content = workbook(
        ("Vị trí", [["Mã", "Số"], ["A", 2], [None, None]]),
        ("Trống", []),
        ("Cán bộ", [[" Họ tên ", None], ["An", "x"]]),
    )
    assert read_sheets("x.xlsx", content) == [
        Sheet("Vị trí", ["Mã", "Số"], [{"Mã": "A", "Số": 2}, {"Mã": None, "Số": None}]),
        Sheet("Trống", [], []),
        Sheet("Cán bộ", ["Họ tên", ""], [{"Họ tên": "An", "": "x"}]),
    ]
    # the first sheet is what read_rows reads
    first = read_sheets("x.xlsx", content)[0]
    assert read_rows("x.xlsx", content) == (first.header, first.rows)


def test_a_csv_file_is_one_sheet_titled_by_its_name():
    (sheet,) = read_sheets("can-bo.csv", "Mã,Số\nA,2\n".encode())
    assert sheet == Sheet("can-bo", ["Mã", "Số"], [{"Mã": "A", "Số": "2"}])


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("x.xlsx", b"PK not a workbook", "the file is not a readable .xlsx workbook"),
        ("x.csv", b"\xff\xfe", "the file is not UTF-8 text; save it as CSV UTF-8"),
        ("x.ods", b"", "send a .csv or .xlsx file"),
    ],
)
def test_what_cannot_be_read_says_why(name, content, reason):
    with pytest.raises(UnreadableSheet, match=reason.replace(".", r"\.")):
        read_sheets(name, content)
