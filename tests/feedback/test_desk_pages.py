"""The petition desk as each reader sees it: the queue and its filters, one petition with its
sender's contact whole or masked, its photos and its answers' files, the menu and the notices."""

import pytest

from haicap.core import clock
from haicap.feedback.models import PetitionNotification
from haicap.feedback.services import filing, handling
from tests.feedback.desk_helpers import QUEUE, answered, page_of, text, upload, with_photo
from tests.feedback.world import (
    CONSTRUCTION,
    VAN_HIEN,
    agency,
    at,
    file,
    former,
    people,
    signed_in,
)
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    """The codes of the queue's rows, in order."""
    page = response.content.decode()
    return [part.split('"', 1)[0] for part in page.split('data-code="')[1:]]


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_open_petitions_first_by_legal_deadline():
    p = people()
    late = file(at(3, 2, 9)).petition  # due 16 March
    early = file(at(3, 2, 10)).petition
    done = file(at(2, 23, 9)).petition  # due earliest, but answered
    answered(done, p.do_luong, at(2, 24, 9))
    with clock.fixed_at(at(3, 4, 9)):
        early.legal_due_at = at(3, 5, 9)
        early.save(update_fields=["legal_due_at"])
        response = signed_in(p.do_luong).get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [early.code, late.code, done.code]
    page = text(response)
    assert "1 working day left" in page  # 5 March 09:00, seen on the 4th at 09:00
    assert "8 working days left" in page
    assert "answered on time" in page


def test_an_overdue_petition_says_by_how_many_days():
    p = people()
    petition = file().petition  # due Monday 16 March 09:00
    client = signed_in(p.do_luong, "vi")
    with clock.fixed_at(at(3, 18, 9)):
        page = text(client.get(QUEUE))
        overdue_only = client.get(QUEUE, {"overdue": "on"})
    assert "quá hạn 2 ngày" in page
    assert rows(overdue_only) == [petition.code]
    with clock.fixed_at(at(3, 13, 9)):
        assert rows(client.get(QUEUE, {"overdue": "on"})) == []


def test_the_queue_shows_the_senders_name_and_masks_the_phone():
    p = people()
    file()
    page = text(signed_in(p.do_luong).get(QUEUE))
    assert "Nguyễn Văn Dân" in page
    assert "0912345678" not in page and "091****678" in page
    assert "dan@example.vn" not in page


def test_the_filters_state_mine_category_and_commune():
    p = people()
    mine = file().petition
    other = file(category_code="ha-tang").petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, mine.code, p.do_luong)
    client = signed_in(p.do_luong)
    assert rows(client.get(QUEUE, {"mine": "on"})) == [mine.code]
    assert rows(client.get(QUEUE, {"state": "received"})) == [other.code]
    assert rows(client.get(QUEUE, {"category": "ha-tang"})) == [other.code]
    # a commune's officer needs no commune filter; a supervisor picks the commune
    assert 'name="commune"' not in client.get(QUEUE).content.decode()
    supervisor = signed_in(p.supervisor)
    do_luong = mine.commune.pk
    assert set(rows(supervisor.get(QUEUE, {"commune": str(do_luong)}))) == {mine.code, other.code}
    van_hien = agency(f"{VAN_HIEN}.01.H40").unit_id
    assert rows(supervisor.get(QUEUE, {"commune": str(van_hien)})) == []


def test_the_queue_is_paginated():
    p = people()
    for hour in range(7, 17):
        for minute in (0, 20, 40):
            file(at(3, 2, hour, minute))
    response = signed_in(p.do_luong).get(QUEUE)
    assert len(rows(response)) == 25
    assert "30 petitions" in text(response)
    assert len(rows(signed_in(p.do_luong).get(QUEUE, {"page": "2"}))) == 5


def test_another_commune_sees_nothing_of_it():
    p = people()
    petition = with_photo()
    answer = answered(petition, p.do_luong, attachments=[upload("tra-loi.pdf", PDF)])
    photo = petition.photos.get()
    paper = answer.attachments.get()
    client = signed_in(p.van_hien)
    assert rows(client.get(QUEUE)) == []
    assert client.get(page_of(petition)).status_code == 404
    assert client.get(page_of(petition, f"anh/{photo.pk}/")).status_code == 404
    assert client.get(page_of(petition, f"tep/{paper.pk}/")).status_code == 404
    assert client.get(f"{QUEUE}PA-260302-9999/").status_code == 404


