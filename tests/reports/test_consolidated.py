"""The consolidated report (.xlsx): every commune's numbers added up per cell, the totals equal
to the sum of the communes' rows and to what the communes submitted; a report returned or never
submitted listed, not counted; every figure traced to its submission."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from haicap.core import clock
from haicap.reports import consolidated_sheet
from haicap.reports.consolidated_sheet import CommuneLine, NumberColumn, TextColumn, Total, Words
from tests.reports import province_world as pw
from tests.reports import world

URL = f"{pw.period_url()}tong-hop.xlsx"
HEADER_ROW = 4

# What the three counted communes submitted (province_world): Đô Lương (approved), Văn Hiến
# (awaiting the province) and Thuần Trung's second submission. Bạch Hà's 99 dossiers were
# returned and are not counted; Lương Sơn never submitted its 40.
TOTALS = {
    "received": 12 + 20 + 6,
    "received_online": 3 + 8 + 2,
    "resolved": 10 + 15 + 6,
    "by_field.received": (7 + 5) + 20 + 6,
    "meetings": 4 + 2 + 3,
}


def download(user, language: str = "en"):
    with clock.fixed_at(world.at(12, 20)):
        return world.signed_in(user, language).get(URL)


def sheet_rows(book, index: int) -> list[list[object]]:
    """The rows under a sheet's headings, headed by the headings."""
    sheet = book.worksheets[index]
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


@pytest.fixture
def workbook(db):
    made = pw.november()
    response = download(made.people.reviewer)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="tong-hop-kiem-thu-thang-2026-11-01.xlsx"' in response["Content-Disposition"]
    return made, load_workbook(io.BytesIO(response.content))


def test_the_summary_adds_up_what_the_counted_communes_submitted(workbook):
    _made, book = workbook
    assert book.sheetnames == ["Summary", "By commune", "Difficulties and proposals"]
    header, *lines = sheet_rows(book, 0)
    assert header == [
        "No.",
        "Cell key",
        "Figure",
        "Unit of count",
        "Total",
        "Communes giving the figure",
    ]
    found = {line[1]: (line[4], line[5]) for line in lines}
    assert found == {key: (total, 3) for key, total in TOTALS.items()}
    received = next(line for line in lines if line[1] == "received")
    assert received[2:4] == ["Số hồ sơ tiếp nhận", "hồ sơ"]
    title = book.worksheets[0]["A1"].value
    assert "Báo cáo kiểm thử hằng tháng" in title and "11/2026" in title
    assert "3 of 6 expected reports counted" in book.worksheets[0]["A2"].value


def test_each_commune_has_its_row_and_the_totals_row_adds_up_the_counted_ones(workbook):
    _made, book = workbook
    header, *lines = sheet_rows(book, 1)
    column = {name: i for i, name in enumerate(header)}
    by_name = {line[0]: line for line in lines[:-1]}
    totals = lines[-1]
    assert set(by_name) == {
        "Đô Lương",
        "Văn Hiến",
        "Thuần Trung",
        "Bạch Hà",
        "Lương Sơn",
        "Bạch Ngọc",
    }
    assert totals[0] == "Total of the counted reports"
    numbers = {
        "received": "Số hồ sơ tiếp nhận (hồ sơ)",
        "received_online": "Trong đó tiếp nhận trực tuyến (hồ sơ)",
        "resolved": "Số hồ sơ đã giải quyết (hồ sơ)",
        "by_field.received": "Hồ sơ tiếp nhận theo lĩnh vực: Tiếp nhận",
        "meetings": "Số cuộc họp giao ban",
    }
    for key, heading in numbers.items():
        at = column[heading]
        counted = [line[at] for line in by_name.values() if line[column["Counted"]] == "Yes"]
        assert totals[at] == sum(counted) == TOTALS[key]
    do_luong = by_name["Đô Lương"]
    assert [do_luong[column[numbers[k]]] for k in numbers] == [12, 3, 10, 12, 4]


def test_a_commune_row_names_the_submission_it_was_read_from(workbook):
    made, book = workbook
    header, *lines = sheet_rows(book, 1)
    column = {name: i for i, name in enumerate(header)}
    by_name = {line[0]: line for line in lines[:-1]}
    thuan_trung = by_name["Thuần Trung"]
    report = made.reports[pw.THUAN_TRUNG]
    # counted by its second submission (6 dossiers), not its first (5), which was returned
    assert thuan_trung[column["Submission number"]] == 2
    assert thuan_trung[column["Số hồ sơ tiếp nhận (hồ sơ)"]] == 6
    assert thuan_trung[column["Address of the report"]] == (
        f"http://testserver/desk/bao-cao-dinh-ky/{report.pk}/lan/2/"
    )
    assert thuan_trung[column["Submitted at"]] == dt.datetime(2026, 12, 6, 9, 0)
    assert thuan_trung[column["Where it stands"]] == "Submitted on time"
    assert thuan_trung[column["Commune code"]] == pw.THUAN_TRUNG


