"""The feedback journeys in a browser, in Vietnamese.

A citizen on her phone reports rubbish dumped by the road in Nam Sơn, the commune she has always
known, now part of xã Đô Lương since 1 July 2025: the confirmation says so, and her photo is kept
without the place it was taken. Xã Đô Lương's officer takes the petition, begins, and answers
with the published text filled in from the answer (her name removed) and a file attached. She
reads the answer with the code and PIN and says it did not resolve it, and why; the officer
answers again, and that second answer is final. The public page shows the published answer,
without her name or phone.

Another citizen rates the service of a returned dossier from the dossier look-up, and the
satisfaction figure of the Decision 766 index (group MDHL) on the indicator dashboard moves; the
feedback figures page counts the rating.
"""

import datetime as dt
import io
import re

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.feedback import photos
from haicap.feedback.models import Petition, Rating
from haicap.feedback.questions import Level, questions_for
from haicap.feedback.services import ratings
from tests.dossiers.test_scenarios import act, receive
from tests.e2e.conftest import assert_accessible, screenshot

PHONE = {"width": 390, "height": 844}
OFFICER = "chuyenvien.doluong"  # xã Đô Lương's Economic Office
SENDER, SENDER_PHONE = "Trần Thị Hoa", "0987654321"
WHAT_HAPPENED = (
    "Từ đầu tháng đến nay có người đổ trộm rác thải sinh hoạt và xà bần ở bãi đất trống cạnh "
    "cầu Khe Dứa, xóm 5. Rác bốc mùi, tràn cả ra mép đường liên xóm, trẻ em đi học phải đi "
    "vòng. Đề nghị xã cho thu gom và có biện pháp ngăn chặn."
)
FIRST_ANSWER = (
    f"Kính gửi bà {SENDER}. Ủy ban nhân dân xã đã giao Tổ vệ sinh môi trường "
    "thu gom toàn bộ rác tại bãi đất trống cạnh cầu Khe Dứa, xóm 5, và đặt biển cấm đổ rác. "
    "Kèm theo là biên bản thu gom."
)
WHY_NOT_RESOLVED = (
    "Rác đã được dọn nhưng chỉ sau hai ngày lại có người đổ tiếp vào ban đêm. Biển cấm không "
    "đủ, đề nghị xã lắp camera hoặc tổ chức tuần tra."
)
FINAL_ANSWER = (
    "Ủy ban nhân dân xã đã lắp camera giám sát tại cầu Khe Dứa và giao Công an xã phối hợp "
    "với xóm 5 tuần tra vào ban đêm; người vi phạm sẽ bị xử phạt theo quy định."
)
MINUTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def photo_with_gps() -> bytes:
    """A phone's photo: its EXIF says which phone took it and where (near Đô Lương)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[photos.GPS_IFD] = {1: "N", 2: (18.0, 54.0, 36.0), 3: "E", 4: (105.0, 18.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 110, 90)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def gps_of(content: bytes) -> dict:
    return dict(Image.open(io.BytesIO(content)).getexif().get_ifd(photos.GPS_IFD))


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def phone(browser: Browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


# --- 1 to 5: a petition, from a phone to the public page ----------------------------------------


def file_from_a_phone(citizen: Page) -> tuple[str, str]:
    citizen.goto("/")
    citizen.get_by_role("main").get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    expect(citizen.get_by_role("heading", name="Gửi phản ánh, kiến nghị")).to_be_visible()
    assert_accessible(citizen)
    citizen.get_by_label("Lĩnh vực phản ánh").select_option(label="Môi trường, rác thải")
    citizen.get_by_label("Nội dung phản ánh").fill(WHAT_HAPPENED)
    citizen.get_by_label("Địa chỉ, nơi đặt").fill("Bãi đất trống cạnh cầu Khe Dứa")
    citizen.get_by_label("Hoặc tìm theo tên quen gọi, kể cả tên cũ").press_sequentially("Nam Sơn")
    choices = citizen.get_by_test_id("unit-choices")
    # two former communes are called Nam Sơn: hers is told apart by its former district
    nam_son = choices.get_by_label("xã Nam Sơn, huyện Đô Lương (cũ): nay thuộc xã Đô Lương")
    nam_son.check()
    citizen.get_by_label("Thôn, xóm, bản, tổ dân phố").fill("Xóm 5")
    citizen.get_by_label("Hình ảnh").set_input_files(
        {"name": "bai-rac.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
    )
    citizen.get_by_label("Họ và tên").fill(SENDER)
    citizen.get_by_label("Số điện thoại").fill(SENDER_PHONE)
    citizen.get_by_label("Đồng ý công khai câu trả lời").check()
    assert no_sideways_scroll(citizen)
    assert_accessible(citizen)
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()

    expect(
        citizen.get_by_role("heading", name="Phản ánh, kiến nghị của ông/bà đã được gửi")
    ).to_be_visible()
    expect(citizen.get_by_test_id("rerouted")).to_have_text(
        "Xã Nam Sơn (cũ) nay thuộc xã Đô Lương; phản ánh được chuyển đến "
        "Ủy ban nhân dân xã Đô Lương."
    )
    expect(citizen.get_by_test_id("agency")).to_have_text("Ủy ban nhân dân xã Đô Lương")
    code = citizen.get_by_test_id("code").inner_text().strip()
    pin = citizen.get_by_test_id("pin").inner_text().strip()
    assert code.startswith("PA-") and len(pin) == 6 and pin.isdigit()
    assert no_sideways_scroll(citizen)
    assert_accessible(citizen)
    screenshot(citizen, "feedback-filed-phone")
    return code, pin


def answer_first(desk: Page, code: str) -> None:
    desk.get_by_test_id("menu-petitions").click()
    row = desk.get_by_test_id("petition").filter(has_text=code)
    expect(row).to_contain_text("xã Đô Lương")
    expect(row).to_contain_text(SENDER)
    expect(row).not_to_contain_text(SENDER_PHONE)  # masked in the list
    assert_accessible(desk)
    screenshot(desk, "feedback-queue")

    row.get_by_role("link", name=code).click()
    expect(desk.get_by_test_id("named-unit")).to_contain_text("xã Nam Sơn")
    expect(desk.get_by_test_id("photos").get_by_role("img")).to_have_count(1)
    desk.get_by_role("button", name="Nhận phụ trách").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đã phân công")
    desk.get_by_role("button", name="Bắt đầu giải quyết").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đang giải quyết")

    answer = desk.get_by_test_id("answer-form")
    answer.get_by_label("Nội dung trả lời người phản ánh").fill(FIRST_ANSWER)
    answer.get_by_role("button", name="Lấy nội dung công khai từ nội dung trả lời").click()
    published = answer.get_by_label("Câu trả lời được công khai")
    expect(published).to_have_value(FIRST_ANSWER.replace(SENDER, "***"))
    answer.get_by_label("Tệp đính kèm").set_input_files(
        {"name": "bien-ban-thu-gom.pdf", "mimeType": "application/pdf", "buffer": MINUTES}
    )
    assert_accessible(desk)
    screenshot(desk, "feedback-petition")
    answer.get_by_role("button", name="Gửi trả lời").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đã trả lời")
    expect(desk.get_by_test_id("answer")).to_contain_text("Tổ vệ sinh môi trường")
    expect(desk.get_by_test_id("attachments")).to_contain_text("bien-ban-thu-gom.pdf")


def reopen_from_the_phone(citizen: Page, code: str, pin: str) -> None:
    citizen.goto("/")
    citizen.get_by_role("main").get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    citizen.get_by_role("link", name="Đã gửi? Tra cứu phản ánh, kiến nghị").click()
    citizen.get_by_label("Mã phản ánh").fill(code)
    citizen.get_by_label("Mã tra cứu (PIN)").fill(pin)
    citizen.get_by_role("button", name="Tra cứu").click()
    answer = citizen.get_by_test_id("answer")
    expect(answer).to_contain_text("Tổ vệ sinh môi trường")
    expect(answer.get_by_role("link", name="bien-ban-thu-gom.pdf")).to_be_visible()
    citizen.get_by_label("Điều gì vẫn chưa được giải quyết?").fill(WHY_NOT_RESOLVED)
    citizen.get_by_role("button", name="Chưa giải quyết").click()
    expect(citizen.get_by_test_id("steps")).to_contain_text(
        f"Ông/bà cho biết câu trả lời chưa giải quyết được vấn đề: {WHY_NOT_RESOLVED}"
    )
    expect(citizen.get_by_test_id("sender-actions")).to_have_count(0)
    assert no_sideways_scroll(citizen)
    assert_accessible(citizen)
    screenshot(citizen, "feedback-lookup-phone")


def answer_again(desk: Page) -> None:
    desk.reload()
    expect(desk.get_by_test_id("petition-facts")).to_contain_text(
        "người phản ánh đề nghị xem xét lại"
    )
    answer = desk.get_by_test_id("answer-form")
    answer.get_by_label("Nội dung trả lời người phản ánh").fill(FINAL_ANSWER)
    answer.get_by_role("button", name="Lấy nội dung công khai từ nội dung trả lời").click()
    expect(answer.get_by_label("Câu trả lời được công khai")).to_have_value(FINAL_ANSWER)
    answer.get_by_role("button", name="Gửi trả lời").click()
    expect(desk.get_by_test_id("state")).to_have_text("Đã kết thúc")
    expect(desk.get_by_test_id("answer")).to_have_count(2)
    expect(desk.get_by_test_id("no-action")).to_be_visible()


def read_it_in_public(page: Page, code: str) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Phản ánh đã trả lời").click()
    listed = page.get_by_test_id("answered")
    expect(listed).to_contain_text("Môi trường, rác thải · xã Đô Lương")
    expect(listed).to_contain_text("cầu Khe Dứa")
    expect(listed.get_by_test_id("published-answer")).to_contain_text("lắp camera giám sát")
    for personal in (SENDER, SENDER_PHONE, "0987 654 321"):
        expect(page.get_by_role("main")).not_to_contain_text(personal)
    assert_accessible(page)
    screenshot(page, "feedback-public")
    listed.get_by_role("link", name="Môi trường, rác thải · xã Đô Lương").click()
    expect(page).to_have_url(re.compile(rf"/phan-anh/{code}/$"))
    answers = page.get_by_test_id("published-answer")
    expect(answers).to_have_count(2)
    expect(answers.first).to_contain_text("Kính gửi bà ***.")
    expect(page.get_by_role("main")).not_to_contain_text(SENDER)
    assert_accessible(page)


def test_a_petition_from_a_phone_is_answered_reopened_answered_again_and_published(
    browser: Browser, live_server, committed_demo, officer
):
    context, citizen = phone(browser, live_server)
    try:
        code, pin = file_from_a_phone(citizen)
        petition = Petition.objects.get(code=code)
        assert petition.commune.name == "Đô Lương" and petition.named_unit.name == "Nam Sơn"
        stored = petition.photos.get()
        with stored.file.open("rb") as kept:
            assert gps_of(kept.read()) == {}, "the photo was stored with where it was taken"

        desk = officer(OFFICER)
        answer_first(desk, code)
        reopen_from_the_phone(citizen, code, pin)
        answer_again(desk)
        read_it_in_public(citizen, code)
    finally:
        context.close()


# --- 6: a rating moves the dashboard's satisfaction -------------------------------------------


def this_month_so_far(count: int) -> list[dt.datetime]:
    """``count`` moments, in order, between the start of this month and now."""
    now = clock.now()
    local = now.astimezone(VIETNAM)
    start = max(
        local.replace(day=1, hour=0, minute=0, second=0, microsecond=0), now - dt.timedelta(hours=2)
    )
    step = (now - start) / (count + 1)
    return [start + step * n for n in range(1, count + 1)]


def returned_dossier(user, moments: list[dt.datetime]) -> tuple[str, str]:
    """A dossier received, decided, approved and handed back over ``moments``: its code and
    the PIN of its receipt slip."""
    received = receive(user, moments[0], "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", moments[1], code, "forward")
    act(user, "chuyenvien.doluong", moments[2], code, "submit")
    act(user, "lanhdao.doluong", moments[3], code, "approve")
    act(user, "tiepnhan.doluong", moments[4], code, "return_result")
    return code, received.pin


def satisfaction_on_the_dashboard(supervisor: Page) -> str:
    supervisor.get_by_role("link", name="Chỉ số", exact=True).click()
    satisfaction = supervisor.get_by_test_id("index-MDHL")
    expect(satisfaction).to_contain_text("Mức độ hài lòng")
    text = satisfaction.inner_text()
    found = re.search(r"Mức độ hài lòng của người dân: ([\d,]+ %)", text)
    assert found, text
    return found.group(1)


def test_a_rated_dossier_moves_the_satisfaction_on_the_dashboard(
    browser: Browser, live_server, committed_demo, officer, user
):
    moments = this_month_so_far(10)
    earlier, _earlier_pin = returned_dossier(user, moments[:5])
    code, pin = returned_dossier(user, moments[5:])
    # an earlier applicant was not satisfied
    unhappy = {q.code: Level.DISSATISFIED.value for q in questions_for("dossier")}
    ratings.rate_dossier(Dossier.objects.get(code=earlier), unhappy)

    supervisor = officer("giamsat")
    before = satisfaction_on_the_dashboard(supervisor)
    assert before == "0,0 %"
    assert_accessible(supervisor)

    context, citizen = phone(browser, live_server)
    try:
        citizen.goto("/")
        citizen.get_by_role("main").get_by_role("link", name="Tra cứu hồ sơ").click()
        citizen.get_by_label("Mã hồ sơ").fill(code)
        citizen.get_by_label("Mã tra cứu").fill(pin)
        citizen.get_by_role("button", name="Tra cứu").click()
        expect(citizen.get_by_test_id("returned-via")).to_be_visible()
        survey = citizen.get_by_test_id("rating")
        for question in survey.locator("fieldset").all():
            question.get_by_label("Rất hài lòng").check()
        assert no_sideways_scroll(citizen)
        assert_accessible(citizen)
        screenshot(citizen, "feedback-rate-dossier-phone")
        survey.get_by_role("button", name="Gửi đánh giá").click()
        expect(citizen.get_by_test_id("thanks")).to_be_visible()
        assert_accessible(citizen)
    finally:
        context.close()
    assert Rating.objects.get(dossier__code=code).satisfied

    after = satisfaction_on_the_dashboard(supervisor)
    assert after == "50,0 %" != before
    supervisor.get_by_test_id("feedback-figures").get_by_role("link").click()
    expect(supervisor.get_by_test_id("satisfaction-rate")).to_have_text("50,0 %")
    expect(supervisor.get_by_test_id("summary")).to_contain_text("1 trên 2 lượt đánh giá")
    expect(supervisor.get_by_test_id("satisfaction-procedure")).to_contain_text(
        Dossier.objects.get(code=code).procedure.name
    )
    assert_accessible(supervisor)
    screenshot(supervisor, "feedback-figures")
