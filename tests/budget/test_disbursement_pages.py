"""The disbursement pages in Vietnamese and English: the overview (totals, groups, the projects
behind the pace, the chart as an image of its own), entering a month (an investor its own
projects, refusals shown per row with nothing lost), the import, the pace, a project's year;
another commune's project is a 404."""

import datetime as dt
import io
import xml.etree.ElementTree as ElementTree

import pytest
from openpyxl import Workbook

from haicap.budget.disbursement_sheet import COLUMNS, TITLE
from haicap.budget.models import Disbursement, PaceTarget
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from tests.budget import disbursement_world, world

pytestmark = pytest.mark.django_db
M = world.MILLION
PAGES = "/desk/von-dau-tu/giai-ngan/"
JUNE = {"year": 2025, "month": 6}
SVG = "{http://www.w3.org/2000/svg}"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_overview_in_vietnamese_and_in_english():
    made = disbursement_world.make()
    vietnamese = page(world.signed_in(made.who.finance, "vi").get(PAGES, JUNE))
    assert "Giải ngân đến hết tháng 6/2025" in vietnamese
    # a figure and its unit are held together (no break space): a narrow column never splits them
    assert "8.500.000.000\u00a0đ" in vietnamese and "30,36\u00a0%" in vietnamese
    assert "45,00\u00a0%" in vietnamese  # the pace expected by the end of June
    english = page(world.signed_in(made.who.finance, "en").get(PAGES, {**JUNE, "by": "level"}))
    assert "Disbursement to the end of month 6/2025" in english
    # đồng written as Vietnamese offices write them in both languages, "đ" and "VND" after
    assert "8.500.000.000\u00a0VND" in english and "30.36\u00a0%" in english
    assert "8.500.000.000\u00a0đ" in vietnamese and "\u00a0VND" not in vietnamese
    assert 'data-testid="group-commune"' in english and 'data-testid="group-province"' in english
    # behind the pace: the three of them, the school not
    for code in ("DL-GT-01", "DL-GT-03", "DL-VH-04"):
        assert f'data-testid="behind-{code}"' in english
    assert 'data-testid="behind-DL-GD-02"' not in english
    # the chart is an image from haicap itself, the report files linked
    assert f'src="{PAGES}bieu-do.svg?year=2025&amp;month=6"' in english
    assert f"{PAGES}bao-cao.xlsx?year=2025&amp;month=6" in english
    assert f"{PAGES}bao-cao.pdf?year=2025&amp;month=6" in english


def test_the_overview_defaults_to_the_last_ended_month_and_an_investor_sees_its_own():
    made = disbursement_world.make()
    with clock.fixed_at(dt.datetime(2025, 7, 10, 9, 0, tzinfo=VIETNAM)):
        english = page(world.signed_in(made.who.do_luong, "en").get(PAGES))
    assert "Disbursement to the end of month 6/2025" in english
    assert f'data-testid="group-{made.road.investor_id}"' in english
    assert "DL-GT-03" not in english and "DL-GD-02" not in english
    june = page(world.signed_in(made.who.do_luong, "en").get(PAGES, {**JUNE, "by": "project"}))
    assert "DL-GT-01" in june and "10.000.000.000\u00a0VND" in june
    assert "The projects invested in by the bodies you work for." in june


@pytest.mark.parametrize(
    "language, series", [("vi", "Kế hoạch vốn còn hiệu lực"), ("en", "Plan in force")]
)
def test_the_chart_is_valid_svg_without_script_naming_its_series(language, series):
    made = disbursement_world.make()
    answer = world.signed_in(made.who.finance, language).get(f"{PAGES}bieu-do.svg", JUNE)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(answer.content)  # noqa: S314  (haicap's own chart)
    assert root.tag == f"{SVG}svg"
    assert not root.findall(f".//{SVG}script")
    texts = " ".join(t for t in root.itertext())
    assert series in texts
    assert b"http://" not in answer.content.replace(b"http://www.w3.org/", b"").replace(
        b"http://pygal.org", b""
    ).replace(b"http://github.com/Kozea/pygal", b"")  # nothing fetched from elsewhere


