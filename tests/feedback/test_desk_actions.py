"""The actions on a petition through its page: take it, assign it, begin, set the step
deadline, transfer, answer (with the published text filled from the answer); each refused
with a message in the reader's language, and a form from a page someone has since changed
refused as a conflict with what was typed still in it."""

import pytest

from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Petition, PetitionEvent, PetitionNotification
from haicap.feedback.services import handling
from tests.feedback.desk_helpers import page_of, text, upload, vi
from tests.feedback.world import CONSTRUCTION, VAN_HIEN_PPC, agency, at, file, people, signed_in
from tests.portal.helpers import PDF

pytestmark = pytest.mark.django_db


def fresh(petition: Petition) -> Petition:
    petition.refresh_from_db()
    return petition


def post(client, petition: Petition, action: str, data: dict | None = None, **kw):
    """Post ``action`` from the page as the petition now is (its current version)."""
    data = {"version": str(fresh(petition).version), **(data or {})}
    with clock.fixed_at(kw.pop("when", at(3, 3, 9))):
        return client.post(page_of(petition, action), data, **kw)


def kinds(petition: Petition) -> list[str]:
    return list(petition.events.order_by("seq").values_list("kind", flat=True))


# --- assign, take, begin ------------------------------------------------------------------------


def test_an_officer_takes_a_petition_and_begins():
    p = people()
    petition = file().petition
    client = signed_in(p.do_luong)
    page = client.get(page_of(petition)).content.decode()
    assert 'data-testid="take-form"' in page and 'data-testid="assign-form"' not in page
    response = post(client, petition, "phan-cong/", {"officer": p.do_luong.pk})
    assert response.status_code == 302 and response["Location"] == page_of(petition)
    assert fresh(petition).handler == p.do_luong and petition.state == State.ASSIGNED
    assert 'data-testid="start-form"' in client.get(page_of(petition)).content.decode()
    assert post(client, petition, "bat-dau/").status_code == 302
    assert fresh(petition).state == State.IN_PROGRESS
    assert kinds(petition) == ["received", "assigned", "started"]


def test_a_leader_assigns_an_officer_of_the_commune_who_is_told():
    p = people()
    petition = file().petition
    client = signed_in(p.do_luong_leader)
    page = client.get(page_of(petition)).content.decode()
    assert 'data-testid="assign-form"' in page
    assert "Hoàng Văn Kinh" in page and "Phạm Thị Lan" in page  # the commune's officers
    assert "Nguyễn Văn Giám" not in page  # a supervisor is nobody's officer
    response = post(client, petition, "phan-cong/", {"officer": p.do_luong.pk})
    assert response.status_code == 302
    assert fresh(petition).handler == p.do_luong
    assert PetitionNotification.objects.filter(
        recipient=p.do_luong, petition=petition, kind=PetitionNotification.Kind.ASSIGNED
    ).exists()


def test_the_assign_list_names_each_officers_roles_in_the_body():
    from haicap.core.roles import Role
    from tests.feedback.world import DO_LUONG_PPC, staff

    p = people()
    admin = staff("quantri.doluong", DO_LUONG_PPC, Role.AGENCY_ADMIN)
    admin.full_name = "Lê Văn Quản"
    admin.save(update_fields=["full_name"])
    petition = file().petition
    page = text(signed_in(p.do_luong_leader, "vi").get(page_of(petition)))
    form = page.split('data-testid="assign-form"', 1)[1].split("</form>", 1)[0]
    options = [part.split("</option>", 1)[0] for part in form.split("<option")[2:]]
    labels = [option.split(">", 1)[1] for option in options]
    assert f"{p.do_luong} (Chuyên viên)" in labels
    assert f"{p.do_luong_leader} (Lãnh đạo)" in labels
    assert "Lê Văn Quản (Quản trị cơ quan)" in labels
    assert all(label.endswith(")") for label in labels), labels  # nobody without a role


def test_an_officer_of_another_body_is_refused_as_the_officer_in_charge():
    p = people()
    petition = file().petition
    response = post(
        signed_in(p.do_luong_leader, "vi"), petition, "phan-cong/", {"officer": p.construction.pk}
    )
    assert response.status_code == 422
    assert "Hãy chọn một cán bộ của cơ quan đang giải quyết phản ánh." in text(response)
    assert fresh(petition).handler is None


def test_an_officer_cannot_put_another_in_charge():
    p = people()
    petition = file().petition
    response = post(
        signed_in(p.do_luong_desk, "vi"), petition, "phan-cong/", {"officer": p.do_luong.pk}
    )
    assert response.status_code == 403
    assert vi("Only a leader of the agency assigns its petitions to others.") in text(response)
    assert fresh(petition).handler is None


