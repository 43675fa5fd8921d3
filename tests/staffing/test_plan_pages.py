"""The plan pages: who sees them, asking for a plan, a plan's proposals explained, editing a
draft, approving, revising, and the Excel export."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from haicap.core import clock
from haicap.staffing.models import NormRule, SecondmentPlan
from haicap.staffing.services import plans
from haicap.staffing.services.plans import SecondmentChange
from tests.staffing.plan_world import (
    BACH_HA,
    BEFORE_START,
    START,
    in_english,
    officer,
    plan_world,
)

pytestmark = pytest.mark.django_db
Status = SecondmentPlan.Status
PLANS = "/desk/nhan-su/ke-hoach/"


@pytest.fixture(autouse=True)
def english():
    with in_english(), clock.fixed_at(BEFORE_START):
        yield


@pytest.fixture
def world():
    return plan_world()


def client(user) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    signed_in.cookies["django_language"] = "en"
    return signed_in


@pytest.fixture
def plan(world) -> SecondmentPlan:
    return plans.request_plan(world.arranger, "Biệt phái đất đai", START, 6, 70, 2)


def page(user, url: str, status: int = 200) -> str:
    response = client(user).get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["commune_officer", "other_department"])
def test_plan_pages_are_not_found_outside_the_staffing_authority(world, plan, who):
    user = getattr(world, who)
    for url in (
        PLANS,
        f"{PLANS}moi/",
        f"{PLANS}{plan.pk}/",
        f"{PLANS}{plan.pk}.xlsx",
        f"{PLANS}{plan.pk}/quyet-dinh/",
    ):
        assert client(user).get(url).status_code == 404, url
    for action in ("phe-duyet", "sua-doi", "huy", "bo", "luu", "them", "trinh"):
        assert client(user).post(f"{PLANS}{plan.pk}/{action}/").status_code == 404, action
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_a_supervisor_reads_plans_but_is_offered_no_control(world, plan):
    listing = page(world.supervisor, PLANS)
    assert "Biệt phái đất đai" in listing
    assert 'data-testid="request-plan"' not in listing
    shown = page(world.supervisor, f"{PLANS}{plan.pk}/")
    assert 'data-testid="secondments"' in shown
    for control in ("add-form", "approve-form", "discard-form", "save-rows", "remove"):
        assert f'data-testid="{control}"' not in shown, control
    assert client(world.supervisor).get(f"{PLANS}moi/").status_code == 403
    assert client(world.supervisor).post(f"{PLANS}{plan.pk}/huy/").status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


# --- asking for a plan and reading it -----------------------------------------------------------


def test_a_plan_asked_for_in_the_form_is_solved_and_shown(world):
    form = {
        "title": "Biệt phái quý II",
        "starts_on": "2026-05-01",
        "months": "6",
        "max_travel_minutes": "60",
        "max_per_agency": "2",
        "idempotency_key": "form-1",
    }
    response = client(world.arranger).post(f"{PLANS}moi/", form)
    made = SecondmentPlan.objects.get(title="Biệt phái quý II")
    assert response.status_code == 302
    assert response["Location"] == f"{PLANS}{made.pk}/"
    # the same form sent twice makes one plan
    assert client(world.arranger).post(f"{PLANS}moi/", form)["Location"] == response["Location"]
    assert SecondmentPlan.objects.filter(title="Biệt phái quý II").count() == 1
    # the form sent again with other rules is a new request, which then solves once
    changed = client(world.arranger).post(f"{PLANS}moi/", form | {"max_travel_minutes": "70"})
    assert changed.status_code == 422
    assert "The rules changed since the form was sent" in changed.content.decode()
    assert 'value="form-1"' not in changed.content.decode()
    assert SecondmentPlan.objects.filter(title="Biệt phái quý II").count() == 1
    shown = page(world.arranger, response["Location"])
    assert "Nguyễn Văn An" in shown
    assert "Xã Bạch Hà lacks 2 officers in đất đai; xã Đô Lương has 3 in đất đai against its " in (
        shown
    )
    assert 'data-testid="host-gap">2 → 1<' in shown
    assert 'data-testid="donor-count">3 → 2<' in shown
    assert "Optimal: no better plan exists under these rules" in shown
    assert 'data-testid="mip-gap">0.00 %<' in shown
    assert 'data-testid="uncovered"' in shown  # Bạch Hà still lacks one land officer


def test_a_plan_with_no_gap_to_fill_says_so(world):
    NormRule.objects.filter(unit__code=BACH_HA).update(count=0)
    empty = plans.request_plan(world.arranger, "Không có gì", START, 6, 70, 2)
    shown = page(world.arranger, f"{PLANS}{empty.pk}/")
    assert shown.count("No commune lacks officers to cover on 01/05/2026.") == 2
    assert "No secondment is possible under these rules" not in shown
    assert "the plan covers every gap" not in shown


def test_a_plan_that_fills_no_gap_it_has_keeps_saying_why(world):
    stuck = plans.request_plan(world.arranger, "Quá xa", START, 6, 1, 2)
    shown = page(world.arranger, f"{PLANS}{stuck.pk}/")
    assert "No secondment is possible under these rules" in shown
    assert 'data-testid="uncovered"' in shown
    assert "No commune lacks officers" not in shown


def test_the_plan_form_asks_for_the_plans_title(world):
    signed_in = client(world.arranger)
    signed_in.cookies["django_language"] = "vi"
    shown = signed_in.get(f"{PLANS}moi/").content.decode()
    assert re.search(r'<label for="id_title">Tên phương án</label>', shown)
    assert "Tên nhiệm vụ" not in shown


def test_a_form_with_rules_out_of_range_is_refused_in_place(world):
    response = client(world.arranger).post(
        f"{PLANS}moi/",
        {"title": "X", "starts_on": "2026-05-01", "months": "40", "max_travel_minutes": "60"},
    )
    assert response.status_code == 422
    assert not SecondmentPlan.objects.filter(title="X").exists()


def test_the_list_shows_every_version(world, plan):
    for secondment in plan.secondments.all():
        plans.update_secondment(
            world.arranger, plan, secondment, SecondmentChange(decision_number="1/QĐ")
        )
    plans.approve(world.leader, plan)
    plans.revise(world.arranger, plan)
    listing = page(world.arranger, PLANS)
    assert listing.count("Biệt phái đất đai") == 2
    assert "3 plan versions" in listing  # with the world's approved plan of the year


# --- editing, approving, revising ---------------------------------------------------------------


def test_a_draft_is_edited_then_approved_by_the_leader_in_the_pages(world, plan):
    rows = list(plan.secondments.order_by("pk"))
    arranger = client(world.arranger)
    shown = page(world.arranger, f"{PLANS}{plan.pk}/")
    assert 'data-testid="add-form"' in shown and 'data-testid="approve-form"' not in shown
    data = {}
    for n, s in enumerate(rows, start=1):
        data |= {
            f"s{s.pk}-start_date": "2026-05-01",
            f"s{s.pk}-end_date": "2026-10-31",
            f"s{s.pk}-decision_number": f"{n}/QĐ-SNV",
        }
    assert arranger.post(f"{PLANS}{plan.pk}/luu/", data).status_code == 302
    assert sorted(plan.secondments.values_list("decision_number", flat=True)) == [
        "1/QĐ-SNV",
        "2/QĐ-SNV",
    ]
    # the arranger may not approve; the leader may
    assert arranger.post(f"{PLANS}{plan.pk}/phe-duyet/").status_code == 403
    leader_page = page(world.leader, f"{PLANS}{plan.pk}/")
    assert 'data-testid="approve-form"' in leader_page
    approve = {"confirm": "yes"}
    assert client(world.leader).post(f"{PLANS}{plan.pk}/phe-duyet/", approve).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    approved = page(world.arranger, f"{PLANS}{plan.pk}/")
    for control in ("add-form", "approve-form", "save-rows", "remove"):
        assert f'data-testid="{control}"' not in approved, control
    # a form of the draft sent to the approved plan changes nothing
    data[f"s{rows[0].pk}-decision_number"] = "đổi"
    response = arranger.post(f"{PLANS}{plan.pk}/luu/", data)
    assert response.status_code == 409
    assert "An approved plan is a record" in response.content.decode()
    assert plan.secondments.filter(decision_number="đổi").count() == 0
    # its change is a new version
    response = arranger.post(f"{PLANS}{plan.pk}/sua-doi/", {"idempotency_key": "v2"})
    revision = SecondmentPlan.objects.get(revises=plan)
    assert response["Location"] == f"{PLANS}{revision.pk}/"
    assert 'data-testid="open-revision"' in page(world.arranger, f"{PLANS}{plan.pk}/")


def test_a_new_version_shows_the_secondments_no_longer_needed(world, plan):
    for n, secondment in enumerate(plan.secondments.all(), start=1):
        plans.update_secondment(
            world.arranger, plan, secondment, SecondmentChange(decision_number=f"{n}/QĐ")
        )
    plans.approve(world.leader, plan)
    for number in ("BH-1", "BH-2"):
        officer(number, f"Lương Thị {number}", f"{BACH_HA}.03.H40", world.land)
    response = client(world.arranger).post(f"{PLANS}{plan.pk}/sua-doi/")
    shown = page(world.arranger, response["Location"])
    assert shown.count("data-not-needed") == 2
    assert "2 secondments are no longer needed" in shown
    assert "xã Bạch Hà no longer lacks officers in Đất đai" in shown
    assert "lacks 2 officers" not in shown
    assert 'data-testid="host-gap">0 → 0<' in shown
    # the approved version it revises is left as it was approved
    assert "data-not-needed" not in page(world.arranger, f"{PLANS}{plan.pk}/")


def numbered(world, plan) -> None:
    for n, secondment in enumerate(plan.secondments.order_by("pk"), start=1):
        plans.update_secondment(
            world.arranger, plan, secondment, SecondmentChange(decision_number=f"{n}/QĐ-SNV")
        )


def test_a_draft_is_submitted_and_the_authoritys_leader_is_told(world, plan):
    numbered(world, plan)
    draft = page(world.arranger, f"{PLANS}{plan.pk}/")
    assert 'data-testid="submit-form"' in draft
    response = client(world.arranger).post(f"{PLANS}{plan.pk}/trinh/", follow=True)
    shown = response.content.decode()
    assert "The plan was submitted for approval: 2 leaders were notified." in shown
    assert 'data-testid="submitted"' in shown and 'data-testid="submit-form"' not in shown
    listing = page(world.arranger, PLANS)
    row = listing[listing.index("Biệt phái đất đai") :]
    assert row.index('data-testid="awaits-approval"') < row.index("</tr>")
    notices = page(world.leader, "/desk/thong-bao/")
    assert "Secondment plan awaiting approval" in notices
    assert f"{PLANS}{plan.pk}/" in notices
    assert 'data-testid="unread-count">(1)' in notices


def test_approving_asks_first_and_acts_only_once_confirmed(world, plan):
    numbered(world, plan)
    leader = client(world.leader)
    first = leader.post(f"{PLANS}{plan.pk}/phe-duyet/")
    assert first.status_code == 302
    assert first["Location"] == f"{PLANS}{plan.pk}/?xac-nhan=phe-duyet#plan-actions"
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    asking = page(world.leader, f"{PLANS}{plan.pk}/?xac-nhan=phe-duyet")
    confirm = asking[asking.index('data-testid="confirm-approve"') :]
    assert "Are you sure you want to approve the plan?" in confirm
    assert 'name="confirm" value="yes"' in confirm
    assert f'href="{PLANS}{plan.pk}/">No, go back' in confirm
    assert leader.post(f"{PLANS}{plan.pk}/phe-duyet/", {"confirm": "yes"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


def test_discarding_asks_first_and_acts_only_once_confirmed(world, plan):
    arranger = client(world.arranger)
    first = arranger.post(f"{PLANS}{plan.pk}/huy/")
    assert first["Location"] == f"{PLANS}{plan.pk}/?xac-nhan=huy#plan-actions"
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    asking = page(world.arranger, f"{PLANS}{plan.pk}/?xac-nhan=huy")
    assert "Are you sure you want to discard the draft?" in asking
    assert 'data-testid="confirm-discard"' in asking


def test_approval_without_decision_numbers_is_refused_on_the_page(world, plan):
    response = client(world.leader).post(f"{PLANS}{plan.pk}/phe-duyet/", {"confirm": "yes"})
    assert response.status_code == 422
    assert "Give each secondment its decision number first" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_a_refused_hand_addition_says_which_constraint_fails(world, plan):
    bach_ha = plan.secondments.first().to_agency.unit
    response = client(world.arranger).post(
        f"{PLANS}{plan.pk}/them/",
        {"staff_number": "YT-1", "commune": bach_ha.pk, "field": world.land.pk},
    )
    assert response.status_code == 422
    assert "Đinh Thị Lan is not qualified in Đất đai." in response.content.decode()
    unknown = client(world.arranger).post(
        f"{PLANS}{plan.pk}/them/",
        {"staff_number": "KHONG-CO", "commune": bach_ha.pk, "field": world.land.pk},
    )
    assert unknown.status_code == 422
    assert "No officer has this staff number." in unknown.content.decode()
    assert plan.secondments.count() == 2


def test_a_proposal_is_removed_and_added_back_by_hand(world, plan):
    giang = plan.secondments.get(officer=world.department[1])
    arranger = client(world.arranger)
    assert arranger.post(f"{PLANS}{plan.pk}/bo/", {"secondment": giang.pk}).status_code == 302
    assert not plan.secondments.filter(officer=world.department[1]).exists()
    response = arranger.post(
        f"{PLANS}{plan.pk}/them/",
        {
            "staff_number": "NN-3",
            "commune": giang.to_agency.unit_id,
            "field": world.land.pk,
            "decision_number": "9/QĐ-SNV",
        },
    )
    assert response.status_code == 302
    added = plan.secondments.get(officer=world.department[2])
    assert added.added_by_hand and added.decision_number == "9/QĐ-SNV"
    assert 'data-testid="by-hand"' in page(world.arranger, f"{PLANS}{plan.pk}/")


def test_a_draft_is_discarded_from_its_page(world, plan):
    response = client(world.arranger).post(f"{PLANS}{plan.pk}/huy/", {"confirm": "yes"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.DISCARDED
    assert 'data-testid="add-form"' not in page(world.arranger, f"{PLANS}{plan.pk}/")


# --- exports ------------------------------------------------------------------------------------


def test_the_plan_exports_to_excel_with_each_proposal_and_its_figures(world, plan):
    response = client(world.supervisor).get(f"{PLANS}{plan.pk}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == (
        "Secondment plan “Biệt phái đất đai”, version 1 (Draft), secondments from 01/05/2026"
    )
    header = rows[1]
    by_officer = {
        row[header.index("Officer")]: dict(zip(header, row, strict=True)) for row in rows[2:]
    }
    # the header stays in view, days read dd/mm/yyyy, columns are as wide as their contents
    assert sheet.freeze_panes == "A3"
    start = sheet.cell(row=3, column=header.index("Start date") + 1)
    assert start.number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width >= len("Nguyễn Văn An")
    assert set(by_officer) == {"Nguyễn Văn An", "Vũ Thị Giang"}
    giang = by_officer["Vũ Thị Giang"]
    assert giang["Seconded from"] == "Sở Nông nghiệp và Môi trường"
    assert giang["Seconded to (commune)"] == "xã Bạch Hà"
    assert (giang["Travel (minutes)"], giang["Gap before"], giang["Gap after"]) == (70, 2, 0)
    assert (giang["Donor's norm"], giang["Donor's officers before"]) == (2, 3)
    assert giang["Donor's officers after"] == 2
    assert giang["Start date"].date() == START
    assert giang["End date"].date() == dt.date(2026, 10, 31)
    assert giang["Reason"].startswith("Xã Bạch Hà lacks 2 officers in đất đai;")


def test_the_list_for_the_decisions_names_each_secondment(world, plan):
    shown = page(world.arranger, f"{PLANS}{plan.pk}/quyet-dinh/")
    assert "Nguyễn Văn An" in shown and "Vũ Thị Giang" in shown
    assert "Phòng Kinh tế xã Bạch Hà" in shown
    assert 'data-testid="approver">Not approved yet<' in shown


def test_the_list_for_the_decisions_is_headed_dated_signed_and_in_the_decisions_order(world, plan):
    an, giang = (
        plan.secondments.get(officer=world.do_luong[0]),
        plan.secondments.get(officer=world.department[1]),
    )
    # by number, not as text: 9 before 10, whichever was written first
    plans.save_secondments(
        world.arranger,
        plan,
        {
            an.pk: SecondmentChange(decision_number="10/QĐ-SNV"),
            giang.pk: SecondmentChange(decision_number="9/QĐ-SNV"),
        },
    )
    plans.approve(world.leader, plan)
    signed_in = client(world.arranger)
    signed_in.cookies["django_language"] = "vi"
    shown = signed_in.get(f"{PLANS}{plan.pk}/quyet-dinh/").content.decode()
    assert re.findall(r'data-testid="decision-number">([^<]*)<', shown) == [
        "9/QĐ-SNV",
        "10/QĐ-SNV",
    ]
    issuer = shown[shown.index('data-testid="issuer"') :]
    issuer = issuer[: issuer.index("</div>")]
    assert "Ủy ban nhân dân tỉnh Nghệ An" in issuer and "Sở Nội vụ" in issuer
    assert "Nghệ An, ngày 20 tháng 04 năm 2026" in shown
    assert "Danh sách công chức được biệt phái" in shown
    assert "Theo phương án biệt phái “Biệt phái đất đai”, phiên bản 1" in shown
    assert 'data-testid="approver">giamdoc.sonoivu<' in shown
    # the site's menus, language switch and footer are left out of the print
    assert shown.count('class="note no-print"') == 2


def test_the_communes_to_add_to_are_in_vietnamese_order(world, plan):
    shown = page(world.arranger, f"{PLANS}{plan.pk}/")
    options = shown[shown.index('name="commune"') :]
    # Đ sorts among the Ds, before E (a database's byte order puts it after Z)
    assert (
        options.index("xã Diễn Châu") < options.index("xã Đô Lương") < options.index("xã Giai Lạc")
    )
