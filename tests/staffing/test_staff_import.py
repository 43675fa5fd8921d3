"""Importing who works where into the real database: all or nothing, every problem with its
sheet, row and column in Vietnamese, re-imports update, and the command's one line."""

import copy
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.errors import PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.sheet_import import NothingImported
from haicap.core.sheets import read_sheets
from haicap.staffing.models import NormRule, Officer, Position
from haicap.staffing.staff_import import (
    EXAMPLES,
    TEMPLATE_FILENAME,
    import_files,
    summary,
    template_workbook,
)
from haicap.staffing.staff_sheet import (
    AGENCY_CODES_TITLE,
    COLUMNS,
    FIELD_CODES_TITLE,
    INSTRUCTIONS_TITLE,
    ORDER,
    TITLES,
    Kind,
)
from haicap.units.models import TravelTime
from tests.staffing import sheets
from tests.staffing.conftest import BACH_HA, DO_LUONG, VAN_HIEN, commune

pytestmark = pytest.mark.django_db


def counts(report) -> dict[Kind, tuple[int, int, int]]:
    return {k: (c.created, c.updated, c.unchanged) for k, c in report.counts.items()}


def written() -> tuple[int, int, int, int]:
    return (
        Position.objects.count(),
        Officer.objects.count(),
        NormRule.objects.count(),
        TravelTime.objects.count(),
    )


def test_a_workbook_of_four_sheets_is_imported(fields, people):
    report = import_files(people.home_affairs, [("nhan-su.xlsx", sheets.workbook())])
    assert counts(report) == {
        Kind.POSITIONS: (4, 0, 0),
        Kind.OFFICERS: (3, 0, 0),
        Kind.NORMS: (4, 0, 0),
        Kind.TRAVEL: (2, 0, 0),
    }
    lan = Officer.objects.get(staff_number="NA-0101")
    assert (lan.agency.code, lan.position.field.code, lan.position.grade) == (
        "17662.03.H40",
        "DATDAI",
        "Chuyên viên",
    )
    assert sorted(lan.qualifications.values_list("code", flat=True)) == ["DATDAI", "XAYDUNG"]
    assert lan.user.username == "chuyenvien.doluong"
    assert (lan.experience_years, lan.in_post_since) == (6, dt.date(2025, 7, 1))
    minh = Officer.objects.get(staff_number="NA-0102")
    assert (minh.desk_posting_from, minh.desk_posting_until) == (
        dt.date(2025, 7, 1),
        dt.date(2027, 6, 30),
    )
    workload = NormRule.objects.get(field__code="DATDAI", unit=None, agency=None)
    assert (workload.basis, workload.dossiers_per_officer_month, workload.minimum) == (
        "workload",
        60,
        1,
    )
    assert NormRule.objects.get(field__code="YTE").unit == commune(BACH_HA)
    assert NormRule.objects.get(field__code="DATDAI", agency__isnull=False).count == 2
    pair = TravelTime.objects.get(minutes=25)
    assert {pair.one, pair.other} == {commune(DO_LUONG), commune(BACH_HA)}
    assert (
        AuditRecord.objects.filter(action="officer.created", actor=people.home_affairs).count() == 3
    )


def test_the_report_says_per_sheet_what_was_created_and_updated(fields, people):
    report = import_files(people.home_affairs, [("nhan-su.xlsx", sheets.workbook())])
    with translation.override("vi"):
        lines = summary(report)
    assert lines[1] == "Cán bộ (trang “Cán bộ”): tạo mới 3, cập nhật 0, không đổi 0."


def test_importing_again_changes_nothing_and_a_changed_row_updates_its_officer(fields, people):
    import_files(people.home_affairs, [("nhan-su.xlsx", sheets.workbook())])
    again = import_files(people.home_affairs, [("nhan-su.xlsx", sheets.workbook())])
    assert counts(again) == {
        Kind.POSITIONS: (0, 0, 4),
        Kind.OFFICERS: (0, 0, 3),
        Kind.NORMS: (0, 0, 4),
        Kind.TRAVEL: (0, 0, 2),
    }
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[0][7] = 7  # a year more experience
    officers[1][9:11] = ["", ""]  # no longer on the desk
    officers[2][12] = ""  # the citizen ID left out: kept
    changed = import_files(
        people.home_affairs, [("can-bo.xlsx", sheets.workbook({Kind.OFFICERS: officers}))]
    )
    assert counts(changed) == {Kind.OFFICERS: (0, 2, 1)}
    assert Officer.objects.get(staff_number="NA-0101").experience_years == 7
    minh = Officer.objects.get(staff_number="NA-0102")
    assert (minh.desk_posting_from, minh.desk_posting_until) == (None, None)
    assert Officer.objects.get(staff_number="NA-0103").citizen_id == "040188011111"
    assert Officer.objects.count() == 3


