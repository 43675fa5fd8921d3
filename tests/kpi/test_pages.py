"""The indicator pages: numbers, click-through to exactly the dossiers counted, reports."""

import re
import unicodedata
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.core import clock
from tests.conftest import client_for
from tests.dossiers.test_scenarios import at, receive

pytestmark = pytest.mark.django_db
MARCH = {"kind": "month", "year": 2026, "number": 3}
APRIL_FIRST = at(4, 1, 9)


def dashboard(username: str, **query) -> str:
    with clock.fixed_at(APRIL_FIRST):
        return (
            client_for(username)
            .get(reverse("desk:indicators"), {**MARCH, **query})
            .content.decode()
        )


def listed(username: str, url: str) -> int:
    """How many dossiers the desk's list shows behind a link."""
    with clock.fixed_at(APRIL_FIRST):
        page = client_for(username).get(url.replace("&amp;", "&")).content.decode()
    return int(re.search(r'data-testid="result-count">(\d+)', page).group(1))


def link_of(page: str, testid: str) -> str:
    card = page[: page.index(f'data-testid="{testid}"')]
    return card[card.rindex('href="') + 6 :].split('"', 1)[0]


def test_the_province_sees_the_month_and_each_number_opens_its_dossiers(march):
    page = dashboard("giamsat")
    assert 'data-testid="received">4<' in page and 'data-testid="resolved">3<' in page
    assert "66,7 %" in page and "25,0 %" in page
    assert listed("giamsat", link_of(page, "received")) == 4
    assert listed("giamsat", link_of(page, "resolved")) == 3
    assert listed("giamsat", link_of(page, "on-time-rate")) == 1  # the late one
    assert 'data-testid="heat"' in page and 'data-testid="table-units"' in page


def test_a_commune_sees_its_own_figures_and_not_the_ranking(march):
    own = dashboard("lanhdao.doluong")
    assert 'data-testid="received">4<' in own and 'data-testid="heat"' not in own
    assert listed("lanhdao.doluong", link_of(own, "received")) == 4
    other = dashboard("tiepnhan.vanhien")
    assert 'data-testid="received">0<' in other


def test_indicator_tables_export_to_excel(march):
    with clock.fixed_at(APRIL_FIRST):
        response = client_for("giamsat").get(
            reverse("desk:indicators"), {**MARCH, "export": "units"}
        )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    do_luong = next(row for row in rows if row[1] == "xã Đô Lương")
    assert do_luong[0] == 1 and do_luong[2:7] == (4, 3, 1, 1, 1)


def test_the_monthly_report_as_excel_and_pdf(march):
    client = client_for("lanhdao.doluong")
    with clock.fixed_at(APRIL_FIRST):
        sheet = client.get(reverse("desk:report"), {**MARCH, "format": "xlsx"})
        pdf = client.get(reverse("desk:report"), {**MARCH, "format": "pdf"})
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    totals = [row for row in rows if row and row[1] == "Tổng cộng"]
    # carried over, new, online, resolved, early, on time, late, not yet due, overdue
    assert totals[0][2:11] == (1, 4, 1, 3, 1, 1, 1, 1, 1)
    assert totals[0] == totals[1]  # by field and by agency add up to the same
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "BÁO CÁO TÌNH HÌNH" in text and "THÁNG" in text and "Tổng cộng" in text


def test_the_report_is_reached_from_the_menu_and_offers_excel_and_pdf(march):
    client = client_for("lanhdao.doluong")
    with clock.fixed_at(APRIL_FIRST):
        home = client.get(reverse("desk:home")).content.decode()
        assert f'href="{reverse("desk:report")}">Báo cáo giải quyết TTHC</a>' in home
        page = client.get(reverse("desk:report"), MARCH).content.decode()
        assert "01/03/2026 – 31/03/2026" in page
        links = re.findall(r'href="(\?[^"]*format=(?:xlsx|pdf))"', page)
        assert len(links) == 2
        files = [client.get(reverse("desk:report") + link.replace("&amp;", "&")) for link in links]
    assert files[0]["Content-Type"].startswith("application/vnd.openxmlformats")
    assert files[1]["Content-Type"] == "application/pdf"
    assert "20260301-20260331" in files[1]["Content-Disposition"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "month", "year": 2026, "number": 13}, "Một năm có mười hai tháng"),
        ({"kind": "month", "year": 2026, "number": 5}, "Kỳ này chưa bắt đầu"),
        ({"kind": "year", "year": 2027}, "Kỳ này chưa bắt đầu"),
        ({"kind": "range", "start": "2026-04-02", "end": "2026-04-30"}, "Kỳ này chưa bắt đầu"),
    ],
)
def test_a_month_13_or_a_period_to_come_is_a_form_error_not_figures(march, query, message):
    client = client_for("giamsat")
    with clock.fixed_at(APRIL_FIRST):
        page = client.get(reverse("desk:indicators"), query)
        report = client.get(reverse("desk:report"), {**query, "format": "pdf"})
    assert page.status_code == 422 and report.status_code == 422
    for response in (page, report):
        body = response.content.decode()
        assert 'role="alert"' in body and message in body
        assert 'data-testid="summary"' not in body and "Tải về dạng PDF" not in body


def report_header(username: str) -> str:
    with clock.fixed_at(APRIL_FIRST):
        pdf = client_for(username).get(reverse("desk:report"), {**MARCH, "format": "pdf"})
    first = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    return unicodedata.normalize("NFC", " ".join(first.split()))


def test_the_report_pdf_heads_with_its_form_number_and_the_province(march):
    commune = report_header("lanhdao.doluong")
    assert "Mẫu số 06a/VPCP/KSTT" in commune
    assert "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" in commune and "ỦY BAN NHÂN DÂN XÃ ĐÔ LƯƠNG" in commune
    province = report_header("giamsat")
    assert "Mẫu số 06a/VPCP/KSTT" in province and "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" in province
    assert "Nghệ An, ngày 01 tháng 04 năm 2026" in province


def test_the_public_sees_monthly_rates_and_nothing_personal(march):
    with clock.fixed_at(APRIL_FIRST):
        page = Client().get(reverse("portal:figures")).content.decode()
    table = page[page.index('data-testid="public-figures"') :]
    march_row = table[table.index("03/2026") :].split("</tr>", 1)[0]
    assert "66,7 %" in march_row and "25,0 %" in march_row
    assert "040195012345" not in page and "Nguyễn Thị Mai" not in page


def test_the_dashboard_costs_the_same_queries_however_many_dossiers(user, march):
    with clock.fixed_at(APRIL_FIRST):
        client = client_for("giamsat")
        client.get(reverse("desk:indicators"), MARCH)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("desk:indicators"), MARCH)
    for day in (5, 6, 9, 10):
        receive(user, at(3, day, 9), "X.HT.001", desk="17677.05.H40", username="tiepnhan.vanhien")
    with clock.fixed_at(APRIL_FIRST), CaptureQueriesContext(connection) as many:
        page = client.get(reverse("desk:indicators"), MARCH).content.decode()
    assert 'data-testid="received">8<' in page
    assert len(many) == len(few)