def test_a_petition_sent_on_leaves_the_queue_for_the_transferred_filter_naming_where_it_is():
    p = people()
    kept = file(at(3, 2, 9)).petition
    sent_on = file(at(3, 2, 10)).petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.transfer(
            p.do_luong, sent_on.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    client = signed_in(p.do_luong, "vi")
    queue = client.get(QUEUE)
    assert rows(queue) == [kept.code]
    assert "Cơ quan đang giải quyết" not in text(queue)  # all of them are the commune's
    assert "Đã chuyển đi" in text(queue)  # the filter
    moved = client.get(QUEUE, {"transferred": "on"})
    assert rows(moved) == [sent_on.code]
    page = text(moved)
    assert "Cơ quan đang giải quyết" in page
    assert '<td data-testid="agency">Sở Xây dựng</td>' in page
    # the department holds it now, and has no transferred filter to need
    assert rows(signed_in(p.construction).get(QUEUE)) == [sent_on.code]
    # a supervisor reads every petition, each with the body handling it, and sends none on
    supervisor = text(signed_in(p.supervisor, "vi").get(QUEUE))
    assert "Cơ quan đang giải quyết" in supervisor and 'name="transferred"' not in supervisor
    assert {kept.code, sent_on.code} <= set(rows(signed_in(p.supervisor).get(QUEUE)))


# --- one petition -------------------------------------------------------------------------------


def test_the_officers_of_the_body_see_the_whole_contact_and_readers_a_masked_one():
    p = people()
    petition = file(
        sender=filing.Sender("Nguyễn Văn Dân", "0912345678", "dan@example.vn", "Xóm 3, Đô Lương")
    ).petition
    officer = text(signed_in(p.do_luong).get(page_of(petition)))
    assert "0912345678" in officer and "dan@example.vn" in officer
    assert "Xóm 3, Đô Lương" in officer
    supervisor = signed_in(p.supervisor).get(page_of(petition))
    assert supervisor.status_code == 200
    page = text(supervisor)
    assert "0912345678" not in page and "091****678" in page
    assert "dan@example.vn" not in page and "d***@example.vn" in page
    assert "Xóm 3, Đô Lương" not in page
    assert 'data-testid="contact-masked"' in page
    assert 'data-testid="no-action"' in page  # a supervisor reads, never acts


def test_after_a_transfer_the_former_body_reads_it_masked_and_the_department_acts():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.transfer(
            p.do_luong, petition.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    department = text(signed_in(p.construction).get(page_of(petition)))
    assert "0912345678" in department
    assert 'data-testid="take-form"' in department
    former_body = text(signed_in(p.do_luong).get(page_of(petition)))
    assert "0912345678" not in former_body
    assert "Công trình do Sở cấp phép xây dựng." in former_body  # the reason, in its history
    assert 'data-testid="no-action"' in former_body


SELF_NAMED = filing.Sender("Trần Thị Bình", "0987654321", "binh@example.vn", "Xóm 5, Đô Lương")
SELF_NAMING_TEXT = (
    "Tôi là Trần Thị Bình, điện thoại 0987654321, email binh@example.vn: cống thoát nước "
    "xóm 5 bị tắc đã ba ngày."
)


def test_one_who_may_not_handle_it_reads_its_texts_without_the_senders_details():
    p = people()
    petition = file(sender=SELF_NAMED, text=SELF_NAMING_TEXT).petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, petition.code, p.do_luong)
        handling.start(p.do_luong, petition.code)
        handling.answer(
            p.do_luong, petition.code, "Kính gửi bà Trần Thị Bình (0987654321): đã thông cống."
        )
    handler = text(signed_in(p.do_luong).get(page_of(petition)))
    assert SELF_NAMING_TEXT in handler
    assert "Kính gửi bà Trần Thị Bình (0987654321)" in handler
    page = text(signed_in(p.supervisor).get(page_of(petition)))
    shown = page.split('data-testid="text">', 1)[1].split("</p>", 1)[0]
    assert shown == (
        "Tôi là ***, điện thoại ***, email ***: cống thoát nước xóm 5 bị tắc đã ba ngày."
    )
    answer = page.split('data-testid="answer-text">', 1)[1].split("</p>", 1)[0]
    assert answer == "Kính gửi bà *** (***): đã thông cống."
    assert "0987654321" not in page and "binh@example.vn" not in page


def test_a_body_it_was_transferred_from_reads_the_texts_without_the_senders_details():
    p = people()
    petition = file(sender=SELF_NAMED, text=SELF_NAMING_TEXT).petition
    with clock.fixed_at(at(3, 3, 9)):
        reason = "Bà Bình (0987654321) hỏi về giấy phép."
        handling.transfer(p.do_luong, petition.code, agency(CONSTRUCTION), reason)
    page = text(signed_in(p.do_luong).get(page_of(petition)))
    assert "0987654321" not in page and "binh@example.vn" not in page
    assert "Bà Bình (***) hỏi về giấy phép." in page
    assert "0987654321" in text(signed_in(p.construction).get(page_of(petition)))


def test_the_page_names_the_former_commune_and_the_routing():
    p = people()
    petition = file(commune=None, named=former("Nam Sơn")).petition
    page = text(signed_in(p.do_luong).get(page_of(petition)))
    assert "xã Nam Sơn (a former commune)" in page
    assert "xã Nam Sơn → xã Đô Lương" in page


def test_a_linked_dossier_is_a_link_only_for_one_who_sees_it(user):
    from tests.dossiers.test_scenarios import result_ready

    code = result_ready(user)
    p = people()
    petition = file(category_code="thu-tuc-hanh-chinh", dossier_code=code).petition
    link = f'href="/desk/ho-so/{code}/"'
    assert link in signed_in(p.do_luong).get(page_of(petition)).content.decode()
    with clock.fixed_at(at(3, 6, 9)):
        handling.transfer(
            p.do_luong, petition.code, agency(CONSTRUCTION), "Sở xem xét việc cấp phép."
        )
    # the department reads the petition, not the commune's dossier: its code, no link
    page = signed_in(p.construction).get(page_of(petition)).content.decode()
    assert code in page and link not in page


def test_the_history_is_oldest_first_with_its_agencies_and_reasons():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, petition.code, p.do_luong)
        handling.set_step_deadline(p.do_luong, petition.code, at(3, 6, 16))
        handling.transfer(
            p.do_luong, petition.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    page = signed_in(p.construction).get(page_of(petition)).content.decode()
    kinds = [part.split('"', 1)[0] for part in page.split('data-kind="')[1:]]
    assert kinds == ["received", "assigned", "step_deadline", "transferred"]
    assert "Hoàng Văn Kinh" in page  # the officer put in charge
    assert "06/03/2026 16:00" in page  # the step deadline, as a moment
    assert "Sở Xây dựng" in page


def test_photos_are_served_inline_to_those_who_see_the_petition():
    p = people()
    petition = with_photo()
    photo = petition.photos.get()
    for reader in (p.do_luong, p.supervisor):
        response = signed_in(reader).get(page_of(petition, f"anh/{photo.pk}/"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
    other = file().petition  # the photo is not the other petition's
    assert signed_in(p.do_luong).get(page_of(other, f"anh/{photo.pk}/")).status_code == 404
    page = signed_in(p.do_luong).get(page_of(petition)).content.decode()
    assert page_of(petition, f"anh/{photo.pk}/") in page


def test_an_answers_files_are_served_to_those_who_see_the_petition():
    p = people()
    petition = file().petition
    reply = answered(petition, p.do_luong, attachments=[upload("tra-loi.pdf", PDF)])
    paper = reply.attachments.get()
    response = signed_in(p.supervisor).get(page_of(petition, f"tep/{paper.pk}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    page = text(signed_in(p.do_luong).get(page_of(petition)))
    assert "tra-loi.pdf" in page and "Đã thu gom rác tại xóm 3." in page
    other = file().petition
    assert signed_in(p.do_luong).get(page_of(other, f"tep/{paper.pk}/")).status_code == 404


# --- the menu and the notices -------------------------------------------------------------------


def test_the_menu_shows_petitions_to_whoever_has_a_membership():
    p = people()
    page = signed_in(p.do_luong, "vi").get("/desk/").content.decode()
    assert 'data-testid="menu-petitions"' in page and "Phản ánh, kiến nghị" in page
    from haicap.accounts.models import User

    nobody = User.objects.create(username="khong.thanh.vien")
    assert 'data-testid="menu-petitions"' not in signed_in(nobody).get("/desk/").content.decode()


def test_an_assignment_reaches_the_officers_notices():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, petition.code, p.do_luong)
    client = signed_in(p.do_luong)
    home = client.get("/desk/").content.decode()
    assert 'data-testid="unread-count">(1)' in home
    notices = text(client.get("/desk/thong-bao/"))
    assert petition.code in notices and "Petition assigned to you" in notices
    assert page_of(petition) in notices
    notice = PetitionNotification.objects.get(recipient=p.do_luong)
    client.post("/desk/thong-bao/da-doc/", {"source": "feedback", "id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_an_overdue_notice_is_urgent_and_leads_to_the_petition():
    from haicap.feedback.deadlines import run_deadlines
    from haicap.feedback.notices import PETITION_NOTICES

    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 17, 9)):
        run_deadlines(at(3, 17, 9))
    (notice,) = PETITION_NOTICES.latest(p.do_luong_leader, 10)
    assert notice.urgent and notice.subject == petition.code
    assert notice.url == page_of(petition)
    assert PETITION_NOTICES.unread(p.do_luong_leader) == 1
    assert PETITION_NOTICES.latest(p.do_luong, 10) == []  # nobody reads another's notices
