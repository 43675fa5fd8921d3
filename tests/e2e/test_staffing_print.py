"""The printed list of a plan's secondments, in a browser: on paper it is the list alone, under
its issuing body and above the approver's signature, without the site's menus."""

from playwright.sync_api import expect

from haicap.staffing.services import plans
from tests.e2e.conftest import assert_accessible
from tests.staffing.plan_world import START, plan_world


def test_the_decision_list_prints_without_the_sites_menus_and_footer(officer):
    world = plan_world()
    plan = plans.request_plan(world.arranger, "Biệt phái đất đai", START, 6, 70, 2)
    arranger = officer("chuyenvien.sonoivu")
    arranger.goto(f"/desk/nhan-su/ke-hoach/{plan.pk}/quyet-dinh/")
    on_screen = arranger.locator("header.top nav")
    expect(on_screen).to_be_visible()
    assert_accessible(arranger)
    arranger.emulate_media(media="print")
    expect(arranger.locator("header.top")).to_be_hidden()
    expect(arranger.locator("footer.bottom")).to_be_hidden()
    expect(arranger.get_by_test_id("decision-list")).to_be_visible()
    # the issuing body in capitals, as an administrative document heads it
    issuer = arranger.get_by_test_id("issuer").inner_text().split("\n")
    assert [line for line in issuer if line] == ["ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "SỞ NỘI VỤ"]
    expect(arranger.get_by_test_id("signature")).to_be_visible()
