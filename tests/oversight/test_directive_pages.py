"""The directive pages without a browser: issuing one with its target, the directive page's
update and close forms and their refusals, who may see a directive or its files, the list's
filters and the follow-up counts with their Excel file."""

import datetime as dt
import html
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from haicap.core import clock
from haicap.core.task_status import Outcome, Status
from haicap.oversight import selectors, services
from haicap.oversight.models import STATUS_LABELS, Directive, DirectiveUpdate
from tests.dossiers.office_files import DOCX, XLSX, docx_bomb, docx_bytes, xlsx_bytes, zip_bytes
from tests.oversight.conftest import FINANCE, HOME_AFFAIRS, VAN_HIEN, agency, at, commune
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_of(directive: Directive) -> str:
    return f"/desk/giam-sat/nhiem-vu/{directive.pk}/"


def issue_url(visit) -> str:
    return f"/desk/giam-sat/dot-kiem-tra/{visit.inspection.pk}/nhiem-vu/moi/"


def directive_form(visit, **changes) -> dict:
    data = {
        "title": "Nâng tỷ lệ nộp trực tuyến tại xã Văn Hiến",
        "lead_agency": agency(f"{VAN_HIEN}.01.H40").pk,
        "supporting_agencies": [agency(FINANCE).pk],
        "deadline": "2026-06-30",
        "expected_result": "Tỷ lệ trực tuyến từ 40 % trở lên",
        "findings": [visit.low_online.pk],
        "measure": "kpi.online_intake_rate",
        "target_commune": commune(VAN_HIEN).pk,
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "comparison": ">=",
        "threshold": "40",
        "subtask-0-title": "Hướng dẫn người dân nộp trực tuyến",
        "subtask-0-lead_agency": agency(f"{VAN_HIEN}.01.H40").pk,
        "subtask-0-deadline": "2026-05-15",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


# --- issuing ----------------------------------------------------------------------------------


def test_the_secretariat_issues_a_directive_with_a_target_and_a_sub_task(people, visit):
    client = signed_in(people.secretary)
    assert client.get("/desk/giam-sat/nhiem-vu/moi/").status_code == 200
    assert client.get(issue_url(visit)).status_code == 200
    with clock.fixed_at(at(3, 20)):
        response = client.post(issue_url(visit), directive_form(visit))
    directive = Directive.objects.get(title="Nâng tỷ lệ nộp trực tuyến tại xã Văn Hiến")
    assert response.status_code == 302 and response.url == page_of(directive)
    assert directive.target.threshold == Decimal(40)
    assert directive.target.unit == commune(VAN_HIEN)
    assert list(directive.supporting_agencies.all()) == [agency(FINANCE)]
    assert list(directive.findings.all()) == [visit.low_online]
    assert directive.subtasks.get().title == "Hướng dẫn người dân nộp trực tuyến"


def test_the_entry_page_lists_only_the_inspections_the_user_issues_for(people, visit):
    url = "/desk/giam-sat/nhiem-vu/moi/"
    assert issue_url(visit).encode() in signed_in(people.secretary).get(url).content
    # a department of the group reads the directives but does not issue them
    assert issue_url(visit).encode() not in signed_in(people.home_affairs).get(url).content
    assert signed_in(people.home_affairs).get(issue_url(visit)).status_code == 403


def test_an_incomplete_target_is_refused_keeping_what_was_typed(people, visit):
    client = signed_in(people.secretary)
    response = client.post(issue_url(visit), directive_form(visit, threshold=""))
    assert response.status_code == 422
    assert "A target needs this." in text(response)
    assert "Nâng tỷ lệ nộp trực tuyến tại xã Văn Hiến" in text(response)
    assert not Directive.objects.filter(title__startswith="Nâng tỷ lệ nộp").exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(people, visit):
    client = signed_in(people.secretary)
    lead = agency(HOME_AFFAIRS).pk
    response = client.post(
        issue_url(visit),
        directive_form(visit, lead_agency=lead, supporting_agencies=[lead], measure=""),
    )
    assert response.status_code == 422
    assert "The lead agency is not also a supporting agency." in text(response)


# --- one directive: who sees it ---------------------------------------------------------------


def test_the_directive_page_shows_status_target_and_sub_tasks(people, visit):
    with clock.fixed_at(at(3, 20)):
        page = signed_in(people.supervisor).get(page_of(visit.staffing)).content.decode()
        target_page = signed_in(people.van_hien).get(page_of(visit.online)).content.decode()
    assert "In progress, within the deadline" in page
    assert "Rà soát nhu cầu" in page and "0 of 1 done (0 %)" in page
    assert 'data-testid="target-value"' in target_page and "Not met" in target_page
    # a supervisor reads, and is offered no form
    assert 'data-testid="update-form"' not in page and 'data-testid="close-form"' not in page


def test_a_sibling_commune_does_not_see_another_communes_directive(people, visit):
    client = signed_in(people.bach_ha)
    assert client.get(page_of(visit.online)).status_code == 404
    assert client.post(page_of(visit.online) + "cap-nhat/", {"text": "x"}).status_code == 404
    assert signed_in(people.van_hien).get(page_of(visit.online)).status_code == 200


def test_the_forms_offered_follow_who_may_write(people, visit):
    lead = signed_in(people.home_affairs).get(page_of(visit.staffing)).content.decode()
    secretariat = signed_in(people.secretary).get(page_of(visit.staffing)).content.decode()
    commune_staff = signed_in(people.do_luong).get(page_of(visit.staffing)).content.decode()
    assert 'data-testid="update-form"' in lead and 'data-testid="close-form"' not in lead
    assert 'data-testid="close-form"' in secretariat
    assert 'data-testid="update-form"' not in commune_staff


# --- posting updates --------------------------------------------------------------------------


def test_an_update_with_a_file_joins_the_history_and_its_file_downloads(people, visit):
    client = signed_in(people.home_affairs)
    with clock.fixed_at(at(4, 1)):
        response = client.post(
            page_of(visit.staffing) + "cap-nhat/",
            {
                "text": "Đã rà soát nhu cầu của 6 xã",
                "percent": "30",
                "papers": [SimpleUploadedFile("bao-cao.pdf", PDF)],
                "idempotency_key": "k1",
            },
        )
    assert response.status_code == 302
    update = DirectiveUpdate.objects.get(directive=visit.staffing)
    assert (update.percent, update.agency) == (30, agency(HOME_AFFAIRS))
    paper = update.papers.get()
    url = f"{page_of(visit.staffing)}tep/{paper.pk}/"
    assert url in client.get(page_of(visit.staffing)).content.decode()
    download = signed_in(people.supervisor).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="bao-cao.pdf"' in download["Content-Disposition"]
    assert signed_in(people.bach_ha).get(url).status_code == 404
    # the same form sent twice makes one update
    with clock.fixed_at(at(4, 1)):
        client.post(
            page_of(visit.staffing) + "cap-nhat/",
            {
                "text": "Đã rà soát nhu cầu của 6 xã",
                "percent": "30",
                "papers": [SimpleUploadedFile("bao-cao.pdf", PDF)],
                "idempotency_key": "k1",
            },
        )
    assert DirectiveUpdate.objects.filter(directive=visit.staffing).count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": ""}, "This field is required."),
        ({"text": "Đã làm", "percent": "150"}, "less than or equal to 100"),
        (
            {"text": "Đã làm", "papers": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00")]},
            "virus.exe",
        ),
    ],
)
def test_the_update_form_refuses_what_is_wrong(people, visit, data, message):
    response = signed_in(people.home_affairs).post(page_of(visit.staffing) + "cap-nhat/", data)
    assert response.status_code == 422
    assert message in text(response)
    assert not DirectiveUpdate.objects.exists()


