"""The demo province in the registry: units, codes, lineage, agencies, and idempotent loading."""

import pytest
from django.core.management import CommandError, call_command

from haicap.assets.demo import load_demo_assets
from haicap.budget.demo import load_demo_capital
from haicap.core.audit import verify_chain
from haicap.core.context import acting_as
from haicap.core.models import AuditRecord
from haicap.feedback.deadlines import run_deadlines
from haicap.feedback.demo import load_demo_feedback
from haicap.reports.demo import load_demo_reports
from haicap.reports.reminders import run_reminders
from haicap.staffing.demo import load_demo_plan, load_demo_staff
from haicap.units import selectors
from haicap.units.kinds import AgencyKind
from haicap.units.models import AdministrativeUnit, Agency, UnitLineage

pytestmark = pytest.mark.django_db

DO_LUONG_COMMUNES = {
    "Đô Lương": ("17662", "44106"),
    "Bạch Ngọc": ("17623", "44129"),
    "Văn Hiến": ("17677", "44139"),
    "Bạch Hà": ("17707", "44140"),
    "Thuần Trung": ("17689", "44141"),
    "Lương Sơn": ("17641", "44142"),
}


def unit(full_name_key: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(import_key=f"40|{full_name_key}")


def test_the_province_has_130_current_units_and_412_former_ones():
    province = AdministrativeUnit.objects.get(code="40")
    assert province.name == "Nghệ An" and province.is_current
    current = AdministrativeUnit.objects.filter(parent=province, tier="commune", valid_to=None)
    assert current.count() == 130
    assert current.filter(kind="ward").count() == 11
    formed = UnitLineage.objects.filter(successor__in=current, predecessor__tier="commune")
    assert formed.count() == 412
    assert AdministrativeUnit.objects.filter(tier="district").count() == 20


@pytest.mark.parametrize(("name", "facts"), DO_LUONG_COMMUNES.items())
def test_the_six_communes_of_former_do_luong_district_carry_their_official_codes(name, facts):
    commune = unit(f"xã {name}")
    assert (commune.code, commune.postcode) == facts
    assert str(commune.valid_from) == "2025-07-01"


def test_which_current_unit_now_covers_a_former_unit():
    former = unit("xã Nam Sơn (huyện Đô Lương) > xã Đô Lương")
    assert former.valid_to is not None
    assert former.parent.full_name == "huyện Đô Lương"
    assert [u.code for u in selectors.current_successors(former)] == ["17662"]


def test_two_former_communes_of_the_same_name_lead_to_different_units():
    bac_son = AdministrativeUnit.objects.filter(name="Bắc Sơn", valid_to__isnull=False)
    successors = {selectors.current_successors(u)[0].name for u in bac_son}
    assert successors == {"Đô Lương", "Mường Chọng"}


def test_what_a_current_unit_came_from():
    formed_from = {s.unit.full_name for s in selectors.predecessors(unit("xã Thuần Trung"))}
    assert formed_from == {
        "xã Minh Sơn",
        "xã Lạc Sơn",
        "xã Nhân Sơn",
        "xã Thuận Sơn",
        "xã Trung Sơn",
        "xã Xuân Sơn",
        "huyện Đô Lương",
    }


def test_the_former_do_luong_district_is_now_covered_by_six_communes():
    district = unit("huyện Đô Lương")
    assert district.valid_to is not None
    assert {u.name for u in selectors.current_successors(district)} == set(DO_LUONG_COMMUNES)


def test_an_unchanged_commune_keeps_its_history_as_a_former_unit():
    current = unit("xã Keng Đu")
    assert [s.unit.full_name for s in selectors.predecessors(current)] == ["xã Keng Đu"]
    assert selectors.predecessors(current)[0].unit.valid_to is not None


def test_every_commune_has_the_five_agencies_of_decree_150_and_one_one_stop_desk():
    commune = unit("xã Văn Hiến")
    kinds = set(Agency.objects.filter(unit=commune).values_list("kind", flat=True))
    assert kinds == {
        AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
        AgencyKind.COUNCIL_COMMITTEE_OFFICE,
        AgencyKind.ECONOMIC_OFFICE,
        AgencyKind.CULTURE_SOCIAL_OFFICE,
        AgencyKind.COMMUNE_SERVICE_CENTER,
    }
    assert Agency.objects.filter(unit=commune, is_one_stop_desk=True).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE_SERVICE_CENTER).count() == 130


def test_the_working_group_departments_are_there():
    names = set(Agency.objects.filter(kind=AgencyKind.DEPARTMENT).values_list("name", flat=True))
    for name in (
        "Sở Công Thương",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Nông nghiệp và Môi trường",
        "Sở Dân tộc và Tôn giáo",
        "Sở Xây dựng",
    ):
        assert name in names
    assert Agency.objects.filter(kind=AgencyKind.PPC_OFFICE).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.PROVINCIAL_SERVICE_CENTER).count() == 1