def test_a_bad_row_leaves_nothing_written_and_is_named_in_vietnamese(fields, people):
    before = written()
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[1][2] = "99999.05.H40"  # an agency that does not exist
    officers[2][4] = "Cán sự"  # a grade Home Affairs has no position of
    officers[0][11] = "khong.co.ai"
    content = sheets.workbook({**sheets.ALL, Kind.OFFICERS: officers})
    with translation.override("vi"), pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("nhan-su.xlsx", content)])
    assert refused.value.problems == [
        "Trang “Cán bộ”, dòng 2, cột “Tài khoản haicap”: Không có tài khoản đang hoạt động "
        "nào có tên đăng nhập khong.co.ai.",
        "Trang “Cán bộ”, dòng 3, cột “Mã cơ quan”: Không có cơ quan nào mang mã 99999.05.H40: "
        "xem mã các cơ quan ở trang “Cơ quan” của haicap hoặc trang “Mã cơ quan” của bảng tính "
        "mẫu.",
        "Trang “Cán bộ”, dòng 4, cột “Ngạch vị trí”: 000.03.00.H40 không có vị trí lĩnh vực "
        "DATDAI, ngạch Cán sự: hãy thêm vào trang vị trí việc làm.",
    ]
    # the positions and norms of the same workbook, which were good, are not written either
    assert written() == before
    assert not AuditRecord.objects.filter(action="position.created").exists()


def test_every_problem_of_every_row_and_sheet_is_reported_in_one_go(fields, people):
    """What the sheet reader finds and what the records refuse, in one answer: a row's bad
    number does not hide its unknown agency, nor a repeated staff number the other rows'."""
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[1][9:11] = ["01/07/2026", "30/06/2026"]  # the posting ends before it begins
    officers[1][12] = "12345"
    officers[2][2:6] = ["99999.99.H40", "DAT DAI", "Chuyên viên", "XYZ"]
    officers[2][7] = "nhiều"
    officers[2][8] = "31/02/2025"
    repeated = copy.deepcopy(sheets.OFFICERS[0])  # NA-0101 again, with an unknown account
    repeated[11] = "khong.co.ai"
    norms = [*sheets.NORMS, ["KHONGCO", "", "theo ý", "", "", "", ""]]
    content = sheets.workbook(
        {**sheets.ALL, Kind.OFFICERS: [*officers, repeated], Kind.NORMS: norms}
    )
    with pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("nhan-su.xlsx", content)])
    unknown = "No staff field has the code %s; the codes are CNTT, DATDAI, GIAODUC, XAYDUNG, YTE."
    assert refused.value.problems == [
        "Sheet “Cán bộ”, row 3, column “Làm Một cửa đến ngày”: The posting ends before it begins.",
        "Sheet “Cán bộ”, row 3, column “Số CCCD”: A citizen ID number has 12 digits.",
        "Sheet “Cán bộ”, row 4, column “Mã cơ quan”: No agency has the code 99999.99.H40: the"
        " codes are on the desk's Agencies page and on the template's sheet “Mã cơ quan”.",
        "Sheet “Cán bộ”, row 4, column “Lĩnh vực vị trí”: " + unknown % "DAT DAI",
        "Sheet “Cán bộ”, row 4, column “Lĩnh vực chuyên môn”: " + unknown % "XYZ",
        "Sheet “Cán bộ”, row 4, column “Số năm kinh nghiệm”: Not a whole number from 0 to 80.",
        "Sheet “Cán bộ”, row 4, column “Giữ vị trí từ ngày”: Not a date written dd/mm/yyyy.",
        "Sheet “Cán bộ”, row 5, column “Số hiệu cán bộ”: NA-0101 is already on row 2.",
        "Sheet “Cán bộ”, row 5, column “Tài khoản haicap”: No active account has the user name"
        " khong.co.ai.",
        "Sheet “Định mức”, row 6, column “Mã lĩnh vực”: " + unknown % "KHONGCO",
        "Sheet “Định mức”, row 6, column “Căn cứ”: Write cố định (fixed) or khối lượng (workload).",
    ]
    assert written() == (0, 0, 0, 0)


def test_a_day_in_post_after_today_is_refused(fields, people):
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[0][8] = "01/01/2030"
    content = sheets.workbook({**sheets.ALL, Kind.OFFICERS: officers})
    monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)
    with (
        clock.fixed_at(monday),
        translation.override("vi"),
        pytest.raises(NothingImported) as refused,
    ):
        import_files(people.home_affairs, [("nhan-su.xlsx", content)])
    assert refused.value.problems == [
        "Trang “Cán bộ”, dòng 2, cột “Giữ vị trí từ ngày”: Ngày sau hôm nay (07/12/2026)."
    ]


