"""A dossier's stored state is exactly what its events lead to, whatever path it took."""

import contextlib
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.accounts.models import User
from haicap.core import clock
from haicap.core.errors import DomainError
from haicap.dossiers import services
from haicap.dossiers.deadlines import sweep
from haicap.dossiers.history import differences
from haicap.dossiers.models import Dossier
from haicap.units.models import Agency
from tests.dossiers.test_scenarios import CITIZEN, DRAFT, at, receive

pytestmark = pytest.mark.django_db
STAFF = ("tiepnhan.doluong", "chuyenvien.doluong", "lanhdao.doluong", "chuyenvien.sotuphap")

steps = st.lists(
    st.tuples(
        st.integers(0, len(STAFF) - 1),  # who acts
        st.integers(0, 20),  # which of their open actions
        st.integers(1, 60 * 24 * 2),  # minutes since the previous step
        st.booleans(),  # whether the worker sweeps first
    ),
    max_size=14,
)


def take_step(code: str, username: str, pick: int) -> None:
    officer = User.objects.get(username=username)
    dossier = Dossier.objects.get(code=code)
    offered = services.open_actions(officer, dossier)
    if not offered:
        return
    action = offered[pick % len(offered)]
    extra: dict = {}
    if action.code == "submit":
        draft = services.attach_document(
            officer, code, "Dự thảo", SimpleUploadedFile("du-thao.pdf", DRAFT)
        )
        extra["document_ids"] = [draft.pk]
    if action.transfers:
        extra["target_agency"] = Agency.objects.get(name="Sở Tư pháp")
    if action.code == "assign":
        extra["assignee"] = officer
    if action.code == "return_result":
        extra["collected_by"] = CITIZEN
    if action.code == "new_appointment":
        extra["new_due_at"] = dossier.due_at + dt.timedelta(days=7)
    with contextlib.suppress(DomainError):  # a move the rules refuse now changes nothing
        services.act(officer, code, action.code, note="Ghi chú", **extra)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_the_state_rebuilt_from_the_events_is_the_stored_state(user, walk):
    received = receive(user, at(3, 2, 9), "X.HT.007")  # 3 working days: the worker acts too
    code = received.dossier.code
    moment = at(3, 2, 9)
    for who, pick, minutes, sweeps in walk:
        moment += dt.timedelta(minutes=minutes)
        with clock.fixed_at(moment):
            if sweeps:
                sweep()
            take_step(code, STAFF[who], pick)
    assert differences(Dossier.objects.get(code=code)) == []


def test_the_command_finds_a_row_changed_behind_the_services_back_and_mends_it(user, capsys):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    call_command("rebuild_dossiers", "--code", code)
    assert "1 dossiers checked, 0 differ" in capsys.readouterr().out
    Dossier.objects.filter(code=code).update(due_at=at(4, 30, 9), step="approval")
    with pytest.raises(CommandError, match="1 dossiers differ"):
        call_command("rebuild_dossiers", "--code", code)
    out = capsys.readouterr().out
    assert f"{code}: step stored 'approval', events give 'received'" in out
    call_command("rebuild_dossiers", "--code", code, "--apply")
    dossier = Dossier.objects.get(code=code)
    assert (dossier.step, dossier.due_at) == ("received", at(3, 5, 9))
    assert differences(dossier) == []