def test_a_returned_a_draft_and_an_unopened_report_are_listed_not_counted(workbook):
    made, book = workbook
    header, *lines = sheet_rows(book, 1)
    column = {name: i for i, name in enumerate(header)}
    by_name = {line[0]: line for line in lines[:-1]}
    received = column["Số hồ sơ tiếp nhận (hồ sơ)"]
    bach_ha = by_name["Bạch Hà"]
    assert bach_ha[column["State of the report"]] == "Returned for correction"
    assert bach_ha[column["Counted"]] == "No"
    assert bach_ha[received] is None  # its 99 dossiers are not in the totals
    assert bach_ha[column["Address of the report"]].endswith(
        f"/desk/bao-cao-dinh-ky/{made.reports[pw.BACH_HA].pk}/"
    )
    assert by_name["Lương Sơn"][column["State of the report"]] == "Being written"
    assert by_name["Lương Sơn"][received] is None
    bach_ngoc = by_name["Bạch Ngọc"]
    assert bach_ngoc[column["State of the report"]] == "Not opened yet"
    assert bach_ngoc[column["Where it stands"]] == "Not submitted, late"
    assert bach_ngoc[column["Address of the report"]] is None


def test_the_difficulties_and_proposals_of_the_counted_reports(workbook):
    _made, book = workbook
    header, *lines = sheet_rows(book, 2)
    assert header == [
        "Commune or ward",
        "Submission number",
        "Address of the report",
        "Khó khăn, vướng mắc",
        "Kiến nghị, đề xuất",
    ]
    found = {line[0]: (line[1], line[3], line[4]) for line in lines}
    assert found == {
        "Đô Lương": (1, "Thiếu máy scan để số hóa hồ sơ.", "Đề nghị tỉnh cấp bổ sung 02 máy scan."),
        "Văn Hiến": (1, "Đường truyền mạng chập chờn.", "Đề nghị nâng cấp đường truyền."),
        "Thuần Trung": (2, "Thiếu cán bộ địa chính.", "Đề nghị tỉnh cấp bổ sung 02 máy scan."),
    }


@pytest.mark.django_db
def test_the_workbook_speaks_the_readers_language():
    made = pw.november()
    book = load_workbook(io.BytesIO(download(made.people.supervisor, "vi").content))
    assert book.sheetnames[0] != "Summary"
    header = sheet_rows(book, 1)[0]
    assert "Where it stands" not in header and "Commune or ward" not in header


@pytest.mark.django_db
def test_the_consolidated_report_is_the_provinces_only():
    made = pw.november()
    assert download(made.people.do_luong_leader).status_code == 404
    assert download(made.people.finance).status_code == 404
    assert download(made.people.supervisor).status_code == 200


@pytest.mark.django_db
def test_a_period_nobody_filed_has_no_totals():
    people = world.people()
    world.publish()
    book = load_workbook(io.BytesIO(download(people.reviewer).content))
    _header, *lines = sheet_rows(book, 0)
    assert {line[1]: (line[4], line[5]) for line in lines} == {key: (None, 0) for key in TOTALS}
    commune_lines = sheet_rows(book, 1)[1:]
    assert len(commune_lines) == 3 + 1  # the three filers and the totals row


# -- the workbook from plain values (pure) ---------------------------------------------------------

WORDS = Words(*(f"w{i}" for i in range(len(Words.__dataclass_fields__))))


def build(lines: list[CommuneLine], texts: tuple[TextColumn, ...] = ()) -> object:
    content = consolidated_sheet.content(
        consolidated_sheet.workbook(
            WORDS,
            [NumberColumn("n", "N")],
            {"n": Total(Decimal(3), 1)},
            lines,
            texts,
        )
    )
    return load_workbook(io.BytesIO(content))


def line(name: str, text: str = "", counted: bool = True) -> CommuneLine:
    return CommuneLine(
        commune=name,
        code="1",
        standing="s",
        state="t",
        counted=counted,
        submission=1,
        submitted_at=dt.datetime(2026, 12, 3, 9, 30),
        address="http://x/1/",
        numbers={"n": Decimal(3)},
        texts={"d": text},
    )


TYPED = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@given(TYPED | TYPED.map(lambda t: "=" + t) | TYPED.map(lambda t: "-" + t))
def test_any_text_a_commune_writes_is_kept_as_text_never_a_formula(written):
    book = build([line("Xã", written)], (TextColumn("d", "D"),))
    cell = book.worksheets[2].cell(row=HEADER_ROW + 1, column=4)
    if written:
        assert (cell.value, cell.data_type) == (written, "s")
    else:
        assert cell.value is None


def test_a_moment_is_a_date_cell_and_a_number_stays_a_number():
    book = build([line("Xã")])
    row = HEADER_ROW + 1
    sheet = book.worksheets[1]
    assert sheet.cell(row=row, column=7).value == dt.datetime(2026, 12, 3, 9, 30)
    assert sheet.cell(row=row, column=7).number_format == "DD/MM/YYYY HH:MM"
    assert sheet.cell(row=row, column=10).value == 3
    assert sheet.cell(row=row + 1, column=10).value == 3  # the totals row