def test_a_supervisor_is_offered_nothing_and_refused_everything():
    p = people()
    petition = file().petition
    client = signed_in(p.supervisor)
    response = post(client, petition, "phan-cong/", {"officer": p.do_luong.pk})
    assert response.status_code == 403
    reason = "Công trình do Sở cấp phép xây dựng."
    moved = post(client, petition, "chuyen/", {"agency": agency(CONSTRUCTION).pk, "reason": reason})
    assert moved.status_code == 403
    assert fresh(petition).handler is None and petition.agency.code == "17662.01.H40"


def test_another_commune_cannot_act_on_it():
    p = people()
    petition = file().petition
    client = signed_in(p.van_hien_officer)
    for action in ("phan-cong/", "bat-dau/", "han-buoc/", "chuyen/", "tra-loi/"):
        response = post(client, petition, action, {"officer": p.van_hien_officer.pk})
        assert response.status_code == 404, action
    assert kinds(petition) == ["received"]


# --- conflicts ----------------------------------------------------------------------------------


def test_a_form_from_a_page_someone_changed_is_refused_and_keeps_what_was_typed():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 8)):
        handling.assign(p.do_luong, petition.code, p.do_luong)
        handling.start(p.do_luong, petition.code)
    seen = fresh(petition).version
    with clock.fixed_at(at(3, 3, 8, 30)):  # meanwhile, a leader sets the step deadline
        handling.set_step_deadline(p.do_luong_leader, petition.code, at(3, 6, 16))
    client = signed_in(p.do_luong, "vi")
    with clock.fixed_at(at(3, 3, 9)):
        response = client.post(
            page_of(petition, "tra-loi/"),
            {"version": str(seen), "text": "Đã cử tổ công tác thu gom rác trong ngày."},
        )
    assert response.status_code == 409
    page = text(response)
    assert vi("Someone changed this petition while you were looking at it; look again.") in page
    assert "Đã cử tổ công tác thu gom rác trong ngày." in page  # nothing typed is lost
    assert f'name="version" value="{fresh(petition).version}"' in page  # now the page's own
    assert fresh(petition).state == State.IN_PROGRESS and not petition.answers.exists()


def test_a_form_without_its_version_is_taken_for_a_stale_one():
    p = people()
    petition = file().petition
    with clock.fixed_at(at(3, 3, 9)):
        response = signed_in(p.do_luong).post(
            page_of(petition, "phan-cong/"), {"officer": p.do_luong.pk}
        )
    assert response.status_code == 409
    assert fresh(petition).handler is None


def test_an_action_the_state_no_longer_allows_is_refused_with_its_reason():
    p = people()
    petition = file().petition
    client = signed_in(p.do_luong, "vi")
    response = post(client, petition, "bat-dau/")  # not assigned to anyone
    assert response.status_code == 403
    assert vi("Only the officer in charge begins work on it.") in text(response)


# --- the step deadline --------------------------------------------------------------------------


def test_the_step_deadline_is_a_moment_in_the_future():
    p = people()
    petition = file().petition
    client = signed_in(p.do_luong_leader, "vi")
    empty = post(client, petition, "han-buoc/", {"due": ""})
    assert empty.status_code == 422
    assert "Hãy nhập hạn của bước dưới dạng ngày và giờ." in text(empty)
    past = post(client, petition, "han-buoc/", {"due": "2026-03-02T16:00"})
    assert past.status_code == 422
    assert vi("Step deadline: choose a moment in the future.") in text(past)
    done = post(client, petition, "han-buoc/", {"due": "2026-03-06T16:00"})
    assert done.status_code == 302
    assert fresh(petition).step_due_at == at(3, 6, 16)
    assert petition.legal_due_at == at(3, 16, 9)  # the legal one never moves


# --- transfer -----------------------------------------------------------------------------------


def test_a_transfer_goes_to_another_agency_in_force_with_its_reason():
    p = people()
    petition = file().petition
    client = signed_in(p.do_luong, "vi")
    page = client.get(page_of(petition)).content.decode()
    assert "Sở Xây dựng" in page
    assert f'value="{agency(VAN_HIEN_PPC).pk}"' in page  # another commune's People's Committee
    own = agency("17662.03.H40")  # an office of the commune holding it
    assert f'<option value="{own.pk}"' not in page
    refused = post(client, petition, "chuyen/", {"agency": own.pk, "reason": "Không thuộc xã."})
    assert refused.status_code == 422
    assert "Hãy chọn một cơ quan còn hoạt động, khác cơ quan đang giải quyết." in text(refused)
    short = post(client, petition, "chuyen/", {"agency": agency(CONSTRUCTION).pk, "reason": "Sở"})
    assert short.status_code == 422
    reason_too_short = "Reason: say in at least %(n)s characters why it goes elsewhere."
    assert vi(reason_too_short, n=10) in text(short)
    reason = "Công trình do Sở cấp phép xây dựng."
    done = post(client, petition, "chuyen/", {"agency": agency(CONSTRUCTION).pk, "reason": reason})
    assert done.status_code == 302
    assert fresh(petition).agency.code == CONSTRUCTION and petition.state == State.RECEIVED
    event = petition.events.get(kind=PetitionEvent.Kind.TRANSFERRED)
    assert event.note == reason and event.from_agency.code == "17662.01.H40"
    # the commune still reads it (its page, not an error), and acts on it no more
    assert 'data-testid="no-action"' in client.get(page_of(petition)).content.decode()