def test_an_officers_position_must_exist_before_or_in_the_same_import(fields, people):
    only_officers = {Kind.OFFICERS: sheets.OFFICERS}
    with pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("can-bo.xlsx", sheets.workbook(only_officers))])
    assert len(refused.value.problems) == 3
    assert all("has no position of field" in p for p in refused.value.problems)
    import_files(
        people.home_affairs,
        [("vi-tri.xlsx", sheets.workbook({Kind.POSITIONS: sheets.POSITIONS}))],
    )
    report = import_files(people.home_affairs, [("can-bo.xlsx", sheets.workbook(only_officers))])
    assert counts(report) == {Kind.OFFICERS: (3, 0, 0)}


def test_separate_csv_files_import_together(fields, people):
    files = [
        ("can-bo.csv", sheets.csv_file(Kind.OFFICERS, sheets.OFFICERS)),
        ("vi-tri.csv", sheets.csv_file(Kind.POSITIONS, sheets.POSITIONS)),
    ]
    report = import_files(people.home_affairs, files)
    assert counts(report) == {Kind.POSITIONS: (4, 0, 0), Kind.OFFICERS: (3, 0, 0)}
    assert report.titles == {Kind.POSITIONS: "vi-tri", Kind.OFFICERS: "can-bo"}


def test_what_the_records_refuse_is_reported_row_by_row(fields, people, staffed):
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[0][11] = "chuyenvien.doluong"
    officers[1][11] = "chuyenvien.doluong"  # the same account twice
    officers[2][2:5] = ["17662.03.H40", "DATDAI", "Chuyên viên"]
    officers[2][9:11] = ["01/01/2026", ""]  # the Economic Office has no one-stop desk
    officers[2][5] = "DATDAI; KHONGCO"
    norms = [["DATDAI", "17662.01.H40", "cố định", 1, "", "", ""], ["CNTT", "99999", "cố định", 1]]
    travel = [["17662", "40", 10], ["17662", "00000", 10]]
    content = sheets.workbook(
        {
            Kind.POSITIONS: sheets.POSITIONS,
            Kind.OFFICERS: officers,
            Kind.NORMS: norms,
            Kind.TRAVEL: travel,
        }
    )
    with pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("x.xlsx", content)])
    assert refused.value.problems == [
        "Sheet “Cán bộ”, row 3, column “Tài khoản haicap”: The account chuyenvien.doluong is"
        " named on row 2 too.",
        "Sheet “Cán bộ”, row 4, column “Lĩnh vực chuyên môn”: No staff field has the code"
        " KHONGCO; the codes are CNTT, DATDAI, GIAODUC, XAYDUNG, YTE.",
        "Sheet “Cán bộ”, row 4, column “Làm Một cửa từ ngày”: 17662.03.H40 has no one-stop"
        " desk: only a desk's officers have posting dates.",
        "Sheet “Định mức”, row 2, column “Áp dụng cho”: 17662.01.H40 is not a provincial"
        " agency: a commune's norm names the commune.",
        "Sheet “Định mức”, row 3, column “Áp dụng cho”: No current commune has the code 99999:"
        " the codes are on the desk's Units page.",
        "Sheet “Thời gian di chuyển”, row 3, column “Mã đơn vị thứ hai”: No unit has the code"
        " 00000: the codes are on the desk's Units page.",
    ]


def test_an_account_linked_to_another_officer_is_refused(fields, people, staffed):
    staffed.an.user = people.do_luong
    staffed.an.save()
    with pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("x.xlsx", sheets.workbook())])
    assert refused.value.problems == [
        "Sheet “Cán bộ”, row 2, column “Tài khoản haicap”: The account chuyenvien.doluong is"
        " linked to officer NA-0001."
    ]


def test_a_file_that_is_no_sheet_is_refused_by_name(people):
    with translation.override("vi"), pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [("anh.png", b"\x89PNG"), ("x.xlsx", b"PK broken")])
    assert refused.value.problems == [
        "Tệp “anh.png”: Hãy gửi tệp .csv hoặc .xlsx.",
        "Tệp “x.xlsx”: Tệp không phải bảng tính .xlsx đọc được.",
    ]


@pytest.mark.parametrize("who", ["do_luong_admin", "supervisor"])
def test_only_those_who_arrange_staff_import(fields, people, who):
    with pytest.raises(PermissionDenied):
        import_files(getattr(people, who), [("x.xlsx", sheets.workbook())])
    assert written() == (0, 0, 0, 0)


