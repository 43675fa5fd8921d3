"""Issue 15: "An agency sees the directives it leads or supports. A commune sees its own." A
commune whose People's Committee supports (or must act on) a directive answering several
communes' findings reads that directive, never its neighbours' findings: on the inspection's
page, the directive's page, the API and the conclusion notice. A sub-task the commune leads,
under a directive it does not see, stands on its own and names that directive in plain text."""

import datetime as dt
import html as html_text
import re
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from haicap.core import clock
from haicap.oversight import services
from haicap.oversight.models import Directive, Finding
from tests.conftest import client_for
from tests.oversight.conftest import DO_LUONG, agency, at
from tests.oversight.test_api import API, bearer

pytestmark = pytest.mark.django_db

DO_LUONG_COMMITTEE = f"{DO_LUONG}.01.H40"
VAN_HIEN_FINDING = "Tỷ lệ tiếp nhận trực tuyến thấp"
DO_LUONG_FINDING = "Thiếu công chức chuyên môn lĩnh vực đất đai"


def first_cells(page: str) -> list[str]:
    """The first cell of each row of the directives' table, as text."""
    table = page.split('data-testid="directives"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    cells = [row.split("</td>", 1)[0] for row in body.split("<tr>")[1:]]
    return [" ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def url(name: str, *args: object) -> str:
    return reverse(f"desk:oversight:{name}", args=args)


@pytest.fixture
def supported(visit):
    """Đô Lương's People's Committee supports Văn Hiến's online directive."""
    visit.online.supporting_agencies.add(agency(DO_LUONG_COMMITTEE))
    return visit


@pytest.fixture
def subtask(people, visit) -> Directive:
    """A sub-task for Đô Lương under Văn Hiến's online directive, which Đô Lương does not see."""
    with clock.fixed_at(at(3, 12)):
        return services.issue_directive(
            people.secretary,
            visit.inspection,
            services.DirectiveSpec(
                title="Hướng dẫn xã Văn Hiến nộp hồ sơ trực tuyến",
                lead_agency=agency(DO_LUONG_COMMITTEE),
                deadline=dt.date(2026, 5, 15),
            ),
            visit.online,
        )


def test_a_supporting_commune_sees_the_directive_but_only_its_own_findings(people, supported):
    directives = set(Directive.objects.restrict(people.do_luong).values_list("pk", flat=True))
    assert supported.online.pk in directives
    findings = set(Finding.objects.restrict(people.do_luong).values_list("pk", flat=True))
    assert findings == {supported.staff_shortage.pk}


def test_a_commune_asked_to_act_on_a_neighbours_finding_does_not_read_it(people, visit):
    Finding.objects.filter(pk=visit.low_online.pk).update(agency_to_act=agency(DO_LUONG_COMMITTEE))
    findings = set(Finding.objects.restrict(people.do_luong).values_list("pk", flat=True))
    assert findings == {visit.staff_shortage.pk}


def test_the_group_still_reads_every_finding(people, supported):
    findings = set(Finding.objects.restrict(people.secretary).values_list("pk", flat=True))
    assert findings == {supported.staff_shortage.pk, supported.low_online.pk}


def test_the_inspection_page_shows_a_commune_its_own_findings(people, supported):
    page = client_for(people.do_luong.username).get(url("inspection", supported.inspection.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert DO_LUONG_FINDING in html and VAN_HIEN_FINDING not in html
    assert "unit=17662&amp;overdue=1" in html  # its own evidence link stays


def test_the_directive_page_lists_only_the_communes_own_findings(people, supported):
    page = client_for(people.do_luong.username).get(url("directive", supported.online.pk))
    assert page.status_code == 200
    assert VAN_HIEN_FINDING not in page.content.decode()
    secretary = client_for(people.secretary.username).get(url("directive", supported.online.pk))
    assert VAN_HIEN_FINDING in secretary.content.decode()


def test_the_api_lists_a_commune_its_own_findings(people, supported):
    answer = bearer(people.do_luong).get(
        f"{API}/findings", {"inspection_id": supported.inspection.pk}
    )
    assert [f["id"] for f in answer.json()["items"]] == [supported.staff_shortage.pk]


def test_the_notice_states_a_commune_its_own_findings(people, supported):
    def text(username: str) -> str:
        word = client_for(username).get(url("notice_docx", supported.inspection.pk))
        assert word.status_code == 200
        document = Document(BytesIO(word.content))
        return "\n".join(p.text for p in document.paragraphs)

    mine = text(people.do_luong.username)
    assert DO_LUONG_FINDING in mine and VAN_HIEN_FINDING not in mine
    everything = text(people.secretary.username)
    assert DO_LUONG_FINDING in everything and VAN_HIEN_FINDING in everything


def test_a_subtask_under_a_hidden_directive_is_a_row_of_its_own(people, visit, subtask):
    page = client_for(people.do_luong.username).get(url("inspection", visit.inspection.pk))
    html = page.content.decode()
    mine = next(c for c in first_cells(html) if subtask.title in c)
    assert not mine.startswith("↳")  # not drawn under the staffing directive above it
    assert "Nâng tỷ lệ tiếp nhận trực tuyến" in mine  # its directive, named in plain text
    assert reverse("desk:oversight:directive", args=[visit.online.pk]) not in html
    # the group's people see it under its directive, as before
    group_page = client_for(people.secretary.username).get(url("inspection", visit.inspection.pk))
    titles = first_cells(group_page.content.decode())
    at_ = titles.index(next(t for t in titles if subtask.title in t))
    assert titles[at_] == f"↳ {subtask.title}"
    assert titles[at_ - 1] == visit.online.title


def test_the_directive_list_and_page_name_a_hidden_parent_in_plain_text(people, visit, subtask):
    client = client_for(people.do_luong.username)
    html = client.get(url("directive_list")).content.decode()
    assert subtask.title in html
    part_of = html.split('data-testid="part-of">', 1)[1].split("</span>", 1)[0]
    assert visit.online.title in part_of
    detail = client.get(url("directive", subtask.pk)).content.decode()
    assert reverse("desk:oversight:directive", args=[visit.online.pk]) not in detail
    assert visit.online.title in detail
    # the secretariat sees the sub-task on its directive's page, not as a row of the list
    listed = client_for(people.secretary.username).get(url("directive_list")).content.decode()
    assert subtask.title not in listed
