"""The gap table on a phone (390×844): it scrolls sideways under a commune column that stays
put, and the fields' names in its header wrap onto a few lines, never a word a line."""

from playwright.sync_api import expect

from haicap.core.context import acting_as
from haicap.staffing.demo import load_demo_staff
from tests.e2e.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}
HOME_AFFAIRS = "chuyenvien.sonoivu"


def test_the_commune_column_stays_in_view_as_the_gap_table_scrolls_right_on_a_phone(officer):
    with acting_as("test"):
        load_demo_staff()
    desk = officer(HOME_AFFAIRS)
    desk.set_viewport_size(PHONE)
    desk.goto("/desk/nhan-su/thieu-hut/?q=Đô Lương")
    table = desk.get_by_test_id("gaps")
    commune = desk.get_by_test_id("row-17662").locator("th")
    expect(commune).to_have_text("xã Đô Lương")
    # the row in view, up and down (the filters and the legend come first)
    desk.evaluate("y => window.scrollTo(0, y)", commune.bounding_box()["y"] - 200)
    last_field = desk.get_by_test_id("row-total-17662")
    before = last_field.bounding_box()
    assert before["x"] + before["width"] > PHONE["width"]  # off the screen, to the right

    # scroll the table's box as far right as it goes
    table.evaluate("table => { table.parentElement.scrollLeft = table.parentElement.scrollWidth; }")
    desk.wait_for_function(
        "() => document.querySelector('[data-testid=gaps]').parentElement.scrollLeft > 0"
    )
    after = last_field.bounding_box()
    assert after["x"] < before["x"]  # the table did move
    assert after["x"] + after["width"] <= PHONE["width"]
    box = commune.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # nothing else is drawn over the commune's name
    assert commune.evaluate(
        "th => { const r = th.getBoundingClientRect();"
        " const seen = document.elementFromPoint(r.left + 4, r.top + r.height / 2);"
        " return seen.closest('th') === th; }"
    )

    # "Văn hóa – xã hội" on two lines or so, not five
    header = desk.get_by_test_id("field-VANHOA")
    lines = header.evaluate(
        "th => { const range = document.createRange(); range.selectNodeContents(th);"
        " return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"
    )
    assert lines <= 2, lines
    assert_accessible(desk)
