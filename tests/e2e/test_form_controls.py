"""Radio buttons and checkboxes sit beside their labels' text, on a phone (390×844) and on a
desktop: never stretched to a line of their own above the words they choose."""

import pytest
from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# The box of a radio button or checkbox and the first line of its label's text (the rectangles
# the browser laid out): the text after the box in the label around it, or the label for it.
BOX_AND_TEXT = """(input) => {
  const around = input.closest('label');
  const range = document.createRange();
  if (around) {
    range.setStartAfter(input);
    range.setEnd(around, around.childNodes.length);
  } else {
    range.selectNodeContents(document.querySelector(`label[for="${input.id}"]`));
  }
  const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  const box = input.getBoundingClientRect();
  const first = lines[0];
  return {
    box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    text: {left: first.left, right: first.right, top: first.top, bottom: first.bottom},
  };
}"""


def assert_beside_their_text(page: Page, selector: str, expected: int) -> None:
    controls = page.locator(selector)
    assert controls.count() == expected
    for index in range(expected):
        laid_out = controls.nth(index).evaluate(BOX_AND_TEXT)
        box, text = laid_out["box"], laid_out["text"]
        middle = (box["top"] + box["bottom"]) / 2
        # left of the words, on the same line: its middle within the text's first line
        assert box["right"] <= text["left"], (selector, index, laid_out)
        assert text["top"] <= middle <= text["bottom"], (selector, index, laid_out)
        assert box["right"] - box["left"] < 40, (selector, index, laid_out)  # not stretched


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_filing_form_s_result_choices_sit_beside_their_labels(
    browser: Browser, live_server, committed_demo, viewport
):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/thu-tuc/X.HT.001/nop-truc-tuyen/")
        page.get_by_role("radio", name="Gửi qua bưu chính").wait_for()
        assert_beside_their_text(page, "input[type=radio][name=result_delivery]", 3)
        page.goto("/thu-tuc/")
        assert_beside_their_text(page, "input[type=checkbox][name=online]", 1)
    finally:
        context.close()


def test_the_desk_intake_s_choices_sit_beside_their_labels_on_a_phone(officer):
    desk = officer("tiepnhan.doluong")
    desk.set_viewport_size(PHONE)
    desk.goto("/desk/tiep-nhan/")
    desk.get_by_role("radio", name="Gửi qua bưu chính").wait_for()
    assert_beside_their_text(desk, "input[type=radio][name=result_delivery]", 3)
