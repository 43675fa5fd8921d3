"""Importing the register into the real database: all or nothing, every problem of every row at
once with its row and column (in Vietnamese too), references resolved against the records,
re-imports that correct by identifier, the template, and the command's exit and one line."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from haicap.assets.asset_import import (
    EXAMPLES,
    TEMPLATE_FILENAME,
    WORDS,
    import_file,
    summary,
    template_workbook,
)
from haicap.assets.asset_sheet import COLUMNS, INSTRUCTIONS_TITLE, KINDS_TITLE, TITLE
from haicap.assets.models import Asset, AssetKind, Category, Movement
from haicap.assets.services import register
from haicap.core.errors import PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.sheet_import import NothingImported
from tests.assets import register_world as w

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in COLUMNS]
ROWS = [
    # identifier, kind, name, holder, origin, address, area, original, remaining, year, condition
    ["", "TRUSO", "Trụ sở xã Đặng Sơn cũ", "17662.01.H40", "xã Đặng Sơn", "Xóm 1", "320,5",
     "2.100.000.000", "900.000.000", 2005, "kém"],
    ["", "MAYSCAN", "Máy quét Fujitsu", "17707.05.H40", "huyện Đô Lương", "", "", 21000000,
     12000000, 2022, "tốt"],
    ["QLTS-0007", "XEOTO", "Xe bán tải", "000.04.00.H40", "xã Nam Sơn (huyện Đô Lương)", "",
     "", "650.000.000", "80.000.000", 2014, "trung bình"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return w.make()


def workbook(rows: list[list], headers: list[str] = HEADERS, title: str = TITLE) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(actor, content: bytes, name: str = "tai-san.xlsx") -> list[str]:
    with pytest.raises(NothingImported) as nothing:
        import_file(actor, name, content)
    return nothing.value.problems


def test_a_workbook_enters_its_assets_each_with_its_first_movement(world):
    finance = world.people.finance
    report = import_file(finance, "tai-san.xlsx", workbook(ROWS))
    assert report.registered == ["TS.40.000005", "TS.40.000006", "QLTS-0007"]
    assert (report.updated, report.unchanged) == ([], 0)
    office = Asset.objects.get(identifier="TS.40.000005")
    assert (office.kind.code, office.holder.code, office.origin) == (
        "TRUSO",
        "17662.01.H40",
        w.former("xã", "Đặng Sơn"),
    )
    assert (office.original_value, office.remaining_value, office.acquired_year) == (
        2_100_000_000,
        900_000_000,
        2005,
    )
    assert (str(office.area_m2), office.condition, office.address) == ("320.5", "poor", "Xóm 1")
    truck = Asset.objects.get(identifier="QLTS-0007")
    assert truck.origin == w.former("xã", "Nam Sơn", within="Đô Lương")
    for asset in Asset.objects.filter(identifier__in=report.registered):
        (first,) = asset.movements.all()
        assert (first.kind, first.to_agency, first.recorded_by) == (
            Movement.Kind.REGISTERED,
            asset.holder,
            finance,
        )
    assert AuditRecord.objects.filter(action="asset.registered", actor=finance).count() == 4 + 3
    assert summary(report) == [
        "3 assets entered in the register: TS.40.000005, TS.40.000006, QLTS-0007.",
        "0 assets corrected.",
        "0 assets already as the sheet says.",
    ]


def test_every_problem_of_every_row_is_reported_at_once_and_nothing_is_written(world):
    rows = [row[:] for row in ROWS]
    rows[0][1] = "NHAKHO"  # no such kind
    rows[0][3] = "99999.01.H40"  # no such agency
    rows[1][4] = "xã Nam Sơn"  # two former communes are called so
    rows[1][6] = "12"  # a scanner has no floor area
    rows[2][4] = "xã Đô Lương"  # a current commune, not a former unit
    rows[2][8] = "700.000.000"  # more than the original: the sheet's own problem, said too
    before = (Asset.objects.count(), Movement.objects.count(), AuditRecord.objects.count())
    problems = refused(world.people.finance, workbook(rows))
    assert problems == [
        "Sheet “Tài sản”, row 2, column “Loại tài sản”: "
        "no kind of asset has the code NHAKHO (see the sheet Loại tài sản)",
        "Sheet “Tài sản”, row 2, column “Mã cơ quan quản lý”: no agency has the code 99999.01.H40",
        "Sheet “Tài sản”, row 3, column “Nguồn gốc”: 2 former units are called xã Nam Sơn: "
        "write its kind (xã, huyện…) and, where names repeat, its former district or the commune "
        "it became part of in brackets, e.g. xã Nam Sơn (huyện Đô Lương)",
        "Sheet “Tài sản”, row 3, column “Diện tích (m²)”: only land and buildings have an area",
        "Sheet “Tài sản”, row 4, column “Nguồn gốc”: xã Đô Lương still exists: the origin is the "
        "former unit that held the asset before 1 July 2025",
        "Sheet “Tài sản”, row 4, column “Giá trị còn lại (đồng)”: "
        "the remaining value is more than the original value",
    ]
    after = (Asset.objects.count(), Movement.objects.count(), AuditRecord.objects.count())
    assert after == before


def test_the_problems_are_said_in_vietnamese(world):
    rows = [row[:] for row in ROWS]
    rows[0][10] = "tuyệt"
    rows[1][1] = "NHAKHO"
    with translation.override("vi"):
        said = refused(world.people.finance, workbook(rows))
    assert said == [
        "Trang “Tài sản”, dòng 2, cột “Tình trạng”: ghi tốt, trung bình, kém hoặc hỏng",
        "Trang “Tài sản”, dòng 3, cột “Loại tài sản”: không có loại tài sản mã NHAKHO (xem trang "
        "Loại tài sản)",
    ]


def test_importing_again_corrects_by_identifier_and_leaves_the_rest(world):
    finance = world.people.finance
    import_file(finance, "tai-san.xlsx", workbook(ROWS))
    rows = [row[:] for row in ROWS]
    rows[0][0] = "TS.40.000005"
    rows[1][0] = "ts.40.000006"
    rows[1][10] = "hỏng"  # the scanner broke
    rows[2][9] = 2015  # the truck's year, corrected
    report = import_file(finance, "tai-san.xlsx", workbook(rows))
    assert (report.registered, report.updated, report.unchanged) == (
        [],
        ["TS.40.000006", "QLTS-0007"],
        1,
    )
    assert Asset.objects.get(identifier="TS.40.000006").condition == "unusable"
    assert Asset.objects.get(identifier="QLTS-0007").acquired_year == 2015
    assert Asset.objects.count() == 4 + 3
    assert Movement.objects.filter(asset__identifier="TS.40.000006").count() == 1
    record = AuditRecord.objects.get(
        action="asset.updated", object_id=str(Asset.objects.get(identifier="TS.40.000006").pk)
    )
    assert (record.before, record.after) == ({"condition": "good"}, {"condition": "unusable"})


def test_an_import_moves_nothing_and_touches_no_disposed_asset(world):
    finance = world.people.finance
    moved = [row[:] for row in ROWS[:1]]
    moved[0][0] = world.scanner.identifier
    moved[0][1] = "MAYSCAN"
    moved[0][6] = ""
    moved[0][3] = "17707.05.H40"  # but xã Đô Lương's desk holds the scanner
    moved[0][4] = "xã Đặng Sơn"  # and it came from the former district
    register.record_movement(
        finance,
        world.car,
        register.MovementSpec(on=w.DAY, decision="5/QĐ", disposal="sale"),
    )
    car = [row[:] for row in ROWS[2:]]
    car[0][0] = world.car.identifier
    assert refused(finance, workbook([*moved, *car])) == [
        "Sheet “Tài sản”, row 2, column “Mã cơ quan quản lý”: TS.40.000002 is held by "
        "17662.05.H40: an asset moves by a recorded movement, not by an import",
        "Sheet “Tài sản”, row 2, column “Nguồn gốc”: TS.40.000002 came from huyện Đô Lương: "
        "its origin does not change",
        "Sheet “Tài sản”, row 3, column “Mã tài sản”: "
        "TS.40.000004 was disposed of: its record stays as it was",
    ]


def test_new_rows_never_take_an_identifier_another_row_brings(world):
    rows = [row[:] for row in ROWS[:2]]
    rows[1][0] = "TS.40.000005"  # the number the first row would otherwise get
    report = import_file(world.people.finance, "tai-san.xlsx", workbook(rows))
    assert report.registered == ["TS.40.000006", "TS.40.000005"]
    assert Asset.objects.get(identifier="TS.40.000005").name == "Máy quét Fujitsu"


def test_a_csv_file_is_imported_too(world):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(ROWS[1:2])
    report = import_file(world.people.finance, "may-quet.csv", buffer.getvalue().encode())
    assert report.registered == ["TS.40.000005"]
    assert refused(world.people.finance, b"\xff\xfe", "tai-san.csv") == [
        "File “tai-san.csv”: the file is not UTF-8 text; save it as CSV UTF-8"
    ]
    assert refused(world.people.finance, b"PK", "tai-san.xlsx") == [
        "File “tai-san.xlsx”: the file is not a readable .xlsx workbook"
    ]


def test_only_finance_imports(world):
    with pytest.raises(PermissionDenied):
        import_file(world.people.do_luong_admin, "tai-san.xlsx", workbook(ROWS))
    assert Asset.objects.count() == 4


def test_the_template_has_the_columns_the_kinds_and_imports_nothing_as_it_comes(world):
    book = template_workbook(AssetKind.objects.order_by("code"))
    assert book.sheetnames == [INSTRUCTIONS_TITLE, TITLE, KINDS_TITLE]
    header = [c.value for c in book[TITLE][1]]
    assert header == HEADERS
    assert book[TITLE].freeze_panes == "A2"
    kinds = [[c.value for c in row] for row in book[KINDS_TITLE].iter_rows(min_row=2)]
    assert ["TRUSO", "Trụ sở làm việc", "Đất và nhà"] in kinds
    assert len(kinds) == AssetKind.objects.count()
    buffer = io.BytesIO()
    book.save(buffer)
    assert refused(world.people.finance, buffer.getvalue(), TEMPLATE_FILENAME) == [
        "Sheet “Tài sản”: the sheet has no rows"
    ]


def test_the_templates_examples_import_as_they_are_written(world):
    guide = template_workbook(AssetKind.objects.all())[INSTRUCTIONS_TITLE]
    lines = [[c.value for c in row] for row in guide.iter_rows()]
    start = next(i for i, row in enumerate(lines) if row[: len(HEADERS)] == HEADERS)
    examples = [row[: len(HEADERS)] for row in lines[start + 2 : start + 2 + len(EXAMPLES)]]
    report = import_file(world.people.finance, "vi-du.xlsx", workbook(examples))
    assert sorted(report.registered) == ["TS.40.000123", "TS.40.000124"]


def test_every_word_of_the_problems_is_in_the_catalogue():
    from haicap.assets import asset_sheet

    messages = [
        value
        for module in (asset_sheet, register)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and " " in value and "TITLE" not in name
    ]
    assert set(messages) - set(WORDS) == set()


# --- the command ------------------------------------------------------------------------------


def test_the_command_imports_a_workbook_and_says_what_it_did(world, tmp_path, capsys):
    path = tmp_path / "tai-san.xlsx"
    path.write_bytes(workbook(ROWS))
    call_command("import_assets", str(path))
    said = capsys.readouterr().out
    assert "TS.40.000005, TS.40.000006, QLTS-0007" in said
    (truck,) = Asset.objects.filter(identifier="QLTS-0007")
    assert truck.movements.get().recorded_by is None


def test_the_command_refuses_in_one_line_with_a_non_zero_exit(world, tmp_path):
    rows = [row[:] for row in ROWS]
    rows[0][1] = "NHAKHO"
    rows[2][3] = ""
    path = tmp_path / "tai-san.xlsx"
    path.write_bytes(workbook(rows))
    with pytest.raises(CommandError) as error:
        call_command("import_assets", str(path))
    line = str(error.value)
    assert "\n" not in line
    assert line.startswith("2 problems, nothing imported: ")
    assert "row 2" in line and "NHAKHO" in line and "row 4" in line
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_assets", str(tmp_path / "khong-co.xlsx"))
    assert Asset.objects.count() == 4


def test_the_command_exits_with_one_as_a_shell_sees_it(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "sai.xlsx"
    path.write_bytes(b"not a workbook")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_assets", str(path)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "sai.xlsx" in lines[0]


def test_the_templates_examples_use_the_kinds_the_database_has_and_say_where_agency_codes_are():
    kinds = [
        AssetKind(code="office", name="Trụ sở làm việc", category=Category.LAND_BUILDING),
        AssetKind(code="scanner", name="Máy quét", category=Category.EQUIPMENT),
    ]
    guide = template_workbook(kinds)[INSTRUCTIONS_TITLE]
    lines = [[c.value for c in row] for row in guide.iter_rows()]
    start = next(i for i, row in enumerate(lines) if row[: len(HEADERS)] == HEADERS)
    kind_column = HEADERS.index(next(c.header for c in COLUMNS if c.key == "kind"))
    written = [row[kind_column] for row in lines[start + 2 : start + 2 + len(EXAMPLES)]]
    assert written == ["office", "scanner"]
    assert any("/desk/registry/agencies/" in str(row[0]) for row in lines[:start])