def test_a_department_reports_in_word_and_excel_and_its_files_download_as_sent(people, visit):
    client = signed_in(people.home_affairs)
    with clock.fixed_at(at(4, 1)):
        response = client.post(
            page_of(visit.staffing) + "cap-nhat/",
            {
                "text": "Báo cáo và số liệu biệt phái",
                "papers": [
                    SimpleUploadedFile("bao-cao.docx", docx_bytes()),
                    SimpleUploadedFile("so-lieu.xlsx", xlsx_bytes()),
                    SimpleUploadedFile("bien-ban.pdf", PDF),
                ],
            },
        )
    assert response.status_code == 302
    papers = DirectiveUpdate.objects.get(directive=visit.staffing).papers.order_by("name")
    served = {}
    for paper in papers:
        download = signed_in(people.supervisor).get(f"{page_of(visit.staffing)}tep/{paper.pk}/")
        served[paper.name] = (download["Content-Type"], download["Content-Disposition"])
    assert served == {
        "bao-cao.docx": (DOCX, 'inline; filename="bao-cao.docx"'),
        "bien-ban.pdf": ("application/pdf", 'inline; filename="bien-ban.pdf"'),
        "so-lieu.xlsx": (XLSX, 'inline; filename="so-lieu.xlsx"'),
    }


