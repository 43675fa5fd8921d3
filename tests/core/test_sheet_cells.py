"""One cell of a workbook built cell by cell (``core.sheet_cells.put``), as the desk's downloads
(``core.exports``) and the reports' consolidated workbook write it: the same rules for text
that looks like a formula, for characters XML cannot hold, for days and numbers."""

import datetime as dt
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from haicap.core import exports
from haicap.core.characters import FORMULA_STARTS, reads_as_formula
from haicap.core.sheet_cells import put
from haicap.reports import consolidated_sheet


def written(value: object) -> object:
    """The cell ``put`` wrote, read back from the saved file."""
    book = Workbook()
    put(book.active, 1, 1, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(buffer).active.cell(row=1, column=1)


def test_the_downloads_and_the_consolidated_report_write_cells_with_one_put():
    assert exports.put is put
    assert consolidated_sheet.put is put


@given(st.sampled_from(FORMULA_STARTS), st.text(max_size=20))
def test_text_that_looks_like_a_formula_stays_text(start, rest):
    assert reads_as_formula(start + rest)
    cell = written(start + rest)
    assert cell.data_type == "s"


def test_a_day_a_number_and_nothing():
    assert written(dt.date(2026, 12, 3)).number_format == "DD/MM/YYYY"
    assert written(Decimal("2.5")).value == 2.5
    assert written(None).value in (None, "")  # an empty text: nothing to read
    assert written("a\x00b").value == "a\ufffdb"  # XML cannot hold NUL
    assert not reads_as_formula("Xã Đô Lương") and not reads_as_formula("")
