"""Staff workbooks for the tests, written as an official would fill the template in."""

import io

from openpyxl import Workbook

from haicap.staffing.staff_sheet import COLUMNS, Kind

HEADERS = {kind: [c.header for c in columns] for kind, columns in COLUMNS.items()}

POSITIONS = [
    ["17662.03.H40", "DATDAI", "Chuyên viên", 2],
    ["17662.05.H40", "CNTT", "Chuyên viên", 1],
    ["17707.03.H40", "DATDAI", "Chuyên viên", 1],
    ["000.03.00.H40", "DATDAI", "Chuyên viên chính", 3],
]
OFFICERS = [
    # staff number, name, agency, post field, post grade, qualifications, grade, years, since,
    # desk from, desk until, account, citizen ID, phone
    [
        "NA-0101",
        "Hồ Thị Lan",
        "17662.03.H40",
        "DATDAI",
        "Chuyên viên",
        "DATDAI; XAYDUNG",
        "Chuyên viên",
        6,
        "01/07/2025",
        "",
        "",
        "chuyenvien.doluong",
        "040195012345",
        "0912345678",
    ],
    [
        "NA-0102",
        "Phan Văn Minh",
        "17662.05.H40",
        "CNTT",
        "Chuyên viên",
        "CNTT",
        "Chuyên viên",
        3,
        "01/07/2025",
        "01/07/2025",
        "30/06/2027",
        "",
        "",
        "",
    ],
    [
        "NA-0103",
        "Đinh Văn Sơn",
        "000.03.00.H40",
        "DATDAI",
        "Chuyên viên chính",
        "DATDAI",
        "Chuyên viên chính",
        12,
        "15/03/2018",
        "",
        "",
        "",
        "040188011111",
        "",
    ],
]
NORMS = [
    ["DATDAI", "", "khối lượng", "", 60, 1, "Minh họa"],
    ["CNTT", "", "cố định", 1, "", "", "Minh họa"],
    ["DATDAI", "000.03.00.H40", "cố định", 2, "", "", ""],
    ["YTE", "17707", "cố định", 2, "", "", ""],
]
TRAVEL = [["17662", "17707", 25], ["17662", "17677", 20]]

ALL = {
    Kind.POSITIONS: POSITIONS,
    Kind.OFFICERS: OFFICERS,
    Kind.NORMS: NORMS,
    Kind.TRAVEL: TRAVEL,
}
TITLES = {
    Kind.POSITIONS: "Vị trí việc làm",
    Kind.OFFICERS: "Cán bộ",
    Kind.NORMS: "Định mức",
    Kind.TRAVEL: "Thời gian di chuyển",
}


def workbook(sheets: dict[Kind, list[list]] | None = None) -> bytes:
    """An .xlsx of the given sheets (all four by default), each with its template header."""
    book = Workbook()
    book.remove(book.active)
    for kind, rows in (sheets if sheets is not None else ALL).items():
        sheet = book.create_sheet(TITLES[kind])
        sheet.append(HEADERS[kind])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(kind: Kind, rows: list[list]) -> bytes:
    lines = [HEADERS[kind], *rows]
    return "\n".join(",".join(f'"{v}"' for v in line) for line in lines).encode()