@pytest.mark.parametrize(
    "paper, message",
    [
        (
            SimpleUploadedFile("bao-cao.docx", zip_bytes({"ghi-chu.txt": b"x"})),
            "Tệp “bao-cao.docx” không phải PDF, PNG, JPEG, Word (.docx, .odt) hay Excel "
            "(.xlsx, .ods) (xét theo nội dung tệp).",
        ),
        (
            SimpleUploadedFile("bao-cao.docx", PDF),
            "Tệp “bao-cao.docx” mang đuôi .docx nhưng nội dung lại là tệp .pdf. Chỉ nhận tệp "
            "PDF, PNG, JPEG, Word (.docx, .odt) và Excel (.xlsx, .ods).",
        ),
        (
            SimpleUploadedFile("bao-cao.docx", docx_bomb()),
            "Tệp “bao-cao.docx” khi giải nén lớn hơn nhiều so với kích thước của nó hoặc chứa "
            "quá nhiều thành phần nên không được lưu. Hãy lưu lại tệp từ Word hoặc Excel. Chỉ "
            "nhận tệp PDF, PNG, JPEG, Word (.docx, .odt) và Excel (.xlsx, .ods).",
        ),
    ],
    ids=["zip-renamed", "pdf-renamed", "zip-bomb"],
)
def test_what_only_looks_like_word_is_refused_in_vietnamese_keeping_the_text(
    people, visit, paper, message
):
    response = signed_in(people.home_affairs, "vi").post(
        page_of(visit.staffing) + "cap-nhat/",
        {"text": "Báo cáo tháng 4", "papers": [SimpleUploadedFile("ok.pdf", PDF), paper]},
    )
    assert response.status_code == 422
    assert message in text(response)
    assert "Báo cáo tháng 4" in text(response)  # what was typed is kept
    assert not DirectiveUpdate.objects.exists()  # nor the good file beside the bad one


def test_an_update_by_someone_neither_leading_nor_supporting_is_refused(people, visit):
    response = signed_in(people.do_luong).post(
        page_of(visit.staffing) + "cap-nhat/", {"text": "Đã làm"}
    )
    assert response.status_code == 403
    assert "Progress is reported by the directive's lead and supporting agencies." in (
        text(response)
    )
    assert "Đã làm" in text(response)  # what was typed is kept
    supervisor = signed_in(people.supervisor)
    assert supervisor.post(page_of(visit.staffing) + "cap-nhat/", {"text": "x"}).status_code == 403


def test_no_update_on_a_closed_directive(people, visit):
    with clock.fixed_at(at(4, 10)):
        services.close_directive(
            people.secretary, visit.subtask, outcome=Outcome.ACHIEVED, result="Xong"
        )
        response = signed_in(people.home_affairs).post(
            page_of(visit.subtask) + "cap-nhat/", {"text": "Thêm"}
        )
    assert response.status_code == 409
    assert "The directive is closed." in text(response)


# --- closing ----------------------------------------------------------------------------------


def test_closing_as_achieved_with_an_unmet_target_is_refused_on_the_form(people, visit):
    client = signed_in(people.secretary)
    close = page_of(visit.online) + "dong/"
    with clock.fixed_at(at(7, 2)):
        refused = client.post(close, {"outcome": "achieved", "result": "Đã đạt"})
        assert refused.status_code == 409
        assert "The directive's target is not met" in text(refused)
        assert "Đã đạt" in text(refused)
        no_reason = client.post(close, {"outcome": "not_achieved", "result": "Chưa đạt"})
        assert no_reason.status_code == 422
        assert "Say why the expected result was not achieved." in text(no_reason)
        closed = client.post(
            close,
            {"outcome": "not_achieved", "result": "Chưa đạt", "reason": "Người dân chưa quen"},
        )
        assert closed.status_code == 302
        visit.online.refresh_from_db()
        assert selectors.directive_status(visit.online) == Status.NOT_ACHIEVED
        page = client.get(page_of(visit.online)).content.decode()
    assert "Người dân chưa quen" in page and 'data-testid="close-form"' not in page


