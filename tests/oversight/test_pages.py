"""The working groups' and inspections' pages: a visit planned, begun, its findings recorded
with their evidence and concluded through the pages; the briefing pack as a page, PDF and Excel;
the conclusion notice as Word and PDF; and who sees what."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.core import clock
from haicap.core.briefing import PackSection, Table, pack_sections
from haicap.oversight import services
from haicap.oversight.models import Finding, Inspection
from tests.conftest import client_for
from tests.dossiers.office_files import xlsx_bytes
from tests.oversight.conftest import (
    BACH_HA,
    DO_LUONG,
    FINANCE,
    HOME_AFFAIRS,
    VAN_HIEN,
    agency,
    at,
    commune,
)
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(name: str, *args: object) -> str:
    return reverse(f"desk:oversight:{name}", args=args)


def planned(people, group, codes=(DO_LUONG, VAN_HIEN)) -> Inspection:
    with clock.fixed_at(at(4, 1)):
        return services.plan_inspection(
            people.secretary,
            group,
            held_on=dt.date(2026, 4, 20),
            communes=[commune(c) for c in codes],
        )


def text_of_pdf(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


# --- groups and the menu ----------------------------------------------------------------------


def test_the_group_page_shows_its_people_communes_and_inspections(people, group, visit):
    client = client_for(people.secretary.username)
    page = client.get(url("group", group.pk)).content.decode()
    assert "Sở Tài chính" in page  # a member agency
    assert "xã Lương Sơn" in page  # a commune covered
    assert url("inspection", visit.inspection.pk) in page
    assert url("plan_inspection", group.pk) in page  # the secretariat may plan
    listed = client.get(url("groups")).content.decode()
    assert url("group", group.pk) in listed


def test_the_menu_offers_the_groups_to_those_who_see_one(people, group):
    menu_link = f'href="{url("groups")}"'
    assert menu_link in client_for(people.secretary.username).get("/desk/").content.decode()
    assert menu_link in client_for(people.do_luong.username).get("/desk/").content.decode()
    assert menu_link not in client_for(people.outside.username).get("/desk/").content.decode()


def test_a_commune_of_the_group_sees_it_but_may_not_plan(people, group):
    client = client_for(people.do_luong.username)
    page = client.get(url("group", group.pk)).content.decode()
    assert url("plan_inspection", group.pk) not in page
    assert client.get(url("group", group.pk), follow=False).status_code == 200
    assert client_for(people.outside.username).get(url("group", group.pk)).status_code == 404


# --- an inspection through the pages ------------------------------------------------------------


def test_the_secretariat_plans_begins_records_and_concludes_through_the_pages(people, group):
    client = client_for(people.secretary.username)
    with clock.fixed_at(at(4, 1)):
        answer = client.post(
            url("plan_inspection", group.pk),
            {
                "held_on": "2026-04-20",
                "communes": [commune(DO_LUONG).pk, commune(BACH_HA).pk],
                "participants": [people.home_affairs.pk],
                "other_participants": "Ông Nguyễn Văn A, Trưởng phòng",
                "agenda": "Nghe báo cáo",
            },
        )
    inspection = Inspection.objects.get(group=group)
    assert answer.status_code == 302 and answer.url == url("inspection", inspection.pk)
    assert set(inspection.communes.values_list("code", flat=True)) == {DO_LUONG, BACH_HA}
    with clock.fixed_at(at(4, 20)):
        assert client.post(url("start_inspection", inspection.pk)).status_code == 302
        answer = client.post(
            url("record_finding", inspection.pk),
            {
                "commune": commune(BACH_HA).pk,
                "category": Finding.Category.IT_SYSTEM,
                "text": "Phần mềm một cửa lỗi kết nối",
                "agency_to_act": agency(FINANCE).pk,
                "link": f"/desk/ho-so/?unit={BACH_HA}&overdue=yes",
                "link_label": "Hồ sơ quá hạn tại Bạch Hà",
                "papers": [SimpleUploadedFile("bien-ban.pdf", PDF)],
            },
        )
        assert answer.status_code == 302
        page = client.get(url("inspection", inspection.pk)).content.decode()
        assert "Phần mềm một cửa lỗi kết nối" in page
        assert f"/desk/ho-so/?unit={BACH_HA}&amp;overdue=yes" in page
        finding = inspection.findings.get()
        paper = finding.papers.get()
        download = client.get(url("finding_paper", inspection.pk, finding.pk, paper.pk))
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert (
            client.post(
                url("conclude", inspection.pk),
                {"number": "15", "date": "2026-04-20", "summary": "Kết luận", "text": "Ổn định."},
            ).status_code
            == 302
        )
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.CONCLUDED
    assert inspection.conclusion_number == "15/TB-UBND"  # the PPC's series


def test_the_conclusion_is_written_on_the_page_and_required_to_conclude(people, group):
    inspection = planned(people, group)
    client = client_for(people.secretary.username)
    with clock.fixed_at(at(4, 20)):
        client.post(url("start_inspection", inspection.pk))
        page = client.get(url("inspection", inspection.pk)).content.decode()
        form = page[page.index('data-testid="conclusion-form"') :]
        assert '<textarea name="text"' in form and "Nội dung kết luận" in form
        typed = {"number": "15", "date": "2026-04-20", "summary": "Kết luận"}
        refused = client.post(url("conclude", inspection.pk), {**typed, "text": "  "})
        assert refused.status_code == 422
        assert "Hãy viết nội dung kết luận: thông báo nêu nội dung này." in refused.content.decode()
        # the notice is the PPC's: a number in the group's own series is refused
        wrong = client.post(
            url("conclude", inspection.pk), {**typed, "number": "15/TB-TCT", "text": "Ổn định."}
        )
        assert wrong.status_code == 422
        assert "ký hiệu TB-UBND" in wrong.content.decode()
        assert "Ổn định." in wrong.content.decode()  # what was typed is kept
        inspection.refresh_from_db()
        assert inspection.state == Inspection.State.IN_PROGRESS
        client.post(url("conclude", inspection.pk), {**typed, "text": "Các xã ổn định."})
    inspection.refresh_from_db()
    assert inspection.conclusion_text == "Các xã ổn định."
    page = client.get(url("inspection", inspection.pk)).content.decode()
    assert "Các xã ổn định." in page


def test_a_refused_step_is_said_on_the_page_and_keeps_what_was_typed(people, group):
    inspection = planned(people, group)
    client = client_for(people.secretary.username)
    with clock.fixed_at(at(4, 20)):
        client.post(url("start_inspection", inspection.pk))
        answer = client.post(
            url("record_finding", inspection.pk),
            {
                "commune": commune(DO_LUONG).pk,
                "category": Finding.Category.OTHER,
                "text": "Thiếu máy tính",
                "agency_to_act": agency(FINANCE).pk,
                "link": "https://example.com/",
            },
            headers={"Accept-Language": "vi"},
        )
    page = answer.content.decode()
    assert answer.status_code == 422
    assert "Thiếu máy tính" in page  # kept
    assert "/desk/" in page and 'data-testid="finding-error"' in page
    assert not inspection.findings.exists()


def test_a_commune_officer_cannot_open_another_communes_inspection(people, group):
    elsewhere = planned(people, group, codes=(VAN_HIEN,))
    mine = planned(people, group, codes=(DO_LUONG,))
    client = client_for(people.do_luong.username)
    assert client.get(url("inspection", mine.pk)).status_code == 200
    for name in ("inspection", "briefing_pack", "briefing_pack_pdf", "briefing_pack_xlsx"):
        assert client.get(url(name, elsewhere.pk)).status_code == 404, name


def test_only_the_secretariat_and_leader_see_the_forms_and_may_post(people, group):
    inspection = planned(people, group)
    client = client_for(people.do_luong.username)
    page = client.get(url("inspection", inspection.pk)).content.decode()
    assert url("start_inspection", inspection.pk) not in page
    assert client.post(url("start_inspection", inspection.pk)).status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.PLANNED


# --- the briefing pack --------------------------------------------------------------------------


def test_the_pack_as_page_pdf_and_excel_shows_every_sections_tables(people, group, visit):
    def staffing(viewer, commune_ids, period):
        return {
            unit_id: (Table("Biên chế theo vị trí", ("Vị trí", "Thiếu"), (("Địa chính", 2),)),)
            for unit_id in commune_ids
        }

    later = planned(people, group)
    client = client_for(people.secretary.username)
    section = pack_sections.register(PackSection("test.staffing", "Nhân sự", 99, staffing))
    try:
        with clock.fixed_at(at(4, 10)):
            page = client.get(url("briefing_pack", later.pk)).content.decode()
            pdf = client.get(url("briefing_pack_pdf", later.pk))
            xlsx = client.get(url("briefing_pack_xlsx", later.pk))
    finally:
        pack_sections.forget(section)
    for text in ("xã Đô Lương", "xã Văn Hiến", "Biên chế theo vị trí", "Địa chính"):
        assert text in page
    assert "Biệt phái công chức cho các xã thiếu" in page  # an open directive
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    printed = text_of_pdf(pdf.content)
    for text in ("XÃ ĐÔ LƯƠNG", "XÃ VĂN HIẾN", "Biên chế theo vị trí", "TỔ CÔNG TÁC SỐ 4"):
        assert text in printed
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    cells = [
        value
        for sheet in load_workbook(BytesIO(xlsx.content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "XÃ ĐÔ LƯƠNG" in cells and "XÃ VĂN HIẾN" in cells
    assert "Biên chế theo vị trí" in cells and "Địa chính" in cells


# --- the conclusion notice ----------------------------------------------------------------------


def test_the_notice_downloads_name_the_directives_lead_agencies(people, group, visit):
    client = client_for(people.do_luong.username)  # a commune visited reads its notice too
    inspection = visit.inspection
    word = client.get(url("notice_docx", inspection.pk))
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert word["Content-Disposition"].startswith("attachment;")
    text = "\n".join(
        [p.text for p in Document(BytesIO(word.content)).paragraphs]
        + [
            p.text
            for table in Document(BytesIO(word.content)).tables
            for row in table.rows
            for cell in row.cells
            for p in cell.paragraphs
        ]
    )
    assert f"Cơ quan chủ trì: {agency(HOME_AFFAIRS).name}" in text
    assert "Cơ quan chủ trì: UBND xã Văn Hiến" in text  # a commune's committee, abbreviated
    assert "Số: 125/TB-UBND" in text
    assert "Nghệ An, ngày 12 tháng 3 năm 2026" in text
    pdf = client.get(url("notice_pdf", inspection.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert agency(HOME_AFFAIRS).name in text_of_pdf(pdf.content)


def test_the_notice_of_a_vice_chairmans_group_is_the_ppcs_and_says_so_throughout(
    people, group, visit
):
    """Led by a Vice Chairman, the notice is the PPC's: its name as issuer, TB-UBND, signed
    "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", the Chairman informed first, every commune named alike."""
    word = client_for(people.secretary.username).get(url("notice_docx", visit.inspection.pk))
    document = Document(BytesIO(word.content))
    header, signing = document.tables
    assert header.cell(0, 0).text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"]
    assert header.cell(1, 0).text == "Số: 125/TB-UBND"
    assert "TỔ CÔNG TÁC" not in "\n".join(cell.text for row in header.rows for cell in row.cells)
    recipients, signature = signing.cell(0, 0), signing.cell(0, 1)
    assert [p.text for p in recipients.paragraphs[1:]] == [
        "- Chủ tịch UBND tỉnh (để b/c);",
        f"- {agency(HOME_AFFAIRS).name};",
        f"- {agency(FINANCE).name};",
        "- UBND xã Đô Lương;",
        "- UBND xã Văn Hiến;",
        "- Lưu: VT, TCT.",
    ]
    assert [p.text for p in signature.paragraphs][:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    body = [p.text for p in document.paragraphs]
    # participants with their agency, from their membership (accounts keep no position)
    assert f"- Đồng chí chuyenvien.noivu, {agency(HOME_AFFAIRS).name};" in body
    assert f"- Đồng chí chuyenvien.sotaichinh, {agency(FINANCE).name}." in body
    # the conclusion, then each task with its sub-task set in under it, and the target in words
    assert "Các xã vận hành ổn định; còn thiếu công chức chuyên môn." in body
    task = body.index("1. Biệt phái công chức cho các xã thiếu.")
    assert body[task + 5] == "1.1. Rà soát nhu cầu."
    subtask = next(p for p in document.paragraphs if p.text == "1.1. Rà soát nhu cầu.")
    assert round(subtask.paragraph_format.left_indent.mm) == 10
    assert (
        "- Chỉ tiêu: tỷ lệ tiếp nhận trực tuyến tại xã Văn Hiến ≥ 40 % trong quý II/2026." in body
    )


def test_an_inspection_not_concluded_has_no_notice(people, group):
    inspection = planned(people, group)
    client = client_for(people.secretary.username)
    assert client.get(url("notice_docx", inspection.pk)).status_code == 409
    outsider = client_for(people.outside.username)
    assert outsider.get(url("notice_pdf", inspection.pk)).status_code == 404


def test_a_concluded_inspection_links_to_its_directives_and_offers_a_new_one_to_its_managers(
    people, group, visit
):
    inspection = visit.inspection
    page = client_for(people.secretary.username).get(url("inspection", inspection.pk))
    html = page.content.decode()
    for directive in inspection.directives.all():
        assert url("directive", directive.pk) in html
    assert url("issue_directive", inspection.pk) in html
    commune_page = client_for(people.do_luong.username).get(url("inspection", inspection.pk))
    assert url("issue_directive", inspection.pk) not in commune_page.content.decode()


def test_a_commune_visited_reads_only_its_own_pages_of_the_pack(people, group, visit):
    inspection = visit.inspection
    own = client_for(people.do_luong.username).get(url("briefing_pack", inspection.pk))
    names = {c.pk: c.full_name for c in inspection.communes.all()}
    html = own.content.decode()
    assert own.status_code == 200
    assert names[commune(DO_LUONG).pk] in html
    assert names[commune(VAN_HIEN).pk] not in html
    whole = client_for(people.secretary.username).get(url("briefing_pack", inspection.pk))
    assert names[commune(VAN_HIEN).pk] in whole.content.decode()


def test_the_notice_has_the_summary_as_its_title_and_the_conclusions_in_its_body(people, group):
    with clock.fixed_at(at(4, 1)):
        inspection = planned(people, group)
    with clock.fixed_at(at(4, 21)):
        services.start_inspection(people.secretary, inspection)
        client = client_for(people.secretary.username)
        answer = client.post(
            url("conclude", inspection.pk),
            {
                "number": "16/TB-UBND",
                "date": "2026-04-21",
                "summary": "Kết luận tại xã Đô Lương và xã Văn Hiến",
                "text": "Các xã vận hành ổn định.\nCòn thiếu công chức địa chính.",
            },
        )
        assert answer.status_code == 302
        future = planned(people, group)
        services.start_inspection(people.secretary, future)
        refused = client.post(
            url("conclude", future.pk),
            {"number": "17", "date": "2026-04-22", "summary": "Sớm", "text": "Sớm"},
        )
        assert refused.status_code == 422 and "sau hôm nay" in refused.content.decode()
    word = client.get(url("notice_docx", inspection.pk))
    paragraphs = [p.text for p in Document(BytesIO(word.content)).paragraphs]
    assert "Kết luận tại xã Đô Lương và xã Văn Hiến" in paragraphs
    assert "Các xã vận hành ổn định." in paragraphs
    assert "Còn thiếu công chức địa chính." in paragraphs
    page = client.get(url("inspection", inspection.pk)).content.decode()
    assert "Còn thiếu công chức địa chính." in page


def test_the_oversight_address_leads_to_the_working_groups(people, group):
    answer = client_for(people.secretary.username).get(url("home"))
    assert answer.status_code == 302 and answer.url == url("groups")


def test_each_sub_task_is_listed_right_under_its_directive(people, group, visit):
    page = client_for(people.secretary.username).get(url("inspection", visit.inspection.pk))
    html = page.content.decode()
    rows = html[html.index('data-testid="directives"') :].split("<tr>")[2:]
    titles = [
        next(d.title for d in visit.inspection.directives.all() if d.title in row) for row in rows
    ]
    staffing = titles.index(visit.staffing.title)
    assert titles[staffing + 1] == visit.subtask.title


def test_the_forms_that_take_files_say_which_kinds_beforehand(people, group):
    with clock.fixed_at(at(4, 1)):
        inspection = planned(people, group)
    with clock.fixed_at(at(4, 20)):
        services.start_inspection(people.secretary, inspection)
    page = client_for(people.secretary.username).get(url("inspection", inspection.pk))
    assert (
        "Tệp PDF, PNG, JPEG, Word (.docx, .odt) hoặc Excel (.xlsx, .ods), mỗi tệp tối đa 10 MB."
        in page.content.decode()
    )
    # the browser's file picker offers those kinds first
    assert 'accept=".pdf,.png,.jpg,.docx,.xlsx,.odt,.ods,.jpeg,.jpe"' in page.content.decode()


def test_evidence_downloads_under_the_name_it_was_sent_with(people, group):
    with clock.fixed_at(at(4, 1)):
        inspection = planned(people, group)
    with clock.fixed_at(at(4, 20)):
        services.start_inspection(people.secretary, inspection)
        finding = services.record_finding(
            people.secretary,
            inspection,
            services.FindingSpec(
                commune=commune(DO_LUONG),
                category=Finding.Category.OFFICES_EQUIPMENT,
                text="Thiếu máy scan",
                agency_to_act=agency(FINANCE),
                papers=[
                    SimpleUploadedFile("bien-ban.pdf", PDF),
                    SimpleUploadedFile("Bảng kê thiết bị.xlsx", xlsx_bytes()),
                ],
            ),
        )
    client = client_for(people.secretary.username)
    served = {}
    for paper in finding.papers.all():
        download = client.get(url("finding_paper", inspection.pk, finding.pk, paper.pk))
        served[paper.name] = (download["Content-Type"], download["Content-Disposition"])
    assert served == {
        # once, not "bien-ban.pdf.pdf"
        "bien-ban.pdf": ("application/pdf", 'inline; filename="bien-ban.pdf"'),
        "Bảng kê thiết bị.xlsx": (
            XLSX,
            "inline; filename*=utf-8''B%E1%BA%A3ng%20k%C3%AA%20thi%E1%BA%BFt%20b%E1%BB%8B.xlsx",
        ),
    }


def menu_question(sql: str) -> bool:
    """A query of groups or directives (not the count of unread warnings, asked apart)."""
    return "oversight_" in sql and "oversight_directivenotification" not in sql


def test_the_menu_asks_once_per_page_whether_to_offer_the_groups(people, group):
    """One query for both (a group or a directive), for one who sees neither too."""
    client = client_for(people.do_luong.username)
    with CaptureQueriesContext(connection) as seen:
        page = client.get("/desk/ho-so/").content.decode()
    asked = [q["sql"] for q in seen.captured_queries if menu_question(q["sql"])]
    assert len(asked) == 1
    assert f'href="{url("groups")}"' in page
    with CaptureQueriesContext(connection) as seen:
        page = client_for(people.outside.username).get("/desk/ho-so/").content.decode()
    assert len([q for q in seen.captured_queries if menu_question(q["sql"])]) == 1
    assert f'href="{url("groups")}"' not in page
