"""The petition's core: filing routes it and sets a legal deadline that never moves; the
lifecycle's moves; one rating per returned dossier."""

import pytest
from django.db import DatabaseError, transaction
from django.utils import translation

from haicap.core import clock
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Petition, PetitionEvent, Rating
from haicap.feedback.services import filing, handling, ratings
from tests.dossiers.test_scenarios import act, result_ready
from tests.feedback.world import (
    CONSTRUCTION,
    DO_LUONG_PPC,
    agency,
    at,
    file,
    former,
    people,
)

pytestmark = pytest.mark.django_db


def test_a_former_commune_is_routed_to_the_commune_that_replaced_it():
    filed = file(commune=None, named=former("Nam Sơn"))
    petition = filed.petition
    assert petition.commune.code == "17662"
    assert petition.agency.code == DO_LUONG_PPC
    assert filed.named.name == "Nam Sơn"
    assert petition.code.startswith("PA-260302-")
    assert len(filed.pin) == 6
    # 10 working days from Monday 2 March 09:00: Monday 16 March 09:00
    assert petition.legal_due_at == at(3, 16, 9)


def test_the_legal_deadline_survives_transfer_reopening_and_a_late_answer():
    p = people()
    petition = file().petition
    due = petition.legal_due_at
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, petition.code, p.do_luong)
        handling.transfer(
            p.do_luong, petition.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    with clock.fixed_at(at(3, 20, 9)):  # after the deadline
        handling.assign(p.construction, petition.code, p.construction)
        handling.start(p.construction, petition.code)
        reply = handling.answer(p.construction, petition.code, "Sở đã kiểm tra và xử lý vi phạm.")
    assert reply.on_time is False
    with clock.fixed_at(at(3, 23, 9)):
        handling.reopen(petition.code, "Rác vẫn còn nguyên chưa ai đến dọn.")
    with clock.fixed_at(at(3, 24, 9)):
        handling.answer(p.construction, petition.code, "Đã bố trí thu gom ngày 24/3.")
    petition.refresh_from_db()
    assert petition.legal_due_at == due
    assert petition.state == State.CLOSED  # the second answer is final
    with pytest.raises(Conflict):
        handling.reopen(petition.code, "Vẫn chưa ổn, tôi muốn mở lại.")
    # the commune that held it still reads it
    assert Petition.objects.restrict(p.do_luong).filter(pk=petition.pk).exists()
    assert not Petition.objects.restrict(p.van_hien).filter(pk=petition.pk).exists()


def test_only_the_body_holding_it_acts():
    p = people()
    petition = file().petition
    with pytest.raises(NotFound):  # out of its scope: as unknown as no petition at all
        handling.assign(p.van_hien_officer, petition.code, p.van_hien_officer)
    with pytest.raises(PermissionDenied):
        handling.assign(p.do_luong_desk, petition.code, p.do_luong)  # not a leader


def test_the_same_filing_token_files_one_petition():
    first = file(filing_token="abc")
    with pytest.raises(filing.AlreadyFiled) as again:
        file(filing_token="abc")
    assert again.value.petition.pk == first.petition.pk
    assert Petition.objects.count() == 1


def test_a_contact_is_required():
    with translation.override("en"), pytest.raises(InvalidInput, match="phone number or an email"):
        file(sender=filing.Sender(name="Ẩn danh"))


def test_events_are_append_only():
    petition = file().petition
    event = PetitionEvent.objects.get(petition=petition)
    with pytest.raises(DatabaseError), transaction.atomic():
        PetitionEvent.objects.filter(pk=event.pk).update(note="rewritten")


def test_a_returned_dossier_is_rated_once(user):
    code = result_ready(user)
    from haicap.dossiers.models import Dossier

    dossier = Dossier.objects.get(code=code)
    answers = {
        "guidance": "satisfied",
        "on_time": "very_satisfied",
        "conduct": "satisfied",
        "overall": "satisfied",
    }
    with pytest.raises(Conflict):
        ratings.rate_dossier(dossier, answers)
    act(user, "tiepnhan.doluong", at(3, 6, 8), code, "return_result")
    rating = ratings.rate_dossier(dossier, answers)
    assert rating.satisfied and rating.agency_id == dossier.competent_agency_id
    with pytest.raises(Conflict):
        ratings.rate_dossier(dossier, answers)
    assert Rating.objects.count() == 1