def test_a_line_not_counted_shows_no_number_even_if_given_one():
    book = build([line("Xã", counted=False)])
    assert book.worksheets[1].cell(row=HEADER_ROW + 1, column=10).value is None
    assert book.worksheets[2].max_row == HEADER_ROW  # no highlighted texts either


def test_a_share_has_no_total_in_the_summary_nor_the_totals_row():
    content = consolidated_sheet.content(
        consolidated_sheet.workbook(
            WORDS,
            [NumberColumn("n", "N"), NumberColumn("rate", "Tỷ lệ", "%", adds_up=False)],
            {"n": Total(Decimal(3), 1), "rate": Total(None, 1)},
            [line("Xã")],
            (),
        )
    )
    book = load_workbook(io.BytesIO(content))
    not_added = WORDS.not_added
    summary = book.worksheets[0]
    assert [summary.cell(row=HEADER_ROW + i, column=5).value for i in (1, 2)] == [3, not_added]
    totals_row = HEADER_ROW + 2
    assert book.worksheets[1].cell(row=totals_row, column=11).value == not_added


# -- reports filed on different versions of the template ------------------------------------------


def _cells_renamed() -> dict:
    """The tests' template as its second version: "meetings" renamed "briefings", and
    "online", a share of the dossiers in the first version, now a count of them."""
    sections = [
        dict(section, cells=list(section["cells"])) for section in world.DEFINITION["sections"]
    ]
    cells = sections[0]["cells"]
    at = next(i for i, cell in enumerate(cells) if cell["key"] == "meetings")
    cells[at] = {"key": "briefings", "label": "Số cuộc họp giao ban tuần", "kind": "number"}
    cells.append(
        {"key": "online", "label": "Số hồ sơ trực tuyến", "kind": "number", "unit": "hồ sơ"}
    )
    return {**world.DEFINITION, "sections": sections}


def _with_share() -> dict:
    sections = [
        dict(section, cells=list(section["cells"])) for section in world.DEFINITION["sections"]
    ]
    sections[0]["cells"].append(
        {"key": "online", "label": "Tỷ lệ hồ sơ trực tuyến", "kind": "number", "unit": "%"}
    )
    return {**world.DEFINITION, "sections": sections}


@pytest.mark.django_db
def test_each_submission_gives_the_figures_of_the_version_it_was_filed_against():
    """Đô Lương opens November on the first version; the province then publishes a second
    version for November (nothing of November submitted yet), in which Văn Hiến files (2
    briefings, 8 dossiers online), while Đô Lương's opened report keeps its version (4 meetings,
    25 % online). A figure the first version did not have, or had as a share, is blank for Đô
    Lương, never its meetings nor its 25 % added as dossiers."""
    people = world.people()
    world.publish(_with_share(), filers=(pw.DO_LUONG, pw.VAN_HIEN))
    world.open_november(people.do_luong)
    second = world.publish(
        _cells_renamed(), in_force_from=world.NOVEMBER.start, filers=(pw.DO_LUONG, pw.VAN_HIEN)
    )
    do_luong = pw.Figures(12, 3, 10, (("Hộ tịch", 12),), 4, extra={"online": "25"})
    pw.submit(pw.DO_LUONG, do_luong, world.at(12, 3))
    van_hien = pw.Figures(20, 8, 15, (("Hộ tịch", 20),), 0, extra={"briefings": "2", "online": "8"})
    pw.submit(pw.VAN_HIEN, van_hien, world.at(12, 4))
    book = load_workbook(io.BytesIO(download(people.reviewer).content))
    _header, *summary = sheet_rows(book, 0)
    found = {line[1]: (line[4], line[5]) for line in summary}
    assert list(found) == list(second.parsed.number_keys)  # the second version's figures
    assert found["received"] == (12 + 20, 2)
    assert found["briefings"] == (2, 1)  # Văn Hiến's alone: Đô Lương's version had none
    assert found["online"] == (8, 1)  # Đô Lương's 25 was a share, not 25 dossiers
    header, *lines = sheet_rows(book, 1)
    column = {name: i for i, name in enumerate(header)}
    by_name = {line[0]: line for line in lines[:-1]}
    first_row, second_row = by_name["Đô Lương"], by_name["Văn Hiến"]
    assert first_row[column["Counted"]] == "Yes"
    assert first_row[column["Template version"]] == 1
    assert second_row[column["Template version"]] == 2
    assert first_row[column["Số hồ sơ tiếp nhận (hồ sơ)"]] == 12
    assert first_row[column["Số cuộc họp giao ban tuần"]] is None
    assert first_row[column["Số hồ sơ trực tuyến (hồ sơ)"]] is None
    assert second_row[column["Số hồ sơ trực tuyến (hồ sơ)"]] == 8
