"""Importing the plan workbook into the real database: projects with their structure of sources
and allocations as ledger entries, the plans created when missing, all or nothing with every
problem of every row (in Vietnamese too), re-imports that allocate nothing twice, corrections
that keep what the sheet leaves out, the template, and the command's exit and one line."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from haicap.budget.models import Funding, LedgerEntry, Plan, Project
from haicap.budget.plan_columns import (
    CODES_TITLE,
    COLUMNS,
    INSTRUCTIONS_TITLE,
    TITLES,
    Kind,
)
from haicap.budget.plan_import import EXAMPLES, WORDS, import_file, summary, template_workbook
from haicap.core.errors import IdempotencyKeyReused, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.sheet_import import NothingImported
from haicap.units.models import Agency
from tests.budget import world

pytestmark = pytest.mark.django_db
PROJECT_HEADERS = [c.header for c in COLUMNS[Kind.PROJECTS]]
ALLOCATION_HEADERS = [c.header for c in COLUMNS[Kind.ALLOCATIONS]]
HOSPITAL = [
    "DL-YT-05", "Trạm y tế xã Bạch Hà", "Y tế", "xã Bạch Hà", world.BACH_HA_PPC,
    "UBND huyện Đô Lương", "huyện Đô Lương", "6.000.000.000", "", "4.000.000.000",
    "2.000.000.000", "", "",
]  # fmt: skip
MARKET = [
    "DL-HT-06", "Chợ trung tâm", "Hạ tầng đô thị", "17662", world.CONSTRUCTION, "", "",
    3_000_000_000, 3_000_000_000, "", "", "", "",
]  # fmt: skip
ALLOCATIONS = [
    ["DL-YT-05", "2025", "Ngân sách huyện", "Huyện (đã giải thể)", "1.500.000.000",
     "15/QĐ-UBND", "10/01/2025", "Giao kế hoạch vốn năm 2025"],
    ["DL-YT-05", "2021 – 2025", "Ngân sách xã", "Xã", "2.000.000.000", "09/NQ-HĐND",
     "15/03/2021", "Kế hoạch trung hạn"],
    ["DL-HT-06", "2026", "Ngân sách tỉnh", "Tỉnh", 900_000_000, "88/QĐ-UBND", "05/06/2025",
     "Giao kế hoạch vốn năm 2026"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def workbook(projects: list[list] | None, allocations: list[list] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    if projects is not None:
        sheet = book.create_sheet(TITLES[Kind.PROJECTS])
        sheet.append(PROJECT_HEADERS)
        for row in projects:
            sheet.append(row)
    if allocations is not None:
        sheet = book.create_sheet(TITLES[Kind.ALLOCATIONS])
        sheet.append(ALLOCATION_HEADERS)
        for row in allocations:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(actor, content: bytes, name: str = "ke-hoach.xlsx") -> list[str]:
    with pytest.raises(NothingImported) as nothing:
        import_file(actor, name, content)
    return nothing.value.problems


def counts() -> tuple[int, ...]:
    return (
        Project.objects.count(),
        Funding.objects.count(),
        LedgerEntry.objects.count(),
        Plan.objects.count(),
        AuditRecord.objects.count(),
    )


def outcomes(report) -> list[tuple[str, int, str]]:
    return [(r.sheet, r.row, r.outcome) for r in report.rows]


def test_a_workbook_makes_projects_their_sources_and_allocations_and_the_plans():
    finance = world.people().finance
    assert not Plan.objects.exists()
    report = import_file(finance, "ke-hoach.xlsx", workbook([HOSPITAL, MARKET], ALLOCATIONS))
    assert sorted(Plan.objects.values_list("code", flat=True)) == ["2021-2025", "2025", "2026"]
    medium = Plan.objects.get(code="2021-2025")
    assert (medium.kind, medium.first_year, medium.last_year) == ("medium_term", 2021, 2025)
    hospital = Project.objects.get(code="DL-YT-05")
    assert (hospital.field, hospital.location.code, hospital.investor.code) == (
        "health",
        world.BACH_HA,
        world.BACH_HA_PPC,
    )
    assert hospital.former_district == world.do_luong_district()
    assert dict(hospital.fundings.values_list("source", "amount")) == {
        "district": 4_000_000_000,
        "commune": 2_000_000_000,
    }
    market = Project.objects.get(code="DL-HT-06")
    assert (market.investor.code, market.location.code, market.former_district) == (
        world.CONSTRUCTION,
        world.DO_LUONG,
        None,
    )
    entries = LedgerEntry.objects.order_by("pk")
    assert [(e.project.code, e.plan.code, e.source, e.level, e.amount) for e in entries] == [
        ("DL-YT-05", "2025", "district", "district", 1_500_000_000),
        ("DL-YT-05", "2021-2025", "commune", "commune", 2_000_000_000),
        ("DL-HT-06", "2026", "provincial", "province", 900_000_000),
    ]
    assert {(e.kind, e.recorded_by) for e in entries} == {("allocation", finance)}
    assert outcomes(report) == [
        ("Dự án", 2, "created"),
        ("Dự án", 3, "created"),
        ("Kế hoạch vốn", 2, "created"),
        ("Kế hoạch vốn", 3, "created"),
        ("Kế hoạch vốn", 4, "created"),
    ]
    audited = AuditRecord.objects.filter(actor=finance).values_list("action", flat=True)
    assert sorted(audited) == sorted(
        ["capital_plan.created"] * 3
        + ["project.created"] * 2
        + ["ledger_entry.allocated"] * 3
        + ["capital_plan.imported"]
    )
    assert summary(report) == [
        "Projects: 2 created, 0 updated, 0 unchanged.",
        "Allocations: 3 created, 0 updated, 0 unchanged.",
    ]


def test_importing_the_same_file_twice_allocates_nothing_twice():
    finance = world.people().finance
    content = workbook([HOSPITAL, MARKET], ALLOCATIONS)
    import_file(finance, "ke-hoach.xlsx", content)
    before = (Project.objects.count(), Funding.objects.count(), LedgerEntry.objects.count())
    again = import_file(finance, "ke-hoach.xlsx", content)
    assert (Project.objects.count(), Funding.objects.count(), LedgerEntry.objects.count()) == before
    assert {r.outcome for r in again.rows} == {"unchanged"}
    assert summary(again) == [
        "Projects: 0 created, 0 updated, 2 unchanged.",
        "Allocations: 0 created, 0 updated, 3 unchanged.",
    ]
    # an allocation differing in one thing (the decision's number) is another allocation
    changed = [row[:] for row in ALLOCATIONS]
    changed[0][5] = "16/QĐ-UBND"
    third = import_file(finance, "ke-hoach.xlsx", workbook(None, changed))
    assert [r.outcome for r in third.rows] == ["created", "unchanged", "unchanged"]


def test_a_project_is_corrected_and_keeps_what_the_sheet_leaves_out():
    made = world.make()
    corrected = [
        "DL-GD-02", "Trường tiểu học Bạch Hà (mở rộng)", "education", "12.000.000.000",
        "", "12.000.000.000", "", "", "",
    ]  # fmt: skip
    kept = {"location", "investor", "former_investor", "former_district"}
    headers = [c.header for c in COLUMNS[Kind.PROJECTS] if c.key not in kept]
    book = Workbook()
    book.active.title = "Dự án"
    book.active.append(headers)
    book.active.append(corrected)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(made.who.finance, "du-an.xlsx", buffer.getvalue())
    assert outcomes(report) == [("Dự án", 2, "updated")]
    school = Project.objects.get(pk=made.school.pk)
    assert (school.name, school.total_investment) == (
        "Trường tiểu học Bạch Hà (mở rộng)",
        12 * 10**9,
    )
    assert (school.investor, school.location, school.former_investor) == (
        made.school.investor,
        made.school.location,
        "UBND huyện Đô Lương",
    )
    assert dict(school.fundings.values_list("source", "amount")) == {"district": 12 * 10**9}
    change = AuditRecord.objects.get(action="project.updated", object_id=str(school.pk))
    assert change.before["total_investment"] == 10_000_000_000
    assert change.after["fundings"] == {"district": 12_000_000_000}
    assert set(change.after) == {"name", "search_name", "total_investment", "fundings"}


def test_allocations_alone_may_name_projects_haicap_holds():
    made = world.make()
    row = ["DL-GT-01", "2026", "Ngân sách trung ương hỗ trợ", "Xã", "700.000.000",
           "120/QĐ-UBND", "20/08/2025", "Giao kế hoạch vốn năm 2026"]  # fmt: skip
    report = import_file(made.who.finance, "von.xlsx", workbook(None, [row]))
    assert outcomes(report) == [("Kế hoạch vốn", 2, "created")]
    entry = LedgerEntry.objects.get(plan=made.plans.y2026)
    assert (entry.project, entry.source, entry.level) == (made.road, "central", "commune")


def test_every_problem_of_every_row_is_reported_and_nothing_is_written():
    made = world.make()
    district_office = Agency.objects.create(
        code="DL.HUYEN", name="Ban Quản lý dự án huyện Đô Lương", kind="department",
        unit=made.district,
    )  # fmt: skip
    projects = [HOSPITAL[:], MARKET[:]]
    projects[0][4] = "99999.01.H40"  # no such agency
    projects[0][3] = "xã Atlantis"  # no such commune
    projects[1][4] = district_office.code  # the abolished district's
    projects[1][6] = "huyện Hư Cấu"  # no such former district
    allocations = [row[:] for row in ALLOCATIONS]
    allocations[0][1] = "2030"  # no such plan
    allocations[1][0] = "DL-XX-99"  # in neither the sheet nor haicap
    allocations[2][2] = "Ngân sách huyện"  # not among the market's sources
    allocations.append(
        ["DL-GT-01", "2025", "Ngân sách tỉnh", "Tỉnh", "5", "1/QĐ", "01/02/2025", "Bổ sung"]
    )  # the road has no provincial source
    before = counts()
    problems = refused(made.who.finance, workbook(projects, allocations))
    assert counts() == before
    assert problems == [
        "Sheet “Dự án”, row 2, column “Địa điểm (xã, phường)”: "
        "No current commune or ward is called xã Atlantis.",
        "Sheet “Dự án”, row 2, column “Mã chủ đầu tư”: No agency has the code 99999.01.H40.",
        "Sheet “Dự án”, row 3, column “Mã chủ đầu tư”: "
        "DL.HUYEN belongs to a unit that no longer exists.",
        "Sheet “Dự án”, row 3, column “Huyện cũ”: No former district is called huyện Hư Cấu.",
        "Sheet “Kế hoạch vốn”, row 2, column “Kế hoạch”: "
        "No capital plan has the code 2030: write 2021-2025, 2025, 2026.",
        "Sheet “Kế hoạch vốn”, row 3, column “Mã dự án”: "
        "No project has the code DL-XX-99, on the sheet Dự án or in haicap.",
        "Sheet “Kế hoạch vốn”, row 4, column “Nguồn vốn”: "
        "Ngân sách huyện is not among the sources of the project DL-HT-06.",
        "Sheet “Kế hoạch vốn”, row 5, column “Nguồn vốn”: "
        "Ngân sách tỉnh is not among the sources of the project DL-GT-01.",
    ]


def test_the_sheets_own_problems_come_with_the_records_and_in_vietnamese():
    finance = world.people().finance
    projects = [HOSPITAL[:]]
    projects[0][7] = "6,5"  # a fraction
    projects[0][4] = "99999.01.H40"
    before = counts()
    with translation.override("vi"):
        problems = refused(finance, workbook(projects, [ALLOCATIONS[0]]))
    assert counts() == before
    assert problems == [
        "Trang “Dự án”, dòng 2, cột “Mã chủ đầu tư”: Không có cơ quan nào mang mã 99999.01.H40.",
        "Trang “Dự án”, dòng 2, cột “Tổng mức đầu tư (đồng)”: "
        "Không phải số đồng nguyên từ 0 đến 1.000.000.000.000.000.",
    ]


def test_a_file_that_cannot_be_read_is_refused_whole():
    finance = world.people().finance
    assert refused(finance, b"not a workbook") == [
        "File “ke-hoach.xlsx”: the file is not a readable .xlsx workbook"
    ]
    assert refused(finance, b"x", name="ke-hoach.pdf") == [
        "File “ke-hoach.pdf”: send a .csv or .xlsx file"
    ]


def test_a_csv_file_of_one_sheet_is_read_too():
    finance = world.people().finance
    text = io.StringIO()
    csv.writer(text).writerows([PROJECT_HEADERS, MARKET])
    report = import_file(finance, "du-an.csv", text.getvalue().encode())
    assert outcomes(report) == [("du-an", 2, "created")]


def test_only_finance_imports_the_plan():
    who = world.people()
    before = counts()
    with pytest.raises(PermissionDenied):
        import_file(who.do_luong, "ke-hoach.xlsx", workbook([HOSPITAL]))
    with pytest.raises(PermissionDenied):
        import_file(who.supervisor, "ke-hoach.xlsx", workbook([HOSPITAL]))
    assert counts() == before


def test_an_import_retried_with_its_key_answers_what_it_did_once():
    finance = world.people().finance
    content = workbook([HOSPITAL], ALLOCATIONS[:2])
    first = import_file(finance, "ke-hoach.xlsx", content, idempotency_key="k-1")
    after_first = counts()
    again = import_file(finance, "ke-hoach.xlsx", content, idempotency_key="k-1")
    assert counts() == after_first
    assert (
        outcomes(again)
        == outcomes(first)
        == [
            ("Dự án", 2, "created"),
            ("Kế hoạch vốn", 2, "created"),
            ("Kế hoạch vốn", 3, "created"),
        ]
    )
    other = workbook([MARKET])
    with pytest.raises(IdempotencyKeyReused):
        import_file(finance, "ke-hoach.xlsx", other, idempotency_key="k-1")


def test_the_template_lists_the_codes_and_imports_nothing_as_it_comes():
    book = template_workbook()
    assert book.sheetnames == [INSTRUCTIONS_TITLE, "Dự án", "Kế hoạch vốn", CODES_TITLE]
    codes = [row for row in book[CODES_TITLE].iter_rows(min_row=2, values_only=True)]
    assert ("Lĩnh vực", "transport", "Giao thông") in codes
    assert ("Nguồn vốn", "central", "Ngân sách trung ương hỗ trợ") in codes
    assert ("Cấp ngân sách", "district", "Huyện (đã kết thúc hoạt động)") in codes
    assert ("Kế hoạch", "2021-2025", "2021-2025") in codes
    guide = [c for row in book[INSTRUCTIONS_TITLE].iter_rows(values_only=True) for c in row if c]
    assert any("/desk/registry/agencies/" in str(text) for text in guide)
    buffer = io.BytesIO()
    book.save(buffer)
    finance = world.people().finance
    assert refused(finance, buffer.getvalue()) == ["Sheet “Dự án”: The sheets have no rows."]


def test_the_templates_examples_import_as_they_read():
    finance = world.people().finance
    report = import_file(
        finance, "vi-du.xlsx", workbook(EXAMPLES[Kind.PROJECTS], EXAMPLES[Kind.ALLOCATIONS])
    )
    assert [r.outcome for r in report.rows] == ["created"] * 3
    road = Project.objects.get(code="DL-GT-01")
    assert road.entries.count() == 2


def test_every_word_of_the_problems_is_in_the_catalogue():
    import polib

    from tests.test_translations import CATALOGUE

    catalogue = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE))}
    assert [word for word in WORDS if not catalogue.get(word)] == []


def test_the_command_imports_and_says_what_it_did(tmp_path: Path, capsys):
    finance = world.people().finance
    good = tmp_path / "ke-hoach.xlsx"
    good.write_bytes(workbook([HOSPITAL], ALLOCATIONS[:1]))
    call_command("import_capital_plan", str(good), "--by", finance.username)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Projects: 1 created, 0 updated, 0 unchanged.",
        "Allocations: 1 created, 0 updated, 0 unchanged.",
    ]


def test_the_command_fails_with_one_line_and_writes_nothing(tmp_path: Path):
    who = world.people()
    bad = tmp_path / "ke-hoach.xlsx"
    rows = [HOSPITAL[:]]
    rows[0][4] = "99999.01.H40"
    bad.write_bytes(workbook(rows))
    before = counts()
    with pytest.raises(CommandError) as failed:
        call_command("import_capital_plan", str(bad), "--by", who.finance.username)
    assert str(failed.value) == (
        "1 problem, nothing imported: Sheet “Dự án”, row 2, column “Mã chủ đầu tư”: "
        "No agency has the code 99999.01.H40."
    )
    assert "\n" not in str(failed.value)
    assert counts() == before
    with pytest.raises(CommandError, match="no active officer of the Department of Finance"):
        call_command("import_capital_plan", str(bad), "--by", who.do_luong.username)
    with pytest.raises(CommandError, match="cannot read"):
        call_command(
            "import_capital_plan", str(tmp_path / "none.xlsx"), "--by", "chuyenvien.vondautu"
        )


def test_the_template_workbook_opens_in_excel_terms():
    buffer = io.BytesIO()
    template_workbook().save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert [c.value for c in book["Dự án"][1]] == PROJECT_HEADERS
    assert [c.value for c in book["Kế hoạch vốn"][1]] == ALLOCATION_HEADERS