# --- answer -------------------------------------------------------------------------------------


def in_progress(petition: Petition, officer) -> Petition:
    with clock.fixed_at(at(3, 3, 8)):
        handling.assign(officer, petition.code, officer)
        handling.start(officer, petition.code)
    return petition


def test_the_published_text_is_filled_from_the_answer_without_personal_data():
    p = people()
    petition = in_progress(file().petition, p.do_luong)
    client = signed_in(p.do_luong)
    typed = "Gửi ông Nguyễn Văn Dân (0912345678): xã đã thu gom rác tại xóm 3."
    response = post(client, petition, "tra-loi/", {"text": typed, "preview": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "Gửi ông *** (***): xã đã thu gom rác tại xóm 3." in page
    assert fresh(petition).state == State.IN_PROGRESS  # a preview sends nothing
    # the officer's wording is kept, the sender's name and phone are still removed from it
    edited = "Xã đã thu gom rác tại xóm 3 theo phản ánh của ông Nguyễn Văn Dân, 0912345678."
    done = post(
        client,
        petition,
        "tra-loi/",
        {"text": typed, "public_text": edited, "attachments": upload("bien-ban.pdf", PDF)},
    )
    assert done.status_code == 302
    reply = fresh(petition).answers.get()
    assert petition.state == State.ANSWERED
    published = "Xã đã thu gom rác tại xóm 3 theo phản ánh của ông ***, ***."
    assert reply.text == typed and reply.public_text == published
    # the officer reads on the petition's page what the public reads
    shown = client.get(page_of(petition)).content.decode()
    assert f'data-testid="public-text">{published}<' in shown
    assert reply.attachments.get().name == "bien-ban.pdf"
    assert reply.on_time
    assert AuditRecord.objects.filter(action="petition.answered", object_id=str(petition.pk))


def test_without_consent_nothing_is_published_and_no_published_text_is_asked():
    p = people()
    petition = in_progress(file(publish=False).petition, p.do_luong)
    client = signed_in(p.do_luong)
    assert 'name="public_text"' not in client.get(page_of(petition)).content.decode()
    done = post(client, petition, "tra-loi/", {"text": "Xã đã thu gom rác tại xóm 3."})
    assert done.status_code == 302
    assert fresh(petition).answers.get().public_text == ""


def test_an_answer_is_refused_in_vietnamese_when_too_short_or_its_file_is_not_taken():
    p = people()
    petition = in_progress(file().petition, p.do_luong)
    client = signed_in(p.do_luong, "vi")
    empty = post(client, petition, "tra-loi/", {"text": ""})
    assert empty.status_code == 422 and "Hãy viết nội dung trả lời." in text(empty)
    short = post(client, petition, "tra-loi/", {"text": "Đã xong"})
    assert short.status_code == 422
    assert vi("Answer: write at least %(n)s characters.", n=10) in text(short)
    script = upload("tra-loi.exe", b"MZ\x90\x00" * 10, "application/octet-stream")
    bad = post(client, petition, "tra-loi/", {"text": "Xã đã thu gom rác.", "attachments": script})
    assert bad.status_code == 422
    assert 'data-testid="action-error"' in bad.content.decode()
    assert "Xã đã thu gom rác." in text(bad)  # the answer typed is kept
    assert fresh(petition).state == State.IN_PROGRESS and not petition.answers.exists()


def test_a_second_answer_after_a_reopening_is_final():
    p = people()
    petition = in_progress(file().petition, p.do_luong)
    with clock.fixed_at(at(3, 3, 10)):
        handling.answer(p.do_luong, petition.code, "Đã thu gom rác tại xóm 3.")
    with clock.fixed_at(at(3, 4, 9)):
        handling.reopen(petition.code, "Rác vẫn còn nguyên chưa ai đến dọn.")
    client = signed_in(p.do_luong)
    assert "this second answer is final" in text(client.get(page_of(petition)))
    second = {"text": "Đã thu gom lần hai vào ngày 5/3."}
    done = post(client, petition, "tra-loi/", second, when=at(3, 5, 9))
    assert done.status_code == 302
    assert fresh(petition).state == State.CLOSED
    page = text(client.get(page_of(petition)))
    assert "the second answer is final" in page
    assert 'data-testid="no-action"' in page
