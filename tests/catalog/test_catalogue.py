"""The procedure catalogue: the demo list, spreadsheet imports and versioned templates."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from haicap.catalog import procedure_sheet
from haicap.catalog.demo import TEMPLATES_DIR
from haicap.catalog.models import Procedure, ProcessTemplate
from haicap.catalog.services import import_procedures, publish_template
from haicap.core.errors import InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.sheets import read_rows

pytestmark = pytest.mark.django_db

HEADER = ",".join(procedure_sheet.COLUMNS)
GOOD_ROW = (
    "Z.1,Thủ tục thử,HOTICH,commune,council_committee_office,,2,working_days,15:00,"
    '"10.000",,partial,one-stop-standard,Tờ khai (bản chính); CCCD (xuất trình),'
)


def standard_definition() -> dict:
    return json.loads((TEMPLATES_DIR / "one-stop-standard.json").read_text(encoding="utf-8"))


def test_the_demo_catalogue_has_over_sixty_procedures_on_both_tiers():
    procedures = Procedure.objects.all()
    assert procedures.count() >= 60
    assert procedures.filter(tier="commune").count() >= 30
    assert procedures.filter(tier="province").count() >= 20
    for procedure in procedures.filter(tier="province"):
        assert procedure.provincial_agency is not None, procedure.national_code
        assert procedure.provincial_agency.unit.code == "40"
    justice = Procedure.objects.get(national_code="T.TP.001")
    assert justice.provincial_agency.name == "Sở Tư pháp"


def test_procedures_keep_their_legal_time_cut_off_fee_and_papers():
    birth = Procedure.objects.get(national_code="X.HT.001")
    assert (birth.legal_amount, birth.legal_unit, birth.cutoff.isoformat()) == (
        1,
        "whole_working_days",
        "15:00:00",
    )
    assert birth.legal_source == "Luật Hộ tịch 2014, Điều 5 và Điều 16 khoản 2"
    assert birth.documents[2] == {
        "name": "Giấy tờ tùy thân của người đi đăng ký",
        "form": "shown",
        "quantity": 1,
    }
    assets = Procedure.objects.get(national_code="T.TS.001")
    assert (assets.legal_amount, assets.legal_unit) == (105, "calendar_days")


def test_documents_are_read_with_the_form_each_is_needed_in():
    assert procedure_sheet.parse_documents("Tờ khai (bản chính); Sổ (bản sao); Thẻ") == (
        {"name": "Tờ khai", "form": "original", "quantity": 1},
        {"name": "Sổ", "form": "copy", "quantity": 1},
        {"name": "Thẻ", "form": "either", "quantity": 1},
    )


def parse(text: str):
    header, rows = read_rows("x.csv", (HEADER + "\n" + text).encode())
    return procedure_sheet.parse_rows(rows, header)


def test_every_bad_row_is_reported_with_its_line():
    with pytest.raises(procedure_sheet.SheetError) as caught:
        parse(
            GOOD_ROW
            + "\n"
            + GOOD_ROW
            + "\n"
            + "Z.2,Thủ tục,HOTICH,province,economic_office,,2,working_days,,0,,none,t,,\n"
            + "Z.3,Thủ tục,HOTICH,province,department,,2,working_days,,0,,none,t,,\n"
            + "Z.4,Thủ tục,HOTICH,commune,economic_office,,-1,fortnights,3pm,mười,,always,t,,\n"
            + "Z.5,Thủ tục,HOTICH,commune,economic_office,,1.5,calendar_days,,0,,none,,,\n"
        )
    assert caught.value.problems == [
        "line 3: national code Z.1 is already on line 2",
        "line 4: agency_kind 'economic_office' is not a province-level agency",
        "line 5: a provincial procedure decided by a department names the department",
        "line 6: legal_amount must be a positive number",
        "line 6: legal_unit must be one of working_days, working_hours, calendar_days, "
        "whole_working_days",
        "line 6: cutoff must be a time written HH:MM",
        "line 6: fee_vnd must be a whole number of đồng",
        "line 6: online_level must be one of none, partial, full",
        "line 7: template is empty",
        "line 7: calendar days are whole days",
    ]


def test_a_row_naming_what_does_not_exist_imports_nothing():
    rows = parse(
        GOOD_ROW.replace("Z.1", "Z.9").replace("HOTICH", "NOPE")
        + "\n"
        + "Z.8,Thủ tục,TUPHAP,province,department,Sở Không Có,2,working_days,,0,,none,"
        + "no-template,,\n"
    )
    with pytest.raises(InvalidInput) as caught:
        import_procedures(None, rows)
    assert caught.value.detail == (
        "dòng 2: không có lĩnh vực mang mã NOPE; "
        "dòng 3: chưa công bố quy trình no-template; "
        "dòng 3: không có cơ quan cấp tỉnh tên Sở Không Có"
    )
    assert not Procedure.objects.filter(national_code__in=["Z.9", "Z.8"]).exists()


def test_an_excel_sheet_imports_and_a_second_import_updates_only_what_changed(tmp_path, capsys):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(procedure_sheet.COLUMNS))
    sheet.append(next(__import__("csv").reader(io.StringIO(GOOD_ROW))))
    path = tmp_path / "thu-tuc.xlsx"
    workbook.save(path)
    call_command("import_procedures", str(path))
    assert capsys.readouterr().out.strip() == "1 procedures created, 0 updated"
    created = Procedure.objects.get(national_code="Z.1")
    assert (created.fee_vnd, created.cutoff.hour) == (10000, 15)
    call_command("import_procedures", str(path))
    assert capsys.readouterr().out.strip() == "0 procedures created, 0 updated"
    sheet.cell(row=2, column=7, value=4)  # legal_amount
    workbook.save(path)
    call_command("import_procedures", str(path))
    assert capsys.readouterr().out.strip() == "0 procedures created, 1 updated"
    change = AuditRecord.objects.get(action="procedure.updated", object_id=str(created.pk))
    assert (change.before, change.after) == ({"legal_amount": "2.00"}, {"legal_amount": "4.00"})


def test_the_command_refuses_a_bad_file_in_one_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "\n" + GOOD_ROW.replace("partial", "sometimes") + "\n", encoding="utf-8"
    )
    with pytest.raises(
        CommandError, match=r"^1 problem\(s\), nothing imported: line 2: online_level"
    ):
        call_command("import_procedures", str(path))
    text_file = tmp_path / "thu-tuc.txt"
    text_file.write_text("not a sheet", encoding="utf-8")
    with pytest.raises(CommandError, match=r"send a \.csv or \.xlsx file"):
        call_command("import_procedures", str(text_file))
    with pytest.raises(CommandError, match=r"cannot read .*: No such file"):
        call_command("import_procedures", str(tmp_path / "missing.csv"))


def test_a_changed_template_is_published_as_a_new_version_and_the_old_one_stays(user):
    definition = standard_definition()
    current = ProcessTemplate.objects.get(code="one-stop-standard")
    assert (
        publish_template(user("admin"), definition["code"], definition["name"], definition)
        == current
    )
    definition["steps"][0]["share"] = "0.2"
    definition["steps"][1]["share"] = "0.5"
    newer = publish_template(user("admin"), definition["code"], definition["name"], definition)
    assert newer.version == current.version + 1
    current.refresh_from_db()
    assert current.definition["steps"][0]["share"] == "0.1"  # history is not rewritten


def test_a_template_with_problems_is_not_published(user):
    definition = standard_definition()
    definition["actions"] = [a for a in definition["actions"] if a["code"] != "approve"]
    with pytest.raises(InvalidInput, match="step 'result_ready' cannot be reached"):
        publish_template(user("admin"), "broken", "Broken", definition)
    assert not ProcessTemplate.objects.filter(code="broken").exists()


def test_only_a_system_administrator_changes_the_catalogue(user):
    with pytest.raises(PermissionDenied):
        publish_template(user("quantri.doluong"), "x", "x", standard_definition())
    with pytest.raises(PermissionDenied):
        import_procedures(user("giamsat"), parse(GOOD_ROW))


def test_the_public_catalogue_lists_whole_word_matches_of_the_name_first():
    page = Client().get(reverse("portal:procedure_list"), {"q": "chung thuc"}).content.decode()
    # "chứng thực" as words, before "chứng nhận … thực phẩm" that only holds the letters
    assert page.index("Chứng thực di chúc") < page.index(
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"
    )