def test_a_project_of_another_commune_is_not_found():
    made = disbursement_world.make()
    own = world.signed_in(made.who.do_luong, "en")
    assert own.get(f"{PAGES}du-an/{made.road.pk}/", JUNE).status_code == 200
    assert own.get(f"{PAGES}du-an/{made.road.pk}/bieu-do.svg", JUNE).status_code == 200
    other = world.signed_in(made.who.bach_ha, "en")
    assert other.get(f"{PAGES}du-an/{made.road.pk}/", JUNE).status_code == 404
    assert other.get(f"{PAGES}du-an/{made.road.pk}/bieu-do.svg", JUNE).status_code == 404


def test_a_projects_year_month_by_month():
    made = disbursement_world.make()
    english = page(
        world.signed_in(made.who.finance, "en").get(f"{PAGES}du-an/{made.road.pk}/", JUNE)
    )
    assert 'data-testid="month-6"' in english and 'data-testid="month-7"' not in english
    assert "3.000.000.000\u00a0VND" in english  # disbursed from January by June
    assert f'src="{PAGES}du-an/{made.road.pk}/bieu-do.svg?year=2025&amp;month=6"' in english


def test_an_investor_commune_enters_its_own_projects_month():
    made = disbursement_world.make()
    client = world.signed_in(made.who.do_luong, "vi")
    listing = page(client.get(f"{PAGES}nhap/", JUNE))
    assert 'data-testid="entry-DL-GT-01"' in listing
    assert "DL-GD-02" not in listing and "DL-GT-03" not in listing
    assert "10.000.000.000\u00a0đ" in listing  # its plan in force
    answer = client.post(
        f"{PAGES}nhap/?year=2025&month=6", {f"amount_{made.road.pk}": "1.200.000.000"}
    )
    assert answer.status_code == 302
    assert Disbursement.objects.get(project=made.road, year=2025, month=6).amount == 1_200 * M
    # a field for another commune's project is no field of its form: nothing happens to it
    client.post(f"{PAGES}nhap/?year=2025&month=6", {f"amount_{made.school.pk}": "1"})
    assert not Disbursement.objects.filter(project=made.school, month=6).exists()


def test_refusals_are_shown_per_row_and_nothing_typed_is_lost():
    made = disbursement_world.make()
    client = world.signed_in(made.who.finance, "en")
    typed = {
        f"amount_{made.school.pk}": "100.000.000",
        f"amount_{made.bridge.pk}": "12.500.000.000",  # over its 12,000 million
    }
    answer = client.post(f"{PAGES}nhap/?year=2025&month=6", typed)
    assert answer.status_code == 422
    text = answer.content.decode()
    refusal = text.split('data-testid="refused-DL-GT-03">')[1].split("</p>")[0]
    assert "12.000.000.000" in refusal and "6/2025" in refusal
    assert 'data-testid="refused-DL-GD-02"' not in text
    assert 'value="100.000.000"' in text and 'value="12.500.000.000"' in text
    assert not Disbursement.objects.filter(project=made.school, month=6).exists()
    bad = client.post(f"{PAGES}nhap/?year=2025&month=6", {f"amount_{made.school.pk}": "1,5"})
    assert bad.status_code == 422 and "Not a whole number of đồng" in bad.content.decode()


def test_who_enters_nothing_is_refused_the_page():
    made = disbursement_world.make()
    assert world.signed_in(made.who.van_hien, "en").get(f"{PAGES}nhap/").status_code == 403
    assert world.signed_in(made.who.supervisor, "en").get(f"{PAGES}nhap/").status_code == 403


def _workbook(*lines) -> io.BytesIO:
    book = Workbook()
    book.active.title = TITLE
    book.active.append([c.header for c in COLUMNS])
    for line in lines:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "giai-ngan.xlsx"
    return buffer