def test_loading_the_demo_again_changes_nothing(capsys):
    # The staff and their plan are loaded by the command too; loaded first here, so that what
    # the command is asked to do again has all been done once.
    with acting_as("test"):
        load_demo_staff()
        load_demo_plan()
        load_demo_assets()
        load_demo_capital()
        load_demo_feedback()
        load_demo_reports()
        run_deadlines()  # the command's first round of petition warnings
        run_reminders()  # and of report reminders
    units, links, agencies = (
        AdministrativeUnit.objects.count(),
        UnitLineage.objects.count(),
        Agency.objects.count(),
    )
    audit_records = AuditRecord.objects.count()
    call_command("load_demo_province", "--quiet-accounts", "--no-history")
    assert "0 units created, 0 updated" in capsys.readouterr().out
    assert (
        AdministrativeUnit.objects.count(),
        UnitLineage.objects.count(),
        Agency.objects.count(),
    ) == (
        units,
        links,
        agencies,
    )
    assert AuditRecord.objects.count() == audit_records
    assert verify_chain() is None


def test_loading_recorded_every_unit_in_the_audit_log():
    assert (
        AuditRecord.objects.filter(action="unit.created").count()
        == AdministrativeUnit.objects.count()
    )
    record = AuditRecord.objects.filter(
        action="unit.created", object_id=str(unit("xã Đô Lương").pk)
    ).get()
    assert record.actor_label == "test-setup"
    assert record.after["code"] == "17662"


def test_another_province_imports_from_the_same_csv_shape(tmp_path, capsys):
    units_csv = tmp_path / "units.csv"
    units_csv.write_text(
        "item,kind,name,formed_from,former_unit_count\n"
        "1,phường,Thành Sen,phường Bắc Hà; phường Nam Hà; phường Tân Giang,3\n"
        "2,xã,Đức Thọ,thị trấn Đức Thọ; xã Tùng Ảnh,2\n",
        encoding="utf-8",
    )
    codes_csv = tmp_path / "codes.csv"
    codes_csv.write_text(
        "code,kind,name,postcode\n18073,phường,Thành Sen,45122\n", encoding="utf-8"
    )
    call_command(
        "import_units",
        str(units_csv),
        "--province-code",
        "42",
        "--province-name",
        "Hà Tĩnh",
        "--codes",
        str(codes_csv),
    )
    # The province, its 2 current units and their 5 former units; 15 provincial + 2 × 5 agencies.
    assert capsys.readouterr().out.strip() == (
        "8 units created, 0 updated, 0 unchanged; 5 lineage links, 25 agencies"
    )
    thanh_sen = AdministrativeUnit.objects.get(code="18073")
    assert thanh_sen.parent.name == "Hà Tĩnh"
    assert {s.unit.name for s in selectors.predecessors(thanh_sen)} == {
        "Bắc Hà",
        "Nam Hà",
        "Tân Giang",
    }
    duc_tho = AdministrativeUnit.objects.get(import_key="42|xã Đức Thọ")
    assert duc_tho.code is None  # no official code was given: it stays empty, never invented
    assert Agency.objects.filter(unit=duc_tho).count() == 5


def test_a_bad_file_imports_nothing_and_says_why_in_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "item,kind,name,formed_from,former_unit_count\n1,xã,A,xã B,2\n", encoding="utf-8"
    )
    before = AdministrativeUnit.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("import_units", str(bad), "--province-code", "42", "--province-name", "X")
    assert str(caught.value) == (
        "1 problem(s), nothing imported: line 2: former_unit_count is '2' but formed_from lists 1"
    )
    assert AdministrativeUnit.objects.count() == before


def test_a_missing_file_is_one_readable_line(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nope\.csv: No such file"):
        call_command(
            "import_units",
            str(tmp_path / "nope.csv"),
            "--province-code",
            "42",
            "--province-name",
            "X",
        )


def test_search_ignores_diacritics(user):
    officer = user("tiepnhan.vanhien")
    names = {u.full_name for u in selectors.list_units(officer, status="all", query="thuan trung")}
    assert names == {"xã Thuần Trung"}


def test_adding_official_codes_later_keeps_the_same_agencies(tmp_path):
    units_csv = tmp_path / "units.csv"
    units_csv.write_text(
        "item,kind,name,formed_from,former_unit_count\n1,xã,Đức Thọ,xã Tùng Ảnh,1\n",
        encoding="utf-8",
    )
    codes_csv = tmp_path / "codes.csv"
    codes_csv.write_text("code,kind,name,postcode\n18229,xã,Đức Thọ,45706\n", encoding="utf-8")
    args = [str(units_csv), "--province-code", "42", "--province-name", "Hà Tĩnh"]
    call_command("import_units", *args)
    unit = AdministrativeUnit.objects.get(import_key="42|xã Đức Thọ")
    before = set(Agency.objects.filter(unit=unit).values_list("pk", "code"))
    call_command("import_units", *args, "--codes", str(codes_csv))
    unit.refresh_from_db()
    assert unit.code == "18229"
    assert set(Agency.objects.filter(unit=unit).values_list("pk", "code")) == before
    assert AuditRecord.objects.filter(action="unit.updated", object_id=str(unit.pk)).exists()