# --- the command -------------------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_did(fields, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(sheets.workbook())
    out = io.StringIO()
    call_command("import_staff", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Positions (sheet “Vị trí việc làm”): 4 created, 0 updated, 0 unchanged."
    assert len(lines) == 4
    assert AuditRecord.objects.filter(action="officer.created").latest("id").actor_label == (
        "import_staff"
    )


def test_the_command_refuses_in_one_line_and_fails(fields, tmp_path):
    officers = copy.deepcopy(sheets.OFFICERS)
    officers[0][8] = "30/02/2025"
    officers[1][0] = ""
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(sheets.workbook({**sheets.ALL, Kind.OFFICERS: officers}))
    with pytest.raises(CommandError) as failed:
        call_command("import_staff", str(path))
    message = str(failed.value)
    assert "\n" not in message
    assert message == (
        "2 problems, nothing imported: "
        "Sheet “Cán bộ”, row 2, column “Giữ vị trí từ ngày”: Not a date written dd/mm/yyyy. "
        "Sheet “Cán bộ”, row 3, column “Số hiệu cán bộ”: Empty: it is required."
    )
    assert written() == (0, 0, 0, 0)


def test_the_command_exits_non_zero_for_a_file_it_cannot_read(tmp_path):
    import subprocess
    import sys

    missing = tmp_path / "khong-co.xlsx"
    done = subprocess.run(
        [sys.executable, "manage.py", "import_staff", str(missing)],
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "HAICAP_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0
    assert "khong-co.xlsx" in done.stderr


# --- the template ------------------------------------------------------------------------------


def test_the_template_has_the_four_sheets_with_their_headers_and_imports_nothing(fields, people):
    book = template_workbook()
    assert book.sheetnames == [
        INSTRUCTIONS_TITLE,
        *(TITLES[k] for k in ORDER),
        FIELD_CODES_TITLE,
        AGENCY_CODES_TITLE,
    ]
    for kind in ORDER:
        header = [c.value for c in book[TITLES[kind]][1]]
        assert header == [c.header for c in COLUMNS[kind]]
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(NothingImported) as refused:
        import_files(people.home_affairs, [(TEMPLATE_FILENAME, buffer.getvalue())])
    assert refused.value.problems == ["Sheet “Vị trí việc làm”: The sheets have no rows."]


def test_the_templates_examples_import_into_the_demo_province(fields, people):
    book = template_workbook()
    for kind in ORDER:
        for row in EXAMPLES[kind]:
            book[TITLES[kind]].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    assert [s.title for s in read_sheets("x.xlsx", content)][1:5] == [TITLES[k] for k in ORDER]
    report = import_files(people.home_affairs, [("mau.xlsx", content)])
    assert {k: c.created for k, c in report.counts.items()} == {k: len(EXAMPLES[k]) for k in ORDER}
    assert load_workbook(io.BytesIO(content))[INSTRUCTIONS_TITLE]["A1"].value
    assert TravelTime.objects.filter(minutes=25).exists()
    assert not TravelTime.objects.filter(one=commune(VAN_HIEN)).exists()


def test_the_template_lists_the_field_and_agency_codes_to_write(fields, people):
    book = template_workbook(people.home_affairs)
    field_rows = [[c.value for c in row] for row in book[FIELD_CODES_TITLE].iter_rows()]
    assert field_rows[0] == ["Mã lĩnh vực", "Tên lĩnh vực"]
    assert ["DATDAI", "Đất đai"] in field_rows[1:]
    assert len(field_rows) == 1 + len(fields)
    agency_rows = [[c.value for c in row] for row in book[AGENCY_CODES_TITLE].iter_rows()]
    codes = [row[0] for row in agency_rows[1:]]
    assert "000.03.00.H40" in codes and "17662.03.H40" in codes
    # the provincial agencies first, then the communes' in Vietnamese order: Bạch Hà before
    # Bắc Lý, Đô Lương after every D
    communes = [row[2] for row in agency_rows[1:] if row[2].startswith("xã ")]
    assert communes.index("xã Bạch Hà") < communes.index("xã Bắc Lý")
    assert book[FIELD_CODES_TITLE].freeze_panes == "A2"


def test_the_template_says_once_whether_a_column_and_its_cells_may_be_left_out():
    guide = template_workbook()[INSTRUCTIONS_TITLE]
    notes = [c.value for row in guide.iter_rows() for c in row if isinstance(c.value, str)]
    qualifications = next(n for n in notes if n.startswith("các mã lĩnh vực"))
    assert qualifications.endswith("(cột bắt buộc, ô có thể để trống)")
    assert qualifications.count("(") == 1
    assert not [n for n in notes if "để trống" in n and n.endswith("(bắt buộc)")]


def test_the_templates_code_sheets_are_passed_over_by_the_import(fields, people):
    book = template_workbook(people.home_affairs)
    book[TITLES[Kind.TRAVEL]].append(["17662", "17707", "25"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_files(people.home_affairs, [(TEMPLATE_FILENAME, buffer.getvalue())])
    assert counts(report) == {
        Kind.POSITIONS: (0, 0, 0),
        Kind.OFFICERS: (0, 0, 0),
        Kind.NORMS: (0, 0, 0),
        Kind.TRAVEL: (1, 0, 0),
    }