def test_the_import_page_reports_every_row_or_what_was_done():
    made = disbursement_world.make()
    client = world.signed_in(made.who.finance, "vi")
    assert 'data-testid="import-form"' in page(client.get(f"{PAGES}nhap-excel/"))
    template = client.get(f"{PAGES}nhap-excel/mau-nhap-giai-ngan.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    refused = client.post(
        f"{PAGES}nhap-excel/", {"file": _workbook(["DL-GT-01", 2025, 6, "x"], ["X", 2025, 6, 1])}
    )
    assert refused.status_code == 422
    assert "Dòng 2" in refused.content.decode()
    done = client.post(f"{PAGES}nhap-excel/", {"file": _workbook(["DL-GT-01", 2025, 6, 100])})
    assert done.status_code == 200 and 'data-testid="import-done"' in done.content.decode()
    assert Disbursement.objects.get(project=made.road, month=6).amount == 100


def test_finance_edits_the_pace_a_supervisor_reads_it_a_commune_does_not():
    made = disbursement_world.make()
    client = world.signed_in(made.who.finance, "en")
    form = page(client.get(f"{PAGES}tien-do/", {"year": 2025}))
    assert 'name="share_6"' in form and 'value="45.00"' in form
    shares = {f"share_{m}": "" for m in range(1, 13)}
    falling = {**shares, "share_3": "30", "share_6": "25"}
    refused = client.post(f"{PAGES}tien-do/?year=2025", falling)
    assert refused.status_code == 422 and "may not fall" in refused.content.decode()
    assert PaceTarget.objects.get(plan=made.plans.y2025, month=3).share == 20
    rising = {**shares, "share_3": "20", "share_6": "40", "share_12": "100"}
    assert client.post(f"{PAGES}tien-do/?year=2025", rising).status_code == 302
    months = dict(PaceTarget.objects.filter(plan=made.plans.y2025).values_list("month", "share"))
    assert months == {3: 20, 6: 40, 12: 100}
    reader = world.signed_in(made.who.supervisor, "en")
    assert 'name="share_6"' not in page(reader.get(f"{PAGES}tien-do/", {"year": 2025}))
    assert reader.post(f"{PAGES}tien-do/?year=2025", rising).status_code == 403
    commune = world.signed_in(made.who.do_luong, "en")
    assert commune.get(f"{PAGES}tien-do/", {"year": 2025}).status_code == 404


@pytest.mark.parametrize(
    "language, named, grouped, no_investor",
    [
        ("vi", "Cấp của chủ đầu tư", "Theo cấp của chủ đầu tư", "Chưa có chủ đầu tư"),
        ("en", "Investor&#x27;s level", "By investor&#x27;s level", "No investor"),
    ],
)
def test_by_level_is_the_investors_level_not_the_budget_level(
    language, named, grouped, no_investor
):
    made = disbursement_world.make()
    html = page(world.signed_in(made.who.finance, language).get(PAGES, {**JUNE, "by": "level"}))
    assert f'<option value="level" selected>{named}</option>' in html
    assert f'<th scope="col">{named}</th>' in html
    assert f">{grouped}</h2>" in html
    assert f'<th scope="row">{no_investor}</th>' in html
    assert "Cấp ngân sách" not in html and "Budget level" not in html


@pytest.mark.parametrize(
    "language, shown, flag",
    [("vi", "100.050,00\u00a0%", "vượt kế hoạch"), ("en", "100,050.00\u00a0%", "above plan")],
)
def test_a_share_above_the_plan_is_grouped_and_flagged_not_behind(language, shown, flag):
    made = disbursement_world.make()
    disbursement_world.disburse(made, "school", 6, 5_000_000)  # far above its 5,000 million
    client = world.signed_in(made.who.finance, language)
    html = page(client.get(PAGES, {**JUNE, "by": "project"}))
    row = html.split(f'data-testid="group-{made.school.pk}"')[1].split("</tr>")[0]
    assert shown in row and flag in row and 'data-behind="no"' in row
    assert 'data-testid="above-plan-projects"' in html and "DL-GD-02" in html
    assert 'data-testid="behind-DL-GD-02"' not in html
    within = page(client.get(PAGES, JUNE))
    assert 'data-testid="above-plan-projects"' in within  # whatever the grouping
    assert f"▲ {flag}" not in page(
        world.signed_in(made.who.finance, language).get(PAGES, {**JUNE, "month": 5})
    )


