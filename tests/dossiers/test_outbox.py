"""Every dossier event becomes one outbox message, in the same transaction, in order."""

import pytest

from haicap.core.errors import PermissionDenied
from haicap.exchange.models import OutboxMessage
from tests.dossiers.test_scenarios import act, at, receive

pytestmark = pytest.mark.django_db


def test_each_event_is_one_message_in_the_dossiers_order(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, 2, 10), code, "forward")
    act(user, "chuyenvien.doluong", at(3, 2, 11), code, "submit")
    messages = OutboxMessage.objects.filter(stream=code).order_by("position")
    assert [(m.position, m.kind) for m in messages] == [
        (1, "dossier.receive"),
        (2, "dossier.forward"),
        (3, "dossier.submit"),
    ]
    last = messages.last().payload
    assert last["procedure_code"] == "X.HT.007"
    assert last["status"] == {"step": "approval", "outcome": ""}
    assert last["due_at"] == "2026-03-05T09:00:00+07:00"
    assert {m.status for m in messages} == {"pending"}


def test_a_refused_action_leaves_no_message(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    with pytest.raises(PermissionDenied):
        act(user, "chuyenvien.doluong", at(3, 2, 10), received.dossier.code, "forward")
    assert OutboxMessage.objects.filter(stream=received.dossier.code).count() == 1