def test_only_the_secretariat_closes(people, visit):
    response = signed_in(people.van_hien).post(
        page_of(visit.online) + "dong/",
        {"outcome": "not_achieved", "result": "x", "reason": "y"},
    )
    assert response.status_code == 403
    assert Directive.objects.get(pk=visit.online.pk).closed_at is None


# --- the list and the follow-up ---------------------------------------------------------------


def listed(client: Client, query: str) -> set[str]:
    response = client.get("/desk/giam-sat/nhiem-vu/" + query)
    assert response.status_code == 200
    return {d.title for d in Directive.objects.all() if page_of(d) in text(response)}


def test_the_list_filters_by_group_agency_commune_and_status(people, visit):
    client = signed_in(people.secretary)
    group = visit.inspection.group_id
    with clock.fixed_at(at(7, 1)):
        services.close_directive(
            people.secretary, visit.subtask, outcome=Outcome.ACHIEVED, result="Xong"
        )
        everything = listed(client, "")
        by_group = listed(client, f"?group={group}")
        by_agency = listed(client, f"?lead_agency={agency(HOME_AFFAIRS).pk}")
        by_commune = listed(client, f"?commune={commune(VAN_HIEN).pk}")
        overdue = listed(client, "?status=overdue")
        in_progress = listed(client, "?status=in_progress")
        bad = client.get("/desk/giam-sat/nhiem-vu/?status=lost&group=abc")
    both = {visit.staffing.title, visit.online.title}
    assert everything == both  # the sub-task is on its directive's page, not in the list
    assert by_group == both
    assert by_agency == {visit.staffing.title}
    assert by_commune == {visit.online.title}
    assert overdue == both and in_progress == set()
    assert bad.status_code == 200  # a wrong filter is said, the others still apply


def test_the_list_is_scoped_and_exports_what_it_shows(people, visit):
    assert listed(signed_in(people.bach_ha), "") == set()
    assert listed(signed_in(people.van_hien), "") == {visit.online.title}
    response = signed_in(people.secretary).get(
        f"/desk/giam-sat/nhiem-vu/?lead_agency={agency(HOME_AFFAIRS).pk}&export=xlsx"
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == visit.staffing.title
    assert agency(FINANCE).name in rows[1][4]


def test_the_follow_up_counts_link_to_their_directives_and_export(people, visit):
    client = signed_in(people.secretary)
    with clock.fixed_at(at(3, 20)):
        page = client.get("/desk/giam-sat/theo-doi/?by=lead_agency").content.decode()
        workbook = client.get("/desk/giam-sat/theo-doi/?by=lead_agency&export=xlsx")
    home_affairs = agency(HOME_AFFAIRS)
    link = f"/desk/giam-sat/nhiem-vu/?lead_agency={home_affairs.pk}&amp;status=in_progress"
    assert link in page
    rows = list(load_workbook(BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Lead agency" and rows[0][-1] == "Total"
    with translation.override("en"):
        assert rows[0][1:6] == tuple(str(STATUS_LABELS[s]) for s in Status)
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name[home_affairs.name] == (1, 0, 0, 0, 0, 1)
    assert by_name[agency(f"{VAN_HIEN}.01.H40").name] == (1, 0, 0, 0, 0, 1)
    assert rows[-1][0] == "All" and by_name["All"] == (2, 0, 0, 0, 0, 2)


def test_the_follow_up_by_commune_is_scoped(people, visit):
    with clock.fixed_at(at(3, 20)):
        mine = signed_in(people.van_hien).get("/desk/giam-sat/theo-doi/?by=commune&export=xlsx")
        sibling = signed_in(people.bach_ha).get("/desk/giam-sat/theo-doi/?by=commune")
    rows = list(load_workbook(BytesIO(mine.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["xã Văn Hiến", "All"]
    assert 'data-testid="no-directives"' in sibling.content.decode()


def test_the_target_value_is_read_now(people, visit):
    """The page shows what ``read_target`` reads: nothing measured before the period begins."""
    with clock.fixed_at(at(3, 20)):
        page = signed_in(people.secretary).get(page_of(visit.online)).content.decode()
    assert "nothing to measure yet" in page
    assert dt.date(2026, 4, 1).strftime("%d/%m/%Y") in page


def test_the_directive_forms_selects_say_what_their_empty_choice_means(people, visit):
    page = text(signed_in(people.secretary, "vi").get(issue_url(visit)))
    assert "---------" not in page
    assert "Chọn đơn vị chủ trì" in page
    assert "Toàn tỉnh" in page and "Mọi lĩnh vực" in page
