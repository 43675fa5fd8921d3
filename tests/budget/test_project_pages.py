"""The project pages in both languages: the list (scope, filters, a plan's amounts by level in a
fixed number of queries, totals, export), a project with its sources, balances and ledger, the
adjustment and reversal forms (who may, what is refused, nothing lost), and the import page."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from haicap.budget.models import Funding, LedgerEntry, Project, TransferBatch
from haicap.budget.plan_columns import COLUMNS, TITLES, Kind
from haicap.core import clock
from tests.budget import world

pytestmark = pytest.mark.django_db
M = world.MILLION
LIST = "/desk/von-dau-tu/"
IMPORT = f"{LIST}nhap/"


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with clock.fixed_at(dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def made():
    return world.make()


def page(made, user, url=LIST, language="en", **query):
    answer = world.signed_in(user, language).get(url, query)
    return answer, answer.content.decode()


def listed(html: str) -> list[str]:
    import re

    return re.findall(r'href="/desk/von-dau-tu/du-an/\d+/">([^<]+)</a>', html)


def project_url(project) -> str:
    return f"{LIST}du-an/{project.pk}/"


def test_finance_lists_every_project_with_the_years_plan_by_level(made):
    answer, html = page(made, made.who.finance)
    assert answer.status_code == 200
    assert listed(html) == ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]
    assert "amounts in force in the Kế hoạch năm 2025" in html
    # the road holds 8,000 + 2,000 million at the district level
    assert '<td class="number" data-testid="amount-district">10.000.000.000</td>' in html
    assert 'data-testid="total-district">28.000.000.000</td>' in html
    assert 'data-testid="total-investment">56.000.000.000</td>' in html
    assert 'data-testid="plan-import"' in html


def test_a_commune_lists_only_the_projects_it_invests_in(made):
    _answer, html = page(made, made.who.do_luong)
    assert listed(html) == ["DL-GT-01"]
    assert 'data-testid="total-investment">20.000.000.000</td>' in html
    assert 'data-testid="plan-import"' not in html
    _answer, html = page(made, made.who.van_hien)
    assert listed(html) == []


@pytest.mark.parametrize(
    "query, codes",
    [
        ({"q": "cau do luong"}, ["DL-GT-03"]),
        ({"q": "dl-gt"}, ["DL-GT-01", "DL-GT-03"]),
        ({"field": "education"}, ["DL-GD-02"]),
        ({"plan": "2026"}, ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]),
        ({"plan": ""}, ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]),
    ],
)
def test_the_list_filters(made, query, codes):
    _answer, html = page(made, made.who.finance, **query)
    assert listed(html) == codes


def test_the_list_filters_by_investor_commune_and_former_district(made):
    finance = made.who.finance
    investor = made.bridge.investor_id
    assert listed(page(made, finance, investor=investor)[1]) == ["DL-GT-03"]
    assert listed(page(made, finance, location=made.road.location_id)[1]) == [
        "DL-GT-01",
        "DL-GT-03",
    ]
    assert len(listed(page(made, finance, former_district=made.district.pk)[1])) == 4


def test_the_list_costs_the_same_queries_for_many_projects(made):
    client = world.signed_in(made.who.finance)
    client.get(LIST)  # the session and the language, read once
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for number in range(30):
        project = Project.objects.create(
            code=f"DL-XX-{number:02d}",
            name=f"Dự án {number}",
            field="other",
            investor=made.road.investor,
            location=made.road.location,
            total_investment=M,
        )
        Funding.objects.create(project=project, source="district", amount=M)
        LedgerEntry.objects.create(
            plan=made.plans.y2025,
            project=project,
            source="district",
            level="district",
            amount=M,
            kind="allocation",
            decision_number="15/QĐ-UBND",
            decision_date=world.ALLOCATED,
            reason="Giao kế hoạch vốn",
            recorded_by=made.who.finance,
        )
    with CaptureQueriesContext(connection) as many:
        answer = client.get(LIST)
    assert 'data-testid="total-district">28.030.000.000</td>' in answer.content.decode()
    assert len(many) == len(few)


def test_the_list_exports_to_excel_with_its_totals(made):
    answer = world.signed_in(made.who.finance).get(LIST, {"export": "xlsx", "field": "transport"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0][:7] == [
        "Project code",
        "Name",
        "Field",
        "Investor",
        "Commune or ward",
        "Former district",
        "Total investment (VND)",
    ]
    assert [r[0] for r in rows[1:-1]] == ["DL-GT-01", "DL-GT-03"]
    assert rows[1][6:] == [20_000 * M, 0, 10_000 * M, 0, 10_000 * M]
    assert rows[-1][0] == "Total" and rows[-1][6:] == [44_000 * M, 0, 22_000 * M, 0, 22_000 * M]


def test_the_list_is_in_vietnamese(made):
    _answer, html = page(made, made.who.finance, language="vi")
    assert "Dự án đầu tư công" in html
    assert "Tổng mức đầu tư (đồng)" in html


def test_a_project_shows_its_sources_balances_and_ledger(made):
    answer, html = page(made, made.who.finance, project_url(made.road))
    assert answer.status_code == 200
    assert "Đường giao thông liên xã Đô Lương – Bạch Ngọc" in html
    assert html.count('data-testid="funding"') == 2
    assert 'data-testid="balance-district-district">8.000.000.000</td>' in html
    assert 'data-testid="balance-central-district">2.000.000.000</td>' in html
    assert html.count('data-testid="entry"') == 2
    assert 'data-testid="adjust-form"' in html
    assert 'data-testid="reverse"' not in html  # the specialist adjusts, a leader reverses
    _answer, html = page(made, made.who.finance_leader, project_url(made.road))
    assert html.count('data-testid="reverse"') == 2


def test_a_commune_reads_its_project_but_no_other_and_changes_none(made):
    answer, html = page(made, made.who.do_luong, project_url(made.road))
    assert answer.status_code == 200
    assert 'data-testid="adjust-form"' not in html
    assert page(made, made.who.do_luong, project_url(made.school))[0].status_code == 404
    client = world.signed_in(made.who.do_luong)
    refused = client.post(f"{project_url(made.road)}dieu-chinh/", {"amount": "-1"})
    assert refused.status_code == 403


def adjustment(**changes) -> dict:
    return {
        "plan": "2025",
        "source": "district",
        "level": "district",
        "amount": "-1.500.000.000",
        "decision_number": "210/QĐ-UBND",
        "decision_date": "2025-08-20",
        "reason": "Điều chỉnh giảm",
    } | changes


def test_finance_adjusts_a_plan_from_the_project_page(made):
    client = world.signed_in(made.who.finance)
    answer = client.post(f"{project_url(made.road)}dieu-chinh/", adjustment())
    assert answer.status_code == 302 and answer["Location"] == project_url(made.road)
    entry = LedgerEntry.objects.get(kind="adjustment")
    assert (entry.amount, entry.decision_number) == (-1_500 * M, "210/QĐ-UBND")
    html = client.get(project_url(made.road)).content.decode()
    assert 'data-testid="balance-district-district">6.500.000.000</td>' in html
    assert "-1.500.000.000" in html


@pytest.mark.parametrize(
    "changes, said",
    [
        ({"amount": "1,5"}, "Không phải số đồng nguyên"),
        ({"amount": "0"}, "Số tiền phải khác 0"),
        ({"amount": "-9.000.000.000"}, "xuống dưới 0"),
        ({"decision_date": "2025-12-01"}, "sau ngày hôm nay"),
    ],
)
def test_a_refused_adjustment_is_said_in_vietnamese_and_the_form_kept(made, changes, said):
    client = world.signed_in(made.who.finance, "vi")
    answer = client.post(f"{project_url(made.road)}dieu-chinh/", adjustment(**changes))
    assert answer.status_code == 422
    html = answer.content.decode()
    assert said in html
    assert 'value="210/QĐ-UBND"' in html  # what was typed is kept
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


def test_a_leader_reverses_an_entry_by_decision(made):
    entry = LedgerEntry.objects.get(project=made.school)
    client = world.signed_in(made.who.finance_leader)
    url = f"{LIST}but-toan/{entry.pk}/dao/"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"decision_number": "", "decision_date": "2025-09-01"})
    assert empty.status_code == 422
    answer = client.post(
        url,
        {"decision_number": "300/QĐ-UBND", "decision_date": "2025-09-01", "reason": "Trùng"},
    )
    assert answer.status_code == 302
    reversal = LedgerEntry.objects.get(kind="reversal")
    assert (reversal.reverses, reversal.amount) == (entry, -5_000 * M)
    html = client.get(project_url(made.school)).content.decode()
    assert 'data-testid="reversed"' in html
    assert 'data-testid="reverse"' not in html  # reversed once; a reversal is not reversed
    again = client.get(url, follow=True).content.decode()
    assert "reversed already" in again


def test_only_a_leader_reverses_and_a_transfer_is_not_reversed(made):
    entry = LedgerEntry.objects.get(project=made.school)
    url = f"{LIST}but-toan/{entry.pk}/dao/"
    assert world.signed_in(made.who.finance).get(url).status_code == 403
    assert world.signed_in(made.who.do_luong).get(url).status_code == 404
    batch = TransferBatch.objects.create(
        plan=made.plans.y2025, title="Chuyển vốn", created_by=made.who.finance
    )
    moved = LedgerEntry.objects.create(
        plan=made.plans.y2025,
        project=made.school,
        source="district",
        level="district",
        amount=-5_000 * M,
        kind="transfer",
        batch=batch,
        decision_number="500/QĐ-UBND",
        decision_date=dt.date(2025, 7, 15),
        reason="Chuyển vốn",
        recorded_by=made.who.finance_leader,
    )
    answer = world.signed_in(made.who.finance_leader).get(
        f"{LIST}but-toan/{moved.pk}/dao/", follow=True
    )
    assert "corrected by a new transfer batch" in answer.content.decode()


def _workbook(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    book.active.title = TITLES[Kind.PROJECTS]
    book.active.append([c.header for c in COLUMNS[Kind.PROJECTS]])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "du-an.xlsx"
    return buffer


MARKET = ["DL-HT-06", "Chợ trung tâm", "Hạ tầng đô thị", "xã Đô Lương", world.CONSTRUCTION, "",
          "", "3.000.000.000", "3.000.000.000", "", "", "", ""]  # fmt: skip


def test_finance_imports_the_plan_and_sees_each_row(made):
    client = world.signed_in(made.who.finance)
    page_answer = client.get(IMPORT)
    assert page_answer.status_code == 200
    assert 'data-testid="import-template"' in page_answer.content.decode()
    answer = client.post(IMPORT, {"file": _workbook([MARKET])})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Projects: 1 created, 0 updated, 0 unchanged." in html
    assert 'data-testid="outcome-created"' in html
    assert Project.objects.filter(code="DL-HT-06").exists()
    template = client.get(f"{IMPORT}mau-nhap-ke-hoach-von.xlsx")
    assert template["Content-Disposition"] == 'attachment; filename="mau-nhap-ke-hoach-von.xlsx"'


@pytest.mark.parametrize(
    "language, subject",
    [
        ("vi", "DL-GT-01 · 2025 · Ngân sách huyện · Huyện (đã kết thúc hoạt động)"),
        ("en", "DL-GT-01 · 2025 · District budget · District (abolished)"),
    ],
)
def test_the_import_report_says_an_allocations_source_and_level_in_words(made, language, subject):
    book = Workbook()
    book.active.title = TITLES[Kind.ALLOCATIONS]
    book.active.append([c.header for c in COLUMNS[Kind.ALLOCATIONS]])
    book.active.append(
        ["DL-GT-01", "2025", "district", "huyện", "250.000.000", "88/QĐ-UBND", "01/06/2025",
         "Bổ sung vốn"]
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "ke-hoach-von.xlsx"
    answer = world.signed_in(made.who.finance, language).post(IMPORT, {"file": buffer})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f"<td>{subject}</td>" in html
    assert "· district" not in html  # not the codes


def test_a_refused_import_lists_every_problem_in_vietnamese_and_saves_nothing(made):
    bad = [MARKET[:], MARKET[:]]
    bad[0][4] = "99999.01.H40"
    before = Project.objects.count()
    answer = world.signed_in(made.who.finance, "vi").post(IMPORT, {"file": _workbook(bad)})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Không nhập gì: có 2 lỗi cần sửa." in html
    assert "Trang “Dự án”, dòng 2, cột “Mã chủ đầu tư”" in html
    assert "DL-HT-06 đã có ở dòng 2" in html
    assert Project.objects.count() == before


def test_only_finance_may_import(made):
    assert world.signed_in(made.who.do_luong).get(IMPORT).status_code == 403
    assert world.signed_in(made.who.supervisor).get(IMPORT).status_code == 403


def test_the_reversal_form_says_it_counts_from_its_decision_date(made):
    entry = LedgerEntry.objects.get(project=made.school)
    url = f"{LIST}but-toan/{entry.pk}/dao/"
    client = world.signed_in(made.who.finance_leader)
    html = client.get(url).content.decode()
    assert 'value="2025-09-15"' in html  # today, as before
    assert (
        "The reversal takes effect from its decision date: the plan in force before that day "
        "keeps the entry. To correct a plan of an earlier year, give a decision date within "
        "that year. The entry reversed was decided on 10/01/2025."
    ) in html
    vi = world.signed_in(made.who.finance_leader, "vi").get(url).content.decode()
    assert "Việc hủy bút toán có hiệu lực từ ngày quyết định" in vi
    assert "Bút toán bị hủy được quyết định ngày 10/01/2025." in vi


def test_a_project_with_no_capital_in_the_plan_shown_is_listed_with_a_dash(made):
    LedgerEntry.objects.create(
        plan=made.plans.y2026,
        project=made.road,
        source="central",
        level="commune",
        amount=3_000 * M,
        kind="allocation",
        decision_number="3890/QĐ-UBND",
        decision_date=dt.date(2025, 12, 22),
        reason="Giao kế hoạch vốn năm 2026",
        recorded_by=made.who.finance,
    )
    with clock.fixed_at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
        _answer, html = page(made, made.who.finance)  # this year's plan, 2026, by default
    assert "amounts in force in the Kế hoạch năm 2026" in html
    # the three projects with only 2025 capital are listed, and counted
    assert listed(html) == ["DL-GD-02", "DL-GT-01", "DL-GT-03", "DL-VH-04"]
    assert '<p class="count" data-testid="result-count">4 projects' in html
    assert html.count('data-testid="amount-commune">—</td>') == 3
    assert 'data-testid="amount-commune">3.000.000.000</td>' in html
    assert 'data-testid="total-commune">3.000.000.000</td>' in html
