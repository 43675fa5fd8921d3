"""The feedback figures page, against the March worked out by hand in ``figures_world``: what a
commune, a department and a supervisor each see, the tables, the export and the period."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from haicap.core import clock
from tests.feedback import figures_world
from tests.feedback.figures_world import APRIL_FIRST, MARCH_QUERY
from tests.feedback.world import at, signed_in

pytestmark = pytest.mark.django_db
URL = "/desk/phan-anh/so-lieu/"


@pytest.fixture
def world(user):
    return figures_world.make(user)


def page(user, when=APRIL_FIRST, **query) -> str:
    with clock.fixed_at(when):
        response = signed_in(user).get(URL, {**MARCH_QUERY, **query})
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, testid: str) -> list[list[str]]:
    """The rows of a table (its body), each cell's text."""
    import re

    start = html.index(f'data-testid="{testid}"')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def card(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[html.index(">", start) + 1 : html.index("<", start)]


def test_someone_not_signed_in_is_sent_to_sign_in_first():
    response = Client().get(reverse("desk:feedback:figures"), MARCH_QUERY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:login") + "?next=")
    assert "so-lieu" not in response.content.decode()  # no figures before signing in


def test_a_supervisor_sees_every_rating_and_petition(world):
    html = page(world.people.supervisor)
    assert card(html, "satisfaction-rate") == "66.7 %"
    assert card(html, "received") == "6" and card(html, "overdue") == "1"
    assert card(html, "on-time-rate") == "60.0 %"
    assert table(html, "satisfaction-unit") == [
        ["xã Đô Lương", "2", "1", "50.0 %"],
        ["xã Văn Hiến", "1", "1", "100.0 %"],
    ]
    # P4's rating has no field or procedure: it is counted by agency and commune only, as said
    procedures = table(html, "satisfaction-procedure")
    assert [row[1:] for row in procedures] == [["2", "1", "50.0 %"]]
    assert world.a.procedure.name in procedures[0][0]
    assert [row[1:] for row in table(html, "satisfaction-field")] == [["2", "1", "50.0 %"]]
    assert "Answered petitions" not in html
    assert 'data-testid="dossiers-only"' in html
    agencies = table(html, "satisfaction-agency")
    assert sum(int(row[1]) for row in agencies) == 3
    places = {row[0]: row[1:] for row in table(html, "petitions-place")}
    # P6 received at Đô Lương, answered by Sở Xây dựng (the holder when it fell due)
    assert places["xã Đô Lương"] == ["5", "1", "1", "1", "1", "33.3 % (1/3)"]
    assert places["xã Văn Hiến"] == ["1", "1", "0", "0", "0", "100.0 % (1/1)"]
    assert places["Sở Xây dựng"] == ["0", "1", "0", "0", "0", "100.0 % (1/1)"]
    assert table(html, "petitions-category") == [
        ["Môi trường, rác thải", "6", "3", "1", "1", "1", "60.0 % (3/5)"]
    ]


def test_a_commune_sees_only_its_own_ratings(world):
    html = page(world.people.do_luong_leader)
    # Văn Hiến's rating of P4 is not counted
    assert card(html, "satisfaction-rate") == "50.0 %"
    assert table(html, "satisfaction-unit") == [["xã Đô Lương", "2", "1", "50.0 %"]]
    assert "xã Văn Hiến" not in html
    places = {row[0]: row[1:] for row in table(html, "petitions-place")}
    # the petition it transferred to the department is still one it reads
    assert set(places) == {"xã Đô Lương", "Sở Xây dựng"}
    other = page(world.people.van_hien)
    assert table(other, "satisfaction-unit") == [["xã Văn Hiến", "1", "1", "100.0 %"]]
    assert card(other, "received") == "1"


def test_a_department_sees_its_own(world):
    html = page(world.people.construction_leader)
    assert card(html, "satisfaction-rate") == "—"
    assert table(html, "satisfaction-agency") == [["No ratings in this period."]]
    places = {row[0]: row[1:] for row in table(html, "petitions-place")}
    # P6, the one petition it reads: received at Đô Lương, answered here
    assert list(places) == ["Sở Xây dựng", "xã Đô Lương"]
    assert places["Sở Xây dựng"][:5] == ["0", "1", "0", "0", "0"]
    assert places["xã Đô Lương"][:5] == ["1", "0", "0", "0", "0"]
    assert card(html, "received") == "1"


def test_by_default_this_month_so_far(world):
    with clock.fixed_at(at(3, 18, 9)):
        html = signed_in(world.people.supervisor).get(URL).content.decode()
    assert "01/03/2026 – 18/03/2026" in html
    # the fields show the period the heading shows, not a blank form
    assert '<option value="month" selected>' in html
    assert 'name="year" value="2026"' in html and 'name="number" value="3"' in html
    assert card(html, "overdue") == "2"  # P2 and P3, now
    assert "Overdue now" in html


def test_a_period_not_begun_is_said(world):
    with clock.fixed_at(APRIL_FIRST):
        response = signed_in(world.people.supervisor).get(URL, {"kind": "year", "year": 2027})
    assert response.status_code == 422
    assert "This period has not begun yet" in response.content.decode()


def test_the_figures_export_to_excel(world):
    with clock.fixed_at(APRIL_FIRST):
        client = signed_in(world.people.supervisor)
        satisfaction = client.get(URL, {**MARCH_QUERY, "export": "satisfaction"})
        petitions = client.get(URL, {**MARCH_QUERY, "export": "petitions"})
    rows = list(load_workbook(BytesIO(satisfaction.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Grouped by", "Name", "Ratings", "Satisfied", "Satisfaction (%)")
    assert ("Commune or ward", "xã Đô Lương", 2, 1, 50.0) in rows
    assert rows[-1] == ("Total", None, 3, 2, 66.7)
    rows = list(load_workbook(BytesIO(petitions.content)).active.iter_rows(values_only=True))
    assert ("Commune or agency", "xã Đô Lương", 5, 1, 1, 1, 1, 3, 1, 33.3) in rows
    assert rows[-1] == ("Total", None, 6, 3, 1, 1, 1, 5, 3, 60.0)


def test_the_kpi_dashboard_links_to_the_figures(world):
    with clock.fixed_at(APRIL_FIRST):
        html = signed_in(world.people.supervisor).get(reverse("desk:indicators")).content.decode()
    # the month so far, as the figures page heads it: the heading and the fields agree
    link = f"{URL}?kind=range&amp;start=2026-04-01&amp;end=2026-04-01"
    assert f'href="{link}"' in html
    figures = page(world.people.supervisor, kind="range", start="2026-04-01", end="2026-04-01")
    assert "01/04/2026 – 01/04/2026" in figures
    assert 'name="end" value="2026-04-01"' in figures


def test_the_petition_queue_links_to_the_figures(world):
    with clock.fixed_at(APRIL_FIRST):
        html = signed_in(world.people.do_luong_leader).get(reverse("desk:feedback:queue"))
    assert 'data-testid="figures-link">' in html.content.decode()
    assert f'href="{URL}"' in html.content.decode()