@pytest.mark.parametrize("query", [{}, JUNE, {**JUNE, "by": "nonsense"}])
def test_the_grouping_chosen_is_the_one_shown(query):
    made = disbursement_world.make()
    with clock.fixed_at(dt.datetime(2025, 7, 10, 9, 0, tzinfo=VIETNAM)):
        html = page(world.signed_in(made.who.finance, "vi").get(PAGES, query))
    options = html.split('name="by"')[1].split("</select>")[0]
    assert "selected" not in options.replace('<option value="investor" selected>', "")
    assert options.split("<option")[1].startswith(' value="investor"')  # shown when none is
    if query.get("by") != "nonsense":
        assert '<option value="investor" selected>Chủ đầu tư</option>' in options
    else:
        assert 'role="alert"' in html  # the grouping asked for is refused, and said so
    assert ">Theo chủ đầu tư</h2>" in html and '<th scope="col">Số dự án</th>' in html


def test_by_project_shows_each_projects_investor_and_commune_not_a_count():
    made = disbursement_world.make()
    html = page(world.signed_in(made.who.finance, "vi").get(PAGES, {**JUNE, "by": "project"}))
    table = html.split('data-testid="groups"')[1].split("</table>")[0]
    header = table.split("</thead>")[0]
    assert header.count(">Dự án</th>") == 1 and "Số dự án" not in header
    assert '<th scope="col">Chủ đầu tư</th>' in header
    assert '<th scope="col">Xã, phường nơi xây dựng</th>' in header
    road = table.split(f'data-testid="group-{made.road.pk}"')[1].split("</tr>")[0]
    assert f"<td>{made.road.investor.name}</td>" in road
    assert f"<td>{made.road.location.full_name}</td>" in road
    assert '<td class="number">1</td>' not in road
    orphan = table.split(f'data-testid="group-{made.orphan.pk}"')[1].split("</tr>")[0]
    assert "<td>Chưa xác định chủ đầu tư</td>" in orphan


def test_the_chart_writes_billions_of_dong_vietnamese_style_in_english_too():
    made = disbursement_world.make()
    answer = world.signed_in(made.who.finance, "en").get(f"{PAGES}bieu-do.svg", JUNE)
    texts = " ".join(ElementTree.fromstring(answer.content).itertext())  # noqa: S314
    assert "8,5" in texts and "8.5" not in texts  # 8,500 million disbursed by June


def test_figures_are_not_broken_and_the_entry_table_is_labelled_for_a_phone():
    made = disbursement_world.make()
    client = world.signed_in(made.who.finance, "vi")
    html = page(client.get(PAGES, JUNE))
    assert '<table class="figures" data-testid="behind">' in html  # nowrap on its figures
    entry = page(client.get(f"{PAGES}nhap/", JUNE))
    assert 'class="plan-rows figures month-entry"' in entry
    assert 'data-label="Giải ngân trong tháng (đồng)"' in entry


@pytest.mark.parametrize(
    "language, refusal",
    [("vi", "Tháng 8/2025 chưa bắt đầu."), ("en", "Month 8/2025 has not begun yet.")],
)
def test_a_month_not_begun_is_refused_and_the_last_ended_month_shown(language, refusal):
    made = disbursement_world.make()
    with clock.fixed_at(dt.datetime(2025, 7, 10, 9, 0, tzinfo=VIETNAM)):
        shown = page(
            world.signed_in(made.who.finance, language).get(PAGES, {"year": 2025, "month": 8})
        )
    assert refusal in shown
    assert ("Giải ngân đến hết tháng 6/2025" if language == "vi" else "end of month 6/2025") in (
        shown
    )
